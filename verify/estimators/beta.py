"""The sup constants β and L_cross of verify.estimators.quantities (docs/claims.md §2, Assumption 2.1; §3, Assumption 3.2).

* tight β = sup_{0<φ≤π/2} L_{−w*}(φ)/φ = sup_{0<θ≤π/2} max_v λ_max(M_opp(θ, v))/θ;
* L_cross = sup_{0<θ≤π/2} max_v [σ(E Z_S Z_{S'}ᵀ) + σ(E Z_S Z_{S''}ᵀ) + σ(E Z_{S'} Z_{S''}ᵀ)]/θ.

β (:func:`beta`) is the sup toward φ → 0: by quadrature, the exact limit of the
ratio (docs/claims.md §6.7), ∞ where the polar density is unbounded at π/2; from draws,
an adaptive geometric grid down to the smallest angle the sample supports, and a test of
the ratio's shape toward φ → 0 (:func:`_growth_test`) that decides β finite, infinite
("beta-infinite") or undecided ("beta-undecided"), each with its evidence
(``search["decision"]``, :func:`sup_decision`).  An explicit grid (``SUP_GRID`` by default) gives a grid sup,
a ``lower-bound``, as does L_cross (:func:`L_cross`) for k > 1.  The direction
search is :mod:`verify.estimators.direction_search`; :mod:`verify.estimators.quantities` re-exports both.
"""
from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from .closed_forms import radial_constants
from .direction_search import (
    OPP,
    RESTARTS,
    check_setup,
    final_sampling_plan,
    pilot_dist,
    pilot_searches,
    plane_values,
    refine_direction,
    sampling_plans,
    search_directions,
    search_record,
    spread_warning,
)
from ..geometry import region_mask
from ..laws.distributions import DistributionProtocol, exact_kind, finite_support, rotational_scale
from .moments import extreme_eigenvector, moment_curves, region_intervals, symmetric_part
from .error_checks import hill_tail_index
from .finite_sups import finite_beta_estimate
from .sampling import cross_fitting_halves
from ..results import Estimate
from ..stats import standard_error
from ..validation import InvalidArgument, check_angles

__all__ = ["SUP_GRID", "REGION_DRAWS", "PER_DECADE", "beta", "L_cross", "sup_decision"]

#: θ-grid on (0, π/2] for the sups defining β and L_cross: geometric, since the
#: ratio's sup sits at small θ for smooth laws.
SUP_GRID = np.geomspace(0.02, math.pi / 2, 40)
#: β's φ-grid goes down to the angle where S(w, −w*) holds this many of the n draws (in expectation)
REGION_DRAWS = 200
#: points per decade of β's geometric φ-grid
PER_DECADE = 10
#: the growth test (:func:`_growth_test`) reads L_{−w*}(φ)/φ on φ ∈ [bottom, GROWTH_TOP]; for a law whose tail index
#: of v·Z may be ≤ 3 the bottom is where S(w, −w*) holds GROWTH_DRAWS draws (more than REGION_DRAWS: a heavy-tailed
#: law's moment is only seen at sizes ≲ √draws, so fewer draws bias the ratio low exactly where it grows and
#: fake a levelling off), otherwise the grid's bottom
GROWTH_TOP, GROWTH_DRAWS = 1.0, 1500
#: … and holds at least (HEAVY_REACH/φ)² draws, so that they reach t = v·Z ≈ HEAVY_REACH/φ (:func:`_heavy_tail_bottom`)
HEAVY_REACH = 3.0
#: the window must span this many decades for the test to decide anything (else β is "undecided": raise n)
GROWTH_MIN_DECADES = 1.0
#: growth by less than GROWTH_RELATIVE of the window's mean ratio r̄ per unit of ln(1/φ) counts as flat
#: (c·ln(1/φ) has b/r̄ = 1/ln(C/φ) > 0.1 for every φ > C·e⁻¹⁰ = 4.5e-5·C, far below what 1e8 draws resolve)
GROWTH_RELATIVE = 0.1
#: a heavy-tailed law's ratio counts as still growing while its slope over the window's lower half exceeds
#: DECELERATION × its slope over the upper half (a ratio with a finite limit r₀ − c·φᵃ has slope ratio 10^(−a·d/2)
#: over a window of d decades; c·ln(1/φ) has 1)
DECELERATION = 0.5
#: one-sided level of each test whose rejection declares β = ∞: the false-alarm rate on a law whose ratio levels
#: off (flat, or decelerating as above) in the window
GROWTH_ALPHA = 1e-3
#: one-sided level of each test whose rejection declares β finite: how often a ratio that grows like c·ln(1/φ) —
#: the slowest unbounded growth — is declared finite (power growth: less often); two such tests, so ≤ 2·LEVEL_ALPHA
LEVEL_ALPHA = 1e-2
#: the Hill estimate of the tail index of v·Z (on the side u*·Z ≤ 0) uses this fraction of the draws, at least 30
TAIL_FRACTION = 1e-3


# ---------------------------------------------------------------------------
# A sup over a fixed θ-grid (β on a grid, L_cross)
# ---------------------------------------------------------------------------

def _sup_over_theta(dist, q, method, n, seed, w_star, grid):
    """sup_θ max_v objective(θ, v)/θ over ``grid`` ⊂ (0, π/2]: a lower bound on the sup."""
    u = check_setup(dist, w_star, method, n, seed)
    dirs = search_directions(dist, u, seed)
    grid = check_angles(grid, name="grid")
    if np.any(grid <= 0):
        raise InvalidArgument("grid", "must lie in (0, π/2]")
    pilot_plan, final_plan = sampling_plans(method, n, seed)
    pdist, pmethod, pplan = pilot_dist(dist, method, pilot_plan, seed)
    best = (-np.inf, None, None)
    for v in dirs.vectors:
        vals = np.array([e.value for e in plane_values(pdist, u, v, grid, q, pmethod, pplan)]) / grid
        i = int(np.argmax(vals))
        if vals[i] > best[0]:
            best = (vals[i], v, float(grid[i]))
    pilot_value, v, theta = best
    est = plane_values(dist, u, v, np.array([theta]), q, method, final_plan)[0].scaled(1.0 / theta)
    record = {"restarts": 1, "directions_per_restart": len(dirs.vectors), "refinement_evaluations": [0],
              "pilot_draws": pilot_plan.n if method in ("mc", "qmc") else (None if pdist is dist else
                                                                           int(finite_support(pdist).shape[0])),
              "grid": [float(grid.min()), float(grid.max()), int(grid.size)], "phi": theta,
              "pilot_value": float(pilot_value), "gap": float(pilot_value - est.value)}
    return est.replace(kind="lower-bound", search=record), theta


# ---------------------------------------------------------------------------
# β: the sup toward φ → 0, with a test of the ratio's growth (docs/claims.md §2, Assumption 2.1)
# ---------------------------------------------------------------------------

def _supported_angle(z: np.ndarray, u: np.ndarray, v: np.ndarray, n: int, draws: int = REGION_DRAWS) -> float:
    """The smallest φ at which S(w(φ), −w*) holds ``draws`` of n draws in expectation.

    ``z`` (m, k, p) are pilot draws.  A patch of plane angle ψ enters S(w(φ), −w*) at
    φ = (ψ mod 2π) − π/2 (:func:`verify.estimators.moments.region_intervals`), so the pilot's
    entry angles give P(φ) empirically.  Where the pilot holds fewer than 50 such
    draws, P is extrapolated linearly from the angle of the 50th (P(φ) ∝ φ near 0 for
    a law with a bounded density on w*⊥; a law with more mass there only makes the
    extrapolation conservative).  Clipped to [1e-8, π/4].
    """
    psi = np.arctan2(z @ v, z @ u).ravel()
    lo = region_intervals(psi, OPP)[0]
    lo = np.sort(lo[np.isfinite(lo)])
    need = draws * z.shape[0] / n  # pilot draws in the region at the wanted angle
    ref = 50
    if lo.size < ref:
        return math.pi / 4
    phi = lo[min(math.ceil(need) - 1, lo.size - 1)] if need >= ref else lo[ref - 1] * need / ref
    return float(min(max(phi, 1e-8), math.pi / 4))


def _heavy_tail_bottom(z: np.ndarray, u: np.ndarray, v: np.ndarray, n: int) -> float:
    """The smallest φ where S(w(φ), −w*) holds, in expectation over n draws, at least ``GROWTH_DRAWS`` draws and
    at least (HEAVY_REACH/φ)² of them.

    Why: with tail index 3 (the boundary of β < ∞) the draws in the region have t = v·Z of density ∝ t⁻³ up to
    t ≈ 1/φ, each scale of t adding the same to the ratio; N such draws reach t ≈ √N, so the sampled ratio is
    typically short of c·ln(√N·φ) when √N < 1/φ — it looks like levelling off exactly where it grows.  ``z``
    (m, k, p) are pilot draws, read as in :func:`_supported_angle`; clipped to [1e-8, π/4].
    """
    psi = np.arctan2(z @ v, z @ u).ravel()
    lo = region_intervals(psi, OPP)[0]
    lo = np.sort(lo[np.isfinite(lo) & (lo > 0)])
    if lo.size < 50:
        return math.pi / 4
    expected = np.arange(1, lo.size + 1) * n / z.shape[0]  # draws in the region at φ = lo[j], over n draws
    ok = expected >= np.maximum(GROWTH_DRAWS, (HEAVY_REACH / lo) ** 2)
    phi = lo[int(np.argmax(ok))] if ok.any() else math.pi / 4
    return float(min(max(phi, 1e-8), math.pi / 4))


def _geometric_grid(lo: float, per_decade: int = PER_DECADE) -> np.ndarray:
    decades = math.log10((math.pi / 2) / lo)
    return np.geomspace(lo, math.pi / 2, max(math.ceil(decades * per_decade) + 1, 8))


def _half_split_sup(batches: np.ndarray, grid: np.ndarray, groups: np.ndarray | None = None
                    ) -> tuple[np.ndarray, list[float], np.ndarray | None]:
    """Batch values of λ_max(M(θ))/θ at the sup's θ, each batch read at the θ and eigenvector chosen on
    the *other* half of the batches (there θ maximizes the ratio less one standard error, so a noisy
    small angle is not preferred to a precise one that is as large) (so neither the angle nor the direction is chosen on the draws
    that estimate it: an honest ``lower-bound`` of the sup).  ``batches`` (B, G, p, p); ``groups`` (B, S, G, p, p),
    RQMC only, the replicates' random groups (read the same way, for the ``qmc-lumpy`` check).
    Returns (B values, the two θ's, (B, S) group values or None)."""
    y, chosen = np.empty(batches.shape[0]), []
    y_groups = None if groups is None else np.empty(groups.shape[:2])
    for mine in cross_fitting_halves(batches.shape[0]):
        other = batches[~mine].mean(axis=0)
        vals, vecs = np.linalg.eigh(symmetric_part(other))
        top = vecs[..., :, -1]
        spread = standard_error(np.einsum("gp,bgpq,gq->bg", top, batches[~mine], top))  # a selection score only
        j = int(np.argmax((vals[:, -1] - spread) / grid))  # the best lower confidence bound: a precise choice
        e = vecs[j, :, -1]
        y[mine] = np.einsum("p,bpq,q->b", e, batches[mine][:, j], e) / grid[j]
        if groups is not None:
            y_groups[mine] = np.einsum("p,bspq,q->bs", e, groups[mine][:, :, j], e) / grid[j]
        chosen.append(float(grid[j]))
    return y, chosen, y_groups


def _wls_functionals(x: np.ndarray, wts: np.ndarray, columns: int) -> np.ndarray:
    """Rows c_j with c_j·r = the j-th coefficient of the weighted least-squares fit of r on 1, x, …, x^(columns−1)."""
    design = np.column_stack([x ** j for j in range(columns)])
    sw = np.sqrt(wts)[:, None]
    return np.linalg.pinv(design * sw) * sw.T


def _one_sided(values: np.ndarray) -> float:
    """The t statistic mean/standard error of batch values (B − 1 degrees of freedom)."""
    se = float(standard_error(values))
    mean = float(values.mean())
    return mean / se if se > 0 else math.copysign(math.inf, mean) if mean else 0.0


def _growth_test(ratios: np.ndarray, grid: np.ndarray, bottom: float, heavy: bool) -> dict:
    """Does L_{−w*}(φ)/φ level off toward φ → 0 (β finite), grow without bound (β = ∞), or can the draws not tell?

    The ratio's shape on x = ln(1/φ) over the window φ ∈ [``bottom``, ``GROWTH_TOP``] separates the cases:
    a finite limit r₀ − c·φᵃ flattens (slope → 0 and decreasing toward the bottom), c·ln(1/φ) (tail index 3,
    iid Student-t₃) keeps a constant slope, and c·φ^(−γ) (a density unbounded on w*⊥, or tail index < 3) an
    increasing one.  Weighted least squares (weights 1/se², se from the batches) gives, as linear functionals
    of the curve, the slope b over the window, its mean level r̄, and the slopes b_lo, b_hi over the window's
    lower and upper halves in x; their batch values (``ratios`` (B, G), cross-fitted) give honest standard
    errors despite the correlation between grid points, and one-sided t tests with B − 1 degrees of freedom:

    * grows: b − κ·r̄ > 0 (κ = ``GROWTH_RELATIVE``), and unbounded: b_lo − b_hi > 0 (accelerating: power
      growth) or, for a law whose tail index may be ≤ 3 (``heavy``), b_lo − ρ·b_hi > 0 (ρ = ``DECELERATION``:
      not slowing as a finite limit does) — both at level ``GROWTH_ALPHA`` → **infinite**;
    * levels off: b − κ·r̄ < 0 (flat) or b_lo − b_hi < 0 (decelerating), either at level ``LEVEL_ALPHA``
      → **finite** (an unbounded ratio — slope never decreasing — is declared finite with probability
      ≤ 2·LEVEL_ALPHA);
    * both or neither → **undecided**, as is a window under ``GROWTH_MIN_DECADES`` decades.

    ``still_growing`` records b_lo > 0 at level ``LEVEL_ALPHA``: a finite β whose ratio still rises at the
    bottom is a lower bound that may lie below the sup (a warning says so).

    Examples
    --------
    >>> phi = np.geomspace(1e-3, 1.0, 31)
    >>> noise = np.random.default_rng(0).normal(0, 0.01, (32, 31))
    >>> _growth_test(1.0 + np.log(1 / phi) + noise, phi, 1e-3, True)["decision"]
    'infinite'
    >>> _growth_test(1.0 - 0.5 * phi + noise, phi, 1e-3, False)["decision"]
    'finite'
    """
    B = ratios.shape[0]
    bottom = max(bottom, float(grid[0]))
    top = min(GROWTH_TOP, float(grid[-1]))
    window = (grid >= bottom * (1 - 1e-12)) & (grid <= top * (1 + 1e-12))
    decades = math.log10(top / bottom) if top > bottom else 0.0
    se_at = standard_error(ratios)  # the plain rule: weights and test statistics, not reported estimates
    mean_at = ratios.mean(axis=0)
    marks = []
    for k in range(math.floor(math.log10(grid[-1] / grid[0]) + 1e-9) + 1):
        i = int(np.argmin(np.abs(np.log(grid) - math.log(grid[0] * 10 ** k))))
        marks.append([float(grid[i]), float(mean_at[i]), float(se_at[i])])
    record = {"window": [float(bottom), float(top)], "decades": float(decades), "ratio_at_decades": marks,
              "heavy_window": bool(heavy), "relative_threshold": GROWTH_RELATIVE, "deceleration": DECELERATION,
              "alpha_infinite": GROWTH_ALPHA, "alpha_finite": LEVEL_ALPHA, "dof": B - 1}
    x = np.log(1.0 / grid[window])
    lower = x >= x.min() + 0.5 * (x.max() - x.min())  # the half nearer φ → 0
    if decades < GROWTH_MIN_DECADES - 1e-9 or lower.sum() < 3 or (~lower).sum() < 3:
        return {**record, "tested": False, "decision": "undecided", "still_growing": False, "infinite": False,
                "reason": f"the window the draws resolve spans {decades:.2f} decades, under {GROWTH_MIN_DECADES:g}"}
    r = ratios[:, window]
    wts = 1.0 / np.maximum(se_at[window], 1e-300) ** 2  # weighted least squares: the noisy bottom counts less
    level = r @ (wts / np.sum(wts))  # the window's weighted mean ratio r̄ (batch values)
    slope = r @ _wls_functionals(x, wts, 2)[1]
    halves = []
    for part in (lower, ~lower):
        c = np.zeros(x.size)
        c[part] = _wls_functionals(x[part], wts[part], 2)[1]
        halves.append(r @ c)
    b_lo, b_hi = halves
    crit_inf = float(stats.t.ppf(1 - GROWTH_ALPHA, B - 1))
    crit_fin = float(stats.t.ppf(1 - LEVEL_ALPHA, B - 1))
    t_growth = _one_sided(slope - GROWTH_RELATIVE * level)
    t_accel = _one_sided(b_lo - (DECELERATION if heavy else 1.0) * b_hi)
    t_decel = _one_sided(b_lo - b_hi)
    t_bottom = _one_sided(b_lo)
    unbounded = t_growth > crit_inf and t_accel > crit_inf
    levels_off = t_growth < -crit_fin or t_decel < -crit_fin
    decision = "undecided" if unbounded == levels_off else "infinite" if unbounded else "finite"
    reason = ("" if decision != "undecided" else "both levelling off and unbounded growth are significant"
              if unbounded else "neither levelling off nor unbounded growth is significant")
    return {**record, "tested": True, "slope": float(slope.mean()), "slope_error": float(standard_error(slope)),
            "level": float(level.mean()), "slope_lower_half": float(b_lo.mean()),
            "slope_upper_half": float(b_hi.mean()), "t_growth": t_growth, "t_unbounded": t_accel,
            "t_deceleration": t_decel, "t_bottom": t_bottom, "critical_infinite": crit_inf,
            "critical_finite": crit_fin, "decision": decision, "infinite": decision == "infinite",
            "still_growing": bool(t_bottom > crit_fin), "reason": reason}


def _tail_index(dist, u, v, n, seed) -> dict:
    """Hill's estimate of the tail index α of t = v·Z on the side u*·Z ≤ 0, on fresh draws (docs/claims.md §2).

    As φ → 0, A_{w,−w*}/φ tends to ∫_{u*⊥, v·y ≥ 0} (v·y) y yᵀ f(0, y) dy (the region is a
    slab of thickness tan φ·(v·y) along w*⊥), whose v-entry is a third moment of v·Z on
    the hyperplane: infinite when the tail index α ≤ 3.  The estimate uses the top
    k = max(30, TAIL_FRACTION·m) of the m positive t's: α̂ = 1/mean(ln(t_(i)/t_(k+1))), with
    standard error α̂/√k.  Gaussian tails give α̂ ≫ 3 at this depth (≈ x² at the
    threshold x: about 9 at the 0.1 % point), t₃ gives α̂ ≈ 3.
    """
    rng = np.random.default_rng(np.random.SeedSequence([0 if seed is None else seed, 11]))
    z = dist.sample(n, rng).reshape(-1, dist.p)
    along_v = z @ v  # log t below: the half-open region leaves out t = 0
    t = np.sort(along_v[region_mask(along_v, z @ u, "opposite", boundary="half-open")])[::-1]
    k = max(30, int(TAIL_FRACTION * t.size))
    if t.size <= k + 1 or t[k] <= 0:  # too few draws to tell: treated as possibly heavy (the cautious window)
        return {"alpha": math.nan, "error": math.nan, "k": int(k), "heavy": True}
    alpha = hill_tail_index(t[:k + 1])  # the k largest over the (k+1)-th, docs/error-bars.md §3
    error = alpha / math.sqrt(k)
    return {"alpha": alpha, "error": error, "k": int(k), "heavy": bool(alpha - 2 * error <= 3.0)}


def _beta_pilot_choice(pl, u, searched):
    """On one pilot: the direction (and angle) of the largest ratio over the grid the pilot supports."""
    atoms = finite_support(pl.dist)
    lo = _supported_angle(atoms, u, pl.dirs.vectors[0], atoms.shape[0])
    grid = _geometric_grid(lo)
    best = (-np.inf, None, None)
    for v in pl.dirs.vectors:
        r = np.array([e.value for e in plane_values(pl.dist, u, v, grid, "L_neg", pl.method, pl.plan)]) / grid
        i = int(np.argmax(r))
        if r[i] > best[0]:
            best = (float(r[i]), v, float(grid[i]))
    score, v, theta = best
    nfev = 0
    if searched:
        v, neg, nfev = refine_direction(pl.dist, u, v, theta, "L_neg", -1.0, pl.method, pl.plan)
        score = max(score, -neg / theta)
    return v, theta, score, nfev, grid


def _pilot_sup(pl, u, v, grid):
    r = np.array([e.value for e in plane_values(pl.dist, u, v, grid, "L_neg", pl.method, pl.plan)]) / grid
    return float(np.max(r))


def _beta_sampled(dist, u, method, n, seed):
    """β from draws: the sup over a geometric φ-grid reaching down to the angle the sample supports
    (:func:`_supported_angle`), the growth of the ratio tested toward φ → 0 (:func:`_growth_test`)."""
    dirs = search_directions(dist, u, seed)
    searched = not dirs.exact
    pilots = pilot_searches(dist, u, method, n, seed, RESTARTS if searched else 1)
    pilots[0].dirs = dirs
    picks = [_beta_pilot_choice(pl, u, searched) for pl in pilots]
    if len(picks) > 1:  # choose on the other pilots' evidence, never on the final draws
        cross = [np.mean([_pilot_sup(pilots[q], u, pick[0], picks[q][4]) for q in range(len(picks)) if q != r])
                 for r, pick in enumerate(picks)]
        chosen = int(np.argmax(cross))
    else:
        chosen = 0
    plan = final_sampling_plan(method, n, seed)
    tail = _tail_index(dist, u, picks[chosen][0], n, seed)
    finals = []
    for r, (v, theta, score, nfev, _) in enumerate(picks):
        atoms = finite_support(pilots[r].dist)
        grid = _geometric_grid(_supported_angle(atoms, u, v, n))
        bottom = _heavy_tail_bottom(atoms, u, v, n) if tail["heavy"] else float(grid[0])
        curves = moment_curves(dist, u, v, grid, ((OPP, OPP),), plan)
        sums = curves.sums
        y, thetas, y_groups = _half_split_sup(sums.batch_means[:, 0], grid,
                                              None if sums.group_means is None else sums.group_means[:, :, 0])
        growth = None
        if r == chosen:
            ratios = curves.cross_fitted((OPP, OPP), lambda m: extreme_eigenvector(m, "max")) / grid
            growth = _growth_test(ratios, grid, bottom, tail["heavy"])
            if growth["decision"] == "infinite" and bottom > grid[0]:
                growth = _checked_below_window(growth, ratios, grid)
        # the reported error through BatchMeans.assess: heavy-tail and qmc-lumpy checks (docs/error-bars.md)
        finals.append((sums.estimate(y, y_groups, side="lower-bound"), thetas, grid, growth, sums))
    final, thetas, grid, growth, sums = finals[chosen]
    value = final.value
    values, errors = [f[0].value for f in finals], [f[0].error for f in finals]
    record = search_record(pilots, [pk[3] for pk in picks], values, errors, chosen, picks[chosen][2], value,
                            phi=thetas, pilot_phi=picks[chosen][1],
                            grid=[float(grid[0]), float(grid[-1]), int(grid.size)],
                            region_draws=REGION_DRAWS, growth=growth, tail=tail, decision=growth["decision"])
    if not searched:
        record["directions_per_restart"] = len(dirs.vectors)
    warnings = spread_warning("beta", values, errors, "standard-error") if searched else ()
    evidence = _growth_evidence(growth, tail)
    if growth["decision"] == "infinite":
        warnings += ((f"beta-infinite: L_{{-w*}}(φ)/φ grows without bound toward φ → 0 ({evidence}). "
                      "Assumption 2.1 fails for this law."),)
        return Estimate(math.inf, 0.0, "standard-error", sums.method, sums.n, sums.seed, "estimate", sums.dof,
                        final.warnings + warnings, record)
    if growth["decision"] == "undecided":
        warnings += ((f"beta-undecided: whether L_{{-w*}}(φ)/φ levels off toward φ → 0 is not decided by n = {n} "
                      f"draws: {growth['reason']} ({evidence}); the value is the sup over the resolved angles, a "
                      "lower bound of a β that may be infinite; raise n."),)
    elif growth["still_growing"]:
        warnings += ((f"beta-growth: L_{{-w*}}(φ)/φ levels off but still rises at the smallest angles the draws "
                      f"resolve ({evidence}); the sup may lie above the value (a lower bound), and a larger n "
                      "resolves smaller angles."),)
    return final.replace(warnings=final.warnings + warnings, search=record)


def _checked_below_window(growth: dict, ratios: np.ndarray, grid: np.ndarray) -> dict:
    """An ∞ read in the heavy-tail window, checked against the whole grid the draws reach.

    The heavy-tail window stops where the region holds enough draws to see the tails (a sample that misses
    t₃'s tails makes its ratio look level below that).  A finite law can still turn below the window: iid
    sign·log-normal's ratio rises like a power down to φ ≈ 0.05 and falls after (8.6 at 0.05, 0.26 at 10⁻³).
    When the whole grid levels off where the window grew, the two readings conflict and β is undecided: the
    draws cannot tell a heavy tail they miss from a turn they see.
    """
    full = _growth_test(ratios, grid, float(grid[0]), True)
    if full["decision"] != "finite":
        return growth
    return {**growth, "decision": "undecided", "infinite": False, "below_window": full["decision"],
            "reason": (f"the ratio grows without bound over the window the tails resolve, but over the whole "
                       f"grid down to φ = {float(grid[0]):.3g} it levels off: the draws cannot tell tails they "
                       "miss from a finite limit below the window")}


def _growth_evidence(growth: dict, tail: dict) -> str:
    """The growth test's evidence in words: the window, the slopes and t statistics, the ratio at each decade."""
    marks = "; ".join(f"φ={m[0]:.3g}: {m[1]:.4g} ± {m[2]:.2g}" for m in growth["ratio_at_decades"])
    parts = [f"window φ ∈ [{growth['window'][0]:.3g}, {growth['window'][1]:.3g}]"]
    if growth["tested"]:
        parts.append(f"slope per e-fold b = {growth['slope']:.3g} ± {growth['slope_error']:.2g} at level "
                     f"{growth['level']:.3g} (t_{growth['dof']} of b − {GROWTH_RELATIVE:g}·level = "
                     f"{growth['t_growth']:.2f}), lower-half slope {growth['slope_lower_half']:.3g} vs upper-half "
                     f"{growth['slope_upper_half']:.3g} (t = {growth['t_unbounded']:.2f} for unbounded growth, "
                     f"{growth['t_deceleration']:.2f} for deceleration; critical {growth['critical_infinite']:.2f} "
                     f"for ∞ at α = {GROWTH_ALPHA:g}, {growth['critical_finite']:.2f} for finite at "
                     f"α = {LEVEL_ALPHA:g})")
    parts.append(f"ratio at each decade: {marks}")
    parts.append(f"tail index of v·Z α = {tail['alpha']:.2f} ± {tail['error']:.2g}"
                 + (" (≤ 3 not excluded: the window starts where the region holds "
                    f"{GROWTH_DRAWS} draws)" if tail["heavy"] else " (> 3)"))
    return "; ".join(parts)


def _beta_quad(dist, u):
    """β of an axially symmetric law by quadrature: the exact limit at φ → 0
    (:func:`verify.estimators.quadrature.axial_beta_limit`) and the maximum over a geometric grid down to 1e-4.

    For a radial law the ratio decreases in φ (docs/claims.md §6.5), so the sup *is*
    the limit: ``kind="estimate"`` with the limit's rounding bound.  Otherwise the
    larger of the limit and the grid maximum is a ``lower-bound`` of the sup (the
    sup may sit between grid points), with an ``absolute-bound`` error.  A polar density
    unbounded at π/2 makes the limit, so β, infinite ("beta-infinite"); one whose value
    at π/2⁺ cannot be bounded leaves β undecided ("beta-undecided": the grid maximum,
    a lower bound).  ``search["decision"]`` is "finite", "infinite" or "undecided".
    """
    from .quadrature import axial_beta_limit

    limit = axial_beta_limit(dist)
    grid = np.geomspace(1e-4, math.pi / 2, 60)
    v = search_directions(dist, u, None).vectors[0]
    vals = plane_values(dist, u, v, grid, "L_neg", "quad", None)
    ratio = np.array([e.value for e in vals]) / grid
    errs = np.array([e.error for e in vals]) / grid
    i = int(np.argmax(ratio))
    decision = "infinite" if limit.value == math.inf else "undecided" if math.isnan(limit.value) else "finite"
    record = {"grid": [float(grid[0]), float(grid[-1]), int(grid.size)], "limit": limit.value,
              "grid_max": float(ratio[i]), "grid_argmax": float(grid[i]), "restarts": 1,
              "directions_per_restart": 1, "equator_density": limit.search, "decision": decision}
    n = vals[0].n
    readings = ", ".join(f"g(π/2+{d:.0e}) = {g:.4g}" for d, g in zip(limit.search["offsets"][::2],
                                                                   limit.search["density"][::2]))
    if decision == "infinite":
        return Estimate(math.inf, 0.0, "absolute-bound", "quad", n, None, "estimate", None,
                        ((f"beta-infinite: the polar density g(θ) grows without bound toward θ = π/2 ({readings}), "
                          "so L_{-w*}(φ)/φ → m₂·g(π/2⁺)·E[(t⁺)³] = ∞ (docs/claims.md §6.7; quadrature ratio "
                          f"{ratio[0]:.4g} at φ = {grid[0]:.0e}). Assumption 2.1 fails for this law."),), record)
    if decision == "undecided":
        return Estimate(ratio[i], errs[i], "absolute-bound", "quad", n, None, "lower-bound", None,
                        ((f"beta-undecided: the polar density's value at θ = π/2⁺, which the limit of "
                          f"L_{{-w*}}(φ)/φ needs, cannot be bounded from its readings ({readings}); the value is the "
                          "sup over a grid down to φ = 1e-4, a lower bound of a β that may be infinite."),), record)
    if exact_kind(dist) == "rotational" and dist.k == 1:
        warnings = () if ratio[i] <= limit.value + errs[i] + limit.error else (
            f"beta-grid-above-limit: a grid ratio {ratio[i]:.12g} exceeds the radial limit {limit.value:.12g} beyond its bound",)
        return Estimate(limit.value, limit.error, "absolute-bound", "quad", n, None, "estimate", None, warnings,
                        record)
    if limit.value >= ratio[i]:
        return Estimate(limit.value, limit.error, "absolute-bound", "quad", n, None, "lower-bound", None, (), record)
    return Estimate(ratio[i], errs[i], "absolute-bound", "quad", n, None, "lower-bound", None, (), record)


def beta(dist: DistributionProtocol, *, method: str = "mc", n: int = 100_000, seed: int | None = 0,
         w_star: ArrayLike | None = None, grid: ArrayLike | None = None) -> Estimate:
    """The tight β = sup_{0<φ≤π/2} L_{−w*}(φ)/φ (docs/claims.md §2, Assumption 2.1).

    * ``exact``, radial law: the closed form s/π (s = E‖Z‖²/p; docs/claims.md §6.5).
    * ``quad``: the exact limit of the ratio at φ → 0
      (:func:`verify.estimators.quadrature.axial_beta_limit`; s/π for a radial law, where it is
      the sup) and, for other axial laws, the larger of it and a grid maximum, a
      ``lower-bound``.
    * ``mc``/``qmc``: the sup over a geometric grid from the smallest angle the n
      draws support (S(w, −w*) holds ``REGION_DRAWS`` of them there) to π/2; the
      direction is searched on ``RESTARTS`` independent pilots and refined, the
      angle and eigenvector chosen on the other half of the final batches
      (:func:`_half_split_sup`): a ``lower-bound`` with an honest standard error.
      The ratio's shape toward 0 decides (:func:`_growth_test`): unbounded growth
      gives β = ``inf`` ("beta-infinite: …" with the evidence), a ratio levelling off
      a finite ``lower-bound`` (with "beta-growth" while it still rises at the
      smallest resolved angles), anything else the ``lower-bound`` with
      "beta-undecided"; the tail index of v·Z (:func:`_tail_index`) chooses how low
      the test may look.  ``search`` holds the budget, the restarts' spread, the gap
      between the pilot's sup and the final one, and the growth test.
    * ``exact`` on a finite law: the exact sup by enumeration
      (:func:`verify.estimators.finite_sups.finite_beta_estimate`: p = 2 any k, or k = 1 any p);
      otherwise (k > 1 in p ≥ 3, or too many atoms) as an explicit ``grid``.
    * an explicit ``grid``: the sup over that grid (``SUP_GRID`` by default), a ``lower-bound``.
    """
    if method == "exact" and exact_kind(dist) == "rotational" and dist.k == 1:
        check_setup(dist, w_star, method, n, seed)
        value = radial_constants(0.0, rotational_scale(dist))["beta"]
        return Estimate(value, value * 4 * np.finfo(float).eps, "exact", "exact", kind="exact")
    if method == "exact" and grid is None and finite_support(dist) is not None:
        found = finite_beta_estimate(dist, check_setup(dist, w_star, method, n, seed))  # exact enumeration
        if found is not None:
            return found
    if grid is not None or method == "exact":
        return _sup_over_theta(dist, "L_neg", method, n, seed, w_star, SUP_GRID if grid is None else grid)[0]
    u = check_setup(dist, w_star, method, n, seed)
    if method == "quad":
        return _beta_quad(dist, u)
    return _beta_sampled(dist, u, method, n, seed)


def L_cross(dist: DistributionProtocol, *, method: str = "mc", n: int = 100_000,  # noqa: N802
            seed: int | None = 0, w_star: ArrayLike | None = None, grid: ArrayLike = SUP_GRID) -> Estimate:
    """The tight L_cross = sup_{0<φ≤π/2} (max_{θ≤φ} Σσ)/φ (docs/claims.md §3, Assumption 3.2).

    Zero for one patch (distinct regions are disjoint up to a null set); for
    k > 1 a grid-and-direction sup, a ``lower-bound`` (see :func:`beta`).
    """
    if dist.k == 1 and method in ("exact", "quad"):
        check_setup(dist, w_star, method, n, seed)
        return Estimate(0.0, 0.0, "exact" if method == "exact" else "absolute-bound", method, kind="exact")
    return _sup_over_theta(dist, "cross", method, n, seed, w_star, grid)[0]


def sup_decision(est: Estimate) -> str:
    """Whether a sup constant (β, L_cross) is "finite", "infinite" or "undecided", as its estimate says.

    ``search["decision"]`` when the estimator decided it (:func:`beta` by ``mc``/``qmc``/``quad``); otherwise
    read from the value: ∞ is "infinite", NaN "undecided", any other value "finite" (a closed form, an exact
    sup, or a grid sup — a lower bound that no growth test examined).

    Examples
    --------
    >>> sup_decision(Estimate(math.inf, 0.0, "exact", "exact")), sup_decision(Estimate(0.3, 0.0, "exact", "exact"))
    ('infinite', 'finite')
    """
    decided = (est.search or {}).get("decision")
    if decided is not None:
        return decided
    return "infinite" if est.value == math.inf else "undecided" if math.isnan(est.value) else "finite"

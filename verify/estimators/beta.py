"""The sup constants β and L_cross of verify.estimators.quantities (docs/claims.md §2, Assumption 2.1; §3, Assumption 3.2).

* tight β = sup_{0<φ≤π/2} L_{−w*}(φ)/φ = sup_{0<θ≤π/2} max_v λ_max(M_opp(θ, v))/θ;
* L_cross = sup_{0<θ≤π/2} max_v [σ(E Z_S Z_{S'}ᵀ) + σ(E Z_S Z_{S''}ᵀ) + σ(E Z_{S'} Z_{S''}ᵀ)]/θ.

β (:func:`beta`) is the sup toward φ → 0: by quadrature, the exact limit of the
ratio (docs/claims.md §6.7); from draws, an adaptive geometric grid down to the
smallest angle the sample supports, with a test of the ratio's growth there and a
tail index, so a law whose ratio grows without bound gets β = ∞ with its evidence
("beta-infinite").  An explicit grid (``SUP_GRID`` by default) gives a grid sup,
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

__all__ = ["SUP_GRID", "REGION_DRAWS", "PER_DECADE", "beta", "L_cross"]

#: θ-grid on (0, π/2] for the sups defining β and L_cross: geometric, since the
#: ratio's sup sits at small θ for smooth laws.
SUP_GRID = np.geomspace(0.02, math.pi / 2, 40)
#: β's φ-grid goes down to the angle where S(w, −w*) holds this many of the n draws (in expectation)
REGION_DRAWS = 200
#: points per decade of β's geometric φ-grid
PER_DECADE = 10
#: the growth test of L_{−w*}(φ)/φ looks at most GROWTH_DECADES decades up from the angle where S(w, −w*)
#: holds GROWTH_DRAWS draws (more than REGION_DRAWS: a heavy-tailed law's moment is only seen at sizes
#: ≲ √draws, so fewer draws bias the ratio low exactly where it grows), and below GROWTH_CAP
GROWTH_DECADES, GROWTH_DRAWS, GROWTH_CAP = 2, 1500, 0.2
#: powers φ, …, φ^GROWTH_SMOOTH fitted beside ln(1/φ): a ratio with a finite limit, r₀ + c₁φ + c₂φ² + …, has no ln term
GROWTH_SMOOTH = 0
#: the least relative growth, b / r̄ per unit of ln(1/φ), that counts as unbounded (a ratio with a finite
#: limit varies by much less over the small-φ window; c·ln(1/φ) has b/r̄ = 1/ln(C/φ), 0.07 even at φ = 1e-6·C)
GROWTH_RELATIVE = 0.05
#: one-sided false-alarm rate of the growth test (declaring β = ∞ for a law whose ratio stays bounded)
GROWTH_ALPHA = 1e-3
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
    pdist, pmethod, pplan = pilot_dist(dist, method, pilot_plan)
    best = (-np.inf, None, None)
    for v in dirs.vectors:
        vals = np.array([e.value for e in plane_values(pdist, u, v, grid, q, pmethod, pplan)]) / grid
        i = int(np.argmax(vals))
        if vals[i] > best[0]:
            best = (vals[i], v, float(grid[i]))
    pilot_value, v, theta = best
    est = plane_values(dist, u, v, np.array([theta]), q, method, final_plan)[0].scaled(1.0 / theta)
    record = {"restarts": 1, "directions_per_restart": len(dirs.vectors), "refinement_evaluations": [0],
              "pilot_draws": pilot_plan.n if method in ("mc", "qmc") else None,
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


def _growth_test(ratios: np.ndarray, grid: np.ndarray, bottom: float) -> dict:
    """Does L_{−w*}(φ)/φ grow without bound as φ → 0?  A regression of the ratio on ln(1/φ).

    Over the window [``bottom``, top], top = min(100·bottom, ``GROWTH_CAP``) but at least
    10·bottom (``bottom``: where S(w, −w*) holds ``GROWTH_DRAWS`` draws), the least-squares slope b of r(φ) on ln(1/φ) is a linear
    functional of the curve (weights 1/se², se from the batches), so its batch values (from cross-fitted batch ratios
    ``ratios`` (B, G)) give an honest standard error despite the correlation between
    grid points.  A ratio that converges to a finite limit r₀ + O(φ) has b → 0 as
    the grid's bottom shrinks with n (the slope over [φ_min, 100φ_min] is O(100φ_min));
    one growing like c·ln(1/φ) keeps b = c at every n.  β is declared infinite when
    b − κ·r̄ > t_{B−1}(1 − GROWTH_ALPHA)·se (κ = ``GROWTH_RELATIVE``, r̄ the window's weighted
    mean ratio): growth by more than κ of the ratio's level per unit of ln(1/φ), so that
    the few-percent curvature of a law with a finite limit (N(0, I): r(0.6)/r(0.06) = 0.96)
    never counts, however precise the estimate (qmc).  A bounded law whose ratio still
    rises by more than κ·r̄ per e-fold at the smallest angles the sample supports is
    reported as infinite too: the evidence is in the record, and a larger n moves the
    window toward 0, where such a ratio flattens.
    """
    B = ratios.shape[0]
    bottom = max(bottom, float(grid[0]))
    top = min(max(min(bottom * 10 ** GROWTH_DECADES, GROWTH_CAP), bottom * 10), grid[-1])
    window = (grid >= bottom * (1 - 1e-12)) & (grid <= top * (1 + 1e-12))
    decades = math.log10(top / bottom)
    se_at = standard_error(ratios)  # the plain rule: weights and test statistics, not reported estimates
    mean_at = ratios.mean(axis=0)
    marks = []
    for k in range(math.floor(math.log10(grid[-1] / grid[0]) + 1e-9) + 1):
        i = int(np.argmin(np.abs(np.log(grid) - math.log(grid[0] * 10 ** k))))
        marks.append([float(grid[i]), float(mean_at[i]), float(se_at[i])])
    record = {"window": [float(bottom), float(top)], "decades": float(decades), "ratio_at_decades": marks}
    if decades < 1 - 1e-9 or window.sum() < 3:
        return {**record, "tested": False, "infinite": False}
    x = np.log(1.0 / grid[window])
    wts = 1.0 / np.maximum(se_at[window], 1e-300) ** 2  # weighted least squares: the noisy bottom counts less
    design = np.column_stack([np.ones_like(x), x] + [grid[window] ** k for k in range(1, GROWTH_SMOOTH + 1)])
    sw = np.sqrt(wts)[:, None]
    c = (np.linalg.pinv(design * sw) * sw.T)[1]  # the ln(1/φ) coefficient as a linear functional of r
    level = wts / np.sum(wts)  # the window's weighted mean ratio r̄, also linear in r
    slopes, levels = ratios[:, window] @ c, ratios[:, window] @ level
    excess = slopes - GROWTH_RELATIVE * levels  # H0: b ≤ GROWTH_RELATIVE·r̄ (bounded, or too slow to tell)
    slope, se = float(slopes.mean()), float(standard_error(slopes))
    ex, ex_se = float(excess.mean()), float(standard_error(excess))
    crit = float(stats.t.ppf(1 - GROWTH_ALPHA, B - 1))
    return {**record, "tested": True, "slope": slope, "slope_error": se, "level": float(levels.mean()),
            "relative_threshold": GROWTH_RELATIVE, "excess": ex, "excess_error": ex_se, "critical": crit,
            "dof": B - 1, "infinite": bool(ex > crit * ex_se and ex > 0)}


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
    if t.size <= k + 1 or t[k] <= 0:
        return {"alpha": math.nan, "error": math.nan, "k": int(k), "heavy": False}
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
    finals = []
    for r, (v, theta, score, nfev, _) in enumerate(picks):
        atoms = finite_support(pilots[r].dist)
        grid = _geometric_grid(_supported_angle(atoms, u, v, n))
        bottom = _supported_angle(atoms, u, v, n, GROWTH_DRAWS)
        curves = moment_curves(dist, u, v, grid, ((OPP, OPP),), plan)
        sums = curves.sums
        y, thetas, y_groups = _half_split_sup(sums.batch_means[:, 0], grid,
                                              None if sums.group_means is None else sums.group_means[:, :, 0])
        ratios = curves.cross_fitted((OPP, OPP), lambda m: extreme_eigenvector(m, "max")) / grid
        # the reported error through BatchMeans.assess: heavy-tail and qmc-lumpy checks (docs/error-bars.md)
        finals.append((sums.estimate(y, y_groups, side="lower-bound"), thetas, grid,
                       _growth_test(ratios, grid, bottom), sums))
    final, thetas, grid, growth, sums = finals[chosen]
    value = final.value
    values, errors = [f[0].value for f in finals], [f[0].error for f in finals]
    record = search_record(pilots, [pk[3] for pk in picks], values, errors, chosen, picks[chosen][2], value,
                            phi=thetas, pilot_phi=picks[chosen][1],
                            grid=[float(grid[0]), float(grid[-1]), int(grid.size)],
                            region_draws=REGION_DRAWS, growth=growth)
    if not searched:
        record["directions_per_restart"] = len(dirs.vectors)
    warnings = spread_warning("beta", values, errors, "standard-error") if searched else ()
    marks = "; ".join(f"φ={m[0]:.3g}: {m[1]:.4g} ± {m[2]:.2g}" for m in growth["ratio_at_decades"])
    if growth["infinite"]:
        tail = _tail_index(dist, u, picks[chosen][0], n, seed)
        record["tail"] = tail
        if tail["heavy"]:
            warnings += ((f"beta-infinite: L_{{-w*}}(φ)/φ grows like b·ln(1/φ) toward φ → 0, b = {growth['slope']:.3g} "
                         f"± {growth['slope_error']:.2g} (more than {GROWTH_RELATIVE:g} of its level "
                         f"{growth['level']:.3g} per e-fold: t_{growth['dof']} = "
                         f"{growth['excess'] / growth['excess_error']:.2f} > {growth['critical']:.2f}) over "
                         f"φ ∈ [{growth['window'][0]:.3g}, {growth['window'][1]:.3g}]; ratio at each decade: {marks}; "
                         f"the tail index of v·Z is α = {tail['alpha']:.2f} ± {tail['error']:.2g} (≤ 3 not excluded: "
                         "the third moment on w*⊥ that the limit needs diverges). Assumption 2.1 fails for this law."),)
            return Estimate(math.inf, 0.0, "standard-error", sums.method, sums.n, sums.seed, "estimate", sums.dof,
                            final.warnings + warnings, record)
        warnings += ((f"beta-growth: L_{{-w*}}(φ)/φ still grows toward the smallest angle the draws resolve, "
                     f"b = {growth['slope']:.3g} ± {growth['slope_error']:.2g} per e-fold over φ ∈ "
                     f"[{growth['window'][0]:.3g}, {growth['window'][1]:.3g}] (ratio at each decade: {marks}), but the "
                     f"tails are light (α = {tail['alpha']:.2f} ± {tail['error']:.2g} > 3), so the ratio is taken to "
                     "level off below; the sup may lie beyond the value (a lower bound) and a larger n resolves "
                     "smaller angles."),)
    if not growth["tested"]:
        warnings += ((f"beta-growth-untested: n = {n} supports the growth test only down to φ = {growth['window'][0]:.3g}, "
                     "under one decade below π/2: the growth of L_{-w*}(φ)/φ toward φ → 0 was not tested (β may be "
                     "infinite); raise n."),)
    return final.replace(warnings=final.warnings + warnings, search=record)


def _beta_quad(dist, u):
    """β of an axially symmetric law by quadrature: the exact limit at φ → 0
    (:func:`verify.estimators.quadrature.axial_beta_limit`) and the maximum over a geometric grid down to 1e-4.

    For a radial law the ratio decreases in φ (docs/claims.md §6.5), so the sup *is*
    the limit: ``kind="estimate"`` with the limit's rounding bound.  Otherwise the
    larger of the limit and the grid maximum is a ``lower-bound`` of the sup (the
    sup may sit between grid points), with an ``absolute-bound`` error.
    """
    from .quadrature import axial_beta_limit

    limit = axial_beta_limit(dist)
    grid = np.geomspace(1e-4, math.pi / 2, 60)
    v = search_directions(dist, u, None).vectors[0]
    vals = plane_values(dist, u, v, grid, "L_neg", "quad", None)
    ratio = np.array([e.value for e in vals]) / grid
    errs = np.array([e.error for e in vals]) / grid
    i = int(np.argmax(ratio))
    record = {"grid": [float(grid[0]), float(grid[-1]), int(grid.size)], "limit": limit.value,
              "grid_max": float(ratio[i]), "grid_argmax": float(grid[i]), "restarts": 1,
              "directions_per_restart": 1}
    n = vals[0].n
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
      The growth of the ratio toward 0 is tested (:func:`_growth_test`); a law
      whose ratio grows significantly down to the smallest resolvable angle and
      whose tail cannot be shown lighter than index 3 (:func:`_tail_index`, the
      third moment on w*⊥ the limit needs) gets β = ``inf`` with the evidence in
      ``warnings`` ("beta-infinite: …"); growth with light tails gives a
      "beta-growth" warning and a finite ``lower-bound``.  ``search`` holds the budget, the restarts' spread, the gap
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

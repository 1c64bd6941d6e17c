"""The paper's distribution constants: γ(φ), L(φ), L_{−w*}(φ), β, L_cross, μ, γ_avg.

Definitions (docs/claims.md §2–§3), with w(φ, v) = cos φ·u* + sin φ·v, v ⟂ u*:

* γ(φ) = min_v λ_min(M_same(φ, v)),  L(φ) = max_v λ_max(M_same(φ, v))
  (Definition 2.1; Assumption 3.1 for k > 1), M_same = E[Z_S Z_Sᵀ], S = S(w, w*);
* L_{−w*}(φ) = max_{θ ≤ φ} max_v λ_max(M_opp(θ, v)) (Assumption 2.1);
* tight β = sup_{0<φ≤π/2} L_{−w*}(φ)/φ = sup_{0<θ≤π/2} max_v λ_max(M_opp(θ, v))/θ
  (the two sups agree because L_{−w*}(φ)/φ ≤ max_{θ≤φ} λ(θ)/θ);
* L_cross = sup_{0<θ≤π/2} max_v [σ(E Z_S Z_{S'}ᵀ) + σ(E Z_S Z_{S''}ᵀ) + σ(E Z_{S'} Z_{S''}ᵀ)]/θ
  with S' = S(w, −w*), S'' = S(−w, w*) (Assumption 3.2, σ = largest singular value);
* μ = sup_{0<φ≤ρ} max_i P(|θ(Z_i, w*) − π/2| ≤ φ)/φ (p = 2: each signed band separately) and γ_avg(φ) = γ of the law of
  Z_avg = (1/k)Σ Z_i (Theorem 3.3).

How the extremum over directions is taken, and which way the result errs:

* the law is rotationally invariant, or axially symmetric about w*: every v gives
  the same spectrum, one plane is exact;
* p = 2: the direction set is the two points v = ±v₀, both are evaluated: exact;
* otherwise candidates are searched (p = 3: a dense circle plus local refinement;
  p ≥ 4: many random starts plus Powell refinement) and the result is marked
  ``upper-bound`` for a minimum (γ) and ``lower-bound`` for a maximum (L, L_{−w*},
  β, L_cross, μ): the true extremum lies beyond what any search finds.  A sup over
  a φ-grid is likewise a ``lower-bound``.

For sampled methods the search runs on a *pilot* sample and the chosen
(direction, angle) is then estimated on fresh, independent draws, so the
reported standard error is honest (no winner's curse): the estimate is unbiased
for a value on the stated side of the true extremum.

Every searched value (γ, L, L_{−w*} at one angle or along ``curves``, and β) is
searched ``RESTARTS`` times from independent pilots (or candidate sets), each
choice refined locally; the multi-angle path refines exactly like the
single-angle one.  For sampled methods the reported restart is chosen on one
half of the final batches and read on the other (:func:`_half_split_choice`).
The estimate's ``search`` record holds the budget (candidate directions per
restart, refinement evaluations, pilot draws), every restart's value, their
spread and the gap between the pilot's score and the final value; restarts that
disagree beyond their errors add a "search-spread" warning.

β (:func:`beta`) is the sup toward φ → 0: by quadrature, the exact limit of the
ratio (docs/claims.md §6.7); from draws, a geometric grid down to the smallest
angle the sample supports, with a test of the ratio's growth there, so a law
whose ratio grows without bound gets β = ∞ with its evidence ("beta-infinite").
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, stats

from .closed_forms import radial_constants
from .distributions import (
    Distribution,
    DistributionProtocol,
    Empirical,
    exact_kind,
    finite_support,
    rotational_scale,
    symmetric_about,
)
from .geometry import angle, basis_vector, orthonormal_complement
from .moments import check_method, exact_second_moment, moment_curves, region_intervals
from .results import Estimate
from .sampling import SamplingPlan
from .validation import InvalidArgument, check_angle, check_angles, check_count, check_seed, check_vector

__all__ = [
    "QUANTITIES",
    "gamma",
    "L",
    "L_neg",
    "beta",
    "L_cross",
    "mu",
    "gamma_avg",
    "exact_mu",
    "curves",
    "AveragedPatches",
    "plane_values",
    "sampling_plans",
    "search_directions",
]

QUANTITIES = ("gamma", "L", "L_neg", "beta", "L_cross")
SAME, OPP, FLIP = "same", "opposite", "flipped"
CROSS_PAIRS = ((SAME, OPP), (SAME, FLIP), (OPP, FLIP))
#: θ-grid on (0, π/2] for the sups defining β and L_cross: geometric, since the
#: ratio's sup sits at small θ for smooth laws.
SUP_GRID = np.geomspace(0.02, math.pi / 2, 40)
PILOT_DRAWS = 20_000
#: independent pilot samples (sampled methods) or candidate sets (deterministic) of every search
RESTARTS = 2
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
#: at most this many coordinate directions ±e_i (projected on u*⊥) among the p ≥ 4 candidates
COORDINATE_DIRECTIONS = 32


#: γ, L, L_{−w*}, β, L_cross of a radial law in closed form; one home: verify.closed_forms.radial_constants


# ---------------------------------------------------------------------------
# Directions
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Directions:
    vectors: tuple  # unit vectors ⟂ u*
    exact: bool     # the candidates realise every extremum over the direction set




def _unit_rows(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Rows of x projected on u⊥ and normalised (rows that vanish are dropped)."""
    x = x - np.outer(x @ u, u)
    norms = np.linalg.norm(x, axis=1)
    keep = norms > 1e-12
    return x[keep] / norms[keep, None]


def search_directions(dist, u, seed, restart: int = 0) -> _Directions:
    """Candidate directions v ⟂ u* (docs/claims.md §2: w = cos φ·u* + sin φ·v).

    ``restart`` r gives an independent candidate set (p = 3: the circle turned by
    r/(R+1) of a step; p ≥ 4: fresh random directions).  Memory is
    O(#directions·p): p ≥ 4 uses 48 Gaussian directions and ±e_i for at most
    ``COORDINATE_DIRECTIONS`` coordinates (those least aligned with u*), each
    projected on u*⊥, never a (p − 1) × (p − 1) basis.
    """
    if dist.p <= 3 or symmetric_about(dist, u):
        if dist.p <= 3:
            basis = orthonormal_complement(u)
        else:
            j = int(np.argmin(np.abs(u)))
            basis = _unit_rows(basis_vector(dist.p, j)[None], u)
    if symmetric_about(dist, u):
        return _Directions((basis[0],), True)
    if dist.p == 2:
        return _Directions((basis[0], -basis[0]), True)
    if dist.p == 3:
        t = np.linspace(0, 2 * math.pi, 72, endpoint=False) + (2 * math.pi / 72) * restart / RESTARTS
        return _Directions(tuple(np.cos(a) * basis[0] + np.sin(a) * basis[1] for a in t), False)
    key = [0 if seed is None else seed, 7] + ([restart] if restart else [])
    rng = np.random.default_rng(np.random.SeedSequence(key))
    vectors = [_unit_rows(rng.standard_normal((48, dist.p)), u)]
    coords = np.argsort(np.abs(u), kind="stable")[:COORDINATE_DIRECTIONS]
    axes = np.zeros((coords.size, dist.p))
    axes[np.arange(coords.size), coords] = 1.0
    axes = _unit_rows(axes, u)
    vectors += [axes, -axes]
    return _Directions(tuple(np.vstack(vectors)), False)


# ---------------------------------------------------------------------------
# Per-plane evaluation: one object per method with a common interface
# ---------------------------------------------------------------------------

class _DeterministicCurves:
    """Moments from closed forms or quadrature at each grid φ, same interface as MomentCurves."""

    def __init__(self, dist, u, v, phis, method, regions=(SAME, OPP)):
        from .quadrature import axial_second_moment

        self.method = method
        self.values, self.errors = {}, {}
        self.error_kind = "exact" if method == "exact" else "absolute-bound"
        self.n = None
        self.phis = phis
        for region, sign in ((SAME, 1), (OPP, -1)):
            if region not in regions:
                continue
            vals, errs = [], []
            for phi in phis:
                w = math.cos(phi) * u + math.sin(phi) * v
                if method == "exact":
                    m = exact_second_moment(dist, w, sign * u)
                    vals.append(m)
                    errs.append(np.abs(m) * 8 * np.finfo(float).eps)
                else:
                    est = axial_second_moment(dist, w, sign * u)
                    vals.append(est.value)
                    errs.append(est.error)
                    self.n = est.n
            self.values[(region, region)] = np.array(vals)
            self.errors[(region, region)] = np.array(errs)

    def _estimates(self, values, matrices_error):
        # Weyl: eigen- and singular values move by at most ‖E‖₂ ≤ ‖E‖_F.
        bound = np.linalg.norm(matrices_error, axis=(-2, -1))
        kind = "exact" if self.method == "exact" else "estimate"
        return [Estimate(x, e, self.error_kind, self.method, self.n, None, kind) for x, e in zip(values, bound)]

    def extreme_eigenvalue(self, pair, which):
        vals = np.linalg.eigvalsh(self.values[tuple(pair)])
        return self._estimates(vals[:, 0] if which == "min" else vals[:, -1], self.errors[tuple(pair)])

    def singular_value_sum(self, pairs):
        # k = 1 only (quadrature and the closed forms are one-patch): distinct regions are
        # disjoint up to a null set, so every cross moment vanishes.
        g = len(self.phis)
        return [Estimate(0.0, 0.0, self.error_kind, self.method, self.n, None,
                         "exact" if self.method == "exact" else "estimate") for _ in range(g)]


def _pairs_for(quantity):
    return {"gamma": ((SAME, SAME),), "L": ((SAME, SAME),), "L_neg": ((OPP, OPP),), "cross": CROSS_PAIRS}[quantity]


def plane_values(dist: DistributionProtocol, u: np.ndarray, v: np.ndarray, phis: np.ndarray, quantity: str,
                 method: str, plan: SamplingPlan | None, cache: dict | None = None) -> list[Estimate]:
    """The pointwise objective at each φ in the plane of u and v: λ_min / λ_max / Σσ, one pass.

    ``quantity`` is "gamma", "L", "L_neg" or "cross"; w(φ) = cos φ·u + sin φ·v
    (docs/claims.md §2); ``plan`` from :func:`sampling_plans`.

    ``cache`` (a dict, for calls that share dist, u, v, phis, method and plan) keeps the
    moments by the pairs they hold, so γ and L (both of A_{w,w*}) come from one pass.
    """
    deterministic = method in ("quad",) or (method == "exact" and exact_kind(dist) in ("rotational",
                                                                                            "degenerate"))
    key = (deterministic, _pairs_for(quantity))
    curves = None if cache is None else cache.get(key)
    if curves is None and deterministic:
        regions = {r for pair in _pairs_for(quantity) for r in pair} & {SAME, OPP}
        curves = _DeterministicCurves(dist, u, v, phis, method, regions)
    elif curves is None:
        curves = moment_curves(dist, u, v, phis, _pairs_for(quantity), plan)
    if cache is not None:
        cache[key] = curves
    if quantity == "gamma":
        return curves.extreme_eigenvalue((SAME, SAME), "min")
    if quantity == "L":
        return curves.extreme_eigenvalue((SAME, SAME), "max")
    if quantity == "L_neg":
        return curves.extreme_eigenvalue((OPP, OPP), "max")
    return curves.singular_value_sum(CROSS_PAIRS)  # cross-fitted for sampled sums (MomentCurves)


# ---------------------------------------------------------------------------
# The optimisation over (direction, angle), with pilot selection for sampled methods
# ---------------------------------------------------------------------------

def sampling_plans(method: str, n: int, seed: int | None) -> tuple[SamplingPlan | None, SamplingPlan | None]:
    """(pilot plan, final plan) — independent streams for sampled methods (the same plan for exact/quad)."""
    return _pilot_plan(method, n, seed, 0), _final_plan(method, n, seed)


def _final_plan(method, n, seed):
    if method in ("exact", "quad"):
        return SamplingPlan("exact", 1, None) if method == "exact" else None
    return SamplingPlan(method, n, 0 if seed is None else seed)


def _pilot_plan(method, n, seed, restart):
    """The pilot plan of search restart ``restart``: its own stream, independent of the final draws."""
    if method in ("exact", "quad"):
        return _final_plan(method, n, seed)
    seed = 0 if seed is None else seed
    key = [seed, 1] + ([restart] if restart else [])
    return SamplingPlan(method, min(n, PILOT_DRAWS), int(np.random.SeedSequence(key).generate_state(1)[0]))


def _pilot_dist(dist, method, plan):
    """For sampled methods, the pilot draws as a finite law (scored exactly, cheaply)."""
    if method not in ("mc", "qmc"):
        return dist, method, plan
    rng = np.random.default_rng(plan.seed)
    return Empirical(dist.sample(plan.n, rng)), "exact", SamplingPlan("exact", 1, None)


@dataclass
class _Pilot:
    """One restart of a search: its candidates and its (pilot) law, scored exactly or by quadrature."""
    dirs: _Directions
    dist: object
    method: str
    plan: object
    draws: int | None


def _pilots(dist, u, method, n, seed, restarts):
    out = []
    for r in range(restarts):
        pdist, pmethod, pplan = _pilot_dist(dist, method, _pilot_plan(method, n, seed, r))
        draws = min(n, PILOT_DRAWS) if method in ("mc", "qmc") else None
        out.append(_Pilot(search_directions(dist, u, seed, r), pdist, pmethod, pplan, draws))
    return out


def _search_record(pilots, refinements, values, errors, chosen, pilot_value, final_value, **extra):
    """The ``search`` dict of a searched estimate (JSON-serialisable)."""
    spread = float(np.max(values) - np.min(values)) if len(values) > 1 else 0.0
    return {"restarts": len(pilots), "directions_per_restart": len(pilots[0].dirs.vectors),
            "refinement_evaluations": [int(x) for x in refinements],
            "pilot_draws": pilots[0].draws, "values": [float(x) for x in values],
            "errors": [float(x) for x in errors], "spread": spread, "chosen_restart": int(chosen),
            "pilot_value": float(pilot_value), "gap": float(pilot_value - final_value), **extra}


def _spread_warning(name, values, errors, error_kind):
    """A warning when the restarts of a search disagree beyond their errors (a search gap)."""
    if len(values) < 2:
        return ()
    spread = float(np.max(values) - np.min(values))
    scale = 3 * math.sqrt(float(np.sum(np.square(errors)))) if error_kind == "standard-error" else \
        float(np.sum(errors)) + 1e-9 * max(abs(float(np.max(values))), 1e-300)
    if spread > scale:
        return (f"search-spread: {name}: the {len(values)} search restarts disagree by {spread:.3g} (values "
                + ", ".join(f"{v:.6g}" for v in values) + f"; allowed {scale:.2g}): the searched extremum may be "
                "far from the true one",)
    return ()


def _extremize(dist, u, targets, candidates, quantity, maximize, method, n, seed, refine=False):
    """For each target, the best (v, θ) of the search and its estimate.

    targets : list of arrays of θ's; the target's value is the extremum over its θ's
    (one θ for γ, L; a sub-grid [0, φ] for L_{−w*}).
    Returns a list of (Estimate, v, θ).

    When ``candidates`` is not exact the search runs ``RESTARTS`` times, each on its
    own pilot sample (sampled methods) or candidate set (deterministic), each
    choice refined when ``refine``.  The restart whose choice scores best on the
    *other* restarts' pilots is reported (so the final draws never choose); every
    restart's choice is estimated on the final draws, and the ``search`` record of
    the estimate carries the budget, the spread between restarts and the gap
    between the pilot's score and the final estimate.
    """
    sign = -1.0 if maximize else 1.0
    thetas = np.unique(np.concatenate(targets))
    restarts = 1 if candidates.exact else RESTARTS
    pilots = _pilots(dist, u, method, n, seed, restarts)
    pilots[0].dirs = candidates
    per_restart, budgets = [], []
    for pl in pilots:
        pilot = [plane_values(pl.dist, u, v, thetas, quantity, pl.method, pl.plan) for v in pl.dirs.vectors]
        scores = np.array([[sign * e.value for e in row] for row in pilot])  # (V, Θ)
        choices, spent = [], 0
        for target in targets:
            cols = np.searchsorted(thetas, target)
            sub = scores[:, cols]
            iv, it = np.unravel_index(np.argmin(sub), sub.shape)
            v, theta, score = pl.dirs.vectors[iv], float(target[it]), float(sub[iv, it])
            est = pilot[iv][cols[it]]
            if refine and not pl.dirs.exact:
                v, score, nfev = _refine_direction(pl.dist, u, v, theta, quantity, sign, pl.method, pl.plan)
                spent += nfev
                est = None
            choices.append([v, theta, score, est])
        per_restart.append(choices)
        budgets.append(spent)
    final_plan = _final_plan(method, n, seed)
    out = []
    for t, target in enumerate(targets):
        options = [per_restart[r][t] for r in range(restarts)]
        if restarts > 1:  # cross-scored: each choice on the other restarts' pilots
            cross = []
            for r, (v, theta, _, _) in enumerate(options):
                others = [pl for q, pl in enumerate(pilots) if q != r]
                cross.append(np.mean([sign * plane_values(pl.dist, u, v, np.array([theta]), quantity, pl.method,
                                                          pl.plan)[0].value for pl in others]))
            chosen = int(np.argmin(cross))
        else:
            chosen = 0
        finals = []
        if method in ("mc", "qmc") and restarts > 1:
            best, finals, chosen = _half_split_choice(dist, u, options, quantity, sign, final_plan)
        else:
            for v, theta, _, est in options:
                if method in ("mc", "qmc") or est is None:
                    finals.append(plane_values(dist, u, v, np.array([theta]), quantity, method, final_plan)[0])
                else:
                    finals.append(est)
            if method not in ("mc", "qmc") and restarts > 1:  # deterministic: the best restart is a valid extremum
                chosen = int(np.argmin([sign * f.value for f in finals]))
            best = finals[chosen]
        if not candidates.exact:
            values, errors = [f.value for f in finals], [f.error for f in finals]
            record = _search_record(pilots, budgets, values, errors, chosen, sign * options[chosen][2], best.value,
                                    phi=float(options[chosen][1]))
            best = best.replace(search=record, warnings=best.warnings + _spread_warning(
                quantity, values, errors, best.error_kind))
        out.append((best, options[chosen][0], options[chosen][1]))
    return out


def _half_split_choice(dist, u, options, quantity, sign, plan):
    """The restarts' choices estimated on the final draws, and the reported one chosen without winner's curse.

    Each restart's (v, θ) is read on every batch (eigenvectors cross-fitted between the
    halves, :meth:`MomentCurves.cross_fitted`); the batches of one half are then read at the
    restart that is best on the *other* half, so the choice between restarts uses all n
    draws while no batch estimates a choice made on itself.  Returns (estimate, the
    restarts' own estimates, the restart chosen by the first half).
    """
    pair = {"gamma": (SAME, SAME), "L": (SAME, SAME), "L_neg": (OPP, OPP)}[quantity]
    column = 0 if quantity == "gamma" else -1

    def eigenvector(m):
        vec = np.linalg.eigh((m + np.swapaxes(m, -1, -2)) / 2)[1][..., :, column]
        return vec, vec

    values, sums = [], None
    for v, theta, _, _ in options:
        curves = moment_curves(dist, u, v, np.array([theta]), (pair,), plan)
        values.append(curves.cross_fitted(pair, eigenvector)[:, 0])
        sums = curves.sums
    values = np.array(values)  # (R, B)
    side = "upper-bound" if quantity == "gamma" else "lower-bound"
    odd = np.arange(values.shape[1]) % 2 == 1
    y, picks = np.empty(values.shape[1]), []
    for mine in (odd, ~odd):
        r = int(np.argmin(sign * values[:, ~mine].mean(axis=1)))
        y[mine] = values[r, mine]
        picks.append(r)
    def se(x):
        return float(np.std(x, ddof=1) / math.sqrt(x.size))

    own = [Estimate(float(x.mean()), se(x), "standard-error", sums.method, sums.n, sums.seed, side, sums.dof)
           for x in values]
    best = Estimate(float(y.mean()), se(y), "standard-error", sums.method, sums.n, sums.seed, side, sums.dof)
    return best, own, picks[1]


def _refine_direction(dist, u, v, theta, quantity, sign, method, plan):
    """Local refinement of a direction on the (deterministic) pilot objective: (v, signed score, evaluations).

    p = 3: a bounded scalar search on the circle of u*⊥ around v; p ≥ 4: Powell in the
    ambient coordinates c ∈ R^p, read as the direction of c − (c·u*)u* (O(p) memory,
    no basis of u*⊥).
    """
    count = [0]

    def score(vv):
        count[0] += 1
        return sign * plane_values(dist, u, vv, np.array([theta]), quantity, method, plan)[0].value

    def direction(c):
        c = c - (c @ u) * u
        nv = np.linalg.norm(c)
        return None if nv == 0 else c / nv

    def objective(c):
        vv = direction(c)
        return np.inf if vv is None else score(vv)

    start = score(v)
    if dist.p == 3:
        basis = orthonormal_complement(u)
        coords = basis @ v
        a0 = math.atan2(coords[1], coords[0])
        step = 2 * math.pi / 72
        res = optimize.minimize_scalar(lambda a: score(math.cos(a) * basis[0] + math.sin(a) * basis[1]),
                                       bounds=(a0 - step, a0 + step), method="bounded",
                                       options={"xatol": 1e-6, "maxiter": 60})
        best = math.cos(res.x) * basis[0] + math.sin(res.x) * basis[1]
        value = float(res.fun)
    else:
        res = optimize.minimize(objective, np.asarray(v, float), method="Powell",
                                options={"maxfev": 400, "xtol": 1e-5})
        best, value = direction(res.x), float(res.fun)
    if best is None or not value < start:
        return np.asarray(v, float), start, count[0]
    return best / np.linalg.norm(best), value, count[0]


# ---------------------------------------------------------------------------
# Public quantities
# ---------------------------------------------------------------------------

def _setup(dist, w_star, method, n, seed):
    if method not in ("exact", "quad", "mc", "qmc"):
        raise InvalidArgument("method", f"must be exact, quad, mc or qmc, got {method!r}")
    check_seed(seed)
    if method in ("mc", "qmc"):
        check_count(n, "n", minimum=2)
    if w_star is None:
        w_star = getattr(dist, "axis", None)
        if w_star is None:
            w_star = basis_vector(dist.p)
    w_star = check_vector(w_star, "w_star", p=dist.p)
    u = w_star / np.linalg.norm(w_star)
    check_method(dist, method)
    if method == "quad" and not symmetric_about(dist, u):
        raise InvalidArgument("w_star", "quad needs w* along the distribution's symmetry axis")
    if method == "exact" and exact_kind(dist) in ("rotational", "degenerate") and dist.k != 1:
        raise InvalidArgument("method", "exact closed forms are for one patch (k = 1)")
    return u


def _kind_for(base: Estimate, bound_side: str | None) -> Estimate:
    if bound_side is None:
        return base
    return base.replace(kind=bound_side)


def curves(dist: DistributionProtocol, phis: ArrayLike, quantities: Sequence[str] = ("gamma", "L", "L_neg"), *,
           method: str = "mc", n: int = 100_000, seed: int | None = 0,
           w_star: ArrayLike | None = None) -> dict[str, list[Estimate]]:
    """γ(φ), L(φ) and/or L_{−w*}(φ) at every φ of a grid.

    Parameters
    ----------
    dist : distribution
    phis : array_like (G,)
        Angles in [0, π] (radians).
    quantities : subset of ("gamma", "L", "L_neg")
    method : {"exact", "quad", "mc", "qmc"}
    n : int
        Draws for sampled methods.
    seed : int
    w_star : ndarray (p,), optional
        Teacher direction; the law's axis (e_1) by default.

    Returns
    -------
    dict quantity → list of G :class:`Estimate`.

    Notes
    -----
    In an exact direction set (see module doc) each quantity's whole curve
    comes from one pass over the draws.  L_{−w*}(φ) is the maximum over
    θ ≤ φ: exact at θ = φ for radial laws (where it is increasing), otherwise the
    maximum over the grid points ≤ φ (a ``lower-bound``).
    """
    phis = check_angles(phis)
    u = _setup(dist, w_star, method, n, seed)
    dirs = search_directions(dist, u, seed)
    out, cache = {}, {}
    for q in quantities:
        if q not in ("gamma", "L", "L_neg"):
            raise InvalidArgument("quantity", f"curves are for gamma, L, L_neg, got {q!r}")
        out[q] = _curve(dist, u, dirs, phis, q, method, n, seed, cache)
    return out


def _curve(dist, u, dirs, phis, q, method, n, seed, cache=None):
    rotational = getattr(dist, "symmetry", None) == "rotational" and dist.k == 1
    running_max = q == "L_neg" and not rotational
    if dirs.exact and len(dirs.vectors) == 1 and not running_max:
        _, plan = sampling_plans(method, n, seed)
        return plane_values(dist, u, dirs.vectors[0], phis, q, method, plan, cache)
    targets = [phis[phis <= phi] if running_max else np.array([phi]) for phi in phis]
    side = _searched_side(q, dirs, method)
    # refined like the single-angle path (:func:`_point`), so the two agree within their errors
    found = _extremize(dist, u, targets, dirs, q, q != "gamma", method, n, seed, refine=not dirs.exact)
    return [_kind_for(e, side) for e, _, _ in found]


def _searched_side(q, dirs, method):
    """The side of the truth of a value extremized over ``dirs``: none when every direction was
    evaluated deterministically (p = 2: both of ±v₀), else the side of a searched min / max."""
    if dirs.exact and method not in ("mc", "qmc"):
        return None
    return "upper-bound" if q == "gamma" else "lower-bound"


def _point(dist, phi, q, method, n, seed, w_star):
    phi = check_angle(phi)
    u = _setup(dist, w_star, method, n, seed)
    dirs = search_directions(dist, u, seed)
    rotational = getattr(dist, "symmetry", None) == "rotational" and dist.k == 1
    if q == "L_neg" and not rotational:
        target = np.linspace(0.0, phi, 33)
        found = _extremize(dist, u, [target], dirs, q, True, method, n, seed, refine=len(dirs.vectors) > 2)
        return _kind_for(found[0][0], "lower-bound")
    if dirs.exact and len(dirs.vectors) == 1:
        _, plan = sampling_plans(method, n, seed)
        return plane_values(dist, u, dirs.vectors[0], np.array([phi]), q, method, plan)[0]
    found = _extremize(dist, u, [np.array([phi])], dirs, q, q != "gamma", method, n, seed, refine=True)
    return _kind_for(found[0][0], _searched_side(q, dirs, method))


def gamma(dist: DistributionProtocol, phi: float, *, method: str = "mc", n: int = 100_000,
          seed: int | None = 0, w_star: ArrayLike | None = None) -> Estimate:
    """γ(φ) = min over θ(w, w*) = φ of λ_min(E[Z_S Z_Sᵀ]) (docs/claims.md §2, Definition 2.1; §3, Assumption 3.1).

    Parameters as in :func:`curves`; φ in radians.  ``kind`` is ``upper-bound``
    when the direction set was searched (module doc).
    """
    return _point(dist, phi, "gamma", method, n, seed, w_star)


def L(dist: DistributionProtocol, phi: float, *, method: str = "mc", n: int = 100_000,
          seed: int | None = 0, w_star: ArrayLike | None = None) -> Estimate:  # noqa: N802 - the paper's name
    """L(φ) = max over θ(w, w*) = φ of λ_max(E[Z_S Z_Sᵀ]) (docs/claims.md §2, Definition 2.1)."""
    return _point(dist, phi, "L", method, n, seed, w_star)


def L_neg(dist: DistributionProtocol, phi: float, *, method: str = "mc", n: int = 100_000,
          seed: int | None = 0, w_star: ArrayLike | None = None) -> Estimate:  # noqa: N802
    """L_{−w*}(φ) = max over θ(w, w*) ≤ φ of λ_max(A_{w,−w*}) (docs/claims.md §2, Assumption 2.1)."""
    return _point(dist, phi, "L_neg", method, n, seed, w_star)


def _sup_over_theta(dist, q, method, n, seed, w_star, grid):
    """sup_θ max_v objective(θ, v)/θ over ``grid`` ⊂ (0, π/2]: a lower bound on the sup."""
    u = _setup(dist, w_star, method, n, seed)
    dirs = search_directions(dist, u, seed)
    grid = check_angles(grid, name="grid")
    if np.any(grid <= 0):
        raise InvalidArgument("grid", "must lie in (0, π/2]")
    pilot_plan, final_plan = sampling_plans(method, n, seed)
    pdist, pmethod, pplan = _pilot_dist(dist, method, pilot_plan)
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
    φ = (ψ mod 2π) − π/2 (:func:`verify.moments.region_intervals`), so the pilot's
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


def _top_eigenvector(m):
    sym = (m + np.swapaxes(m, -1, -2)) / 2
    vec = np.linalg.eigh(sym)[1][..., :, -1]
    return vec, vec


def _half_split_sup(batches: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Batch values of λ_max(M(θ))/θ at the sup's θ, each batch read at the θ and eigenvector chosen on
    the *other* half of the batches (there θ maximizes the ratio less one standard error, so a noisy
    small angle is not preferred to a precise one that is as large) (so neither the angle nor the direction is chosen on the draws
    that estimate it: an honest ``lower-bound`` of the sup).  Returns (B values, the two θ's)."""
    odd = np.arange(batches.shape[0]) % 2 == 1
    y, chosen = np.empty(batches.shape[0]), []
    for mine in (odd, ~odd):
        other = batches[~mine].mean(axis=0)
        vals, vecs = np.linalg.eigh((other + np.swapaxes(other, -1, -2)) / 2)
        top = vecs[..., :, -1]
        spread = np.einsum("gp,bgpq,gq->bg", top, batches[~mine], top).std(axis=0, ddof=1) / math.sqrt((~mine).sum())
        j = int(np.argmax((vals[:, -1] - spread) / grid))  # the best lower confidence bound: a precise choice
        e = vecs[j, :, -1]
        y[mine] = np.einsum("p,bpq,q->b", e, batches[mine][:, j], e) / grid[j]
        chosen.append(float(grid[j]))
    return y, chosen


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
    se_at = np.std(ratios, axis=0, ddof=1) / math.sqrt(B)
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
    slope, se = float(slopes.mean()), float(np.std(slopes, ddof=1) / math.sqrt(B))
    ex, ex_se = float(excess.mean()), float(np.std(excess, ddof=1) / math.sqrt(B))
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
    t = np.sort((z @ v)[(z @ u <= 0) & (z @ v > 0)])[::-1]
    k = max(30, int(TAIL_FRACTION * t.size))
    if t.size <= k + 1 or t[k] <= 0:
        return {"alpha": math.nan, "error": math.nan, "k": int(k), "heavy": False}
    alpha = 1.0 / float(np.mean(np.log(t[:k] / t[k])))
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
        v, neg, nfev = _refine_direction(pl.dist, u, v, theta, "L_neg", -1.0, pl.method, pl.plan)
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
    pilots = _pilots(dist, u, method, n, seed, RESTARTS if searched else 1)
    pilots[0].dirs = dirs
    picks = [_beta_pilot_choice(pl, u, searched) for pl in pilots]
    if len(picks) > 1:  # choose on the other pilots' evidence, never on the final draws
        cross = [np.mean([_pilot_sup(pilots[q], u, pick[0], picks[q][4]) for q in range(len(picks)) if q != r])
                 for r, pick in enumerate(picks)]
        chosen = int(np.argmax(cross))
    else:
        chosen = 0
    plan = _final_plan(method, n, seed)
    finals = []
    for r, (v, theta, score, nfev, _) in enumerate(picks):
        atoms = finite_support(pilots[r].dist)
        grid = _geometric_grid(_supported_angle(atoms, u, v, n))
        bottom = _supported_angle(atoms, u, v, n, GROWTH_DRAWS)
        curves = moment_curves(dist, u, v, grid, ((OPP, OPP),), plan)
        batches = curves.sums.batch_means[:, 0]
        y, thetas = _half_split_sup(batches, grid)
        ratios = curves.cross_fitted((OPP, OPP), _top_eigenvector) / grid
        finals.append((float(y.mean()), float(np.std(y, ddof=1) / math.sqrt(y.size)), thetas, grid,
                       _growth_test(ratios, grid, bottom), curves.sums))
    value, se, thetas, grid, growth, sums = finals[chosen]
    values, errors = [f[0] for f in finals], [f[1] for f in finals]
    record = _search_record(pilots, [pk[3] for pk in picks], values, errors, chosen, picks[chosen][2], value,
                            phi=thetas, pilot_phi=picks[chosen][1],
                            grid=[float(grid[0]), float(grid[-1]), int(grid.size)],
                            region_draws=REGION_DRAWS, growth=growth)
    if not searched:
        record["directions_per_restart"] = len(dirs.vectors)
    warnings = _spread_warning("beta", values, errors, "standard-error") if searched else ()
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
                            warnings, record)
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
    return Estimate(value, se, "standard-error", sums.method, sums.n, sums.seed, "lower-bound", sums.dof,
                    warnings, record)


def _beta_quad(dist, u):
    """β of an axially symmetric law by quadrature: the exact limit at φ → 0
    (:func:`verify.quadrature.axial_beta_limit`) and the maximum over a geometric grid down to 1e-4.

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
      (:func:`verify.quadrature.axial_beta_limit`; s/π for a radial law, where it is
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
    * an explicit ``grid`` (or ``exact`` on a finite law): the sup over that grid
      (``SUP_GRID`` by default), a ``lower-bound``.
    """
    if method == "exact" and exact_kind(dist) == "rotational" and dist.k == 1:
        _setup(dist, w_star, method, n, seed)
        value = radial_constants(0.0, rotational_scale(dist))["beta"]
        return Estimate(value, value * 4 * np.finfo(float).eps, "exact", "exact", kind="exact")
    if grid is not None or method == "exact":
        return _sup_over_theta(dist, "L_neg", method, n, seed, w_star, SUP_GRID if grid is None else grid)[0]
    u = _setup(dist, w_star, method, n, seed)
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
        _setup(dist, w_star, method, n, seed)
        return Estimate(0.0, 0.0, "exact" if method == "exact" else "absolute-bound", method, kind="exact")
    return _sup_over_theta(dist, "cross", method, n, seed, w_star, grid)[0]


class AveragedPatches(Distribution):
    """The one-patch law of Z_avg = (1/k)Σ_i Z_i, for γ_avg of Theorem 3.3."""

    name = "averaged-patches"

    def __init__(self, dist):
        super().__init__(dist.p, 1)
        self.base = dist
        self.axis = getattr(dist, "axis", self.axis)
        self.symmetry = getattr(dist, "symmetry", None)
        self.uniform_dimension = getattr(dist, "uniform_dimension", None)

    def sample(self, n, rng):
        return self.base.sample(n, rng).mean(axis=1, keepdims=True)

    def from_uniform(self, u):
        return self.base.from_uniform(u).mean(axis=1, keepdims=True)

    def support(self):
        atoms = self.base.support() if hasattr(self.base, "support") else None
        return None if atoms is None else atoms.mean(axis=1, keepdims=True)


def gamma_avg(dist: DistributionProtocol, phi: float, *, method: str = "mc", n: int = 100_000,
              seed: int | None = 0, w_star: ArrayLike | None = None) -> Estimate:
    """γ_avg(φ) = min over θ(w, w*) = φ of λ_min(E[Z_avg Z_avgᵀ 1{w·Z_avg ≥ 0, w*·Z_avg ≥ 0}]) (Theorem 3.3;
    docs/claims.md §4, claim 15): :func:`gamma` of the law of Z_avg = (1/k)Σ Z_i (:class:`AveragedPatches`).

    For a finite law in p = 2 with ``method="exact"`` both directions v = ±v₀ are
    evaluated by exact sums, so the value is exact (the thm33 check's γ_avg).

    Examples
    --------
    >>> from verify.distributions import Empirical
    >>> atoms = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])  # Z_avg = (½, ½) twice
    >>> gamma_avg(Empirical(atoms), 0.3, method="exact").value
    0.0
    """
    return gamma(AveragedPatches(dist), phi, method=method, n=n, seed=seed, w_star=w_star)


def _band_distances(z: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Distances of each patch's angle to w* from the band centres, shape (B, ..., k).

    p = 2: the signed angle ψ = atan2(z·v₀, z·u) (v₀ = u rotated by +π/2) and the two bands
    [π/2 − φ, π/2 + φ] and −[π/2 − φ, π/2 + φ] of Theorem 3.3 separately (B = 2): |ψ ∓ π/2|.
    p ≥ 3: the unsigned angle θ(Z_i, w*) by atan2, one band (B = 1): |θ − π/2|.
    """
    if z.shape[-1] == 2:
        v0 = np.array([-u[1], u[0]])
        psi = np.arctan2(z @ v0, z @ u)
        return np.stack([np.abs(psi - math.pi / 2), np.abs(psi + math.pi / 2)])
    return np.abs(np.asarray(angle(z, u)) - math.pi / 2)[None]


def _band_statistic(u, grid):
    def statistic(z):
        dev = _band_distances(z, u)  # (B, m, k)
        return (dev[..., None] <= grid).sum(axis=1).reshape(-1, grid.shape[0]).astype(float)  # (B·k, G)
    return statistic


def exact_mu(atoms: np.ndarray, u: np.ndarray, rho: float) -> float:
    """The smallest μ of Theorem 3.3 for the uniform law on ``atoms`` (m, k, p), exactly (docs/claims.md §4, claim 15).

    μ = sup_{0<φ≤ρ} max_{band, i} P[band_i(φ)]/φ with P[band_i(φ)] = #{j : d_ji ≤ φ}/m,
    d_ji the distance of patch i of atom j from the band centre (:func:`_band_distances`;
    p = 2 bounds the two bands separately).  P is a right-continuous step function of
    φ, so the ratio peaks at the atoms' own distances d ≤ ρ: μ = max F(d)/d, and
    ``inf`` when some d = 0 (a patch on w*⊥).

    Examples
    --------
    >>> atoms = np.array([[[0.0, 1.0]], [[1.0, 0.0]]])  # one patch on w*⊥
    >>> exact_mu(atoms, np.array([1.0, 0.0]), 0.2)
    inf
    """
    atoms = np.asarray(atoms, dtype=float)
    u = np.asarray(u, dtype=float) / np.linalg.norm(u)
    m = atoms.shape[0]
    dist = _band_distances(atoms, u)  # (B, m, k)
    columns = np.sort(np.moveaxis(dist, 1, -1).reshape(-1, m), axis=1)  # (B·k, m), each sorted
    best = 0.0
    for d in columns:  # B·k ≤ 2k columns
        d = d[d <= rho]
        if d.size == 0:
            continue
        if d[0] == 0:
            return math.inf
        counts = np.searchsorted(d, d, side="right") / m
        best = max(best, float(np.max(counts / d)))
    return best


def mu(dist: DistributionProtocol, rho: float, *, method: str = "mc", n: int = 100_000, seed: int | None = 0,
       w_star: ArrayLike | None = None, grid_size: int = 40) -> Estimate:
    """μ = sup_{0<φ≤ρ} max_i P(band_i(φ))/φ of Theorem 3.3 (docs/claims.md §4, claim 15).

    The band is θ(Z_i, w*) ∈ [π/2 − φ, π/2 + φ]; in p = 2, where the angle is
    signed, the two bands ±[π/2 − φ, π/2 + φ] are bounded separately (the
    theorem's two hypotheses).

    * A finite law (``support()`` not None), whatever ``method``: the exact
      value by enumerating the atoms' distances (:func:`exact_mu`, the
      definition the claim checker uses), ``kind`` "exact".
    * Otherwise: the sup over a geometric grid of ``grid_size`` angles in
      (0, ρ], the argmax chosen on a pilot sample and re-estimated on fresh
      draws (a Bernoulli mean with a batch-means standard error), a
      ``lower-bound``.

    Examples
    --------
    >>> from verify.distributions import Empirical
    >>> atoms = np.array([[np.cos(a), np.sin(a)] for a in (1.5, 0.3, -1.4)])
    >>> round(mu(Empirical(atoms), 0.2).value, 6)  # P = 1/3 at φ = π/2 − 1.5
    4.708342
    """
    from .sampling import reduce_in_batches

    rho = check_angle(rho, "rho", upper=math.pi / 2)
    if rho <= 0:
        raise InvalidArgument("rho", "must be > 0")
    atoms = finite_support(dist)
    if atoms is not None:
        u = _setup(dist, w_star, "exact", n, seed)
        value = exact_mu(atoms, u, rho)
        return Estimate(value, 8 * np.finfo(float).eps * value if math.isfinite(value) else 0.0,
                        "exact", "exact", int(atoms.shape[0]), None, "exact")
    u = _setup(dist, w_star, method if method != "quad" else "mc", n, seed)
    grid = np.geomspace(rho / 100, rho, grid_size)
    pilot_plan, final_plan = sampling_plans(method, n, seed)
    if method in ("mc", "qmc"):
        pilot = reduce_in_batches(dist, _band_statistic(u, grid), pilot_plan)
    else:
        pilot = reduce_in_batches(dist, _band_statistic(u, grid), SamplingPlan("exact", 1, None))
    ratio = pilot.mean / grid
    i, g = np.unravel_index(np.argmax(ratio), ratio.shape)
    point = grid[g:g + 1]
    sums = pilot if method not in ("mc", "qmc") else reduce_in_batches(dist, _band_statistic(u, point), final_plan)
    col = g if method not in ("mc", "qmc") else 0
    value = sums.mean[i, col] / grid[g]
    if sums.method == "exact":
        return Estimate(value, 0.0, "exact", "exact", sums.n, None, "lower-bound")
    se = sums.standard_error(sums.batch_means[:, i, col]) / grid[g]
    return Estimate(value, float(se), "standard-error", sums.method, sums.n, sums.seed, "lower-bound", sums.dof)

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
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize

from .closed_forms import radial_constants
from .distributions import Distribution, DistributionProtocol, Empirical, exact_kind, finite_support, rotational_scale, symmetric_about
from .geometry import angle, basis_vector, orthonormal_complement
from .moments import check_method, exact_second_moment, moment_curves
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
]

QUANTITIES = ("gamma", "L", "L_neg", "beta", "L_cross")
SAME, OPP, FLIP = "same", "opposite", "flipped"
CROSS_PAIRS = ((SAME, OPP), (SAME, FLIP), (OPP, FLIP))
#: θ-grid on (0, π/2] for the sups defining β and L_cross: geometric, since the
#: ratio's sup sits at small θ for smooth laws.
SUP_GRID = np.geomspace(0.02, math.pi / 2, 40)
PILOT_DRAWS = 20_000


#: γ, L, L_{−w*}, β, L_cross of a radial law in closed form; one home: verify.closed_forms.radial_constants


# ---------------------------------------------------------------------------
# Directions
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Directions:
    vectors: tuple  # unit vectors ⟂ u*
    exact: bool     # the candidates realise every extremum over the direction set




def _directions(dist, u, seed) -> _Directions:
    basis = orthonormal_complement(u)
    if symmetric_about(dist, u):
        return _Directions((basis[0],), True)
    if dist.p == 2:
        return _Directions((basis[0], -basis[0]), True)
    if dist.p == 3:
        t = np.linspace(0, 2 * math.pi, 72, endpoint=False)
        return _Directions(tuple(np.cos(a) * basis[0] + np.sin(a) * basis[1] for a in t), False)
    rng = np.random.default_rng(np.random.SeedSequence([0 if seed is None else seed, 7]))
    coeffs = rng.standard_normal((48, dist.p - 1))
    coeffs = np.vstack([coeffs, np.eye(dist.p - 1), -np.eye(dist.p - 1)])
    coeffs /= np.linalg.norm(coeffs, axis=1, keepdims=True)
    return _Directions(tuple(coeffs @ basis), False)


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
    if method in ("exact", "quad"):
        plan = SamplingPlan("exact", 1, None) if method == "exact" else None
        return plan, plan
    seed = 0 if seed is None else seed
    pilot_seed = int(np.random.SeedSequence([seed, 1]).generate_state(1)[0])
    return SamplingPlan(method, min(n, PILOT_DRAWS), pilot_seed), SamplingPlan(method, n, seed)


def _pilot_dist(dist, method, plan):
    """For sampled methods, the pilot draws as a finite law (scored exactly, cheaply)."""
    if method not in ("mc", "qmc"):
        return dist, method, plan
    rng = np.random.default_rng(plan.seed)
    return Empirical(dist.sample(plan.n, rng)), "exact", SamplingPlan("exact", 1, None)


def _extremize(dist, u, targets, candidates, quantity, maximize, method, n, seed, refine=False):
    """For each target, the best (v, θ) among candidates and its estimate.

    targets : list of arrays of θ's; the target's value is the extremum over its θ's
    (one θ for γ, L; a sub-grid [0, φ] for L_{−w*}).
    Returns a list of (Estimate, v, θ).
    """
    pilot_plan, final_plan = sampling_plans(method, n, seed)
    pdist, pmethod, pplan = _pilot_dist(dist, method, pilot_plan)
    thetas = np.unique(np.concatenate(targets))
    sign = -1.0 if maximize else 1.0
    pilot = [plane_values(pdist, u, v, thetas, quantity, pmethod, pplan) for v in candidates.vectors]
    scores = np.array([[sign * e.value for e in row] for row in pilot])  # (V, Θ)
    choices = []  # (index of the direction, v, θ) per target
    for target in targets:
        cols = np.searchsorted(thetas, target)
        sub = scores[:, cols]
        iv, it = np.unravel_index(np.argmin(sub), sub.shape)
        v, theta = candidates.vectors[iv], float(target[it])
        if refine and not candidates.exact:
            v, iv = _refine_direction(pdist, u, v, theta, quantity, sign, pmethod, pplan), -1 - len(choices)
        choices.append((iv, v, theta))
    if method not in ("mc", "qmc"):  # deterministic: the pilot's evaluation is the final one
        thetas_index = {float(t): j for j, t in enumerate(thetas)}
        return [(pilot[iv][thetas_index[t]], v, t) if iv >= 0 else
                (plane_values(dist, u, v, np.array([t]), quantity, method, final_plan)[0], v, t)
                for iv, v, t in choices]
    # One pass per distinct direction, at all the angles chosen in it, on fresh draws.
    results: list = [None] * len(choices)
    for iv in dict.fromkeys(c[0] for c in choices):
        members = [j for j, c in enumerate(choices) if c[0] == iv]
        v = choices[members[0]][1]
        angles = np.array([choices[j][2] for j in members])
        for j, est in zip(members, plane_values(dist, u, v, angles, quantity, method, final_plan)):
            results[j] = (est, v, choices[j][2])
    return results


def _refine_direction(dist, u, v, theta, quantity, sign, method, plan):
    """Local refinement of a direction on the (deterministic) pilot objective."""
    basis = orthonormal_complement(u)
    coords = basis @ v

    def objective(c):
        vv = c @ basis
        nv = np.linalg.norm(vv)
        if nv == 0:
            return np.inf
        return sign * plane_values(dist, u, vv / nv, np.array([theta]), quantity, method, plan)[0].value

    if dist.p == 3:
        a0 = math.atan2(coords[1], coords[0])
        step = 2 * math.pi / 72
        res = optimize.minimize_scalar(lambda a: objective(np.array([math.cos(a), math.sin(a)])),
                                       bounds=(a0 - step, a0 + step), method="bounded",
                                       options={"xatol": 1e-6, "maxiter": 60})
        best = np.array([math.cos(res.x), math.sin(res.x)])
    else:
        res = optimize.minimize(objective, coords, method="Powell", options={"maxfev": 400, "xtol": 1e-5})
        best = res.x
    if objective(best) > objective(coords):
        best = coords
    vv = best @ basis
    return vv / np.linalg.norm(vv)


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
    dirs = _directions(dist, u, seed)
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
    found = _extremize(dist, u, targets, dirs, q, q != "gamma", method, n, seed)
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
    dirs = _directions(dist, u, seed)
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
    dirs = _directions(dist, u, seed)
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
    _, v, theta = best
    est = plane_values(dist, u, v, np.array([theta]), q, method, final_plan)[0]
    return est.scaled(1.0 / theta).replace(kind="lower-bound"), theta


def beta(dist: DistributionProtocol, *, method: str = "mc", n: int = 100_000, seed: int | None = 0,
         w_star: ArrayLike | None = None, grid: ArrayLike = SUP_GRID) -> Estimate:
    """The tight β = sup_{0<φ≤π/2} L_{−w*}(φ)/φ (docs/claims.md §2, Assumption 2.1).

    For radial laws with ``method="exact"`` the closed form s/π (s = E‖Z‖²/p) is
    returned (the sup is the limit φ → 0).  Otherwise the sup over ``grid`` and
    the direction candidates, a ``lower-bound``; for sampled methods the argmax
    is chosen on a pilot sample and re-estimated on fresh draws.
    """
    if method == "exact" and exact_kind(dist) == "rotational" and dist.k == 1:
        _setup(dist, w_star, method, n, seed)
        value = radial_constants(0.0, rotational_scale(dist))["beta"]
        return Estimate(value, value * 4 * np.finfo(float).eps, "exact", "exact", kind="exact")
    return _sup_over_theta(dist, "L_neg", method, n, seed, w_star, grid)[0]


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

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
half of the final batches and read on the other (:func:`verify.estimators.direction_search.extremize`).
The estimate's ``search`` record holds the budget (candidate directions per
restart, refinement evaluations, pilot draws), every restart's value, their
spread and the gap between the pilot's score and the final value; restarts that
disagree beyond their errors add a "search-spread" warning.

β (:func:`beta`) is the sup toward φ → 0: by quadrature, the exact limit of the
ratio (docs/claims.md §6.7); from draws, a geometric grid down to the smallest
angle the sample supports, with a test of the ratio's growth there, so a law
whose ratio grows without bound gets β = ∞ with its evidence ("beta-infinite").

Layout: the direction search (candidates, per-plane objective, restarts) lives in
:mod:`verify.estimators.direction_search` and the sup constants β, L_cross in
:mod:`verify.estimators.beta`; this module keeps γ, L, L_{−w*}, their curves, μ and γ_avg.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .direction_search import check_setup, extremize, plane_values, sampling_plans, search_directions
from ..laws.builtin import Distribution
from ..laws.distributions import DistributionProtocol, finite_support
from ..geometry import angle
from ..results import Estimate
from .sampling import SamplingPlan
from ..validation import InvalidArgument, check_angle, check_angles

__all__ = [
    "QUANTITIES",
    "gamma",
    "L",
    "L_neg",
    "mu",
    "gamma_avg",
    "exact_mu",
    "curves",
    "AveragedPatches",
]

QUANTITIES = ("gamma", "L", "L_neg", "L_cross")


#: γ, L, L_{−w*}, β, L_cross of a radial law in closed form; one home: verify.estimators.closed_forms.radial_constants


# ---------------------------------------------------------------------------
# Public quantities
# ---------------------------------------------------------------------------


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
    u = check_setup(dist, w_star, method, n, seed)
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
    found = extremize(dist, u, targets, dirs, q, q != "gamma", method, n, seed, refine=not dirs.exact)
    return [_kind_for(e, side) for e, _, _ in found]


def _searched_side(q, dirs, method):
    """The side of the truth of a value extremized over ``dirs``: none when every direction was
    evaluated deterministically (p = 2: both of ±v₀), else the side of a searched min / max."""
    if dirs.exact and method not in ("mc", "qmc"):
        return None
    return "upper-bound" if q == "gamma" else "lower-bound"


def _point(dist, phi, q, method, n, seed, w_star):
    phi = check_angle(phi)
    u = check_setup(dist, w_star, method, n, seed)
    dirs = search_directions(dist, u, seed)
    rotational = getattr(dist, "symmetry", None) == "rotational" and dist.k == 1
    if q == "L_neg" and not rotational:
        target = np.linspace(0.0, phi, 33)
        found = extremize(dist, u, [target], dirs, q, True, method, n, seed, refine=len(dirs.vectors) > 2)
        return _kind_for(found[0][0], "lower-bound")
    if dirs.exact and len(dirs.vectors) == 1:
        _, plan = sampling_plans(method, n, seed)
        return plane_values(dist, u, dirs.vectors[0], np.array([phi]), q, method, plan)[0]
    found = extremize(dist, u, [np.array([phi])], dirs, q, q != "gamma", method, n, seed, refine=True)
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
    >>> from verify.laws.builtin import Empirical
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
    >>> from verify.laws.builtin import Empirical
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
        u = check_setup(dist, w_star, "exact", n, seed)
        value = exact_mu(atoms, u, rho)
        return Estimate(value, 8 * np.finfo(float).eps * value if math.isfinite(value) else 0.0,
                        "exact", "exact", int(atoms.shape[0]), None, "exact")
    u = check_setup(dist, w_star, method if method != "quad" else "mc", n, seed)
    grid = np.geomspace(rho / 100, rho, grid_size)
    pilot_plan, final_plan = sampling_plans(method, n, seed)
    if method in ("mc", "qmc"):
        pilot = reduce_in_batches(dist, _band_statistic(u, grid), pilot_plan)
    else:
        pilot = reduce_in_batches(dist, _band_statistic(u, grid), SamplingPlan("exact", 1, None))
    ratio = pilot.mean / grid
    i, g = np.unravel_index(np.argmax(ratio), ratio.shape)
    point = grid[g:g + 1]
    sums = pilot if method not in ("mc", "qmc") else reduce_in_batches(dist, _band_statistic(u, point), final_plan,
                                                                        counts=True)  # indicators: a lattice
    col = g if method not in ("mc", "qmc") else 0
    if sums.method == "exact":
        return Estimate(sums.mean[i, col] / grid[g], 0.0, "exact", "exact", sums.n, None, "lower-bound")
    # the error through BatchMeans.assess: the qmc-lumpy check (a bounded statistic: no tail check)
    groups = None if sums.group_means is None else sums.group_means[:, :, i, col]
    return sums.estimate(sums.batch_means[:, i, col], groups, side="lower-bound").scaled(1.0 / grid[g])

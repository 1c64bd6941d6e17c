"""The second moments A_{w,w*}, A_{w,−w*}, the patch-average and cross moments,
the population gradient and the loss (docs/claims.md §1–§3), by method.

Regions
-------
For a patch z and filters w, w* (docs/claims.md §2–§3):

============  ======================  =========================
name          set                     paper
============  ======================  =========================
``"same"``      w·z ≥ 0, w*·z ≥ 0       S(w, w*)
``"opposite"``  w·z ≥ 0, w*·z ≤ 0       S(w, −w*)
``"flipped"``   w·z ≤ 0, w*·z ≥ 0       S(−w, w*)
============  ======================  =========================

and Z_R = (1/k) Σ_i Z_i 1{Z_i ∈ R}.  The regions are closed, as printed
(:func:`verify.geometry.region_mask` with ``boundary="closed"``, where they are
masked from projections; here the same sets are read as φ-intervals).  The moment of a pair (R1, R2) is
E[Z_{R1} Z_{R2}ᵀ]; for k = 1, ("same", "same") is A_{w,w*} and
("opposite", "opposite") is A_{w,−w*}.

One pass for a whole φ-grid
---------------------------
Fix the plane spanned by u* = w*/‖w*‖ and a unit v ⟂ u*, and put
w(φ) = cos φ·u* + sin φ·v.  A patch whose projection on the plane has polar
angle ψ (measured from u* towards v) lies in a region for φ in one interval:

* same:      |ψ| ≤ π/2,  φ ∈ [0, ψ + π/2];
* opposite:  ψ' = ψ mod 2π ∈ [π/2, 3π/2],  φ ∈ [ψ' − π/2, π];
* flipped:   |ψ| ≤ π/2,  φ ∈ [ψ + π/2, π].

(w(φ)·z = r cos(ψ − φ) and u*·z = r cos ψ with r the projection's length.)
A pair of patches therefore contributes Z_i Z_jᵀ/k² on the intersection of
two intervals, and adding it at the interval's first grid point and removing
it after its last (a difference array) gives, after one cumulative sum, the
moment at every grid φ from one pass over the samples.  For draws of many
patches (k > 1) the same sums are cheaper per draw as Σ_draws Z_{R1}(φ) Z_{R2}(φ)ᵀ
from each draw's region averages at each grid φ (no k² pairs; O(data) memory),
whenever the grid is not much longer than k² (:func:`_curve_statistic` picks
by flop count).  A patch orthogonal to
the plane (r = 0) is a null set for every law with a density; for a finite law
it is assigned ψ = 0.

Error bars
----------
Sampled values carry the batch-means / replicate error of
:meth:`verify.estimators.sampling.BatchMeans.assess`, with its heavy-tail and RQMC checks
(docs/error-bars.md); their warnings are carried to every estimate derived
here (eigenvalues and singular values through the delta method, the gradient
from the two moments).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..geometry import REGION_SIGNS, plane_of
from .closed_forms import gaussian_second_moment, radial_loss, radial_loss_rounding_bound
from ..laws.distributions import DistributionProtocol, check_method, exact_kind, rotational_scale
from ..results import ArrayEstimate, Estimate, merge_warnings
from .sampling import CHUNK_BYTES, BatchMeans, DrawStore, SamplingPlan, cross_fitting_halves, reduce_in_batches
from ..validation import InvalidArgument, check_angles, check_vector

__all__ = [
    "REGIONS",
    "MomentCurves",
    "moment_curves",
    "second_moment",
    "cross_moment",
    "population_gradient",
    "loss",
    "exact_second_moment",
    "region_intervals",
    "symmetric_part",
    "extreme_eigenvector",
]

REGIONS = tuple(REGION_SIGNS)
_HALF_PI = math.pi / 2


def region_intervals(psi: np.ndarray, region: str) -> tuple[np.ndarray, np.ndarray]:
    """The φ-interval [lo, hi] ⊂ [0, π] on which a patch of plane angle ψ is in ``region``.

    psi : ndarray, values in (−π, π]; returns lo, hi of the same shape, with
    lo = +inf, hi = −inf (an empty interval) where the patch is never in it.
    """
    inside_half = np.abs(psi) <= _HALF_PI
    if region == "same":
        lo, hi = np.zeros_like(psi), psi + _HALF_PI
        member = inside_half
    elif region == "flipped":
        lo, hi = psi + _HALF_PI, np.full_like(psi, math.pi)
        member = inside_half
    elif region == "opposite":
        lo, hi = np.mod(psi, 2 * math.pi) - _HALF_PI, np.full_like(psi, math.pi)
        member = np.abs(psi) >= _HALF_PI
    else:
        raise InvalidArgument("region", f"must be one of {REGIONS}, got {region!r}")
    return np.where(member, lo, np.inf), np.where(member, hi, -np.inf)


def symmetric_part(m: np.ndarray) -> np.ndarray:
    """(M + Mᵀ)/2 over the last two axes, shape of ``m`` (..., p, p): a sampled moment is symmetric only
    up to rounding, and eigh reads one triangle."""
    return (m + np.swapaxes(m, -1, -2)) / 2


def extreme_eigenvector(m: np.ndarray, which: str = "min") -> tuple[np.ndarray, np.ndarray]:
    """The unit eigenvector of λ_min (``"min"``) or λ_max (``"max"``) of each symmetrized matrix of a stack
    (..., p, p), as the (left, right) pair that :meth:`MomentCurves.cross_fitted` reads along (both (..., p))."""
    vec = np.linalg.eigh(symmetric_part(m))[1][..., :, 0 if which == "min" else -1]
    return vec, vec


def _grouped_outer_sums(x: np.ndarray, y: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Σ_{r : groups[r] = g} x_r y_rᵀ for g = 0 … n_groups−1 (rows with other labels dropped).

    x, y : (m, p); groups : (m,) int.  Returns (n_groups, p, p).
    One matrix product per non-empty group after a stable sort, so the cost is
    that of one product x.T @ y plus the sort.  When ``y is x`` each product is
    ``a.T @ a`` on one gathered copy, which BLAS evaluates as a symmetric
    rank-k update (half the work of a general product).
    """
    symmetric = y is x
    out = np.zeros((n_groups, x.shape[1], y.shape[1]))
    if n_groups == 1:
        rows = np.flatnonzero(groups == 0)
        if rows.size:
            xs = x[rows]
            out[0] = xs.T @ (xs if symmetric else y[rows])
        return out
    keep = np.flatnonzero(groups < n_groups)
    order = np.argsort(groups[keep], kind="stable")
    labels = groups[keep][order]
    rows = keep[order]
    xs = x[rows]
    ys = xs if symmetric else y[rows]
    bounds = np.searchsorted(labels, np.arange(n_groups + 1))
    for g in np.flatnonzero(np.diff(bounds)):
        a, b = bounds[g], bounds[g + 1]
        xa = xs[a:b]
        out[g] = xa.T @ (xa if symmetric else ys[a:b])
    return out


def _curve_statistic(u, v, grid, pairs, k):
    """The per-chunk statistic of :func:`moment_curves`, shape (M, G, p, p): the sums over a chunk of
    draws of Z_{R1}(φ) Z_{R2}(φ)ᵀ at every grid φ, by :func:`_region_average_statistic` or
    :func:`_patch_pair_statistic`, whichever does fewer flops (module doc, "One pass for a whole φ-grid").

    Per draw and grid point the first costs ≈ |regions|·(k·p + p²) flops, the second, independent of
    the grid, ≈ 2·k²·p²·|pairs| plus a sort; draws of one patch (k = 1) always take the second.
    """
    regions = sorted({r for pair in pairs for r in pair})
    averages_flops = grid.shape[0] * len(regions) * (k + u.shape[0])
    pairs_flops = 2 * k * k * u.shape[0] * len(pairs)
    if k > 1 and averages_flops <= pairs_flops:
        return _region_average_statistic(u, v, grid, pairs, k)
    return _patch_pair_statistic(u, v, grid, pairs, k)


def _region_average_statistic(u, v, grid, pairs, k):
    """Σ over a chunk of draws of Z_{R1} Z_{R2}ᵀ at every grid φ from each draw's region averages.

    For a draw z (k, p) and grid angle φ_g, Z_R(φ_g) = (1/k) Σ_i z_i 1{φ_g ∈ I_R(ψ_i)} with I_R the
    φ-interval of :func:`region_intervals` (closed: lo ≤ φ_g ≤ hi, the same membership as the
    difference arrays of :func:`_patch_pair_statistic`).  The averages of a chunk (m, b, p) come from
    one batched product of the 0/1 membership (m, b, k) with the patches (m, k, p), and the moment
    at each φ_g is one (p, m)·(m, p) product: memory O(m·b·(k + p)) for a block of b grid points
    (blocks sized to ``CHUNK_BYTES``), no pair of patches is formed.  Each average is a direct sum
    of its members (no cumulative differences), so its rounding is relative to Σ|z_i| over them.
    """
    G = grid.shape[0]
    regions = sorted({r for pair in pairs for r in pair})

    def statistic(z: np.ndarray) -> np.ndarray:
        m, _, p = z.shape
        psi = np.arctan2(z @ v, z @ u)  # (m, k)
        intervals = {r: region_intervals(psi, r) for r in regions}
        out = np.empty((len(pairs), G, p, p))
        block = max(1, CHUNK_BYTES // (8 * max(m, 1) * (k + p * len(regions))))
        for g0 in range(0, G, block):
            phis = grid[g0:g0 + block][None, :, None]  # (1, b, 1)
            averages = {}
            for r in regions:
                lo, hi = intervals[r]
                member = (lo[:, None, :] <= phis) & (phis <= hi[:, None, :])  # (m, b, k)
                averages[r] = np.matmul(member.astype(float), z)  # (m, b, p): k·Z_R at each φ
            for idx, (r1, r2) in enumerate(pairs):
                left = averages[r1].transpose(1, 2, 0)  # (b, p, m)
                out[idx, g0:g0 + block] = left @ averages[r2].transpose(1, 0, 2)
        return out / k**2

    return statistic


def _patch_pair_statistic(u, v, grid, pairs, k):
    """Σ over a chunk of draws of Z_{R1} Z_{R2}ᵀ at every grid φ by difference arrays over patch pairs.

    Every pair (i, j) of a draw's patches contributes z_i z_jᵀ/k² on the intersection of its two
    φ-intervals: added at the interval's first grid point, removed after its last, and one
    cumulative sum over the grid gives every φ (cost independent of G; memory O(m·k²·p)).
    """
    G = grid.shape[0]
    iu, ju = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    iu, ju = iu.ravel(), ju.ravel()

    def statistic(z: np.ndarray) -> np.ndarray:
        m, _, p = z.shape
        psi = np.arctan2(z @ v, z @ u)  # (m, k)
        intervals = {r: region_intervals(psi, r) for r in {r for pair in pairs for r in pair}}
        out = np.empty((len(pairs), G, p, p))
        if k == 1:  # one patch: a view, and x is y (symmetric products)
            xi = yj = z.reshape(m, p)
        else:
            xi = z[:, iu, :].reshape(-1, p)
            yj = z[:, ju, :].reshape(-1, p)
        for idx, (r1, r2) in enumerate(pairs):
            lo = np.maximum(intervals[r1][0][:, iu], intervals[r2][0][:, ju]).ravel()
            hi = np.minimum(intervals[r1][1][:, iu], intervals[r2][1][:, ju]).ravel()
            if G == 1:  # one angle: membership lo ≤ φ ≤ hi, the same test as the searches below
                diff = _grouped_outer_sums(xi, yj, np.where((lo <= grid[0]) & (grid[0] <= hi), 0, 1), 1)
                out[idx] = diff / k**2
                continue
            start = np.searchsorted(grid, lo, side="left")
            stop = np.searchsorted(grid, hi, side="right")
            live = start < stop
            diff = _grouped_outer_sums(xi, yj, np.where(live, start, G), G)
            diff -= _grouped_outer_sums(xi, yj, np.where(live, stop, G), G)
            out[idx] = np.cumsum(diff, axis=0) / k**2
        return out

    return statistic


# ---------------------------------------------------------------------------
# Moment curves: the engine behind every sampled moment
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MomentCurves:
    """Moments E[Z_{R1} Z_{R2}ᵀ] at every φ of a grid, in one plane, with batch means.

    Attributes
    ----------
    phis : ndarray (G,)
        The grid, as given.
    pairs : tuple of (str, str)
    u, v : ndarray (p,)
        The plane: w(φ) = cos φ·u + sin φ·v.
    sums : BatchMeans
        ``mean`` has shape (M, G, p, p), ``batch_means`` (B, M, G, p, p).
    exact_bound : ndarray (p, p) or None
        ``exact`` sums: an entry-wise rounding bound of every moment of the curves.  The difference
        arrays add each contribution at one grid angle and take it away at a later one, so the error
        of a value scales with everything summed before it, not with the value: the bound is
        2(n + G + 2)·ε·E[(Σ_i|Z_i|/k)(Σ_j|Z_j|/k)ᵀ] (Higham (4.4) for the n products and the G-term
        cumulative sum; added and removed), valid where cancellation leaves a value near 0.
    """

    phis: np.ndarray
    pairs: tuple
    u: np.ndarray
    v: np.ndarray
    sums: BatchMeans
    exact_bound: np.ndarray | None = None

    def matrix(self, pair=("same", "same")) -> ArrayEstimate:
        """The moment of one pair at every grid φ, shape (G, p, p), with entry-wise errors
        (docs/error-bars.md: batch means, with the heavy-tail and RQMC checks)."""
        i = self.pairs.index(tuple(pair))
        s = self.sums
        if s.method == "exact":
            value = s.mean[i]
            bound = (s.rounding_bound(value) if self.exact_bound is None
                     else np.broadcast_to(self.exact_bound, value.shape).copy())
            return ArrayEstimate(value, bound, "exact", s.method, s.n, s.seed, s.dof)
        groups = None if s.group_means is None else s.group_means[:, :, i]
        return s.array_estimate(s.batch_means[:, i], groups)

    def extreme_eigenvalue(self, pair=("same", "same"), which="min") -> list[Estimate]:
        """λ_min or λ_max of a symmetric moment at each grid φ.

        Notes
        -----
        Exact sums give the eigenvalue of the mean with a Weyl rounding bound.
        Sampled sums are read along eigenvectors *cross-fitted* between the two
        halves of the batches (:meth:`cross_fitted`): a batch is never read along
        a direction chosen on its own draws.  The value is then unbiased for
        vᵀMv ≥ λ_min (≤ λ_max) and its batch-means standard error is honest, so
        it is marked ``upper-bound`` for λ_min and ``lower-bound`` for λ_max.
        The eigenvalue of the pooled mean would be biased towards the extreme
        by more than its delta-method error wherever the extreme eigenvalue is
        repeated or nearly so (for every axially symmetric law in p ≥ 4 the
        eigenvalue across the plane has multiplicity p − 2), whatever n is.
        """
        i = self.pairs.index(tuple(pair))
        if self.sums.method == "exact":
            mean = self.sums.mean[i]
            return self._estimates(np.linalg.eigvalsh(symmetric_part(mean))[:, 0 if which == "min" else -1], None, 1)
        linear, groups = self._cross_fitted(pair, lambda m: extreme_eigenvector(m, which))
        return self._estimates(linear.mean(axis=0), (linear, groups), None,
                               "upper-bound" if which == "min" else "lower-bound")

    def largest_singular_value(self, pair) -> list[Estimate]:
        """σ_max of a (non-symmetric) moment at each grid φ; sampled values are cross-fitted
        ``lower-bound`` s, as in :meth:`extreme_eigenvalue`."""
        return self.singular_value_sum([pair])

    def singular_value_sum(self, pairs) -> list[Estimate]:
        """Σ over ``pairs`` of σ_max of each moment, at each grid φ (Assumption 3.2's sum).

        Exact sums: the singular values of the means.  Sampled sums: uᵀM_b v with
        the top singular pair (u, v) cross-fitted (:meth:`cross_fitted`), summed
        over the pairs batch by batch; uᵀMv ≤ σ_max, so a ``lower-bound``.
        """
        if self.sums.method == "exact":
            means = [self.sums.mean[self.pairs.index(tuple(pr))] for pr in pairs]
            values = sum(np.linalg.svd(m, compute_uv=False)[:, 0] for m in means)
            return self._estimates(values, None, len(means))
        parts = [self._cross_fitted(pr, _top_singular_pair) for pr in pairs]
        linear = sum(p[0] for p in parts)
        groups = None if parts[0][1] is None else sum(p[1] for p in parts)
        return self._estimates(linear.mean(axis=0), (linear, groups), None, "lower-bound")

    def cross_fitted(self, pair, directions, *, with_groups: bool = False):
        """Batch values leftᵀ M_b right, the directions of each batch chosen on the *other* half.

        Parameters
        ----------
        pair : (region, region)
        directions : callable
            Maps a mean moment, shape (G, p, p), to (left, right), each (G, p).

        with_groups : bool
            Also return the same reading of each RQMC replicate's random groups, (B, S, G) or
            None, which :meth:`BatchMeans.assess`'s ``qmc-lumpy`` check needs.

        Returns
        -------
        ndarray (B, G) (with ``with_groups``: that and the group values)
            Batches of even index are read along the directions of the mean of
            the odd ones and vice versa.  Given the directions a batch value is
            unbiased for leftᵀ M right, and the B values are independent up to
            the second-order dependence of each half's directions on the other
            half, so their mean and batch-means error are honest for that target.
        """
        linear, groups = self._cross_fitted(pair, directions)
        return (linear, groups) if with_groups else linear

    def _cross_fitted(self, pair, directions) -> tuple[np.ndarray, np.ndarray | None]:
        """:meth:`cross_fitted` and, for RQMC, the same reading of each replicate's random groups
        (B, S, G), which the replicate check of docs/error-bars.md §2 needs."""
        i = self.pairs.index(tuple(pair))
        batches = self.sums.batch_means[:, i]
        groups = None if self.sums.group_means is None else self.sums.group_means[:, :, i]
        linear = np.empty(batches.shape[:2])
        linear_groups = None if groups is None else np.empty(groups.shape[:3])
        for mine in cross_fitting_halves(batches.shape[0]):
            left, right = directions(batches[~mine].mean(axis=0))
            linear[mine] = np.einsum("gp,bgpq,gq->bg", left, batches[mine], right)
            if groups is not None:
                linear_groups[mine] = np.einsum("gp,bsgpq,gq->bsg", left, groups[mine], right)
        if pair[0] == pair[1]:  # a PSD moment: a reading within its rounding bound of 0 is an exact zero
            per_batch = self.sums.n / batches.shape[0]
            linear = _rounding_zeros(linear, batches, per_batch)
            if groups is not None:
                linear_groups = _rounding_zeros(linear_groups, groups, per_batch)
        return linear, linear_groups

    def linearized(self, pair, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Batch values of leftᵀ M_b right for each grid φ: shape (B, G) (for sums of σ's)."""
        i = self.pairs.index(tuple(pair))
        return np.einsum("gp,bgpq,gq->bg", left, self.sums.batch_means[:, i], right)

    def _estimates(self, values, linear, terms, side="estimate") -> list[Estimate]:
        """Estimates of ``values`` (G,): exact sums (``terms`` moments summed) with a Weyl bound, else from
        the batch values ``linear``."""
        s = self.sums
        if s.method == "exact":
            # Weyl: an eigenvalue moves by at most ‖E‖₂ ≤ ‖E‖_F for a perturbation E.
            bound = self.exact_bound if self.exact_bound is not None else s.rounding_bound(np.abs(s.mean).max(axis=(0, 1)))
            err = np.full(len(values), terms * float(np.linalg.norm(bound)))
            return [Estimate(val, e, "exact", "exact", s.n, None, "exact") for val, e in zip(values, err)]
        batch_values, group_values = linear
        return [s.estimate(batch_values[:, g], None if group_values is None else group_values[:, :, g], side=side)
                for g in range(batch_values.shape[1])]  # each φ its own checks and warnings


def _rounding_zeros(values: np.ndarray, moments: np.ndarray, draws: float) -> np.ndarray:
    """``values`` (...) of unit readings vᵀMv of PSD means ``moments`` (..., p, p) of ``draws`` terms,
    set to an exact 0 where they lie within their rounding bound of it.

    Entry ij of a mean of d products z_i z_j errs by ≤ d·ε·mean|z_i z_j| ≤ d·ε·√(M_ii M_jj)
    (Higham (4.4); Cauchy–Schwarz), so vᵀMv errs by ≤ (d + p)·ε·(Σ_i |v_i|√M_ii)² ≤ (d + p)·ε·p·tr M.
    A region whose draws all lie in a hyperplane has λ_min = 0 exactly; without this its batch values
    are rounding noise, whose spread would be reported as a standard error (docs/error-bars.md §1).
    """
    p = moments.shape[-1]
    bound = (draws + p) * np.finfo(float).eps * p * np.trace(moments, axis1=-2, axis2=-1)
    return np.where(np.abs(values) <= bound, 0.0, values)


def _top_singular_pair(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leading left and right singular vectors of each (p, p) matrix of a stack (G, p, p)."""
    left, _, right_t = np.linalg.svd(m)
    return left[..., :, 0], right_t[..., 0, :]


def moment_curves(dist: DistributionProtocol, u: ArrayLike, v: ArrayLike, phis: ArrayLike,
                  pairs: Sequence[tuple[str, str]] = (("same", "same"),),
                  plan: SamplingPlan | None = None, store: DrawStore | None = None) -> MomentCurves:
    """Moments of region pairs at every φ in ``phis``, for w(φ) = cos φ·u + sin φ·v, in one pass.

    Parameters
    ----------
    dist : distribution
    u : ndarray (p,)
        Unit teacher direction u* = w*/‖w*‖.
    v : ndarray (p,)
        Unit vector ⟂ u.
    phis : array_like (G,)
        Angles in [0, π] (radians), any order.
    pairs : sequence of (region, region)
        Which moments E[Z_{R1} Z_{R2}ᵀ] to accumulate (see module doc).
    plan : SamplingPlan
        ``mc``, ``qmc`` or ``exact`` (finite laws).
    store : DrawStore, optional
        The plan's draws, kept across the caller's passes (:class:`~verify.estimators.sampling.DrawStore`).

    Notes
    -----
    Cost: one pass over n draws; per draw min(k²·|pairs| grouped products independent of G,
    G·|regions| region averages and outer products) (:func:`_curve_statistic`);
    memory O(B·|pairs|·G·p²) plus O(data) per chunk.
    """
    phis = check_angles(phis)
    plan = plan or SamplingPlan("mc")
    pairs = tuple(tuple(pr) for pr in pairs)
    for pr in pairs:
        for r in pr:
            if r not in REGIONS:
                raise InvalidArgument("region", f"must be one of {REGIONS}, got {r!r}")
    order = np.argsort(phis, kind="stable")
    grid = phis[order]
    statistic = _curve_statistic(np.asarray(u, float), np.asarray(v, float), grid, pairs, dist.k)
    sums = reduce_in_batches(dist, statistic, plan, degree=2, store=store)
    if np.any(order != np.arange(order.size)):  # back to the caller's order (a copy only when needed)
        inverse = np.argsort(order)
        groups = None if sums.group_means is None else np.take(sums.group_means, inverse, axis=3)
        sums = BatchMeans(np.take(sums.batch_means, inverse, axis=2), np.take(sums.mean, inverse, axis=1),
                          sums.n, sums.method, sums.seed, sums.dof, groups, sums.tail_index, sums.tail_count,
                          sums.degree, sums.checks)
    exact_bound = None
    if sums.method == "exact":
        size = np.abs(np.asarray(dist.support(), float)).sum(axis=1) / dist.k  # (m, p): Σ_i |Z_i| / k
        exact_bound = 2 * (sums.n + grid.size + 2) * np.finfo(float).eps * (size.T @ size) / size.shape[0]
    return MomentCurves(phis, pairs, np.asarray(u, float), np.asarray(v, float), sums, exact_bound)


# ---------------------------------------------------------------------------
# Point evaluations, by method
# ---------------------------------------------------------------------------

def exact_second_moment(dist: DistributionProtocol, w1: ArrayLike, w2: ArrayLike) -> np.ndarray:
    """E[Z Zᵀ 1{w1·Z ≥ 0, w2·Z ≥ 0}] in closed form for a law of :func:`~verify.laws.distributions.exact_kind`
    ``"rotational"`` or ``"degenerate"`` (docs/claims.md §2, §6), shape (p, p).

    Rotational: the N(0, I_p) form times E‖Z‖²/p.  Degenerate (``rank`` r): the
    same on the first r coordinates, zero elsewhere.

    Examples
    --------
    >>> from verify.laws.builtin import Sphere
    >>> bool(np.allclose(exact_second_moment(Sphere(2), [1.0, 0.0], [1.0, 0.0]), np.eye(2) / 4))
    True
    """
    w1, w2 = np.asarray(w1, float), np.asarray(w2, float)
    scale = rotational_scale(dist)
    if exact_kind(dist) == "rotational":
        return scale * gaussian_second_moment(w1, w2)
    r = dist.rank
    out = np.zeros((dist.p, dist.p))
    out[:r, :r] = scale * gaussian_second_moment(w1[:r], w2[:r])
    return out


def _check_pair(pair) -> tuple[str, str]:
    """A (region, region) pair, each one of :data:`REGIONS` (before any method dispatches on it)."""
    if isinstance(pair, str) or len(tuple(pair)) != 2:
        raise InvalidArgument("region", f"must be a pair of regions from {REGIONS}, got {pair!r}")
    for r in pair:
        if r not in REGIONS:
            raise InvalidArgument("region", f"must be one of {REGIONS}, got {r!r}")
    return tuple(pair)


def cross_moment(dist: DistributionProtocol, w: ArrayLike, w_star: ArrayLike, pair: tuple[str, str] = ("same", "same"),
                 method: str = "mc", n: int = 100_000, seed: int | None = 0) -> ArrayEstimate:
    """E[Z_{R1} Z_{R2}ᵀ] at one (w, w*), shape (p, p) (docs/claims.md §3, Assumptions 3.1–3.2).

    Parameters
    ----------
    dist : distribution
    w, w_star : ndarray (p,)
    pair : (region, region)
    method : {"exact", "quad", "mc", "qmc"}
    n : int
        Draws for mc/qmc.
    seed : int

    Returns
    -------
    ArrayEstimate (p, p)
    """
    w_star = check_vector(w_star, "w_star", p=dist.p)
    w = check_vector(w, "w", p=dist.p)
    check_method(dist, method)
    pair = _check_pair(pair)
    r1, r2 = pair
    if method in ("exact", "quad") and r1 == r2 and dist.k == 1:
        s_w, s_star = REGION_SIGNS[r1]
        if method == "quad":
            from .quadrature import axial_second_moment

            return axial_second_moment(dist, s_w * w, s_star * w_star)
        if exact_kind(dist) != "finite":
            value = exact_second_moment(dist, s_w * w, s_star * w_star)
            return ArrayEstimate(value, np.abs(value) * 8 * np.finfo(float).eps, "exact", "exact")
    if method in ("exact", "quad") and dist.k == 1 and r1 != r2:
        # Distinct regions are disjoint up to a null set for k = 1: the product vanishes.
        if method == "exact" and exact_kind(dist) != "finite" or method == "quad":
            return ArrayEstimate(np.zeros((dist.p, dist.p)), 0.0, "exact", method)
    u, v, phi = plane_of(w, w_star)
    plan = SamplingPlan("exact" if method == "exact" else method, n, seed)
    return moment_curves(dist, u, v, [phi], [tuple(pair)], plan).matrix(pair)[0]


def second_moment(dist: DistributionProtocol, w: ArrayLike, w_star: ArrayLike, region: str = "same",
                  method: str = "mc", n: int = 100_000, seed: int | None = 0) -> ArrayEstimate:
    """A_{w,w*} (region ``"same"``) or A_{w,−w*} (``"opposite"``); for k > 1 the
    patch-average moment E[Z_R Z_Rᵀ] (docs/claims.md §2, §3).  See :func:`cross_moment`."""
    return cross_moment(dist, w, w_star, (region, region), method, n, seed)


def _gradient_statistic(w, w_star):
    def statistic(z: np.ndarray) -> np.ndarray:
        zw, zs = z @ w, z @ w_star  # (m, k)
        residual = np.maximum(zw, 0).mean(axis=1) - np.maximum(zs, 0).mean(axis=1)
        active = (z * (zw >= 0)[..., None]).mean(axis=1)  # (m, p)
        grad = residual[:, None] * active
        loss = 0.5 * residual**2
        return np.concatenate([grad.sum(axis=0), [loss.sum()]])
    return statistic


def _sampled_gradient_and_loss(dist, w, w_star, method, n, seed) -> BatchMeans:
    plan = SamplingPlan("exact" if method == "exact" else method, n, seed)
    return reduce_in_batches(dist, _gradient_statistic(np.asarray(w, float), np.asarray(w_star, float)), plan,
                             degree=2)


def population_gradient(dist: DistributionProtocol, w: ArrayLike, w_star: ArrayLike, method: str = "mc",
                        n: int = 100_000, seed: int | None = 0) -> ArrayEstimate:
    """E∇_w ℓ(w, Z) (docs/claims.md §1), shape (p,).

    Per draw: (f(w,Z) − f(w*,Z))·(1/k)Σ_i Z_i 1{w·Z_i ≥ 0}.  ``exact`` uses
    Tian's formula (Gaussian), the k = 1 identity A_{w,w*}(w − w*) + A_{w,−w*}w
    (radial laws, degenerate Gaussian), or the finite sum (empirical laws);
    ``quad`` the same identity with quadrature moments.
    """
    w_star = check_vector(w_star, "w_star", p=dist.p)
    w = check_vector(w, "w", p=dist.p)
    check_method(dist, method)
    if method in ("mc", "qmc") or (method == "exact" and exact_kind(dist) == "finite"):
        sums = _sampled_gradient_and_loss(dist, w, w_star, method, n, seed)
        mean = sums.mean[:-1]
        if sums.method == "exact":
            err = sums.rounding_bound(np.abs(mean) + 1e-300)
            return ArrayEstimate(mean, err, "exact", "exact", sums.n)
        groups = None if sums.group_means is None else sums.group_means[:, :, :-1]
        return sums.array_estimate(sums.batch_means[:, :-1], groups)
    same = second_moment(dist, w, w_star, "same", method)
    opposite = second_moment(dist, w, w_star, "opposite", method)
    value = same.value @ (w - w_star) + opposite.value @ w
    err = np.abs(same.error) @ np.abs(w - w_star) + np.abs(opposite.error) @ np.abs(w)
    return ArrayEstimate(value, err, same.error_kind, method, same.n, warnings=merge_warnings(same, opposite))


def loss(dist: DistributionProtocol, w: ArrayLike, w_star: ArrayLike, method: str = "mc", n: int = 100_000,
         seed: int | None = 0) -> Estimate:
    """E ℓ(w, Z) = ½E[(f(w,Z) − f(w*,Z))²] (docs/claims.md §1).

    ``exact``: the arc-cosine kernel for N(0, I) scaled by E‖Z‖²/p for radial
    laws (f is 1-homogeneous in Z, so ℓ scales with E‖Z‖² when the direction
    and the radius are independent), or the finite sum; ``mc``/``qmc``:
    batch means.
    """
    w_star = check_vector(w_star, "w_star", p=dist.p)
    w = check_vector(w, "w", p=dist.p)
    check_method(dist, method)
    if method == "quad":
        raise InvalidArgument("method", "quad computes moments and the gradient, not the loss; use exact, mc or qmc")
    kind = exact_kind(dist)
    if method == "exact" and kind in ("rotational", "degenerate"):
        # the cancellation-free form of docs/claims.md §6 (closed_forms.radial_loss) with its derived
        # rounding bound; a degenerate law is rotational on its first ``rank`` coordinates
        r = dist.p if kind == "rotational" else dist.rank
        scale = rotational_scale(dist)
        value = radial_loss(w[:r], w_star[:r], scale)
        return Estimate(value, radial_loss_rounding_bound(w[:r], w_star[:r], scale), "exact", "exact", kind="exact")
    sums = _sampled_gradient_and_loss(dist, w, w_star, method, n, seed)
    if sums.method == "exact":
        return Estimate(sums.mean[-1], float(sums.rounding_bound(sums.mean[-1])), "exact", "exact", sums.n,
                        kind="exact")
    groups = None if sums.group_means is None else sums.group_means[:, :, -1]
    return sums.estimate(sums.batch_means[:, -1], groups)

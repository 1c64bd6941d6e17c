"""Exact sups over θ of the β and L_cross ratios for a finite law in p = 2 (docs/claims.md §2–§3).

For a finite law (an :class:`~verify.laws.distributions.Empirical` sample, or any law
with ``support()``) in p = 2 the direction set at each angle is two points, and
each patch changes region only at finitely many angles; between two such
angles the moments are constant, so the sup over θ of f(θ)/θ is attained at a
piece's left end and is computed exactly by enumerating the pieces.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..laws.distributions import finite_support
from .moments import moment_curves, region_intervals, symmetric_part
from .sampling import SamplingPlan
from ..validation import InvalidArgument

__all__ = ["finite_sup_ratio", "piece_ends"]


def piece_ends(dist: Any, u: np.ndarray, v: np.ndarray, regions: Sequence[str], upper: float) -> np.ndarray:
    """The sorted angles in (0, upper] at which some patch enters or leaves one of ``regions``.

    Computed with the same arithmetic as :func:`verify.estimators.moments.moment_curves`
    (ψ = atan2(z·v, z·u), the interval ends of ``_region_intervals``), so a grid
    point equal to an end is classified exactly as the moment engine does.
    """
    atoms = finite_support(dist)
    psi = np.arctan2(atoms @ v, atoms @ u)
    ends = []
    for region in regions:
        lo, hi = region_intervals(psi, region)
        ends.extend([lo[np.isfinite(lo)], hi[np.isfinite(hi)]])
    ends = np.concatenate(ends) if ends else np.zeros(0)
    ends = ends[(ends > 0) & (ends <= upper)]
    return np.unique(np.r_[ends, upper])


def finite_sup_ratio(dist: Any, u: np.ndarray, quantity: str, upper: float = math.pi / 2) -> tuple[float, float]:
    """Exact sup over θ ∈ (0, upper] of f(θ)/θ for a finite law in p = 2: the tight β or L_cross.

    Parameters
    ----------
    dist : finite law (``support()`` not None), p = 2
    u : ndarray (2,)
        Unit teacher direction.
    quantity : {"beta", "cross"}
        ``beta``: f = λ_max(E[Z_{S(w,−w*)} Z_{S(w,−w*)}ᵀ]) (Assumptions 2.1/3.1);
        ``cross``: f = the sum of the three largest singular values of
        Assumption 3.2.

    Returns
    -------
    (value, θ at which the sup is approached); value is ``inf`` when f > 0 on
    (0, ε) (a patch on the hyperplane u⊥).

    Notes
    -----
    For each of the two directions v = ±v₀ (the direction set in p = 2), the
    regions' memberships change only at finitely many angles (the ends of the
    intervals of :func:`verify.estimators.moments.moment_curves`), so f is constant on
    each open piece (a, b) between consecutive ends, and sup_{(a,b)} f/θ = f/a.
    f is evaluated (exactly: finite sums) at each piece's midpoint.  The
    isolated ends themselves, where a patch lies exactly on w⊥ and the closed
    regions of the paper overlap, are left out: this is the sup over θ off a
    finite set (at most one patch on w(θ)⊥ at a time is a tie of measure zero
    for any law with a density; the paper's remarks all read the regions so).
    """
    if quantity == "beta":
        regions, pairs = ("opposite",), (("opposite", "opposite"),)
    elif quantity == "cross":
        regions = ("same", "opposite", "flipped")
        pairs = (("same", "opposite"), ("same", "flipped"), ("opposite", "flipped"))
    else:
        raise InvalidArgument("quantity", f"must be beta or cross, got {quantity!r}")
    if dist.p != 2 or finite_support(dist) is None:
        raise InvalidArgument("dist", "finite_sup_ratio needs a finite law in p = 2")
    u = np.asarray(u, float) / np.linalg.norm(u)
    v0 = np.array([-u[1], u[0]])
    best, arg = 0.0, math.nan
    for v in (v0, -v0):
        ends = piece_ends(dist, u, v, regions, upper)
        left = np.r_[0.0, ends[:-1]]
        mids = 0.5 * (left + ends)
        curves = moment_curves(dist, u, v, mids, pairs, SamplingPlan("exact", 1, None))
        total = np.zeros(mids.shape[0])
        for i, _ in enumerate(pairs):
            m = curves.sums.mean[i]
            if quantity == "beta":
                total += np.linalg.eigvalsh(symmetric_part(m))[:, -1]
            else:
                total += np.linalg.svd(m, compute_uv=False)[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(left > 0, total / np.where(left > 0, left, 1.0),
                             np.where(total > 1e-300, np.inf, 0.0))
        j = int(np.argmax(ratio))
        if ratio[j] > best:
            best, arg = float(ratio[j]), float(left[j])
    return best, arg

"""Exact sups over θ of the β and L_cross ratios for a finite law (docs/claims.md §2–§3).

A finite law (an :class:`~verify.laws.distributions.Empirical` sample, or any law
with ``support()``) changes the region memberships of its atoms only at finitely
many angles, so its moments are piecewise constant in θ and the sups are found by
enumerating where they can sit, not on a grid:

* p = 2 (:func:`finite_sup_ratio`, β and L_cross, any k): the direction set is the
  two points v = ±v₀, and each patch crosses w(θ)⊥ at most twice.  Between two
  consecutive crossings (the *breakpoints*) the moments are constant, so the sup
  of f(θ)/θ over the piece (a, b) is f/a, the value just to the right of a.  Every
  piece on both sides of every breakpoint is evaluated.
* any p, one patch (:func:`finite_beta`, β only): the region S(w, −w*) grows with θ
  along every direction (an atom z with a = −u*·z > 0 enters when v·x ≥ cot θ,
  x = (z − (u*·z)u*)/a), so λ_max is non-decreasing in θ and the sup of λ_max/θ
  sits where a set of atoms first becomes reachable: θ = arccot d with d the
  distance from 0 to the convex hull of their x's, attained at a point of the
  affine hull of at most p − 1 of them (Carathéodory).  Enumerating those subsets
  gives every such θ with its direction.

Rounding.  Breakpoints that agree up to their rounding bound are one breakpoint
(positive multiples of one patch cross at the same θ, however the products round),
and an atom within the rounding bound of a hyperplane is on it: the convention of
the claim (:func:`verify.geometry.region_mask`, ``boundary``) then decides its
region.  With exact masks a moment with no contributing pair is an exact zero.
"""
from __future__ import annotations

import itertools
import math
from typing import Any, Sequence

import numpy as np

from ..geometry import orthonormal_complement, region_mask
from ..laws.distributions import finite_support
from .moments import symmetric_part
from ..results import Estimate
from ..validation import InvalidArgument

__all__ = ["finite_sup_ratio", "piece_ends", "finite_beta", "finite_beta_estimate", "plane_breakpoints",
           "MAX_SUBSETS"]

EPS = float(np.finfo(float).eps)
#: The largest number of atom subsets :func:`finite_beta` enumerates (a law needing more returns None).
MAX_SUBSETS = 200_000
_PAIRS = {"beta": (("opposite", "opposite"),),
          "cross": (("same", "opposite"), ("same", "flipped"), ("opposite", "flipped"))}


def _dot_bound(atoms: np.ndarray) -> np.ndarray:
    """Rounding bound of z·u for a unit u, each atom (..., p): (p + 2)·ε·‖z‖ (Higham (3.5), u's own rounding)."""
    return (atoms.shape[-1] + 2) * EPS * np.linalg.norm(atoms, axis=-1)


def plane_breakpoints(atoms: np.ndarray, u: np.ndarray, v: np.ndarray, upper: float) -> np.ndarray:
    """The angles θ ∈ (0, upper] at which some patch crosses w(θ)⊥, w(θ) = cos θ·u + sin θ·v, merged
    within their rounding bounds; shape (B, 2), each row the [low, high] ends of one breakpoint.

    A patch of plane coordinates (x, y) = (u·z, v·z), polar angle ψ, has w(θ)·z = r cos(θ − ψ), zero at
    θ = ψ ± π/2.  ψ = atan2(y, x) errs by at most 2δ/r + 2πε with δ the dot products' bound
    (:func:`_dot_bound`); crossings whose bound intervals overlap are one breakpoint (single linkage),
    so positive multiples of a patch give one breakpoint.

    Examples
    --------
    >>> z = np.array([[[1.0, 2.0]], [[0.7, 1.4]]])          # collinear: one breakpoint
    >>> plane_breakpoints(z, np.array([1.0, 0.0]), np.array([0.0, 1.0]), math.pi).shape
    (1, 2)
    """
    z = atoms.reshape(-1, atoms.shape[-1])
    x, y = z @ u, z @ v
    r = np.hypot(x, y)
    bound = _dot_bound(z)
    live = r > 4 * bound  # a patch (nearly) orthogonal to the plane never crosses decidably: on w⊥ throughout
    psi = np.arctan2(y[live], x[live])
    tol = 2 * bound[live] / r[live] + 4 * math.pi * EPS
    ends = np.concatenate([psi - math.pi / 2, psi + math.pi / 2, psi + 1.5 * math.pi])  # the ones that reach (0, π]
    tols = np.tile(tol, 3)
    keep = (ends + tols > 0) & (ends - tols <= upper)
    ends, tols = ends[keep], tols[keep]
    if ends.size == 0:
        return np.zeros((0, 2))
    order = np.argsort(ends)
    lo, hi = ends[order] - tols[order], ends[order] + tols[order]
    starts = np.flatnonzero(np.r_[True, lo[1:] > np.maximum.accumulate(hi)[:-1]])
    return np.stack([np.minimum.reduceat(ends[order], starts), np.maximum.reduceat(ends[order], starts)], axis=1)


def piece_ends(dist: Any, u: np.ndarray, v: np.ndarray, regions: Sequence[str], upper: float) -> np.ndarray:
    """The sorted angles in (0, upper] at which some patch may change region (``regions`` is accepted
    for the callers' sake: every region changes only where a patch crosses w(θ)⊥), ``upper`` included.

    Each merged breakpoint of :func:`plane_breakpoints` contributes its low end (its crossings agree
    within rounding), so the midpoint of two consecutive returned angles is no crossing: there the
    memberships are decided, and positive multiples of a patch share them.
    """
    del regions
    b = plane_breakpoints(finite_support(dist), np.asarray(u, float), np.asarray(v, float), upper)
    ends = b[:, 0]
    ends = ends[(ends > 0) & (ends <= upper)]
    return np.unique(np.r_[ends, upper])


def _masks(atoms: np.ndarray, u: np.ndarray, w: np.ndarray, region: str, boundary: str) -> np.ndarray:
    """1{Z_i ∈ region} at each student direction: atoms (m, k, p), w (P, p) → (P, m, k) bool.

    Projections within their rounding bound of 0 are 0 (the atom is on the hyperplane), and
    :func:`verify.geometry.region_mask` applies the convention ``boundary`` there.
    """
    bound = _dot_bound(atoms)
    teacher = atoms @ u
    teacher = np.where(np.abs(teacher) <= bound, 0.0, teacher)
    student = np.einsum("mkp,Pp->Pmk", atoms, w)
    student = np.where(np.abs(student) <= 2 * bound, 0.0, student)
    return region_mask(student, teacher[None], region, boundary)


def _pair_moments(atoms: np.ndarray, u: np.ndarray, w: np.ndarray, pairs, boundary: str) -> list[np.ndarray]:
    """E[Z_{R1} Z_{R2}ᵀ] at each student direction w (P, p), for each pair: a list of (P, p, p)
    (docs/claims.md §3: Z_R = (1/k) Σ_i Z_i 1{Z_i ∈ R}; the law uniform on the m draws)."""
    m, k, _ = atoms.shape
    avg = {r: np.einsum("Pmk,mkp->Pmp", _masks(atoms, u, w, r, boundary).astype(float), atoms) / k
           for r in {r for pair in pairs for r in pair}}
    return [np.einsum("Pmp,Pmq->Ppq", avg[r1], avg[r2]) / m for r1, r2 in pairs]


def _objective(moments: list[np.ndarray], quantity: str) -> np.ndarray:
    """λ_max of the symmetric part (β) or the sum of the largest singular values (L_cross), shape (P,)."""
    if quantity == "beta":
        return np.linalg.eigvalsh(symmetric_part(moments[0]))[:, -1]
    return sum(np.linalg.svd(mm, compute_uv=False)[:, 0] for mm in moments)


def _objective_bound(atoms: np.ndarray, quantity: str) -> float:
    """Rounding bound of the objective: each moment entry sums m·k² products of size ≤ max‖Z_i‖²/k²,
    so errs by ≤ (m k² + p)·ε·max‖Z_i‖² (Higham (4.4)); Weyl moves an eigen/singular value by at most
    the Frobenius norm of the entry errors, p times that; three pairs for L_cross."""
    m, k, p = atoms.shape
    scale = float(np.max(np.sum(atoms**2, axis=-1))) if atoms.size else 0.0
    return (3 if quantity == "cross" else 1) * p * (m * k * k + p) * EPS * scale


def finite_sup_ratio(dist: Any, u: np.ndarray, quantity: str, upper: float = math.pi / 2,
                     boundary: str = "closed") -> tuple[float, float]:
    """Exact sup over θ ∈ (0, upper] of f(θ)/θ for a finite law in p = 2: the tight β or L_cross.

    Parameters
    ----------
    dist : finite law (``support()`` not None), p = 2, any k
    u : ndarray (2,)
        Teacher direction (normalized here).
    quantity : {"beta", "cross"}
        ``beta``: f = λ_max(E[Z_{S(w,−w*)} Z_{S(w,−w*)}ᵀ]) (Assumptions 2.1/3.1);
        ``cross``: f = the sum of the three largest singular values of Assumption 3.2.
    upper : float
    boundary : {"closed", "half-open", "teacher-open"}
        The convention for atoms on w*⊥ (:func:`verify.geometry.region_mask`); "closed" as printed.

    Returns
    -------
    (value, θ at which the sup is approached)
        ``inf`` when f > 0 (beyond its rounding bound) on (0, ε); an exact ``0.0`` (θ NaN) when no
        piece has a contributing pair.

    Notes
    -----
    For each v = ±v₀ the breakpoints (:func:`plane_breakpoints`) cut (0, upper] into pieces on which
    every membership is constant; each piece is classified at its midpoint, where no patch is within
    rounding of w(θ)⊥, and contributes f/a (a its left end: the value just right of the breakpoint a).
    The breakpoints themselves, where a patch lies on w(θ)⊥ and the closed regions overlap, are a finite
    set of angles, left out as a null set (the sup over θ off them; the paper's remarks read the regions
    so).  Examples
    --------
    >>> from verify.laws.builtin import Empirical
    >>> z = np.array([[[1.0, 2.0], [0.7, 1.4]], [[-1.0, 0.3], [-0.3, 0.09]]])   # collinear patches
    >>> finite_sup_ratio(Empirical(z), np.array([1.0, 0.0]), "cross")[0]
    0.0
    """
    if quantity not in _PAIRS:
        raise InvalidArgument("quantity", f"must be beta or cross, got {quantity!r}")
    atoms = finite_support(dist)
    if dist.p != 2 or atoms is None:
        raise InvalidArgument("dist", "finite_sup_ratio needs a finite law in p = 2")
    atoms = np.asarray(atoms, float)
    u = np.asarray(u, float) / np.linalg.norm(u)
    v0 = np.array([-u[1], u[0]])
    floor = _objective_bound(atoms, quantity)
    best, arg = 0.0, math.nan
    for v in (v0, -v0):
        b = plane_breakpoints(atoms, u, v, upper)
        lefts = np.r_[0.0, b[:, 0]]
        rights_of_left = np.r_[0.0, b[:, 1]]
        nexts = np.r_[b[:, 0], upper]
        ok = nexts > rights_of_left
        mids = 0.5 * (rights_of_left + nexts)[ok]
        lefts = lefts[ok]
        w = np.outer(np.cos(mids), u) + np.outer(np.sin(mids), v)
        total = _objective(_pair_moments(atoms, u, w, _PAIRS[quantity], boundary), quantity)
        total = np.where(total <= floor, 0.0, total)  # rounding noise of an exact zero
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(lefts > 0, total / np.where(lefts > 0, lefts, 1.0), np.where(total > 0, np.inf, 0.0))
        if ratio.size:
            j = int(np.argmax(ratio))
            if ratio[j] > best:
                best, arg = float(ratio[j]), float(lefts[j])
    return best, arg


def _nearest_points(x: np.ndarray, subsets: np.ndarray) -> np.ndarray:
    """The point of the affine hull of each subset of rows of ``x`` (N, d) nearest 0: (C, d)."""
    pts = x[subsets]  # (C, s, d)
    base = pts[:, 0]
    if subsets.shape[1] == 1:
        return base
    diffs = np.swapaxes(pts[:, 1:] - base[:, None], 1, 2)  # (C, d, s-1)
    lam = -np.einsum("cij,cj->ci", np.linalg.pinv(diffs), base)
    return base + np.einsum("cij,cj->ci", diffs, lam)


def finite_beta(dist: Any, u: np.ndarray, boundary: str = "closed", max_subsets: int = MAX_SUBSETS
                ) -> tuple[float, float, np.ndarray] | None:
    """The tight β of a finite one-patch law in any p, exactly (docs/claims.md §2, Assumption 2.1).

    Parameters
    ----------
    dist : finite law, k = 1
    u : ndarray (p,)
        Teacher direction (normalized here).
    boundary : {"closed", "half-open", "teacher-open"}
        Convention for atoms on the hyperplanes (:func:`verify.geometry.region_mask`).
    max_subsets : int
        Enumeration budget; None is returned when the law needs more.

    Returns
    -------
    (β, θ, v) or None
        β = sup_{0<θ≤π/2} max_v λ_max(A_{w(θ,v),−w*})/θ, the θ where it is attained (the regions
        closed) or approached (``half-open``) and the unit direction v ⟂ u*; ``inf`` when an atom
        off 0 lies on w*⊥ and the convention counts it in S(w, −w*); 0.0 when no atom can enter.

    Notes
    -----
    Atom z with a = −u*·z > 0 and y its part in u*⊥ is in S(w(θ, v), −w*) iff v·x ≥ cot θ, x = y/a
    (module doc).  λ_max is non-decreasing in the set of atoms (a sum of zzᵀ), so the sup sits at an
    angle where a set T first becomes reachable, θ_T = arccot d_T with d_T the distance from 0 to
    conv{x : z ∈ T}; the nearest point lies in the affine hull of ≤ p − 1 of them.  For each such
    subset the nearest point q of its affine hull gives v = q/‖q‖, θ = arccot ‖q‖, where every atom
    with v·x ≥ ‖q‖ (within rounding) is counted; θ = π/2 (d = 0) is covered by the directions
    normal to p − 2 of the x's.  Each candidate is a real point (θ, v), so the maximum over them is
    attained, and it includes the optimum: exact up to rounding.

    Examples
    --------
    >>> import itertools
    >>> from verify.laws.builtin import Empirical
    >>> cube = np.array(list(itertools.product([-1.0, 1.0], repeat=4)))
    >>> value, theta, _ = finite_beta(Empirical(cube), np.eye(4)[0])
    >>> bool(abs(value - 2 / math.pi) < 1e-13), bool(abs(theta - math.pi / 4) < 1e-13)
    (True, True)
    """
    atoms = finite_support(dist)
    if atoms is None or dist.k != 1:
        raise InvalidArgument("dist", "finite_beta needs a finite one-patch law")
    z = np.asarray(atoms, float)[:, 0, :]
    m, p = z.shape
    u = np.asarray(u, float) / np.linalg.norm(u)
    basis = orthonormal_complement(u)  # (p − 1, p)
    bound = _dot_bound(z)
    a = -(z @ u)
    y = z @ basis.T
    on_plane = np.abs(a) <= bound
    off_zero = np.linalg.norm(y, axis=1) > bound
    if boundary != "teacher-open" and np.any(on_plane & off_zero):
        j = int(np.flatnonzero(on_plane & off_zero)[0])
        return math.inf, 0.0, y[j] / np.linalg.norm(y[j]) @ basis
    cand = np.flatnonzero(a > bound)
    if cand.size == 0:
        return 0.0, math.nan, basis[0]
    x = y[cand] / a[cand, None]
    zc = z[cand]
    n_sub = sum(math.comb(cand.size, s) for s in range(1, min(p - 1, cand.size) + 1))
    if n_sub > max_subsets:
        return None
    thetas, dirs = [], []
    for s in range(1, min(p - 1, cand.size) + 1):
        subsets = np.array(list(itertools.combinations(range(cand.size), s)), dtype=int)
        q = _nearest_points(x, subsets)
        d = np.linalg.norm(q, axis=1)
        good = d > 0
        thetas.append(np.arctan2(1.0, d[good]))
        dirs.append(q[good] / d[good, None])
        if s == p - 2:  # θ = π/2 (d = 0): the directions normal to p − 2 of the x's, both signs
            normals = np.linalg.svd(x[subsets])[2][:, -1]
            thetas.append(np.full(2 * normals.shape[0], math.pi / 2))
            dirs.append(np.r_[normals, -normals])
    if p == 2:
        thetas.append(np.full(2, math.pi / 2))
        dirs.append(np.array([[1.0], [-1.0]]))
    thetas.append(np.full(sum(d.shape[0] for d in dirs), math.pi / 2))  # every direction found, at π/2 too
    dirs.append(np.concatenate(dirs))
    thetas, dirs = np.concatenate(thetas), np.concatenate(dirs)
    scale = np.linalg.norm(x, axis=1)
    floor = _objective_bound(z[:, None, :], "beta")
    best, arg, best_v = 0.0, math.nan, basis[0]
    chunk = max(1, 2**22 // max(1, cand.size * p))
    for start in range(0, thetas.size, chunk):
        th, vv = thetas[start:start + chunk], dirs[start:start + chunk]
        slack = vv @ x.T - 1.0 / np.tan(th)[:, None]  # v·x − cot θ, (C, N)
        tol = 64 * p * EPS * (scale[None, :] + np.linalg.norm(x, axis=1).max())
        inside = slack >= -tol  # on w⊥ counts: attained (closed) or the limit from the right (half-open)
        moments = np.einsum("cn,np,nq->cpq", inside.astype(float), zc, zc) / m
        lam = np.linalg.eigvalsh(moments)[:, -1]
        lam = np.where(lam <= floor, 0.0, lam)
        ratio = lam / th
        j = int(np.argmax(ratio))
        if ratio[j] > best:
            best, arg, best_v = float(ratio[j]), float(th[j]), vv[j] @ basis
    return best, arg, best_v


def finite_beta_estimate(dist: Any, u: np.ndarray, boundary: str = "closed") -> Estimate | None:
    """The tight β of a finite law as an exact :class:`~verify.results.Estimate`, or None where no exact
    enumeration applies (k > 1 in p ≥ 3, or more than :data:`MAX_SUBSETS` subsets).

    p = 2: :func:`finite_sup_ratio` (any k); k = 1: :func:`finite_beta`.  The error is the rounding
    bound of λ_max (:func:`_objective_bound`) over θ, plus 8ε relative for the division and arccot.

    Examples
    --------
    >>> import itertools
    >>> from verify.laws.builtin import Empirical
    >>> cube = np.array(list(itertools.product([-1.0, 1.0], repeat=3)))
    >>> e = finite_beta_estimate(Empirical(cube), np.eye(3)[0])
    >>> e.kind, e.error_kind, bool(e.error < 1e-13)
    ('exact', 'exact', True)
    """
    atoms = finite_support(dist)
    if atoms is None:
        return None
    atoms = np.asarray(atoms, float)
    if dist.p == 2:
        value, theta = finite_sup_ratio(dist, u, "beta", boundary=boundary)
        v = None
    elif dist.k == 1:
        found = finite_beta(dist, u, boundary)
        if found is None:
            return None
        value, theta, v = found
    else:
        return None
    if not math.isfinite(value) or value == 0.0:
        error = 0.0
    else:
        error = _objective_bound(atoms, "beta") / theta + 8 * EPS * value
    record = {"theta": theta, "direction": None if v is None else [float(c) for c in v],
              "enumeration": "breakpoints (p = 2)" if dist.p == 2 else "atom subsets (Carathéodory)"}
    return Estimate(value, error, "exact", "exact", int(atoms.shape[0]), None, "exact", search=record)

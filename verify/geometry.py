"""Angles, bases and planes: the geometry every module shares (docs/claims.md §2).

θ(a, b) ∈ [0, π] is computed as atan2(‖a_⊥‖, a·b̂): arccos of a rounded cosine
loses about half the digits near 0 and π, atan2 keeps them.

The regions S(±w, ±w*) of docs/claims.md §2 are masked in one place,
:func:`region_mask`, with the convention on the hyperplanes w⊥ and w*⊥ as an
argument (Lemma A.1 is refuted exactly on that distinction, docs/claims.md §4
claim 1).
"""
from __future__ import annotations

import math  # noqa: F401 - the doctests use it

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["REGION_SIGNS", "BOUNDARIES", "angle", "basis_vector", "orthonormal_complement", "plane_of",
           "region_mask", "unit"]

#: Signs (s_w, s_*) of each region S(s_w·w, s_*·w*) (docs/claims.md §2–§3): "same" is S(w, w*),
#: "opposite" S(w, −w*), "flipped" S(−w, w*).
REGION_SIGNS = {"same": (1, 1), "opposite": (1, -1), "flipped": (-1, 1)}
#: Conventions on the hyperplanes accepted by :func:`region_mask`.
BOUNDARIES = ("closed", "half-open", "teacher-open")


def angle(a: ArrayLike, b: ArrayLike) -> np.ndarray | float:
    """θ(a, b) ∈ [0, π] by atan2 (docs/claims.md notation), vectorized over leading axes.

    Parameters
    ----------
    a, b : array_like (..., p)
        Broadcast against each other; ``b`` non-zero.  A zero ``a`` gives 0
        (atan2(0, 0)); callers that need NaN for w = 0 mask it themselves.

    Returns
    -------
    float or ndarray (...)

    Examples
    --------
    >>> float(angle([1.0, 1e-12], [1.0, 0.0]))
    1e-12
    >>> float(angle([[1.0, 0.0], [-1.0, 0.0]], [1.0, 0.0])[1]) == math.pi
    True
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    u = b / np.linalg.norm(b, axis=-1, keepdims=True)
    along = np.sum(a * u, axis=-1)
    perp = np.linalg.norm(a - along[..., None] * u, axis=-1)
    out = np.arctan2(perp, along)
    return float(out) if out.ndim == 0 else out


def unit(v: ArrayLike) -> np.ndarray:
    """v/‖v‖ along the last axis, shape of ``v``.

    Examples
    --------
    >>> unit([3.0, 4.0]).tolist()
    [0.6, 0.8]
    """
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def basis_vector(p: int, i: int = 0) -> np.ndarray:
    """The unit coordinate vector e_i of R^p, shape (p,), without building I_p.

    Examples
    --------
    >>> basis_vector(3, 1).tolist()
    [0.0, 1.0, 0.0]
    """
    e = np.zeros(int(p))
    e[i] = 1.0
    return e


def orthonormal_complement(u: ArrayLike) -> np.ndarray:
    """An orthonormal basis of u⊥ as rows, shape (p − 1, p) (QR of [u | I]).

    Parameters
    ----------
    u : array_like (p,)
        Unit vector.

    Examples
    --------
    >>> b = orthonormal_complement([0.6, 0.8])
    >>> b.shape, bool(abs(b[0] @ [0.6, 0.8]) < 1e-15)
    ((1, 2), True)
    """
    u = np.asarray(u, dtype=float)
    q, _ = np.linalg.qr(np.column_stack([u, np.eye(u.shape[0])]))
    return q[:, 1:u.shape[0]].T


def plane_of(w: ArrayLike, w_star: ArrayLike) -> tuple[np.ndarray, np.ndarray, float]:
    """The plane of (w*, w): u* = w*/‖w*‖, a unit v ⟂ u*, and φ = θ(w, w*) (docs/claims.md §2).

    w = ‖w‖(cos φ·u* + sin φ·v).  When w ∥ w* any v ⟂ u* serves; the
    coordinate axis least aligned with u* is used, made orthogonal.

    Parameters
    ----------
    w, w_star : array_like (p,)
        Non-zero.

    Returns
    -------
    u : ndarray (p,), v : ndarray (p,), phi : float

    Examples
    --------
    >>> u, v, phi = plane_of([1.0, 1.0], [1.0, 0.0])
    >>> v.tolist(), round(phi, 15) == round(math.pi / 4, 15)
    ([0.0, 1.0], True)
    """
    w, w_star = np.asarray(w, dtype=float), np.asarray(w_star, dtype=float)
    u = w_star / np.linalg.norm(w_star)
    wn = w / np.linalg.norm(w)
    c = float(np.clip(wn @ u, -1.0, 1.0))
    resid = wn - c * u
    resid -= (resid @ u) * u  # again: c is rounded, so one pass leaves a component ~ε along u
    if np.linalg.norm(resid) < 1e-12:
        e = basis_vector(u.shape[0], int(np.argmin(np.abs(u))))
        resid = e - (e @ u) * u
    v = resid / np.linalg.norm(resid)
    # wn·v ≥ 0 by construction up to rounding: clamp so that w ∥ w* gives φ = 0, not −ε
    return u, v, float(np.arctan2(max(float(wn @ v), 0.0), c))


def region_mask(along_w: ArrayLike, along_w_star: ArrayLike, region: str = "same",
                boundary: str = "closed") -> np.ndarray:
    """1{Z ∈ S(s_w·w, s_*·w*)} from the projections w·Z and w*·Z (docs/claims.md §2, eq. (3) of the paper).

    S(w, w*) = {Z : w·Z ≥ 0 and w*·Z ≥ 0}; ``region`` picks the signs (:data:`REGION_SIGNS`):
    "same" S(w, w*), "opposite" S(w, −w*), "flipped" S(−w, w*).

    Parameters
    ----------
    along_w, along_w_star : array_like (...)
        w·Z and w*·Z (for patches: w·Z_i, w*·Z_i), broadcast against each other.
    region : {"same", "opposite", "flipped"}
    boundary : {"closed", "half-open", "teacher-open"}
        How the hyperplanes are counted:

        * ``"closed"`` — both inequalities ≥ 0, as printed (docs/claims.md §2).  A patch on w*⊥
          with w·Z > 0 lies in S(w, w*) *and* S(w, −w*): Lemma A.1's identity counts it twice
          (docs/claims.md §4 claim 1, reading ``closed-regions``).
        * ``"half-open"`` — the student's side strict, s_w·w·Z > 0, the teacher's closed.  β's tail
          index (:func:`verify.estimators.beta._tail_index`) reads t = v·Z on {v·Z > 0, u*·Z ≤ 0}, the
          limit of S(w(φ), −w*) as φ → 0, and takes log t: t = 0 must be left out.
        * ``"teacher-open"`` — the teacher's side strict, s_*·w*·Z > 0, the student's closed (Lemma A.1's
          ``half-open`` reading: S(w, −w*) with w*·Z < 0 removes the double count).

        The conventions differ only on the hyperplanes, a null set for every law with a density.

    Returns
    -------
    ndarray of bool (...)

    Examples
    --------
    >>> region_mask([1.0, 0.0, 1.0], [0.0, 1.0, -1.0]).tolist()
    [True, True, False]
    >>> region_mask([1.0, 0.0, 1.0], [0.0, 1.0, -1.0], "opposite").tolist()
    [True, False, True]
    >>> region_mask([1.0, 0.0], [0.0, -1.0], "opposite", boundary="half-open").tolist()
    [True, False]
    """
    if region not in REGION_SIGNS:
        raise ValueError(f"region must be one of {tuple(REGION_SIGNS)}, got {region!r}")
    if boundary not in BOUNDARIES:
        raise ValueError(f"boundary must be one of {BOUNDARIES}, got {boundary!r}")
    s_w, s_star = REGION_SIGNS[region]
    student = s_w * np.asarray(along_w, dtype=float)
    teacher = s_star * np.asarray(along_w_star, dtype=float)
    student_in = student > 0 if boundary == "half-open" else student >= 0
    teacher_in = teacher > 0 if boundary == "teacher-open" else teacher >= 0
    return student_in & teacher_in

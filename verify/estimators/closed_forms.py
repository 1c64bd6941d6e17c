"""Closed forms for N(0, I_p) and radial input (docs/claims.md §6), each written once.

A radial law Z = R·U (R ≥ 0 independent of the direction U, uniform on the
sphere) has every second-order quantity of N(0, I_p) multiplied by
s = E‖Z‖²/p: the network is 1-homogeneous in Z, so moments, gradient and loss
are quadratic in R and E[R²] = E‖Z‖² factors out (E‖Z‖²/p = 1 for N(0, I_p)).

Functions
---------
:func:`gaussian_second_moment`  A_{w1,w2} = E[Z Zᵀ 1{w1·Z ≥ 0, w2·Z ≥ 0}]
:func:`radial_constants`        γ(φ), L(φ), L_{−w*}(φ), β, L_cross in closed form
:func:`arccos_kernel`           E[σ(w·x)σ(v·x)] (Cho & Saul 2009)
:func:`radial_gradient`         E∇ℓ(w) (Tian 2017), vectorized over runs
:func:`radial_loss`             E ℓ(w) without cancellation, and its rounding bound
:func:`radial_mean_label`       E σ(w*·Z)
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..geometry import angle, basis_vector

__all__ = [
    "gaussian_second_moment",
    "radial_eigenvalues",
    "radial_constants",
    "arccos_kernel",
    "sin_minus_theta_cos",
    "radial_gradient",
    "radial_loss",
    "radial_loss_rounding_bound",
    "radial_mean_label",
    "gaussian_population_gradient",
    "gaussian_loss",
]

_EPS = float(np.finfo(float).eps)


def gaussian_second_moment(w1: ArrayLike, w2: ArrayLike) -> np.ndarray:
    """E[Z Zᵀ 1{w1·Z ≥ 0, w2·Z ≥ 0}] for Z ~ N(0, I_p), in closed form (docs/claims.md §2, §6).

    Parameters
    ----------
    w1, w2 : array_like (p,)
        Either may be zero (then its constraint holds everywhere).

    Returns
    -------
    ndarray (p, p)

    Notes
    -----
    Derivation.  Only the plane P of (w1, w2) sees the constraints.  In polar
    coordinates z = r(cos ψ, sin ψ) on P, with ψ measured from w1 and w2 at
    ψ = φ = θ(w1, w2), the region is the wedge ψ ∈ [φ − π/2, π/2] of width
    Δ = π − φ and bisector c = (cos φ/2, sin φ/2).  Since ∫₀^∞ r²·r e^{−r²/2} dr
    = 2, the plane block is (1/π)∫ u(ψ)u(ψ)ᵀ dψ over the wedge, and with
    u uᵀ = ½I + ½(cos 2ψ, sin 2ψ; sin 2ψ, −cos 2ψ) this is

        (Δ/(2π))·I_P + (sin Δ/(2π))·(c cᵀ − c⊥ c⊥ᵀ).

    Orthogonal to P the coordinates are independent of the wedge, giving
    P(wedge)·I = (Δ/(2π))·I.  Hence the eigenvalues (π−φ ± sin φ)/(2π) along
    c and c⊥ and (π−φ)/(2π) with multiplicity p − 2.  A_{w,−w*} is the case
    w2 = −w*, Δ = φ: eigenvalues (φ ± sin φ)/(2π), φ/(2π).

    Examples
    --------
    >>> a = gaussian_second_moment([1.0, 0.0], [1.0, 0.0])
    >>> np.allclose(a, np.eye(2) / 2)
    True
    """
    w1, w2 = np.asarray(w1, float), np.asarray(w2, float)
    p = w1.shape[0]
    n1, n2 = np.linalg.norm(w1), np.linalg.norm(w2)
    if n1 == 0 or n2 == 0:
        return np.eye(p) * (1.0 if n1 == n2 == 0 else 0.5)
    if p == 1:  # a half-line when the signs agree, else the point 0 (no plane to rotate in)
        return np.array([[0.5 if w1[0] * w2[0] > 0 else 0.0]])
    a = w1 / n1
    cos_phi = float(np.clip(a @ (w2 / n2), -1.0, 1.0))
    resid = w2 / n2 - cos_phi * a
    resid -= (resid @ a) * a  # again: cos φ is rounded, so one pass leaves a component ~ε along a
    sin_phi = float(np.linalg.norm(resid))
    if np.linalg.norm(resid) < 1e-15:
        e = basis_vector(p, int(np.argmin(np.abs(a))))
        resid = e - (e @ a) * a
    b = resid / np.linalg.norm(resid)
    # The wedge's width Δ = π − φ = θ(w1, −w2), taken directly (π − φ cancels when φ → π);
    # cos(φ/2) = sin(Δ/2) and sin(φ/2) = cos(Δ/2).
    width = math.atan2(sin_phi, -cos_phi)  # acos would lose ~8 digits near 0 and π
    c = math.sin(width / 2) * a + math.cos(width / 2) * b
    c_perp = -math.cos(width / 2) * a + math.sin(width / 2) * b
    return (width * np.eye(p) + math.sin(width) * (np.outer(c, c) - np.outer(c_perp, c_perp))) / (2 * math.pi)


def radial_eigenvalues(phi: Any, second_moment_scale: Any = 1.0, *, pi: Any = math.pi,
                       sin: Callable[[Any], Any] = np.sin) -> tuple[Any, Any, Any]:
    """γ(φ), L(φ), L_{−w*}(φ) of a radial k = 1 law, in any arithmetic (docs/claims.md §2, §6.1).

    γ(φ) = s(π−φ−sin φ)/(2π), L(φ) = s(π−φ+sin φ)/(2π), L_{−w*}(φ) = s(φ+sin φ)/(2π), s = E‖Z‖²/p:
    the extreme eigenvalues of :func:`gaussian_second_moment` scaled by s.  One formula for every
    arithmetic: floats and arrays (G,) by default; mpmath with ``pi=mpmath.pi, sin=mpmath.sin``; Arb
    balls with ``pi=arb.pi(), sin=lambda x: x.sin()`` (:mod:`verify.certify.gradient`).

    Examples
    --------
    >>> [float(x) for x in radial_eigenvalues(0.0)]
    [0.5, 0.5, 0.0]
    >>> import mpmath
    >>> g, L, _ = radial_eigenvalues(mpmath.mpf(1), pi=mpmath.pi, sin=mpmath.sin)
    >>> float(g) == float(radial_eigenvalues(1.0)[0])   # mpmath at 15 digits rounds to the same double
    True
    """
    sine = sin(phi)
    two_pi = 2 * pi
    return (second_moment_scale * (pi - phi - sine) / two_pi, second_moment_scale * (pi - phi + sine) / two_pi,
            second_moment_scale * (phi + sine) / two_pi)


def radial_constants(phi: ArrayLike, second_moment_scale: float = 1.0) -> dict[str, Any]:
    """γ, L, L_{−w*} at φ, tight β and L_cross for a radial k = 1 law (docs/claims.md §2, §6).

    ``phi`` a float gives floats; an array (G,) gives arrays (G,).

    γ, L, L_{−w*} are :func:`radial_eigenvalues` (L_{−w*} is increasing in φ, so the max over
    θ ≤ φ sits at θ = φ); tight β = lim_{φ→0} s(φ+sin φ)/(2πφ) = s/π; L_cross = 0 (k = 1).

    Examples
    --------
    >>> radial_constants(0.0)["gamma"] == 0.5
    True
    """
    s = second_moment_scale
    angles = np.asarray(phi, dtype=float)
    gamma, L, L_neg = radial_eigenvalues(angles, s)
    out = {"gamma": gamma, "L": L, "L_neg": L_neg,
           "beta": np.full_like(angles, s / math.pi),
           "L_cross": np.zeros_like(angles)}
    return {k: float(v) for k, v in out.items()} if angles.ndim == 0 else out


def arccos_kernel(w: ArrayLike, v: ArrayLike) -> float:
    """E[σ(w·x) σ(v·x)] for x ~ N(0, I): ‖w‖‖v‖(sin θ + (π − θ) cos θ)/(2π) (Cho & Saul 2009; docs/claims.md §6).

    Parameters
    ----------
    w, v : array_like (p,)

    Examples
    --------
    >>> arccos_kernel([1.0, 0.0], [1.0, 0.0]) == 0.5
    True
    """
    w, v = np.asarray(w, float), np.asarray(v, float)
    nw, nv = float(np.linalg.norm(w)), float(np.linalg.norm(v))
    if nw == 0 or nv == 0:
        return 0.0
    theta = angle(w, v)
    return nw * nv * (math.sin(theta) + (math.pi - theta) * math.cos(theta)) / (2 * math.pi)


def sin_minus_theta_cos(theta: ArrayLike) -> np.ndarray:
    """sin θ − θ cos θ without cancellation, elementwise, shape of ``theta``.

    Below θ = 0.5 its Taylor series Σ_{n≥1} (−1)^{n+1} 2n θ^{2n+1}/(2n+1)!
    (relative error a few ε); above, the direct form.

    Examples
    --------
    >>> bool(abs(float(sin_minus_theta_cos(1e-6)) - (1e-18 / 3 - 1e-30 / 30)) < 1e-33)
    True
    """
    theta = np.asarray(theta, dtype=float)
    direct = np.sin(theta) - theta * np.cos(theta)
    small = theta < 0.5
    if not np.any(small):
        return direct
    x = np.where(small, theta, 0.0)
    series = np.zeros_like(x)
    term = x.copy()  # θ^{2n+1}/(2n+1)! built up step by step
    for n in range(1, 12):  # 0.5^25/25! < 1e-30: ample
        term = term * x * x / ((2 * n) * (2 * n + 1))
        series += (-1) ** (n + 1) * 2 * n * term
    return np.where(small, series, direct)


def radial_gradient(W: ArrayLike, w_star: ArrayLike, scale: float = 1.0) -> np.ndarray:
    """E∇ℓ(w) for radial input with E‖Z‖²/p = ``scale`` (Tian 2017; docs/claims.md §6).

    s·[½(w − w*) + (1/(2π))(θ·w* − (‖w*‖/‖w‖) sin θ · w)], θ = θ(w, w*) by atan2;
    this equals A_{w,w*}(w − w*) + A_{w,−w*}w with :func:`gaussian_second_moment`.
    At w = 0 every patch is active and f(0, Z) = 0, so E∇ℓ = −E[σ(w*·Z)Z] = −(s/2)w*.

    Parameters
    ----------
    W : array_like (..., p)
        One filter or a stack of runs.
    w_star : array_like (p,)
    scale : float

    Returns
    -------
    ndarray (..., p)

    Examples
    --------
    >>> radial_gradient([1.0, 0.0], [1.0, 0.0]).tolist()
    [0.0, 0.0]
    """
    W, w_star = np.asarray(W, dtype=float), np.asarray(w_star, dtype=float)
    ns = np.linalg.norm(w_star)
    nw = np.linalg.norm(W, axis=-1)
    theta = np.asarray(angle(W, w_star))
    live = nw > 0
    ratio = ns / np.where(live, nw, 1.0)
    g = 0.5 * (W - w_star) + (theta[..., None] * w_star - (ratio * np.sin(theta))[..., None] * W) / (2 * math.pi)
    g = np.where(live[..., None], g, -0.5 * w_star)
    return scale * g


def radial_loss(W: ArrayLike, w_star: ArrayLike, scale: float = 1.0) -> np.ndarray | float:
    """E ℓ(w) for radial input with E‖Z‖²/p = ``scale``, without cancellation (docs/claims.md §1, §6).

    The arc-cosine kernel κ (:func:`arccos_kernel`) gives
    E ℓ = ½(‖w‖²/2 + ‖w*‖²/2 − 2κ), whose O(1) terms cancel near w*.  With
    ‖w‖² + ‖w*‖² = ‖w − w*‖² + 2‖w‖‖w*‖cos θ it rearranges to

        E ℓ = ½[½‖w − w*‖² − (‖w‖‖w*‖/π)(sin θ − θ cos θ)],

    an O(d²) term computed from the difference itself and an O(d³) term
    (:func:`sin_minus_theta_cos`): no O(1) cancellation.

    Parameters
    ----------
    W : array_like (..., p)
    w_star : array_like (p,) or (R, p)
        One teacher, or one per row of W.
    scale : float

    Returns
    -------
    float, or ndarray (...) for a stack

    Examples
    --------
    >>> radial_loss([0.0, 0.0], [2.0, 0.0]) == 1.0
    True
    """
    W, w_star = np.asarray(W, dtype=float), np.asarray(w_star, dtype=float)
    ns = np.linalg.norm(w_star, axis=-1)
    nw = np.linalg.norm(W, axis=-1)
    theta = np.asarray(angle(W, w_star))
    d2 = np.sum((W - w_star) ** 2, axis=-1)
    value = scale * np.maximum(0.5 * (0.5 * d2 - nw * ns / math.pi * sin_minus_theta_cos(theta)), 0.0)
    return float(value) if value.ndim == 0 else value


def radial_loss_rounding_bound(w: ArrayLike, w_star: ArrayLike, scale: float = 1.0) -> float:
    """A bound on |fl(:func:`radial_loss`) − E ℓ(w)| from floating-point rounding, for one w (p,).

    Derivation (ε = machine epsilon, each elementary operation errs by ≤ ε/2
    relatively; the inputs w, w* are exact):

    * d² = Σ(w_i − w*_i)²: a sum of p non-negative rounded terms, each from
      one subtraction and one square, so |δd²| ≤ γ_{p+2}·d² ≤ (p + 3)(ε/2)·d².
    * θ = atan2(‖w − (w·u)u‖, w·u) with u = w*/‖w*‖: u carries relative
      error ≤ (p + 2)ε/2 per entry; the computed w·u and each entry of the
      perpendicular part err by ≤ (p + 4)ε‖w‖ in absolute value, so the
      point (perp, along) moves by ≤ 2(p + 4)ε‖w‖, which moves its polar
      angle by ≤ 2(p + 4)ε, plus ε·θ for atan2 itself: |δθ| ≤ (2p + 9)ε.
    * g(θ) = sin θ − θ cos θ: g'(θ) = θ sin θ, so the error in θ costs
      ≤ θ|sin θ|·|δθ|; evaluating g errs by ≤ 4ε·g on the series branch
      (θ < 0.5: terms of one sign dominate, 11 terms, relative 4ε) and by
      ≤ 4ε(|sin θ| + θ|cos θ|) on the direct branch.
    * the products ‖w‖‖w*‖/π and the final combination add ≤ 4ε of each term.

    Summing, with T1 = ½d² and T2 = (‖w‖‖w*‖/π) g:

        |δ| ≤ s/2·[(p + 3)ε/2·d² + 4ε·(T1 + T2)
                   + (‖w‖‖w*‖/π)(θ sin θ·(2p + 9)ε + δg)],

    which is the value returned (a first-order bound; the second-order terms
    are O(ε²) relative and absorbed by rounding the constants up).

    Examples
    --------
    >>> 0 < radial_loss_rounding_bound([1.0, 1e-6], [1.0, 0.0]) < 1e-27
    True
    """
    w, w_star = np.asarray(w, dtype=float), np.asarray(w_star, dtype=float)
    p = w.shape[-1]
    ns, nw = float(np.linalg.norm(w_star)), float(np.linalg.norm(w))
    theta = float(angle(w, w_star)) if nw > 0 else 0.0
    d2 = float(np.sum((w - w_star) ** 2))
    g = float(sin_minus_theta_cos(theta))
    g_err = 4 * _EPS * g if theta < 0.5 else 4 * _EPS * (abs(math.sin(theta)) + theta * abs(math.cos(theta)))
    t1, t2 = 0.5 * d2, nw * ns / math.pi * g
    bound = 0.5 * ((p + 3) * _EPS / 2 * d2 + 4 * _EPS * (t1 + t2)
                   + nw * ns / math.pi * (theta * abs(math.sin(theta)) * (2 * p + 9) * _EPS + g_err))
    return float(scale * bound)


def radial_mean_label(w_star: ArrayLike, p: int, first_radial_moment: float) -> float:
    """E σ(w*·Z) = ‖w*‖·E‖Z‖·E[max(U_1, 0)] for a radial law in R^p (docs/claims.md §1, §5).

    E|U_1| = Γ(p/2)/(√π Γ((p+1)/2)) for U uniform on S^{p−1}; half of it is
    E max(U_1, 0).  For N(0, I_p), E‖Z‖ = √2 Γ((p+1)/2)/Γ(p/2) and the
    product is ‖w*‖/√(2π).

    Examples
    --------
    >>> round(radial_mean_label([1.0, 0.0, 0.0], 3, 1.0), 15)  # unit sphere in R^3: E max(U_1, 0) = 1/4
    0.25
    """
    half_abs = math.exp(math.lgamma(p / 2) - math.lgamma((p + 1) / 2)) / math.sqrt(math.pi) / 2
    return float(np.linalg.norm(np.asarray(w_star, dtype=float))) * first_radial_moment * half_abs


def gaussian_population_gradient(w: ArrayLike, w_star: ArrayLike) -> np.ndarray:
    """E∇ℓ(w) for x ~ N(0, I): :func:`radial_gradient` with scale 1 (docs/claims.md §6).

    Examples
    --------
    >>> gaussian_population_gradient([0.0, 0.0], [1.0, 0.0]).tolist()
    [-0.5, -0.0]
    """
    return radial_gradient(w, w_star, 1.0)


def gaussian_loss(w: ArrayLike, w_star: ArrayLike) -> float:
    """E ℓ(w) for x ~ N(0, I): :func:`radial_loss` with scale 1 (docs/claims.md §1, §6).

    Examples
    --------
    >>> gaussian_loss([1.0, 0.0], [1.0, 0.0])
    0.0
    """
    return float(radial_loss(w, w_star, 1.0))

"""Deterministic quadrature for axially symmetric one-patch laws (docs/claims.md §2, §5).

An axially symmetric law about u* (the angular mixture of Fig. 3a; every
radial law, about any axis) has the form

    Z = R·(cos θ·u* + sin θ·V),

with R ≥ 0 of second moment m₂ = E R², θ ∈ [0, π] of density g, and V uniform
on the unit sphere of u*⊥ (dimension m = p − 1), all independent.  For a filter
w = cos φ·u* + sin φ·v₀ and the constraint s·(u*·Z) ≥ 0 (s = +1 for w*, −1 for
−w*), write t = V·v₀ and V = t·v₀ + √(1−t²)·V⊥.  Then w·Z ≥ 0 ⟺
t ≥ t₀(θ) = −cot φ·cot θ, and

    A = m₂ ∫ g(θ) [ cos²θ·P·u*u*ᵀ + cosθ sinθ·E_t·(u*v₀ᵀ + v₀u*ᵀ)
                    + sin²θ·E_tt·v₀v₀ᵀ + sin²θ·E_⊥/(p−2)·(I − u*u*ᵀ − v₀v₀ᵀ) ] dθ

over {s cos θ ≥ 0}, with P = P(t ≥ t₀), E_t = E[t; t ≥ t₀], E_⊥ = E[1−t²; t ≥ t₀]
and E_tt = P − E_⊥.  For m ≥ 2, t has density (1−t²)^{(m−3)/2}/B(½, (m−1)/2) and

    P   = I_{(1−t₀)/2}((m−1)/2, (m−1)/2)             ((1+t)/2 is Beta((m−1)/2, (m−1)/2))
    E_t = (1−t₀²)^{(m−1)/2} / ((m−1)·B(½, (m−1)/2))   (d/dt (1−t²)^{(m−1)/2} = −(m−1)t(1−t²)^{(m−3)/2})
    E_⊥ = ((m−1)/m)·P_{m+2}                          ((1−t²)f_m = ((m−1)/m) f_{m+2})

and for m = 1 (p = 2) t = ±1 with probability ½ each.  So each entry is a
one-dimensional integral in θ whatever p is; it is smooth except where
t₀ = ±1 (θ = π/2 ± φ), at θ = π/2 and at the density's own breakpoints,
which are passed to the integrator.
"""
from __future__ import annotations

import math
from typing import Callable

import mpmath
import numpy as np
from scipy import integrate, special

from ..geometry import basis_vector
from ..laws.distributions import quadrature_available
from ..results import ArrayEstimate, Estimate
from ..validation import InvalidArgument

__all__ = ["polar_breakpoints", "equator_density", "axial_second_moment",
           "axial_second_moment_mp", "axial_beta_limit"]

_TERMS = ("uu", "uv", "vv", "rest")


def polar_breakpoints(dist) -> tuple[float, ...]:
    """Where the law's polar density is not smooth: ``polar_angle_breakpoints`` if it has one, else none
    (an optional attribute: docs of :mod:`verify.laws.distributions`).

    Examples
    --------
    >>> polar_breakpoints(object())
    ()
    """
    return tuple(float(x) for x in (getattr(dist, "polar_angle_breakpoints", None) or ()))


def _geometry(dist, w1, w2):
    """Axis u*, unit v₀, cos φ, sin φ of w1 in the (u*, v₀) plane, and the sign s of w2 along u*."""
    w1, w2 = np.asarray(w1, float), np.asarray(w2, float)
    n2 = np.linalg.norm(w2)
    axis = dist.axis if dist.symmetry == "axial" else w2 / n2
    s = float(np.sign(w2 @ axis))
    if abs(abs(w2 @ axis) - n2) > 1e-9 * n2:
        raise InvalidArgument("w_star", "quad needs w* along the distribution's symmetry axis "
                                        f"{np.round(axis, 6).tolist()}")
    n1 = np.linalg.norm(w1)
    if n1 == 0:
        return axis, None, None, None, s
    c = float(np.clip(w1 @ axis / n1, -1.0, 1.0))
    resid = w1 / n1 - c * axis
    resid -= (resid @ axis) * axis  # again: c is rounded, so one pass leaves a component ~ε along the axis
    if np.linalg.norm(resid) < 1e-12:
        e = basis_vector(axis.shape[0], int(np.argmin(np.abs(axis))))
        resid = e - (e @ axis) * axis
    v0 = resid / np.linalg.norm(resid)
    return axis, v0, c, float(np.linalg.norm(w1 / n1 - c * axis)), s


def _t_moments(t0: float, m: int) -> tuple[float, float, float]:
    """(P, E_t, E_⊥) of the module docstring for t = V·v₀, V uniform on S^{m−1}."""
    if m == 1:
        up, down = float(1.0 >= t0), float(-1.0 >= t0)
        return 0.5 * (up + down), 0.5 * (up - down), 0.0
    t0 = min(max(t0, -1.0), 1.0)
    a = (m - 1) / 2
    prob = special.betainc(a, a, (1 - t0) / 2)
    e_t = (1 - t0 * t0) ** a / ((m - 1) * special.beta(0.5, a))
    e_perp = (m - 1) / m * special.betainc(a + 1, a + 1, (1 - t0) / 2)
    return prob, e_t, e_perp


def _threshold(theta: float, cos_phi, sin_phi) -> float:
    """t₀(θ): the constraint is t ≥ t₀; ±inf encode "never" / "always"."""
    if cos_phi is None:  # w1 = 0: w1·Z = 0 ≥ 0 always
        return -math.inf
    a, b = cos_phi * math.cos(theta), sin_phi * math.sin(theta)
    if b <= 0.0:
        return -math.inf if a >= 0 else math.inf
    return -a / b


def _integrand(theta: float, term: str, pdf: Callable, cos_phi, sin_phi, m: int) -> float:
    t0 = _threshold(theta, cos_phi, sin_phi)
    prob, e_t, e_perp = _t_moments(t0, m) if math.isfinite(t0) else ((1.0, 0.0, (m - 1) / m) if t0 < 0
                                                                       else (0.0, 0.0, 0.0))
    c, s = math.cos(theta), math.sin(theta)
    value = {"uu": c * c * prob, "uv": c * s * e_t, "vv": s * s * (prob - e_perp),
             "rest": s * s * e_perp / max(m - 1, 1)}[term]
    return float(pdf(theta)) * value


def _limits(s: float, cos_phi, sin_phi, extra) -> tuple[float, float, list[float]]:
    lo, hi = (0.0, math.pi / 2) if s > 0 else (math.pi / 2, math.pi)
    points = list(extra)
    if cos_phi is not None:
        phi = math.atan2(sin_phi, cos_phi)
        points += [math.pi / 2 - phi, math.pi / 2 + phi, phi - math.pi / 2, 3 * math.pi / 2 - phi]
    return lo, hi, sorted({x for x in points if lo < x < hi})


def _assemble(axis, v0, terms: dict[str, float]) -> np.ndarray:
    p = axis.shape[0]
    if v0 is None:  # w1 = 0: pick any v₀ ⟂ axis, the law is symmetric about the axis
        e = basis_vector(p, int(np.argmin(np.abs(axis))))
        v0 = (e - (e @ axis) * axis) / np.linalg.norm(e - (e @ axis) * axis)
    uu, uv, vv = np.outer(axis, axis), np.outer(axis, v0) + np.outer(v0, axis), np.outer(v0, v0)
    return terms["uu"] * uu + terms["uv"] * uv + terms["vv"] * vv + terms["rest"] * (np.eye(p) - uu - vv)


def axial_second_moment(dist, w1, w2, epsabs: float = 1e-13, epsrel: float = 1e-12) -> ArrayEstimate:
    """E[Z Zᵀ 1{w1·Z ≥ 0, w2·Z ≥ 0}] by adaptive quadrature (scipy.integrate.quad).

    Parameters
    ----------
    dist : distribution with :func:`quadrature_available`
    w1 : ndarray (p,)
        The student filter w (or −w).
    w2 : ndarray (p,)
        ±w*, along the law's axis (any direction for a radial law).

    Returns
    -------
    ArrayEstimate (p, p), ``error_kind="absolute-bound"``.

    Notes
    -----
    The error of each of the four θ-integrals is QUADPACK's estimate (QAGS
    with the breakpoints of the module docstring), scaled by m₂ and carried to
    the entries through the absolute values of the basis matrices; the tests
    check it against the 30-digit :func:`axial_second_moment_mp`.
    """
    if not quadrature_available(dist):
        raise InvalidArgument("method", f"quad is not available for distribution {getattr(dist, 'name', dist)!r}")
    axis, v0, cos_phi, sin_phi, s = _geometry(dist, w1, w2)
    m, m2 = dist.p - 1, float(dist.second_radial_moment)
    lo, hi, points = _limits(s, cos_phi, sin_phi, polar_breakpoints(dist))
    # The region's edge θ = π/2 enters as the nearest double (off by ≤ ε·π/4) and the integrands jump
    # there; each is pdf × a factor in [−1, 1], so each integral may be off by pdf(π/2)·ε·π/4 besides.
    edge_error = float(np.abs(dist.polar_angle_pdf(math.pi / 2))) * np.finfo(float).eps * math.pi / 4
    values, errors, evaluations = {}, {}, 0
    for term in _TERMS:
        val, err, info = integrate.quad(_integrand, lo, hi, args=(term, dist.polar_angle_pdf, cos_phi, sin_phi, m),
                                        points=points or None, epsabs=epsabs, epsrel=epsrel, limit=200,
                                        full_output=True)[:3]
        values[term], errors[term] = m2 * val, m2 * (err + edge_error)
        evaluations += info["neval"]
    value = _assemble(axis, v0, values)
    error = _assembled_error(axis, v0 if v0 is not None else value[0] * 0, errors)
    return ArrayEstimate(value, error, "absolute-bound", "quad", evaluations)


def _assembled_error(axis, v0, errors: dict[str, float]) -> np.ndarray:
    """Entry-wise bound Σ_term |error_term|·|basis matrix_term| for :func:`_assemble`."""
    uu, vv = np.outer(axis, axis), np.outer(v0, v0)
    uv = np.abs(np.outer(axis, v0)) + np.abs(np.outer(v0, axis))
    rest = np.abs(np.eye(axis.shape[0]) - uu - vv)
    return errors["uu"] * np.abs(uu) + errors["uv"] * uv + errors["vv"] * np.abs(vv) + errors["rest"] * rest


#: offsets δ = 10⁻², …, 10⁻¹² past π/2 at which the polar density is read to find g(π/2⁺) (δ ≥ 1e-12: the
#: density's own cos θ is then accurate to ~1e-4 relative, π/2 being off by 6e-17 in floating point)
EQUATOR_OFFSETS = 10.0 ** -np.arange(2, 13)


def equator_density(pdf: Callable) -> dict:
    """g(π/2⁺) = lim_{δ↓0} g(π/2 + δ) of a polar density, with its bound, read from g at δ ∈ ``EQUATOR_OFFSETS``.

    The decade increments d_j = g(π/2 + δ_{j+1}) − g(π/2 + δ_j) decide (docs/claims.md §6.7):

    * ``"bounded"``: over the last three decades each |d| shrinks at least threefold (a density
      differentiable from the right has d_j ∝ 10^(−j)).  The value is g at the smallest δ, with the
      bound |d_last|/2 of the geometric tail beyond it plus 64 ulp;
    * ``"unbounded"``: over the last six decades g increases and d never shrinks by more than half
      (c·ln(1/δ) has constant increments, c·δ^(−γ) growing ones): g(π/2⁺) = ∞;
    * ``"undecided"``: anything else (oscillation, a slowly settling density, non-finite values) —
      the density cannot be bounded from these evaluations.

    Returns a dict with ``decision``, ``value``, ``error``, ``offsets`` and ``density`` (the readings).

    Examples
    --------
    >>> equator_density(lambda t: np.sin(t) / 2)["decision"]
    'bounded'
    >>> equator_density(lambda t: np.abs(np.cos(t)) ** -0.5 * np.sin(t) / 4)["decision"]
    'unbounded'
    """
    g = np.asarray(pdf(math.pi / 2 + EQUATOR_OFFSETS), dtype=float).reshape(-1)
    record = {"offsets": EQUATOR_OFFSETS.tolist(), "density": g.tolist()}
    if g.shape != EQUATOR_OFFSETS.shape or not np.all(np.isfinite(g)):
        return {**record, "decision": "undecided", "value": math.nan, "error": math.inf}
    d = np.abs(np.diff(g))
    rounding = 64 * np.finfo(float).eps * float(np.max(np.abs(g)))
    if np.all(d[-3:] <= d[-4:-1] / 3 + rounding):
        return {**record, "decision": "bounded", "value": float(g[-1]), "error": float(d[-1] / 2 + rounding)}
    inc = np.diff(g)[-6:]
    if np.all(inc > 0) and np.all(inc[1:] >= 0.5 * inc[:-1]):
        return {**record, "decision": "unbounded", "value": math.inf, "error": 0.0}
    return {**record, "decision": "undecided", "value": math.nan, "error": math.inf}


def axial_beta_limit(dist) -> Estimate:
    """lim_{φ→0} λ_max(A_{w,−w*})/φ for an axially symmetric one-patch law (docs/claims.md §2, §6.7).

    Derivation (notation of the module docstring, s = −1, so θ ∈ [π/2, π]).  Put
    θ = π/2 + δ.  Then t₀ = −cot φ·cot θ = cot φ·tan δ, so the constraint t ≥ t₀
    reads tan δ ≤ t·tan φ: only 0 ≤ δ ≤ φ contributes.  On that strip
    cos²θ = O(φ²) and |cos θ sin θ| = O(φ), so the u*u*ᵀ entry is O(φ³) and the
    u*v₀ entry O(φ²); with tan δ = τ·tan φ (dδ = tan φ·dτ + O(φ³)) and g
    continuous from the right at π/2,

        A_vv/φ   → m₂ g(π/2⁺) ∫₀¹ E[t²; t ≥ τ] dτ   = m₂ g(π/2⁺) E[(t⁺)³],
        A_rest/φ → m₂ g(π/2⁺) ∫₀¹ E[1−t²; t ≥ τ] dτ/(p−2) = m₂ g(π/2⁺) E[t⁺(1−t²)]/(p−2).

    For m = p − 1 ≥ 2 the density of t, (1−t²)^{a−1}/B(½, a) with a = (m−1)/2,
    gives (x = t²) E[(t⁺)³] = ½B(2, a)/B(½, a) = 1/(2a(a+1)B(½, a)) and
    E[t⁺(1−t²)]/(m−1) = 1/(4a(a+1)B(½, a)), half of it; for m = 1, t = ±1 and
    E[(t⁺)³] = ½.  The limit matrix is diagonal in (u*, v₀, rest), so

        lim λ_max(A_{w,−w*})/φ = m₂ · g(π/2⁺) · E[(t⁺)³].

    Check: N(0, I_p) has m₂ = p, g(π/2) = 1/B(½, (p−1)/2), which gives 1/π for
    every p (docs/claims.md §6.5: β = s/π for a radial law).  The limit is
    finite whenever g is bounded near π/2⁺ and m₂ < ∞.  When g(π/2 + δ) → ∞ the ratio,
    m₂ E[(t⁺)³] times a weighted mean of g over δ ∈ [0, φ], tends to ∞ as well.

    g(π/2⁺) is read by :func:`equator_density`: a bounded density gives the limit with
    the bound of that reading (``error_kind="absolute-bound"``, assuming the density keeps
    settling as it did over the last decades) plus rounding; an unbounded one ``inf``; one
    that cannot be bounded ``nan`` with an infinite error.  ``search`` holds the readings.

    Returns
    -------
    Estimate, ``error_kind="absolute-bound"``, ``kind="exact"`` (``"estimate"`` for ``nan``).

    Examples
    --------
    >>> from verify import Gaussian, Sphere
    >>> round(axial_beta_limit(Gaussian(5)).value * math.pi, 12), round(axial_beta_limit(Sphere(4)).value * math.pi, 12)
    (1.0, 0.25)
    """
    if not quadrature_available(dist):
        raise InvalidArgument("method", f"quad is not available for distribution {getattr(dist, 'name', dist)!r}")
    m, m2 = dist.p - 1, float(dist.second_radial_moment)
    equator = equator_density(dist.polar_angle_pdf)
    if m == 1:
        third = 0.5
    else:
        a = (m - 1) / 2
        third = 1.0 / (2 * a * (a + 1) * special.beta(0.5, a))
    if equator["decision"] == "unbounded":
        return Estimate(math.inf, 0.0, "absolute-bound", "quad", None, None, "exact", None, (), equator)
    if equator["decision"] == "undecided":
        return Estimate(math.nan, math.inf, "absolute-bound", "quad", None, None, "estimate", None, (), equator)
    value = m2 * equator["value"] * third
    error = m2 * equator["error"] * third + 16 * np.finfo(float).eps * abs(value)
    return Estimate(value, error, "absolute-bound", "quad", None, None, "exact", None, (), equator)


# ---------------------------------------------------------------------------
# mpmath reference (30+ digits)
# ---------------------------------------------------------------------------

def _t_moments_mp(t0, m: int):
    if m == 1:
        up, down = mpmath.mpf(1 >= t0), mpmath.mpf(-1 >= t0)
        return (up + down) / 2, (up - down) / 2, mpmath.mpf(0)
    t0 = min(max(t0, mpmath.mpf(-1)), mpmath.mpf(1))
    a = mpmath.mpf(m - 1) / 2
    x = (1 - t0) / 2
    prob = mpmath.betainc(a, a, 0, x, regularized=True)
    e_t = (1 - t0 * t0) ** a / ((m - 1) * mpmath.beta(mpmath.mpf(1) / 2, a))
    e_perp = mpmath.mpf(m - 1) / m * mpmath.betainc(a + 1, a + 1, 0, x, regularized=True)
    return prob, e_t, e_perp


def axial_second_moment_mp(dist, w1, w2, dps: int = 30) -> tuple[np.ndarray, float]:
    """The same moment with mpmath at ``dps`` digits: (value as float64 array, error estimate).

    Uses ``dist.polar_angle_pdf_mp(theta)`` (an mpmath density) when the law
    provides one.  The returned error is mpmath's quadrature estimate of the
    largest term, far below float64 rounding at the default precision.
    """
    pdf_mp = getattr(dist, "polar_angle_pdf_mp", None)
    if pdf_mp is None or not quadrature_available(dist):
        raise InvalidArgument("method", f"no mpmath density for distribution {getattr(dist, 'name', dist)!r}")
    axis, v0, cos_phi, sin_phi, s = _geometry(dist, w1, w2)
    m = dist.p - 1
    with mpmath.workdps(dps):
        cphi = None if cos_phi is None else mpmath.mpf(cos_phi)
        sphi = None if sin_phi is None else mpmath.mpf(sin_phi)

        def integrand(term):
            def f(theta):
                c, sn = mpmath.cos(theta), mpmath.sin(theta)
                if cphi is None:
                    t0 = None
                else:
                    a, b = cphi * c, sphi * sn
                    t0 = (-a / b) if b > 0 else None
                    if t0 is None and a < 0:
                        return mpmath.mpf(0)
                if t0 is None:
                    prob, e_t, e_perp = mpmath.mpf(1), mpmath.mpf(0), mpmath.mpf(m - 1) / m
                else:
                    prob, e_t, e_perp = _t_moments_mp(t0, m)
                val = {"uu": c * c * prob, "uv": c * sn * e_t, "vv": sn * sn * (prob - e_perp),
                       "rest": sn * sn * e_perp / max(m - 1, 1)}[term]
                return pdf_mp(theta) * val
            return f

        lo, hi, points = _limits(s, cos_phi, sin_phi, polar_breakpoints(dist))
        # lo, hi ∈ {0, π/2, π}: take them at full precision (x/π is exactly 0, ½ or 1 in floats).
        nodes = [mpmath.pi * (lo / math.pi)] + [mpmath.mpf(x) for x in points] + [mpmath.pi * (hi / math.pi)]
        m2 = mpmath.mpf(dist.second_radial_moment)
        values, worst = {}, 0.0
        for term in _TERMS:
            val, err = mpmath.quad(integrand(term), nodes, error=True)
            values[term] = float(m2 * val)
            worst = max(worst, float(m2 * err))
    return _assemble(axis, v0, values), worst

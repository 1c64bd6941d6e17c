"""The random-initialization probability of Theorem 3.4 and Corollary 3.1.

docs/claims.md §4, claims 16 [thm34-init] and 17 [cor31-init].  The teacher is w* ∈ R^p,
scaled to ‖w*‖ = 1 (every quantity here is scale-free: lengths are in units of ‖w*‖),
u* = w*/‖w*‖.  The initial point w_0 is uniform in the p-ball B(0, α) and the
initialization *succeeds* when

    ‖w_0 − w*‖ ≤ √(1 − α²)                                    (the success event)

(Theorem 3.4).  This module computes the success probability exactly
(:func:`success_probability`, closed form through the regularized incomplete beta
function), at high precision (:func:`success_probability_mp`, an independent
mpmath evaluation of the same closed form), by Monte Carlo
(:func:`success_probability_mc`), and the paper's lower bounds on it
(:func:`init_bounds`, :func:`corollary31_bound`).

Derivation of the exact probability (docs/claims.md §4, claim 16)
------------------------------------------------------------
Write r = √(1 − α²), 0 < α < 1.  The success set is the *lens*
L = B(0, α) ∩ B(u*, r).  Its two boundary spheres meet on the hyperplane
x·u* = α²: subtracting |x − u*|² = |x|² − 2x·u* + 1 = 1 − α² from |x|² = α² gives
2x·u* − 1 = α² − (1 − α²), i.e. x·u* = α².  The plane splits L into two spherical
caps:

* for |x| ≤ α and x·u* ≥ α²:  |x − u*|² = |x|² − 2x·u* + 1 ≤ α² − 2α² + 1 = r²,
  so the whole cap  C_1 = B(0, α) ∩ {x·u* ≥ α²}  lies in L;
* for |x − u*| ≤ r and x·u* ≤ α²:  |x|² = |x − u*|² + 2x·u* − 1 ≤ r² + 2α² − 1 = α²,
  so the whole cap  C_2 = B(u*, r) ∩ {x·u* ≤ α²}  lies in L;

and conversely every point of L is on one side of the plane, so L = C_1 ∪ C_2
(disjoint up to the plane, a null set).  This holds for *every* α ∈ (0, 1): the
spheres always intersect (|α − r| ≤ 1 ≤ α + r) and neither ball contains the
other.  C_1 is the cap of the ball of radius α cut at distance d_1 = α² from its
centre, of height h_1 = α − α² ∈ (0, α); C_2 is the cap of the ball of radius r cut
at distance d_2 = 1 − α² = r² from its centre (towards the origin), of height
h_2 = r − r² ∈ (0, r).  Both are *minor* caps (0 < d < radius), so no complement
is needed.

The volume of a minor cap of height h of a p-ball of radius ρ (distance d = ρ − h
of the cutting plane from the centre) is (Li 2011, "Concise formulas for the area
and volume of a hyperspherical cap")

    V_cap = ½ V_p ρ^p I_{(2ρh − h²)/ρ²}((p+1)/2, ½) = ½ V_p ρ^p I_{1 − d²/ρ²}((p+1)/2, ½),

with V_p the volume of the unit p-ball and I_x(a, b) the regularized incomplete
beta function.  With a = (p+1)/2, d_1/α = α and d_2/r = r:

    P(success) = vol(L) / (V_p α^p)
               = ½ I_{1−α²}(a, ½)  +  ½ (r/α)^p I_{α²}(a, ½).          (★)

Floating point: I_x(a, ½) has a square-root singularity at x = 1, so each beta
function is evaluated at its *small* argument: I_{1−α²}(a, ½) = 1 − I_{α²}(½, a)
(``betaincc``) when α² ≤ ½, else ``betainc`` at 1 − α² = (1 − α)(1 + α), which is
exact to one rounding.  For α² ≤ ½ the second term overflows/underflows
separately ((r/α)^p → ∞, I_{α²} → 0, e.g. p = 1000, α = 0.02); there DLMF 8.17.8,
I_x(a, b) = x^a (1−x)^b F(a+b, 1; a+1; x) / (a B(a, b)), cancels the powers of α:

    ½ (r/α)^p I_{α²}(a, ½) = ½ α (1 − α²)^a F(a + ½, 1; a + 1; α²) / (a B(a, ½)),

and the hypergeometric series, of positive terms with ratio < α² ≤ ½, is summed
directly.

Cross-checks (tests/test_initialization.py): p = 1 by hand, (α + r − 1)/(2α);
p = 2 and p = 3 by the classical lens area/volume of two circles/spheres; mpmath
at 40 digits; Monte Carlo.

The bounds
----------
The proof of Theorem 3.4 (after Tian 2017) keeps only C_1 and removes the slab
0 ≤ x·u* < α² from the half-ball x·u* ≥ 0: the slab has thickness α² and every
cross-section of B(0, α) has (p−1)-volume ≤ V_{p−1} α^{p−1}, so

    P ≥ P(C_1) ≥ ½ − α² V_{p−1} α^{p−1} / (V_p α^p) = ½ − α V_{p−1}/V_p,
    V_{p−1}/V_p = Γ(p/2 + 1) / (√π Γ(p/2 + ½)),

for every α ∈ (0, 1) (the condition α ≤ √(1/(2p)) is not needed for the
inequality; it only keeps the bound positive).  The printed simplification goes
through Gautschi's inequality, √(p/2) < Γ(p/2+1)/Γ(p/2+½) < √(p/2 + 1), whose two
sides give the readings ½ − α√((p+2)/(2π)) (a valid weakening) and
½ − α√(p/(2π)) (a *strengthening*: larger than the proof's bound, so not implied
by it).  See :data:`BOUND_READINGS`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import mpmath
import numpy as np
from scipy import special

from ..results import Estimate
from ..validation import InvalidArgument, check_count, check_dimension, check_seed

__all__ = [
    "success_probability",
    "success_probability_mp",
    "success_probability_mc",
    "init_bounds",
    "unit_ball_volume_ratio",
    "BOUND_READINGS",
    "alpha_max",
    "corollary31_cos_max",
    "corollary31_condition",
    "corollary31_bound",
    "InitProbability",
    "init_probability",
    "MC_DIRECT_MAX_P",
    "MP_MAX_P",
    "P_MAX",
]

#: Bytes of standard normals drawn per Monte Carlo chunk (peak memory is a few chunks).
CHUNK_BYTES = 8 * 2**20

#: Largest p at which a Monte Carlo draw is p standard normals; above it the draw uses the law of the
#: direction's first coordinate instead (g₀/√(g₀² + χ²_{p−1}): the same distribution, O(1) work per draw).
MC_DIRECT_MAX_P = 4096

#: Largest p of :func:`success_probability_mp` in :func:`init_probability` (mpmath's betainc fails to converge
#: or stalls beyond it; the float closed form, accurate for every p, is unaffected).
MP_MAX_P = 10_000

#: The documented range of p: 1 ≤ p ≤ 2⁵³ (p and (p + 1)/2 exact in double precision).
P_MAX = 2**53

#: One line per lower-bound variant of Theorem 3.4 (docs/claims.md §4, claim 16), keyed as in :func:`init_bounds`.
BOUND_READINGS: dict[str, str] = {
    "proof": "½ − α·V_{p−1}/V_p, V_{p−1}/V_p = Γ(p/2+1)/(√π Γ(p/2+½)): the bound the proof of Theorem 3.4 "
             "derives before simplifying (slab argument, valid for every α in (0, 1))",
    "sqrt_p_over_2pi": "½ − α√(p/(2π)) [reconstructed printed reading]: the proof's bound with Gautschi's "
                       "LOWER estimate Γ(p/2+1)/Γ(p/2+½) > √(p/2) — larger than the proof's bound, not implied by it",
    "sqrt_p2_over_2pi": "½ − α√((p+2)/(2π)) [reconstructed]: the proof's bound with Gautschi's upper estimate "
                        "Γ(p/2+1)/Γ(p/2+½) < √(p/2+1) — a valid weakening of the proof's bound",
    "sqrt_p_over_pi": "½ − α√(p/π) [reconstructed alternative reading of the garbled print]: below the proof's "
                      "bound for every p ≥ 1 (√(p/π) ≥ √((p+2)/(2π)) iff p ≥ 2; p = 1 directly)",
}


# ---------------------------------------------------------------------------
# Input checking
# ---------------------------------------------------------------------------

def _alpha_iv(alpha, name: str = "alpha") -> np.ndarray:
    """α as a float array with every entry in the open interval (0, 1)."""
    try:
        arr = np.asarray(alpha, dtype=float)
    except (TypeError, ValueError):
        raise InvalidArgument(name, f"must be a real number in (0, 1), got {alpha!r}") from None
    if arr.size == 0:
        raise InvalidArgument(name, "must not be empty")
    if not np.all(np.isfinite(arr)):
        raise InvalidArgument(name, f"must be finite, got {alpha!r}")
    if not np.all((arr > 0.0) & (arr < 1.0)):
        bad = arr[~((arr > 0.0) & (arr < 1.0))].flat[0]
        raise InvalidArgument(name, f"must lie in the open interval (0, 1), got {bad}")
    return arr


def _scalar_alpha_iv(alpha, name: str = "alpha") -> float:
    arr = _alpha_iv(alpha, name)
    if arr.ndim != 0:
        raise InvalidArgument(name, f"must be a scalar, got shape {arr.shape}")
    return float(arr)


def _p_iv(p) -> int:
    """The dimension: an integer in [1, :data:`P_MAX`] (p = 1 is the interval [−α, α], a valid if trivial case)."""
    p = check_dimension(p, "p", minimum=1)
    if p > P_MAX:
        raise InvalidArgument("p", f"must be <= 2**53 = {P_MAX} (the documented range: p and (p + 1)/2 exact in "
                                   f"double precision), got {p}")
    return p


# ---------------------------------------------------------------------------
# The exact probability
# ---------------------------------------------------------------------------

def _hyp2f1_shifted(a: float, x: np.ndarray) -> np.ndarray:
    """F(a + ½, 1; a + 1; x) for 0 ≤ x ≤ ½ by its series (positive terms, ratio < x).

    Parameters
    ----------
    a : float
        (p + 1)/2.
    x : ndarray, shape (m,), entries in [0, ½]

    Returns
    -------
    ndarray (m,)
        Relative error a few units in the last place: the n-th term is at most
        x^n ≤ 2^{-n}, and the loop stops once every term is below 2^{-60} of its sum.
    """
    total = np.ones_like(x)
    term = np.ones_like(x)
    n = 0
    while True:
        term = term * ((a + 0.5 + n) / (a + 1.0 + n)) * x
        total = total + term
        n += 1
        if np.all(term <= 2.0**-60 * total):
            return total


def _success_probability_array(p: int, alpha: np.ndarray) -> np.ndarray:
    """Formula (★) of the module docstring, for a 1-D array of α in (0, 1)."""
    a = 0.5 * (p + 1)
    x_small = alpha * alpha                      # α², accurate to one rounding
    r2 = (1.0 - alpha) * (1.0 + alpha)           # 1 − α² = r², accurate to one rounding
    out = np.empty_like(alpha)

    lo = x_small <= 0.5
    if np.any(lo):
        al, x = alpha[lo], x_small[lo]
        # ½ I_{1−α²}(a, ½) = ½ (1 − I_{α²}(½, a))
        cap_own = 0.5 * special.betaincc(0.5, a, x)
        # ½ (r/α)^p I_{α²}(a, ½) = ½ α (1−α²)^a F(a+½, 1; a+1; α²) / (a B(a, ½))   (DLMF 8.17.8)
        log_other = (np.log(0.5 * al) + a * np.log1p(-x) - math.log(a) - special.betaln(a, 0.5)
                     + np.log(_hyp2f1_shifted(a, x)))
        out[lo] = cap_own + np.exp(log_other)
    hi = ~lo
    if np.any(hi):
        al, y = alpha[hi], r2[hi]
        cap_own = 0.5 * special.betainc(a, 0.5, y)                       # ½ I_{1−α²}(a, ½)
        ratio_pow = np.exp(p * (0.5 * np.log(y) - np.log(al)))           # (r/α)^p ≤ 1 here
        cap_other = 0.5 * ratio_pow * special.betaincc(0.5, a, y)        # I_{α²}(a,½) = 1 − I_{1−α²}(½, a)
        out[hi] = cap_own + cap_other
    return out


def success_probability(p: int, alpha):
    """Exact probability that a uniform w_0 in the α‖w*‖-ball lands within √(1−α²)‖w*‖ of w*.

    Parameters
    ----------
    p : int
        Dimension of the filter, p ≥ 1.
    alpha : float or array_like, shape (m,) or any shape
        Radius of the initialization ball in units of ‖w*‖; every entry in (0, 1).

    Returns
    -------
    float or ndarray
        P(‖w_0 − w*‖ ≤ √(1 − α²)‖w*‖), dimensionless, of the same shape as ``alpha``
        (a Python float for a scalar).

    Notes
    -----
    docs/claims.md §4, claim 16.  Formula (★) of the module docstring:
    P = ½ I_{1−α²}((p+1)/2, ½) + ½ (√(1−α²)/α)^p I_{α²}((p+1)/2, ½), the volume of the
    lens B(0, α) ∩ B(u*, √(1−α²)) as two spherical caps, over the volume of B(0, α).
    Evaluated with ``scipy.special.betainc``/``betaincc`` at the small argument of
    each beta function, and DLMF 8.17.8 where the powers of α would over/underflow;
    the relative error is a small multiple of (p/2)·2⁻⁵³ plus scipy's own beta error
    (checked against :func:`success_probability_mp` to 1e-12 for p ≤ 1000).  The
    result underflows to 0 only where the true value is below ~1e-308 (α → 1).

    Examples
    --------
    >>> round(success_probability(1, 0.6), 12)   # (α + √(1−α²) − 1)/(2α)
    0.333333333333
    """
    p = _p_iv(p)
    arr = _alpha_iv(alpha)
    values = _success_probability_array(p, arr.reshape(-1)).reshape(arr.shape)
    return float(values) if values.ndim == 0 else values


def success_probability_mp(p: int, alpha: float, dps: int = 40) -> mpmath.mpf:
    """The same probability at ``dps`` decimal digits, with mpmath: an independent reference.

    Parameters
    ----------
    p : int
        Dimension, p ≥ 1.
    alpha : float
        Radius of the initialization ball in units of ‖w*‖, in (0, 1); the binary
        float is taken as exact (``mpmath.mpf(alpha)``).
    dps : int
        Working precision in decimal digits, ≥ 15.

    Returns
    -------
    mpmath.mpf
        Formula (★) evaluated with ``mpmath.betainc(..., regularized=True)`` in
        ``dps``-digit arithmetic (no over/underflow: mpmath exponents are unbounded).

    Notes
    -----
    docs/claims.md §4, claim 16.  Shares (★) with :func:`success_probability` but none of
    its floating-point rearrangements (complements, DLMF 8.17.8, the series), so an
    agreement of the two checks the rearrangements; (★) itself is checked by the
    p = 1, 2, 3 closed forms and by Monte Carlo in the tests.
    """
    p = _p_iv(p)
    alpha = _scalar_alpha_iv(alpha)
    dps = check_count(dps, "dps", minimum=15)
    with mpmath.workdps(dps):
        al = mpmath.mpf(alpha)
        a = mpmath.mpf(p + 1) / 2
        half = mpmath.mpf(1) / 2
        r_sq = 1 - al**2
        own = half * mpmath.betainc(a, half, 0, r_sq, regularized=True)
        other = half * (mpmath.sqrt(r_sq) / al) ** p * mpmath.betainc(a, half, 0, al**2, regularized=True)
        return +(own + other)


# ---------------------------------------------------------------------------
# Monte Carlo
# ---------------------------------------------------------------------------

def _count_successes(p: int, alpha: float, n: int, rng: np.random.Generator,
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Draw n uniform points of B(0, α) in chunks; count those within √(1−α²) of u* = e_1.

    For p ≤ :data:`MC_DIRECT_MAX_P` a draw's direction is g/‖g‖ with g p standard
    normals; above it only its first coordinate is drawn, as g₀/√(g₀² + χ²_{p−1})
    (the same law: ‖g‖² − g₀² is χ² with p − 1 degrees of freedom, independent of
    g₀), so the time per draw does not grow with p.  ``progress(done, n)`` is
    called after each chunk.
    """
    direct = p <= MC_DIRECT_MAX_P
    chunk = max(1, CHUNK_BYTES // (8 * (p if direct else 3)))
    threshold = alpha * alpha
    hits = 0
    remaining = n
    while remaining > 0:
        m = min(chunk, remaining)
        if direct:
            g = rng.standard_normal((m, p))
            direction_first = g[:, 0] / np.linalg.norm(g, axis=1)      # (g/‖g‖)·u*
        else:
            g0 = rng.standard_normal(m)
            direction_first = g0 / np.sqrt(g0 * g0 + rng.chisquare(p - 1, size=m))
        radius = alpha * rng.random(m) ** (1.0 / p)               # α U^{1/p}
        # ‖x − u*‖² ≤ 1 − α²  ⇔  2 x·u* − ‖x‖² ≥ α²
        hits += int(np.count_nonzero(2.0 * radius * direction_first - radius * radius >= threshold))
        remaining -= m
        if progress is not None:
            progress(n - remaining, n)
    return hits


def success_probability_mc(p: int, alpha: float, n: int, seed: int | None,
                           progress: Callable[[int, int], None] | None = None) -> Estimate:
    """Monte Carlo estimate of :func:`success_probability` with its standard error.

    Parameters
    ----------
    p : int
        Dimension, p ≥ 1.
    alpha : float
        Radius of the initialization ball in units of ‖w*‖, in (0, 1).
    n : int
        Number of draws, ≥ 1; memory does not grow with n (draws are streamed in
        chunks of at most ``CHUNK_BYTES`` of normals).
    seed : int or None
        Seed of ``numpy.random.default_rng``.
    progress : callable(done, total), optional
        Called after each chunk of draws (for long runs).

    Returns
    -------
    Estimate
        ``value`` = the fraction p̂ of successes; ``error`` = √(p̂(1 − p̂)/n),
        ``error_kind="standard-error"``, ``method="mc"``, ``kind="estimate"``,
        ``n``, ``seed``, ``dof=None`` (normal limit).

    Notes
    -----
    docs/claims.md §4, claim 16.  A draw is w_0 = α U^{1/p} g/‖g‖ with g ~ N(0, I_p) and
    U ~ Uniform(0, 1) independent (uniform direction, radius with density ∝ ρ^{p−1}),
    u* = e_1; above p = :data:`MC_DIRECT_MAX_P` only g₀ and ‖g‖² − g₀² ~ χ²_{p−1} are
    drawn (the same law, another random stream).  The count of successes is Binomial(n, P), so p̂ is unbiased and the
    error is the plug-in binomial standard error √(p̂(1−p̂)/n) (the Wald interval
    value ± z·error); it is 0 when p̂ ∈ {0, 1}, where it understates the uncertainty.
    """
    p = _p_iv(p)
    alpha = _scalar_alpha_iv(alpha)
    n = check_count(n, "n", minimum=1)
    seed = check_seed(seed)
    hits = _count_successes(p, alpha, n, np.random.default_rng(seed), progress)
    phat = hits / n
    return Estimate(value=phat, error=math.sqrt(phat * (1.0 - phat) / n), error_kind="standard-error",
                    method="mc", n=n, seed=seed, kind="estimate")


# ---------------------------------------------------------------------------
# The paper's bounds
# ---------------------------------------------------------------------------

def unit_ball_volume_ratio(p: int) -> float:
    """V_{p−1}/V_p = Γ(p/2 + 1)/(√π Γ(p/2 + ½)), the unit-ball volume ratio (dimensionless).

    Computed through ``scipy.special.gammaln`` so that it does not overflow for large p.
    """
    p = _p_iv(p)
    return math.exp(special.gammaln(0.5 * p + 1.0) - special.gammaln(0.5 * p + 0.5)) / math.sqrt(math.pi)


def init_bounds(p: int, alpha: float) -> dict[str, float]:
    """Every reading of Theorem 3.4's lower bound on the success probability.

    Parameters
    ----------
    p : int
        Dimension, p ≥ 1.
    alpha : float
        Radius of the initialization ball in units of ‖w*‖, in (0, 1).

    Returns
    -------
    dict[str, float]
        Keyed as :data:`BOUND_READINGS` (dimensionless probabilities, may be negative):

        ``"proof"``
            ½ − α V_{p−1}/V_p — the bound the proof derives (slab argument).
        ``"sqrt_p_over_2pi"``
            ½ − α√(p/(2π)) — the proof's bound simplified with Gautschi's lower estimate.
        ``"sqrt_p2_over_2pi"``
            ½ − α√((p+2)/(2π)) — the proof's bound simplified with Gautschi's upper estimate.
        ``"sqrt_p_over_pi"``
            ½ − α√(p/π) — an alternative reading of the garbled printed bound.

    Notes
    -----
    docs/claims.md §4, claim 16 **[reconstructed]**: the printed bound is garbled; the
    proof's form and the simplified readings are derived in the module docstring.
    """
    p = _p_iv(p)
    alpha = _scalar_alpha_iv(alpha)
    return {
        "proof": 0.5 - alpha * unit_ball_volume_ratio(p),
        "sqrt_p_over_2pi": 0.5 - alpha * math.sqrt(p / (2.0 * math.pi)),
        "sqrt_p2_over_2pi": 0.5 - alpha * math.sqrt((p + 2.0) / (2.0 * math.pi)),
        "sqrt_p_over_pi": 0.5 - alpha * math.sqrt(p / math.pi),
    }


def alpha_max(p: int) -> float:
    """√(1/(2p)): the largest α Theorem 3.4 allows (docs/claims.md §4, claim 16 **[reconstructed]**)."""
    p = _p_iv(p)
    return math.sqrt(1.0 / (2.0 * p))


def corollary31_cos_max(p: int) -> float:
    """√(π/(8p)): the bound on cos φ* in Corollary 3.1 (docs/claims.md §4, claim 17 **[reconstructed]**).

    Notes
    -----
    The printed condition reads "cos(φ*) < √∏p" in the extraction.  We read it as the
    value at which the corollary's bound ½ − cos φ*·√(p/(2π)) equals ¼, i.e.
    cos φ* < ¼·√(2π/p) = √(π/(8p)); it is stricter than Theorem 3.4's own
    α ≤ √(1/(2p)) (√(π/8) ≈ 0.627 < √(1/2) ≈ 0.707), so the theorem applies.
    """
    p = _p_iv(p)
    return math.sqrt(math.pi / (8.0 * p))


def _cos_phi_iv(cos_phi_star) -> float:
    return _scalar_alpha_iv(cos_phi_star, name="cos_phi_star")


def corollary31_condition(p: int, cos_phi_star: float) -> bool:
    """Whether cos φ* satisfies Corollary 3.1's condition cos φ* < √(π/(8p)) **[reconstructed]**.

    Parameters
    ----------
    p : int
        Dimension, p ≥ 1.
    cos_phi_star : float
        cos φ*, in (0, 1) (φ* ∈ (0, π/2); it is the initialization radius α in units of ‖w*‖).

    Notes
    -----
    docs/claims.md §4, claim 17; reconstruction in :func:`corollary31_cos_max`.
    """
    return _cos_phi_iv(cos_phi_star) < corollary31_cos_max(p)


def corollary31_bound(p: int, cos_phi_star: float) -> float:
    """Corollary 3.1's lower bound ½ − cos φ*·√(p/(2π)) on the success probability **[reconstructed]**.

    Parameters
    ----------
    p : int
        Dimension, p ≥ 1.
    cos_phi_star : float
        cos φ* = α, in (0, 1).

    Returns
    -------
    float
        The bound (dimensionless); the corollary claims it exceeds ¼ under
        :func:`corollary31_condition`, which holds by construction of our reading.

    Notes
    -----
    docs/claims.md §4, claim 17 **[reconstructed from the extraction's "1 — cos (φ*) ∙√z∏p > 41",
    read as ½ − cos(φ*)·√(p/(2π)) > ¼]**: Theorem 3.4 with α = cos φ* and the
    ``"sqrt_p_over_2pi"`` reading of its bound.  That reading is not implied by the
    proof's own bound (see :data:`BOUND_READINGS`); the claim "success probability > ¼"
    is therefore checked against :func:`success_probability` directly.
    """
    p = _p_iv(p)
    c = _cos_phi_iv(cos_phi_star)
    return 0.5 - c * math.sqrt(p / (2.0 * math.pi))


# ---------------------------------------------------------------------------
# One record for the report
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InitProbability:
    """The success probability of Theorem 3.4 at one (p, α), computed every way.

    Attributes
    ----------
    p : int
    alpha : float
        Initialization radius in units of ‖w*‖.
    exact : float
        :func:`success_probability`.
    exact_mp : str or None
        :func:`success_probability_mp` printed to 30 significant digits; None for
        p > :data:`MP_MAX_P` (mpmath's incomplete beta does not converge there).
    bounds : dict[str, float]
        :func:`init_bounds`.
    mc : Estimate
        :func:`success_probability_mc`.
    """

    p: int
    alpha: float
    exact: float
    exact_mp: str | None
    bounds: dict[str, float] = field(repr=False)
    mc: Estimate = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: keys "p", "alpha", "exact", "bounds" (name → value), "mc" {"value", "error", "n", "seed"}."""
        return {
            "p": self.p,
            "alpha": self.alpha,
            "exact": self.exact,
            "bounds": dict(self.bounds),
            "mc": {"value": self.mc.value, "error": self.mc.error, "n": self.mc.n, "seed": self.mc.seed},
        }


def init_probability(p: int, alpha: float, n: int = 200_000, seed: int | None = 0,
                     progress: Callable[[int, int], None] | None = None) -> InitProbability:
    """Exact, 40-digit, Monte Carlo and bound values of the success probability at (p, α).

    Parameters
    ----------
    p : int
        Dimension, p ≥ 1.
    alpha : float
        Initialization radius in units of ‖w*‖, in (0, 1).
    n : int
        Monte Carlo draws.
    seed : int or None
        Monte Carlo seed.
    progress : callable(done, total), optional
        Passed to :func:`success_probability_mc`.

    Returns
    -------
    InitProbability
        Fast for every p of the documented range 1 ≤ p ≤ 2⁵³: the closed form is
        O(1), a Monte Carlo draw O(min(p, 4096)); ``exact_mp`` only up to
        p = :data:`MP_MAX_P`.

    Examples
    --------
    >>> r = init_probability(10**9, 1e-9, n=1000, seed=0)
    >>> round(r.exact, 6), r.exact_mp is None, r.mc.n
    (0.499987, True, 1000)
    """
    p = _p_iv(p)
    alpha = _scalar_alpha_iv(alpha)
    return InitProbability(
        p=p,
        alpha=alpha,
        exact=success_probability(p, alpha),
        exact_mp=mpmath.nstr(success_probability_mp(p, alpha), 30) if p <= MP_MAX_P else None,
        bounds=init_bounds(p, alpha),
        mc=success_probability_mc(p, alpha, n, seed, progress),
    )

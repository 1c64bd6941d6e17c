"""Theorem 3.4 / Corollary 3.1: the random-initialization success probability (docs/claims.md §4, claims 16-17).

Every tolerance is derived next to the assertion that uses it.  The shared
floating-point allowance of the exact formula is :data:`EXACT_RTOL` below.
"""
from __future__ import annotations

import json
import math

import mpmath
import numpy as np
import pytest
from scipy import stats

from verify.dynamics import initialization as init
from verify.dynamics.initialization import (BOUND_READINGS, InitProbability, alpha_max, corollary31_bound,
    corollary31_condition, corollary31_cos_max, init_bounds, init_probability, success_probability,
    success_probability_mc, success_probability_mp)
from verify.results import Estimate
from verify.validation import InvalidArgument

#: Relative error allowed to :func:`success_probability` (float64) against a 30+-digit reference.
#: Derivation: each incomplete beta function is evaluated at its small argument, α² or
#: (1 − α)(1 + α), formed with at most 2 roundings (relative error ≤ 2u, u = 2⁻⁵³ ≈ 1.1e-16);
#: I_x(a, ½) amplifies a relative error of x by at most x·∂_x log I_x ≤ a + ½ ≈ p/2 + 1 at a
#: small argument, and (r/α)^p or (1 − α²)^a likewise by ≤ p.  Summing the ≤ 3 such
#: contributions at p = 1000: 3 · 501 · 2u ≈ 3.3e-13, plus scipy's own beta-function error
#: (~1e-15).  1e-12 is three times that; the largest error seen on the grid below is 1.9e-13.
EXACT_RTOL = 1e-12
#: Below this the float result may be subnormal or 0 (the true value is < 1e-290, e.g. α → 1 at
#: p = 1000), so relative accuracy is impossible; there we require |float − reference| ≤ 1e-290.
UNDERFLOW = 1e-290

#: Two-sided false-alarm rate of each Monte Carlo check against the exact value.
MC_RATE = 1e-4

ALPHAS = [1e-12, 1e-8, 1e-4, 0.01, 0.1, 0.3, 0.5, 0.7,
          float(np.nextafter(1 / math.sqrt(2), 0)), 1 / math.sqrt(2), float(np.nextafter(1 / math.sqrt(2), 1)),
          0.71, 0.9, 0.99, 0.999999]
DIMENSIONS = list(range(1, 51)) + [100, 1000]


def assert_close_to_reference(value: float, reference, what: str) -> None:
    ref = float(reference)
    if ref >= UNDERFLOW:
        assert abs(value - ref) <= EXACT_RTOL * ref, f"{what}: {value!r} vs {mpmath.nstr(reference, 20)}"
    else:
        assert abs(value - ref) <= UNDERFLOW, f"{what}: {value!r} vs {mpmath.nstr(reference, 20)}"


# ---------------------------------------------------------------------------
# The exact probability against independent references
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("p", DIMENSIONS)
def test_betainc_formula_agrees_with_40_digit_mpmath_to_1e_12(p):
    # Relative (not absolute) because P spans 0.5 down to 1e-300 on this grid (α → 1):
    # an absolute 1e-12 would say nothing about the small values.  Tolerance: EXACT_RTOL.
    values = success_probability(p, np.array(ALPHAS))
    for alpha, value in zip(ALPHAS, values):
        assert_close_to_reference(float(value), success_probability_mp(p, alpha), f"p={p}, alpha={alpha!r}")


def lens_reference_mp(p: int, alpha: float) -> mpmath.mpf:
    """vol(B(0, R) ∩ B(u*, r)) / vol(B(0, R)) by the classical lens formulas, R = α, r = √(1−α²), d = 1.

    Evaluated in 40-digit mpmath so that the formulas' own cancellation (R + r − d is tiny for
    small α) costs nothing: the comparison then measures only the float error of the code.
    """
    with mpmath.workdps(40):
        R = mpmath.mpf(alpha)
        r = mpmath.sqrt(1 - R**2)
        d = mpmath.mpf(1)
        if p == 1:
            # By hand: w_0 ~ U[−α, α] succeeds iff w_0 ≥ 1 − r (w_0 ≤ 1 + r always), length α − (1 − r).
            return (R + r - 1) / (2 * R)
        if p == 2:
            # Area of the lens of two circles (radii R, r, centres d apart):
            # r² acos((d² + r² − R²)/(2dr)) + R² acos((d² + R² − r²)/(2dR)) − ½√((−d+r+R)(d+r−R)(d−r+R)(d+r+R)).
            area = (r**2 * mpmath.acos((d**2 + r**2 - R**2) / (2 * d * r))
                    + R**2 * mpmath.acos((d**2 + R**2 - r**2) / (2 * d * R))
                    - mpmath.sqrt((-d + r + R) * (d + r - R) * (d - r + R) * (d + r + R)) / 2)
            return area / (mpmath.pi * R**2)
        if p == 3:
            # Volume of the lens of two spheres: π (R + r − d)² (d² + 2dr − 3r² + 2dR + 6rR − 3R²) / (12 d).
            volume = (mpmath.pi * (R + r - d) ** 2 * (d**2 + 2 * d * r - 3 * r**2 + 2 * d * R + 6 * r * R - 3 * R**2)
                      / (12 * d))
            return volume / (4 * mpmath.pi * R**3 / 3)
        raise ValueError(p)


LENS_ALPHAS = [0.001, 0.02, 0.1, 0.25, 0.5, 0.6, 1 / math.sqrt(2), 0.8, 0.9, 0.98, 0.999]


@pytest.mark.parametrize("p", [1, 2, 3], ids=["interval-by-hand", "lens-of-two-circles", "lens-of-two-spheres"])
def test_exact_probability_equals_the_classical_lens_formula(p):
    # Tolerance EXACT_RTOL: the reference is exact to 40 digits, so only the code's float error counts.
    for alpha in LENS_ALPHAS:
        assert_close_to_reference(success_probability(p, alpha), lens_reference_mp(p, alpha), f"p={p}, alpha={alpha}")


def test_p1_probability_is_one_third_at_alpha_three_fifths():
    # (α + √(1−α²) − 1)/(2α) = (0.6 + 0.8 − 1)/1.2 = 1/3; tolerance EXACT_RTOL.
    assert success_probability(1, 0.6) == pytest.approx(1 / 3, rel=EXACT_RTOL)


def test_vectorized_alpha_gives_the_scalar_values_in_the_same_shape():
    alphas = np.array([[0.1, 0.2, 0.3], [0.5, 0.8, 0.95]])
    values = success_probability(7, alphas)
    assert values.shape == alphas.shape
    scalars = np.array([[success_probability(7, float(a)) for a in row] for row in alphas])
    # Each entry goes through the same arithmetic as the scalar call: bit-for-bit equal.
    np.testing.assert_array_equal(values, scalars)
    assert isinstance(success_probability(7, 0.3), float)


def test_probability_decreases_in_alpha_and_stays_below_one_half():
    # P(α) → ½ as α → 0 with slope −V_{p−1}/V_p · p/(p+1) < 0.  Strict monotonicity on a grid
    # of step 5e-5 is what lets the corollary check below test only a grid of α.  Where the
    # true value is below UNDERFLOW (p = 200, α → 1) float64 holds 0 or a subnormal: there only
    # "non-increasing" and "≥ 0" can be asked.
    alphas = np.linspace(1e-6, 1 - 1e-6, 20001)
    for p in (1, 2, 3, 10, 50, 200):
        values = success_probability(p, alphas)
        steps = np.diff(values)
        representable = values[1:] > UNDERFLOW
        assert np.all(steps[representable] < 0) and np.all(steps <= 0), p
        assert np.all((values >= 0) & (values < 0.5)) and np.all(values[:-1][representable] > 0), p


# ---------------------------------------------------------------------------
# Monte Carlo: honest error bars
# ---------------------------------------------------------------------------

MC_CASES = [(1, 0.5), (2, 0.3), (3, 0.6), (10, alpha_max(10)), (50, 0.05), (200, alpha_max(200))]


@pytest.mark.parametrize("p, alpha", MC_CASES, ids=[f"p{p}-a{a:.3g}" for p, a in MC_CASES])
def test_monte_carlo_agrees_with_the_exact_value_within_its_standard_error(p, alpha, assert_agrees):
    # Two-sided false-alarm rate MC_RATE = 1e-4 per case: k = norm.isf(0.5e-4) ≈ 3.89 standard
    # errors (6 cases: family-wise rate ≤ 6e-4).  The plug-in SE √(p̂(1−p̂)/n) at n = 2e5 and
    # P ∈ [0.2, 0.4] differs from the true one by < 1 %, which this k absorbs.  The exact value's
    # own error (≤ 1e-12 relative) is negligible against an SE of ~1e-3.
    estimate = success_probability_mc(p, alpha, n=200_000, seed=20180101 + p)
    assert estimate.error_kind == "standard-error" and estimate.method == "mc" and estimate.kind == "estimate"
    assert estimate.error == pytest.approx(math.sqrt(estimate.value * (1 - estimate.value) / estimate.n), rel=1e-15)
    assert_agrees(estimate, success_probability(p, alpha), rate=MC_RATE)


def test_monte_carlo_95_percent_intervals_cover_the_exact_value_95_percent_of_the_time():
    # 400 independent seeds, n = 2000 each, p = 10, α = α_max(10) (P ≈ 0.252).  If the intervals
    # p̂ ± 1.96·SE are honest the number covering P is Binomial(400, 0.95); accept the central
    # 99.9 % band of that law: [ppf(0.0005), isf(0.0005)] = [364, 393].  (The Wald interval's true
    # coverage at n = 2000, P = 0.25 is within ~0.002 of 0.95, far inside the band's ±0.035.)
    p, alpha, replicates = 10, alpha_max(10), 400
    exact = success_probability(p, alpha)
    covered = 0
    for seed in range(replicates):
        lo, hi = success_probability_mc(p, alpha, n=2000, seed=seed).interval(0.95)
        covered += lo <= exact <= hi
    band = (stats.binom.ppf(0.0005, replicates, 0.95), stats.binom.isf(0.0005, replicates, 0.95))
    assert band[0] <= covered <= band[1], (covered, band)


def test_monte_carlo_streams_in_chunks_smaller_than_n(monkeypatch, assert_agrees):
    # Force 7-row chunks so that n = 5000 takes 715 chunks (the last one partial); the estimate
    # must still count every draw and agree with the exact value (rate 1e-4, as above).
    p = 4
    monkeypatch.setattr(init, "CHUNK_BYTES", 8 * p * 7)
    estimate = success_probability_mc(p, 0.3, n=5000, seed=7)
    assert estimate.n == 5000
    assert_agrees(estimate, success_probability(p, 0.3), rate=MC_RATE)


def test_same_seed_gives_an_identical_estimate():
    assert success_probability_mc(6, 0.2, 3000, 11) == success_probability_mc(6, 0.2, 3000, 11)
    assert success_probability_mc(6, 0.2, 3000, 11) != success_probability_mc(6, 0.2, 3000, 12)


# ---------------------------------------------------------------------------
# Theorem 3.4's bounds (claim 16)
# ---------------------------------------------------------------------------

def _bound_gaps(name: str, p: int, alphas: np.ndarray) -> np.ndarray:
    exact = success_probability(p, alphas)
    bounds = np.array([init_bounds(p, float(a))[name] for a in alphas])
    return exact - bounds


@pytest.mark.parametrize("name", list(BOUND_READINGS))
def test_every_bound_reading_lies_below_the_exact_probability_when_alpha_at_most_alpha_max(name):
    # Theorem 3.4's hypothesis α ≤ √(1/(2p)), p = 1..200, 100 values of α in (0, α_max].
    # Tolerance: both sides carry a relative float error ≤ EXACT_RTOL on values ≤ ½, so
    # gap ≥ −1e-12 would do; the smallest true gap on this grid is 1.05e-5 ("sqrt_p_over_2pi",
    # p = 200, α = α_max/100; relative to α it is ≥ 0.021 for every reading), so the assertion is
    # decided with a wide margin.
    worst = (math.inf, None, None)
    for p in range(1, 201):
        alphas = np.linspace(alpha_max(p) / 100, alpha_max(p), 100)
        gaps = _bound_gaps(name, p, alphas)
        i = int(np.argmin(gaps))
        if gaps[i] < worst[0]:
            worst = (float(gaps[i]), p, float(alphas[i]))
    assert worst[0] >= -EXACT_RTOL, f"{name} exceeds the exact probability: gap, p, alpha = {worst}"


def test_proof_bound_holds_for_every_alpha_in_zero_one_not_only_below_alpha_max():
    # The slab argument never uses α ≤ α_max; the bound is merely negative for α > V_p/(2V_{p−1}).
    alphas = np.linspace(1e-4, 1 - 1e-4, 1000)
    for p in list(range(1, 51)) + [100, 1000]:
        assert np.all(_bound_gaps("proof", p, alphas) >= -EXACT_RTOL), p


def test_gautschi_readings_sandwich_the_proof_bound():
    # √(p/2) < Γ(p/2+1)/Γ(p/2+½) < √(p/2+1) (Gautschi) ⇒ sqrt_p2_over_2pi < proof < sqrt_p_over_2pi:
    # the (p+2) reading is implied by the proof, the p reading is NOT (it is the larger one).
    for p in [1, 2, 3, 10, 100, 1000, 10**5]:
        b = init_bounds(p, 0.01)
        assert b["sqrt_p2_over_2pi"] < b["proof"] < b["sqrt_p_over_2pi"], (p, b)
        assert b["sqrt_p_over_pi"] <= b["proof"], (p, b)


def test_p_over_2pi_reading_fails_only_for_p1_beyond_alpha_max():
    # Finding: ½ − α√(p/(2π)) is not implied by the proof, yet it stays below the exact value for
    # every p ≥ 2 and every α ∈ (0, 1) (here a grid of 400 α, p ≤ 100; off-line a grid of 2·10⁵ α
    # for p ≤ 200 and p = 500, 1000, 10⁴; the bound turns negative at α = √(π/(2p))).
    # For p = 1 the bound stays positive up to α = 1 (it tends to ½ − 1/√(2π) ≈ 0.101) while the
    # exact value (α + √(1−α²) − 1)/(2α) tends to 0; they cross at α ≈ 0.96738 > α_max(1) ≈ 0.707,
    # outside the theorem's hypothesis.  Counterexample: p = 1, α = 0.99: exact 0.06620 < 0.10505.
    alphas = np.linspace(1e-4, 1 - 1e-4, 400)
    for p in range(2, 101):
        assert np.all(_bound_gaps("sqrt_p_over_2pi", p, alphas) >= -EXACT_RTOL), p
    exact = success_probability(1, 0.99)
    reading = init_bounds(1, 0.99)["sqrt_p_over_2pi"]
    assert exact == pytest.approx(0.0661956362609388, rel=EXACT_RTOL)
    assert reading - exact > 0.038
    assert np.all(_bound_gaps("sqrt_p_over_2pi", 1, np.linspace(1e-4, 0.967, 500)) > 0)


def test_proof_bound_matches_the_unit_ball_volume_ratio():
    # V_{p−1}/V_p = Γ(p/2+1)/(√π Γ(p/2+½)): ½ for p = 1, 2/π for p = 2, 3/4 for p = 3.
    # Tolerance: exp of a difference of gammaln values of size ≤ 1, relative error a few u → 1e-14.
    for p, ratio in [(1, 0.5), (2, 2 / math.pi), (3, 0.75)]:
        assert init.unit_ball_volume_ratio(p) == pytest.approx(ratio, rel=1e-14)
        assert init_bounds(p, 0.2)["proof"] == pytest.approx(0.5 - 0.2 * ratio, rel=1e-14)


def test_alpha_max_is_the_square_root_of_one_over_2p():
    assert alpha_max(8) == pytest.approx(0.25, rel=1e-15)


# ---------------------------------------------------------------------------
# Corollary 3.1 (claim 17) [reconstructed]
# ---------------------------------------------------------------------------

COROLLARY_DIMENSIONS = list(range(1, 301)) + [1000, 10**4, 10**5, 10**6]


def test_success_probability_exceeds_one_quarter_whenever_the_corollary_condition_holds():
    # Holds: P decreases in α (tested above), so the infimum over cos φ* < √(π/(8p)) is the value
    # at the threshold; we test a grid up to (just below) it.  Smallest value: 0.26544 (p = 10⁶),
    # decreasing in p towards ≈ 0.2654; margin over ¼ ≥ 0.015, far above the 1e-12 float error.
    worst = (math.inf, None)
    for p in COROLLARY_DIMENSIONS:
        cos_max = corollary31_cos_max(p)
        cosines = np.linspace(cos_max / 50, float(np.nextafter(cos_max, 0)), 50)
        assert all(corollary31_condition(p, float(c)) for c in cosines)
        values = success_probability(p, cosines)
        if values.min() < worst[0]:
            worst = (float(values.min()), p)
    assert worst[0] > 0.25, worst
    assert worst[0] == pytest.approx(0.26544, abs=1e-5)


def test_corollary_condition_is_false_at_and_above_its_threshold():
    for p in (1, 5, 100):
        assert not corollary31_condition(p, corollary31_cos_max(p))
        assert not corollary31_condition(p, min(0.999, 2 * corollary31_cos_max(p)))
        # the corollary's condition implies the theorem's: √(π/(8p)) < √(1/(2p))
        assert corollary31_cos_max(p) < alpha_max(p)


def test_corollary_bound_exceeds_one_quarter_exactly_under_its_condition():
    # By construction of the reading: ½ − c√(p/(2π)) > ¼ ⇔ c < √(π/(8p)).
    for p in (1, 7, 64, 1000):
        c = corollary31_cos_max(p)
        assert corollary31_bound(p, c) == pytest.approx(0.25, rel=1e-14)
        assert corollary31_bound(p, 0.999 * c) > 0.25


def test_corollary_one_quarter_does_not_follow_from_the_proofs_own_bound():
    # Finding: at the threshold the proof's (rigorous) bound ½ − c·V_{p−1}/V_p is below ¼ for
    # every p (0.1867 at p = 1, → ¼ from below), because the corollary uses Gautschi's lower
    # estimate; the ">¼" is true (test above) but the printed argument does not establish it.
    for p in (1, 2, 10, 100, 10**4):
        assert init_bounds(p, corollary31_cos_max(p))["proof"] < 0.25, p


def test_theorem_condition_alone_does_not_give_one_quarter_from_p_13_on():
    # Finding for the other reading of the corollary's condition (cos φ* ≤ √(1/(2p)), Theorem
    # 3.4's own): at cos φ* = α_max(p) the exact probability is 0.25026 for p = 12 but 0.24952
    # for p = 13, and it tends to ≈ 0.2398 as p → ∞.  So "> ¼" needs the stricter √(π/(8p)).
    assert success_probability(12, alpha_max(12)) > 0.25
    assert success_probability(13, alpha_max(13)) == pytest.approx(0.2495164009, abs=1e-9)
    assert success_probability(10**6, alpha_max(10**6)) == pytest.approx(0.2397502, abs=1e-6)


# ---------------------------------------------------------------------------
# The report record
# ---------------------------------------------------------------------------

def test_init_probability_serialises_with_exactly_the_report_keys():
    record = init_probability(5, 0.2, n=4000, seed=3)
    assert isinstance(record, InitProbability)
    data = json.loads(json.dumps(record.to_dict()))
    assert set(data) == {"p", "alpha", "exact", "bounds", "mc"}
    assert set(data["mc"]) == {"value", "error", "n", "seed"}
    assert set(data["bounds"]) == set(BOUND_READINGS)
    assert data["mc"] == {"value": record.mc.value, "error": record.mc.error, "n": 4000, "seed": 3}
    assert isinstance(record.mc, Estimate)
    # exact_mp: 30 significant digits, agreeing with the float to EXACT_RTOL.
    assert len(record.exact_mp.replace("0.", "", 1)) == 30
    assert float(record.exact_mp) == pytest.approx(record.exact, rel=EXACT_RTOL)


def test_init_probability_accepts_a_seed_of_none():
    assert init_probability(3, 0.3, n=10, seed=None).mc.seed is None


# ---------------------------------------------------------------------------
# Invalid input
# ---------------------------------------------------------------------------

BAD_INPUTS = [
    pytest.param(success_probability, (0, 0.3), "p", id="p-zero"),
    pytest.param(success_probability, (2.5, 0.3), "p", id="p-fractional"),
    pytest.param(success_probability, ("3", 0.3), "p", id="p-string"),
    pytest.param(success_probability, (3, 0.0), "alpha", id="alpha-zero"),
    pytest.param(success_probability, (3, 1.0), "alpha", id="alpha-one"),
    pytest.param(success_probability, (3, -0.2), "alpha", id="alpha-negative"),
    pytest.param(success_probability, (3, float("nan")), "alpha", id="alpha-nan"),
    pytest.param(success_probability, (3, [0.2, 1.5]), "alpha", id="alpha-array-entry-out-of-range"),
    pytest.param(success_probability, (3, "x"), "alpha", id="alpha-string"),
    pytest.param(success_probability_mp, (3, [0.2, 0.3]), "alpha", id="mp-alpha-array"),
    pytest.param(success_probability_mp, (3, 0.2, 5), "dps", id="mp-dps-too-low"),
    pytest.param(success_probability_mc, (3, 0.2, 0, 1), "n", id="mc-n-zero"),
    pytest.param(success_probability_mc, (3, 0.2, 10, -1), "seed", id="mc-seed-negative"),
    pytest.param(success_probability_mc, (3, 0.2, 10, 1.5), "seed", id="mc-seed-float"),
    pytest.param(init_bounds, (3, 1.2), "alpha", id="bounds-alpha-above-one"),
    pytest.param(alpha_max, (0,), "p", id="alpha-max-p-zero"),
    pytest.param(corollary31_condition, (3, 0.0), "cos_phi_star", id="corollary-cos-zero"),
    pytest.param(corollary31_bound, (3, 1.0), "cos_phi_star", id="corollary-cos-one"),
    pytest.param(init_probability, (3, 0.2, -5, 0), "n", id="record-n-negative"),
]


@pytest.mark.parametrize("function, args, argument", BAD_INPUTS)
def test_bad_input_raises_invalid_argument_naming_the_argument(function, args, argument):
    with pytest.raises(InvalidArgument) as info:
        function(*args)
    assert info.value.argument == argument
    assert str(info.value).startswith(f"{argument}: ")


def test_huge_p_is_fast_and_monte_carlo_uses_the_law_of_one_coordinate():
    import time

    from verify.dynamics.initialization import MC_DIRECT_MAX_P

    t0 = time.monotonic()
    record = init_probability(10**9, 1e-9, n=50_000, seed=1)
    assert time.monotonic() - t0 < 10
    assert record.exact_mp is None                       # mpmath's betainc is not used beyond MP_MAX_P
    assert abs(record.mc.value - record.exact) <= 4.42 * record.mc.error
    # just above the switch, the reduced draw agrees with the exact probability too
    p = MC_DIRECT_MAX_P + 1
    est = success_probability_mc(p, 0.005, n=100_000, seed=3)
    assert abs(est.value - success_probability(p, 0.005)) <= 4.42 * est.error


def test_p_beyond_the_documented_range_is_refused():
    from verify.validation import InvalidArgument

    with pytest.raises(InvalidArgument, match="2\\*\\*53"):
        success_probability(2**53 + 1, 0.1)


def test_monte_carlo_reports_progress_per_chunk():
    seen = []
    success_probability_mc(3, 0.2, 10, 0, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (10, 10)

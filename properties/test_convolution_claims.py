"""Property tests of the convolutional claims (CLAIMS.md §4, claims 11–15): the steps of Theorem 3.1's
proof, its contraction, the identical-patch remark, SGD (Theorem 3.2) and Theorem 3.3.

Finite laws in p = 2 are exact (β, L_cross and μ by enumerating the angles where a patch changes
region: ``verify.claims.finite_sup_ratio``, ``finite_mu``); the patch-closeness law of Fig. 3b is
estimated by Monte Carlo, whose tests spend the false-alarm budget of ``properties/_budget.py``.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _budget import alpha_per_example, examples, no_shrink_unless_thorough, statistical_examples
from _instances import assert_holds_or_outside, assert_not_refuted, check
from verify.distributions import AngularMixture, Empirical, Gaussian, PatchCloseness, Sphere
from verify.strategies import datasets, dimensions, filters_near, teacher_filters


@st.composite
def finite_patch_laws(draw, *, max_n=25, jitter=False):
    """Finite laws of k ≥ 2 patches in p = 2; with ``jitter``, k near-copies of one Gaussian patch per draw
    (identical, or jittered by 1e-4 or 1e-3: small L_cross, so that Theorem 3.1's γ(φ0) > 6L_cross can hold)."""
    if jitter:
        rng = np.random.default_rng(draw(st.integers(0, 2**16)))
        n, k = draw(st.integers(6, 60)), draw(st.integers(2, 4))
        scale = draw(st.sampled_from([0.0, 0.0, 1e-4, 1e-3]))
        data = rng.standard_normal((n, 1, 2)) + scale * rng.standard_normal((n, k, 2))
    else:
        data = draw(datasets(min_n=1, max_n=max_n, p=2, k=None, min_k=2, max_k=4))
    return Empirical(data)


# ---------------------------------------------------------------------------
# Claim 11 [thm31-gradient-bounds]
# ---------------------------------------------------------------------------

@settings(max_examples=examples(30))
@given(st.one_of(finite_patch_laws(), finite_patch_laws(jitter=True)), st.data())
def test_thm31_gradient_bounds_hold_on_finite_patch_laws(law, data):
    w_star = data.draw(teacher_filters(2))
    w = data.draw(filters_near(w_star))
    result = check("thm31-gradient-bounds", dist=law, w_star=w_star, w=w)
    assert_holds_or_outside(result)


@settings(max_examples=statistical_examples("test_thm31_gradient_bounds_hold_for_close_patches"))
@given(st.integers(2, 5), st.sampled_from([0.005, 0.02, 0.1]), st.floats(0.05, 0.95), st.integers(0, 999))
def test_thm31_gradient_bounds_hold_for_close_patches(k, sigma_patch, ratio, seed):
    law = PatchCloseness(2, k=k, sigma_patch=sigma_patch)
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(2)
    w = np.array([1.0, 0.0]) + ratio * v / np.linalg.norm(v)
    result = check("thm31-gradient-bounds", alpha=alpha_per_example(
        "test_thm31_gradient_bounds_hold_for_close_patches"), dist=law, w=w, n=100_000, seed=seed)
    assert_not_refuted(result)


# ---------------------------------------------------------------------------
# Claim 12 [thm31-contraction]
# ---------------------------------------------------------------------------

@settings(max_examples=examples(30))
@given(finite_patch_laws(jitter=True), st.data())
def test_thm31_contraction_contracts_on_finite_patch_laws(law, data):
    w_star = data.draw(teacher_filters(2))
    w = data.draw(filters_near(w_star))
    fraction = data.draw(st.floats(0.01, 1.0))
    result = check("thm31-contraction", dist=law, w_star=w_star, w=w, eta_fraction=fraction)
    assert_holds_or_outside(result)


@settings(max_examples=statistical_examples("test_thm31_contraction_contracts_for_close_patches"))
@given(st.integers(2, 5), st.sampled_from([0.005, 0.01]), st.floats(0.05, 0.4), st.floats(0.1, 1.0),
       st.integers(0, 999))
def test_thm31_contraction_contracts_for_close_patches(k, sigma_patch, ratio, fraction, seed):
    law = PatchCloseness(2, k=k, sigma_patch=sigma_patch)
    result = check("thm31-contraction", alpha=alpha_per_example("test_thm31_contraction_contracts_for_close_patches"),
                   dist=law, ratio=ratio, eta_fraction=fraction, n=100_000, seed=seed)
    assert_not_refuted(result)


# ---------------------------------------------------------------------------
# Claim 13 [asm32-identical-patches]
# ---------------------------------------------------------------------------

@settings(max_examples=examples(40))
@given(datasets(min_n=1, max_n=30, min_p=2, max_p=5), st.integers(2, 5), st.data())
def test_asm32_identical_patches_have_no_cross_moments(base, k, data):
    p = base.shape[1]
    w_star = data.draw(teacher_filters(p))
    w = data.draw(st.one_of(filters_near(w_star), teacher_filters(p, min_norm=0.01)))
    result = check("asm32-identical-patches", dist=Empirical(base), k=k, w_star=w_star, w=w)
    assert_holds_or_outside(result)


@settings(max_examples=examples(5))
@given(st.sampled_from([Gaussian, Sphere]), dimensions(max_p=6), st.integers(2, 6), st.integers(0, 999))
def test_asm32_identical_copies_of_a_continuous_law_have_zero_L_cross(family, p, k, seed):
    result = check("asm32-identical-patches", dist=family(p), k=k, samples=300, seed=seed)
    assert_holds_or_outside(result)


# ---------------------------------------------------------------------------
# Claim 14 [thm32-sgd]
# ---------------------------------------------------------------------------

def _identical_sphere_patches(k=3, n=400, seed=7):
    z = Sphere(2).sample(n, np.random.default_rng(seed))
    return Empirical(np.repeat(z, k, axis=1))


SGD_CASES = {
    "sphere p=2": lambda: Sphere(2),
    "sphere p=3": lambda: Sphere(3),
    "mixture p=2, sigma=1": lambda: AngularMixture(2, sigma=1.0),
    "3 identical sphere patches, p=2": _identical_sphere_patches,
}


@settings(max_examples=statistical_examples("test_thm32_sgd_succeeds_with_probability_at_least_one_minus_delta"))
@given(st.sampled_from(sorted(SGD_CASES)), st.sampled_from([0.2, 0.3]), st.integers(0, 999))
def test_thm32_sgd_succeeds_with_probability_at_least_one_minus_delta(case, eps, seed):
    result = check("thm32-sgd", alpha=alpha_per_example(
        "test_thm32_sgd_succeeds_with_probability_at_least_one_minus_delta"),
        dist=SGD_CASES[case](), epsilon=eps, delta=0.1, runs=150, seed=seed)
    assert_not_refuted(result)


# ---------------------------------------------------------------------------
# Claim 15 [thm33-closeness]
# ---------------------------------------------------------------------------

@st.composite
def clustered_patch_laws(draw, *, min_rho=0.01, max_rho=0.06, min_n=50, max_n=200, spread=math.pi):
    """Finite laws of k unit patches evenly spread over [ψ − ρ, ψ + ρ], ψ uniform in [−spread, spread]."""
    n = draw(st.integers(min_n, max_n))
    k = draw(st.integers(2, 4))
    rho = draw(st.floats(min_rho, max_rho))
    psi = np.random.default_rng(draw(st.integers(0, 2**16))).uniform(-spread, spread, n)
    ang = psi[:, None] + np.linspace(-rho, rho, k)[None, :]
    return Empirical(np.stack([np.cos(ang), np.sin(ang)], axis=-1))


@pytest.mark.xfail(strict=True, reason=(
    "refuted as printed: straddling patches lower γ by O(ρ), the bound allows only 4(1 − cos ρ) ≈ 2ρ²; "
    "found on 150 draws of k = 2 unit patches at ψ ± 0.04 (ψ uniform) at φ0 = 0.3: γ(φ0) < γ_avg(φ0) − "
    "4(1 − cos ρ); on a 21-draw sample of PatchCloseness(p=2, k=4, σ_patch=1/32, seed 4), φ0 = 0.5: "
    "γ = 0.0871 < γ_avg − 4(1−cos ρ) = 0.1067 − 0.0068 = 0.0998 (brute-force confirmed); also for the continuous "
    "law (ψ uniform, patches at ψ ± 0.05, 2·10⁶ draws): γ(0.3) ≈ 0.1942 < 0.1971"))
@settings(max_examples=examples(20), **no_shrink_unless_thorough())
@given(clustered_patch_laws(), st.floats(0.1, 1.5))
def test_thm33_closeness_gamma_is_at_least_gamma_avg_minus_4_one_minus_cos_rho(law, phi0):
    result = check("thm33-closeness", dist=law, phi0=phi0)
    assert result.readings.get("γ(φ0) ≥ γ_avg(φ0) − 4(1 − cos ρ)") != "refuted", result.parts


@pytest.mark.xfail(strict=True, reason=(
    "refuted as printed: L_cross ≤ 3μ fails when no patch is within ρ of w*⊥ (so μ = 0) while patches still "
    "straddle w⊥ for some θ(w, w*) ≤ π/2; minimal instance: one draw of k = 2 unit patches at angles 0.1 and "
    "0.3 from w* = e_1: ρ = 0.1, μ = 0, L_cross = (1/4)/(π/2 − 0.3) = 0.197 > 3μ = 0; also found on a 20-draw "
    "sample of PatchCloseness(p=2, k=2, σ_patch=1/16) (L_cross = 0.109, μ = 0)"))
@settings(max_examples=examples(10), **no_shrink_unless_thorough())
@given(clustered_patch_laws(min_rho=0.02, max_rho=0.2, min_n=1, max_n=10, spread=1.2))
def test_thm33_closeness_L_cross_is_at_most_3_mu_for_clustered_patches(law):
    result = check("thm33-closeness", dist=law)
    assert result.readings.get("L_cross ≤ 3μ (μ over φ ≤ ρ)") != "refuted", result.parts


@settings(max_examples=examples(30))
@given(st.one_of(datasets(min_n=1, max_n=20, p=2, k=None, min_k=2, max_k=4, unit_norm=True),
                 st.tuples(st.integers(2, 4), st.floats(0.01, 1.0), st.integers(5, 100), st.integers(0, 999)).map(
                     lambda t: PatchCloseness(2, k=t[0], sigma_patch=t[1]).sample(t[2], np.random.default_rng(t[3]))),
                 clustered_patch_laws(min_n=1, max_n=30).map(lambda law: law.support())),
       st.data())
def test_thm33_closeness_L_cross_is_at_most_3_mu_when_mu_is_taken_up_to_pi_over_2(atoms, data):
    w_star = data.draw(teacher_filters(2))
    result = check("thm33-closeness", dist=Empirical(atoms), w_star=w_star)
    assert result.readings.get("L_cross ≤ 3μ with μ over φ ≤ π/2", "holds") != "refuted", result.parts

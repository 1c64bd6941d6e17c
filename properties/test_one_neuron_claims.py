"""Property tests of the one-neuron claims (CLAIMS.md §4, claims 1–8): Lemma A.1, Definition 2.1's
remarks, Theorems 2.1 and 2.2 and the steps of its proof.

Every test draws instances from :mod:`verify.strategies`, checks the claim with
its registry entry (:mod:`verify.claims`), reports the result to the pytest
plugin (``--claims-json``) and asserts by the claim's kind.  The instances are
exact (closed forms, quadrature, finite sums), so no false-alarm budget is spent
here (``properties/_budget.py``).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _budget import examples, no_shrink_unless_thorough
from _instances import assert_holds_or_outside, assert_not_refuted, check, exact_one_neuron_laws
from verify.distributions import AngularMixture, Degenerate, Empirical
from verify.strategies import angles, datasets, dimensions, distributions, filters_near, teacher_filters


# ---------------------------------------------------------------------------
# Claim 1 [lemma-a1]
# ---------------------------------------------------------------------------

@st.composite
def finite_one_neuron_instances(draw, *, boundary: bool = False):
    """(data, w*, w) for a finite one-patch law.  With ``boundary``, w* is a coordinate axis and some
    patches get a zero coordinate along it, i.e. lie exactly on w*⊥ (the closed regions' ties)."""
    data = draw(datasets(min_n=1, max_n=25, min_p=2, max_p=5))
    p = data.shape[1]
    if boundary:
        axis = draw(st.integers(0, p - 1))
        w_star = np.eye(p)[axis] * draw(st.floats(0.1, 10.0))
        rows = draw(st.lists(st.integers(0, data.shape[0] - 1), min_size=1, max_size=data.shape[0]))
        data = data.copy()
        data[rows, axis] = 0.0
    else:
        w_star = draw(teacher_filters(p))
    w = draw(st.one_of(filters_near(w_star), teacher_filters(p, min_norm=0.01)))
    return data, w_star, w


@settings(max_examples=examples(60))
@given(st.one_of(finite_one_neuron_instances(), finite_one_neuron_instances(boundary=True)))
def test_lemma_a1_inner_product_splits_per_sample_with_the_half_open_region(instance):
    data, w_star, w = instance
    result = check("lemma-a1", dist=Empirical(data), w_star=w_star, w=w)
    assert result.readings["half-open S(w,−w*): w*·Z < 0"] == "holds", result.parts


@pytest.mark.xfail(strict=True, reason=(
    "refuted as printed (closed regions) on a finite law with a patch on w*⊥; shrunk counterexample: "
    "data=[[0., 1.]] (Z = e_2), w*=[1., 0.], w=[1.3536, 0.3536]: ⟨∇ℓ(w, Z), w−w*⟩ = 0.125 but "
    "term1 + term2 = 0.125 + 0.125 = 0.25, since w*·Z = 0 puts Z in both S(w, w*) and S(w, −w*); "
    "the half-open reading (w*·Z < 0 in S(w, −w*)) holds, and the tie has measure 0 for laws with a density"))
@settings(max_examples=examples(60), **no_shrink_unless_thorough())
@given(st.one_of(finite_one_neuron_instances(), finite_one_neuron_instances(boundary=True)))
def test_lemma_a1_inner_product_splits_per_sample_for_every_finite_law(instance):
    data, w_star, w = instance
    result = check("lemma-a1", dist=Empirical(data), w_star=w_star, w=w)
    assert_not_refuted(result)


@settings(max_examples=examples(10))
@given(distributions(families=("gaussian", "sphere", "mixture"), max_p=10), st.data())
def test_lemma_a1_inner_product_splits_for_draws_of_laws_with_a_density(law, data):
    w_star = data.draw(teacher_filters(law.p))
    w = data.draw(teacher_filters(law.p, min_norm=0.01))
    result = check("lemma-a1", dist=law, w_star=w_star, w=w, samples=400, seed=data.draw(st.integers(0, 999)))
    assert_holds_or_outside(result)


# ---------------------------------------------------------------------------
# Claim 2 [def21-shape], claim 3 [def21-rotinv-equal]
# ---------------------------------------------------------------------------

@settings(max_examples=examples(15))
@given(exact_one_neuron_laws(max_p=12), st.lists(angles(), min_size=0, max_size=4))
def test_def21_shape_gamma_and_L_are_non_increasing_ordered_and_vanish_at_pi(law_and_teacher, extra_phis):
    law, w_star = law_and_teacher
    phis = np.unique(np.r_[np.linspace(0, math.pi, 7), extra_phis, 1e-6, math.pi - 1e-6])
    result = check("def21-shape", dist=law, w_star=w_star, phis=phis)
    if isinstance(law, Degenerate) and law.p > 2:
        assert_not_refuted(result)  # direction sets searched: one-sided estimates
    else:
        assert_holds_or_outside(result)


@pytest.mark.xfail(strict=True, reason=(
    "refuted as printed; shrunk counterexample: Gaussian(2), φ = 1.0: γ(φ) = (π−φ−sin φ)/(2π) = 0.2069 but "
    "L(φ) = (π−φ+sin φ)/(2π) = 0.4748 (relative gap 0.56); for every radial law γ < L on (0, π), "
    "equality only at φ = 0 and φ = π"))
@settings(max_examples=examples(30), **no_shrink_unless_thorough())
@given(distributions(families=("gaussian", "sphere"), max_p=32), angles())
def test_def21_rotinv_equal_gamma_equals_L_for_rotationally_invariant_laws(law, phi):
    result = check("def21-rotinv-equal", dist=law, phi=phi)
    assert_not_refuted(result)


# ---------------------------------------------------------------------------
# Claim 4 [thm21-recovery]
# ---------------------------------------------------------------------------

@settings(max_examples=examples(5))
@given(distributions(families=("gaussian", "sphere"), max_p=12), st.data())
def test_thm21_recovery_gd_from_every_start_below_the_zero_loss_reaches_w_star(law, data):
    w_star = data.draw(teacher_filters(law.p))
    result = check("thm21-recovery", dist=law, w_star=w_star, starts=8, steps=2500,
                   spread=data.draw(st.sampled_from([0.5, 1.0, 2.0])), seed=data.draw(st.integers(0, 999)))
    assert_holds_or_outside(result)


@settings(max_examples=examples(2))
@given(st.sampled_from([(2, 0.5), (3, 1.0), (4, 2.0)]), st.integers(0, 999))
def test_thm21_recovery_gd_on_an_angular_mixture_reaches_w_star(p_sigma, seed):
    p, sigma = p_sigma
    result = check("thm21-recovery", dist=AngularMixture(p, sigma=sigma), starts=6, steps=2500, n_population=8000,
                   seed=seed)
    assert_not_refuted(result)
    assert result.verdict in ("holds", "inconclusive")


@settings(max_examples=examples(3))
@given(dimensions(min_p=3, max_p=6).flatmap(lambda p: st.tuples(st.just(p), st.integers(1, p - 1))),
       st.integers(0, 999))
def test_thm21_recovery_gd_stalls_off_the_support_of_a_degenerate_law(p_rank, seed):
    """Theorem 2.1's hypothesis fails for a law on a subspace: GD keeps w0's off-support part (reported)."""
    p, rank = p_rank
    law = Degenerate(p, rank=rank)
    w_star = np.ones(p) / math.sqrt(p)              # has a component off the support
    result = check("thm21-recovery", dist=law, w_star=w_star, starts=4, steps=3000, seed=seed)
    assert result.in_hypothesis is False
    rel = np.asarray(result.details["final_relative_distance"], float)
    predicted = np.asarray(result.details["predicted_stall_distance"], float)
    assert np.all(predicted > 0)
    np.testing.assert_allclose(rel, predicted, rtol=1e-6, atol=1e-9)


# ---------------------------------------------------------------------------
# Claim 5 [thm22-angle]
# ---------------------------------------------------------------------------

@settings(max_examples=examples(200))
@given(dimensions(max_p=64).flatmap(teacher_filters).flatmap(lambda ws: st.tuples(st.just(ws), filters_near(ws))))
def test_thm22_angle_is_at_most_the_arcsin_of_the_relative_distance(pair):
    w_star, w = pair
    result = check("thm22-angle", w_star=w_star, w=w)
    assert_holds_or_outside(result)


# ---------------------------------------------------------------------------
# Claim 6 [thm22-gradient-bounds]
# ---------------------------------------------------------------------------

@settings(max_examples=examples(40))
@given(exact_one_neuron_laws(max_p=48, max_degenerate_p=5), st.data())
def test_thm22_gradient_bounds_hold_inside_the_ball(law_and_teacher, data):
    law, w_star = law_and_teacher
    w = data.draw(filters_near(w_star))
    result = check("thm22-gradient-bounds", dist=law, w_star=w_star, w=w)
    if isinstance(law, Degenerate) and law.p > 2:
        assert_not_refuted(result)
    else:
        assert_holds_or_outside(result)


# ---------------------------------------------------------------------------
# Claim 7 [thm22-contraction]
# ---------------------------------------------------------------------------

@settings(max_examples=examples(30))
@given(exact_one_neuron_laws(max_p=48, mixture=False, degenerate=False), st.data())
def test_thm22_contraction_one_gd_step_contracts_for_every_allowed_step(law_and_teacher, data):
    law, w_star = law_and_teacher
    w = data.draw(filters_near(w_star))
    fraction = data.draw(st.floats(0.01, 1.0))
    result = check("thm22-contraction", dist=law, w_star=w_star, w=w, eta_fraction=fraction)
    assert_holds_or_outside(result)


@settings(max_examples=examples(4))
@given(st.sampled_from([(2, 0.5), (3, 1.0), (5, 2.0)]), st.floats(0.05, 0.95), st.floats(0.1, 1.0))
def test_thm22_contraction_holds_for_angular_mixtures_by_quadrature(p_sigma, ratio, fraction):
    p, sigma = p_sigma
    result = check("thm22-contraction", dist=AngularMixture(p, sigma=sigma), ratio=ratio, eta_fraction=fraction)
    assert_not_refuted(result)


# ---------------------------------------------------------------------------
# Claim 8 [thm22-complexity]
# ---------------------------------------------------------------------------

@settings(max_examples=examples(4))
@given(distributions(families=("gaussian", "sphere"), max_p=20), st.floats(0.05, 0.99),
       st.sampled_from([1e-2, 1e-3, 1e-4]), st.integers(0, 999))
def test_thm22_complexity_gd_reaches_epsilon_within_the_bound_and_adaptive_steps_are_faster(law, ratio, eps, seed):
    result = check("thm22-complexity", dist=law, ratio=ratio, epsilon=eps, seed=seed)
    assert_holds_or_outside(result)
    assert result.readings.get("adaptive step is no slower") in (None, "holds")

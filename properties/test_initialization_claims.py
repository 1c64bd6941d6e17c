"""Property tests of Theorem 3.4 and Corollary 3.1 (CLAIMS.md §4, claims 16 and 17): the paper's
lower bounds on the probability of a good random initialization, against the exact probability.
"""
from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from _budget import alpha_per_example, examples, statistical_examples
from _instances import assert_holds_or_outside, check
from verify.claims import z_threshold
from verify.initialization import alpha_max, corollary31_cos_max, success_probability, success_probability_mc
from verify.strategies import dimensions


@st.composite
def dimensions_and_radii(draw, *, upper=alpha_max, max_p=20_000):
    p = draw(st.one_of(dimensions(max_p=min(64, max_p)), dimensions(min_p=min(65, max_p), max_p=max_p)))
    a = draw(st.floats(1e-6, 1.0)) * upper(p)
    return p, a


@settings(max_examples=examples(100))
@given(dimensions_and_radii())
def test_thm34_init_exact_probability_is_above_each_reading_of_the_bound(p_alpha):
    p, a = p_alpha
    result = check("thm34-init", p=p, alpha=a)
    assert_holds_or_outside(result)
    assert all(v == "holds" for v in result.readings.values()), result.readings


@settings(max_examples=statistical_examples("test_thm34_init_exact_probability_agrees_with_monte_carlo"))
@given(dimensions_and_radii(upper=lambda p: 0.999, max_p=64), st.integers(0, 2**16))
def test_thm34_init_exact_probability_agrees_with_monte_carlo(p_alpha, seed):
    """The reference of claim 16 (the lens as two caps) against 2·10⁵ uniform draws in the ball, two-sided."""
    p, a = p_alpha
    exact = success_probability(p, a)
    mc = success_probability_mc(p, a, 200_000, seed)
    alpha = alpha_per_example("test_thm34_init_exact_probability_agrees_with_monte_carlo")
    if 0 < mc.value < 1:
        assert abs(mc.value - exact) <= z_threshold(alpha / 2) * mc.error + 1e-12
    else:  # all or none of the draws succeeded: the exact value must make that likely (P ≥ α)
        q = exact if mc.value == 1 else 1 - exact
        assert q**200_000 >= alpha / 2 or math.isclose(q, 1.0)


@settings(max_examples=examples(60))
@given(dimensions_and_radii(upper=corollary31_cos_max))
def test_cor31_init_success_probability_exceeds_a_quarter_under_the_condition(p_c):
    p, c = p_c
    result = check("cor31-init", p=p, cos_phi_star=c)
    assert_holds_or_outside(result)

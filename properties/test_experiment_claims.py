"""Property tests of the experiments of §4 (CLAIMS.md §4, claims 18–20), with their confidence intervals.

Each test runs the experiment of :mod:`verify.experiments` on several seeds (never a single run) and
checks the claim from the per-seed numbers with Welch / paired t-intervals at the false-alarm
probability allotted in ``properties/_budget.py``.  The seed itself is drawn by hypothesis
(derandomized in the default profile).
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from _budget import alpha_per_example, statistical_examples
from _instances import assert_not_refuted, check

RATE_OVERRIDES = {"iterations": 600, "seeds": 10}
REAL_OVERRIDES = {"iterations": 3000, "seeds": 5}


@settings(max_examples=statistical_examples("test_sec4_smoothness_larger_sigma_converges_faster"))
@given(st.integers(0, 2**16))
def test_sec4_smoothness_larger_sigma_converges_faster(seed):
    result = check("sec4-smoothness", alpha=alpha_per_example("test_sec4_smoothness_larger_sigma_converges_faster"),
                   profile="quick", seed=seed, overrides={"fig3a": RATE_OVERRIDES})
    assert_not_refuted(result)


@settings(max_examples=statistical_examples("test_sec4_closeness_closer_patches_converge_faster"))
@given(st.integers(0, 2**16))
def test_sec4_closeness_closer_patches_converge_faster(seed):
    result = check("sec4-closeness", alpha=alpha_per_example("test_sec4_closeness_closer_patches_converge_faster"),
                   profile="quick", seed=seed, overrides={"fig3b": RATE_OVERRIDES})
    assert_not_refuted(result)


@settings(max_examples=statistical_examples("test_sec4_real_data_sgd_learns_filters_on_digit_patches"))
@given(st.integers(0, 2**16))
def test_sec4_real_data_sgd_learns_filters_on_digit_patches(seed):
    result = check("sec4-real-data",
                   alpha=alpha_per_example("test_sec4_real_data_sgd_learns_filters_on_digit_patches"),
                   profile="quick", seed=seed,
                   overrides={name: REAL_OVERRIDES for name in ("fig3c", "fig3d", "fig4", "fig5")})
    assert_not_refuted(result)

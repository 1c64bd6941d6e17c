"""thm21-recovery (§2, Theorem 2.1): if E[ZZᵀ1{S(w1,w2)}] ≻ 0 whenever θ(w1,w2) < π and ℓ(w0) < ℓ(0), the only
limit point of population GD is w*

Each test runs one search of verify.claims.thm21_recovery (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations

import numpy as np


def test_thm21_recovery_gd_from_starts_below_the_zero_loss_reaches_w_star(checker):
    outcome = checker('thm21-recovery', 'gd-from-starts-below-the-zero-loss-reaches-w-star')
    assert outcome.met, outcome.describe()


def test_thm21_recovery_gd_on_an_angular_mixture_reaches_w_star(checker):
    outcome = checker('thm21-recovery', 'gd-on-an-angular-mixture-reaches-w-star')
    assert outcome.met, outcome.describe()


def test_thm21_recovery_gd_stalls_off_the_support_of_a_degenerate_law(checker):
    outcome = checker('thm21-recovery', 'gd-stalls-off-the-support-of-a-degenerate-law')
    assert outcome.met, outcome.describe()
    for result in outcome.results:
        assert result.in_hypothesis is False
        rel = np.asarray(result.details["final_relative_distance"], float)
        predicted = np.asarray(result.details["predicted_stall_distance"], float)
        assert np.all(predicted > 0)
        # GD on the support is exact; off it w never moves: agreement to the step loop's rounding
        np.testing.assert_allclose(rel, predicted, rtol=1e-6, atol=1e-9)

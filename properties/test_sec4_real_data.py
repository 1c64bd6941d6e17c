"""sec4-real-data (§4, Figs. 3c, 3d, 4, 5; Appendix B): on real images SGD learns a random Gaussian and a Gabor
filter to near-zero relative loss, better initializations converge faster, the learned filter looks like the
true one, and the loss stays low along α·w + (1−α)·w*

Each test runs one search of verify.claims.sec4_real_data (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_sec4_real_data_sgd_learns_filters_on_digit_patches(checker):
    outcome = checker('sec4-real-data', 'sgd-learns-filters-on-digit-patches')
    assert outcome.met, outcome.describe()

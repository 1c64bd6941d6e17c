"""sec4-smoothness (§4, Fig. 3a): the smoother the input distribution (larger σ of the angular mixture), the
faster (S)GD converges at a fixed initialization and step

Each test runs one search of verify.claims.sec4_smoothness (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_sec4_smoothness_larger_sigma_converges_faster(checker):
    outcome = checker('sec4-smoothness', 'larger-sigma-converges-faster')
    assert outcome.met, outcome.describe()

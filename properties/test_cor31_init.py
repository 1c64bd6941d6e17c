"""cor31-init (§3.2, Corollary 3.1): with α = cos φ* < √(π/(8p)), the success probability of Theorem 3.4 exceeds
1/4

Each test runs one search of verify.claims.cor31_init (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_cor31_init_success_probability_exceeds_a_quarter_under_the_condition(checker):
    outcome = checker('cor31-init', 'success-probability-exceeds-a-quarter-under-the-condition')
    assert outcome.met, outcome.describe()

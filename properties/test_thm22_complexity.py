"""thm22-complexity (§2.1, discussion after Theorem 2.2): with η = γ(φ0)/(2(L(0)+4β)²) GD reaches ‖w_t − w*‖ ≤
ε‖w*‖ within O((L(0)+β)²/γ(φ0)² · log(1/ε)) steps; the adaptive/two-stage step η_t = γ(φ_t)/(2(L(φ_t)+4β)²) is
faster

Each test runs one search of verify.claims.thm22_complexity (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_thm22_complexity_gd_reaches_epsilon_within_the_bound(checker):
    outcome = checker('thm22-complexity', 'gd-reaches-epsilon-within-the-bound')
    assert outcome.met, outcome.describe()
    for result in outcome.results:
        assert result.readings.get("adaptive-no-slower") in (None, "holds"), result.details

"""thm34-init (§3.2, Theorem 3.4): w0 uniform in the p-ball of radius α‖w*‖, α ≤ √(1/(2p)) ⇒ ‖w0 − w*‖ ≤
√(1−α²)‖w*‖ with probability at least ½ − α·V_{p−1}/V_p (the proof's bound) and its simplifications

Each test runs one search of verify.claims.thm34_init (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_thm34_init_exact_probability_is_above_each_reading_of_the_bound(checker):
    outcome = checker('thm34-init', 'exact-probability-is-above-each-reading-of-the-bound')
    assert outcome.met, outcome.describe()
    for result in outcome.results:
        if result.in_hypothesis is not False:
            assert all(v == "holds" for v in result.readings.values()), result.readings

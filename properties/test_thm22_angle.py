"""thm22-angle (Appendix A.1, proof of Theorem 2.2 (its first observation)): if ‖w − w*‖ < ‖w*‖ then θ(w, w*) ≤
arcsin(‖w − w*‖/‖w*‖)

Each test runs one search of verify.claims.thm22_angle (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_thm22_angle_angle_is_at_most_the_arcsin_of_the_relative_distance(checker):
    outcome = checker('thm22-angle', 'angle-is-at-most-the-arcsin-of-the-relative-distance')
    assert outcome.met, outcome.describe()

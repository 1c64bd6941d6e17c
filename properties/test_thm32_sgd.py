"""thm32-sgd (§3, Theorem 3.2): with φ* the largest φ with γ(φ) ≥ 6L_cross, r0 < ‖w*‖ sin φ*, φ1 = (φ0 + φ*)/2, η
= Θ(ε²(γ(φ1) − 6L_cross)‖w*‖²/B²) and T = O(B²/(ε²(γ(φ1) − 6L_cross)²‖w*‖²)·log(r0/(εδ‖w*‖))) SGD steps, ‖w_T
− w*‖ ≤ ε‖w*‖ with probability ≥ 1 − δ

Each test runs one search of verify.claims.thm32_sgd (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_thm32_sgd_sgd_succeeds_with_probability_at_least_one_minus_delta(checker):
    outcome = checker('thm32-sgd', 'sgd-succeeds-with-probability-at-least-one-minus-delta')
    assert outcome.met, outcome.describe()

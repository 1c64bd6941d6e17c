"""thm22-gradient-bounds (Appendix A.1, proof of Theorem 2.2): if ‖w − w*‖ < ‖w*‖: ⟨E∇ℓ(w), w − w*⟩ ≥ γ(θ)‖w −
w*‖² and ‖E∇ℓ(w)‖ ≤ (L(θ) + 4β)‖w − w*‖, θ = θ(w, w*)

Each test runs one search of verify.claims.thm22_gradient_bounds (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_thm22_gradient_bounds_bounds_hold_inside_the_ball(checker):
    outcome = checker('thm22-gradient-bounds', 'bounds-hold-inside-the-ball')
    assert outcome.met, outcome.describe()


def test_thm22_gradient_bounds_bounds_hold_on_finite_laws_in_p2(checker):
    outcome = checker('thm22-gradient-bounds', 'bounds-hold-on-finite-laws-in-p2')
    assert outcome.met, outcome.describe()


def test_thm22_gradient_bounds_bounds_hold_for_degenerate_laws(checker):
    outcome = checker('thm22-gradient-bounds', 'bounds-hold-for-degenerate-laws')
    assert outcome.met, outcome.describe()

"""thm31-gradient-bounds (Appendix A.2, proof of Theorem 3.1): if ‖w − w*‖ < ‖w*‖: ⟨E∇ℓ(w), w − w*⟩ ≥ (γ(θ) −
6L_cross)‖w − w*‖² and ‖E∇ℓ(w)‖ ≤ (L(θ) + 10L_cross + 4β)‖w − w*‖

Each test runs one search of verify.claims.thm31_gradient_bounds (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_thm31_gradient_bounds_bounds_hold_on_finite_patch_laws(checker):
    outcome = checker('thm31-gradient-bounds', 'bounds-hold-on-finite-patch-laws')
    assert outcome.met, outcome.describe()


def test_thm31_gradient_bounds_bounds_hold_for_close_patches(checker):
    outcome = checker('thm31-gradient-bounds', 'bounds-hold-for-close-patches')
    assert outcome.met, outcome.describe()

"""thm31-contraction (§3, Theorem 3.1): if ‖w0 − w*‖ < ‖w*‖, γ(φ0) > 6L_cross and 0 < η ≤ min_{0≤φ≤φ_t} (γ(φ) −
6L_cross)/(2(L(φ)+10L_cross+4β)²), then ‖w_{t+1} − w*‖² ≤ (1 − η(γ(φ_t) − 6L_cross)/2)‖w_t − w*‖²

Each test runs one search of verify.claims.thm31_contraction (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_thm31_contraction_one_gd_step_contracts_on_finite_patch_laws(checker):
    outcome = checker('thm31-contraction', 'one-gd-step-contracts-on-finite-patch-laws')
    assert outcome.met, outcome.describe()


def test_thm31_contraction_one_gd_step_contracts_for_close_patches(checker):
    outcome = checker('thm31-contraction', 'one-gd-step-contracts-for-close-patches')
    assert outcome.met, outcome.describe()

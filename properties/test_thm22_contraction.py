"""thm22-contraction (§2.1, Theorem 2.2): if ‖w0 − w*‖ < ‖w*‖, φ_t = arcsin(‖w_t − w*‖/‖w*‖) and 0 < η ≤
min_{0≤φ≤φ_t} γ(φ)/(2(L(φ)+4β)²), then ‖w_{t+1} − w*‖² ≤ (1 − ηγ(φ_t)/2)‖w_t − w*‖² (population GD)

Each test runs one search of verify.claims.thm22_contraction (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_thm22_contraction_one_gd_step_contracts_for_every_allowed_step(checker):
    outcome = checker('thm22-contraction', 'one-gd-step-contracts-for-every-allowed-step')
    assert outcome.met, outcome.describe()


def test_thm22_contraction_one_gd_step_contracts_for_angular_mixtures_by_quadrature(checker):
    outcome = checker('thm22-contraction', 'one-gd-step-contracts-for-angular-mixtures-by-quadrature')
    assert outcome.met, outcome.describe()

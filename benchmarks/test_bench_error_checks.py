"""The cost of the error-bar checks of docs/error-bars.md on a typical Monte Carlo estimate.

Baseline: the same estimate with ``SamplingPlan(checks=False)`` (the rules of docs/error-bars.md §1
alone, as before the checks).  Estimate: γ-style λ_min of A_{w,w*} read along cross-fitted
eigenvectors, N(0, I₃), n = 2·10⁵, 32 batches; the checks add the Hill tail index of ‖Z‖ (§3).
Also reported: the same ratio for RQMC (32 replicates; the check of §2 splits each chunk into 4
random groups).  Target: the Monte Carlo ratio ≤ 1.25.
"""
from __future__ import annotations

import math

import numpy as np

from verify import Gaussian
from verify.estimators.moments import moment_curves
from verify.estimators.sampling import SamplingPlan

N, P = 200_000, 3
TARGET = 1.25
U, V = np.eye(P)[0], np.eye(P)[1]


def estimate(method: str, checks: bool):
    plan = SamplingPlan(method, N, 0, None if checks or method == "mc" else 32, checks)
    curves = moment_curves(Gaussian(P), U, V, [math.pi / 3], [("same", "same")], plan)
    return curves.extreme_eigenvalue(("same", "same"), "min")[0]


def test_error_checks_cost_little_on_a_monte_carlo_estimate(benchmark, fastest, record):
    est = benchmark.pedantic(estimate, args=("mc", True), rounds=3, iterations=1, warmup_rounds=1)
    assert est.warnings == ()
    t_plain, t_checked = fastest(lambda: estimate("mc", False), lambda: estimate("mc", True), rounds=7)
    q_plain, q_checked = fastest(lambda: estimate("qmc", False), lambda: estimate("qmc", True), rounds=3)
    ratio = t_checked / t_plain
    record("error checks, n=2e5, p=3", mc_plain_s=t_plain, mc_checked_s=t_checked, mc_ratio=ratio,
           qmc_plain_s=q_plain, qmc_checked_s=q_checked, qmc_ratio=q_checked / q_plain, target=TARGET)
    assert ratio <= TARGET

"""The cost of the error-bar checks of docs/error-bars.md on a typical Monte Carlo estimate.

Baseline: the same estimate with ``SamplingPlan(checks=False)`` (the rules of docs/error-bars.md §1
alone, as before the checks).  Estimate: γ-style λ_min of A_{w,w*} read along cross-fitted
eigenvectors, N(0, I₃), n = 2·10⁵, 32 batches; the checks add the Hill tail index of ‖Z‖ (§3).
Also reported: the same ratio for RQMC (32 replicates; the check of §2 splits each chunk into 4
random groups).  Target: the Monte Carlo ratio ≤ 1.25, up to the rounds' spread.
"""
from __future__ import annotations

import math

import numpy as np

from conftest import within_target

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


def test_error_checks_cost_little_on_a_monte_carlo_estimate(benchmark, ratio, record):
    est = benchmark.pedantic(estimate, args=("mc", True), rounds=3, iterations=1, warmup_rounds=1)
    assert est.warnings == ()
    mc = ratio(lambda: estimate("mc", True), lambda: estimate("mc", False), rounds=7)
    qmc = ratio(lambda: estimate("qmc", True), lambda: estimate("qmc", False), rounds=3)
    record("error checks, n=2e5, p=3", **mc.numbers("mc_ratio"), **qmc.numbers("qmc_ratio"), target=TARGET)
    assert within_target(mc, TARGET), mc

"""Randomized QMC against MC at equal n: γ(π/3) of N(0, I₃) (closed form (π−φ−sin φ)/(2π)).

For each n, 40 independent seeds per method; reported: the RMSE of the estimates about the exact
value and the root-mean-square of the reported standard errors (which should match the RMSE when
the error bars are honest), for MC (32 batches) and RQMC (32 scrambled Sobol' replicates of n/32
points; n is a power of two times 32, so both methods use exactly n draws).  32 replicates rather
than 16 cost RQMC part of its gain at a fixed n (each replicate has half the points, so its own
error is larger) and buy a standard error on 31 degrees of freedom instead of 15: a t quantile
of 2.04 rather than 2.13 at 95 %, and a check for lumpy integrands (docs/error-bars.md §2) with
twice the groups; and (verify/estimators/sampling.py, DEFAULT_REPLICATES) a replicate level
of probability ≥ 10 % is then missed with probability 0.9³² ≈ 3 % rather than 0.9¹⁶ ≈ 19 %.
"""
from __future__ import annotations

import math

import numpy as np

from verify import Gaussian
from verify.estimators.quantities import gamma

PHI = math.pi / 3
TRUTH = (math.pi - PHI - math.sin(PHI)) / (2 * math.pi)
SIZES = (4_096, 16_384, 65_536)
SEEDS = range(40)
DIST = Gaussian(3)


def errors(method, n):
    estimates = [gamma(DIST, PHI, method=method, n=n, seed=seed) for seed in SEEDS]
    assert all(e.n == n for e in estimates)
    values = np.array([e.value for e in estimates])
    return float(np.sqrt(np.mean((values - TRUTH) ** 2))), float(np.sqrt(np.mean([e.error**2 for e in estimates])))


def test_rqmc_reaches_a_smaller_error_than_mc_at_equal_n(benchmark, record):
    benchmark.pedantic(lambda: gamma(DIST, PHI, method="qmc", n=SIZES[1], seed=0), rounds=5, iterations=1,
                       warmup_rounds=1)
    for n in SIZES:
        rmse_mc, se_mc = errors("mc", n)
        rmse_qmc, se_qmc = errors("qmc", n)
        record(f"gamma(pi/3), p=3, n={n}", mc_rmse=rmse_mc, mc_reported_se=se_mc, qmc_rmse=rmse_qmc,
               qmc_reported_se=se_qmc, rmse_ratio_mc_over_qmc=rmse_mc / rmse_qmc)
        assert rmse_qmc < rmse_mc

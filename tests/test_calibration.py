"""Are the error bars honest?  Coverage of 95 % intervals over many seeds.

For each method (mc: 32 batches, t on 31 dof; qmc: 16 scrambled Sobol'
replicates, t on 15 dof) and each kind of statistic — a matrix entry (a plain
mean), an eigenvalue (γ(φ) of N(0, I₃), read along cross-fitted eigenvectors)
and the loss (a mean of a heavy-tailed square) — 400 independent seeds give 400
intervals ``Estimate.interval(0.95)``; the number covering the exact value is
Binomial(400, 0.95) when the error bar is honest.  The test accepts the central
99.9 % of that law (``scipy.stats.binom.interval(0.999, 400, 0.95)``, i.e.
364–393 covering intervals), so each of the 6 tests fails with probability
0.05 % for an honest error bar (≤ 0.3 % for the file), while an error bar 20 %
too small (coverage ≈ 0.89) fails with probability ≈ 0.9.

Small n (2000 draws in p = 3) keeps the 2,400 estimates fast, and is where a
bar is most likely to fail (few draws per batch, curvature of the eigenvalue).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from verify import Estimate, Gaussian
from verify.moments import gaussian_loss, gaussian_second_moment, loss, second_moment
from verify.quantities import gamma

SEEDS = range(400)
N = 2000
P = 3
PHI = math.pi / 3
W_STAR = np.array([1.0, 0.0, 0.0])
W = 1.5 * np.array([math.cos(PHI), math.sin(PHI), 0.0])
LOW, HIGH = stats.binom.interval(0.999, len(SEEDS), 0.95)


def entry(method, seed) -> Estimate:
    """A_{w,w*}[0, 1] as a scalar Estimate with the matrix's provenance."""
    est = second_moment(Gaussian(P), W, W_STAR, "same", method, n=N, seed=seed)
    return Estimate(est.value[0, 1], est.error[0, 1], est.error_kind, est.method, est.n, est.seed, dof=est.dof)


STATISTICS = {
    "matrix-entry": (entry, gaussian_second_moment(W, W_STAR)[0, 1]),
    "eigenvalue-gamma": (lambda method, seed: gamma(Gaussian(P), PHI, method=method, n=N, seed=seed),
                         (math.pi - PHI - math.sin(PHI)) / (2 * math.pi)),
    "loss": (lambda method, seed: loss(Gaussian(P), W, W_STAR, method, n=N, seed=seed), gaussian_loss(W, W_STAR)),
}


@pytest.mark.parametrize("statistic", list(STATISTICS))
@pytest.mark.parametrize("method", ["mc", "qmc"])
def test_95_percent_intervals_cover_the_exact_value_95_percent_of_the_time(method, statistic):
    estimator, truth = STATISTICS[statistic]
    estimates = [estimator(method, seed) for seed in SEEDS]
    assert all(e.error_kind == "standard-error" and e.method == method for e in estimates)
    covered = sum(lo <= truth <= hi for lo, hi in (e.interval(0.95) for e in estimates))
    assert LOW <= covered <= HIGH, (f"{covered}/{len(SEEDS)} intervals cover {truth:.6g}; an honest error bar "
                                    f"gives {LOW:.0f}–{HIGH:.0f} with probability 0.999")
    if estimates[0].kind == "upper-bound":
        # A cross-fitted minimum is unbiased for a value ≥ the truth: its one-sided 95 % bound
        # value − t_dof(0.95)·SE stays below the truth at least 95 % of the time.
        below = sum(e.value - stats.t.ppf(0.95, e.dof) * e.error <= truth for e in estimates)
        assert below >= LOW, f"only {below}/{len(SEEDS)} one-sided bounds lie below {truth:.6g}"

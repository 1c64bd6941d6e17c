"""Monte Carlo A_{w,w*} with its error, against the floor of drawing the sample and multiplying.

Floor: ``rng.standard_normal((n, p))`` then ``Z.T @ Z`` — what any estimate of E[ZZᵀ] must at
least do.  The estimate draws the same normals in chunks, classifies each draw by region,
accumulates Σ zzᵀ over the region per batch (32 batches for the standard error).
Target: ≤ 1.3× the floor at n = 2·10⁶, p = 25, up to the rounds' spread; its peak memory stays a few chunks.
"""
from __future__ import annotations

import math

import numpy as np

from conftest import within_target

from verify import Gaussian
from verify.estimators.moments import second_moment

N, P = 2_000_000, 25
TARGET = 1.3
W_STAR = np.eye(P)[0]
W = math.cos(1.0) * W_STAR + math.sin(1.0) * np.eye(P)[1]


def floor():
    z = np.random.default_rng(0).standard_normal((N, P))
    return z.T @ z


def estimate():
    return second_moment(Gaussian(P), W, W_STAR, "same", method="mc", n=N, seed=0)


def test_mc_second_moment_costs_at_most_1_3_times_the_floor(benchmark, ratio, peak_memory, record):
    est = benchmark.pedantic(estimate, rounds=3, iterations=1, warmup_rounds=1)
    assert est.n == N and est.error_kind == "standard-error"
    over_floor = ratio(estimate, floor, rounds=5)
    mem_floor, mem_estimate = peak_memory(floor), peak_memory(estimate)
    record("MC A_{w,w*}, n=2e6, p=25", **over_floor.numbers("ratio"), target=TARGET,
           floor_peak_MiB=mem_floor / 2**20, estimate_peak_MiB=mem_estimate / 2**20)
    assert within_target(over_floor, TARGET), over_floor
    assert mem_estimate < mem_floor / 4

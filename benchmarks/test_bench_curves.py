"""γ and L on a 256-point φ-grid in one pass, against 256 separate evaluations of each.

One plane of N(0, I_p) (rotationally invariant: the plane is the whole direction set).  The curve
draws the sample once and sorts every draw into the φ-interval where it lies in S(w(φ), w*);
a separate evaluation draws and classifies the sample again for each φ and each quantity.
Targets: the curve ≥ 50× faster than the 256 separate evaluations (of γ and of L), and ≤ 3× one
evaluation (γ at one φ).  The same seed gives the same draws, so the curve must also *equal* the
separate evaluations point by point.
"""
from __future__ import annotations

import math
import time

import numpy as np

from verify import Gaussian
from verify.estimators.quantities import L, curves, gamma

P, N, SEED = 10, 200_000, 0
GRID = np.linspace(0.0, math.pi, 256)
DIST = Gaussian(P)


def curve():
    return curves(DIST, GRID, ("gamma", "L"), method="mc", n=N, seed=SEED)


def one_gamma():
    return gamma(DIST, 1.0, method="mc", n=N, seed=SEED)


def one_pair():
    return gamma(DIST, 1.0, method="mc", n=N, seed=SEED), L(DIST, 1.0, method="mc", n=N, seed=SEED)


def separate():
    return ([gamma(DIST, phi, method="mc", n=N, seed=SEED) for phi in GRID],
            [L(DIST, phi, method="mc", n=N, seed=SEED) for phi in GRID])


def test_a_256_point_curve_beats_256_separate_evaluations(benchmark, fastest, record):
    result = benchmark.pedantic(curve, rounds=3, iterations=1, warmup_rounds=1)
    t_curve, t_gamma, t_pair = fastest(curve, one_gamma, one_pair, rounds=5)
    start = time.perf_counter()
    gammas, ls = separate()
    t_separate = time.perf_counter() - start
    for name, points in (("gamma", gammas), ("L", ls)):
        np.testing.assert_allclose([e.value for e in result[name]], [e.value for e in points], rtol=0, atol=1e-12)
    record("gamma+L curve, 256 phi, p=10, n=2e5", curve_s=t_curve, one_gamma_s=t_gamma, one_gamma_and_L_s=t_pair,
           separate_512_s=t_separate, speedup_vs_separate=t_separate / t_curve,
           curve_over_one_evaluation=t_curve / t_gamma, curve_over_one_gamma_and_L=t_curve / t_pair)
    assert t_separate / t_curve >= 50
    assert t_curve / t_gamma <= 3

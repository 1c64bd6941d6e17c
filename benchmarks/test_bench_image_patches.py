"""Exact moments of image patches (the README's example law), against one pass over the patches.

The law: scikit-learn's 1,797 digits, 3×3 patches, stride 1 (k = 36 patches of p = 9 per image,
64,692 patches, 4.7 MB).  An exact A_{w,w*} (``second_moment(..., method="exact")``) is the mean over
images of Z_S Z_Sᵀ with Z_S the image's average over its patches in S(w, w*) (docs/claims.md §3).
Floor: one pass that any masked second moment of the patches must make — project every patch on w
and w*, mask, one (p, n·k)·(n·k, p) product.  The engine forms each image's region average (a
(1, k)·(k, p) product per image) and one (p, n)·(n, p) product, after the polar angles of all
patches in the plane.

Both run with one BLAS thread.  Targets: one evaluation ≤ 2× the floor, up to the spread of the interleaved rounds
(conftest.within_target); its peak memory ≤ 4× the patches (the sums over the k² patch pairs,
the previous engine, reached ~110× the data: 893 MiB on the README's example).  Reported: the
ratio of the patch-pair sums (still the engine for long grids and few patches) to the region
averages on this one-angle evaluation, and the README's command as run by the library
(γ and L at φ = 1 by ``exact``), in seconds and in floors.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pytest

from conftest import within_target

from verify.estimators import moments
from verify.estimators.quantities import L, gamma
from verify.geometry import plane_of

pytest.importorskip("sklearn")

TARGET = 2.0
MEMORY_TARGET = 4.0


@pytest.fixture(scope="module")
def digits():
    from verify.laws.distributions import make_distribution

    return make_distribution("image-patches", filter_size=3, stride=1)


def _filters(p):
    w_star = np.eye(p)[0]
    rng = np.random.default_rng(0)
    v = rng.standard_normal(p)
    v -= (v @ w_star) * w_star
    return math.cos(1.0) * w_star + math.sin(1.0) * v / np.linalg.norm(v), w_star


def test_an_exact_moment_of_image_patches_costs_about_one_pass(benchmark, digits, ratio, peak_memory, fastest,
                                                               record):
    z = digits.support()
    flat = z.reshape(-1, z.shape[-1])
    w, w_star = _filters(digits.p)

    def floor():
        kept = flat[(flat @ w >= 0) & (flat @ w_star >= 0)]
        return kept.T @ kept

    def evaluation():
        return moments.second_moment(digits, w, w_star, "same", method="exact")

    def by_patch_pairs():  # the previous engine, forced: the same sums over the k² pairs of each image
        u, v, phi = plane_of(w, w_star)
        statistic = moments._patch_pair_statistic(u, v, np.array([phi]), (("same", "same"),), digits.k)
        return statistic(z)

    limit = pytest.importorskip("threadpoolctl").threadpool_limits
    with limit(limits=1, user_api="blas"):  # small products: BLAS threads only add noise on a busy machine
        _measure(benchmark, digits, z, evaluation, floor, by_patch_pairs, ratio, peak_memory, fastest, record)


def _measure(benchmark, digits, z, evaluation, floor, by_patch_pairs, ratio, peak_memory, fastest, record):
    est = benchmark.pedantic(evaluation, rounds=3, iterations=1, warmup_rounds=1)
    assert est.error_kind == "exact" and est.n == z.shape[0]
    over_floor = ratio(evaluation, floor, rounds=7)
    pairs_over_averages = ratio(by_patch_pairs, evaluation, rounds=3)
    mem = peak_memory(evaluation)
    (t_floor,) = fastest(floor, rounds=3)
    start = time.perf_counter()
    gamma(digits, 1.0, method="exact")
    L(digits, 1.0, method="exact")
    t_readme = time.perf_counter() - start
    record("exact A_{w,w*}, digits 3x3 stride 1 (k=36, 64,692 patches)", **over_floor.numbers("ratio"),
           target=TARGET, **pairs_over_averages.numbers("patch_pairs_over_region_averages"),
           peak_over_data=mem / z.nbytes, readme_gamma_L_s=t_readme, readme_in_floors=t_readme / t_floor)
    assert within_target(over_floor, TARGET), over_floor
    assert mem <= MEMORY_TARGET * z.nbytes

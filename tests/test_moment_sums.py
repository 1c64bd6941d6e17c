"""Exact sums over image patches: the region-average engine equals the definition and the patch-pair sums.

The moment of a region pair at angle φ is Σ_draws Z_{R1}(φ) Z_{R2}(φ)ᵀ / n with
Z_R = (1/k) Σ_i Z_i 1{Z_i ∈ R} (docs/claims.md §2–§3).  :mod:`verify.estimators.moments` computes it
for draws of k > 1 patches from each draw's region averages (one (p, m)·(m, p) product per grid
point) or, for long grids, from difference arrays over the k² patch pairs.  Here both are compared
with the definition written out from the projections w(φ)·Z_i, w*·Z_i (:func:`verify.geometry.region_mask`)
and with each other, on random continuous images (so every sum carries rounding and no patch lies on
a hyperplane: a patch within 10⁻⁹ of one is asserted absent).

Tolerance (fp analysis, Higham 2002 eq. (3.5)/(4.4)): every method forms the same N = n·k² products
z_i z_jᵀ/k² (or sums of them) in some order, possibly through differences of cumulative sums over a
grid of G points, so each entry's error is at most (2N + 2G + 4)·u·S with u = 2⁻⁵³ and
S = Σ_draws (Σ_i |z_i|)(Σ_j |z_j|)ᵀ / k², the sum of the products' magnitudes (masks only drop terms).
The difference of two methods is within twice that.
"""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from verify.estimators.moments import (_curve_statistic, _patch_pair_statistic, _region_average_statistic,
                                       moment_curves)
from verify.estimators.sampling import SamplingPlan
from verify.geometry import region_mask
from verify.laws.builtin import ImagePatches

PAIRS = (("same", "same"), ("opposite", "opposite"), ("same", "opposite"), ("same", "flipped"),
         ("opposite", "flipped"))
U = 2.0**-53


def _plane(p, rng):
    u = rng.standard_normal(p)
    u /= np.linalg.norm(u)
    v = rng.standard_normal(p)
    v -= (v @ u) * u
    return u, v / np.linalg.norm(v)


def _definition(z, u, v, phi, pair):
    """Σ_draws Z_{R1} Z_{R2}ᵀ at one φ straight from docs/claims.md §2–§3, shape (p, p)."""
    w = np.cos(phi) * u + np.sin(phi) * v
    along_w, along_star = z @ w, z @ u  # (n, k)
    k = z.shape[1]
    averages = [np.einsum("nk,nkp->np", region_mask(along_w, along_star, r).astype(float), z) / k for r in pair]
    return averages[0].T @ averages[1]


def _magnitude(z):
    """S = Σ_draws (Σ_i |z_i|)(Σ_j |z_j|)ᵀ / k², the bound on every masked sum's terms (module doc)."""
    a = np.abs(z).sum(axis=1) / z.shape[1]
    return a.T @ a


def _random_patches(rng, n_images=40, size=7, filter_size=3):
    return ImagePatches(rng.standard_normal((n_images, size, size)), filter_size, 1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_exact_moment_curves_of_image_patches_equal_the_definition(seed):
    rng = np.random.default_rng(seed)
    dist = _random_patches(rng)
    z = dist.support()
    u, v = _plane(dist.p, rng)
    phis = np.sort(rng.uniform(0.05, np.pi - 0.05, 5))
    for phi in phis:  # no patch on a hyperplane (the conventions differ only there)
        assert np.min(np.abs(z @ (np.cos(phi) * u + np.sin(phi) * v))) > 1e-9
    assert np.min(np.abs(z @ u)) > 1e-9
    curves = moment_curves(dist, u, v, phis, PAIRS, SamplingPlan("exact"))
    n, k = z.shape[:2]
    tol = (2 * n * k * k + 2 * len(phis) + 4) * U * _magnitude(z) / n
    for pair in PAIRS:
        got = curves.matrix(pair).value
        for g, phi in enumerate(phis):
            want = _definition(z, u, v, phi, pair) / n
            assert np.all(np.abs(got[g] - want) <= tol), (pair, phi)
    # teeth: the tolerance is far below the differences between neighbouring grid points
    assert np.max(np.abs(np.diff(curves.matrix(("same", "same")).value, axis=0))) > 1e6 * np.max(tol)


@pytest.mark.parametrize("grid_size", [1, 7, 40])
def test_region_averages_and_patch_pairs_give_the_same_sums(grid_size):
    rng = np.random.default_rng(grid_size)
    z = _random_patches(rng, n_images=30).support()
    u, v = _plane(z.shape[2], rng)
    grid = np.sort(rng.uniform(0.0, np.pi, grid_size))
    by_averages = _region_average_statistic(u, v, grid, PAIRS, z.shape[1])(z)
    by_pairs = _patch_pair_statistic(u, v, grid, PAIRS, z.shape[1])(z)
    n, k = z.shape[:2]
    tol = 2 * (2 * n * k * k + 2 * grid_size + 4) * U * _magnitude(z)
    assert np.all(np.abs(by_averages - by_pairs) <= tol)


def test_the_engine_takes_region_averages_for_many_patches_and_pairs_for_one():
    u, v = np.eye(9)[0], np.eye(9)[1]
    grid = np.linspace(0, np.pi, 64)
    many = _curve_statistic(u, v, grid, PAIRS, 36)
    one = _curve_statistic(u, v, grid, PAIRS, 1)
    assert many.__qualname__.startswith("_region_average_statistic")
    assert one.__qualname__.startswith("_patch_pair_statistic")


def test_region_average_sums_hold_memory_proportional_to_the_data():
    """Peak allocation of one chunk's statistic (m draws of k patches, p = 9, one grid point) ≤ 3× the
    chunk's patches (m·k·p floats).  Derivation: ψ, its two projections and three regions' interval ends
    with region_intervals' temporaries are at most 12 arrays of m·k floats (12/p = 1.33× the data); the
    membership and its float copy 9 bytes per patch (0.125×); the averages 3·m·p floats (3/k = 0.08×):
    ≈ 1.6×.  The patch-pair sums copy the data into (m·k², p) pairs, k = 36 times it, and fail this."""
    rng = np.random.default_rng(0)
    z = _random_patches(rng, n_images=200, size=8).support()  # (200, 36, 9)
    u, v = _plane(z.shape[2], rng)
    statistic = _region_average_statistic(u, v, np.array([1.0]), PAIRS, z.shape[1])
    tracemalloc.start()
    try:
        statistic(z)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= 3 * z.nbytes


@pytest.mark.parametrize("k", [1, 6])
def test_diagnose_region_sums_equal_the_definition_across_blocks_and_interleaved_columns(k, monkeypatch):
    """verify.estimators.chunked.region_moment_sums (diagnose's accumulation): columns of several directions
    with their regions interleaved (it sorts them by the teacher's sign), blocks of a few items
    (``MASK_BLOCK_BYTES`` shrunk so that 50 items take many blocks), against Z_R written out from
    :func:`verify.geometry.region_mask`; the same products in another order: within (k·n + 4)·u·S."""
    from verify.estimators import chunked

    monkeypatch.setattr(chunked, "MASK_BLOCK_BYTES", 8 * k * 6 * 3)  # 3 items per block
    rng = np.random.default_rng(k)
    z = rng.standard_normal((50, k, 4))
    u = np.array([0.0, 0.0, 0.0, 1.0])
    directions = rng.standard_normal((3, 4))
    columns = ((0, "opposite", False), (0, "same", False), (1, "flipped", False), (2, "opposite", False),
               (1, "same", False), (2, "flipped", False))
    pairs = ((0, 0), (1, 1), (1, 0), (4, 2), (3, 5), (2, 2))
    got = chunked.region_moment_sums(z, u, directions, columns, pairs)

    def average(d, region):
        mask = region_mask(z @ directions[d], z @ u, region)
        return np.einsum("nk,nkp->np", mask.astype(float), z) / k

    tol = (k * z.shape[0] + 4) * U * _magnitude(z)
    for (a, b), m in zip(pairs, got):
        want = average(*columns[a][:2]).T @ average(*columns[b][:2])
        assert np.all(np.abs(m - want) <= tol), (columns[a], columns[b])

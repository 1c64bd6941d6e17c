"""The input laws of docs/claims.md §5: shapes, reproducibility, and that each draws what it says.

Distribution-free checks use the Kolmogorov–Smirnov test on a fixed seed at a
false-alarm rate of 1e-3 each (5 such tests in this file); moment checks use
the batch-means standard error read with t (see tests/conftest.py).
"""
from __future__ import annotations

import json
import math

import mpmath
import numpy as np
import pytest
from scipy import integrate, stats

from verify import (AngularMixture, ArrayEstimate, Degenerate, Empirical, Gaussian, PatchCloseness, Sphere,
                    make_distribution)
from verify.laws.names import BUILTIN_NAMES
from verify.estimators.sampling import SamplingPlan, reduce_in_batches

KS_RATE = 1e-3

PARAMETRIC = [
    pytest.param(lambda: Gaussian(3), id="gaussian"),
    pytest.param(lambda: Sphere(4), id="sphere"),
    pytest.param(lambda: AngularMixture(3, sigma=0.4), id="mixture"),
    pytest.param(lambda: PatchCloseness(3, k=4, sigma_patch=0.2), id="patches"),
    pytest.param(lambda: Degenerate(5, rank=2), id="degenerate"),
    pytest.param(lambda: Empirical(np.random.default_rng(0).standard_normal((50, 2, 3))), id="empirical"),
]


@pytest.mark.parametrize("make", PARAMETRIC)
def test_draws_have_shape_n_by_k_by_p_and_repeat_with_the_seed(make):
    dist = make()
    z = dist.sample(17, np.random.default_rng(5))
    assert z.shape == (17, dist.k, dist.p)
    assert np.all(np.isfinite(z))
    np.testing.assert_array_equal(z, dist.sample(17, np.random.default_rng(5)))
    assert not np.array_equal(z, dist.sample(17, np.random.default_rng(6)))


@pytest.mark.parametrize("make", PARAMETRIC[:5])
def test_the_quasi_monte_carlo_transform_maps_the_cube_to_draws_of_the_same_shape(make):
    dist = make()
    u = np.random.default_rng(1).random((9, dist.uniform_dimension))
    z = dist.from_uniform(u)
    assert z.shape == (9, dist.k, dist.p)
    assert np.all(np.isfinite(z))


@pytest.mark.parametrize("make", [PARAMETRIC[1], PARAMETRIC[2], PARAMETRIC[3]])
def test_unit_norm_laws_draw_unit_vectors_by_both_transforms(make):
    dist = make()
    for z in (dist.sample(200, 0), dist.from_uniform(np.random.default_rng(0).random((200, dist.uniform_dimension)))):
        np.testing.assert_allclose(np.linalg.norm(z, axis=-1), 1.0, rtol=1e-12)


def test_degenerate_draws_vanish_outside_their_subspace():
    z = Degenerate(5, rank=2).sample(100, 0)
    assert np.all(z[..., 2:] == 0)
    assert np.all(z[..., :2] != 0)


def test_empirical_law_resamples_its_atoms_and_exposes_them():
    atoms = np.random.default_rng(0).standard_normal((20, 3))
    dist = Empirical(atoms)
    assert dist.support().shape == (20, 1, 3)
    draws = dist.sample(100, 1)[:, 0, :]
    assert all(any(np.array_equal(d, a) for a in atoms) for d in draws)


def test_radial_laws_have_the_stated_second_radial_moment(assert_agrees):
    """E‖Z‖² = p for N(0, I_p) and 1 on the sphere (the scale factor E‖Z‖²/p of docs/claims.md §5)."""
    for dist in (Gaussian(5), Sphere(5)):
        sums = reduce_in_batches(dist, lambda z: np.array([np.sum(z**2)]), SamplingPlan("mc", 40_000, 2))
        est = ArrayEstimate(sums.mean, sums.standard_error(), "standard-error", "mc", sums.n, 2, sums.dof)
        assert_agrees(est, [dist.second_radial_moment], rate=1e-6, atol=1e-12)


# ---------------------------------------------------------------------------
# The angular mixture of Fig. 3a, against its definition (docs/claims.md §5)
# ---------------------------------------------------------------------------

def mixture_polar_cdf(theta, sigma):
    """P(θ(Z, u*) ≤ t), derived from the definition, not from the library's density.

    a = X with probability ½ (X ~ N(0, σ²) truncated to [−π/2, π/2]) or π + Y (Y alike);
    θ = |X| in the first case and π − |Y| in the second, so
    P(θ ≤ t) = ½ P(|X| ≤ t) + ½ P(|Y| ≥ π − t), with P(|X| ≤ t) = 2F(min(t, π/2)) − 1.
    """
    bump = stats.truncnorm(-math.pi / 2 / sigma, math.pi / 2 / sigma, scale=sigma)
    theta = np.asarray(theta, float)
    abs_cdf = lambda t: 2 * bump.cdf(np.clip(t, 0, math.pi / 2)) - 1  # noqa: E731
    return 0.5 * abs_cdf(theta) + 0.5 * (1 - abs_cdf(math.pi - theta))


@pytest.mark.parametrize("sigma", [0.05, 0.3, 1.0, 4.0])
def test_mixture_polar_density_integrates_to_one(sigma):
    dist = AngularMixture(3, sigma=sigma)
    total, err = integrate.quad(dist.polar_angle_pdf, 0, math.pi, points=[math.pi / 2], epsabs=1e-14, limit=200)
    assert abs(total - 1) <= err + 1e-13
    with mpmath.workdps(30):
        total_mp = mpmath.quad(dist.polar_angle_pdf_mp, [0, mpmath.pi / 2, mpmath.pi])
        assert abs(total_mp - 1) < mpmath.mpf(10) ** -25


@pytest.mark.parametrize("sigma", [0.3, 2.0])
def test_mixture_polar_density_is_the_derivative_of_the_defining_distribution(sigma):
    dist = AngularMixture(4, sigma=sigma)
    for t in (0.2, 1.0, math.pi / 2, 2.0, 3.0):
        integral, err = integrate.quad(dist.polar_angle_pdf, 0, t, points=[math.pi / 2] if t > math.pi / 2 else None,
                                       epsabs=1e-13)
        assert integral == pytest.approx(mixture_polar_cdf(t, sigma), abs=err + 1e-12)


@pytest.mark.parametrize("p, sigma, transform", [
    pytest.param(2, 0.5, "sample", id="p2-sample"),
    pytest.param(5, 1.0, "sample", id="p5-sample"),
    pytest.param(3, 0.3, "from_uniform", id="p3-qmc-transform"),
])
def test_mixture_draws_follow_the_defining_polar_angle_law(p, sigma, transform):
    dist = AngularMixture(p, sigma=sigma)
    n = 4000
    if transform == "sample":
        z = dist.sample(n, np.random.default_rng(11))
    else:  # i.i.d. uniforms through the inverse transform: the same law
        z = dist.from_uniform(np.random.default_rng(11).random((n, dist.uniform_dimension)))
    theta = np.arccos(np.clip(z[:, 0, 0], -1, 1))
    assert stats.kstest(theta, lambda t: mixture_polar_cdf(t, sigma)).pvalue > KS_RATE


def test_mixture_direction_around_the_axis_is_uniform():
    """v uniform on the sphere ⟂ u*: in p = 3 the azimuth about e₁ is uniform on (−π, π]."""
    z = AngularMixture(3, sigma=0.7).sample(4000, np.random.default_rng(3))[:, 0, :]
    azimuth = np.arctan2(z[:, 2], z[:, 1])
    assert stats.kstest(azimuth, stats.uniform(-math.pi, 2 * math.pi).cdf).pvalue > KS_RATE


def test_gaussian_polar_density_matches_its_draws_and_integrates_to_one():
    dist = Gaussian(6)
    total, err = integrate.quad(dist.polar_angle_pdf, 0, math.pi)
    assert abs(total - 1) <= err + 1e-13
    z = dist.sample(4000, np.random.default_rng(4))[:, 0, :]
    theta = np.arccos(z[:, 0] / np.linalg.norm(z, axis=1))
    cdf = np.vectorize(lambda t: integrate.quad(dist.polar_angle_pdf, 0, t)[0])
    assert stats.kstest(theta, cdf).pvalue > KS_RATE


# ---------------------------------------------------------------------------
# Construction by name
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, options, cls", [
    ("gaussian", {}, Gaussian),
    ("sphere", {}, Sphere),
    ("mixture", {"sigma": 0.5}, AngularMixture),
    ("patches", {"sigma_patch": 0.2, "k": 3}, PatchCloseness),
    ("degenerate", {"rank": 1}, Degenerate),
])
def test_make_distribution_builds_each_builtin_by_name(name, options, cls):
    dist = make_distribution(name, p=3, **options)
    assert type(dist) is cls
    assert dist.name == name
    assert json.loads(json.dumps(dist.describe()))["p"] == 3
    assert name in BUILTIN_NAMES


def test_make_distribution_reads_an_empirical_law_from_a_npy_file(tmp_path):
    data = np.random.default_rng(0).standard_normal((30, 4))
    path = tmp_path / "patches.npy"
    np.save(path, data)
    dist = make_distribution("empirical", data=str(path))
    assert (dist.p, dist.k) == (4, 1)
    np.testing.assert_array_equal(dist.support()[:, 0, :], data)
    assert dist.describe()["parameters"]["source"] == str(path)


def test_make_distribution_accepts_a_users_module_callable():
    dist = make_distribution("verify.laws.distributions:Sphere", p=3)
    assert isinstance(dist, Sphere) and dist.p == 3

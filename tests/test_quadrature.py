"""Deterministic quadrature (verify.estimators.quadrature) against closed forms and 30-digit mpmath.

Its error is an ``absolute-bound``: QUADPACK's estimate for each θ-integral carried
to the entries.  The bound covers the integrals, not the final float64 assembly
of the matrix from outer products, so every comparison adds ``ASSEMBLY`` =
16 ε · max|A| (a few roundings of entries of size ≤ max|A|).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from verify import AngularMixture, Degenerate, Empirical, Gaussian, PatchCloseness, Sphere
from verify.estimators.moments import second_moment
from verify.estimators.quadrature import axial_second_moment, axial_second_moment_mp
from verify.laws.distributions import quadrature_available

EPS = np.finfo(float).eps
ANGLES = [0.0, 1e-9, 1e-4, 0.4, math.pi / 2, 2.5, math.pi - 1e-4, math.pi - 1e-9, math.pi]


def assembly(matrix) -> float:
    return 16 * EPS * float(np.max(np.abs(matrix)))


def plane_filters(p, phi, w_scale=2.0):
    """w at angle φ from w* = e₁ (the mixture's axis), rotated out of the coordinate planes for p ≥ 3."""
    v = np.ones(p)
    v[0] = 0.0
    v /= np.linalg.norm(v)
    u = np.eye(p)[0]
    return w_scale * (math.cos(phi) * u + math.sin(phi) * v), 0.5 * u


@pytest.mark.parametrize("law", [Gaussian, Sphere])
@pytest.mark.parametrize("p", [2, 3, 5, 10])
def test_quadrature_agrees_with_the_closed_form_within_its_error_bound(law, p):
    dist = law(p)
    for phi in ANGLES:
        w, w_star = plane_filters(p, phi)
        for region in ("same", "opposite"):
            quad = second_moment(dist, w, w_star, region, "quad")
            exact = second_moment(dist, w, w_star, region, "exact")
            assert quad.error_kind == "absolute-bound"
            assert np.all(quad.error < 1e-11)
            excess = np.abs(quad.value - exact.value) - (quad.error + exact.error + assembly(exact.value))
            assert np.all(excess <= 0), f"φ={phi}, {region}: quad misses the closed form by {excess.max():.3g}"


MIXTURE_CASES = [(p, sigma) for p in (2, 3, 5) for sigma in (0.1, 0.5, 2.0)]


@pytest.mark.parametrize("p, sigma", MIXTURE_CASES, ids=[f"p{p}-sigma{s}" for p, s in MIXTURE_CASES])
def test_quadrature_of_the_mixture_agrees_with_30_digit_mpmath_within_its_error_bound(p, sigma):
    dist = AngularMixture(p, sigma=sigma)
    for phi, sign in ((0.7, 1.0), (2.5, -1.0)):   # A_{w,w*} at one angle, A_{w,−w*} at another
        w, w_star = plane_filters(p, phi)
        quad = axial_second_moment(dist, w, sign * w_star)
        reference, mp_error = axial_second_moment_mp(dist, w, sign * w_star, dps=30)
        excess = np.abs(quad.value - reference) - (quad.error + mp_error + assembly(reference))
        assert np.all(excess <= 0), f"φ={phi}: quad misses mpmath by {excess.max():.3g}"


def mixture_second_moment(p, sigma):
    """E[ZZᵀ] of the mixture from its definition: E cos²a on the axis, E sin²a/(p−1) across it.

    cos² is even and π-periodic, so both bumps give E cos²X with X ~ N(0, σ²) on [−π/2, π/2].
    """
    bump = stats.truncnorm(-math.pi / 2 / sigma, math.pi / 2 / sigma, scale=sigma)
    c2 = bump.expect(lambda a: np.cos(a) ** 2)
    return np.diag([c2] + [(1 - c2) / (p - 1)] * (p - 1))


@pytest.mark.parametrize("p, sigma", [(2, 0.3), (3, 1.0), (6, 0.2)])
def test_the_four_sign_regions_of_the_mixture_add_up_to_its_full_second_moment(p, sigma):
    """Quadrature over the four regions (±w·Z ≥ 0, ±w*·Z ≥ 0) must give E[ZZᵀ], whose trace is 1:
    this checks the polar density's normalisation through the quadrature engine itself."""
    dist = AngularMixture(p, sigma=sigma)
    w, w_star = plane_filters(p, 1.2)
    parts = [axial_second_moment(dist, a * w, b * w_star) for a in (1, -1) for b in (1, -1)]
    total = sum(part.value for part in parts)
    bound = sum(part.error for part in parts) + 1e-9  # + the expect() integration of the reference
    np.testing.assert_array_less(np.abs(total - mixture_second_moment(p, sigma)), bound)
    assert np.trace(total) == pytest.approx(1.0, abs=float(np.sum(np.diag(bound))))


def test_quadrature_is_available_exactly_for_one_patch_axial_laws():
    assert quadrature_available(Gaussian(3)) and quadrature_available(Sphere(2))
    assert quadrature_available(AngularMixture(4))
    assert not quadrature_available(PatchCloseness(3))
    assert not quadrature_available(Degenerate(3))
    assert not quadrature_available(Empirical(np.ones((3, 2))))

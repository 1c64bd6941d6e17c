"""Closed forms (docs/claims.md §6), the exact loss's rounding bound, attribute-only dispatch for a user's
radial law, and the exact μ / γ_avg of Theorem 3.3 (docs/claims.md §4, claim 15)."""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

import verify
from verify import Empirical, Gaussian, PatchCloseness
from verify.estimators.closed_forms import radial_gradient, radial_loss
from verify.laws.distributions import DistributionProtocol, exact_kind
from verify.dynamics.descent import gradient_descent
from verify.geometry import angle, basis_vector, orthonormal_complement
from verify.estimators.closed_forms import gaussian_second_moment


def mp_gaussian_loss(w, w_star, dps=60):
    """E ℓ(w) for N(0, I) from the arc-cosine kernel in 60-digit arithmetic (the cancelling form, made exact)."""
    with mpmath.workdps(dps):
        w = [mpmath.mpf(float(x)) for x in w]
        s = [mpmath.mpf(float(x)) for x in w_star]
        nw = mpmath.sqrt(sum(x * x for x in w))
        ns = mpmath.sqrt(sum(x * x for x in s))
        cos_t = sum(a * b for a, b in zip(w, s)) / (nw * ns)
        theta = mpmath.acos(min(max(cos_t, -1), 1))
        kappa = nw * ns * (mpmath.sin(theta) + (mpmath.pi - theta) * mpmath.cos(theta)) / (2 * mpmath.pi)
        return (nw**2 / 2 + ns**2 / 2 - 2 * kappa) / 2


@pytest.mark.parametrize("distance", [1e-4, 1e-6, 1e-8])
@pytest.mark.parametrize("direction", ["perpendicular", "parallel", "oblique"])
def test_exact_loss_near_w_star_agrees_with_mpmath_within_its_error_bar(distance, direction):
    """Regression: the old exact loss cancelled O(1) terms (2.50022e-13 ± 8.9e-28 at 1e-6, 0 ± 0 at 1e-8)."""
    w_star = np.array([1.0, -0.5, 0.25])
    step = {"perpendicular": np.array([0.5, 1.0, 0.0]), "parallel": w_star,
            "oblique": np.array([1.0, 2.0, -3.0])}[direction]
    w = w_star + distance * step / np.linalg.norm(step)
    est = verify.loss(Gaussian(3), w, w_star, method="exact")
    reference = float(mp_gaussian_loss(w, w_star))
    assert est.error_kind == "exact" and est.error > 0
    assert abs(est.value - reference) <= est.error, (est.value, reference, est.error)
    assert est.error <= 1e-12 * reference  # the bound is honest *and* useful


def test_exact_loss_bound_holds_far_from_w_star_and_for_a_scaled_radial_law():
    rng = np.random.default_rng(5)
    for _ in range(20):
        w_star, w = rng.standard_normal(4), rng.standard_normal(4)
        est = verify.loss(verify.Sphere(4), w, w_star, method="exact")
        reference = float(mp_gaussian_loss(w, w_star)) / 4
        assert abs(est.value - reference) <= est.error


def test_angle_by_atan2_keeps_digits_near_0_and_pi():
    assert angle([1.0, 1e-12], [1.0, 0.0]) == pytest.approx(1e-12, rel=1e-15)
    assert math.pi - angle([-1.0, 1e-12], [1.0, 0.0]) == pytest.approx(1e-12, rel=1e-4)
    stack = angle(np.array([[1.0, 0.0], [0.0, 2.0]]), [1.0, 0.0])
    np.testing.assert_allclose(stack, [0.0, math.pi / 2])
    b = orthonormal_complement(basis_vector(3, 2))
    np.testing.assert_allclose(b @ b.T, np.eye(2), atol=1e-15)
    np.testing.assert_allclose(b @ basis_vector(3, 2), 0.0, atol=1e-15)


class ScaledSphere:
    """A user's radial law (not a verify class): Z = 2·U, U uniform on S^{p−1}."""

    def __init__(self, p):
        self.p, self.k = p, 1
        self.symmetry = "rotational"
        self.second_radial_moment = 4.0

    def sample(self, n, rng):
        g = np.random.default_rng(rng).standard_normal((n, 1, self.p))
        return 2 * g / np.linalg.norm(g, axis=-1, keepdims=True)


def test_a_user_radial_law_takes_the_exact_path_for_moments_loss_and_gd():
    law = ScaledSphere(3)
    assert isinstance(law, DistributionProtocol) and exact_kind(law) == "rotational"
    w_star, w = np.array([1.0, 0.0, 0.0]), np.array([0.6, 0.7, 0.1])
    a = verify.second_moment(law, w, w_star, method="exact")
    np.testing.assert_allclose(a.value, 4 / 3 * gaussian_second_moment(w, w_star), rtol=1e-14)
    assert a.error_kind == "exact"
    g = verify.population_gradient(law, w, w_star, method="exact")
    np.testing.assert_allclose(g.value, radial_gradient(w, w_star, 4 / 3), rtol=1e-12, atol=1e-15)
    assert verify.loss(law, w, w_star, method="exact").value == pytest.approx(radial_loss(w, w_star, 4 / 3),
                                                                               rel=1e-15)
    assert verify.gamma(law, 1.0, method="exact").value == pytest.approx(
        4 / 3 * (math.pi - 1 - math.sin(1)) / (2 * math.pi), rel=1e-13)
    tr = gradient_descent(law, w_star, w, steps=3, step=0.5)
    assert tr.parameters["population"]["mode"] == "exact"
    expected = w - 0.5 * radial_gradient(w, w_star, 4 / 3)
    np.testing.assert_allclose(tr.final_weights[0] if tr.iterations == 1 else
                               gradient_descent(law, w_star, w, steps=1, step=0.5).final_weights[0],
                               expected, rtol=1e-15)
    np.testing.assert_allclose(tr.loss[0, 0], radial_loss(w, w_star, 4 / 3), rtol=1e-15)


def checker_sample():
    """The thm33 check's law: 300 seeded draws of PatchCloseness(2, k=3, σ=0.1) (verify/claims.py)."""
    dist = PatchCloseness(2, k=3, sigma_patch=0.1)
    return Empirical(np.asarray(dist.sample(300, np.random.default_rng([0, 33])), dtype=float))


def brute_force_mu(atoms: np.ndarray, rho: float) -> float:
    """μ of Theorem 3.3 straight from its definition, for w* = e₁ in p = 2 (docs/claims.md §4, claim 15).

    sup over 0 < φ ≤ ρ of max over the two bands ±[π/2 − φ, π/2 + φ] of the signed angle
    ψ_i = atan2(z_i2, z_i1) and over the patches i of P[ψ_i in the band]/φ.  P(φ) is a right-continuous
    step function, so the sup is attained at a jump, i.e. at one of the atoms' own distances to a band
    centre; every such distance ≤ ρ is tried, with the counting done directly (no shared code).
    """
    psi = np.arctan2(atoms[..., 1], atoms[..., 0])                 # (m, k)
    m, k = psi.shape
    best = 0.0
    for centre in (math.pi / 2, -math.pi / 2):
        dist = np.abs(psi - centre)
        for phi in np.unique(dist[dist <= rho]):
            if phi == 0:
                return math.inf
            for i in range(k):
                best = max(best, np.count_nonzero(dist[:, i] <= phi) / m / phi)
    return best


@pytest.mark.parametrize("rho", [0.05, 0.2, math.pi / 2])
def test_mu_is_theorem_33s_band_constant_from_its_definition(rho):
    """Regression: verify.mu gave 1.67 on a 300-atom PatchCloseness sample where the definition gives 6.50."""
    law = Empirical(PatchCloseness(2, k=3, sigma_patch=0.1).sample(300, np.random.default_rng(0)))
    est = verify.mu(law, rho)
    assert est.error_kind == "exact"
    # both sides count the same atoms; only the division rounds: 1e-12 relative is ample
    assert est.value == pytest.approx(brute_force_mu(law.support(), rho), rel=1e-12)


def test_mu_of_the_300_atom_sample_of_the_issue_is_650_not_167():
    law = Empirical(PatchCloseness(2, k=3, sigma_patch=0.1).sample(300, np.random.default_rng(0)))
    est = verify.mu(law, 0.2, method="exact")
    assert est.value == pytest.approx(brute_force_mu(law.support(), 0.2), rel=1e-12)
    assert est.value > 6.0      # the old grid sup over merged bands gave 1.67


def test_gamma_avg_is_theorem_33s_min_over_both_directions_in_p2():
    law = checker_sample()
    atoms = law.support()
    avg = atoms.mean(axis=1)
    u = np.array([1.0, 0.0])
    for phi0 in (0.2, 0.5, 1.3):
        # by hand: λ_min(E[Z_avg Z_avgᵀ 1{w0·Z_avg ≥ 0, w*·Z_avg ≥ 0}]) at w0 = (cos φ0, ±sin φ0), minimized
        values = []
        for sign in (1.0, -1.0):
            w0 = np.array([math.cos(phi0), sign * math.sin(phi0)])
            keep = (avg @ w0 >= 0) & (avg @ u >= 0)
            m = (avg[keep].T @ avg[keep]) / avg.shape[0]
            values.append(np.linalg.eigvalsh(m)[0])
        est = verify.gamma_avg(law, phi0, method="exact")
        assert est.value == pytest.approx(min(values), rel=1e-12, abs=1e-15)

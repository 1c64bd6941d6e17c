"""Second moments, gradient and loss (docs/claims.md §1–§3, §6), by every method.

Sections
--------
1. The closed forms of docs/claims.md §6, against direct two-dimensional integrals
   (scipy.integrate) and identities derived here, not against the library's
   own derivation.
2. Monte Carlo and randomized QMC against exact values (Gaussian, sphere,
   degenerate Gaussian) or quadrature (angular mixture), p ∈ {2, 3, 5, 25}.
   Each entry of a moment matrix, of the gradient and the loss is one
   comparison, two-sided at t_dof(1 − α/2)·SE with α = ``RATE`` = 1e-6:
   4 laws × 2 methods × Σ_{p ∈ {2,3,5,25}} (2 regions × p² matrix entries
   + p gradient entries + 1 loss) = 8 × (1,326 + 35 + 4) = 10,920 comparisons,
   so by the union bound an honest estimator fails somewhere here with
   probability ≤ 1.1 % (and the seeds are fixed, so a pass is reproducible).
3. The contract every estimation method satisfies (``EstimatorContract``).
4. Determinism, streaming memory, and the table of bad inputs.
"""
from __future__ import annotations

import json
import math
import tracemalloc

import numpy as np
import pytest
from scipy import integrate
from scipy.stats import special_ortho_group

from verify import (AngularMixture, ArrayEstimate, Degenerate, Empirical, Estimate, Gaussian, InvalidArgument,
                    PatchCloseness, Sphere, make_distribution)
from verify.estimators import quantities, sampling
from verify.estimators import beta as sups
from verify.estimators.closed_forms import (arccos_kernel, gaussian_loss, gaussian_population_gradient,
    gaussian_second_moment)
from verify.estimators.moments import cross_moment, loss, population_gradient, second_moment

RATE = 1e-6
EPS = np.finfo(float).eps
TWO_PI = 2 * math.pi


def filters_at_angle(p, phi, seed, w_scale=1.7, star_scale=0.6):
    """(w, w*) with θ(w, w*) = φ, in a random orientation, with unequal norms."""
    q = special_ortho_group.rvs(p, random_state=seed) if p > 1 else np.eye(1)
    u, v = q[:, 0], q[:, 1]
    return w_scale * (math.cos(phi) * u + math.sin(phi) * v), star_scale * u


# ---------------------------------------------------------------------------
# 1. Closed forms (docs/claims.md §6)
# ---------------------------------------------------------------------------

ANGLES = [0.0, 1e-9, 1e-4, 0.4, math.pi / 2, 2.5, math.pi - 1e-4, math.pi - 1e-9, math.pi]


@pytest.mark.parametrize("p", [2, 3, 5, 10])
@pytest.mark.parametrize("phi", ANGLES)
def test_gaussian_moment_eigenvalues_are_those_of_claims_section_6(p, phi):
    """A_{w,w*}: (π−φ±sin φ)/(2π) and (π−φ)/(2π) × (p−2); A_{w,−w*}: (φ±sin φ)/(2π) and φ/(2π) × (p−2)."""
    w, w_star = filters_at_angle(p, phi, seed=p)
    s = math.sin(phi)
    same = [(math.pi - phi + s) / TWO_PI, (math.pi - phi - s) / TWO_PI] + [(math.pi - phi) / TWO_PI] * (p - 2)
    opposite = [(phi + s) / TWO_PI, (phi - s) / TWO_PI] + [phi / TWO_PI] * (p - 2)
    for matrix, expected in ((gaussian_second_moment(w, w_star), same),
                             (gaussian_second_moment(w, -w_star), opposite)):
        np.testing.assert_allclose(matrix, matrix.T, atol=1e-16)
        # eigvalsh is backward stable: eigenvalues to within ~p·ε·‖A‖, ‖A‖ ≤ 1.
        np.testing.assert_allclose(np.linalg.eigvalsh(matrix), np.sort(expected), rtol=0, atol=4 * p * EPS)


def wedge(w1, w2):
    """The polar-angle interval of {z ∈ R² : w1·z ≥ 0, w2·z ≥ 0}, by plain geometry.

    {w·z ≥ 0} is the arc of directions within π/2 of w's own angle a; two such arcs whose
    centres are at most π apart (unwrapped so) meet in [max(a1, a2) − π/2, min(a1, a2) + π/2].
    """
    a1, a2 = math.atan2(w1[1], w1[0]), math.atan2(w2[1], w2[0])
    a2 = a1 - ((a1 - a2 + math.pi) % TWO_PI - math.pi)  # the copy of a2 within π of a1
    return max(a1, a2) - math.pi / 2, min(a1, a2) + math.pi / 2


def plane_integral(f, lo, hi):
    """∫_lo^hi ∫_0^∞ f(r, ψ) · e^{−r²/2}/(2π) · r dr dψ (the N(0, I₂) expectation over a wedge)."""
    val, err = integrate.dblquad(lambda r, psi: f(r, psi) * math.exp(-r * r / 2) * r / TWO_PI, lo, hi, 0, np.inf,
                                 epsabs=1e-13, epsrel=1e-12)
    return val, err


@pytest.mark.parametrize("phi", [0.3, 1.2, 2.0, 2.9])
def test_gaussian_moment_in_the_plane_equals_a_direct_two_dimensional_integral(phi):
    w1 = 1.3 * np.array([math.cos(0.7 + phi), math.sin(0.7 + phi)])
    w2 = 0.4 * np.array([math.cos(0.7), math.sin(0.7)])
    lo, hi = wedge(w1, w2)
    expected = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            unit = lambda psi, k: math.cos(psi) if k == 0 else math.sin(psi)  # noqa: E731
            expected[i, j], _ = plane_integral(lambda r, psi: r * r * unit(psi, i) * unit(psi, j), lo, hi)
    np.testing.assert_allclose(gaussian_second_moment(w1, w2), expected, rtol=0, atol=1e-11)


def test_gaussian_moments_of_the_four_sign_regions_add_up_to_the_identity():
    """The regions (±w·z ≥ 0, ±w*·z ≥ 0) partition R^p up to null sets, so the four A's sum to E[ZZᵀ] = I."""
    for p, phi in ((2, 0.3), (3, 1.9), (7, 3.0)):
        w, w_star = filters_at_angle(p, phi, seed=0)
        total = sum(gaussian_second_moment(a * w, b * w_star) for a in (1, -1) for b in (1, -1))
        np.testing.assert_allclose(total, np.eye(p), atol=1e-15)


@pytest.mark.parametrize("theta", [0.0, 0.5, 1.5, 2.4, 3.1])
def test_arccos_kernel_equals_a_direct_two_dimensional_integral(theta):
    w = 2.0 * np.array([1.0, 0.0])
    v = 0.5 * np.array([math.cos(theta), math.sin(theta)])
    # σ(w·z)σ(v·z) vanishes outside the wedge where both are positive.
    lo, hi = wedge(w, v)
    expected, err = plane_integral(lambda r, psi: max(w @ [r * math.cos(psi), r * math.sin(psi)], 0)
                                   * max(v @ [r * math.cos(psi), r * math.sin(psi)], 0), lo, hi)
    assert arccos_kernel(w, v) == pytest.approx(expected, abs=max(err, 1e-12))


@pytest.mark.parametrize("p, theta", [(2, 0.8), (4, 1e-6), (4, 0.2), (6, 1.9), (6, math.pi - 1e-6), (9, 3.0)])
def test_tians_gradient_equals_the_second_moment_identity(p, theta):
    """E∇ℓ(w) = A_{w,w*}(w − w*) + A_{w,−w*}w (docs/claims.md §2) for Tian's closed form (§6)."""
    w, w_star = filters_at_angle(p, theta, seed=p)
    identity = gaussian_second_moment(w, w_star) @ (w - w_star) + gaussian_second_moment(w, -w_star) @ w
    np.testing.assert_allclose(gaussian_population_gradient(w, w_star), identity, rtol=0, atol=1e-14)
    exact = population_gradient(Gaussian(p), w, w_star, method="exact")
    np.testing.assert_allclose(exact.value, identity, rtol=0, atol=1e-14)


@pytest.mark.parametrize("theta", [0.2, 1.4, 2.8])
def test_gaussian_loss_equals_a_direct_two_dimensional_integral(theta):
    """Only the plane of (w, w*) matters: E½(σ(w·x) − σ(w*·x))² over N(0, I₂), ψ split at the kinks."""
    w = 1.5 * np.array([math.cos(theta), math.sin(theta)])
    w_star = np.array([0.8, 0.0])

    def half_squared(r, psi):
        z = (r * math.cos(psi), r * math.sin(psi))
        return 0.5 * (max(w @ z, 0) - max(w_star @ z, 0)) ** 2

    kinks = sorted({(a % TWO_PI) for a in (theta + math.pi / 2, theta - math.pi / 2, math.pi / 2, -math.pi / 2)})
    edges = [0.0] + kinks + [TWO_PI]
    expected = sum(plane_integral(half_squared, a, b)[0] for a, b in zip(edges[:-1], edges[1:]) if b > a)
    assert gaussian_loss(np.r_[w, 0.0], np.r_[w_star, 0.0]) == pytest.approx(expected, rel=1e-10)
    assert gaussian_loss(np.zeros(3), np.r_[w_star, 0.0]) == pytest.approx(w_star @ w_star / 4, rel=1e-15)


def loss_from_moments(same, opposite, flipped, w, w_star):
    """E ℓ for k = 1 from the region moments (derived here).

    ½(σ(a) − σ(b))² = ½[a²1{a≥0} − 2ab·1{a≥0,b≥0} + b²1{b≥0}] with a = w·z, b = w*·z, and
    1{a≥0} = 1{S(w,w*)} + 1{S(w,−w*)}, 1{b≥0} = 1{S(w,w*)} + 1{S(−w,w*)} up to null sets.
    """
    return 0.5 * (w @ (same + opposite) @ w - 2 * w @ same @ w_star + w_star @ (same + flipped) @ w_star)


def test_gaussian_loss_agrees_with_its_second_moments():
    for p, theta in ((2, 0.5), (5, 2.2), (8, 3.1)):
        w, w_star = filters_at_angle(p, theta, seed=1)
        expected = loss_from_moments(gaussian_second_moment(w, w_star), gaussian_second_moment(w, -w_star),
                                     gaussian_second_moment(-w, w_star), w, w_star)
        assert gaussian_loss(w, w_star) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("p", [2, 3, 6])
def test_radial_laws_scale_the_gaussian_closed_forms_by_their_second_radial_moment_over_p(p):
    """Sphere = Gaussian/p (E‖Z‖² = 1 against p) for the moments, the gradient and the loss."""
    w, w_star = filters_at_angle(p, 1.0, seed=2)
    for region in ("same", "opposite"):
        np.testing.assert_allclose(second_moment(Sphere(p), w, w_star, region, "exact").value,
                                   second_moment(Gaussian(p), w, w_star, region, "exact").value / p, atol=1e-16)
    np.testing.assert_allclose(population_gradient(Sphere(p), w, w_star, "exact").value,
                               gaussian_population_gradient(w, w_star) / p, atol=1e-15)
    assert loss(Sphere(p), w, w_star, "exact").value == pytest.approx(gaussian_loss(w, w_star) / p, rel=1e-14)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_a_rank_one_degenerate_law_has_the_half_line_moment(sign):
    """Z = (g, 0, 0): E[g² 1{w₁g ≥ 0, w*₁g ≥ 0}] = ½ when w₁ and w*₁ share a sign, else 0."""
    dist, w_star = Degenerate(3, rank=1), np.array([0.8, 0.3, -0.2])
    w = np.array([sign * 0.5, 1.0, 2.0])
    same = second_moment(dist, w, w_star, "same", "exact").value
    opposite = second_moment(dist, w, w_star, "opposite", "exact").value
    expected = np.zeros((3, 3))
    expected[0, 0] = 0.5
    np.testing.assert_array_equal(same, expected if sign > 0 else 0 * expected)
    np.testing.assert_array_equal(opposite, 0 * expected if sign > 0 else expected)


def test_one_patch_cross_moments_vanish_for_every_method():
    """For k = 1 a draw lies in at most one of the regions, so E[Z_{R1} Z_{R2}ᵀ] = 0 for R1 ≠ R2."""
    w, w_star = filters_at_angle(3, 1.0, seed=3)
    for method in ("exact", "mc", "qmc"):
        est = cross_moment(Gaussian(3), w, w_star, ("same", "opposite"), method, n=4096)
        assert np.all(est.value == 0)


# ---------------------------------------------------------------------------
# 2. Sampled estimates against exact values and quadrature
# ---------------------------------------------------------------------------

N_SAMPLED = 40_000
SAMPLED_LAWS = {
    "gaussian": Gaussian,
    "sphere": Sphere,
    "degenerate": lambda p: Degenerate(p, rank=max(1, p // 2)),
    "mixture": lambda p: AngularMixture(p, sigma=0.5),
}


def reference_filters(name, p):
    if name == "mixture":  # quadrature needs w* on the law's axis e₁
        rng = np.random.default_rng(p)
        v = rng.standard_normal(p)
        v[0] = 0.0
        v /= np.linalg.norm(v)
        return 1.7 * (math.cos(1.1) * np.eye(p)[0] + math.sin(1.1) * v), 0.6 * np.eye(p)[0]
    return filters_at_angle(p, 1.1, seed=p)


def reference_method(name):
    return "quad" if name == "mixture" else "exact"


# The matrices' float rounding: sums of ≤ 4·10⁴ terms of size ≤ ~30 (|z|² in p = 25).
SUM_ROUNDING = 1e-10


@pytest.mark.parametrize("method", ["mc", "qmc"])
@pytest.mark.parametrize("p", [2, 3, 5, 25])
@pytest.mark.parametrize("name", list(SAMPLED_LAWS))
def test_sampled_moments_gradient_and_loss_agree_with_the_reference_within_their_standard_error(
        name, p, method, assert_agrees):
    dist = SAMPLED_LAWS[name](p)
    w, w_star = reference_filters(name, p)
    ref = reference_method(name)
    for region in ("same", "opposite"):
        exact = second_moment(dist, w, w_star, region, ref)
        est = second_moment(dist, w, w_star, region, method, n=N_SAMPLED, seed=p)
        assert est.error_kind == "standard-error" and est.value.shape == (p, p)
        assert_agrees(est, exact.value, rate=RATE, reference_error=exact.error, atol=SUM_ROUNDING)
    exact = population_gradient(dist, w, w_star, ref)
    est = population_gradient(dist, w, w_star, method, n=N_SAMPLED, seed=p + 1)
    assert_agrees(est, exact.value, rate=RATE, reference_error=exact.error, atol=SUM_ROUNDING)
    if ref == "exact":
        exact_loss = loss(dist, w, w_star, "exact")
        reference, reference_error = exact_loss.value, exact_loss.error
    else:  # the mixture: the loss from its quadrature moments (derivation in loss_from_moments)
        mats = {r: second_moment(dist, w, w_star, r, "quad") for r in ("same", "opposite", "flipped")}
        reference = loss_from_moments(mats["same"].value, mats["opposite"].value, mats["flipped"].value, w, w_star)
        aw, aws = np.abs(w), np.abs(w_star)
        reference_error = loss_from_moments(mats["same"].error, mats["opposite"].error, mats["flipped"].error,
                                            aw, -aws)  # every term counted with a + sign
    assert_agrees(loss(dist, w, w_star, method, n=N_SAMPLED, seed=p + 2), reference, rate=RATE,
                  reference_error=reference_error, atol=SUM_ROUNDING)


def test_the_mixture_loss_identity_holds_exactly_on_an_empirical_law():
    """loss_from_moments is an identity, not an approximation: check it where all is exact sums."""
    dist = Empirical(AngularMixture(4, sigma=0.5).sample(300, np.random.default_rng(0)))
    w, w_star = reference_filters("mixture", 4)
    mats = {r: second_moment(dist, w, w_star, r, "exact").value for r in ("same", "opposite", "flipped")}
    assert loss(dist, w, w_star, "exact").value == pytest.approx(
        loss_from_moments(mats["same"], mats["opposite"], mats["flipped"], w, w_star), rel=1e-12)


# ---------------------------------------------------------------------------
# 3. The contract of every estimation method
# ---------------------------------------------------------------------------

class EstimatorContract:
    """What every method promises: its error_kind, method, n, seed and dof, finite non-negative
    errors, JSON-ready dicts, for the moments, gradient, loss and the quantities γ, L, L_{−w*}."""

    method: str
    error_kind: str
    p = 3
    n = 4096
    seed = 7
    has_loss = True

    def make_dist(self):
        return Gaussian(self.p)

    def expected_n(self, est) -> bool:
        raise NotImplementedError

    def expected_seed(self):
        return None

    def expected_dof(self):
        return None

    @pytest.fixture
    def dist(self):
        return self.make_dist()

    @pytest.fixture
    def filters(self, dist):
        w_star = np.eye(self.p)[0]
        return 1.3 * (math.cos(0.9) * w_star + math.sin(0.9) * np.eye(self.p)[1]), w_star

    def call(self, fn, *args, **kwargs):
        return fn(*args, method=self.method, n=self.n, seed=self.seed, **kwargs)

    def check(self, est, cls):
        assert isinstance(est, cls)
        assert est.error_kind == self.error_kind
        assert est.method == self.method
        assert self.expected_n(est)
        assert est.seed == self.expected_seed()
        assert est.dof == self.expected_dof()
        assert np.all(np.isfinite(est.value)) and np.all(np.isfinite(est.error)) and np.all(np.asarray(est.error) >= 0)
        data = json.loads(json.dumps(est.to_dict()))
        if cls is Estimate:
            assert Estimate.from_dict(data) == est
        else:
            np.testing.assert_array_equal(np.array(data["value"]), est.value)

    def test_second_moments_are_array_estimates_with_provenance(self, dist, filters):
        w, w_star = filters
        for region in ("same", "opposite"):
            est = self.call(second_moment, dist, w, w_star, region)
            assert est.value.shape == (self.p, self.p)
            self.check(est, ArrayEstimate)

    def test_the_gradient_is_an_array_estimate_with_provenance(self, dist, filters):
        est = self.call(population_gradient, dist, *filters)
        assert est.value.shape == (self.p,)
        self.check(est, ArrayEstimate)

    def test_the_loss_is_an_estimate_or_refused_by_name(self, dist, filters):
        if not self.has_loss:
            with pytest.raises(InvalidArgument, match="^method:"):
                self.call(loss, dist, *filters)
            return
        self.check(self.call(loss, dist, *filters), Estimate)

    @pytest.mark.parametrize("quantity", [quantities.gamma, quantities.L, quantities.L_neg])
    def test_the_quantities_are_estimates_with_provenance(self, dist, quantity):
        self.check(self.call(quantity, dist, 1.0), Estimate)


class TestExactContract(EstimatorContract):
    method, error_kind = "exact", "exact"

    def expected_n(self, est):
        return est.n is None


class TestExactFiniteLawContract(EstimatorContract):
    method, error_kind = "exact", "exact"

    def make_dist(self):
        return Empirical(np.random.default_rng(0).standard_normal((64, self.p)))

    def expected_n(self, est):
        return est.n in (None, 64)


class TestQuadContract(EstimatorContract):
    method, error_kind = "quad", "absolute-bound"
    has_loss = False

    def make_dist(self):
        return AngularMixture(self.p, sigma=0.5)

    def expected_n(self, est):
        return isinstance(est.n, int) and est.n > 0


class TestMonteCarloContract(EstimatorContract):
    method, error_kind = "mc", "standard-error"

    def expected_n(self, est):
        return est.n == self.n

    def expected_seed(self):
        return self.seed

    def expected_dof(self):
        return sampling.DEFAULT_BATCHES - 1

    @pytest.mark.parametrize("fn", [second_moment, population_gradient, loss])
    def test_the_same_seed_gives_identical_results_and_json_and_another_seed_differs(self, dist, filters, fn):
        first, again = self.call(fn, dist, *filters), self.call(fn, dist, *filters)
        np.testing.assert_array_equal(first.value, again.value)
        np.testing.assert_array_equal(first.error, again.error)
        assert json.dumps(first.to_dict(), sort_keys=True) == json.dumps(again.to_dict(), sort_keys=True)
        other = fn(dist, *filters, method=self.method, n=self.n, seed=self.seed + 1)
        assert not np.array_equal(first.value, other.value)

    def test_gamma_repeats_with_its_seed(self, dist):
        first = self.call(quantities.gamma, dist, 1.0)
        assert first.to_json() == self.call(quantities.gamma, dist, 1.0).to_json()
        assert quantities.gamma(dist, 1.0, method=self.method, n=self.n, seed=self.seed + 1).value != first.value


class TestQuasiMonteCarloContract(TestMonteCarloContract):
    method = "qmc"

    def expected_n(self, est):
        per = est.n // sampling.DEFAULT_REPLICATES
        return est.n >= self.n and est.n % sampling.DEFAULT_REPLICATES == 0 and per & (per - 1) == 0

    def expected_dof(self):
        return sampling.DEFAULT_REPLICATES - 1


# ---------------------------------------------------------------------------
# 4. Streaming memory and bad inputs
# ---------------------------------------------------------------------------

def peak_bytes(fn) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()     # the peak of this call only, even if tracing was already on
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_monte_carlo_moment_streams_its_draws_instead_of_holding_them():
    """n = 2·10⁶ in p = 3 would be 48 MB of draws; the estimate peaks at a small part of that."""
    p, n = 3, 2_000_000
    w, w_star = filters_at_angle(p, 1.0, seed=0)
    peak = peak_bytes(lambda: second_moment(Gaussian(p), w, w_star, method="mc", n=n, seed=0))
    assert peak < 0.25 * n * p * 8


def test_monte_carlo_peak_memory_does_not_grow_with_n(monkeypatch):
    """Once batches exceed a chunk, memory is set by the chunk alone: 10× the draws, about the same peak.

    The chunk is shrunk to 64 KiB so that n = 2·10⁵ is already in that regime (with the default
    16 MiB chunk both sizes here fit in one chunk per batch).
    """
    monkeypatch.setattr(sampling, "CHUNK_BYTES", 64 * 2**10)
    w, w_star = filters_at_angle(3, 1.0, seed=0)
    small, large = (peak_bytes(lambda n=n: second_moment(Gaussian(3), w, w_star, method="mc", n=n, seed=0))
                    for n in (200_000, 2_000_000))
    assert large < 1.5 * small


G3 = Gaussian(3)
W, W_STAR = np.array([1.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.0])

BAD_INPUTS = [
    # dimensions and distributions
    pytest.param("p", lambda: Gaussian(1), id="p-below-2"),
    pytest.param("p", lambda: make_distribution("sphere", p=2.5), id="p-not-an-integer"),
    pytest.param("p", lambda: make_distribution("mixture"), id="p-missing"),
    pytest.param("dist", lambda: make_distribution("cauchy", p=3), id="unknown-distribution"),
    pytest.param("dist", lambda: make_distribution("no_such_module:Law", p=3), id="unknown-user-module"),
    pytest.param("sigma", lambda: make_distribution("gaussian", p=3, sigma=1.0), id="option-the-law-lacks"),
    pytest.param("sigma", lambda: AngularMixture(3, sigma=0.0), id="sigma-zero"),
    pytest.param("sigma", lambda: AngularMixture(3, sigma=float("nan")), id="sigma-nan"),
    pytest.param("rank", lambda: Degenerate(3, rank=4), id="rank-above-p"),
    pytest.param("k", lambda: PatchCloseness(3, k=0), id="no-patches"),
    pytest.param("data", lambda: Empirical(np.zeros(5)), id="data-wrong-shape"),
    pytest.param("data", lambda: Empirical(np.array([[1.0, np.nan]])), id="data-nan"),
    pytest.param("p", lambda: make_distribution("empirical", p=4, data=np.ones((5, 3))), id="data-p-mismatch"),
    # filters
    pytest.param("w", lambda: second_moment(G3, np.ones(4), W_STAR), id="w-wrong-length"),
    pytest.param("w", lambda: second_moment(G3, np.ones((3, 1)), W_STAR), id="w-matrix"),
    pytest.param("w", lambda: population_gradient(G3, np.array([np.nan, 0, 1]), W_STAR), id="w-nan"),
    pytest.param("w", lambda: loss(G3, np.zeros(3), W_STAR), id="w-zero"),
    pytest.param("w_star", lambda: second_moment(G3, W, np.zeros(3), method="exact"), id="w-star-zero"),
    pytest.param("w_star", lambda: quantities.gamma(G3, 1.0, w_star=np.zeros(3)), id="w-star-zero-gamma"),
    pytest.param("w_star", lambda: quantities.L(G3, 1.0, w_star=np.ones(2)), id="w-star-wrong-length"),
    pytest.param("w_star", lambda: second_moment(AngularMixture(3), W, np.array([0, 1.0, 0]), method="quad"),
                 id="w-star-off-the-quadrature-axis"),
    pytest.param("region", lambda: second_moment(G3, W, W_STAR, region="inside", method="exact"),
                 id="unknown-region-exact"),
    pytest.param("region", lambda: cross_moment(G3, W, W_STAR, ("same", "inside"), method="mc"),
                 id="unknown-region-mc"),
    # angles
    pytest.param("phi", lambda: quantities.gamma(G3, -0.1), id="phi-negative"),
    pytest.param("phi", lambda: quantities.L(G3, math.pi + 1e-9), id="phi-above-pi"),
    pytest.param("phi", lambda: quantities.L_neg(G3, float("nan")), id="phi-nan"),
    pytest.param("phi", lambda: quantities.curves(G3, [0.0, 4.0]), id="phi-grid-outside"),
    pytest.param("phi", lambda: quantities.curves(G3, []), id="phi-grid-empty"),
    pytest.param("quantity", lambda: quantities.curves(G3, [1.0], ("beta",)), id="unknown-curve"),
    pytest.param("grid", lambda: sups.beta(G3, grid=[0.0, 0.5]), id="sup-grid-with-zero"),
    # sample counts and seeds
    pytest.param("n", lambda: second_moment(G3, W, W_STAR, method="mc", n=-5), id="n-negative"),
    pytest.param("n", lambda: loss(G3, W, W_STAR, method="qmc", n=0), id="n-zero"),
    pytest.param("n", lambda: quantities.gamma(G3, 1.0, method="mc", n=2.5), id="n-fractional"),
    pytest.param("seed", lambda: population_gradient(G3, W, W_STAR, seed=-1), id="seed-negative"),
    # methods a law cannot do
    pytest.param("method", lambda: second_moment(G3, W, W_STAR, method="bogus"), id="unknown-method"),
    pytest.param("method", lambda: second_moment(AngularMixture(3), W, W_STAR, method="exact"),
                 id="exact-for-the-mixture"),
    pytest.param("method", lambda: quantities.gamma(Degenerate(3), 1.0, method="quad"),
                 id="quad-for-the-degenerate-law"),
    pytest.param("method", lambda: second_moment(PatchCloseness(3), W, W_STAR, method="quad"),
                 id="quad-for-several-patches"),
    pytest.param("method", lambda: loss(G3, W, W_STAR, method="quad"), id="quad-loss"),
    pytest.param("method", lambda: second_moment(Empirical(np.ones((4, 3))), W, W_STAR, method="qmc"),
                 id="qmc-for-an-empirical-law"),
]


@pytest.mark.parametrize("argument, call", BAD_INPUTS)
def test_a_bad_argument_raises_invalid_argument_naming_it(argument, call):
    with pytest.raises(InvalidArgument) as info:
        call()
    assert info.value.argument == argument
    assert str(info.value).startswith(f"{argument}: ")


def test_a_draw_store_changes_no_number_and_draws_the_final_sample_once(monkeypatch):
    """A search reads its final draws at every target and restart: with the draws kept (DrawStore) the
    curves are identical, bit for bit, to drawing them anew each time, and the law is sampled for one
    pass instead of one per reading."""
    from verify.laws.builtin import PatchCloseness

    law = PatchCloseness(3, k=4, sigma_patch=0.3)
    phis = np.linspace(0.0, math.pi, 9)
    counted = []
    real_sample = PatchCloseness.sample
    monkeypatch.setattr(PatchCloseness, "sample", lambda self, n, rng: counted.append(n) or real_sample(self, n, rng))

    def run(store_bytes):
        monkeypatch.setattr(sampling, "STORE_BYTES", store_bytes)
        counted.clear()
        out = quantities.curves(law, phis, ("L_neg",), method="mc", n=20_000, seed=4)  # a search per sub-grid [0, φ]
        return out, sum(counted)

    kept, drawn_kept = run(64 * 2**20)
    fresh, drawn_fresh = run(0)
    assert [(e.value, e.error) for e in kept["L_neg"]] == [(e.value, e.error) for e in fresh["L_neg"]]
    assert drawn_kept <= 2 * 20_000 < drawn_fresh   # the pilot's draws and one final pass
    with pytest.raises(ValueError, match="one law under one plan"):
        plan = sampling.SamplingPlan("mc", 1000, seed=1)
        sampling.reduce_in_batches(law, lambda z: z.sum(keepdims=True), plan,
                                   store=sampling.DrawStore(law, sampling.SamplingPlan("mc", 1000, seed=2)))

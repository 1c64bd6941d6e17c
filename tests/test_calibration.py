"""Are the error bars honest?  Coverage of 95 % intervals over many seeds.

For each method (mc: 32 batches, t on 31 dof; qmc: 32 scrambled Sobol'
replicates, t on 31 dof) and each kind of statistic — a matrix entry (a plain
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
import os

import numpy as np
import pytest
from scipy import stats

from verify import Estimate, Gaussian
from verify.estimators.closed_forms import gaussian_loss, gaussian_second_moment
from verify.estimators.moments import loss, second_moment
from verify.estimators.quantities import gamma

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


# ---------------------------------------------------------------------------
# Laws where the default error bar used to fail (docs/error-bars.md)
# ---------------------------------------------------------------------------
#
# Band.  An interval that claims 95 % and uses the default rule (batch means / replicates, t on
# B − 1 dof) is held to the same two-sided band as above: the count of covering intervals among
# N seeds must lie in the central 99.9 % of Binomial(N, 0.95).  A fallback interval
# (``qmc-lumpy``: Monte Carlo error; ``heavy-tails``: median-of-means bound) claims *at least*
# 95 % (docs/error-bars.md §2–§3), so only the lower end applies to it: ≥ LOW(N) covering.  Either
# way an honest bar fails with probability ≤ 0.05 % per test.

from scipy import special  # noqa: E402

from verify.estimators.closed_forms import gaussian_second_moment as _gsm  # noqa: E402
from verify.estimators.moments import moment_curves  # noqa: E402
from verify.estimators.quadrature import axial_second_moment  # noqa: E402
from verify.estimators.sampling import SamplingPlan  # noqa: E402


def band(count: int) -> tuple[float, float]:
    return stats.binom.interval(0.999, count, 0.95)


class _IidLaw:
    """A user-style law: iid coordinates in p = 3, k = 1, with an inverse CDF for QMC."""

    k = 1
    p = 3
    uniform_dimension = 3

    def sample(self, n, rng):
        return self.from_uniform(rng.random((n, 3)))


class AnisotropicGaussian(_IidLaw):
    """N(0, diag(1, 5.5, 10)): variances from 1 to 10."""

    scales = np.sqrt(np.linspace(1.0, 10.0, 3))

    def sample(self, n, rng):
        return (rng.standard_normal((n, 3)) * self.scales)[:, None, :]

    def from_uniform(self, u):
        return (special.ndtri(u) * self.scales)[:, None, :]


class Laplace(_IidLaw):
    """iid standard Laplace coordinates (variance 2, E|X| = 1): all moments finite."""

    def from_uniform(self, u):
        return np.where(u < 0.5, np.log(2 * u), -np.log(2 - 2 * u))[:, None, :]


class StudentT3(_IidLaw):
    """iid Student-t₃ coordinates (variance 3, E|X| = 2√3/π): E X⁴ = ∞."""

    def from_uniform(self, u):
        return special.stdtrit(3, u)[:, None, :]


def _truth_iid(var, mean_abs):
    """λ_min of A_{e1,e2} for iid symmetric coordinates: [[v/4, m²/4, 0], [m²/4, v/4, 0], [0, 0, v/4]]."""
    return var / 4 - (mean_abs / 2) ** 2


E1, E2 = np.eye(3)[0], np.eye(3)[1]


def _aniso_truth(phi):
    w_star = E1
    w = math.cos(phi) * E1 + math.sin(phi) * E2
    d = np.diag(AnisotropicGaussian.scales)
    a = d @ _gsm(d @ w, d @ w_star) @ d
    return np.linalg.eigvalsh(a)[0], a[0, 1]


def _estimates(dist, u, v, phi, method, n, seed):
    """(λ_min read along cross-fitted eigenvectors, entry [0, 1]) of A at w(φ) = cos φ·u + sin φ·v."""
    curves = moment_curves(dist, u, v, [phi], [("same", "same")], SamplingPlan(method, n, seed))
    lam = curves.extreme_eigenvalue(("same", "same"), "min")[0]
    m = curves.matrix(("same", "same"))
    entry = Estimate(m.value[0, 0, 1], m.error[0, 0, 1], m.error_kind, m.method, m.n, m.seed, dof=m.dof,
                     warnings=m.warnings)
    return lam, entry


LAWS = {
    # law, u = w*, v, φ, n, (λ_min truth, entry truth)
    "anisotropic-gaussian": (AnisotropicGaussian(), E1, E2, PHI, 2000, _aniso_truth(PHI)),
    "laplace": (Laplace(), E2, E1, math.pi / 2, 20_000, (_truth_iid(2.0, 1.0), 0.25)),
}


def _coverage(estimates, truth):
    return sum(lo <= truth <= hi for lo, hi in (e.interval(0.95) for e in estimates))


@pytest.mark.parametrize("method", ["mc", "qmc"])
@pytest.mark.parametrize("law", list(LAWS))
def test_light_tailed_user_laws_are_covered_at_the_stated_rate_without_warnings(law, method):
    dist, u, v, phi, n, (lam_truth, entry_truth) = LAWS[law]
    seeds = range(400)
    pairs = [_estimates(dist, u, v, phi, method, n, seed) for seed in seeds]
    low, high = band(len(seeds))
    for name, ests, truth in (("lambda_min", [p[0] for p in pairs], lam_truth),
                              ("entry", [p[1] for p in pairs], entry_truth)):
        if name == "lambda_min":  # the entry carries its matrix's warnings (any of 9 entries)
            warned = [e.warnings for e in ests if e.warnings]
            # a false alarm only widens the bar; ≤ 5 % of them (measured: ≤ 1.5 %, docs/error-bars.md §2)
            assert len(warned) <= 0.05 * len(seeds), f"{law}/{method}: {len(warned)} spurious warnings, {warned[:2]}"
        covered = _coverage(ests, truth)
        assert low <= covered <= high, f"{law}/{method}/{name}: {covered}/{len(seeds)} cover {truth:.6g}"


STUDENT_T3 = (StudentT3(), E2, E1, math.pi / 2, 20_000, _truth_iid(3.0, 2 * math.sqrt(3) / math.pi))


@pytest.mark.parametrize("method", ["mc", "qmc"])
def test_heavy_tails_are_flagged_and_the_median_of_means_interval_covers(method):
    dist, u, v, phi, n, truth = STUDENT_T3
    seeds = range(200)
    ests = [_estimates(dist, u, v, phi, method, n, seed)[0] for seed in seeds]
    flagged = [e for e in ests if any(w.startswith("heavy-tails:") for w in e.warnings)]
    assert len(flagged) >= len(ests) - 2, f"only {len(flagged)}/{len(ests)} t₃ estimates warn of heavy tails"
    covered = _coverage(ests, truth)
    assert covered >= band(len(seeds))[0], f"t3/{method}: {covered}/{len(seeds)} intervals cover {truth:.6g}"


def _mixture_L(seed, n):
    from verify.laws.builtin import AngularMixture

    dist = AngularMixture(2, 0.5)
    u, v = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    curves = moment_curves(dist, u, v, [PHI], [("same", "same")], SamplingPlan("qmc", n, seed))
    return curves.extreme_eigenvalue(("same", "same"), "max")[0]


def _mixture_truth():
    from verify.laws.builtin import AngularMixture

    u = np.array([1.0, 0.0])
    w = np.array([math.cos(PHI), math.sin(PHI)])
    m = axial_second_moment(AngularMixture(2, 0.5), w, u)
    return float(np.linalg.eigvalsh(m.value)[-1]), float(np.linalg.norm(m.error))


def _check_mixture(seeds, n):
    truth, bound = _mixture_truth()
    assert bound < 1e-9
    ests = [_mixture_L(seed, n) for seed in seeds]
    lumpy = sum(any(w.startswith("qmc-lumpy:") for w in e.warnings) for e in ests)
    covered = _coverage(ests, truth)
    assert covered >= band(len(seeds))[0], f"mixture/qmc: {covered}/{len(seeds)} intervals cover {truth!r}"
    assert lumpy >= len(ests) - 1, f"only {lumpy}/{len(ests)} mixture estimates flagged qmc-lumpy"


def test_rqmc_on_the_section_4_mixture_is_flagged_and_covered():
    """§4 mixture, p = 2, σ = 0.5, φ = π/3, n = 10⁶, QMC: L(φ) against quadrature (24 seeds)."""
    _check_mixture(range(24), 10**6)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("VERIFY_FULL_CALIBRATION"),
                    reason="about 2 minutes: set VERIFY_FULL_CALIBRATION=1")
def test_rqmc_on_the_section_4_mixture_is_flagged_and_covered_over_400_seeds():
    _check_mixture(range(400), 10**6)

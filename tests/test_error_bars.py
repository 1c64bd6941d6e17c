"""The checks of docs/error-bars.md: warnings, their propagation and their serialisation."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from verify import ArrayEstimate, Estimate, Gaussian
from verify.estimators.moments import loss, moment_curves, population_gradient, second_moment
from verify.results import merge_warnings
from verify.estimators.error_checks import hill_tail_index, median_of_means_factor, replicate_levels
from verify.estimators.sampling import BatchMeans, SamplingPlan


class StudentT3:
    p, k, uniform_dimension = 3, 1, 3

    def sample(self, n, rng):
        return rng.standard_t(3, (n, 1, 3))


def test_estimates_carry_an_always_present_warnings_list():
    est = Estimate(1.0, 0.1, "standard-error", "mc", dof=31)
    assert est.to_dict()["warnings"] == []
    flagged = est.replace(warnings=("heavy-tails: x",))
    again = Estimate.from_dict(json.loads(flagged.to_json()))
    assert again == flagged and again.warnings == ("heavy-tails: x",)
    assert "!heavy-tails" in str(flagged) and "!" not in str(est)
    assert Estimate.from_dict({k: v for k, v in est.to_dict().items() if k != "warnings"}) == est


def test_array_estimates_keep_warnings_through_slices_and_json():
    arr = ArrayEstimate(np.eye(2), 0.1, "standard-error", "qmc", 64, 0, 31, ["qmc-lumpy: x"])
    assert arr[0].warnings == ("qmc-lumpy: x",)
    assert json.loads(json.dumps(arr.to_dict()))["warnings"] == ["qmc-lumpy: x"]
    assert ArrayEstimate.from_dict(arr.to_dict()).warnings == arr.warnings
    assert "!qmc-lumpy" in repr(arr)
    with pytest.raises(ValueError):
        Estimate(1.0, 0.1, "exact", "exact", warnings="heavy-tails: one string")


def test_merge_keeps_first_occurrence_order():
    assert merge_warnings(("a: 1",), ("b: 2", "a: 1")) == ("a: 1", "b: 2")


def test_gaussian_estimates_have_no_warnings():
    w, w_star = np.array([1.0, 0.5, 0.0]), np.array([1.0, 0.0, 0.0])
    for method in ("mc", "qmc"):
        assert second_moment(Gaussian(3), w, w_star, method=method, n=20_000).warnings == ()
        assert loss(Gaussian(3), w, w_star, method=method, n=20_000).warnings == ()


def test_heavy_tails_warn_and_propagate_to_every_derived_estimate():
    dist = StudentT3()
    w, w_star = np.array([1.0, 0.3, 0.0]), np.array([0.0, 1.0, 0.0])
    m = second_moment(dist, w, w_star, method="mc", n=20_000)
    assert m.warnings and m.warnings[0].startswith("heavy-tails: Hill tail index ")
    assert m.dof is None
    assert population_gradient(dist, w, w_star, method="mc", n=20_000).warnings[0].startswith("heavy-tails:")
    assert loss(dist, w, w_star, method="mc", n=20_000).warnings[0].startswith("heavy-tails:")
    curves = moment_curves(dist, w_star, np.array([1.0, 0, 0]), [1.0, 2.0], [("same", "same")],
                           SamplingPlan("mc", 20_000, 1))
    assert all(e.warnings for e in curves.extreme_eigenvalue(("same", "same"), "min"))
    plain = moment_curves(dist, w_star, np.array([1.0, 0, 0]), [1.0], [("same", "same")],
                          SamplingPlan("mc", 20_000, 1, checks=False))
    assert plain.extreme_eigenvalue(("same", "same"), "min")[0].warnings == ()


def test_median_of_means_interval_is_wider_than_batch_means_and_centred_on_the_median():
    rng = np.random.default_rng(0)
    batches = rng.standard_normal((32, 1))
    sums = BatchMeans(batches, batches.mean(axis=0), 32_000, "mc", 0, 31, tail_index=2.5, tail_count=320,
                      degree=2)
    a = sums.assess()
    assert a.value[0] == pytest.approx(np.median(batches))
    assert a.error[0] == pytest.approx(median_of_means_factor(32) * batches.std(ddof=1))
    assert a.dof is None and a.warnings[0].startswith("heavy-tails: Hill tail index 2.5 < 4")


def test_hill_recovers_a_pareto_index():
    x = np.random.default_rng(3).pareto(2.0, 100_000) + 1.0
    assert hill_tail_index(np.sort(x)[-1001:]) == pytest.approx(2.0, rel=0.15)


def test_lumpy_replicates_fall_back_to_the_monte_carlo_error():
    values = np.r_[np.full(31, 1.0) + 1e-12 * np.arange(31), 1.0 + 7e-6][:, None]
    groups = values[:, None, :] + np.random.default_rng(0).standard_normal((32, 4, 1)) * 1e-3
    sums = BatchMeans(values, values.mean(axis=0), 32 * 1024, "qmc", 0, 31, groups)
    assert int(replicate_levels(values[:, 0])) == 2
    a = sums.assess()
    assert a.warnings == ("qmc-lumpy: 2 distinct replicate levels among 32; Monte Carlo error used",)
    assert a.dof == 32 * 3 and a.error[0] > 10 * sums.standard_error()[0]


def test_median_of_means_factor_covers_the_bound_at_high_confidence():
    from scipy import stats

    from verify.estimators.error_checks import _mom_failure_rate

    c = median_of_means_factor(32)
    for conf in (0.95, 0.99, 1 - 1e-6):
        assert stats.norm.ppf((1 + conf) / 2) * c >= _mom_failure_rate(32, conf) ** -0.5 * (1 - 1e-9)
    assert math.isclose(_mom_failure_rate(32, 0.95) ** -0.5, 1.7046, rel_tol=1e-3)

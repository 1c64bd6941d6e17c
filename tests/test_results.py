"""Estimate / ArrayEstimate: an error bar that reads as one thing and serialises."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats

from verify import ArrayEstimate, Estimate


def mc_estimate(**changes):
    base = dict(value=0.2069, error=0.0003, error_kind="standard-error", method="mc", n=200_000, seed=3, dof=31)
    base.update(changes)
    return Estimate(**base)


def test_interval_of_a_standard_error_uses_t_on_its_degrees_of_freedom():
    est = mc_estimate()
    lo, hi = est.interval(0.95)
    half = stats.t.ppf(0.975, 31) * 0.0003
    assert lo == pytest.approx(0.2069 - half, rel=1e-12)
    assert hi == pytest.approx(0.2069 + half, rel=1e-12)


def test_interval_without_degrees_of_freedom_uses_the_normal_quantile():
    est = mc_estimate(dof=None)
    assert est.half_width(0.99) == pytest.approx(stats.norm.ppf(0.995) * 0.0003, rel=1e-12)


@pytest.mark.parametrize("error_kind", ["absolute-bound", "exact"])
def test_a_bound_is_its_own_half_width_at_every_confidence(error_kind):
    est = Estimate(1.0, 1e-9, error_kind, "quad")
    assert est.half_width(0.5) == est.half_width(0.999) == 1e-9


def test_z_score_is_the_difference_in_units_of_the_error():
    assert mc_estimate().z_score(0.2066) == pytest.approx(1.0)


def test_z_score_of_an_errorless_value_is_zero_when_equal_and_infinite_otherwise():
    exact = Estimate(0.5, 0.0, "exact", "exact")
    assert exact.z_score(0.5) == 0.0
    assert exact.z_score(0.4) == math.inf
    assert exact.z_score(0.6) == -math.inf


def test_scaling_by_a_negative_factor_swaps_the_side_of_a_bound():
    est = mc_estimate(kind="upper-bound")
    scaled = est.scaled(-2.0)
    assert scaled.value == pytest.approx(-0.4138)
    assert scaled.error == pytest.approx(0.0006)
    assert scaled.kind == "lower-bound"
    assert est.scaled(3.0).kind == "upper-bound"


def test_estimate_round_trips_through_json():
    est = mc_estimate(kind="lower-bound")
    again = Estimate.from_dict(json.loads(est.to_json()))
    assert again == est
    assert json.loads(est.to_json()) == est.to_dict()


def test_estimate_reads_as_one_value_with_its_error():
    text = str(mc_estimate())
    assert text.startswith("0.2069 ± 0.0003 (mc, n=2e+05")
    assert "[upper-bound]" in str(mc_estimate(kind="upper-bound"))
    assert "±≤" in str(Estimate(1.0, 1e-12, "absolute-bound", "quad"))


@pytest.mark.parametrize("changes, match", [
    pytest.param({"error": -1.0}, "error must be >= 0", id="negative-error"),
    pytest.param({"error": float("nan")}, "error must be >= 0", id="nan-error"),
    pytest.param({"error_kind": "sd"}, "error_kind", id="unknown-error-kind"),
    pytest.param({"kind": "guess"}, "kind", id="unknown-kind"),
])
def test_an_estimate_refuses_a_meaningless_error(changes, match):
    with pytest.raises(ValueError, match=match):
        mc_estimate(**changes)


def test_array_estimate_is_read_only_and_broadcasts_a_scalar_error():
    arr = ArrayEstimate(np.eye(2), 0.1, "standard-error", "mc", 10, 0, 31)
    assert arr.error.shape == (2, 2)
    with pytest.raises(ValueError):
        arr.value[0, 0] = 3.0


def test_array_estimate_slices_keep_their_provenance():
    arr = ArrayEstimate(np.arange(6.0).reshape(3, 2), np.full((3, 2), 0.5), "standard-error", "qmc", 64, 7, 15)
    row = arr[1]
    assert row.value.tolist() == [2.0, 3.0]
    assert (row.method, row.n, row.seed, row.dof) == ("qmc", 64, 7, 15)


def test_array_z_scores_treat_zero_errors_like_the_scalar_case():
    arr = ArrayEstimate(np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.0, 0.0]), "exact", "exact")
    z = arr.z_scores([0.0, 2.0, 4.0])
    assert z.tolist() == [2.0, 0.0, -math.inf]


def test_array_estimate_dict_is_plain_json():
    arr = ArrayEstimate(np.eye(2), np.full((2, 2), 1e-3), "standard-error", "mc", 100, 1, 31)
    data = json.loads(json.dumps(arr.to_dict()))
    assert data["value"] == [[1.0, 0.0], [0.0, 1.0]]
    assert (data["error_kind"], data["method"], data["n"], data["seed"], data["dof"]) == \
        ("standard-error", "mc", 100, 1, 31)

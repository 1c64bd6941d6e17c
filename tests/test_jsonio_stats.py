"""verify.jsonio (one NaN policy, one atomic writer) and verify.stats (scipy.stats intervals)."""
from __future__ import annotations

import json
import math
import os
import stat

import numpy as np
import pytest
from scipy import stats as sps

from verify import Estimate
from verify.jsonio import dumps, json_number, jsonable, write_atomically, write_json_atomically
from verify.stats import clopper_pearson, t_interval, welch_difference, welch_interval


def test_non_finite_floats_round_trip_as_strings():
    text = dumps({"x": np.array([np.nan, np.inf, -np.inf, 1.5]), "n": np.int32(3)})
    data = json.loads(text)
    assert data["x"][:3] == ["nan", "inf", "-inf"] and data["n"] == 3
    back = [json_number(v) for v in data["x"]]
    assert math.isnan(back[0]) and back[1] == math.inf and back[2] == -math.inf and back[3] == 1.5
    est = Estimate(math.inf, 0.0, "exact", "exact")
    assert Estimate.from_dict(json.loads(est.to_json())) == est


def _number_by_number(x):
    """The NaN policy applied to each number of a nested list (what jsonable does to an array's elements)."""
    if isinstance(x, list):
        return [_number_by_number(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


@pytest.mark.parametrize("shape", [(), (1,), (5,), (3, 4), (2, 3, 2)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.bool_])
def test_an_array_is_written_as_its_numbers_under_the_nan_policy(shape, dtype):
    rng = np.random.default_rng(len(shape))
    a = np.asarray(rng.standard_normal(shape) * 3)
    if dtype in (np.float64, np.float32):
        a[rng.random(shape) < 0.3] = np.nan
        a[rng.random(shape) < 0.2] = np.inf
        a[rng.random(shape) < 0.2] = -np.inf
    a = np.asarray(a).astype(dtype)
    out = jsonable(a)
    assert out == _number_by_number(a.tolist())
    assert json.loads(dumps(a)) == out   # and strict JSON accepts it


def test_jsonable_uses_to_dict_and_rejects_unknown_objects():
    assert jsonable(Estimate(1.0, 0.5, "exact", "exact"))["value"] == 1.0
    with pytest.raises(TypeError):
        jsonable(object())
    assert jsonable(object(), fallback=lambda o: "obj") == "obj"


def test_atomic_writer_keeps_mode_and_leaves_no_temporary_on_failure(tmp_path):
    target = tmp_path / "a.json"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_json_atomically({"v": float("nan")}, target)
    assert json.loads(target.read_text()) == {"v": "nan"}
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640

    class Boom(str):
        def encode(self, *args):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomically({tmp_path / "b.txt": "fine", tmp_path / "c.txt": Boom("x")})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]  # nothing written, no .tmp left


def test_clopper_pearson_matches_the_beta_quantiles():
    lo, hi = clopper_pearson(7, 20, 0.95)
    assert lo == pytest.approx(sps.beta.ppf(0.025, 7, 14), rel=1e-10)
    assert hi == pytest.approx(sps.beta.ppf(0.975, 8, 13), rel=1e-10)
    lo1, hi1 = clopper_pearson(7, 20, 0.95, alternative="greater")
    assert hi1 == 1.0 and lo1 == pytest.approx(sps.beta.ppf(0.05, 7, 14), rel=1e-10)


def test_welch_and_t_intervals_agree_with_scipy_and_handle_degenerate_samples():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, 12), rng.normal(0.5, 2, 9)
    d, se, dof = welch_difference(a, b)
    res = sps.ttest_ind(b, a, equal_var=False)
    assert d / se == pytest.approx(res.statistic, rel=1e-12) and dof == pytest.approx(res.df, rel=1e-12)
    ci = res.confidence_interval(0.95)
    assert welch_interval(a, b)[1:] == pytest.approx((ci.low, ci.high), rel=1e-12)
    assert welch_interval([1.0], [2.0, 3.0]) == (1.5, -math.inf, math.inf)
    assert welch_interval([1.0, 1.0], [2.0, 2.0]) == (1.0, 1.0, 1.0)
    m, lo, hi = t_interval(a)
    tci = sps.ttest_1samp(a, 0.0).confidence_interval(0.95)
    assert (lo, hi) == pytest.approx((tci.low, tci.high), rel=1e-12)

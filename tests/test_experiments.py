"""The §4 experiments (verify.experiments): each runs, reports numbers, and its statistics are honest."""
from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
from scipy import stats

from verify.dynamics.descent import Trajectory
from verify.experiments.registry import EXPERIMENTS, run_experiment
from verify.experiments.common import SETTINGS, count_signs, neighbour_differences
from verify.validation import PROFILE_NAMES as PROFILES
from verify.stats import paired_interval, t_interval, welch_interval
from verify.experiments.common import ExperimentResult
from verify.experiments.rates import convergence_rates, fig3a, fig3b
from verify.dynamics.sgd import sgd
from verify.experiments.real_data import fig3c, fig3d, fig4, fig5
from verify.validation import InvalidArgument

sklearn_missing = False
try:
    import sklearn  # noqa: F401
except ImportError:
    sklearn_missing = True

#: A tiny version of each experiment: enough steps and seeds to exercise every code path.
TINY = {
    "fig3a": dict(iterations=40, seeds=2),
    "fig3b": dict(iterations=40, seeds=2),
    "fig3c": dict(iterations=30, seeds=2, record_every=10),
    "fig3d": dict(iterations=30, seeds=2, record_every=10),
    "fig4": dict(iterations=30, seeds=2, record_every=10),
    "fig5": dict(iterations=30, seeds=2, record_every=10, points=5, controls=3),
}
#: The vocabulary of a verdict: the claim checks judge (holds / refuted / inconclusive), the experiments do not.
VERDICT_WORDS = re.compile(r"supported|contradicted|unresolved|inconclusive|\bholds\b|refuted", re.IGNORECASE)
CLAIMS = {"fig3a": "sec4-smoothness", "fig3b": "sec4-closeness", "fig3c": "sec4-real-data",
          "fig3d": "sec4-real-data", "fig4": "sec4-real-data", "fig5": "sec4-real-data"}


def test_every_experiment_of_section_4_is_registered():
    assert set(EXPERIMENTS) == set(TINY) == set(CLAIMS)


@pytest.mark.parametrize("name", list(TINY))
def test_each_experiment_runs_on_quick_and_states_its_finding_with_numbers(name):
    if sklearn_missing and name not in ("fig3a", "fig3b"):
        pytest.skip("the real-image experiments need the 'images' extra (scikit-learn)")
    result = run_experiment(name, profile="quick", seed=3, **TINY[name])
    assert isinstance(result, ExperimentResult)
    assert result.name == name and result.claim == CLAIMS[name]
    assert "\n" not in result.finding and re.search(r"\d\.\d", result.finding)
    assert not hasattr(result, "verdict") and "verdict" not in result.to_dict()
    assert not VERDICT_WORDS.search(result.finding), result.finding
    assert result.parameters["profile"] == "quick" and result.parameters["seed"] == 3
    for key, value in TINY[name].items():
        assert result.parameters[key] == value
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))  # strict JSON: no NaN/inf
    assert data["finding"] == result.finding and data["series"]


def test_every_profile_names_the_same_settings():
    for name, by_profile in SETTINGS.items():
        assert set(by_profile) == set(PROFILES)
        keys = {frozenset(s) for s in by_profile.values()}
        assert len(keys) == 1, name


def test_profiles_scale_iterations_and_seeds_upwards():
    for name in ("fig3a", "fig3b", "fig3c"):
        quick, default, thorough = (SETTINGS[name][p] for p in PROFILES)
        assert quick["iterations"] <= default["iterations"] <= thorough["iterations"]
        assert quick["seeds"] <= default["seeds"] <= thorough["seeds"]


def test_fig3a_finds_the_rate_increasing_from_a_spiky_to_a_smooth_mixture():
    # σ = 0.25 vs σ = 1: mean rates ≈ 0.03 vs 0.22 per step with seed-to-seed spread ≈ 0.001 and
    # 0.01; three seeds separate them by tens of standard errors, so the interval's sign is not luck.
    result = fig3a(profile="quick", seed=0, sigmas=(0.25, 1.0), seeds=3, iterations=300)
    low, high = result.series["rate_mean"]
    assert 0 < low < high
    [(diff, lo, hi)] = result.series["neighbour_differences"]
    assert 0 < lo < diff < hi and diff == pytest.approx(high - low)


def test_fig3b_finds_the_rate_decreasing_as_patches_spread():
    # σ_patch² = 0.01 vs 1: ≈ 0.21 vs 0.09 per step, spread ≈ 0.01 — again many standard errors.
    result = fig3b(profile="quick", seed=0, sigma_patch_squared=(0.01, 1.0), seeds=3, iterations=300)
    fast, slow = result.series["rate_mean"]
    assert fast > slow > 0
    [(diff, lo, hi)] = result.series["neighbour_differences"]
    assert lo < diff < hi < 0 and diff == pytest.approx(slow - fast)


def test_experiments_are_deterministic_under_their_seed():
    a = fig3a(profile="quick", seed=5, iterations=30, seeds=2)
    b = fig3a(profile="quick", seed=5, iterations=30, seeds=2)
    c = fig3a(profile="quick", seed=6, iterations=30, seeds=2)
    assert a.series == b.series and a.finding == b.finding
    assert a.series["rates"] != c.series["rates"]


@pytest.mark.skipif(sklearn_missing, reason="needs the 'images' extra (scikit-learn)")
def test_fig4_and_fig5_use_the_filters_learned_in_fig3c():
    tiny = TINY["fig4"]
    c = fig3c(profile="quick", seed=1, **tiny)
    four = fig4(profile="quick", seed=1, **tiny)
    middle = len(c.series["alphas"]) // 2
    np.testing.assert_allclose(four.series["random"]["relative_distance"],
                               c.series["final_relative_distance"][middle], rtol=1e-12)
    five = fig5(profile="quick", seed=1, **TINY["fig5"])
    # At α = 1 the segment is the learned filter itself: its relative loss is Fig. 3c's final one.
    ends = [curve[-1] for curve in five.series["random"]["log_relative_loss"]]
    np.testing.assert_allclose(ends, c.series["final_log_relative_loss"][middle], rtol=1e-10)


@pytest.mark.skipif(sklearn_missing, reason="needs the 'images' extra (scikit-learn)")
def test_figures_3c_to_5_share_their_runs_through_the_callers_store_only(monkeypatch):
    """With one ``shared`` dict the SGD runs are computed once per kind and give what each figure computes
    alone (the same arithmetic: equal bit for bit); without it nothing is kept between calls."""
    from verify.experiments import real_data

    calls = []
    monkeypatch.setattr(real_data, "sgd", lambda *a, **k: calls.append(1) or sgd(*a, **k))
    tiny, store = TINY["fig4"], {}
    shared = [f(profile="quick", seed=1, shared=store, **tiny) for f in (fig3c, fig3d, fig4)]
    assert len(calls) == 2 and sorted(key[1] for key in store if key[0] == "runs") == ["gabor", "random"]
    alone = [f(profile="quick", seed=1, **tiny) for f in (fig3c, fig3d, fig4)]
    assert len(calls) == 2 + 4          # fig4 alone computes both kinds again: no state outside the store
    for a, b in zip(shared, alone):
        assert a.series == b.series and a.finding == b.finding


# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------

def test_t_interval_is_scipys_student_interval():
    x = np.array([0.3, 0.5, 0.45, 0.61, 0.38])
    mean, lo, hi = t_interval(x, 0.95)
    ref = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    np.testing.assert_allclose([lo, hi], ref, rtol=1e-12)
    assert mean == pytest.approx(x.mean())


def test_t_interval_of_one_value_is_unbounded():
    assert t_interval([1.0]) == (1.0, -math.inf, math.inf)


def test_welch_interval_is_scipys_welch_interval():
    a, b = np.array([1.0, 1.2, 0.9, 1.1]), np.array([2.0, 2.6, 1.7, 2.2, 2.4])
    d, lo, hi = welch_interval(a, b, 0.9)
    ref = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.9)
    np.testing.assert_allclose([lo, hi], [ref.low, ref.high], rtol=1e-10)
    assert d == pytest.approx(b.mean() - a.mean())


def test_paired_interval_is_scipys_paired_interval():
    a, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.5, 2.1, 3.9, 4.4])
    _, lo, hi = paired_interval(a, b, 0.95)
    ref = stats.ttest_rel(b, a).confidence_interval(0.95)
    np.testing.assert_allclose([lo, hi], [ref.low, ref.high], rtol=1e-10)


DIFFERENCES = [
    pytest.param([[1.0, 1.1, 0.9], [2.0, 2.1, 1.9], [3.0, 3.1, 2.9]], "2 of 2 above 0, 0 below 0, 0 containing 0",
                 id="clearly-increasing"),
    pytest.param([[3.0, 3.1, 2.9], [2.0, 2.1, 1.9]], "0 of 1 above 0, 1 below 0, 0 containing 0",
                 id="clearly-decreasing"),
    pytest.param([[1.0, 2.0, 0.0], [1.1, 2.2, 0.1]], "0 of 1 above 0, 0 below 0, 1 containing 0", id="overlapping"),
]


@pytest.mark.parametrize("groups, signs", DIFFERENCES)
def test_neighbour_differences_are_bonferroni_intervals_read_by_sign_not_by_mean(groups, signs):
    groups = [np.array(g) for g in groups]
    diffs = neighbour_differences(groups, 0.95)
    m = len(groups) - 1
    assert len(diffs) == m
    for i, got in enumerate(diffs):
        np.testing.assert_allclose(got, welch_interval(groups[i], groups[i + 1], 1 - 0.05 / m), rtol=1e-12)
    assert count_signs(diffs) == signs


def test_paired_neighbour_differences_use_the_paired_interval():
    a, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.5, 2.1, 3.9, 4.4])
    np.testing.assert_allclose(neighbour_differences([a, b], 0.9, paired=True)[0], paired_interval(a, b, 0.9),
                               rtol=1e-12)


def test_convergence_rate_of_a_geometric_sequence_is_minus_its_log_ratio():
    steps = np.arange(0, 101, 5)
    rho = np.array([0.9, 0.5])
    distance = rho[:, None] ** steps[None, :]
    distance[1, distance[1] < 1e-10] = 1e-20  # the floor: points below 1e-10 are ignored
    n = steps.size
    tr = Trajectory("gd", steps, distance, np.zeros((2, n)), np.zeros((2, n)), np.zeros((2, n)),
                    np.zeros((2, 100)), np.zeros((2, 2)), np.zeros((2, 2)), np.array([1.0, 0.0]), None, {})
    # Exact straight lines in log space: least squares recovers the slope to rounding.
    np.testing.assert_allclose(convergence_rates(tr, floor=1e-10), -np.log(rho), rtol=1e-10)


# ---------------------------------------------------------------------------
# Input checking
# ---------------------------------------------------------------------------

BAD = [
    pytest.param(lambda: fig3a(profile="fast"), "profile", id="unknown-profile"),
    pytest.param(lambda: fig3a(learning_rate=0.1), "learning_rate", id="unknown-setting"),
    pytest.param(lambda: fig3a(iterations=0), "iterations", id="zero-iterations"),
    pytest.param(lambda: fig3a(seeds=2.5), "seeds", id="fractional-seeds"),
    pytest.param(lambda: fig3a(seed=None), "seed", id="no-seed"),
    pytest.param(lambda: fig3a(seed=-4), "seed", id="negative-seed"),
    pytest.param(lambda: run_experiment("fig9"), "experiment", id="unknown-experiment"),
    pytest.param(lambda: fig3a(sigmas=()), "sigmas", id="no-sigmas"),
    pytest.param(lambda: fig3a(sigmas=(0.5, -1.0)), "sigmas", id="negative-sigma"),
    pytest.param(lambda: fig3b(sigma_patch_squared="wide"), "sigma_patch_squared", id="text-sigma-patch"),
    pytest.param(lambda: fig3a(init=(0.5, 0.5, 0.5)), "init", id="init-longer-than-p"),
    pytest.param(lambda: fig3a(eta=0.0), "eta", id="zero-step"),
    pytest.param(lambda: fig3a(level=1.5), "level", id="level-above-one"),
    pytest.param(lambda: fig3c(alphas=(0.0, 0.5)), "alphas", id="zero-alpha"),
]


@pytest.mark.parametrize("call, argument", BAD)
def test_bad_experiment_arguments_raise_invalid_argument(call, argument):
    with pytest.raises(InvalidArgument) as err:
        call()
    assert err.value.argument == argument

"""Population GD and minibatch SGD (verify.dynamics.descent): contraction, exactness, vectorization, seeds."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from verify.laws.builtin import AngularMixture, Empirical, Gaussian, ImagePatches, PatchCloseness, Sphere
from verify.dynamics.descent import Trajectory, empirical_losses, gradient_descent, model_output
from verify.dynamics.sgd import batch_gradients, sgd
from verify.dynamics.step_rules import AdaptiveStep, ConstantStep, TwoStageStep, theorem22_step
from verify.estimators.closed_forms import gaussian_loss, gaussian_population_gradient
from verify.estimators.moments import population_gradient
from verify.validation import InvalidArgument

# Exact N(0, I_p) quantities of Definition 2.1 and Assumption 2.1 (docs/claims.md §6): the extreme
# eigenvalues of A_{w,w*} at angle φ are (π − φ ∓ sin φ)/(2π), and the tight β is
# sup_φ (φ + sin φ)/(2πφ) = 1/π (the limit φ → 0).


def gaussian_gamma(phi):
    return (math.pi - phi - np.sin(phi)) / (2 * math.pi)


def gaussian_L(phi):
    return (math.pi - phi + np.sin(phi)) / (2 * math.pi)


GAUSSIAN_BETA = 1 / math.pi


def starts_inside_the_ball(p: int, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """w* and `count` starts with ‖w0 − w*‖ uniform in (0.1, 0.95)·‖w*‖."""
    rng = np.random.default_rng(seed)
    w_star = rng.standard_normal(p)
    u = rng.standard_normal((count, p))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    radius = rng.uniform(0.1, 0.95, size=count) * np.linalg.norm(w_star)
    return w_star, w_star + radius[:, None] * u


# ---------------------------------------------------------------------------
# Contraction (docs/claims.md claims 7, 8)
# ---------------------------------------------------------------------------

def test_gd_on_gaussian_input_contracts_at_every_step_from_inside_the_ball():
    w_star, W0 = starts_inside_the_ball(p=5, count=16, seed=1)
    tr = gradient_descent(Gaussian(5), w_star, W0, steps=60, step=1.0)
    assert tr.parameters["population"]["mode"] == "exact"
    d = tr.distance
    # Strict decrease at every step, for every run, until rounding takes over (population GD has no
    # noise; with η = 1 the Jacobian at w* is I − ½I − O(θ), contraction factor ≈ ½).  Below
    # ~10 ulps of ‖w*‖ the iterate is w* to machine precision and may stall, so the check stops
    # at 1e-13‖w*‖ (≈ 500 ulps).
    above = d[:, :-1] > 1e-13 * np.linalg.norm(w_star)
    assert np.all((d[:, 1:] < d[:, :-1])[above])
    assert np.all(d[:, -1] < 1e-13 * np.linalg.norm(w_star))


def test_gd_with_the_theorem_22_step_obeys_the_reconstructed_contraction_bound():
    w_star, W0 = starts_inside_the_ball(p=4, count=12, seed=2)
    rule = theorem22_step(gaussian_gamma, gaussian_L, GAUSSIAN_BETA)
    tr = gradient_descent(Gaussian(4), w_star, W0, steps=40, step=rule)
    d2 = tr.distance**2
    phi = np.arcsin(np.minimum(tr.distance / np.linalg.norm(w_star), 1.0))[:, :-1]
    eta = tr.step_sizes
    np.testing.assert_allclose(eta, gaussian_gamma(phi) / (2 * (gaussian_L(phi) + 4 * GAUSSIAN_BETA) ** 2),
                               rtol=1e-12)
    bound = (1 - eta * gaussian_gamma(phi) / 2) * d2[:, :-1]
    # Claim 7: ‖w_{t+1} − w*‖² ≤ (1 − ηγ(φ_t)/2)‖w_t − w*‖².  Both sides are computed from the same
    # exact closed forms; the only slack needed is rounding, ~10 ulps of ‖w_t − w*‖².
    assert np.all(d2[:, 1:] <= bound * (1 + 1e-12))


def test_two_stage_step_uses_eta1_before_the_switch_and_eta2_after():
    w_star, W0 = starts_inside_the_ball(p=3, count=2, seed=3)
    tr = gradient_descent(Gaussian(3), w_star, W0, steps=10, step=TwoStageStep(0.5, 1.5, t_switch=4))
    assert np.all(tr.step_sizes[:, :4] == 0.5) and np.all(tr.step_sizes[:, 4:] == 1.5)


def test_adaptive_step_sees_phi_t_of_each_run():
    seen = []

    def rule(phi):
        seen.append(np.array(phi))
        return np.full_like(phi, 0.3)

    w_star = np.array([2.0, 0.0, 0.0])
    W0 = np.array([[2.0, 1.0, 0.0], [2.0, 0.0, 0.5]])
    gradient_descent(Gaussian(3), w_star, W0, steps=1, step=AdaptiveStep(rule))
    # φ_0 = arcsin(‖w0 − w*‖/‖w*‖) = arcsin(1/2) and arcsin(1/4), exactly as in claim 7.
    np.testing.assert_allclose(seen[0], [math.asin(0.5), math.asin(0.25)], rtol=1e-15)


def test_sgd_on_gaussian_input_converges_linearly_because_its_noise_vanishes_at_w_star():
    w_star, W0 = starts_inside_the_ball(p=4, count=3, seed=4)
    tr = sgd(Gaussian(4), w_star, W0, steps=400, step=0.5, batch=16, seeds=[1, 2, 3])
    # Realizable labels: every per-sample gradient is 0 at w*, so the error keeps shrinking
    # geometrically; 400 steps at rate ≳ 0.1 per step take it far below 1e-8.
    assert np.all(tr.relative_distance[:, -1] < 1e-8)


# ---------------------------------------------------------------------------
# Exactness against the closed forms and the moments module (metamorphic)
# ---------------------------------------------------------------------------

def test_one_exact_gd_step_is_the_scalar_tian_gradient_step():
    rng = np.random.default_rng(5)
    w_star = rng.standard_normal(6)
    W0 = rng.standard_normal((5, 6))
    tr = gradient_descent(Gaussian(6), w_star, W0, steps=1, step=0.7)
    expected = np.array([w - 0.7 * gaussian_population_gradient(w, w_star) for w in W0])
    # Same formula, vectorized vs one vector; the angle is computed as atan2 (vectorized) vs arccos
    # (scalar), which differ by up to ~1e-8 rad only at tiny angles — here θ is O(1), where the two
    # agree to ~1e-15, so 1e-12 relative is ample.
    np.testing.assert_allclose(tr.final_weights, expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(tr.loss[:, 0], [gaussian_loss(w, w_star) for w in W0], rtol=1e-12)


def test_sphere_gradient_is_the_gaussian_one_scaled_by_one_over_p():
    rng = np.random.default_rng(6)
    w_star, W0 = rng.standard_normal(4), rng.standard_normal((3, 4))
    gauss = gradient_descent(Gaussian(4), w_star, W0, steps=1, step=1.0)
    sphere = gradient_descent(Sphere(4), w_star, W0, steps=1, step=4.0)
    # E‖Z‖²/p = 1/p for the unit sphere, so η·g_sphere with η = 4 equals 1·g_gauss in p = 4.
    np.testing.assert_allclose(sphere.final_weights, gauss.final_weights, rtol=1e-13)
    np.testing.assert_allclose(sphere.loss, gauss.loss / 4, rtol=1e-13)


def test_exact_relative_loss_keeps_its_digits_near_w_star():
    w_star = np.array([1.0, 0.0, 0.0])
    w = w_star + np.array([0.0, 1e-9, 0.0])
    tr = gradient_descent(Gaussian(3), w_star, w, steps=0)
    # ℓ = ½[½‖w − w*‖² − (‖w‖‖w*‖/π)(sin θ − θ cos θ)] = ¼·1e-18 up to O(1e-27); the naive
    # kernel form would return 0 (−inf relative loss) here.
    np.testing.assert_allclose(tr.loss[0, 0], 0.25e-18, rtol=1e-8)
    mean_label = 1 / math.sqrt(2 * math.pi)
    np.testing.assert_allclose(tr.relative_loss[0, 0], math.log(0.5e-18 / mean_label**2), rtol=1e-8)


def test_full_batch_gd_on_a_finite_law_follows_the_exact_population_gradient_of_moments():
    rng = np.random.default_rng(7)
    data = rng.standard_normal((300, 3, 4))
    dist = Empirical(data)
    w_star, w0 = rng.standard_normal(4), rng.standard_normal(4)
    tr = gradient_descent(dist, w_star, w0, steps=1, step=1.0)
    g = population_gradient(dist, w0, w_star, method="exact")
    # Both are exact sums over the same 300 atoms in a different order: agreement to a few ulps
    # of the largest term, bounded by the rounding error the moments module reports.
    np.testing.assert_allclose(w0 - tr.final_weights[0], g.value, rtol=0, atol=max(1e-13, g.error.max()))


def test_gd_on_a_fixed_sample_is_gd_on_the_empirical_law_of_that_sample():
    dist = PatchCloseness(3, k=3, sigma_patch=0.4)
    w_star, W0 = starts_inside_the_ball(p=3, count=2, seed=8)
    sampled = gradient_descent(dist, w_star, W0, steps=20, step=0.8, population="sample", n_population=500,
                               seed=11)
    empirical = Empirical(dist.sample(500, np.random.default_rng(11)))
    exact = gradient_descent(empirical, w_star, W0, steps=20, step=0.8)
    # Identical arithmetic on identical atoms.
    np.testing.assert_array_equal(sampled.final_weights, exact.final_weights)


def test_relative_loss_is_log_squared_error_over_squared_mean_label():
    rng = np.random.default_rng(9)
    data = np.abs(rng.standard_normal((50, 2, 3)))
    w_star, w = rng.standard_normal(3), rng.standard_normal(3)
    tr = gradient_descent(Empirical(data), w_star, w, steps=0)
    f = np.maximum(data @ w, 0).mean(axis=1)
    y = np.maximum(data @ w_star, 0).mean(axis=1)
    np.testing.assert_allclose(tr.loss[0, 0], 0.5 * np.mean((f - y) ** 2), rtol=1e-13)
    np.testing.assert_allclose(tr.relative_loss[0, 0], np.log(np.mean((f - y) ** 2) / np.mean(y) ** 2), rtol=1e-13)


def test_empirical_losses_are_the_losses_full_batch_gd_records():
    rng = np.random.default_rng(17)
    data = np.abs(rng.standard_normal((40, 3, 4)))
    w_star, W = rng.standard_normal(4), rng.standard_normal((3, 4))
    tr = gradient_descent(Empirical(data), w_star, W, steps=0)
    loss, rel = empirical_losses(W, data, w_star)
    np.testing.assert_allclose(loss, tr.loss[:, 0], rtol=1e-13)
    np.testing.assert_allclose(rel, tr.relative_loss[:, 0], rtol=1e-13)


def test_batch_gradients_are_the_mean_per_sample_gradients_of_claims_section_1():
    rng = np.random.default_rng(10)
    Z = rng.standard_normal((2, 5, 3, 4))
    W, w_star = rng.standard_normal((2, 4)), rng.standard_normal(4)
    y = np.maximum(Z @ w_star, 0).mean(axis=-1)
    grad, loss = batch_gradients(W[:, None], Z, y[:, None])  # two groups of one run each
    grad, loss = grad[:, 0], loss[:, 0]
    for r in range(2):
        per = [(np.maximum(z @ W[r], 0).mean() - yb) * (z * (z @ W[r] >= 0)[:, None]).mean(axis=0)
               for z, yb in zip(Z[r], y[r])]
        np.testing.assert_allclose(grad[r], np.mean(per, axis=0), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(model_output(W, Z[0]), np.maximum(Z[0] @ W.T, 0).mean(axis=1).T, rtol=1e-14)


# ---------------------------------------------------------------------------
# Vectorization and seeds
# ---------------------------------------------------------------------------

VECTOR_CASES = [
    pytest.param(lambda: PatchCloseness(3, k=3, sigma_patch=0.3), "sample", id="parametric-law"),
    pytest.param(lambda: Empirical(np.random.default_rng(0).random((80, 4, 4))), "auto", id="finite-law"),
]


@pytest.mark.parametrize("make, evaluation", VECTOR_CASES)
def test_sgd_runs_advanced_together_equal_the_same_runs_done_one_at_a_time(make, evaluation):
    dist = make()
    rng = np.random.default_rng(12)
    w_star = rng.standard_normal(dist.p)
    W0 = w_star + 0.3 * rng.standard_normal((4, dist.p))
    seeds = [3, 9, 11, 2]
    together = sgd(dist, w_star, W0, 40, 0.2, batch=8, seeds=seeds, evaluation=evaluation, n_eval=400)
    for r, s in enumerate(seeds):
        alone = sgd(dist, w_star, W0[r], 40, 0.2, batch=8, seeds=[s], evaluation=evaluation, n_eval=400)
        # Each run owns its generator and its slice of every array; the per-run arithmetic of the
        # batched einsums is the same as for R = 1, so the weights agree bit for bit.
        np.testing.assert_array_equal(alone.final_weights[0], together.final_weights[r])
        # The recorded loss comes from one matrix product over all runs, whose BLAS blocking may
        # differ with R: agreement to a few ulps of the loss.
        np.testing.assert_allclose(alone.loss[0], together.loss[r], rtol=1e-12, atol=1e-300)


def test_gd_runs_advanced_together_equal_the_same_runs_done_one_at_a_time():
    dist = AngularMixture(3, sigma=0.7)
    w_star, W0 = starts_inside_the_ball(p=3, count=3, seed=13)
    together = gradient_descent(dist, w_star, W0, 30, 0.9, population="sample", n_population=2000, seed=5)
    for r in range(3):
        alone = gradient_descent(dist, w_star, W0[r], 30, 0.9, population="sample", n_population=2000, seed=5)
        # The shared-population matrix product over R columns can round differently from R = 1
        # (one ulp per step); GD contracts errors, so 30 steps stay within ~30 ulps of ‖w*‖.
        np.testing.assert_allclose(alone.final_weights[0], together.final_weights[r], rtol=0,
                                   atol=30 * np.finfo(float).eps * np.linalg.norm(w_star))


def test_sgd_is_deterministic_under_its_seeds_and_changes_with_them():
    dist = AngularMixture(2, sigma=0.5)
    w_star, W0 = np.array([1.0, 0.0]), np.array([0.6, 0.6])
    a = sgd(dist, w_star, W0, 30, 1.0, batch=4, seeds=[7, 8])
    b = sgd(dist, w_star, W0, 30, 1.0, batch=4, seeds=[7, 8])
    c = sgd(dist, w_star, W0, 30, 1.0, batch=4, seeds=[7, 9])
    np.testing.assert_array_equal(a.distance, b.distance)
    np.testing.assert_array_equal(a.distance[0], c.distance[0])
    assert not np.array_equal(a.distance[1], c.distance[1])


def test_a_longer_sgd_run_starts_with_the_shorter_one():
    dist = AngularMixture(3, sigma=1.0)
    w_star, W0 = starts_inside_the_ball(p=3, count=2, seed=14)
    short = sgd(dist, w_star, W0, 25, 0.5, batch=4, seeds=[1, 2])
    long = sgd(dist, w_star, W0, 60, 0.5, batch=4, seeds=[1, 2])
    np.testing.assert_array_equal(short.distance, long.distance[:, :26])


def test_an_int_seed_means_consecutive_seeds_one_per_run():
    dist = Gaussian(2)
    w_star, W0 = np.array([1.0, 0.0]), np.array([[0.5, 0.5], [0.7, -0.2]])
    tr = sgd(dist, w_star, W0, 3, 0.5, batch=2, seeds=5)
    assert tr.seeds == (5, 6)


def test_record_every_keeps_the_first_and_the_last_step():
    tr = gradient_descent(Gaussian(3), [1.0, 0, 0], [0.5, 0.5, 0], steps=25, step=0.5, record_every=10)
    assert tr.steps.tolist() == [0, 10, 20, 25]
    assert tr.distance.shape == (1, 4) and tr.step_sizes.shape == (1, 25)


def test_image_patches_sgd_runs_and_records_over_all_atoms():
    images = np.random.default_rng(15).random((20, 6, 6))
    dist = ImagePatches(images, filter_size=3, stride=3)
    w_star = np.random.default_rng(16).standard_normal(9)
    tr = sgd(dist, w_star, w_star + 0.2, 20, 0.1, batch=4, seeds=[0])
    assert tr.parameters["evaluation"]["mode"] == "support" and tr.parameters["evaluation"]["size"] == 20


# ---------------------------------------------------------------------------
# Serialization and input checking
# ---------------------------------------------------------------------------

def test_trajectory_to_dict_is_strict_json_with_minus_infinity_as_a_string():
    w_star = np.array([1.0, 0.0])
    tr = gradient_descent(Gaussian(2), w_star, w_star, steps=2, step=0.5)
    assert np.isneginf(tr.relative_loss[0, 0])  # w_0 = w*: the loss is exactly 0
    data = json.loads(json.dumps(tr.to_dict(), allow_nan=False))
    assert data["relative_loss"][0][0] == "-inf" and data["iterations"] == 2
    assert isinstance(tr, Trajectory) and "gd" in repr(tr)


def test_trajectory_arrays_are_read_only():
    tr = gradient_descent(Gaussian(2), [1.0, 0.0], [0.5, 0.5], steps=2, step=0.5)
    with pytest.raises(ValueError):
        tr.distance[0, 0] = 1.0


BAD_CALLS = [
    pytest.param(lambda: gradient_descent(Gaussian(3), [1.0, 0, 0], [1.0, 0], 5), "w0", id="w0-wrong-length"),
    pytest.param(lambda: gradient_descent(Gaussian(3), [0.0, 0, 0], [1.0, 0, 0], 5), "w_star", id="zero-teacher"),
    pytest.param(lambda: gradient_descent(Gaussian(3), [1.0, 0, 0], [1.0, 0, 0], -1), "steps", id="negative-steps"),
    pytest.param(lambda: gradient_descent(Gaussian(3), [1.0, 0, 0], [1.0, 0, 0], 5, step=-0.1), "eta",
                 id="negative-step"),
    pytest.param(lambda: gradient_descent(Gaussian(3), [1.0, 0, 0], [1.0, 0, 0], 5, population="magic"),
                 "population", id="unknown-population"),
    pytest.param(lambda: gradient_descent(AngularMixture(3), [1.0, 0, 0], [1.0, 0, 0], 5, population="exact"),
                 "population", id="exact-for-a-mixture"),
    pytest.param(lambda: gradient_descent(Gaussian(3), [1.0, 0, 0], [1.0, 0, 0], 5, population="support"),
                 "population", id="support-for-a-gaussian"),
    pytest.param(lambda: gradient_descent(Gaussian(3), [1.0, 0, 0], [1.0, 0, 0], 5, record_every=0),
                 "record_every", id="record-every-zero"),
    pytest.param(lambda: gradient_descent(Gaussian(3), [1.0, 0, 0], [[np.nan, 0, 0]], 5), "w0", id="nan-start"),
    pytest.param(lambda: sgd(Gaussian(2), [1.0, 0], np.ones((3, 2)), 5, seeds=[1, 2]), "w0",
                 id="rows-differ-from-seeds"),
    pytest.param(lambda: sgd(Gaussian(2), [1.0, 0], [1.0, 1.0], 5, batch=0), "batch", id="zero-batch"),
    pytest.param(lambda: sgd(Gaussian(2), [1.0, 0], [1.0, 1.0], 5, seeds=[-1]), "seed", id="negative-seed"),
    pytest.param(lambda: sgd(Gaussian(2), [1.0, 0], [1.0, 1.0], 5, seeds=[]), "seeds", id="no-seeds"),
    pytest.param(lambda: sgd(Gaussian(2), [1.0, 0], [1.0, 1.0], 5, evaluation="support"), "evaluation",
                 id="support-evaluation-for-a-gaussian"),
    pytest.param(lambda: gradient_descent(Gaussian(2), [1.0, 0], [0.5, 0.5], 5, step=lambda phi: -phi), "step",
                 id="adaptive-rule-negative"),
    pytest.param(lambda: TwoStageStep(0.1, 0.2, t_switch=-3), "t_switch", id="negative-switch"),
    pytest.param(lambda: theorem22_step(gaussian_gamma, gaussian_L, beta=0.0), "beta", id="zero-beta"),
    pytest.param(lambda: gradient_descent(object(), [1.0, 0], [0.5, 0.5], 5), "dist", id="not-a-distribution"),
]


@pytest.mark.parametrize("call, argument", BAD_CALLS)
def test_bad_arguments_raise_invalid_argument_naming_the_argument(call, argument):
    with pytest.raises(InvalidArgument) as err:
        call()
    assert err.value.argument == argument


def test_a_constant_step_describes_itself():
    assert ConstantStep(0.25).describe() == {"rule": "constant", "eta": 0.25}


def test_step_angle_is_the_arcsine_of_the_relative_distance_capped_at_one():
    from verify.dynamics.step_rules import step_angle

    W = np.array([[1.0, 0.5], [1.0, 3.0], [np.nan, 0.0]])
    np.testing.assert_allclose(step_angle(W, np.array([1.0, 0.0])), [math.asin(0.5), math.pi / 2, math.pi / 2])


@pytest.mark.parametrize("make, evaluation", VECTOR_CASES)
def test_sgd_with_a_teacher_per_run_equals_each_teacher_advanced_alone(make, evaluation):
    """Per-run teachers (w_star of shape (R, p)) label run r's draws with w*_r: two teachers × three starts
    sharing each teacher's seed, advanced together, are the six runs advanced teacher by teacher."""
    dist = make()
    rng = np.random.default_rng(21)
    teachers = rng.standard_normal((2, dist.p))
    W0 = np.repeat(teachers, 3, axis=0) + 0.3 * rng.standard_normal((6, dist.p))
    seeds = [5, 5, 5, 9, 9, 9]
    together = sgd(dist, np.repeat(teachers, 3, axis=0), W0, 40, 0.2, batch=8, seeds=seeds,
                   evaluation=evaluation, n_eval=400)
    for j, w_star in enumerate(teachers):
        rows = slice(3 * j, 3 * j + 3)
        alone = sgd(dist, w_star, W0[rows], 40, 0.2, batch=8, seeds=seeds[rows], evaluation=evaluation, n_eval=400)
        # The labels of one teacher come from a matrix-vector product, those of several from a matrix
        # product, which may round differently (≤ 1 ulp per label); 40 steps of η = 0.2 on O(1) data keep
        # the difference within a few hundred ulps of the weights.
        np.testing.assert_allclose(together.final_weights[rows], alone.final_weights, rtol=0,
                                   atol=500 * np.finfo(float).eps * np.abs(alone.final_weights).max())
        np.testing.assert_allclose(together.relative_loss[rows], alone.relative_loss, rtol=1e-9)
    assert together.w_star.shape == (6, dist.p)
    np.testing.assert_allclose(together.relative_distance[:, 0],
                               np.linalg.norm(W0 - np.repeat(teachers, 3, axis=0), axis=1)
                               / np.linalg.norm(np.repeat(teachers, 3, axis=0), axis=1), rtol=1e-14)


def test_a_teacher_per_run_must_match_the_runs():
    dist = Gaussian(3)
    with pytest.raises(InvalidArgument, match="w_star"):
        sgd(dist, np.ones((2, 3)), np.zeros((3, 3)), 5, seeds=[0, 1, 2])
    with pytest.raises(InvalidArgument, match="w_star"):
        sgd(dist, np.array([[1.0, 0, 0], [0.0, 0, 0]]), np.zeros((2, 3)), 5, seeds=[0, 1])

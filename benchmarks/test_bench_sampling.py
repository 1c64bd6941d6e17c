"""Drawing the angular mixture of Fig. 3a (the report's SGD and figure runs draw millions).

Floor: the uniforms and normals a draw consumes (``rng.random`` for the angle and the component,
``rng.standard_normal((n, p))`` for the direction ⟂ u*) and the composition cos a·u* + sin a·v —
what any sampler of this law does.  The truncated normal's quantile is σ·Φ⁻¹ of a rescaled lower-tail
probability (verify.laws.builtin); scipy.stats.truncnorm's ``rvs`` took ~10× longer on the same
uniforms.  Target: ≤ 2× the floor, up to the rounds' spread (conftest.within_target).
"""
from __future__ import annotations

import numpy as np

from conftest import within_target

from verify.laws.builtin import AngularMixture

N, P, TARGET = 500_000, 25, 2.0
LAW = AngularMixture(P, sigma=0.5)


def floor():
    rng = np.random.default_rng(0)
    a = rng.random(N) + np.pi * (rng.random(N) < 0.5)
    g = rng.standard_normal((N, P))
    return np.cos(a)[:, None] * LAW.axis + np.sin(a)[:, None] * g


def draw():
    return LAW.sample(N, np.random.default_rng(0))


def test_mixture_draws_cost_about_their_random_numbers(benchmark, ratio, record):
    z = benchmark.pedantic(draw, rounds=3, iterations=1, warmup_rounds=1)
    assert z.shape == (N, 1, P)
    over_floor = ratio(draw, floor, rounds=7)
    record(f"AngularMixture({P}).sample({N})", **over_floor.numbers("ratio"), target=TARGET)
    assert within_target(over_floor, TARGET), over_floor

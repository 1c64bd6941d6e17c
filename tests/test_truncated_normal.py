"""The truncated normals of the angular mixture and the patch law: scipy's quantiles and stream, vectorised.

:class:`~verify.laws.builtin.AngularMixture` draws the angle to u* from N(0, σ²) truncated to [−π/2, π/2]
and :class:`~verify.laws.builtin.PatchCloseness` each patch's angle from N(0, σ_patch²) truncated to [−π, π]
(docs/claims.md §5).  Both use a closed-form quantile (σ·Φ⁻¹ of a rescaled lower-tail probability) on the
uniforms that ``scipy.stats.truncnorm.rvs`` would consume, so a seed draws the same angles as the scipy
sampler did.  Tolerance: both sides compute the same quantile x = σ·Φ⁻¹(y); y carries a few ulps of
rounding and Φ⁻¹ a few more, and the condition of x in y is σ·y/φ(x/σ) ≤ σ·(1 + |x|/σ)
(Mills' ratio), so |Δx| ≤ 32·u·(σ + c) with u = 2⁻⁵³ and c the truncation half-width covers both.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from verify.laws.builtin import AngularMixture, PatchCloseness

U = 2.0**-53


@pytest.mark.parametrize("sigma", [0.02, 0.1, 0.5, 1.0, 3.0])
def test_mixture_angles_are_scipys_truncated_normal_quantiles_of_the_same_uniforms(sigma):
    law = AngularMixture(3, sigma=sigma)
    n = 20_000
    z = law.sample(n, np.random.default_rng(7))[:, 0, :]
    rng = np.random.default_rng(7)
    bump = stats.truncnorm(-math.pi / 2 / sigma, math.pi / 2 / sigma, scale=sigma).rvs(size=n, random_state=rng)
    flip = rng.random(n) < 0.5
    # the polar angle θ(Z, u*) ∈ [0, π] is |a| folded by the component: |bump| or π − |bump|
    theta = np.arccos(np.clip(z @ law.axis, -1.0, 1.0))
    want = np.where(flip, math.pi - np.abs(bump), np.abs(bump))
    # arccos near 0 and π is ill-conditioned: compare cos θ instead (|Δcos| ≤ |Δa| + 4u)
    tol = 32 * U * (sigma + math.pi / 2) + 4 * U
    assert np.all(np.abs(np.cos(theta) - np.cos(want)) <= tol + 2 * U)
    assert np.all(np.abs(bump) <= math.pi / 2)


@pytest.mark.parametrize("sigma_patch", [0.05, 0.1, 1.0])
def test_patch_angles_follow_the_truncated_normal_quantile_on_a_grid(sigma_patch):
    law = PatchCloseness(3, k=2, sigma_patch=sigma_patch)
    q = np.concatenate([np.linspace(0.0, 1.0, 1001), [1e-300, 1e-17, 1 - 1e-16]])
    got = law._spread.ppf(q)
    want = stats.truncnorm(-math.pi / sigma_patch, math.pi / sigma_patch, scale=sigma_patch).ppf(q)
    assert np.all(np.abs(got - want) <= 32 * U * (sigma_patch + math.pi))
    assert np.all(np.abs(got) <= math.pi)

"""Slack of Theorem 2.2's proof chain for N(0, I_p) and Theorem 3.1's on finite patch laws (verify/checker/slack.py;
docs/claims.md §4 claims 6, 7, §6)."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from verify.checker.context import ConstantsCache
from verify.claims import get_claim
from verify.estimators.closed_forms import radial_constants, radial_gradient
from verify.laws.builtin import Empirical
from verify.geometry import angle
from verify.checker.slack import (BETA, identical_patch_law, largest_contracting_eta, proof_chain_slack,
    step_size_bound, theorem31_chain_slack)


@pytest.fixture(scope="module")
def full():
    return proof_chain_slack(99, 91, arrays=True)


def test_tangent_lower_bound_limit():
    """ψ = π/2: ratio (a) = (π − r/(1+r²))/(π − atan r − r/√(1+r²)) = 1 + r/π + O(r²) (module doc)."""
    _, ratios, (R, P) = proof_chain_slack(50, 3, r_max=1.0, arrays=True)
    assert np.allclose(P[:, 1], math.pi / 2)
    r = R[:, 1]
    exact = (math.pi - r / (1 + r**2)) / (math.pi - np.arctan(r) - r / np.sqrt(1 + r**2))
    assert np.allclose(ratios["lower-bound"][:, 1], exact, rtol=1e-12)
    _, small, (Rs, _) = proof_chain_slack(5, 3, r_max=1e-4, arrays=True)
    slope = (small["lower-bound"][:, 1] - 1) / Rs[:, 1]
    assert np.allclose(slope, 1 / math.pi, rtol=1e-3)


def test_lower_bound_holds_and_is_tight_on_the_line(full):
    s, ratios, _ = full
    assert np.all(ratios["lower-bound"] >= 1 - 1e-12)
    assert np.allclose(ratios["lower-bound"][:, [0, -1]], 1.0, atol=1e-12)   # θ = 0: A = ½I
    assert s.steps["lower-bound"]["worst"].psi in (0.0, math.pi)


def test_upper_bound_holds_with_max_pi_over_pi_plus_8(full):
    s, ratios, _ = full
    assert np.all(ratios["upper-bound"] <= 1)
    assert s.steps["upper-bound"]["max"] == pytest.approx(math.pi / (math.pi + 8), rel=1e-12)
    assert s.steps["upper-bound"]["max"] == pytest.approx(0.282, abs=5e-4)   # docs/certify.md
    assert np.allclose(ratios["upper-bound"][:, 0], math.pi / (math.pi + 8), rtol=1e-12)


def test_contraction_holds_with_limit(full):
    _, ratios, _ = full
    assert np.all(ratios["contraction"] >= 1) and np.all(ratios["contraction-factor"] <= 1)
    # r → 0: E∇ℓ ≈ d/2, so realized/claimed decrease → (η − η²/4)/(η/4) = 4 − η_max(0)
    eta0 = float(step_size_bound(np.array([0.0]))[0])
    _, small, _ = proof_chain_slack(3, 7, r_max=1e-6, arrays=True)
    assert np.allclose(small["contraction"], 4 - eta0, rtol=1e-5)


def test_largest_contracting_eta_dominates_and_matches_closed_form(full):
    s, ratios, _ = full
    assert np.all(np.isfinite(ratios["step-size"])) and np.all(ratios["step-size"] >= 1)
    # r → 0 on the line: η_big = 4 − 2γ_t → 3, η_max → ½/(2(½ + 4/π)²): ratio → 12(½ + 4/π)²
    _, small, _ = proof_chain_slack(3, 3, r_max=1e-7, arrays=True)
    assert small["step-size"][0, 0] == pytest.approx(12 * (0.5 + 4 / math.pi) ** 2, rel=1e-5)
    assert s.loses_most == "step-size"
    rng = np.random.default_rng(0)
    for _ in range(20):
        r, psi = rng.uniform(0.01, 0.99), rng.uniform(0, math.pi)
        d = r * np.array([math.cos(psi), math.sin(psi)])
        g = radial_gradient(np.array([1.0, 0.0]) + d, [1.0, 0.0])
        gamma_t = radial_constants(math.asin(r))["gamma"]
        closed = (2 * g @ d - gamma_t * r**2 / 2) / (g @ g)
        eta0 = step_size_bound(np.array([math.asin(r)]))
        bis = largest_contracting_eta(d[None], g[None], np.array([gamma_t]), eta0)[0]
        assert bis == pytest.approx(closed, rel=1e-10)


def test_step_size_bound_is_decreasing_and_matches_closed_form():
    phi = np.linspace(0, 1.4, 15)
    eta = step_size_bound(phi)
    c = radial_constants(phi)
    assert np.allclose(eta, c["gamma"] / (2 * (c["L"] + 4 * BETA) ** 2), rtol=1e-14)
    assert np.all(np.diff(eta) < 0)


def test_p_independence_of_the_bound_ratios():
    """The plane parametrization loses nothing: rotate w, w* into R^5 and recompute (a), (b) there."""
    _, ratios, (R, P) = proof_chain_slack(4, 5, arrays=True)
    rng = np.random.default_rng(1)
    Q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    ws = 2.5 * Q[:, 0]
    i, j = 2, 3
    d = 2.5 * R[i, j] * (math.cos(P[i, j]) * Q[:, 0] + math.sin(P[i, j]) * Q[:, 1])
    w = ws + d
    g = radial_gradient(w, ws)
    c = radial_constants(float(angle(w, ws)))
    r = np.linalg.norm(d)
    assert g @ d / (c["gamma"] * r**2) == pytest.approx(ratios["lower-bound"][i, j], rel=1e-10)
    assert np.linalg.norm(g) / ((c["L"] + 4 * BETA) * r) == pytest.approx(ratios["upper-bound"][i, j], rel=1e-10)


def test_to_dict_is_strict_json(full):
    s, _, _ = full
    d = json.loads(json.dumps(s.to_dict(), allow_nan=False))
    assert set(d["steps"]) == {"lower-bound", "upper-bound", "contraction", "contraction-factor", "step-size"}
    assert d["steps"]["upper-bound"]["worst"]["ratio"] <= 1


# --- Theorem 3.1 (k patches, exact sums over a finite law in p = 2) ---------------------------------------------


def test_theorem31_chain_on_k_identical_copies_equals_the_chain_on_one_copy():
    """k identical patches: the loss is k² times the one-patch loss and every constant of Theorem 3.1 scales by
    the same factor with L_cross = 0, so every ratio of the chain is the one-neuron ratio (to rounding)."""
    three = theorem31_chain_slack(identical_patch_law(n=40, k=3), n_r=4, n_psi=7)
    one = theorem31_chain_slack(identical_patch_law(n=40, k=1), n_r=4, n_psi=7)
    assert three.grid["L_cross"] == 0.0 and three.grid["outside_hypotheses"] == 0
    for step in three.steps:
        assert three.steps[step]["worst"].ratio == pytest.approx(one.steps[step]["worst"].ratio, rel=1e-10), step
    assert three.loses_most == one.loses_most


def test_theorem31_chain_lower_ratio_is_the_claim_checks_own_ratio():
    """The lower-bound ratio at the chain's worst point equals ⟨E∇ℓ, w − w*⟩/((γ(θ) − 6L_cross)‖w − w*‖²) read
    from thm31-gradient-bounds' check at that point (two routes to one number; exact sums: rounding only)."""
    law = identical_patch_law(n=40, k=2)
    chain = theorem31_chain_slack(law, n_r=4, n_psi=7)
    worst = chain.steps["lower-bound"]["worst"]
    w = np.array([1.0, 0.0]) + worst.r * np.array([math.cos(worst.psi), math.sin(worst.psi)])
    details = get_claim("thm31-gradient-bounds").check({"dist": law, "w_star": [1.0, 0.0], "w": w},
                                                       cache=ConstantsCache()).details
    ratio = details["inner"] / ((details["gamma"] - 6 * details["L_cross"]) * worst.r**2)
    assert worst.ratio == pytest.approx(ratio, rel=1e-12)
    assert chain.steps["lower-bound"]["slack"] >= 1 and chain.steps["upper-bound"]["max"] <= 1


def test_theorem31_chain_outside_the_hypotheses_measures_nothing():
    """Distinct unit patches 0.02 rad apart: 6L_cross > γ(0), so every grid point is outside Theorem 3.1."""
    psi = np.random.default_rng(1).uniform(-math.pi, math.pi, 60)[:, None] + np.array([-0.02, 0.02])
    law = Empirical(np.stack([np.cos(psi), np.sin(psi)], axis=-1))
    chain = theorem31_chain_slack(law, n_r=3, n_psi=4)
    assert chain.grid["outside_hypotheses"] == 12 and chain.loses_most is None
    assert all(step["worst"] is None for step in chain.steps.values())
    json.loads(json.dumps(chain.to_dict(), allow_nan=False))

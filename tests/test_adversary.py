"""The adversary reaches the hypotheses a false variant drops (issue 17, item 6).

Specification:

(a) Theorem 3.1's lower bound ⟨E∇ℓ(w), w − w*⟩ ≥ (γ(θ) − 6L_cross)‖w − w*‖² is false without its
    −6L_cross.  A law of 2 draws of k = 2 patches in p = 2 shows it, with every number computed here
    from the model's definitions (docs/claims.md §1, §3) by hand or by brute force, independently of
    the library: the check refutes the variant on that law and not the claim.  The strategy
    :func:`cross_term_patch_laws` puts a near-opposite pair between w*⊥ and w⊥ (where the pair pulls w
    away from w*) and curvature draws that keep γ(θ) > 0; the claim's search over it draws such
    counterexamples and the search itself (the true claim) holds.
(b) Theorem 2.1 with a step beyond stability: where η·λ_max(A_{w*,w*}) > 2 (beyond its error bar), w* is
    an unstable fixed point of population GD; the check refutes "GD recovers w*" on such a step once the
    proof's small-step premise is dropped, and reports the step as outside the hypotheses otherwise.
    λ_max(A_{w*,w*}) = L(0) is ½·E‖Z‖²/p for a radial law (docs/claims.md §6.1) and a brute-force
    eigenvalue for a finite law.
"""
from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from verify.checker.context import ConstantsCache, InstanceContext
from verify.checker.search import run_search
from verify.checker.strategies import cross_term_patch_laws, filters_near, teacher_filters
from verify.claims import get_claim
from verify.claims.thm21_recovery import stability_at_w_star
from verify.experiments.profiles import get_profile
from verify.geometry import angle
from verify.laws.builtin import Empirical, Gaussian, Sphere

# ---------------------------------------------------------------------------------------------------------------
# (a) Theorem 3.1 without −6L_cross
# ---------------------------------------------------------------------------------------------------------------

#: 2 draws of k = 2 patches in p = 2; w* = e₁, w = (0.8, −0.8) (θ = π/4, ‖w − w*‖² = 0.68).  No patch lies on
#: w*⊥ or w⊥.  Draw 1: (−2, −3) is in S(w, −w*), (2, 1) in S(w, w*): f(w) = 0.8, f(w*) = 1, the active
#: average (0, −1), gradient (0, 0.2).  Draw 2: (1, 0) twice: f(w) = 0.8, f(w*) = 1, gradient (−0.2, 0).
#: E∇ℓ(w) = (−0.1, 0.1) and ⟨E∇ℓ(w), w − w*⟩ = (−0.1)(−0.2) + (0.1)(−0.8) = −0.06 exactly.
CROSS_LAW = np.array([[[-2.0, -3.0], [2.0, 1.0]], [[1.0, 0.0], [1.0, 0.0]]])
W_STAR, W = np.array([1.0, 0.0]), np.array([0.8, -0.8])
INNER = -0.06


def _relu_average(v: np.ndarray, atoms: np.ndarray) -> np.ndarray:
    """f(v, Z) = (1/k) Σ_i σ(v·Z_i) for every draw (docs/claims.md §1); atoms (n, k, p) → (n,)."""
    return np.maximum(atoms @ v, 0.0).mean(axis=1)


def _brute_gradient(atoms: np.ndarray, w_star: np.ndarray, w: np.ndarray) -> np.ndarray:
    """E∇ℓ(w) = E[(f(w, Z) − f(w*, Z)) · (1/k) Σ_i Z_i 1{w·Z_i ≥ 0}] over the atoms (docs/claims.md §1)."""
    active = ((atoms @ w >= 0)[..., None] * atoms).mean(axis=1)
    return ((_relu_average(w, atoms) - _relu_average(w_star, atoms))[:, None] * active).mean(axis=0)


def _brute_gamma(atoms: np.ndarray, w_star: np.ndarray, theta: float) -> float:
    """γ(θ) in p = 2 (Assumption 3.1): λ_min(E[Z_S Z_Sᵀ]) minimized over the two directions at angle θ."""
    u = w_star / np.linalg.norm(w_star)
    v = np.array([-u[1], u[0]])
    values = []
    for direction in (math.cos(theta) * u + math.sin(theta) * v, math.cos(theta) * u - math.sin(theta) * v):
        inside = (atoms @ direction >= 0) & (atoms @ u >= 0)
        z_s = (inside[..., None] * atoms).mean(axis=1)
        values.append(np.linalg.eigvalsh(z_s.T @ z_s / len(atoms))[0])
    return float(min(values))


def test_the_hand_computed_inner_product_and_gamma_of_the_two_draw_law():
    # the brute force agrees with the hand computation in CROSS_LAW's comment (rounding: a few ulps)
    np.testing.assert_allclose(_brute_gradient(CROSS_LAW, W_STAR, W), [-0.1, 0.1], rtol=0, atol=1e-15)
    # γ(π/4): both directions give ½[(1, ½)(1, ½)ᵀ + e₁e₁ᵀ], λ_min = (1.125 − √1.015625)/2
    assert abs(_brute_gamma(CROSS_LAW, W_STAR, math.pi / 4) - (1.125 - math.sqrt(1.015625)) / 2) < 1e-15


def test_the_check_refutes_the_lower_bound_without_its_cross_term_on_the_two_draw_law():
    claim = get_claim("thm31-gradient-bounds")
    instance = {"dist": Empirical(CROSS_LAW), "w_star": W_STAR, "w": W}
    dropped = claim.check(instance, lower_cross_factor=0.0)
    gamma = _brute_gamma(CROSS_LAW, W_STAR, math.pi / 4)
    # the check's own numbers are the brute force's (exact sums: rounding only, 1e-14 covers a few ulps)
    assert abs(dropped.details["inner"] - INNER) < 1e-14
    assert abs(dropped.details["gamma"] - gamma) < 1e-14
    # −0.06 < γ(π/4)·0.68 ≈ 0.0399: violated by far more than rounding, so refuted
    assert INNER < gamma * 0.68 - 0.09
    assert dropped.verdict == "refuted"
    assert dropped.readings["as-printed"] == "refuted"
    # the claim itself is not refuted there: L_cross makes its lower bound vacuous, the upper bound holds
    honest = claim.check(instance)
    assert honest.verdict == "holds", honest.note
    assert honest.details["gamma"] - 6 * honest.details["L_cross"] < 0


def _pairs_at_an_angle(w_star):
    """(w*, w) with θ(w, w*) > 0.01: the wedge between w*⊥ and w⊥ is not empty (the claim's search draws so)."""
    return st.tuples(st.just(w_star), filters_near(w_star, min_ratio=0.05).filter(lambda w: angle(w, w_star) > 0.01))


@settings(max_examples=30, deadline=None, database=None)
@given(teacher_filters(2).flatmap(_pairs_at_an_angle)
       .flatmap(lambda t: st.tuples(st.just(t[0]), st.just(t[1]), cross_term_patch_laws(t[0], t[1]))))
def test_cross_term_laws_put_a_pulling_pair_between_the_hyperplanes_and_keep_gamma_positive(args):
    w_star, w, law = args
    atoms = law.support()
    assert atoms.shape[0] == 3 and atoms.shape[1] in (2, 3) and law.p == 2
    z = atoms[0, 0]
    # the cross draw's first patch: student and teacher disagree on its sign (rounding: |w·z| ≥ 0 only)
    assert (z @ w) * (z @ w_star) <= 0
    # the curvature draws: k identical patches inside S(w', w*) for both w' at angle θ, so γ(θ) > 0 by
    # brute force (the two curvature draws span the plane)
    for row in atoms[1:]:
        np.testing.assert_array_equal(row, np.repeat(row[:1], len(row), axis=0))
    assert _brute_gamma(atoms, w_star, angle(w, w_star)) > 0


def test_the_strong_cross_term_search_holds_for_the_claim_and_refutes_the_variant_at_the_quick_profile():
    claim = get_claim("thm31-gradient-bounds")
    quick = get_profile("quick")
    honest = run_search(claim, claim.search("bounds-hold-with-strong-cross-terms"), profile=quick,
                        cache=ConstantsCache())
    assert honest.met, honest.describe()
    control = claim.control("cross-term-dropped")
    outcome = run_search(claim, control.as_search(claim), profile=quick, cache=ConstantsCache())
    assert outcome.failure is not None and outcome.failure.verdict == "refuted", outcome.describe()


# ---------------------------------------------------------------------------------------------------------------
# (b) Theorem 2.1 with a step beyond stability
# ---------------------------------------------------------------------------------------------------------------

def _ctx(law, w_star=None) -> InstanceContext:
    instance = {"dist": law} if w_star is None else {"dist": law, "w_star": w_star}
    return InstanceContext(instance, ConstantsCache())


def test_stability_at_w_star_compares_eta_times_half_the_radial_scale_with_two():
    # N(0, I_3): L(0) = ½ exactly (docs/claims.md §6.1); the sphere in R⁴: E‖Z‖²/p = 1/4, L(0) = 1/8
    for law, L0 in ((Gaussian(3), 0.5), (Sphere(4), 0.125)):
        ctx = _ctx(law)
        assert stability_at_w_star(ctx, 2.2 / L0, 1e-3).verdict == "refuted"
        assert stability_at_w_star(ctx, 1.8 / L0, 1e-3).verdict == "holds"
        assert stability_at_w_star(ctx, 2.0 / L0, 1e-3).verdict == "holds"     # a tie within rounding holds
        assert abs(stability_at_w_star(ctx, 2.2 / L0, 1e-3).lhs.value - 2.2) < 1e-14


def test_stability_at_w_star_reads_the_top_eigenvalue_of_the_teachers_half_space_moment_on_a_finite_law():
    atoms = np.array([[1.0, 0.5], [-0.3, 2.0], [0.7, -1.2], [-1.5, -0.4]])
    w_star = np.array([0.6, 0.8])
    on_side = atoms[atoms @ w_star >= 0]
    top = float(np.linalg.eigvalsh(on_side.T @ on_side / len(atoms))[-1])   # λ_max(E[ZZᵀ1{w*·Z ≥ 0}])
    ctx = _ctx(Empirical(atoms), w_star)
    assert abs(stability_at_w_star(ctx, 1.0, 1e-3).lhs.value - top) < 1e-14
    assert stability_at_w_star(ctx, 2.1 / top, 1e-3).verdict == "refuted"
    assert stability_at_w_star(ctx, 1.9 / top, 1e-3).verdict == "holds"


def test_a_step_beyond_stability_is_outside_the_hypotheses_and_refutes_once_the_small_step_is_dropped():
    claim = get_claim("thm21-recovery")
    instance = {"distribution": {"name": "gaussian", "p": 3}, "starts": 3, "steps": 500}
    assert claim.check(instance).verdict == "holds"                     # η = 1/λ_max(E ZZᵀ): η·L(0) = ½
    beyond = claim.check(instance, eta_scale=4.4)                        # η·L(0) = 2.2
    assert beyond.in_hypothesis is False and beyond.verdict != "refuted"
    assert all(part["verdict"] == "refuted" for part in beyond.parts), beyond.parts
    assert "unstable fixed point" in beyond.note
    dropped = claim.check(instance, eta_scale=4.4, control_assume_hypotheses=True)
    assert dropped.verdict == "refuted"
    # a step still below stability (η·L(0) = 1.9) is inside the hypotheses and GD reaches w*
    assert claim.check(instance, eta_scale=3.8).verdict == "holds"


def test_no_stability_verdict_where_an_atom_lies_on_the_teachers_hyperplane():
    # E∇ℓ kinks at w* when an atom sits on w*⊥: the linearization behind the instability argument fails
    atoms = np.array([[0.0, 1.0], [1.0, 0.3], [-0.5, -1.0], [2.0, -0.7]])
    result = get_claim("thm21-recovery").check({"dist": Empirical(atoms), "w_star": [1.0, 0.0], "eta_scale": 4.4,
                                                "starts": 2, "steps": 200})
    assert "stability_at_w_star" not in result.details
    assert not any("unstable fixed point" in part["why"] for part in result.parts)

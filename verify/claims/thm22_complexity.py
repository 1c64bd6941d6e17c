"""thm22-complexity: §2.1, discussion after Theorem 2.2.

with η = γ(φ0)/(2(L(0)+4β)²) GD reaches ‖w_t − w*‖ ≤ ε‖w*‖ within O((L(0)+β)²/γ(φ0)² · log(1/ε))
steps; the adaptive/two-stage step η_t = γ(φ_t)/(2(L(φ_t)+4β)²) is faster

See docs/claims.md §4 (thm22-complexity).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.context import ConstantsCache, InstanceContext
from ..checker.controls import controlled
from ..checker.instance import default_student, public_instance, vector
from ..checker.result import CheckResult, make_result, outside_result
from ..checker.terms import Term
from ..checker.verdicts import Spec, compare_all
from ..estimators.closed_forms import radial_constants
from ..checker.strategies import distributions


@st.composite
def _radial_instances(draw: Any) -> dict:
    return {
        "dist": draw(distributions(families=("gaussian", "sphere"), max_p=20)),
        "ratio": draw(st.floats(0.05, 0.99)),
        "epsilon": draw(st.sampled_from([1e-2, 1e-3, 1e-4])),
        "seed": draw(st.integers(0, 999)),
    }


def _first_below(trajectory: Any, level: float) -> int | None:
    """The first recorded step of the (single-run) trajectory at relative distance ≤ ``level``, or None."""
    from ..experiments.common import first_step_below

    return first_step_below(trajectory.steps, trajectory.distance[:1], level)[0]


def thm22_complexity(instance: dict, *, alpha: float, cache: ConstantsCache) -> CheckResult:
    """Claim 8: iterations of exact population GD to ‖w_t − w*‖ ≤ ``epsilon``‖w*‖ from ``w0`` (default at
    ``ratio``), with the constant step, the adaptive step and a two-stage step."""
    from ..dynamics import descent as dynamics
    from ..dynamics.step_rules import TwoStageStep, step_bound, theorem22_step

    claim = CLAIM
    ctx = InstanceContext(instance, cache)
    ratio0 = float(instance.get("ratio", 0.9))
    w0 = vector(instance, "w0", ctx.p)
    w0 = default_student(ctx, ratio0) if w0 is None else w0
    inst = public_instance(instance, ctx, w0=w0)
    if not (ctx.rotational and ctx.k == 1):
        return outside_result(
            claim.id,
            inst,
            claim.reading_ids,
            alpha,
            "measured on laws with closed-form γ(φ), L(φ) (N(0, I), the sphere), where the adaptive "
            "step can be evaluated at every iterate",
        )
    eps = float(instance.get("epsilon", 1e-3))
    r0 = float(np.linalg.norm(w0 - ctx.w_star))
    if not r0 < ctx.norm_star:
        return outside_result(claim.id, inst, claim.reading_ids, alpha, "needs ‖w0 − w*‖ < ‖w*‖")

    s = ctx.scale
    phi0 = math.asin(r0 / ctx.norm_star)
    c0, cz = radial_constants(phi0, s), radial_constants(0.0, s)
    beta = s / math.pi
    gamma0, L0 = c0["gamma"], cz["L"]
    eta = float(step_bound(gamma0, L0, beta))
    q = 1 - eta * gamma0 / 2
    target = eps * ctx.norm_star
    T_bound = max(0, math.ceil(math.log(target**2 / r0**2) / math.log(q))) if r0 > target else 0
    cap = int(instance.get("max_steps", 400_000))
    horizon = min(T_bound + 1, cap)

    def gam(phi: np.ndarray) -> np.ndarray:
        return radial_constants(phi, s)["gamma"]

    def ell(phi: np.ndarray) -> np.ndarray:
        return radial_constants(phi, s)["L"]

    const = dynamics.gradient_descent(ctx.dist, ctx.w_star, w0, horizon, eta, population="exact")
    T_const = _first_below(const, target)
    adaptive = dynamics.gradient_descent(
        ctx.dist, ctx.w_star, w0, horizon, theorem22_step(gam, ell, beta), population="exact"
    )
    T_adapt = _first_below(adaptive, target)
    half = _first_below(const, r0 / 2)
    T_two = None
    if half is not None:
        phi_s = math.asin(r0 / (2 * ctx.norm_star))
        eta2 = float(step_bound(gam(phi_s), ell(phi_s), beta))
        two = dynamics.gradient_descent(
            ctx.dist, ctx.w_star, w0, horizon, TwoStageStep(eta, eta2, half), population="exact"
        )
        T_two = _first_below(two, target)
    log_term = math.log(1 / eps)
    unit = (L0 + beta) ** 2 / gamma0**2 * log_term
    C = None if T_const is None else T_const / unit
    within, o_constant, adaptive_reading, two_stage_reading = claim.reading_ids
    T_measured = float(T_const if T_const is not None else horizon)
    specs = [Spec(f"T(ε={eps:g}) ≤ ⌈ln(ε²‖w*‖²/r0²)/ln(1 − ηγ(φ0)/2)⌉ = {T_bound}", Term(T_measured, side="exact",
                  method="gd"), Term(float(T_bound)), "<=", within, max(T_bound, 1))]
    if T_const is not None:
        specs.append(Spec("measured O-constant T·γ(φ0)²/((L(0)+β)² ln(1/ε)) ≤ 128 (the proof's)", Term(C),
                          Term(128.0), "<=", o_constant))
    if T_const is not None and T_adapt is not None:
        specs.append(Spec("adaptive η_t = γ(φ_t)/(2(L(φ_t)+4β)²) needs no more steps", Term(float(T_adapt)),
                          Term(float(T_const)), "<=", adaptive_reading))
    if T_const is not None and T_two is not None:
        specs.append(Spec("two-stage step (switch when the distance halves) needs no more steps", Term(float(T_two)),
                          Term(float(T_const)), "<=", two_stage_reading))
    comps = compare_all(controlled(specs, instance), alpha)   # exact counts: α does not matter
    details = {
        "epsilon": eps,
        "phi0": phi0,
        "eta": eta,
        "gamma_phi0": gamma0,
        "L0": L0,
        "beta": beta,
        "T_constant": T_const,
        "T_bound": T_bound,
        "T_adaptive": T_adapt,
        "T_two_stage": T_two,
        "switch_step": half,
        "constant_measured": C,
        "constant_adaptive": None if T_adapt is None else T_adapt / unit,
        "speedup_adaptive": None if not (T_const and T_adapt) else T_const / T_adapt,
        "speedup_two_stage": None if not (T_const and T_two) else T_const / T_two,
    }
    tight = None if T_const is None or T_bound == 0 else T_const / T_bound
    note = "" if T_const is not None else f"did not reach ε within {horizon} steps"
    # the four readings are conjuncts of the statement (the iteration count, its constant, the speed-ups):
    # the claim holds when all do
    return make_result(
        claim.id, inst, comps, claim.reading_ids, alpha=alpha, tightness=tight, details=details, note=note,
        conjunction=claim.reading_ids,
    )


CLAIM = Claim(
    id="thm22-complexity",
    source="§2.1, discussion after Theorem 2.2",
    statement=(
        "with η = γ(φ0)/(2(L(0)+4β)²) GD reaches ‖w_t − w*‖ ≤ ε‖w*‖ within O((L(0)+β)²/γ(φ0)² · log(1/ε)) "
        "steps; the adaptive/two-stage step η_t = γ(φ_t)/(2(L(φ_t)+4β)²) is faster"
    ),
    kind="upper-bound",
    reconstructed=None,
    readings=(
        Reading("within-bound", "iterations within the contraction bound"),
        Reading("o-constant-128", "O-constant ≤ 128 (the proof's)"),
        Reading("adaptive-no-slower", "adaptive step is no slower"),
        Reading("two-stage-no-slower", "two-stage step is no slower"),
    ),
    check_function=thm22_complexity,
    defaults={"distribution": {"name": "gaussian", "p": 3}},
    method="exact population GD (closed forms) with the three step rules",
    tightness="measured iterations / the contraction bound's iterations at the worst instance (1: tight)",
    controls=(
        Control("o-constant-at-most-one", "the iteration count's O-constant is at most 1 (the proof's 128 scaled)",
                {"control_scale": {"measured O-constant": 1 / 128}}, "gd-reaches-epsilon-within-the-bound"),
        Control("a-tenth-of-the-iterations", "GD reaches ε within a tenth of the contraction bound's iterations",
                {"control_scale": {"T(ε": 0.1}}, "gd-reaches-epsilon-within-the-bound"),
    ),
    searches=(Search("gd-reaches-epsilon-within-the-bound", _radial_instances, expect="holds", examples=4),),
)

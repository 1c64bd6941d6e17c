"""thm22-contraction: §2.1, Theorem 2.2.

if ‖w0 − w*‖ < ‖w*‖, φ_t = arcsin(‖w_t − w*‖/‖w*‖) and 0 < η ≤ min_{0≤φ≤φ_t} γ(φ)/(2(L(φ)+4β)²),
then ‖w_{t+1} − w*‖² ≤ (1 − ηγ(φ_t)/2)‖w_t − w*‖² (population GD)

See docs/claims.md §4 (thm22-contraction).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.refine import Refinement, chart, step_fraction, student
from ..checker.context import ConstantsCache, InstanceContext, step_grid, step_ratio
from ..checker.instance import default_student, public_instance, vector
from ..checker.result import CheckResult, make_result, outside_result
from ..checker.terms import step_distance_sq
from ..checker.controls import controlled
from ..checker.verdicts import Spec, compare_all
from ..laws.builtin import AngularMixture
from ..checker.strategies import exact_one_neuron_laws, filters_near


@st.composite
def _exact_instances(draw: Any) -> dict:
    law, w_star = draw(exact_one_neuron_laws(max_p=48, mixture=False, degenerate=False))
    return {"dist": law, "w_star": w_star, "w": draw(filters_near(w_star)), "eta_fraction": draw(st.floats(0.01, 1.0))}


@st.composite
def _mixture_instances(draw: Any) -> dict:
    p, sigma = draw(st.sampled_from([(2, 0.5), (3, 1.0), (5, 2.0)]))
    return {
        "dist": AngularMixture(p, sigma=sigma),
        "ratio": draw(st.floats(0.05, 0.95)),
        "eta_fraction": draw(st.floats(0.1, 1.0)),
    }


def contraction_check(
    claim: Claim, instance: dict, *, alpha: float, cache: ConstantsCache, general_k: bool, factors: dict[str, float]
) -> CheckResult:
    """One population GD step from ``w`` against ‖w_{t+1}−w*‖² ≤ (1 − c·η·κ)‖w_t−w*‖² for each reading's c.

    κ = γ(φ_t) (Theorem 2.2, ``general_k`` False) or γ(φ_t) − 6L_cross (Theorem 3.1);
    η = ``eta`` or ``eta_fraction``·η_max, η_max the step-size bound's minimum over [0, φ_t]
    (:func:`step_ratio` on :func:`step_grid`).  ``factors``: reading id → c (times the instance's
    ``factor_scale``, 1 but for a negative control).
    """
    ctx = InstanceContext(instance, cache)
    w = vector(instance, "w", ctx.p)
    w = default_student(ctx, float(instance.get("ratio", 0.5))) if w is None else w
    inst = public_instance(instance, ctx, w=w)
    if not general_k and ctx.k != 1:
        return outside_result(
            claim.id, inst, claim.reading_ids, alpha, "Theorem 2.2 is about one neuron; see thm31-contraction"
        )
    d = w - ctx.w_star
    r = float(np.linalg.norm(d))
    if not r < ctx.norm_star:
        return outside_result(claim.id, inst, claim.reading_ids, alpha, "needs ‖w_t − w*‖ < ‖w*‖")
    infinite = ctx.infinite_constants(general_k)
    if infinite:
        return outside_result(claim.id, inst, claim.reading_ids, alpha, infinite)
    phi_t = math.asin(r / ctx.norm_star)
    grid, exact_min = step_grid(ctx, phi_t)
    ratio, g, L, beta, Lc = step_ratio(ctx, grid, general_k)
    if ctx.rotational and ctx.k == 1:
        exact_min = bool(np.all(np.diff(ratio) <= 1e-15 * np.abs(ratio[:-1])))
    eta_max = float(np.min(ratio))
    gamma_t = ctx.gamma_L([phi_t])[0][0]
    fraction = float(instance.get("eta_fraction", 1.0))
    eta = float(instance.get("eta", fraction * eta_max))
    hyp: bool | None = True
    notes = []
    sides = {t.side for t in (*g, *L, beta, Lc)}
    if not exact_min or sides - {"exact"}:
        hyp = None
        notes.append("η_max from estimates or a grid may exceed the allowed step: a violation would not refute")
    if general_k and not gamma_t.value - 6 * Lc.value > 0:
        hyp = False
        notes.append(f"γ(φ_t) = {gamma_t.value:.4g} ≤ 6L_cross = {6 * Lc.value:.4g}")
    if not (0 < eta_max < math.inf) or not (0 < eta < math.inf):
        return outside_result(
            claim.id,
            inst,
            claim.reading_ids,
            alpha,
            f"no positive step allowed (η_max = {eta_max:.4g})",
            {"eta_max": eta_max, "L_cross": Lc.value, "gamma_t": gamma_t.value},
        )
    if hyp is True and eta > eta_max * (1 + 1e-12):
        hyp = False
        notes.append(f"η = {eta:.4g} exceeds η_max = {eta_max:.4g}")
    g_vec = ctx.gradient(w)
    after = step_distance_sq(g_vec, d, eta)
    r2 = r * r
    nat = r2
    specs = []
    curv = gamma_t - 6 * Lc if general_k else gamma_t
    factor_scale = float(instance.get("factor_scale", 1.0))       # a negative control's scaled factor
    for reading, c in factors.items():
        c *= factor_scale
        rhs = r2 + (-c * eta * r2) * curv
        specs.append(
            Spec(
                f"‖w_{{t+1}}−w*‖² ≤ (1 − {c:g}·η·{'(γ(φ_t)−6L_cross)' if general_k else 'γ(φ_t)'})‖w_t−w*‖²",
                after,
                rhs,
                "<=",
                reading,
                nat,
            )
        )
    details = {
        "phi_t": phi_t,
        "eta": eta,
        "eta_max": eta_max,
        "eta_max_exact": exact_min,
        "gamma_t": gamma_t.value,
        "beta": beta.value,
        "L_cross": Lc.value,
        "distance_sq_before": r2,
        "distance_sq_after": after.value,
    }
    if general_k:
        # The printed step size: γ(0) in the numerator (a larger step).
        ratio0, *_ = step_ratio(ctx, grid, general_k, gamma_at_zero=True)
        eta0 = fraction * float(np.min(ratio0))
        if eta0 > 0:
            after0 = step_distance_sq(ctx.gradient(w), d, eta0)
            rhs0 = r2 + (-0.5 * eta0 * r2) * curv
            specs.append(
                Spec(
                    "‖w_{t+1}−w*‖² ≤ (1 − η(γ(φ_t)−6L_cross)/2)‖w_t−w*‖² with η from γ(0)",
                    after0,
                    rhs0,
                    "<=",
                    claim.reading_ids[-1],
                    nat,
                )
            )
            details["eta_printed_gamma0"] = eta0
    comparisons = compare_all(controlled(specs, instance), alpha)
    decrease = r2 - after.value
    claimed = 0.5 * eta * curv.value * r2
    tight = claimed / decrease if decrease > 0 and claimed > 0 else None
    return make_result(
        claim.id,
        inst,
        comparisons,
        claim.reading_ids,
        alpha=alpha,
        tightness=tight,
        in_hypothesis=hyp,
        note="; ".join(notes),
        details=details,
    )


def thm22_contraction(instance: dict, *, alpha: float, cache: ConstantsCache) -> CheckResult:
    """Claim 7: one population GD step from ``w`` (default at ``ratio``·‖w*‖) with η = ``eta`` or
    ``eta_fraction``·η_max; readings with the factors 1/2, 1 (printed) and 3/2."""
    return contraction_check(
        CLAIM,
        instance,
        alpha=alpha,
        cache=cache,
        general_k=False,
        factors={"half-factor": 0.5, "printed": 1.0, "three-halves": 1.5},
    )


CLAIM = Claim(
    id="thm22-contraction",
    source="§2.1, Theorem 2.2",
    statement=(
        "if ‖w0 − w*‖ < ‖w*‖, φ_t = arcsin(‖w_t − w*‖/‖w*‖) and 0 < η ≤ min_{0≤φ≤φ_t} γ(φ)/(2(L(φ)+4β)²), "
        "then ‖w_{t+1} − w*‖² ≤ (1 − ηγ(φ_t)/2)‖w_t − w*‖² (population GD)"
    ),
    kind="upper-bound",
    reconstructed="from the proof's last display (the printed factor has no /2)",
    readings=(
        Reading("half-factor", "with /2 (from the proof)"),
        Reading("printed", "printed without /2"),
        Reading("three-halves", "3/2: the proof with its factor 2 restored"),
    ),
    check_function=thm22_contraction,
    defaults={"distribution": {"name": "gaussian", "p": 3}},
    method="one exact GD step; η_max exact (monotone ratio, or finite p = 2)",
    tightness="the claimed decrease ηγ(φ_t)‖w_t−w*‖²/2 over the actual decrease at the worst instance (1: tight)",
    controls=(
        Control("contraction-factor-times-eight", "‖w_{t+1} − w*‖² ≤ (1 − 4ηγ(φ_t))‖w_t − w*‖² (the factor 8× the proof's)",
                {"factor_scale": 8.0}, "one-gd-step-contracts-for-every-allowed-step"),
        Control("step-bound-dropped", "one GD step contracts also with η = 1000·η_max (the step-size hypothesis dropped)",
                {"eta_fraction": 1000.0, "control_assume_hypotheses": True},
                "one-gd-step-contracts-for-every-allowed-step"),
    ),
    searches=(
        Search("one-gd-step-contracts-for-every-allowed-step", _exact_instances, expect="holds", examples=30,
               refine=Refinement(chart(student(), step_fraction()), families=True, boundary=True)),
        Search(
            "one-gd-step-contracts-for-angular-mixtures-by-quadrature",
            _mixture_instances,
            expect="holds",
            examples=4,
        ),
    ),
)

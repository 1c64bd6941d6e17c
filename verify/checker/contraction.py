"""One population GD step against the contraction of Theorems 2.2 and 3.1: docs/claims.md §4 claims 7, 12.

‖w_{t+1} − w*‖² ≤ (1 − c·η·κ)‖w_t − w*‖², κ = γ(φ_t) (Theorem 2.2) or
γ(φ_t) − 6L_cross (Theorem 3.1), for 0 < η ≤ η_max = min_{0≤φ≤φ_t} of the
step-size bound.  Spec ids: ``contraction`` (one per reading's factor c),
``contraction-printed-step`` (Theorem 3.1 with the printed γ(0) numerator).
"""
from __future__ import annotations

import math

import numpy as np

from .claim import Control
from .context import ConstantsCache, InstanceContext, step_grid, step_ratio
from .findings import Findings, Outside
from .instance import distance_inside_ball, public_instance, student
from .terms import step_distance_sq
from .verdicts import Spec

__all__ = ["contraction_controls", "contraction_findings"]


def contraction_controls(search: str, factor_times_eight: str, step_dropped: tuple[str, dict]) -> tuple[Control, ...]:
    """The negative controls of both contraction claims, on ``search``: every reading's factor c times 8
    (``factor_scale``, read by :func:`contraction_findings`; statement ``factor_times_eight``), and the step-size
    hypothesis dropped (``step_dropped``: the statement, and the step it forces, ``eta`` or ``eta_fraction``).

    Examples
    --------
    >>> eight, step = contraction_controls("s", "8× the factor", ("η = 20", {"eta": 20.0}))
    >>> eight.overrides, step.overrides
    ({'factor_scale': 8.0}, {'eta': 20.0, 'control_assume_hypotheses': True})
    """
    statement, step = step_dropped
    return (Control("contraction-factor-times-eight", factor_times_eight, {"factor_scale": 8.0}, search),
            Control("step-bound-dropped", statement, {**step, "control_assume_hypotheses": True}, search))


def contraction_findings(instance: dict, cache: ConstantsCache, *, general_k: bool, factors: dict[str, float],
                         printed_step_reading: str | None = None) -> Findings:
    """One population GD step from ``w`` against ‖w_{t+1}−w*‖² ≤ (1 − c·η·κ)‖w_t−w*‖² for each reading's c.

    κ = γ(φ_t) (Theorem 2.2, ``general_k`` False) or γ(φ_t) − 6L_cross (Theorem 3.1);
    η = ``eta`` or ``eta_fraction``·η_max, η_max the step-size bound's minimum over [0, φ_t]
    (:func:`step_ratio` on :func:`step_grid`).  ``factors``: reading id → c (times the instance's
    ``factor_scale``, 1 but for a negative control).  ``printed_step_reading`` (Theorem 3.1): the reading
    whose η takes γ(0) in the step size's numerator, as printed, with c = 1/2.
    """
    ctx = InstanceContext(instance, cache)
    w = student(instance, ctx, float(instance.get("ratio", 0.5)))
    inst = public_instance(instance, ctx, w=w)
    if not general_k and ctx.k != 1:
        raise Outside("Theorem 2.2 is about one neuron; see thm31-contraction", inst)
    d = w - ctx.w_star
    r = distance_inside_ball(w, ctx.w_star, inst, "w_t")
    infinite = ctx.infinite_constants(general_k)
    if infinite:
        raise Outside(infinite, inst)
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
        raise Outside(f"no positive step allowed (η_max = {eta_max:.4g})", inst,
                      {"eta_max": eta_max, "L_cross": Lc.value, "gamma_t": gamma_t.value})
    if hyp is True and eta > eta_max * (1 + 1e-12):
        hyp = False
        notes.append(f"η = {eta:.4g} exceeds η_max = {eta_max:.4g}")
    g_vec = ctx.gradient(w)
    after = step_distance_sq(g_vec, d, eta)
    r2 = r * r
    specs = []
    curv = gamma_t - 6 * Lc if general_k else gamma_t
    factor_scale = float(instance.get("factor_scale", 1.0))       # a negative control's scaled factor
    for reading, c in factors.items():
        c *= factor_scale
        rhs = r2 + (-c * eta * r2) * curv
        kappa = "(γ(φ_t)−6L_cross)" if general_k else "γ(φ_t)"
        specs.append(Spec(f"‖w_{{t+1}}−w*‖² ≤ (1 − {c:g}·η·{kappa})‖w_t−w*‖²", after, rhs, "<=", reading, r2,
                          id="contraction"))
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
    if printed_step_reading is not None:
        # The printed step size: γ(0) in the numerator (a larger step).
        ratio0, *_ = step_ratio(ctx, grid, general_k, gamma_at_zero=True)
        eta0 = fraction * float(np.min(ratio0))
        if eta0 > 0:
            after0 = step_distance_sq(ctx.gradient(w), d, eta0)
            rhs0 = r2 + (-0.5 * eta0 * r2) * curv
            specs.append(Spec("‖w_{t+1}−w*‖² ≤ (1 − η(γ(φ_t)−6L_cross)/2)‖w_t−w*‖² with η from γ(0)", after0, rhs0,
                              "<=", printed_step_reading, r2, id="contraction-printed-step"))
            details["eta_printed_gamma0"] = eta0
    decrease = r2 - after.value
    claimed = 0.5 * eta * curv.value * r2
    tight = claimed / decrease if decrease > 0 and claimed > 0 else None
    return Findings(inst, specs, tightness=tight, details=details, note="; ".join(notes), in_hypothesis=hyp)

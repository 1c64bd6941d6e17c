"""What the theory predicts for this data, and what SGD on the data does (docs/diagnose.md §6).

All formulas are docs/claims.md §4's, at the constants of :mod:`verify.diagnosis.constants`
(point values; each inherits its estimate's side):

* the step (claim 7, Theorem 2.2, k = 1; claim 12, Theorem 3.1, k > 1, with γ(φ) in the numerator
  [reconstructed]):  η_max = min_{φ ≤ φ₀} (γ(φ) − 6L_cross)/(2(L(φ) + 10L_cross + 4β)²), and for k = 1
  γ(φ)/(2(L(φ) + 4β)²), the min over the curve grid's φ ≤ φ₀ and φ₀ itself
  (:func:`verify.dynamics.step_rules.step_bound`, the formula's one home);
* the contraction per step q = 1 − η(γ(φ₀) − 6L_cross)/2 of ‖w − w*‖² (L_cross = 0 for k = 1) and the
  iterations to ε: T = ⌈ln(ε²‖w*‖²/r₀²)/ln q⌉ (claim 8, reading ``within-bound``);
* φ* = the largest grid φ ≤ π/2 with γ(φ) ≥ 6L_cross (claim 14 caps φ* at π/2), and the success
  probability of a uniform start in the ball of radius α = cos φ* (Theorem 3.4, Corollary 3.1, claims 16–17,
  :func:`verify.dynamics.initialization.success_probability`, exact; and the corollary's bound);
* Theorem 3.2 (claim 14, constants 1 [reconstructed]): φ₁ = (φ₀ + φ*)/2, B = ‖w*‖·max‖Z_i‖²,
  η = ε²(γ(φ₁) − 6L_cross)‖w*‖²/B², T = B²/(ε²(γ(φ₁) − 6L_cross)²‖w*‖²)·ln(r₀/(εδ‖w*‖));
  γ(φ₁) is read at the first grid φ ≥ φ₁ (γ does not increase, docs/claims.md claim 2).

A step bound that is zero or negative is no step: ``eta_max`` is then None, and so are the contraction,
the rate and the iteration count (``step_formula_value`` keeps the formula's value, ``no_step_reason`` says
why).  What SGD does on the data is :mod:`verify.diagnosis.sgd_runs`.
"""
from __future__ import annotations

import math

import numpy as np

from ..dynamics.step_rules import step_bound
from ..report.words import format_number
from ..dynamics.initialization import alpha_max, corollary31_bound, corollary31_condition, success_probability

__all__ = ["theory"]


def _v(e) -> float:
    return float(e.value)


def theory(c: dict, curve: np.ndarray, phi0: float, k: int, p: int, w_norm: float, r0: float,
           epsilon: float, delta: float) -> dict:
    """The predictions of the module doc from the constants ``c`` (as :func:`verify.diagnosis.constants.estimates`)."""
    lc = _v(c["L_cross"]) if k > 1 else 0.0
    beta = _v(c["beta"])
    gam = np.array([_v(e) for e in c["gamma"]])
    big = np.array([_v(e) for e in c["L"]])
    upto = curve <= phi0 + 1e-15
    bound = float(np.min(step_bound(gam, big, beta, lc)[upto]))
    theorem = "Theorem 3.1" if k > 1 else "Theorem 2.2"
    g0 = float(gam[np.argmin(np.abs(curve - phi0))])
    eta_max = bound if bound > 0 else None
    drop = eta_max * (g0 - 6 * lc) / 2 if eta_max is not None else None  # q = 1 − drop
    fine = drop is not None and 0 < drop < 1
    rate = -0.5 * math.log1p(-drop) if fine else None  # on ‖w − w*‖, per step
    iters = math.ceil(math.log(epsilon ** 2 * w_norm ** 2 / r0 ** 2) / math.log1p(-drop)) if fine else None
    why = None
    if eta_max is None:
        worst = float(curve[upto][int(np.argmin(step_bound(gam, big, beta, lc)[upto]))])
        why = (f"{theorem}'s step bound min over φ ≤ φ0 of (γ(φ) − 6·L_cross)/(2(L(φ) + 10·L_cross + 4β)²) is "
               f"{format_number(bound)} ≤ 0 (at φ = {format_number(worst, 3)}): γ(φ) ≤ 6·L_cross there, so the theorem gives "
               "no step"
               if k > 1 else f"{theorem}'s step bound min over φ ≤ φ0 of γ(φ)/(2(L(φ) + 4β)²) is {format_number(bound)} ≤ 0 "
                             f"(at φ = {format_number(worst, 3)}): γ(φ) ≤ 0 there, so the theorem gives no step")
    ok = (curve <= math.pi / 2 + 1e-15) & (gam >= 6 * lc) & (gam > 0)
    phi_star = float(curve[ok].max()) if ok.any() else None
    out: dict = {"theorem": theorem, "phi0": phi0, "r0": r0, "epsilon": epsilon, "delta": delta,
                 "eta_max": eta_max, "step_formula_value": bound, "no_step_reason": why, "gamma_phi0": g0,
                 "L_cross": lc, "contraction_per_step": None if drop is None else 1 - drop,
                 "contraction_drop": drop, "rate_per_step": rate,
                 "iterations_to_epsilon": iters, "phi_star": phi_star}
    if phi_star is not None:
        alpha = math.cos(phi_star)
        prob = success_probability(p, alpha) if 0 < alpha < 1 else (1.0 if alpha <= 0 else 0.0)
        out["initialization"] = {
            "alpha": alpha, "success_probability": float(prob), "radius": alpha * w_norm,
            "target_radius": math.sin(phi_star) * w_norm,
            "theorem34_hypothesis": bool(0 < alpha <= alpha_max(p)),
            "corollary31_condition": bool(0 < alpha < 1 and corollary31_condition(p, alpha)),
            "corollary31_bound": corollary31_bound(p, alpha) if 0 < alpha < 1 else None}
        phi1 = (phi0 + phi_star) / 2
        at = curve[curve >= phi1 - 1e-15]
        g1 = float(gam[np.searchsorted(curve, at[0] - 1e-15)]) if at.size else float("nan")
        bound = w_norm * c["norm2_max"]
        margin = g1 - 6 * lc
        out["theorem32"] = {"phi1": phi1, "gamma_phi1": g1, "B": bound,
                            "eta": epsilon ** 2 * margin * w_norm ** 2 / bound ** 2 if margin > 0 else None,
                            "iterations": (bound ** 2 / (epsilon ** 2 * margin ** 2 * w_norm ** 2)
                                           * math.log(r0 / (epsilon * delta * w_norm))) if margin > 0 else None}
    else:
        out["initialization"] = None
        out["theorem32"] = None
    return out

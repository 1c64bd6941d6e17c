"""Each assumption of Theorems 2.2, 3.1, 3.2 and 3.3 judged on the data (docs/diagnose.md §5).

Every judgement is a :class:`verify.checker.verdicts.Spec` put through
:func:`verify.checker.verdicts.compare_all`, the claim checker's own verdict rule
(docs/claims.md §7): the family of one diagnosis shares the false-alarm budget
α = 10⁻³ (Bonferroni), a searched γ (an upper bound) can only show an assumption
failing, a searched L, β or L_cross (lower bounds) only show it holding where it
sits on the other side, and ties within rounding hold.  The checker's "refuted"
reads here as **fails**.  Margins are relative, as the checker's.
"""
from __future__ import annotations

import math

import numpy as np

from ..checker.terms import Term
from ..checker.terms import DEFAULT_ALPHA
from ..checker.verdicts import Spec, compare_all
from ..jsonio import jsonable

__all__ = ["judge", "POSITIVE_FLOOR", "IDS"]

#: "γ > 0" is read as γ ≥ POSITIVE_FLOOR·L(0): a positive-definite moment to the resolution of a double
POSITIVE_FLOOR = 1e-9
VERDICT_WORDS = {"holds": "holds", "refuted": "fails", "inconclusive": "inconclusive"}
#: every assumption id :func:`judge` may return (``thm32.phi-star-exists`` replaces the two φ*-rows when no φ* exists)
IDS = ("thm22.ball", "thm22.gamma-positive", "thm22.beta-finite", "thm31.ball", "thm31.gamma-minus-6lcross",
       "thm31.lcross-finite", "thm32.gamma-phi1-minus-6lcross", "thm32.start-within-phi-star",
       "thm32.phi-star-exists", "thm32.bounded-gradient", "thm33.unit-norm", "thm33.mu-finite",
       "thm33.conclusion-gamma-avg", "thm33.conclusion-lcross-3mu")
#: why a margin is NaN, in words, per assumption id
NAN_REASONS = {
    "thm33.mu-finite": "μ's bracket is unbounded above: some non-zero patch lies within the band grid's first "
                       "angle (10⁻³ rad) of the band centre, so whether μ is finite cannot be decided from the grid",
}


def _at(curve, phi):
    return int(np.argmin(np.abs(np.asarray(curve) - phi)))


def _difference(comp) -> dict:
    """lhs − rhs of a comparison in its own units, with a 95 % half-width (the sides' half-widths added)."""
    lhs, rhs = comp.lhs.to_estimate(comp.alpha), comp.rhs.to_estimate(comp.alpha)
    value = lhs.value - rhs.value
    with np.errstate(invalid="ignore"):
        error = lhs.half_width(0.95) + rhs.half_width(0.95)
    return {"lhs": lhs.value, "rhs": rhs.value, "difference": value, "difference_error": error}


def judge(c: dict, pred: dict, curve: np.ndarray, k: int, w_norm: float, alpha: float = DEFAULT_ALPHA) -> dict:
    """The judged assumptions, keyed by their stable ids (:data:`IDS`), in the order of the theorems.

    Each entry: ``theorem``, ``statement`` (fixed text), ``verdict`` (holds/fails/inconclusive), ``margin``
    (relative, the checker's) and ``margin_error``, ``lhs``/``rhs``/``difference``/``difference_error``
    (the two sides and lhs − rhs in the quantity's own units, 95 %), ``why`` (why a verdict was withheld),
    ``numbers`` (the data's numbers the statement refers to) and the checker's ``comparison``.
    """
    g0 = c["gamma"][_at(curve, pred["phi0"])]
    floor = POSITIVE_FLOOR * float(c["L"][0].value)
    lc = Term.of(c["L_cross"]) if k > 1 else Term(0.0)
    rows: list[tuple[str, str, str, Spec, dict]] = []
    ball = Spec("‖w0 − w*‖ ≤ ‖w*‖", pred["r0"], w_norm, "<=", "thm22")
    finite = Spec("no non-zero patch on w*⊥ (β, L_cross finite)", float(c["on_plane"]), 0.0, "<=", "thm22", scale=1.0)
    on_plane = {"patches_on_w_star_plane": int(c["on_plane"])}
    rows += [
        ("thm22.ball", "Theorem 2.2", "start inside the ball ‖w0 − w*‖ < ‖w*‖", ball,
         {"r0": pred["r0"], "w_star_norm": w_norm}),
        ("thm22.gamma-positive", "Theorem 2.2", "γ(φ0) > 0 (Definition 2.1; read as γ(φ0) ≥ 1e-9·L(0))",
         Spec("γ(φ0) > 0", g0, floor, ">=", "thm22", scale=max(float(c["L"][0].value), 1e-300)),
         {"gamma_phi0": g0.value}),
        ("thm22.beta-finite", "Theorem 2.2", "Assumption 2.1: a finite β exists", finite,
         {"beta": c["beta"].value, **on_plane}),
    ]
    if k > 1:
        rows += [
            ("thm31.ball", "Theorem 3.1", "start inside the ball ‖w0 − w*‖ < ‖w*‖",
             Spec("ball", pred["r0"], w_norm, "<=", "thm31"), {"r0": pred["r0"], "w_star_norm": w_norm}),
            ("thm31.gamma-minus-6lcross", "Theorem 3.1", "γ(φ0) > 6·L_cross (Assumptions 3.1–3.2)",
             Spec("γ(φ0) > 6 L_cross", g0, 6 * lc, ">=", "thm31"),
             {"gamma_phi0": g0.value, "L_cross": c["L_cross"].value}),
            ("thm31.lcross-finite", "Theorem 3.1", "Assumption 3.2: a finite L_cross exists", finite,
             {"L_cross": c["L_cross"].value, **on_plane}),
        ]
    phi_star = pred.get("phi_star")
    t32 = pred.get("theorem32") or {}
    if phi_star is not None:
        g1 = c["gamma"][_at(curve, curve[curve >= (pred["phi0"] + phi_star) / 2 - 1e-15][0])] \
            if np.any(curve >= (pred["phi0"] + phi_star) / 2 - 1e-15) else c["gamma"][-1]
        rows += [
            ("thm32.gamma-phi1-minus-6lcross", "Theorem 3.2", "γ(φ1) > 6·L_cross",
             Spec("γ(φ1) > 6 L_cross", g1, 6 * lc + floor, ">=", "thm32"),
             {"gamma_phi1": g1.value, "L_cross": float(lc.value)}),
            ("thm32.start-within-phi-star", "Theorem 3.2", "r0 < ‖w*‖·sin φ* (φ* from the γ grid)",
             Spec("r0 < ‖w*‖ sin φ*", pred["r0"], Term(w_norm * math.sin(phi_star), 0.0, 0.0, None, "estimate"),
                  "<=", "thm32"), {"r0": pred["r0"], "phi_star": phi_star}),
        ]
    else:
        rows.append(("thm32.phi-star-exists", "Theorem 3.2", "some φ* > 0 with γ(φ*) ≥ 6·L_cross",
                     Spec("φ* exists", g0, 6 * lc + floor, ">=", "thm32"),
                     {"gamma_phi0": g0.value, "L_cross": float(lc.value)}))
    rows.append(("thm32.bounded-gradient", "Theorem 3.2", "bounded gradient: B = ‖w*‖·max‖Z_i‖² < ∞",
                 Spec("B < ∞", w_norm * c["norm2_max"], math.inf, "<=", "thm32"),
                 {"B": t32.get("B", w_norm * c["norm2_max"])}))
    mu = c["mu"]
    mu_upper = (mu.search or {}).get("bracket", [mu.value, math.inf])[1]
    rows += [
        ("thm33.unit-norm", "Theorem 3.3", "unit-norm patches (‖Z_i‖ = 1 for every patch)",
         Spec("‖Z_i‖ = 1", c["unit_dev"], 0.0, "<=", "thm33", scale=1.0), {"max_norm_deviation": c["unit_dev"]}),
        ("thm33.mu-finite", "Theorem 3.3", "band density: μ < ∞ (the upper end of μ's bracket)",
         Spec("μ < ∞", Term(mu_upper if math.isfinite(mu_upper) else math.nan), math.inf, "<=", "thm33"),
         {"mu": mu.value, "mu_upper": mu_upper}),
    ]
    gamma_avg_side = Term.of(c["gamma_avg"]) - 4 * (1 - math.cos(c["rho"].value))
    conclusions = [
        ("thm33.conclusion-gamma-avg", "Theorem 3.3 (conclusion)", "γ(φ0) ≥ γ_avg(φ0) − 4(1 − cos ρ)",
         Spec("γ ≥ γ_avg − 4(1 − cos ρ)", g0, gamma_avg_side, ">=", "thm33"),
         {"gamma_phi0": g0.value, "gamma_avg": c["gamma_avg"].value, "rho": c["rho"].value}),
        ("thm33.conclusion-lcross-3mu", "Theorem 3.3 (conclusion)", "L_cross ≤ 3μ",
         Spec("L_cross ≤ 3μ", lc, 3 * Term.of(mu), "<=", "thm33"), {"L_cross": float(lc.value), "mu": mu.value}),
    ]
    specs = [row[3] for row in rows + conclusions]
    comparisons = compare_all(specs, alpha)
    out: dict = {}
    hypotheses_33 = []
    for (key, theorem, statement, _, numbers), comp in zip(rows + conclusions, comparisons):
        if theorem == "Theorem 3.3":
            hypotheses_33.append(comp.verdict)
        entry = {"id": key, "theorem": theorem, "statement": statement, "verdict": VERDICT_WORDS[comp.verdict],
                 "margin": jsonable(comp.margin), "margin_error": jsonable(comp.margin_error),
                 **jsonable(_difference(comp)), "why": comp.why, "numbers": jsonable(numbers),
                 "comparison": comp.to_dict()}
        if isinstance(comp.margin, float) and math.isnan(comp.margin):
            entry["nan_reason"] = NAN_REASONS.get(key, "the comparison is undefined on this data")
        if theorem.endswith("(conclusion)") and any(v != "holds" for v in hypotheses_33):
            entry["note"] = ("Theorem 3.3's hypotheses do not all hold on this data: the conclusion is reported, "
                             "not claimed (docs/claims.md §7: outside the hypothesis, excluded)")
            entry["in_hypothesis"] = False
        out[key] = entry
    return out

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

__all__ = ["judge", "POSITIVE_FLOOR"]

#: "γ > 0" is read as γ ≥ POSITIVE_FLOOR·L(0): a positive-definite moment to the resolution of a double
POSITIVE_FLOOR = 1e-9
VERDICT_WORDS = {"holds": "holds", "refuted": "fails", "inconclusive": "inconclusive"}


def _at(curve, phi):
    return int(np.argmin(np.abs(np.asarray(curve) - phi)))


def judge(c: dict, pred: dict, curve: np.ndarray, k: int, w_norm: float, alpha: float = DEFAULT_ALPHA) -> list[dict]:
    """The list of judged assumptions: theorem, statement, verdict (holds/fails/inconclusive), margin, error."""
    g0 = c["gamma"][_at(curve, pred["phi0"])]
    floor = POSITIVE_FLOOR * float(c["L"][0].value)
    lc = Term.of(c["L_cross"]) if k > 1 else Term(0.0)
    rows: list[tuple[str, str, Spec]] = []
    ball = Spec("‖w0 − w*‖ ≤ ‖w*‖", pred["r0"], w_norm, "<=", "thm22")
    finite = Spec("no non-zero patch on w*⊥ (β, L_cross finite)", float(c["on_plane"]), 0.0, "<=", "thm22", scale=1.0)
    rows += [
        ("Theorem 2.2", "start inside the ball ‖w0 − w*‖ < ‖w*‖", ball),
        ("Theorem 2.2", "γ(φ0) > 0 (Definition 2.1; read as γ(φ0) ≥ 1e-9·L(0))",
         Spec("γ(φ0) > 0", g0, floor, ">=", "thm22", scale=max(float(c["L"][0].value), 1e-300))),
        ("Theorem 2.2", "Assumption 2.1: a finite β exists (tight β = %.4g)" % c["beta"].value, finite),
    ]
    if k > 1:
        rows += [
            ("Theorem 3.1", "start inside the ball ‖w0 − w*‖ < ‖w*‖", Spec("ball", pred["r0"], w_norm, "<=", "thm31")),
            ("Theorem 3.1", "γ(φ0) > 6·L_cross (Assumptions 3.1–3.2)",
             Spec("γ(φ0) > 6 L_cross", g0, 6 * lc, ">=", "thm31")),
            ("Theorem 3.1", "Assumption 3.2: a finite L_cross exists", finite),
        ]
    phi_star = pred.get("phi_star")
    t32 = pred.get("theorem32") or {}
    if phi_star is not None:
        g1 = c["gamma"][_at(curve, curve[curve >= (pred["phi0"] + phi_star) / 2 - 1e-15][0])] \
            if np.any(curve >= (pred["phi0"] + phi_star) / 2 - 1e-15) else c["gamma"][-1]
        rows += [
            ("Theorem 3.2", "γ(φ1) > 6·L_cross", Spec("γ(φ1) > 6 L_cross", g1, 6 * lc + floor, ">=", "thm32")),
            ("Theorem 3.2", "r0 < ‖w*‖·sin φ* (φ* from the γ grid)",
             Spec("r0 < ‖w*‖ sin φ*", pred["r0"], Term(w_norm * math.sin(phi_star), 0.0, 0.0, None, "estimate"),
                  "<=", "thm32")),
        ]
    else:
        rows.append(("Theorem 3.2", "some φ* > 0 with γ(φ*) ≥ 6·L_cross",
                     Spec("φ* exists", g0, 6 * lc + floor, ">=", "thm32")))
    rows.append(("Theorem 3.2", "bounded gradient: B = ‖w*‖·max‖Z_i‖² < ∞ (B = %.4g)" % t32.get("B", math.nan)
                 if t32 else "bounded gradient", Spec("B < ∞", w_norm * c["norm2_max"], math.inf, "<=", "thm32")))
    mu = c["mu"]
    mu_upper = (mu.search or {}).get("bracket", [mu.value, math.inf])[1]
    rows += [
        ("Theorem 3.3", "unit-norm patches (max |‖Z_i‖ − 1| = %.3g)" % c["unit_dev"],
         Spec("‖Z_i‖ = 1", c["unit_dev"], 0.0, "<=", "thm33", scale=1.0)),
        ("Theorem 3.3", "band density: μ < ∞ (the upper end of μ's bracket)",
         Spec("μ < ∞", Term(mu_upper if math.isfinite(mu_upper) else math.nan), math.inf, "<=", "thm33")),
    ]
    gamma_avg_side = Term.of(c["gamma_avg"]) - 4 * (1 - math.cos(c["rho"].value))
    conclusions = [
        ("Theorem 3.3 (conclusion)", "γ(φ0) ≥ γ_avg(φ0) − 4(1 − cos ρ)",
         Spec("γ ≥ γ_avg − 4(1 − cos ρ)", g0, gamma_avg_side, ">=", "thm33")),
        ("Theorem 3.3 (conclusion)", "L_cross ≤ 3μ", Spec("L_cross ≤ 3μ", lc, 3 * Term.of(mu), "<=", "thm33")),
    ]
    specs = [s for _, _, s in rows + conclusions]
    comparisons = compare_all(specs, alpha)
    out = []
    hypotheses_33 = []
    for (theorem, statement, _), comp in zip(rows + conclusions, comparisons):
        if theorem == "Theorem 3.3":
            hypotheses_33.append(comp.verdict)
        entry = {"theorem": theorem, "statement": statement, "verdict": VERDICT_WORDS[comp.verdict],
                 "margin": jsonable(comp.margin), "margin_error": jsonable(comp.margin_error), "why": comp.why,
                 "comparison": comp.to_dict()}
        if theorem.endswith("(conclusion)") and any(v != "holds" for v in hypotheses_33):
            entry["note"] = ("Theorem 3.3's hypotheses do not all hold on this data: the conclusion is reported, "
                             "not claimed (docs/claims.md §7: outside the hypothesis, excluded)")
            entry["in_hypothesis"] = False
        out.append(entry)
    return out

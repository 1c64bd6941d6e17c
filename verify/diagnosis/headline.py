"""The answer first: does each theorem apply to this data and this teacher, and if not, why (docs/diagnose.md §6).

Per theorem (2.2, 3.1, 3.2, 3.3), from its judged hypotheses (:func:`verify.diagnosis.assumptions.judge`;
Theorem 3.3's two conclusions are not hypotheses):

* ``applies`` is **False** when one hypothesis fails, **True** when every one holds, and None (undecided)
  otherwise;
* ``why`` names the failing (or undecided) hypotheses with the numbers: lhs − rhs in the quantity's own
  units with its 95 % error, e.g. "γ(φ0) − 6·L_cross = −9.08 ± 0.01".

Theorem 2.2 is the one-patch model (k = 1) and Theorem 3.1 the convolutional one (k > 1): on data of the
other kind it does not apply (``applies`` False, "not this model").  ``overall`` is the theorem that gives
this model a step and a rate (3.1 for k > 1, 2.2 for k = 1): its ``applies`` and ``why``, and whether it
gives a positive step.
"""
from __future__ import annotations

from ..report.words import count_of, format_number, format_with_error, join_sentences, whole_number

__all__ = ["headline", "THEOREMS", "APPLIES_WORDS"]

THEOREMS = ("Theorem 2.2", "Theorem 3.1", "Theorem 3.2", "Theorem 3.3")
#: ``applies`` in words
APPLIES_WORDS = {True: "applies", False: "does not apply", None: "may or may not apply (undecided)"}

#: lhs − rhs of each assumption id, as the why-text names it
DIFFERENCE_NAMES = {
    "thm22.ball": "r0 − ‖w*‖", "thm31.ball": "r0 − ‖w*‖",
    "thm22.gamma-positive": "γ(φ0) − 10⁻⁹·L(0)",
    "thm31.gamma-minus-6lcross": "γ(φ0) − 6·L_cross",
    "thm32.gamma-phi1-minus-6lcross": "γ(φ1) − 6·L_cross",
    "thm32.phi-star-exists": "γ(φ0) − 6·L_cross",
    "thm32.start-within-phi-star": "r0 − ‖w*‖·sin φ*",
    "thm22.beta-finite": "the patches exactly on w*⊥", "thm31.lcross-finite": "the patches exactly on w*⊥",
    "thm33.unit-norm": "max |‖Z_i‖ − 1|",
}


def _phrase(a: dict) -> str:
    """One assumption in words with its numbers: "γ(φ0) > 6·L_cross fails: γ(φ0) − 6·L_cross = −9.1 ± 0.01"."""
    name = DIFFERENCE_NAMES.get(a["id"])
    text = f"{a['statement']} {a['verdict']}"
    if a["id"] == "thm33.mu-finite" and a.get("nan_reason"):
        return f"{text}: {a['nan_reason']}"
    if a["id"] in ("thm22.beta-finite", "thm31.lcross-finite"):
        n = a["numbers"].get("patches_on_w_star_plane", 0)
        return f"{text}: {count_of(n, 'non-zero patch', 'non-zero patches')} exactly on w*⊥"
    if a["id"] == "thm33.unit-norm":
        return f"{text}: the patches' norms differ from 1 by up to {format_number(a['numbers']['max_norm_deviation'])}"
    if name is not None and a.get("difference") is not None:
        text += f": {name} = {format_with_error(a['difference'], a.get('difference_error'))}"
    if a["verdict"] == "inconclusive" and a.get("why"):
        text += f" ({a['why'].rstrip('.')})"
    return text


def _theorem(theorem: str, rows: list[dict], k: int) -> dict:
    if theorem == "Theorem 2.2" and k > 1:
        return {"applies": False, "why": join_sentences(*[
            f"not this model: Theorem 2.2 is about one patch per input (k = 1), the data have "
            f"{count_of(k, 'patch', 'patches')} per image; Theorem 3.1 is the theorem for k > 1"])}
    if theorem == "Theorem 3.1" and k == 1:
        return {"applies": False, "why": join_sentences(*[
            "not this model: Theorem 3.1 is about k > 1 patches per input, the data have one; "
            "Theorem 2.2 is the theorem for k = 1"])}
    hyp = [a for a in rows if not a["theorem"].endswith("(conclusion)")]
    failing = [a for a in hyp if a["verdict"] == "fails"]
    open_ = [a for a in hyp if a["verdict"] == "inconclusive"]
    if failing:
        return {"applies": False, "failing": [a["id"] for a in failing],
                "why": join_sentences(*[_phrase(a) for a in failing])}
    if open_:
        return {"applies": None, "undecided": [a["id"] for a in open_],
                "why": join_sentences(*[f"undecided: {_phrase(a)}" for a in open_])}
    return {"applies": True, "why": join_sentences(*[f"every hypothesis holds ({count_of(len(hyp), 'hypothesis', 'hypotheses')})"])}


def headline(assumptions: dict, prediction: dict, k: int) -> dict:
    """``applies`` and ``why``, each keyed ``overall``, ``thm22``, ``thm31``, ``thm32``, ``thm33``, and ``step``
    (the theorem's step in one sentence, or why there is none) (module doc).

    ``applies["overall"]`` is the main theorem's (3.1 for k > 1, 2.2 for k = 1), and False whenever it gives
    no positive step.
    """
    per = {t: _theorem(t, [a for a in assumptions.values() if a["theorem"].startswith(t)], k) for t in THEOREMS}
    main = prediction["theorem"]
    eta = prediction.get("eta_max")
    if eta is not None and prediction.get("rate_per_step"):
        step = (f"{main} gives the step η ≤ {format_number(eta)}, a rate of {format_number(prediction['rate_per_step'])} "
                f"per step and {whole_number(prediction['iterations_to_epsilon'])} iterations to reach "
                f"ε = {prediction['epsilon']:g}")
    elif eta is not None:
        step = f"{main} gives the step η ≤ {format_number(eta)}"
    else:
        step = f"{main} gives no positive step"
        gap = assumptions.get("thm31.gamma-minus-6lcross" if main == "Theorem 3.1" else "thm22.gamma-positive")
        said = gap is not None and gap["id"] in (*per[main].get("failing", ()), *per[main].get("undecided", ()))
        if gap is not None and gap.get("difference") is not None and not said:
            step = f"{DIFFERENCE_NAMES[gap['id']]} = {format_with_error(gap['difference'], gap.get('difference_error'))}: " \
                   + step
    overall = per[main]["applies"]
    first = f"{main} {APPLIES_WORDS[overall]}"
    if overall is not False and eta is None:
        overall, first = False, f"{main} does not apply: it gives no positive step on this data"
    key = {t: "thm" + t.split()[1].replace(".", "") for t in THEOREMS}
    applies = {"overall": overall, **{key[t]: per[t]["applies"] for t in THEOREMS}}
    why = {"overall": join_sentences(*[first, per[main]["why"], "" if first.endswith("this data") else step]),
           **{key[t]: per[t]["why"] for t in THEOREMS}}
    detail = {key[t]: {k2: v for k2, v in per[t].items() if k2 not in ("applies", "why")} for t in THEOREMS}
    return {"applies": applies, "why": why, "step": join_sentences(*[step]), "hypotheses": detail}

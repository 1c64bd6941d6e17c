"""The outcome of :func:`verify.diagnosis.diagnose`, as an object and as strict JSON (docs/diagnose.md §7)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..checker.terms import side_phrase
from ..jsonio import jsonable
from ..report.words import count_of, format_number, format_with_error, join_sentences, whole_number
from .headline import APPLIES_WORDS
from ..results import Estimate

__all__ = ["DiagnoseResult", "format_text"]


def _est(e: Any) -> Any:
    return e.to_dict() if isinstance(e, Estimate) else e


@dataclass(frozen=True)
class DiagnoseResult:
    """What the paper assumes and predicts on one data set, with what SGD did.

    Attributes
    ----------
    teacher : ndarray (p,)
        w*, the p numbers used.
    constants : dict
        ``curve`` (φ grid), ``gamma``/``L`` (Estimates per φ), ``sup_grid``, ``L_neg``, ``beta_ratio``,
        ``cross_ratio`` (per θ), ``beta``, ``L_cross``, ``gamma_avg``, ``rho``, ``mu`` and the patch statistics.
    assumptions : dict
        Assumption id (:data:`verify.diagnosis.assumptions.IDS`, e.g. ``thm31.gamma-minus-6lcross``) → the
        judged assumption with its numbers (:func:`verify.diagnosis.assumptions.judge`).
    prediction : dict
        :func:`verify.diagnosis.predictions.theory` with the headline of
        :func:`verify.diagnosis.headline.headline`: ``applies`` and ``why`` (``overall``, ``thm22`` … ``thm33``).
    measured : dict or None
        What SGD did (:mod:`verify.diagnosis.sgd_runs`; None when no SGD was asked for).
    provenance : dict
    """

    teacher: np.ndarray = field(repr=False)
    constants: dict = field(repr=False)
    assumptions: dict = field(repr=False)
    prediction: dict = field(repr=False)
    measured: dict | None = field(repr=False)
    provenance: dict = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON: keys ``teacher``, ``constants``, ``assumptions``, ``prediction``, ``measured``, ``provenance``."""
        constants = {key: ([_est(e) for e in value] if isinstance(value, list) else _est(value))
                     for key, value in self.constants.items()}
        return jsonable({"teacher": np.asarray(self.teacher).tolist(), "constants": constants,
                         "assumptions": self.assumptions, "prediction": self.prediction, "measured": self.measured,
                         "provenance": self.provenance})

    @property
    def verdicts(self) -> dict[str, str]:
        """Assumption id → holds / fails / inconclusive (an attribute, as :attr:`verify.run.ClaimsRun.verdicts`);
        the numbers behind each are in :attr:`assumptions` under the same id."""
        return {key: a["verdict"] for key, a in self.assumptions.items()}

    def __repr__(self) -> str:
        c = self.constants
        return (f"DiagnoseResult(p={self.teacher.size}, k={self.provenance['source']['k']}, "
                f"gamma(0)={c['gamma'][0].value:.4g}, L(0)={c['L'][0].value:.4g}, beta={c['beta'].value:.4g}, "
                f"L_cross={c['L_cross'].value:.4g}, applies={self.prediction['applies']['overall']})")


def _fmt(e: Estimate) -> str:
    if not math.isfinite(e.value):
        return format_number(e.value)
    return f"{format_with_error(e.value, e.half_width(0.95) if e.error > 0 else 0.0)} ({side_phrase(e.kind)})"


def format_text(r: DiagnoseResult) -> str:
    """A terminal summary of the result: the answer first, then the numbers behind it."""
    c, pr, src = r.constants, r.prediction, r.provenance["source"]
    lines = [f"ANSWER: {pr['why']['overall']}"]
    for key, theorem in (("thm22", "Theorem 2.2"), ("thm31", "Theorem 3.1"), ("thm32", "Theorem 3.2"),
                         ("thm33", "Theorem 3.3")):
        lines.append(f"  {theorem} {APPLIES_WORDS[pr['applies'][key]]}. {pr['why'][key]}")
    m = r.measured
    if m:
        rate = m["rate"]
        lines.append(f"SGD on the data: η = {format_number(m['eta']['value'], 3)} ({m['eta']['chosen_by']}), "
                     f"{count_of(m['runs'], 'start')}, {count_of(m['iterations'], 'step')}: ‖w − w*‖/‖w*‖ from "
                     f"{format_number(float(np.median(m['initial_relative_distance'])), 3)} to median "
                     f"{format_number(float(np.median(m['relative_distance'])), 3)} (range "
                     f"{format_number(min(m['relative_distance']), 3)} … {format_number(max(m['relative_distance']), 3)}), "
                     f"final cosine with w* median {format_number(float(np.median(m['cosine'])), 4)}, "
                     f"rate {format_with_error(rate['value'], rate['error']) if rate['value'] is not None else 'undefined'}"
                     " per step")
        if m.get("slack"):
            sl = m["slack"]
            lines.append(f"slack of the theory here: its step is {format_number(sl['step_ratio'])}× smaller than the one "
                         "SGD tolerates" + (f"; its predicted rate is {format_number(sl['rate_ratio'])}× slower than the "
                                            "measured one" if sl.get("rate_ratio") else ""))
    lines += [f"data: {src['label']}: {count_of(src['items'], 'item')}, k = {src['k']} "
              f"{'patch' if src['k'] == 1 else 'patches'} of p = {src['p']} "
              f"({count_of(src['patches'], 'patch', 'patches')}); law: {r.provenance['law']}",
              f"γ(0) = {_fmt(c['gamma'][0])}    L(0) = {_fmt(c['L'][0])}",
              f"β = {_fmt(c['beta'])}    L_cross = {_fmt(c['L_cross'])}",
              f"ρ = {format_number(c['rho'].value, 4)} rad    μ = {_fmt(c['mu'])}    γ_avg(φ0) = {_fmt(c['gamma_avg'])}",
              "assumptions:"]
    for key, a in r.assumptions.items():
        m_ = a["margin"]
        margin = (f"margin undefined: {a['nan_reason']}" if a.get("nan_reason")
                  else f"margin {format_number(m_, 3) if isinstance(m_, float) else format_number(m_)}")
        lines.append(f"  [{a['verdict']:<12}] {key}: {a['statement']} ({margin})")
    if pr["eta_max"] is not None:
        lines.append(f"prediction ({pr['theorem']}): η_max = {format_number(pr['eta_max'], 3)}; rate "
                     f"{format_number(pr['rate_per_step'], 3)} per step; iterations to ε = {pr['epsilon']:g}: "
                     f"{whole_number(pr['iterations_to_epsilon'])}")
    else:
        lines.append(f"prediction ({pr['theorem']}): no step. {join_sentences(*[pr['no_step_reason']])}")
    init = pr.get("initialization")
    if init:
        lines.append(f"random init (Theorem 3.4): φ* = {format_number(pr['phi_star'], 4)}, α = cos φ* = "
                     f"{format_number(init['alpha'], 4)}, success probability {format_number(init['success_probability'], 4)}")
    return "\n".join(lines)

"""The outcome of :func:`verify.diagnosis.diagnose`, as an object and as strict JSON (docs/diagnose.md §7)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..jsonio import jsonable
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
    assumptions : list of dict
        One judged assumption each (:func:`verify.diagnosis.assumptions.judge`).
    prediction : dict
        :func:`verify.diagnosis.predictions.theory`.
    measured : dict or None
        :func:`verify.diagnosis.predictions.run_sgd` (None when no SGD was asked for).
    provenance : dict
    """

    teacher: np.ndarray = field(repr=False)
    constants: dict = field(repr=False)
    assumptions: list = field(repr=False)
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

    def verdicts(self) -> dict[str, str]:
        """statement → holds / fails / inconclusive."""
        return {f"{a['theorem']}: {a['statement']}": a["verdict"] for a in self.assumptions}

    def __repr__(self) -> str:
        c = self.constants
        return (f"DiagnoseResult(p={self.teacher.size}, k={self.provenance['source']['k']}, "
                f"gamma(0)={c['gamma'][0].value:.4g}, L(0)={c['L'][0].value:.4g}, beta={c['beta'].value:.4g}, "
                f"L_cross={c['L_cross'].value:.4g})")


def _fmt(e: Estimate) -> str:
    if not math.isfinite(e.value):
        return f"{e.value}"
    err = f" ± {e.half_width(0.95):.2g}" if e.error > 0 else ""
    return f"{e.value:.6g}{err} ({e.kind}, {e.method})"


def format_text(r: DiagnoseResult) -> str:
    """A terminal summary of the result."""
    c, pr, src = r.constants, r.prediction, r.provenance["source"]
    lines = [f"data: {src['label']} — {src['items']} items, k = {src['k']} patches of p = {src['p']} "
             f"({src['patches']:,} patches); law: {r.provenance['law']}",
             f"γ(0) = {_fmt(c['gamma'][0])}    L(0) = {_fmt(c['L'][0])}",
             f"β = {_fmt(c['beta'])}    L_cross = {_fmt(c['L_cross'])}",
             f"ρ = {c['rho'].value:.4g} rad    μ = {_fmt(c['mu'])}    γ_avg(φ0) = {_fmt(c['gamma_avg'])}",
             "assumptions:"]
    for a in r.assumptions:
        m = a["margin"]
        margin = f"margin {m:+.3g}" if isinstance(m, float) and math.isfinite(m) else f"margin {m}"
        lines.append(f"  [{a['verdict']:<12}] {a['theorem']}: {a['statement']} ({margin})")
    lines.append(f"prediction ({pr['theorem']}): η_max = {pr['eta_max']:.4g}; η used = {pr['eta_used']:.4g} "
                 f"({pr['eta_source']}); rate {pr['rate_per_step']} per step; iterations to ε = "
                 f"{pr['epsilon']:g}: {pr['iterations_to_epsilon']}")
    init = pr.get("initialization")
    if init:
        lines.append(f"random init (Theorem 3.4): φ* = {pr['phi_star']:.4g}, α = cos φ* = {init['alpha']:.4g}, "
                     f"success probability {init['success_probability']:.4g}")
    m = r.measured
    if m:
        se = "" if m["rate_se"] is None else f" ± {m['rate_se']:.2g}"
        lines.append(f"SGD ({m['runs']} runs, {m['iterations']} steps, η = {m['eta']:.4g}): measured rate "
                     f"{m['rate_mean']:.4g}{se} per step vs predicted {pr['rate_per_step']}")
    return "\n".join(lines)

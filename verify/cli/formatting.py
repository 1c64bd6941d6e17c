"""The human-readable output of each subcommand: ``format_<subcommand>(result) -> text``.

Each takes the JSON-ready result of :mod:`verify.cli.commands` (what ``--json``
prints) and returns the text printed without ``--json``.  Where a result carries
``warnings`` (docs/error-bars.md: heavy tails, β = ∞, lumpy RQMC replicates …),
they follow the table or summary as lines starting with ``warning: ``.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..jsonio import dumps, json_number
from .argtypes import ESTIMATE_QUANTITIES

__all__ = [
    "format_certify",
    "format_check",
    "format_claims",
    "format_control",
    "format_estimate",
    "format_experiment",
    "format_init_prob",
    "format_report",
    "format_summary",
    "warning_lines",
]


def warning_lines(found: Iterable[tuple[str, str]]) -> list[str]:
    """``warning: <text> (<where>)`` per distinct warning, in order of appearance, the places joined.

    ``found`` holds (warning, where) pairs; an empty ``where`` adds no parenthesis.

    Examples
    --------
    >>> warning_lines([("heavy-tails: x", "gamma φ=0.5"), ("heavy-tails: x", "L φ=0.5"), ("qmc-lumpy: y", "")])
    ['warning: heavy-tails: x (gamma φ=0.5, L φ=0.5)', 'warning: qmc-lumpy: y']
    """
    places: dict[str, list[str]] = {}
    for text, where in found:
        seen = places.setdefault(text, [])
        if where and where not in seen:
            seen.append(where)
    return [f"warning: {text}" + (f" ({', '.join(where)})" if where else "") for text, where in places.items()]


def format_estimate(result: dict[str, Any]) -> str:
    """``estimate``: the law, one row per quantity and angle, then the warnings."""
    d = result["distribution"]
    params = ", ".join(f"{k}={v}" for k, v in (d.get("parameters") or {}).items() if v is not None)
    lines = [f"distribution: {d.get('name')} (p={d.get('p')}, k={d.get('k')}{', ' + params if params else ''})",
             f"{'quantity':<9} {'phi':>8} {'value':>14} {'± error':>11} {'error kind':<15} {'kind':<12} {'method':<6} {'n':>9}"]
    found = []
    for q in ESTIMATE_QUANTITIES:
        for row in result.get(q, []):
            phi = "" if row["phi"] is None else f"{row['phi']:.4f}"
            n = "" if row["n"] is None else str(row["n"])
            lines.append(f"{q:<9} {phi:>8} {row['value']:>14.8g} {row['error']:>11.2g} {row['error_kind']:<15} "
                         f"{row['kind']:<12} {row['method']:<6} {n:>9}")
            found += [(w, q if row["phi"] is None else f"{q} φ={row['phi']:.4g}") for w in row.get("warnings") or ()]
    return "\n".join(lines + warning_lines(found))


def format_init_prob(result: dict[str, Any]) -> str:
    """``init-prob``: the exact probability, Monte Carlo, each bound against the exact value, then the warnings."""
    lines = [f"Theorem 3.4, p={result['p']}, alpha={result['alpha']}",
             f"  exact probability (lens of two balls)   {result['exact']:.12g}"]
    mc = result["mc"]
    lines.append(f"  Monte Carlo                            {mc['value']:.6g} ± {mc['error']:.2g} "
                 f"(n={mc['n']}, seed={mc['seed']})")
    for name, value in result["bounds"].items():
        ok = "≤ exact" if value <= result["exact"] else "> exact (violated)"
        lines.append(f"  bound {name:<32} {value:.12g}  {ok}")
    return "\n".join(lines + warning_lines((w, "Monte Carlo") for w in result.get("warnings") or ()))


def format_summary(result: dict[str, Any]) -> str:
    """``summary``: per law, tight β and γ, L, L_{−w*} at three angles; then the warnings."""
    lines, found = [], []
    for row in result["laws"]:
        lines.append(f"{row['law']}  [{row['method']}]   tight β = {row['beta']['value']:.5g} ± {row['beta']['error']:.2g}"
                     f" ({row['beta']['kind']})")
        lines.append(f"   {'phi':>8} {'gamma':>20} {'L':>20} {'L_neg':>20}")
        for i, phi in enumerate(row["phi"]):
            cells = [f"{row[q][i]['value']:.5g} ± {row[q][i]['error']:.1g}" for q in ("gamma", "L", "L_neg")]
            lines.append(f"   {phi:>8.4f} {cells[0]:>20} {cells[1]:>20} {cells[2]:>20}")
            found += [(w, f"{row['law']}: {q} φ={phi:.4g}") for q in ("gamma", "L", "L_neg")
                      for w in row[q][i].get("warnings") or ()]
        found += [(w, f"{row['law']}: beta") for w in row["beta"].get("warnings") or ()]
    return "\n".join(lines + warning_lines(found))


def format_claims(claims: list[dict[str, Any]]) -> str:
    """``claims``: id, source and statement of each claim."""
    lines = []
    for c in claims:
        rec = " [reconstructed]" if c.get("reconstructed") else ""
        lines.append(f"{c['id']:<24} {c['source']}{rec}\n{'':<24} {c['statement']}")
    return "\n".join(lines)


def format_check(result: dict[str, Any]) -> str:
    """``check``: the verdict, whether the instance is outside the hypotheses, margin, tightness, readings, warnings."""
    if "control" in result:
        return format_control(result)
    lines = [f"{result['claim']}: {result['verdict'].upper()}"]
    if result.get("in_hypothesis") is False:
        lines.append(f"  {result.get('note') or 'outside the claim’s hypotheses'}")
    margin, error = json_number(result["margin"]), json_number(result["margin_error"])
    if margin is not None and not math.isnan(margin):
        lines.append(f"  margin {margin:+.4g} ± {error:.2g} (≥ 0 means the claim holds here)")
    elif result.get("note") and result.get("in_hypothesis") is not False:
        lines.append(f"  {result['note']}")
    tightness = json_number(result.get("tightness"))
    if tightness is not None and math.isfinite(tightness):
        lines.append(f"  tightness (actual / claimed) {tightness:.4g}")
    for name, verdict in (result.get("readings") or {}).items():
        lines.append(f"  reading {name}: {verdict}")
    if result.get("counterexample"):
        lines.append(f"  counterexample: {dumps(result['counterexample'], fallback=str, ensure_ascii=False)}")
    return "\n".join(lines + warning_lines((w, "") for w in result.get("warnings") or ()))


def format_control(result: dict[str, Any]) -> str:
    """``check ID --control NAME``: whether the check refuted the false variant, and the refuting instance."""
    refuted = result["verdict"] == "refuted"
    head = ("REFUTED: the check refuted the false variant, as it must" if refuted else
            f"NOT REFUTED ({result['verdict']}): the check found no instance refuting the false variant")
    lines = [f"{result['claim']} --control {result['control']}: {head}",
             f"  variant: {result['statement']}",
             f"  {result['instances']} instances searched (profile {result['profile']}, seed {result['seed']})"]
    margin, error = json_number(result.get("margin")), json_number(result.get("margin_error"))
    if margin is not None and not math.isnan(margin):
        lines.append(f"  margin of the variant {margin:+.4g} ± {error:.2g} (< 0 refutes it)")
    failure = result.get("failure")
    if failure:
        lines.append(f"  refuting instance: {dumps(failure.get('instance'), fallback=str, ensure_ascii=False)}")
        if failure.get("note"):
            lines.append(f"  note: {failure['note']}")
    elif result.get("needs") and result.get("profile") != result["needs"] and result["needs"] != "quick":
        lines.append(f"  this control needs at least --profile {result['needs']} to have the power to refute it")
    return "\n".join(lines + warning_lines((w, "") for w in result.get("warnings") or ()))


def format_experiment(result: dict[str, Any]) -> str:
    """``experiment``: name, claim, parameters and the finding."""
    params = ", ".join(f"{k}={v}" for k, v in result.get("parameters", {}).items())
    return f"{result['name']} (claim {result['claim']}): {params}\n  {result['finding']}"


def format_report(result: dict[str, str]) -> str:
    """``report``: the files written."""
    return f"wrote {result['index']} and {result['claims']}"


def _min_margin(value: Any) -> str:
    if isinstance(value, dict) and "margin_upper" in value:
        where = {k: v for k, v in value.items() if k != "margin_upper"}
        at = (f"on the box {dumps(where['box'], fallback=str, ensure_ascii=False)}" if set(where) == {"box"} else
              "at " + ", ".join(f"{k} = {v}" for k, v in where.items()))
        return f"margin ≤ {json_number(value['margin_upper']):.6g} {at}"
    number = json_number(value) if isinstance(value, (int, float, str)) else None
    if number is not None:
        return f"min margin ≥ {number:.6g}"
    return f"min margin {dumps(value, fallback=str, ensure_ascii=False)}"


def format_certify(certificates: list[dict[str, Any]]) -> str:
    """``certify``: one line per certificate: claim [reading], verdict, domain in words, min margin."""
    lines = []
    for d in certificates:
        words = (d.get("domain") or {}).get("words", "")
        lines.append(f"{d['claim']} [{d['reading']}]: {d['verdict']} on {words}; {_min_margin(d.get('min_margin'))}")
    return "\n".join(lines)

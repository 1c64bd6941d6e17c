"""The human-readable output of each subcommand: ``format_<subcommand>(result) -> text``.

Each takes the JSON-ready result of :mod:`verify.cli.commands` (what ``--json``
prints) and returns the text printed without ``--json``.  Where a result carries
``warnings`` (docs/error-bars.md: heavy tails, β = ∞, lumpy RQMC replicates …),
they follow the table or summary as lines starting with ``warning: ``.
"""
from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable
from typing import Any

from ..jsonio import json_number
from ..report.counterexample import counterexample_view
from ..report.words import (certified_margin_text, control_reason, count_of, format_number, format_with_error,
                            outside_reason, symbols, value_and_error, verdict_reason)
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
    """``warning: <text> (<where>)`` per distinct warning, in order of appearance, the places joined; numbers
    and relations in the text as the page writes them (:func:`verify.report.words.symbols`).

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
    return [f"warning: {symbols(text)}" + (f" ({', '.join(where)})" if where else "") for text, where in places.items()]


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
            value, error = value_and_error(row["value"], row["error"], most=8)
            lines.append(f"{q:<9} {phi:>8} {value:>14} {error:>11} {row['error_kind']:<15} "
                         f"{row['kind']:<12} {row['method']:<6} {n:>9}")
            found += [(w, q if row["phi"] is None else f"{q} φ={row['phi']:.4g}") for w in row.get("warnings") or ()]
    return "\n".join(lines + warning_lines(found))


def format_init_prob(result: dict[str, Any]) -> str:
    """``init-prob``: the exact probability, Monte Carlo, each bound against the exact value, then the warnings."""
    lines = [f"Theorem 3.4, p={result['p']}, alpha={result['alpha']}",
             f"  exact probability (lens of two balls)   {format_number(result['exact'], 12)}"]
    mc = result["mc"]
    lines.append(f"  Monte Carlo                            {format_with_error(mc['value'], mc['error'])} "
                 f"(n={mc['n']}, seed={mc['seed']})")
    for name, value in result["bounds"].items():
        ok = "≤ exact" if value <= result["exact"] else "> exact (violated)"
        lines.append(f"  bound {name:<32} {format_number(value, 12)}  {ok}")
    return "\n".join(lines + warning_lines((w, "Monte Carlo") for w in result.get("warnings") or ()))


def format_summary(result: dict[str, Any]) -> str:
    """``summary``: per law, tight β and γ, L, L_{−w*} at three angles; then the warnings."""
    lines, found = [], []
    for row in result["laws"]:
        lines.append(f"{row['law']}  [{row['method']}]   tight β = "
                     f"{format_with_error(row['beta']['value'], row['beta']['error'])} ({row['beta']['kind']})")
        lines.append(f"   {'phi':>8} {'gamma':>20} {'L':>20} {'L_neg':>20}")
        for i, phi in enumerate(row["phi"]):
            cells = [format_with_error(row[q][i]["value"], row[q][i]["error"]) for q in ("gamma", "L", "L_neg")]
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


def _deciding_part(result: dict[str, Any], reading: str | None = None) -> dict[str, Any] | None:
    """The part that decided a verdict: of ``reading`` (all parts when None or when it has none of its own),
    the one at the result's margin, else the first with the verdict, else the one of smallest margin."""
    parts = [p for p in result.get("parts") or [] if isinstance(p, dict)]
    own = [p for p in parts if reading is None or p.get("reading") == reading] or parts
    verdict = (result.get("readings") or {}).get(reading, result.get("verdict")) if reading else result.get("verdict")
    margin = json_number(result.get("margin"))
    at = [p for p in own if reading is None and margin is not None and json_number(p.get("margin")) == margin
          and p.get("verdict") == verdict]
    same = [p for p in own if p.get("verdict") == verdict]
    pool = at or same or own
    return min(pool, key=lambda p: _sort_margin(p.get("margin")), default=None)


def _sort_margin(value: Any) -> float:
    number = json_number(value)
    return math.inf if number is None or math.isnan(number) else number


def _reason_of(result: dict[str, Any], verdict: str, part: dict[str, Any] | None) -> str:
    """One sentence: why this verdict (:func:`verify.report.words.verdict_reason`)."""
    if result.get("in_hypothesis") is False:
        return outside_reason(result.get("note"))
    if part is None:
        return verdict_reason(verdict, margin=result.get("margin"), error=result.get("margin_error"),
                              instances=1, note=result.get("note"))
    return verdict_reason(verdict, part=part.get("name"), margin=part.get("margin"), error=part.get("margin_error"),
                          why=part.get("why") or "", instances=1)


def _counterexample_lines(cex: dict[str, Any], claim: str, indent: str = "    ") -> list[str]:
    """A counterexample as ``name: value`` lines and its atoms as rows (never JSON), each number once."""
    view = counterexample_view(cex, claim)
    lines = [f"{indent}{k}: {v}" for k, v in view["rows"] + view["law"]]
    atoms = view.get("atoms")
    if atoms:
        lines.append(f"{indent}{atoms['caption']}:")
        widths = [max(len(r["cells"][j]) for r in atoms["rows"]) for j in range(len(atoms["header"]))]
        lines.append(f"{indent}  {'atom':>4}   " + "  ".join(f"{h:>{w}}" for h, w in zip(atoms["header"], widths)))
        lines += [f"{indent}  {r['index']:>4}{' ◀' if r['marked'] else '  '} "
                  + "  ".join(f"{c:>{w}}" for c, w in zip(r["cells"], widths)) for r in atoms["rows"]]
        if atoms["note"]:
            lines.append(f"{indent}{atoms['note']}")
    return lines


def format_check(result: dict[str, Any]) -> str:
    """``check``: the verdict and its reason in one sentence, margin, tightness, each reading with its reason,
    the counterexample as rows (never JSON), then the warnings."""
    if "control" in result:
        return format_control(result)
    verdict = str(result["verdict"])
    lines = [f"{result['claim']}: {verdict.upper()}",
             "  " + _reason_of(result, verdict, _deciding_part(result))]
    margin, error = json_number(result["margin"]), json_number(result["margin_error"])
    if margin is not None and not math.isnan(margin):
        lines.append(f"  margin {format_with_error(margin, error)} (≥ 0 means the claim holds here)")
    tightness = json_number(result.get("tightness"))
    if tightness is not None and math.isfinite(tightness) and verdict != "refuted":
        lines.append(f"  tightness (actual / claimed) {format_number(tightness)}")
    for name, rverdict in (result.get("readings") or {}).items():
        part = _deciding_part(result, name)
        own = part is not None and part.get("reading") == name
        if result.get("in_hypothesis") is False:
            lines.append(f"  reading {name}: {rverdict}")
        elif own:
            lines.append(f"  reading {name} — {_reason_of(result, rverdict, part)}")
        else:
            lines.append(f"  reading {name}: {rverdict} (it has no part of its own: decided by the parts of the "
                         "readings below)")
    if result.get("counterexample"):
        lines.append("  counterexample:")
        lines += _counterexample_lines(result["counterexample"], result["claim"])
    return "\n".join(lines + warning_lines((w, "") for w in result.get("warnings") or ()))


def format_control(result: dict[str, Any]) -> str:
    """``check ID --control NAME``: whether the check refuted the false variant, why in one sentence, and the
    refuting instance as rows."""
    refuted = result["verdict"] == "refuted"
    head = ("REFUTED: the check refuted the false variant, as it must" if refuted else
            f"NOT REFUTED ({result['verdict']}): the check found no instance refuting the false variant")
    lines = [f"{result['claim']} --control {result['control']}: {head}",
             f"  variant: {symbols(result['statement'])}",
             f"  {control_reason(result)}",
             f"  {count_of(result['instances'], 'instance')} searched (profile {result['profile']}, "
             f"seed {result['seed']})"]
    failure = result.get("failure")
    if failure:
        lines.append("  refuting instance:")
        lines += _counterexample_lines({"instance": failure.get("instance") or {}}, result["claim"])
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


#: Width of the text output: longer sentences (a certificate's domain) wrap onto indented lines.
WIDTH = 100


def _wrap(text: str, indent: int) -> list[str]:
    """``text`` in lines of at most :data:`WIDTH` characters, never cut inside an interval "[a, b]"."""
    unbroken = re.sub(r"\[[^\]]*\]", lambda m: m.group(0).replace(" ", "\u00a0"), text)
    unbroken = re.sub(r" ([=∈≤≥]) ", "\u00a0\\1\u00a0", unbroken)          # nor between a name and its value
    return [line.replace("\u00a0", " ") for line in
            textwrap.wrap(unbroken, WIDTH, subsequent_indent=" " * indent, break_on_hyphens=False,
                          drop_whitespace=True)] or [text]


def format_certify(certificates: list[dict[str, Any]]) -> str:
    """``certify``: per claim, its domain in words once (wrapped), then one line per reading: verdict and the
    rigorous margin (intervals to the digits that differ), and where a p-range splits, which p do what.

    Examples
    --------
    >>> print(format_certify([{"claim": "c", "reading": "r", "verdict": "certified-refuted",
    ...     "domain": {"words": "every integer p ∈ [2, 300]"}, "p_holds": "2–12", "p_refuted": "13–300",
    ...     "min_margin": {"p": 13, "x": "[0.7853981626659892, 0.7853981626659893]", "margin_upper": -0.00048}}]))
    c on every integer p ∈ [2, 300]
      r                            certified-refuted  margin ≤ −0.00048 at p = 13,
                                                       x ∈ [0.7853981626, 0.7853981627]
                                   p holds 2–12, refuted 13–300
    """
    lines: list[str] = []
    shown: tuple[str, str] | None = None
    for d in certificates:
        words = (d.get("domain") or {}).get("words", "")
        if shown != (d["claim"], words):
            shown = (d["claim"], words)
            lines += _wrap(f"{d['claim']} on {words}", 4)
        lines += _wrap(f"  {d['reading']:<28} {d['verdict']:<18} {certified_margin_text(d.get('min_margin'))}", 51)
        split = [f"{what} {d[key]}" for key, what in (("p_holds", "holds"), ("p_refuted", "refuted"),
                                                      ("p_undecided", "undecided"))
                 if d.get(key) not in (None, "", "∅")]
        if len(split) > 1:
            lines.append(f"  {'':<28} p {', '.join(split)}")
    return "\n".join(lines)

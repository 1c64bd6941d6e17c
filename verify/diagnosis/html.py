"""The diagnosis as one self-contained HTML page in the report's style (docs/diagnose.md §7).

The page is the template ``verify/report/templates/diagnose.html.j2`` rendered with the
report's jinja2 environment (:func:`verify.report.render.environment`: autoescape, strict
undefined, the report's number format); figures are drawn by matplotlib and inlined as SVG
through :mod:`verify.report.svg` (deterministic bytes); the page uses the report's stylesheet
(``verify/report/templates/report.css``), inlined, and fetches nothing; it is written atomically
(:func:`verify.jsonio.write_atomically`) as ``diagnose.html`` beside ``diagnose.json``.
"""
from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import numpy as np


from ..checker.terms import side_phrase
from ..jsonio import dumps, write_atomically
from ..report.words import count_of, format_number, format_with_error, join_sentences, whole_number
from .headline import APPLIES_WORDS
from .result import DiagnoseResult

__all__ = ["render_page", "write_outputs"]

#: verdict → the report's badge class (report.css)
BADGE_CLASS = {"holds": "holds", "fails": "refuted", "inconclusive": "inconclusive"}
#: applies (True/False/None) → the report's badge class
APPLIES_BADGE = {True: "holds", False: "refuted", None: "inconclusive"}


#: γ and L are drawn on a log axis when max L / min positive γ exceeds this (a linear axis shows γ as a flat 0)
LOG_RATIO = 100.0


def _curves_figure(r: DiagnoseResult) -> tuple[str, str]:
    from ..report.svg import PALETTE, bottom_legend, new_figure, pi_ticks, to_svg

    c = r.constants
    phi = np.array(c["curve"])
    gam = np.array([e.value for e in c["gamma"]])
    big = np.array([e.value for e in c["L"]])
    k = r.provenance["source"]["k"]
    lc6 = 6 * float(c["L_cross"].value) if k > 1 else None
    positive = gam > 0
    log = positive.any() and float(big.max()) / float(gam[positive].min()) > LOG_RATIO
    fig, ax = new_figure(6.0, 3.2)
    for v, e, color, label in ((gam, c["gamma"], PALETTE[0], "γ(φ)"), (big, c["L"], PALETTE[1], "L(φ)")):
        h = np.array([x.half_width(0.95) for x in e])
        keep = v > 0 if log else np.ones(v.size, bool)
        ax.plot(phi[keep], v[keep], color=color, label=label, marker="o", ms=2.5)
        if not log:
            ax.fill_between(phi, v - h, v + h, color=color, alpha=0.2, lw=0)
    if lc6 is not None and lc6 > 0:
        ax.axhline(lc6, color=PALETTE[3], ls="--", lw=1.2, label="6·L_cross")
    if log:
        ax.set_yscale("log")
    pi_ticks(ax)
    ax.set_xlabel("φ = θ(w, w*)")
    ax.set_title("γ(φ), L(φ)" + (" and 6·L_cross" if lc6 else "") + (" (log scale)" if log else ""))
    bottom_legend(fig, ax, ncols=3)
    dropped = int((~positive).sum()) if log else 0
    caption = ("γ(φ) is searched (an upper bound on the true minimum), L(φ) a lower bound" +
               ("; Theorem 3.1 needs γ(φ0) above the dashed 6·L_cross line" if lc6 else "") +
               (f"; log scale because L exceeds γ by more than {LOG_RATIO:g}×" if log else "; 95 % bands") +
               (f"; {dropped} grid {'angle' if dropped == 1 else 'angles'} where γ(φ) ≤ 0 not drawn" if dropped
                else "") + ".")
    return caption, to_svg(fig, "dg-curves")


def _ratios_figure(r: DiagnoseResult) -> tuple[str, str]:
    from ..report.svg import PALETTE, bottom_legend, new_figure, to_svg

    c = r.constants
    theta = np.array(c["sup_grid"])
    fig, ax = new_figure(6.0, 3.0)
    for key, color, label in (("beta_ratio", PALETTE[2], "L₋w*(θ)/θ → β"), ("cross_ratio", PALETTE[3],
                                                                           "cross sum/θ → L_cross")):
        ax.plot(theta, [e.value for e in c[key]], color=color, marker="o", ms=2.5, label=label)
    ax.set_xscale("log")
    ax.set_xlabel("θ (rad)")
    ax.set_title("The ratios whose sups are β and L_cross")
    bottom_legend(fig, ax)
    return ("β (Assumption 2.1) and L_cross (Assumption 3.2) are the sups of these ratios over θ; the grid sups "
            "are lower bounds of the tight constants.", to_svg(fig, "dg-ratios"))


def _sgd_figure(r: DiagnoseResult) -> tuple[str, str]:
    from matplotlib.ticker import ScalarFormatter

    from ..report.svg import PALETTE, bottom_legend, new_figure, to_svg

    m = r.measured
    w = float(np.linalg.norm(r.teacher))
    fig, ax = new_figure(6.0, 3.2)
    rows = [(m, PALETTE[0], "-", f"SGD at η = {format_number(m['eta']['value'], 3)}")]
    if m.get("theory_step"):
        rows.append((m["theory_step"], PALETTE[1], "--", f"at the theory's η = {format_number(r.prediction['eta_max'])}"))
    values = []
    for run, color, ls, label in rows:
        t = np.array(run["steps"])
        for i, row in enumerate(np.array(run["distance"], dtype=float)):
            ax.plot(t, row / w, color=color, lw=1, ls=ls, alpha=0.85, label=label if i == 0 else None)
            values.append(row / w)
    v = np.concatenate(values)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size and v.max() / v.min() > 10:
        ax.set_yscale("log")
    else:
        ax.yaxis.set_major_formatter(ScalarFormatter(useOffset=False))
    ax.set_xlabel("step t")
    ax.set_ylabel("‖w_t − w*‖ / ‖w*‖")
    ax.set_title(f"SGD on the data from {count_of(m['runs'], 'start')}")
    bottom_legend(fig, ax)
    return ("The distance to the teacher along each run; the step is "
            + ("the one given" if m["eta"]["chosen_by"] == "given" else "the largest that contracted in the search")
            + (" and, dashed, the theory's step." if m.get("theory_step") else " (the theory gives no step)."),
            to_svg(fig, "dg-sgd"))


def _figures(r: DiagnoseResult) -> list[tuple[str, str]]:
    out = [_curves_figure(r), _ratios_figure(r)]
    if r.measured:
        out.append(_sgd_figure(r))
    return out


def _measured_rows(r: DiagnoseResult) -> list[tuple[str, str, str]]:
    """The measured-vs-predicted table: (quantity, measured, predicted)."""
    p, m = r.prediction, r.measured
    no_step = f"none: {p['theorem']} gives no positive step"
    rows = [("step η", f"{format_number(m['eta']['value'], 3)} ({m['eta']['how']})",
             format_number(p["eta_max"], 3) if p["eta_max"] is not None else no_step)]
    rate = m["rate"]
    rows.append(("rate per step (−d ln‖w − w*‖/dt)",
                 format_with_error(rate["value"], rate["error"]) if rate["value"] is not None else "undefined: no finite run",
                 format_number(p["rate_per_step"], 3) if p["rate_per_step"] is not None else no_step))
    d0, d = np.array(m["initial_relative_distance"]), np.array(m["relative_distance"])
    rows.append((f"‖w − w*‖/‖w*‖ after {count_of(m['iterations'], 'step')}",
                 f"median {format_number(float(np.median(d)), 3)} from {format_number(float(np.median(d0)), 3)} "
                 f"(range {format_number(float(d.min()), 3)} … {format_number(float(d.max()), 3)} over "
                 f"{count_of(m['runs'], 'start')})", "—"))
    cos = np.array(m["cosine"])
    rows.append(("final cosine with w*", f"median {format_number(float(np.median(cos)), 4)} (range "
                 f"{format_number(float(cos.min()), 4)} … {format_number(float(cos.max()), 4)})", "—"))
    rows.append((f"iterations to ε = {p['epsilon']:g}", "—",
                 f"{whole_number(p['iterations_to_epsilon'])} iterations" if p["iterations_to_epsilon"] else no_step))
    th = m.get("theory_step")
    if th:
        rows.append(("at the theory's step: rate per step",
                     format_with_error(th["rate"]["value"], th["rate"]["error"]) if th["rate"]["value"] is not None
                     else "undefined", format_number(p["rate_per_step"], 3)))
        rows.append(("time to ε at the theory's step", "—",
                     f"{format_number(th['extrapolated_seconds_to_epsilon'])} s ({th['extrapolation_note']})"))
    return rows


def render_page(r: DiagnoseResult) -> str:
    """The HTML text of the diagnosis: ``templates/diagnose.html.j2`` in the report's environment."""
    from markupsafe import Markup

    from ..report.render import environment

    c = r.constants
    constants = [("γ(0)", c["gamma"][0]), ("L(0)", c["L"][0]), ("β (tight, grid sup)", c["beta"]),
                 ("L_cross (tight, grid sup)", c["L_cross"]), ("γ_avg(φ0)", c["gamma_avg"]), ("ρ", c["rho"]),
                 ("μ", c["mu"])]
    constants = [(name, e, format_number(e.value, 4), format_number(e.half_width(0.95), 2), side_phrase(e.kind))
                 for name, e in constants]
    css = resources.files("verify.report").joinpath("templates/report.css").read_text(encoding="utf-8")
    p = r.prediction
    theorems = [(t, p["applies"][key], p["why"][key]) for t, key in
                (("Theorem 2.2", "thm22"), ("Theorem 3.1", "thm31"), ("Theorem 3.2", "thm32"), ("Theorem 3.3", "thm33"))]
    assumptions = [dict(a, margin_text=_margin_text(a), why_text=join_sentences(*[a["why"], a.get("note")]))
                   for a in r.assumptions.values()]
    return environment().get_template("diagnose.html.j2").render(
        src=r.provenance["source"], prov=r.provenance, css=Markup(css), c=c, constants=constants,
        figures=_figures(r), assumptions=assumptions, badge_class=BADGE_CLASS, p=p, m=r.measured,
        theorems=theorems, applies_words=APPLIES_WORDS, applies_badge=APPLIES_BADGE,
        measured_rows=_measured_rows(r) if r.measured else [], provenance=dumps(r.provenance, indent=1),
        slack=_slack_text(r), law_note=join_sentences(*[r.provenance["law_note"]]),
        iterations_text=whole_number(p["iterations_to_epsilon"]), norm2_text=format_number(c["norm2_max"], 4),
        drop_text=format_number(p["contraction_drop"], 3),
        items_text=count_of(r.provenance["source"]["items"], "item"),
        patches_text=count_of(r.provenance["source"]["patches"], "patch", "patches"))


def _margin_text(a: dict) -> str:
    if a.get("nan_reason"):
        return f"undefined: {a['nan_reason']}"
    m = a["margin"]
    text = format_number(m, 3) if isinstance(m, float) else format_number(m)
    e = a.get("margin_error")
    return text + (f" ± {format_number(e)}" if isinstance(e, float) and math.isfinite(e) and e > 0 else "")


def _slack_text(r: DiagnoseResult) -> str:
    m = r.measured
    if not m or not m.get("slack"):
        return ""
    sl = m["slack"]
    text = (f"The theory's step is {format_number(sl['step_ratio'])}× smaller than the one SGD tolerates here")
    if sl.get("rate_ratio"):
        text += f"; its predicted rate is {format_number(sl['rate_ratio'])}× slower than the measured one"
    return text + "."


def write_outputs(r: DiagnoseResult, out: Path) -> dict[str, str]:
    """diagnose.json and diagnose.html in ``out``, written atomically together."""
    out = Path(out)
    files = {out / "diagnose.json": dumps(r.to_dict(), indent=1) + "\n", out / "diagnose.html": render_page(r)}
    write_atomically(files)
    return {"json": str(out / "diagnose.json"), "html": str(out / "diagnose.html")}

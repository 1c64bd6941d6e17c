"""The diagnosis as one self-contained HTML page in the report's style (docs/diagnose.md §7).

Figures are drawn by matplotlib and inlined as SVG through :mod:`verify.report.svg`
(deterministic bytes); the page uses the report's stylesheet
(``verify/report/templates/report.css``), inlined; it is written atomically
(:func:`verify.jsonio.write_atomically`) as ``diagnose.html`` beside ``diagnose.json``.
"""
from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import numpy as np

from ..jsonio import dumps, write_atomically
from .result import DiagnoseResult

__all__ = ["render_page", "write_outputs"]

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>verify diagnose — {{ src.label }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{{ css }}</style></head>
<body><main>
<h1>Does this data satisfy the paper's assumptions?</h1>
<p>Du, Lee &amp; Tian (ICLR 2018) on <b>{{ src.label }}</b>: {{ src['items'] }} items, k = {{ src.k }} patches of
p = {{ src.p }} ({{ "{:,}".format(src.patches) }} patches){% if src.filter_size %}, filter {{ src.filter_size }}×{{ src.filter_size }},
stride {{ src.stride }}{% endif %}. {{ prov.law_note }}. Scheduler: {{ prov.scheduler }}.
Definitions: docs/claims.md §2–§4; how to read this page: docs/diagnose.md.</p>
<h2>Constants</h2>
<table><thead><tr><th>quantity</th><th>value</th><th>± (95 %)</th><th>side</th><th>method</th></tr></thead><tbody>
{% for row in constants %}<tr><td>{{ row[0] }}</td><td>{{ row[1] }}</td><td>{{ row[2] }}</td><td>{{ row[3] }}</td><td>{{ row[4] }}</td></tr>
{% endfor %}</tbody></table>
{% for fig in figures %}<figure>{{ fig[1] }}<figcaption>{{ fig[0] }}</figcaption></figure>{% endfor %}
<h2>Assumptions</h2>
<table><thead><tr><th>theorem</th><th>assumption</th><th>verdict</th><th>margin</th><th>why / note</th></tr></thead><tbody>
{% for a in assumptions %}<tr class="{{ a.verdict }}"><td>{{ a.theorem }}</td><td>{{ a.statement }}</td>
<td><b>{{ a.verdict }}</b></td><td>{{ a.margin_text }}</td><td>{{ a.why }} {{ a.note or "" }}</td></tr>
{% endfor %}</tbody></table>
<h2>Predictions</h2>
<ul>{% for line in predictions %}<li>{{ line }}</li>{% endfor %}</ul>
<h2>Provenance</h2><pre>{{ provenance }}</pre>
</main></body></html>
"""


def _num(x, digits=5) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return f"{x:.{digits}g}"


def _figures(r: DiagnoseResult) -> list[tuple[str, str]]:
    from ..report.svg import PALETTE, bottom_legend, new_figure, pi_ticks, to_svg

    c, out = r.constants, []
    phi = np.array(c["curve"])
    fig, ax = new_figure(6.0, 3.0)
    for key, color, label in (("gamma", PALETTE[0], "γ(φ)"), ("L", PALETTE[1], "L(φ)")):
        v = np.array([e.value for e in c[key]])
        h = np.array([e.half_width(0.95) for e in c[key]])
        ax.plot(phi, v, color=color, label=label, marker="o", ms=2.5)
        ax.fill_between(phi, v - h, v + h, color=color, alpha=0.2, lw=0)
    pi_ticks(ax)
    ax.set_xlabel("φ = θ(w, w*)")
    ax.set_title("Definition 2.1 / Assumption 3.1 on the data")
    bottom_legend(fig, ax)
    out.append(("γ(φ) (searched: an upper bound) and L(φ) (a lower bound), 95 % bars.", to_svg(fig, "dg-curves")))
    theta = np.array(c["sup_grid"])
    fig, ax = new_figure(6.0, 3.0)
    for key, color, label in (("beta_ratio", PALETTE[2], "L_{−w*}(θ)/θ → β"), ("cross_ratio", PALETTE[3],
                                                                                "cross sum/θ → L_cross")):
        ax.plot(theta, [e.value for e in c[key]], color=color, marker="o", ms=2.5, label=label)
    ax.set_xscale("log")
    ax.set_xlabel("θ (rad)")
    ax.set_title("The ratios whose sup is β (Assumption 2.1) and L_cross (Assumption 3.2)")
    bottom_legend(fig, ax)
    out.append(("The grid sups are lower bounds of the tight constants.", to_svg(fig, "dg-ratios")))
    m = r.measured
    if m:
        fig, ax = new_figure(6.0, 3.0)
        t = np.array(m["steps"])
        w = float(np.linalg.norm(r.teacher))
        for i, row in enumerate(np.array(m["distance"], dtype=float)):
            ax.plot(t, row / w, color=PALETTE[0], lw=1, alpha=0.8, label="SGD runs" if i == 0 else None)
        if "bound" in m:
            for i, row in enumerate(np.array(m["bound"], dtype=float)):
                ax.plot(t, row / w, color=PALETTE[1], lw=1, ls="--", label="predicted bound" if i == 0 else None)
        ax.set_yscale("log")
        ax.set_xlabel("step t")
        ax.set_ylabel("‖w_t − w*‖ / ‖w*‖")
        ax.set_title(f"SGD on the data, η = {m['eta']:.3g}")
        bottom_legend(fig, ax)
        out.append(("Measured trajectories against the contraction bound (1 − η(γ(φ0) − 6L_cross)/2)^{t/2}·r0.",
                    to_svg(fig, "dg-sgd")))
    return out


def render_page(r: DiagnoseResult) -> str:
    """The HTML text of the diagnosis."""
    import jinja2

    c = r.constants
    rows = []
    for name, e in (("γ(0)", c["gamma"][0]), ("L(0)", c["L"][0]), ("β (tight, grid sup)", c["beta"]),
                    ("L_cross (tight, grid sup)", c["L_cross"]), ("γ_avg(φ0)", c["gamma_avg"]), ("ρ", c["rho"]),
                    ("μ", c["mu"])):
        rows.append((name, _num(e.value, 6), _num(e.half_width(0.95), 2), e.kind, e.method))
    rows.append(("max ‖Z_i‖²", _num(c["norm2_max"]), "", "exact", "max"))
    rows.append(("zero patches", str(c["zero_patches"]), "", "exact", "count"))
    assumptions = []
    for a in r.assumptions:
        margin = a["margin"]
        text = _num(margin, 3) if isinstance(margin, float) else str(margin)
        err = a.get("margin_error")
        if isinstance(err, float) and err > 0:
            text += f" ± {err:.2g}"
        assumptions.append({**a, "margin_text": text})
    p = r.prediction
    lines = [f"{p['theorem']}: η_max = {_num(p['eta_max'])}; step used {_num(p['eta_used'])} ({p['eta_source']})",
             f"contraction of ‖w − w*‖² per step {_num(p['contraction_per_step'], 12)}; predicted rate "
             f"{_num(p['rate_per_step'])} per step; iterations to ε = {p['epsilon']:g}: {p['iterations_to_epsilon']}"]
    if p.get("initialization"):
        i = p["initialization"]
        lines.append(f"random initialisation (Theorem 3.4, α = cos φ* = {_num(i['alpha'])}): success probability "
                     f"{_num(i['success_probability'])}; Corollary 3.1's bound {_num(i['corollary31_bound'])}")
    if r.measured:
        m = r.measured
        lines.append(f"measured SGD rate {_num(m['rate_mean'])} ± {_num(m['rate_se'], 2)} per step over {m['runs']} "
                     f"runs (predicted {_num(p['rate_per_step'])})")
    css = resources.files("verify.report").joinpath("templates/report.css").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True)
    template = env.from_string(_PAGE)
    from markupsafe import Markup

    return template.render(src=r.provenance["source"], prov=r.provenance, css=Markup(css), constants=rows,
                           figures=[(cap, Markup(svg)) for cap, svg in _figures(r)], assumptions=assumptions,
                           predictions=lines, provenance=dumps(r.provenance, indent=1))


def write_outputs(r: DiagnoseResult, out: Path) -> dict[str, str]:
    """diagnose.json and diagnose.html in ``out``, written atomically together."""
    out = Path(out)
    files = {out / "diagnose.json": dumps(r.to_dict(), indent=1) + "\n", out / "diagnose.html": render_page(r)}
    write_atomically(files)
    return {"json": str(out / "diagnose.json"), "html": str(out / "diagnose.html")}

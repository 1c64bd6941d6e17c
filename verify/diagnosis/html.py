"""The diagnosis as one self-contained HTML page in the report's style (docs/diagnose.md §7).

The page is the template ``verify/report/templates/diagnose.html.j2`` rendered with the
report's jinja2 environment (:func:`verify.report.render.environment`: autoescape, strict
undefined, the report's number format); figures are drawn by matplotlib and inlined as SVG
through :mod:`verify.report.svg` (deterministic bytes); the page uses the report's stylesheet
(``verify/report/templates/report.css``), inlined, and fetches nothing; it is written atomically
(:func:`verify.jsonio.write_atomically`) as ``diagnose.html`` beside ``diagnose.json``.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np

from markupsafe import Markup

from ..jsonio import dumps, write_atomically
from .result import DiagnoseResult

__all__ = ["render_page", "write_outputs"]

#: verdict → the report's badge class (report.css)
BADGE_CLASS = {"holds": "holds", "fails": "refuted", "inconclusive": "inconclusive"}


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
    """The HTML text of the diagnosis: ``templates/diagnose.html.j2`` in the report's environment."""
    from ..report.render import environment

    c = r.constants
    constants = [("γ(0)", c["gamma"][0]), ("L(0)", c["L"][0]), ("β (tight, grid sup)", c["beta"]),
                 ("L_cross (tight, grid sup)", c["L_cross"]), ("γ_avg(φ0)", c["gamma_avg"]), ("ρ", c["rho"]),
                 ("μ", c["mu"])]
    css = resources.files("verify.report").joinpath("templates/report.css").read_text(encoding="utf-8")
    return environment().get_template("diagnose.html.j2").render(
        src=r.provenance["source"], prov=r.provenance, css=Markup(css), c=c, constants=constants,
        figures=_figures(r), assumptions=r.assumptions, badge_class=BADGE_CLASS, p=r.prediction, m=r.measured,
        provenance=dumps(r.provenance, indent=1))


def write_outputs(r: DiagnoseResult, out: Path) -> dict[str, str]:
    """diagnose.json and diagnose.html in ``out``, written atomically together."""
    out = Path(out)
    files = {out / "diagnose.json": dumps(r.to_dict(), indent=1) + "\n", out / "diagnose.html": render_page(r)}
    write_atomically(files)
    return {"json": str(out / "diagnose.json"), "html": str(out / "diagnose.html")}

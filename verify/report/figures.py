"""The report's figures, drawn with matplotlib and kept as inline SVG (:mod:`verify.report.svg`).

Three groups, as in the page: the distribution constants γ, L, L₋w* against βφ
and L_cross (:func:`constants_figures`), the initialization probability of
Theorem 3.4 (:func:`initialization_figures`) and the §4 experiments
(:func:`~verify.report.experiment_figures.experiment_figures`).  Every number
drawn comes from the claims run — its constants step
(:func:`verify.run.run_constants`) and its §4 experiments — so nothing is
estimated or run a second time here; only closed forms (the exact
initialization probability and the readings of its bound) are evaluated.  Labels never sit on the data: reference lines are legend
entries and every legend is placed below its axes, outside them, by the
constrained layout, so no text is clipped or overlaps a curve.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
from matplotlib.ticker import NullFormatter

from .svg import PALETTE, bottom_legend, new_figure, pi_ticks, to_svg

__all__ = ["Figure", "constants_figures", "initialization_figures"]


@dataclass(frozen=True)
class Figure:
    """One figure of the page: ``panels`` are ``<svg>`` texts shown side by side.

    ``id`` is the ``data-figure`` attribute of its ``<figure>``; ``section`` is
    ``"constants"``, ``"initialization"`` or ``"experiments"``; ``claim`` is the
    claim id an experiment figure belongs to.
    """

    id: str
    title: str
    caption: str
    panels: tuple[str, ...]
    section: str
    claim: str | None = None
    data: dict = field(default_factory=dict, repr=False)


def _band(ax, x, y, half, color, label, **kw) -> None:
    y, half = np.asarray(y, float), np.asarray(half, float)
    ax.plot(x, y, color=color, label=label, **kw)
    if np.any(half > 0):
        ax.fill_between(x, y - half, y + half, color=color, alpha=0.18, linewidth=0)


# ---------------------------------------------------------------------------
# Distribution constants
# ---------------------------------------------------------------------------

def constants_figures(constants: Mapping[str, Any]) -> list[Figure]:
    """γ(φ), L(φ), L₋w*(φ) against βφ for each law; L_cross of the patch laws, against γ(0)/6.

    Draws docs/claims.md §2 (Definition 2.1, Assumption 2.1) and §3
    (Assumption 3.2) from the run's constants step (:func:`verify.run.run_constants`);
    bands and bars are the 95 % half-widths it recorded.

    Examples
    --------
    >>> law = {"label": "N(0, I₅)", "method": "exact", "n": None, "phi": [0.0, 1.0, 2.0], "gamma": [1, .8, .5],
    ...        "gamma_half_width": [0, 0, 0], "L": [1, 1.2, 1.5], "L_half_width": [0, 0, 0], "L_neg": [0, .5, 1],
    ...        "L_neg_half_width": [0, 0, 0], "beta": {"value": 0.5}, "paper_beta": None}
    >>> cross = {"sigma_patch": [0.1, 0.5], "L_cross": [0.1, 0.3], "L_cross_half_width": [0.01, 0.01],
    ...          "gamma0": [1.2, 1.2], "gamma0_half_width": [0.01, 0.01]}
    >>> [f.id for f in constants_figures({"laws": [law], "cross": cross})]
    ['gamma-L-curves', 'L-cross']
    """
    panels, data = [], {}
    for i, law in enumerate(constants["laws"]):
        label, method = law["label"], law["method"]
        phis = np.asarray(law["phi"], float)
        half = phis[phis <= math.pi / 2 + 1e-12]
        beta = float(law["beta"]["value"])
        g, L, Ln = (np.asarray(law[k], float) for k in ("gamma", "L", "L_neg"))
        Le, Lne = (np.asarray(law[f"{k}_half_width"], float) for k in ("L", "L_neg"))
        fig, ax = new_figure(4.3, 3.5)
        _band(ax, phis, g, law["gamma_half_width"], PALETTE[0], "γ(φ)")
        _band(ax, phis, L, Le, PALETTE[1], "L(φ)")
        _band(ax, phis, Ln, Lne, PALETTE[2], "L₋w*(φ)")
        ax.plot(half, beta * half, color="#222222", linestyle="--", label=f"βφ, tight β = {beta:.3g}")
        paper = law.get("paper_beta")
        if paper is not None:
            ax.plot(half, paper["value"] * half, color="#888888", linestyle=":", label=paper["label"])
        ax.axvline(math.pi / 2, color="#bbbbbb", linewidth=0.8)
        top = float(np.nanmax(np.r_[L + Le, Ln + Lne, beta * half])) * 1.08
        ax.set_ylim(0.0, top if math.isfinite(top) and top > 0 else 1.0)
        pi_ticks(ax)
        ax.set(title=f"{label} ({method})", xlabel="φ = θ(w, w*)", ylabel="eigenvalue")
        bottom_legend(fig, ax, ncols=2)
        panels.append(to_svg(fig, f"constants-{i}"))
        data[label] = {"method": method, "n": law.get("n"), "phi": phis, "gamma": g, "L": L, "L_neg": Ln,
                       "beta": dict(law["beta"])}
    curves_fig = Figure(
        "gamma-L-curves", "γ(φ), L(φ) and L₋w*(φ) against βφ",
        "Definition 2.1 and Assumption 2.1 for the built-in laws: γ (smallest eigenvalue) and L (largest) of "
        "A_{w,w*} at angle φ, and L₋w*(φ), the largest eigenvalue of A_{w,−w*} over θ ≤ φ, which Assumption 2.1 "
        "bounds by βφ on [0, π/2] (dashed: the tight β of the law, sup L₋w*(φ)/φ; dotted: the β the paper "
        "proves). Bands: 95 % intervals (exact: rounding only; quad: absolute bound; mc: t × standard error). "
        "Where the direction set is searched (p = 3, non-rotational laws) γ is an upper bound and L, L₋w*, β "
        "lower bounds on the true extrema.", tuple(panels), "constants", data=data)

    cross = constants["cross"]
    sigmas = tuple(cross["sigma_patch"])
    lc, lce = cross["L_cross"], cross["L_cross_half_width"]
    g0 = [g / 6 for g in cross["gamma0"]]
    g0e = [e / 6 for e in cross["gamma0_half_width"]]
    sig = np.array(sigmas)
    fig, ax = new_figure(4.6, 3.4)
    ax.errorbar(sig, lc, yerr=lce, color=PALETTE[3], marker="o", markersize=3.5, capsize=2,
                label="L_cross (tight, lower bound)")
    ax.errorbar(sig, g0, yerr=g0e, color=PALETTE[0], marker="s", markersize=3.5, capsize=2, linestyle="--",
                label="γ(0)/6")
    ax.set_xscale("log")
    ax.set_xticks([0.05, 0.1, 0.2, 0.5, 1.0], ["0.05", "0.1", "0.2", "0.5", "1"])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set(title="patches, k = 4, p = 3 (mc)", xlabel="σ_patch (angle of a patch to the base patch)",
           ylabel="value")
    bottom_legend(fig, ax, ncols=2)
    crossing = [s for s, a, b in zip(sigmas, lc, g0) if a >= b]
    if len(crossing) == len(sigmas):
        verdict = "by these estimates the condition fails at every σ_patch shown"
    elif crossing:
        verdict = f"by these estimates it fails for σ_patch ≥ {min(crossing):g}"
    else:
        verdict = "by these estimates it holds at every σ_patch shown"
    cross_fig = Figure(
        "L-cross", "L_cross of the patch laws",
        "Assumption 3.2: L_cross (the tight constant: the sup over θ ∈ (0, π/2] of the summed cross-moment "
        "singular values divided by θ, found on a grid and over searched directions, so a lower bound) for the "
        "patch-closeness law of Fig. 3b, against γ(0)/6 (γ found by search, so an upper bound). Theorem 3.1 "
        "needs γ(φ0) > 6 L_cross, and γ(φ0) ≤ γ(0), so it can apply only where the dashed curve lies above "
        f"L_cross: {verdict}. Bars: 95 % intervals.", (to_svg(fig, "l-cross"),), "constants",
        data={"sigma_patch": sigmas, "L_cross": lc, "gamma0_over_6": g0})
    return [curves_fig, cross_fig]


# ---------------------------------------------------------------------------
# Theorem 3.4
# ---------------------------------------------------------------------------

_READING_STYLE = {"proof": ("#000000", "--"), "sqrt_p_over_2pi": (PALETTE[1], "-."),
                  "sqrt_p2_over_2pi": (PALETTE[2], ":"), "sqrt_p_over_pi": (PALETTE[3], "--")}
_READING_LABEL = {"proof": "½ − α V_{p−1}/V_p (proof)", "sqrt_p_over_2pi": "½ − α√(p/2π)",
                  "sqrt_p2_over_2pi": "½ − α√((p+2)/2π)", "sqrt_p_over_pi": "½ − α√(p/π)"}


def _reading_lines(ax, x, bounds: Mapping[str, np.ndarray]) -> None:
    for r, y in bounds.items():
        color, style = _READING_STYLE.get(r, ("#555555", "--"))
        ax.plot(x, y, color=color, linestyle=style, label=_READING_LABEL.get(r, r))


def initialization_figures(constants: Mapping[str, Any]) -> list[Figure]:
    """Theorem 3.4: the exact success probability against every reading of its bound, over α and over p.

    Draws docs/claims.md §4 (claims thm34-init and cor31-init): the exact
    probability is :func:`verify.dynamics.initialization.success_probability` (two
    spherical caps), checked by the independent Monte Carlo points of the run's
    constants step (``constants["initialization"]``, :func:`verify.run.run_constants`)
    with their 95 % bars.

    Examples
    --------
    >>> mc = {"n": 100, "alpha": [0.1, 0.5], "p=3": {"value": [.4, .2], "half_width": [.1, .1]},
    ...       "p=25": {"value": [.3, 0.0], "half_width": [.1, 0.0]}}
    >>> [f.id for f in initialization_figures({"initialization": mc})]
    ['init-probability-alpha', 'init-probability-p']
    """
    from ..dynamics import initialization as I

    mc = constants["initialization"]
    readings = list(I.BOUND_READINGS)
    panels, data = [], {}
    mc_alphas = np.asarray(mc["alpha"], float)
    for p in (int(key[2:]) for key in mc if key.startswith("p=")):
        alphas = np.linspace(0.005, 0.995, 199)
        exact = I.success_probability(p, alphas)
        bounds = {r: np.array([I.init_bounds(p, a)[r] for a in alphas]) for r in readings}
        fig, ax = new_figure(4.6, 3.8)
        ax.plot(alphas, exact, color=PALETTE[0], linewidth=2.4, label="exact P(success)")
        _reading_lines(ax, alphas, bounds)
        ax.errorbar(mc_alphas, mc[f"p={p}"]["value"], yerr=mc[f"p={p}"]["half_width"], color=PALETTE[4],
                    marker="o", markersize=3.5, linestyle="none", capsize=2,
                    label=f"Monte Carlo (n = {mc['n']:,}), 95 %")
        ax.axvline(I.alpha_max(p), color="#777777", linestyle=":", label="α_max = 1/√(2p)")
        ax.axhline(0.0, color="#bbbbbb", linewidth=0.8)
        ax.set_ylim(-0.1, 0.55)
        ax.set(title=f"p = {p}", xlabel="α = radius of the init ball / ‖w*‖", ylabel="probability")
        bottom_legend(fig, ax, ncols=2)
        panels.append(to_svg(fig, f"init-alpha-{p}"))
        data[f"p={p}"] = {"alpha": alphas, "exact": exact, "bounds": bounds}
    alpha_fig = Figure(
        "init-probability-alpha", "Theorem 3.4: success probability against the init radius α",
        "The exact probability that w0, uniform in the ball of radius α‖w*‖, lands within √(1−α²)‖w*‖ of w* "
        "(a lens of two balls, summed as two spherical caps), against every reading of the theorem's lower "
        "bound (see the claim thm34-init). A reading holds where it stays below the exact curve; Theorem 3.4 "
        "asks α ≤ α_max = √(1/(2p)) (dotted vertical line). Orange points: independent Monte Carlo with 95 % "
        "bars.", tuple(panels), "initialization", claim="thm34-init", data=data)

    ps = np.unique(np.round(np.geomspace(1, 1000, 60)).astype(int))
    at_max = np.array([I.success_probability(int(p), I.alpha_max(int(p))) for p in ps])
    bmax = {r: np.array([I.init_bounds(int(p), I.alpha_max(int(p)))[r] for p in ps]) for r in readings}
    fig, ax = new_figure(4.8, 3.8)
    ax.plot(ps, at_max, color=PALETTE[0], linewidth=2.4, label="exact, α = α_max(p)")
    _reading_lines(ax, ps, bmax)
    if hasattr(I, "corollary31_cos_max"):
        cor = np.array([I.success_probability(int(p), I.corollary31_cos_max(int(p))) for p in ps])
        ax.plot(ps, cor, color=PALETTE[5], linewidth=2.0, label="exact, α = √(π/(8p)) (Cor. 3.1)")
    ax.axhline(0.25, color="#777777", linestyle=":", label="¼ (Cor. 3.1)")
    ax.set_xscale("log")
    ax.set_ylim(0.0, 0.5)
    ax.set(title="at the largest admissible α", xlabel="p (filter size)", ylabel="probability")
    bottom_legend(fig, ax, ncols=2)
    p_panel = to_svg(fig, "init-p")

    strongest = "sqrt_p_over_2pi" if "sqrt_p_over_2pi" in readings else readings[0]
    hp = np.unique(np.round(np.geomspace(1, 1000, 40)).astype(int))
    frac = np.linspace(0.025, 1.0, 40)
    slack = np.empty((frac.size, hp.size))
    for j, p in enumerate(hp):
        a = frac * I.alpha_max(int(p))
        slack[:, j] = I.success_probability(int(p), a) - np.array(
            [I.init_bounds(int(p), float(x))[strongest] for x in a])
    fig, ax = new_figure(4.6, 3.8)
    mesh = ax.pcolormesh(hp, frac, slack, cmap="viridis", shading="nearest", rasterized=True)
    if np.nanmin(slack) < 0 < np.nanmax(slack):
        ax.contour(hp, frac, slack, levels=[0.0], colors="black", linewidths=1.2)
    ax.set_xscale("log")
    ax.grid(False)
    ax.set(title=f"exact − ({_READING_LABEL.get(strongest, strongest)})", xlabel="p (filter size)",
           ylabel="α / α_max(p)")
    fig.colorbar(mesh, ax=ax, label="slack of the bound")
    heat = to_svg(fig, "init-slack")
    violated = int(np.sum(slack < 0))
    p_fig = Figure(
        "init-probability-p", "Theorem 3.4 over the filter size p",
        "Left: at α = α_max(p) = √(1/(2p)), the exact probability and each reading of the bound as p grows (the "
        "readings depend on α√p only, so they are flat here); the light-blue curve is the exact probability at "
        "Corollary 3.1's radius cos φ* = √(π/(8p)), which the corollary says exceeds ¼. Right: the slack "
        f"exact − bound of the printed reading ({_READING_LABEL.get(strongest, strongest)}), the one that is not "
        "implied by the proof, over p and α ≤ α_max; a black contour would mark where it fails "
        f"({'none do' if violated == 0 else f'{violated} grid cells do'}).",
        (p_panel, heat), "initialization", claim="cor31-init",
        data={"slack_reading": strongest, "slack_min": float(np.min(slack))})
    return [alpha_fig, p_fig]



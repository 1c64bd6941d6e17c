"""Figures of the §4 experiments (docs/claims.md §4, claims sec4-*), drawn from results already computed.

Nothing is run here: the results are those the claims run computed and judged.
Reference lines ("near zero", the control median) are legend entries, never
labels on the data.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Mapping

import numpy as np
from matplotlib.ticker import NullFormatter

from .figures import Figure
from .svg import PALETTE, bottom_legend, new_figure, to_svg

__all__ = ["experiment_figures"]


def _arr(values) -> np.ndarray:
    return np.array([[math.nan if v is None else v for v in row] if isinstance(row, (list, tuple)) else
                     (math.nan if row is None else row) for row in values], dtype=float)


def _rate_figure(name: str, record: Mapping, key: str, symbol: str) -> tuple[tuple[str, ...], str]:
    s = record["series"]
    settings = s[key]
    steps = _arr(s["steps"])
    fig, ax = new_figure(4.6, 3.6)
    for i, (v, c) in enumerate(zip(settings, s["median_log10_relative_distance"])):
        ax.plot(steps, _arr(c), color=PALETTE[i % len(PALETTE)], label=f"{symbol} = {v:g}")
    ax.set(title="median over seeds", xlabel="SGD step t", ylabel="log₁₀ ‖w_t − w*‖ / ‖w*‖")
    bottom_legend(fig, ax, ncols=4)
    conv = to_svg(fig, f"{name}-conv")
    ci = _arr(s["rate_ci"])
    mean = _arr(s["rate_mean"])
    fig, ax = new_figure(4.0, 3.6)
    yerr = np.vstack([mean - ci[:, 0], ci[:, 1] - mean])
    ax.errorbar(settings, mean, yerr=np.where(np.isfinite(yerr), yerr, 0.0), color=PALETTE[0], marker="o",
                markersize=3.5, capsize=3, label="mean rate, 95 % t-interval")
    ax.set_xscale("log")
    ax.set_xticks(settings, [f"{v:g}" for v in settings])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set(title="convergence rate by setting", xlabel=symbol, ylabel="rate −d ln‖w_t − w*‖/dt")
    bottom_legend(fig, ax, ncols=1)
    rates = to_svg(fig, f"{name}-rates")
    n = record.get("parameters", {}).get("seeds", "?")
    caption = (f"Left: the median over {n} seeded SGD runs of log₁₀ of the relative distance to w*, one curve per "
               f"{symbol}; the curves flatten where rounding (not the dynamics) takes over. Right: the convergence "
               f"rate of each run (−slope of ln‖w_t − w*‖ against t above the floor), mean over the seeds with a "
               f"95 % Student-t interval. The claim predicts a monotone order of the rates in {symbol}.")
    return (conv, rates), caption


def _near_zero(ax, near) -> None:
    if near is not None and math.isfinite(near):
        ax.axhline(near, color="#777777", linestyle=":", label=f"near zero (ln = {near:.3g})")


def _real_figure(name: str, record: Mapping) -> tuple[tuple[str, ...], str]:
    s = record["series"]
    params = record.get("parameters", {})
    steps = _arr(s["steps"])
    near = params.get("near_zero")
    fig, ax = new_figure(4.6, 3.6)
    for i, (a, c) in enumerate(zip(s["alphas"], s["mean_log_relative_loss"])):
        ax.plot(steps, _arr(c), color=PALETTE[i % len(PALETTE)], label=f"α = {a:g}")
    _near_zero(ax, near)
    ax.set(title="mean over seeds", xlabel="SGD step t", ylabel="ln relative loss")
    bottom_legend(fig, ax, ncols=2)
    conv = to_svg(fig, f"{name}-conv")
    ci = _arr(s["final_mean_ci"])
    fig, ax = new_figure(4.0, 3.6)
    yerr = np.vstack([ci[:, 0] - ci[:, 1], ci[:, 2] - ci[:, 0]])
    ax.errorbar(s["alphas"], ci[:, 0], yerr=np.where(np.isfinite(yerr), yerr, 0.0), color=PALETTE[0],
                marker="o", markersize=3.5, capsize=3, label="final, mean and 95 % t-interval")
    _near_zero(ax, near)
    ax.set(title="final loss by initial distance", xlabel="α = ‖w0 − w*‖/‖w*‖", ylabel="ln relative loss at T")
    bottom_legend(fig, ax, ncols=1)
    final = to_svg(fig, f"{name}-final")
    n = params.get("seeds", "?")
    caption = ("Left: ln of the relative loss (mean squared error over the squared mean label, on all digit "
               f"patches) along SGD, mean over {n} runs for each initial distance α; the dotted line is the "
               "'near zero' threshold. Right: the final value with a 95 % Student-t interval over the runs; the "
               "paper's 'better initializations converge faster' predicts it increases with α.")
    return (conv, final), caption


def _filters_figure(name: str, record: Mapping) -> tuple[tuple[str, ...], str]:
    panels = []
    for kind in ("random", "gabor"):
        part = record["series"].get(kind)
        if not part:
            continue
        learned = part.get("learned_all") or part["learned"]
        if np.ndim(learned) == 2:
            learned = [learned]
        true = part["true"]
        shared = np.ndim(true) == 2
        teachers = [true] * len(learned) if shared else list(true)
        cos = part.get("cosine_similarity") or [None] * len(learned)
        images, labels = [], []
        if shared:
            images.append(true), labels.append("true w*")
        for i in range(min(len(learned), 3)):
            if not shared:
                images.append(teachers[i]), labels.append(f"true w*\nrun {i + 1}")
            images.append(learned[i])
            labels.append(f"learned, run {i + 1}" + (f"\ncos = {cos[i]:.3f}" if cos[i] is not None else ""))
        arrays = [np.asarray(im, float) for im in images]
        scale = max(float(np.nanmax(np.abs(a))) for a in arrays) or 1.0
        fig, axes = new_figure(1.15 * len(arrays) + 0.9, 2.3, ncols=len(arrays))
        im = None
        for ax, a, lab in zip(np.atleast_1d(axes), arrays, labels):
            im = ax.imshow(a, cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
            ax.set_title(lab, fontsize=7.5)
            ax.set_xticks([]), ax.set_yticks([])
            ax.grid(False)
        fig.colorbar(im, ax=axes, shrink=0.8)
        fig.suptitle("random N(0, 1) teacher" if kind == "random" else "Gabor teacher", fontsize=9.5)
        panels.append(to_svg(fig, f"{name}-{kind}"))
    caption = ("The teacher filter w* and the filter SGD learned from it, for the first runs from the middle "
               "initial distance, on one colour scale per teacher: red positive, blue negative, white zero. "
               "cos is the cosine similarity of the learned filter to its teacher.")
    return tuple(panels), caption


def _segment_figure(name: str, record: Mapping) -> tuple[tuple[str, ...], str]:
    s = record["series"]
    alpha = _arr(s["alpha"])
    near = record.get("parameters", {}).get("near_zero")
    panels = []
    for kind in ("random", "gabor"):
        part = s.get(kind)
        if not part:
            continue
        fig, ax = new_figure(4.4, 3.6)
        for i, c in enumerate(part["log_relative_loss"]):
            ax.plot(np.r_[0.0, alpha], np.r_[math.nan, _arr(c)], color=PALETTE[0], linewidth=1.1,
                    label="learned filters" if i == 0 else "_")
        _near_zero(ax, near)
        control = _arr(part.get("control_log_relative_loss") or [])
        if control.size and np.isfinite(control).any():
            ax.axhline(float(np.nanmedian(control)), color=PALETTE[1], linestyle="--",
                       label="random direction, same distance (median)")
        ax.set_xlim(0.0, 1.0)
        ax.set(title="random N(0, 1) teacher" if kind == "random" else "Gabor teacher",
               xlabel="α along α·w + (1 − α)·w*", ylabel="ln relative loss")
        bottom_legend(fig, ax, ncols=1)
        panels.append(to_svg(fig, f"{name}-{kind}"))
    caption = ("ln of the relative loss on the segment α·w + (1 − α)·w* from the true filter (α = 0, loss exactly "
               "0, ln = −∞) to each learned filter w (α = 1). The dashed line is the median loss at random points "
               "as far from w* as the learned filter: a segment far below it means the learned filter differs "
               "from w* along directions the data hardly span (the paper's Appendix B explanation).")
    return tuple(panels), caption


_DRAWERS: dict[str, Callable[[str, Mapping], tuple[tuple[str, ...], str]]] = {
    "fig3a": lambda n, r: _rate_figure(n, r, "sigma", "σ"),
    "fig3b": lambda n, r: _rate_figure(n, r, "sigma_patch^2", "σ_patch²"),
    "fig3c": _real_figure,
    "fig3d": _real_figure,
    "fig4": _filters_figure,
    "fig5": _segment_figure,
}


def _record(result: Any) -> dict:
    return result.to_dict() if hasattr(result, "to_dict") else dict(result)


def experiment_figures(experiments: Mapping[str, Any]) -> list[Figure]:
    """One :class:`Figure` per §4 experiment result (``ExperimentResult`` or its ``to_dict()``).

    Draws docs/claims.md §4's experiment claims (sec4-*) from results already
    computed.  A result that cannot be drawn gets a figure without panels whose
    caption says why, so the page shows the gap.

    Examples
    --------
    >>> experiment_figures({"figX": {"name": "figX", "claim": "c", "title": "t", "series": {}}})[0].caption
    "No drawing is defined for experiment 'figX'."
    """
    figures = []
    for name, result in experiments.items():
        record = _record(result)
        panels: tuple[str, ...] = ()
        if name not in _DRAWERS:
            caption = f"No drawing is defined for experiment {name!r}."
        else:
            try:
                with np.errstate(all="ignore"):
                    panels, caption = _DRAWERS[name](name, record)
            except (KeyError, IndexError, TypeError, ValueError) as err:
                caption = f"Could not draw {name}: {type(err).__name__}: {err}"
        figures.append(Figure(name, record.get("title", name), caption, panels, "experiments",
                              claim=record.get("claim")))
    return figures

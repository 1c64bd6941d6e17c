"""Matplotlib figures as deterministic, self-contained inline SVG.

Every drawing of the report goes through :func:`new_figure` (constrained
layout) and :func:`to_svg`: the SVG is rendered with text as glyph paths (the
page looks the same in every browser, whatever fonts it has), a fixed
``svg.hashsalt`` and no date, so the same data always give the same bytes; the
ids inside each SVG are prefixed so that many SVGs can live in one HTML page.
"""
from __future__ import annotations

import io
import math
import re
from contextlib import contextmanager
from typing import Iterator

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure

__all__ = ["PALETTE", "RC", "new_figure", "to_svg", "pi_ticks", "drawing", "bottom_legend"]

#: Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")

#: rcParams of every report figure: deterministic SVG (no random ids), text as paths.
RC = {
    "svg.hashsalt": "convfilter-verify-report",
    "svg.fonttype": "path",
    "svg.image_inline": True,
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e3e6ea",
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.5,
    "path.simplify": False,
}


@contextmanager
def drawing() -> Iterator[None]:
    """The report's rcParams (:data:`RC`), for creating and saving a figure."""
    with rc_context(RC):
        yield


def new_figure(width: float, height: float, **subplots) -> tuple[MplFigure, object]:
    """A constrained-layout figure of ``width`` × ``height`` inches and its axes.

    No pyplot and no global backend: the figure has its own (Agg) canvas.

    Examples
    --------
    >>> fig, ax = new_figure(3, 2)
    >>> fig.get_layout_engine().__class__.__name__, fig.canvas.__class__.__name__
    ('ConstrainedLayoutEngine', 'FigureCanvasAgg')
    """
    with drawing():
        fig = MplFigure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)  # a canvas of its own (text extents for the legend fit); savefig still writes SVG
        axes = fig.subplots(**subplots)
    return fig, axes


_ID = re.compile(r'\bid="([^"]+)"')


def to_svg(fig: MplFigure, prefix: str) -> str:
    """``fig`` as an ``<svg>`` element (no XML prolog), its ids prefixed with ``prefix``.

    Call it once per figure (a second save re-runs the constrained layout from
    its last state).  The same data always give the same text: ``metadata={"Date": None}``
    and the fixed ``svg.hashsalt`` of :data:`RC`.

    Examples
    --------
    >>> def draw():
    ...     fig, ax = new_figure(2, 1.5)
    ...     _ = ax.plot([0, 1], [0, 1], label="y = x")
    ...     return fig
    >>> a, b = to_svg(draw(), "f1"), to_svg(draw(), "f1")
    >>> a == b, a.startswith("<svg"), 'id="f1-' in a
    (True, True, True)
    """
    buf = io.StringIO()
    with drawing():
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    ids = sorted(set(_ID.findall(text)), key=len, reverse=True)
    if ids:
        names = "|".join(re.escape(i) for i in ids)
        text = re.sub(rf'\bid="({names})"', lambda m: f'id="{prefix}-{m.group(1)}"', text)
        text = re.sub(rf'href="#({names})"', lambda m: f'href="#{prefix}-{m.group(1)}"', text)
        text = re.sub(rf"url\(#({names})\)", lambda m: f"url(#{prefix}-{m.group(1)})", text)
    text = text.replace("<svg ", '<svg class="plot" ', 1)
    return text.strip() + "\n"


def pi_ticks(ax) -> None:
    """x ticks at 0, π/4, π/2, 3π/4, π."""
    ax.set_xticks([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4, math.pi], ["0", "π/4", "π/2", "3π/4", "π"])
    ax.set_xlim(0, math.pi)


def bottom_legend(fig: MplFigure, axes, ncols: int = 2) -> None:
    """One legend for ``axes`` below the plot, outside it, in as many columns (≤ ``ncols``) as fit the width.

    The constrained layout makes room for it, and the column count is lowered
    until the legend is no wider than the figure, so no entry is clipped.
    """
    handles, labels = [], []
    for ax in np.atleast_1d(axes):
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab and not lab.startswith("_") and lab not in labels:
                handles.append(h)
                labels.append(lab)
    if not handles:
        return
    with drawing():
        for n in range(min(ncols, len(handles)), 0, -1):
            legend = fig.legend(handles, labels, loc="outside lower center", ncols=n, frameon=False,
                                handlelength=2.0, columnspacing=1.0)
            renderer = fig.canvas.get_renderer()
            if n == 1 or legend.get_window_extent(renderer).width <= 0.98 * fig.bbox.width:
                return
            legend.remove()

"""Inline SVG figures for the HTML report: line plots, heatmaps and image grids.

The report must be one self-contained file that renders offline, so its figures
are SVG strings written by this module — no plotting library, no fonts or
scripts fetched from anywhere.  Three kinds of chart cover everything the
report draws:

:func:`line_plot`
    curves y(x) with optional shaded error bands (``y ± error``), reference
    lines, linear or logarithmic axes, and a legend under the axes;
:func:`heatmap`
    a matrix of values on a (x, y) grid with a colour bar;
:func:`image_grid`
    small images (filters, patches) side by side with a label under each.

Every function returns a complete ``<svg>`` element whose ``viewBox`` carries
its size, so it scales with the page; values that are NaN or infinite are left
out (a line is broken there, a heatmap cell is drawn hatched-grey), never
silently replaced.  Colours are the Okabe–Ito palette (distinguishable under
the common colour-vision deficiencies) and, for matrices, perceptually ordered
maps (:data:`COLORMAPS`).

Examples
--------
>>> svg = line_plot([Series("y = x²", [0, 1, 2], [0, 1, 4])], xlabel="x", ylabel="y")
>>> svg.startswith("<svg") and svg.endswith("</svg>")
True
"""
from __future__ import annotations

import hashlib
import html
import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

__all__ = [
    "Series",
    "PALETTE",
    "COLORMAPS",
    "line_plot",
    "heatmap",
    "image_grid",
    "nice_ticks",
    "log_ticks",
    "pi_ticks",
    "format_number",
]

#: Okabe & Ito (2008) colour-blind-safe palette, minus its yellow (illegible on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

#: Anchor colours of the colour maps, interpolated linearly in sRGB.
COLORMAPS: dict[str, tuple[str, ...]] = {
    # viridis at 0, 1/8, …, 1 (sequential, perceptually uniform)
    "viridis": ("#440154", "#46327e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39", "#fde725"),
    # ColorBrewer RdBu reversed (diverging: blue negative, white zero, red positive)
    "diverging": ("#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d",
                  "#b2182b"),
    "gray": ("#000000", "#ffffff"),
}

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_DASHES = {None: None, "solid": None, "dashed": "6 4", "dotted": "1.5 3", "dashdot": "7 3 1.5 3"}
_CHAR_WIDTH = 0.58  # average glyph width in ems, for laying out labels without a font engine


@dataclass(frozen=True)
class Series:
    """One curve of a :func:`line_plot`.

    Attributes
    ----------
    label : str
        Legend text ('' leaves it out of the legend).
    x, y : sequence of float, shape (n,)
    error : sequence of float, shape (n,), optional
        Half-width of the uncertainty drawn around y: ``y ± error`` (e.g. a 95 %
        half-width).
    lower, upper : sequence of float, shape (n,), optional
        An asymmetric interval [lower, upper] instead of ``y ± error`` (e.g. a
        t-interval); NaN/inf entries draw no interval there.
    error_style : {"band", "bars"}
        A shaded band along a curve, or vertical error bars at the points.
    color : str, optional
        CSS colour; the next palette colour by default.
    dash : {"solid", "dashed", "dotted", "dashdot"}, optional
    markers : bool
        Draw a dot at every point (for sparse, measured data).
    width : float
        Stroke width in px.
    """

    label: str
    x: Sequence[float]
    y: Sequence[float]
    error: Sequence[float] | None = None
    lower: Sequence[float] | None = None
    upper: Sequence[float] | None = None
    error_style: str = "band"
    color: str | None = None
    dash: str | None = None
    markers: bool = False
    width: float = 1.8


# ---------------------------------------------------------------------------
# Numbers and ticks
# ---------------------------------------------------------------------------

def format_number(v: float, digits: int = 3) -> str:
    """A short, readable label for ``v``: ``0.25``, ``1e−05``, ``120``, with a true minus sign."""
    if v == 0:
        return "0"
    if not math.isfinite(v):
        return "∞" if v > 0 else ("−∞" if v < 0 else "NaN")
    a = abs(v)
    if 1e-3 <= a < 1e5:
        rounded = float(f"{v:.{digits}g}")  # `g` alone would write 1000 as 1e+03
        text = f"{rounded:.6f}".rstrip("0").rstrip(".")
    else:
        mantissa, exponent = f"{v:.{max(digits - 1, 0)}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}e{int(exponent)}"
        if mantissa in ("1", "-1"):
            text = f"{'-' if v < 0 else ''}10^{int(exponent)}"
    return text.replace("-", "−")


def _nice_step(span: float, target: int) -> float:
    raw = span / max(target, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * mag >= raw:
            return m * mag
    return 10.0 * mag


def nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Round tick positions covering [lo, hi] at a 1–2–2.5–5 step (about ``target`` of them)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi <= lo:
        return [lo]
    step = _nice_step(hi - lo, target)
    start = math.ceil(lo / step - 1e-9) * step
    ticks = []
    t = start
    while t <= hi + 1e-9 * step:
        ticks.append(0.0 if abs(t) < 1e-12 * step else round(t, 12))
        t += step
    return ticks


def _decade_label(v: float) -> str:
    k = round(math.log10(v))
    return "1" if k == 0 else ("10" if k == 1 else f"10^{k}".replace("-", "−"))


def log_ticks(lo: float, hi: float) -> list[float]:
    """Decades in [lo, hi] (lo, hi > 0); thinned to at most 7, or 1–2–5 steps when fewer than 2."""
    a, b = math.floor(math.log10(lo) + 1e-9), math.ceil(math.log10(hi) - 1e-9)
    decades = [10.0 ** e for e in range(a, b + 1) if lo * (1 - 1e-9) <= 10.0 ** e <= hi * (1 + 1e-9)]
    if len(decades) >= 2:
        stride = max(1, math.ceil(len(decades) / 7))
        return decades[::stride]
    return [m * 10.0 ** e for e in range(a - 1, b + 1) for m in (1, 2, 5) if lo <= m * 10.0 ** e <= hi]


def pi_ticks(hi: float = math.pi, divisions: int = 4) -> list[tuple[float, str]]:
    """Ticks at multiples of π/``divisions`` up to ``hi``, labelled ``0, π/4, π/2, 3π/4, π``."""
    out = []
    for i in range(int(math.floor(hi / (math.pi / divisions) + 1e-9)) + 1):
        g = math.gcd(i, divisions)
        num, den = i // g, divisions // g
        if i == 0:
            label = "0"
        else:
            label = ("π" if num == 1 else f"{num}π") + ("" if den == 1 else f"/{den}")
        out.append((i * math.pi / divisions, label))
    return out


# ---------------------------------------------------------------------------
# SVG helpers
# ---------------------------------------------------------------------------

def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR_WIDTH


def _text(x, y, text, size=11.0, anchor="middle", weight=None, rotate=None, fill="#222", baseline=None) -> str:
    attrs = [f'x="{x:.1f}"', f'y="{y:.1f}"', f'font-size="{size:g}"', f'text-anchor="{anchor}"', f'fill="{fill}"']
    if weight:
        attrs.append(f'font-weight="{weight}"')
    if baseline:
        attrs.append(f'dominant-baseline="{baseline}"')
    if rotate is not None:
        attrs.append(f'transform="rotate({rotate:g} {x:.1f} {y:.1f})"')
    return f"<text {' '.join(attrs)}>{_rich(text)}</text>"


def _rich(text: str) -> str:
    """Escaped text, with a trailing ``^exponent`` set as a superscript (``10^−4``)."""
    text = str(text)
    if "^" not in text:
        return _esc(text)
    base, exponent = text.split("^", 1)
    return f'{_esc(base)}<tspan dy="-0.45em" font-size="0.78em">{_esc(exponent)}</tspan>'



def _svg_open(width: float, height: float, title: str, css_class: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" font-family="{_esc(FONT)}">'
            f"<title>{_esc(title or css_class)}</title>")


def _hex_to_rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def colormap(name: str, t: np.ndarray) -> list[str]:
    """Colours of ``t`` ∈ [0, 1] (clipped) on the map ``name``, as ``#rrggbb`` strings."""
    anchors = np.array([_hex_to_rgb(c) for c in COLORMAPS[name]], dtype=float)
    t = np.clip(np.asarray(t, dtype=float).ravel(), 0.0, 1.0)
    pos = t * (len(anchors) - 1)
    i = np.minimum(pos.astype(int), len(anchors) - 2)
    f = (pos - i)[:, None]
    rgb = np.rint(anchors[i] * (1 - f) + anchors[i + 1] * f).astype(int)
    return ["#%02x%02x%02x" % tuple(c) for c in rgb]


class _Scale:
    """Data → pixel map of one axis (linear or log10)."""

    def __init__(self, lo: float, hi: float, p0: float, p1: float, log: bool):
        self.log = log
        self.lo, self.hi = (math.log10(lo), math.log10(hi)) if log else (lo, hi)
        if self.hi == self.lo:
            self.lo, self.hi = self.lo - 0.5, self.hi + 0.5
        self.p0, self.p1 = p0, p1

    def __call__(self, v):
        v = np.asarray(v, dtype=float)
        if self.log:
            with np.errstate(divide="ignore", invalid="ignore"):
                v = np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), np.nan)
        return self.p0 + (v - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)


def _finite_runs(mask: np.ndarray) -> list[slice]:
    """Maximal runs of True in ``mask`` as slices."""
    runs, start = [], None
    for i, ok in enumerate(mask):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            runs.append(slice(start, i))
            start = None
    if start is not None:
        runs.append(slice(start, len(mask)))
    return runs


def _path(xs: np.ndarray, ys: np.ndarray) -> str:
    return "M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in zip(xs, ys))


def _data_range(values: Iterable[np.ndarray], log: bool) -> tuple[float, float] | None:
    chunks = [np.asarray(v, dtype=float).ravel() for v in values]
    allv = np.concatenate(chunks) if chunks else np.array([])
    allv = allv[np.isfinite(allv)]
    if log:
        allv = allv[allv > 0]
    if allv.size == 0:
        return None
    return float(allv.min()), float(allv.max())


def _padded(lo: float, hi: float, log: bool, pad: float = 0.04) -> tuple[float, float]:
    if log:
        a, b = math.log10(lo), math.log10(hi)
        if b - a < 1e-12:
            a, b = a - 0.5, b + 0.5
        span = b - a
        return 10 ** (a - pad * span), 10 ** (b + pad * span)
    if hi - lo < 1e-300:
        d = abs(lo) * 0.1 or 1.0
        return lo - d, hi + d
    span = hi - lo
    return lo - pad * span, hi + pad * span


def _as_floats(values) -> np.ndarray:
    """A flat float array; ``None`` (JSON's stand-in for NaN and ±inf) becomes NaN."""
    return np.asarray([math.nan if v is None else v for v in np.ravel(np.asarray(values, dtype=object))],
                      dtype=float)


def _floats(values, shape, label: str, name: str) -> np.ndarray:
    arr = _as_floats(values)
    if arr.shape != shape:
        raise ValueError(f"series {label!r}: {name} has {arr.size} values, y has {shape[0]}")
    return arr


# ---------------------------------------------------------------------------
# Line plots
# ---------------------------------------------------------------------------

def line_plot(series: Sequence[Series], *, title: str = "", xlabel: str = "", ylabel: str = "",
              xlim: tuple[float, float] | None = None, ylim: tuple[float, float] | None = None,
              xscale: str = "linear", yscale: str = "linear",
              xticks: Sequence[float | tuple[float, str]] | None = None,
              yticks: Sequence[float | tuple[float, str]] | None = None,
              vlines: Sequence[tuple[float, str]] = (), hlines: Sequence[tuple[float, str]] = (),
              width: float = 440, height: float = 300, legend_columns: int | None = None) -> str:
    """An SVG line chart of ``series``.

    Parameters
    ----------
    series : sequence of :class:`Series`
    title, xlabel, ylabel : str
    xlim, ylim : (float, float), optional
        Axis ranges; by default the data range (with bands) padded by 4 %.  Data
        outside is clipped at the plot area.
    xscale, yscale : {"linear", "log"}
        A log axis leaves out non-positive values.
    xticks, yticks : sequence of float or (float, label), optional
        Explicit ticks (e.g. :func:`pi_ticks`); automatic otherwise.
    vlines, hlines : sequence of (value, label)
        Grey dotted reference lines with a small label.
    width, height : float
        Size in px of the whole figure, legend included (the legend adds rows
        below ``height`` as needed).

    Returns
    -------
    str
        One ``<svg class="chart line-plot">`` element.
    """
    for name, scale in (("xscale", xscale), ("yscale", yscale)):
        if scale not in ("linear", "log"):
            raise ValueError(f"{name} must be 'linear' or 'log', got {scale!r}")
    xlog, ylog = xscale == "log", yscale == "log"
    prepared = []
    for i, s in enumerate(series):
        x, y = _as_floats(s.x), _as_floats(s.y)
        if x.shape != y.shape:
            raise ValueError(f"series {s.label!r}: x and y differ in length ({x.size} vs {y.size})")
        if s.error_style not in ("band", "bars"):
            raise ValueError(f"series {s.label!r}: error_style must be 'band' or 'bars', got {s.error_style!r}")
        if s.lower is not None or s.upper is not None:
            lo = y if s.lower is None else _floats(s.lower, y.shape, s.label, "lower")
            hi = y if s.upper is None else _floats(s.upper, y.shape, s.label, "upper")
            interval = (lo, hi)
        elif s.error is not None:
            err = _as_floats(s.error)
            err = np.broadcast_to(err, y.shape) if err.size == 1 else _floats(err, y.shape, s.label, "error")
            interval = (y - err, y + err)
        else:
            interval = None
        prepared.append((s, x, y, interval, s.color or PALETTE[i % len(PALETTE)]))

    # ranges
    if xlim is None:
        rng = _data_range([x for _, x, *_ in prepared], xlog)
        # curves run edge to edge; isolated points (markers, bars) get room at the ends
        pad = 0.06 if any(s.markers or s.error_style == "bars" for s, *_ in prepared) else 0.0
        xlim = (0.0, 1.0) if rng is None else (rng if xticks is not None else _padded(*rng, xlog, pad))
    if ylim is None:
        ys = []
        for _, _, y, interval, _ in prepared:
            ys.append(y)
            if interval is not None:
                ys += list(interval)
        ys += [np.array([v for v, _ in hlines], dtype=float)]
        rng = _data_range(ys, ylog)
        ylim = (0.0, 1.0) if rng is None else _padded(*rng, ylog)

    # layout
    font = 11.0
    left, right, top = 62.0, 20.0, (30.0 if title else 12.0)
    entries = [(s, c) for s, _, _, _, c in prepared if s.label]
    legend_rows, legend_svg = _legend_layout(entries, width - left - right, font, legend_columns)
    bottom = 44.0 + (legend_rows * 17.0 + 8.0 if legend_rows else 0.0)
    total_height = height + (legend_rows * 17.0 + 8.0 if legend_rows else 0.0)
    plot_w, plot_h = width - left - right, total_height - top - bottom
    sx = _Scale(*xlim, left, left + plot_w, xlog)
    sy = _Scale(*ylim, top + plot_h, top, ylog)

    parts = [_svg_open(width, total_height, title, "chart line-plot"),
             "",  # the clip path's <defs>, once the clipped body is known (below)
             f'<rect x="{left:.1f}" y="{top:.1f}" width="{plot_w:.1f}" height="{plot_h:.1f}" fill="#fff" '
             f'stroke="#bbb"/>']
    if title:
        parts.append(_text(left + plot_w / 2, 18, title, size=12.5, weight="600"))

    # ticks and grid
    parts += _axis_ticks(sx, xlim, xticks, xlog, horizontal=True, other=(top, top + plot_h), font=font)
    parts += _axis_ticks(sy, ylim, yticks, ylog, horizontal=False, other=(left, left + plot_w), font=font)
    if xlabel:
        parts.append(_text(left + plot_w / 2, top + plot_h + 34, xlabel, size=font))
    if ylabel:
        parts.append(_text(15, top + plot_h / 2, ylabel, size=font, rotate=-90))

    # reference lines
    body = []
    for value, label in vlines:
        px = float(sx(value))
        if math.isfinite(px) and left <= px <= left + plot_w:
            body.append(f'<line x1="{px:.1f}" y1="{top:.1f}" x2="{px:.1f}" y2="{top + plot_h:.1f}" stroke="#777" '
                        f'stroke-dasharray="2 3"/>')
            if label:
                parts.append(_text(px + 3, top + 11, label, size=9.5, anchor="start", fill="#555"))
    for value, label in hlines:
        py = float(sy(value))
        if math.isfinite(py) and top <= py <= top + plot_h:
            body.append(f'<line x1="{left:.1f}" y1="{py:.1f}" x2="{left + plot_w:.1f}" y2="{py:.1f}" stroke="#777" '
                        f'stroke-dasharray="2 3"/>')
            if label:
                parts.append(_text(left + plot_w - 3, py - 3, label, size=9.5, anchor="end", fill="#555"))

    # bands and bars first, lines on top
    for s, x, y, interval, color in prepared:
        if interval is None:
            continue
        px, lo, hi = sx(x), sy(interval[0]), sy(interval[1])
        ok = np.isfinite(px) & np.isfinite(lo) & np.isfinite(hi)
        if s.error_style == "bars":
            for a, b, c in zip(px[ok], lo[ok], hi[ok]):
                body.append(f'<path d="M{a:.2f},{b:.2f} V{c:.2f} M{a - 3:.2f},{b:.2f} H{a + 3:.2f} '
                            f'M{a - 3:.2f},{c:.2f} H{a + 3:.2f}" stroke="{color}" stroke-width="1.2" fill="none"/>')
            continue
        for run in _finite_runs(ok):
            xs = px[run]
            poly = np.r_[xs, xs[::-1]], np.r_[hi[run], lo[run][::-1]]
            body.append(f'<path d="{_path(*poly)} Z" fill="{color}" fill-opacity="0.18" stroke="none"/>')
    for s, x, y, _, color in prepared:
        px, py = sx(x), sy(y)
        ok = np.isfinite(px) & np.isfinite(py)
        dash = _DASHES.get(s.dash, None)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _finite_runs(ok):
            if run.stop - run.start >= 2:
                body.append(f'<path d="{_path(px[run], py[run])}" fill="none" stroke="{color}" '
                            f'stroke-width="{s.width:g}" stroke-linejoin="round" stroke-linecap="round"{dash_attr}/>')
            if s.markers or run.stop - run.start == 1:
                body += [f'<circle cx="{a:.2f}" cy="{b:.2f}" r="2.6" fill="{color}"/>'
                         for a, b in zip(px[run], py[run])]
    body_svg = "".join(body)
    # The clip path's id is a digest of what it clips and where, so the same figure
    # always gets the same id (reproducible output) and different ones differ.
    digest = hashlib.sha1(f"{left},{top},{plot_w},{plot_h}|{body_svg}".encode()).hexdigest()[:12]
    parts[1] = (f'<defs><clipPath id="clip-{digest}"><rect x="{left:.1f}" y="{top:.1f}" width="{plot_w:.1f}" '
                f'height="{plot_h:.1f}"/></clipPath></defs>')
    parts.append(f'<g clip-path="url(#clip-{digest})">{body_svg}</g>')
    parts.append(legend_svg(left, top + plot_h + 50))
    parts.append("</svg>")
    return "".join(parts)


def _axis_ticks(scale: _Scale, lim, ticks, log: bool, *, horizontal: bool, other, font: float,
                grid: bool = True) -> list[str]:
    if ticks is None:
        values = log_ticks(*lim) if log else nice_ticks(*lim, target=6 if horizontal else 5)
        decades = log and all(abs(math.log10(v) - round(math.log10(v))) < 1e-9 for v in values)
        ticks = [(v, _decade_label(v) if decades else format_number(v)) for v in values]
    else:
        ticks = [t if isinstance(t, tuple) else (float(t), format_number(float(t))) for t in ticks]
    out = []
    a, b = other
    for value, label in ticks:
        pos = float(scale(value))
        if not math.isfinite(pos):
            continue
        lo, hi = sorted((scale.p0, scale.p1))
        if pos < lo - 0.5 or pos > hi + 0.5:
            continue
        if horizontal:
            if grid:
                out.append(f'<line x1="{pos:.1f}" y1="{a:.1f}" x2="{pos:.1f}" y2="{b:.1f}" stroke="#eee"/>')
            out.append(f'<line x1="{pos:.1f}" y1="{b:.1f}" x2="{pos:.1f}" y2="{b + 4:.1f}" stroke="#888"/>')
            out.append(_text(pos, b + 16, label, size=font - 1))
        else:
            if grid:
                out.append(f'<line x1="{a:.1f}" y1="{pos:.1f}" x2="{b:.1f}" y2="{pos:.1f}" stroke="#eee"/>')
            out.append(f'<line x1="{a - 4:.1f}" y1="{pos:.1f}" x2="{a:.1f}" y2="{pos:.1f}" stroke="#888"/>')
            out.append(_text(a - 7, pos + 3.5, label, size=font - 1, anchor="end"))
    return out


def _legend_layout(entries, avail: float, font: float, columns: int | None):
    """Rows of legend entries under the axes; returns (rows, renderer(x, y) -> svg)."""
    if not entries:
        return 0, lambda x, y: ""
    widths = [30 + _text_width(s.label, font - 0.5) + 16 for s, _ in entries]
    if columns is None:
        col_w = max(widths)
        columns = max(1, min(len(entries), int(avail // col_w)))
    col_w = avail / columns
    rows = math.ceil(len(entries) / columns)

    def render(x0: float, y0: float) -> str:
        out = ['<g class="legend">']
        for i, (s, color) in enumerate(entries):
            r, c = divmod(i, columns)
            x, y = x0 + c * col_w, y0 + r * 17.0
            dash = _DASHES.get(s.dash, None)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            if s.error_style == "band" and (s.error is not None or s.lower is not None or s.upper is not None):
                out.append(f'<rect x="{x:.1f}" y="{y - 5:.1f}" width="24" height="10" fill="{color}" '
                           f'fill-opacity="0.18"/>')
            out.append(f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 24:.1f}" y2="{y:.1f}" stroke="{color}" '
                       f'stroke-width="{s.width:g}"{dash_attr}/>')
            if s.markers:
                out.append(f'<circle cx="{x + 12:.1f}" cy="{y:.1f}" r="2.6" fill="{color}"/>')
            out.append(_text(x + 30, y + 3.8, s.label, size=font - 0.5, anchor="start"))
        out.append("</g>")
        return "".join(out)

    return rows, render


# ---------------------------------------------------------------------------
# Heatmaps and image grids
# ---------------------------------------------------------------------------

def _norm(values: np.ndarray, vmin: float | None, vmax: float | None, center: float | None):
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.full(values.shape, np.nan), 0.0, 1.0
    lo = float(finite.min()) if vmin is None else vmin
    hi = float(finite.max()) if vmax is None else vmax
    if center is not None:
        half = max(abs(lo - center), abs(hi - center)) or 1.0
        lo, hi = center - half, center + half
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    return (values - lo) / (hi - lo), lo, hi


def _edges(centres: np.ndarray) -> np.ndarray:
    c = np.asarray(centres, dtype=float)
    if c.size == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.r_[c[0] - (mid[0] - c[0]), mid, c[-1] + (c[-1] - mid[-1])]


def heatmap(values, x, y, *, title: str = "", xlabel: str = "", ylabel: str = "", colorbar_label: str = "",
            cmap: str = "viridis", vmin: float | None = None, vmax: float | None = None,
            center: float | None = None, xscale: str = "linear", contour_zero: bool = False,
            yticks: Sequence[float | tuple[float, str]] | None = None,
            width: float = 440, height: float = 300) -> str:
    """An SVG heatmap of ``values[i, j]`` at (x[j], y[i]) with a colour bar.

    Parameters
    ----------
    values : array_like, shape (ny, nx)
        Non-finite entries are drawn grey.
    x : array_like, shape (nx,)
        Cell centres along the horizontal axis (cell edges halfway between).
    y : array_like, shape (ny,)
        Cell centres along the vertical axis (row 0 at the bottom).
    cmap : {"viridis", "diverging", "gray"}
    vmin, vmax : float, optional
        Colour range (data range by default).
    center : float, optional
        Make the colour range symmetric about this value (use with "diverging").
    xscale : {"linear", "log"}
        Log places the cell centres at log10(x) (x > 0).
    contour_zero : bool
        Outline the cells whose value is negative (for margins: "bound violated here").
    yticks : sequence of float or (float, label), optional
        Explicit ticks on the vertical axis.

    Returns
    -------
    str
        One ``<svg class="chart heatmap">`` element.
    """
    values = np.asarray(values, dtype=float)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if values.shape != (y.size, x.size):
        raise ValueError(f"values has shape {values.shape}, expected (len(y), len(x)) = ({y.size}, {x.size})")
    if cmap not in COLORMAPS:
        raise ValueError(f"cmap must be one of {tuple(COLORMAPS)}, got {cmap!r}")
    xlog = xscale == "log"
    xe = _edges(np.log10(x) if xlog else x)
    ye = _edges(y)
    left, right, top, bottom = 62.0, 86.0, (30.0 if title else 12.0), 44.0
    plot_w, plot_h = width - left - right, height - top - bottom
    sx = _Scale(xe[0], xe[-1], left, left + plot_w, False)
    sy = _Scale(ye[0], ye[-1], top + plot_h, top, False)
    t, lo, hi = _norm(values, vmin, vmax, center)
    colors = colormap(cmap, np.nan_to_num(t, nan=0.0)).__iter__()
    parts = [_svg_open(width, height, title, "chart heatmap")]
    if title:
        parts.append(_text(left + plot_w / 2, 18, title, size=12.5, weight="600"))
    cells = ['<g shape-rendering="crispEdges">']
    for i in range(y.size):
        y0, y1 = float(sy(ye[i + 1])), float(sy(ye[i]))
        for j in range(x.size):
            color = next(colors)
            x0, x1 = float(sx(xe[j])), float(sx(xe[j + 1]))
            fill = color if np.isfinite(values[i, j]) else "#cccccc"
            cells.append(f'<rect x="{x0:.2f}" y="{y0:.2f}" width="{x1 - x0 + 0.3:.2f}" height="{y1 - y0 + 0.3:.2f}" '
                         f'fill="{fill}"/>')
    cells.append("</g>")
    parts += cells
    if contour_zero:
        parts.append(_negative_boundary(values, xe, ye, sx, sy))
    parts.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{plot_w:.1f}" height="{plot_h:.1f}" fill="none" '
                 f'stroke="#888"/>')
    # axes
    if xlog:
        values = log_ticks(float(x.min()), float(x.max()))
        decades = all(abs(math.log10(v) - round(math.log10(v))) < 1e-9 for v in values)
        xt = [(math.log10(v), _decade_label(v) if decades else format_number(v)) for v in values]
    else:
        xt = [(v, format_number(v)) for v in nice_ticks(xe[0], xe[-1], 6)]
    parts += _axis_ticks(sx, (xe[0], xe[-1]), xt, False, horizontal=True, other=(top, top + plot_h), font=11,
                         grid=False)
    parts += _axis_ticks(sy, (ye[0], ye[-1]), yticks, False, horizontal=False, other=(left, left + plot_w),
                         font=11, grid=False)
    if xlabel:
        parts.append(_text(left + plot_w / 2, top + plot_h + 34, xlabel, size=11))
    if ylabel:
        parts.append(_text(15, top + plot_h / 2, ylabel, size=11, rotate=-90))
    parts.append(_colorbar(cmap, lo, hi, left + plot_w + 14, top, plot_h, colorbar_label))
    parts.append("</svg>")
    return "".join(parts)


def _negative_boundary(values: np.ndarray, xe, ye, sx: _Scale, sy: _Scale) -> str:
    """A black line along every cell edge that separates a negative cell from a non-negative one."""
    neg = values < 0
    segments = []
    ny, nx = values.shape
    for i in range(ny):
        for j in range(nx):
            if j + 1 < nx and neg[i, j] != neg[i, j + 1]:
                x = float(sx(xe[j + 1]))
                segments.append(f"M{x:.2f},{float(sy(ye[i])):.2f} V{float(sy(ye[i + 1])):.2f}")
            if i + 1 < ny and neg[i, j] != neg[i + 1, j]:
                y = float(sy(ye[i + 1]))
                segments.append(f"M{float(sx(xe[j])):.2f},{y:.2f} H{float(sx(xe[j + 1])):.2f}")
    if not segments:
        return ""
    return f'<path class="negative-boundary" d="{" ".join(segments)}" fill="none" stroke="#000" stroke-width="1.4"/>'


def _colorbar(cmap: str, lo: float, hi: float, x: float, top: float, h: float, label: str) -> str:
    steps = 48
    out = ['<g class="colorbar" shape-rendering="crispEdges">']
    colors = colormap(cmap, np.linspace(0, 1, steps))
    for k, c in enumerate(colors):
        y1 = top + h - k * h / steps
        out.append(f'<rect x="{x:.1f}" y="{y1 - h / steps:.2f}" width="12" height="{h / steps + 0.4:.2f}" fill="{c}"/>')
    out.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="12" height="{h:.1f}" fill="none" stroke="#888"/>')
    scale = _Scale(lo, hi, top + h, top, False)
    for v in nice_ticks(lo, hi, 5):
        py = float(scale(v))
        out.append(f'<line x1="{x + 12:.1f}" y1="{py:.1f}" x2="{x + 15:.1f}" y2="{py:.1f}" stroke="#888"/>')
        out.append(_text(x + 17, py + 3.5, format_number(v), size=9.5, anchor="start"))
    if label:
        out.append(_text(x + 62, top + h / 2, label, size=10.5, rotate=-90))
    out.append("</g>")
    return "".join(out)


def image_grid(images: Sequence, labels: Sequence[str] | None = None, *, title: str = "", columns: int | None = None,
               cell: float = 96, cmap: str = "diverging", shared_scale: bool = False) -> str:
    """Small images side by side, each with its label underneath.

    Parameters
    ----------
    images : sequence of array_like, each shape (h, w)
        E.g. filters reshaped to their square; a flat vector of length s² is
        reshaped to (s, s).
    labels : sequence of str, optional
    columns : int, optional
        Images per row (all in one row by default).
    cell : float
        Side of each image in px.
    cmap : {"diverging", "gray", "viridis"}
        ``"diverging"`` centres each image's colours at 0 (the sign of a filter
        weight is what matters); the others stretch min..max.
    shared_scale : bool
        One colour range for all images (to compare magnitudes), instead of one each.

    Returns
    -------
    str
        One ``<svg class="chart image-grid">`` element.
    """
    arrays = []
    for im in images:
        a = np.asarray(im, dtype=float)
        if a.ndim == 1:
            s = int(round(math.sqrt(a.size)))
            a = a.reshape(s, s) if s * s == a.size else a.reshape(1, -1)
        if a.ndim != 2:
            raise ValueError(f"each image must be 2-D (or a flat square), got shape {a.shape}")
        arrays.append(a)
    n = len(arrays)
    labels = list(labels or [""] * n)
    columns = columns or max(n, 1)
    rows = math.ceil(n / columns) if n else 1
    gap, label_h, top = 18.0, 30.0, (28.0 if title else 6.0)
    width = columns * cell + (columns + 1) * gap
    height = top + rows * (cell + label_h) + 4
    center = 0.0 if cmap == "diverging" else None
    if shared_scale and arrays:
        allv = np.concatenate([a.ravel() for a in arrays])
        _, lo, hi = _norm(allv, None, None, center)
    parts = [_svg_open(width, height, title, "chart image-grid")]
    if title:
        parts.append(_text(width / 2, 18, title, size=12.5, weight="600"))
    for idx, (a, label) in enumerate(zip(arrays, labels)):
        r, c = divmod(idx, columns)
        x0, y0 = gap + c * (cell + gap), top + r * (cell + label_h)
        h, w = a.shape
        side = cell / max(h, w)
        if shared_scale:
            t = (a - lo) / (hi - lo)
        else:
            t, _, _ = _norm(a, None, None, center)
        colors = colormap(cmap, np.nan_to_num(t, nan=0.5))
        parts.append('<g shape-rendering="crispEdges">')
        for k, color in enumerate(colors):
            i, j = divmod(k, w)
            parts.append(f'<rect x="{x0 + j * side:.2f}" y="{y0 + i * side:.2f}" width="{side + 0.3:.2f}" '
                         f'height="{side + 0.3:.2f}" fill="{color}"/>')
        parts.append("</g>")
        parts.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{w * side:.1f}" height="{h * side:.1f}" fill="none" '
                     f'stroke="#888"/>')
        for line_no, piece in enumerate(str(label).split("\n")[:2]):
            parts.append(_text(x0 + cell / 2, y0 + cell + 14 + 12 * line_no, piece, size=10.5))
    parts.append("</svg>")
    return "".join(parts)

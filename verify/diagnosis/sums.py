"""The map step: one chunk of images → partial sums and counts (docs/diagnose.md §2).

Every moment of docs/claims.md §2–§3 is a mean over images of a product of
*region averages*, Z_R = (1/k) Σ_i Z_i 1{Z_i ∈ R}, for the regions
S(w, w*) ("same"), S(w, −w*) ("opposite") and S(−w, w*) ("flipped") of
docs/claims.md §3 (closed, as printed), so a chunk contributes

    Σ_images Z_{R1} Z_{R2}ᵀ                      (one p × p matrix per requested pair)

and the reduction only adds.  A :class:`Plan` lists the *columns* (a student
direction w and a region, on the patches or on the averaged patch Z_avg of
Theorem 3.3) and the *pairs* of columns whose products are summed.  The same
pass collects, for Theorem 3.2–3.3 (docs/claims.md §4, claims 14–15):

* ``norm2_max`` max ‖Z_i‖² (the gradient bound B = ‖w*‖·max‖Z_i‖²), ``unit_dev`` max |‖Z_i‖ − 1|;
* ``zero`` (patches Z_i = 0), ``on_plane`` (non-zero patches with w*·Z_i = 0 exactly: β, L_cross infinite);
* ``rho`` max θ(Z_i, Z_avg) over non-zero pairs, ``rho_skipped`` the pairs without an angle;
* ``band[i, g]`` #images whose non-zero patch i has |θ(Z_i, w*) − π/2| ≤ grid_g (μ of Theorem 3.3),
  with |θ − π/2| = arcsin(|u*·Z_i|/‖Z_i‖) (accurate near the band's centre);
* ``loss`` Σ ½(f(w0_r, Z) − f(w*, Z))² for each start w0_r, Σ ½ f(w*, Z)² (= ℓ(0)) and Σ f(w*, Z).

:func:`combine` adds two partial results (max for the maxima); it is associative
up to rounding, and :mod:`verify.diagnosis.execute` always applies it in the same
tree order, so every scheduler gives the same bits.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..estimators.chunked import region_moment_sums

__all__ = ["Plan", "chunk_sums", "combine"]

MAXIMA = ("norm2_max", "unit_dev", "rho")


@dataclass(frozen=True)
class Plan:
    """What one pass accumulates.

    Attributes
    ----------
    u : ndarray (p,)
        u* = w*/‖w*‖.
    w_star : ndarray (p,)
    directions : ndarray (D, p)
        Student directions w (any length: only signs of w·Z matter).
    columns : tuple of (direction index, region, on_average)
    pairs : tuple of (column, column)
    band_grid : ndarray (G,)
        Angles of the μ band (0 < g ≤ π/2).
    starts : ndarray (R, p)
        Points whose loss is summed.
    extras : bool
        Collect the norm, angle and band statistics (off for the pilot).
    """

    u: np.ndarray
    w_star: np.ndarray
    directions: np.ndarray
    columns: tuple
    pairs: tuple
    band_grid: np.ndarray = field(default_factory=lambda: np.zeros(0))
    starts: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    extras: bool = True


def chunk_sums(z: np.ndarray, plan: Plan) -> dict:
    """Partial sums of one chunk of items, z of shape (m, k, p) (module doc).

    The moments are :func:`verify.estimators.chunked.region_moment_sums` (the engine's region mask);
    the rest is this module's.

    Examples
    --------
    >>> u = np.array([1.0, 0.0])
    >>> z = np.array([[[1.0, 2.0], [-1.0, 0.0]]])           # one image, k = 2 patches
    >>> plan = Plan(u, u, u[None], ((0, "same", False),), ((0, 0),), extras=False)
    >>> chunk_sums(z, plan)["M"][0]                          # Z_S = (1/2)(1, 2): only patch 1 is in S(u*, u*)
    array([[0.25, 0.5 ],
           [0.5 , 1.  ]])
    """
    m, k, p = z.shape
    out: dict = {"count": np.array(float(m)),
                 "M": region_moment_sums(z, plan.u, plan.directions, plan.columns, plan.pairs)}
    flat = z.reshape(m * k, p)
    if plan.starts.size:
        pre = flat @ np.ascontiguousarray(np.vstack([plan.starts, plan.w_star[None]]).T)  # (m·k, R + 1)
        f = np.maximum(pre, 0.0).reshape(m, k, -1).mean(axis=1)  # (m, R + 1)
        y = f[:, -1]
        out["loss"] = np.concatenate([0.5 * ((f[:, :-1] - y[:, None]) ** 2).sum(axis=0),
                                      [0.5 * (y ** 2).sum(), y.sum()]])
    if plan.extras:
        out.update(_extras(z, flat, z.mean(axis=1), plan))
    return out


def _extras(z, flat, zavg, plan) -> dict:
    m, k, _ = z.shape
    norm2 = np.einsum("np,np->n", flat, flat)
    norm = np.sqrt(norm2)
    nonzero = norm2 > 0
    proj_u = flat @ plan.u
    # θ(Z_i, Z_avg) by atan2 of the two parts of Z_i along and across Z_avg
    a2 = np.einsum("mp,mp->m", zavg, zavg)
    dots = np.einsum("mkp,mp->mk", z, zavg).ravel()
    a2_rep = np.repeat(a2, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        across = np.sqrt(np.maximum(norm2 * a2_rep - dots ** 2, 0.0))
        theta = np.arctan2(across, dots)
        valid = nonzero & (a2_rep > 0)
        band = np.arcsin(np.minimum(np.abs(proj_u) / np.where(nonzero, norm, 1.0), 1.0))
    grid = plan.band_grid
    G = grid.shape[0]
    hist = np.zeros(k * (G + 1))
    if G:
        idx = np.searchsorted(grid, band, side="left")
        pos = np.tile(np.arange(k), m)
        keep = nonzero & (idx < G)
        hist = np.bincount(pos[keep] * (G + 1) + idx[keep], minlength=k * (G + 1)).astype(float)
    counts = np.cumsum(hist.reshape(k, G + 1)[:, :G], axis=1)
    return {
        "norm2_max": np.array(float(norm2.max(initial=0.0))),
        "unit_dev": np.array(float(np.abs(norm - 1.0).max(initial=0.0))),
        "zero": np.array(float((~nonzero).sum())),
        "on_plane": np.array(float((nonzero & (proj_u == 0)).sum())),
        "rho": np.array(float(theta[valid].max(initial=0.0))),
        "rho_skipped": np.array(float((~valid).sum())),
        "band": counts,
    }


def combine(a: dict | None, b: dict | None) -> dict | None:
    """a + b, key by key (the maxima of ``MAXIMA`` by max)."""
    if a is None:
        return b
    if b is None:
        return a
    return {key: (np.maximum(a[key], b[key]) if key in MAXIMA else a[key] + b[key]) for key in a}

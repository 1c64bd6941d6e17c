"""Region moments summed chunk by chunk, and the direction search on them (docs/claims.md §2–§3, docs/diagnose.md §3–§4).

:func:`verify.estimators.moments.moment_curves` sums a whole φ-grid of one plane in one pass
(region averages per grid angle, or difference arrays over patch pairs for long grids and few
patches).  Here the wanted student directions are arbitrary (many planes at once, k = 576 patches
of 28 × 28 images with 5 × 5 filters, stride 1): O(k) per direction, the region averages
Z_R = (1/k) Σ_i Z_i 1{Z_i ∈ R} at each direction w, then the products of the pairs,
E[Z_{R1} Z_{R2}ᵀ] (docs/claims.md §3).  This module holds that
accumulation (:func:`region_moment_sums`), with the regions read as :func:`verify.geometry.region_mask`
reads them (the signs of :data:`verify.geometry.REGION_SIGNS`, closed hyperplanes of docs/claims.md §2), and the
search over directions v ⟂ u* built on the engine's pieces:

* the candidates are :func:`verify.estimators.direction_search.search_directions`' (±v₀ in p = 2,
  a circle of 72 in p = 3, 48 seeded Gaussian and ±e_i for the 32 coordinates least aligned with u*
  in p ≥ 4);
* each candidate plane's values (λ_min, λ_max, Σσ at every target angle) are read from its sums by
  :class:`verify.estimators.moments.MomentCurves`, the engine's reader of exact sums;
* :func:`candidate_scores` scores a *block* of candidates on the pilot patches (a map task: the
  blocks are independent, so a scheduler may run them anywhere and in any order), and
  :func:`choose` keeps the best candidate per target (the reduce).

The true minimum lies at or below any found one and the true maximum at or above, so a searched γ
is an ``upper-bound`` and a searched L, L_{−w*}, β, L_cross a ``lower-bound`` (docs/claims.md §7).
φ = 0 (w = u*) and φ = π (w = −u*) have no direction to choose.

Examples
--------
>>> u = np.array([1.0, 0.0])
>>> z = np.array([[[1.0, 2.0], [-1.0, 0.0]]])          # one item, k = 2 patches
>>> region_moment_sums(z, u, u[None], ((0, "same", False),), ((0, 0),))[0]   # only patch 1 is in S(u*, u*)
array([[0.25, 0.5 ],
       [0.5 , 1.  ]])
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from ..geometry import REGION_SIGNS, region_mask
from .direction_search import CROSS_PAIRS, FLIP, OPP, SAME, search_directions
from .moments import MomentCurves
from .sampling import BatchMeans

__all__ = ["Targets", "Choice", "region_moment_sums", "candidates", "pilot_items", "plane_layout",
           "candidate_scores", "choose", "curves_from_sums", "PILOT_PATCHES"]

#: patches scored by the pilot (its items: ⌈PILOT_PATCHES / k⌉, seeded, or all)
PILOT_PATCHES = 40_000


@dataclass(frozen=True)
class Targets:
    """The angles at which each quantity is wanted.

    Attributes
    ----------
    curve : ndarray (G,)
        φ of γ(φ), L(φ) (0 and π included).
    sup : ndarray (S,)
        θ of the β and L_cross ratios, in (0, π/2].
    avg : float
        φ₀ of γ_avg (Theorem 3.3).
    """

    curve: np.ndarray
    sup: np.ndarray
    avg: float

    @property
    def interior(self) -> np.ndarray:
        """The curve angles strictly between 0 and π (those with a direction to choose)."""
        return self.curve[(self.curve > 0) & (self.curve < math.pi)]


@dataclass(frozen=True)
class Choice:
    """The chosen unit direction v ⟂ u* per target, and what the pilot saw (``record``)."""

    gamma: np.ndarray   # (G, p) per curve φ
    L: np.ndarray       # (G, p)
    beta: np.ndarray    # (S, p) per sup θ
    cross: np.ndarray   # (S, p)
    avg: np.ndarray     # (p,)
    searched: bool
    record: dict


def _masks(proj_u: np.ndarray, proj_w: np.ndarray, columns, average: bool) -> np.ndarray | None:
    """1{patch in the column's region} (rows, C'), for the columns on patches (``average`` False) or on Z_avg."""
    chosen = [(region, d) for (d, region, on_avg) in columns if on_avg == average]
    if not chosen:
        return None
    out = np.empty((proj_u.shape[0], len(chosen)), dtype=bool)
    regions = np.array([region for region, _ in chosen])
    directions = np.array([d for _, d in chosen])
    for region in set(regions.tolist()):  # one call per region: few large temporaries, not one per column
        cols = np.flatnonzero(regions == region)
        out[:, cols] = region_mask(proj_w[:, directions[cols]], proj_u[:, None], region)
    return out


#: bytes of one block's (rows, C) mask in :func:`_patch_region_averages`: a few items at a time, so that the
#: mask is formed, compared and multiplied while it sits in cache (k = 576, C = 70: two items)
MASK_BLOCK_BYTES = 2**19


def _patch_region_averages(z: np.ndarray, u: np.ndarray, signed: np.ndarray, teacher: np.ndarray) -> np.ndarray:
    """Z_R of every item for C patch columns, (m, C, p).

    Column c is the region {s_w·w·Z ≥ 0} ∩ {s_*·w*·Z ≥ 0} (closed, :data:`verify.geometry.REGION_SIGNS`,
    the reading of :func:`verify.geometry.region_mask`), given as ``signed[c]`` = s_w·w (C, p) and
    ``teacher[c]`` = s_* (C,), the columns of s_* = +1 before those of −1.  Per block of items: one
    projection of the block's patches on the signed directions, turned into the 0.0/1.0 float64 mask
    in place (no boolean copy, no gather; negating w is exact, so (−w)·Z = −(w·Z) bit for bit), the
    teacher's half applied to the patches (zeroing the others: exact), and the k-sum one (C, k)·(k, p)
    product per item.
    """
    m, k, p = z.shape
    n_cols = signed.shape[0]
    out = np.empty((m, n_cols, p))
    plus = int(np.count_nonzero(teacher == 1))
    groups = [(sign, cols) for sign, cols in ((1, slice(0, plus)), (-1, slice(plus, n_cols)))
              if cols.stop > cols.start]
    directions = np.ascontiguousarray(signed.T)  # (p, C)
    block = max(1, MASK_BLOCK_BYTES // (8 * k * n_cols))
    for a in range(0, m, block):
        rows = z[a:a + block].reshape(-1, p)
        member = rows @ directions  # (b·k, C)
        np.greater_equal(member, 0.0, out=member)  # 1.0 where s_w·w·Z ≥ 0, else 0.0
        member = member.reshape(-1, k, n_cols)
        along_u = rows @ u
        for sign, cols in groups:
            kept = np.where((sign * along_u >= 0.0)[:, None], rows, 0.0).reshape(-1, k, p)
            if k == 1:  # the masked patch itself
                out[a:a + block, cols] = member[:, 0, cols, None] * kept
            else:
                out[a:a + block, cols] = np.matmul(member[:, :, cols].transpose(0, 2, 1), kept)
    if k > 1:
        out /= k
    return out


def region_moment_sums(z: np.ndarray, u: np.ndarray, directions: np.ndarray, columns, pairs) -> np.ndarray:
    """Σ over the items of Z_{R1} Z_{R2}ᵀ for each pair of columns (docs/claims.md §3; divide by the count).

    Parameters
    ----------
    z : ndarray (m, k, p)
        The patches of m items.
    u : ndarray (p,)
        u* = w*/‖w*‖ (only the signs of u*·Z matter).
    directions : ndarray (D, p)
        Student directions w (any length: only the signs of w·Z matter).
    columns : sequence of (direction index, region, on_average)
        Z_R of the region ("same" S(w, w*), "opposite" S(w, −w*), "flipped" S(−w, w*)) at that w,
        over the patches, or Z_avg·1{Z_avg ∈ R} when ``on_average`` (γ_avg of Theorem 3.3).
    pairs : sequence of (column, column)

    Returns
    -------
    ndarray (P, p, p)

    Notes
    -----
    Cost per chunk: one projection of the m·k patches on the C patch columns' signed directions
    (m·k·p·C flops), one in-place comparison, per item a (C, k)·(k, p) product (m·k·p·C flops), and
    the pairs' (p, m)·(m, p) products; memory: the averages (m, C, p) and, a few items at a time, the
    float mask (``MASK_BLOCK_BYTES``) and the patches on the teacher's side.
    """
    p = z.shape[2]
    found = {}  # column → (array (m, C', p), index): Z_R, or Z_avg·1{Z_avg ∈ R}
    # the columns on patches, those of teacher sign + (same, flipped) first, then − (opposite)
    on_patches = sorted((j for j, c in enumerate(columns) if not c[2]),
                        key=lambda j: -REGION_SIGNS[columns[j][1]][1])
    if on_patches:
        signed = np.array([REGION_SIGNS[columns[j][1]][0] * directions[columns[j][0]] for j in on_patches])
        teacher = np.array([REGION_SIGNS[columns[j][1]][1] for j in on_patches])
        sums = _patch_region_averages(z, u, signed, teacher)
        found.update({j: (sums, i) for i, j in enumerate(on_patches)})
    on_average = [j for j, c in enumerate(columns) if c[2]]
    if on_average:
        zavg = z.mean(axis=1)
        basis = np.ascontiguousarray(np.vstack([u[None], directions]).T)  # (p, 1 + D)
        proj_a = zavg @ basis
        masks = _masks(proj_a[:, 0], proj_a[:, 1:], columns, True)  # (m, C')
        averages = masks[:, :, None] * zavg[:, None, :]  # (m, C', p)
        found.update({j: (averages, i) for i, j in enumerate(on_average)})

    def column(c):
        sums, i = found[c]
        return sums[:, i, :]

    out = np.empty((len(pairs), p, p))
    for s, (c1, c2) in enumerate(pairs):
        x = column(c1)
        out[s] = x.T @ (x if c1 == c2 else column(c2))
    return out


def candidates(p: int, u: np.ndarray, seed: int) -> tuple[np.ndarray, bool]:
    """Candidate unit v ⟂ u* (rows, :func:`~verify.estimators.direction_search.search_directions`) and whether
    they realise every extremum exactly (p = 2).

    Examples
    --------
    >>> vs, exact = candidates(2, np.array([1.0, 0.0]), 0)
    >>> vs.tolist(), exact
    ([[0.0, 1.0], [-0.0, -1.0]], True)
    """
    dirs = search_directions(SimpleNamespace(p=p, k=1, symmetry=None, axis=None), u, seed)
    return np.array(dirs.vectors), bool(dirs.exact)


def pilot_items(n_items: int, k: int, seed: int) -> np.ndarray:
    """Sorted indices of the pilot items: all of them, or a seeded subset of ⌈PILOT_PATCHES/k⌉.

    Examples
    --------
    >>> pilot_items(5, 1, 0).tolist(), pilot_items(10**6, 4, 0).size
    ([0, 1, 2, 3, 4], 10000)
    """
    want = max(1, -(-PILOT_PATCHES // k))
    if want >= n_items:
        return np.arange(n_items)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 31]))
    return np.sort(rng.choice(n_items, size=want, replace=False))


def plane_layout(u: np.ndarray, v: np.ndarray, targets: Targets) -> tuple[np.ndarray, tuple, tuple, dict]:
    """The directions, columns and pairs that score one plane (u*, v) at every target angle.

    w(φ) = cos φ·u* + sin φ·v (docs/claims.md §2).  Returns (directions (D, p), columns, pairs, where):
    ``where["curve"]`` the (same, same) pair per interior curve φ, ``where["sup"]`` the four pairs
    (opposite, opposite) and :data:`~verify.estimators.direction_search.CROSS_PAIRS` per sup θ,
    ``where["avg"]`` the pair of Z_avg at φ₀.
    """
    interior = targets.interior
    angles = np.concatenate([interior, targets.sup, [targets.avg]])
    directions = np.cos(angles)[:, None] * u + np.sin(angles)[:, None] * v
    columns = [(d, SAME, False) for d in range(interior.size)]
    pairs = [(c, c) for c in range(interior.size)]
    where = {"curve": list(range(interior.size)), "sup": [], "avg": None}
    for j in range(targets.sup.size):
        s = len(columns)
        d = interior.size + j
        columns += [(d, SAME, False), (d, OPP, False), (d, FLIP, False)]
        col = {SAME: s, OPP: s + 1, FLIP: s + 2}
        where["sup"].append(list(range(len(pairs), len(pairs) + 4)))
        pairs += [(col[OPP], col[OPP])] + [(col[a], col[b]) for a, b in CROSS_PAIRS]
    columns.append((directions.shape[0] - 1, SAME, True))
    pairs.append((len(columns) - 1, len(columns) - 1))
    where["avg"] = len(pairs) - 1
    return directions, tuple(columns), tuple(pairs), where


def curves_from_sums(batch_sums: np.ndarray, counts, phis, names, u, v, sample: bool = False) -> MomentCurves:
    """Moment sums of one plane as the engine's :class:`~verify.estimators.moments.MomentCurves`.

    Parameters
    ----------
    batch_sums : ndarray (B, M, G, p, p)
        Σ over each batch's items of Z_{R1} Z_{R2}ᵀ (:func:`region_moment_sums`), for M pairs ``names`` at
        G angles ``phis`` of the plane w(φ) = cos φ·u + sin φ·v.
    counts : array_like (B,)
        Items per batch.
    sample : bool
        False: the items are the law, one exact sum (B = 1; rounding bounds, docs/error-bars.md §1).
        True: batch means of a sample (B − 1 dof, the tail check of degree 2).
    """
    counts = np.asarray(counts, dtype=float)
    bm = batch_sums / counts[:, None, None, None, None]
    n = int(counts.sum())
    if sample:
        sums = BatchMeans(bm, np.tensordot(counts / counts.sum(), bm, axes=1), n, "mc", None, counts.size - 1,
                          degree=2)
    else:
        sums = BatchMeans(bm, bm[0], n, "exact", None, None)
    return MomentCurves(np.asarray(phis, dtype=float), tuple(names), u, v, sums)


def _plane_scores(mats: np.ndarray, n: int, where: dict, targets: Targets, u, v) -> dict:
    """The per-plane values at every target (docs/claims.md §2–§3), read by :class:`MomentCurves` from exact sums.

    γ and L per interior curve φ (λ_min, λ_max of E[Z_S Z_Sᵀ]), β's ratio λ_max(E[Z_{S'} Z_{S'}ᵀ])/θ and
    L_cross's ratio Σσ_max/θ per sup θ, and γ_avg's λ_min at φ₀.
    """
    curve = curves_from_sums(mats[where["curve"]][None, None], [n], targets.interior, [(SAME, SAME)], u, v)
    sup = curves_from_sums(mats[np.array(where["sup"]).T][None], [n], targets.sup, ((OPP, OPP),) + CROSS_PAIRS, u, v)
    avg = curves_from_sums(mats[[where["avg"]]][None, None], [n], [targets.avg], [(SAME, SAME)], u, v)
    values = lambda estimates: np.array([e.value for e in estimates])  # noqa: E731
    return {"gamma": values(curve.extreme_eigenvalue((SAME, SAME), "min")),
            "L": values(curve.extreme_eigenvalue((SAME, SAME), "max")),
            "beta": values(sup.extreme_eigenvalue((OPP, OPP), "max")) / targets.sup,
            "cross": values(sup.singular_value_sum(CROSS_PAIRS)) / targets.sup,
            "avg": values(avg.extreme_eigenvalue((SAME, SAME), "min"))}


def candidate_scores(z: np.ndarray, u: np.ndarray, vs: np.ndarray, targets: Targets) -> dict:
    """Score each candidate v (rows of ``vs``) on the pilot patches ``z`` (m, k, p): one map task.

    Returns a dict of arrays with one row per candidate: ``gamma``, ``L`` (V, G'), ``beta``, ``cross`` (V, S)
    (the ratios of β and L_cross) and ``avg`` (V, 1); a candidate's row depends on nothing else, so blocks
    of candidates can be scored anywhere and concatenated.
    """
    rows = []
    for v in vs:
        directions, columns, pairs, where = plane_layout(u, v, targets)
        mats = region_moment_sums(z, u, directions, columns, pairs)
        rows.append(_plane_scores(mats, z.shape[0], where, targets, u, v))
    return {key: np.array([r[key] for r in rows]).reshape(len(rows), -1) for key in ("gamma", "L", "beta", "cross",
                                                                                  "avg")}


def choose(vs: np.ndarray, exact: bool, scores: dict, targets: Targets, pilot_shape: tuple) -> Choice:
    """The best candidate per target (γ, γ_avg the smallest; L, β, L_cross the largest): the reduce of the search.

    ``scores`` is :func:`candidate_scores` over all of ``vs`` (blocks concatenated in order);
    ``pilot_shape`` (items, k) of the pilot, for the record.
    """
    pick = {"gamma": np.argmin(scores["gamma"], axis=0), "L": np.argmax(scores["L"], axis=0),
            "beta": np.argmax(scores["beta"], axis=0), "cross": np.argmax(scores["cross"], axis=0),
            "avg": np.argmin(scores["avg"], axis=0)}
    chosen = {key: scores[key][pick[key], np.arange(pick[key].size)].tolist() for key in pick}
    record = {"candidates": int(vs.shape[0]), "exact_direction_set": exact, "pilot_images": int(pilot_shape[0]),
              "pilot_patches": int(pilot_shape[0] * pilot_shape[1]),
              "pilot_values": {"gamma": chosen["gamma"], "L": chosen["L"], "beta_ratio": chosen["beta"],
                               "cross_ratio": chosen["cross"], "gamma_avg": chosen["avg"][0]}}
    inside = (targets.curve > 0) & (targets.curve < math.pi)

    def whole_curve(key):  # φ = 0, π: any v, the plane is irrelevant there
        out = np.tile(vs[0], (targets.curve.size, 1))
        out[inside] = vs[pick[key]]
        return out

    return Choice(whole_curve("gamma"), whole_curve("L"), vs[pick["beta"]], vs[pick["cross"]], vs[pick["avg"][0]],
                  not exact, record)

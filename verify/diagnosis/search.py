"""Which student direction realises each extremum: a search on a pilot subset (docs/diagnose.md §4).

γ(φ), L(φ), L_{−w*}, β and L_cross are extrema over the directions
w = cos φ·u* + sin φ·v, v ⟂ u* (docs/claims.md §2–§3): two points when p = 2,
a (p − 2)-sphere in general.  As in :mod:`verify.estimators.quantities`, candidates are
scored on a *pilot* (a seeded subset of the images, summed exactly) and only the
winner of each target is evaluated on all the data:

* p = 2: both directions ±v₀ — nothing searched, the value is the extremum;
* p ≥ 3: the candidate set of :func:`verify.estimators.quantities.search_directions` (p = 3 a circle of 72;
  p ≥ 4 48 seeded Gaussian directions and ±e_i for the 32 coordinates least aligned with u*).
  The true minimum lies at or below any found one and the true maximum at or above, so a
  searched γ is an ``upper-bound`` and a searched L, L_{−w*}, β, L_cross a ``lower-bound``
  (docs/claims.md §7).  No local refinement: the candidates are the whole search.

φ = 0 (w = u*) and φ = π (w = −u*) have no direction to choose.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from ..estimators.direction_search import search_directions
from .sums import Plan, chunk_sums

__all__ = ["Targets", "Choice", "candidates", "pilot_items", "search", "PILOT_PATCHES"]

#: patches summed by the pilot (its images: ⌈PILOT_PATCHES / k⌉, seeded, or all)
PILOT_PATCHES = 40_000


@dataclass(frozen=True)
class Targets:
    """The angles at which each quantity is wanted."""

    curve: np.ndarray   # φ of γ(φ), L(φ) (0 and π included)
    sup: np.ndarray     # θ of the β and L_cross ratios, in (0, π/2]
    avg: float          # φ_0 of γ_avg (Theorem 3.3)


@dataclass(frozen=True)
class Choice:
    """The chosen direction v (⟂ u*) per target and what the pilot saw."""

    gamma: np.ndarray   # (G, p) per curve φ
    L: np.ndarray       # (G, p)
    beta: np.ndarray    # (S, p) per sup θ
    cross: np.ndarray   # (S, p)
    avg: np.ndarray     # (p,)
    searched: bool
    record: dict


def candidates(p: int, u: np.ndarray, seed: int) -> tuple[np.ndarray, bool]:
    """Candidate unit v ⟂ u* (rows) and whether they realise every extremum exactly (p = 2)."""
    dirs = search_directions(SimpleNamespace(p=p, k=1, symmetry=None, axis=None), u, seed)
    return np.array(dirs.vectors), bool(dirs.exact)


def pilot_items(n_items: int, k: int, seed: int) -> np.ndarray:
    """Sorted indices of the pilot images: all of them, or a seeded subset of ⌈PILOT_PATCHES/k⌉."""
    want = max(1, -(-PILOT_PATCHES // k))
    if want >= n_items:
        return np.arange(n_items)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 31]))
    return np.sort(rng.choice(n_items, size=want, replace=False))


def plane_plan(u, w_star, v, targets: Targets) -> tuple[Plan, dict]:
    """The plan scoring one direction v at every target angle; returns (plan, where each target's pairs are)."""
    interior = targets.curve[(targets.curve > 0) & (targets.curve < math.pi)]
    angles = np.concatenate([interior, targets.sup, [targets.avg]])
    directions = np.cos(angles)[:, None] * u + np.sin(angles)[:, None] * v
    columns, pairs, where = [], [], {"curve": [], "beta": [], "cross": [], "avg": None}
    for d in range(interior.size):
        columns.append((d, "same", False))
        pairs.append((len(columns) - 1, len(columns) - 1))
        where["curve"].append(len(pairs) - 1)
    for j in range(targets.sup.size):
        d = interior.size + j
        s, o, f = len(columns), len(columns) + 1, len(columns) + 2
        columns += [(d, "same", False), (d, "opposite", False), (d, "flipped", False)]
        pairs += [(o, o), (s, o), (s, f), (o, f)]
        where["beta"].append(len(pairs) - 4)
        where["cross"].append((len(pairs) - 3, len(pairs) - 2, len(pairs) - 1))
    columns.append((directions.shape[0] - 1, "same", True))
    pairs.append((len(columns) - 1, len(columns) - 1))
    where["avg"] = len(pairs) - 1
    plan = Plan(u, w_star, directions, tuple(columns), tuple(pairs), extras=False)
    return plan, where


def _sym_eig(m):
    return np.linalg.eigvalsh((m + np.swapaxes(m, -1, -2)) / 2)


def _scores(mats: np.ndarray, where: dict, targets: Targets) -> dict:
    curve = mats[where["curve"]]
    ev = _sym_eig(curve) if len(where["curve"]) else np.zeros((0, 1))
    beta = _sym_eig(mats[where["beta"]])[:, -1] / targets.sup
    cross = sum(np.linalg.svd(mats[[c[i] for c in where["cross"]]], compute_uv=False)[:, 0] for i in range(3))
    return {"gamma": ev[:, 0], "L": ev[:, -1], "beta": beta, "cross": cross / targets.sup,
            "avg": float(_sym_eig(mats[where["avg"]])[0])}


def search(z: np.ndarray, u: np.ndarray, w_star: np.ndarray, targets: Targets, seed: int) -> Choice:
    """Score every candidate on the pilot patches ``z`` (m, k, p) and keep the best per target."""
    p = z.shape[2]
    vs, exact = candidates(p, u, seed)
    scores = []
    for v in vs:
        plan, where = plane_plan(u, w_star, v, targets)
        sums = chunk_sums(z, plan)
        scores.append(_scores(sums["M"] / z.shape[0], where, targets))
    pick = {
        "gamma": np.argmin(np.array([s["gamma"] for s in scores]), axis=0),
        "L": np.argmax(np.array([s["L"] for s in scores]), axis=0),
        "beta": np.argmax(np.array([s["beta"] for s in scores]), axis=0),
        "cross": np.argmax(np.array([s["cross"] for s in scores]), axis=0),
        "avg": int(np.argmin([s["avg"] for s in scores])),
    }
    record = {"candidates": int(vs.shape[0]), "exact_direction_set": exact, "pilot_images": int(z.shape[0]),
              "pilot_patches": int(z.shape[0] * z.shape[1]),
              "pilot_values": {
                  "gamma": [float(scores[i]["gamma"][g]) for g, i in enumerate(pick["gamma"])],
                  "L": [float(scores[i]["L"][g]) for g, i in enumerate(pick["L"])],
                  "beta_ratio": [float(scores[i]["beta"][g]) for g, i in enumerate(pick["beta"])],
                  "cross_ratio": [float(scores[i]["cross"][g]) for g, i in enumerate(pick["cross"])],
                  "gamma_avg": float(scores[pick["avg"]]["avg"])}}
    interior = targets.curve[(targets.curve > 0) & (targets.curve < math.pi)]
    full = lambda key: _expand(targets.curve, interior, vs[pick[key]], vs[0])
    return Choice(full("gamma"), full("L"), vs[pick["beta"]], vs[pick["cross"]], vs[pick["avg"]], not exact,
                  record)


def _expand(curve, interior, chosen, any_v):
    """Directions for the whole curve grid (φ = 0, π: any v, the plane is irrelevant there)."""
    out = np.tile(any_v, (curve.size, 1))
    out[(curve > 0) & (curve < math.pi)] = chosen
    return out

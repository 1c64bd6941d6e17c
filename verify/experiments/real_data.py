"""Figs. 3c, 3d, 4 and 5: SGD learning a filter on real image patches (docs/claims.md §4, claim 20).

The paper's MNIST (28×28) is replaced by scikit-learn's 8×8 digits (shipped,
no download; :func:`verify.laws.images.digits_images`, grey levels over 16), with
5×5 filters at stride 1: k = 16 patches of p = 25 pixels per image (4×4 gives
k = 25, p = 16, by the ``filter_size`` override); ``mnist=DIR`` uses the
paper's data instead.  Each seed draws its own teacher — i.i.d. N(0, 1)
entries for Fig. 3c, a Gabor filter of random orientation for Fig. 3d (Fig. 4
shows several of each).  Figs. 4 and 5 read the runs of Figs. 3c–d: a caller that runs several of
the four passes the same ``shared`` dict to each (its own store, e.g. the claim checker's context), and
the patches and runs are computed once; without it each figure computes what it reads.  Teacher filters are scaled to unit norm;
the dynamics are scale-free (f is 1-homogeneous, so ‖w_t − w*‖/‖w*‖ and the
relative loss do not depend on ‖w*‖ at a fixed η).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from ..laws.builtin import ImagePatches
from ..dynamics.descent import empirical_losses
from ..dynamics.sgd import sgd
from ..jsonio import jsonable
from ..stats import t_interval
from .common import (ExperimentResult, count_signs, experiment_settings, first_step_below, format_interval,
               neighbour_differences, seed_list, seed_stream)

__all__ = ["fig3c", "fig3d", "fig4", "fig5", "SHARING"]

#: The experiments that take ``shared=`` (a caller's dict through which they share patches and SGD runs).
SHARING = ("fig3c", "fig3d", "fig4", "fig5")


def _teachers(kind: str, s: dict) -> np.ndarray:
    """One unit-norm teacher filter per seed, shape (seeds, f²).

    ``random``: i.i.d. N(0, 1) entries (Fig. 4a); ``gabor``: a Gabor filter
    (:func:`verify.laws.images.gabor_filter`, default wavelength and envelope,
    phase 0) with orientation uniform in [0, π) (Fig. 4b shows several).
    """
    from ..laws.images import gabor_filter, random_filter

    f = s["filter_size"]
    rng = np.random.default_rng(seed_stream(s["seed"], "teachers", kind))
    if kind == "random":
        ws = [random_filter(f, rng).ravel() for _ in range(s["seeds"])]
    else:
        ws = [gabor_filter(f, orientation=float(rng.uniform(0, math.pi))).ravel() for _ in range(s["seeds"])]
    ws = np.array(ws)
    return ws / np.linalg.norm(ws, axis=1, keepdims=True)


def _shared(store: dict | None, key: tuple, compute):
    """``compute()``, kept in the caller's ``store`` under ``key`` when a store is given (module doc)."""
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def _real_patches(s: dict, store: dict | None) -> ImagePatches:
    """The image-patch law the settings ``s`` name, from the caller's store when it holds it."""
    key = ("patches", s["filter_size"], s["stride"], s["mnist"], s["mnist_limit"])
    return _shared(store, key, lambda: _load_patches(s["filter_size"], s["stride"], s["mnist"], s["mnist_limit"]))


def _load_patches(filter_size: int, stride: int, mnist: str | None = None, mnist_limit: int = 2000) -> ImagePatches:
    """Patches of the real images: scikit-learn's digits, or the first ``mnist_limit`` MNIST
    training images when ``mnist`` names a directory of IDX files (the paper's data)."""
    from ..laws.images import DIGITS_SOURCE, digits_images, mnist_images

    if mnist is not None:
        return ImagePatches(mnist_images(mnist, limit=mnist_limit), filter_size, stride,
                            source=f"MNIST train images from {mnist} (first {mnist_limit})")
    return ImagePatches(digits_images(), filter_size, stride, source=DIGITS_SOURCE)


def _freeze(s: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in s.items()))


@dataclass(frozen=True)
class _RealRuns:
    """SGD on digit patches for every (α, seed); arrays indexed [α, seed, …]."""

    alphas: tuple
    teachers: np.ndarray        # (n, p)
    initial: np.ndarray         # (A, n, p)
    final: np.ndarray           # (A, n, p)
    steps: np.ndarray           # (M,)
    relative_loss: np.ndarray   # (A, n, M)
    relative_distance: np.ndarray  # (A, n, M)


def _real_runs(kind: str, s: dict, store: dict | None) -> _RealRuns:
    """The runs of ``kind`` for the settings ``s``, from the caller's store when it holds them."""
    return _shared(store, ("runs", kind, _run_key(s)), lambda: _compute_runs(kind, s, store))


def _compute_runs(kind: str, s: dict, store: dict | None) -> _RealRuns:
    """Seed j: teacher w*_j, one direction u_j, and w0 = w*_j + α‖w*_j‖u_j for every α, with the same
    minibatch seed for every α (common random numbers: the α's differ in the distance only)."""
    dist = _real_patches(s, store)
    teachers = _teachers(kind, s)
    rng = np.random.default_rng(seed_stream(s["seed"], "init", kind))
    alphas = np.asarray(s["alphas"], dtype=float)
    batch_seeds = seed_list(s["seed"], s["seeds"], "sgd", kind)
    starts = []
    for w_star in teachers:
        u = rng.standard_normal(dist.p)
        u /= np.linalg.norm(u)
        starts.append(w_star + alphas[:, None] * np.linalg.norm(w_star) * u)
    # every (teacher j, α) pair advanced together, run j·A + a; the α's of teacher j share its minibatch seed
    A = len(alphas)
    tr = sgd(dist, np.repeat(teachers, A, axis=0), np.concatenate(starts), s["iterations"], s["eta"],
             batch=s["batch"], seeds=np.repeat(batch_seeds, A).tolist(), evaluation="support",
             record_every=s["record_every"])

    def by_alpha(a: np.ndarray) -> np.ndarray:  # (n·A, …) by run → (A, n, …)
        return np.swapaxes(a.reshape(len(teachers), A, *a.shape[1:]), 0, 1)

    return _RealRuns(tuple(s["alphas"]), teachers, by_alpha(tr.initial_weights), by_alpha(tr.final_weights),
                     tr.steps, by_alpha(tr.relative_loss), by_alpha(tr.relative_distance))


def _real_settings(name: str, profile, seed, overrides, store: dict | None) -> dict:
    s = experiment_settings(name, profile, seed, overrides)
    s["images"] = (_real_patches(s, store).source
                   if s["mnist"] is not None else "sklearn-digits (1797 images, 8x8, grey levels / 16)")
    return s


def _run_key(s: dict) -> tuple:
    keys = ("seed", "filter_size", "stride", "alphas", "eta", "batch", "iterations", "seeds", "record_every",
            "mnist", "mnist_limit")
    return _freeze({k: s[k] for k in keys})


def _real_data(name: str, kind: str, profile, seed, overrides, store: dict | None) -> ExperimentResult:
    t0 = time.perf_counter()
    s = _real_settings(name, profile, seed, overrides, store)
    runs = _real_runs(kind, s, store)
    alphas, rel, dist_rel = runs.alphas, runs.relative_loss, runs.relative_distance
    n = s["seeds"]
    final = [rel[i, :, -1] for i in range(len(alphas))]
    summaries = [t_interval(f, s["level"]) for f in final]
    # Larger α (a worse start) should end with a higher loss; paired by teacher.
    diffs = neighbour_differences(final, s["level"], paired=True)
    near = [hi <= s["near_zero"] if math.isfinite(hi) else m <= s["near_zero"] for m, _, hi in summaries]
    reach = [first_step_below(runs.steps, rel[i], s["near_zero"]) for i in range(len(alphas))]
    with np.errstate(invalid="ignore"):
        mean_curves = [np.mean(rel[i], axis=0) for i in range(len(alphas))]
    series = {
        "alphas": list(alphas),
        "steps": runs.steps.tolist(),
        "mean_log_relative_loss": [jsonable(c) for c in mean_curves],
        "log_relative_loss": [jsonable(rel[i]) for i in range(len(alphas))],
        "final_log_relative_loss": [jsonable(f) for f in final],
        "final_mean_ci": [[jsonable(m), jsonable(lo), jsonable(hi)] for m, lo, hi in summaries],
        "neighbour_differences": [[jsonable(d), jsonable(lo), jsonable(hi)] for d, lo, hi in diffs],
        "steps_to_near_zero": reach,
        "final_relative_distance": [jsonable(dist_rel[i, :, -1]) for i in range(len(alphas))],
    }
    filt = "random N(0,1) filters" if kind == "random" else "Gabor filters"
    parts = "; ".join(f"α={a:g}: {format_interval(*summ)} (‖w_T−w*‖/‖w*‖ median {np.median(dist_rel[i, :, -1]):.2g})"
                      for i, (a, summ) in enumerate(zip(alphas, summaries)))
    if diffs:
        pairs = "; ".join(f"α {alphas[i]:g}→{alphas[i + 1]:g}: {format_interval(*d)}" for i, d in enumerate(diffs))
        pairs = (f"neighbouring differences (larger α minus smaller, paired by teacher, Bonferroni "
                 f"{s['level']:.0%}) {pairs} — {count_signs(diffs)}")
    else:
        pairs = "one α: no neighbouring difference"
    finding = (f"Fig. 3{'c' if kind == 'random' else 'd'}: SGD on 8x8 digit patches (f={s['filter_size']}, "
               f"stride {s['stride']}, eta={s['eta']:g}, batch={s['batch']}, T={s['iterations']}) learning {n} "
               f"{filt} from ‖w0−w*‖=α‖w*‖: final ln(relative loss), mean [{s['level']:.0%} t-interval] over "
               f"teachers, {parts}; {pairs}; interval (or mean, for one teacher) at or below "
               f"{s['near_zero']:.2f} for {sum(near)} of {len(near)} α.")
    return ExperimentResult(name, "sec4-real-data",
                            f"SGD learning {filt} on digit patches, by initialization (relative loss)",
                            s, series, finding, time.perf_counter() - t0)


def fig3c(profile: str = "default", seed: int = 0, *, shared: dict | None = None,
          **overrides) -> ExperimentResult:
    """Fig. 3c (claim ``sec4-real-data``): SGD learns random Gaussian filters on real image patches.

    For each of ``seeds`` teachers w*_j (5×5, i.i.d. N(0, 1), unit norm) and
    each α in ``alphas``: w0 = w*_j + α‖w*_j‖u_j (u_j uniform on the sphere,
    shared by the α's), labels y = f(w*_j, Z) on the 16 patches of each digit,
    SGD with constant ``eta``; relative loss over all 1797 digits (exact
    sums).  Measures what docs/claims.md §4 claim 20 states: "better
    initializations converge faster" (the final relative loss by α, with
    paired differences by teacher) and "near-zero relative loss".
    """
    return _real_data("fig3c", "random", profile, seed, overrides, shared)


def fig3d(profile: str = "default", seed: int = 0, *, shared: dict | None = None,
          **overrides) -> ExperimentResult:
    """Fig. 3d (claim ``sec4-real-data``): as :func:`fig3c` with Gabor teachers of random orientation."""
    return _real_data("fig3d", "gabor", profile, seed, overrides, shared)


def _learned(kind: str, s: dict, store: dict | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(teachers (n, p), learned filters (n, p), their initial points (n, p), α index) at the middle α."""
    runs = _real_runs(kind, s, store)
    i = len(runs.alphas) // 2
    return runs.teachers, runs.final[i], runs.initial[i], i


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosine similarity a_i·b_i / (‖a_i‖ ‖b_i‖) (Fig. 4's "looks like", docs/claims.md §4, claim 20)."""
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def fig4(profile: str = "default", seed: int = 0, *, shared: dict | None = None,
         **overrides) -> ExperimentResult:
    """Fig. 4 (claim ``sec4-real-data``): the true and the learned filters, as arrays to draw.

    The pairs (teacher, learned) of :func:`fig3c` (``series["random"]``) and
    :func:`fig3d` (``series["gabor"]``) from the middle initialization
    distance α, each filter an f×f nested list.  The finding reports the cosine
    similarity and the relative distance of learned to true, against the
    initial points'.
    """
    t0 = time.perf_counter()
    s = _real_settings("fig4", profile, seed, overrides, shared)
    f = s["filter_size"]
    series, parts, cos_all = {}, [], []
    for kind in ("random", "gabor"):
        teachers, learned, init, i = _learned(kind, s, shared)
        cos, cos0 = _cosines(learned, teachers), _cosines(init, teachers)
        rel = np.linalg.norm(learned - teachers, axis=1) / np.linalg.norm(teachers, axis=1)
        cos_all.append(cos)
        series[kind] = {
            "true": [w.reshape(f, f).tolist() for w in teachers],
            "learned": [w.reshape(f, f).tolist() for w in learned],
            "cosine_similarity": jsonable(cos),
            "initial_cosine_similarity": jsonable(cos0),
            "relative_distance": jsonable(rel),
            "alpha": s["alphas"][i],
        }
        parts.append(f"{kind}: cosine(learned, true) median {np.median(cos):.3f}, min {cos.min():.3f} "
                     f"(initial median {np.median(cos0):.3f}), ‖w−w*‖/‖w*‖ median {np.median(rel):.3f}")
    worst = min(float(np.min(c)) for c in cos_all)
    finding = (f"Fig. 4: learned vs true 5x5 filters after {s['iterations']} SGD steps from "
               f"‖w0−w*‖={s['alphas'][i]:g}‖w*‖, {s['seeds']} teachers each — " + "; ".join(parts) +
               f"; worst cosine {worst:.3f} (the claim check reads 'looks like the true filter' as cosine ≥ 0.95).")
    return ExperimentResult("fig4", "sec4-real-data", "True and learned filters", s, series, finding,
                            time.perf_counter() - t0)


def fig5(profile: str = "default", seed: int = 0, *, shared: dict | None = None,
         **overrides) -> ExperimentResult:
    """Fig. 5 / Appendix B (claim ``sec4-real-data``): loss along α·w + (1−α)·w*, α ∈ (0, 1].

    For each learned filter w of :func:`fig4` and its teacher w*, the relative
    loss (exact over all digit patches) at ``points`` equally spaced α in
    (0, 1] (α = 0 is w*, loss exactly 0).  Control: the relative loss at
    ``controls`` points w* + ‖w − w*‖·u, u uniform on the sphere — as far from
    w* as w, in random directions — which tests the paper's explanation that w
    differs from w* only along directions the data hardly span.
    """
    t0 = time.perf_counter()
    s = _real_settings("fig5", profile, seed, overrides, shared)
    dist = _real_patches(s, shared)
    atoms = dist.support()
    grid = np.linspace(1.0 / s["points"], 1.0, s["points"])
    series, parts, maxima, barriers = {"alpha": grid.tolist()}, [], [], []
    rng = np.random.default_rng(seed_stream(s["seed"], "fig5-controls"))
    half = int(np.argmin(np.abs(grid - 0.5)))
    for kind in ("random", "gabor"):
        teachers, learned, _, _ = _learned(kind, s, shared)
        curves, controls = [], []
        for w_star, w in zip(teachers, learned):
            segment = grid[:, None] * w + (1 - grid[:, None]) * w_star
            curves.append(empirical_losses(segment, atoms, w_star)[1])
            u = rng.standard_normal((s["controls"], dist.p))
            u /= np.linalg.norm(u, axis=1, keepdims=True)
            controls.append(empirical_losses(w_star + np.linalg.norm(w - w_star) * u, atoms, w_star)[1])
        curves, controls = np.array(curves), np.array(controls)
        barrier = float(np.max(curves - curves[:, -1:]))  # how far the segment rises above its end w
        maxima.append(np.max(curves))
        barriers.append(barrier)
        series[kind] = {
            "log_relative_loss": [jsonable(c) for c in curves],
            "control_log_relative_loss": [jsonable(c) for c in controls],
            "barrier": barrier,
        }
        parts.append(f"{kind}: max over the segments {np.max(curves):.2f} (median at α=1 {np.median(curves[:, -1]):.2f}, "
                     f"at α={grid[half]:g} {np.median(curves[:, half]):.2f}; highest rise above the α=1 end "
                     f"{barrier:.2g}) vs random directions at the same distance median {np.median(controls):.2f}")
    worst = float(max(maxima))
    no_barrier = max(barriers) <= math.log(2)
    near = worst <= s["near_zero"]
    finding = (f"Fig. 5: ln(relative loss) along α·w + (1−α)·w*, α ∈ (0, 1], {s['seeds']} learned filters per kind "
               "— " + "; ".join(parts) + f"; highest rise of a segment above its α=1 end {max(barriers):.2g} "
               f"({'≤' if no_barrier else '>'} ln 2: the segment {'never exceeds' if no_barrier else 'exceeds'} 2x "
               f"the loss at w); worst ln(relative loss) along the segments {worst:.2f} "
               f"({'≤' if near else '>'} {s['near_zero']:.2f}).")
    return ExperimentResult("fig5", "sec4-real-data", "Loss along the segment from the learned to the true filter",
                            s, series, finding, time.perf_counter() - t0)

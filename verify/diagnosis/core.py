"""The orchestration of :func:`verify.diagnosis.diagnose` (docs/diagnose.md)."""
from __future__ import annotations

import math
import os
import platform
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..laws.readers import open_npy
from ..validation import InvalidArgument, check_count, check_seed
from .assumptions import judge
from ..estimators.chunked import Targets, candidate_scores, candidates, choose, pilot_items
from .constants import CURVE_GRID, SUP_GRID, estimates, final_plan
from .execute import executor, run_plan
from .predictions import run_sgd, starts, theory
from .result import DiagnoseResult
from .sources import chunk_bounds, open_source

__all__ = ["diagnose", "resolve_teacher", "LAWS"]

LAWS = ("data", "sample")


def resolve_teacher(teacher: Any, p: int, filter_size: int | None, seed: int) -> np.ndarray:
    """w* from an array (p numbers or f × f), a ``.npy`` path, ``"random"`` (i.i.d. N(0, 1), unit norm, seeded)
    or ``"gabor"`` (:func:`verify.laws.images.gabor_filter`, orientation uniform in [0, π), seeded, unit norm).

    Examples
    --------
    >>> w = resolve_teacher("gabor", 25, 5, seed=0)
    >>> w.shape, round(float(np.linalg.norm(w)), 12)
    ((25,), 1.0)
    >>> resolve_teacher([1, 2], 2, None, 0)
    array([1., 2.])
    """
    from ..laws.images import gabor_filter

    if isinstance(teacher, str) and teacher in ("random", "gabor"):
        rng = np.random.default_rng(np.random.SeedSequence([seed, 23]))
        if teacher == "random":
            w = rng.standard_normal(p)
        else:
            f = filter_size or int(round(math.sqrt(p)))
            if f * f != p:
                raise InvalidArgument("teacher", f"gabor needs square patches (p = f²), got p = {p}")
            w = gabor_filter(f, orientation=float(rng.uniform(0, math.pi))).ravel()
        return w / np.linalg.norm(w)
    if isinstance(teacher, (str, Path)):
        path = Path(teacher)
        if path.suffix != ".npy" or not path.is_file():
            raise InvalidArgument("teacher", f"must be random, gabor or an existing .npy file, got {str(teacher)!r}")
        teacher = open_npy(path, "teacher").load(constant=False)
    w = np.asarray(teacher)
    if not (np.issubdtype(w.dtype, np.integer) or np.issubdtype(w.dtype, np.floating)) or w.size != p:
        raise InvalidArgument("teacher", f"must hold p = {p} real numbers, got shape {w.shape} of {w.dtype}")
    w = w.astype(float).ravel()
    if not np.all(np.isfinite(w)) or not np.any(w):
        raise InvalidArgument("teacher", "must be finite and non-zero")
    return w


def _check_args(workers, scheduler, law, batches, start_distance, epsilon, delta, sgd_steps, runs, batch):
    if workers is not None:
        if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or not 1 <= workers <= 1024:
            raise InvalidArgument("workers", f"must be an integer in 1 … 1024, got {workers!r}")
        if scheduler is not None:
            raise InvalidArgument("workers", "give either workers (a new local cluster) or scheduler, not both")
    if law not in LAWS:
        raise InvalidArgument("law", f"must be 'data' (the data are the law) or 'sample', got {law!r}")
    check_count(batches, "batches", minimum=2)
    for name, x in (("start_distance", start_distance), ("epsilon", epsilon), ("delta", delta)):
        if not (isinstance(x, (int, float)) and 0 < x < 1):
            raise InvalidArgument(name, f"must lie in (0, 1), got {x!r}")
    check_count(sgd_steps, "sgd_steps", minimum=0)
    check_count(runs, "runs", minimum=2)
    check_count(batch, "batch", minimum=1)


def _score_block(shared: tuple, vs: np.ndarray) -> dict:
    """One map task of the pilot: a block of candidate directions scored on the pilot patches."""
    z, u, targets = shared
    return candidate_scores(z, u, vs, targets)


def _search(runner, z: np.ndarray, u: np.ndarray, targets: Targets, seed: int):
    """The direction search (:mod:`verify.estimators.chunked`) with the candidates' scoring mapped on ``runner``:
    in blocks of candidates (two per worker), concatenated in order (every score depends on its candidate alone)."""
    vs, exact = candidates(z.shape[2], u, seed)
    blocks = np.array_split(vs, min(len(vs), max(1, 2 * runner.workers)))
    parts = runner.map_tasks(_score_block, (z, u, targets), blocks)
    scores = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    return choose(vs, exact, scores, targets, z.shape[:2])


def diagnose(source: Any, *, filter_size: int | None = None, stride: int = 1, teacher: Any = "random",
             seed: int = 0, workers: int | None = None, scheduler: Any = None,
             progress: Callable[[str], None] | None = None, law: str = "data", batches: int = 32,
             start_distance: float = 0.5, epsilon: float = 0.01, delta: float = 0.1, sgd_steps: int = 1000,
             runs: int = 4, batch: int = 32, kind: str | None = None) -> DiagnoseResult:
    """The paper's assumptions and predictions on the user's data (docs/diagnose.md).

    Parameters
    ----------
    source : ndarray (N, H, W) or (n, p)/(n, k, p), a ``.npy`` path, an MNIST IDX directory, a zarr array/path
    filter_size, stride : int
        How images are cut (p = filter_size²); ignored for patch arrays.
    teacher : ndarray, ``.npy`` path, "random" or "gabor"
    seed : int
        Pilot images, candidate directions, teacher, SGD starts and minibatches.
    workers : int, optional
        Start a local Dask cluster of that many single-threaded worker processes.
    scheduler : str or distributed.Client, optional
        A running Dask cluster.
    progress : callable(str), optional
    law : {"data", "sample"}
        The data **are** the law (exact sums) or a **sample** of a larger law (``batches`` batch means).
    start_distance : float
        r₀/‖w*‖ of the SGD starts; φ₀ = arcsin(r₀/‖w*‖).
    epsilon, delta : float
        Target accuracy ε‖w*‖ and failure probability (Theorem 3.2).
    sgd_steps, runs, batch : int
        SGD iterations (0: no run), seeded starts, minibatch images.
    kind : {"images", "patches"}, optional
        Force how a ``.npy``/array is read.
    """
    t_start = time.monotonic()
    say = progress or (lambda message: None)
    seed = check_seed(seed)
    _check_args(workers, scheduler, law, batches, start_distance, epsilon, delta, sgd_steps, runs, batch)
    src = open_source(source, filter_size=filter_size, stride=stride, kind=kind)
    sample = law == "sample"
    if sample and src.n_items < 2 * batches:
        raise InvalidArgument("batches", f"law='sample' needs at least 2·batches = {2 * batches} items, "
                                         f"the data have {src.n_items}")
    w_star = resolve_teacher(teacher, src.p, src.filter_size, seed)
    w_norm = float(np.linalg.norm(w_star))
    u = w_star / w_norm
    phi0 = math.asin(start_distance)
    targets = Targets(np.unique(np.r_[CURVE_GRID, phi0]), SUP_GRID, phi0)
    timings = {}

    w0 = starts(w_star, start_distance * w_norm, runs, seed)
    B = batches if sample else 1
    chunks = chunk_bounds(src.n_items, src.images_per_chunk, B)

    last = [0.0]

    def tick(done, total, elapsed):
        if done is None:  # a cluster: only the elapsed time is known
            say(f"constants: {total} chunks on the cluster, {elapsed:.0f} s")
            return
        if progress is not None and (elapsed - last[0] >= 2.0 or done == total):
            last[0] = elapsed
            rate = done * src.images_per_chunk * src.k / max(elapsed, 1e-9)
            say(f"constants: chunk {done}/{total} ({100.0 * done / total:.0f}%), ~{rate:,.0f} patches/s")

    with executor(workers, scheduler) as runner:
        t = time.monotonic()
        idx = pilot_items(src.n_items, src.k, seed)
        say(f"pilot: searching directions on {idx.size} of {src.n_items} items on {runner.name}")
        choice = _search(runner, src.take(idx), u, targets, seed)
        timings["pilot_s"] = time.monotonic() - t
        plan, where = final_plan(u, w_star, targets, choice, w0)
        t = time.monotonic()
        say(f"constants: {len(chunks)} chunks of ≤ {src.images_per_chunk} items on {runner.name}")
        sums = run_plan(src, plan, runner, B, tick, chunks)
        runner_name, runner_workers = runner.name, runner.workers
    timings["constants_s"] = time.monotonic() - t
    pilot_pick = None
    if sample:
        pv = choice.record["pilot_values"]
        pilot_pick = {"beta": int(np.argmax(pv["beta_ratio"])), "cross": int(np.argmax(pv["cross_ratio"]))}
    c = estimates(sums, where, targets, choice, u, sample, pilot_pick)
    c["curve"] = targets.curve.tolist()
    c["sup_grid"] = targets.sup.tolist()
    c["search"] = choice.record
    pred = theory(c, targets.curve, phi0, src.k, src.p, w_norm, start_distance * w_norm, epsilon, delta)
    loss = c.pop("loss_sums")
    if loss is not None:
        n = c["images"]
        pred["loss_at_starts"] = (loss[:runs] / n).tolist()
        pred["loss_at_zero"] = float(loss[runs] / n)
    assumptions = judge(c, pred, targets.curve, src.k, w_norm)
    measured = None
    if sgd_steps > 0:
        t = time.monotonic()
        say(f"SGD: {runs} runs × {sgd_steps} steps, η = {pred['eta_used']:.4g}")
        measured = run_sgd(src, w_star, w0, pred["eta_used"], sgd_steps, batch, seed, pred["contraction_drop"])
        timings["sgd_s"] = time.monotonic() - t
    timings["total_s"] = time.monotonic() - t_start
    provenance = {
        "source": src.describe(), "law": law,
        "law_note": ("the data are the law: exact sums over every image, rounding bounds" if not sample else
                     f"the data are a sample of a larger law: {B} batch means of consecutive images, t on "
                     f"{B - 1} dof (consecutive images must be exchangeable)"),
        "batches": B, "chunks": len(chunks), "images_per_chunk": src.images_per_chunk,
        "scheduler": runner_name, "workers": runner_workers, "seed": seed, "timings": timings,
        "patches_per_second": src.n_items * src.k / max(timings["constants_s"], 1e-9),
        "pilot_items": int(idx.size), "python": platform.python_version(), "numpy": np.__version__,
        "cpu_count": os.cpu_count(), "targets": {"phi0": phi0, "start_distance": start_distance,
                                                  "epsilon": epsilon, "delta": delta},
    }
    return DiagnoseResult(w_star, c, assumptions, pred, measured, provenance)

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
from ..report.words import count_of, format_number
from ..validation import InvalidArgument, check_count, check_seed
from .assumptions import judge
from ..estimators.chunked import Targets, candidate_scores, candidates, choose, pilot_items
from .constants import CURVE_GRID, SUP_GRID, estimates, final_plan
from .execute import executor, run_plan
from .headline import headline
from .predictions import theory
from .result import DiagnoseResult
from .sgd_runs import run_sgd, run_theory_step, search_step, starts
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


def _check_args(workers, scheduler, law, batches, start_distance, epsilon, delta, sgd_steps, runs, batch, eta):
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
    if eta is not None and (isinstance(eta, bool) or not isinstance(eta, (int, float, np.floating))
                            or not (math.isfinite(eta) and eta > 0)):
        raise InvalidArgument("eta", f"must be a finite step > 0, got {eta!r}")


def _score_block(shared: tuple, vs: np.ndarray) -> dict:
    """One map task of the pilot: a block of candidate directions scored on the pilot patches."""
    z, u, targets = shared
    return candidate_scores(z, u, vs, targets)


#: blocks of candidate directions the in-process pilot scores one after the other (a progress line may follow each)
PILOT_BLOCKS = 16


def _search(runner, z: np.ndarray, u: np.ndarray, targets: Targets, seed: int, say=None):
    """The direction search (:mod:`verify.estimators.chunked`) with the candidates' scoring mapped on ``runner``:
    in blocks of candidates (two per worker; :data:`PILOT_BLOCKS` in-process, a progress line between them),
    concatenated in order (every score depends on its candidate alone, so the cut changes no bit)."""
    vs, exact = candidates(z.shape[2], u, seed)
    if runner.workers:
        blocks = np.array_split(vs, min(len(vs), 2 * runner.workers))
        parts = runner.map_tasks(_score_block, (z, u, targets), blocks)
    else:
        blocks = np.array_split(vs, min(len(vs), PILOT_BLOCKS))
        parts, start, last = [], time.monotonic(), time.monotonic()
        for i, block in enumerate(blocks):
            parts += runner.map_tasks(_score_block, (z, u, targets), [block])
            now = time.monotonic()
            if say is not None and (now - last >= 2.0 or i + 1 == len(blocks)):
                last = now
                done = sum(len(b) for b in blocks[: i + 1])
                say(f"pilot: scored {done} of {len(vs)} candidate directions on {count_of(z.shape[0], 'item')} "
                    f"({100.0 * done / len(vs):.0f}%), {now - start:.0f} s")
    scores = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    return choose(vs, exact, scores, targets, z.shape[:2])


def diagnose(source: Any, *, filter_size: int | None = None, stride: int = 1, teacher: Any = "random",
             seed: int = 0, workers: int | None = None, scheduler: Any = None,
             progress: Callable[[str], None] | None = None, law: str = "data", batches: int = 32,
             start_distance: float = 0.5, epsilon: float = 0.01, delta: float = 0.1, sgd_steps: int = 1000,
             runs: int = 4, batch: int = 32, kind: str | None = None, eta: float | None = None) -> DiagnoseResult:
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
    eta : float, optional
        The SGD step; by default the largest of a halving search from 2/L(0) whose trial runs all contract
        (:func:`verify.diagnosis.sgd_runs.search_step`).
    kind : {"images", "patches"}, optional
        Force how a ``.npy``/array is read.
    """
    t_start = time.monotonic()
    say = progress or (lambda message: None)
    seed = check_seed(seed)
    _check_args(workers, scheduler, law, batches, start_distance, epsilon, delta, sgd_steps, runs, batch, eta)
    src = open_source(source, filter_size=filter_size, stride=stride, kind=kind)
    say(f"diagnose {src.label}: {count_of(src.n_items, 'item')}, k = {src.k} {'patch' if src.k == 1 else 'patches'}"
        f" of p = {src.p} ({count_of(src.n_items * src.k, 'patch', 'patches')}); phases: pilot, constants, " + ("SGD" if sgd_steps else "no SGD"))
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
            say(f"constants: {count_of(total, 'chunk')} on the cluster, {elapsed:.0f} s")
            return
        if progress is not None and (elapsed - last[0] >= 2.0 or done == total):
            last[0] = elapsed
            rate = done * src.images_per_chunk * src.k / max(elapsed, 1e-9)
            say(f"constants: chunk {done}/{total} ({100.0 * done / total:.0f}%), ~{rate:,.0f} patches/s")

    if workers is not None:
        say(f"starting a local Dask cluster of {count_of(workers, 'worker process', 'worker processes')}")
    elif scheduler is not None:
        say(f"connecting to the Dask scheduler {scheduler}")
    with executor(workers, scheduler) as runner:
        t = time.monotonic()
        idx = pilot_items(src.n_items, src.k, seed)
        say(f"pilot: searching directions on {idx.size:,} of {count_of(src.n_items, 'item')} on {runner.name}")
        choice = _search(runner, src.take(idx), u, targets, seed, say if progress is not None else None)
        timings["pilot_s"] = time.monotonic() - t
        plan, where = final_plan(u, w_star, targets, choice, w0)
        t = time.monotonic()
        say(f"constants: {count_of(len(chunks), 'chunk')} of ≤ {count_of(src.images_per_chunk, 'item')} on "
            f"{runner.name}")
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
    pred.update(headline(assumptions, pred, src.k))
    measured = None
    if sgd_steps > 0:
        t = time.monotonic()
        measured = _measure(src, w_star, w0, pred, c, eta, sgd_steps, batch, seed, say)
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


def _measure(src, w_star, w0, pred, c, eta, steps, batch, seed, say) -> dict:
    """SGD at ``eta`` or at the searched step, the theory's step when it gives one, and the slack ratios."""
    l0 = float(c["L"][0].value)
    if eta is not None:
        chosen = {"value": float(eta), "chosen_by": "given", "how": "given (--eta)", "trials": []}
    else:
        # L(0) = 0: w* is active on no patch (the teacher's output is 0 on the data); max‖Z_i‖² bounds every
        # patch's curvature instead
        eta0 = 2.0 / l0 if l0 > 0 else 2.0 / max(float(c["norm2_max"]), 1e-300)
        say(f"SGD step search: halving from 2/L(0) = {format_number(eta0, 3)} until every trial run contracts")
        found, trials = search_step(src, w_star, w0, eta0, steps, batch, seed, say)
        how = (f"the largest η = (2/L(0))/2ʲ, j = 0, 1, …, for which {trials[0]['steps']}-step trial runs from all "
               f"{len(w0)} starts end closer to w* than they started (2/L(0) = {eta0:.4g}: GD is unstable beyond it "
               "on the loss's steepest direction at w*); found after "
               f"{len(trials)} {'trial' if len(trials) == 1 else 'trials'}")
        if found is None:
            found = trials[-1]["eta"]
            how = (f"no step contracted: {len(trials)} halvings from 2/L(0) = {eta0:.4g} all left some run farther "
                   "from w* than it started; the smallest step tried is used")
        chosen = {"value": found, "chosen_by": "search" if trials[-1]["contracted"] else "search-failed",
                  "how": how, "start": eta0, "trials": trials}
    say(f"SGD: {count_of(len(w0), 'run')} × {count_of(steps, 'step')} at η = {format_number(chosen['value'], 4)}")
    measured = run_sgd(src, w_star, w0, chosen["value"], steps, batch, seed, say)
    measured["eta"] = chosen
    theory_run = run_theory_step(src, w_star, w0, pred, steps, batch, seed, measured["rate"]["value"], say)
    measured["theory_step"] = theory_run
    if theory_run is not None:
        mr, pr = measured["rate"]["value"], pred.get("rate_per_step")
        measured["slack"] = {
            "step_ratio": chosen["value"] / pred["eta_max"],
            "rate_ratio": (mr / pr) if mr and pr else None,
            "note": "step_ratio: how many times larger the step that SGD tolerates here is than the theory's; "
                    "rate_ratio: how many times faster the measured rate is than the predicted one"}
    return measured

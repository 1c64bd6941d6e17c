"""What SGD does on the data, at a step that works, and at the theory's step (docs/diagnose.md §6).

SGD is :func:`verify.dynamics.sgd.sgd` on :class:`DataLaw`, a sampler that draws whole images
(uniformly, with replacement) from the source chunk-free, so the data never sit in memory.  Every run
starts at distance r₀ from w* in a seeded uniform direction (:func:`starts`).

**The step** (:func:`search_step`): ``--eta`` when given; otherwise the largest η = η₀/2ʲ (j = 0 … 
:data:`HALVINGS`) for which a trial of :data:`TRIAL_STEPS` steps (fewer when fewer are asked for) from every
start ends closer to w* than it started, every distance finite.  η₀ = 2/L(0): L(0) = λ_max E[Z_S Z_Sᵀ] at
w = w* is the largest curvature of the population loss at w* (its Hessian there, docs/claims.md §3), and
gradient descent with a constant step is unstable on that direction beyond 2/L(0).  The search is
deterministic (seeded trials, no clock).

**The measurement** (:func:`run_sgd`): the runs at the chosen η for T steps, in segments of about
:data:`SEGMENT` steps (progress between them; segment s of run r draws its minibatches from the seed
(seed, 43, r, s)).  The rate of a run is the least-squares slope of −ln‖w_t − w*‖ against t (per step); the
rate reported is its mean over runs with the standard error (:func:`verify.estimators.sampling.sample_mean`).

**The theory's step** (:func:`run_theory_step`), when Theorem 2.2/3.1 gives a positive one: the same runs at
that step for at most the requested T steps; the time to reach ε is the measured seconds per step times the
predicted iteration count, an extrapolation, and said to be one.
"""
from __future__ import annotations

import math
import time
from typing import Any, Callable

import numpy as np

from ..dynamics.sgd import sgd
from ..estimators.sampling import sample_mean
from ..report.words import count_of, format_number
from .sources import Source

__all__ = ["DataLaw", "starts", "search_step", "run_sgd", "run_theory_step", "TRIAL_STEPS", "HALVINGS",
           "SEGMENT", "EVAL_PATCHES"]

#: steps of one trial run of the step search
TRIAL_STEPS = 100
#: halvings of η₀ the search tries before it gives up (η₀/2²⁰ ≈ 10⁻⁶·η₀)
HALVINGS = 20
#: SGD steps per segment (a progress line may follow each)
SEGMENT = 250
#: patches of the fixed evaluation sample on which SGD's loss is recorded
EVAL_PATCHES = 100_000


class DataLaw:
    """The empirical law of the source's images as a sampler (docs/claims.md §5, finite laws).

    ``support()`` is None on purpose: :func:`verify.dynamics.sgd.sgd` then draws
    minibatches through :meth:`sample` instead of holding every patch.

    Examples
    --------
    >>> from verify.diagnosis.sources import open_source
    >>> law = DataLaw(open_source(np.zeros((5, 4, 4)), filter_size=2, stride=2))
    >>> law.sample(3, np.random.default_rng(0)).shape
    (3, 4, 4)
    """

    name = "diagnose-data"

    def __init__(self, source: Source):
        self.source, self.p, self.k = source, source.p, source.k

    def sample(self, n: int, rng) -> np.ndarray:
        return self.source.take(rng.integers(0, self.source.n_items, size=int(n)))

    def support(self):
        return None

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "p": self.p, "k": self.k, "source": self.source.describe()}


def starts(w_star: np.ndarray, r0: float, runs: int, seed: int) -> np.ndarray:
    """``runs`` seeded starts (runs, p) at distance r₀ from w*, in uniform directions.

    Examples
    --------
    >>> w0 = starts(np.array([1.0, 0.0, 0.0]), 0.5, 3, seed=0)
    >>> np.round(np.linalg.norm(w0 - [1.0, 0.0, 0.0], axis=1), 12).tolist()
    [0.5, 0.5, 0.5]
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 41]))
    d = rng.standard_normal((runs, w_star.size))
    return w_star + r0 * d / np.linalg.norm(d, axis=1, keepdims=True)


def _segment_seeds(seed: int, runs: int, segment: int) -> list[int]:
    return [int(np.random.SeedSequence([seed, 43, r, segment]).generate_state(1, np.uint64)[0] >> 1)
            for r in range(runs)]


def _trajectory(source: Source, w_star, w0, eta: float, steps: int, batch: int, seed: int,
                every: int, say: Callable[[str], None] | None = None, what: str = "SGD") -> dict:
    """SGD in segments (module doc): recorded steps, distances (R, M), relative losses, final weights (R, p)."""
    law = DataLaw(source)
    n_eval = int(max(1, min(source.n_items, EVAL_PATCHES // source.k)))
    seg = every * max(1, round(SEGMENT / every))
    W = np.array(w0, dtype=float)
    t_all, d_all, loss_all = [], [], []
    start, last_said, offset, s = time.monotonic(), time.monotonic(), 0, 0
    while True:
        length = min(seg, steps - offset)
        tr = sgd(law, w_star, W, length, eta, batch=batch, seeds=_segment_seeds(seed, W.shape[0], s),
                 evaluation="sample", n_eval=n_eval, eval_seed=seed + 1_000_003, record_every=every)
        keep = slice(0 if s == 0 else 1, None)
        t_all.append(offset + np.asarray(tr.steps)[keep])
        d_all.append(np.asarray(tr.distance)[:, keep])
        loss_all.append(np.asarray(tr.relative_loss)[:, keep])
        W, offset, s = np.asarray(tr.final_weights), offset + length, s + 1
        now = time.monotonic()
        if say is not None and (now - last_said >= 2.0 or offset >= steps):
            last_said = now
            median = float(np.median(d_all[-1][:, -1])) / float(np.linalg.norm(w_star))
            say(f"{what}: step {offset:,} of {steps:,} ({100.0 * offset / max(steps, 1):.0f}%), "
                f"{count_of(W.shape[0], 'run')}, median ‖w − w*‖/‖w*‖ now {format_number(median, 3)}, {now - start:.0f} s")
        if offset >= steps:
            break
    return {"steps": np.concatenate(t_all), "distance": np.concatenate(d_all, axis=1),
            "relative_loss": np.concatenate(loss_all, axis=1), "final": W, "n_eval": n_eval,
            "seconds": time.monotonic() - start}


#: distances ‖w_t − w*‖ ≤ FLOOR·‖w*‖ are left out of the rate's fit: SGD has converged to rounding there
#: (double precision, ~10⁻¹⁶ relative) and the log distance is noise, which would flatten the slope
FLOOR = 1e-10


def _rates(t: np.ndarray, dist: np.ndarray, norm: float) -> np.ndarray:
    """Per run, the least-squares slope of −ln‖w_t − w*‖ against t over the points above :data:`FLOOR`·‖w*‖
    (NaN with fewer than two such points).

    Examples
    --------
    >>> t = np.arange(50.0)
    >>> np.round(_rates(t, np.maximum(np.exp(-0.5 * t), 1e-16)[None], 1.0), 12).tolist()   # floor reached at t ≈ 46
    [0.5]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        logd = np.log(dist)
    out = []
    for row, d in zip(logd, dist):
        ok = np.isfinite(row) & (d > FLOOR * norm)
        out.append(-float(np.polyfit(t[ok], row[ok], 1)[0]) if ok.sum() >= 2 else math.nan)
    return np.array(out)


def search_step(source: Source, w_star, w0, eta0: float, steps: int, batch: int, seed: int,
                say: Callable[[str], None] | None = None) -> tuple[float | None, list[dict]]:
    """The largest η = η₀/2ʲ whose trial runs all contract (module doc); (None, trials) when none does.

    Returns
    -------
    eta : float or None
    trials : list of dict
        ``eta``, ``steps``, ``ratio`` (final/initial distance per start), ``contracted``.
    """
    trials = []
    n = max(1, min(TRIAL_STEPS, steps))
    eta = eta0
    for j in range(HALVINGS + 1):
        tr = _trajectory(source, w_star, w0, eta, n, batch, seed, n)
        ratio = tr["distance"][:, -1] / tr["distance"][:, 0]
        ok = bool(np.all(np.isfinite(ratio)) and np.all(ratio < 1.0))
        trials.append({"eta": eta, "steps": n, "ratio": ratio.tolist(), "contracted": ok})
        if say is not None:
            worst = float(np.max(ratio)) if np.all(np.isfinite(ratio)) else math.inf
            say(f"SGD step search: trial {j + 1} at η = {format_number(eta, 3)}, {count_of(n, 'step')} from "
                f"{count_of(len(ratio), 'start')}: worst final/initial distance {format_number(worst, 3)}"
                + (" — contracts" if ok else " — halving"))
        if ok:
            return eta, trials
        eta /= 2.0
    return None, trials


def run_sgd(source: Source, w_star: np.ndarray, w0: np.ndarray, eta: float, steps: int, batch: int, seed: int,
            say: Callable[[str], None] | None = None, what: str = "SGD") -> dict:
    """SGD from each start with step η for ``steps`` steps: the trajectories and the measured numbers.

    Returns
    -------
    dict
        ``steps`` (recorded t), ``distance`` (R, M) ‖w_t − w*‖, ``relative_loss`` (R, M),
        ``initial_relative_distance``, ``relative_distance`` (final ‖w_T − w*‖/‖w*‖), ``cosine`` (final
        cos θ(w_T, w*)), per start; ``rate`` {value, error, per_run, how}; ``iterations``, ``batch``, ``seeds``,
        ``runs``, ``contracted`` (every run ended closer than it started), ``seconds_per_step``.
    """
    every = max(1, steps // 200)
    tr = _trajectory(source, w_star, w0, eta, steps, batch, seed, every, say, what)
    t, dist = tr["steps"].astype(float), tr["distance"]
    norm = float(np.linalg.norm(w_star))
    final = tr["final"]
    with np.errstate(invalid="ignore", divide="ignore"):
        cosine = final @ w_star / (np.linalg.norm(final, axis=1) * norm)
    rates = _rates(t, dist, norm)
    rate = sample_mean(rates, checks=False)
    finite = int(np.isfinite(rates).sum())
    return {"steps": t.tolist(), "distance": dist.tolist(), "relative_loss": tr["relative_loss"].tolist(),
            "iterations": int(steps), "batch": int(batch), "runs": int(dist.shape[0]),
            "seeds": f"segment s of run r: SeedSequence([{seed}, 43, r, s]); {SEGMENT}-step segments",
            "initial_relative_distance": (dist[:, 0] / norm).tolist(),
            "relative_distance": (dist[:, -1] / norm).tolist(), "cosine": cosine.tolist(),
            "rate": {"value": float(rate.value) if finite else None,
                     "error": float(rate.error) if finite > 1 else None, "per_run": rates.tolist(),
                     "how": "least-squares slope of −ln‖w_t − w*‖ per step (points above 10⁻¹⁰‖w*‖), mean ± "
                            "standard error over starts"},
            "contracted": bool(np.all(dist[:, -1] < dist[:, 0])),
            "seconds_per_step": tr["seconds"] / max(steps, 1), "evaluation_images": tr["n_eval"]}


def run_theory_step(source: Source, w_star, w0, prediction: dict, steps: int, batch: int, seed: int,
                    measured_rate: float | None, say: Callable[[str], None] | None = None) -> dict | None:
    """SGD at the theory's step (when it gives one) for at most ``steps`` steps, and the slack ratios.

    The time to ε is extrapolated (seconds per step measured here × the predicted iteration count).
    """
    eta = prediction.get("eta_max")
    if not eta:
        return None
    iters = prediction.get("iterations_to_epsilon")
    n = int(min(steps, iters)) if iters else int(steps)
    run = run_sgd(source, w_star, w0, eta, max(n, 1), batch, seed, say, what="SGD at the theory's step")
    run.pop("relative_loss")
    predicted = prediction.get("rate_per_step")
    run["predicted_rate"] = predicted
    run["extrapolated_seconds_to_epsilon"] = (run["seconds_per_step"] * iters) if iters else None
    run["extrapolation_note"] = (f"ran {n:,} of the {iters:,} steps the theory needs to reach ε; the time to ε is "
                                 "the measured seconds per step times that count (extrapolated, not run)"
                                 if iters and n < iters else "ran every step the theory needs")
    return run

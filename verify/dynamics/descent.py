"""Gradient dynamics of the convolutional filter: population GD, and what GD and SGD share (docs/claims.md §1, claims 7, 8, 14, 18–20).

The model and loss are those of docs/claims.md §1:

    f(w, Z) = (1/k) Σ_i σ(w·Z_i),   ℓ(w, Z) = ½ (f(w, Z) − f(w*, Z))²,
    ∇_w ℓ(w, Z) = (f(w, Z) − f(w*, Z)) · (1/k) Σ_i Z_i 1{w·Z_i ≥ 0},

and one step is w_{t+1} = w_t − η_t g(w_t).  R runs (different seeds or
initializations) advance together as one array ``W`` of shape (R, p): every
step is a handful of array operations on all runs at once, never a Python
loop over the runs.  Minibatch SGD (:func:`verify.dynamics.sgd.sgd`) lives in
its own module and shares this one's evaluation law, recorder, step and
trajectory.

Population gradient, by mode (``population=`` of :func:`gradient_descent`)
------------------------------------------------------------------------
``"exact"``
    any k = 1 law with ``symmetry = "rotational"`` and a known
    ``second_radial_moment`` (N(0, I_p), the unit sphere, or a user's radial
    law): Tian's closed form E∇ℓ(w) = ½(w − w*) + (1/(2π))[θ·w* − (‖w*‖/‖w‖)
    sin θ · w] (docs/claims.md §6) times E‖Z‖²/p, and the cancellation-free
    arc-cosine loss (:mod:`verify.estimators.closed_forms`).  No sampling error at all.
    (The mean label of the relative loss uses ``first_radial_moment`` when the
    law gives it, else a seeded sample of ``n_population`` draws.)
``"support"``
    a finite law (``dist.support()`` is not None: empirical data, image
    patches): exact sums over all its atoms — full-batch GD.
``"sample"``
    any other law: a fixed "population" sample of ``n_population`` draws is
    drawn once (seeded) and GD runs on the *empirical law of that sample*
    with exact sums over it.  This is exact GD for a finite law that
    approximates the population; in the realizable setting its minimiser is
    still exactly w* (every per-sample gradient vanishes there), so the
    trajectories converge to w* like population GD, with curvature γ, L
    perturbed by O(1/√n_population).
``"auto"``
    the first of the above that applies.

Recorded quantities
-------------------
At the recorded steps t = 0, r, 2r, …, T (``record_every = r``; all T + 1
steps by default) each run records

* ``distance``  ‖w_t − w*‖;
* ``angle``     θ(w_t, w*) ∈ [0, π], computed as atan2(‖w_⊥‖, w·u*) (accurate
  near 0, where arccos loses half the digits);
* ``loss``      E ℓ(w_t) over the *evaluation law* (below);
* ``relative_loss``  ln( E[(f(w_t, Z) − y)²] / (E[y])² ) with y = f(w*, Z),
  both expectations over the evaluation law: the paper's "logarithm of squared
  error divided by the square of mean of data points" (§4; docs/claims.md claim 20)
  where **"mean of the data points" is read as the mean label E[f(w*, Z)]**,
  which makes the ratio invariant to the scale of w* and of the images; the
  logarithm is the natural one (Fig. 5's axis spans −16 … −9, which only the
  natural log makes plausible for float32 training).  It is −∞ when w_t = w*
  exactly.

The evaluation law is the population of the mode for GD; for SGD
(``evaluation=`` of :func:`sgd`) it is the closed form for N(0, I)/sphere, the
atoms of a finite law, or a fixed sample of ``n_eval`` draws.

Step rules
----------
``step=`` takes a number (constant η), a callable of φ_t (adaptive) or any
rule of :mod:`verify.dynamics.step_rules` (constant, two-stage, adaptive, and
:func:`~verify.dynamics.step_rules.theorem22_step` of docs/claims.md §4 claim 8).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..estimators.closed_forms import radial_gradient, radial_loss, radial_mean_label
from ..laws.builtin import as_rng
from ..laws.distributions import describe_law, exact_kind, finite_support, rotational_scale
from ..geometry import angle
from ..jsonio import jsonable
from .step_rules import as_step_rule, step_angle
from ..validation import InvalidArgument, check_count, check_finite_array, check_seed, check_vector

__all__ = [
    "Trajectory",
    "gradient_descent",
    "model_output",
    "empirical_losses",
    "POPULATION_MODES",
]

POPULATION_MODES = ("auto", "exact", "support", "sample")


# ---------------------------------------------------------------------------
# The model, vectorized over runs
# ---------------------------------------------------------------------------

def model_output(W: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """f(w, Z) = (1/k) Σ_i σ(w·Z_i) for every run and draw.

    Parameters
    ----------
    W : ndarray (R, p)
    Z : ndarray (n, k, p)

    Returns
    -------
    ndarray (R, n)
    """
    n, k, p = Z.shape
    pre = (Z.reshape(n * k, p) @ np.ascontiguousarray(W.T)).reshape(n, k, -1)  # (n, k, R)
    return np.maximum(pre, 0.0).mean(axis=1).T


def labels(flat: np.ndarray, k: int, w_star: np.ndarray) -> np.ndarray:
    """y = f(w*, Z) = (1/k) Σ_i σ(w*·Z_i) for every draw, per teacher (docs/claims.md §1).

    Parameters
    ----------
    flat : ndarray (n·k, p)
        n draws of k patches, row-major by draw.
    k : int
    w_star : ndarray (p,) or (T, p)
        One teacher, or one per run.

    Returns
    -------
    ndarray (n, 1) or (n, T)
        Column t holds the labels of teacher t (one column for one teacher).

    Examples
    --------
    >>> import numpy as np
    >>> labels(np.array([[1.0, 0.0], [-1.0, 0.0]]), 2, np.array([2.0, 0.0])).tolist()
    [[1.0]]
    """
    if w_star.ndim == 1:  # one teacher: a matrix-vector product (the same rounding as before per-run teachers)
        return np.maximum(flat @ w_star, 0.0).reshape(-1, k).mean(axis=1)[:, None]
    return model_output(w_star, flat.reshape(-1, k, flat.shape[1])).T


def _shared_gradients(W: np.ndarray, flat: np.ndarray, k: int, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and loss of every run over one shared finite set: flat (n·k, p), y (n, 1) or (n, R) (:func:`labels`)."""
    n = y.shape[0]
    pre = (flat @ np.ascontiguousarray(W.T)).reshape(n, k, -1)  # (n, k, R)
    residual = np.maximum(pre, 0.0).mean(axis=1) - y  # (n, R)
    coeff = ((pre >= 0) * residual[:, None, :]).reshape(n * k, -1)  # (n·k, R)
    grad = (coeff.T @ flat) / (n * k)
    return grad, 0.5 * np.mean(residual**2, axis=0)


def _shared_loss(W: np.ndarray, flat: np.ndarray, k: int, y: np.ndarray) -> np.ndarray:
    """Loss of every run over one shared finite set (the cheap half of :func:`_shared_gradients`)."""
    n = y.shape[0]
    pre = (flat @ np.ascontiguousarray(W.T)).reshape(n, k, -1)
    residual = np.maximum(pre, 0.0).mean(axis=1) - y
    return 0.5 * np.mean(residual**2, axis=0)


def empirical_losses(W, Z, w_star) -> tuple[np.ndarray, np.ndarray]:
    """Loss and relative loss of every row of W over a finite set of draws (exact sums).

    Parameters
    ----------
    W : ndarray (R, p)
    Z : ndarray (n, k, p)
    w_star : ndarray (p,)

    Returns
    -------
    loss : ndarray (R,)
        (1/n) Σ ½ (f(w, Z_j) − f(w*, Z_j))².
    relative_loss : ndarray (R,)
        ln( (1/n) Σ (f(w, Z_j) − y_j)² / ((1/n) Σ y_j)² ), y_j = f(w*, Z_j) (module doc).
    """
    W = np.atleast_2d(np.asarray(W, dtype=float))
    Z = np.asarray(Z, dtype=float)
    w_star = np.asarray(w_star, dtype=float)
    n, k, p = Z.shape
    flat = Z.reshape(n * k, p)
    y = labels(flat, k, w_star)
    loss = _shared_loss(W, flat, k, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return loss, np.log(2.0 * loss / y.mean() ** 2)


def _angles(W: np.ndarray, u: np.ndarray) -> np.ndarray:
    """θ(w_r, u) by atan2 (:func:`verify.geometry.angle`); NaN for w = 0."""
    return np.where(np.linalg.norm(W, axis=1) > 0, angle(W, u), np.nan)


def _exact_possible(dist) -> bool:
    """A radial k = 1 law with known E‖Z‖² (attributes only: :func:`verify.laws.distributions.exact_kind`)."""
    return exact_kind(dist) == "rotational"


class _Population:
    """Exact gradient, loss and relative loss for every run, over one evaluation law.

    ``w_star`` is one teacher (p,) or one per run (R, p) (SGD's per-run teachers); the mean label of the
    relative loss is then per run too.
    """

    def __init__(self, dist, w_star: np.ndarray, mode: str, n: int, seed):
        self.mode = mode
        self.w_star = w_star
        if mode == "exact":
            self.scale = rotational_scale(dist)
            self.size = None
            first = getattr(dist, "first_radial_moment", None)
            if first is not None:
                self.mean_label = _per_teacher(lambda w: radial_mean_label(w, dist.p, first), w_star)
            else:  # E‖Z‖ unknown: the one number the relative loss needs, from a seeded sample
                Z = np.asarray(dist.sample(n, as_rng(seed)), dtype=float)
                self.mean_label = _mean_label(labels(Z.reshape(-1, dist.p), 1, w_star))
            return
        if mode == "support":
            Z = np.asarray(finite_support(dist), dtype=float)
        else:
            Z = np.asarray(dist.sample(n, as_rng(seed)), dtype=float)
        self.size, self.k = Z.shape[0], Z.shape[1]
        self.flat = Z.reshape(-1, Z.shape[2])
        self.y = labels(self.flat, self.k, w_star)
        self.mean_label = _mean_label(self.y)

    def gradient_and_loss(self, W):
        if self.mode == "exact":
            return radial_gradient(W, self.w_star, self.scale), radial_loss(W, self.w_star, self.scale)
        return _shared_gradients(W, self.flat, self.k, self.y)

    def gradient(self, W):
        if self.mode == "exact":
            return radial_gradient(W, self.w_star, self.scale)
        return _shared_gradients(W, self.flat, self.k, self.y)[0]

    def loss(self, W):
        if self.mode == "exact":
            return radial_loss(W, self.w_star, self.scale)
        return _shared_loss(W, self.flat, self.k, self.y)

    def relative_loss(self, loss: np.ndarray) -> np.ndarray:
        mean_label = np.asarray(self.mean_label, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(2.0 * loss / (mean_label**2 if mean_label.ndim == 0 else mean_label[:, None] ** 2))

    def describe(self) -> dict[str, Any]:
        return {"mode": self.mode, "size": self.size, "mean_label": self.mean_label}


def _per_teacher(value, w_star: np.ndarray):
    """``value(w*)`` for one teacher (a float), or the list of its values for per-run teachers (R, p)."""
    return value(w_star) if w_star.ndim == 1 else [value(w) for w in w_star]


def _mean_label(y: np.ndarray):
    """E y over the evaluation draws: a float for one teacher's labels (n, 1), else a list per teacher."""
    return float(y[:, 0].mean()) if y.shape[1] == 1 else y.mean(axis=0).tolist()


def _resolve_mode(dist, mode: str, argument: str) -> str:
    if mode not in POPULATION_MODES:
        raise InvalidArgument(argument, f"must be one of {', '.join(POPULATION_MODES)}, got {mode!r}")
    finite = finite_support(dist) is not None
    if mode == "auto":
        return "exact" if _exact_possible(dist) else ("support" if finite else "sample")
    if mode == "exact" and not _exact_possible(dist):
        raise InvalidArgument(argument, "exact needs a k = 1 law with symmetry 'rotational' and a known "
                                        f"second_radial_moment, not {getattr(dist, 'name', dist)!r}")
    if mode == "support" and not finite:
        raise InvalidArgument(argument, f"support needs a finite law (empirical, image-patches), "
                                        f"not {getattr(dist, 'name', dist)!r}")
    return mode


# ---------------------------------------------------------------------------
# The trajectory
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Trajectory:
    """R runs of (S)GD, recorded at the steps ``steps``.

    Attributes
    ----------
    method : str
        ``"gd"`` or ``"sgd"``.
    steps : ndarray (M,)
        Recorded step indices t (0 and T included).
    distance, angle, loss, relative_loss : ndarray (R, M)
        ‖w_t − w*‖, θ(w_t, w*) in radians, E ℓ(w_t) and
        ln(E(f(w_t,Z) − y)² / (E y)²) over the evaluation law (module doc).
    step_sizes : ndarray (R, T)
        η_t used at every step.
    initial_weights, final_weights : ndarray (R, p)
    w_star : ndarray (p,) or (R, p)
        The teacher, or one per run (SGD, :func:`verify.dynamics.sgd.sgd`).
    seeds : tuple of int or None
        Seed of each run's minibatch generator (SGD) — ``None`` for GD.
    parameters : dict
        Everything needed to repeat the runs: distribution, step rule, mode,
        batch, iterations, sizes and seeds of the population/evaluation sets.
    """

    method: str
    steps: np.ndarray = field(repr=False)
    distance: np.ndarray = field(repr=False)
    angle: np.ndarray = field(repr=False)
    loss: np.ndarray = field(repr=False)
    relative_loss: np.ndarray = field(repr=False)
    step_sizes: np.ndarray = field(repr=False)
    initial_weights: np.ndarray = field(repr=False)
    final_weights: np.ndarray = field(repr=False)
    w_star: np.ndarray = field(repr=False)
    seeds: tuple | None
    parameters: dict

    def __post_init__(self):
        for name in ("steps", "distance", "angle", "loss", "relative_loss", "step_sizes", "initial_weights",
                     "final_weights", "w_star"):
            arr = np.array(getattr(self, name))
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    @property
    def runs(self) -> int:
        return self.distance.shape[0]

    @property
    def iterations(self) -> int:
        return int(self.steps[-1])

    @property
    def relative_distance(self) -> np.ndarray:
        """‖w_t − w*‖ / ‖w*‖, shape (R, M)."""
        return self.distance / np.linalg.norm(self.w_star, axis=-1)[..., None]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: arrays as nested lists, NaN and ±inf as ``None``."""
        return {
            "method": self.method,
            "runs": self.runs,
            "iterations": self.iterations,
            "steps": self.steps.tolist(),
            "distance": jsonable(self.distance),
            "angle": jsonable(self.angle),
            "loss": jsonable(self.loss),
            "relative_loss": jsonable(self.relative_loss),
            "step_sizes": jsonable(self.step_sizes),
            "initial_weights": jsonable(self.initial_weights),
            "final_weights": jsonable(self.final_weights),
            "w_star": jsonable(self.w_star),
            "seeds": None if self.seeds is None else list(self.seeds),
            "parameters": self.parameters,
        }

    def __repr__(self) -> str:
        final = np.nanmedian(self.relative_distance[:, -1])
        return (f"Trajectory(method={self.method!r}, runs={self.runs}, iterations={self.iterations}, "
                f"median final ‖w−w*‖/‖w*‖={final:.3g})")


class _Recorder:
    """The recorded steps of R runs: ‖w_t − w*‖, θ(w_t, w*) and the loss (module doc); w* (p,) or one per run (R, p)."""

    def __init__(self, R: int, T: int, every: int, w_star: np.ndarray):
        self.steps = np.unique(np.r_[np.arange(0, T + 1, every), T])
        M = self.steps.shape[0]
        self.distance = np.empty((R, M))
        self.angle = np.empty((R, M))
        self.loss = np.empty((R, M))
        self.u_star = w_star / np.linalg.norm(w_star, axis=-1, keepdims=True)
        self._index = {int(t): i for i, t in enumerate(self.steps)}

    def wants(self, t: int) -> bool:
        return t in self._index

    def record(self, t: int, W: np.ndarray, w_star: np.ndarray, loss: np.ndarray) -> None:
        i = self._index[t]
        self.distance[:, i] = np.linalg.norm(W - w_star, axis=1)
        self.angle[:, i] = _angles(W, self.u_star)
        self.loss[:, i] = loss


# ---------------------------------------------------------------------------
# Input checking
# ---------------------------------------------------------------------------

def _dynamics_iv(dist, w_star, w0, steps, record_every, runs_hint=None, teacher_per_run=False):
    """(w*, W0 (R, p), T, record_every) checked; w* (p,), or (R, p) where ``teacher_per_run`` allows it."""
    for attr in ("p", "k", "sample"):
        if not hasattr(dist, attr):
            raise InvalidArgument("dist", f"must follow the distribution protocol (missing {attr!r})")
    if teacher_per_run and np.ndim(w_star) == 2:
        w_star = check_finite_array(w_star, "w_star", ndim=(2,))
        if w_star.shape[1] != dist.p or not np.all(np.any(w_star, axis=1)):
            raise InvalidArgument("w_star", f"must be one non-zero row of p={dist.p} entries per run, "
                                            f"got shape {w_star.shape}")
        runs_hint = runs_hint or w_star.shape[0]
        if w_star.shape[0] != runs_hint:
            raise InvalidArgument("w_star", f"has {w_star.shape[0]} rows (one teacher per run) but {runs_hint} "
                                            "seeds were given")
    else:
        w_star = check_vector(w_star, "w_star", p=dist.p)
    W0 = check_finite_array(w0, "w0", ndim=(1, 2))
    if W0.shape[-1] != dist.p:
        raise InvalidArgument("w0", f"must have p={dist.p} columns, got shape {W0.shape}")
    if W0.ndim == 1:
        W0 = np.tile(W0, (runs_hint or 1, 1))
    elif runs_hint is not None and W0.shape[0] != runs_hint:
        raise InvalidArgument("w0", f"has {W0.shape[0]} rows but {runs_hint} seeds were given")
    T = check_count(steps, "steps", minimum=0)
    every = check_count(record_every, "record_every", minimum=1)
    return w_star, W0.copy(), T, every


def _step(W: np.ndarray, grad: np.ndarray, rule, t: int, w_star: np.ndarray, etas: np.ndarray) -> np.ndarray:
    """w_{t+1} = w_t − η_t g_t per run, with η_t = rule(t, φ_t) written into ``etas[:, t]``.

    φ_t is computed only for a rule that reads it (``rule.reads_angle``); the others get NaN.
    """
    phi = step_angle(W, w_star) if rule.reads_angle else np.full(W.shape[0], np.nan)
    eta = rule(t, phi)
    etas[:, t] = eta
    return W - eta[:, None] * grad


def _finish(method, recorder, population, etas, W0, W, w_star, seeds, parameters) -> Trajectory:
    return Trajectory(method, recorder.steps, recorder.distance, recorder.angle, recorder.loss,
                      population.relative_loss(recorder.loss), etas, W0, W, w_star, seeds, parameters)


# ---------------------------------------------------------------------------
# Population gradient descent
# ---------------------------------------------------------------------------

def gradient_descent(dist, w_star, w0, steps: int, step=0.1, *, population: str = "auto",
                     n_population: int = 100_000, seed: int | None = 0, record_every: int = 1) -> Trajectory:
    """Population gradient descent w_{t+1} = w_t − η_t E∇ℓ(w_t), for R initial points at once.

    Parameters
    ----------
    dist : distribution
        Any object with ``p``, ``k``, ``sample`` (:mod:`verify.laws.distributions`).
    w_star : ndarray (p,)
        The teacher filter w*.
    w0 : ndarray (p,) or (R, p)
        Initial points, one row per run.
    steps : int
        T, the number of steps.
    step : float, StepRule or callable
        Constant η, a :class:`TwoStageStep`, or an adaptive rule of φ_t.
    population : {"auto", "exact", "support", "sample"}
        How E∇ℓ is computed (module doc).
    n_population : int
        Size of the fixed population sample (mode ``"sample"`` only).
    seed : int or None
        Seed of the population sample (mode ``"sample"`` only).
    record_every : int
        Record every this many steps (and at T).

    Returns
    -------
    Trajectory
        ``loss`` and ``relative_loss`` are over the same population as the
        gradient: exact for ``"exact"``/``"support"``, the fixed sample for
        ``"sample"``.

    Notes
    -----
    Implements the update of docs/claims.md §1 with the population gradient
    A_{w,w*}(w − w*) + A_{w,−w*}w (§2) when k = 1.

    Examples
    --------
    >>> from verify.laws.builtin import Gaussian
    >>> tr = gradient_descent(Gaussian(3), [1.0, 0, 0], [0.5, 0.4, 0.0], steps=200, step=1.0)
    >>> bool(tr.distance[0, -1] < 1e-6 * tr.distance[0, 0])
    True
    """
    w_star, W, T, every = _dynamics_iv(dist, w_star, w0, steps, record_every)
    rule = as_step_rule(step)
    mode = _resolve_mode(dist, population, "population")
    n_population = check_count(n_population, "n_population")
    seed = check_seed(seed)
    pop = _Population(dist, w_star, mode, n_population, seed)
    W0 = W.copy()
    R = W.shape[0]
    rec = _Recorder(R, T, every, w_star)
    etas = np.empty((R, T))
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T + 1):
            if rec.wants(t):  # the loss only where it is recorded (the closed form's costs as much as the gradient)
                grad, loss = pop.gradient_and_loss(W)
                rec.record(t, W, w_star, loss)
            elif t < T:
                grad = pop.gradient(W)
            if t == T:
                break
            W = _step(W, grad, rule, t, w_star, etas)
    parameters = {
        "distribution": describe_law(dist),
        "step": rule.describe(),
        "population": pop.describe(),
        "population_seed": seed if mode == "sample" else None,
        "iterations": T,
        "record_every": every,
        "runs": R,
    }
    return _finish("gd", rec, pop, etas, W0, W, w_star, None, parameters)

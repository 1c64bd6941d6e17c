"""Seeded minibatch SGD on the convolutional filter, R runs advanced together (docs/claims.md §1, claims 14, 18–20).

One step of run r is w_{t+1} = w_t − η_t g_r(w_t) with the minibatch gradient

    g_r(w) = (1/B) Σ_b (f(w, Z_rb) − y_rb) · (1/k) Σ_i Z_rbi 1{w·Z_rbi ≥ 0},   y_rb = f(w*_r, Z_rb),

an unbiased estimate of E∇ℓ(w) (docs/claims.md §1).  The evaluation law on
which the loss is recorded, the recorder, the step rules and the
:class:`~verify.dynamics.descent.Trajectory` are those of population GD
(:mod:`verify.dynamics.descent`).

Randomness
----------
Run r draws its minibatches from its own generator
``numpy.random.default_rng(seeds[r])`` and nothing else, so a run is
reproduced exactly by the same seed and initial point whether it is advanced
alone or among others.  Draws are made in blocks of a fixed number of steps
(depending only on batch, k and p), so results do not depend on R either.

Runs that share a seed share their draws (common random numbers): they form a
*group* whose minibatch is drawn and labelled once per step, and the group's
runs are advanced by one matrix product over that minibatch.  The runs may
have one teacher w* or one each (``w_star`` of shape (R, p)): the §4
experiments advance every (teacher, start) pair of a figure together.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..laws.distributions import describe_law, finite_support
from ..validation import InvalidArgument, check_count, check_seed
from .descent import Trajectory, _dynamics_iv, _finish, _Population, _Recorder, _resolve_mode, _step, labels
from .step_rules import as_step_rule

__all__ = ["sgd", "batch_gradients"]

#: Target size of one block of pre-drawn SGD minibatches (per group of runs) ...
_BLOCK_BYTES = 2 * 2**20
#: ... and the most steps a block holds: small minibatches (B·k·p < 256, as claim 14's B = 1 in p = 2) would
#: otherwise pre-draw 10⁵ steps per run for runs of 10³–10⁴ steps (2·10⁷ draws and 315 MB for 150 runs).
_BLOCK_STEPS = 1024


def batch_gradients(W: np.ndarray, Z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minibatch gradient and loss of every run, the runs of group u sharing minibatch ``Z[u]``.

    Parameters
    ----------
    W : ndarray (U, A, p)
        A runs in each of U groups.
    Z : ndarray (U, B, k, p)
        Group u's minibatch: B draws of k patches.
    y : ndarray (U, 1, B) or (U, A, B)
        Labels f(w*, Z[u, b]): one teacher per group, or one per run.

    Returns
    -------
    grad : ndarray (U, A, p)
        (1/B) Σ_b (f(w, Z_ub) − y_ub) (1/k) Σ_i Z_ubi 1{w·Z_ubi ≥ 0} (docs/claims.md §1).
    loss : ndarray (U, A)
        (1/B) Σ_b ½ (f(w, Z_ub) − y_ub)².

    Examples
    --------
    One run, one draw of one patch z with w·z ≥ 0: the gradient is (w·z − y) z.

    >>> import numpy as np
    >>> grad, loss = batch_gradients(np.array([[[1.0, 0.0]]]), np.array([[[[2.0, 1.0]]]]), np.array([[[1.0]]]))
    >>> grad.tolist(), loss.tolist()
    ([[[2.0, 1.0]]], [[0.5]])
    """
    U, B, k, p = Z.shape
    A = W.shape[1]
    flat = Z.reshape(U, B * k, p)
    pre = np.matmul(W, flat.transpose(0, 2, 1)).reshape(U, A, B, k)  # w·Z_ubi, the patches i last
    residual = np.maximum(pre, 0.0).mean(axis=3) - y  # (U, A, B)
    coeff = ((pre >= 0) * residual[..., None]).reshape(U, A, B * k)
    grad = np.matmul(coeff, flat) / (B * k)
    return grad, 0.5 * np.mean(residual**2, axis=2)


def _seeds_iv(seeds, w0) -> tuple[int, ...]:
    if seeds is None:
        seeds = 0
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        first = check_seed(int(seeds))
        rows = np.asarray(w0).shape[0] if np.ndim(w0) == 2 else 1
        return tuple(range(first, first + rows))
    try:
        out = tuple(check_seed(s) for s in seeds)
    except TypeError:
        raise InvalidArgument("seeds", f"must be an int or a sequence of ints, got {seeds!r}") from None
    if not out:
        raise InvalidArgument("seeds", "must not be empty")
    return out


class _MinibatchDraws:
    """Every group's minibatches, from the group's generator, drawn a fixed block of steps at a time.

    Runs that share a seed form a group (module doc) when every group has the
    same number A of runs; otherwise each run is its own group, drawing from its
    own generator (runs with equal seeds then draw equal streams, twice).
    A finite law (``support()`` not None; atoms of mass 1/m each) is sampled
    as ``support()[rng.integers(0, m, size)]`` — what the built-in finite laws'
    ``sample`` does — but gathered straight into the block and with the labels
    looked up from a table computed once.  Any other law goes through
    ``dist.sample(block·B, rng)``.  The block length depends only on B, k and
    p, and whole blocks are always drawn, so a run's draws do not depend on
    R or on T.

    :meth:`next` gives the step's minibatches (U, B, k, p) and labels (U, 1 or A, B); :meth:`group` and
    :meth:`ungroup` move the runs' rows (R, p) to and from the groups (U, A, p).
    """

    def __init__(self, dist, w_star: np.ndarray, seeds: tuple[int, ...], B: int):
        self.dist, self.B = dist, B
        self.k, self.p = dist.k, dist.p
        first: dict[int, int] = {}
        slot = np.array([first.setdefault(s, len(first)) for s in seeds])
        counts = np.bincount(slot)
        if np.all(counts == counts[0]):
            group_seeds, self.A = list(first), int(counts[0])
            self.order = np.argsort(slot, kind="stable")
        else:
            group_seeds, self.A, self.order = list(seeds), 1, np.arange(len(seeds))
        self.identity = bool(np.all(self.order == np.arange(len(seeds))))
        self.inverse = np.argsort(self.order)
        self.U = len(group_seeds)
        self.rngs = [np.random.default_rng(int(s)) for s in group_seeds]
        # the teachers in group order (run u·A + a of group u): (p,) for one teacher, else (U, A, p)
        ordered = w_star if w_star.ndim == 1 else w_star[self.order]
        self.teachers = ordered if w_star.ndim == 1 else ordered.reshape(self.U, self.A, self.p)
        self.block = int(np.clip(_BLOCK_BYTES // (B * self.k * self.p * 8), 1, _BLOCK_STEPS))
        atoms = finite_support(dist)
        self.atoms = None if atoms is None else np.asarray(atoms, dtype=float)
        if self.atoms is not None:
            m = self.atoms.shape[0]
            table = labels(self.atoms.reshape(m * self.k, self.p), self.k, ordered)
            self.atom_labels = table if w_star.ndim == 1 else table.reshape(m, self.U, self.A).transpose(1, 0, 2)
        columns = 1 if w_star.ndim == 1 else self.A
        self.Z = np.empty((self.U, self.block, B, self.k, self.p))
        self.y = np.empty((self.U, self.block, columns, B))
        self.j = self.block

    def _labels_of(self, u: int, idx: np.ndarray) -> np.ndarray:
        """Labels (n, 1 or A) of group u's draws: atoms ``idx`` (finite law) or the block just drawn."""
        if self.atoms is not None:
            return self.atom_labels[idx] if self.teachers.ndim == 1 else self.atom_labels[u][idx]
        teachers = self.teachers if self.teachers.ndim == 1 else self.teachers[u]
        return labels(self.Z[u].reshape(-1, self.p), self.k, teachers)

    def _refill(self):
        n = self.block * self.B
        for u, g in enumerate(self.rngs):
            idx = None
            if self.atoms is not None:
                idx = g.integers(0, self.atoms.shape[0], size=n)
                np.take(self.atoms, idx, axis=0, out=self.Z[u].reshape(n, self.k, self.p))
            else:
                self.Z[u] = np.asarray(self.dist.sample(n, g), dtype=float).reshape(self.block, self.B,
                                                                                      self.k, self.p)
            y = self._labels_of(u, idx)  # (n, columns)
            self.y[u] = y.reshape(self.block, self.B, -1).transpose(0, 2, 1)
        self.j = 0

    def next(self) -> tuple[np.ndarray, np.ndarray]:
        if self.j == self.block:
            self._refill()
        j = self.j
        self.j += 1
        return self.Z[:, j], self.y[:, j]

    def group(self, W: np.ndarray) -> np.ndarray:
        """Rows (R, p) in run order → (U, A, p) by group."""
        return (W if self.identity else W[self.order]).reshape(self.U, self.A, self.p)

    def ungroup(self, G: np.ndarray) -> np.ndarray:
        """(U, A, p) by group → rows (R, p) in run order."""
        rows = G.reshape(-1, self.p)
        return rows if self.identity else rows[self.inverse]


def sgd(dist, w_star, w0, steps: int, step=0.1, *, batch: int = 32, seeds: int | Sequence[int] | None = 0,
        evaluation: str = "auto", n_eval: int = 20_000, eval_seed: int | None = 1_000_003,
        record_every: int = 1) -> Trajectory:
    """Seeded minibatch SGD, R runs advanced together.

    Parameters
    ----------
    dist : distribution
    w_star : ndarray (p,) or (R, p)
        The teacher, or one teacher per run (labels y = f(w*_r, Z) for run r).
    w0 : ndarray (p,) or (R, p)
        Initial points; a single row is shared by all runs.
    steps : int
        T.
    step : float, StepRule or callable
        η_t (:mod:`verify.dynamics.step_rules`).
    batch : int
        B, draws per step per run: g(w) = (1/B) Σ_b ∇ℓ(w, Z_b), an unbiased
        estimate of E∇ℓ(w).
    seeds : int or sequence of int
        One seed per run (run r draws its minibatches from
        ``default_rng(seeds[r])`` only); an int s means s, s+1, …, s+R−1.
    evaluation : {"auto", "exact", "support", "sample"}
        The law over which ``loss``/``relative_loss`` are recorded
        (:mod:`verify.dynamics.descent`); ``"sample"`` draws ``n_eval`` points once with ``eval_seed``.
    n_eval : int
    eval_seed : int or None
    record_every : int

    Returns
    -------
    Trajectory

    Notes
    -----
    In the realizable setting every per-sample gradient vanishes at w*, so
    SGD with a constant small step converges linearly to w* (the noise
    vanishes with the error); the rate is what Fig. 3 compares.

    Examples
    --------
    >>> from verify.laws.builtin import Gaussian
    >>> tr = sgd(Gaussian(3), [1.0, 0.0, 0.0], [0.6, 0.3, 0.0], steps=300, step=0.5, batch=16, seeds=[0, 1])
    >>> bool(np.all(tr.relative_distance[:, -1] < 1e-3 * tr.relative_distance[:, 0]))
    True
    """
    seeds = _seeds_iv(seeds, w0)
    w_star, W, T, every = _dynamics_iv(dist, w_star, w0, steps, record_every, runs_hint=len(seeds),
                                       teacher_per_run=True)
    rule = as_step_rule(step)
    B = check_count(batch, "batch")
    mode = _resolve_mode(dist, evaluation, "evaluation")
    n_eval = check_count(n_eval, "n_eval")
    eval_seed = check_seed(eval_seed)
    pop = _Population(dist, w_star, mode, n_eval, eval_seed)
    R = W.shape[0]
    W0 = W.copy()
    draws = _MinibatchDraws(dist, w_star, seeds, B)
    rec = _Recorder(R, T, every, w_star)
    etas = np.empty((R, T))
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T + 1):
            if rec.wants(t):
                rec.record(t, W, w_star, pop.loss(W))
            if t == T:
                break
            Z, y = draws.next()
            grad, _ = batch_gradients(draws.group(W), Z, y)
            W = _step(W, draws.ungroup(grad), rule, t, w_star, etas)
    parameters = {
        "distribution": describe_law(dist),
        "step": rule.describe(),
        "batch": B,
        "evaluation": pop.describe(),
        "eval_seed": eval_seed if mode == "sample" else None,
        "iterations": T,
        "record_every": every,
        "runs": R,
        "draw_block_steps": draws.block,
    }
    return _finish("sgd", rec, pop, etas, W0, W, w_star, seeds, parameters)

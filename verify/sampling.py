"""Streams of samples in independent batches, and the standard errors they give.

Monte Carlo (``mc``) splits its n draws into B contiguous batches; randomized
quasi-Monte Carlo (``qmc``) draws R independently scrambled Sobol' sequences.
Either way the estimator is an average of B (or R) independent, identically
distributed batch averages, so one rule gives every standard error:

    SE(θ̂) = sd(θ_1 … θ_B) / √B,   read with t on B − 1 degrees of freedom,

where θ_b is the batch's value of the *linearised* statistic (delta method:
for an eigenvalue λ of a mean matrix M with unit eigenvector v, θ_b = vᵀ M_b v;
for a singular value σ with singular vectors u, v, θ_b = uᵀ M_b v; the vectors
of a batch are taken from the other half of the batches, see
:meth:`verify.moments.MomentCurves.cross_fitted`).  This is
the batch-means estimator of Glynn & Iglehart and, for RQMC, the replicate
estimator of Owen (2013, ch. 17).

Samples are generated and reduced chunk by chunk: peak memory is a few chunks,
whatever n is.  ``exact`` (a finite law's atoms, each weighted 1/m) goes
through the same reduction with a single batch.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.stats import qmc

from .distributions import as_rng
from .validation import InvalidArgument, check_count, check_seed

__all__ = ["SamplingPlan", "reduce_in_batches", "BatchMeans", "METHODS"]

#: Every estimation method, in order of preference.
METHODS = ("exact", "quad", "mc", "qmc")
DEFAULT_BATCHES = 32
DEFAULT_REPLICATES = 16
CHUNK_BYTES = 16 * 2**20


@dataclass(frozen=True)
class SamplingPlan:
    """How to draw: method, requested sample count, seed and batching.

    Attributes
    ----------
    method : {"mc", "qmc", "exact"}
    n : int
        Requested number of draws (``qmc`` rounds n/R up to a power of two per
        replicate; :attr:`BatchMeans.n` reports what was used).
    seed : int or None
    batches : int
        B for ``mc``, R for ``qmc``; ignored by ``exact``.
    """

    method: str
    n: int = 100_000
    seed: int | None = 0
    batches: int | None = None

    def __post_init__(self):
        if self.method not in ("mc", "qmc", "exact"):
            raise InvalidArgument("method", f"sampling needs mc, qmc or exact, got {self.method!r}")
        check_seed(self.seed)
        if self.method != "exact":
            check_count(self.n, "n", minimum=2)
        if self.batches is None:
            default = DEFAULT_BATCHES if self.method == "mc" else DEFAULT_REPLICATES
            object.__setattr__(self, "batches", max(2, min(default, self.n // 2)) if self.method == "mc" else default)
        check_count(self.batches, "batches", minimum=2)


@dataclass(frozen=True)
class BatchMeans:
    """Per-batch means of a statistic and the pooled mean.

    Attributes
    ----------
    batch_means : ndarray (B, ...)
    mean : ndarray (...)
    n : int
        Number of draws actually used.
    method, seed : as in the plan.
    dof : int or None
        B − 1, or None for ``exact``.
    """

    batch_means: np.ndarray
    mean: np.ndarray
    n: int
    method: str
    seed: int | None
    dof: int | None

    def standard_error(self, linear_batch_values: np.ndarray | None = None) -> np.ndarray:
        """sd over batches / √B of the batch means (or of given linearised values).

        ``linear_batch_values`` has shape (B, ...); returns the entry-wise
        standard error, or 0 for an ``exact`` reduction.
        """
        values = self.batch_means if linear_batch_values is None else linear_batch_values
        if self.dof is None:
            return np.zeros(values.shape[1:])
        return np.std(values, axis=0, ddof=1) / math.sqrt(values.shape[0])

    def rounding_bound(self, magnitude: np.ndarray) -> np.ndarray:
        """Floating-point bound for an exact sum of n terms of size ``magnitude``.

        Recursive summation of n terms has relative error ≤ (n−1)·u with
        u = 2⁻⁵³ (Higham 2002, eq. (4.4)); BLAS blocking only lowers it.
        """
        return (self.n * np.finfo(float).eps / 2) * np.abs(magnitude)


def _qmc_points_per_replicate(n: int, replicates: int) -> int:
    return 2 ** max(1, math.ceil(math.log2(max(n / replicates, 2))))


def _chunk_size(dist) -> int:
    return max(256, CHUNK_BYTES // (8 * dist.k * dist.p))


def reduce_in_batches(dist, statistic: Callable[[np.ndarray], np.ndarray], plan: SamplingPlan) -> BatchMeans:
    """Average ``statistic`` over draws of ``dist`` in independent batches.

    Parameters
    ----------
    dist : distribution (see :mod:`verify.distributions`)
    statistic : callable
        Maps a chunk of draws, shape (m, k, p), to the *sum* over the chunk of
        the per-draw statistic, an array of any fixed shape.
    plan : SamplingPlan

    Returns
    -------
    BatchMeans
    """
    if plan.method == "exact":
        return _reduce_exact(dist, statistic, plan)
    chunk = _chunk_size(dist)
    if plan.method == "mc":
        rng = as_rng(plan.seed)
        sizes = np.full(plan.batches, plan.n // plan.batches)
        sizes[: plan.n % plan.batches] += 1
        draw = lambda b, m: dist.sample(m, rng)  # noqa: E731 - one stream, consumed in order
    else:
        if getattr(dist, "uniform_dimension", None) is None:
            raise InvalidArgument("method", f"distribution {getattr(dist, 'name', dist)!r} has no "
                                            "quasi-Monte Carlo transform; use mc")
        per = _qmc_points_per_replicate(plan.n, plan.batches)
        sizes = np.full(plan.batches, per)
        seeds = np.random.SeedSequence(plan.seed).spawn(plan.batches)
        engines = [qmc.Sobol(dist.uniform_dimension, scramble=True, seed=np.random.default_rng(s)) for s in seeds]
        draw = lambda b, m: dist.from_uniform(_sobol_interior(engines[b].random(m)))  # noqa: E731
    batch_means = None
    for b, size in enumerate(sizes):
        total = None
        done = 0
        while done < size:
            m = int(min(chunk, size - done))
            part = statistic(draw(b, m))
            total = part if total is None else total + part
            done += m
        if batch_means is None:
            batch_means = np.empty((plan.batches,) + np.shape(total))
        batch_means[b] = total / size
    mean = np.tensordot(sizes / sizes.sum(), batch_means, axes=1)
    return BatchMeans(batch_means, mean, int(sizes.sum()), plan.method, plan.seed, plan.batches - 1)


def _sobol_interior(u: np.ndarray) -> np.ndarray:
    """Keep Sobol' points off the cube's faces, where inverse CDFs are infinite."""
    tiny = np.finfo(float).eps
    return np.clip(u, tiny, 1 - tiny)


def _reduce_exact(dist, statistic, plan) -> BatchMeans:
    atoms = dist.support() if hasattr(dist, "support") else None
    if atoms is None:
        raise InvalidArgument("method", f"distribution {getattr(dist, 'name', dist)!r} is not finite: "
                                        "exact sums need an empirical law")
    chunk = _chunk_size(dist)
    total = sum(statistic(atoms[i:i + chunk]) for i in range(0, atoms.shape[0], chunk))
    mean = np.asarray(total) / atoms.shape[0]
    return BatchMeans(mean[None], mean, int(atoms.shape[0]), "exact", None, None)

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
:meth:`verify.estimators.moments.MomentCurves.cross_fitted`).  This is
the batch-means estimator of Glynn & Iglehart and, for RQMC, the replicate
estimator of Owen (2013, ch. 17).

Two checks guard that rule (docs/error-bars.md, which states every rule and
warning): a Hill estimate of the tail index of ‖Z‖ (``heavy-tails``: the
summands may have infinite variance, the batch means are then replaced by a
median of means with its Chebyshev–binomial bound), and for RQMC the shape of
the R replicate values against the Monte Carlo error of the same points
(``qmc-lumpy``: the replicates fall on few levels or spread far less than any
integrand with a jump allows, and the Monte Carlo error replaces theirs).
:meth:`BatchMeans.assess` applies them and returns the warnings.

**Every sampled standard error passes through** :meth:`BatchMeans.assess`: an
estimator builds its Estimate with :meth:`BatchMeans.estimate` (a scalar) or
:meth:`BatchMeans.array_estimate`, from the batch values of its (linearised)
statistic; a mean of iid values that did not come from a reduction (runs, images)
uses :func:`sample_mean`, which runs the same checks on the values themselves.
No other module divides a standard deviation by √n (the formula itself is
:func:`verify.stats.standard_error`).

Samples are generated and reduced chunk by chunk: peak memory is a few chunks,
whatever n is.  ``exact`` (a finite law's atoms, each weighted 1/m) goes
through the same reduction with a single batch.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy import stats
from scipy.stats import qmc

from .error_checks import (MIN_TAIL_COUNT, TopMagnitudes, median_of_means_factor,
                           replicate_levels)
from ..laws.builtin import as_rng
from ..results import ArrayEstimate, Estimate
from ..stats import finite_values, standard_error
from ..validation import InvalidArgument, check_count, check_seed

__all__ = ["SamplingPlan", "reduce_in_batches", "DrawStore", "BatchMeans", "Assessment", "sample_mean", "cross_fitting_halves",
           "METHODS", "weighted_batch_sum"]

#: Every estimation method, in order of preference.
METHODS = ("exact", "quad", "mc", "qmc")
DEFAULT_BATCHES = 32
#: R ≥ 32 scramblings: a rare replicate level of probability ≥ 10 % is then missed with
#: probability ≤ 3 % (docs/error-bars.md §2).
DEFAULT_REPLICATES = 32
#: Random groups each RQMC replicate's points are split into, to estimate the Monte Carlo
#: variance of the same points treated as iid (docs/error-bars.md §2).
QMC_GROUPS = 4
CHUNK_BYTES = 16 * 2**20


def cross_fitting_halves(batches: int) -> tuple[np.ndarray, np.ndarray]:
    """The two halves of B batches that cross-fitting reads against each other: (odd, even) index masks.

    A choice made on one half (a direction, an angle, a restart) is read on the other, so no batch
    value is read at a choice made on its own draws (docs/error-bars.md §1).

    Examples
    --------
    >>> [h.tolist() for h in cross_fitting_halves(4)]
    [[False, True, False, True], [True, False, True, False]]
    """
    odd = np.arange(batches) % 2 == 1
    return odd, ~odd


def weighted_batch_sum(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Σ_b weights[b]·values[b], added batch by batch for every entry (shape values.shape[1:]).

    Each entry is summed in the same order whatever the array's layout (no BLAS
    dot, whose blocking depends on it), so a statistic's value does not move in
    its last bits when the grid of angles is permuted (reproducibility).
    """
    values = np.asarray(values, dtype=float)
    total = np.zeros(values.shape[1:])
    for weight, value in zip(weights, values):
        total += weight * value
    return total


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
    checks : bool
        Run the heavy-tail and RQMC checks of docs/error-bars.md (default);
        ``False`` gives the plain batch-means / replicate error (for benchmarks
        and for measuring what the checks change).
    """

    method: str
    n: int = 100_000
    seed: int | None = 0
    batches: int | None = None
    checks: bool = True

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
class Assessment:
    """Value, standard error, degrees of freedom and warnings of a linear statistic (entry-wise).

    ``dof`` is one number for the whole array (the smallest of the rules used,
    ``None`` when a median-of-means bound entered: it is read with the normal
    quantile, docs/error-bars.md §3).
    """

    value: np.ndarray
    error: np.ndarray
    dof: int | None
    warnings: tuple[str, ...] = ()


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
    group_means : ndarray (R, S, ...) or None
        ``qmc`` only: means over S random groups of each replicate's points
        (their spread is the Monte Carlo variance of the same points).
    tail_index : float or None
        Hill estimate of the tail index of ‖Z‖ (None when not checked).
    tail_count : int
        The K order statistics behind it.
    degree : int or None
        Degree of homogeneity of the statistic in Z (2 for moments, gradient
        and loss); the tail check runs only when it is given.
    checks : bool
        As in the plan.
    tail_of : str
        What the tail index was measured on, for the warning (``|Z|``: the draws' norms).
    counts : bool
        The per-draw statistic is integer-valued (indicators, counts): a replicate mean lies on the
        lattice (1/N)ℤ, and the ``qmc-lumpy`` levels are counted on it (:func:`replicate_levels`).
    """

    batch_means: np.ndarray
    mean: np.ndarray
    n: int
    method: str
    seed: int | None
    dof: int | None
    group_means: np.ndarray | None = field(default=None, repr=False)
    tail_index: float | None = None
    tail_count: int = 0
    degree: int | None = None
    checks: bool = True
    tail_of: str = "|Z|"
    counts: bool = False

    def standard_error(self, linear_batch_values: np.ndarray | None = None) -> np.ndarray:
        """sd over batches / √B of the batch means (or of given linearised values).

        ``linear_batch_values`` has shape (B, ...); returns the entry-wise
        standard error, or 0 for an ``exact`` reduction.  This is the plain
        rule; :meth:`assess` adds the checks.
        """
        values = self.batch_means if linear_batch_values is None else linear_batch_values
        if self.dof is None:
            return np.zeros(values.shape[1:])
        return standard_error(values)

    def _weights(self) -> np.ndarray:
        """Each batch's share of the n draws (the sizes of :func:`reduce_in_batches`)."""
        B = self.batch_means.shape[0]
        if self.method != "mc":
            return np.full(B, 1.0 / B)
        sizes = np.full(B, self.n // B)
        sizes[: self.n % B] += 1
        return sizes / self.n

    def heavy_tailed(self) -> bool:
        """Hill's α̂ of ‖Z‖ below 2·degree: the summands' variance may be infinite (docs/error-bars.md §3)."""
        return (self.checks and self.degree is not None and self.tail_index is not None
                and self.tail_index < 2 * self.degree)

    def assess(self, linear_batch_values: np.ndarray | None = None,
               linear_group_values: np.ndarray | None = None) -> Assessment:
        """Value and error of a linear statistic with the checks of docs/error-bars.md.

        Parameters
        ----------
        linear_batch_values : ndarray (B, ...), optional
            Batch values of the statistic (default: the batch means).
        linear_group_values : ndarray (R, S, ...), optional
            ``qmc``: its values on the random groups of each replicate (default:
            ``group_means``; pass them with ``linear_batch_values``).

        Returns
        -------
        Assessment
            Default: the mean with sd/√B on B − 1 dof (docs/error-bars.md §1).
            ``qmc-lumpy`` (§2): error max(replicate SE, Monte Carlo SE of the same
            n points) on R(S − 1) dof.  ``heavy-tails`` (§3): value the median
            of the B batch values, error c_B·sd (median-of-means bound), normal.
        """
        values = self.batch_means if linear_batch_values is None else np.asarray(linear_batch_values)
        groups = self.group_means if linear_batch_values is None else linear_group_values
        mean = self.mean if linear_batch_values is None else weighted_batch_sum(self._weights(), values)
        se = self.standard_error(values)
        if self.dof is None or not self.checks:
            return Assessment(np.asarray(mean, float), se, self.dof)
        warnings: list[str] = []
        value, error, dof = np.asarray(mean, float), se, self.dof
        B = values.shape[0]
        sd = np.std(values, axis=0, ddof=1)
        if self.method == "qmc" and groups is not None:
            error, dof, note = self._lumpy(values, np.asarray(groups), sd, se)
            if note:
                warnings.append(note)
        if self.heavy_tailed():
            mom_error = median_of_means_factor(B) * sd
            mult = stats.t.ppf(0.975, dof) / stats.norm.ppf(0.975)
            value = np.median(values, axis=0)
            error, dof = np.maximum(mom_error, error * mult), None
            warnings.append(f"heavy-tails: Hill tail index {self.tail_index:.2g} < {2 * self.degree} over the "
                            f"largest {self.tail_count} of {self.n} {self.tail_of}; median-of-means interval "
                            "used (heuristic: the summands' variance may be infinite)")
        return Assessment(value, error, dof, tuple(warnings))

    def estimate(self, linear_batch_values: np.ndarray | None = None,
                 linear_group_values: np.ndarray | None = None, *, side: str = "estimate") -> Estimate:
        """A scalar statistic as an :class:`~verify.results.Estimate`, its error from :meth:`assess`.

        Parameters
        ----------
        linear_batch_values : ndarray (B,), optional
            Batch values of the (linearised) statistic; default the batch means (a scalar reduction).
        linear_group_values : ndarray (R, S), optional
            ``qmc``: the same statistic on each replicate's random groups (the ``qmc-lumpy`` check).
        side : str
            The Estimate's ``kind`` (``"upper-bound"`` for a cross-fitted λ_min, ...).

        Returns
        -------
        Estimate
            ``standard-error``, with the checks' warnings (docs/error-bars.md §1–§3).

        Examples
        --------
        >>> from verify.laws.builtin import Gaussian
        >>> sums = reduce_in_batches(Gaussian(2), lambda z: (z[:, 0, 0] ** 2).sum(keepdims=True),
        ...                          SamplingPlan("mc", 20_000, seed=1), degree=2)
        >>> e = sums.estimate(sums.batch_means[:, 0])
        >>> e.error_kind, e.dof, e.warnings
        ('standard-error', 31, ())
        """
        a = self.assess(linear_batch_values, linear_group_values)
        return Estimate(a.value, a.error, "standard-error", self.method, self.n, self.seed, side, a.dof, a.warnings)

    def array_estimate(self, linear_batch_values: np.ndarray | None = None,
                       linear_group_values: np.ndarray | None = None) -> ArrayEstimate:
        """An array statistic (B, ...) as an :class:`~verify.results.ArrayEstimate`, entry-wise errors from
        :meth:`assess` (see :meth:`estimate`)."""
        a = self.assess(linear_batch_values, linear_group_values)
        return ArrayEstimate(a.value, a.error, "standard-error", self.method, self.n, self.seed, a.dof, a.warnings)

    def _lumpy(self, values, groups, sd, se):
        """The RQMC check (docs/error-bars.md §2): (error, dof, warning or "")."""
        R, S = groups.shape[:2]
        per = self.n // R
        centre = values[:, None]
        # within-replicate variance of one point: Σ_s m_s (ḡ_s − ȳ_r)² / (S − 1), pooled over r
        within = (per / S) * np.sum((groups - centre) ** 2, axis=1) / (S - 1)
        sigma = np.sqrt(np.mean(within, axis=0))
        mc_se = sigma / math.sqrt(self.n)
        levels = replicate_levels(values, 1.0 / per if self.counts else 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(sigma > 0, sd / (sigma / math.sqrt(per)), np.inf)
        lumpy_levels = (levels >= 2) & (sigma > 0)
        too_tight = ratio < 1.0 / per
        fire = lumpy_levels | too_tight
        if not np.any(fire):
            return se, self.dof, ""
        mc_dof = R * (S - 1)
        # the larger half-width of the two readings, expressed on the Monte Carlo dof
        scale = stats.t.ppf(0.975, self.dof) / stats.t.ppf(0.975, mc_dof)
        error = np.where(fire, np.maximum(mc_se, se * scale), se * scale)
        if np.any(lumpy_levels):
            worst = int(np.max(np.where(lumpy_levels, levels, 0)))
            what = f"{worst} distinct replicate levels among {R}"
        else:
            what = (f"replicate spread {float(np.min(ratio)):.1g} × the Monte Carlo error at equal n "
                    f"(< 1/N = {1.0 / per:.1g})")
        count = int(np.sum(fire))
        where = "" if fire.size == 1 else f" ({count} of {fire.size} entries)"
        return error, mc_dof, f"qmc-lumpy: {what}{where}; Monte Carlo error used"

    def rounding_bound(self, magnitude: np.ndarray) -> np.ndarray:
        """Floating-point bound for an exact sum of n terms of size ``magnitude``.

        Recursive summation of n terms has relative error ≤ (n−1)·u with
        u = 2⁻⁵³ (Higham 2002, eq. (4.4)); BLAS blocking only lowers it.
        """
        return (self.n * np.finfo(float).eps / 2) * np.abs(magnitude)


def sample_mean(values, *, checks: bool = True) -> Assessment:
    """The mean of n iid values with its standard error, checked as a batch mean is (docs/error-bars.md §1, §3).

    For values that did not come from :func:`reduce_in_batches` (one value per run, per
    image batch, …).  Default: the mean with sd/√n on n − 1 dof (:func:`verify.stats.standard_error`).
    With n ≥ 1000 the ``heavy-tails`` check of docs/error-bars.md §3 runs on the values
    themselves: Hill's tail index of |x − median(x)| from its K + 1 largest (K = min(⌈n/100⌉, 2000));
    when α̂ < 2 the values' variance may be infinite, and the values are grouped into
    ``DEFAULT_BATCHES`` contiguous groups whose median of means (error c_B·sd, normal) replaces the
    mean, with the warning.  NaN, ±inf and None are dropped first.

    Parameters
    ----------
    values : array_like (n,)
    checks : bool
        ``False``: the plain rule only.

    Returns
    -------
    Assessment
        value, error (NaN when fewer than two finite values), dof (n − 1; None under ``heavy-tails``
        or with fewer than two values), warnings.

    Examples
    --------
    >>> a = sample_mean([1.0, 2.0, 3.0, 4.0])
    >>> float(a.value), round(float(a.error), 4), a.dof, a.warnings
    (2.5, 0.6455, 3, ())
    >>> heavy = np.random.default_rng(0).standard_cauchy(20_000)
    >>> sample_mean(heavy).warnings[0][:40]   # Cauchy: α = 1
    'heavy-tails: Hill tail index 1.1 < 2 ove'
    """
    x = finite_values(values)
    n = int(x.size)
    if n < 2:
        return Assessment(np.asarray(x.mean() if n else math.nan), np.asarray(math.nan), None)
    plain = BatchMeans(x, np.asarray(x.mean()), n, "iid", None, n - 1, checks=checks)
    tail = TopMagnitudes(n)
    if not checks or tail.keep - 1 < MIN_TAIL_COUNT:
        return plain.assess()
    tail.add_magnitudes(np.abs(x - np.median(x)))
    alpha, count = tail.estimate()
    checked = BatchMeans(x, plain.mean, n, "iid", None, n - 1, None, alpha, count, 1, checks, "|x − median|")
    if not checked.heavy_tailed():
        return plain.assess()
    groups = np.array([g.mean() for g in np.array_split(x, DEFAULT_BATCHES)])
    grouped = BatchMeans(groups, plain.mean, n, "iid", None, DEFAULT_BATCHES - 1, None, alpha, count, 1, checks,
                         "|x − median|")
    return grouped.assess()


def _qmc_points_per_replicate(n: int, replicates: int) -> int:
    return 2 ** max(1, math.ceil(math.log2(max(n / replicates, 2))))


def _chunk_size(dist) -> int:
    return max(256, CHUNK_BYTES // (8 * dist.k * dist.p))



#: The most bytes of draws a :class:`DrawStore` keeps (larger samples are drawn afresh on every pass).
STORE_BYTES = 64 * 2**20


class DrawStore:
    """The draws of one law under one sampling plan, kept so that several passes over them draw them once.

    A plan's draws are a function of the law and the plan (its seed, n, batches and the chunking of
    :func:`reduce_in_batches`), so every pass over them sees the same numbers whether they are drawn
    again or read back: a store changes no result, only the time.  The caller that makes several passes
    (e.g. one direction search reading the final draws at each restart's choice) creates the store and
    hands it to each; the chunks are kept read-only, and only when n·k·p doubles fit in :data:`STORE_BYTES`.

    Examples
    --------
    >>> from verify.laws.builtin import Gaussian
    >>> law, plan = Gaussian(2), SamplingPlan("mc", 1000, seed=3)
    >>> store = DrawStore(law, plan)
    >>> square = lambda z: (z[:, 0, 0] ** 2).sum(keepdims=True)
    >>> a = reduce_in_batches(law, square, plan, store=store)
    >>> b = reduce_in_batches(law, square, plan, store=store)   # read back, not drawn
    >>> bool(a.mean[0] == b.mean[0] == reduce_in_batches(law, square, plan).mean[0]), len(store.chunks)
    (True, 32)
    """

    def __init__(self, dist, plan: SamplingPlan):
        self.dist, self.plan = dist, plan
        self.chunks: dict[tuple[int, int], np.ndarray] = {}
        self.keeps = plan.method != "exact" and 8 * plan.n * dist.k * dist.p <= STORE_BYTES

    def draw(self, batch: int, start: int, size: int, draw: Callable[[int, int], np.ndarray]) -> np.ndarray:
        """Chunk ``size`` draws from ``start`` of batch ``batch``: read back, or ``draw(batch, size)`` and kept."""
        key = (batch, start)
        if key in self.chunks:
            return self.chunks[key]
        z = draw(batch, size)
        if self.keeps:
            z = np.asarray(z)
            z.setflags(write=False)
            self.chunks[key] = z
        return z


def reduce_in_batches(dist, statistic: Callable[[np.ndarray], np.ndarray], plan: SamplingPlan,
                      degree: int | None = None, counts: bool = False, store: DrawStore | None = None) -> BatchMeans:
    """Average ``statistic`` over draws of ``dist`` in independent batches.

    Parameters
    ----------
    dist : distribution (see :mod:`verify.laws.distributions`)
    statistic : callable
        Maps a chunk of draws, shape (m, k, p), to the *sum* over the chunk of
        the per-draw statistic, an array of any fixed shape.
    plan : SamplingPlan
    degree : int, optional
        The per-draw statistic is bounded by a multiple of ‖Z‖^degree (2 for
        second moments, the gradient and the loss).  Given, the tail of ‖Z‖ is
        checked (docs/error-bars.md §3); None (bounded statistics) skips it.
    counts : bool
        The per-draw statistic is integer-valued (see :attr:`BatchMeans.counts`).
    store : DrawStore, optional
        The draws of ``dist`` under ``plan``, kept across the caller's passes (read back when kept).

    Returns
    -------
    BatchMeans

    Examples
    --------
    >>> from verify.laws.builtin import Gaussian
    >>> sums = reduce_in_batches(Gaussian(2), lambda z: (z[:, 0, 0] ** 2).sum(keepdims=True),
    ...                          SamplingPlan("mc", 20_000, seed=1), degree=2)
    >>> a = sums.assess()
    >>> bool(abs(a.value[0] - 1) < 4 * a.error[0]), a.warnings
    (True, ())
    """
    if plan.method == "exact":
        return _reduce_exact(dist, statistic, plan)
    if store is not None and (store.dist is not dist or store.plan != plan):
        raise ValueError("a DrawStore holds the draws of one law under one plan: not those asked for")
    chunk = _chunk_size(dist)
    checks = plan.checks
    tail = TopMagnitudes(plan.n) if checks and degree is not None else None
    groups = QMC_GROUPS if checks and plan.method == "qmc" else 0
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
        # independent of the scramblings: the random partition of each replicate's points into groups
        group_rngs = [np.random.default_rng(s.spawn(1)[0]) for s in seeds]
        draw = lambda b, m: dist.from_uniform(_sobol_interior(engines[b].random(m)))  # noqa: E731
    batch_means = group_means = None
    for b, size in enumerate(sizes):
        total = None
        group_totals, group_sizes = [None] * groups, np.zeros(groups)
        done = 0
        while done < size:
            m = int(min(chunk, size - done))
            z = draw(b, m) if store is None else store.draw(b, done, m, draw)
            if tail is not None:
                tail.add(z)
            if groups:
                order = group_rngs[b].permutation(m)
                part = None
                for s, rows in enumerate(np.array_split(order, groups)):
                    if rows.size == 0:
                        continue
                    piece = statistic(z[rows])
                    group_totals[s] = piece if group_totals[s] is None else group_totals[s] + piece
                    group_sizes[s] += rows.size
                    part = piece if part is None else part + piece
            else:
                part = statistic(z)
            total = part if total is None else total + part
            done += m
        if batch_means is None:
            batch_means = np.empty((plan.batches,) + np.shape(total))
            if groups:
                group_means = np.empty((plan.batches, groups) + np.shape(total))
        batch_means[b] = total / size
        if groups:
            for s in range(groups):
                group_means[b, s] = (group_totals[s] / group_sizes[s] if group_sizes[s]
                                     else batch_means[b])
    mean = weighted_batch_sum(sizes / sizes.sum(), batch_means)
    tail_index, tail_count = tail.estimate() if tail is not None else (None, 0)
    return BatchMeans(batch_means, mean, int(sizes.sum()), plan.method, plan.seed, plan.batches - 1,
                      group_means, tail_index, tail_count, degree, checks, counts=counts)


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

"""The checks behind every sampled error bar (docs/error-bars.md §2–§3), one home for each.

* :func:`hill_tail_index` — Hill's estimate of a tail index (``heavy-tails``; also β's tail test);
* :class:`TopMagnitudes` — the K + 1 largest magnitudes of a stream, for it (memory flat in n);
* :func:`median_of_means_factor` — the median-of-means interval's width (Chebyshev + binomial);
* :func:`replicate_levels` — the levels of RQMC replicate values (``qmc-lumpy``).

:meth:`verify.estimators.sampling.BatchMeans.assess` applies them.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import stats

__all__ = ["TAIL_FRACTION", "MIN_TAIL_COUNT", "MAX_TAIL_COUNT", "LEVEL_GAP", "hill_tail_index", "TopMagnitudes",
           "median_of_means_factor", "replicate_levels"]

#: Fraction of the draws whose largest |Z| enter the Hill estimate (docs/error-bars.md §3).
TAIL_FRACTION = 0.01
#: Fewest order statistics for a Hill estimate; below it (n < 1000) the tail check is skipped.
MIN_TAIL_COUNT = 10
#: Most order statistics kept (memory stays flat in n; Hill's relative error is then 1/√2000 ≈ 2 %).
MAX_TAIL_COUNT = 2000
#: A gap between sorted replicate values wider than this many median gaps separates two levels
#: (for 32 normal values the largest gap exceeds 56 median gaps with probability 10⁻⁴).
LEVEL_GAP = 100.0


def hill_tail_index(top: np.ndarray) -> float:
    """Hill's estimate of the tail index α from the K + 1 largest magnitudes (docs/error-bars.md §3).

    1/α̂ = (1/K) Σ_{i ≤ K} log(X_(i) / X_(K+1)), X_(1) ≥ … ≥ X_(K+1) > 0 (Hill 1975).
    For an exact Pareto tail P(X > x) ∝ x^{−α} above X_(K+1), K·α/α̂ is
    Gamma(K, 1)-distributed (relative error 1/√K); E Xʳ < ∞ iff r < α.
    ``inf`` when the K largest equal X_(K+1), ``nan`` when X_(K+1) ≤ 0.

    Examples
    --------
    >>> x = np.random.default_rng(0).pareto(3.0, 200_000) + 1.0   # P(X > x) = x^{-3}
    >>> top = np.sort(x)[-2001:]
    >>> bool(abs(hill_tail_index(top) - 3.0) < 3 * 3.0 / np.sqrt(2000))   # within 3 relative SEs
    True
    """
    top = np.sort(np.asarray(top, dtype=float))
    floor = top[0]
    if not floor > 0:
        return math.nan
    inverse = float(np.mean(np.log(top[1:] / floor)))
    return math.inf if inverse == 0 else 1.0 / inverse


@lru_cache(maxsize=64)
def _mom_failure_rate(k: int, confidence: float) -> float:
    """Largest q with P(Binomial(k, q) ≥ ⌈k/2⌉) ≤ 1 − confidence (bisection)."""
    need = -(-k // 2)
    lo, hi = 0.0, 1.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if stats.binom.sf(need - 1, k, mid) <= 1 - confidence:
            lo = mid
        else:
            hi = mid
    return lo


@lru_cache(maxsize=64)
def median_of_means_factor(k: int) -> float:
    """c_k such that ``c_k · s`` read as a normal standard error covers the median-of-means bound.

    With k groups whose means have standard deviation s, the median of the means
    is within a_k(c)·s of the mean with probability ≥ c, where a_k(c) = q⁻¹ᐟ² and
    q = :func:`_mom_failure_rate` (Chebyshev per group, then a binomial count of
    the groups that stray: docs/error-bars.md §3).  c_k = max over
    c ∈ [0.95, 1 − 10⁻⁹] of a_k(c)/z_{(1+c)/2}, so that ``z·c_k·s`` ≥ a_k(c)·s at
    every confidence the library reads (the maximum is at c = 0.95 for k ≥ 16).

    Examples
    --------
    >>> round(median_of_means_factor(32), 3)
    0.87
    """
    grid = 1 - np.logspace(math.log10(0.05), -9, 60)
    return float(max(_mom_failure_rate(k, float(c)) ** -0.5 / stats.norm.ppf((1 + c) / 2) for c in grid))


def replicate_levels(values: np.ndarray, resolution: float = 0.0) -> np.ndarray:
    """Number of distinct levels of replicate values, along axis 0 (docs/error-bars.md §2).

    Sorted values are split where a gap between neighbours exceeds ``LEVEL_GAP``
    times the typical gap, the larger of the median gap and ``resolution`` (the
    spacing of the lattice the values live on: 1/N for a mean of N counts, 0 for a
    continuous statistic); when that is 0 (ties) every distinct value is a level.

    Examples
    --------
    >>> int(replicate_levels(np.r_[np.zeros(31) + 1e-12 * np.arange(31), 7e-6]))
    2
    >>> int(replicate_levels(np.random.default_rng(1).standard_normal(32)))
    1
    >>> counts = np.repeat([100.0, 101.0, 102.0, 103.0], 8) / 1024   # ties: 4 lattice points, one level
    >>> int(replicate_levels(counts)), int(replicate_levels(counts, resolution=1 / 1024))
    (4, 1)
    """
    v = np.sort(np.asarray(values, dtype=float), axis=0)
    gaps = np.diff(v, axis=0)
    typical = np.maximum(np.median(gaps, axis=0), resolution)
    wide = np.where(typical > 0, gaps > LEVEL_GAP * typical, gaps > 0)
    return 1 + np.sum(wide, axis=0)


class TopMagnitudes:
    """The K + 1 largest per-draw ‖Z‖ of a stream (‖Z‖² = mean over patches of ‖Z_i‖²),
    K = min(⌈n/100⌉, 2000)."""

    def __init__(self, n: int):
        self.keep = min(int(math.ceil(TAIL_FRACTION * n)), MAX_TAIL_COUNT) + 1
        self.top = np.empty(0)

    def add(self, z: np.ndarray) -> None:
        self.add_magnitudes(np.sqrt(np.einsum("mkp,mkp->m", z, z) / z.shape[1]))

    def add_magnitudes(self, r: np.ndarray) -> None:
        """Keep the K + 1 largest of the kept ones and ``r`` (m,)."""
        both = np.concatenate([self.top, r])
        if both.size > self.keep:
            both = np.partition(both, both.size - self.keep)[-self.keep:]
        self.top = both

    def estimate(self) -> tuple[float | None, int]:
        k = self.keep - 1
        if k < MIN_TAIL_COUNT or self.top.size < self.keep:
            return None, 0
        alpha = hill_tail_index(self.top)
        return (None, 0) if math.isnan(alpha) else (alpha, k)

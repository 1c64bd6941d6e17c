"""Confidence intervals and tests, on :mod:`scipy.stats` (one home for each).

* :func:`clopper_pearson` — exact binomial interval (``binomtest(...).proportion_ci(method="exact")``);
* :func:`standard_error` — sd/√n of a mean of n iid values, the one home of that formula (the checked
  path for sampled values is :func:`verify.estimators.sampling.sample_mean` and
  :meth:`verify.estimators.sampling.BatchMeans.assess`, which start from it);
* :func:`mean_and_sd`, :func:`t_interval`, :func:`paired_interval` — Student-t intervals of a mean;
* :func:`welch_difference`, :func:`welch_interval` — Welch's unequal-variance difference of means
  (``ttest_ind(equal_var=False)``), with the degenerate cases (n < 2, zero spread) handled.

NaN, ±inf and None are dropped from samples before anything is computed.
"""
from __future__ import annotations

import math
from typing import Iterable, Literal

import numpy as np
from scipy import stats

__all__ = ["LEVEL", "finite_values", "standard_error", "clopper_pearson", "mean_and_sd", "t_interval", "paired_interval",
           "welch_difference", "welch_interval",
           "binomial_detectable_deficit"]

#: Default two-sided confidence level.
LEVEL = 0.95


def finite_values(values: Iterable[float] | np.ndarray) -> np.ndarray:
    """The finite entries of ``values`` as a 1-D float array (NaN, ±inf and None dropped).

    Examples
    --------
    >>> finite_values([1.0, None, float("nan"), 2.0]).tolist()
    [1.0, 2.0]
    """
    x = np.asarray(values, dtype=float).ravel()
    return x[np.isfinite(x)]


def standard_error(values: np.ndarray, axis: int = 0) -> np.ndarray | float:
    """sd(values, ddof = 1)/√n along ``axis``: the standard error of the mean of n iid values.

    The plain rule of docs/error-bars.md §1 (read with t on n − 1 dof).  It assumes the values
    have a finite variance and are near normal in their mean: a sampled error should go
    through :func:`verify.estimators.sampling.sample_mean` (iid values) or
    :meth:`verify.estimators.sampling.BatchMeans.assess` (batch means), which test that.

    Parameters
    ----------
    values : ndarray (n, ...) with the n values along ``axis`` (n ≥ 2)

    Returns
    -------
    ndarray of the shape of ``values`` without ``axis`` (a float for 1-D input)

    Examples
    --------
    >>> float(standard_error(np.array([1.0, 2.0, 3.0, 4.0])))
    0.6454972243679028
    """
    x = np.asarray(values, dtype=float)
    return np.std(x, axis=axis, ddof=1) / math.sqrt(x.shape[axis])


def clopper_pearson(k: int, n: int, level: float = LEVEL,
                    alternative: Literal["two-sided", "less", "greater"] = "two-sided") -> tuple[float, float]:
    """Exact (Clopper–Pearson) confidence interval (low, high) for a binomial proportion.

    ``alternative="greater"`` gives the one-sided lower bound (high = 1),
    ``"less"`` the one-sided upper bound (low = 0).

    Examples
    --------
    >>> lo, hi = clopper_pearson(0, 10)
    >>> lo, round(hi, 4)
    (0.0, 0.3085)
    """
    ci = stats.binomtest(int(k), int(n), alternative=alternative).proportion_ci(confidence_level=level,
                                                                               method="exact")
    return float(ci.low), float(ci.high)


def mean_and_sd(values) -> tuple[float, float | None, int]:
    """(mean, sample standard deviation with ddof = 1, n) of the finite values.

    The mean is NaN when there is no finite value; the standard deviation is
    None when there are fewer than two (no spread to estimate).

    Examples
    --------
    >>> mean_and_sd([1.0, 3.0, float("nan")])
    (2.0, 1.4142135623730951, 2)
    """
    x = finite_values(values)
    if x.size < 2:
        return (float(x.mean()) if x.size else math.nan), None, int(x.size)
    return float(x.mean()), float(x.std(ddof=1)), int(x.size)


def t_interval(values, level: float = LEVEL) -> tuple[float, float, float]:
    """(mean, lower, upper): two-sided Student-t interval for the mean, n − 1 dof.

    With fewer than two finite values the interval is (−inf, inf).

    Examples
    --------
    >>> m, lo, hi = t_interval([1.0, 2.0, 3.0])
    >>> m, round(lo, 4), round(hi, 4)
    (2.0, -0.4841, 4.4841)
    """
    mean, sd, n = mean_and_sd(values)
    if sd is None:
        return (mean, -math.inf, math.inf)
    half = float(stats.t.ppf((1 + level) / 2, n - 1) * sd / math.sqrt(n))
    return (mean, mean - half, mean + half)


def paired_interval(a, b, level: float = LEVEL) -> tuple[float, float, float]:
    """(difference, lower, upper) for mean(b − a) over paired values: t-interval of the differences.

    Examples
    --------
    >>> paired_interval([1.0, 2.0], [2.0, 3.0])
    (1.0, 1.0, 1.0)
    """
    d = np.asarray(b, float) - np.asarray(a, float)
    return t_interval(d, level)


def welch_difference(a, b) -> tuple[float, float | None, float | None]:
    """(mean(b) − mean(a), its Welch standard error, Satterthwaite degrees of freedom), finite values only.

    The difference is NaN when a group is empty; the standard error is None
    when a group has fewer than two values; the degrees of freedom are None
    then and when the standard error is 0.  The standard error and degrees of
    freedom are those of ``scipy.stats.ttest_ind(b, a, equal_var=False)``.

    Examples
    --------
    >>> d, se, dof = welch_difference([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    >>> d, round(se, 6), round(dof, 4)
    (2.0, 1.290994, 2.9412)
    """
    a, b = finite_values(a), finite_values(b)
    diff = float(b.mean() - a.mean()) if a.size and b.size else math.nan
    if a.size < 2 or b.size < 2:
        return diff, None, None
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        return diff, se, None
    result = stats.ttest_ind(b, a, equal_var=False)
    return diff, se, float(result.df)


def welch_interval(a, b, level: float = LEVEL) -> tuple[float, float, float]:
    """(difference, lower, upper) for mean(b) − mean(a): Welch t-interval, Satterthwaite dof.

    (−inf, inf) when a group has fewer than two values; a point when both have zero spread.

    Examples
    --------
    >>> welch_interval([1.0, 1.0], [2.0, 2.0])
    (1.0, 1.0, 1.0)
    """
    diff, se, dof = welch_difference(a, b)
    if se is None:
        return (diff, -math.inf, math.inf)
    if se == 0:
        return (diff, diff, diff)
    half = float(stats.t.ppf((1 + level) / 2, dof) * se)
    return (diff, diff - half, diff + half)


def binomial_detectable_deficit(trials: int, threshold: float, alpha: float, power: float = 0.95) -> float:
    """The smallest shortfall δ of a success probability below ``threshold`` that a one-sided
    Clopper–Pearson test at level α detects with probability ≥ ``power`` (the test's power, absolute).

    The test refutes "P ≥ threshold" when the one-sided upper bound (confidence 1 − α) of
    S successes in n trials falls below the threshold; that happens exactly for S ≤ s*, the
    largest such count.  For a true probability q, P[S ≤ s*] = binom.cdf(s*, n, q) decreases in q,
    so the answer is threshold − q* with q* the root of binom.cdf(s*, n, q) = power (bisection).
    Returns ``threshold`` when even q = 0 is never refuted.

    Examples
    --------
    >>> round(binomial_detectable_deficit(150, 0.9, 1e-4), 3)   # a true rate ≤ 0.739 is caught 95% of the time
    0.161
    """
    n = int(trials)
    uppers = [clopper_pearson(s, n, level=1 - alpha, alternative="less")[1] for s in range(n + 1)]
    refuting = [s for s, upper in enumerate(uppers) if upper < threshold]
    if not refuting:
        return float(threshold)
    s_star = max(refuting)
    lo, hi = 0.0, float(threshold)
    if stats.binom.cdf(s_star, n, hi) >= power:
        return 0.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if stats.binom.cdf(s_star, n, mid) >= power:
            lo = mid
        else:
            hi = mid
    return float(threshold - lo)

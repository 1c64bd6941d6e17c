"""Numbers with their error budget: one side of a comparison (:class:`Term`) and vector helpers.

A :class:`Term` is a value with a hard error bound (rounding, quadrature), a
standard error (sampling) and the side of the truth it may sit on by
construction (a minimum found by search is an upper bound on the true
minimum).  Sums add errors linearly (conservative whatever the correlation);
a negative factor swaps upper and lower bounds.  The verdict rule that reads
Terms is in :mod:`verify.checker.verdicts` (docs/claims.md §7).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ..results import ArrayEstimate, Estimate
from ..estimators.sampling import sample_mean
from ..stats import finite_values, welch_difference
from ..validation import InvalidArgument

__all__ = [
    "Term",
    "SIDES",
    "EPS",
    "DEFAULT_ALPHA",
    "z_threshold",
    "vector_parts",
    "inner",
    "norm",
    "step_distance_sq",
    "mean_term",
    "paired_term",
    "welch_term",
]

#: Machine epsilon of float64: the unit of every rounding bound below.
EPS = float(np.finfo(float).eps)
SIDES = ("exact", "estimate", "upper-bound", "lower-bound", "mixed")
#: False-alarm probability of one check run on its own (split over its statistical comparisons).
DEFAULT_ALPHA = 1e-3


def z_threshold(alpha: float, dof: int | None = None) -> float:
    """One-sided quantile z = t_{dof}(1 − α) (the normal one when ``dof`` is None).

    A standard error times z is the error bar of a comparison allotted the
    false-alarm probability α.
    """
    alpha = float(alpha)
    if not (0.0 < alpha < 1.0):
        raise InvalidArgument("alpha", f"must lie in (0, 1), got {alpha}")
    return float(stats.norm.isf(alpha) if dof is None else stats.t.isf(alpha, dof))


def _combine_sides(a: str, b: str) -> str:
    if "mixed" in (a, b):
        return "mixed"
    one = {s for s in (a, b) if s in ("upper-bound", "lower-bound")}
    if len(one) == 2:
        return "mixed"
    if one:
        return one.pop()
    return "estimate" if "estimate" in (a, b) else "exact"


_FLIP = {"upper-bound": "lower-bound", "lower-bound": "upper-bound"}


def _min_dof(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


@dataclass(frozen=True)
class Term:
    """One side of a comparison: a value with a hard error bound, a standard error and a side.

    Attributes
    ----------
    value : float
    bound : float
        |value − truth| ≤ bound from rounding or quadrature (before sampling error).
    se : float
        Standard error of a sampled estimate (0 for deterministic values).
    dof : int or None
        Degrees of freedom of ``se`` (None: normal).
    side : {"exact", "estimate", "upper-bound", "lower-bound", "mixed"}
        Which side of the truth the value may sit on by construction
        (``mixed``: a sum of an upper and a lower bound — no side is known).
    method : str
        Where the value came from (``exact``, ``quad``, ``mc``, …).

    Notes
    -----
    Sums add bounds and standard errors linearly (conservative whatever the
    correlation); a negative factor swaps upper and lower bounds.
    """

    value: float
    bound: float = 0.0
    se: float = 0.0
    dof: int | None = None
    side: str = "exact"
    method: str = "exact"

    @classmethod
    def of(cls, x: Any) -> "Term":
        """A Term from a Term, an :class:`~verify.results.Estimate` or a number (exact)."""
        if isinstance(x, Term):
            return x
        if isinstance(x, Estimate):
            if x.error_kind == "standard-error":
                return cls(x.value, 0.0, x.error, x.dof, x.kind, x.method)
            return cls(x.value, x.error, 0.0, None, x.kind, x.method)
        value = float(x)
        return cls(value, 2 * EPS * abs(value) if math.isfinite(value) else 0.0)

    def __add__(self, other: Any) -> "Term":
        o = Term.of(other)
        return Term(
            self.value + o.value,
            self.bound + o.bound + EPS * abs(self.value + o.value),
            self.se + o.se,
            _min_dof(self.dof, o.dof),
            _combine_sides(self.side, o.side),
            self.method if self.method == o.method else f"{self.method}+{o.method}",
        )

    __radd__ = __add__

    def __neg__(self) -> "Term":
        return Term(-self.value, self.bound, self.se, self.dof, _FLIP.get(self.side, self.side), self.method)

    def __sub__(self, other: Any) -> "Term":
        return self + (-Term.of(other))

    def __rsub__(self, other: Any) -> "Term":
        return Term.of(other) + (-self)

    def __mul__(self, factor: float) -> "Term":
        if isinstance(factor, Term):
            raise TypeError("multiply Terms with Term.times (first-order error propagation)")
        c = float(factor)
        side = self.side if c >= 0 else _FLIP.get(self.side, self.side)
        if c == 0:
            return Term(0.0)
        return Term(
            self.value * c,
            abs(c) * self.bound + EPS * abs(self.value * c),
            abs(c) * self.se,
            self.dof,
            side,
            self.method,
        )

    __rmul__ = __mul__

    def times(self, other: "Term") -> "Term":
        """Product of two non-negative uncertain terms, first-order error propagation.

        Sides combine only when both factors are ≥ 0 (an upper bound times an
        upper bound of non-negative numbers is an upper bound); otherwise mixed.
        """
        o = Term.of(other)
        a, b = self.value, o.value
        side = (
            _combine_sides(self.side, o.side)
            if (a >= 0 and b >= 0)
            else ("exact" if self.side == o.side == "exact" else "mixed")
        )
        return Term(
            a * b,
            abs(a) * o.bound + abs(b) * self.bound + self.bound * o.bound + EPS * abs(a * b),
            abs(a) * o.se + abs(b) * self.se,
            _min_dof(self.dof, o.dof),
            side,
            self.method if self.method == o.method else f"{self.method}*{o.method}",
        )

    def half_width(self, alpha: float) -> float:
        """bound + z(α)·se: the one-sided error bar at false-alarm probability α."""
        if self.se == 0:
            return self.bound
        return self.bound + z_threshold(alpha, self.dof) * self.se

    def with_side(self, side: str) -> "Term":
        return Term(self.value, self.bound, self.se, self.dof, side, self.method)

    def to_estimate(self, alpha: float | None = None) -> Estimate:
        """An :class:`Estimate` for the report.

        With a standard error, ``error`` = se + bound/z(α), so that z·error is
        the error bar used; otherwise the hard bound (``exact`` or ``absolute-bound``).
        """
        kind = "estimate" if self.side == "mixed" else self.side
        if not math.isfinite(self.value):
            return Estimate(self.value, 0.0, "exact", self.method, kind=kind)
        if self.se > 0:
            z = z_threshold(alpha if alpha is not None else DEFAULT_ALPHA, self.dof)
            return Estimate(
                self.value, self.se + self.bound / z, "standard-error", self.method, kind=kind, dof=self.dof
            )
        return Estimate(
            self.value, self.bound, "exact" if self.side == "exact" else "absolute-bound", self.method, kind=kind
        )


def vector_parts(est: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int | None, str, str]:
    """(value, hard bound, standard error, dof, side, method) of a vector estimate or an ndarray."""
    if isinstance(est, ArrayEstimate):
        value = np.asarray(est.value, float)
        err = np.asarray(est.error, float)
        if est.error_kind == "standard-error":
            return value, np.zeros_like(value), err, est.dof, "estimate", est.method
        return (
            value,
            err,
            np.zeros_like(value),
            None,
            ("exact" if est.error_kind == "exact" else "estimate"),
            est.method,
        )
    if isinstance(est, tuple):
        return est
    value = np.asarray(est, float)
    return value, 4 * EPS * np.abs(value), np.zeros_like(value), None, "exact", "exact"


def inner(vec: Any, d: np.ndarray) -> Term:
    """⟨g, d⟩ for an uncertain g and an exact d: errors |d|·bound and |d|·se (linear)."""
    v, b, s, dof, side, method = vector_parts(vec)
    ad = np.abs(d)
    value = float(v @ d)
    bound = float(ad @ b) + 2 * v.size * EPS * float(np.abs(v) @ ad)
    return Term(value, bound, float(ad @ s), dof if np.any(s) else None, side, method)


def norm(vec: Any) -> Term:
    """‖g‖: |‖g‖ − ‖ĝ‖| ≤ ‖g − ĝ‖; the standard error by the delta method, Σ|u_i| se_i (u = ĝ/‖ĝ‖)."""
    v, b, s, dof, side, method = vector_parts(vec)
    nv = float(np.linalg.norm(v))
    u = v / nv if nv > 0 else np.ones_like(v)
    return Term(
        nv,
        float(np.linalg.norm(b)) + 2 * v.size * EPS * nv,
        float(np.abs(u) @ s),
        dof if np.any(s) else None,
        side,
        method,
    )


def step_distance_sq(vec: Any, d: np.ndarray, eta: float) -> Term:
    """‖d − η g‖² for an uncertain g: derivative −2η(d − ηg), plus the second-order η²‖bound‖²."""
    v, b, s, dof, side, method = vector_parts(vec)
    e = d - eta * v
    value = float(e @ e)
    grad = 2 * eta * np.abs(e)
    bound = float(grad @ b) + eta**2 * float(b @ b) + 4 * v.size * EPS * (value + float(np.abs(d) @ np.abs(d)))
    return Term(value, bound, float(grad @ s), dof if np.any(s) else None, side, method)


# ---------------------------------------------------------------------------
# Terms from samples of runs (the §4 experiments, SGD success): t and Welch standard errors
# ---------------------------------------------------------------------------


def _sample_term(values: Any, method: str) -> Term | None:
    """The mean of the finite values as a Term, its error from :func:`verify.estimators.sampling.sample_mean`
    (sd/√n on n − 1 dof, or the median of means when the values' tail is too heavy, docs/error-bars.md §3);
    None below two values."""
    a = sample_mean(values)
    if not np.isfinite(a.error):
        return None
    return Term(float(a.value), 0.0, float(a.error), a.dof, "estimate", method if a.dof is not None else
                "median-of-means")


def mean_term(values: Any) -> Term:
    """The mean of the finite values with its t standard error (n − 1 dof); exact below two values."""
    x = finite_values(values)
    if x.size < 2:
        return Term(float(x.mean()) if x.size else math.nan)
    return _sample_term(x, "t")


def paired_term(a: Any, b: Any) -> Term:
    """mean(b − a) over pairs with the t standard error (n − 1 dof)."""
    term = _sample_term(np.asarray(b, float) - np.asarray(a, float), "paired-t")
    return Term(math.nan) if term is None else term


def welch_term(a: Any, b: Any) -> Term:
    """mean(b) − mean(a) with the Welch standard error and Satterthwaite degrees of freedom (rounded down)."""
    diff, se, dof = welch_difference(a, b)
    if se is None:
        return Term(math.nan)
    return Term(
        diff, 0.0, se, max(1, int(math.floor(dof))) if se > 0 and dof is not None else None, "estimate", "welch"
    )

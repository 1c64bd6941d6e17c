"""The verdict rule: how a comparison with error bars becomes a verdict and a serializable result.

A claim's check (:mod:`verify.claims`) reduces each statement of the claim, on
one instance, to a comparison of two sides.  Each side is a :class:`Term` — a
value with a hard error bound, a standard error and the side of the truth it
may sit on; :func:`compare` turns the pair into a :class:`Comparison` with its
verdict, and the comparisons of one check are assembled into a
:class:`CheckResult` (strict JSON through ``to_dict``).  In one sentence: a
claim is **refuted** only when its violation exceeds its error bar (hard
bounds plus z standard errors, z from the false-alarm budget); it **holds**
when it is satisfied beyond the error bar, a tie within hard rounding bounds
counting as holds; it is **inconclusive** otherwise.

The verdict rule (written once: :func:`one_sided_verdict`, :func:`equality_verdict`)
-----------------------------------------------------------------------------------
A claim ``lhs ≤ rhs`` is compared through its *margin*

    m = (rhs − lhs)/|rhs|        (≥ 0 means the claim holds on this instance)

(``lhs ≥ rhs`` is turned around; |rhs| is replaced by a stated natural scale
when rhs is 0).  Its *error bar* e is the half-width of the difference
rhs − lhs, in the same relative units:

* a hard error (rounding bound of a closed form or an exact sum, quadrature
  bound; ``error_kind`` "exact" / "absolute-bound") enters as it is;
* a standard error (Monte Carlo batch means) enters times the one-sided
  quantile z = t_{dof}(1 − α) (normal when dof is unknown), where α is the
  false-alarm probability allotted to this comparison.  The property tests
  allot α from the suite's budget (P[some true claim declared refuted] ≤ 1e-3,
  Bonferroni; ``properties/conftest.py``); a check run on its own splits
  :data:`DEFAULT_ALPHA` = 1e-3 over its comparisons (``_compare_all``).

Errors of the two sides add linearly (sd(X − Y) ≤ sd X + sd Y whatever the
correlation: conservative).  Then, with the stated numerical margin
:data:`TOL` = 1e-9 (relative; floating point in eigen-solvers and sums),

* **refuted**  when the violation exceeds its error bar by more than TOL:
  m + e < −TOL;
* **holds**    when the claim is satisfied beyond the error bar: m − e ≥ −TOL;
* **inconclusive** otherwise.

When the error bar is a hard bound only (closed forms, exact sums, quadrature:
no sampling error), the only way to be "within the error bar" is a tie up to
rounding — an equality case of the claim, such as Theorem 2.2's angle bound at
a tangent point — and such a tie is decided as **holds** (m ≥ −(e + TOL)); an
exact comparison is thus never inconclusive except through an estimate's side.

An equality ``lhs = rhs`` has margin −|lhs − rhs|/|rhs| (two-sided α/2): refuted
when |m| > e + TOL, holds when |m| ≤ e + TOL *and* the error bar is below a
resolution (:data:`RESOLUTION` = 5 %: a test with no power proves nothing),
inconclusive otherwise.

Which way an estimate errs
--------------------------
:mod:`verify.quantities` marks a searched minimum (γ for p ≥ 3 without
symmetry) ``upper-bound`` and a searched maximum or a grid sup (L, β, L_cross,
μ) ``lower-bound``.  The sides of a comparison inherit these marks
(:class:`Term`), and only the conservative verdict is allowed: for
``γ(θ)‖w − w*‖² ≤ ⟨E∇ℓ, w − w*⟩`` a γ found by search (≥ the true γ) can prove
*holds* but never *refuted*; in ``γ(φ₀) ≥ γ_avg(φ₀) − 4(1 − cos ρ)`` the same γ
sits on the large side and can prove neither — such a comparison is
``inconclusive`` and says why, unless the instance is exact.

Aggregation (:func:`aggregate`): refuted if any part is refuted, holds if all
hold, inconclusive otherwise — over the parts of one check and, in the pytest
plugin, over the instances of one claim.  A result whose instance is outside
the claim's hypotheses is never refuted (:class:`CheckResult` ``in_hypothesis``).
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
from scipy import stats

from .results import ArrayEstimate, Estimate
from .validation import InvalidArgument

__all__ = [
    "Term",
    "Comparison",
    "CheckResult",
    "VERDICTS",
    "SIDES",
    "TOL",
    "DEFAULT_ALPHA",
    "RESOLUTION",
    "MAX_INLINE_NUMBERS",
    "z_threshold",
    "one_sided_verdict",
    "equality_verdict",
    "aggregate",
    "compare",
    "clopper_pearson",
]

VERDICTS = ("holds", "refuted", "inconclusive")
#: Stated numerical margin (relative) of every comparison: floating point in eigen-solvers and sums.
TOL = 1e-9
#: False-alarm probability of one check run on its own (split over its statistical comparisons).
DEFAULT_ALPHA = 1e-3
#: An equality "holds" only when its error bar is below this (relative) resolution.
RESOLUTION = 0.05
_EPS = float(np.finfo(float).eps)
SIDES = ("exact", "estimate", "upper-bound", "lower-bound", "mixed")


# ---------------------------------------------------------------------------
# Numbers with their error budget
# ---------------------------------------------------------------------------

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
        return cls(value, 2 * _EPS * abs(value) if math.isfinite(value) else 0.0)

    def __add__(self, other: Any) -> "Term":
        o = Term.of(other)
        return Term(self.value + o.value, self.bound + o.bound + _EPS * abs(self.value + o.value),
                    self.se + o.se, _min_dof(self.dof, o.dof), _combine_sides(self.side, o.side),
                    self.method if self.method == o.method else f"{self.method}+{o.method}")

    __radd__ = __add__

    def __neg__(self) -> "Term":
        return Term(-self.value, self.bound, self.se, self.dof, _FLIP.get(self.side, self.side), self.method)

    def __sub__(self, other: Any) -> "Term":
        return self + (-Term.of(other))

    def __rsub__(self, other: Any) -> "Term":
        return Term.of(other) + (-self)

    def __mul__(self, factor: float) -> "Term":
        c = float(factor)
        if isinstance(factor, Term):
            raise TypeError("multiply Terms with Term.times (first-order error propagation)")
        side = self.side if c >= 0 else _FLIP.get(self.side, self.side)
        if c == 0:
            return Term(0.0)
        return Term(self.value * c, abs(c) * self.bound + _EPS * abs(self.value * c), abs(c) * self.se, self.dof,
                    side, self.method)

    __rmul__ = __mul__

    def times(self, other: "Term") -> "Term":
        """Product of two non-negative uncertain terms, first-order error propagation.

        Sides combine only when both factors are ≥ 0 (an upper bound times an
        upper bound of non-negative numbers is an upper bound); otherwise mixed.
        """
        o = Term.of(other)
        a, b = self.value, o.value
        side = _combine_sides(self.side, o.side) if (a >= 0 and b >= 0) else (
            "exact" if self.side == o.side == "exact" else "mixed")
        return Term(a * b, abs(a) * o.bound + abs(b) * self.bound + self.bound * o.bound + _EPS * abs(a * b),
                    abs(a) * o.se + abs(b) * self.se, _min_dof(self.dof, o.dof), side,
                    self.method if self.method == o.method else f"{self.method}*{o.method}")

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
            return Estimate(self.value, self.se + self.bound / z, "standard-error", self.method, kind=kind,
                            dof=self.dof)
        return Estimate(self.value, self.bound, "exact" if self.side == "exact" else "absolute-bound",
                        self.method, kind=kind)


def _vector_parts(est: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int | None, str, str]:
    """(value, hard bound, standard error, dof, side, method) of a vector estimate or an ndarray."""
    if isinstance(est, ArrayEstimate):
        value = np.asarray(est.value, float)
        err = np.asarray(est.error, float)
        if est.error_kind == "standard-error":
            return value, np.zeros_like(value), err, est.dof, "estimate", est.method
        return value, err, np.zeros_like(value), None, ("exact" if est.error_kind == "exact" else "estimate"), \
            est.method
    if isinstance(est, tuple):
        return est
    value = np.asarray(est, float)
    return value, 4 * _EPS * np.abs(value), np.zeros_like(value), None, "exact", "exact"


def _inner(vec: Any, d: np.ndarray) -> Term:
    """⟨g, d⟩ for an uncertain g and an exact d: errors |d|·bound and |d|·se (linear)."""
    v, b, s, dof, side, method = _vector_parts(vec)
    ad = np.abs(d)
    value = float(v @ d)
    bound = float(ad @ b) + 2 * v.size * _EPS * float(np.abs(v) @ ad)
    return Term(value, bound, float(ad @ s), dof if np.any(s) else None, side, method)


def _norm(vec: Any) -> Term:
    """‖g‖: |‖g‖ − ‖ĝ‖| ≤ ‖g − ĝ‖; the standard error by the delta method, Σ|u_i| se_i (u = ĝ/‖ĝ‖)."""
    v, b, s, dof, side, method = _vector_parts(vec)
    nv = float(np.linalg.norm(v))
    u = v / nv if nv > 0 else np.ones_like(v)
    return Term(nv, float(np.linalg.norm(b)) + 2 * v.size * _EPS * nv, float(np.abs(u) @ s),
                dof if np.any(s) else None, side, method)


def _step_distance_sq(vec: Any, d: np.ndarray, eta: float) -> Term:
    """‖d − η g‖² for an uncertain g: derivative −2η(d − ηg), plus the second-order η²‖bound‖²."""
    v, b, s, dof, side, method = _vector_parts(vec)
    e = d - eta * v
    value = float(e @ e)
    grad = 2 * eta * np.abs(e)
    bound = float(grad @ b) + eta**2 * float(b @ b) + 4 * v.size * _EPS * (value + float(np.abs(d) @ np.abs(d)))
    return Term(value, bound, float(grad @ s), dof if np.any(s) else None, side, method)


# ---------------------------------------------------------------------------
# The verdict rule
# ---------------------------------------------------------------------------

def one_sided_verdict(margin: float, error_below: float, error_above: float | None = None, *, tol: float = TOL,
                      may_hold: bool = True, may_refute: bool = True) -> str:
    """The verdict of a one-sided claim from its relative margin and error bar.

    Parameters
    ----------
    margin : float
        (rhs − lhs)/scale for a claim lhs ≤ rhs; ≥ 0 means satisfied.
    error_below, error_above : float
        How far the true margin may lie below / above ``margin`` (the error bar;
        equal for a symmetric interval, unequal for Clopper–Pearson).
    tol : float
        The stated numerical margin (relative).
    may_hold, may_refute : bool
        Whether the estimates' sides allow each conclusion (module doc).

    Returns
    -------
    "refuted" if margin + error_above < −tol (the violation exceeds its error
    bar), "holds" if margin − error_below ≥ −tol, else "inconclusive".
    """
    if error_above is None:
        error_above = error_below
    if math.isnan(margin):
        return "inconclusive"
    if may_refute and margin + error_above < -tol:
        return "refuted"
    if may_hold and margin - error_below >= -tol:
        return "holds"
    return "inconclusive"


def equality_verdict(difference: float, error: float, *, tol: float = TOL, resolution: float = RESOLUTION,
                     may_hold: bool = True, may_refute: bool = True) -> str:
    """The verdict of an equality from |lhs − rhs|/scale and its (two-sided) error bar.

    "refuted" if the difference exceeds error + tol; "holds" if it does not and
    the error bar is below ``resolution``; else "inconclusive".
    """
    difference = abs(difference)
    if math.isnan(difference):
        return "inconclusive"
    if may_refute and difference > error + tol:
        return "refuted"
    if may_hold and difference <= error + tol and error <= resolution:
        return "holds"
    return "inconclusive"


def aggregate(verdicts: Iterable[str]) -> str:
    """refuted if any is refuted; holds if all hold (and there is at least one); else inconclusive."""
    vs = list(verdicts)
    if any(v == "refuted" for v in vs):
        return "refuted"
    if vs and all(v == "holds" for v in vs):
        return "holds"
    return "inconclusive"


@dataclass(frozen=True)
class Comparison:
    """One inequality or equality of a claim, evaluated on one instance.

    Attributes
    ----------
    name : str
    reading : str
        The reading of the claim it belongs to.
    relation : {"<=", ">=", "=="}
    lhs, rhs : Term
    margin, error_below, error_above : float
        Relative margin (≥ 0: satisfied) and its error bar below/above.
    verdict : str
    why : str
        Why a verdict was withheld (estimate sides), if it was.
    alpha : float
        False-alarm probability allotted (matters only with standard errors).
    """

    name: str
    reading: str
    relation: str
    lhs: Term
    rhs: Term
    margin: float
    error_below: float
    error_above: float
    verdict: str
    why: str = ""
    alpha: float = DEFAULT_ALPHA

    @property
    def margin_error(self) -> float:
        return self.error_below if self.margin >= 0 else self.error_above

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "reading": self.reading, "relation": self.relation,
                "lhs": _jsonable(self.lhs.to_estimate(self.alpha).to_dict()),
                "rhs": _jsonable(self.rhs.to_estimate(self.alpha).to_dict()),
                "margin": _jsonable(self.margin), "margin_error": _jsonable(self.margin_error),
                "verdict": self.verdict, "why": self.why}


def compare(name: str, lhs: Any, rhs: Any, relation: str, *, alpha: float = DEFAULT_ALPHA, reading: str = "",
            scale: float | None = None, tol: float = TOL, resolution: float = RESOLUTION) -> Comparison:
    """Compare two sides with :func:`one_sided_verdict` / :func:`equality_verdict`.

    Parameters
    ----------
    name : str
    lhs, rhs : Term, Estimate or float
    relation : {"<=", ">=", "=="}
        The claim: lhs ≤ rhs, lhs ≥ rhs or lhs = rhs.
    alpha : float
        False-alarm probability of this comparison (one-sided; α/2 per side for "==").
    scale : float, optional
        The margin's denominator; |rhs| by default (|lhs|, then 1, when rhs is 0).
    """
    lhs, rhs = Term.of(lhs), Term.of(rhs)
    if relation not in ("<=", ">=", "=="):
        raise InvalidArgument("relation", f"must be <=, >= or ==, got {relation!r}")
    if scale is None:
        scale = abs(rhs.value) if (math.isfinite(rhs.value) and rhs.value != 0) else (
            abs(lhs.value) if (math.isfinite(lhs.value) and lhs.value != 0) else 1.0)
    scale = float(scale) if scale > 0 else 1.0
    if relation == "==":
        diff = lhs - rhs
        if not math.isfinite(diff.value):
            verdict = "inconclusive" if math.isnan(diff.value) else "refuted"
            return Comparison(name, reading, relation, lhs, rhs, -math.inf, 0.0, 0.0, verdict, "", alpha)
        h = diff.half_width(alpha / 2) / scale
        may_hold = diff.side in ("exact", "estimate")
        may_refute = may_hold or (diff.side == "lower-bound" and diff.value > 0) or (
            diff.side == "upper-bound" and diff.value < 0)
        verdict = equality_verdict(diff.value / scale, h, tol=tol, resolution=resolution, may_hold=may_hold,
                                   may_refute=may_refute)
        why = "" if may_hold else f"the difference is a {diff.side} of the truth: equality cannot be confirmed"
        return Comparison(name, reading, relation, lhs, rhs, -abs(diff.value) / scale, h, h, verdict, why, alpha)
    slack = (rhs - lhs) if relation == "<=" else (lhs - rhs)
    if not math.isfinite(slack.value):
        verdict = "inconclusive" if math.isnan(slack.value) else ("holds" if slack.value > 0 else "refuted")
        return Comparison(name, reading, relation, lhs, rhs, slack.value, 0.0, 0.0, verdict, "", alpha)
    h = slack.half_width(alpha) / scale
    may_hold = slack.side in ("exact", "estimate", "lower-bound")
    may_refute = slack.side in ("exact", "estimate", "upper-bound")
    margin = slack.value / scale
    # Hard error bounds only (no sampling error): a tie within rounding is decided as "holds" (module doc).
    below = 0.0 if slack.se == 0 else h
    verdict = one_sided_verdict(margin, below, h, tol=tol, may_hold=may_hold, may_refute=may_refute)
    why = ""
    if verdict == "inconclusive":
        if not may_refute and margin + h < -tol:
            why = ("violated on the estimates, but an estimate errs towards violation by construction "
                   f"(the slack is a {slack.side} of the truth), so this is no refutation")
        elif not may_hold and margin - h >= -tol:
            why = f"satisfied on the estimates, but the slack is a {slack.side} of the truth: not proven"
        else:
            why = "the margin is within its error bar"
    return Comparison(name, reading, relation, lhs, rhs, margin, below, h, verdict, why, alpha)


def _comparison_from_interval(name: str, reading: str, estimate: float, lower: float, upper: float,
                              threshold: float, relation: str, alpha: float, what: str = "") -> Comparison:
    """A one-sided comparison of a confidence interval [lower, upper] for a quantity with a threshold.

    ``relation`` ">=": the claim is quantity ≥ threshold (margin (q − t)/|t|);
    "<=": quantity ≤ threshold.  Asymmetric error bars (Clopper–Pearson).
    """
    scale = abs(threshold) if threshold != 0 else 1.0
    if relation == ">=":
        margin, below, above = (estimate - threshold) / scale, (estimate - lower) / scale, (upper - estimate) / scale
        lhs, rhs = Term(estimate, 0.0, 0.0, None, "estimate", what or "ci"), Term(threshold)
    else:
        margin, below, above = (threshold - estimate) / scale, (upper - estimate) / scale, (estimate - lower) / scale
        lhs, rhs = Term(estimate, 0.0, 0.0, None, "estimate", what or "ci"), Term(threshold)
    verdict = one_sided_verdict(margin, below, above, tol=0.0)
    return Comparison(name, reading, relation, lhs, rhs, margin, below, above, verdict, "", alpha)


# ---------------------------------------------------------------------------
# Binomial confidence bounds
# ---------------------------------------------------------------------------

def clopper_pearson(successes: int, trials: int, alpha: float) -> tuple[float, float]:
    """One-sided Clopper–Pearson bounds, each at confidence 1 − α: (lower, upper).

    lower = Beta(α; S, n − S + 1) quantile (0 when S = 0), upper = Beta(1 − α; S + 1, n − S)
    (1 when S = n): the exact binomial bounds (scipy.stats.beta).
    """
    lower = 0.0 if successes == 0 else float(stats.beta.ppf(alpha, successes, trials - successes + 1))
    upper = 1.0 if successes == trials else float(stats.beta.isf(alpha, successes + 1, trials - successes))
    return lower, upper


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------

def _jsonable(x: Any) -> Any:
    """Plain JSON types: arrays → lists, non-finite floats → "inf"/"-inf"/"nan", objects → descriptions."""
    if isinstance(x, (str, bool)) or x is None:
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if math.isfinite(v):
            return v
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (Estimate, Term, Comparison)):
        return _jsonable(x.to_dict() if hasattr(x, "to_dict") else x.__dict__)
    if hasattr(x, "p") and hasattr(x, "sample"):
        return _describe_dist(x)
    return str(x)


#: Finite laws with at most this many numbers are written out in full in instances.
MAX_INLINE_NUMBERS = 2048


def _describe_dist(dist: Any) -> dict[str, Any]:
    describe = getattr(dist, "describe", None)
    out = describe() if callable(describe) else {"name": getattr(dist, "name", type(dist).__name__),
                                                 "p": dist.p, "k": dist.k}
    out = dict(out)
    params = out.pop("parameters", None) or {}
    out.update({k: v for k, v in params.items() if k not in out})
    support = _support(dist)
    if support is not None:
        out["atoms_shape"] = list(support.shape)
        out["atoms_sha1"] = hashlib.sha1(np.ascontiguousarray(support).tobytes()).hexdigest()[:16]
        if support.size <= MAX_INLINE_NUMBERS and out.get("name") in ("empirical",):
            out["data"] = support.tolist()
    return _jsonable(out)


def _support(dist: Any) -> np.ndarray | None:
    support = getattr(dist, "support", None)
    if not callable(support):
        return None
    atoms = support()
    return None if atoms is None else np.asarray(atoms, dtype=float)


# ---------------------------------------------------------------------------
# The result of one check
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one claim on one instance.

    Attributes
    ----------
    claim : str
        The claim id.
    verdict : {"holds", "refuted", "inconclusive"}
        Of the primary reading (the first of ``Claim.readings``): the
        aggregate of its parts.
    lhs, rhs : Estimate or float or None
        The two sides of the deciding part (the refuted one, else the one of
        smallest margin).
    margin, margin_error : float
        Relative margin of the deciding part (≥ 0: the claim holds here) and
        its error bar.
    tightness : float or None
        actual/claimed where the claim bounds a constant (β of Theorems A.1 and
        A.2, L_cross ≤ 3μ, the initialization bound, an iteration count): ≤ 1
        when the claim holds, near 1 when it is tight.
    readings : dict
        Verdict of every reading checked (the primary one included).
    instance : dict
        JSON-ready description of the instance (distribution, p, w*, w, η, …).
    counterexample : dict or None
        When refuted: the instance and the failing part's numbers.
    in_hypothesis : bool or None
        False when the instance does not satisfy the claim's hypotheses (it is
        then reported, not counted); None when that cannot be decided.
    parts : tuple of dict
        Every comparison made (:meth:`Comparison.to_dict`).
    alpha : float
        False-alarm probability of the whole check.
    note : str
    details : dict
        Claim-specific measurements (iteration counts, stall points, …).
    """

    claim: str
    verdict: str
    lhs: Estimate | float | None
    rhs: Estimate | float | None
    margin: float
    margin_error: float
    tightness: float | None
    readings: dict
    instance: dict
    counterexample: dict | None
    in_hypothesis: bool | None = True
    parts: tuple = ()
    alpha: float = DEFAULT_ALPHA
    note: str = ""
    details: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (strict JSON: non-finite floats as strings)."""
        def side(x):
            return x.to_dict() if isinstance(x, Estimate) else x
        return _jsonable({
            "claim": self.claim, "verdict": self.verdict, "lhs": side(self.lhs), "rhs": side(self.rhs),
            "margin": self.margin, "margin_error": self.margin_error, "tightness": self.tightness,
            "readings": dict(self.readings), "instance": self.instance, "counterexample": self.counterexample,
            "in_hypothesis": self.in_hypothesis, "parts": list(self.parts), "alpha": self.alpha,
            "note": self.note, "details": self.details,
        })

    def __str__(self) -> str:
        t = "" if self.tightness is None else f", tightness {self.tightness:.3g}"
        return (f"{self.claim}: {self.verdict} (margin {self.margin:+.3g} ± {self.margin_error:.2g}{t}; "
                f"readings {self.readings})")


def _result(claim_id: str, instance: dict, comparisons: Sequence[Comparison], readings: Sequence[str], *,
            alpha: float, tightness: float | None = None, in_hypothesis: bool | None = True, note: str = "",
            details: dict | None = None, conjunction: Sequence[str] | None = None) -> CheckResult:
    """Assemble a CheckResult: the primary reading's parts decide the verdict (module doc).

    ``conjunction``: readings whose parts together make the primary reading (a
    claim that is the conjunction of several statements); the primary verdict
    is then their aggregate.
    """
    primary = readings[0]
    by_reading: dict[str, list[Comparison]] = {r: [] for r in readings}
    for c in comparisons:
        by_reading.setdefault(c.reading or primary, []).append(c)
    verdicts = {r: aggregate(c.verdict for c in cs) for r, cs in by_reading.items() if cs}
    main_parts = by_reading.get(primary, [])
    if conjunction:
        main_parts = [c for r in conjunction for c in by_reading.get(r, [])]
        verdicts[primary] = aggregate(verdicts.get(r, "inconclusive") for r in conjunction)
    verdict = verdicts.get(primary, "inconclusive")
    if in_hypothesis is not True and verdict == "refuted":
        verdict = "inconclusive"
        note = (note + "; " if note else "") + ("violated, but the instance is outside the claim's hypotheses"
                                                if in_hypothesis is False else
                                                "violated, but the claim's hypotheses could not be verified here")
    decisive = None
    if main_parts:
        refuted = [c for c in main_parts if c.verdict == "refuted"]
        pool = refuted or main_parts
        decisive = min(pool, key=lambda c: (c.margin if not math.isnan(c.margin) else math.inf))
    counterexample = None
    if verdict == "refuted" and decisive is not None:
        counterexample = {"instance": instance, "part": decisive.name, "reading": primary,
                          "lhs": decisive.lhs.value, "rhs": decisive.rhs.value, "margin": decisive.margin,
                          "margin_error": decisive.margin_error}
    reading_counterexamples = {}
    for r, cs in by_reading.items():
        bad = [c for c in cs if c.verdict == "refuted"]
        if r != primary and bad:
            c = min(bad, key=lambda c: c.margin)
            reading_counterexamples[r] = {"part": c.name, "lhs": c.lhs.value, "rhs": c.rhs.value,
                                          "margin": c.margin}
    det = dict(details or {})
    if in_hypothesis is not True:
        verdicts = {r: ("inconclusive" if v == "refuted" else v) for r, v in verdicts.items()}
        verdicts[primary] = verdict
    if reading_counterexamples:
        det["reading_counterexamples"] = reading_counterexamples
    return CheckResult(
        claim=claim_id, verdict=verdict,
        lhs=decisive.lhs.to_estimate(decisive.alpha) if decisive else None,
        rhs=decisive.rhs.to_estimate(decisive.alpha) if decisive else None,
        margin=decisive.margin if decisive else math.nan,
        margin_error=decisive.margin_error if decisive else math.nan,
        tightness=None if tightness is None or not math.isfinite(tightness) else float(tightness),
        readings={r: verdicts.get(r, "inconclusive") for r in dict.fromkeys([primary, *verdicts])},
        instance=_jsonable(instance), counterexample=_jsonable(counterexample), in_hypothesis=in_hypothesis,
        parts=tuple(c.to_dict() for c in comparisons), alpha=alpha, note=note, details=_jsonable(det))


def _outside(claim_id: str, instance: dict, readings: Sequence[str], alpha: float, why: str,
             details: dict | None = None) -> CheckResult:
    """The result for an instance that does not satisfy the claim's hypotheses."""
    return CheckResult(claim=claim_id, verdict="inconclusive", lhs=None, rhs=None, margin=math.nan,
                       margin_error=math.nan, tightness=None, readings={r: "inconclusive" for r in readings},
                       instance=_jsonable(instance), counterexample=None, in_hypothesis=False, alpha=alpha,
                       note=f"outside the claim's hypotheses: {why}", details=_jsonable(details or {}))


# ---------------------------------------------------------------------------
# Comparisons of one check (Bonferroni over its parts)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Spec:
    """A comparison to make (all of a check's specs share its α, Bonferroni)."""

    name: str
    lhs: Any
    rhs: Any
    relation: str
    reading: str
    scale: float | None = None
    resolution: float = RESOLUTION


def _compare_all(specs: Sequence[_Spec], alpha: float) -> list[Comparison]:
    each = alpha / max(1, len(specs))
    return [compare(s.name, s.lhs, s.rhs, s.relation, alpha=each, reading=s.reading, scale=s.scale,
                    resolution=s.resolution) for s in specs]


def _worst(comparisons: Sequence[Comparison]) -> Comparison:
    """The most telling comparison of a group: a refuted one of smallest margin, else the smallest margin."""
    refuted = [c for c in comparisons if c.verdict == "refuted"]
    pool = refuted or list(comparisons)
    return min(pool, key=lambda c: (c.margin if not math.isnan(c.margin) else math.inf))


def _group_worst(comparisons: Sequence[Comparison]) -> list[Comparison]:
    """Keep, per (reading, name prefix before ' @'), the most telling comparison and the group's verdict."""
    groups: dict[tuple, list[Comparison]] = {}
    for c in comparisons:
        groups.setdefault((c.reading, c.name.split(" @")[0]), []).append(c)
    out = []
    for (_, _), cs in groups.items():
        w = _worst(cs)
        verdict = aggregate(c.verdict for c in cs)
        out.append(Comparison(w.name, w.reading, w.relation, w.lhs, w.rhs, w.margin, w.error_below,
                              w.error_above, verdict, w.why, w.alpha))
    return out

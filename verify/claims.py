"""The claim registry: one entry per claim of CLAIMS.md §4, each with a numerical check.

Every claim is a :class:`Claim` built from one template (id, source, statement,
kind, reconstructed-from, readings, check), collected in :data:`REGISTRY`
(id → Claim).  ``claim.check(instance)`` evaluates the claim on one *instance*
(a distribution, w*, w, η, … as the claim needs) and returns a
:class:`CheckResult`: a verdict, the two sides compared, the margin with its
error bar, the tightness, the verdict of every reading, and a counterexample
when the claim fails.

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
  :data:`DEFAULT_ALPHA` = 1e-3 over its comparisons.

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
resolution (5 %: a test with no power proves nothing), inconclusive otherwise.

Which way an estimate errs
--------------------------
:mod:`verify.quantities` marks a searched minimum (γ for p ≥ 3 without
symmetry) ``upper-bound`` and a searched maximum or a grid sup (L, β, L_cross,
μ) ``lower-bound``.  The sides of a comparison inherit these marks
(:class:`Term`), and only the conservative verdict is allowed: for
``γ(θ)‖w − w*‖² ≤ ⟨E∇ℓ, w − w*⟩`` a γ found by search (≥ the true γ) can prove
*holds* but never *refuted*; in ``γ(φ₀) ≥ γ_avg(φ₀) − 4(1 − cos ρ)`` the same γ
sits on the large side and can prove neither — such a comparison is
``inconclusive`` and says why, unless the instance is exact.  Exact instances
are preferred everywhere: closed forms for N(0, I) and the sphere, p = 2
(where the direction set is two points, both evaluated), and finite laws
(an :class:`~verify.distributions.Empirical` law is a legitimate input whose
expectations are finite sums), for which β, L_cross and μ are computed
exactly by enumerating the angles where an atom changes region
(:func:`finite_sup_ratio`, :func:`finite_mu`).

Aggregation (:func:`aggregate`): refuted if any part is refuted, holds if all
hold, inconclusive otherwise — over the parts of one check and, in the pytest
plugin, over the instances of one claim.  Instances outside a claim's
hypotheses (``in_hypothesis`` False) are reported and excluded.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import numpy as np
from scipy import stats

from .distributions import Empirical, Gaussian, make_distribution
from .results import ArrayEstimate, Estimate
from .validation import InvalidArgument, check_count, check_seed

__all__ = [
    "Claim",
    "Instance",
    "CheckResult",
    "Comparison",
    "Term",
    "REGISTRY",
    "VERDICTS",
    "CLAIM_KINDS",
    "TOL",
    "DEFAULT_ALPHA",
    "RESOLUTION",
    "get_claim",
    "list_claims",
    "check_claim",
    "aggregate",
    "one_sided_verdict",
    "equality_verdict",
    "compare",
    "z_threshold",
    "finite_sup_ratio",
    "finite_mu",
]

VERDICTS = ("holds", "refuted", "inconclusive")
CLAIM_KINDS = ("equality", "upper-bound", "lower-bound", "empirical")
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


# ---------------------------------------------------------------------------
# Instances
# ---------------------------------------------------------------------------

_CACHE: dict = {}
_CACHE_LIMIT = 512


def _cached(key: tuple, compute: Callable[[], Any]) -> Any:
    if key in _CACHE:
        return _CACHE[key]
    value = compute()
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = value
    return value


def _dist_key(dist: Any) -> Any:
    """A hashable identity of a law: its atoms' digest for a finite law, its description otherwise."""
    atoms = _support(dist)
    if atoms is not None:
        return ("finite", atoms.shape, hashlib.sha1(np.ascontiguousarray(atoms).tobytes()).hexdigest())
    describe = getattr(dist, "describe", None)
    if callable(describe) and type(dist).__module__.startswith("verify."):
        return ("builtin", type(dist).__name__, json.dumps(_jsonable(describe()), sort_keys=True))
    return ("object", id(dist))


def _dist_from(instance: dict) -> Any:
    """The distribution of an instance: ``dist`` (an object), or ``distribution`` (a name or a dict)."""
    dist = instance.get("dist")
    if dist is not None:
        for attr in ("p", "k", "sample"):
            if not hasattr(dist, attr):
                raise InvalidArgument("dist", f"must follow the distribution protocol (missing {attr!r})")
        return dist
    spec = instance.get("distribution", "gaussian")
    if isinstance(spec, str):
        spec = {"name": spec}
    spec = dict(spec)
    name = spec.pop("name")
    p = spec.pop("p", instance.get("p"))
    for drop in ("symmetry", "atoms_shape", "atoms_sha1", "atoms", "source"):
        spec.pop(drop, None)
    if name == "empirical":
        data = instance.get("data", spec.pop("data", None))
        if data is None:
            raise InvalidArgument("data", "an empirical instance needs its data")
        return Empirical(np.asarray(data, dtype=float))
    if name in ("gaussian", "sphere"):
        spec.pop("k", None)
    if name == "mixture":
        spec.pop("k", None)
    if name == "degenerate":
        spec.pop("k", None)
    return make_distribution(name, p, **spec)


def _unit_axis(dist: Any) -> np.ndarray:
    axis = getattr(dist, "axis", None)
    if axis is None:
        axis = np.eye(dist.p)[0]
    axis = np.asarray(axis, dtype=float)
    return axis / np.linalg.norm(axis)


def _angle(w: np.ndarray, u: np.ndarray) -> float:
    """θ(w, u) for unit u, as atan2(‖w_⊥‖, w·u): accurate near 0 and π (arccos is not)."""
    along = float(w @ u)
    perp = float(np.linalg.norm(w - along * u))
    return math.atan2(perp, along)


def _orthonormal_complement(u: np.ndarray) -> np.ndarray:
    q, _ = np.linalg.qr(np.column_stack([u, np.eye(u.shape[0])]))
    return q[:, 1:u.shape[0]].T


class _Context:
    """Everything a check needs about its instance: the law, w*, the method, and the constants.

    The constants (γ, L at angles, β, L_cross, the gradient) are taken by the
    most exact route available (module doc), as :class:`Term` s with their sides.
    """

    def __init__(self, instance: dict, *, needs_dist: bool = True):
        self.instance = instance
        self.dist = _dist_from(instance) if needs_dist else None
        dist = self.dist
        self.seed = check_seed(instance.get("seed", 0))
        self.n = check_count(instance.get("n", 100_000), "n", minimum=2)
        if dist is None:
            return
        self.p, self.k = int(dist.p), int(dist.k)
        w_star = instance.get("w_star")
        if w_star is None:
            w_star = _unit_axis(dist)
        self.w_star = np.asarray(w_star, dtype=float)
        if self.w_star.shape != (self.p,) or not np.all(np.isfinite(self.w_star)) or not np.any(self.w_star):
            raise InvalidArgument("w_star", f"must be a finite non-zero vector of length p={self.p}")
        self.norm_star = float(np.linalg.norm(self.w_star))
        self.u = self.w_star / self.norm_star
        from . import moments

        self.exact_kind = moments._exact_available(dist)
        self.symmetric = self._symmetric()
        method = instance.get("method")
        if method is None:
            from .quadrature import quadrature_available

            if self.exact_kind is not None:
                method = "exact"
            elif quadrature_available(dist) and self.symmetric:
                method = "quad"
            else:
                method = "mc"
        self.method = method
        self.key = _dist_key(dist)
        self.atoms = _support(dist)

    # -- facts about the law ------------------------------------------------
    def _symmetric(self) -> bool:
        from .quantities import _symmetric_about

        return bool(_symmetric_about(self.dist, self.u))

    @property
    def rotational(self) -> bool:
        """A radial k = 1 law with known E‖Z‖²: the closed forms of CLAIMS.md §6 apply."""
        return self.exact_kind == "rotational"

    @property
    def scale(self) -> float:
        """E‖Z‖²/p for a radial law (the factor on every N(0, I) closed form)."""
        from .moments import _rotational_scale

        return float(_rotational_scale(self.dist))

    def natural_scale(self) -> float:
        """A size of the moments, E‖Z_avg‖²/p-like, used as the margin's scale when a side is 0."""
        def compute():
            if self.rotational:
                return self.scale
            if self.atoms is not None:
                z = self.atoms
            else:
                z = np.asarray(self.dist.sample(4000, np.random.default_rng(12345)), dtype=float)
            return float(np.mean(np.sum(z**2, axis=-1)) / self.p) or 1.0
        return _cached(("scale", self.key), compute)

    def atoms_on_hyperplane(self, normal: np.ndarray) -> int:
        """How many patches of a finite law lie exactly on normal⊥ (0 for a law with a density)."""
        if self.atoms is None:
            return 0
        dots = self.atoms @ normal
        return int(np.count_nonzero(np.abs(dots) <= 1e-12 * np.linalg.norm(self.atoms, axis=-1) * np.linalg.norm(normal)))

    def describe(self) -> dict[str, Any]:
        out = {"distribution": _describe_dist(self.dist), "p": self.p, "k": self.k, "w_star": self.w_star,
               "method": self.method}
        if self.method in ("mc", "qmc"):
            out.update({"n": self.n, "seed": self.seed})
        return out

    # -- γ(φ), L(φ) -----------------------------------------------------------
    def gamma_L(self, phis: Sequence[float]) -> tuple[list[Term], list[Term]]:
        """γ(φ) and L(φ) at each φ (Definition 2.1 / Assumption 3.1), by the most exact route.

        Notes
        -----
        p = 2 without symmetry: the direction set is the two points v = ±v₀;
        both are evaluated here, explicitly, and the extremes taken.
        """
        phis = np.asarray(phis, dtype=float)
        if self.rotational and self.k == 1:
            from .quantities import exact_gaussian_constants

            s = self.scale
            g, L = [], []
            for phi in phis:
                c = exact_gaussian_constants(float(phi), s)
                g.append(Term(c["gamma"], 8 * _EPS * s, side="exact"))
                L.append(Term(c["L"], 8 * _EPS * s, side="exact"))
            return g, L
        key = ("gammaL", self.key, tuple(self.u), tuple(np.round(phis, 17)), self.method, self.n, self.seed)
        return _cached(key, lambda: self._gamma_L(phis))

    def _gamma_L(self, phis):
        from . import quantities as Q

        if self.p == 2 and not self.symmetric:
            plan = Q._plans(self.method, self.n, self.seed)[1]
            v0 = _orthonormal_complement(self.u)[0]
            lows = [Q._plane_values(self.dist, self.u, v, phis, "gamma", self.method, plan) for v in (v0, -v0)]
            highs = [Q._plane_values(self.dist, self.u, v, phis, "L", self.method, plan) for v in (v0, -v0)]
            g = [Term.of(min(a, b, key=lambda e: e.value)) for a, b in zip(*lows)]
            L = [Term.of(max(a, b, key=lambda e: e.value)) for a, b in zip(*highs)]
            return g, L
        if self.symmetric:
            curves = Q.curves(self.dist, phis, ("gamma", "L"), method=self.method, n=self.n, seed=self.seed,
                              w_star=self.w_star)
            return [Term.of(e) for e in curves["gamma"]], [Term.of(e) for e in curves["L"]]
        g = [Term.of(Q.gamma(self.dist, float(phi), method=self.method, n=self.n, seed=self.seed,
                             w_star=self.w_star)) for phi in phis]
        L = [Term.of(Q.L(self.dist, float(phi), method=self.method, n=self.n, seed=self.seed,
                         w_star=self.w_star)) for phi in phis]
        return g, L

    def finite_p2(self) -> bool:
        return self.atoms is not None and self.p == 2 and self.method == "exact"

    # -- β and L_cross ------------------------------------------------------------
    def beta(self) -> Term:
        """The tight β of Assumption 2.1 / 3.1."""
        if self.rotational and self.k == 1:
            return Term(self.scale / math.pi, 4 * _EPS * self.scale, side="exact")

        def compute():
            from . import quantities as Q

            if self.finite_p2():
                value, _ = finite_sup_ratio(self.dist, self.u, "beta")
                return Term(value, 64 * _EPS * max(abs(value), 1.0) * max(1, self.atoms.shape[0]), side="exact")
            return Term.of(Q.beta(self.dist, method=self.method, n=self.n, seed=self.seed, w_star=self.w_star))
        return _cached(("beta", self.key, tuple(self.u), self.method, self.n, self.seed), compute)

    def L_cross(self) -> Term:  # noqa: N802 - the paper's name
        """The tight L_cross of Assumption 3.2 (0 for one patch of a law with a density)."""
        if self.k == 1 and self.atoms is None:
            return Term(0.0, 0.0, side="exact")

        def compute():
            from . import quantities as Q

            if self.finite_p2():
                value, _ = finite_sup_ratio(self.dist, self.u, "cross")
                return Term(value, 64 * _EPS * max(abs(value), 1.0) * max(1, self.atoms.shape[0]), side="exact")
            return Term.of(Q.L_cross(self.dist, method=self.method, n=self.n, seed=self.seed, w_star=self.w_star))
        return _cached(("L_cross", self.key, tuple(self.u), self.method, self.n, self.seed), compute)

    # -- the population gradient --------------------------------------------------
    def gradient(self, w: np.ndarray, seed_offset: int = 1):
        """E∇ℓ(w) as (value, hard bound, standard error, dof, side, method) vectors."""
        w = np.asarray(w, dtype=float)
        if self.rotational and self.k == 1:
            return _radial_gradient(w, self.w_star, self.scale)
        if self.exact_kind == "degenerate":
            r = self.dist.rank
            value, bound = np.zeros(self.p), np.zeros(self.p)
            if np.any(w[:r]):
                v, b, *_ = _radial_gradient(w[:r], self.w_star[:r], 1.0) if np.any(self.w_star[:r]) else \
                    (0.5 * w[:r], 2 * _EPS * np.abs(w[:r]))
                value[:r], bound[:r] = v, b
            return value, bound, np.zeros(self.p), None, "exact", "exact"
        from .moments import population_gradient

        est = population_gradient(self.dist, w, self.w_star, method=self.method, n=self.n,
                                  seed=(self.seed or 0) + seed_offset)
        return _vector_parts(est)


def _radial_gradient(w: np.ndarray, w_star: np.ndarray, scale: float):
    """Tian's closed form (CLAIMS.md §6) times E‖Z‖²/p, with θ by atan2, and a rounding bound.

    E∇ℓ(w) = s[½(w − w*) + (θ·w* − (‖w*‖/‖w‖) sin θ · w)/(2π)].
    """
    ns, nw = float(np.linalg.norm(w_star)), float(np.linalg.norm(w))
    if nw == 0:
        # w = 0: every patch is active (w·Z = 0 ≥ 0) and f(0, Z) = 0, so E∇ℓ = −E[σ(w*·Z) Z] = −(s/2) w*.
        value = -0.5 * scale * w_star
        return value, 8 * _EPS * np.abs(value), np.zeros_like(w), None, "exact", "exact"
    theta = _angle(w, w_star / ns)
    d = w - w_star
    a = theta * w_star
    b = (ns / nw) * math.sin(theta) * w
    value = scale * (0.5 * d + (a - b) / (2 * math.pi))
    bound = 16 * _EPS * scale * (0.5 * np.abs(w) + 0.5 * np.abs(w_star) + (np.abs(a) + np.abs(b)) / (2 * math.pi))
    return value, bound, np.zeros_like(w), None, "exact", "exact"


# ---------------------------------------------------------------------------
# Exact sups for finite laws in p = 2
# ---------------------------------------------------------------------------

def _finite_pieces(dist: Any, u: np.ndarray, v: np.ndarray, regions: Sequence[str], upper: float) -> np.ndarray:
    """The sorted angles in (0, upper] at which some patch enters or leaves one of ``regions``.

    Computed with the same arithmetic as :func:`verify.moments.moment_curves`
    (ψ = atan2(z·v, z·u), the interval ends of ``_region_intervals``), so a grid
    point equal to an end is classified exactly as the moment engine does.
    """
    from .moments import _region_intervals

    atoms = _support(dist)
    psi = np.arctan2(atoms @ v, atoms @ u)
    ends = []
    for region in regions:
        lo, hi = _region_intervals(psi, region)
        ends.extend([lo[np.isfinite(lo)], hi[np.isfinite(hi)]])
    ends = np.concatenate(ends) if ends else np.zeros(0)
    ends = ends[(ends > 0) & (ends <= upper)]
    return np.unique(np.r_[ends, upper])


def finite_sup_ratio(dist: Any, u: np.ndarray, quantity: str, upper: float = math.pi / 2) -> tuple[float, float]:
    """Exact sup over θ ∈ (0, upper] of f(θ)/θ for a finite law in p = 2: the tight β or L_cross.

    Parameters
    ----------
    dist : finite law (``support()`` not None), p = 2
    u : ndarray (2,)
        Unit teacher direction.
    quantity : {"beta", "cross"}
        ``beta``: f = λ_max(E[Z_{S(w,−w*)} Z_{S(w,−w*)}ᵀ]) (Assumptions 2.1/3.1);
        ``cross``: f = the sum of the three largest singular values of
        Assumption 3.2.

    Returns
    -------
    (value, θ at which the sup is approached); value is ``inf`` when f > 0 on
    (0, ε) (a patch on the hyperplane u⊥).

    Notes
    -----
    For each of the two directions v = ±v₀ (the direction set in p = 2), the
    regions' memberships change only at finitely many angles (the ends of the
    intervals of :func:`verify.moments.moment_curves`), so f is constant on
    each open piece (a, b) between consecutive ends, and sup_{(a,b)} f/θ = f/a.
    f is evaluated (exactly: finite sums) at each piece's midpoint.  The
    isolated ends themselves, where a patch lies exactly on w⊥ and the closed
    regions of the paper overlap, are left out: this is the sup over θ off a
    finite set (at most one patch on w(θ)⊥ at a time is a tie of measure zero
    for any law with a density; the paper's remarks all read the regions so).
    """
    from .moments import moment_curves
    from .sampling import SamplingPlan

    if quantity == "beta":
        regions, pairs = ("opposite",), (("opposite", "opposite"),)
    elif quantity == "cross":
        regions = ("same", "opposite", "flipped")
        pairs = (("same", "opposite"), ("same", "flipped"), ("opposite", "flipped"))
    else:
        raise InvalidArgument("quantity", f"must be beta or cross, got {quantity!r}")
    if dist.p != 2 or _support(dist) is None:
        raise InvalidArgument("dist", "finite_sup_ratio needs a finite law in p = 2")
    u = np.asarray(u, float) / np.linalg.norm(u)
    v0 = np.array([-u[1], u[0]])
    best, arg = 0.0, math.nan
    for v in (v0, -v0):
        ends = _finite_pieces(dist, u, v, regions, upper)
        left = np.r_[0.0, ends[:-1]]
        mids = 0.5 * (left + ends)
        curves = moment_curves(dist, u, v, mids, pairs, SamplingPlan("exact", 1, None))
        total = np.zeros(mids.shape[0])
        for i, _ in enumerate(pairs):
            m = curves.sums.mean[i]
            if quantity == "beta":
                total += np.linalg.eigvalsh((m + np.swapaxes(m, -1, -2)) / 2)[:, -1]
            else:
                total += np.linalg.svd(m, compute_uv=False)[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(left > 0, total / np.where(left > 0, left, 1.0),
                             np.where(total > 1e-300, np.inf, 0.0))
        j = int(np.argmax(ratio))
        if ratio[j] > best:
            best, arg = float(ratio[j]), float(left[j])
    return best, arg


def finite_mu(dist: Any, u: np.ndarray, rho: float) -> float:
    """Exact smallest μ of Theorem 3.3 for a finite law: sup_{0<φ≤ρ} max_i P[band_i(φ)]/φ.

    For p = 2 the two bands [π/2 − φ, π/2 + φ] and −[π/2 − φ, π/2 + φ] of the
    signed angle of Z_i to w* are bounded separately (the theorem's two
    hypotheses); for p ≥ 3 the angle is unsigned and the bands coincide.
    P[band(φ)] is a right-continuous step function of φ, so F(φ)/φ peaks at the
    atoms' own distances d_j ≤ ρ: μ = max_j F(d_j)/d_j (``inf`` if some d_j = 0).
    """
    atoms = _support(dist)
    u = np.asarray(u, float) / np.linalg.norm(u)
    m = atoms.shape[0]
    norms = np.linalg.norm(atoms, axis=-1)
    best = 0.0
    if dist.p == 2:
        v0 = np.array([-u[1], u[0]])
        psi = np.arctan2(atoms @ v0, atoms @ u)  # (m, k), signed angle
        dists = [np.abs(psi - math.pi / 2), np.abs(psi + math.pi / 2)]
    else:
        cosang = np.clip((atoms @ u) / np.where(norms > 0, norms, 1.0), -1, 1)
        dists = [np.abs(np.arccos(cosang) - math.pi / 2)]
    for d in dists:
        for i in range(d.shape[1]):
            di = np.sort(d[:, i])
            di = di[di <= rho]
            if di.size == 0:
                continue
            if di[0] == 0:
                return math.inf
            counts = np.searchsorted(di, di, side="right") / m
            best = max(best, float(np.max(counts / di)))
    return best


# ---------------------------------------------------------------------------
# Helpers shared by the checks
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


def _vector(instance: dict, key: str, p: int) -> np.ndarray | None:
    x = instance.get(key)
    if x is None:
        return None
    arr = np.asarray(x, dtype=float)
    if arr.shape != (p,) or not np.all(np.isfinite(arr)):
        raise InvalidArgument(key, f"must be a finite vector of length p={p}, got shape {arr.shape}")
    return arr


def _default_w(ctx: _Context, ratio: float = 0.5) -> np.ndarray:
    """w* + ratio·‖w*‖·v with v a seeded uniform unit vector: a point inside the ball of Theorem 2.2."""
    rng = np.random.default_rng([ctx.seed or 0, 99])
    v = rng.standard_normal(ctx.p)
    v /= np.linalg.norm(v)
    return ctx.w_star + ratio * ctx.norm_star * v


def _margin_scale(value: float, natural: float) -> float:
    """|value| unless it is negligible against the natural size of the quantity."""
    return abs(value) if abs(value) >= 1e-3 * natural else natural


def _outside(claim_id: str, instance: dict, readings: Sequence[str], alpha: float, why: str,
             details: dict | None = None) -> CheckResult:
    """The result for an instance that does not satisfy the claim's hypotheses."""
    return CheckResult(claim=claim_id, verdict="inconclusive", lhs=None, rhs=None, margin=math.nan,
                       margin_error=math.nan, tightness=None, readings={r: "inconclusive" for r in readings},
                       instance=_jsonable(instance), counterexample=None, in_hypothesis=False, alpha=alpha,
                       note=f"outside the claim's hypotheses: {why}", details=_jsonable(details or {}))


def _public_instance(instance: dict, ctx: _Context | None = None, **extra: Any) -> dict:
    out = {k: v for k, v in instance.items() if k not in ("dist", "distribution", "data")}
    if ctx is not None and ctx.dist is not None:
        out.update(ctx.describe())
    out.update(extra)
    return _jsonable(out)


# ---------------------------------------------------------------------------
# 1. lemma-a1
# ---------------------------------------------------------------------------

def _draws(ctx: _Context, instance: dict) -> np.ndarray:
    """The finite law's atoms, or ``samples`` seeded draws of the law: shape (m, k, p)."""
    if ctx.atoms is not None:
        return ctx.atoms
    m = check_count(instance.get("samples", 2000), "samples")
    return np.asarray(ctx.dist.sample(m, np.random.default_rng([ctx.seed or 0, 1])), dtype=float)


def _check_lemma_a1(instance: dict, alpha: float) -> CheckResult:
    """Claim 1: per draw (a finite law's atoms, or ``samples`` seeded draws), ⟨∇ℓ(w, Z), w − w*⟩ against
    (w−w*)ᵀZZᵀ1{S(w,w*)}(w−w*) + (w−w*)ᵀZZᵀ1{S(w,−w*)}w, both terms ≥ 0; exact up to a rounding bound.
    Keys: dist/distribution, w_star, w, samples, seed.  Readings: the printed closed regions, and S(w,−w*)
    half-open (w*·Z < 0), which removes the double count of patches on w*⊥."""
    claim = REGISTRY["lemma-a1"]
    ctx = _Context(instance)
    if ctx.k != 1:
        return _outside(claim.id, _public_instance(instance, ctx), claim.readings, alpha,
                        "Lemma A.1 is the one-neuron identity (k = 1)")
    w = _vector(instance, "w", ctx.p)
    w = _default_w(ctx, 0.7) if w is None else w
    z = _draws(ctx, instance)[:, 0, :]
    d = w - ctx.w_star
    a, b, dz = z @ w, z @ ctx.w_star, z @ d
    act = a >= 0
    per_sample_grad_dot = (np.maximum(a, 0) - np.maximum(b, 0)) * act * dz   # ⟨∇ℓ(w, Z), w − w*⟩
    t1 = np.where(act & (b >= 0), dz * dz, 0.0)                              # (w−w*)ᵀ ZZᵀ 1{S(w,w*)} (w−w*)
    t2 = np.where(act & (b <= 0), dz * a, 0.0)                               # (w−w*)ᵀ ZZᵀ 1{S(w,−w*)} w
    t2_open = np.where(act & (b < 0), dz * a, 0.0)
    size = np.linalg.norm(z, axis=1) * (np.linalg.norm(w) + np.linalg.norm(ctx.w_star))
    bound = 8 * (ctx.p + 2) * _EPS * size**2
    scale = np.maximum(np.maximum(np.abs(per_sample_grad_dot), np.abs(t1) + np.abs(t2)), size**2 * 1e-3)
    scale = np.where(scale > 0, scale, 1.0)
    comparisons = []
    primary, half_open = claim.readings[0], claim.readings[1]
    for reading, second in ((primary, t2), (half_open, t2_open)):
        excess = (np.abs(per_sample_grad_dot - t1 - second) - bound) / scale
        i = int(np.argmax(excess))
        comparisons.append(compare("per-sample split ⟨∇ℓ, w−w*⟩ = term1 + term2", Term(per_sample_grad_dot[i], bound[i] / 2),
                                   Term(t1[i] + second[i], bound[i] / 2), "==", alpha=alpha, reading=reading,
                                   scale=scale[i]))
        j = int(np.argmin(second / scale))
        comparisons.append(compare("term2 = (w−w*)ᵀA_{w,−w*}w ≥ 0 per sample", Term(second[j], bound[j]), Term(0.0),
                                   ">=", alpha=alpha, reading=reading, scale=scale[j]))
    j = int(np.argmin(t1 / scale))
    comparisons.append(compare("term1 = (w−w*)ᵀA_{w,w*}(w−w*) ≥ 0 per sample", Term(t1[j], bound[j]), Term(0.0), ">=",
                               alpha=alpha, reading=primary, scale=scale[j]))
    on_plane = int(np.count_nonzero(act & (b == 0) & (a != 0)))
    details = {"samples": int(z.shape[0]), "samples_on_w_star_hyperplane_with_w_active": on_plane,
               "mean_identity": {"lhs": float(per_sample_grad_dot.mean()), "term1": float(t1.mean()),
                                 "term2": float(t2.mean())}}
    note = ""
    if on_plane:
        note = (f"{on_plane} sample(s) lie on w*⊥ with w·Z > 0: the closed regions S(w,w*) and S(w,−w*) both "
                "contain them, so the printed split counts them twice")
    inst = _public_instance(instance, ctx, w=w, samples=int(z.shape[0]))
    if ctx.atoms is not None and ctx.atoms.size <= MAX_INLINE_NUMBERS:
        inst["data"] = ctx.atoms[:, 0, :]
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, note=note, details=details)


# ---------------------------------------------------------------------------
# 2. def21-shape, 3. def21-rotinv-equal
# ---------------------------------------------------------------------------

def _check_def21_shape(instance: dict, alpha: float) -> CheckResult:
    """Claim 2 on a grid ``phis`` (0 and π added): monotonicity of γ and L, 0 ≤ γ ≤ L, γ(π) = L(π) = 0 and
    A_{w,−w*}(θ = 0) = 0 (the last three only for a law without mass on w*⊥).  Keys: dist, w_star, phis."""
    claim = REGISTRY["def21-shape"]
    ctx = _Context(instance)
    if ctx.k != 1:
        return _outside(claim.id, _public_instance(instance, ctx), claim.readings, alpha,
                        "Definition 2.1 is for one patch (k = 1)")
    phis = np.asarray(instance.get("phis", np.linspace(0.0, math.pi, 9)), dtype=float)
    phis = np.unique(np.r_[phis, 0.0, math.pi])
    g, L = ctx.gamma_L(phis)
    nat = ctx.natural_scale()
    reading = claim.readings[0]
    specs = []
    for j in range(len(phis) - 1):
        tag = f" @ φ={phis[j]:.4g}→{phis[j + 1]:.4g}"
        specs.append(_Spec("γ non-increasing" + tag, g[j + 1], g[j], "<=", reading, nat))
        specs.append(_Spec("L non-increasing" + tag, L[j + 1], L[j], "<=", reading, nat))
    for j, phi in enumerate(phis):
        specs.append(_Spec(f"γ ≥ 0 @ φ={phi:.4g}", g[j], 0.0, ">=", reading, nat))
        specs.append(_Spec(f"γ ≤ L @ φ={phi:.4g}", g[j], L[j], "<=", reading, nat))
    no_mass = ctx.atoms_on_hyperplane(ctx.u) == 0
    if ctx.exact_kind == "degenerate":
        no_mass = bool(np.any(ctx.u[: ctx.dist.rank]))
    notes = []
    if no_mass:
        specs.append(_Spec("γ(π) = 0", g[-1], 0.0, "==", reading, nat))
        specs.append(_Spec("L(π) = 0", L[-1], 0.0, "==", reading, nat))
        if ctx.atoms is not None:
            # w = w*: the region {w*·Z ≥ 0, w*·Z ≤ 0} is the hyperplane, which holds no patch here
            # (``moments.plane_of`` may return a tiny negative angle for w ∥ w*: computed directly).
            z = ctx.atoms[:, 0, :]
            dots = z @ ctx.u
            on = (dots >= 0) & (dots <= 0)
            value = (z[on].T @ z[on]) / z.shape[0]
            from types import SimpleNamespace
            opp = SimpleNamespace(value=value, error=np.zeros_like(value), error_kind="exact", dof=None,
                                  method="exact")
        else:
            from .moments import second_moment

            opp = second_moment(ctx.dist, ctx.u, ctx.u, "opposite", method=ctx.method, n=ctx.n,
                                seed=(ctx.seed or 0) + 3)
        lam = np.linalg.eigvalsh((opp.value + opp.value.T) / 2)
        err = float(np.linalg.norm(opp.error))
        kind = opp.error_kind
        term = Term(float(np.max(np.abs(lam))), err if kind != "standard-error" else 0.0,
                    err if kind == "standard-error" else 0.0, opp.dof, "estimate" if kind == "standard-error" else "exact",
                    opp.method)
        specs.append(_Spec("A_{w,−w*} = 0 at θ(w,w*) = 0 (‖·‖₂)", term, 0.0, "==", reading, nat))
    else:
        notes.append("the law puts mass on w*⊥, so γ(π) = L(π) = 0 and A_{w,−w*}(θ=0) = 0 are not claimed")
    comparisons = _group_worst(_compare_all(specs, alpha))
    details = {"phis": phis, "gamma": [t.value for t in g], "L": [t.value for t in L]}
    return _result(claim.id, _public_instance(instance, ctx, phis=phis), comparisons, claim.readings, alpha=alpha,
                   note="; ".join(notes), details=details)


def _check_def21_rotinv_equal(instance: dict, alpha: float) -> CheckResult:
    """Claim 3: γ(φ) = L(φ) at ``phi`` for a rotationally invariant law (closed forms)."""
    claim = REGISTRY["def21-rotinv-equal"]
    ctx = _Context(instance)
    if not (getattr(ctx.dist, "symmetry", None) == "rotational" and ctx.k == 1):
        return _outside(claim.id, _public_instance(instance, ctx), claim.readings, alpha,
                        "the remark is about rotationally invariant laws")
    phi = float(instance.get("phi", 1.0))
    if not (0.0 <= phi <= math.pi):
        raise InvalidArgument("phi", f"must lie in [0, π], got {phi}")
    g, L = ctx.gamma_L([phi])
    nat = ctx.natural_scale()
    spec = _Spec("γ(φ) = L(φ)", g[0], L[0], "==", claim.readings[0], _margin_scale(L[0].value, nat))
    comparisons = _compare_all([spec], alpha)
    ratio = g[0].value / L[0].value if L[0].value > 0 else math.nan
    return _result(claim.id, _public_instance(instance, ctx, phi=phi), comparisons, claim.readings, alpha=alpha,
                   details={"gamma": g[0].value, "L": L[0].value, "gamma_over_L": ratio,
                            "closed_form": "γ = s(π−φ−sin φ)/(2π), L = s(π−φ+sin φ)/(2π), s = E‖Z‖²/p"})


# ---------------------------------------------------------------------------
# 4. thm21-recovery
# ---------------------------------------------------------------------------

def _radial_gradient_rows(W: np.ndarray, w_star: np.ndarray, scale: float) -> np.ndarray:
    ns = np.linalg.norm(w_star)
    u = w_star / ns
    along = W @ u
    perp = np.linalg.norm(W - along[:, None] * u, axis=1)
    theta = np.arctan2(perp, along)
    nw = np.linalg.norm(W, axis=1)
    ratio = np.where(nw > 0, ns / np.where(nw > 0, nw, 1.0), 0.0)
    return scale * (0.5 * (W - w_star) + (theta[:, None] * w_star - (ratio * np.sin(theta))[:, None] * W)
                    / (2 * math.pi))


def _degenerate_gd(ctx: _Context, W: np.ndarray, eta: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact population GD for the degenerate Gaussian: the closed form on the support, 0 off it."""
    r = ctx.dist.rank
    W = W.copy()
    for _ in range(steps):
        G = np.zeros_like(W)
        G[:, :r] = _radial_gradient_rows(W[:, :r], ctx.w_star[:r], 1.0) if np.any(ctx.w_star[:r]) else 0.5 * W[:, :r]
        W -= eta * G
    G = np.zeros_like(W)
    G[:, :r] = _radial_gradient_rows(W[:, :r], ctx.w_star[:r], 1.0) if np.any(ctx.w_star[:r]) else 0.5 * W[:, :r]
    return W, G


def _check_thm21_recovery(instance: dict, alpha: float) -> CheckResult:
    """Claim 4: population GD from ``starts`` seeded starts with ℓ(w0) < ℓ(0) (or ``w0``), ``steps`` steps of
    size ``eta`` (default 1/λ_max(E ZZᵀ)).  A start holds when ‖w_T − w*‖ ≤ ``reach``·‖w*‖, refutes only when
    GD is stationary away from w* on a law satisfying the hypothesis; the degenerate law's stall is
    reported with its predicted distance."""
    from . import dynamics
    from .moments import loss as population_loss

    claim = REGISTRY["thm21-recovery"]
    ctx = _Context(instance)
    if ctx.k != 1:
        return _outside(claim.id, _public_instance(instance, ctx), claim.readings, alpha,
                        "Theorem 2.1 is about one neuron (k = 1)")
    R = check_count(instance.get("starts", 12), "starts")
    T = check_count(instance.get("steps", 3000), "steps")
    reach = float(instance.get("reach", 1e-6))
    rng = np.random.default_rng([ctx.seed or 0, 4])
    W0 = instance.get("w0")
    degenerate = ctx.exact_kind == "degenerate"
    if ctx.rotational:
        mode, hyp, how = "exact", True, "population GD, closed-form gradient"
    elif degenerate:
        mode, hyp, how = "degenerate", False, "population GD, closed-form gradient on the support"
    elif ctx.atoms is not None:
        mode, hyp, how = "support", False, "GD on a finite law (exact sums)"
    else:
        mode, hyp, how = "sample", None, "GD on a fixed sample of the law (approximates the population)"
    if W0 is None:
        # uniform directions, norms uniform in [0, 2·spread·‖w*‖]: many of them have ℓ(w0) < ℓ(0) in any p
        dirs = rng.standard_normal((16 * R, ctx.p))
        dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
        cand = dirs * ctx.norm_star * 2 * float(instance.get("spread", 1.0)) * rng.random((16 * R, 1))
    else:
        cand = np.atleast_2d(np.asarray(W0, dtype=float))
    npop = check_count(instance.get("n_population", 20_000), "n_population")
    if degenerate:
        losses = np.array([population_loss(ctx.dist, w, ctx.w_star, method="exact").value for w in cand])
        loss0 = 0.25 * float(np.sum(ctx.w_star[: ctx.dist.rank] ** 2))   # ℓ(0) = ½E σ(w*·Z)² = ‖w*_S‖²/4
    else:
        probe = dynamics.gradient_descent(ctx.dist, ctx.w_star, np.vstack([cand, np.zeros(ctx.p)]), 0, 1.0,
                                          population=mode, n_population=npop, seed=ctx.seed)
        losses, loss0 = probe.loss[:-1, 0], float(probe.loss[-1, 0])
    keep = np.flatnonzero(losses < loss0)[:R]
    if keep.size == 0:
        return _outside(claim.id, _public_instance(instance, ctx), claim.readings, alpha,
                        "no start with ℓ(w0) < ℓ(0) among the candidates")
    W = cand[keep]
    eta = instance.get("eta")
    if eta is None:
        if ctx.rotational:
            lam = ctx.scale
        else:
            z = _draws(ctx, {"samples": 4000})[:, 0, :]
            lam = float(np.linalg.eigvalsh(z.T @ z / z.shape[0])[-1])
        eta = 1.0 / lam
    eta = float(eta)
    if degenerate:
        final, G = _degenerate_gd(ctx, W, eta, T)
    else:
        tr = dynamics.gradient_descent(ctx.dist, ctx.w_star, W, T, eta, population=mode, n_population=npop,
                                       seed=ctx.seed, record_every=T)
        final = tr.final_weights
        nxt = dynamics.gradient_descent(ctx.dist, ctx.w_star, final, 1, eta, population=mode, n_population=npop,
                                        seed=ctx.seed, record_every=1)
        G = (final - nxt.final_weights) / eta
    rel = np.linalg.norm(final - ctx.w_star, axis=1) / ctx.norm_star
    gnorm = np.linalg.norm(G, axis=1) / (ctx.natural_scale() * ctx.norm_star)
    comparisons = []
    reading = claim.readings[0]
    for i in range(W.shape[0]):
        lhs, rhs = Term(float(rel[i]), 0.0, side="exact", method="gd"), Term(reach)
        margin = (reach - rel[i]) / reach
        if rel[i] <= reach:
            verdict, why = "holds", ""
        elif gnorm[i] <= 1e-9 and rel[i] > 1e-3:
            verdict, why = "refuted", f"stationary (‖E∇ℓ‖ = {gnorm[i]:.2g}·scale) at ‖w−w*‖/‖w*‖ = {rel[i]:.3g}"
        else:
            verdict, why = "inconclusive", f"not converged in {T} steps (‖E∇ℓ‖/scale = {gnorm[i]:.2g})"
        comparisons.append(Comparison(f"GD reaches w* (‖w_T−w*‖/‖w*‖ ≤ {reach:g}) @ start {i}", reading, "<=",
                                      lhs, rhs, float(margin), 0.0, 0.0, verdict, why, alpha))
    details = {"how": how, "eta": eta, "steps": T, "starts": W, "final_relative_distance": rel,
               "final_gradient_norm_over_scale": gnorm}
    note = how
    if degenerate:
        r = ctx.dist.rank
        predicted = np.linalg.norm((W - ctx.w_star)[:, r:], axis=1) / ctx.norm_star
        details["predicted_stall_distance"] = predicted
        details["stall"] = (f"the gradient has no component off the support (coordinates {r + 1}…{ctx.p}), so "
                            "w keeps its initial off-support part: GD stalls at relative distance "
                            "‖(w0 − w*)_⊥‖/‖w*‖")
        note = ("degenerate law (support of rank < p): Theorem 2.1's hypothesis E[ZZᵀ1{S}] ≻ 0 fails; "
                f"GD stalls at relative distances {np.round(rel, 6).tolist()} (predicted "
                f"{np.round(predicted, 6).tolist()})")
    elif mode == "support":
        note += "; a finite law violates E[ZZᵀ1{S(w1,w2)}] ≻ 0 near θ = π, so it is outside the hypothesis"
    return _result(claim.id, _public_instance(instance, ctx, eta=eta, steps=T), _group_worst(comparisons),
                   claim.readings, alpha=alpha, in_hypothesis=hyp, note=note, details=details)


# ---------------------------------------------------------------------------
# 5. thm22-angle, 6. thm22-gradient-bounds
# ---------------------------------------------------------------------------

def _teacher_and_student(instance: dict, p: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    w_star = instance.get("w_star")
    if w_star is None:
        p = int(instance.get("p", p or 3))
        w_star = np.eye(p)[0]
    w_star = np.asarray(w_star, dtype=float)
    if w_star.ndim != 1 or not np.all(np.isfinite(w_star)) or not np.any(w_star):
        raise InvalidArgument("w_star", "must be a finite non-zero vector")
    w = instance.get("w")
    if w is None:
        rng = np.random.default_rng([int(instance.get("seed", 0) or 0), 99])
        v = rng.standard_normal(w_star.shape[0])
        w = w_star + 0.9 * np.linalg.norm(w_star) * v / np.linalg.norm(v)
    return w_star, _vector({"w": w}, "w", w_star.shape[0])


def _check_thm22_angle(instance: dict, alpha: float) -> CheckResult:
    """Claim 5: θ(w, w*) ≤ arcsin(‖w − w*‖/‖w*‖) in floating point.  Keys: w_star, w (or p)."""
    claim = REGISTRY["thm22-angle"]
    w_star, w = _teacher_and_student(instance)
    ns = float(np.linalg.norm(w_star))
    r = float(np.linalg.norm(w - w_star))
    inst = _jsonable({**{k: v for k, v in instance.items() if k not in ("dist", "distribution")},
                      "w_star": w_star, "w": w})
    if not r < ns:
        return _outside(claim.id, inst, claim.readings, alpha, "needs ‖w − w*‖ < ‖w*‖")
    theta = _angle(w, w_star / ns)
    x = r / ns
    rhs = math.asin(x)
    rhs_err = 8 * _EPS * (1.0 + 1.0 / math.sqrt(max(1e-300, (1 - x) * (1 + x))))
    comparisons = _compare_all([_Spec("θ(w, w*) ≤ arcsin(‖w−w*‖/‖w*‖)", Term(theta, 16 * _EPS),
                                      Term(rhs, rhs_err), "<=", claim.readings[0], max(rhs, 1e-300))], alpha)
    tight = theta / rhs if rhs > 0 else None
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=tight,
                   details={"theta": theta, "arcsin": rhs, "relative_distance": x,
                            "equality_when": "w − w* ⟂ w (the segment from w* is tangent to the cone)"})


def _gradient_bound_specs(ctx: _Context, w: np.ndarray, readings: Sequence[str], general_k: bool):
    """Specs of the two gradient bounds of Theorems 2.2 (k = 1) / 3.1 (general k) at w."""
    d = w - ctx.w_star
    r = float(np.linalg.norm(d))
    theta = _angle(w, ctx.u)
    g_vec = ctx.gradient(w)
    g, L = ctx.gamma_L([theta])
    beta = ctx.beta()
    nat = ctx.natural_scale()
    inner, norm = _inner(g_vec, d), _norm(g_vec)
    primary = readings[0]
    specs = []
    betas = [(primary, beta)]
    if not general_k:
        dist = ctx.dist
        if ctx.rotational and getattr(dist, "second_radial_moment", None) == 1.0 and getattr(dist, "name", "") == "sphere":
            betas.append(("β = 1 (Theorem A.1)", Term(1.0)))
        if type(dist) is Gaussian:
            betas.append(("β = p (Theorem A.2)", Term(float(ctx.p))))
    if general_k:
        Lc = ctx.L_cross()
        low = (g[0] - 6 * Lc) * (r * r)
        up_coef = L[0] + 10 * Lc + 4 * beta
        specs.append(_Spec("⟨E∇ℓ, w−w*⟩ ≥ (γ(θ) − 6L_cross)‖w−w*‖²", inner, low, ">=", primary,
                           _margin_scale(low.value, nat * r * r)))
        up = up_coef * r
        specs.append(_Spec("‖E∇ℓ‖ ≤ (L(θ) + 10L_cross + 4β)‖w−w*‖", norm, up, "<=", primary,
                           _margin_scale(up.value, nat * r)))
        extra = {"L_cross": Lc.value}
    else:
        low = g[0] * (r * r)
        specs.append(_Spec("⟨E∇ℓ, w−w*⟩ ≥ γ(θ)‖w−w*‖²", inner, low, ">=", primary,
                           _margin_scale(low.value, nat * r * r)))
        for reading, b in betas:
            up = (L[0] + 4 * b) * r
            specs.append(_Spec("‖E∇ℓ‖ ≤ (L(θ) + 4β)‖w−w*‖", norm, up, "<=", reading, _margin_scale(up.value, nat * r)))
        extra = {}
    tight = []
    if inner.value > 0 and specs[0].rhs.value > 0:
        tight.append(specs[0].rhs.value / inner.value)
    if specs[1].rhs.value > 0:
        tight.append(norm.value / specs[1].rhs.value)
    details = {"theta": theta, "distance": r, "gamma": g[0].value, "L": L[0].value, "beta": beta.value,
               "inner": inner.value, "gradient_norm": norm.value, **extra}
    return specs, (max(tight) if tight else None), details


def _check_thm22_gradient_bounds(instance: dict, alpha: float) -> CheckResult:
    """Claim 6 at ``w``: both gradient bounds with γ(θ), L(θ) and the tight β of the law (readings with
    β = 1 for the sphere, β = p for N(0, I))."""
    claim = REGISTRY["thm22-gradient-bounds"]
    ctx = _Context(instance)
    w = _vector(instance, "w", ctx.p)
    w = _default_w(ctx, 0.5) if w is None else w
    inst = _public_instance(instance, ctx, w=w)
    if ctx.k != 1:
        return _outside(claim.id, inst, claim.readings, alpha, "Theorem 2.2 is about one neuron (k = 1); see "
                                                               "thm31-gradient-bounds")
    if not np.linalg.norm(w - ctx.w_star) < ctx.norm_star:
        return _outside(claim.id, inst, claim.readings, alpha, "needs ‖w − w*‖ < ‖w*‖")
    specs, tight, details = _gradient_bound_specs(ctx, w, claim.readings, general_k=False)
    return _result(claim.id, inst, _compare_all(specs, alpha), claim.readings, alpha=alpha, tightness=tight,
                   details=details)


# ---------------------------------------------------------------------------
# 7. thm22-contraction, 12. thm31-contraction
# ---------------------------------------------------------------------------

def _step_grid(ctx: _Context, phi_t: float) -> tuple[np.ndarray, bool]:
    """Angles on which min_{0≤φ≤φ_t} of the step-size ratio is taken, and whether that min is exact.

    Finite law in p = 2: every end of the "same" region's pieces in [0, φ_t]
    and every piece's midpoint (the ratio is piecewise constant): exact.
    Radial law: a fine grid; exact when the ratio is monotone on it (checked by
    the caller).  Otherwise a grid: its minimum may overstate the true one.
    """
    if ctx.finite_p2():
        v0 = _orthonormal_complement(ctx.u)[0]
        ends = np.concatenate([_finite_pieces(ctx.dist, ctx.u, v, ("same",), max(phi_t, 1e-300)) for v in (v0, -v0)])
        ends = np.unique(np.r_[0.0, ends[ends <= phi_t], phi_t])
        mids = 0.5 * (ends[:-1] + ends[1:])
        return np.unique(np.r_[ends, mids]), True
    if ctx.rotational and ctx.k == 1:
        return np.linspace(0.0, phi_t, 257), True
    return np.linspace(0.0, phi_t, int(ctx.instance.get("step_grid", 13))), False


def _step_ratio(ctx: _Context, grid: np.ndarray, general_k: bool, gamma_at_zero: bool = False):
    """The step-size bound at each grid angle: γ(φ)/(2(L(φ)+4β)²) or its general-k version, as Terms."""
    g, L = ctx.gamma_L(grid)
    beta = ctx.beta()
    Lc = ctx.L_cross() if general_k else Term(0.0)
    out = []
    num0 = g[0] if gamma_at_zero else None
    for gi, Li in zip(g, L):
        num = (num0 if gamma_at_zero else gi) - 6 * Lc
        den = Li + 10 * Lc + 4 * beta if general_k else Li + 4 * beta
        if den.value == 0:
            out.append(math.inf if num.value > 0 else -math.inf)
        else:
            out.append(num.value / (2 * den.value**2))
    return np.array(out), g, L, beta, Lc


def _contraction(claim: "Claim", instance: dict, alpha: float, general_k: bool) -> CheckResult:
    ctx = _Context(instance)
    w = _vector(instance, "w", ctx.p)
    w = _default_w(ctx, float(instance.get("ratio", 0.5))) if w is None else w
    inst = _public_instance(instance, ctx, w=w)
    if not general_k and ctx.k != 1:
        return _outside(claim.id, inst, claim.readings, alpha, "Theorem 2.2 is about one neuron; see thm31-contraction")
    d = w - ctx.w_star
    r = float(np.linalg.norm(d))
    if not r < ctx.norm_star:
        return _outside(claim.id, inst, claim.readings, alpha, "needs ‖w_t − w*‖ < ‖w*‖")
    phi_t = math.asin(r / ctx.norm_star)
    grid, exact_min = _step_grid(ctx, phi_t)
    ratio, g, L, beta, Lc = _step_ratio(ctx, grid, general_k)
    if ctx.rotational and ctx.k == 1:
        exact_min = bool(np.all(np.diff(ratio) <= 1e-15 * np.abs(ratio[:-1])))
    eta_max = float(np.min(ratio))
    gamma_t = ctx.gamma_L([phi_t])[0][0]
    fraction = float(instance.get("eta_fraction", 1.0))
    eta = float(instance.get("eta", fraction * eta_max))
    hyp: bool | None = True
    notes = []
    sides = {t.side for t in (*g, *L, beta, Lc)}
    if not exact_min or sides - {"exact"}:
        hyp = None
        notes.append("η_max from estimates or a grid may exceed the allowed step: a violation would not refute")
    if general_k and not gamma_t.value - 6 * Lc.value > 0:
        hyp = False
        notes.append(f"γ(φ_t) = {gamma_t.value:.4g} ≤ 6L_cross = {6 * Lc.value:.4g}")
    if not (0 < eta_max < math.inf) or not (0 < eta < math.inf):
        return _outside(claim.id, inst, claim.readings, alpha, f"no positive step allowed (η_max = {eta_max:.4g})",
                        {"eta_max": eta_max, "L_cross": Lc.value, "gamma_t": gamma_t.value})
    if hyp is True and eta > eta_max * (1 + 1e-12):
        hyp = False
        notes.append(f"η = {eta:.4g} exceeds η_max = {eta_max:.4g}")
    g_vec = ctx.gradient(w)
    after = _step_distance_sq(g_vec, d, eta)
    r2 = r * r
    nat = r2
    specs = []
    curv = gamma_t - 6 * Lc if general_k else gamma_t
    factors = dict(zip(claim.readings, _CONTRACTION_FACTORS[claim.id]))
    for reading, c in factors.items():
        if c is None:
            continue
        rhs = r2 + (-c * eta * r2) * curv
        specs.append(_Spec(f"‖w_{{t+1}}−w*‖² ≤ (1 − {c:g}·η·{'(γ(φ_t)−6L_cross)' if general_k else 'γ(φ_t)'})‖w_t−w*‖²",
                           after, rhs, "<=", reading, nat))
    details = {"phi_t": phi_t, "eta": eta, "eta_max": eta_max, "eta_max_exact": exact_min, "gamma_t": gamma_t.value,
               "beta": beta.value, "L_cross": Lc.value, "distance_sq_before": r2, "distance_sq_after": after.value}
    if general_k:
        # The printed step size: γ(0) in the numerator (a larger step).
        ratio0, *_ = _step_ratio(ctx, grid, general_k, gamma_at_zero=True)
        eta0 = fraction * float(np.min(ratio0))
        if eta0 > 0:
            after0 = _step_distance_sq(ctx.gradient(w), d, eta0)
            rhs0 = r2 + (-0.5 * eta0 * r2) * curv
            specs.append(_Spec("‖w_{t+1}−w*‖² ≤ (1 − η(γ(φ_t)−6L_cross)/2)‖w_t−w*‖² with η from γ(0)",
                               after0, rhs0, "<=", claim.readings[-1], nat))
            details["eta_printed_gamma0"] = eta0
    comparisons = _compare_all(specs, alpha)
    decrease = r2 - after.value
    claimed = 0.5 * eta * curv.value * r2
    tight = claimed / decrease if decrease > 0 and claimed > 0 else None
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=tight, in_hypothesis=hyp,
                   note="; ".join(notes), details=details)


#: The contraction factor c in (1 − c·η·γ) of each reading (None: handled apart).
_CONTRACTION_FACTORS = {"thm22-contraction": (0.5, 1.0, 1.5), "thm31-contraction": (0.5, None)}


def _check_thm22_contraction(instance: dict, alpha: float) -> CheckResult:
    """Claim 7: one population GD step from ``w`` (default at ``ratio``·‖w*‖) with η = ``eta`` or
    ``eta_fraction``·η_max; readings with the factors 1/2, 1 (printed) and 3/2."""
    return _contraction(REGISTRY["thm22-contraction"], instance, alpha, general_k=False)


def _check_thm31_contraction(instance: dict, alpha: float) -> CheckResult:
    """Claim 12: as claim 7 with the general-k constants; reading with the printed γ(0) numerator."""
    return _contraction(REGISTRY["thm31-contraction"], instance, alpha, general_k=True)


# ---------------------------------------------------------------------------
# 8. thm22-complexity
# ---------------------------------------------------------------------------

def _first_below(trajectory, level: float) -> int | None:
    rel = trajectory.distance[0]
    hit = np.flatnonzero(rel <= level)
    return int(trajectory.steps[hit[0]]) if hit.size else None


def _check_thm22_complexity(instance: dict, alpha: float) -> CheckResult:
    """Claim 8: iterations of exact population GD to ‖w_t − w*‖ ≤ ``epsilon``‖w*‖ from ``w0`` (default at
    ``ratio``), with the constant step, the adaptive step and a two-stage step."""
    from . import dynamics

    claim = REGISTRY["thm22-complexity"]
    ctx = _Context(instance)
    ratio0 = float(instance.get("ratio", 0.9))
    w0 = _vector(instance, "w0", ctx.p)
    w0 = _default_w(ctx, ratio0) if w0 is None else w0
    inst = _public_instance(instance, ctx, w0=w0)
    if not (ctx.rotational and ctx.k == 1):
        return _outside(claim.id, inst, claim.readings, alpha,
                        "measured on laws with closed-form γ(φ), L(φ) (N(0, I), the sphere), where the adaptive "
                        "step can be evaluated at every iterate")
    eps = float(instance.get("epsilon", 1e-3))
    r0 = float(np.linalg.norm(w0 - ctx.w_star))
    if not r0 < ctx.norm_star:
        return _outside(claim.id, inst, claim.readings, alpha, "needs ‖w0 − w*‖ < ‖w*‖")
    from .quantities import exact_gaussian_constants

    s = ctx.scale
    phi0 = math.asin(r0 / ctx.norm_star)
    c0, cz = exact_gaussian_constants(phi0, s), exact_gaussian_constants(0.0, s)
    beta = s / math.pi
    gamma0, L0 = c0["gamma"], cz["L"]
    eta = gamma0 / (2 * (L0 + 4 * beta) ** 2)
    q = 1 - eta * gamma0 / 2
    target = eps * ctx.norm_star
    T_bound = max(0, math.ceil(math.log(target**2 / r0**2) / math.log(q))) if r0 > target else 0
    cap = int(instance.get("max_steps", 400_000))
    horizon = min(T_bound + 1, cap)

    def gam(phi):
        phi = np.asarray(phi, float)
        return s * (math.pi - phi - np.sin(phi)) / (2 * math.pi)

    def ell(phi):
        phi = np.asarray(phi, float)
        return s * (math.pi - phi + np.sin(phi)) / (2 * math.pi)

    const = dynamics.gradient_descent(ctx.dist, ctx.w_star, w0, horizon, eta, population="exact")
    T_const = _first_below(const, target)
    adaptive = dynamics.gradient_descent(ctx.dist, ctx.w_star, w0, horizon, dynamics.theorem22_step(gam, ell, beta),
                                         population="exact")
    T_adapt = _first_below(adaptive, target)
    half = _first_below(const, r0 / 2)
    T_two = None
    if half is not None:
        phi_s = math.asin(r0 / (2 * ctx.norm_star))
        eta2 = float(gam(phi_s) / (2 * (ell(phi_s) + 4 * beta) ** 2))
        two = dynamics.gradient_descent(ctx.dist, ctx.w_star, w0, horizon, dynamics.TwoStageStep(eta, eta2, half),
                                        population="exact")
        T_two = _first_below(two, target)
    log_term = math.log(1 / eps)
    unit = (L0 + beta) ** 2 / gamma0**2 * log_term
    C = None if T_const is None else T_const / unit
    primary = claim.readings[0]
    comps = []
    lhs = Term(float(T_const if T_const is not None else horizon), side="exact", method="gd")
    comps.append(compare(f"T(ε={eps:g}) ≤ ⌈ln(ε²‖w*‖²/r0²)/ln(1 − ηγ(φ0)/2)⌉ = {T_bound}", lhs, Term(float(T_bound)),
                         "<=", alpha=alpha, reading=primary, scale=max(T_bound, 1)))
    if T_const is not None:
        comps.append(compare("measured O-constant T·γ(φ0)²/((L(0)+β)² ln(1/ε)) ≤ 128 (the proof's)", Term(C),
                             Term(128.0), "<=", alpha=alpha, reading=claim.readings[1]))
    if T_const is not None and T_adapt is not None:
        comps.append(compare("adaptive η_t = γ(φ_t)/(2(L(φ_t)+4β)²) needs no more steps", Term(float(T_adapt)),
                             Term(float(T_const)), "<=", alpha=alpha, reading=claim.readings[2]))
    if T_const is not None and T_two is not None:
        comps.append(compare("two-stage step (switch when the distance halves) needs no more steps", Term(float(T_two)),
                             Term(float(T_const)), "<=", alpha=alpha, reading=claim.readings[3]))
    details = {"epsilon": eps, "phi0": phi0, "eta": eta, "gamma_phi0": gamma0, "L0": L0, "beta": beta,
               "T_constant": T_const, "T_bound": T_bound, "T_adaptive": T_adapt, "T_two_stage": T_two,
               "switch_step": half, "constant_measured": C,
               "constant_adaptive": None if T_adapt is None else T_adapt / unit,
               "speedup_adaptive": None if not (T_const and T_adapt) else T_const / T_adapt,
               "speedup_two_stage": None if not (T_const and T_two) else T_const / T_two}
    tight = None if T_const is None or T_bound == 0 else T_const / T_bound
    note = "" if T_const is not None else f"did not reach ε within {horizon} steps"
    return _result(claim.id, inst, comps, claim.readings, alpha=alpha, tightness=tight, details=details, note=note)


# ---------------------------------------------------------------------------
# 9. thm-a1-beta-rotinv, 10. thm-a2-beta-gaussian
# ---------------------------------------------------------------------------

def _beta_grid_specs(ctx: _Context, beta_claimed: float, reading: str) -> list[_Spec]:
    """L_{−w*}(φ) ≤ β·φ on a geometric grid of (0, π/2] (closed form s(φ + sin φ)/(2π) for radial laws)."""
    s = ctx.scale
    specs = []
    for phi in np.geomspace(1e-4, math.pi / 2, 25):
        val = s * (phi + math.sin(phi)) / (2 * math.pi)
        specs.append(_Spec(f"L_{{−w*}}(φ) ≤ {beta_claimed:g}·φ @ φ={phi:.3g}", Term(val, 8 * _EPS * s),
                           Term(beta_claimed * phi), "<=", reading))
    return specs


def _check_thm_a1(instance: dict, alpha: float) -> CheckResult:
    """Claim 9: β = 1 for the uniform sphere in dimension ``p`` (tight β = 1/(πp))."""
    claim = REGISTRY["thm-a1-beta-rotinv"]
    if instance.get("dist") is None and "distribution" not in instance:
        instance = {**instance, "distribution": {"name": "sphere", "p": int(instance.get("p", 3))}}
    ctx = _Context(instance)
    inst = _public_instance(instance, ctx)
    unit = getattr(ctx.dist, "second_radial_moment", None) == 1.0 and getattr(ctx.dist, "name", "") == "sphere"
    if not (ctx.rotational and unit):
        return _outside(claim.id, inst, claim.readings, alpha, "Theorem A.1 is about unit-norm rotationally "
                                                               "invariant laws (the uniform sphere)")
    beta = ctx.beta()
    specs = [_Spec("tight β ≤ 1", beta, Term(1.0), "<=", claim.readings[0])]
    specs += _beta_grid_specs(ctx, 1.0, claim.readings[0])
    comparisons = _group_worst(_compare_all(specs, alpha))
    details = {"beta_tight": beta.value, "beta_tight_closed_form": "1/(πp)", "slack_factor": 1.0 / beta.value,
               "proof_note": ("the proof's eigenvalue (φ + sin φ)/2 integrates cos²θ over the arc without the "
                              "density of the angle (1/(2π) in p = 2) and without E[(Z·e)²] = 1/p; with them "
                              "L_{−w*}(φ) = (φ + sin φ)/(2πp) and the tight β is 1/(πp)")}
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=beta.value / 1.0,
                   details=details)


def _check_thm_a2(instance: dict, alpha: float) -> CheckResult:
    """Claim 10: β ≤ p for N(0, I_p) (tight β = 1/π); reading "β = p is tight"."""
    claim = REGISTRY["thm-a2-beta-gaussian"]
    if instance.get("dist") is None and "distribution" not in instance:
        instance = {**instance, "distribution": {"name": "gaussian", "p": int(instance.get("p", 3))}}
    ctx = _Context(instance)
    inst = _public_instance(instance, ctx)
    if type(ctx.dist) is not Gaussian:
        return _outside(claim.id, inst, claim.readings, alpha, "Theorem A.2 is about Z ~ N(0, I_p)")
    beta = ctx.beta()
    p = float(ctx.p)
    specs = [_Spec("tight β ≤ p", beta, Term(p), "<=", claim.readings[0])]
    specs += _beta_grid_specs(ctx, p, claim.readings[0])
    specs.append(_Spec("tight β = p", beta, Term(p), "==", claim.readings[1]))
    comparisons = _group_worst(_compare_all(specs, alpha))
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=beta.value / p,
                   details={"beta_tight": beta.value, "beta_tight_closed_form": "1/π (independent of p)",
                            "slack_factor": p / beta.value})


# ---------------------------------------------------------------------------
# 11. thm31-gradient-bounds
# ---------------------------------------------------------------------------

def _check_thm31_gradient_bounds(instance: dict, alpha: float) -> CheckResult:
    """Claim 11 at ``w``: the general-k gradient bounds with γ(θ), L(θ), β, L_cross of the law."""
    claim = REGISTRY["thm31-gradient-bounds"]
    ctx = _Context(instance)
    w = _vector(instance, "w", ctx.p)
    w = _default_w(ctx, 0.5) if w is None else w
    inst = _public_instance(instance, ctx, w=w)
    if not np.linalg.norm(w - ctx.w_star) < ctx.norm_star:
        return _outside(claim.id, inst, claim.readings, alpha, "needs ‖w − w*‖ < ‖w*‖")
    specs, tight, details = _gradient_bound_specs(ctx, w, claim.readings, general_k=True)
    return _result(claim.id, inst, _compare_all(specs, alpha), claim.readings, alpha=alpha, tightness=tight,
                   details=details)


# ---------------------------------------------------------------------------
# 13. asm32-identical-patches
# ---------------------------------------------------------------------------

def _check_asm32(instance: dict, alpha: float) -> CheckResult:
    """Claim 13: k = ``k`` identical copies of each draw of the law (or of its atoms).  Per draw the cross
    products are ZZᵀ1{Z ∈ R1 ∩ R2} ⪰ 0, so their mean vanishes iff every one does; checked at ``w`` and
    8 seeded w, and (p = 2) the exact sup L_cross = 0."""
    claim = REGISTRY["asm32-identical-patches"]
    base = _Context(instance)
    k = check_count(instance.get("k", 3), "k", minimum=2)
    z = _draws(base, instance)
    if base.k != 1:
        z = z[:, :1, :]
    atoms = np.repeat(z, k, axis=1)                      # Z_1 = … = Z_k
    law = Empirical(atoms)
    ctx = _Context({**{kk: v for kk, v in instance.items() if kk not in ("distribution", "data")}, "dist": law,
                    "w_star": base.w_star, "method": "exact"})
    w = _vector(instance, "w", ctx.p)
    w = _default_w(ctx, 0.6) if w is None else w
    inst = _public_instance(instance, base, w=w, k=k, patches=int(atoms.shape[0]))
    if ctx.atoms_on_hyperplane(ctx.u):
        return _outside(claim.id, inst, claim.readings, alpha,
                        "some patch lies on w*⊥: the regions S(w,w*) and S(w,−w*) share it for every w, "
                        "which the remark's 'measure 0' excludes")
    nat = ctx.natural_scale()
    specs = []
    # Per draw Z_{R} = (1/k)Σ_i Z_i 1{Z_i ∈ R} = Z 1{Z ∈ R} (identical patches), so
    # E[Z_{R1} Z_{R2}ᵀ] = E[ZZᵀ 1{Z ∈ R1 ∩ R2}]: exact sums over the draws, at the given w and at
    # seeded random w's (any w with θ(w, w*) ≤ π/2 enters the sup defining L_cross).
    zz = z[:, 0, :]
    b = zz @ ctx.w_star
    rng = np.random.default_rng([ctx.seed or 0, 13])
    trials = [w] + [ctx.w_star + ctx.norm_star * rng.uniform(0.05, 0.99) * v / np.linalg.norm(v)
                    for v in rng.standard_normal((8, ctx.p))]
    worst, ties, tried = Term(0.0), 0, 0
    for wt in trials:
        a = zz @ wt
        if np.any(a == 0):
            ties += 1
            continue
        tried += 1
        region = {"same": (a >= 0) & (b >= 0), "opposite": (a >= 0) & (b <= 0), "flipped": (a <= 0) & (b >= 0)}
        total = Term(0.0)
        for r1, r2 in (("same", "opposite"), ("same", "flipped"), ("opposite", "flipped")):
            both = region[r1] & region[r2]
            m = zz[both].T @ zz[both] / zz.shape[0]
            sv = float(np.linalg.svd(m, compute_uv=False)[0])
            total = total + Term(sv, 4 * ctx.p * _EPS * float(np.sum(np.abs(m))))
        if total.value >= worst.value:
            worst = total
    if tried:
        specs.append(_Spec(f"cross moments vanish: max over {tried} w of Σ λ_max(E[Z_S Z_S'ᵀ]) = 0", worst,
                           Term(0.0), "==", claim.readings[0], nat))
    if ctx.p == 2:
        value, arg = finite_sup_ratio(law, ctx.u, "cross")
        specs.append(_Spec("L_cross = 0 (exact sup over θ)", Term(value, 64 * _EPS * max(1.0, value) * atoms.shape[0]),
                           Term(0.0), "==", claim.readings[0], nat))
    comparisons = _compare_all(specs, alpha)
    note = "" if ties == 0 else f"{ties} of the w tried have a patch on w⊥ (a tie of measure zero): skipped"
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, note=note,
                   details={"max_cross_sum": worst.value, "w_tried": tried, "w_with_ties": ties})


# ---------------------------------------------------------------------------
# 14. thm32-sgd
# ---------------------------------------------------------------------------

def clopper_pearson(successes: int, trials: int, alpha: float) -> tuple[float, float]:
    """One-sided Clopper–Pearson bounds, each at confidence 1 − α: (lower, upper).

    lower = Beta(α; S, n − S + 1) quantile (0 when S = 0), upper = Beta(1 − α; S + 1, n − S)
    (1 when S = n): the exact binomial bounds (scipy.stats.beta).
    """
    lower = 0.0 if successes == 0 else float(stats.beta.ppf(alpha, successes, trials - successes + 1))
    upper = 1.0 if successes == trials else float(stats.beta.isf(alpha, successes + 1, trials - successes))
    return lower, upper


def _check_thm32_sgd(instance: dict, alpha: float) -> CheckResult:
    """Claim 14: ``runs`` seeded SGD runs (``batch``) with the reconstructed η and T (constants
    ``c_eta``, ``c_T``), success frequency of ‖w_T − w*‖ ≤ ``epsilon``‖w*‖ against 1 − ``delta`` with a
    one-sided Clopper–Pearson bound at the check's α."""
    from . import dynamics

    claim = REGISTRY["thm32-sgd"]
    ctx = _Context(instance)
    inst = _public_instance(instance, ctx)
    eps = float(instance.get("epsilon", 0.2))
    delta = float(instance.get("delta", 0.1))
    ratio = float(instance.get("ratio", 0.5))
    runs = check_count(instance.get("runs", 100), "runs", minimum=2)
    batch = check_count(instance.get("batch", 1), "batch")
    c_eta, c_T = float(instance.get("c_eta", 1.0)), float(instance.get("c_T", 1.0))
    z = _draws(ctx, {"samples": 2000})
    max_norm = float(np.max(np.linalg.norm(z, axis=-1)))
    unit = ctx.atoms is not None or abs(max_norm - 1.0) < 1e-9
    if not unit:
        return _outside(claim.id, inst, claim.readings, alpha, "the gradient bound B needs bounded patches "
                                                               "(unit-norm laws or a finite law)")
    B = ctx.norm_star * max_norm**2                      # ‖g‖ ≤ ‖w−w*‖·max‖Z_i‖² ≤ ‖w*‖·max‖Z_i‖² in the ball
    Lc = ctx.L_cross()
    grid = np.linspace(0.0, math.pi / 2, 65)
    g, _ = ctx.gamma_L(grid)
    ok = [phi for phi, gi in zip(grid, g) if gi.value >= 6 * Lc.value]
    if not ok or ok[-1] <= 0:
        return _outside(claim.id, inst, claim.readings, alpha, f"γ(φ) < 6L_cross = {6 * Lc.value:.3g} for all φ > 0")
    phi_star = float(ok[-1])
    r0 = ratio * ctx.norm_star * math.sin(phi_star)
    phi0 = math.asin(r0 / ctx.norm_star)
    phi1 = 0.5 * (phi0 + phi_star)
    gamma1 = ctx.gamma_L([phi1])[0][0].value - 6 * Lc.value
    if gamma1 <= 0:
        return _outside(claim.id, inst, claim.readings, alpha, "γ(φ1) ≤ 6L_cross")
    ns2 = ctx.norm_star**2
    eta = c_eta * eps**2 * gamma1 * ns2 / B**2
    T = math.ceil(c_T * B**2 / (eps**2 * gamma1**2 * ns2) * math.log(r0 / (eps * delta * ctx.norm_star)))
    T = min(T, int(instance.get("max_steps", 2_000_000)))
    rng = np.random.default_rng([ctx.seed or 0, 14])
    V = rng.standard_normal((runs, ctx.p))
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    W0 = ctx.w_star + r0 * V
    seeds = [int(x) for x in np.random.SeedSequence([ctx.seed or 0, 15]).generate_state(runs)]
    tr = dynamics.sgd(ctx.dist, ctx.w_star, W0, T, eta, batch=batch, seeds=seeds, record_every=T,
                      evaluation="auto" if (ctx.rotational or ctx.atoms is not None) else "sample", n_eval=2000)
    final = np.linalg.norm(tr.final_weights - ctx.w_star, axis=1) / ctx.norm_star
    successes = int(np.count_nonzero(final <= eps))
    lower, upper = clopper_pearson(successes, runs, alpha)
    comp = _comparison_from_interval(f"P[‖w_T−w*‖ ≤ ε‖w*‖] ≥ 1 − δ = {1 - delta:g} (Clopper–Pearson)",
                                     claim.readings[0], successes / runs, lower, upper, 1 - delta, ">=", alpha,
                                     "binomial")
    hyp = None if Lc.side != "exact" or g[0].side != "exact" else True
    details = {"epsilon": eps, "delta": delta, "runs": runs, "successes": successes, "cp_lower": lower,
               "cp_upper": upper, "eta": eta, "T": T, "B": B, "phi_star": phi_star, "phi0": phi0, "phi1": phi1,
               "gamma_phi1_minus_6Lcross": gamma1, "L_cross": Lc.value, "batch": batch,
               "final_relative_distance_median": float(np.median(final)),
               "final_relative_distance_max": float(np.max(final)),
               "constants": f"η = {c_eta:g}·ε²(γ(φ1)−6L_cross)‖w*‖²/B², T = ⌈{c_T:g}·B²/(ε²(γ(φ1)−6L_cross)²‖w*‖²)·"
                            "ln(r0/(εδ‖w*‖))⌉ [reconstructed]"}
    return _result(claim.id, _public_instance(instance, ctx, r0=r0, runs=runs), [comp], claim.readings,
                   alpha=alpha, in_hypothesis=hyp, details=details,
                   tightness=None)


# ---------------------------------------------------------------------------
# 15. thm33-closeness
# ---------------------------------------------------------------------------

def _check_thm33(instance: dict, alpha: float) -> CheckResult:
    """Claim 15 on a finite law (the law itself, or ``atoms`` seeded draws of it), exact in p = 2: ρ,
    γ(``phi0``), γ_avg(φ0), μ (over φ ≤ ρ, and over φ ≤ π/2 as a reading) and L_cross."""
    claim = REGISTRY["thm33-closeness"]
    base = _Context(instance)
    if base.atoms is None:
        m = check_count(instance.get("atoms", 300), "atoms")
        atoms = np.asarray(base.dist.sample(m, np.random.default_rng([base.seed or 0, 33])), dtype=float)
        law, how = Empirical(atoms), f"the empirical law of {m} seeded draws of the law (exact on it)"
    else:
        law, how = base.dist, "the finite law itself (exact)"
    ctx = _Context({**{k: v for k, v in instance.items() if k not in ("distribution", "data")}, "dist": law,
                    "w_star": base.w_star, "method": "exact"})
    atoms = ctx.atoms
    inst = _public_instance(instance, base, how=how)
    norms = np.linalg.norm(atoms, axis=-1)
    if np.max(np.abs(norms - 1.0)) > 1e-9:
        return _outside(claim.id, inst, claim.readings, alpha, "Theorem 3.3 assumes unit-norm patches")
    avg = atoms.mean(axis=1)
    an = np.linalg.norm(avg, axis=1)
    if np.any(an == 0):
        return _outside(claim.id, inst, claim.readings, alpha, "Z_avg = 0 for some draw: θ(Z_i, Z_avg) undefined")
    cos = np.clip(np.einsum("mkp,mp->mk", atoms, avg) / an[:, None], -1.0, 1.0)
    perp = np.linalg.norm(atoms - cos[..., None] * (avg / an[:, None])[:, None, :], axis=-1)
    rho = float(np.max(np.arctan2(perp, cos)))
    phi0 = float(instance.get("phi0", 0.5))
    g = ctx.gamma_L([phi0])[0][0]
    avg_ctx = _Context({"dist": Empirical(avg), "w_star": base.w_star, "method": "exact", "seed": ctx.seed})
    g_avg = avg_ctx.gamma_L([phi0])[0][0]
    mu = finite_mu(law, ctx.u, rho)
    mu_wide = finite_mu(law, ctx.u, math.pi / 2)
    Lc = ctx.L_cross()
    nat = ctx.natural_scale()
    details = {"rho": rho, "gamma_phi0": g.value, "gamma_avg_phi0": g_avg.value, "mu": mu,
               "mu_over_phi_up_to_pi_over_2": mu_wide, "L_cross": Lc.value, "atoms": int(atoms.shape[0]),
               "k": int(atoms.shape[1])}
    if not math.isfinite(mu) or not math.isfinite(Lc.value):
        return _outside(claim.id, _public_instance(instance, base, how=how, phi0=phi0), claim.readings, alpha,
                        "a patch lies on w*⊥ (μ = ∞): the band hypothesis fails", details)
    low = g_avg - 4 * (1 - math.cos(rho))
    r_both, r_gamma, r_lc, r_wide = claim.readings
    specs = [_Spec("γ(φ0) ≥ γ_avg(φ0) − 4(1 − cos ρ)", g, low, ">=", r_gamma, _margin_scale(low.value, nat)),
             _Spec("L_cross ≤ 3μ", Lc, Term(3 * mu), "<=", r_lc, _margin_scale(3 * mu, nat)),
             _Spec("L_cross ≤ 3μ, μ over φ ≤ π/2", Lc, Term(3 * mu_wide), "<=", r_wide,
                   _margin_scale(3 * mu_wide, nat))]
    comparisons = _compare_all(specs, alpha)
    tight = Lc.value / (3 * mu) if mu > 0 else (math.inf if Lc.value > 0 else None)
    return _result(claim.id, _public_instance(instance, base, how=how, phi0=phi0), comparisons, claim.readings,
                   alpha=alpha, tightness=tight, details=details, conjunction=(r_gamma, r_lc))


# ---------------------------------------------------------------------------
# 16. thm34-init, 17. cor31-init
# ---------------------------------------------------------------------------

#: init_bounds key → reading name of thm34-init.
_INIT_READINGS = {
    "proof": "proof: ½ − α·V_{p−1}/V_p",
    "sqrt_p_over_2pi": "½ − α√(p/(2π))",
    "sqrt_p2_over_2pi": "½ − α√((p+2)/(2π))",
    "sqrt_p_over_pi": "½ − α√(p/π)",
}


def _check_thm34(instance: dict, alpha: float) -> CheckResult:
    """Claim 16 at (``p``, ``alpha``): the exact success probability against every reading of the bound."""
    from .initialization import alpha_max, init_bounds, success_probability

    claim = REGISTRY["thm34-init"]
    p = int(instance.get("p", 5))
    a = float(instance.get("alpha", alpha_max(p)))
    inst = _jsonable({"p": p, "alpha": a})
    if not (0 < a < 1):
        raise InvalidArgument("alpha", f"must lie in (0, 1), got {a}")
    if a > alpha_max(p) * (1 + 1e-15):
        return _outside(claim.id, inst, claim.readings, alpha, f"α = {a:.6g} > √(1/(2p)) = {alpha_max(p):.6g}")
    P = success_probability(p, a)
    prob = Term(P, 1e-12 * P + 1e-300, side="exact", method="betainc")
    bounds = init_bounds(p, a)
    specs = [_Spec(f"P(success) ≥ {_INIT_READINGS[key]}", prob, Term(value, 1e-14), ">=", _INIT_READINGS[key],
                   max(abs(value), 1e-3)) for key, value in bounds.items()]
    comparisons = _compare_all(specs, alpha)
    tight = bounds["proof"] / P if P > 0 else None
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=tight,
                   details={"exact_probability": P, "bounds": bounds, "alpha_max": alpha_max(p),
                            "ratio_bound_over_exact": {k: v / P for k, v in bounds.items()}})


def _check_cor31(instance: dict, alpha: float) -> CheckResult:
    """Claim 17 at (``p``, ``cos_phi_star``): the exact success probability against 1/4."""
    from .initialization import corollary31_bound, corollary31_condition, corollary31_cos_max, success_probability

    claim = REGISTRY["cor31-init"]
    p = int(instance.get("p", 5))
    c = float(instance.get("cos_phi_star", 0.999 * corollary31_cos_max(p)))
    inst = _jsonable({"p": p, "cos_phi_star": c})
    if not (0 < c < 1):
        raise InvalidArgument("cos_phi_star", f"must lie in (0, 1), got {c}")
    if not corollary31_condition(p, c):
        return _outside(claim.id, inst, claim.readings, alpha,
                        f"cos φ* = {c:.6g} ≥ √(π/(8p)) = {corollary31_cos_max(p):.6g}")
    P = success_probability(p, c)
    prob = Term(P, 1e-12 * P, side="exact", method="betainc")
    bound = corollary31_bound(p, c)
    specs = [_Spec("P(success) > 1/4", prob, Term(0.25), ">=", claim.readings[0]),
             _Spec("the corollary's bound ½ − cos φ*·√(p/(2π)) > 1/4", Term(bound, 1e-15), Term(0.25), ">=",
                   claim.readings[1]),
             _Spec("the corollary's bound ≤ P(success)", Term(bound, 1e-15), prob, "<=", claim.readings[2])]
    comparisons = _compare_all(specs, alpha)
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=0.25 / P,
                   details={"exact_probability": P, "bound": bound, "cos_max": corollary31_cos_max(p)})


# ---------------------------------------------------------------------------
# 18–20. The experiments of §4
# ---------------------------------------------------------------------------

def _welch_term(a: Sequence[float], b: Sequence[float]) -> Term:
    """mean(b) − mean(a) with the Welch standard error and Satterthwaite degrees of freedom."""
    a = np.asarray([x for x in a if x is not None and math.isfinite(x)], float)
    b = np.asarray([x for x in b if x is not None and math.isfinite(x)], float)
    if a.size < 2 or b.size < 2:
        return Term(math.nan)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    dof = None
    if se > 0:
        dof = max(1, int(math.floor((va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1)))))
    return Term(float(b.mean() - a.mean()), 0.0, se, dof, "estimate", "welch")


def _paired_term(a: Sequence[float], b: Sequence[float]) -> Term:
    """mean(b − a) over pairs with the t standard error (n − 1 dof)."""
    d = np.asarray(b, float) - np.asarray(a, float)
    d = d[np.isfinite(d)]
    if d.size < 2:
        return Term(math.nan)
    return Term(float(d.mean()), 0.0, float(d.std(ddof=1) / math.sqrt(d.size)), d.size - 1, "estimate", "paired-t")


def _mean_term(values: Sequence[float]) -> Term:
    x = np.asarray([v for v in values if v is not None and math.isfinite(v)], float)
    if x.size < 2:
        return Term(float(x.mean()) if x.size else math.nan)
    return Term(float(x.mean()), 0.0, float(x.std(ddof=1) / math.sqrt(x.size)), x.size - 1, "estimate", "t")


def _experiment_settings(instance: dict, name: str) -> tuple[str, int, dict]:
    profile = instance.get("profile", "quick")
    seed = int(instance.get("seed", 0) or 0)
    overrides = dict(instance.get("overrides", {}).get(name, {})) if "overrides" in instance else {}
    return profile, seed, overrides


def _check_rate_ordering(claim_id: str, name: str, label: str, increasing: bool, instance: dict,
                         alpha: float) -> CheckResult:
    from .experiments import run_experiment

    claim = REGISTRY[claim_id]
    profile, seed, overrides = _experiment_settings(instance, name)
    res = run_experiment(name, profile=profile, seed=seed, **overrides)
    values, groups = res.series[label], res.series["rates"]
    specs = []
    for i in range(len(values) - 1):
        diff = _welch_term(groups[i], groups[i + 1])
        rel = f"rate({label}={values[i + 1]:g}) {'≥' if increasing else '≤'} rate({label}={values[i]:g})"
        base = np.nanmean(np.asarray([x for x in groups[i] if x is not None], float))
        specs.append(_Spec(rel, diff if increasing else -diff, Term(0.0), ">=", claim.readings[0],
                           abs(base) if base else 1.0))
    comparisons = _compare_all(specs, alpha)
    inst = _jsonable({"experiment": name, "profile": profile, "seed": seed, "overrides": overrides,
                      "settings": res.parameters})
    return _result(claim_id, inst, comparisons, claim.readings, alpha=alpha,
                   details={"finding": res.finding, "experiment_verdict": res.verdict, label: values,
                            "rate_mean": res.series["rate_mean"], "rate_ci": res.series["rate_ci"],
                            "runtime_s": res.runtime_s})


def _check_sec4_smoothness(instance: dict, alpha: float) -> CheckResult:
    """Claim 18: Fig. 3a's rates (``profile``, ``seed``, ``overrides``), Welch intervals on neighbours."""
    return _check_rate_ordering("sec4-smoothness", "fig3a", "sigma", True, instance, alpha)


def _check_sec4_closeness(instance: dict, alpha: float) -> CheckResult:
    """Claim 19: Fig. 3b's rates, Welch intervals on neighbours."""
    return _check_rate_ordering("sec4-closeness", "fig3b", "sigma_patch^2", False, instance, alpha)


def _check_sec4_real_data(instance: dict, alpha: float) -> CheckResult:
    """Claim 20: Figs. 3c, 3d, 4, 5 — near-zero loss per α, ordering by α (paired), cosine of the learned
    filter, loss along the segment; the primary reading is the conjunction of the four statements."""
    from .experiments import NEAR_ZERO, run_experiment

    claim = REGISTRY["sec4-real-data"]
    profile, seed, _ = _experiment_settings(instance, "fig3c")
    near_zero = float(instance.get("near_zero", NEAR_ZERO))
    cosine_min = float(instance.get("cosine", 0.95))
    results = {name: run_experiment(name, profile=profile, seed=seed,
                                    **_experiment_settings(instance, name)[2])
               for name in ("fig3c", "fig3d", "fig4", "fig5")}
    specs = []
    r_learn, r_init, r_look, r_closer, r_line = claim.readings[1:6]
    for name in ("fig3c", "fig3d"):
        series = results[name].series
        finals = series["final_log_relative_loss"]
        alphas = series["alphas"]
        for i, a in enumerate(alphas):
            specs.append(_Spec(f"{name}: final ln(relative loss) ≤ {near_zero:.3g} @ α={a:g}", _mean_term(finals[i]),
                               Term(near_zero), "<=", r_learn, abs(near_zero)))
        for i in range(len(alphas) - 1):
            specs.append(_Spec(f"{name}: better start ends lower @ α={alphas[i]:g}→{alphas[i + 1]:g}",
                               _paired_term(finals[i], finals[i + 1]), Term(0.0), ">=", r_init, 1.0))
    fig4 = results["fig4"].series
    for kind in ("random", "gabor"):
        cos = fig4[kind]["cosine_similarity"]
        cos0 = fig4[kind]["initial_cosine_similarity"]
        specs.append(_Spec(f"fig4 {kind}: cosine(learned, true) ≥ {cosine_min:g}", _mean_term(cos), Term(cosine_min),
                           ">=", r_look, 1.0))
        specs.append(_Spec(f"fig4 {kind}: learned closer in angle than the start", _paired_term(cos0, cos), Term(0.0),
                           ">=", r_closer, 1.0))
    fig5 = results["fig5"].series
    for kind in ("random", "gabor"):
        curves = np.asarray(fig5[kind]["log_relative_loss"], dtype=float)
        worst = np.nanmax(curves, axis=1)
        specs.append(_Spec(f"fig5 {kind}: max over the segment of ln(relative loss) ≤ {near_zero:.3g}",
                           _mean_term(worst), Term(near_zero), "<=", r_line, abs(near_zero)))
    comparisons = _compare_all(specs, alpha)
    inst = _jsonable({"experiments": list(results), "profile": profile, "seed": seed,
                      "settings": results["fig3c"].parameters, "near_zero": near_zero, "cosine": cosine_min})
    details = {name: {"finding": r.finding, "verdict": r.verdict, "runtime_s": r.runtime_s}
               for name, r in results.items()}
    # The claim is the conjunction of its four statements (the cosine threshold is our reading of "looks like").
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, details=details,
                   conjunction=(r_learn, r_init, r_look, r_line))


# ---------------------------------------------------------------------------
# The template and the registry
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Instance:
    """A claim's instance as a dataclass (a dict with the same keys works as well; None means "default").

    Attributes
    ----------
    dist : distribution object, optional
        Any object with ``p``, ``k``, ``sample`` (built-in or a user's).
    distribution : str or dict, optional
        A built-in by name, ``{"name": "mixture", "p": 3, "sigma": 0.5}``, or
        ``{"name": "empirical", "data": [[...], ...]}``.
    p : int, optional
    w_star, w : array_like (p,), optional
        Teacher and student filters (defaults: the law's axis, and a seeded point
        of the ball ‖w − w*‖ < ‖w*‖).
    eta : float, optional
        Step size (claims 4, 7, 12).
    phi : float, optional
        Angle in radians (claim 3).
    seed : int
    n : int, optional
        Monte Carlo draws for laws without an exact method.
    extra : dict
        Any other key a check reads (``eta_fraction``, ``epsilon``, ``runs`` …).
    """

    dist: Any = None
    distribution: Any = None
    p: int | None = None
    w_star: Any = None
    w: Any = None
    eta: float | None = None
    phi: float | None = None
    seed: int = 0
    n: int | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "extra"}
        out = {k: v for k, v in out.items() if v is not None}
        out.update(self.extra)
        return out


def _as_dict(instance: Any) -> dict:
    if instance is None:
        return {}
    if isinstance(instance, dict):
        return dict(instance)
    if isinstance(instance, Instance):
        return instance.to_dict()
    if hasattr(instance, "__dataclass_fields__"):
        return {name: getattr(instance, name) for name in instance.__dataclass_fields__
                if getattr(instance, name) is not None}
    raise InvalidArgument("instance", f"must be a dict or a dataclass, got {type(instance).__name__}")


@dataclass(frozen=True)
class Claim:
    """One claim of the paper, with its check (the template every entry of :data:`REGISTRY` follows).

    Attributes
    ----------
    id : str
        The id of CLAIMS.md §4 (``"thm22-contraction"``).
    source : str
        Where the paper states it (section, theorem, equation).
    statement : str
        The claim in plain text with math.
    kind : {"equality", "upper-bound", "lower-bound", "empirical"}
        How it is asserted: an identity, a one-sided bound, or a property of
        simulations (checked with confidence intervals over seeded runs).
    reconstructed : str or None
        ``None`` when the printed text is used as is; otherwise what our
        reading was reconstructed from (CLAIMS.md's **[reconstructed]** marks).
    readings : tuple of str
        The readings checked; the first is the primary one (the claim's verdict).
    checker : callable (instance dict, α) -> CheckResult
    defaults : dict
        The default instance (``check()`` with no arguments).
    method : str
        How the check computes (which instances are exact).

    Examples
    --------
    >>> from verify.claims import get_claim
    >>> get_claim("thm22-angle").check({"w_star": [1.0, 0.0], "w": [0.6, 0.5]}).verdict
    'holds'
    """

    id: str
    source: str
    statement: str
    kind: str
    reconstructed: str | None
    readings: tuple
    checker: Callable[[dict, float], CheckResult] = field(repr=False, compare=False)
    defaults: dict = field(default_factory=dict, repr=False, compare=False)
    method: str = ""

    def __post_init__(self):
        if self.kind not in CLAIM_KINDS:
            raise ValueError(f"kind must be one of {CLAIM_KINDS}, got {self.kind!r}")
        if not self.readings:
            raise ValueError("a claim needs at least one reading")

    def check(self, instance: Any = None, *, alpha: float | None = None, **overrides: Any) -> CheckResult:
        """Check the claim on one instance (a dict or a dataclass; missing keys take :attr:`defaults`).

        Parameters
        ----------
        instance : dict or dataclass, optional
            ``dist`` (a distribution object) or ``distribution`` (a name or
            ``{"name": …, "p": …, options}``), ``w_star``, ``w``, ``eta``, ``phi``,
            ``seed``, ``n``, … as the claim needs (see each check).
        alpha : float, optional
            False-alarm probability of the whole check, split over its
            comparisons (Bonferroni); :data:`DEFAULT_ALPHA` by default.
        **overrides
            Instance keys, overriding ``instance``.
        """
        inst = {**self.defaults, **_as_dict(instance), **overrides}
        if inst.get("dist") is not None:
            inst.pop("distribution", None)
        a = inst.pop("alpha", None) if alpha is None else alpha
        a = DEFAULT_ALPHA if a is None else float(a)
        if not (0.0 < a < 1.0):
            raise InvalidArgument("alpha", f"must lie in (0, 1), got {a}")
        return self.checker(inst, a)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "statement": self.statement, "kind": self.kind,
                "reconstructed": self.reconstructed, "readings": list(self.readings), "method": self.method}


def _gauss(p: int = 3) -> dict:
    return {"distribution": {"name": "gaussian", "p": p}}


_CLAIMS = [
    Claim("lemma-a1", "Appendix A.1, Lemma A.1, eq. (5)",
          "⟨E∇ℓ(w), w − w*⟩ = (w−w*)ᵀA_{w,w*}(w−w*) + (w−w*)ᵀA_{w,−w*}w, both terms ≥ 0, for every distribution "
          "(per sample for a finite one)", "equality", None,
          ("closed regions (as printed)", "half-open S(w,−w*): w*·Z < 0"),
          _check_lemma_a1, _gauss(3), "per sample, exact (rounding bound); draws of the law or a finite law's atoms"),
    Claim("def21-shape", "§2.1, remarks after Definition 2.1",
          "γ(φ) and L(φ) are non-increasing in φ; 0 ≤ γ(φ) ≤ L(φ); γ(π) = L(π) = 0 without mass on hyperplanes; "
          "A_{w,−w*} = 0 at θ(w, w*) = 0", "upper-bound", None, ("as printed",),
          _check_def21_shape, {"distribution": {"name": "mixture", "p": 3, "sigma": 1.0}},
          "exact (radial, finite p = 2), quadrature (angular mixture), else estimates with their sides"),
    Claim("def21-rotinv-equal", "§2.1, remark after Definition 2.1",
          "rotationally invariant distributions (e.g. standard Gaussian) have γ(φ) = L(φ)", "equality", None,
          ("as printed",), _check_def21_rotinv_equal, {**_gauss(3), "phi": 1.0},
          "closed forms γ = s(π−φ−sin φ)/(2π), L = s(π−φ+sin φ)/(2π)"),
    Claim("thm21-recovery", "§2, Theorem 2.1",
          "if E[ZZᵀ1{S(w1,w2)}] ≻ 0 whenever θ(w1,w2) < π and ℓ(w0) < ℓ(0), the only limit point of population "
          "GD is w*", "empirical", None, ("as printed",), _check_thm21_recovery, _gauss(3),
          "population GD from seeded starts with ℓ(w0) < ℓ(0): closed-form gradients (radial, degenerate), "
          "exact sums (finite), a fixed large sample (others)"),
    Claim("thm22-angle", "Appendix A.1, proof of Theorem 2.2 (its first observation)",
          "if ‖w − w*‖ < ‖w*‖ then θ(w, w*) ≤ arcsin(‖w − w*‖/‖w*‖)", "upper-bound", None, ("as printed",),
          _check_thm22_angle, {"p": 3}, "geometry in floating point (atan2 angles, rounding bounds)"),
    Claim("thm22-gradient-bounds", "Appendix A.1, proof of Theorem 2.2",
          "if ‖w − w*‖ < ‖w*‖: ⟨E∇ℓ(w), w − w*⟩ ≥ γ(θ)‖w − w*‖² and ‖E∇ℓ(w)‖ ≤ (L(θ) + 4β)‖w − w*‖, θ = θ(w, w*)",
          "upper-bound", None, ("tight β", "β = 1 (Theorem A.1)", "β = p (Theorem A.2)"),
          _check_thm22_gradient_bounds, {"distribution": {"name": "mixture", "p": 3, "sigma": 1.0}},
          "γ, L, β exact (radial, finite p = 2) or by quadrature (angular mixture); gradient likewise"),
    Claim("thm22-contraction", "§2.1, Theorem 2.2",
          "if ‖w0 − w*‖ < ‖w*‖, φ_t = arcsin(‖w_t − w*‖/‖w*‖) and 0 < η ≤ min_{0≤φ≤φ_t} γ(φ)/(2(L(φ)+4β)²), then "
          "‖w_{t+1} − w*‖² ≤ (1 − ηγ(φ_t)/2)‖w_t − w*‖² (population GD)", "upper-bound",
          "from the proof's last display (the printed factor has no /2)",
          ("with /2", "printed without /2", "3/2: the proof with its factor 2 restored"),
          _check_thm22_contraction, _gauss(3), "one exact GD step; η_max exact (monotone ratio, or finite p = 2)"),
    Claim("thm22-complexity", "§2.1, discussion after Theorem 2.2",
          "with η = γ(φ0)/(2(L(0)+4β)²) GD reaches ‖w_t − w*‖ ≤ ε‖w*‖ within O((L(0)+β)²/γ(φ0)² · log(1/ε)) steps; "
          "the adaptive/two-stage step η_t = γ(φ_t)/(2(L(φ_t)+4β)²) is faster", "upper-bound", None,
          ("iterations within the contraction bound", "O-constant ≤ 128 (the proof's)", "adaptive step is no slower",
           "two-stage step is no slower"),
          _check_thm22_complexity, _gauss(3), "exact population GD (closed forms) with the three step rules"),
    Claim("thm-a1-beta-rotinv", "Appendix A.1, Theorem A.1",
          "for unit-norm rotationally invariant Z, Assumption 2.1 holds with β = 1", "upper-bound", None,
          ("β = 1",), _check_thm_a1, {"p": 3}, "closed form: tight β = 1/(πp) for the uniform sphere"),
    Claim("thm-a2-beta-gaussian", "Appendix A.1, Theorem A.2; §2.1 ('β = p')",
          "for Z ~ N(0, I_p), β ≤ p (the main text says 'β = p')", "upper-bound", None,
          ("β ≤ p (Theorem A.2)", "β = p as the tight constant (main text)"), _check_thm_a2, {"p": 3},
          "closed form: tight β = 1/π"),
    Claim("thm31-gradient-bounds", "Appendix A.2, proof of Theorem 3.1",
          "if ‖w − w*‖ < ‖w*‖: ⟨E∇ℓ(w), w − w*⟩ ≥ (γ(θ) − 6L_cross)‖w − w*‖² and "
          "‖E∇ℓ(w)‖ ≤ (L(θ) + 10L_cross + 4β)‖w − w*‖", "upper-bound", None, ("as printed",),
          _check_thm31_gradient_bounds,
          {"distribution": {"name": "patches", "p": 2, "k": 4, "sigma_patch": 0.005}},
          "exact on finite laws in p = 2 (β, L_cross by enumerating the pieces); Monte Carlo otherwise"),
    Claim("thm31-contraction", "§3, Theorem 3.1",
          "if ‖w0 − w*‖ < ‖w*‖, γ(φ0) > 6L_cross and 0 < η ≤ min_{0≤φ≤φ_t} (γ(φ) − 6L_cross)/(2(L(φ)+10L_cross+4β)²), "
          "then ‖w_{t+1} − w*‖² ≤ (1 − η(γ(φ_t) − 6L_cross)/2)‖w_t − w*‖²", "upper-bound",
          "the printed step-size numerator reads like γ(0); the proof needs γ(φ)",
          ("γ(φ) in the step size [reconstructed]", "printed γ(0) in the step size"),
          _check_thm31_contraction,
          {"distribution": {"name": "patches", "p": 2, "k": 4, "sigma_patch": 0.005}, "ratio": 0.3},
          "one GD step; exact on finite laws in p = 2"),
    Claim("asm32-identical-patches", "§3, remark after Assumption 3.2",
          "if Z_1 = … = Z_k then L_cross = 0", "equality", None, ("as printed",), _check_asm32,
          {**_gauss(2), "k": 3, "samples": 400}, "per-sample cross moments (exact sums); exact sup over θ for p = 2"),
    Claim("thm32-sgd", "§3, Theorem 3.2",
          "with φ* the largest φ with γ(φ) ≥ 6L_cross, r0 < ‖w*‖ sin φ*, φ1 = (φ0 + φ*)/2, "
          "η = Θ(ε²(γ(φ1) − 6L_cross)‖w*‖²/B²) and T = O(B²/(ε²(γ(φ1) − 6L_cross)²‖w*‖²)·log(r0/(εδ‖w*‖))) SGD "
          "steps, ‖w_T − w*‖ ≤ ε‖w*‖ with probability ≥ 1 − δ", "empirical",
          "constants of Θ and O taken as 1; φ* capped at π/2; B = ‖w*‖·max‖Z_i‖²",
          ("constants 1",), _check_thm32_sgd, {"distribution": {"name": "sphere", "p": 2}},
          "seeded SGD runs; success frequency against 1 − δ with a one-sided Clopper–Pearson bound"),
    Claim("thm33-closeness", "§3.1, Theorem 3.3",
          "unit-norm patches with θ(Z_i, Z_avg) ≤ ρ and P[θ(Z_i, w*) ∈ [π/2 − φ, π/2 + φ]] ≤ μφ (and the mirror band) "
          "for φ ≤ ρ ⇒ γ(φ0) ≥ γ_avg(φ0) − 4(1 − cos ρ) and L_cross ≤ 3μ", "upper-bound", None,
          ("as printed (both bounds)", "γ(φ0) ≥ γ_avg(φ0) − 4(1 − cos ρ)", "L_cross ≤ 3μ (μ over φ ≤ ρ)",
           "L_cross ≤ 3μ with μ over φ ≤ π/2"),
          _check_thm33, {"distribution": {"name": "patches", "p": 2, "k": 3, "sigma_patch": 0.1}, "atoms": 300},
          "exact on a finite law in p = 2 (a seeded sample of the law): γ, γ_avg, ρ, μ, L_cross"),
    Claim("thm34-init", "§3.2, Theorem 3.4",
          "w0 uniform in the p-ball of radius α‖w*‖, α ≤ √(1/(2p)) ⇒ ‖w0 − w*‖ ≤ √(1−α²)‖w*‖ with probability at "
          "least ½ − α·V_{p−1}/V_p (the proof's bound) and its simplifications", "lower-bound",
          "the printed bound is garbled: the proof's bound and its Gautschi simplifications are checked",
          tuple(_INIT_READINGS.values()), _check_thm34, {"p": 5},
          "the exact probability (two spherical caps, regularized incomplete beta) against each bound"),
    Claim("cor31-init", "§3.2, Corollary 3.1",
          "with α = cos φ* < √(π/(8p)), the success probability of Theorem 3.4 exceeds 1/4", "lower-bound",
          "the condition cos φ* < √(π/(8p)) and the bound ½ − cos φ*·√(p/(2π)) > ¼ are reconstructed",
          ("success probability > 1/4", "the corollary's bound > 1/4", "the bound is a valid lower bound"),
          _check_cor31, {"p": 5}, "the exact probability"),
    Claim("sec4-smoothness", "§4, Fig. 3a",
          "the smoother the input distribution (larger σ of the angular mixture), the faster (S)GD converges at a "
          "fixed initialization and step", "empirical", None, ("as printed",), _check_sec4_smoothness,
          {"profile": "quick"}, "seeded SGD runs per σ; Welch intervals on neighbouring mean rates"),
    Claim("sec4-closeness", "§4, Fig. 3b",
          "the closer the patches (smaller σ_patch²), the faster (S)GD converges", "empirical", None,
          ("as printed",), _check_sec4_closeness, {"profile": "quick"},
          "seeded SGD runs per σ_patch²; Welch intervals on neighbouring mean rates"),
    Claim("sec4-real-data", "§4, Figs. 3c, 3d, 4, 5; Appendix B",
          "on real images SGD learns a random Gaussian and a Gabor filter to near-zero relative loss, better "
          "initializations converge faster, the learned filter looks like the true one, and the loss stays low "
          "along α·w + (1−α)·w*", "empirical", None,
          ("all four statements", "learned to near-zero relative loss", "better initialization converges faster",
           "learned filter looks like the true one (cosine ≥ 0.95)",
           "learned filter closer to the true one than the start", "loss stays near zero along the segment"),
          _check_sec4_real_data, {"profile": "quick"},
          "seeded SGD on 8×8 digit patches (scikit-learn digits); t-intervals over teachers"),
]

#: id → Claim, in the order of CLAIMS.md §4.
REGISTRY: dict[str, Claim] = {c.id: c for c in _CLAIMS}


def get_claim(claim_id: str) -> Claim:
    """The registry entry of a claim id (InvalidArgument for an unknown id, listing the known ones)."""
    try:
        return REGISTRY[claim_id]
    except (KeyError, TypeError):
        raise InvalidArgument("claim", f"unknown claim id {claim_id!r}; known: {', '.join(REGISTRY)}") from None


def list_claims() -> list[dict[str, Any]]:
    """Every claim's metadata (id, source, statement, kind, reconstructed, readings, method), in order."""
    return [c.to_dict() for c in REGISTRY.values()]


#: Claims whose check takes no distribution (geometry, initialization, experiments).
_NO_DISTRIBUTION = ("thm22-angle", "thm34-init", "cor31-init", "sec4-smoothness", "sec4-closeness", "sec4-real-data")


def check_claim(claim_id: str, dist: Any = None, *, seed: int = 0, n: int | None = None,
                **instance_overrides: Any) -> CheckResult:
    """Check one claim on its default instance, or on a given distribution (what ``verify check`` runs).

    Parameters
    ----------
    claim_id : str
        An id of :data:`REGISTRY`.
    dist : distribution, optional
        Any object with ``p``, ``k`` and ``sample(n, rng)`` (built-in or a
        user's); replaces the default instance's distribution.  Claims about
        no distribution (geometry, initialization) take ``p`` from it; the §4
        experiments ignore it.
    seed : int
        Seed of every random choice (default w, draws, Monte Carlo).
    n : int, optional
        Monte Carlo draws for laws without an exact method.
    **instance_overrides
        Instance keys (``w_star``, ``w``, ``phi``, ``eta``, ``alpha`` …).

    Returns
    -------
    CheckResult
    """
    claim = get_claim(claim_id)
    inst = dict(instance_overrides)
    inst["seed"] = check_seed(seed) or 0
    if n is not None:
        inst["n"] = check_count(n, "n", minimum=2)
    if dist is not None:
        for attr in ("p", "k", "sample"):
            if not hasattr(dist, attr):
                raise InvalidArgument("dist", f"must follow the distribution protocol (missing {attr!r})")
        if claim.id in _NO_DISTRIBUTION:
            if claim.id in ("thm22-angle", "thm34-init", "cor31-init"):
                inst.setdefault("p", int(dist.p))
        else:
            inst["dist"] = dist
    return claim.check(inst)

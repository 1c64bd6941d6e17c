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
no sampling error), a tie up to the stated margin — an equality case of the
claim, such as Theorem 2.2's angle bound at a tangent point — is decided as
**holds** (m ≥ −TOL: the error bar is not added on the "holds" side); a
violation beyond TOL but within the hard bound e (−(e + TOL) ≤ m < −TOL) is
**inconclusive**: rounding could explain it, but nothing shows it is a tie.

An equality ``lhs = rhs`` has margin −|lhs − rhs|/|rhs| (two-sided α/2): refuted
when |m| > e + TOL, holds when |m| ≤ e + TOL *and* the error bar is below a
resolution (:data:`RESOLUTION` = 5 %: a test with no power proves nothing),
inconclusive otherwise.

Which way an estimate errs
--------------------------
:mod:`verify.estimators.quantities` marks a searched minimum (γ for p ≥ 3 without
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

import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..jsonio import jsonable
from ..validation import InvalidArgument
from .terms import DEFAULT_ALPHA, Term, side_phrase, z_threshold

__all__ = ["POWER", "detectable_violation", "VERDICTS", "TOL", "RESOLUTION", "one_sided_verdict", "equality_verdict",
           "aggregate", "Comparison", "compare", "comparison_from_interval", "Spec", "compare_all", "worst",
           "group_worst"]

VERDICTS = ("holds", "refuted", "inconclusive")
#: Stated numerical margin (relative) of every comparison: floating point in eigen-solvers and sums.
TOL = 1e-9
#: An equality "holds" only when its error bar is below this (relative) resolution.
RESOLUTION = 0.05


def one_sided_verdict(
    margin: float,
    error_below: float,
    error_above: float | None = None,
    *,
    tol: float = TOL,
    may_hold: bool = True,
    may_refute: bool = True,
) -> str:
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


def equality_verdict(
    difference: float,
    error: float,
    *,
    tol: float = TOL,
    resolution: float = RESOLUTION,
    may_hold: bool = True,
    may_refute: bool = True,
) -> str:
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
    detectable : float
        The power of the comparison: the smallest relative violation it refutes
        with probability ≥ 95% (:func:`detectable_violation`); NaN where undefined.
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
    detectable: float = math.nan

    @property
    def margin_error(self) -> float:
        return self.error_below if self.margin >= 0 else self.error_above

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "reading": self.reading,
            "relation": self.relation,
            "lhs": jsonable(self.lhs.to_estimate(self.alpha).to_dict()),
            "rhs": jsonable(self.rhs.to_estimate(self.alpha).to_dict()),
            "margin": jsonable(self.margin),
            "margin_error": jsonable(self.margin_error),
            "verdict": self.verdict,
            "why": self.why,
            "detectable": jsonable(self.detectable),
        }


#: The power at which :func:`detectable_violation` states the detectable violation.
POWER = 0.95


def detectable_violation(slack: Term, alpha: float, scale: float, tol: float = TOL) -> float:
    """The smallest relative violation a one-sided comparison refutes with probability ≥ :data:`POWER`.

    A comparison refutes when m̂ + h < −tol, with h = (bound + z_α·se)/scale
    (docs/claims.md §7).  If the true margin is −δ and m̂ ~ N(−δ, (se/scale)²),
    P[refute] ≥ POWER exactly when δ ≥ h + tol + z_POWER·se/scale.  With hard
    bounds only (se = 0) that is h + tol: every larger violation is refuted.

    Examples
    --------
    >>> round(detectable_violation(Term(0.0, 0.0, 0.01, None, "estimate"), 0.05, 1.0), 4)  # (1.645 + 1.645)·0.01
    0.0329
    """
    if slack.se == 0:
        return slack.bound / scale + tol
    z_power = z_threshold(1 - POWER, slack.dof)
    return slack.half_width(alpha) / scale + tol + z_power * slack.se / scale


def compare(
    name: str,
    lhs: Any,
    rhs: Any,
    relation: str,
    *,
    alpha: float = DEFAULT_ALPHA,
    reading: str = "",
    scale: float | None = None,
    tol: float = TOL,
    resolution: float = RESOLUTION,
) -> Comparison:
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
        scale = (
            abs(rhs.value)
            if (math.isfinite(rhs.value) and rhs.value != 0)
            else (abs(lhs.value) if (math.isfinite(lhs.value) and lhs.value != 0) else 1.0)
        )
    scale = float(scale) if scale > 0 else 1.0
    if relation == "==":
        diff = lhs - rhs
        if not math.isfinite(diff.value):
            # An infinite difference refutes, unless it is infinite only towards the side its estimate
            # errs (an upper bound of +inf bounds nothing).
            blind = not math.isnan(diff.value) and diff.side == ("upper-bound" if diff.value > 0 else "lower-bound")
            verdict = "inconclusive" if (math.isnan(diff.value) or blind) else "refuted"
            why = f"the difference is {side_phrase(diff.side, infinite=True)}: no conclusion" if blind else ""
            return Comparison(name, reading, relation, lhs, rhs, -math.inf, 0.0, 0.0, verdict, why, alpha)
        h = diff.half_width(alpha / 2) / scale
        may_hold = diff.side in ("exact", "estimate")
        may_refute = (
            may_hold
            or (diff.side == "lower-bound" and diff.value > 0)
            or (diff.side == "upper-bound" and diff.value < 0)
        )
        verdict = equality_verdict(
            diff.value / scale, h, tol=tol, resolution=resolution, may_hold=may_hold, may_refute=may_refute
        )
        detectable = detectable_violation(diff, alpha / 2, scale, tol) if may_refute else math.inf
        why = "" if may_hold else f"the difference is {side_phrase(diff.side)}: equality cannot be confirmed"
        return Comparison(name, reading, relation, lhs, rhs, -abs(diff.value) / scale, h, h, verdict, why, alpha,
                          detectable)
    slack = (rhs - lhs) if relation == "<=" else (lhs - rhs)
    if not math.isfinite(slack.value):
        # Decided by its sign, unless infinite only towards the side its estimate errs (module doc).
        blind = not math.isnan(slack.value) and slack.side == ("upper-bound" if slack.value > 0 else "lower-bound")
        verdict = (
            "inconclusive"
            if (math.isnan(slack.value) or blind)
            else ("holds" if slack.value > 0 else "refuted")
        )
        why = f"the slack is {side_phrase(slack.side, infinite=True)}: no conclusion" if blind else ""
        return Comparison(name, reading, relation, lhs, rhs, slack.value, 0.0, 0.0, verdict, why, alpha)
    h = slack.half_width(alpha) / scale
    may_hold = slack.side in ("exact", "estimate", "lower-bound")
    may_refute = slack.side in ("exact", "estimate", "upper-bound")
    margin = slack.value / scale
    # Hard error bounds only (no sampling error): a tie within rounding is decided as "holds" (module doc).
    below = 0.0 if slack.se == 0 else h
    verdict = one_sided_verdict(margin, below, h, tol=tol, may_hold=may_hold, may_refute=may_refute)
    detectable = detectable_violation(slack, alpha, scale, tol) if may_refute else math.inf
    why = ""
    if verdict == "inconclusive":
        if not may_refute and margin + h < -tol:
            why = (
                "violated on the estimates, but an estimate errs towards violation by construction "
                f"(the slack is {side_phrase(slack.side)}), so this is no refutation"
            )
        elif not may_hold and margin - h >= -tol:
            why = f"satisfied on the estimates, but the slack is {side_phrase(slack.side)}: not proven"
        else:
            why = "the margin is within its error bar"
    return Comparison(name, reading, relation, lhs, rhs, margin, below, h, verdict, why, alpha, detectable)


def comparison_from_interval(
    name: str,
    reading: str,
    estimate: float,
    lower: float,
    upper: float,
    threshold: float,
    relation: str,
    alpha: float,
    what: str = "",
    detectable: float = math.nan,
) -> Comparison:
    """A one-sided comparison of a confidence interval [lower, upper] for a quantity with a threshold.

    ``relation`` ">=": the claim is quantity ≥ threshold (margin (q − t)/|t|);
    "<=": quantity ≤ threshold.  Asymmetric error bars (Clopper–Pearson).  ``detectable``: the
    comparison's power (relative), as the caller computes it for its interval.
    """
    scale = abs(threshold) if threshold != 0 else 1.0
    if relation == ">=":
        margin, below, above = (estimate - threshold) / scale, (estimate - lower) / scale, (upper - estimate) / scale
        lhs, rhs = Term(estimate, 0.0, 0.0, None, "estimate", what or "ci"), Term(threshold)
    else:
        margin, below, above = (threshold - estimate) / scale, (upper - estimate) / scale, (estimate - lower) / scale
        lhs, rhs = Term(estimate, 0.0, 0.0, None, "estimate", what or "ci"), Term(threshold)
    verdict = one_sided_verdict(margin, below, above, tol=0.0)
    return Comparison(name, reading, relation, lhs, rhs, margin, below, above, verdict, "", alpha, detectable)


# ---------------------------------------------------------------------------
# Comparisons of one check (Bonferroni over its parts)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """A comparison to make (all of a check's specs share its α, Bonferroni).

    Attributes
    ----------
    name : str
        What is compared, in words with the numbers (shown in reports; free to reword).
    lhs, rhs : Term, Estimate or float
    relation : {"<=", ">=", "=="}
    reading : str
        The id of the claim's reading it belongs to (``"as-printed"``).
    scale : float, optional
        The margin's denominator (:func:`compare`).
    resolution : float
    id : str
        A stable ASCII slug naming this comparison (or family of comparisons, such as one per grid point)
        among the claim's ``Claim.spec_ids``: what a negative control's override addresses
        (:mod:`verify.checker.controls`), so rewording ``name`` cannot turn a control off.
    """

    name: str
    lhs: Any
    rhs: Any
    relation: str
    reading: str
    scale: float | None = None
    resolution: float = RESOLUTION
    id: str = ""


def compare_all(specs: Sequence[Spec], alpha: float) -> list[Comparison]:
    each = alpha / max(1, len(specs))
    return [
        compare(s.name, s.lhs, s.rhs, s.relation, alpha=each, reading=s.reading, scale=s.scale, resolution=s.resolution)
        for s in specs
    ]


def worst(comparisons: Sequence[Comparison]) -> Comparison:
    """The most telling comparison of a group: a refuted one of smallest margin, else the smallest margin."""
    refuted = [c for c in comparisons if c.verdict == "refuted"]
    pool = refuted or list(comparisons)
    return min(pool, key=lambda c: c.margin if not math.isnan(c.margin) else math.inf)


def group_worst(comparisons: Sequence[Comparison]) -> list[Comparison]:
    """Keep, per (reading, name prefix before ' @'), the most telling comparison and the group's verdict."""
    groups: dict[tuple, list[Comparison]] = {}
    for c in comparisons:
        groups.setdefault((c.reading, c.name.split(" @")[0]), []).append(c)
    out = []
    for (_, _), cs in groups.items():
        w = worst(cs)
        verdict = aggregate(c.verdict for c in cs)
        out.append(
            Comparison(
                w.name,
                w.reading,
                w.relation,
                w.lhs,
                w.rhs,
                w.margin,
                w.error_below,
                w.error_above,
                verdict,
                w.why,
                w.alpha,
                max(c.detectable for c in cs),     # the group detects what its weakest member detects
            )
        )
    return out

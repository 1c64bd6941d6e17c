"""The result of checking one claim on one instance: :class:`CheckResult`, and its assembly.

:func:`make_result` applies the verdict rule's aggregation (docs/claims.md §7):
the primary reading's parts decide the verdict, every other reading gets its
own, an instance outside the claim's hypotheses is never refuted
(:func:`outside_result`), and a refuted result carries its counterexample.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ..laws.distributions import describe_law, finite_support
from ..jsonio import json_number, jsonable
from ..results import Estimate
from .terms import DEFAULT_ALPHA
from .verdicts import VERDICTS, Comparison, aggregate

__all__ = ["CheckResult", "make_result", "outside_result", "describe_distribution", "MAX_INLINE_NUMBERS"]

MAX_INLINE_NUMBERS = 2048


def describe_distribution(dist: Any) -> dict[str, Any]:
    """:func:`~verify.laws.distributions.describe_law` with a finite law's atoms identified (shape, SHA-1), and
    written out in full when an empirical law is small enough to be re-read from the report."""
    out = describe_law(dist)
    params = out.pop("parameters", None) or {}
    out.update({k: v for k, v in params.items() if k not in out})
    support = finite_support(dist)
    if support is not None:
        out["atoms_shape"] = list(support.shape)
        out["atoms_sha1"] = hashlib.sha1(np.ascontiguousarray(support).tobytes()).hexdigest()[:16]
        if support.size <= MAX_INLINE_NUMBERS and out.get("name") in ("empirical",):
            out["data"] = support  # nested lists by jsonable (numpy's tolist, no per-number recursion)
    return jsonable(out)


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
    warnings : tuple of str
        The warnings of the estimates the check used (heavy tails, β = ∞,
        search spread …: docs/error-bars.md), empty when all is well.
    detectable : float
        The check's power on this instance: the smallest relative violation of
        the primary reading its weakest comparison refutes with probability
        ≥ 95% (:func:`~verify.checker.verdicts.detectable_violation`).
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
    detectable: float = math.nan
    warnings: tuple = ()

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (strict JSON: non-finite floats as strings)."""

        def side(x):
            return x.to_dict() if isinstance(x, Estimate) else x

        return jsonable(
            {
                "claim": self.claim,
                "verdict": self.verdict,
                "lhs": side(self.lhs),
                "rhs": side(self.rhs),
                "margin": self.margin,
                "margin_error": self.margin_error,
                "tightness": self.tightness,
                "readings": dict(self.readings),
                "instance": self.instance,
                "counterexample": self.counterexample,
                "in_hypothesis": self.in_hypothesis,
                "parts": list(self.parts),
                "alpha": self.alpha,
                "note": self.note,
                "details": self.details,
                "detectable": self.detectable,
                "warnings": list(self.warnings),
            }
        )

    def __str__(self) -> str:
        t = "" if self.tightness is None else f", tightness {self.tightness:.3g}"
        return (
            f"{self.claim}: {self.verdict} (margin {self.margin:+.3g} ± {self.margin_error:.2g}{t}; "
            f"readings {self.readings})"
        )


def make_result(
    claim_id: str,
    instance: dict,
    comparisons: Sequence[Comparison],
    readings: Sequence[str],
    *,
    alpha: float,
    tightness: float | None = None,
    in_hypothesis: bool | None = True,
    note: str = "",
    details: dict | None = None,
    conjunction: Sequence[str] | None = None,
) -> CheckResult:
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
        note = (note + "; " if note else "") + (
            "violated, but the instance is outside the claim's hypotheses"
            if in_hypothesis is False
            else "violated, but the claim's hypotheses could not be verified here"
        )
    decisive = None
    if main_parts:
        refuted = [c for c in main_parts if c.verdict == "refuted"]
        pool = refuted or main_parts
        decisive = min(pool, key=lambda c: c.margin if not math.isnan(c.margin) else math.inf)
    counterexample = None
    if verdict == "refuted" and decisive is not None:
        counterexample = {
            "instance": instance,
            "part": decisive.name,
            "reading": primary,
            "lhs": decisive.lhs.value,
            "rhs": decisive.rhs.value,
            "margin": decisive.margin,
            "margin_error": decisive.margin_error,
        }
    reading_counterexamples = {}
    for r, cs in by_reading.items():
        bad = [c for c in cs if c.verdict == "refuted"]
        if r != primary and bad:
            c = min(bad, key=lambda c: c.margin)
            reading_counterexamples[r] = {"part": c.name, "lhs": c.lhs.value, "rhs": c.rhs.value, "margin": c.margin}
    det = dict(details or {})
    if in_hypothesis is not True:
        verdicts = {r: ("inconclusive" if v == "refuted" else v) for r, v in verdicts.items()}
        verdicts[primary] = verdict
    if reading_counterexamples:
        det["reading_counterexamples"] = reading_counterexamples
    return CheckResult(
        claim=claim_id,
        verdict=verdict,
        lhs=decisive.lhs.to_estimate(decisive.alpha) if decisive else None,
        rhs=decisive.rhs.to_estimate(decisive.alpha) if decisive else None,
        margin=decisive.margin if decisive else math.nan,
        margin_error=decisive.margin_error if decisive else math.nan,
        tightness=None if tightness is None or not math.isfinite(tightness) else float(tightness),
        readings={r: verdicts.get(r, "inconclusive") for r in dict.fromkeys([primary, *verdicts])},
        instance=jsonable(instance),
        counterexample=jsonable(counterexample),
        in_hypothesis=in_hypothesis,
        parts=tuple(c.to_dict() for c in comparisons),
        alpha=alpha,
        note=note,
        details=jsonable(det),
        detectable=max((c.detectable for c in main_parts), default=math.nan),
    )


def outside_result(
    claim_id: str, instance: dict, readings: Sequence[str], alpha: float, why: str, details: dict | None = None
) -> CheckResult:
    """The result for an instance that does not satisfy the claim's hypotheses."""
    return CheckResult(
        claim=claim_id,
        verdict="inconclusive",
        lhs=None,
        rhs=None,
        margin=math.nan,
        margin_error=math.nan,
        tightness=None,
        readings={r: "inconclusive" for r in readings},
        instance=jsonable(instance),
        counterexample=None,
        in_hypothesis=False,
        alpha=alpha,
        note=f"outside the claim's hypotheses: {why}",
        details=jsonable(details or {}),
    )


def reading_margin(result: CheckResult, reading: str) -> float:
    """The smallest relative margin among a result's comparisons of ``reading`` (NaN if it has none).

    Hypothesis' targeting phase is steered by minus this number, so the search
    moves toward instances where the reading is closest to failing.
    """
    margins = [json_number(part["margin"]) for part in result.parts if part.get("reading") == reading]
    margins = [m for m in margins if m is not None and not math.isnan(m)]
    return min(margins) if margins else math.nan

"""The record of one certified verdict (docs/certify.md, "Certificates"; docs/claims.md §7)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .boxes import Outcome

__all__ = ["VERDICTS", "Certificate", "combine", "from_outcome"]

#: The three verdicts a certificate can carry.
VERDICTS = ("certified-holds", "certified-refuted", "undecided")

_FROM_STATUS = {"holds": "certified-holds", "refuted": "certified-refuted", "undecided": "undecided"}


@dataclass
class Certificate:
    """A verdict on one reading of one claim of docs/claims.md §4, proved with interval arithmetic.

    Attributes
    ----------
    claim : str
        Claim id (docs/claims.md §4).
    reading : str
        Reading slug, or a descriptive slug for a certified lemma/variant.
    verdict : str
        One of :data:`VERDICTS`.
    statement : str
        What exactly was proved (the margin whose sign is certified).
    domain : dict
        {"words": ..., plus the numbers (ranges)}.
    boxes : dict
        {"examined": n, "decided": n, "undecided": n}.
    min_margin : float, dict or None
        holds: a rigorous lower bound (rounded down) of the margin over the domain;
        refuted: {"box": ..., "margin_upper": < 0} (a counterexample box and the
        rigorous upper bound of the margin on it).
    enclosures : dict[str, str]
        Balls of the constants reported, as "[lo, hi]".
    extra : dict
        Anything else (lemmas, per-p sets, timings, notes).
    """

    claim: str
    reading: str
    verdict: str
    statement: str
    domain: dict
    boxes: dict
    min_margin: Any = None
    enclosures: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: claim, verdict, reading, statement, domain, boxes, min_margin, enclosures, and the extras.

        Examples
        --------
        >>> c = Certificate("x", "r", "undecided", "s", {"words": "w"}, {"examined": 0, "decided": 0, "undecided": 0})
        >>> sorted(c.to_dict())[:4]
        ['boxes', 'claim', 'domain', 'enclosures']
        """
        out = {
            "claim": self.claim,
            "verdict": self.verdict,
            "reading": self.reading,
            "statement": self.statement,
            "domain": self.domain,
            "boxes": self.boxes,
            "min_margin": self.min_margin,
            "enclosures": dict(self.enclosures),
        }
        out.update(self.extra)
        return out


def from_outcome(claim: str, reading: str, statement: str, domain: dict, outcome: Outcome,
                 enclosures: dict | None = None, **extra: Any) -> Certificate:
    """A certificate from one :class:`~verify.certify.boxes.Outcome` (docs/certify.md)."""
    if outcome.status == "refuted":
        margin: Any = outcome.counterexample
    else:
        margin = outcome.lower
    if outcome.undecided:
        extra.setdefault("undecided_boxes", [[list(iv) for iv in b] for b in outcome.undecided])
    return Certificate(
        claim=claim,
        reading=reading,
        verdict=_FROM_STATUS[outcome.status],
        statement=statement,
        domain=domain,
        boxes={"examined": outcome.examined, "decided": outcome.decided, "undecided": outcome.undecided_count},
        min_margin=margin,
        enclosures=dict(enclosures or {}),
        extra=extra,
    )


def combine(outcomes: list[Outcome]) -> Outcome:
    """The conjunction of several outcomes: refuted if one is, holds if all are (docs/certify.md).

    The combined lower bound is the smallest of the parts' (each part's margin is its own,
    so the caller states which margin ``min_margin`` refers to).
    """
    out = Outcome("holds")
    for part in outcomes:
        out.examined += part.examined
        out.decided += part.decided
        out.undecided_count += part.undecided_count
        out.undecided.extend(part.undecided[: max(0, 20 - len(out.undecided))])
        if part.lower is not None:
            out.lower = part.lower if out.lower is None else min(out.lower, part.lower)
        if part.status == "refuted" and out.status != "refuted":
            out.status, out.counterexample = "refuted", part.counterexample
        elif part.status == "undecided" and out.status == "holds":
            out.status = "undecided"
    return out

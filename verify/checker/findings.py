"""What a claim's check hands back to the template: :class:`Findings`, or :class:`Outside` raised.

A check (``verify/claims/<id>.py``) does the claim's mathematics only: it
measures, and states the comparisons to make as :class:`~verify.checker.verdicts.Spec` s
(each naming its reading and its own stable id).  The template
(:meth:`verify.checker.claim.Claim.check`) then applies the instance's negative
controls (:mod:`verify.checker.controls`), compares (the verdict rule of
:mod:`verify.checker.verdicts`, Bonferroni over the specs) and assembles the
:class:`~verify.checker.result.CheckResult` (:func:`~verify.checker.result.make_result`).
An instance outside the claim's hypotheses is signalled by raising
:class:`Outside`; the template turns it into
:func:`~verify.checker.result.outside_result`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from .verdicts import Comparison, Spec

__all__ = ["Findings", "Outside"]


@dataclass(frozen=True)
class Findings:
    """The comparisons a check states on one instance, and what it measured.

    Attributes
    ----------
    instance : dict
        The instance as reported (JSON-ready: the law described, the vectors used).
    specs : sequence of Spec
        The comparisons to make, each with its reading id and its ``id`` among the claim's
        ``spec_ids``; compared by the template with the check's α split over them.
    comparisons : sequence of Comparison
        Comparisons the check decided itself, under a rule of its own (a convergence test, a
        Clopper–Pearson interval, per-sample identities at the full α); no control addresses them.
    tightness : float, optional
        actual/claimed at this instance (``CheckResult.tightness``).
    details : dict
        Claim-specific measurements.
    note : str
    in_hypothesis : bool or None
        False outside the claim's hypotheses, None when they could not be confirmed
        (a violation is then not a refutation).
    conjunction : sequence of str, optional
        Reading ids whose parts together make the primary reading (:func:`~verify.checker.result.make_result`).
    grouped : bool
        Keep one comparison per (reading, name before ``" @"``): the most telling one of a grid
        (:func:`~verify.checker.verdicts.group_worst`).

    Examples
    --------
    >>> from verify.checker.verdicts import Spec
    >>> f = Findings({"p": 3}, specs=[Spec("1 ≤ 2", 1.0, 2.0, "<=", "as-printed", id="one-below-two")])
    >>> [s.id for s in f.specs]
    ['one-below-two']
    """

    instance: dict
    specs: Sequence[Spec] = ()
    comparisons: Sequence[Comparison] = ()
    tightness: float | None = None
    details: dict = field(default_factory=dict)
    note: str = ""
    in_hypothesis: bool | None = True
    conjunction: Sequence[str] | None = None
    grouped: bool = False

    def __post_init__(self) -> None:
        unnamed = [s.name for s in self.specs if not s.id]
        if unnamed:
            raise ValueError(f"every Spec of a check needs an id (a stable slug): {unnamed}")


class Outside(Exception):
    """Raised by a check whose instance does not satisfy the claim's hypotheses (reported, never counted).

    Parameters
    ----------
    reason : str
        Which hypothesis fails, in words (``"needs ‖w − w*‖ < ‖w*‖"``).
    instance : dict, optional
        The instance as reported (JSON-ready); the check's input when omitted.
    details : dict, optional
        What was measured before the hypothesis failed.

    Examples
    --------
    >>> str(Outside("needs ‖w − w*‖ < ‖w*‖", {"p": 2}))
    'needs ‖w − w*‖ < ‖w*‖'
    """

    def __init__(self, reason: str, instance: dict | None = None, details: dict | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.instance = instance
        self.details = details


"""Negative controls: how a check's comparisons turn into those of a deliberately false variant of its claim.

A :class:`~verify.checker.claim.Control` adds instance keys; the template
(:meth:`~verify.checker.claim.Claim.check`) passes the check's specs through
:func:`controlled`, which reads them.  Every key addresses comparisons by their
stable ``Spec.id`` (never by label text or position), ``"*"`` meaning all:

``control_scale``   ``{spec id: factor}`` — the right-hand side of those comparisons is multiplied by
                    ``factor`` (a constant scaled);
``control_shift``   ``{spec id: amount}`` — ``amount`` is added to that right-hand side;
``control_reverse`` a spec id, a list of them, or ``"*"`` — ``<=`` and ``>=`` are swapped (the relation
                    reversed);
``control_assume_hypotheses``  True — an instance outside the claim's hypotheses is judged as if it
                    were inside (a hypothesis dropped; applied by the template).

An id the claim does not declare (``Claim.spec_ids``) is an error
(:func:`addressed_ids` lists them), so a renamed comparison cannot silently
turn a control off.  Keys a check reads itself (``eta_scale`` …) are
documented in that check.  A control must be refuted by its check
(docs/claims.md §7): a check that cannot refute a false variant has no teeth
against that error.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from .terms import Term
from .verdicts import Spec

__all__ = ["CONTROL_KEYS", "ALL", "addressed_ids", "controlled", "assumes_hypotheses"]

CONTROL_KEYS = ("control_scale", "control_shift", "control_reverse", "control_assume_hypotheses")
#: The id that addresses every comparison of a check.
ALL = "*"
_REVERSED = {"<=": ">=", ">=": "<=", "==": "=="}


def _reversed_ids(instance: Mapping[str, Any]) -> set[str]:
    value = instance.get("control_reverse")
    if not value:
        return set()
    return {value} if isinstance(value, str) else {str(v) for v in value}


def addressed_ids(instance: Mapping[str, Any]) -> set[str]:
    """The spec ids the instance's control keys address (``"*"`` left out).

    Examples
    --------
    >>> sorted(addressed_ids({"control_scale": {"angle-bound": 0.5}, "control_reverse": "*"}))
    ['angle-bound']
    """
    ids = set(instance.get("control_scale") or {}) | set(instance.get("control_shift") or {})
    return (ids | _reversed_ids(instance)) - {ALL}


def controlled(specs: Sequence[Spec], instance: Mapping[str, Any]) -> list[Spec]:
    """The specs after the instance's control keys (module doc), unchanged without them.

    Examples
    --------
    >>> spec = Spec("θ ≤ arcsin", 1.0, 2.0, "<=", "as-printed", id="angle-bound")
    >>> [(s.rhs.value, s.relation) for s in controlled([spec], {"control_scale": {"angle-bound": 0.25}})]
    [(0.5, '<=')]
    >>> controlled([spec], {"control_reverse": "*"})[0].relation
    '>='
    >>> controlled([spec], {"control_reverse": "other-bound"})[0].relation
    '<='
    """
    scale, shift = instance.get("control_scale") or {}, instance.get("control_shift") or {}
    reverse = _reversed_ids(instance)
    if not (scale or shift or reverse):
        return list(specs)
    out = []
    for spec in specs:
        rhs, relation = spec.rhs, spec.relation
        for sid, factor in scale.items():
            if sid in (ALL, spec.id):
                rhs = Term.of(rhs) * float(factor)
        for sid, amount in shift.items():
            if sid in (ALL, spec.id):
                rhs = Term.of(rhs) + float(amount)
        if reverse & {ALL, spec.id}:
            relation = _REVERSED[relation]
        out.append(replace(spec, rhs=rhs, relation=relation))
    return out


def assumes_hypotheses(instance: Mapping[str, Any]) -> bool:
    """Whether a control asks for instances outside the hypotheses to be judged as inside."""
    return bool(instance.get("control_assume_hypotheses"))

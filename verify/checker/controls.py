"""Negative controls: how a check turns into the check of a deliberately false variant of its claim.

A :class:`~verify.checker.claim.Control` adds instance keys; the checks pass
their comparisons through :func:`controlled` (or :func:`controlled_sides` for
a single comparison), which reads them:

``control_scale``   ``{prefix: factor}`` — the right-hand side of every comparison whose name starts
                    with ``prefix`` (``"*"``: all) is multiplied by ``factor`` (a constant scaled);
``control_shift``   ``{prefix: amount}`` — ``amount`` is added to that right-hand side;
``control_reverse`` a prefix (or ``"*"``) — ``<=`` and ``>=`` are swapped (the relation reversed);
``control_assume_hypotheses``  True — an instance outside the claim's hypotheses is judged as if it
                    were inside (a hypothesis dropped; applied by :func:`~verify.checker.result.make_result`).

Keys a check reads itself (``eta_scale`` …) are documented in that check.  A
control must be refuted by its check (docs/claims.md §7): a check that
cannot refute a false variant has no teeth against that error.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from .terms import Term
from .verdicts import Spec

__all__ = ["CONTROL_KEYS", "controlled", "controlled_sides", "assumes_hypotheses"]

CONTROL_KEYS = ("control_scale", "control_shift", "control_reverse", "control_assume_hypotheses")
_REVERSED = {"<=": ">=", ">=": "<=", "==": "=="}


def _matches(name: str, prefix: str) -> bool:
    return prefix == "*" or name.startswith(prefix)


def controlled_sides(name: str, lhs: Any, rhs: Any, relation: str,
                     instance: Mapping[str, Any]) -> tuple[Any, Any, str]:
    """(lhs, rhs, relation) of one comparison after the instance's control keys (module doc).

    Examples
    --------
    >>> lhs, rhs, relation = controlled_sides("θ ≤ arcsin", 1.0, 2.0, "<=", {"control_scale": {"θ": 0.25}})
    >>> lhs, rhs.value, relation
    (1.0, 0.5, '<=')
    >>> controlled_sides("θ ≤ arcsin", 1.0, 2.0, "<=", {"control_reverse": "*"})[2]
    '>='
    """
    for prefix, factor in (instance.get("control_scale") or {}).items():
        if _matches(name, prefix):
            rhs = Term.of(rhs) * float(factor)
    for prefix, amount in (instance.get("control_shift") or {}).items():
        if _matches(name, prefix):
            rhs = Term.of(rhs) + float(amount)
    reverse = instance.get("control_reverse")
    if reverse and _matches(name, str(reverse)):
        relation = _REVERSED[relation]
    return lhs, rhs, relation


def controlled(specs: Sequence[Spec], instance: Mapping[str, Any]) -> list[Spec]:
    """The comparisons of a check after the instance's control keys (unchanged without them)."""
    if not any(key in instance for key in CONTROL_KEYS[:3]):
        return list(specs)
    out = []
    for spec in specs:
        lhs, rhs, relation = controlled_sides(spec.name, spec.lhs, spec.rhs, spec.relation, instance)
        out.append(replace(spec, lhs=lhs, rhs=rhs, relation=relation))
    return out


def assumes_hypotheses(instance: Mapping[str, Any]) -> bool:
    """Whether a control asks for instances outside the hypotheses to be judged as inside."""
    return bool(instance.get("control_assume_hypotheses"))

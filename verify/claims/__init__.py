"""The registry of the paper's 20 claims: one module per claim id (docs/claims.md §4).

Each module (``verify/claims/thm22_angle.py`` for ``thm22-angle``) holds
everything about its claim, from one template
(:class:`~verify.checker.claim.Claim`, built by keyword): the statement, the
source in the paper, the kind, what was reconstructed and from what, the
readings (ASCII slug ids with human labels), the check (a function named after
the id, returning :class:`~verify.checker.findings.Findings`), the ids of its
comparisons, the Hypothesis searches the claim checker runs, its negative
controls, the parameters it takes from a law and its erratum text.  Claims
never import each other: what several share lives in :mod:`verify.checker`.

:data:`verify.checker.catalogue.ORDER` lists the ids in the order of docs/claims.md §4 (the one
list) and :data:`~verify.checker.catalogue.CONTROL_NAMES` each claim's control names, as plain data
(``verify check --help`` and its usage errors read them without importing the claims);
:data:`REGISTRY` maps id → Claim in that order, and refuses a module whose id or controls differ;
:func:`check_claim` checks one claim on its default instance or on a given
law (what ``verify check`` runs); :func:`verify.run_claims` runs every search.

Examples
--------
>>> from verify.claims import REGISTRY, check_claim
>>> len(REGISTRY)
20
>>> check_claim("def21-rotinv-equal").verdict
'refuted'
"""

from __future__ import annotations

from dataclasses import replace
from importlib import import_module
from typing import Any, Callable

from ..checker.catalogue import CONTROL_NAMES
from ..checker.claim import Claim
from ..checker.result import CheckResult
from ..validation import InvalidArgument, check_count, check_seed

__all__ = ["REGISTRY", "get_claim", "list_claims", "check_claim"]


def _load(claim_id: str, control_names: tuple[str, ...]) -> Claim:
    """The ``CLAIM`` of the module named after ``claim_id``, checked against its row of the names table.

    One file per claim, holding that claim; its controls must be named as
    :data:`~verify.checker.catalogue.CONTROL_NAMES` names them (what ``verify check --help`` lists
    and the usage errors accept without importing the claims), else ValueError naming the file.

    Examples
    --------
    >>> _load("thm22-angle", ("half-the-arcsin",))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: verify/claims/thm22_angle.py names its controls ('half-the-arcsin', 'angle-at-least-the-arcsin') ...
    """
    path = f"verify/claims/{claim_id.replace('-', '_')}.py"
    claim = import_module(f".{claim_id.replace('-', '_')}", __name__).CLAIM
    if claim.id != claim_id:
        raise ValueError(f"{path} holds claim {claim.id!r}: one file per claim, named after it")
    names = tuple(control.name for control in claim.controls)
    if names != tuple(control_names):
        raise ValueError(f"{path} names its controls {names!r} but verify/checker/catalogue.py's CONTROL_NAMES "
                         f"lists {tuple(control_names)!r} for {claim_id}: make the two agree")
    return claim


#: id → Claim, in the order of docs/claims.md §4.
REGISTRY: dict[str, Claim] = {claim_id: _load(claim_id, names) for claim_id, names in CONTROL_NAMES.items()}


def _check_registry() -> None:
    """The false-alarm shares of the searches fit in the run's budget."""
    from ..checker.profiles import FALSE_ALARM_TOTAL

    total = sum(s.false_alarm for claim in REGISTRY.values() for s in claim.searches)
    if total > FALSE_ALARM_TOTAL * (1 + 1e-12):
        raise ValueError(f"the searches' false-alarm shares add up to {total:g} > {FALSE_ALARM_TOTAL:g}")


_check_registry()


def get_claim(claim_id: str) -> Claim:
    """The registry entry of a claim id (InvalidArgument, listing the known ids, for an unknown one)."""
    try:
        return REGISTRY[claim_id]
    except (KeyError, TypeError):
        raise InvalidArgument("claim", f"unknown claim id {claim_id!r}; known: {', '.join(REGISTRY)}") from None


def list_claims() -> list[dict[str, Any]]:
    """Every claim's metadata (id, source, statement, kind, reconstructed, readings, method, tightness)."""
    return [c.to_dict() for c in REGISTRY.values()]


def check_claim(
    claim_id: str, dist: Any = None, *, seed: int = 0, n: int | None = None, **instance_overrides: Any
) -> CheckResult:
    """Check one claim on its default instance, or on a given distribution (what ``verify check`` runs).

    Parameters
    ----------
    claim_id : str
        An id of :data:`REGISTRY`.
    dist : distribution, optional
        Any object with ``p``, ``k`` and ``sample(n, rng)`` (built-in or a
        user's); replaces the default instance's distribution.  Claims about
        no distribution that have a dimension (geometry, initialization) take
        ``p`` from it; the others (the §4 experiments) refuse it.
    seed : int
        Seed of every random choice (default w, draws, Monte Carlo).
    n : int, optional
        Monte Carlo draws for laws without an exact method.
    **instance_overrides
        Instance keys (``w_star``, ``w``, ``phi``, ``eta``, ``alpha`` …).  A key
        the claim's check does not read on this instance is an error, never
        silently ignored.

    Returns
    -------
    CheckResult

    Raises
    ------
    InvalidArgument
        Naming ``dist`` for a law given to a claim that takes none, or the
        keyword the check did not read.

    Examples
    --------
    >>> check_claim("thm22-angle", w_star=[1.0, 0.0], w=[0.6, 0.5]).verdict
    'holds'
    >>> check_claim("thm22-angle", w_start=[1.0, 0.0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: w_start: thm22-angle's check does not read 'w_start' (it read: ...)
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
        if claim.takes_distribution:
            inst["dist"] = dist
        elif claim.parameters:
            for key in claim.parameters:      # what a claim about no law takes from a law (``p``)
                inst.setdefault(key, getattr(dist, key))
        else:
            raise InvalidArgument("dist", f"{claim.id} is about no input distribution: it takes no dist")
    read: set[str] = set()
    result = replace(claim, check_function=_reading(claim.check_function, read)).check(inst)
    if "dist" in inst and "dist" not in read:
        raise InvalidArgument("dist", f"{claim.id} is about no input distribution: its check does not read dist")
    ignored = sorted(set(instance_overrides) - read - _TEMPLATE_KEYS)
    if ignored:
        raise InvalidArgument(ignored[0], f"{claim.id}'s check does not read {ignored[0]!r} "
                                          f"(it read: {', '.join(sorted(read)) or 'nothing'})")
    return result


#: Instance keys the template itself consumes before the check sees the instance (:meth:`Claim.check`).
_TEMPLATE_KEYS = frozenset({"alpha"})


class _ReadKeys(dict):
    """An instance dict that notes the keys read from it.

    A key is read by ``[]``, ``get``, ``in``, ``pop`` or ``setdefault``; a copy
    (``{**instance}``, ``dict(instance)``) or a loop over the keys reads every
    key, since the copy may be read later.  ``items()`` and ``values()`` read
    nothing: checks use them to report the instance as given.
    """

    def __init__(self, data: dict, read: set[str]) -> None:
        super().__init__(data)
        self._read = read

    def __getitem__(self, key: Any) -> Any:
        self._read.add(key)
        return super().__getitem__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._read.add(key)
        return super().get(key, default)

    def __contains__(self, key: Any) -> bool:
        self._read.add(key)
        return super().__contains__(key)

    def pop(self, key: Any, *default: Any) -> Any:
        self._read.add(key)
        return super().pop(key, *default)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._read.add(key)
        return super().setdefault(key, default)

    def __iter__(self) -> Any:
        self._read.update(super().keys())
        return super().__iter__()

    def keys(self) -> Any:
        self._read.update(super().keys())
        return super().keys()


def _reading(check: Callable[..., Any], read: set[str]) -> Callable[..., Any]:
    """``check`` on a :class:`_ReadKeys` copy of its instance, noting the keys it reads into ``read``."""

    def noted(instance: dict, **options: Any) -> Any:
        return check(_ReadKeys(instance, read), **options)

    return noted


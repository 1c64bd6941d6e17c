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

:data:`ORDER` lists the ids in the order of docs/claims.md §4 (the one list);
:data:`REGISTRY` maps id → Claim in that order;
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

from importlib import import_module
from typing import Any

from ..checker.claim import Claim
from ..checker.result import CheckResult
from ..validation import InvalidArgument, check_count, check_seed

__all__ = ["ORDER", "REGISTRY", "get_claim", "list_claims", "check_claim"]

#: The claim ids in the order of docs/claims.md §4; claim ``a-b`` lives in ``verify/claims/a_b.py`` as ``CLAIM``.
ORDER = (
    "lemma-a1",
    "def21-shape",
    "def21-rotinv-equal",
    "thm21-recovery",
    "thm22-angle",
    "thm22-gradient-bounds",
    "thm22-contraction",
    "thm22-complexity",
    "thm-a1-beta-rotinv",
    "thm-a2-beta-gaussian",
    "thm31-gradient-bounds",
    "thm31-contraction",
    "asm32-identical-patches",
    "thm32-sgd",
    "thm33-closeness",
    "thm34-init",
    "cor31-init",
    "sec4-smoothness",
    "sec4-closeness",
    "sec4-real-data",
)


def _load(claim_id: str) -> Claim:
    """The ``CLAIM`` of the module named after ``claim_id`` (one file per claim, holding that claim)."""
    claim = import_module(f".{claim_id.replace('-', '_')}", __name__).CLAIM
    if claim.id != claim_id:
        raise ValueError(f"verify/claims/{claim_id.replace('-', '_')}.py holds claim {claim.id!r}: one file per "
                         "claim, named after it")
    return claim


#: id → Claim, in the order of docs/claims.md §4.
REGISTRY: dict[str, Claim] = {claim_id: _load(claim_id) for claim_id in ORDER}


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
        if claim.takes_distribution:
            inst["dist"] = dist
        else:
            for key in claim.parameters:      # what a claim about no law takes from a law (``p``)
                inst.setdefault(key, getattr(dist, key))
    return claim.check(inst)

"""The registry of the paper's 20 claims: one module per claim id (docs/claims.md §4).

Each module (``verify/claims/thm22_angle.py`` for ``thm22-angle``) holds
everything about its claim, from one template
(:class:`~verify.checker.claim.Claim`, built by keyword): the statement, the
source in the paper, the kind, what was reconstructed and from what, the
readings (ASCII slug ids with human labels), the check (a function named after
the id), and the Hypothesis searches the claim checker runs.

:data:`REGISTRY` maps id → Claim in the order of docs/claims.md §4;
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

from typing import Any

from ..checker.claim import Claim
from ..checker.result import CheckResult
from ..validation import InvalidArgument, check_count, check_seed
from . import (
    asm32_identical_patches,
    cor31_init,
    def21_rotinv_equal,
    def21_shape,
    lemma_a1,
    sec4_closeness,
    sec4_real_data,
    sec4_smoothness,
    thm21_recovery,
    thm22_angle,
    thm22_complexity,
    thm22_contraction,
    thm22_gradient_bounds,
    thm31_contraction,
    thm31_gradient_bounds,
    thm32_sgd,
    thm33_closeness,
    thm34_init,
    thm_a1_beta_rotinv,
    thm_a2_beta_gaussian,
)

__all__ = ["REGISTRY", "get_claim", "list_claims", "check_claim"]

_MODULES = (
    lemma_a1,
    def21_shape,
    def21_rotinv_equal,
    thm21_recovery,
    thm22_angle,
    thm22_gradient_bounds,
    thm22_contraction,
    thm22_complexity,
    thm_a1_beta_rotinv,
    thm_a2_beta_gaussian,
    thm31_gradient_bounds,
    thm31_contraction,
    asm32_identical_patches,
    thm32_sgd,
    thm33_closeness,
    thm34_init,
    cor31_init,
    sec4_smoothness,
    sec4_closeness,
    sec4_real_data,
)

#: id → Claim, in the order of docs/claims.md §4.
REGISTRY: dict[str, Claim] = {module.CLAIM.id: module.CLAIM for module in _MODULES}


def _check_registry() -> None:
    """Every module is named after its id, and the false-alarm shares fit in the run's budget."""
    from ..checker.profiles import FALSE_ALARM_TOTAL

    for module in _MODULES:
        expected = module.__name__.rsplit(".", 1)[1].replace("_", "-")
        if module.CLAIM.id.replace("_", "-") != expected:
            raise ValueError(f"{module.__name__} holds claim {module.CLAIM.id!r}: one file per claim, named after it")
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
        elif "p" in _parameters_of(claim):
            inst.setdefault("p", int(dist.p))
    return claim.check(inst)


def _parameters_of(claim: Claim) -> set[str]:
    """Instance keys a claim without a law reads from a law given to it (only ``p``, for now)."""
    return {"p"} if claim.id in ("thm22-angle", "thm34-init", "cor31-init") else set()

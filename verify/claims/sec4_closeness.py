"""sec4-closeness: §4, Fig. 3b, closer patches converge faster (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

from ..checker.claim import Claim, Reading
from ..checker.context import ConstantsCache
from ..checker.experiment_checks import (
    RATE_ORDERING_TIGHTNESS,
    experiment_search,
    rate_ordering_controls,
    rate_ordering_findings,
)
from ..checker.findings import Findings


def sec4_closeness(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 19: Fig. 3b's rates, Welch intervals on neighbours
    (:func:`~verify.checker.experiment_checks.rate_ordering_findings`)."""
    return rate_ordering_findings("fig3b", "sigma_patch^2", False, "as-printed", instance, cache)


CLAIM = Claim(
    id="sec4-closeness",
    source="§4, Fig. 3b",
    statement=("the closer the patches (smaller σ_patch²), the faster (S)GD converges"),
    kind="empirical",
    readings=(Reading("as-printed", "as printed"),),
    check_function=sec4_closeness,
    spec_ids=("rate-ordered",),
    defaults={},
    method="seeded SGD runs per σ_patch²; Welch intervals on neighbouring mean rates",
    tightness=RATE_ORDERING_TIGHTNESS,
    controls=rate_ordering_controls(
        "closer-patches-converge-faster",
        ("closer-is-slower", "the closer the patches, the slower the convergence (the relation reversed)"),
        ("each-step-gains-one", "each smaller σ_patch² raises the rate by at least 1 (a threshold shifted)"),
    ),
    searches=(experiment_search("closer-patches-converge-faster", false_alarm=0.0001),),
)

__doc__ = CLAIM.module_doc()

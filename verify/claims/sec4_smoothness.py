"""sec4-smoothness: §4, Fig. 3a, smoother inputs converge faster (docstring derived from ``CLAIM`` below)."""

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


def sec4_smoothness(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 18: Fig. 3a's rates (``profile``, ``seed``, ``overrides``), Welch intervals on neighbours
    (:func:`~verify.checker.experiment_checks.rate_ordering_findings`)."""
    return rate_ordering_findings("fig3a", "sigma", True, "as-printed", instance, cache)


CLAIM = Claim(
    id="sec4-smoothness",
    source="§4, Fig. 3a",
    statement=(
        "the smoother the input distribution (larger σ of the angular mixture), the faster (S)GD converges at"
        " a fixed initialization and step"
    ),
    kind="empirical",
    readings=(Reading("as-printed", "as printed"),),
    check_function=sec4_smoothness,
    spec_ids=("rate-ordered",),
    defaults={},
    method="seeded SGD runs per σ; Welch intervals on neighbouring mean rates",
    tightness=RATE_ORDERING_TIGHTNESS,
    controls=rate_ordering_controls(
        "larger-sigma-converges-faster",
        ("smoother-is-slower", "the larger σ, the slower the convergence (the relation reversed)"),
        ("each-step-gains-one", "each larger σ raises the rate by at least 1 (a threshold shifted)"),
    ),
    searches=(experiment_search("larger-sigma-converges-faster", false_alarm=0.0001),),
)

__doc__ = CLAIM.module_doc()

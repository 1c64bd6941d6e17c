"""sec4-closeness: §4, Fig. 3b, closer patches converge faster (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.context import ConstantsCache
from ..checker.experiment_checks import rate_ordering_findings, the_runs_experiments
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
    reconstructed=None,
    readings=(Reading("as-printed", "as printed"),),
    check_function=sec4_closeness,
    spec_ids=("rate-ordered",),
    defaults={},
    method="seeded SGD runs per σ_patch²; Welch intervals on neighbouring mean rates",
    tightness="none: an ordering or a threshold of measured losses over seeded runs (intervals in the details)",
    controls=(
        Control("closer-is-slower", "the closer the patches, the slower the convergence (the relation reversed)",
                {"control_reverse": "rate-ordered"}, "closer-patches-converge-faster"),
        Control("each-step-gains-one", "each smaller σ_patch² raises the rate by at least 1 (a threshold shifted)",
                {"control_shift": {"rate-ordered": 1.0}}, "closer-patches-converge-faster"),
    ),
    searches=(
        Search(
            "closer-patches-converge-faster",
            the_runs_experiments,
            expect="not-refuted",
            examples=1,
            false_alarm=0.0001,
        ),
    ),
)

__doc__ = CLAIM.module_doc()

"""sec4-closeness: §4, Fig. 3b.

the closer the patches (smaller σ_patch²), the faster (S)GD converges

See docs/claims.md §4 (sec4-closeness).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.context import ConstantsCache
from ..checker.result import CheckResult
from .sec4_smoothness import check_rate_ordering


def _the_runs_experiments() -> Any:
    """One instance: the experiments of the checker run (its profile and seed; run once, shared with the report)."""
    return st.just({})


def sec4_closeness(instance: dict, *, alpha: float, cache: ConstantsCache) -> CheckResult:
    """Claim 19: Fig. 3b's rates, Welch intervals on neighbours."""
    return check_rate_ordering(CLAIM, "fig3b", "sigma_patch^2", False, instance, alpha=alpha, cache=cache)


CLAIM = Claim(
    id="sec4-closeness",
    source="§4, Fig. 3b",
    statement=("the closer the patches (smaller σ_patch²), the faster (S)GD converges"),
    kind="empirical",
    reconstructed=None,
    readings=(Reading("as-printed", "as printed"),),
    check_function=sec4_closeness,
    defaults={},
    method="seeded SGD runs per σ_patch²; Welch intervals on neighbouring mean rates",
    tightness="none: an ordering or a threshold of measured losses over seeded runs (intervals in the details)",
    controls=(
        Control("closer-is-slower", "the closer the patches, the slower the convergence (the relation reversed)",
                {"control_reverse": "rate"}, "closer-patches-converge-faster"),
        Control("each-step-gains-one", "each smaller σ_patch² raises the rate by at least 1 (a threshold shifted)",
                {"control_shift": {"rate": 1.0}}, "closer-patches-converge-faster"),
    ),
    searches=(
        Search(
            "closer-patches-converge-faster",
            _the_runs_experiments,
            expect="not-refuted",
            examples=1,
            false_alarm=0.0001,
        ),
    ),
)

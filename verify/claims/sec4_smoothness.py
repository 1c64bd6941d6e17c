"""sec4-smoothness: §4, Fig. 3a.

the smoother the input distribution (larger σ of the angular mixture), the faster (S)GD converges at
a fixed initialization and step

See docs/claims.md §4 (sec4-smoothness).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.context import ConstantsCache
from ..checker.result import CheckResult, make_result
from ..checker.terms import Term, welch_term
from ..checker.controls import controlled
from ..checker.verdicts import Spec, compare_all
from ..jsonio import jsonable


def _the_runs_experiments() -> Any:
    """One instance: the experiments of the checker run (its profile and seed; run once, shared with the report)."""
    return st.just({})


def experiment_run(instance: dict, name: str, cache: ConstantsCache) -> Any:
    """The §4 experiment ``name`` an instance asks for.

    By default the run's own (``cache.experiment``: once per checker run, at
    the run's profile and seed, the same runs the report draws); an instance
    with ``profile``, ``seed`` or ``overrides`` (``{name: {setting: value}}``)
    runs its own.
    """
    from ..experiments import run_experiment

    if not any(key in instance for key in ("profile", "seed", "overrides")):
        return cache.experiment(name)
    profile = instance.get("profile", cache.experiment_profile)
    seed = int(instance.get("seed", cache.experiment_seed) or 0)
    overrides = dict((instance.get("overrides") or {}).get(name, {}))
    return run_experiment(name, profile=profile, seed=seed, **overrides)


def check_rate_ordering(
    claim: Claim, name: str, label: str, increasing: bool, instance: dict, *, alpha: float, cache: ConstantsCache
) -> CheckResult:
    """The rates of experiment ``name`` ordered in its parameter ``label``: Welch intervals on neighbours."""
    res = experiment_run(instance, name, cache)
    values, groups = res.series[label], res.series["rates"]
    specs = []
    for i in range(len(values) - 1):
        diff = welch_term(groups[i], groups[i + 1])
        rel = f"rate({label}={values[i + 1]:g}) {'≥' if increasing else '≤'} rate({label}={values[i]:g})"
        base = np.nanmean(np.asarray([x for x in groups[i] if x is not None], float))
        specs.append(
            Spec(rel, diff if increasing else -diff, Term(0.0), ">=", claim.primary, abs(base) if base else 1.0)
        )
    comparisons = compare_all(controlled(specs, instance), alpha)
    inst = jsonable({"experiment": name, "settings": res.parameters})
    return make_result(
        claim.id,
        inst,
        comparisons,
        claim.reading_ids,
        alpha=alpha,
        details={
            "finding": res.finding,
            label: values,
            "rate_mean": res.series["rate_mean"],
            "rate_ci": res.series["rate_ci"],
            "runtime_s": res.runtime_s,
        },
    )


def sec4_smoothness(instance: dict, *, alpha: float, cache: ConstantsCache) -> CheckResult:
    """Claim 18: Fig. 3a's rates (``profile``, ``seed``, ``overrides``), Welch intervals on neighbours."""
    return check_rate_ordering(CLAIM, "fig3a", "sigma", True, instance, alpha=alpha, cache=cache)


CLAIM = Claim(
    id="sec4-smoothness",
    source="§4, Fig. 3a",
    statement=(
        "the smoother the input distribution (larger σ of the angular mixture), the faster (S)GD converges at"
        " a fixed initialization and step"
    ),
    kind="empirical",
    reconstructed=None,
    readings=(Reading("as-printed", "as printed"),),
    check_function=sec4_smoothness,
    defaults={},
    method="seeded SGD runs per σ; Welch intervals on neighbouring mean rates",
    tightness="none: an ordering or a threshold of measured losses over seeded runs (intervals in the details)",
    controls=(
        Control("smoother-is-slower", "the larger σ, the slower the convergence (the relation reversed)",
                {"control_reverse": "rate"}, "larger-sigma-converges-faster"),
        Control("each-step-gains-one", "each larger σ raises the rate by at least 1 (a threshold shifted)",
                {"control_shift": {"rate": 1.0}}, "larger-sigma-converges-faster"),
    ),
    searches=(
        Search(
            "larger-sigma-converges-faster", _the_runs_experiments, expect="not-refuted", examples=1, false_alarm=0.0001
        ),
    ),
)

"""The §4 experiments as checks: which run an instance asks for, and a rate ordering (docs/claims.md §4 claims 18–20).

Spec id of an ordering: ``rate-ordered`` (one per pair of neighbouring settings).
"""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..jsonio import jsonable
from .claim import Control, Search
from .context import ConstantsCache
from .findings import Findings
from .terms import Term, welch_term
from .verdicts import Spec

__all__ = ["RATE_ORDERING_TIGHTNESS", "experiment_run", "experiment_search", "rate_ordering_controls",
           "rate_ordering_findings", "the_runs_experiments"]

#: What the tightness of a rate ordering is: none (the intervals are in the details).
RATE_ORDERING_TIGHTNESS = (
    "none: an ordering or a threshold of measured losses over seeded runs (intervals in the details)"
)


def the_runs_experiments() -> Any:
    """One instance: the experiments of the checker run (its profile and seed; run once, shared with the report)."""
    return st.just({})


def experiment_search(name: str, false_alarm: float) -> Search:
    """The search of a §4 experiment claim: one instance, the run's experiments (:func:`the_runs_experiments`),
    not refuted, with ``false_alarm`` as its share of the run's false-alarm budget.

    Examples
    --------
    >>> search = experiment_search("closer-patches-converge-faster", 1e-4)
    >>> search.expect, search.examples, search.false_alarm
    ('not-refuted', 1, 0.0001)
    """
    return Search(name, the_runs_experiments, expect="not-refuted", examples=1, false_alarm=false_alarm)


def rate_ordering_controls(search: str, reversed_: tuple[str, str], shifted: tuple[str, str]) -> tuple[Control, ...]:
    """The negative controls of a rate ordering: the ordering reversed, and each step required to raise the rate
    by at least 1 (the threshold shifted); ``reversed_`` and ``shifted`` are (name, statement).

    Examples
    --------
    >>> rev, shift = rate_ordering_controls("s", ("slower", "the reverse"), ("gains-one", "a gain of 1"))
    >>> rev.overrides, shift.overrides
    ({'control_reverse': 'rate-ordered'}, {'control_shift': {'rate-ordered': 1.0}})
    """
    return (Control(*reversed_, {"control_reverse": "rate-ordered"}, search),
            Control(*shifted, {"control_shift": {"rate-ordered": 1.0}}, search))


def experiment_run(instance: dict, name: str, cache: ConstantsCache) -> Any:
    """The §4 experiment ``name`` an instance asks for.

    By default the run's own (``cache.experiment``: once per checker run, at
    the run's profile and seed, the same runs the report draws); an instance
    with ``profile``, ``seed`` or ``overrides`` (``{name: {setting: value}}``)
    runs its own.
    """
    from ..experiments.registry import run_experiment

    if not any(key in instance for key in ("profile", "seed", "overrides")):
        return cache.experiment(name)
    profile = instance.get("profile", cache.experiment_profile)
    seed = int(instance.get("seed", cache.experiment_seed) or 0)
    overrides = dict((instance.get("overrides") or {}).get(name, {}))
    return run_experiment(name, profile=profile, seed=seed, **overrides)


def rate_ordering_findings(name: str, label: str, increasing: bool, reading: str, instance: dict,
                           cache: ConstantsCache) -> Findings:
    """The rates of experiment ``name`` ordered in its parameter ``label``: a Welch interval on each pair of
    neighbouring settings, rate(next) − rate(this) ≥ 0 (``increasing``) or ≤ 0, relative to |mean rate(this)|."""
    res = experiment_run(instance, name, cache)
    values, groups = res.series[label], res.series["rates"]
    specs = []
    for i in range(len(values) - 1):
        diff = welch_term(groups[i], groups[i + 1])
        rel = f"rate({label}={values[i + 1]:g}) {'≥' if increasing else '≤'} rate({label}={values[i]:g})"
        base = np.nanmean(np.asarray([x for x in groups[i] if x is not None], float))
        specs.append(Spec(rel, diff if increasing else -diff, Term(0.0), ">=", reading, abs(base) if base else 1.0,
                          id="rate-ordered"))
    details = {
        "finding": res.finding,
        label: values,
        "rate_mean": res.series["rate_mean"],
        "rate_ci": res.series["rate_ci"],
        "runtime_s": res.runtime_s,
    }
    return Findings(jsonable({"experiment": name, "settings": res.parameters}), specs, details=details)

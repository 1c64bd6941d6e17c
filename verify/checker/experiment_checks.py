"""The §4 experiments as checks: which run an instance asks for, and a rate ordering (docs/claims.md §4 claims 18–20).

Spec id of an ordering: ``rate-ordered`` (one per pair of neighbouring settings).
"""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..jsonio import jsonable
from .context import ConstantsCache
from .findings import Findings
from .terms import Term, welch_term
from .verdicts import Spec

__all__ = ["the_runs_experiments", "experiment_run", "rate_ordering_findings"]


def the_runs_experiments() -> Any:
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

"""Hypothesis settings profiles and the false-alarm budget of the property tests.

Profiles (registered here, in one place; chosen by ``--hypothesis-profile NAME``
or the environment variable ``VERIFY_PROFILE``, default ``default``):

``quick``     ≤ 60 s in total: 0.3× the examples; derandomized.
``default``   what CI runs (≤ 3 min on 2 cores): derandomized (the same examples
              on every run), ``print_blob=True`` so that a failure prints the
              blob that reproduces it, ``deadline=None`` (exact moments and
              dynamics take variable time).
``thorough``  6× the examples, random (not derandomized): a wider search.

The false-alarm budget (P[a true claim declared refuted in one run] ≤ 1e-3)
and its Bonferroni split over the statistical comparisons are written in
``properties/_budget.py``; the tests take their α from there and the checks
turn it into z thresholds (``verify.claims.z_threshold``).
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

import _budget

_COMMON = dict(deadline=None, print_blob=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])

settings.register_profile("quick", max_examples=8, derandomize=True, **_COMMON)
settings.register_profile("default", max_examples=25, derandomize=True, **_COMMON)
settings.register_profile("thorough", max_examples=150, derandomize=False, **_COMMON)

_budget.PROFILE = os.environ.get("VERIFY_PROFILE", "default")
if _budget.PROFILE not in _budget.PROFILES:
    raise ValueError(f"VERIFY_PROFILE must be one of {', '.join(_budget.PROFILES)}, got {_budget.PROFILE!r}")
settings.load_profile(_budget.PROFILE)


def pytest_configure(config):
    # hypothesis imports libcst to write the patch of a failing example (the strict-xfail tests): its
    # deprecation warnings are not ours.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:libcst.*")
    chosen = config.getoption("hypothesis_profile", None)
    if chosen:
        if chosen not in _budget.PROFILES:
            raise ValueError(f"--hypothesis-profile must be one of {', '.join(_budget.PROFILES)}, got {chosen!r}")
        _budget.PROFILE = chosen
        settings.load_profile(chosen)
    from verify.pytest_plugin import set_run_info

    seed = config.getoption("hypothesis_seed", None)
    set_run_info(profile=_budget.PROFILE,
                 seed=seed if seed is not None else ("derandomized" if settings.default.derandomize else None),
                 false_alarm={"total": _budget.TOTAL,
                              "split": {name: {"share": share, "examples": _budget.statistical_examples(name),
                                               "alpha_per_example": _budget.alpha_per_example(name)}
                                        for name, (share, _) in _budget.STATISTICAL.items()}})

"""The pytest face of the claim checker: each test runs one search of one claim (verify.claims).

The profile is the checker's (``quick``, ``default``, ``thorough``:
:mod:`verify.experiments.profiles`), chosen by ``--hypothesis-profile NAME`` (registered
with Hypothesis by :mod:`verify.pytest_plugin`) or the environment variable
``VERIFY_PROFILE`` (default ``default``); the seed by
``--hypothesis-seed`` (default 0).  The searches run exactly as in
:func:`verify.run_claims` — same instances, same verdicts — and every outcome
goes to the ``--claims-json`` document (:mod:`verify.pytest_plugin`).
"""
from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def checker(request, claim_outcomes):
    """Runs one search of a claim (Claim and Search objects) in this session's profile and seed; records it.

    ``checker.control(claim, control)`` runs a negative control the same way.
    """
    from verify.checker.context import ConstantsCache
    from verify.experiments.profiles import get_profile
    from verify.checker.search import run_search
    from verify.run import run_control

    option = request.config.getoption("hypothesis_profile", None)
    profile = get_profile(option or os.environ.get("VERIFY_PROFILE", "default"))
    seed = request.config.getoption("hypothesis_seed", None)
    seed = 0 if seed is None else int(seed)
    cache = ConstantsCache(experiment_profile=profile.experiments, experiment_seed=seed)
    claim_outcomes.profile, claim_outcomes.seed = profile.name, seed

    def run(claim, search):
        outcome = run_search(claim, search, profile=profile, seed=seed, cache=cache)
        claim_outcomes.experiments = cache.experiments()
        return claim_outcomes.add(outcome, claim)

    def control(claim, control):
        outcome = run_control(claim, control, profile=profile, seed=seed, cache=cache)
        claim_outcomes.experiments = cache.experiments()
        return claim_outcomes.add_control(claim.id, control.name, outcome, claim)

    run.control = control
    run.profile = profile
    return run

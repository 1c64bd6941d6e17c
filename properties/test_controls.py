"""Negative controls: every claim's deliberately false variants are refuted by its check.

A control is the claim with a constant scaled, the relation reversed or a hypothesis dropped
(verify.checker.controls); if a check could not refute it, the check would have no teeth against that
kind of error.  One test per (claim, control), on the instances of the claim's own searches.
"""
from __future__ import annotations

import pytest

from verify.claims import REGISTRY
from verify.experiments.profiles import get_profile

CONTROLS = [pytest.param(claim, c, id=f"{cid}/{c.name}") for cid, claim in REGISTRY.items() for c in claim.controls]


def test_every_claim_registers_at_least_two_controls():
    assert all(len(claim.controls) >= 2 for claim in REGISTRY.values()), {
        cid: len(claim.controls) for cid, claim in REGISTRY.items() if len(claim.controls) < 2}


@pytest.mark.parametrize(("claim", "control"), CONTROLS)
def test_the_check_refutes_its_negative_control(checker, claim, control):
    if get_profile(control.needs).scale > checker.profile.scale:
        pytest.skip(f"the {checker.profile.name} profile's run sizes lack the power for this control "
                    f"(needs {control.needs})")
    outcome = checker.control(claim, control)
    assert outcome.failure is not None, (
        f"{claim.id}: the false variant {control.statement!r} was not refuted on {len(outcome.results)} instances")

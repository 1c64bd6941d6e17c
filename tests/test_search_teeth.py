"""Searches on estimated laws can fail: a deliberately false variant makes each one miss its expectation.

These searches (angular mixtures by quadrature, close patches and SGD by Monte
Carlo, degenerate laws with searched directions) cannot always *refute*: their
instances' hypotheses are not all confirmed, or their estimates err one way by
construction (docs/claims.md §7).  They therefore expect **holds** on every
instance, so that a violation — refuted or merely inconclusive — fails them.
Each test below runs one such search, in the quick profile, on its own instances
with an override that makes the claim false, and asserts that the search fails.
If a change made the check blind (every instance "holds" whatever the claim),
these tests would fail.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from verify.experiments.profiles import get_profile
from verify.checker.search import run_search
from verify.checker.context import ConstantsCache
from verify.claims import get_claim

FALSE_VARIANTS = [
    # (claim, search, override making the claim false, the variant in words)
    ("thm21-recovery", "gd-on-an-angular-mixture-reaches-w-star", {"target_scale": 2.0}, "GD's limit is 2w*"),
    ("thm22-contraction", "one-gd-step-contracts-for-angular-mixtures-by-quadrature", {"factor_scale": 8.0},
     "the contraction factor 8× the proof's"),
    ("thm31-contraction", "one-gd-step-contracts-for-close-patches", {"factor_scale": 8.0},
     "the contraction factor 8× the proof's"),
    ("thm32-sgd", "sgd-succeeds-with-probability-at-least-one-minus-delta", {"c_T": 0.01}, "T/100 SGD steps"),
    ("thm22-gradient-bounds", "bounds-hold-for-degenerate-laws", {"control_scale": {"gradient-norm-upper-bound": 0.2}},
     "the upper gradient bound divided by 5"),
    ("thm31-gradient-bounds", "bounds-hold-for-close-patches", {"control_scale": {"gradient-norm-upper-bound": 0.2}},
     "the upper gradient bound divided by 5"),
]


@pytest.mark.parametrize("claim_id, search_name, override, variant", FALSE_VARIANTS,
                         ids=[f"{c}/{s}" for c, s, *_ in FALSE_VARIANTS])
def test_a_holds_search_on_estimated_laws_fails_on_a_false_variant(claim_id, search_name, override, variant):
    claim = get_claim(claim_id)
    search = claim.search(search_name)
    assert search.expect == "holds"
    honest = run_search(claim, search, profile=get_profile("quick"), cache=ConstantsCache())
    assert honest.met, honest.describe()

    def instances():
        return search.instances().map(lambda instance: {**instance, **override})

    false = replace(search, instances=instances)
    outcome = run_search(claim, false, profile=get_profile("quick"), cache=ConstantsCache())
    assert not outcome.met, f"{claim_id}/{search_name} missed the false variant ({variant}): {outcome.describe()}"
    assert outcome.failure.verdict in ("refuted", "inconclusive")

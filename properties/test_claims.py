"""The pytest face of the claim checker: one test per search of every claim of the registry (verify.claims).

Each test runs one :class:`~verify.checker.claim.Search` of one claim exactly as
:func:`verify.run_claims` does (same profile, seed, instances and verdicts;
``properties/conftest.py``) and asserts what the search expects of every
instance.  A search that expects ``refuted`` — the claim is false as printed —
is ``xfail(strict=True)`` with the search's own counterexample as the reason: it
must find a counterexample, and finding none fails the run.  Test ids are
``claim-id::search-name``, so ``-k thm22-angle`` selects one claim.
"""
from __future__ import annotations

import pytest

from verify.checker.claim import Claim, Search
from verify.claims import REGISTRY


def search_param(claim: Claim, search: Search) -> pytest.param:
    """One (claim, search) case, strictly xfail when the search expects the claim refuted."""
    marks = ()
    if search.expect == "refuted":
        marks = (pytest.mark.xfail(strict=True, reason=f"refuted as printed: {search.counterexample}"),)
    return pytest.param(claim, search, id=f"{claim.id}::{search.name}", marks=marks)


SEARCHES = [search_param(claim, search) for claim in REGISTRY.values() for search in claim.searches]


@pytest.mark.parametrize(("claim", "search"), SEARCHES)
def test_the_search_finds_what_it_expects(checker, claim, search):
    outcome = checker(claim, search)
    if search.expect == "refuted":
        assert outcome.failure is None, outcome.describe()   # the counterexample makes this fail: xfail
    else:
        assert outcome.met, outcome.describe()

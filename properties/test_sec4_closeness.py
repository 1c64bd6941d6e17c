"""sec4-closeness (§4, Fig. 3b): the closer the patches (smaller σ_patch²), the faster (S)GD converges

Each test runs one search of verify.claims.sec4_closeness (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_sec4_closeness_closer_patches_converge_faster(checker):
    outcome = checker('sec4-closeness', 'closer-patches-converge-faster')
    assert outcome.met, outcome.describe()

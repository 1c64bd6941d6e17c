"""asm32-identical-patches (§3, remark after Assumption 3.2): if Z_1 = … = Z_k then L_cross = 0

Each test runs one search of verify.claims.asm32_identical_patches (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_asm32_identical_patches_identical_patches_have_no_cross_moments(checker):
    outcome = checker('asm32-identical-patches', 'identical-patches-have-no-cross-moments')
    assert outcome.met, outcome.describe()


def test_asm32_identical_patches_identical_copies_of_a_continuous_law_have_zero_l_cross(checker):
    outcome = checker('asm32-identical-patches', 'identical-copies-of-a-continuous-law-have-zero-l-cross')
    assert outcome.met, outcome.describe()

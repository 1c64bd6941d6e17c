"""def21-shape (§2.1, remarks after Definition 2.1): γ(φ) and L(φ) are non-increasing in φ; 0 ≤ γ(φ) ≤ L(φ); γ(π)
= L(π) = 0 without mass on hyperplanes; A_{w,−w*} = 0 at θ(w, w*) = 0

Each test runs one search of verify.claims.def21_shape (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations


def test_def21_shape_shape_on_exact_laws(checker):
    outcome = checker('def21-shape', 'shape-on-exact-laws')
    assert outcome.met, outcome.describe()

"""thm-a1-beta-rotinv (Appendix A.1, Theorem A.1): for unit-norm rotationally invariant Z, Assumption 2.1 holds
with β = 1

Each test runs one search of verify.claims.thm_a1_beta_rotinv (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations

import math


def test_thm_a1_beta_rotinv_beta_one_holds_for_the_sphere_in_every_dimension(checker):
    outcome = checker('thm-a1-beta-rotinv', 'beta-one-holds-for-the-sphere-in-every-dimension')
    assert outcome.met, outcome.describe()
    for result in outcome.results:
        p = result.instance["p"]
        # the tight β of the unit sphere is 1/(πp) (docs/claims.md §6.5); closed form to rounding
        assert math.isclose(result.details["beta_tight"], 1 / (math.pi * p), rel_tol=1e-12)
        assert math.isclose(result.tightness, 1 / (math.pi * p), rel_tol=1e-12)

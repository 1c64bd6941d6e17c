"""thm-a2-beta-gaussian (Appendix A.1, Theorem A.2; §2.1 ('β = p')): for Z ~ N(0, I_p), β ≤ p (the main text says
'β = p')

Each test runs one search of verify.claims.thm_a2_beta_gaussian (docs/claims.md §4) and asserts what it expects of
every instance; the instances, tolerances and verdict rule are the library's.
"""
from __future__ import annotations

import math


def test_thm_a2_beta_gaussian_beta_at_most_p_holds_in_every_dimension(checker):
    outcome = checker('thm-a2-beta-gaussian', 'beta-at-most-p-holds-in-every-dimension')
    assert outcome.met, outcome.describe()
    for result in outcome.results:
        # tight β of N(0, I_p) is 1/π in every p (docs/claims.md §6.5): "β = p" is no tight constant
        assert math.isclose(result.details["beta_tight"], 1 / math.pi, rel_tol=1e-12)
        assert result.readings["beta-p-tight"] == "refuted"

"""The false-alarm budget of the property tests, and the number of examples per profile.

The budget
----------
A run of ``properties/`` (any profile) declares a *true* claim refuted with
probability at most ``TOTAL = 1e-3``.  Only comparisons that involve sampling
error can raise a false alarm: closed forms, exact finite sums and quadrature
come with hard error bounds (a violation beyond a hard bound plus the stated
margin ``verify.claims.TOL`` is a real one), and a comparison whose estimates
err towards violation by construction is never allowed to refute
(``verify.claims.compare``).  The budget is split over the statistical tests
by Bonferroni, as written in :data:`STATISTICAL`:

=====================================================================  =========  ===================
test                                                                    share       what is random
=====================================================================  =========  ===================
test_thm31_gradient_bounds_hold_for_close_patches                       2.0e-4     Monte Carlo moments
test_thm31_contraction_contracts_for_close_patches                      1.0e-4     Monte Carlo moments
test_thm32_sgd_succeeds_with_probability_at_least_one_minus_delta       2.0e-4     SGD success counts
test_thm34_init_exact_probability_agrees_with_monte_carlo               1.0e-4     Monte Carlo draws
test_sec4_smoothness_larger_sigma_converges_faster                      1.0e-4     SGD rates over seeds
test_sec4_closeness_closer_patches_converge_faster                      1.0e-4     SGD rates over seeds
test_sec4_real_data_sgd_learns_filters_on_digit_patches                 2.0e-4     SGD losses over seeds
=====================================================================  =========  ===================
                                                                 total   1.0e-3

Each test's share is split again evenly over the examples hypothesis runs
(:func:`alpha_per_example` = share / max_examples of the test in the running
profile), and each check splits what it gets over its own comparisons
(``verify.claims._compare_all``); every comparison then uses the one-sided
threshold z = t_dof(1 − α) (:func:`verify.claims.z_threshold`).  So, by the
union bound, P[any false refutation in the run] ≤ Σ shares = 1e-3, whatever the
profile.  For example, in the default profile the Monte Carlo test of
Theorem 3.1's gradient bounds runs 3 examples with 2 comparisons each:
α = 2e-4/3/2 ≈ 3.3e-5 per comparison, z = t_31(1 − 3.3e-5) ≈ 4.8.

Profiles
--------
``quick`` (≤ 60 s), ``default`` (≤ 3 min on 2 cores, derandomized: what CI
runs) and ``thorough`` scale every test's example count by :data:`SCALE`.
"""
from __future__ import annotations

import os

TOTAL = 1e-3

#: test name → (share of the budget, examples in the default profile)
STATISTICAL: dict[str, tuple[float, int]] = {
    "test_thm31_gradient_bounds_hold_for_close_patches": (2e-4, 3),
    "test_thm31_contraction_contracts_for_close_patches": (1e-4, 2),
    "test_thm32_sgd_succeeds_with_probability_at_least_one_minus_delta": (2e-4, 3),
    "test_thm34_init_exact_probability_agrees_with_monte_carlo": (1e-4, 6),
    "test_sec4_smoothness_larger_sigma_converges_faster": (1e-4, 1),
    "test_sec4_closeness_closer_patches_converge_faster": (1e-4, 1),
    "test_sec4_real_data_sgd_learns_filters_on_digit_patches": (2e-4, 1),
}
assert abs(sum(share for share, _ in STATISTICAL.values()) - TOTAL) < 1e-15

#: Examples per test relative to the default profile.
SCALE = {"quick": 0.3, "default": 1.0, "thorough": 6.0}
PROFILES = tuple(SCALE)

#: Set by properties/conftest.py from --hypothesis-profile or VERIFY_PROFILE.
PROFILE = os.environ.get("VERIFY_PROFILE", "default")


def examples(base: int) -> int:
    """max_examples of a test with ``base`` examples in the default profile, in the running profile."""
    return max(1, round(base * SCALE.get(PROFILE, 1.0)))


def statistical_examples(test: str) -> int:
    return examples(STATISTICAL[test][1])


def alpha_per_example(test: str) -> float:
    """The false-alarm probability one example of a statistical test may spend (module doc)."""
    share, _ = STATISTICAL[test]
    return share / statistical_examples(test)


def no_shrink_unless_thorough() -> dict:
    """settings(...) keywords for the strict-xfail tests of claims false as printed.

    In quick/default the first counterexample found ends the test (the shrunk one is
    written in the xfail reason); the thorough profile shrinks it again.
    """
    from hypothesis import Phase

    if PROFILE == "thorough":
        return {}
    return {"phases": (Phase.explicit, Phase.reuse, Phase.generate)}

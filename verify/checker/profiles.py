"""The claim checker's false-alarm budget, the same under every run profile (docs/claims.md §7).

The profiles themselves — how many examples a search draws, whether failing
examples are shrunk, and every other size a run takes from its profile — are
one :class:`~verify.experiments.profiles.Profile` each, in the experiments'
layer (the lowest one a profile sizes: see that module for why).

The false-alarm budget
----------------------
A run declares a *true* claim refuted with probability at most
:data:`FALSE_ALARM_TOTAL` = 1e-3, whatever the profile.  Only comparisons that
involve sampling error can raise a false alarm: closed forms, exact finite
sums and quadrature come with hard error bounds, and a comparison whose
estimates err towards violation by construction is never allowed to refute.
Each statistical :class:`~verify.checker.claim.Search` declares its share of
the budget (``false_alarm``); the shares of a run's claims add up to at most the
total (checked when the registry is built, and by :func:`verify.run_claims` for
the claims it is given), each share is split evenly over the search's examples
(:func:`alpha_per_example`), and each check splits what it gets over its own
comparisons.  By the union bound, P[any false refutation in a run] ≤ 1e-3.
"""

from __future__ import annotations

__all__ = ["FALSE_ALARM_TOTAL", "alpha_per_example"]

#: P[some true claim declared refuted in one run] ≤ this.
FALSE_ALARM_TOTAL = 1e-3


def alpha_per_example(share: float, examples: int) -> float | None:
    """The false-alarm probability one example of a search may spend: share / examples (None if no share).

    Examples
    --------
    >>> alpha_per_example(1e-4, 50), alpha_per_example(0.0, 50)
    (2e-06, None)
    """
    if share <= 0:
        return None
    return share / max(1, examples)

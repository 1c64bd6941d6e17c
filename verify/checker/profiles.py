"""Run profiles of the claim checker and its false-alarm budget (docs/claims.md §7).

Profiles
--------
``quick``     0.3× the examples of ``default``, the §4 experiments at their quick sizes (about a minute).
``default``   what CI and the committed report run.
``thorough``  6× the examples, failing examples shrunk: a wider search.

Every profile is seeded: the same profile and seed give the same instances,
on every machine (:mod:`verify.checker.search`).

The false-alarm budget
----------------------
A run declares a *true* claim refuted with probability at most
:data:`FALSE_ALARM_TOTAL` = 1e-3, whatever the profile.  Only comparisons that
involve sampling error can raise a false alarm: closed forms, exact finite
sums and quadrature come with hard error bounds, and a comparison whose
estimates err towards violation by construction is never allowed to refute.
Each statistical :class:`~verify.checker.claim.Search` declares its share of
the budget (``false_alarm``); the shares add up to the total (checked when the
registry is built), each share is split evenly over the search's examples
(:func:`alpha_per_example`), and each check splits what it gets over its own
comparisons.  By the union bound, P[any false refutation in a run] ≤ 1e-3.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..validation import InvalidArgument

__all__ = ["Profile", "PROFILES", "FALSE_ALARM_TOTAL", "get_profile", "alpha_per_example"]

#: P[some true claim declared refuted in one run] ≤ this.
FALSE_ALARM_TOTAL = 1e-3


@dataclass(frozen=True)
class Profile:
    """How hard a run searches: examples relative to ``default``, shrinking, the experiments' sizes."""

    name: str
    scale: float
    shrink: bool
    experiments: str

    def examples(self, base: int) -> int:
        """Examples of a search with ``base`` examples in the default profile."""
        return max(1, round(base * self.scale))


PROFILES: dict[str, Profile] = {
    "quick": Profile("quick", 0.3, False, "quick"),
    "default": Profile("default", 1.0, False, "default"),
    "thorough": Profile("thorough", 6.0, True, "default"),
}


def get_profile(name: str | Profile) -> Profile:
    """The profile of this name (InvalidArgument, listing the known names, for an unknown one)."""
    if isinstance(name, Profile):
        return name
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        raise InvalidArgument("profile", f"unknown profile {name!r}; known: {', '.join(PROFILES)}") from None


def alpha_per_example(share: float, examples: int) -> float | None:
    """The false-alarm probability one example of a search may spend: share / examples (None if no share)."""
    if share <= 0:
        return None
    return share / max(1, examples)

"""Run profiles: one :class:`Profile` per name owns every size a run takes from its profile.

Profiles
--------
``quick``     the claim checker's searches at 0.3× the examples of ``default``, the §4 experiments at
              their quick sizes, the report's figures coarse (about a minute in all).
``default``   what CI and the committed report run.
``thorough``  6× the examples, failing examples shrunk: a wider search; the §4 experiments it *checks*
              stay at their default sizes (``experiments``), their ``thorough`` sizes serve
              ``verify experiment --profile thorough``.

Every profile is seeded: the same profile and seed give the same instances, on
every machine (:mod:`verify.checker.search`).  The false-alarm budget of a run,
whatever its profile, is :data:`verify.checker.profiles.FALSE_ALARM_TOTAL`.

Why here
--------
A profile sizes three stages: the §4 experiments (:mod:`verify.experiments`), the
claim checker's searches (:mod:`verify.checker`) and the report's own figures
(:mod:`verify.report`).  The lowest of them is the experiments, so the
:class:`Profile` lives in their layer and the checker, the report and the command
line import it from here; its names, :data:`~verify.validation.PROFILE_NAMES`,
live in the foundation, because the command line checks them at start-up without
importing the experiments.

Examples
--------
>>> quick = get_profile("quick")
>>> quick.examples(100), quick.rates["iterations"], quick.figures["angles"]
(30, 600, 17)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from ..validation import PROFILE_NAMES, InvalidArgument

__all__ = ["Profile", "PROFILES", "get_profile"]


@dataclass(frozen=True)
class Profile:
    """How hard a run works, everywhere: the checker's examples, the experiments' and the figures' sizes.

    Attributes
    ----------
    name : str
        One of :data:`~verify.validation.PROFILE_NAMES`.
    scale : float
        The claim checker's examples relative to ``default`` (:meth:`examples`).
    shrink : bool
        Whether the checker shrinks failing examples of searches that expect a refutation.
    experiments : str
        The profile whose experiment sizes the claim checker's §4 claims run.
    rates : mapping
        Sizes of Figs. 3a–b (:mod:`verify.experiments.rates`): ``iterations``, ``seeds``.
    real : mapping
        Sizes of Figs. 3c–5 (:mod:`verify.experiments.real_data`): ``iterations``, ``seeds``.
    figures : mapping
        Sizes of the report's own figures: ``angles`` on [0, π], Monte Carlo draws
        ``n_mc`` for the patch laws, ``n_cross`` for L_cross / γ(0), ``n_init`` for
        the Monte Carlo check of the initialization probability.
    """

    name: str
    scale: float
    shrink: bool
    experiments: str
    rates: Mapping[str, int] = field(hash=False)
    real: Mapping[str, int] = field(hash=False)
    figures: Mapping[str, int] = field(hash=False)

    def examples(self, base: int) -> int:
        """Examples of a search with ``base`` examples in the default profile."""
        return max(1, round(base * self.scale))


def _sizes(**sizes: int) -> Mapping[str, int]:
    return MappingProxyType(sizes)


#: name → Profile, in the order of :data:`~verify.validation.PROFILE_NAMES`.
PROFILES: Mapping[str, Profile] = MappingProxyType({
    "quick": Profile("quick", 0.3, False, "quick",
                     rates=_sizes(iterations=600, seeds=4), real=_sizes(iterations=2000, seeds=4),
                     figures=_sizes(angles=17, n_mc=20_000, n_cross=10_000, n_init=20_000)),
    "default": Profile("default", 1.0, False, "default",
                       rates=_sizes(iterations=1500, seeds=10), real=_sizes(iterations=7500, seeds=12),
                       figures=_sizes(angles=33, n_mc=100_000, n_cross=50_000, n_init=200_000)),
    "thorough": Profile("thorough", 6.0, True, "default",
                        rates=_sizes(iterations=3000, seeds=30), real=_sizes(iterations=15000, seeds=24),
                        figures=_sizes(angles=65, n_mc=400_000, n_cross=200_000, n_init=1_000_000)),
})
if tuple(PROFILES) != PROFILE_NAMES or any(p.experiments not in PROFILES for p in PROFILES.values()):
    raise ValueError("one Profile per name of verify.validation.PROFILE_NAMES, in order")


def get_profile(name: str | Profile) -> Profile:
    """The profile of this name (InvalidArgument, listing the known names, for an unknown one).

    Examples
    --------
    >>> get_profile("thorough").experiments
    'default'
    >>> get_profile("fast")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: profile: unknown profile 'fast'; known: quick, default, thorough
    """
    if isinstance(name, Profile):
        return name
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        raise InvalidArgument("profile", f"unknown profile {name!r}; known: {', '.join(PROFILE_NAMES)}") from None

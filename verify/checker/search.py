"""One search for counterexamples, with Hypothesis used as a library (no pytest).

:func:`run_search` draws the instances of a :class:`~verify.checker.claim.Search`
from its strategy, checks the claim on each, and stops at the first instance
that contradicts the search's expectation (shrinking it where the profile
says so).  Hypothesis is driven exactly as in a property test — ``@given``
on a function that is then called — with:

* a seed derived from (claim id, search name, run seed) by SHA-256, so the
  instances are the same on every run and machine, and do not move when
  another search or claim changes;
* no example database, no deadline, no health checks on slow examples;
* Hypothesis' collection of literals from "local" modules turned off for the
  duration of the search (:func:`_without_local_constants`): with it, editing
  a literal anywhere in an imported source tree would change the drawn
  instances, and with them the committed verdicts.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..interrupts import pending, raise_pending
from .claim import Claim, Search, contradicts, search_seed
from .context import ConstantsCache
from ..experiments.profiles import Profile
from .profiles import alpha_per_example
from .refine import refine_search
from .result import CheckResult, reading_margin

__all__ = ["SearchOutcome", "run_search"]


@dataclass
class SearchOutcome:
    """What one search found.

    Attributes
    ----------
    claim, search : str
        The claim id and the search name.
    expect : str
        The search's expectation (``holds``, ``not-refuted``, ``refuted``).
    results : list of CheckResult
        Every instance checked, in order (a failing one appears again where
        Hypothesis replays or shrinks it).
    failure : CheckResult or None
        The (shrunk) instance that contradicted ``holds``/``not-refuted``, or
        the counterexample a ``refuted`` search was looking for.
    examples : int
        Instances the profile allowed.
    seed : int
        The Hypothesis seed used.
    alpha : float or None
        False-alarm probability allotted to each instance (None: exact search).
    refinement : dict or None
        What the local refinement did (:mod:`verify.checker.refine`); its
        instances are the last :attr:`refined` of ``results``.
    """

    claim: str
    search: str
    expect: str
    results: list[CheckResult] = field(default_factory=list)
    failure: CheckResult | None = None
    examples: int = 0
    seed: int = 0
    alpha: float | None = None
    refinement: dict | None = None

    @property
    def refined(self) -> int:
        """Instances checked by the local refinement (the last ones of ``results``)."""
        return int((self.refinement or {}).get("evaluations", 0))

    @property
    def met(self) -> bool:
        """Whether the expectation was met (a ``refuted`` search must have found its counterexample)."""
        return (self.failure is not None) if self.expect == "refuted" else (self.failure is None)

    def describe(self) -> str:
        """What the search found, in words (for an assertion message or a log)."""
        failure = self.failure
        if failure is None:
            return f"{self.claim}/{self.search}: no contradicting instance among {len(self.results)}"
        parts = [(p["name"], p["verdict"], p["why"]) for p in failure.parts]
        return (
            f"{self.claim}/{self.search}: {failure}\n  instance: {failure.instance}\n  note: {failure.note}\n"
            f"  parts: {parts}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "search": self.search,
            "expect": self.expect,
            "met": self.met,
            "instances": len(self.results),
            "examples": self.examples,
            "seed": self.seed,
            "alpha_per_example": self.alpha,
            "refinement": self.refinement,
            "failure": None
            if self.failure is None
            else {"verdict": self.failure.verdict, "margin": self.failure.margin, "instance": self.failure.instance},
        }


class _Contradiction(AssertionError):
    """Raised inside the Hypothesis probe when an instance contradicts the expectation."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(str(result))
        self.result = result


@contextmanager
def _without_local_constants() -> Iterator[None]:
    """Hypothesis without the literals of local modules, for the duration of one search.

    Hypothesis draws, with a small probability, literals found in the source of
    modules it deems local; the registry of providers is the documented way to
    choose a provider class (``AVAILABLE_PROVIDERS``), and the provider below
    is the standard one with an empty set of local constants.  The registry
    entry is restored on exit.  Should a future Hypothesis change these
    internals, the search runs with the standard provider (same verdict rule,
    possibly other instances).

    Hypothesis also memoizes, process-wide, the constants each draw may take
    (``CONSTANTS_CACHE``, keyed by the draw's bounds only, local constants
    included), and the engine builds some providers of the standard class
    directly; so the module's ``_get_local_constants`` is emptied too, and the
    memo is cleared on entry (entries filled by ordinary property tests would
    carry local constants into the search) and on exit (entries filled here
    would strip them from ordinary tests).
    """
    try:
        from hypothesis.internal.conjecture import providers

        base = providers.HypothesisProvider
        empty = providers.Constants()
        memo = providers.CONSTANTS_CACHE.cache
        get_local = providers._get_local_constants
    except (ImportError, AttributeError, TypeError):
        yield
        return

    class _NoLocalConstants(base):  # type: ignore[misc, valid-type]
        _local_constants = empty

    previous = providers.AVAILABLE_PROVIDERS.get("hypothesis")
    providers.AVAILABLE_PROVIDERS["hypothesis"] = _NoLocalConstants
    providers._get_local_constants = lambda: empty
    memo.clear()
    try:
        yield
    finally:
        providers.AVAILABLE_PROVIDERS["hypothesis"] = previous
        providers._get_local_constants = get_local
        memo.clear()


def _find_contradiction(error: BaseException) -> _Contradiction | None:
    if isinstance(error, _Contradiction):
        return error
    for inner in getattr(error, "exceptions", ()) or ():
        found = _find_contradiction(inner)
        if found is not None:
            return found
    return None


def run_search(
    claim: Claim, search: Search, *, profile: Profile, seed: int = 0, cache: ConstantsCache | None = None
) -> SearchOutcome:
    """Run one search of a claim under a profile; never raises for a contradicting instance.

    Parameters
    ----------
    claim : Claim
    search : Search
        One of ``claim.searches``.
    profile : Profile
        Sets the number of examples and whether failing examples are shrunk
        (searches that expect a refutation are shrunk only in ``thorough``).
    seed : int
        The run's seed (:func:`search_seed`).
    cache : ConstantsCache, optional
        Shared by the searches of one run.

    Returns
    -------
    SearchOutcome
        Exceptions other than a contradiction (a bug, a bad instance) propagate.
    """
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings, target
    from hypothesis import seed as hypothesis_seed

    cache = ConstantsCache() if cache is None else cache
    examples = profile.examples(search.examples)
    alpha = alpha_per_example(search.false_alarm, examples)
    outcome = SearchOutcome(
        claim.id,
        search.name,
        search.expect,
        examples=examples,
        seed=search_seed(claim.id, search.name, seed),
        alpha=alpha,
    )
    shrink = profile.shrink or search.expect != "refuted"
    phases = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target) + ((Phase.shrink,) if shrink else ())
    reading = search.reading or claim.primary
    drawn: list[tuple[dict, CheckResult]] = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        print_blob=False,
        report_multiple_bugs=False,
        phases=phases,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis_seed(outcome.seed)
    @given(search.instances())
    def probe(instance: dict) -> None:
        raise_pending()  # a signal whose exception was dropped (verify.interrupts) ends the run here
        result = claim.check(instance, alpha=alpha, cache=cache)
        outcome.results.append(result)
        drawn.append((instance, result))
        margin = reading_margin(result, reading)
        if math.isfinite(margin):
            target(-margin, label="closeness to a violation")   # the adversary: steer toward small margins
        if contradicts(claim, search, result):
            raise _Contradiction(result)

    with _without_local_constants():
        try:
            probe()
        except Exception as error:  # noqa: BLE001 - only a contradiction is swallowed, see below
            interruption = pending()
            if interruption is not None:  # Hypothesis interrupted mid-draw reports other errors: the signal wins
                raise interruption from error
            found = _find_contradiction(error)
            if found is None:
                raise
            outcome.failure = found.result
    if search.refine is not None and outcome.failure is None:
        _refine(claim, search, outcome, drawn, profile=profile, seed=seed, cache=cache)
    return outcome


def _refine(claim: Claim, search: Search, outcome: SearchOutcome, drawn: list, *, profile: Profile, seed: int,
            cache: ConstantsCache) -> None:
    """The adversary's second stage (:func:`verify.checker.refine.refine_search`), recorded in ``outcome``."""

    results, failure, record = refine_search(claim, search, drawn, scale=profile.scale, seed=seed,
                                             alpha=outcome.alpha, cache=cache)
    outcome.results.extend(results)
    outcome.refinement = record.to_dict()
    outcome.failure = failure

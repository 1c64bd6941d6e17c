"""pytest plugin ``verify_claims`` (entry point pytest11): ``--claims-json`` and the checker's profiles for pytest.

Loaded in every pytest run once the package is installed, so it costs nothing
at start-up: it registers its option and a plain-Python collector, and
imports numpy, scipy and the checker only when a test asks for them or the
session writes the document.

The property tests (``properties/``, the pytest face of the claim checker) run
each claim's searches with :func:`verify.checker.search.run_search` and hand every
:class:`~verify.checker.search.SearchOutcome` to the ``claim_outcomes``
fixture; with ``--claims-json PATH`` the session writes, atomically, the same
document as :func:`verify.run_claims` for the same claims
(:func:`verify.run.claims_document`).  ``--hypothesis-profile quick|default|thorough``
picks the checker's profile: the plugin registers those names with Hypothesis
(:func:`register_hypothesis_profile`), whose own plugin loads the profile named.
"""
from __future__ import annotations

from typing import Any

import pytest

__all__ = ["ClaimOutcomes", "register_hypothesis_profile"]


class ClaimOutcomes:
    """The search outcomes of one pytest session, by claim id, and the run they belong to."""

    def __init__(self) -> None:
        self.outcomes: dict[str, list[Any]] = {}
        self.control_outcomes: dict[str, dict[str, Any]] = {}
        self.claims: dict[str, Any] = {}
        self.profile: str = "default"
        self.seed: int = 0
        self.experiments: dict[str, Any] = {}

    def add(self, outcome: Any, claim: Any = None) -> Any:
        """Record a :class:`~verify.checker.search.SearchOutcome` (of ``claim``, a Claim); returns it.

        ``claim`` may be left out for a claim of the built-in registry.
        """
        self._record(outcome.claim, claim)
        self.outcomes.setdefault(outcome.claim, []).append(outcome)
        return outcome

    def add_control(self, claim_id: str, name: str, outcome: Any, claim: Any = None) -> Any:
        """Record the outcome of a negative control's search; returns it."""
        self._record(claim_id, claim)
        self.control_outcomes.setdefault(claim_id, {})[name] = outcome
        return outcome

    def _record(self, claim_id: str, claim: Any) -> None:
        if claim is not None and claim.id != claim_id:
            raise ValueError(f"an outcome of claim {claim_id!r} recorded with claim {claim.id!r}")
        if claim is not None or claim_id not in self.claims:
            self.claims[claim_id] = claim

    def document(self) -> dict[str, Any]:
        """The claims.json document of what was recorded (:func:`verify.run.claims_document`).

        It lists the claims whose searches ran, those of the built-in registry in
        its order and then the others, as :func:`verify.run_claims` would for the
        same claims.
        """
        from verify.claims import REGISTRY
        from verify.run import claims_document

        unknown = [cid for cid, claim in self.claims.items() if claim is None and cid not in REGISTRY]
        if unknown:
            raise ValueError(f"outcomes of claims outside the registry were recorded without their Claim: "
                             f"{', '.join(unknown)} (record them with claim_outcomes.add(outcome, claim))")
        claims = {cid: claim if claim is not None else REGISTRY[cid] for cid, claim in self.claims.items()}
        ordered = [claims[cid] for cid in REGISTRY if cid in claims]
        ordered += [claim for cid, claim in claims.items() if cid not in REGISTRY]
        return claims_document(self.outcomes, claims=ordered, profile=self.profile, seed=self.seed,
                               experiments=self.experiments, control_outcomes=self.control_outcomes)


_KEY = pytest.StashKey[ClaimOutcomes]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("verify-claims", "claims of Du, Lee & Tian (2018) checked by the property tests")
    group.addoption("--claims-json", action="store", default=None, metavar="PATH",
                    help="write every claim's verdict, margins, readings and counterexample to PATH "
                         "(the document `verify.run_claims` returns; written atomically at the end of the session)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.stash[_KEY] = ClaimOutcomes()
    name = config.getoption("hypothesis_profile", None)
    if name:
        register_hypothesis_profile(name)


def register_hypothesis_profile(name: str) -> None:
    """Register the checker's profile ``name`` with Hypothesis, so that ``--hypothesis-profile NAME`` works.

    Hypothesis' own plugin reads ``--hypothesis-profile`` and loads that profile
    by name; this hook runs first (``tryfirst``).  ``quick`` and ``thorough``
    become Hypothesis profiles whose ``max_examples`` is Hypothesis' default
    scaled like the checker's searches (30 and 600 for its 100); ``default`` is
    Hypothesis' own.  A profile of that name registered already (by a conftest)
    is left as it is, and so is a name the checker does not know.  The claim
    checker's searches set every setting they depend on themselves, so the
    Hypothesis profile changes only ordinary property tests; the checker reads
    the name (``properties/conftest.py``).  Imports happen only when the option
    is given.
    """
    from verify.validation import PROFILE_NAMES

    if name not in PROFILE_NAMES or name == "default":
        return
    from hypothesis import settings
    from hypothesis.errors import InvalidArgument as HypothesisInvalidArgument

    try:
        settings.get_profile(name)
        return
    except HypothesisInvalidArgument:
        pass
    from verify.experiments.profiles import get_profile

    base = settings.get_profile("default")
    settings.register_profile(name, parent=base, max_examples=get_profile(name).examples(base.max_examples))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    path = session.config.getoption("claims_json", None)
    outcomes = session.config.stash.get(_KEY, None)
    if not path or outcomes is None:
        return
    from pathlib import Path

    from verify.jsonio import write_json_atomically

    Path(path).parent.mkdir(parents=True, exist_ok=True)   # ``--claims-json out/claims.json`` from anywhere
    write_json_atomically(outcomes.document(), path)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"verify: wrote claim verdicts to {path}")


@pytest.fixture(scope="session")
def claim_outcomes(request: pytest.FixtureRequest) -> ClaimOutcomes:
    """The session's :class:`ClaimOutcomes` (what ``--claims-json`` writes)."""
    return request.config.stash[_KEY]

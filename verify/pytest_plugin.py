"""pytest plugin ``verify_claims`` (entry point pytest11): ``--claims-json`` for ``pytest properties/``.

Loaded in every pytest run once the package is installed, so it costs nothing
at start-up: it registers its option and a plain-Python collector, and
imports numpy, scipy and the checker only when a test asks for them or the
session writes the document.

The property tests (``properties/``, the pytest face of the claim checker) run
each claim's searches with :func:`verify.checker.search.run_search` and hand every
:class:`~verify.checker.search.SearchOutcome` to the ``claim_outcomes``
fixture; with ``--claims-json PATH`` the session writes, atomically, the same
document as :func:`verify.run_claims` (:func:`verify.run.claims_document`).
"""
from __future__ import annotations

from typing import Any

import pytest

__all__ = ["ClaimOutcomes"]


class ClaimOutcomes:
    """The search outcomes of one pytest session, by claim id, and the run they belong to."""

    def __init__(self) -> None:
        self.outcomes: dict[str, list[Any]] = {}
        self.control_outcomes: dict[str, dict[str, Any]] = {}
        self.profile: str = "default"
        self.seed: int = 0
        self.experiments: dict[str, Any] = {}

    def add(self, outcome: Any) -> Any:
        """Record a :class:`~verify.checker.search.SearchOutcome`; returns it."""
        self.outcomes.setdefault(outcome.claim, []).append(outcome)
        return outcome

    def add_control(self, claim_id: str, name: str, outcome: Any) -> Any:
        """Record the outcome of a negative control's search; returns it."""
        self.control_outcomes.setdefault(claim_id, {})[name] = outcome
        return outcome

    def document(self) -> dict[str, Any]:
        """The claims.json document of what was recorded (:func:`verify.run.claims_document`)."""
        from verify.run import claims_document

        return claims_document(self.outcomes, profile=self.profile, seed=self.seed, experiments=self.experiments,
                               control_outcomes=self.control_outcomes)


_KEY = pytest.StashKey[ClaimOutcomes]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("verify-claims", "claims of Du, Lee & Tian (2018) checked by the property tests")
    group.addoption("--claims-json", action="store", default=None, metavar="PATH",
                    help="write every claim's verdict, margins, readings and counterexample to PATH "
                         "(the document `verify.run_claims` returns; written atomically at the end of the session)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_KEY] = ClaimOutcomes()


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

"""The claim checker: the template of a claim, the verdict rule, the searches, and :func:`run_claims`.

Layers, each importing only those above it:

- :mod:`verify.checker.terms`     — one side of a comparison: a value with its errors and side
- :mod:`verify.checker.verdicts`  — the verdict rule, written once (docs/claims.md §7)
- :mod:`verify.checker.result`    — :class:`CheckResult`: one claim on one instance
- :mod:`verify.checker.context`   — what a check knows about its instance; the run's cache
- :mod:`verify.checker.instance`  — reading an instance's keys
- :mod:`verify.checker.claim`     — the template every module of :mod:`verify.claims` fills in
- :mod:`verify.checker.profiles`  — run profiles and the false-alarm budget
- :mod:`verify.checker.search`    — one Hypothesis search, with Hypothesis as a library
- :mod:`verify.checker.run`       — :func:`run_claims` and the claims.json document
"""

from .claim import Claim, Reading, Search
from .context import ConstantsCache
from .profiles import PROFILES, Profile, get_profile
from .result import CheckResult
from .run import ClaimsRun, claims_document, run_claims
from .search import SearchOutcome, run_search

__all__ = [
    "Claim",
    "Reading",
    "Search",
    "ConstantsCache",
    "PROFILES",
    "Profile",
    "get_profile",
    "CheckResult",
    "ClaimsRun",
    "claims_document",
    "run_claims",
    "SearchOutcome",
    "run_search",
]

"""The HTML report: every claim's verdict and why, the constants' curves, the §4 reproductions, provenance.

:func:`build_report` is the one entry point (``verify report`` runs it).  It
takes the claim verdicts from :func:`verify.run.run_claims`, run in this
process (or a ``claims_run`` already computed), draws the figures, and writes
``index.html`` (one self-contained page) and ``claims.json`` together,
atomically.  Every number drawn is the run's: the §4 experiments are the ones
the claims run computed and judged, and the distribution constants come from
the run's constants step (:func:`verify.run.run_constants`, ``ClaimsRun.constants``)
— nothing is estimated or run a second time here.  The only verdicts shown are
the claims' (holds / refuted / inconclusive).  The wall time of each phase
(:func:`phase_seconds`) goes to the provenance, on the page and in ``claims.json``.

Modules, one job each:

- :mod:`verify.report.svg` — matplotlib figures as deterministic inline SVG;
- :mod:`verify.report.figures` — the constants' and initialization figures;
- :mod:`verify.report.experiment_figures` — the §4 experiments' figures;
- :mod:`verify.report.document` — ``claims.json``, provenance, the atomic writer;
- :mod:`verify.report.render` — the page, from ``templates/report.html.j2`` and ``report.css``.
"""
from __future__ import annotations

import datetime as _dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from ..validation import PROFILE_NAMES, InvalidArgument, check_seed
from .document import attach_certificates, claims_document, collect_provenance, json_text, write_files
# the figures and the page need the report extra (matplotlib, jinja2): imported where drawn, so that the package's
# light modules (words, document) import without it (``verify diagnose --json`` on the core install)
if TYPE_CHECKING:
    from .figures import Figure

__all__ = ["ReportError", "build_report", "report_figures"]


Progress = Callable[[str], None]


class ReportError(RuntimeError):
    """The report could not be built; nothing was written."""


def _quiet(message: str) -> None:
    return None


def report_figures(constants: dict, experiments: dict, progress: Progress | None = None) -> list[Figure]:
    """Every figure of the page, drawn from the run: its constants step and its §4 experiments' results.

    Draws the figures of docs/claims.md §2–§4 (see :mod:`verify.report.figures`);
    ``constants`` is ``ClaimsRun.constants`` (:func:`verify.run.run_constants`).

    Examples
    --------
    >>> from verify.run import run_constants
    >>> [f.id for f in report_figures(run_constants("quick", 0), {})]
    ['gamma-L-curves', 'L-cross', 'init-probability-alpha', 'init-probability-p']
    """
    (progress or _quiet)("drawing the figures")
    with np.errstate(all="ignore"):
        from .experiment_figures import experiment_figures
        from .figures import constants_figures, initialization_figures

        return constants_figures(constants) + initialization_figures(constants) + experiment_figures(experiments)


def run_constants_of(claims_run: Any, profile: str, seed: int, progress: Progress | None = None) -> dict:
    """The run's constants (``claims_run.constants``); a run made without them gets them from the run's
    own step, :func:`verify.run.run_constants`, at the report's profile and seed."""
    constants = getattr(claims_run, "constants", None)
    if constants:
        return constants
    from ..run import run_constants

    return run_constants(profile, seed, progress)


#: Stands for the page phase's seconds while the page is rendered; replaced by the number once it is known.
PAGE_SECONDS = "\u2063page-seconds\u2063"


def phase_seconds(claims_run: Any, constants: dict, clock: dict[str, float]) -> dict[str, float | None]:
    """Wall time of each phase of the report, in seconds, to 0.1 s (issue 21).

    ``searches`` is the claims run's time (``wall_s``) less its §4 experiments'
    (each records its ``runtime_s``); ``constants`` is the run's constants step
    (``constants["seconds"]``); ``certificates``, ``proof_slack`` and ``figures``
    are differences of the monotonic ``clock`` read by :func:`build_report` after
    each phase, in that order.  A phase not measured is None.

    Examples
    --------
    >>> import types
    >>> run = types.SimpleNamespace(wall_s=10.0, experiments={"a": types.SimpleNamespace(runtime_s=4.0)})
    >>> clock = {"run": 16.0, "certificates": 17.0, "proof_slack": 17.5, "constants": 17.5, "figures": 20.0}
    >>> phase_seconds(run, {"seconds": 2.0}, clock)
    {'searches': 6.0, 'experiments': 4.0, 'constants': 2.0, 'certificates': 1.0, 'proof_slack': 0.5, 'figures': 2.5}
    """
    experiments = sum(float(getattr(e, "runtime_s", 0.0) or 0.0)
                      for e in (getattr(claims_run, "experiments", None) or {}).values())
    wall = getattr(claims_run, "wall_s", None)
    out = {"searches": None if wall is None else max(float(wall) - experiments, 0.0), "experiments": experiments,
           "constants": constants.get("seconds")}
    names = list(clock)
    out.update({name: clock[name] - clock[before] for before, name in zip(names, names[1:]) if name != "constants"})
    return {k: (None if v is None else round(float(v), 1)) for k, v in out.items()}


def certified_verdicts(progress: Progress | None = None) -> list[Figure]:
    """The certified verdicts of :mod:`verify.certify` over its full domains, or [] without python-flint."""
    from importlib.util import find_spec

    if find_spec("flint") is None:
        (progress or _quiet)("certified verdicts skipped: python-flint is not installed (extra 'certify')")
        return []
    from ..certify import certify

    (progress or _quiet)("certifying the closed-form claims (interval arithmetic)")
    return certify(domain="full")


def proof_slack(progress: Progress | None = None) -> dict:
    """How much each step of Theorems 2.2's and 3.1's proof chains loses (:func:`verify.checker.slack.proof_chain_slacks`)."""
    from ..checker.slack import proof_chain_slacks

    (progress or _quiet)("slack of the proof chains of Theorems 2.2 and 3.1")
    return proof_chain_slacks()


def build_report(out, profile: str = "default", seed: int = 0, progress: Progress | None = None,
                 claims_run: Any = None) -> Path:
    """Check the claims (unless given), draw the figures, write ``index.html`` and ``claims.json`` in ``out``.

    Parameters
    ----------
    out : path-like
        Output directory (created if needed).
    profile : {"quick", "default", "thorough"}
    seed : int
    progress : callable(str), optional
        Called with one line per step.
    claims_run : ClaimsRun, optional
        A finished claims run (``.to_dict()``, ``.experiments``, ``.wall_s``,
        ``.constants``); by default ``verify.run.run_claims(profile=profile,
        seed=seed, progress=progress, constants=True)`` is called in this process.
        A run without constants gets them from :func:`verify.run.run_constants`.

    Returns
    -------
    pathlib.Path
        ``out / "index.html"``.

    Examples
    --------
    >>> import tempfile, types
    >>> run = types.SimpleNamespace(experiments={}, wall_s=1.0, constants={"seconds": 0.5},
    ...                             to_dict=lambda: {"claims": {"c": {"verdict": "holds"}}})
    >>> fake = lambda constants, experiments, progress=None: []
    >>> import verify.report as R
    >>> real, R.report_figures = R.report_figures, fake
    >>> real_slack, R.proof_slack = R.proof_slack, lambda progress=None: {}
    >>> index = build_report(tempfile.mkdtemp(), profile="quick", claims_run=run)
    >>> R.report_figures, R.proof_slack = real, real_slack
    >>> sorted(p.name for p in index.parent.iterdir())
    ['claims.json', 'index.html']
    """
    if profile not in PROFILE_NAMES:
        raise InvalidArgument("profile", f"must be one of {', '.join(PROFILE_NAMES)}, got {profile!r}")
    seed = check_seed(seed)
    if seed is None:
        raise InvalidArgument("seed", "the report needs an integer seed (it must be repeatable)")
    progress = progress or _quiet
    out = Path(out)
    started = _dt.datetime.now(_dt.timezone.utc)
    t_start = time.monotonic()
    if claims_run is None:
        from ..run import run_claims

        progress(f"checking the claims (profile {profile}, seed {seed})")
        claims_run = run_claims(profile=profile, seed=seed, progress=progress, constants=True)
    clock = {"run": time.monotonic()}
    run_doc = attach_certificates(claims_run.to_dict(), certified_verdicts(progress))
    clock["certificates"] = time.monotonic()
    run_doc["proof_slack"] = proof_slack(progress)
    clock["proof_slack"] = time.monotonic()
    constants = run_constants_of(claims_run, profile, seed, progress)
    clock["constants"] = time.monotonic()
    experiments = dict(getattr(claims_run, "experiments", None) or {})
    figures = report_figures(constants, experiments, progress)
    clock["figures"] = time.monotonic()
    phases = {**phase_seconds(claims_run, constants, clock), "page": PAGE_SECONDS}
    provenance = collect_provenance(profile, seed, time.monotonic() - t_start, started=started)
    doc = claims_document(run_doc, {**provenance, "phases_s": phases})   # holds ``phases`` itself, not a copy
    from .render import render_html

    page = render_html(doc, figures, experiments)
    phases["page"] = round(time.monotonic() - clock["figures"], 1)     # the page's own time, known only now
    page = page.replace(PAGE_SECONDS, str(phases["page"]))
    index = out / "index.html"
    write_files({out / "claims.json": json_text(doc), index: page})
    progress(f"wrote {index} and {out / 'claims.json'} ({provenance['wall_time_s']} s)")
    return index

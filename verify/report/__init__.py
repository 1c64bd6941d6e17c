"""The HTML report: every claim's verdict and why, the constants' curves, the §4 reproductions, provenance.

:func:`build_report` is the one entry point (``verify report`` runs it).  It
takes the claim verdicts from :func:`verify.run.run_claims`, run in this
process (or a ``claims_run`` already computed), draws the figures, and writes
``index.html`` (one self-contained page) and ``claims.json`` together,
atomically.  The §4 experiments are the ones the claims run computed and judged
— they are never run a second time here — and the only verdicts shown are the
claims' (holds / refuted / inconclusive).

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
from typing import Any, Callable

import numpy as np

from ..validation import InvalidArgument, check_seed
from .document import attach_certificates, claims_document, collect_provenance, json_text, write_files
from .figures import Figure, constants_figures, initialization_figures
from .experiment_figures import experiment_figures
from .render import render_html

__all__ = ["PROFILES", "ReportError", "build_report", "report_figures"]

PROFILES = ("quick", "default", "thorough")

Progress = Callable[[str], None]


class ReportError(RuntimeError):
    """The report could not be built; nothing was written."""


def _quiet(message: str) -> None:
    return None


def report_figures(profile: str, seed: int, experiments: dict, progress: Progress | None = None) -> list[Figure]:
    """Every figure of the page: constants, initialization, and the §4 experiments' results.

    Implements the figures of docs/claims.md §2–§4 (see :mod:`verify.report.figures`).

    Examples
    --------
    >>> [f.id for f in report_figures("quick", 0, {})]
    ['gamma-L-curves', 'L-cross', 'init-probability-alpha', 'init-probability-p']
    """
    with np.errstate(all="ignore"):
        return (constants_figures(profile, seed, progress) + initialization_figures(profile, seed, progress)
                + experiment_figures(experiments))


def certified_verdicts(progress: Progress | None = None) -> list:
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
        A finished claims run (``.to_dict()`` and ``.experiments``); by default
        ``verify.run.run_claims(profile=profile, seed=seed, progress=progress)``
        is called in this process.

    Returns
    -------
    pathlib.Path
        ``out / "index.html"``.

    Examples
    --------
    >>> import tempfile, types
    >>> run = types.SimpleNamespace(experiments={}, to_dict=lambda: {"claims": {"c": {"verdict": "holds"}}})
    >>> fake = lambda profile, seed, experiments, progress=None: []
    >>> import verify.report as R
    >>> real, R.report_figures = R.report_figures, fake
    >>> real_slack, R.proof_slack = R.proof_slack, lambda progress=None: {}
    >>> index = build_report(tempfile.mkdtemp(), profile="quick", claims_run=run)
    >>> R.report_figures, R.proof_slack = real, real_slack
    >>> sorted(p.name for p in index.parent.iterdir())
    ['claims.json', 'index.html']
    """
    if profile not in PROFILES:
        raise InvalidArgument("profile", f"must be one of {', '.join(PROFILES)}, got {profile!r}")
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
        claims_run = run_claims(profile=profile, seed=seed, progress=progress)
    run_doc = attach_certificates(claims_run.to_dict(), certified_verdicts(progress))
    run_doc["proof_slack"] = proof_slack(progress)
    experiments = dict(getattr(claims_run, "experiments", None) or {})
    figures = report_figures(profile, seed, experiments, progress)
    provenance = collect_provenance(profile, seed, time.monotonic() - t_start, started=started)
    doc = claims_document(run_doc, provenance)
    page = render_html(doc, figures, experiments)
    index = out / "index.html"
    write_files({out / "claims.json": json_text(doc), index: page})
    progress(f"wrote {index} and {out / 'claims.json'} ({provenance['wall_time_s']} s)")
    return index

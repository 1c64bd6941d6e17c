"""The claim checker as a library: :func:`run_claims` runs every claim's searches and summarizes them.

The summary of one claim over its instances (:func:`summarize_claim`) follows
the verdict rule's aggregation (docs/claims.md §7): **refuted** if any counted
instance is refuted, **holds** if all hold, **inconclusive** otherwise;
instances outside the claim's hypotheses are counted apart and left out.
``worst_margin`` is the smallest margin over the counted instances (with its
error bar), ``tightness`` the largest, ``counterexample`` that of the refuted
instance of smallest margin.  Readings aggregate the same way.

:func:`claims_document` builds the claims.json document from the searches'
outcomes; ``pytest properties/ --claims-json`` (the pytest face) and
:func:`run_claims` both call it, so they write the same document.
"""

from __future__ import annotations

import math
import platform
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..jsonio import json_number, jsonable
from .context import ConstantsCache
from .profiles import FALSE_ALARM_TOTAL, get_profile
from .search import SearchOutcome, run_search
from .verdicts import VERDICTS, aggregate

__all__ = ["ClaimsRun", "run_claims", "summarize_claim", "claims_document", "versions"]

Progress = Callable[[str], None]


def summarize_claim(outcomes: Sequence[SearchOutcome]) -> dict[str, Any]:
    """One claim's entry of the claims document, from the outcomes of its searches (module doc)."""
    results = [(o.search, r.to_dict()) for o in outcomes for r in o.results]
    counted = [(s, r) for s, r in results if r.get("in_hypothesis") is not False]
    verdict = aggregate(r["verdict"] for _, r in counted) if counted else "inconclusive"
    entry: dict[str, Any] = {
        "verdict": verdict,
        "instances": len(counted),
        "outside_hypothesis": len(results) - len(counted),
        "worst_margin": None,
        "margin_error": None,
        "worst_instance": None,
    }
    finite = [(s, r) for s, r in counted if not math.isnan(_number(r.get("margin")))]
    if finite:
        s, w = min(finite, key=lambda sr: _number(sr[1].get("margin")))
        entry.update(
            worst_margin=w.get("margin"),
            margin_error=w.get("margin_error"),
            worst_instance={
                "instance": w.get("instance"),
                "verdict": w.get("verdict"),
                "search": s,
                "lhs": w.get("lhs"),
                "rhs": w.get("rhs"),
            },
        )
    tights = [_number(r.get("tightness")) for _, r in counted if r.get("tightness") is not None]
    tights = [t for t in tights if math.isfinite(t)]
    entry["tightness"] = max(tights) if tights else None
    refuted = [(s, r) for s, r in counted if r.get("verdict") == "refuted"]
    entry["counterexample"] = None
    if refuted:
        s, bad = min(refuted, key=lambda sr: _margin_key(sr[1]))
        entry["counterexample"] = {**(bad.get("counterexample") or {"instance": bad.get("instance")}), "search": s}
    readings: dict[str, list[str]] = {}
    reading_counterexamples: dict[str, Any] = {}
    for s, r in counted:
        for name, v in (r.get("readings") or {}).items():
            readings.setdefault(name, []).append(v)
        for name, ce in ((r.get("details") or {}).get("reading_counterexamples") or {}).items():
            reading_counterexamples.setdefault(name, {**ce, "instance": r.get("instance"), "search": s})
    entry.update(
        readings={name: aggregate(vs) for name, vs in readings.items()},
        reading_counterexamples=reading_counterexamples,
        verdict_counts={v: sum(1 for _, r in counted if r.get("verdict") == v) for v in VERDICTS},
        searches=[o.to_dict() for o in outcomes],
        notes=sorted({r.get("note") for _, r in results if r.get("note")})[:10],
    )
    return entry


def _number(x: Any) -> float:
    """A JSON number as a float, NaN for a missing one."""
    value = json_number(x)
    return math.nan if value is None else value


def _margin_key(result: Mapping[str, Any]) -> float:
    margin = _number(result.get("margin"))
    return math.inf if math.isnan(margin) else margin


def versions() -> dict[str, str]:
    """The versions that decide the numbers: Python, the platform, verify and its numerical dependencies."""
    from importlib import metadata

    out = {"python": platform.python_version(), "platform": platform.platform()}
    for name in ("convfilter-verify", "numpy", "scipy", "hypothesis", "mpmath"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def claims_document(
    outcomes: Mapping[str, Sequence[SearchOutcome]],
    *,
    profile: str,
    seed: int,
    experiments: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The claims.json document: every registry claim, its summary and its metadata, in registry order.

    Parameters
    ----------
    outcomes : mapping claim id -> sequence of SearchOutcome
        Claims with no outcome are listed as inconclusive with 0 instances.
    profile : str
    seed : int
    experiments : mapping name -> experiment result, optional
        The §4 experiment runs that decided the §4 claims (their run sizes are
        written under each claim's ``decided_by``).
    """
    from ..claims import REGISTRY

    experiments = dict(experiments or {})
    claims: dict[str, Any] = {}
    for cid, claim in REGISTRY.items():
        entry = summarize_claim(outcomes.get(cid, ()))
        meta = claim.to_dict()
        entry.update(
            source=meta["source"],
            statement=meta["statement"],
            reconstructed=meta["reconstructed"],
            kind=meta["kind"],
            method=meta["method"],
            all_readings=meta["readings"],
            tightness_note=meta["tightness"],
        )
        used = [name for name, result in experiments.items() if getattr(result, "claim", None) == cid]
        if used:
            entry["experiments"] = used
            entry["decided_by"] = {
                name: {
                    "profile": experiments[name].parameters.get("profile"),
                    **_run_sizes(experiments[name].parameters),
                }
                for name in used
            }
        claims[cid] = entry
    shares = {f"{cid}/{s.name}": s.false_alarm for cid, c in REGISTRY.items() for s in c.searches if s.false_alarm}
    summary = {v: sum(1 for c in claims.values() if c["verdict"] == v) for v in VERDICTS}
    summary["total"] = len(claims)
    return jsonable(
        {
            "profile": profile,
            "seed": seed,
            "versions": versions(),
            "false_alarm": {"total": FALSE_ALARM_TOTAL, "split": shares},
            "claims": claims,
            "summary": summary,
        }
    )


_RUN_SIZE_KEYS = ("seeds", "teachers", "iterations", "batch", "n_eval", "sigmas", "sigma_patch2", "alphas")


def _run_sizes(parameters: Mapping[str, Any]) -> dict[str, Any]:
    return {k: parameters[k] for k in _RUN_SIZE_KEYS if k in parameters}


@dataclass
class ClaimsRun:
    """The outcome of :func:`run_claims`.

    Attributes
    ----------
    profile : str
    seed : int
    outcomes : dict claim id -> list of SearchOutcome
    experiments : dict name -> experiment result
        The §4 experiments, run once at the profile's sizes and judged by the
        §4 claims (the report draws its figures from these same runs).
    wall_s : float
    """

    profile: str
    seed: int
    outcomes: dict[str, list[SearchOutcome]] = field(default_factory=dict)
    experiments: dict[str, Any] = field(default_factory=dict)
    wall_s: float = 0.0

    @property
    def verdicts(self) -> dict[str, str]:
        """claim id → verdict, in registry order."""
        return {cid: entry["verdict"] for cid, entry in self.to_dict()["claims"].items()}

    def to_dict(self) -> dict[str, Any]:
        """The claims.json document (:func:`claims_document`)."""
        return claims_document(self.outcomes, profile=self.profile, seed=self.seed, experiments=self.experiments)


def run_claims(
    profile: str = "default", seed: int = 0, claims: Iterable[str] | None = None, progress: Progress | None = None
) -> ClaimsRun:
    """Check the paper's claims: run every search of every (chosen) claim, in-process.

    Parameters
    ----------
    profile : {"quick", "default", "thorough"}
        How many instances each search draws (:mod:`verify.checker.profiles`).
    seed : int
        The run's seed: the same profile and seed give the same instances.
    claims : iterable of str, optional
        Claim ids to run (all by default).
    progress : callable (str) -> None, optional
        Called with a line before each search (the command line prints it on stderr).

    Returns
    -------
    ClaimsRun
        ``.to_dict()`` is the claims.json document; ``.experiments`` the §4 runs.

    Examples
    --------
    >>> import verify
    >>> run = verify.run_claims(profile="quick", claims=["thm22-angle"])
    >>> run.verdicts["thm22-angle"]
    'holds'
    """
    from ..claims import REGISTRY, get_claim
    from ..validation import check_seed

    chosen = get_profile(profile)
    seed = check_seed(seed) or 0
    ids = list(REGISTRY) if claims is None else [get_claim(cid).id for cid in claims]
    cache = ConstantsCache(experiment_profile=chosen.experiments, experiment_seed=seed)
    run = ClaimsRun(chosen.name, seed)
    start = time.perf_counter()
    for cid in ids:
        claim = REGISTRY[cid]
        for search in claim.searches:
            if progress is not None:
                progress(f"{cid}: {search.name} ({chosen.examples(search.examples)} instances)")
            run.outcomes.setdefault(cid, []).append(run_search(claim, search, profile=chosen, seed=seed, cache=cache))
    run.experiments = cache.experiments()
    run.wall_s = time.perf_counter() - start
    return run

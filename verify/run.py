"""The claim checker as a library: :func:`run_claims` runs every claim's searches and summarizes them.

:func:`run_claims` takes claims from anywhere — ids of the built-in registry
(:data:`verify.claims.REGISTRY`) or :class:`~verify.checker.claim.Claim` objects
built elsewhere (:func:`select_claims`) — and hands each search the Claim object
itself: nothing below this module looks a claim up by id.

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
from typing import Any, Callable, Mapping, Sequence

from .jsonio import json_number, jsonable
from .checker.claim import Claim
from .checker.context import ConstantsCache
from .checker.profiles import FALSE_ALARM_TOTAL
from .checker.result import reading_margin
from .checker.search import SearchOutcome, run_search
from .checker.verdicts import VERDICTS, aggregate
from .experiments.profiles import get_profile
from .validation import InvalidArgument, check_seed

__all__ = ["ClaimsRun", "run_claims", "run_control", "select_claims", "summarize_claim", "summarize_control",
           "claims_document", "versions", "run_constants", "CONSTANTS_SETTINGS", "CONSTANT_LAWS", "CROSS_SIGMAS"]

Progress = Callable[[str], None]


def summarize_claim(outcomes: Sequence[SearchOutcome]) -> dict[str, Any]:
    """One claim's entry of the claims document, from the outcomes of its searches (module doc)."""
    results = [(o.search, {**r.to_dict(), "found_by": "refinement" if i >= len(o.results) - o.refined else "search"})
               for o in outcomes for i, r in enumerate(o.results)]
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
        # the part at the worst margin and why it decided as it did (the page's one-sentence reason)
        part = next((p for p in w.get("parts") or [] if _number(p.get("margin")) == _number(w.get("margin"))), {})
        entry.update(
            worst_margin=w.get("margin"),
            margin_error=w.get("margin_error"),
            worst_instance={
                "instance": w.get("instance"),
                "verdict": w.get("verdict"),
                "search": s,
                "lhs": w.get("lhs"),
                "rhs": w.get("rhs"),
                "part": part.get("name"),
                "why": part.get("why") or "",
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
    entry["closest_call"] = _closest_call(counted, evaluations=len(results),
                                          refined=sum(o.refined for o in outcomes))
    # power: the largest violation (relative) that some instance's check would miss with probability > 5%
    powers = [_number(r.get("detectable")) for _, r in counted]
    finite_powers = [d for d in powers if math.isfinite(d)]
    entry["detectable_violation"] = max(finite_powers) if finite_powers else None
    # instances whose estimates err toward violation by construction cannot refute at all (one-sided sides)
    entry["instances_that_cannot_refute"] = sum(1 for d in powers if d == math.inf)
    reading_verdicts = {name: aggregate(vs) for name, vs in readings.items()}
    entry.update(
        readings=reading_verdicts,
        reading_counterexamples=reading_counterexamples,
        reading_reasons=_reading_reasons(counted, reading_verdicts),
        verdict_counts={v: sum(1 for _, r in counted if r.get("verdict") == v) for v in VERDICTS},
        searches=[o.to_dict() for o in outcomes],
        notes=sorted({r.get("note") for _, r in results if r.get("note")})[:10],
        warnings=sorted({w for _, r in results for w in r.get("warnings") or ()})[:10],
    )
    return entry


def _closest_call(counted: Sequence[tuple[str, dict]], evaluations: int, refined: int) -> dict[str, Any] | None:
    """The counted instance that came closest to breaking the claim: smallest finite margin (docs/claims.md §7).

    ``tightness`` is that instance's lhs/rhs ratio as its check reports it; ``evaluations`` counts every
    instance the searches checked (the adversary's budget), ``refined`` those its local refinement checked;
    ``found_by`` says which stage found it.  A smallest margin found by search is an upper bound on the
    smallest margin over all instances.
    """
    finite = [(s, r) for s, r in counted if math.isfinite(_number(r.get("margin")))]
    if not finite:
        return None
    s, r = min(finite, key=lambda sr: _number(sr[1].get("margin")))
    return {"margin": r.get("margin"), "margin_error": r.get("margin_error"), "tightness": r.get("tightness"),
            "verdict": r.get("verdict"), "instance": r.get("instance"), "search": s, "evaluations": evaluations,
            "refined": refined, "found_by": r.get("found_by")}


def _reading_reasons(counted: Sequence[tuple[str, dict]], verdicts: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per inconclusive or holding reading, the part that decided it: of its parts with that verdict over the
    counted instances, the one of smallest margin — its name, margin, error bar, why (the verdict rule's
    explanation, verify.checker.verdicts.compare) and the number of instances the reading was checked on.
    A refuted reading's reason is its counterexample; a reading without parts of its own (a conjunction of
    other readings) gets none."""
    out = {}
    for name, verdict in verdicts.items():
        if verdict not in ("inconclusive", "holds"):
            continue
        parts = [p for _, r in counted for p in r.get("parts") or []
                 if p.get("reading") == name and p.get("verdict") == verdict]
        part = min(parts, key=_margin_key, default=None)
        if part is not None:
            out[name] = {"part": part.get("name"), "margin": part.get("margin"),
                         "margin_error": part.get("margin_error"), "why": part.get("why") or "",
                         "instances": sum(1 for _, r in counted if name in (r.get("readings") or {}))}
    return out


def summarize_control(claim: Any, name: str, outcome: SearchOutcome) -> dict[str, Any]:
    """One negative control's entry: refuted when its search found a violation beyond the error bar."""
    control = claim.control(name)
    search = control.as_search(claim)
    reading = search.reading
    counted = [r for r in outcome.results if r.in_hypothesis is not False]
    if outcome.failure is not None:
        verdict, decisive = "refuted", outcome.failure
    else:
        verdicts = [r.verdict if reading == claim.primary else r.readings.get(reading, "inconclusive") for r in counted]
        verdict = aggregate(verdicts) if counted else "inconclusive"
        decisive = min(counted, key=lambda r: _margin_key({"margin": reading_margin(r, reading)}), default=None)
    margin, error, name = math.nan, math.nan, None
    if decisive is not None:
        # the part that refuted the variant (of its reading where it has parts there: a conjunction reading such
        # as sec4-real-data's "all-four" has none of its own), else the reading's part of smallest margin
        parts = [p for p in decisive.parts if p.get("reading") == reading]
        if verdict == "refuted":
            parts = [p for p in parts if p.get("verdict") == "refuted"] or [
                p for p in decisive.parts if p.get("verdict") == "refuted"]
        part = min(parts or decisive.parts, key=_margin_key, default=None)
        if part is not None:
            margin, error, name = _number(part["margin"]), _number(part["margin_error"]), part.get("name")
    return {"name": control.name, "statement": control.statement, "verdict": verdict, "margin": margin,
            "margin_error": error, "part": name, "instances": len(outcome.results)}


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
    claims: Sequence[Claim],
    profile: str,
    seed: int,
    experiments: Mapping[str, Any] | None = None,
    control_outcomes: Mapping[str, Mapping[str, SearchOutcome]] | None = None,
) -> dict[str, Any]:
    """The claims.json document: each claim given, its summary and its metadata, in the order given.

    Parameters
    ----------
    outcomes : mapping claim id -> sequence of SearchOutcome
        Claims with no outcome are listed as inconclusive with 0 instances.
    claims : sequence of Claim
        The claims the document lists (those of the run: the engine knows no
        catalogue); the false-alarm split lists their statistical searches.
    profile : str
    seed : int
    experiments : mapping name -> experiment result, optional
        The §4 experiment runs that decided the §4 claims (their run sizes are
        written under each claim's ``decided_by``).
    control_outcomes : mapping claim id -> mapping control name -> SearchOutcome, optional
        The negative controls run (each claim's ``controls``).
    """
    experiments = dict(experiments or {})
    entries: dict[str, Any] = {}
    for claim in claims:
        cid = claim.id
        entry = summarize_claim(outcomes.get(cid, ()))
        entry["controls"] = [summarize_control(claim, name, outcome)
                             for name, outcome in (control_outcomes or {}).get(cid, {}).items()]
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
        entries[cid] = entry
    shares = {f"{c.id}/{s.name}": s.false_alarm for c in claims for s in c.searches if s.false_alarm}
    summary = {v: sum(1 for c in entries.values() if c["verdict"] == v) for v in VERDICTS}
    summary["total"] = len(entries)
    return jsonable(
        {
            "profile": profile,
            "seed": seed,
            "versions": versions(),
            "false_alarm": {"total": FALSE_ALARM_TOTAL, "split": shares},
            "claims": entries,
            "summary": summary,
        }
    )


_RUN_SIZE_KEYS = ("seeds", "teachers", "iterations", "batch", "n_eval", "sigmas", "sigma_patch2", "alphas")


def _run_sizes(parameters: Mapping[str, Any]) -> dict[str, Any]:
    return {k: parameters[k] for k in _RUN_SIZE_KEYS if k in parameters}


def run_control(claim: Any, control: Any, *, profile: Any, seed: int, cache: ConstantsCache) -> SearchOutcome:
    """Run one negative control: the search for a counterexample to the deliberately false variant."""
    return run_search(claim, control.as_search(claim), profile=profile, seed=seed, cache=cache)


@dataclass
class ClaimsRun:
    """The outcome of :func:`run_claims`.

    Attributes
    ----------
    profile : str
    seed : int
    claims : list of Claim
        The claims of the run, in the order run (what the document lists).
    outcomes : dict claim id -> list of SearchOutcome
    control_outcomes : dict claim id -> dict control name -> SearchOutcome
    experiments : dict name -> experiment result
        The §4 experiments, run once at the profile's sizes and judged by the
        §4 claims (the report draws its figures from these same runs).
    wall_s : float
        The searches' and experiments' wall time (the constants step's is ``constants["seconds"]``).
    constants : dict
        The distribution constants the report draws (:func:`run_constants`), when
        the run was asked for them (``run_claims(constants=True)``); else empty.
    """

    profile: str
    seed: int
    claims: list[Claim] = field(default_factory=list)
    outcomes: dict[str, list[SearchOutcome]] = field(default_factory=dict)
    control_outcomes: dict[str, dict[str, SearchOutcome]] = field(default_factory=dict)
    experiments: dict[str, Any] = field(default_factory=dict)
    wall_s: float = 0.0
    constants: dict[str, Any] = field(default_factory=dict)

    @property
    def verdicts(self) -> dict[str, str]:
        """claim id → verdict, in the order run."""
        return {cid: entry["verdict"] for cid, entry in self.to_dict()["claims"].items()}

    def to_dict(self) -> dict[str, Any]:
        """The claims.json document (:func:`claims_document`), with ``constants`` when the run computed them."""
        doc = claims_document(self.outcomes, claims=self.claims, profile=self.profile, seed=self.seed,
                              experiments=self.experiments, control_outcomes=self.control_outcomes)
        if self.constants:
            doc["constants"] = jsonable({k: v for k, v in self.constants.items() if k != "seconds"})
        return doc


def select_claims(claims: Any) -> list[Claim]:
    """The claims a run checks: ``claims`` as given to :func:`run_claims`, resolved to Claim objects.

    Parameters
    ----------
    claims : None, str, Claim, or iterable of str and Claim
        ``None``: every claim of the built-in registry (:data:`verify.claims.REGISTRY`), in its order;
        a string is one id of the registry (never iterated letter by letter); a
        :class:`~verify.checker.claim.Claim` is used as it is, from wherever it was built.

    Returns
    -------
    list of Claim
        In the order given.  An empty selection, an unknown id, an object that is
        neither an id nor a Claim, or two claims with one id is an
        :class:`~verify.validation.InvalidArgument` naming ``claims``.

    Examples
    --------
    >>> [c.id for c in select_claims("thm22-angle")]
    ['thm22-angle']
    >>> select_claims([])
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: claims: an empty selection checks nothing; give ids or Claims, or None for all
    """
    from .claims import REGISTRY

    if claims is None:
        return list(REGISTRY.values())
    if isinstance(claims, (str, Claim)):
        items: list[Any] = [claims]
    else:
        try:
            items = list(claims)
        except TypeError:
            raise InvalidArgument("claims", f"must be a claim id, a Claim, or a list of them, got "
                                            f"{type(claims).__name__}") from None
    if not items:
        raise InvalidArgument("claims", "an empty selection checks nothing; give ids or Claims, or None for all")
    chosen: list[Claim] = []
    for item in items:
        if isinstance(item, str):
            if item not in REGISTRY:
                raise InvalidArgument("claims", f"unknown claim id {item!r}; known: {', '.join(REGISTRY)}")
            item = REGISTRY[item]
        elif not isinstance(item, Claim):
            raise InvalidArgument("claims", f"each item must be a claim id or a verify.checker.claim.Claim, got "
                                            f"{type(item).__name__}")
        if any(c.id == item.id for c in chosen):
            raise InvalidArgument("claims", f"two claims with id {item.id!r} in one selection")
        chosen.append(item)
    return chosen


def _check_budget(claims: Sequence[Claim]) -> None:
    """The statistical searches' false-alarm shares of a run fit in its budget (the union bound's premise).

    The registry's shares are checked when it is built (:mod:`verify.claims`); a
    claim from elsewhere run beside them must fit in what they leave.
    """
    total = sum(s.false_alarm for claim in claims for s in claim.searches)
    if total > FALSE_ALARM_TOTAL * (1 + 1e-12):
        raise InvalidArgument("claims", f"the searches' false-alarm shares add up to {total:g} > the run's budget "
                                        f"{FALSE_ALARM_TOTAL:g} (docs/claims.md §7): run fewer claims at once")


def run_claims(
    profile: str = "default",
    seed: int = 0,
    claims: Any = None,
    progress: Progress | None = None,
    *,
    controls: bool = True,
    constants: bool = False,
) -> ClaimsRun:
    """Check claims: run every search (and negative control) of each claim given, in-process.

    Parameters
    ----------
    profile : {"quick", "default", "thorough"}
        How many instances each search draws (:mod:`verify.experiments.profiles`).
    seed : int
        The run's seed: the same profile and seed give the same instances.
    claims : str, Claim, or iterable of str and Claim, optional
        Ids of the built-in registry and/or :class:`~verify.checker.claim.Claim`
        objects built anywhere (:func:`select_claims`); every registry claim by default.
    progress : callable (str) -> None, optional
        Called with a line before each search (the command line prints it on stderr).
    controls : bool
        Also run every claim's negative controls (deliberately false variants the
        checks must refute); their verdicts go to each claim's ``controls``.
    constants : bool
        Also estimate, once, the distribution constants the report draws
        (:func:`run_constants`, at this profile and seed): ``ClaimsRun.constants``.

    Returns
    -------
    ClaimsRun
        ``.to_dict()`` is the claims.json document (the claims run, in the order
        given); ``.experiments`` the §4 runs.

    Examples
    --------
    >>> import verify
    >>> run = verify.run_claims(profile="quick", claims="thm22-angle")
    >>> run.verdicts
    {'thm22-angle': 'holds'}
    """
    chosen = get_profile(profile)
    seed = check_seed(seed) or 0
    selected = select_claims(claims)
    _check_budget(selected)
    cache = ConstantsCache(experiment_profile=chosen.experiments, experiment_seed=seed)
    run = ClaimsRun(chosen.name, seed, claims=selected)
    start = time.perf_counter()
    for claim in selected:
        cid = claim.id
        for search in claim.searches:
            if progress is not None:
                progress(f"{cid}: {search.name} ({chosen.examples(search.examples)} instances)")
            run.outcomes.setdefault(cid, []).append(run_search(claim, search, profile=chosen, seed=seed, cache=cache))
        for control in claim.controls if controls else ():
            if progress is not None:
                progress(f"{cid}: negative control {control.name}")
            run.control_outcomes.setdefault(cid, {})[control.name] = run_control(claim, control, profile=chosen,
                                                                                   seed=seed, cache=cache)
    run.experiments = cache.experiments()
    run.wall_s = time.perf_counter() - start
    if constants:
        run.constants = run_constants(chosen.name, seed, progress, cache=cache)
    return run


# ---------------------------------------------------------------------------
# The distribution constants the report draws: one step of the run (issue 16)
# ---------------------------------------------------------------------------

#: How hard the constants step works, by profile: angles on [0, π], Monte Carlo draws for the patch laws,
#: draws for L_cross / γ(0), and for the Monte Carlo check of the initialization probability.
CONSTANTS_SETTINGS: dict[str, dict[str, int]] = {
    "quick": {"angles": 17, "n_mc": 20_000, "n_cross": 10_000, "n_init": 20_000},
    "default": {"angles": 33, "n_mc": 100_000, "n_cross": 50_000, "n_init": 200_000},
    "thorough": {"angles": 65, "n_mc": 400_000, "n_cross": 200_000, "n_init": 1_000_000},
}
#: (label, name, p, options, method, the paper's β and where it is proved, if it states one for this law)
CONSTANT_LAWS = (
    ("N(0, I₅)", "gaussian", 5, {}, "exact", (5.0, "paper's β = p (Thm A.2)")),
    ("uniform on S⁴ (p = 5)", "sphere", 5, {}, "exact", (1.0, "paper's β = 1 (Thm A.1)")),
    ("angular mixture σ = 0.5, p = 3", "mixture", 3, {"sigma": 0.5}, "quad", None),
    ("angular mixture σ = 1, p = 3", "mixture", 3, {"sigma": 1.0}, "quad", None),
    ("angular mixture σ = 2, p = 3", "mixture", 3, {"sigma": 2.0}, "quad", None),
    ("patches σ_patch = 0.1, k = 4, p = 3", "patches", 3, {"sigma_patch": 0.1, "k": 4}, "mc", None),
    ("patches σ_patch = 0.5, k = 4, p = 3", "patches", 3, {"sigma_patch": 0.5, "k": 4}, "mc", None),
)
#: σ_patch values at which L_cross and γ(0) of the patch law (k = 4, p = 3) are estimated.
CROSS_SIGMAS = (0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0)
#: Filter sizes p and init radii α of the Monte Carlo check of Theorem 3.4's exact probability.
INIT_PS, INIT_ALPHAS = (3, 25), (0.05, 0.15, 0.3, 0.5, 0.7, 0.9)
#: The two-sided level of every half-width the step records (the report's bands and bars).
CONSTANTS_CONFIDENCE = 0.95


def _values(estimates: Sequence[Any]) -> tuple[list[float], list[float]]:
    """Values and 95 % half-widths (:meth:`verify.results.Estimate.half_width`) of a list of estimates."""
    return [e.value for e in estimates], [e.half_width(CONSTANTS_CONFIDENCE) for e in estimates]


def _sup_constant(which: str, name: str, p: int, options: Mapping[str, Any], method: str, n: int | None,
                  seed: int, cache: ConstantsCache) -> dict[str, Any]:
    """The tight β (``which`` "beta": Assumption 2.1, docs/claims.md §2) or L_cross ("L_cross": Assumption 3.2,
    §3) of a law as the checks take it (:class:`verify.checker.context.InstanceContext`, w* on the law's axis),
    through the run's ``cache``: a constant a check already computed (same law, w*, method, n, seed) is
    reused, not estimated again.  As {value, half_width (95 %, two-sided), side, method}."""
    from .checker.context import InstanceContext

    instance = {"distribution": {"name": name, "p": p, **options}, "method": method, "seed": seed,
                **({} if n is None else {"n": n})}
    ctx = InstanceContext(instance, cache)
    term = ctx.beta() if which == "beta" else ctx.L_cross()
    return {"value": term.value, "half_width": term.half_width((1 - CONSTANTS_CONFIDENCE) / 2),
            "side": term.side, "method": term.method}


def _law_constants(label: str, name: str, p: int, options: Mapping[str, Any], method: str, paper_beta: Any,
                   phis: Any, n: int, seed: int, cache: ConstantsCache) -> dict[str, Any]:
    """γ(φ), L(φ), L₋w*(φ) on ``phis`` (shape (angles,)) and the tight β of one law (docs/claims.md §2:
    Definition 2.1, Assumption 2.1), each value with its 95 % half-width."""
    from .estimators import quantities as Q
    from .laws.distributions import make_distribution

    sampled = method in ("mc", "qmc")
    kw: dict[str, Any] = {"method": method, "seed": seed, **({"n": n} if sampled else {})}
    curves = Q.curves(make_distribution(name, p, **options), phis, ("gamma", "L", "L_neg"), **kw)
    out: dict[str, Any] = {"label": label, "distribution": {"name": name, "p": p, **options}, "method": method,
                           "n": kw.get("n"), "phi": [float(x) for x in phis]}
    for key in ("gamma", "L", "L_neg"):
        out[key], out[f"{key}_half_width"] = _values(curves[key])
    out["beta"] = _sup_constant("beta", name, p, options, method, kw.get("n"), seed, cache)
    out["paper_beta"] = None if paper_beta is None else {"value": paper_beta[0], "label": paper_beta[1]}
    return out


def _cross_constants(n: int, seed: int, cache: ConstantsCache) -> dict[str, Any]:
    """L_cross (Assumption 3.2, docs/claims.md §3) and γ(0) (Definition 2.1) of the patch law, k = 4, p = 3,
    at each σ_patch of :data:`CROSS_SIGMAS`, by Monte Carlo with ``n`` draws, with 95 % half-widths."""
    from .estimators import quantities as Q
    from .laws.distributions import make_distribution

    cross = [_sup_constant("L_cross", "patches", 3, {"sigma_patch": s, "k": 4}, "mc", n, seed, cache)
             for s in CROSS_SIGMAS]
    gamma0 = [Q.gamma(make_distribution("patches", 3, sigma_patch=s, k=4), 0.0, method="mc", n=n, seed=seed)
              for s in CROSS_SIGMAS]
    out: dict[str, Any] = {"distribution": {"name": "patches", "p": 3, "k": 4}, "method": "mc", "n": n,
                           "sigma_patch": list(CROSS_SIGMAS)}
    out["L_cross"], out["L_cross_half_width"] = [c["value"] for c in cross], [c["half_width"] for c in cross]
    out["gamma0"], out["gamma0_half_width"] = _values(gamma0)
    return out


def _init_constants(n: int, seed: int) -> dict[str, Any]:
    """Monte Carlo estimates (``n`` draws, 95 % half-widths) of Theorem 3.4's success probability at each α of
    :data:`INIT_ALPHAS` for each p of :data:`INIT_PS` (docs/claims.md §4, claim 16)."""
    from .dynamics.initialization import success_probability_mc

    out: dict[str, Any] = {"method": "mc", "n": n, "alpha": list(INIT_ALPHAS)}
    for p in INIT_PS:
        value, half = _values([success_probability_mc(p, a, n=n, seed=seed) for a in INIT_ALPHAS])
        out[f"p={p}"] = {"value": value, "half_width": half}
    return out


def run_constants(profile: str, seed: int = 0, progress: Progress | None = None, *,
                  cache: ConstantsCache | None = None) -> dict[str, Any]:
    """The distribution constants the report draws, estimated once at the profile's sizes.

    γ(φ), L(φ), L₋w*(φ) and β of each law of :data:`CONSTANT_LAWS` (docs/claims.md §2),
    L_cross and γ(0) of the patch laws of :data:`CROSS_SIGMAS` (§3), and a Monte Carlo
    check of Theorem 3.4's probability (§4, claim 16); sizes from :data:`CONSTANTS_SETTINGS`.
    Every value comes with its 95 % half-width (``*_half_width``; ``beta`` as
    {value, half_width, side, method}).  β and L_cross are taken as the checks take
    them, through ``cache`` (the run's :class:`~verify.checker.context.ConstantsCache`
    when :func:`run_claims` runs the step), so what the checks already hold is not
    estimated again.  ``seconds`` is the step's wall time.

    Examples
    --------
    >>> c = run_constants("quick", 0)
    >>> [law["label"] for law in c["laws"]][:2], len(c["laws"][0]["gamma"]), c["cross"]["n"]
    (['N(0, I₅)', 'uniform on S⁴ (p = 5)'], 17, 10000)
    """
    import numpy as np

    settings = CONSTANTS_SETTINGS[get_profile(profile).name]
    cache = ConstantsCache() if cache is None else cache
    say = progress or (lambda message: None)
    start = time.perf_counter()
    phis = np.linspace(0.0, math.pi, settings["angles"])
    laws = []
    for law in CONSTANT_LAWS:
        t0 = time.perf_counter()
        with np.errstate(all="ignore"):
            laws.append(_law_constants(*law, phis, settings["n_mc"], seed, cache))
        say(f"constants: {law[0]} by {law[4]} ({time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    with np.errstate(all="ignore"):
        cross = _cross_constants(settings["n_cross"], seed, cache)
    say(f"constants: L_cross over {len(CROSS_SIGMAS)} patch laws ({time.perf_counter() - t0:.1f} s)")
    init = _init_constants(settings["n_init"], seed)
    return {"profile": profile, "seed": seed, "settings": dict(settings), "confidence": CONSTANTS_CONFIDENCE,
            "laws": laws, "cross": cross, "initialization": init, "seconds": time.perf_counter() - start}

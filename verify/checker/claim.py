"""The template every claim module fills in: :class:`Claim`, its :class:`Reading`, :class:`Search`, :class:`Control`.

A claim module (``verify/claims/thm22_angle.py``, one per claim id of
docs/claims.md §4) defines a check function named after the id and one
``CLAIM = Claim(...)`` built by keyword, in the manner of PEPit's examples::

    CLAIM = Claim(
        id="thm22-angle",
        source="Appendix A.1, proof of Theorem 2.2",
        statement="if ‖w − w*‖ < ‖w*‖ then θ(w, w*) ≤ arcsin(‖w − w*‖/‖w*‖)",
        kind="upper-bound",
        readings=(Reading("as-printed", "as printed"),),
        check_function=thm22_angle,
        spec_ids=("angle-within-arcsin",),
        defaults={"p": 3},
        parameters=("p",),
        method="geometry in floating point (atan2 angles, rounding bounds)",
        tightness="θ / arcsin(‖w − w*‖/‖w*‖) at the worst instance (1 at tangency)",
        searches=(Search("angle-is-at-most-the-arcsin-of-the-relative-distance", instances, examples=200),),
        controls=(Control("half-the-arcsin", "θ ≤ ½·arcsin(‖w − w*‖/‖w*‖)",
                          {"control_scale": {"angle-within-arcsin": 0.5}},
                          "angle-is-at-most-the-arcsin-of-the-relative-distance"),),
        erratum=None,
    )

A check takes ``(instance, *, alpha, cache)`` and does the claim's
mathematics only: it returns :class:`~verify.checker.findings.Findings` (the
comparisons to make as :class:`~verify.checker.verdicts.Spec` s, each naming
its reading id and its own id among ``spec_ids``, and what it measured), or
raises :class:`~verify.checker.findings.Outside` for an instance outside the
claim's hypotheses.  :meth:`Claim.check` applies the negative controls
(:mod:`verify.checker.controls`), compares (the verdict rule,
:mod:`verify.checker.verdicts`) and assembles the
:class:`~verify.checker.result.CheckResult`.  An unknown reading id or spec id
is an error, so no test can pass vacuously by asking about a reading nobody
checks, and no control is turned off by a renamed comparison.

Everything about a claim is in its file: the statement once (the module's
docstring is derived from it: :meth:`Claim.module_doc`), its readings,
searches, controls, the parameters it takes from a law, and its erratum text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

from ..jsonio import jsonable
from ..validation import InvalidArgument
from .context import ConstantsCache
from .controls import addressed_ids, assumes_hypotheses, controlled
from .findings import Findings, Outside
from .result import CheckResult, make_result, outside_result
from .terms import DEFAULT_ALPHA
from .verdicts import compare_all, group_worst

__all__ = ["Claim", "Control", "Reading", "Search", "ErratumText", "contradicts", "search_seed", "CLAIM_KINDS",
           "EXPECTATIONS", "as_instance_dict"]

CLAIM_KINDS = ("equality", "upper-bound", "lower-bound", "empirical")
#: What a search expects of every instance it draws (see :class:`Search`).
EXPECTATIONS = ("holds", "not-refuted", "refuted")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Reading:
    """One reading of a claim: an ASCII slug id and a human label (docs/claims.md §4)."""

    id: str
    label: str

    def __post_init__(self) -> None:
        if not _SLUG.match(self.id):
            raise ValueError(f"a reading id is an ASCII slug, got {self.id!r}")


@dataclass(frozen=True)
class Search:
    """A search for counterexamples: a Hypothesis strategy of instances and what every instance must show.

    Attributes
    ----------
    name : str
        A slug that reads as the property (``"angle-within-arcsin"``); the pytest
        face of the checker names its test after it.
    instances : callable () -> SearchStrategy of dict
        Builds the strategy of instance dicts (keyword arguments of the check);
        built lazily so that importing a claim costs no strategy construction.
    expect : {"holds", "not-refuted", "refuted"}
        ``holds``: every instance holds (in ``reading``) or is outside the
        claim's hypotheses — used where the instances are exact, and where an
        instance could not refute (unconfirmed hypotheses, one-sided estimates)
        so that an inconclusive instance must fail the search; ``not-refuted``:
        no instance is refuted — used for the §4 experiments and secondary
        readings, whose instances may be inconclusive on a true claim;
        ``refuted``: the claim is false as printed and the search must find a
        counterexample (the pytest face marks it ``xfail(strict=True)``).
    examples : int
        Instances drawn in the ``default`` profile (scaled by the profile).
    reading : str, optional
        The reading the expectation is about (default: the primary reading).
    false_alarm : float
        This search's share of the run's false-alarm budget (statistical
        searches only; 0 for exact ones): split evenly over its examples.
    counterexample : str
        For ``expect="refuted"``: the shrunk counterexample, in words (the
        pytest face puts it in the xfail reason).
    refine : verify.checker.refine.Refinement, optional
        The adversary's local refinement of the worst instances found (exact
        searches only: a search with a false-alarm share cannot have one).
    """

    name: str
    instances: Callable[[], Any] = field(repr=False)
    expect: str = "holds"
    examples: int = 10
    reading: str | None = None
    false_alarm: float = 0.0
    counterexample: str = ""
    refine: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not _SLUG.match(self.name):
            raise ValueError(f"a search name is an ASCII slug, got {self.name!r}")
        if self.expect not in EXPECTATIONS:
            raise ValueError(f"expect must be one of {EXPECTATIONS}, got {self.expect!r}")
        if self.expect == "refuted" and not self.counterexample:
            raise ValueError(f"search {self.name!r} expects a refutation: state its counterexample")
        if self.refine is not None and self.false_alarm > 0:
            raise ValueError(f"search {self.name!r}: only exact searches are refined (the minimum of many noisy "
                             "margins is biased toward violation)")


@dataclass(frozen=True)
class Control:
    """A negative control: a deliberately false variant of the claim that the check must refute.

    A control is the claim with a constant scaled, the relation reversed, or a
    hypothesis dropped; it is checked on the instances of one of the claim's
    searches with ``overrides`` added to each instance (instance keys the check
    reads, documented in its docstring).  If the check could not refute it, the
    check would have no teeth against that kind of error (docs/claims.md §7).

    Attributes
    ----------
    name : str
        A slug (``"upper-bound-halved"``).
    statement : str
        The false variant, in words.
    overrides : dict
        Instance keys that turn the check into the variant's check.
    search : str
        The claim's search whose instances are used.
    examples : int, optional
        Instances in the default profile (the search's own count by default).
    reading : str, optional
        The reading whose verdict the control is judged by: the search's reading
        by default (for a claim false as printed, controls vary a reading that
        holds, so that the claim's own failure cannot refute them).
    needs : str
        The smallest profile whose run sizes have the power to refute it
        (``"default"`` for the §4 experiments, whose quick runs are small).
    """

    name: str
    statement: str
    overrides: dict
    search: str
    examples: int | None = None
    reading: str | None = None
    needs: str = "quick"

    def __post_init__(self) -> None:
        if not _SLUG.match(self.name):
            raise ValueError(f"a control name is an ASCII slug, got {self.name!r}")
        if not self.overrides:
            raise ValueError(f"control {self.name!r}: no override makes the claim false")

    def as_search(self, claim: "Claim") -> Search:
        """The search that looks for the counterexample refuting this variant."""
        base = claim.search(self.search)
        overrides = dict(self.overrides)

        def instances() -> Any:
            return base.instances().map(lambda instance: {**instance, **overrides})

        return Search(f"control-{self.name}", instances, expect="refuted",
                      examples=self.examples or base.examples, reading=self.reading or base.reading or claim.primary,
                      false_alarm=0.0, counterexample=f"negative control: {self.statement}", refine=base.refine)


@dataclass(frozen=True)
class ErratumText:
    """What a claim's erratum says when the claim is refuted or loose (docs/claims.md section cited in ``text``).

    :mod:`verify.report.errata` assembles the erratum from this and the claim's
    entry of the claims document (the evidence rows, every number).

    Attributes
    ----------
    text : str
        A short paragraph: why the claim fails or is loose, and what holds instead, with its formulas.
    holds_instead : str
        One line, when it needs no number; empty: derived from the readings that hold.
    form : str
        Which evidence the report shows (:data:`verify.report.errata.FORMS`): ``"readings"`` (readings
        that hold and are refuted, counterexamples), ``"rotinv"``, ``"tight-beta"``, ``"factors"``,
        ``"iterations"``, ``"certified-readings"``.
    terms : dict
        Per reading id, the formula it claims (the report names readings by them); for ``"tight-beta"``:
        ``tight``, ``claimed`` and ``law``.
    """

    text: str
    holds_instead: str = ""
    form: str = "readings"
    terms: Mapping[str, str] = field(default_factory=dict)


def search_seed(claim_id: str, search_name: str, seed: int) -> int:
    """The Hypothesis seed of one search in a run: SHA-256 of (claim, search, run seed), 64 bits."""
    digest = hashlib.sha256(f"{claim_id}/{search_name}/{int(seed)}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def contradicts(claim: Claim, search: Search, result: CheckResult) -> bool:
    """Whether ``result`` contradicts what the search asserts of every instance.

    ``holds``: the reading must hold, unless the instance is outside the
    claim's hypotheses; ``not-refuted`` and ``refuted``: the reading must not
    be refuted (for ``refuted`` the contradiction is what is looked for).
    """
    reading = search.reading or claim.primary
    verdict = result.verdict if reading == claim.primary else result.readings.get(reading, "inconclusive")
    if search.expect == "holds":
        return not (verdict == "holds" or result.in_hypothesis is False)
    return verdict == "refuted"


def _public(instance: Mapping[str, Any]) -> dict:
    """An input instance as reported when the check gives none (the law object left out)."""
    return jsonable({k: v for k, v in instance.items() if k != "dist"})


def as_instance_dict(instance: Any) -> dict:
    """A claim instance as a dict (a dict, or a dataclass whose None fields are left out)."""
    if instance is None:
        return {}
    if isinstance(instance, Mapping):
        return dict(instance)
    if hasattr(instance, "__dataclass_fields__"):
        if hasattr(instance, "to_dict"):
            return dict(instance.to_dict())
        return {
            name: getattr(instance, name)
            for name in instance.__dataclass_fields__
            if getattr(instance, name) is not None
        }
    raise InvalidArgument("instance", f"must be a dict or a dataclass, got {type(instance).__name__}")


@dataclass(frozen=True)
class Claim:
    """One claim of the paper with its check: the template of every module in :mod:`verify.claims`.

    Attributes
    ----------
    id : str
        The id of docs/claims.md §4 (``"thm22-contraction"``).
    source : str
        Where the paper states it (section, theorem, equation).
    statement : str
        The claim in plain text with math.
    kind : {"equality", "upper-bound", "lower-bound", "empirical"}
        An identity, a one-sided bound, or a property of simulations.
    readings : tuple of Reading
        The readings checked; the first is the primary one (the claim's verdict).
    check_function : callable (instance dict, *, alpha, cache) -> Findings
        The claim's mathematics (module doc); raises :class:`~verify.checker.findings.Outside`
        outside the hypotheses.
    reconstructed : str or None
        What our reading was reconstructed from; ``None`` (the default) when the
        printed text is used as is.
    spec_ids : tuple of str
        The ids of the comparisons its check may state (``Spec.id``); controls address them.
    defaults : dict
        The default instance (``check()`` with no arguments).
    method : str
        How the check computes (which instances are exact).
    tightness : str
        What the tightness number means, or why the claim has none.
    searches : tuple of Search
        The Hypothesis searches the claim checker runs (:mod:`verify.checker.search`).
    controls : tuple of Control
        Deliberately false variants the check must refute (negative controls).
    takes_distribution : bool
        False for claims about no input law (geometry, initialization, the §4
        experiments): :func:`verify.check_claim` then takes only its
        ``parameters`` from a given law, or ignores it.
    parameters : tuple of str
        For a claim about no law: the instance keys it takes from a law given to it (``("p",)``).
    erratum : ErratumText, optional
        What its erratum says when it is refuted or loose (:mod:`verify.report.errata`).

    Examples
    --------
    >>> from verify.claims import get_claim
    >>> get_claim("thm22-angle").check({"w_star": [1.0, 0.0], "w": [0.6, 0.5]}).verdict
    'holds'
    """

    id: str
    source: str
    statement: str
    kind: str
    readings: tuple[Reading, ...]
    check_function: Callable[..., Findings] = field(repr=False, compare=False)
    reconstructed: str | None = None
    spec_ids: tuple[str, ...] = ()
    defaults: dict = field(default_factory=dict, repr=False, compare=False)
    method: str = ""
    tightness: str = ""
    searches: tuple[Search, ...] = field(default=(), repr=False, compare=False)
    controls: tuple[Control, ...] = field(default=(), repr=False, compare=False)
    takes_distribution: bool = True
    parameters: tuple[str, ...] = ()
    erratum: ErratumText | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in CLAIM_KINDS:
            raise ValueError(f"kind must be one of {CLAIM_KINDS}, got {self.kind!r}")
        if not self.readings:
            raise ValueError("a claim needs at least one reading")
        ids = [r.id for r in self.readings]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{self.id}: duplicate reading ids {ids}")
        for search in self.searches:
            if search.reading is not None:
                self.reading(search.reading)
        if self.parameters and self.takes_distribution:
            raise ValueError(f"{self.id}: parameters are what a claim about no law takes from a law given to it; "
                             "set takes_distribution=False")
        for sid in self.spec_ids:
            if not _SLUG.match(sid):
                raise ValueError(f"{self.id}: a spec id is an ASCII slug, got {sid!r}")
        for control in self.controls:
            self.search(control.search)
            if control.reading is not None:
                self.reading(control.reading)
            self._known_spec_ids(addressed_ids(control.overrides), f"control {control.name!r}")

    def _known_spec_ids(self, ids: set[str], who: str) -> None:
        """InvalidArgument for a spec id this claim does not declare (a control would silently do nothing)."""
        unknown = sorted(set(ids) - set(self.spec_ids))
        if unknown:
            raise InvalidArgument("control", f"{who} of {self.id} addresses unknown comparison ids {unknown}; "
                                             f"known: {', '.join(self.spec_ids) or 'none'}")
    @property
    def reading_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.readings)

    @property
    def primary(self) -> str:
        """The primary reading's id (it decides the claim's verdict)."""
        return self.readings[0].id

    def reading(self, reading_id: str) -> Reading:
        """The reading with this id (InvalidArgument, listing the known ids, for an unknown one)."""
        for r in self.readings:
            if r.id == reading_id:
                return r
        raise InvalidArgument(
            "reading", f"unknown reading {reading_id!r} of {self.id}; known: {', '.join(self.reading_ids)}"
        )

    def control(self, name: str) -> Control:
        """The control with this name (InvalidArgument, listing the known names, for an unknown one)."""
        for c in self.controls:
            if c.name == name:
                return c
        raise InvalidArgument("control", f"unknown control {name!r} of {self.id}; "
                                         f"known: {', '.join(c.name for c in self.controls) or 'none'}")

    def search(self, name: str) -> Search:
        """The search with this name (InvalidArgument, listing the known names, for an unknown one)."""
        for s in self.searches:
            if s.name == name:
                return s
        raise InvalidArgument(
            "search", f"unknown search {name!r} of {self.id}; known: {', '.join(s.name for s in self.searches)}"
        )

    def check(
        self, instance: Any = None, *, alpha: float | None = None, cache: ConstantsCache | None = None, **overrides: Any
    ) -> CheckResult:
        """Check the claim on one instance (a dict or a dataclass; missing keys take :attr:`defaults`).

        Parameters
        ----------
        instance : dict or dataclass, optional
            ``dist`` (a distribution object) or ``distribution`` (a name or
            ``{"name": …, "p": …, options}``), ``w_star``, ``w``, ``eta``,
            ``phi``, ``seed``, ``n``, … as the claim needs (see its check).
        alpha : float, optional
            False-alarm probability of the whole check, split over its
            comparisons (Bonferroni); 1e-3 by default.
        cache : ConstantsCache, optional
            Where constants (γ, L, β, …) are memoized; a fresh one by default,
            so nothing outlives the call.
        **overrides
            Instance keys, overriding ``instance``.
        """
        inst = {**self.defaults, **as_instance_dict(instance), **overrides}
        if inst.get("dist") is not None:
            inst.pop("distribution", None)
        a = inst.pop("alpha", None) if alpha is None else alpha
        a = DEFAULT_ALPHA if a is None else float(a)
        if not (0.0 < a < 1.0):
            raise InvalidArgument("alpha", f"must lie in (0, 1), got {a}")
        self._known_spec_ids(addressed_ids(inst), "the instance's control keys")
        cache = ConstantsCache() if cache is None else cache
        cache.sink = []
        try:
            try:
                findings = self.check_function(inst, alpha=a, cache=cache)
            except Outside as out:
                public = out.instance if out.instance is not None else _public(inst)
                result = outside_result(self.id, public, self.reading_ids, a, out.reason, out.details)
            else:
                result = self._assemble(findings, inst, a)
            if cache.sink:
                result = replace(result, warnings=tuple(dict.fromkeys([*result.warnings, *cache.sink])))
        finally:
            cache.sink = None
        unknown = set(result.readings) - set(self.reading_ids)
        if unknown:
            raise ValueError(f"{self.id}: the check reported unknown readings {sorted(unknown)}")
        return result

    def _assemble(self, findings: Findings, instance: dict, alpha: float) -> CheckResult:
        """Controls, comparisons (the verdict rule, Bonferroni over the specs) and the CheckResult."""
        if not isinstance(findings, Findings):
            raise TypeError(f"{self.id}: a check returns Findings (or raises Outside), got {type(findings).__name__}")
        stated = {s.id for s in findings.specs}
        if stated - set(self.spec_ids):
            raise ValueError(f"{self.id}: the check stated comparisons {sorted(stated - set(self.spec_ids))} "
                             f"not among its spec_ids {list(self.spec_ids)}")
        readings = {s.reading for s in findings.specs} | {c.reading for c in findings.comparisons}
        if readings - set(self.reading_ids):
            unknown = sorted(readings - set(self.reading_ids))
            raise ValueError(f"{self.id}: the check reported unknown readings {unknown}")
        comparisons = [*compare_all(controlled(findings.specs, instance), alpha), *findings.comparisons]
        if findings.grouped:
            comparisons = group_worst(comparisons)
        in_hypothesis = True if assumes_hypotheses(instance) else findings.in_hypothesis
        return make_result(self.id, findings.instance, comparisons, self.reading_ids, alpha=alpha,
                           tightness=findings.tightness, in_hypothesis=in_hypothesis, note=findings.note,
                           details=findings.details, conjunction=findings.conjunction)

    def module_doc(self) -> str:
        """The docstring of the claim's module, derived from its fields (so it cannot drift from them)."""
        readings = "".join(f"\n- ``{r.id}``: {r.label}" for r in self.readings)
        return (f"{self.id}: {self.source}.\n\n{self.statement}\n\nReadings:{readings}\n\n"
                f"See docs/claims.md §4 ({self.id}).\n")

    def to_dict(self) -> dict[str, Any]:
        """The claim's metadata, JSON-ready (what ``verify claims`` lists)."""
        return {
            "id": self.id,
            "source": self.source,
            "statement": self.statement,
            "kind": self.kind,
            "reconstructed": self.reconstructed,
            "readings": [{"id": r.id, "label": r.label} for r in self.readings],
            "method": self.method,
            "tightness": self.tightness,
            "searches": [{"name": s.name, "expect": s.expect, "examples": s.examples} for s in self.searches],
            "controls": [{"name": c.name, "statement": c.statement} for c in self.controls],
        }

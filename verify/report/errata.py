"""Errata: for every claim that is refuted or loose, what holds instead, with its evidence.

Each claim states its erratum in its own file (``Claim.erratum``, an
:class:`~verify.checker.claim.ErratumText`: the paragraph, the corrected
constant or condition, and the form of its evidence); this module only
assembles: the form's function (:data:`FORMS`) turns that claim's entry of the
claims document (``claims.json``, :mod:`verify.report.document`) into an
:class:`Erratum` — the claim's paragraph and one-line correction, and evidence
rows read from the entry itself (reading verdicts, counterexample margins, tightness, closest call,
negative controls, and the certified verdicts of :mod:`verify.certify` under
``certified`` when the document carries them, docs/certify.md).  No number is
written here or in the claim's text: every number shown comes from the
document, and the formulas quoted are those of docs/claims.md (section cited
in each text).

A claim gets an erratum when it states one (and its entry is in the
document), or, without one, when it is refuted or one of its readings
or certificates is (:func:`_generic`: the readings that survive).  A claim is
*loose* when its tightness (value/bound at the worst instance) is at most
:data:`LOOSE`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..checker.claim import ErratumText
from ..claims import REGISTRY
from ..estimators.closed_forms import radial_constants
from .words import certified_margin_text, closest_call_text, control_reason, format_number, format_value, format_with_error, symbols

__all__ = ["LOOSE", "Erratum", "FORMS", "errata", "erratum", "erratum_text"]

#: A bound is *loose* when the worst instance uses at most this fraction of it (tightness ≤ LOOSE).
LOOSE = 0.5


@dataclass(frozen=True)
class Erratum:
    """What holds instead of a refuted or loose claim.

    Attributes
    ----------
    claim : str
    verdict : str
        The claim's verdict in the document.
    kind : str
        ``"refuted"`` (the claim or one of its readings/certificates is refuted) or ``"loose"``.
    holds_instead : str
        One line: the corrected constant, condition or surviving reading.
    text : str
        A short paragraph (docs/claims.md section cited).
    evidence : list of (label, value)
        Rows read from the document.
    """

    claim: str
    verdict: str
    kind: str
    holds_instead: str
    text: str
    evidence: list = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "verdict": self.verdict, "kind": self.kind, "holds_instead": self.holds_instead,
                "text": self.text, "evidence": [list(row) for row in self.evidence]}


# ---------------------------------------------------------------------------
# Reading the document
# ---------------------------------------------------------------------------

def _num(x: Any) -> float | None:
    if isinstance(x, bool) or x is None:
        return None
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v


def _labels(entry: Mapping) -> dict[str, str]:
    out = {}
    for item in entry.get("all_readings") or []:
        if isinstance(item, Mapping):
            out[str(item.get("id"))] = str(item.get("label", item.get("id")))
    return out


def _reading_verdicts(entry: Mapping) -> dict[str, str]:
    out = {}
    for rid, value in (entry.get("readings") or {}).items():
        out[str(rid)] = str(value.get("verdict") if isinstance(value, Mapping) else value)
    return out


def _readings_with(entry: Mapping, verdict: str) -> list[str]:
    return [rid for rid, v in _reading_verdicts(entry).items() if v == verdict]


def _named(entry: Mapping, rids: Sequence[str]) -> str:
    labels = _labels(entry)
    return "; ".join(f"{rid} ({labels[rid]})" if rid in labels else rid for rid in rids) or "none"


def _certs(entry: Mapping, reading: str | None = None, verdict: str | None = None,
           condition: str | None = None) -> list[Mapping]:
    out = []
    for cert in entry.get("certified") or []:
        if not isinstance(cert, Mapping):
            continue
        if reading is not None and cert.get("reading") != reading:
            continue
        if verdict is not None and cert.get("verdict") != verdict:
            continue
        if condition is not None and cert.get("condition") != condition:
            continue
        out.append(cert)
    return out


def _margin_text(margin: Any, error: Any) -> str:
    return format_with_error(_num(margin), _num(error))


def _cex_row(label: str, cex: Mapping | None) -> list[tuple[str, str]]:
    """A counterexample as one row: part, lhs vs rhs, margin, and the instance's scalar fields."""
    if not isinstance(cex, Mapping):
        return []
    inst = cex.get("instance") or {}
    scalars = ", ".join(f"{k} = {format_value(v)}" for k, v in inst.items()
                        if _num(v) is not None and not isinstance(v, (list, dict)))
    part = cex.get("part")
    text = (f"{symbols(part) + ': ' if part else ''}lhs {format_number(_num(cex.get('lhs')))} vs rhs "
            f"{format_number(_num(cex.get('rhs')))}, margin {_margin_text(cex.get('margin'), cex.get('margin_error'))}")
    if scalars:
        text += f" at {scalars}"
    return [(label, text)]


def _cert_rows(entry: Mapping, certs: Sequence[Mapping] | None = None) -> list[tuple[str, str]]:
    rows = []
    for cert in (entry.get("certified") or []) if certs is None else certs:
        if not isinstance(cert, Mapping):
            continue
        name = f"certified {cert.get('reading')}"
        if cert.get("condition"):
            name += f" ({cert.get('condition')})"
        text = str(cert.get("verdict"))
        if cert.get("min_margin") is not None:
            text += f"; {certified_margin_text(cert.get('min_margin'))}"
        for key in ("p_holds", "p_refuted"):
            if cert.get(key) and cert.get(key) != "∅":
                text += f"; {'holds' if key == 'p_holds' else 'refuted'} for p ∈ {cert.get(key)}"
        domain = cert.get("domain")
        words = domain.get("words") if isinstance(domain, Mapping) else domain
        if words:
            text += f" — {words}"
        rows.append((name, text))
    return rows


def _enclosures(entry: Mapping, *needles: str) -> list[tuple[str, str]]:
    """Certificate enclosures whose name contains one of ``needles`` (each once)."""
    rows, seen = [], set()
    for cert in entry.get("certified") or []:
        for name, ball in ((cert.get("enclosures") or {}) if isinstance(cert, Mapping) else {}).items():
            if name in seen or not any(n in name for n in needles):
                continue
            seen.add(name)
            rows.append((f"enclosure {name}", str(ball)))
    return rows


def _common_rows(entry: Mapping) -> list[tuple[str, str]]:
    """Tightness, closest call, power and negative controls, where the document has them."""
    rows = []
    tight = _num(entry.get("tightness"))
    # actual/claimed measures the share of a bound used; once an instance breaks the bound it means nothing
    if tight is not None and math.isfinite(tight) and entry.get("verdict") != "refuted":
        note = entry.get("tightness_note")
        rows.append(("tightness", format_number(tight) + (f" — {symbols(note)}" if note else "")))
    closest = closest_call_text(entry.get("closest_call"))
    if closest:
        rows.append(("closest call", closest))
    controls = [c for c in entry.get("controls") or [] if isinstance(c, Mapping)]
    if controls:
        refuted = sum(1 for c in controls if c.get("verdict") == "refuted")
        rows.append(("negative controls", f"{refuted} of {len(controls)} refuted. " + " ".join(
            f"{c.get('name')}: {control_reason(c)}" for c in controls)))
    return rows


def _verdict_rows(entry: Mapping) -> list[tuple[str, str]]:
    verdicts = _reading_verdicts(entry)
    if not verdicts:
        return []
    return [("readings", ", ".join(f"{rid} {v}" for rid, v in verdicts.items()))]


def _kind(entry: Mapping) -> str:
    """``refuted`` (the claim, a reading or a certificate), ``loose`` (tightness ≤ LOOSE), else ``reconstructed``
    (a claim whose printed form had to be rebuilt) or ``as-checked``."""
    refuted = (entry.get("verdict") == "refuted" or _readings_with(entry, "refuted")
               or _certs(entry, verdict="certified-refuted"))
    if refuted:
        return "refuted"
    tight = _num(entry.get("tightness"))
    if tight is not None and 0 <= tight <= LOOSE:
        return "loose"
    return "reconstructed" if entry.get("reconstructed") else "as-checked"


def _make(cid: str, entry: Mapping, holds_instead: str, text: str, rows: list) -> Erratum:
    return Erratum(cid, str(entry.get("verdict")), _kind(entry), holds_instead, text,
                   [(str(a), str(b)) for a, b in rows])


# ---------------------------------------------------------------------------
# One assembly per form of erratum; each claim's text is its Claim.erratum (verify/claims/<id>.py)
# ---------------------------------------------------------------------------

def _split(cid: str, entry: Mapping, said: ErratumText) -> Erratum:
    """A claim whose one reading survives (``terms["survivor"]``): the surviving and refuted readings."""
    survive = _readings_with(entry, "holds")
    fail = _readings_with(entry, "refuted")
    rows = [("surviving reading", f"{_named(entry, survive)}: {'holds' if survive else 'none holds'}"),
            ("refuted reading", _named(entry, fail))]
    rows += _cex_row("counterexample", entry.get("counterexample"))
    rows += _common_rows(entry)
    instead = (said.holds_instead if said.terms.get("survivor") in survive
               else f"surviving readings: {_named(entry, survive)}")
    return _make(cid, entry, instead, said.text, rows)


def _rotinv(cid: str, entry: Mapping, said: ErratumText) -> Erratum:
    """γ = L refuted for a radial law: the counterexample with the closed forms there (docs/claims.md §6.1)."""
    rows = []
    cex = entry.get("counterexample")
    if isinstance(cex, Mapping):
        inst = cex.get("instance") or {}
        phi, p = _num(inst.get("phi")), _num(inst.get("p"))
        dist = (inst.get("distribution") or {}).get("name") if isinstance(inst.get("distribution"), Mapping) else None
        rows += _cex_row("counterexample", cex)
        if phi is not None and p and dist in ("sphere", "gaussian"):
            s = 1.0 / p if dist == "sphere" else 1.0
            there = radial_constants(phi, s)
            rows.append(("closed form there (§6.1)", (f"γ = {format_number(there['gamma'])}, L = "
                                                      f"{format_number(there['L'])} ({dist}, p = "
                                                      f"{format_number(int(p))}, s = {format_number(s)})")))
    rows += _cert_rows(entry, _certs(entry, reading="as-printed"))
    rows += _common_rows(entry)
    return _make(cid, entry, said.holds_instead, said.text, rows)


def _tight_beta(cid: str, entry: Mapping, said: ErratumText) -> Erratum:
    """A valid but loose β: the tight β against the claimed one at the worst instance, and the certificates."""
    worst = (entry.get("worst_instance") or {})
    lhs = (worst.get("lhs") or {}).get("value") if isinstance(worst.get("lhs"), Mapping) else worst.get("lhs")
    rhs = (worst.get("rhs") or {}).get("value") if isinstance(worst.get("rhs"), Mapping) else worst.get("rhs")
    p = (worst.get("instance") or {}).get("p") if isinstance(worst.get("instance"), Mapping) else None
    rows = []
    if _num(lhs) is not None and _num(rhs) is not None:
        rows.append(("worst instance", f"tight β {format_number(_num(lhs))} vs claimed {format_number(_num(rhs))}"
                                       + (f" at p = {format_number(p)}" if p is not None else "")))
    rows += _verdict_rows(entry)
    for rid, cex in (entry.get("reading_counterexamples") or {}).items():
        rows += _cex_row(f"counterexample to {rid}", cex)
    rows += _enclosures(entry, "tight_beta", "slack")
    rows += _cert_rows(entry)
    rows += _common_rows(entry)
    return _make(cid, entry, said.holds_instead, said.text, rows)


def _factors(cid: str, entry: Mapping, said: ErratumText) -> Erratum:
    """Readings that are factors of one bound (``terms``: reading id → factor, weakest first)."""
    factors = dict(said.terms)
    verdicts = _reading_verdicts(entry)
    hold = [f"{factors.get(r, r)} ({r})" for r, v in verdicts.items() if v == "holds"]
    fail = [f"{factors.get(r, r)} ({r})" for r, v in verdicts.items() if v == "refuted"]
    rows = [("factors that hold", "; ".join(hold) or "none"), ("factors refuted", "; ".join(fail) or "none")]
    rows += _cert_rows(entry)
    rows += _common_rows(entry)
    strongest = next((factors[r] for r in reversed(factors) if verdicts.get(r) == "holds"), None)
    instead = (f"the strongest factor that holds: {strongest}" if strongest else "no factor holds")
    return _make(cid, entry, instead, said.text, rows)


def _iterations(cid: str, entry: Mapping, said: ErratumText) -> Erratum:
    """An iteration count within a bound: measured against allowed; the constant's reading is ``terms["constant"]``."""
    worst = entry.get("worst_instance") or {}
    lhs = (worst.get("lhs") or {}).get("value") if isinstance(worst.get("lhs"), Mapping) else None
    rhs = (worst.get("rhs") or {}).get("value") if isinstance(worst.get("rhs"), Mapping) else None
    tight = _num(entry.get("tightness"))
    constant = said.terms.get("constant", "")
    rows = []
    if _num(lhs) is not None and _num(rhs) is not None:
        rows.append(("worst instance", (f"{format_number(_num(lhs))} iterations measured vs "
                                        f"{format_number(_num(rhs))} allowed by the contraction bound")))
    if tight is not None:
        rows.append(("measured share of the bound", (f"{format_number(tight)} (the O-constant ≤ 128 reading: "
                                                      f"{_reading_verdicts(entry).get(constant, 'not checked')})")))
    rows += _verdict_rows(entry)
    rows += _common_rows(entry)
    instead = (f"GD takes about {format_number(tight, 2)} of the bound's iterations: the constant 128 is loose"
               if tight is not None else "the iteration bound holds")
    return _make(cid, entry, instead, said.text, rows)


def _readings(cid: str, entry: Mapping, said: ErratumText) -> Erratum:
    """Readings that hold and are refuted, with the counterexamples of each."""
    survive = _readings_with(entry, "holds")
    fail = _readings_with(entry, "refuted")
    rows = [("readings that hold", _named(entry, survive)), ("readings refuted", _named(entry, fail))]
    for rid, cex in (entry.get("reading_counterexamples") or {}).items():
        rows += _cex_row(f"counterexample to {rid}", cex)
    rows += _cex_row("counterexample (primary)", entry.get("counterexample"))
    rows += _common_rows(entry)
    instead = (f"only {_named(entry, survive)} holds" if survive else "no reading holds")
    return _make(cid, entry, instead, said.text, rows)


def _certified_readings(cid: str, entry: Mapping, said: ErratumText) -> Erratum:
    """Readings of a reconstructed bound, with the range of p on which each is certified to hold or fail."""
    survive = _readings_with(entry, "holds")
    fail = _readings_with(entry, "refuted")
    rows = [("readings that hold", _named(entry, survive)), ("readings refuted", _named(entry, fail))]
    for rid, cex in (entry.get("reading_counterexamples") or {}).items():
        rows += _cex_row(f"counterexample to {rid}", cex)
    rows += _cert_rows(entry)
    rows += _common_rows(entry)
    instead = f"holds on every instance: {', '.join(survive) or 'none'}"
    by_condition: dict[str, list[str]] = {}
    for c in entry.get("certified") or []:
        if not isinstance(c, Mapping):
            continue
        ranges = [f"{word} for p ∈ {c.get(key)}" for key, word in (("p_holds", "holds"), ("p_refuted", "fails"))
                  if c.get(key) not in (None, "∅")]
        if not ranges:
            ranges = ["fails" if c.get("verdict") == "certified-refuted" else "holds"]
        by_condition.setdefault(str(c.get("condition") or "certified"), []).append(
            f"{c.get('reading')} {', '.join(ranges)}")
    if by_condition:
        instead += "; " + "; ".join(f"{cond}: {', '.join(items)}" for cond, items in by_condition.items())
    return _make(cid, entry, instead, said.text, rows)


#: ``ErratumText.form`` → how the erratum is assembled from the claim's entry.
FORMS: dict[str, Callable[[str, Mapping, ErratumText], Erratum]] = {
    "split": _split,
    "rotinv": _rotinv,
    "tight-beta": _tight_beta,
    "factors": _factors,
    "iterations": _iterations,
    "readings": _readings,
    "certified-readings": _certified_readings,
}


def _generic(cid: str, entry: Mapping) -> Erratum:
    survive = _readings_with(entry, "holds")
    fail = _readings_with(entry, "refuted")
    if _kind(entry) == "loose":
        text = (f"docs/claims.md §4 ({cid}): the claim holds, but its worst instance uses only the tightness's "
                "share of the bound; the readings and the evidence below.")
    else:
        text = (f"docs/claims.md §4 ({cid}): the claim's readings that survive and those refuted, with the "
                "counterexample of smallest margin.")
    rows = [("readings that hold", _named(entry, survive)), ("readings refuted", _named(entry, fail))]
    rows += _cex_row("counterexample", entry.get("counterexample"))
    rows += _cert_rows(entry)
    rows += _common_rows(entry)
    tight = _num(entry.get("tightness"))
    instead = (f"holds with slack: the worst instance uses {format_number(tight, 2)} of the bound"
               if _kind(entry) == "loose" and tight is not None else f"surviving readings: {_named(entry, survive)}")
    return _make(cid, entry, instead, text, rows)


def erratum_text(cid: str) -> ErratumText | None:
    """The erratum text a registered claim states (``Claim.erratum``), or None."""
    claim = REGISTRY.get(cid)
    return None if claim is None else claim.erratum


def _flagged(entry: Mapping) -> bool:
    """Refuted (the claim, a reading or a certificate) or loose (tightness ≤ LOOSE)."""
    return _kind(entry) in ("refuted", "loose")


def erratum(cid: str, entry: Mapping) -> Erratum | None:
    """The erratum of one claim, or None (it states none, and is neither refuted nor loose).

    Examples
    --------
    >>> e = erratum("def21-rotinv-equal", {"verdict": "refuted", "counterexample": {"instance": {"phi": 1.0,
    ...     "p": 3, "distribution": {"name": "gaussian"}}, "lhs": 0.2069, "rhs": 0.4748, "margin": -0.5642}})
    >>> e.kind, e.holds_instead.split(" for")[0]
    ('refuted', 'γ(φ) = s(π−φ−sin φ)/(2π) < L(φ) = s(π−φ+sin φ)/(2π)')
    >>> dict(e.evidence)["closed form there (§6.1)"]
    'γ = 0.2069, L = 0.4748 (gaussian, p = 3, s = 1)'
    >>> erratum("def21-shape", {"verdict": "holds", "readings": {"as-printed": "holds"}}) is None
    True
    """
    said = erratum_text(cid)
    if said is None:
        return _generic(cid, entry) if _flagged(entry) else None
    return FORMS[said.form](cid, entry, said)


def errata(doc: Mapping) -> list[Erratum]:
    """The errata of a claims document, in its claim order (claims without one skipped)."""
    out = []
    for cid, entry in (doc.get("claims") or {}).items():
        if isinstance(entry, Mapping):
            e = erratum(cid, entry)
            if e is not None:
                out.append(e)
    return out

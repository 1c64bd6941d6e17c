"""The page: the claims document turned into what the template shows, and the template rendered.

Everything numeric or structural is formatted here (:func:`format_number`,
:func:`format_value`, :func:`field_rows`, :func:`claim_view`) so that the
template (``templates/report.html.j2``, autoescaped) only lays it out.
Counterexamples become small two-column tables — one row per instance field,
arrays rounded to 4 significant digits and cut after a few entries — never raw
JSON.
"""
from __future__ import annotations

import re
from importlib import resources
from typing import Any, Iterable, Mapping, Sequence

from markupsafe import Markup, escape

from .document import VERDICTS, summary_counts
from .errata import errata
from .figures import Figure
from .counterexample import counterexample_view
from .words import (certified_margin_text, closest_call_text, control_reason, count_of, format_number, format_value,
                    format_with_error, holds_reason, inconclusive_reason, is_number, join_sentences, refuted_reason, symbols,
                    verdict_reason)

__all__ = ["field_rows", "breakable", "claim_view", "errata_views", "slack_views", "figure_names",
           "render_html", "environment", "MAX_NOTES"]

#: Notes shown per claim before "… and N more".
MAX_NOTES = 8
#: Fields of a counterexample or a worst instance that are not shown as rows (shown elsewhere, or noise).
_SKIP = {"test", "verdict", "reading"}


def field_rows(obj: Any, prefix: str = "", skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """``(field, value)`` rows of a nested record: sub-records flattened to dotted names, arrays shortened.

    Examples
    --------
    >>> field_rows({"instance": {"p": 3, "distribution": {"name": "sphere"}}, "margin": -0.81964})
    [('p', '3'), ('distribution.name', 'sphere'), ('margin', '−0.8196')]
    """
    skip = set(skip)
    rows: list[tuple[str, str]] = []
    if not isinstance(obj, Mapping):
        return [(prefix or "value", symbols(format_value(obj)))]
    for key, value in obj.items():
        if key in skip:
            continue
        name = key if key == "instance" and not prefix else (f"{prefix}.{key}" if prefix else str(key))
        if key == "instance" and not prefix and isinstance(value, Mapping):
            rows += field_rows(value, "", skip)
        elif isinstance(value, Mapping) and value:
            rows += field_rows(value, name, skip)
        else:
            rows.append((name, symbols(format_value(value))))
    return rows


_BREAK = re.compile(r"(::|[/_,=]|\.(?!\d))")


def breakable(text: Any) -> Markup:
    """Escaped ``text`` with ``<wbr>`` after path and identifier separators (never between digits).

    Examples
    --------
    >>> str(breakable("properties/test_a.py::test_b"))
    'properties/<wbr>test_<wbr>a.<wbr>py::<wbr>test_<wbr>b'
    """
    return Markup(_BREAK.sub(lambda m: m.group(0) + "\x00", str(escape(text))).replace("\x00", "<wbr>"))


def _slug(text: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "unknown"


def _reason(entry: Mapping) -> str:
    """The claim's verdict and its reason in one sentence (:func:`verify.report.words.verdict_reason`)."""
    verdict = entry.get("verdict")
    cex = entry.get("counterexample") if isinstance(entry.get("counterexample"), Mapping) else {}
    if verdict == "refuted" and cex:
        return refuted_reason(cex.get("part"), cex.get("margin"), cex.get("margin_error"))
    if verdict in ("holds", "refuted", "inconclusive"):
        worst = entry.get("worst_instance") if isinstance(entry.get("worst_instance"), Mapping) else {}
        part = worst.get("part")
        if verdict == "inconclusive" and not part:
            labels = _reading_label(entry)
            undecided = [labels.get(str(r), str(r)) for r, v in (entry.get("readings") or {}).items()
                         if (v.get("verdict") if isinstance(v, Mapping) else v) == "inconclusive"][1:]
            part = (f"the worst part of the readings left undecided ({'; '.join(undecided)})" if undecided else None)
        return verdict_reason(verdict, part=part, margin=entry.get("worst_margin"),
                              error=entry.get("margin_error"), why=worst.get("why") or "",
                              instances=entry.get("instances"))
    return join_sentences("the checker gave no verdict for this claim")


def _reading_reason(verdict: str, cex: Mapping | None) -> str | None:
    """A reading's reason where the document has its numbers (its own counterexample, or for a reading that is
    not refuted, the part that decided it: ``reading_reasons`` of claims.json)."""
    if verdict == "refuted" and cex:
        return refuted_reason(cex.get("part"), cex.get("margin"), cex.get("margin_error"))
    if verdict == "inconclusive" and cex:
        return inconclusive_reason(cex.get("part"), cex.get("margin"), cex.get("margin_error"), cex.get("why") or "")
    if verdict == "holds" and cex:
        return holds_reason(cex.get("margin"), cex.get("margin_error"), cex.get("instances"))
    return None


def _reading_label(entry: Mapping) -> dict[str, str]:
    labels = {}
    for item in entry.get("all_readings") or []:
        if isinstance(item, Mapping):
            labels[str(item.get("id"))] = str(item.get("label", item.get("id")))
        else:
            labels[str(item)] = str(item)
    return labels


def _search_line(search: Any) -> str:
    """One search of a claim in words: its name, what it expects, whether it was met, on how many instances."""
    if not isinstance(search, Mapping):
        return str(search)
    met = "met" if search.get("met") else "NOT met"
    return (f"{search.get('search')}: expects {search.get('expect')} — {met} on "
            f"{count_of(search.get('instances'), 'instance')}")


def _certificate_view(cert: Mapping) -> dict[str, Any]:
    """A certified verdict (verify.certify) as the page shows it: reading, verdict, domain, lower bound."""
    domain = cert.get("domain") or {}
    words = domain.get("words") if isinstance(domain, Mapping) else str(domain)
    condition = cert.get("condition")
    return {"reading": str(cert.get("reading")), "verdict": str(cert.get("verdict")),
            "verdict_class": "holds" if cert.get("verdict") == "certified-holds" else (
                "refuted" if cert.get("verdict") == "certified-refuted" else "inconclusive"),
            "domain": str(words or ""), "condition": str(condition) if condition else None,
            "min_margin": _certified_margin(cert.get("min_margin"))}


def _certified_margin(value: Any) -> str:
    """A certificate's margin in words (:func:`verify.report.words.certified_margin_text`)."""
    return certified_margin_text(value) if value is not None else ""


def claim_view(cid: str, entry: Mapping) -> dict[str, Any]:
    """What the template shows for one claim of the claims document (docs/claims.md §4).

    Examples
    --------
    >>> v = claim_view("c", {"verdict": "refuted", "counterexample": {"instance": {"p": 3}, "margin": -0.5},
    ...                      "tightness": None, "tightness_note": "no bound to compare"})
    >>> v["verdict_class"], v["counterexample"]["rows"], v["tightness"], v["tightness_note"]
    ('refuted', [('margin', '−0.5'), ('p', '3')], None, 'no bound to compare')
    """
    verdict = str(entry.get("verdict", "not checked"))
    labels = _reading_label(entry)
    reading_cex = entry.get("reading_counterexamples") or {}
    checked = entry.get("readings") or {}
    readings = []
    # every reading of the claim, in the registry's order; one that no instance reached says so
    for rid in dict.fromkeys([*labels, *checked]):
        value = checked.get(rid, "not checked")
        rverdict = value.get("verdict") if isinstance(value, Mapping) else value
        cex = reading_cex.get(rid)
        same = cex and isinstance(entry.get("counterexample"), Mapping) and cex == entry.get("counterexample")
        readings.append({"id": str(rid), "label": symbols(labels.get(str(rid), str(rid))), "verdict": str(rverdict),
                         "verdict_class": _slug(rverdict),
                         "reason": _reading_reason(str(rverdict), cex or (entry.get("reading_reasons") or {}).get(rid)),
                         "counterexample": counterexample_view(cex, cid, str(rid)) if cex and not same else None})
    notes = entry.get("notes") or []
    if isinstance(notes, str):
        notes = [notes]
    notes = [symbols(n) for n in notes]
    cex = entry.get("counterexample")
    worst = entry.get("worst_instance")
    tight = entry.get("tightness")
    recon = entry.get("reconstructed")
    decided = entry.get("decided_by") or {}
    return {
        "id": cid,
        "verdict": verdict,
        "verdict_class": _slug(verdict),
        "statement": symbols(entry.get("statement") or ""),
        "source": entry.get("source") or "",
        "kind": entry.get("kind"),
        "method": entry.get("method"),
        "reconstructed": (recon if isinstance(recon, str) else "our reading, not the printed text") if recon else None,
        "notes": notes[:MAX_NOTES],
        "notes_more": max(0, len(notes) - MAX_NOTES),
        "reason": _reason(entry),
        "instances": format_number(entry.get("instances")),
        "outside": format_number(entry.get("outside_hypothesis")) if entry.get("outside_hypothesis") else None,
        "margin": format_with_error(entry.get("worst_margin"), entry.get("margin_error")),
        # actual/claimed measures how much of a bound is used: nothing, once an instance breaks the bound
        "tightness": (None if verdict == "refuted" else
                      format_number(tight) if is_number(tight) else (format_value(tight) if tight else None)),
        "tightness_note": (symbols(entry.get("tightness_note")) if verdict != "refuted" or not is_number(tight) else
                           "none shown: the claim is refuted, so the share of the bound used means nothing"
                           ) if entry.get("tightness_note") or is_number(tight) else None,
        "verdict_counts": ", ".join(f"{k} {format_number(v)}" for k, v in (entry.get("verdict_counts") or {}).items()),
        "readings": readings,
        "counterexample": counterexample_view(cex, cid) if cex else None,
        "counterexample_test": cex.get("test") if isinstance(cex, Mapping) else None,
        "worst_instance": [(k, v) for k, v in field_rows(worst, skip=_SKIP) if v not in ("—", "[]", "")]
        if worst and not cex else None,
        "decided_by": field_rows(decided) if decided else None,
        "searches": [symbols(_search_line(s)) for s in entry.get("searches") or []],
        "controls": [{"name": str(c.get("name")), "statement": symbols(c.get("statement")),
                      "verdict": str(c.get("verdict")), "verdict_class": _slug(c.get("verdict")),
                      "reason": control_reason(c)}
                     for c in entry.get("controls") or []],
        "closest": closest_call_text(entry.get("closest_call")),
        "certified": [_certificate_view(c) for c in entry.get("certified") or []],
        "detectable": (format_number(entry.get("detectable_violation"), 2)
                       if is_number(entry.get("detectable_violation")) else None),
        "cannot_refute": count_of(entry.get("instances_that_cannot_refute"), "instance")
        if entry.get("instances_that_cannot_refute") else None,
        "experiments": list(entry.get("experiments") or []),
    }


def _errata_badges(entry: Mapping, kind: str) -> list[dict[str, str]]:
    """The labelled badges of an erratum's heading: the claim's verdict, then each refuted reading and each
    refuted certificate by name (or the loose bound), so that no badge is left for the reader to interpret."""
    verdict = str(entry.get("verdict", "not checked"))
    badges = [{"label": "claim verdict", "verdict": verdict, "class": _slug(verdict)}]
    for rid, value in (entry.get("readings") or {}).items():
        rverdict = value.get("verdict") if isinstance(value, Mapping) else value
        if rverdict == "refuted":
            badges.append({"label": f"reading {rid}", "verdict": "refuted", "class": "refuted"})
    for cert in entry.get("certified") or []:
        if isinstance(cert, Mapping) and cert.get("verdict") == "certified-refuted":
            badges.append({"label": f"certificate {cert.get('reading')}", "verdict": "certified-refuted",
                           "class": "refuted"})
    if kind == "loose":
        badges.append({"label": "bound", "verdict": "loose", "class": "inconclusive"})
    return badges


def errata_views(doc: Mapping) -> list[dict[str, Any]]:
    """The errata section's view: one entry per refuted or loose claim (:mod:`verify.report.errata`), with
    labelled badges (claim verdict, refuted readings and certificates).

    Examples
    --------
    >>> v = errata_views({"claims": {"lemma-a1": {"verdict": "refuted", "readings": {"closed-regions": "refuted",
    ...                                                                              "half-open": "holds"}}}})
    >>> v[0]["claim"], v[0]["verdict_class"], v[0]["holds_instead"].startswith("the half-open reading holds")
    ('lemma-a1', 'refuted', True)
    >>> [(b["label"], b["verdict"]) for b in v[0]["badges"]]
    [('claim verdict', 'refuted'), ('reading closed-regions', 'refuted')]
    """
    claims = doc.get("claims") or {}
    views = []
    for e in errata(doc):
        entry = claims.get(e.claim) or {}
        views.append({**e.to_dict(), "holds_instead": symbols(e.holds_instead), "text": symbols(e.text),
                      "evidence": [(symbols(a), symbols(b)) for a, b in e.evidence],
                      "verdict_class": _slug(e.verdict), "kind_class": _slug(e.kind),
                      "badges": _errata_badges(entry, e.kind), "source": str(entry.get("source") or "")})
    return views


#: What each step of a proof chain compares (verify.checker.slack), in the page's words.
SLACK_STEPS = {
    "lower-bound": "⟨E∇ℓ, w − w*⟩ over its lower bound",
    "upper-bound": "‖E∇ℓ‖ over its upper bound",
    "contraction": "realized one-step decrease over the claimed one, at η = η_max(φ_t)",
    "contraction-factor": "realized factor over the claimed factor",
    "step-size": "largest step that still contracts by the claimed factor, over η_max(φ_t)",
}


def slack_views(doc: Mapping) -> list[dict[str, Any]]:
    """The proof-chain slack section's view: per theorem, each step's worst ratio and where (verify.checker.slack).

    Examples
    --------
    >>> worst = {"ratio": 0.282, "r": 0.5, "psi": 0.0, "theta": 0.0, "phi_t": 0.52}
    >>> v = slack_views({"proof_slack": {"theorem-2.2": {"loses_most": "upper-bound", "grid": {"law": "N(0, I)"},
    ...     "steps": {"upper-bound": {"sense": "<= 1", "worst": worst, "slack": 3.55}}}}})
    >>> v[0]["theorem"], v[0]["rows"][0]["slack"], v[0]["loses_most"]
    ('theorem-2.2', '3.55', 'upper-bound')
    """
    views = []
    for theorem, chain in (doc.get("proof_slack") or {}).items():
        if not isinstance(chain, Mapping):
            continue
        rows = []
        for step, summary in (chain.get("steps") or {}).items():
            worst = summary.get("worst") or {}
            rows.append({"step": step, "what": SLACK_STEPS.get(step, step), "sense": symbols(summary.get("sense") or ""),
                         "worst": format_number(worst.get("ratio")), "slack": format_number(summary.get("slack")),
                         "where": ", ".join(f"{k} = {format_number(worst.get(k))}" for k in ("r", "psi", "theta"))})
        views.append({"theorem": theorem, "rows": rows, "loses_most": chain.get("loses_most"),
                      "grid": field_rows(chain.get("grid") or {})})
    return views


def environment():
    """The report's jinja2 environment: the package's ``templates/``, autoescape, strict undefined, and the
    filters ``breakable``, ``num`` (:func:`verify.report.words.format_number`) and ``slug``."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("verify.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["breakable"] = breakable
    env.filters["num"] = format_number
    env.filters["slug"] = _slug
    return env


def _experiment_views(experiments: Mapping[str, Any], claims: Mapping[str, Mapping],
                      figures: Sequence[Figure]) -> list[dict[str, Any]]:
    by_id = {f.id: f for f in figures if f.section == "experiments"}
    views = []
    for name, result in experiments.items():
        record = result.to_dict() if hasattr(result, "to_dict") else dict(result)
        cid = record.get("claim")
        entry = claims.get(cid, {})
        params = {k: v for k, v in (record.get("parameters") or {}).items()}
        views.append({"name": name, "title": record.get("title", name), "claim": cid,
                      "verdict": entry.get("verdict"), "verdict_class": _slug(entry.get("verdict")),
                      "parameters": field_rows(params), "runtime": format_number(record.get("runtime_s"), 3),
                      "figure": by_id.get(name)})
    return views


_PAPER_FIGURE = re.compile(r"fig(\d+)([a-z]?)")


def figure_names(ids: Sequence[str]) -> dict[str, str]:
    """Each figure's name on the page: a reproduction of a figure of the paper carries the paper's own name
    ("fig3a" → "Figure 3a", "fig4" → "Figure 4"); the report's own figures are numbered R1, R2, … so that
    no number can be mistaken for one of the paper's.

    Examples
    --------
    >>> figure_names(["gamma-l", "fig3a", "fig4", "alpha"])
    {'gamma-l': 'Figure R1', 'fig3a': 'Figure 3a', 'fig4': 'Figure 4', 'alpha': 'Figure R2'}
    """
    names, own = {}, 0
    for fid in ids:
        match = _PAPER_FIGURE.fullmatch(str(fid))
        if match:
            names[fid] = f"Figure {match.group(1)}{match.group(2)}"
        else:
            own += 1
            names[fid] = f"Figure R{own}"
    return names


def render_html(doc: Mapping, figures: Sequence[Figure], experiments: Mapping[str, Any] | None = None) -> str:
    """The whole report as one self-contained HTML page (inline CSS and SVG, no script, nothing fetched).

    Parameters
    ----------
    doc : dict
        The claims document with its ``provenance`` (:func:`~verify.report.document.claims_document`).
    figures : sequence of Figure
        Laid out by ``section``; experiment figures go with their experiment.
    experiments : dict, optional
        name → experiment result (``ExperimentResult`` or its dict), as judged by the claims.

    Examples
    --------
    >>> page = render_html({"claims": {"c": {"verdict": "holds", "tightness_note": "exact"}}, "provenance": {}}, [])
    >>> page.startswith("<!DOCTYPE html>"), 'data-claim-id="c"' in page
    (True, True)
    """
    env = environment()
    css = resources.files("verify.report").joinpath("templates/report.css").read_text(encoding="utf-8")
    claims = doc.get("claims", {})
    sections: dict[str, list[Figure]] = {}
    for fig in figures:
        sections.setdefault(fig.section, []).append(fig)
    ordered = sections.get("constants", []) + sections.get("initialization", []) + [
        f for name in (experiments or {}) for f in sections.get("experiments", []) if f.id == name]
    numbers = figure_names([f.id for f in ordered])
    prov = {k: "" for k in ("profile", "seed", "date_utc", "source", "command", "wall_time_s", "platform")}
    prov.update(doc.get("provenance") or {})
    return env.get_template("report.html.j2").render(
        css=Markup(css), doc=doc, counts=summary_counts(doc), verdicts=VERDICTS,
        claims=[claim_view(cid, entry) for cid, entry in claims.items()], errata=errata_views(doc),
        slack=slack_views(doc), constants=sections.get("constants", []), initialization=sections.get("initialization", []),
        experiments=_experiment_views(experiments or {}, claims, figures), numbers=numbers,
        prov=prov, versions=", ".join(f"{k} {v}" for k, v in (prov.get("versions") or {}).items()),
        false_alarm=(doc.get("false_alarm") or {}).get("total"))

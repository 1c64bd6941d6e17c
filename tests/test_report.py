"""The HTML report (:mod:`verify.report`): one self-contained page, every claim with its verdict and why,
counterexamples as tables, no experiment-level verdicts, claims.json round-trips, atomic writes,
deterministic SVG.

The claims run is a stand-in (:class:`StandInRun`): the committed ``reports/claims.json`` adapted to the
document ``verify.run.run_claims`` returns (readings keyed by ASCII slugs, ``all_readings`` as
``{"id", "label"}``, ``searches``, ``tightness_note``, ``decided_by``), with the §4 experiments run at
profile ``quick`` with a few iterations.
"""
from __future__ import annotations

import copy
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import verify
import verify.report as R
import verify.report.render as render_module
from verify.jsonio import jsonable
from verify.report import document as D
from verify.report.experiment_figures import experiment_figures
from verify.report.counterexample import MAX_TABLE_NUMBERS, VECTOR_DIGITS, full_vector
from verify.report.words import format_number
from verify.checker.slack import identical_patch_law, theorem31_chain_slack

REPO = Path(verify.__file__).resolve().parents[1]
COMMITTED = REPO / "reports"

TINY_SETTINGS = {"fig3a": {"iterations": 30, "seeds": 2}, "fig3b": {"iterations": 30, "seeds": 2},
         "fig3c": {"iterations": 30, "seeds": 2}, "fig3d": {"iterations": 30, "seeds": 2},
         "fig4": {"iterations": 30, "seeds": 2}, "fig5": {"iterations": 30, "seeds": 2, "points": 5, "controls": 3}}


# ---------------------------------------------------------------------------
# The stand-in claims run
# ---------------------------------------------------------------------------

def _slug(label: str, taken: set) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "reading"
    slug, i = base, 2
    while slug in taken:
        slug, i = f"{base}-{i}", i + 1
    taken.add(slug)
    return slug


def standin_document(experiments: dict) -> dict:
    """The committed claims.json in the shape of ``ClaimsRun.to_dict()``."""
    raw = json.loads((COMMITTED / "claims.json").read_text(encoding="utf-8"))
    doc = {k: copy.deepcopy(raw[k]) for k in ("profile", "seed", "versions", "false_alarm", "summary") if k in raw}
    doc["claims"] = {}
    for cid, entry in raw["claims"].items():
        entry = copy.deepcopy(entry)
        labels = [r["label"] if isinstance(r, dict) else r for r in entry.get("all_readings") or []]
        labels += [r for r in entry.get("readings") or {} if r not in labels]
        if not all(isinstance(r, dict) for r in entry.get("all_readings") or []) or not entry.get("all_readings"):
            taken: set = set()
            ids = {label: _slug(label, taken) for label in labels}
            entry["all_readings"] = [{"id": ids[label], "label": label} for label in labels]
            entry["readings"] = {ids[k]: v for k, v in (entry.get("readings") or {}).items()}
            entry["reading_counterexamples"] = {ids.get(k, k): v for k, v in
                                                (entry.get("reading_counterexamples") or {}).items()}
        if "tests" in entry:
            entry["searches"] = entry.pop("tests")
        if "tightness_note" not in entry:
            entry["tightness_note"] = (
                "the largest value/bound ratio over the instances (1: the bound is attained)"
                if entry.get("tightness") is not None else
                f"a claim of kind {entry.get('kind')!r} has no bound whose value/bound ratio could be measured")
        linked = [n for n, r in experiments.items() if r.claim == cid]
        if linked:
            entry["experiments"] = linked
            entry["decided_by"] = {"profile": "quick", **{n: {k: experiments[n].parameters.get(k) for k in
                                   ("seeds", "iterations", "points", "controls") if k in experiments[n].parameters}
                                   for n in linked}}
        doc["claims"][cid] = entry
    return doc


class StandInRun:
    """What ``verify.run.run_claims`` returns: ``.to_dict()`` and ``.experiments``."""

    def __init__(self, experiments: dict):
        self.experiments = experiments
        self._doc = standin_document(experiments)

    def to_dict(self) -> dict:
        return copy.deepcopy(self._doc)


@pytest.fixture(scope="module")
def experiments():
    from verify.experiments.registry import EXPERIMENTS, run_experiment

    return {name: run_experiment(name, profile="quick", seed=0, **TINY_SETTINGS.get(name, {})) for name in EXPERIMENTS}


@pytest.fixture(scope="module")
def claims_run(experiments):
    return StandInRun(experiments)


@pytest.fixture(scope="module")
def cheap_figures(experiments):
    """The experiment figures (real ones) and no constants/initialization figures (slow to compute)."""
    return experiment_figures(experiments)


#: The proof-chain slack on a small grid (tests/test_slack.py checks the numbers; here only how they are shown).
SMALL_SLACK = {"theorem-3.1": theorem31_chain_slack(identical_patch_law(n=20), n_r=3, n_psi=5).to_dict()}


#: The run's constants step stands in as nothing (the constants figures have their own test below).
NO_CONSTANTS = {"seconds": 0.0}


def build(out: Path, claims_run, monkeypatch, figures, certificates=()) -> Path:
    monkeypatch.setattr(R, "report_figures", lambda constants, experiments, progress=None: list(figures))
    monkeypatch.setattr(R, "run_constants_of", lambda *args, **kwargs: NO_CONSTANTS)
    # certification has its own tests (tests/test_certify.py); here a given list of certificates, none by default
    monkeypatch.setattr(R, "certified_verdicts", lambda progress=None: list(certificates))
    monkeypatch.setattr(R, "proof_slack", lambda progress=None: SMALL_SLACK)
    return R.build_report(out, profile="quick", seed=0, claims_run=claims_run)


@pytest.fixture
def report(tmp_path, claims_run, monkeypatch, cheap_figures) -> Path:
    return build(tmp_path / "report", claims_run, monkeypatch, cheap_figures)


# ---------------------------------------------------------------------------
# Reading the page
# ---------------------------------------------------------------------------

class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
            if name == "id":
                self.ids.append(value)
        if tag in ("style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "svg"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    return p


def claim_articles(page: str) -> dict[str, str]:
    """claim id → the HTML of its ``<article>``."""
    return {m.group(1): m.group(0) for m in
            re.finditer(r'<article class="claim[^"]*" id="claim-[^"]+" data-claim-id="([^"]+)".*?</article>', page,
                        re.S)}


def _overview_row(page: str, cid: str) -> str:
    """The summary table's row of claim ``cid`` (id, source, verdict, tightness)."""
    match = re.search(r'<tr><td><a href="#claim-' + re.escape(cid) + r'">.*?</tr>', page, re.S)
    return match.group(0) if match else ""


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------

def test_the_page_is_one_self_contained_file(report):
    page = report.read_text(encoding="utf-8")
    parsed = parse(page)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    refs = [(t, n, v) for t, n, v in parsed.attributes if n in ("src", "href", "xlink:href", "srcset", "action")]
    assert refs, "expected in-page links"
    outside = [r for r in refs if not (r[2].startswith("#") or r[2].startswith("data:"))]
    assert outside == []
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//|@import", page, re.I)
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate ids (the inline SVGs must prefix theirs)"
    assert page.count("<svg") >= 12


def test_every_claim_is_shown_with_its_verdict_notes_and_tightness(report, claims_run):
    page = report.read_text(encoding="utf-8")
    articles = claim_articles(page)
    doc = claims_run.to_dict()
    assert list(articles) == list(doc["claims"])
    for cid, entry in doc["claims"].items():
        html = articles[cid]
        assert f'data-verdict="{entry["verdict"]}"' in html
        assert f'<span class="badge {entry["verdict"]}">{entry["verdict"]}</span>' in html
        assert "Why this verdict" in html
        for note in entry["notes"][:3]:
            assert parse(f"<p>{note}</p>").text[0].strip()[:40] in "".join(parse(html).text), (cid, note)
        text = "".join(parse(html).text)
        if entry["verdict"] == "refuted" and entry["tightness"] is not None:
            # actual/claimed means nothing once an instance breaks the bound: the page says so, not the number
            assert "the claim is refuted, so the share of the bound used means nothing" in text, cid
            assert format_number(entry["tightness"]) not in _overview_row(page, cid), cid
        elif entry["tightness"] is None:
            assert "none" in text and entry["tightness_note"] in text, cid
        else:
            assert "tightness" in text and entry["tightness_note"] in text
        for reading in entry["all_readings"]:
            assert f'data-reading="{reading["id"]}"' in html and reading["label"] in text


def test_refuted_claims_show_their_counterexample_as_a_table_not_json(report, claims_run):
    articles = claim_articles(report.read_text(encoding="utf-8"))
    refuted = [c for c, e in claims_run.to_dict()["claims"].items() if e["verdict"] == "refuted"]
    assert refuted
    for cid in refuted:
        html = articles[cid]
        assert 'class="kv counterexample"' in html, cid
        assert "{&#34;" not in html and '{"' not in html and "&quot;" not in html, cid
        # numbers to at most VECTOR_DIGITS significant digits (claims.json has every bit)
        table = html[html.index('class="kv counterexample"'):]
        table = "".join(parse(table[: table.index("</table>")]).text)
        for token in re.findall(r"\d+\.\d+", table):
            assert len(token.replace(".", "").lstrip("0")) <= VECTOR_DIGITS, (cid, token)
        # complete: w and w* in full, a finite law's atoms as a table (all of them up to MAX_TABLE_NUMBERS),
        # each number once, and the line that rebuilds the instance from claims.json
        cex = claims_run.to_dict()["claims"][cid]["counterexample"]
        text = "".join(parse(html).text)
        for key in ("w", "w_star"):
            if isinstance(cex["instance"].get(key), list):
                assert full_vector(cex["instance"][key]) in text, (cid, key)
        law = cex["instance"].get("distribution") or {}
        if isinstance(law, dict) and law.get("data") is not None:
            atoms = np.asarray(law["data"], dtype=float)
            assert "data-atoms" in html, cid
            if atoms.size <= MAX_TABLE_NUMBERS:
                cells = re.findall(r"<td>([^<]*)</td>", html[html.index("data-atoms"):])
                shown = [x for c in cells for x in re.findall(r"−?[\d.]+(?:e−?\d+)?", c)]
                assert len(shown) >= atoms.size, (cid, len(shown), atoms.size)
            assert "distribution.data" not in text and "\ndata\n" not in text, cid
        assert f'get_claim(&#34;{cid}&#34;).check' in html or f'get_claim("{cid}").check' in html, cid


def test_no_experiment_level_verdict_is_shown(report):
    text = " ".join(parse(report.read_text(encoding="utf-8")).text).lower()
    for word in ("supported", "partly supported", "not supported"):
        assert word not in text
    assert "decides claim" in text


def test_section_4_claims_show_the_runs_that_decided_them(report, claims_run):
    articles = claim_articles(report.read_text(encoding="utf-8"))
    for cid, entry in claims_run.to_dict()["claims"].items():
        if entry.get("decided_by"):
            assert 'class="kv decided-by"' in articles[cid] and "seeds" in articles[cid], cid


def test_the_summary_counts_are_those_of_the_claims(report, claims_run):
    page = report.read_text(encoding="utf-8")
    counts = {m.group(1): int(m.group(2)) for m in
              re.finditer(r'<span class="count" data-verdict="([^"]+)">(\d+)</span>', page)}
    verdicts = [e["verdict"] for e in claims_run.to_dict()["claims"].values()]
    assert counts["total"] == len(verdicts)
    for v in ("holds", "refuted", "inconclusive"):
        assert counts[v] == verdicts.count(v)


# ---------------------------------------------------------------------------
# claims.json
# ---------------------------------------------------------------------------

def test_the_slack_section_shows_every_step_of_each_chain_and_the_one_that_loses_most(report):
    page = report.read_text(encoding="utf-8")
    section = page[page.index('<section id="slack">'):]
    section = section[: section.index("</section>")]
    chain = SMALL_SLACK["theorem-3.1"]
    assert 'data-theorem="theorem-3.1"' in section
    assert f"loses the most is <code>{chain['loses_most']}</code>" in section
    for step in chain["steps"]:
        assert f"<td><code>{step}</code></td>" in section, step


def test_claims_json_is_the_run_document_plus_provenance_and_round_trips(report, claims_run):
    doc = json.loads((report.parent / "claims.json").read_text(encoding="utf-8"))
    prov = doc.pop("provenance")
    assert doc.pop("proof_slack") == jsonable(SMALL_SLACK)
    assert doc == jsonable(claims_run.to_dict())
    for key in ("date_utc", "source", "versions", "platform", "wall_time_s", "profile", "seed"):
        assert key in prov
    for dist in ("numpy", "scipy", "hypothesis", "mpmath", "matplotlib", "jinja2", "scikit-learn"):
        assert dist in prov["versions"]
    assert json.loads(D.json_text(json.loads(D.json_text(doc)))) == doc


def test_build_report_runs_the_claims_in_process_when_no_run_is_given(tmp_path, monkeypatch, claims_run,
                                                                      cheap_figures):
    import verify.run

    calls = []

    def fake_run_claims(profile, seed, progress=None, constants=False):
        calls.append((profile, seed, constants))
        return claims_run

    monkeypatch.setattr(verify.run, "run_claims", fake_run_claims)
    monkeypatch.setattr(R, "report_figures", lambda constants, experiments, progress=None: list(cheap_figures))
    monkeypatch.setattr(R, "run_constants_of", lambda *args, **kwargs: NO_CONSTANTS)
    monkeypatch.setattr(R, "certified_verdicts", lambda progress=None: [])
    monkeypatch.setattr(R, "proof_slack", lambda progress=None: SMALL_SLACK)
    index = R.build_report(tmp_path, profile="quick", seed=3)
    assert calls == [("quick", 3, True)] and index.is_file()   # the run computes the constants the figures draw


def test_the_same_inputs_give_the_same_files_except_date_and_wall_time(tmp_path, monkeypatch, claims_run,
                                                                       cheap_figures):
    a = build(tmp_path / "a", claims_run, monkeypatch, cheap_figures)
    b = build(tmp_path / "b", claims_run, monkeypatch, cheap_figures)

    def strip(text: str) -> str:
        text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", "DATE", text)
        text = re.sub(r'("wall_time_s": |<td>)[0-9.]+( s)?', r"\1T", text)
        text = re.sub(r'"phases_s": \{[^}]*\}', '"phases_s": T', text)
        return re.sub(r'<td class="phases">.*?</td>', "T", text)

    assert strip(a.read_text()) == strip(b.read_text())
    assert strip((a.parent / "claims.json").read_text()) == strip((b.parent / "claims.json").read_text())


PHASES = ("searches", "experiments", "constants", "certificates", "proof_slack", "figures", "page")


def test_the_wall_time_of_each_phase_is_in_the_provenance_of_the_page_and_of_claims_json(report):
    prov = json.loads((report.parent / "claims.json").read_text(encoding="utf-8"))["provenance"]
    phases = prov["phases_s"]
    assert tuple(phases) == PHASES
    measured = {k: v for k, v in phases.items() if v is not None}
    assert all(isinstance(v, float) and v >= 0 for v in measured.values()), phases
    assert {"certificates", "proof_slack", "figures", "page", "constants"} <= set(measured)
    page = report.read_text(encoding="utf-8")
    assert R.PAGE_SECONDS not in page                                  # the page's own time was filled in
    row = re.search(r'<td class="phases">(.*?)</td>', page).group(1)
    for name in PHASES:
        value = phases[name]
        assert f"{name.replace('_', ' ')} {'–' if value is None else value} s" in row, (name, row)


@pytest.fixture(scope="module")
def quick_constants():
    """The run's constants step at profile quick (what ``run_claims(constants=True)`` stores)."""
    from verify.run import run_constants

    return run_constants("quick", 0)


def test_the_figures_draw_the_runs_constants_and_estimate_nothing(quick_constants, monkeypatch):
    from verify.dynamics import initialization
    from verify.estimators import beta, quantities

    def estimated(*args, **kwargs):
        raise AssertionError("the report estimated a constant itself")

    for module, name in ((quantities, "curves"), (quantities, "gamma"), (beta, "beta"), (beta, "L_cross"),
                         (initialization, "success_probability_mc")):
        monkeypatch.setattr(module, name, estimated)
    figures = {f.id: f for f in R.report_figures(quick_constants, {})}
    assert list(figures) == ["gamma-L-curves", "L-cross", "init-probability-alpha", "init-probability-p"]
    curves = figures["gamma-L-curves"]
    assert len(curves.panels) == len(quick_constants["laws"])
    for law in quick_constants["laws"]:
        drawn = curves.data[law["label"]]
        for key in ("gamma", "L", "L_neg"):
            assert list(drawn[key]) == law[key]
        assert drawn["beta"]["value"] == law["beta"]["value"] and drawn["n"] == law["n"]
    cross = quick_constants["cross"]
    drawn = figures["L-cross"].data
    assert drawn["L_cross"] == cross["L_cross"] and drawn["gamma0_over_6"] == [g / 6 for g in cross["gamma0"]]
    assert f"n = {quick_constants['initialization']['n']:,}" in "".join(figures["init-probability-alpha"].panels)


def test_the_constants_step_records_every_value_with_its_error_bar(quick_constants):
    from verify.run import CONSTANTS_SETTINGS

    settings = CONSTANTS_SETTINGS["quick"]
    assert quick_constants["settings"] == settings and quick_constants["confidence"] == 0.95
    for law in quick_constants["laws"]:
        assert len(law["phi"]) == settings["angles"]
        for key in ("gamma", "L", "L_neg"):
            half = law[f"{key}_half_width"]
            assert len(half) == len(law[key]) and all(h >= 0 for h in half), (law["label"], key)
        assert law["n"] == (settings["n_mc"] if law["method"] == "mc" else None)
        if law["method"] == "mc":      # sampled: a real error bar, not zero
            assert min(law["gamma_half_width"]) > 0, law["label"]
    cross = quick_constants["cross"]
    assert cross["n"] == settings["n_cross"] and min(cross["L_cross_half_width"]) > 0
    init = quick_constants["initialization"]
    assert init["n"] == settings["n_init"]
    for p in (3, 25):
        assert len(init[f"p={p}"]["value"]) == len(init["alpha"])


def test_the_constants_step_reuses_a_constant_the_checks_already_hold(monkeypatch):
    """β is taken as a check takes it, through the run's cache: held there, it is not estimated again."""
    from verify.checker.context import ConstantsCache, InstanceContext
    from verify.estimators import beta
    from verify.run import _sup_constant

    cache = ConstantsCache()
    instance = {"distribution": {"name": "mixture", "p": 3, "sigma": 1.0}, "method": "quad", "seed": 0}
    held = InstanceContext(instance, cache).beta()                       # what a check computed in the run
    monkeypatch.setattr(beta, "beta", lambda *a, **k: pytest.fail("β was estimated a second time"))
    reused = _sup_constant("beta", "mixture", 3, {"sigma": 1.0}, "quad", None, 0, cache)
    assert reused["value"] == held.value and reused["half_width"] == held.half_width(0.025)


def test_a_run_with_constants_writes_them_to_claims_json_without_its_timing(quick_constants):
    from verify.run import ClaimsRun

    doc = ClaimsRun("quick", 0, constants=quick_constants).to_dict()
    assert set(doc["constants"]) == set(quick_constants) - {"seconds"}
    assert doc["constants"]["cross"]["L_cross"] == jsonable(quick_constants["cross"]["L_cross"])
    assert "constants" not in ClaimsRun("quick", 0).to_dict()


def test_svg_figures_are_deterministic(experiments):
    first = [f.panels for f in experiment_figures(experiments)]
    second = [f.panels for f in experiment_figures(experiments)]
    assert first == second
    svg = first[0][0]
    assert "<dc:date>" not in svg and "<?xml" not in svg


# ---------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------

def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_a_failed_render_leaves_the_previous_report_intact(report, monkeypatch, claims_run, cheap_figures):
    before = _snapshot(report.parent)

    def broken(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(render_module, "render_html", broken)   # build_report imports it from there when it renders
    with pytest.raises(RuntimeError, match="template exploded"):
        build(report.parent, claims_run, monkeypatch, cheap_figures)
    assert _snapshot(report.parent) == before


def test_a_failure_while_writing_the_second_file_replaces_neither(report, monkeypatch, claims_run, cheap_figures):
    import tempfile

    before = _snapshot(report.parent)
    real = tempfile.mkstemp
    calls = []

    def second_fails(*args, **kwargs):
        calls.append(kwargs.get("prefix"))
        if len(calls) == 2:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(R, "report_figures", lambda constants, experiments, progress=None: list(cheap_figures))
    monkeypatch.setattr(R, "certified_verdicts", lambda progress=None: [])
    monkeypatch.setattr(R, "write_files", lambda files: (monkeypatch.setattr(tempfile, "mkstemp", second_fails),
                                                         D.write_files(files))[1])
    with pytest.raises(OSError, match="disk full"):
        R.build_report(report.parent, profile="quick", seed=0, claims_run=claims_run)
    monkeypatch.setattr(tempfile, "mkstemp", real)
    assert len(calls) == 2
    assert _snapshot(report.parent) == before, "a target was replaced or a temporary file was left behind"


def test_claims_json_uses_the_package_nan_policy(tmp_path):
    path = D.write_files({tmp_path / "x.json": D.json_text({"a": float("nan"), "b": [1.5, float("inf")]})})[0]
    assert json.loads(path.read_text()) == {"a": "nan", "b": [1.5, "inf"]}


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------

def test_verify_report_defaults_to_reports_out_not_the_committed_reports():
    from verify.cli.parser import build_parser

    args = build_parser().parse_args(["report"])
    assert args.out == "reports-out"


def test_certified_verdicts_are_shown_with_their_domain(tmp_path, claims_run, monkeypatch, cheap_figures):
    class Certificate:
        claim = "def21-rotinv-equal"

        def to_dict(self):
            return {"claim": self.claim, "reading": "as-printed", "verdict": "certified-refuted",
                    "domain": {"words": "φ ∈ [0, π], every p ≥ 2"},
                    "min_margin": {"box": [[0.25, 0.5]], "margin_upper": -1.414}}

    index = build(tmp_path / "c", claims_run, monkeypatch, cheap_figures, [Certificate()])
    article = claim_articles(index.read_text(encoding="utf-8"))["def21-rotinv-equal"]
    text = "".join(parse(article).text)
    assert 'data-certified="as-printed"' in article and "certified-refuted" in text
    assert "every p ≥ 2" in text and "≤ −1.414" in text
    document = json.loads((tmp_path / "c" / "claims.json").read_text(encoding="utf-8"))
    assert document["claims"]["def21-rotinv-equal"]["certified"][0]["verdict"] == "certified-refuted"


def test_the_errata_list_every_refuted_claim_with_what_holds_instead(tmp_path, claims_run, monkeypatch, cheap_figures):
    from verify.report.errata import LOOSE
    from verify.report.words import format_with_error

    try:   # the certified verdicts where python-flint is installed (reduced domain: well under a second)
        from verify.certify import certify
        certificates = certify(domain="reduced")
    except ImportError:
        certificates = []
    index = build(tmp_path / "e", claims_run, monkeypatch, cheap_figures, certificates)
    page = index.read_text(encoding="utf-8")
    doc = json.loads((tmp_path / "e" / "claims.json").read_text(encoding="utf-8"))
    assert '<section id="errata">' in page and page.index('id="errata"') > page.index('<section id="claims">')
    section = page[page.index('<section id="errata">'):page.index('<section id="constants">')]
    errata = {m.group(1): m.group(0) for m in
              re.finditer(r'<article class="claim[^"]*" id="erratum-[^"]+" data-erratum="([^"]+)".*?</article>',
                          section, re.S)}
    claims = doc["claims"]
    refuted = [cid for cid, e in claims.items() if e["verdict"] == "refuted"
               or "refuted" in (e.get("readings") or {}).values()]
    loose = [cid for cid, e in claims.items() if isinstance(e.get("tightness"), (int, float))
             and e["tightness"] <= LOOSE]
    assert refuted and loose
    assert set(refuted) | set(loose) <= set(errata), (refuted, loose, list(errata))
    assert list(errata) == [cid for cid in claims if cid in errata]          # in the document's order
    for cid in errata:
        text = "".join(parse(errata[cid]).text)
        entry = claims[cid]
        assert "Holds instead:" in text and f'href="#claim-{cid}"' in errata[cid]
        if cid in refuted:
            assert 'data-kind="refuted"' in errata[cid], cid
        # every reading that holds is named, and the counterexample's margin is the document's
        for rid, verdict in (entry.get("readings") or {}).items():
            if verdict == "holds" and entry["verdict"] == "refuted":
                assert rid in text, (cid, rid)
        cex = entry.get("counterexample")
        if cex and isinstance(cex.get("margin"), (int, float)):
            assert f"margin {format_with_error(cex['margin'], cex.get('margin_error'))}" in text, cid
        if isinstance(entry.get("tightness"), (int, float)) and entry["verdict"] != "refuted":
            assert format_number(entry["tightness"]) in text, cid
        # every badge of the heading is labelled: the claim's verdict, then what else is refuted, by name
        heading = re.search(r"<h3>.*?</h3>", errata[cid], re.S).group(0)
        labels = re.findall(r'<span class="badge-label">([^<]+)</span>', heading)
        assert labels[0] == "claim verdict" and len(labels) == heading.count('class="badge '), (cid, labels)
        for rid, verdict in (entry.get("readings") or {}).items():
            assert (f"reading {rid}" in labels) == (verdict == "refuted"), (cid, rid, labels)
    lemma = "".join(parse(errata["lemma-a1"]).text)
    assert "half-open" in lemma and claims["lemma-a1"]["readings"]["half-open"] == "holds"
    rot = "".join(parse(errata["def21-rotinv-equal"]).text)
    cex = claims["def21-rotinv-equal"]["counterexample"]
    assert "γ(φ) = s(π−φ−sin φ)/(2π) < L(φ) = s(π−φ+sin φ)/(2π)" in rot
    assert f"γ = {format_number(cex['lhs'])}, L = {format_number(cex['rhs'])}" in rot   # closed form = the document
    for cid, tight in (("thm-a1-beta-rotinv", "1/(πp)"), ("thm-a2-beta-gaussian", "1/π")):
        text = "".join(parse(errata[cid]).text)
        assert f"tight β = {tight}" in text and format_number(claims[cid]["tightness"]) in text
    assert "o-constant-128" in "".join(parse(errata["thm22-complexity"]).text)
    closeness = "".join(parse(errata["thm33-closeness"]).text)
    for rid, verdict in claims["thm33-closeness"]["readings"].items():
        assert rid in closeness
    if certificates:   # certified enclosures and p ranges, as the certificates state them
        a2 = "".join(parse(errata["thm-a2-beta-gaussian"]).text)
        ball = claims["thm-a2-beta-gaussian"]["certified"][0]["enclosures"]["tight_beta = 1/pi (every p)"]
        assert ball in a2
        cor = "".join(parse(errata["cor31-init"]).text)
        theorem = [c for c in claims["cor31-init"]["certified"]
                   if c["reading"] == "exact-above-quarter" and c.get("condition") == "theorem-condition"][0]
        assert f"exact-above-quarter holds for p ∈ {theorem['p_holds']}, fails for p ∈ {theorem['p_refuted']}" in cor


def test_a_large_finite_law_shows_the_atoms_that_break_the_claim_marked_and_says_where_the_rest_are():
    from verify.report.counterexample import counterexample_view

    # 200 atoms of 1×3 = 600 numbers > MAX_TABLE_NUMBERS; atom 151 (index 150) breaks the claim
    atoms = np.arange(600, dtype=float).reshape(200, 1, 3) / 7.0
    cex = {"part": "x <= 1", "margin": -0.5, "margin_error": 1e-15,
           "instance": {"w": [1.0, 0.0, 0.0], "w_star": [0.5, 0.5, 0.0], "data": atoms[:, 0, :].tolist(),
                        "atoms_that_matter": {"indices": [150], "why": "on w*⊥"},
                        "distribution": {"name": "empirical", "p": 3, "k": 1, "atoms": 200, "data": atoms.tolist()}}}
    view = counterexample_view(cex, "lemma-a1")
    table = view["atoms"]
    shown = [r["index"] for r in table["rows"]]
    assert sum(len(r["cells"]) for r in table["rows"]) <= MAX_TABLE_NUMBERS and not table["all"]
    assert 151 in shown and [r["index"] for r in table["rows"] if r["marked"]] == [151]
    assert "claims.json has them all" in table["note"] and "marked: on w*⊥" in table["caption"]
    assert "data" not in dict(view["rows"])                      # the same atoms are not shown twice
    assert dict(view["rows"])["w_star"] == "[0.5, 0.5, 0]"


def test_reproductions_carry_the_papers_figure_names_and_the_reports_own_figures_are_numbered_apart(report):
    page = report.read_text(encoding="utf-8")
    captions = dict(re.findall(r'data-figure="([^"]+)">.*?<figcaption><b>([^.]+)\.', page, re.S))
    paper = {fid: name for fid, name in captions.items() if re.fullmatch(r"fig\d+[a-z]?", fid)}
    assert paper and all(name == "Figure " + fid[3:] for fid, name in paper.items()), paper   # fig4 → Figure 4
    assert all(re.fullmatch(r"Figure R\d+", name) for fid, name in captions.items() if fid not in paper), captions


def test_the_page_writes_relations_minus_signs_and_plurals_as_a_reader_expects(report):
    page = report.read_text(encoding="utf-8")
    # (the claims' notes are the checks' own words, read from the document: tests/test_words.py reads them)
    body = re.sub(r'<svg.*?</svg>|<style>.*?</style>|<code[^>]*>.*?</code>|<ul class="notes">.*?</ul>', " ", page,
                  flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    assert not re.findall(r".{30}(?:>=|<=|!=).{10}", text)                   # ≥ ≤ ≠, never ASCII
    assert not re.findall(r".{30}(?<![\w-])-\d.{10}", text)                   # a true minus sign − before numbers
    assert "(s)" not in text and not re.findall(r"\b1 (?:instance|sample|atom|search|evaluation)s\b", text)
    assert not re.findall(r".{20}\bNaN\b.{20}", text)


def test_an_inconclusive_reading_says_which_part_left_it_undecided_and_what_would_decide_it():
    entry = {"verdict": "inconclusive", "instances": 2, "worst_margin": 0.013, "margin_error": 0.027,
             "worst_instance": {"part": "cosine(learned, true) ≥ 0.95", "why": "the margin is within its error bar"},
             "readings": {"all": "inconclusive", "cos": "inconclusive", "seg": "holds"},
             "reading_reasons": {"cos": {"part": "cosine(learned, true) ≥ 0.95", "margin": 0.013,
                                         "margin_error": 0.027, "why": "the margin is within its error bar"}}}
    view = R.render.claim_view("sec4-real-data", entry)
    assert view["reason"].startswith("Inconclusive: cosine(learned, true) ≥ 0.95 (margin 0.013 ± 0.027)")
    reasons = {r["id"]: r["reason"] for r in view["readings"]}
    assert reasons["cos"].endswith("more samples (a smaller error bar) would decide it.") and reasons["seg"] is None


def test_a_holding_reading_says_on_how_many_instances_and_at_which_margin():
    """run._reading_reasons keeps, per holding reading, its part of smallest margin and its instance count;
    the page turns it into the reading's one-sentence reason."""
    from verify.run import _reading_reasons

    part = {"name": "x ≤ 1", "reading": "seg", "verdict": "holds", "margin_error": 0.0}
    counted = [("s", {"readings": {"seg": "holds"}, "parts": [{**part, "margin": m}]}) for m in (0.5, 0.25, 0.75)]
    reasons = _reading_reasons(counted, {"seg": "holds"})
    assert reasons["seg"]["margin"] == 0.25 and reasons["seg"]["instances"] == 3
    entry = {"verdict": "holds", "instances": 3, "worst_margin": 0.25, "margin_error": 0.0,
             "readings": {"seg": "holds"}, "reading_reasons": reasons}
    (reading,) = R.render.claim_view("sec4-real-data", entry)["readings"]
    assert reading["reason"] == ("Holds on every one of the 3 instances tried: worst margin 0.25 ± 0, at or above "
                                 "zero beyond its error bar.")

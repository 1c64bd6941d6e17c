"""The report as a browser shows it, at 800 and 1400 px: no errors, nothing overflows, no figure text clipped.

Uses Debian's ``/usr/bin/chromium`` driven by the ``playwright`` package (never a browser that playwright
downloads).  Skipped when either is missing, unless ``VERIFY_REQUIRE_BROWSER=1`` — then it fails, so that CI
which promises a browser cannot skip it silently.

The page is built here with every real figure (profile ``quick``) from the stand-in claims run of
:mod:`test_report`.  Screenshots go to ``$VERIFY_SCREENSHOT_DIR`` when set, else to pytest's ``tmp_path``.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

import verify.report as R
from verify.report.counterexample import MAX_TABLE_NUMBERS, VECTOR_DIGITS

from .test_report import TINY_SETTINGS, StandInRun

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = (800, 1400)


def _unavailable(reason: str):
    if os.environ.get("VERIFY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"VERIFY_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def full_report(tmp_path_factory) -> Path:
    from verify.experiments.registry import EXPERIMENTS, run_experiment

    experiments = {n: run_experiment(n, profile="quick", seed=0, **TINY_SETTINGS.get(n, {})) for n in EXPERIMENTS}
    return R.build_report(tmp_path_factory.mktemp("report"), profile="quick", seed=0,
                          claims_run=StandInRun(experiments))


def opened(browser, path: Path, width: int, shot: str, tmp_path_factory):
    """Open ``path`` offline at ``width`` px, screenshot it as ``shot-WIDTH.png``; yield (page, console errors,
    requests that left the file). A generator for module-scoped fixtures (the diagnose page's test uses it too)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:", "about:"))
            else None)
    page.goto(path.resolve().as_uri(), wait_until="load")
    shots = Path(os.environ.get("VERIFY_SCREENSHOT_DIR") or tmp_path_factory.mktemp("shots"))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{shot}-{width}.png"), full_page=True)
    yield page, errors, requests
    context.close()


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def loaded(request, browser, full_report, tmp_path_factory):
    yield from opened(browser, full_report, request.param, "report", tmp_path_factory)


def test_no_console_errors_and_nothing_fetched(loaded):
    page, errors, requests = loaded
    assert errors == [] and requests == []


def test_nothing_overflows_the_page_and_no_table_needs_scrolling(loaded):
    page, _, _ = loaded
    overflow = page.evaluate("""() => {
        const body = document.body, limit = body.clientWidth + 0.5, bad = [];
        if (document.documentElement.scrollWidth > document.documentElement.clientWidth)
            bad.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
        for (const el of document.querySelectorAll('#summary *, #claims *, #provenance *')) {
            if (el.closest('svg')) continue;
            const r = el.getBoundingClientRect();
            if (r.width && (r.right > limit || r.left < -0.5))
                bad.push(el.tagName + '.' + el.className + ' ' + r.left.toFixed(1) + '..' + r.right.toFixed(1));
        }
        for (const box of document.querySelectorAll('.scroll'))
            if (box.scrollWidth > box.clientWidth + 1 && box.closest('#claims, #summary'))
                bad.push('scroll box ' + box.scrollWidth + ' > ' + box.clientWidth + ' in '
                         + (box.closest('[data-claim-id]') || box).id);
        return bad;
    }""")
    assert overflow == []


_TEXT_BOXES = """() => [...document.querySelectorAll('svg.plot')].map(svg => {
    const s = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('g[id*="-text_"]')].map(g => {
        const r = g.getBoundingClientRect();
        return {id: g.id, l: r.left, t: r.top, r: r.right, b: r.bottom};
    }).filter(r => r.r > r.l && r.b > r.t);
    return {id: svg.closest('[data-figure]').dataset.figure,
            svg: {l: s.left, t: s.top, r: s.right, b: s.bottom}, texts};
})"""


def test_no_figure_text_is_clipped(loaded):
    page, _, _ = loaded
    figures = page.evaluate(_TEXT_BOXES)
    assert len(figures) >= 12
    clipped = []
    for fig in figures:
        assert fig["texts"], f"{fig['id']}: no text found in a figure"
        s = fig["svg"]
        for t in fig["texts"]:
            if t["l"] < s["l"] - 0.5 or t["r"] > s["r"] + 0.5 or t["t"] < s["t"] - 0.5 or t["b"] > s["b"] + 0.5:
                clipped.append((fig["id"], t["id"]))
    assert clipped == []


def test_no_two_figure_labels_overlap(loaded):
    page, _, _ = loaded
    overlaps = []
    for fig in page.evaluate(_TEXT_BOXES):
        texts = fig["texts"]
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                w = min(a["r"], b["r"]) - max(a["l"], b["l"])
                h = min(a["b"], b["b"]) - max(a["t"], b["t"])
                if w > 0.5 and h > 0.5:
                    overlaps.append((fig["id"], a["id"], b["id"], round(w, 1), round(h, 1)))
    assert overlaps == []


def test_every_claim_and_figure_is_visible(loaded, full_report):
    import json

    page, _, _ = loaded
    doc = json.loads((full_report.parent / "claims.json").read_text(encoding="utf-8"))
    on_page = page.eval_on_selector_all("[data-claim-id]", "els => els.map(e => e.dataset.claimId)")
    assert on_page == list(doc["claims"])
    sizes = page.eval_on_selector_all("svg.plot", "els => els.map(e => e.getBoundingClientRect().width)")
    assert sizes and min(sizes) > 50


#: (textContent: a reading's counterexample sits in a closed <details>, which renders no text)
_COUNTEREXAMPLES = """() => [...document.querySelectorAll('[data-counterexample]')].map(block => {
    const reading = block.closest('[data-reading]');
    const table = block.querySelector('table.atoms');
    const rows = {};
    for (const tr of block.querySelectorAll('table.kv tr'))
        rows[tr.querySelector('th').textContent.trim()] = tr.querySelector('td').textContent.trim();
    return {claim: block.closest('[data-claim-id]').dataset.claimId, reading: reading ? reading.dataset.reading : null,
            rows, snippet: (block.querySelector('[data-snippet]') || {textContent: ''}).textContent,
            complete: table ? table.dataset.complete : null,
            atoms: table ? [...table.querySelectorAll('tbody tr')].map(tr => ({
                index: Number(tr.querySelector('th').textContent.replace('◀', '').trim()),
                marked: tr.hasAttribute('data-marked'),
                numbers: [...tr.querySelectorAll('td')].map(td => td.textContent).join(' ')})) : []};
})"""


def _numbers(text: str) -> list[float]:
    """The numbers of a cell as the page writes them (true minus signs, e−15 exponents)."""
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text.replace("−", "-"))]


def test_every_counterexample_has_all_its_numbers_and_rebuilds_from_claims_json(loaded, full_report):
    """What the page shows of each counterexample is what claims.json holds: every atom of a finite law up to
    MAX_TABLE_NUMBERS numbers (beyond, every atom that breaks the claim), w and w* in full, each to
    VECTOR_DIGITS significant digits (relative rounding ≤ 5·10⁻⁸, so rtol 1e−7), and the line that rebuilds it."""
    page, _, _ = loaded
    doc = json.loads((full_report.parent / "claims.json").read_text(encoding="utf-8"))
    blocks = page.evaluate(_COUNTEREXAMPLES)
    expected = [(cid, None) for cid, e in doc["claims"].items() if e.get("counterexample")]
    assert [(b["claim"], b["reading"]) for b in blocks if b["reading"] is None] == expected
    rtol = 10.0 ** (1 - VECTOR_DIGITS)
    for block in blocks:
        entry = doc["claims"][block["claim"]]
        cex = entry["reading_counterexamples"][block["reading"]] if block["reading"] else entry["counterexample"]
        instance = cex["instance"]
        where = (block["claim"], block["reading"])
        for key in ("w", "w_star"):
            if isinstance(instance.get(key), list):
                assert np.allclose(_numbers(block["rows"][key]), instance[key], rtol=rtol, atol=0), where
        law = instance.get("distribution") or {}
        if law.get("data") is not None:
            atoms = np.asarray(law["data"], dtype=float).reshape(len(law["data"]), -1)
            shown = {a["index"] - 1: _numbers(a["numbers"]) for a in block["atoms"]}
            for i, numbers in shown.items():
                assert np.allclose(numbers, atoms[i], rtol=rtol, atol=0), (where, i)
            if atoms.size <= MAX_TABLE_NUMBERS:
                assert sorted(shown) == list(range(len(atoms))) and block["complete"] == "yes", where
            marked = set((instance.get("atoms_that_matter") or {}).get("indices") or [])
            assert marked <= set(shown) and {a["index"] - 1 for a in block["atoms"] if a["marked"]} == marked, where
            assert "distribution.data" not in block["rows"] and "data" not in block["rows"], where
        assert f'get_claim("{block["claim"]}").check(c["instance"])' in block["snippet"], where


def test_no_nan_appears_without_words(loaded):
    page, _, _ = loaded
    bare = page.evaluate("""() => {
        const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const block = n.parentElement.closest('li, p, td, dd') || n.parentElement;
            if (/\\bNaN\\b/.test(n.textContent) && !/no margin|undefined|not a number/.test(block.innerText))
                out.push(block.innerText.slice(0, 120));
        }
        return out;
    }""")
    assert bare == []
    # every negative control carries its reason: refuted by a finite violation beyond its error bar, or not refuted
    reasons = page.eval_on_selector_all("[data-control-reason]", "els => els.map(e => e.innerText)")
    assert reasons and all(r.startswith(("Refuted, as it must be: ", "Not refuted (")) for r in reasons), reasons

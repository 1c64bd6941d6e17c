"""The report as a browser shows it: headless Chromium loads it, offline, without errors, and draws everything.

Uses Debian's ``/usr/bin/chromium`` driven by the ``playwright`` package (never
a browser that playwright downloads).  The test is skipped when either is
missing, unless ``VERIFY_REQUIRE_BROWSER=1`` — then it fails, so that CI which
promises a browser cannot silently skip it.

Two pages are checked: a small report built here from fake claims and tiny
experiment runs (so the test exercises the current code), and the committed
``reports/index.html`` (the one people read).  Screenshots go to pytest's
``tmp_path``, never into the repository.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from test_report import COMMITTED, build_small_report

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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


def _load(browser, index: Path, screenshot: Path):
    """Open ``index`` offline; return (page, console errors, page errors, off-page requests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    console_errors, page_errors, requests = [], [], []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:", "about:"))
            else None)
    response = page.goto(index.resolve().as_uri(), wait_until="load")
    assert response is None or response.ok
    page.screenshot(path=str(screenshot), full_page=True)
    return context, page, console_errors, page_errors, requests


def _check(browser, index: Path, tmp_path: Path):
    doc = json.loads((index.parent / "claims.json").read_text(encoding="utf-8"))
    context, page, console_errors, page_errors, requests = _load(browser, index, tmp_path / "report.png")
    try:
        assert console_errors == [] and page_errors == [], (console_errors, page_errors)
        assert requests == [], f"the page fetched {requests}"

        # every claim id is on the page, in a visible element
        on_page = page.eval_on_selector_all("[data-claim-id]", "els => els.map(e => e.dataset.claimId)")
        assert sorted(on_page) == sorted(doc["claims"])
        for cid in doc["claims"]:
            assert page.locator(f'[data-claim-id="{cid}"]').first.is_visible(), cid

        # every figure has rendered: each svg/img in it has a non-empty box
        boxes = page.eval_on_selector_all(
            "figure[data-figure]",
            """figs => figs.map(f => ({id: f.dataset.figure,
                  boxes: [...f.querySelectorAll('svg, img')].filter(e => !e.parentElement.closest('svg'))
                         .map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })}))""")
        assert boxes, "no figures on the page"
        for fig in boxes:
            assert fig["boxes"], f"figure {fig['id']} has no svg or img"
            for w, h in fig["boxes"]:
                assert w > 0 and h > 0, f"figure {fig['id']} has an empty drawing ({w}×{h})"
        # images (if any) actually decoded
        broken = page.eval_on_selector_all("img", "imgs => imgs.filter(i => !i.complete || i.naturalWidth === 0)"
                                                  ".map(i => i.src.slice(0, 60))")
        assert broken == []

        # the summary counts are those of claims.json
        counts = dict(page.eval_on_selector_all(
            "#summary .count[data-verdict]", "els => els.map(e => [e.dataset.verdict, Number(e.textContent)])"))
        verdicts = [entry["verdict"] for entry in doc["claims"].values()]
        assert counts["total"] == len(verdicts)
        for verdict in set(verdicts) | {"holds", "refuted", "inconclusive"}:
            assert counts.get(verdict, 0) == verdicts.count(verdict), verdict
    finally:
        context.close()


def test_a_freshly_built_report_loads_offline_without_errors_and_draws_every_figure(browser, tmp_path):
    index = build_small_report(tmp_path / "report", exit_status=1)
    _check(browser, index, tmp_path)


def test_the_committed_report_loads_offline_without_errors_and_draws_every_figure(browser, tmp_path):
    index = COMMITTED / "index.html"
    assert index.is_file(), "run `verify report --profile default --out reports` and commit the result"
    _check(browser, index, tmp_path)

"""The diagnose page as a browser shows it, at 800 and 1400 px (issue 18): no errors, nothing fetched, the
answer above everything else, nothing wider than the page, and no figure text outside its SVG or on another.

Same machinery and rules as the report's browser test (:mod:`test_report_browser`: Debian's chromium driven
by playwright, skipped without them unless ``VERIFY_REQUIRE_BROWSER=1``).  The page is a real run on a subset
of the scikit-learn digits (γ and L 10³× apart: the log axis) with SGD; screenshots go to
``$VERIFY_SCREENSHOT_DIR`` when set, else to pytest's ``tmp_path``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from .test_report_browser import _TEXT_BOXES, WIDTHS, browser, opened  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    pytest.importorskip("jinja2")
    pytest.importorskip("matplotlib")
    from verify.diagnosis.core import diagnose
    from verify.diagnosis.html import write_outputs
    from verify.laws.images import digits_images

    r = diagnose(digits_images()[:300], filter_size=3, stride=2, teacher="gabor", sgd_steps=300, runs=3)
    out = tmp_path_factory.mktemp("diagnose")
    return Path(write_outputs(r, out)["html"])


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def loaded(request, browser, page_file, tmp_path_factory):  # noqa: F811 (the imported fixture)
    yield from opened(browser, page_file, request.param, "diagnose", tmp_path_factory)


def test_no_console_errors_and_nothing_fetched(loaded):
    _, errors, requests = loaded
    assert errors == [] and requests == []


def test_the_answer_comes_first_and_says_whether_the_theory_applies(loaded):
    page, _, _ = loaded
    answer = page.eval_on_selector("#answer", "e => ({top: e.getBoundingClientRect().top, text: e.innerText})")
    first_figure = page.eval_on_selector("svg.plot", "e => e.getBoundingClientRect().top")
    assert answer["top"] < first_figure and answer["top"] < 900        # on the first screen
    assert "Theorem 3.1 does not apply" in answer["text"] and "γ(φ0) − 6·L_cross = −" in answer["text"]
    rows = page.eval_on_selector_all("#measured tbody tr", "els => els.map(e => e.innerText)")
    assert any(r.startswith("step η") for r in rows) and any("no positive step" in r for r in rows)


def test_nothing_is_wider_than_the_page(loaded):
    page, _, _ = loaded
    bad = page.evaluate("""() => {
        const limit = document.body.clientWidth + 0.5, bad = [];
        if (document.documentElement.scrollWidth > document.documentElement.clientWidth)
            bad.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
        for (const el of document.querySelectorAll('main > *:not(pre), #answer *, figure *')) {
            if (el.closest('svg') || el.closest('.scroll')) continue;
            const r = el.getBoundingClientRect();
            if (r.width && (r.right > limit || r.left < -0.5)) bad.push(el.tagName + ' ' + r.right.toFixed(1));
        }
        return bad;
    }""")
    assert bad == []


def test_no_figure_text_leaves_its_svg_or_covers_another(loaded):
    page, _, _ = loaded
    figures = page.evaluate(_TEXT_BOXES)
    assert len(figures) == 3
    clipped, overlaps = [], []
    for fig in figures:
        assert fig["texts"], f"{fig['id']}: no text found in a figure"
        s, texts = fig["svg"], fig["texts"]
        for t in texts:
            if t["l"] < s["l"] - 0.5 or t["r"] > s["r"] + 0.5 or t["t"] < s["t"] - 0.5 or t["b"] > s["b"] + 0.5:
                clipped.append((fig["id"], t["id"]))
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                w = min(a["r"], b["r"]) - max(a["l"], b["l"])
                h = min(a["b"], b["b"]) - max(a["t"], b["t"])
                if w > 0.5 and h > 0.5:
                    overlaps.append((fig["id"], a["id"], b["id"]))
    assert clipped == [] and overlaps == []

"""The HTML report and its figures: atomic writes, self-containment, every claim shown, counts that agree.

Two kinds of test:

* unit tests build small reports from a fake claim-checker JSON, tiny
  experiment runs and cheap figures (:func:`build_small_report`), so they run in
  seconds — the claim checker itself is replaced by a tiny subprocess that
  writes a JSON file and exits with a chosen status;
* the committed report (``reports/index.html`` and ``reports/claims.json``) is
  checked as it is: every claim of the registry (and of CLAIMS.md) is in both,
  the page's summary counts are those of the JSON, and the page fetches nothing.
  These fail until ``verify report --profile default --out reports`` has been
  run and its output committed — on purpose.
"""
from __future__ import annotations

import json
import math
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import verify
from verify import figures as F
from verify import report as R
from verify.validation import InvalidArgument

REPO = Path(verify.__file__).resolve().parents[1]
COMMITTED = REPO / "reports"

#: The claim ids of CLAIMS.md §4, in its order (pinned here so that a claim dropped from the
#: registry by mistake is still caught by the committed-report tests).
CLAIMS_MD_IDS = (
    "lemma-a1", "def21-shape", "def21-rotinv-equal", "thm21-recovery", "thm22-angle", "thm22-gradient-bounds",
    "thm22-contraction", "thm22-complexity", "thm-a1-beta-rotinv", "thm-a2-beta-gaussian",
    "thm31-gradient-bounds", "thm31-contraction", "asm32-identical-patches", "thm32-sgd", "thm33-closeness",
    "thm34-init", "cor31-init", "sec4-smoothness", "sec4-closeness", "sec4-real-data",
)


def registry_ids() -> list[str]:
    """The registry's claim ids, or CLAIMS.md's when :mod:`verify.claims` has no registry yet."""
    try:
        from verify.claims import REGISTRY
    except ImportError:
        return list(CLAIMS_MD_IDS)
    return list(REGISTRY)


# ---------------------------------------------------------------------------
# Small inputs
# ---------------------------------------------------------------------------

def fake_claims_json() -> dict:
    """A claim-checker JSON of the plugin's shape, one entry per CLAIMS.md id, every verdict represented."""
    claims = {}
    verdicts = ("holds", "refuted", "inconclusive")
    for i, cid in enumerate(CLAIMS_MD_IDS):
        claims[cid] = {"verdict": verdicts[i % 3], "source": f"Source of {cid}", "statement": f"Statement <{cid}> & co",
                       "reconstructed": cid in ("thm22-contraction", "thm34-init"), "instances": 10 * (i + 1),
                       "worst_margin": 0.01 * (i - 5), "margin_error": 1e-3, "tightness": 0.5,
                       "counterexample": None, "readings": {}}
    claims["thm34-init"]["readings"] = {"proof": "holds", "sqrt_p_over_2pi": "holds", "sqrt_p_over_pi": "holds"}
    claims["def21-rotinv-equal"]["counterexample"] = {"distribution": "gaussian", "p": 5, "phi": 1.0,
                                                      "gamma": 0.2, "L": 0.45}
    claims["thm22-angle"]["worst_margin"] = math.inf
    return {"claims": claims, "profile": "quick", "seed": 0, "versions": {"numpy": np.__version__}}


_TINY = {"fig3a": {"iterations": 30, "seeds": 2}, "fig3b": {"iterations": 30, "seeds": 2},
         "fig3c": {"iterations": 30, "seeds": 2}, "fig3d": {"iterations": 30, "seeds": 2},
         "fig4": {"iterations": 30, "seeds": 2}, "fig5": {"iterations": 30, "seeds": 2, "points": 5, "controls": 3}}


def tiny_experiments() -> dict[str, dict]:
    """Every experiment with a few iterations and two seeds: real records of the real shape, in about a second."""
    from verify.experiments import EXPERIMENTS, run_experiment

    return {name: run_experiment(name, profile="quick", seed=0, **_TINY.get(name, {})).to_dict()
            for name in EXPERIMENTS}


def small_figures() -> list[R.Figure]:
    """One cheap figure per section (exact curves only)."""
    phi = np.linspace(0, math.pi, 9)
    gamma = (math.pi - phi - np.sin(phi)) / (2 * math.pi)
    panel = F.line_plot([F.Series("γ(φ)", phi, gamma)], xlabel="φ", xticks=F.pi_ticks())
    grid = F.heatmap(np.outer(np.arange(3), np.arange(4)) - 2.0, np.arange(4), np.arange(3), cmap="diverging",
                     center=0.0, contour_zero=True)
    return [R.Figure("gamma-L-curves", "γ", "caption", (panel,), "constants"),
            R.Figure("init-probability-p", "init", "caption", (grid,), "initialization")]


def build_small_report(out: Path, *, exit_status: int = 0, experiments: dict | None = None) -> Path:
    """A complete report in ``out`` from the small inputs (no claim checker, no heavy figures)."""
    experiments = tiny_experiments() if experiments is None else experiments
    figures = small_figures() + R.experiment_figures(experiments)
    checker = {"exit_status": exit_status, "summary": "1 failed, 9 passed in 0.1s" if exit_status else "",
               "output_tail": "FAILED properties/test_x.py::test_y" if exit_status else "", "wall_s": 0.1}
    provenance = R.collect_provenance("quick", 0, 1.0, checker=checker)
    doc = R.claims_document(fake_claims_json(), experiments, provenance)
    page = R.render_html(doc, experiments, figures, provenance)
    R.write_texts_atomically({out / "claims.json": R.json_text(doc), out / "index.html": page})
    return out / "index.html"


@pytest.fixture(scope="module")
def experiments():
    return tiny_experiments()


@pytest.fixture
def small_report(tmp_path, experiments) -> Path:
    return build_small_report(tmp_path, experiments=experiments)


# ---------------------------------------------------------------------------
# Reading a page
# ---------------------------------------------------------------------------

class _Page(HTMLParser):
    """Collects what the tests look for: attributes, claim ids, figures and their SVGs, summary counts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []
        self.claim_ids: list[str] = []
        self.figures: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.ids: list[str] = []
        self._figure: str | None = None
        self._depth = 0
        self._count: str | None = None
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
        if "id" in a and tag != "clippath":
            self.ids.append(a["id"])
        if "data-claim-id" in a:
            self.claim_ids.append(a["data-claim-id"])
        if tag == "figure" and "data-figure" in a:
            self._figure, self._depth = a["data-figure"], 0
            self.figures[self._figure] = 0
        elif tag == "figure" and self._figure:
            self._depth += 1
        if tag in ("svg", "img") and self._figure:
            self.figures[self._figure] += 1
        if tag == "span" and "count" in (a.get("class") or "").split() and "data-verdict" in a:
            self._count = a["data-verdict"]
        if tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag == "figure" and self._figure:
            if self._depth == 0:
                self._figure = None
            else:
                self._depth -= 1

    def handle_data(self, data):
        if self._count is not None:
            self.counts[self._count] = int(data.strip())
            self._count = None


def parse(html_text: str) -> _Page:
    page = _Page()
    page.feed(html_text)
    return page


_EXTERNAL = re.compile(r"^\s*(https?:)?//", re.I)


def external_references(html_text: str) -> list[str]:
    """Every src/href/xlink:href/action/srcset/poster value, CSS url() and @import that points off the page."""
    page = parse(html_text)
    found = [f"<{tag} {name}={value!r}>" for tag, name, value in page.attributes
             if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data") and _EXTERNAL.match(value)]
    found += [m.group(0) for m in re.finditer(r"url\(\s*['\"]?\s*(https?:)?//[^)]*\)", html_text, re.I)]
    found += [m.group(0) for m in re.finditer(r"@import[^;]*", html_text, re.I)]
    return found


# ---------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------

def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_write_json_atomically_writes_strict_json_with_nonfinite_numbers_as_null(tmp_path):
    path = R.write_json_atomically({"a": np.float64(1.5), "b": [math.nan, math.inf], "c": np.arange(2)},
                                   tmp_path / "x.json")
    assert json.loads(path.read_text()) == {"a": 1.5, "b": [None, None], "c": [0, 1]}
    assert _leftovers(tmp_path) == []


def test_a_new_file_is_readable_by_others_and_a_replaced_one_keeps_its_mode(tmp_path):
    old_umask = os.umask(0o022)
    try:
        fresh = R.write_text_atomically("x", tmp_path / "fresh.html")
        kept = tmp_path / "kept.html"
        kept.write_text("old")
        kept.chmod(0o640)
        R.write_text_atomically("new", kept)
    finally:
        os.umask(old_umask)
    assert fresh.stat().st_mode & 0o777 == 0o644
    assert kept.stat().st_mode & 0o777 == 0o640


def test_a_failed_replace_leaves_the_previous_file_intact_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "claims.json"
    target.write_text('{"old": true}\n')

    def broken_replace(src, dst):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(R.os, "replace", broken_replace)
    with pytest.raises(OSError, match="simulated"):
        R.write_json_atomically({"new": True}, target)
    assert target.read_text() == '{"old": true}\n'
    assert _leftovers(tmp_path) == []


def test_a_crash_while_writing_the_temporary_file_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    target.write_text("<p>old report</p>")

    def broken_fsync(fd):
        raise OSError("I/O error (simulated)")

    monkeypatch.setattr(R.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="simulated"):
        R.write_text_atomically("<p>new report</p>", target)
    assert target.read_text() == "<p>old report</p>"
    assert _leftovers(tmp_path) == []


def test_writing_two_files_replaces_neither_when_the_second_cannot_be_written(tmp_path, monkeypatch):
    (tmp_path / "claims.json").write_text("old json")
    (tmp_path / "index.html").write_text("old html")
    real = R._write_temporary

    def fail_on_html(text, path):
        if path.name == "index.html":
            raise OSError("simulated")
        return real(text, path)

    monkeypatch.setattr(R, "_write_temporary", fail_on_html)
    with pytest.raises(OSError):
        R.write_texts_atomically({tmp_path / "claims.json": "new json", tmp_path / "index.html": "new html"})
    assert (tmp_path / "claims.json").read_text() == "old json"
    assert (tmp_path / "index.html").read_text() == "old html"
    assert _leftovers(tmp_path) == []


def test_unserialisable_data_leaves_the_previous_file_intact(tmp_path):
    target = tmp_path / "claims.json"
    target.write_text("old")
    with pytest.raises(ValueError, match="simulated"):
        R.write_json_atomically({"x": 1.0, "y": _Unserialisable()}, target)
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


class _Unserialisable:
    def to_dict(self):
        raise ValueError("cannot serialise (simulated)")


# ---------------------------------------------------------------------------
# build_report with the claim checker and the heavy pieces replaced
# ---------------------------------------------------------------------------

def _fake_checker(monkeypatch, exit_status: int, write_json: bool = True):
    """Replace the pytest subprocess by a tiny one that writes the fake JSON and exits with ``exit_status``."""

    def start(profile, workdir):
        json_path, log_path = workdir / "claims-raw.json", workdir / "pytest.log"
        write = f"pathlib.Path({str(json_path)!r}).write_text({json.dumps(fake_claims_json())!r})\n"
        script = ("import pathlib, sys\n" + (write if write_json else "")
                  + f"print('== 1 failed, 19 passed in 0.01s ==')\nsys.exit({exit_status})\n")
        command = [sys.executable, "-c", script]
        with open(log_path, "w") as log:
            process = R.subprocess.Popen(command, stdout=log, stderr=R.subprocess.STDOUT)
        return R._CheckerRun(process, json_path, log_path, command, 0.0)

    monkeypatch.setattr(R, "_start_claim_checker", start)


def _cheap_pieces(monkeypatch, experiments):
    monkeypatch.setattr(R, "run_experiments", lambda profile, seed, progress=None: experiments)
    monkeypatch.setattr(R, "constants_figures", lambda profile, seed, progress=None: small_figures()[:1])
    monkeypatch.setattr(R, "initialization_figures", lambda profile, seed, progress=None: small_figures()[1:])


def _old_report(out: Path) -> tuple[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text("<p>previous report</p>")
    (out / "claims.json").write_text('{"claims": {}}')
    return (out / "index.html").read_text(), (out / "claims.json").read_text()


def test_build_report_writes_both_files_and_reports_progress(tmp_path, monkeypatch, experiments):
    _fake_checker(monkeypatch, 0)
    _cheap_pieces(monkeypatch, experiments)
    lines = []
    index = R.build_report(tmp_path / "out", profile="quick", seed=0, progress=lines.append)
    assert index == tmp_path / "out" / "index.html"
    doc = json.loads((tmp_path / "out" / "claims.json").read_text())
    page = parse(index.read_text())
    assert set(doc["claims"]) >= set(CLAIMS_MD_IDS)
    assert set(page.claim_ids) == set(doc["claims"])
    assert doc["provenance"]["claim_checker"]["exit_status"] == 0
    assert set(doc["experiments"]) == set(experiments)
    assert any("claim checker" in line for line in lines) and any("wrote" in line for line in lines)
    assert 'id="checker-failed"' not in index.read_text()


def test_a_claim_checker_with_failing_tests_still_gives_a_report_that_says_so_loudly(tmp_path, monkeypatch,
                                                                                     experiments):
    _fake_checker(monkeypatch, 1)
    _cheap_pieces(monkeypatch, experiments)
    index = R.build_report(tmp_path, profile="quick", seed=0)
    text = index.read_text()
    assert 'id="checker-failed"' in text and "pytest exit status 1" in text
    assert "1 failed, 19 passed" in text
    assert json.loads((tmp_path / "claims.json").read_text())["provenance"]["claim_checker"]["exit_status"] == 1


@pytest.mark.parametrize("status", [2, 3, 4, 5], ids=["interrupted", "internal-error", "usage-error", "no-tests"])
def test_a_claim_checker_exit_status_other_than_0_or_1_is_an_error_and_writes_nothing(tmp_path, monkeypatch,
                                                                                     experiments, status):
    before = _old_report(tmp_path)
    _fake_checker(monkeypatch, status)
    _cheap_pieces(monkeypatch, experiments)
    with pytest.raises(R.ReportError, match=f"status {status}"):
        R.build_report(tmp_path, profile="quick", seed=0)
    assert ((tmp_path / "index.html").read_text(), (tmp_path / "claims.json").read_text()) == before


def test_a_claim_checker_that_writes_no_json_is_an_error(tmp_path, monkeypatch, experiments):
    _fake_checker(monkeypatch, 0, write_json=False)
    _cheap_pieces(monkeypatch, experiments)
    with pytest.raises(R.ReportError, match="wrote no"):
        R.build_report(tmp_path, profile="quick", seed=0)


def test_a_crash_while_building_leaves_the_previous_report_intact_and_stops_the_checker(tmp_path, monkeypatch):
    before = _old_report(tmp_path)
    _fake_checker(monkeypatch, 0)
    started = []
    real = R._start_claim_checker

    def spy(*args):
        run = real(*args)
        started.append(run)
        return run

    monkeypatch.setattr(R, "_start_claim_checker", spy)

    def crash(profile, seed, progress=None):
        raise RuntimeError("experiment crashed (simulated)")

    monkeypatch.setattr(R, "run_experiments", crash)
    with pytest.raises(RuntimeError, match="simulated"):
        R.build_report(tmp_path, profile="quick", seed=0)
    assert ((tmp_path / "index.html").read_text(), (tmp_path / "claims.json").read_text()) == before
    assert started and started[0].process.poll() is not None
    assert _leftovers(tmp_path) == []


def test_a_crash_while_writing_leaves_the_previous_report_intact(tmp_path, monkeypatch, experiments):
    before = _old_report(tmp_path)
    _fake_checker(monkeypatch, 0)
    _cheap_pieces(monkeypatch, experiments)
    calls = []
    real_replace = os.replace

    def replace_then_crash(src, dst):
        calls.append(dst)
        raise OSError("simulated crash at the first replace")

    monkeypatch.setattr(R.os, "replace", replace_then_crash)
    with pytest.raises(OSError, match="simulated"):
        R.build_report(tmp_path, profile="quick", seed=0)
    monkeypatch.setattr(R.os, "replace", real_replace)
    assert ((tmp_path / "index.html").read_text(), (tmp_path / "claims.json").read_text()) == before
    assert _leftovers(tmp_path) == []


BAD_ARGUMENTS = [
    pytest.param({"profile": "fast"}, "profile", id="unknown-profile"),
    pytest.param({"profile": "quick", "seed": -1}, "seed", id="negative-seed"),
    pytest.param({"profile": "quick", "seed": 1.5}, "seed", id="fractional-seed"),
    pytest.param({"profile": "quick", "seed": None}, "seed", id="no-seed"),
]


@pytest.mark.parametrize("kwargs, argument", BAD_ARGUMENTS)
def test_bad_arguments_are_invalid_arguments_naming_the_argument(tmp_path, kwargs, argument):
    with pytest.raises(InvalidArgument) as info:
        R.build_report(tmp_path, **kwargs)
    assert info.value.argument == argument
    assert list(tmp_path.iterdir()) == []


def test_a_missing_properties_directory_is_an_invalid_argument(tmp_path, monkeypatch):
    fake = tmp_path / "site" / "verify" / "__init__.py"
    fake.parent.mkdir(parents=True)
    monkeypatch.setattr(verify, "__file__", str(fake))
    with pytest.raises(InvalidArgument) as info:
        R.properties_dir()
    assert info.value.argument == "properties"


def test_the_properties_directory_is_found_next_to_the_package():
    assert R.properties_dir() == REPO / "properties"


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------

def test_the_page_is_self_contained(small_report):
    text = small_report.read_text()
    assert external_references(text) == []
    page = parse(text)
    assert page.scripts == 0
    assert not any(tag == "link" for tag, _, _ in page.attributes)


def test_every_claim_of_the_checker_has_one_row_with_its_id(small_report):
    doc = json.loads((small_report.parent / "claims.json").read_text())
    page = parse(small_report.read_text())
    assert sorted(page.claim_ids) == sorted(doc["claims"])
    assert set(CLAIMS_MD_IDS) <= set(page.claim_ids)


def test_every_figure_has_a_stable_id_and_a_drawing(small_report, experiments):
    page = parse(small_report.read_text())
    assert {"gamma-L-curves", "init-probability-p", *experiments} <= set(page.figures)
    assert all(count >= 1 for count in page.figures.values()), page.figures


def test_element_ids_are_unique(small_report):
    ids = parse(small_report.read_text()).ids
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_the_summary_counts_are_those_of_claims_json(small_report):
    doc = json.loads((small_report.parent / "claims.json").read_text())
    counts = parse(small_report.read_text()).counts
    verdicts = [entry["verdict"] for entry in doc["claims"].values()]
    assert counts["total"] == len(verdicts) == doc["summary"]["total"]
    for verdict in set(verdicts) | set(R.VERDICTS):
        assert counts[verdict] == verdicts.count(verdict) == doc["summary"][verdict]


def test_claim_text_is_escaped_and_reconstructed_claims_are_marked(small_report):
    text = small_report.read_text()
    assert "Statement &lt;lemma-a1&gt; &amp; co" in text and "<lemma-a1>" not in text
    row = re.search(r'<tr id="claim-thm34-init".*?</tr>', text, re.S).group(0)
    assert "reconstructed" in row and "sqrt_p_over_2pi" in row


def test_experiment_findings_and_parameters_are_on_the_page(small_report, experiments):
    text = small_report.read_text()
    for name, record in experiments.items():
        assert f'data-experiment="{name}"' in text
        assert R._e(record["finding"]) in text


def test_registry_claims_the_checker_missed_are_listed_as_not_checked(monkeypatch):
    raw = fake_claims_json()
    raw["claims"].pop("thm32-sgd")
    monkeypatch.setattr(R, "_registry_ids", lambda: list(CLAIMS_MD_IDS))
    doc = R.claims_document(raw, {}, {})
    assert doc["claims"]["thm32-sgd"]["verdict"] == R.NOT_CHECKED
    assert doc["summary"][R.NOT_CHECKED] == 1


def test_claims_json_links_each_claim_to_its_experiments(experiments):
    doc = R.claims_document(fake_claims_json(), experiments, {})
    for name, record in experiments.items():
        assert name in doc["claims"][record["claim"]]["experiments"]
        assert doc["experiments"][name]["finding"] == record["finding"]
        assert "series" not in doc["experiments"][name]


def test_a_failed_experiment_is_shown_in_red_not_dropped(tmp_path, experiments):
    broken = dict(experiments, fig5={"name": "fig5", "error": "RuntimeError: simulated"})
    index = build_small_report(tmp_path, experiments=broken)
    text = index.read_text()
    assert "1 experiment(s) failed" in text and "RuntimeError: simulated" in text
    assert 'class="figure missing"' in text


def test_a_checker_exit_status_of_1_puts_a_banner_above_the_summary(tmp_path, experiments):
    text = build_small_report(tmp_path, exit_status=1, experiments=experiments).read_text()
    assert text.index('id="checker-failed"') < text.index('id="summary"')


def test_provenance_names_versions_seed_profile_date_commit_and_wall_time():
    prov = R.collect_provenance("quick", 7, 12.34)
    assert {"python", "numpy", "scipy", "hypothesis", "mpmath"} <= set(prov["versions"])
    assert prov["seed"] == 7 and prov["profile"] == "quick" and prov["wall_time_s"] == 12.3
    assert prov["date_utc"].endswith("UTC")
    assert prov["git_commit"] == "unknown" or re.match(r"^[0-9a-f]{40}", prov["git_commit"])


def test_provenance_says_unknown_commit_outside_git(monkeypatch):
    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(R.subprocess, "run", no_git)
    assert R.collect_provenance("quick", 0, 1.0)["git_commit"] == "unknown"


# ---------------------------------------------------------------------------
# Figures (verify.figures)
# ---------------------------------------------------------------------------

def test_a_line_plot_is_one_svg_element_with_its_legend_escaped():
    svg = F.line_plot([F.Series("a <b> & c", [0, 1, 2], [1, 2, 3])], title="t", xlabel="x", ylabel="y")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and svg.count("<svg") == 1
    assert "a &lt;b&gt; &amp; c" in svg


def test_the_same_figure_is_drawn_identically_twice():
    series = [F.Series("s", np.linspace(0, 1, 5), np.arange(5.0), error=0.1)]
    assert F.line_plot(series) == F.line_plot(series)


def test_non_finite_values_break_the_line_instead_of_being_drawn():
    svg = F.line_plot([F.Series("s", [0, 1, 2, 3, 4], [1, 2, None, 4, 5])])
    assert svg.count('stroke-width="1.8" stroke-linejoin') == 2
    assert "nan" not in svg.lower().replace("nan)", "")


def test_a_log_axis_leaves_out_non_positive_values():
    svg = F.line_plot([F.Series("s", [1, 2, 3], [0.0, 1e-3, 1e-1])], yscale="log")
    assert "NaN" not in svg and "inf" not in svg


@pytest.mark.parametrize("lo, hi", [(0, 1), (-3.2, 7.9), (1e-6, 3e-6), (100, 2500)])
def test_nice_ticks_cover_the_range_with_round_steps(lo, hi):
    ticks = F.nice_ticks(lo, hi)
    assert 3 <= len(ticks) <= 12
    assert lo <= ticks[0] and ticks[-1] <= hi
    steps = np.diff(ticks)
    assert np.allclose(steps, steps[0])
    mantissa = steps[0] / 10 ** math.floor(math.log10(steps[0]))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5))


def test_pi_ticks_are_labelled_as_fractions_of_pi():
    assert [label for _, label in F.pi_ticks()] == ["0", "π/4", "π/2", "3π/4", "π"]


@pytest.mark.parametrize("value, text", [(0, "0"), (1000, "1000"), (0.25, "0.25"), (-0.5, "−0.5"),
                                         (1e-5, "10^−5"), (123456, "1.23e5")])
def test_format_number_is_short_and_uses_a_true_minus(value, text):
    assert F.format_number(value) == text


def test_a_heatmap_checks_its_shape_and_outlines_negative_cells():
    with pytest.raises(ValueError, match="expected"):
        F.heatmap(np.zeros((2, 3)), [0, 1], [0, 1])
    svg = F.heatmap(np.array([[1.0, -1.0], [1.0, 1.0]]), [0, 1], [0, 1], contour_zero=True)
    assert 'class="negative-boundary"' in svg
    assert 'class="negative-boundary"' not in F.heatmap(np.ones((2, 2)), [0, 1], [0, 1], contour_zero=True)


def test_an_image_grid_draws_every_pixel_of_every_image():
    svg = F.image_grid([np.ones((3, 3)), np.arange(4.0)], ["a", "b"])
    assert svg.count("<rect") == 9 + 4 + 2  # pixels, plus one frame per image


def test_bad_scales_and_styles_are_rejected():
    with pytest.raises(ValueError, match="xscale"):
        F.line_plot([], xscale="symlog")
    with pytest.raises(ValueError, match="error_style"):
        F.line_plot([F.Series("s", [0, 1], [0, 1], error_style="whiskers")])
    with pytest.raises(ValueError, match="length"):
        F.line_plot([F.Series("s", [0, 1], [0, 1, 2])])


# ---------------------------------------------------------------------------
# The committed report
# ---------------------------------------------------------------------------

def _committed() -> tuple[dict, str]:
    index, claims = COMMITTED / "index.html", COMMITTED / "claims.json"
    assert index.is_file() and claims.is_file(), (
        "the committed report is missing: run `verify report --profile default --out reports` and commit it")
    return json.loads(claims.read_text(encoding="utf-8")), index.read_text(encoding="utf-8")


def test_every_registry_claim_is_in_the_committed_claims_json_and_index_html():
    doc, text = _committed()
    page = parse(text)
    for cid in dict.fromkeys([*registry_ids(), *CLAIMS_MD_IDS]):
        assert cid in doc["claims"], f"claim {cid!r} is missing from reports/claims.json"
        assert cid in page.claim_ids, f"claim {cid!r} has no data-claim-id element in reports/index.html"


def test_the_committed_summary_counts_match_the_committed_claims_json():
    doc, text = _committed()
    counts = parse(text).counts
    verdicts = [entry["verdict"] for entry in doc["claims"].values()]
    assert counts["total"] == len(verdicts)
    for verdict in set(verdicts) | set(R.VERDICTS):
        assert counts.get(verdict, 0) == verdicts.count(verdict), verdict


def test_the_committed_report_is_self_contained_and_every_figure_is_drawn():
    doc, text = _committed()
    assert external_references(text) == []
    page = parse(text)
    assert page.figures and all(count >= 1 for count in page.figures.values()), page.figures
    assert {"gamma-L-curves", "L-cross", "init-probability-alpha", "init-probability-p"} <= set(page.figures)
    assert set(doc["experiments"]) <= set(page.figures)


def test_the_committed_report_records_its_provenance():
    doc, _ = _committed()
    prov = doc["provenance"]
    assert prov["profile"] == "default"
    assert {"python", "numpy", "scipy", "hypothesis", "mpmath"} <= set(prov["versions"])
    assert prov["git_commit"] and prov["date_utc"] and prov["wall_time_s"] > 0


def test_a_huge_counterexample_is_cut_on_the_page_but_kept_whole_in_claims_json(tmp_path, experiments):
    raw = fake_claims_json()
    raw["claims"]["thm33-closeness"]["counterexample"] = {"atoms": list(range(5000))}
    doc = R.claims_document(raw, experiments, {})
    text = R.render_html(doc, experiments, [], {})
    assert "more characters in claims.json" in text
    assert len(text) < 200_000
    assert doc["claims"]["thm33-closeness"]["counterexample"]["atoms"][-1] == 4999

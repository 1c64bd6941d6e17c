"""Unit tests of the claim registry (verify.claims) and of the pytest plugin (verify.pytest_plugin).

* the registry has exactly the 20 ids of CLAIMS.md §4 (parsed from /work/shared/CLAIMS.md), each
  from the one template, with the **[reconstructed]** marks carried over;
* the verdict rule, on synthetic estimates: one table of cases by the kind of the claim and the kind
  of the error (exact, Monte Carlo, one-sided estimates);
* every default check runs and serialises to strict JSON; ``check_claim`` takes a user's law that
  has only ``p``, ``k`` and ``sample``;
* the plugin's ``--claims-json`` file, from a tiny test file run in a subprocess (pytester).
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from verify.claims import (CLAIM_KINDS, REGISTRY, TOL, CheckResult, Term, aggregate, check_claim,
                           clopper_pearson, compare, equality_verdict, finite_mu, finite_sup_ratio, get_claim,
                           list_claims, one_sided_verdict, z_threshold)
from verify.distributions import Empirical, Gaussian, Sphere
from verify.pytest_plugin import ClaimCollector, summarize, write_claims_json
from verify.results import Estimate
from verify.validation import InvalidArgument

pytest_plugins = ["pytester"]

CLAIMS_MD = Path(__file__).parents[2] / "shared" / "CLAIMS.md"


def _claims_md_ids() -> tuple[list[str], set[str]]:
    """The ids of CLAIMS.md §4 in order, and those whose entry is marked [reconstructed]."""
    text = CLAIMS_MD.read_text(encoding="utf-8")
    section = text.split("## 4.", 1)[1].split("## 5.", 1)[0]
    ids, reconstructed, current = [], set(), None
    for line in section.splitlines():
        m = re.match(r"^\d+\. \[([a-z0-9-]+)\]", line)
        if m:
            current = m.group(1)
            ids.append(current)
        if current and "[reconstructed" in line:
            reconstructed.add(current)
    return ids, reconstructed


needs_claims_md = pytest.mark.skipif(not CLAIMS_MD.is_file(), reason=f"{CLAIMS_MD} is not available")


# ---------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------

@needs_claims_md
def test_the_registry_has_exactly_the_twenty_ids_of_claims_md_in_order():
    ids, _ = _claims_md_ids()
    assert len(ids) == 20
    assert list(REGISTRY) == ids


@needs_claims_md
def test_every_reconstructed_claim_of_claims_md_says_what_it_was_reconstructed_from():
    _, marked = _claims_md_ids()
    for cid in marked:
        assert REGISTRY[cid].reconstructed, cid
    assert set(marked) <= {cid for cid, c in REGISTRY.items() if c.reconstructed}


def test_every_claim_follows_the_template():
    for cid, claim in REGISTRY.items():
        assert claim.id == cid
        assert claim.kind in CLAIM_KINDS
        assert claim.source and claim.statement and claim.method
        assert claim.readings and all(isinstance(r, str) and r for r in claim.readings)
        assert len(set(claim.readings)) == len(claim.readings)
        assert callable(claim.checker)


def test_the_readings_named_in_the_brief_are_checked():
    assert REGISTRY["thm22-contraction"].readings[:2] == ("with /2", "printed without /2")
    assert "β = 1" in REGISTRY["thm-a1-beta-rotinv"].readings
    assert len(REGISTRY["thm34-init"].readings) == 4


def test_list_claims_gives_every_claims_metadata_in_order():
    rows = list_claims()
    assert [r["id"] for r in rows] == list(REGISTRY)
    for r in rows:
        assert set(r) >= {"id", "source", "statement", "kind", "reconstructed", "readings"}
    json.dumps(rows, allow_nan=False)


# ---------------------------------------------------------------------------
# The verdict rule
# ---------------------------------------------------------------------------

def mc(value, se, dof=31, kind="estimate"):
    return Estimate(value, se, "standard-error", "mc", n=10_000, seed=0, kind=kind, dof=dof)


def exact(value, err=1e-16, kind="exact"):
    return Estimate(value, err, "exact", "exact", kind=kind)


VERDICT_CASES = [
    pytest.param(exact(1.0), exact(2.0), "<=", "holds", id="exact-bound-satisfied"),
    pytest.param(exact(2.0), exact(1.0), "<=", "refuted", id="exact-bound-violated"),
    pytest.param(exact(1.0), exact(1.0 - 1e-16), "<=", "holds", id="exact-tie-within-rounding-holds"),
    pytest.param(exact(1.0), exact(1.0 - 1e-6), "<=", "refuted", id="exact-violation-beyond-rounding"),
    pytest.param(exact(2.0), exact(1.0), ">=", "holds", id="exact-lower-bound-satisfied"),
    pytest.param(mc(1.0, 0.01), exact(2.0), "<=", "holds", id="mc-satisfied-beyond-the-error-bar"),
    pytest.param(mc(1.0, 0.01), exact(1.02), "<=", "inconclusive", id="mc-within-the-error-bar"),
    pytest.param(mc(1.2, 0.01), exact(1.0), "<=", "refuted", id="mc-violated-beyond-the-error-bar"),
    pytest.param(mc(1.03, 0.01), exact(1.0), "<=", "inconclusive", id="mc-violated-within-the-error-bar"),
    # γ found by search is an upper bound: in γr² ≤ ⟨g, d⟩ it can prove "holds", never "refuted".
    pytest.param(exact(2.0, kind="upper-bound"), exact(1.0), "<=", "inconclusive", id="upper-bound-lhs-cannot-refute"),
    pytest.param(exact(1.0, kind="upper-bound"), exact(2.0), "<=", "holds", id="upper-bound-lhs-can-hold"),
    # L found by search is a lower bound: in ‖g‖ ≤ ... it can refute a bound it violates, not prove one.
    pytest.param(exact(1.0, kind="lower-bound"), exact(2.0), "<=", "inconclusive", id="lower-bound-lhs-cannot-hold"),
    pytest.param(exact(2.0, kind="lower-bound"), exact(1.0), "<=", "refuted", id="lower-bound-lhs-can-refute"),
    pytest.param(exact(1.0, kind="upper-bound"), exact(2.0, kind="upper-bound"), "<=", "inconclusive",
                 id="upper-bounds-on-both-sides-are-mixed"),
    pytest.param(exact(1.0), exact(1.0), "==", "holds", id="exact-equality"),
    pytest.param(exact(1.0), exact(1.1), "==", "refuted", id="exact-inequality"),
    pytest.param(mc(1.0, 0.01), exact(1.01), "==", "holds", id="mc-equality-within-the-error-bar"),
    pytest.param(mc(1.0, 0.5), exact(1.01), "==", "inconclusive", id="mc-equality-without-resolution"),
    pytest.param(mc(1.0, 0.01), exact(1.5), "==", "refuted", id="mc-inequality-beyond-the-error-bar"),
]


@pytest.mark.parametrize("lhs, rhs, relation, expected", VERDICT_CASES)
def test_the_verdict_rule_decides_by_the_error_bar_and_the_estimates_sides(lhs, rhs, relation, expected):
    c = compare("case", lhs, rhs, relation, alpha=1e-4)
    assert c.verdict == expected, (c.margin, c.error_below, c.error_above, c.why)


def test_the_refutation_threshold_comes_from_the_false_alarm_probability():
    lhs, rhs = mc(1.03, 0.01, dof=None), exact(1.0)   # violation of 3 standard errors (relative 0.03)
    assert compare("x", lhs, rhs, "<=", alpha=1e-2).verdict == "refuted"     # z = 2.33
    assert compare("x", lhs, rhs, "<=", alpha=1e-6).verdict == "inconclusive"  # z = 4.75
    assert z_threshold(1e-2) == pytest.approx(2.3263478740408408)
    assert z_threshold(1e-3, dof=9) > z_threshold(1e-3)


def test_the_margin_is_relative_and_non_negative_exactly_when_the_claim_holds():
    c = compare("x", exact(1.0), exact(4.0), "<=")
    assert c.margin == pytest.approx(0.75)
    c = compare("x", exact(4.0), exact(1.0), ">=")
    assert c.margin == pytest.approx(3.0)
    c = compare("x", exact(3.0), exact(2.0), "<=")
    assert c.margin == pytest.approx(-0.5)


def test_one_sided_and_equality_rules_apply_the_stated_margin():
    assert one_sided_verdict(-0.5 * TOL, 0.0) == "holds"
    assert one_sided_verdict(-2 * TOL, 0.0) == "refuted"
    assert one_sided_verdict(-0.1, 0.2) == "inconclusive"
    assert one_sided_verdict(-0.1, 0.0, may_refute=False) == "inconclusive"
    assert equality_verdict(0.5 * TOL, 0.0) == "holds"
    assert equality_verdict(0.01, 0.1, resolution=0.05) == "inconclusive"


@pytest.mark.parametrize("verdicts, expected", [
    pytest.param(["holds", "holds"], "holds", id="all-hold"),
    pytest.param(["holds", "refuted", "inconclusive"], "refuted", id="any-refuted"),
    pytest.param(["holds", "inconclusive"], "inconclusive", id="some-inconclusive"),
    pytest.param([], "inconclusive", id="none"),
])
def test_aggregation_is_refuted_if_any_holds_if_all(verdicts, expected):
    assert aggregate(verdicts) == expected


def test_terms_add_errors_linearly_and_swap_sides_under_negation():
    a = Term(1.0, 0.1, 0.2, 10, "upper-bound")
    b = Term(2.0, 0.3, 0.1, 5, "exact")
    s = a + b
    assert (s.value, s.se, s.dof, s.side) == (3.0, pytest.approx(0.3), 5, "upper-bound")
    assert s.bound >= 0.4
    assert (-a).side == "lower-bound" and (a * -2.0).side == "lower-bound"
    assert (a - Term(1.0, side="lower-bound")).side == "upper-bound"
    assert (a + Term(1.0, side="lower-bound")).side == "mixed"


def test_clopper_pearson_bounds_are_exact_binomial_bounds():
    lo, hi = clopper_pearson(100, 100, 1e-3)
    assert lo == pytest.approx(1e-3 ** (1 / 100)) and hi == 1.0
    lo, hi = clopper_pearson(0, 50, 1e-3)
    assert lo == 0.0 and hi == pytest.approx(1 - 1e-3 ** (1 / 50))


# ---------------------------------------------------------------------------
# Exact sups on finite laws
# ---------------------------------------------------------------------------

def test_finite_sup_ratio_finds_the_straddling_cross_term_of_two_close_patches():
    ang = np.array([0.1, 0.3])
    z = np.stack([np.cos(ang), np.sin(ang)], axis=1)[None]          # one draw, k = 2 unit patches
    value, theta = finite_sup_ratio(Empirical(z), np.array([1.0, 0.0]), "cross")
    assert value == pytest.approx(0.25 / (math.pi / 2 - 0.3), rel=1e-12)
    assert theta == pytest.approx(math.pi / 2 - 0.3)
    assert finite_mu(Empirical(z), np.array([1.0, 0.0]), 0.1) == 0.0


def test_finite_beta_is_set_by_the_patch_nearest_the_teacher_hyperplane():
    """n points evenly on the circle, the first at angle δ past w*⊥: it enters S(w, −w*) at θ = δ alone,
    so λ_max/θ = (1/n)/δ there, which beats every later entry (k/n over δ + 2π(k−1)/n) when δ < 2π/n."""
    n, delta = 400, 1e-3
    t = math.pi / 2 + delta + 2 * math.pi * np.arange(n) / n
    law = Empirical(np.stack([np.cos(t), np.sin(t)], axis=1))
    value, theta = finite_sup_ratio(law, np.array([1.0, 0.0]), "beta")
    assert value == pytest.approx(1 / (n * delta), rel=1e-9)
    assert theta == pytest.approx(delta, rel=1e-9)


def test_a_patch_on_the_teacher_hyperplane_makes_beta_infinite():
    law = Empirical(np.array([[0.0, 1.0], [1.0, 0.5]]))
    assert finite_sup_ratio(law, np.array([1.0, 0.0]), "beta")[0] == math.inf


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------

FAST = [cid for cid in REGISTRY if not cid.startswith("sec4")]


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", FAST)
def test_every_default_check_runs_and_serialises_to_strict_json(claim_id):
    result = check_claim(claim_id)
    assert isinstance(result, CheckResult)
    assert result.claim == claim_id
    assert result.verdict in ("holds", "refuted", "inconclusive")
    assert REGISTRY[claim_id].readings[0] in result.readings
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    assert set(data) >= {"claim", "verdict", "lhs", "rhs", "margin", "margin_error", "tightness", "readings",
                         "instance", "counterexample"}


def test_the_rotational_invariance_remark_is_refuted_with_a_counterexample():
    result = check_claim("def21-rotinv-equal", Gaussian(3), phi=1.0)
    assert result.verdict == "refuted"
    assert result.counterexample["lhs"] == pytest.approx((math.pi - 1 - math.sin(1)) / (2 * math.pi))
    assert result.counterexample["rhs"] == pytest.approx((math.pi - 1 + math.sin(1)) / (2 * math.pi))


def test_theorem_a1_reports_how_loose_beta_one_is():
    result = check_claim("thm-a1-beta-rotinv", Sphere(4))
    assert result.verdict == "holds"
    assert result.tightness == pytest.approx(1 / (4 * math.pi))


def test_lemma_a1_counts_a_patch_on_the_teacher_hyperplane_twice_as_printed():
    result = check_claim("lemma-a1", Empirical(np.array([[0.0, 1.0]])), w_star=[1.0, 0.0], w=[0.0, 1.0])
    assert result.verdict == "refuted"
    assert result.readings["half-open S(w,−w*): w*·Z < 0"] == "holds"


class _UserLaw:
    """A user's law with nothing but p, k and sample (what ``--dist module:callable`` may give)."""

    p, k = 2, 1

    def sample(self, n, rng):
        rng = np.random.default_rng(rng)
        z = rng.standard_normal((n, 1, 2))
        return z * np.array([1.0, 0.5])


@pytest.mark.parametrize("claim_id", ["lemma-a1", "thm22-gradient-bounds", "def21-rotinv-equal", "thm34-init"])
def test_check_claim_takes_a_users_law_with_only_p_k_and_sample(claim_id):
    result = check_claim(claim_id, _UserLaw(), seed=1, n=20_000)
    assert result.verdict != "refuted"
    json.dumps(result.to_dict(), allow_nan=False)


BAD_INPUTS = [
    pytest.param(lambda: get_claim("no-such-claim"), "claim", id="unknown-claim-id"),
    pytest.param(lambda: check_claim("thm22-angle", alpha=1.5), "alpha", id="alpha-above-one"),
    pytest.param(lambda: check_claim("thm22-gradient-bounds", Gaussian(3), w_star=[1.0, 0.0]), "w_star",
                 id="teacher-of-the-wrong-length"),
    pytest.param(lambda: check_claim("lemma-a1", Gaussian(3), w=[1.0, np.nan, 0.0]), "w", id="student-not-finite"),
    pytest.param(lambda: check_claim("thm22-gradient-bounds", object()), "dist", id="not-a-distribution"),
    pytest.param(lambda: check_claim("thm34-init", alpha_=0.5, alpha=0.0), "alpha", id="alpha-zero"),
    pytest.param(lambda: compare("x", 1.0, 2.0, "<"), "relation", id="unknown-relation"),
    pytest.param(lambda: z_threshold(0.0), "alpha", id="z-of-alpha-zero"),
]


@pytest.mark.parametrize("call, argument", BAD_INPUTS)
def test_bad_inputs_raise_invalid_argument_naming_the_argument(call, argument):
    with pytest.raises(InvalidArgument) as err:
        call()
    assert str(err.value).startswith(argument)


# ---------------------------------------------------------------------------
# The plugin
# ---------------------------------------------------------------------------

def test_summarize_aggregates_instances_and_lists_every_registry_id():
    col = ClaimCollector()
    holds = {"claim": "thm22-angle", "verdict": "holds", "margin": 0.3, "margin_error": 0.0, "tightness": 0.7,
             "readings": {"as printed": "holds"}, "in_hypothesis": True}
    col.add({**holds})
    col.add({**holds, "margin": 0.1, "tightness": 0.9})
    col.add({**holds, "verdict": "inconclusive", "margin": -1.0, "in_hypothesis": False})
    bad = {"claim": "lemma-a1", "verdict": "refuted", "margin": -0.5, "margin_error": 1e-13, "tightness": None,
           "readings": {"closed": "refuted", "open": "holds"}, "counterexample": {"part": "split"},
           "in_hypothesis": True}
    col.add(bad)
    col.add({**bad, "verdict": "holds", "margin": 0.0, "readings": {"closed": "holds", "open": "holds"}})
    doc = summarize(col)
    assert list(doc["claims"]) == list(REGISTRY)
    angle = doc["claims"]["thm22-angle"]
    assert angle["verdict"] == "holds" and angle["instances"] == 2 and angle["outside_hypothesis"] == 1
    assert angle["worst_margin"] == 0.1 and angle["tightness"] == 0.9
    lemma = doc["claims"]["lemma-a1"]
    assert lemma["verdict"] == "refuted" and lemma["counterexample"]["part"] == "split"
    assert lemma["readings"] == {"closed": "refuted", "open": "holds"}
    untouched = doc["claims"]["sec4-real-data"]
    assert untouched["verdict"] == "inconclusive" and untouched["instances"] == 0
    assert untouched["statement"] and untouched["source"]
    assert set(doc) >= {"claims", "profile", "seed", "versions"}


def test_the_json_is_written_atomically_and_strictly(tmp_path):
    target = tmp_path / "deep" / "claims.json"
    write_claims_json(target, {"x": math.inf, "y": [1.0, math.nan], "z": np.float64(2.5)})
    assert json.loads(target.read_text()) == {"x": "inf", "y": [1.0, "nan"], "z": 2.5}
    assert [p.name for p in target.parent.iterdir()] == ["claims.json"]   # no temporary file left


TINY_TEST_FILE = '''
import pytest
from verify.claims import check_claim
from verify.distributions import Empirical, Gaussian
import numpy as np


def test_a_claim_that_holds(claim_recorder):
    claim_recorder(check_claim("thm22-angle", w_star=[1.0, 0.0, 0.0], w=[0.8, 0.3, 0.0]))


def test_a_claim_that_is_refuted():
    from verify.pytest_plugin import record
    record(check_claim("def21-rotinv-equal", Gaussian(2), phi=0.7))
'''


def test_the_plugin_writes_every_claims_verdict_from_a_run_in_any_directory(pytester):
    pytester.makepyfile(test_tiny=TINY_TEST_FILE)
    out = pytester.path / "out" / "claims.json"
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", "--claims-json", str(out))
    result.assert_outcomes(passed=2)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc) >= {"claims", "profile", "seed", "versions"}
    assert list(doc["claims"]) == list(REGISTRY)
    angle, rotinv = doc["claims"]["thm22-angle"], doc["claims"]["def21-rotinv-equal"]
    assert angle["verdict"] == "holds" and angle["instances"] == 1
    assert rotinv["verdict"] == "refuted" and rotinv["counterexample"]["part"] == "γ(φ) = L(φ)"
    assert rotinv["readings"] == {"as printed": "refuted"}
    assert rotinv["tests"] == ["test_tiny.py::test_a_claim_that_is_refuted"]
    for cid, entry in doc["claims"].items():
        assert set(entry) >= {"verdict", "instances", "worst_margin", "margin_error", "tightness", "counterexample",
                              "readings", "source", "statement", "reconstructed"}
        if cid not in ("thm22-angle", "def21-rotinv-equal"):
            assert entry["verdict"] == "inconclusive" and entry["instances"] == 0
    assert doc["versions"]["verify"]


def test_without_the_option_the_plugin_writes_nothing(pytester):
    pytester.makepyfile(test_tiny=TINY_TEST_FILE)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    assert not list(pytester.path.rglob("*.json"))

"""The claim checker's building blocks, on synthetic inputs (docs/claims.md §7).

* the verdict rule (:mod:`verify.checker.verdicts`): one table of cases by the
  kind of the claim and the kind of the error (exact, Monte Carlo, one-sided
  estimates), the refutation threshold from the false-alarm probability, the
  relative margin, the stated numerical margin, aggregation;
* :class:`~verify.checker.terms.Term` arithmetic: errors add linearly, a
  negative factor swaps the sides;
* Clopper–Pearson bounds (:func:`verify.stats.clopper_pearson`) against the
  beta quantiles that define them;
* exact sups over θ on finite laws (:func:`verify.estimators.finite_sups.finite_sup_ratio`);
* the template of a claim (:mod:`verify.checker.claim`): slugs, stated
  counterexamples, unknown reading ids, the assembly of a check's
  :class:`~verify.checker.findings.Findings` (or :class:`~verify.checker.findings.Outside`),
  and negative controls addressed by comparison id (an unknown id is an error).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import strategies as st
from scipy import stats

from verify.checker.claim import Claim, Control, Reading, Search
from verify.checker.findings import Findings, Outside
from verify.checker.terms import Term, z_threshold
from verify.checker.verdicts import (
    TOL,
    Spec,
    aggregate,
    compare,
    equality_verdict,
    one_sided_verdict,
)
from verify.laws.builtin import Empirical
from verify.estimators.finite_sups import finite_sup_ratio
from verify.results import Estimate
from verify.stats import clopper_pearson
from verify.validation import InvalidArgument

# ---------------------------------------------------------------------------
# The verdict rule
# ---------------------------------------------------------------------------

def mc(value, se, dof=31, kind="estimate"):
    """A Monte Carlo estimate: a standard error with its degrees of freedom."""
    return Estimate(value, se, "standard-error", "mc", n=10_000, seed=0, kind=kind, dof=dof)


def exact(value, err=1e-16, kind="exact"):
    """An exact value with a rounding bound (or a one-sided value found by search)."""
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
    pytest.param(exact(2.0, kind="upper-bound"), exact(1.0), "<=", "inconclusive",
                 id="upper-bound-lhs-cannot-refute"),
    pytest.param(exact(1.0, kind="upper-bound"), exact(2.0), "<=", "holds", id="upper-bound-lhs-can-hold"),
    # L found by search is a lower bound: in ‖g‖ ≤ … it can refute a bound it violates, not prove one.
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
    lhs, rhs = mc(1.03, 0.01, dof=None), exact(1.0)   # a violation of 3 standard errors (relative 0.03)
    assert compare("x", lhs, rhs, "<=", alpha=1e-2).verdict == "refuted"       # z = 2.33 < 3
    assert compare("x", lhs, rhs, "<=", alpha=1e-6).verdict == "inconclusive"  # z = 4.75 > 3
    # The normal quantile Φ⁻¹(0.99), to the last digits scipy gives.
    assert z_threshold(1e-2) == pytest.approx(2.3263478740408408, rel=1e-12)
    assert z_threshold(1e-3, dof=9) > z_threshold(1e-3)   # a t quantile is wider than the normal one


def test_the_margin_is_relative_and_non_negative_exactly_when_the_claim_holds():
    # Exact inputs: the margins are exact up to rounding (rel 1e-12 is far above it).
    assert compare("x", exact(1.0), exact(4.0), "<=").margin == pytest.approx(0.75, rel=1e-12)
    assert compare("x", exact(4.0), exact(1.0), ">=").margin == pytest.approx(3.0, rel=1e-12)
    assert compare("x", exact(3.0), exact(2.0), "<=").margin == pytest.approx(-0.5, rel=1e-12)


def test_one_sided_and_equality_rules_apply_the_stated_margin():
    assert one_sided_verdict(-0.5 * TOL, 0.0) == "holds"
    assert one_sided_verdict(-2 * TOL, 0.0) == "refuted"
    assert one_sided_verdict(-0.1, 0.2) == "inconclusive"
    assert one_sided_verdict(-0.1, 0.0, may_refute=False) == "inconclusive"
    assert one_sided_verdict(0.1, 0.0, may_hold=False) == "inconclusive"
    assert one_sided_verdict(math.nan, 0.0) == "inconclusive"
    assert equality_verdict(0.5 * TOL, 0.0) == "holds"
    assert equality_verdict(2 * TOL, 0.0) == "refuted"
    assert equality_verdict(0.01, 0.1, resolution=0.05) == "inconclusive"


@pytest.mark.parametrize("verdicts, expected", [
    pytest.param(["holds", "holds"], "holds", id="all-hold"),
    pytest.param(["holds", "refuted", "inconclusive"], "refuted", id="any-refuted"),
    pytest.param(["holds", "inconclusive"], "inconclusive", id="some-inconclusive"),
    pytest.param([], "inconclusive", id="none"),
])
def test_aggregation_is_refuted_if_any_is_refuted_and_holds_if_all_hold(verdicts, expected):
    assert aggregate(verdicts) == expected


def test_terms_add_errors_linearly_and_swap_sides_under_negation():
    a = Term(1.0, 0.1, 0.2, 10, "upper-bound")
    b = Term(2.0, 0.3, 0.1, 5, "exact")
    s = a + b
    # Standard errors add linearly (0.2 + 0.1, up to one rounding); the fewer degrees of freedom win.
    assert (s.value, s.se, s.dof, s.side) == (3.0, pytest.approx(0.3, rel=1e-15), 5, "upper-bound")
    assert s.bound >= 0.4   # 0.1 + 0.3 plus the rounding of the sum
    assert (-a).side == "lower-bound" and (a * -2.0).side == "lower-bound"
    assert (a * 2.0).side == "upper-bound"
    assert (a - Term(1.0, side="lower-bound")).side == "upper-bound"
    assert (a + Term(1.0, side="lower-bound")).side == "mixed"


# ---------------------------------------------------------------------------
# Clopper–Pearson
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("k, n", [(0, 50), (7, 50), (50, 50), (1, 3), (999, 1000)])
@pytest.mark.parametrize("level", [0.95, 0.999])
def test_clopper_pearson_bounds_are_the_beta_quantiles_of_the_exact_binomial_interval(k, n, level):
    """Two-sided: (B(α/2; k, n−k+1), B(1−α/2; k+1, n−k)); one-sided: the α quantile alone.

    Both are computed by scipy from the same beta distribution; rel 1e-9 leaves
    room for the root-finding scipy's binomtest may use instead of the quantile.
    """
    a = 1 - level
    lo_two = stats.beta.ppf(a / 2, k, n - k + 1) if k > 0 else 0.0
    hi_two = stats.beta.ppf(1 - a / 2, k + 1, n - k) if k < n else 1.0
    lo, hi = clopper_pearson(k, n, level)
    assert (lo, hi) == (pytest.approx(lo_two, rel=1e-9, abs=1e-15), pytest.approx(hi_two, rel=1e-9, abs=1e-15))
    lo_one = stats.beta.ppf(a, k, n - k + 1) if k > 0 else 0.0
    hi_one = stats.beta.ppf(1 - a, k + 1, n - k) if k < n else 1.0
    lo, hi = clopper_pearson(k, n, level, alternative="greater")
    assert (lo, hi) == (pytest.approx(lo_one, rel=1e-9, abs=1e-15), 1.0)
    lo, hi = clopper_pearson(k, n, level, alternative="less")
    assert (lo, hi) == (0.0, pytest.approx(hi_one, rel=1e-9, abs=1e-15))


def test_clopper_pearson_at_the_extremes_has_closed_forms():
    # All successes: the lower bound solves p^n = α; none: 1 − (1 − p)^n = 1 − α (two-sided α/2 per side).
    lo, hi = clopper_pearson(100, 100, 1 - 2e-3)
    assert lo == pytest.approx(1e-3 ** (1 / 100), rel=1e-9) and hi == 1.0
    lo, hi = clopper_pearson(0, 50, 1 - 2e-3)
    assert lo == 0.0 and hi == pytest.approx(1 - 1e-3 ** (1 / 50), rel=1e-9)


# ---------------------------------------------------------------------------
# Exact sups on finite laws
# ---------------------------------------------------------------------------

def test_finite_sup_ratio_finds_the_straddling_cross_term_of_two_close_patches():
    """Two unit patches at angles 0.1 and 0.3 from w*: the cross term 0.25 first appears when w(θ)⊥
    separates them, at θ = π/2 − 0.3, and is largest relative to θ there (exact finite sums: rel 1e-12)."""
    ang = np.array([0.1, 0.3])
    z = np.stack([np.cos(ang), np.sin(ang)], axis=1)[None]          # one draw, k = 2 unit patches
    value, theta = finite_sup_ratio(Empirical(z), np.array([1.0, 0.0]), "cross")
    assert value == pytest.approx(0.25 / (math.pi / 2 - 0.3), rel=1e-12)
    assert theta == pytest.approx(math.pi / 2 - 0.3, rel=1e-12)


def test_finite_beta_is_set_by_the_patch_nearest_the_teacher_hyperplane():
    """n points evenly on the circle, the first at angle δ past w*⊥: it enters S(w, −w*) at θ = δ alone,
    so λ_max/θ = (1/n)/δ there, which beats every later entry (k/n over δ + 2π(k−1)/n) when δ < 2π/n.
    (The angles are computed by atan2 of rounded points: rel 1e-9 covers their rounding relative to δ.)"""
    n, delta = 400, 1e-3
    t = math.pi / 2 + delta + 2 * math.pi * np.arange(n) / n
    law = Empirical(np.stack([np.cos(t), np.sin(t)], axis=1))
    value, theta = finite_sup_ratio(law, np.array([1.0, 0.0]), "beta")
    assert value == pytest.approx(1 / (n * delta), rel=1e-9)
    assert theta == pytest.approx(delta, rel=1e-9)


def test_a_patch_on_the_teacher_hyperplane_makes_beta_infinite():
    law = Empirical(np.array([[0.0, 1.0], [1.0, 0.5]]))
    assert finite_sup_ratio(law, np.array([1.0, 0.0]), "beta")[0] == math.inf


def test_finite_sup_ratio_rejects_laws_it_cannot_sum_exactly():
    with pytest.raises(InvalidArgument, match="^dist"):
        finite_sup_ratio(Empirical(np.ones((4, 3))), np.array([1.0, 0.0, 0.0]), "beta")
    with pytest.raises(InvalidArgument, match="^quantity"):
        finite_sup_ratio(Empirical(np.eye(2)), np.array([1.0, 0.0]), "gamma")


# ---------------------------------------------------------------------------
# The template of a claim
# ---------------------------------------------------------------------------

def _toy_check(instance, *, alpha, cache):
    """1 ≤ 2 (as printed) and 3 ≥ 2 (the other reading); x ≥ 0 is the claim's hypothesis."""
    if instance.get("x", 1.0) < 0:
        raise Outside("needs x ≥ 0", {"x": instance["x"]})
    return Findings({"x": instance.get("x", 1.0)}, [
        Spec("1 ≤ 2", Term(1.0), Term(2.0), "<=", "as-printed", id="one-below-two"),
        Spec("3 ≥ 2", Term(3.0), Term(2.0), ">=", "other", id="three-above-two"),
    ], tightness=0.5)


def _a_claim(check=None, **overrides) -> Claim:
    """A toy claim whose check compares 1 ≤ 2 under its primary reading and 3 ≥ 2 under the other."""
    fields = {"id": "toy-claim", "source": "nowhere", "statement": "1 ≤ 2", "kind": "upper-bound",
              "reconstructed": None,
              "readings": (Reading("as-printed", "as printed"), Reading("other", "another reading")),
              "check_function": check or _toy_check, "spec_ids": ("one-below-two", "three-above-two"),
              "searches": (Search("toy-search", lambda: st.just({})),)}
    return Claim(**{**fields, **overrides})


@pytest.mark.parametrize("bad_id", ["As-Printed", "as printed", "β-1", "with-/2", "-lead", "trail-", ""])
def test_a_reading_id_must_be_an_ascii_slug(bad_id):
    with pytest.raises(ValueError, match="slug"):
        Reading(bad_id, "a label")


def test_a_search_expecting_a_refutation_must_state_its_counterexample():
    def instances():   # never built
        return st.just({})

    with pytest.raises(ValueError, match="counterexample"):
        Search("claim-is-false", instances, expect="refuted")
    assert Search("claim-is-false", instances, expect="refuted", counterexample="x = 0").counterexample == "x = 0"


def test_asking_a_claim_for_an_unknown_reading_lists_the_known_ones():
    with pytest.raises(InvalidArgument) as err:
        _a_claim().reading("nope")
    assert err.value.argument == "reading"
    assert "'nope'" in str(err.value) and "as-printed, other" in str(err.value)


def test_a_search_about_an_unknown_reading_is_refused_when_the_claim_is_built():
    with pytest.raises(InvalidArgument, match="^reading"):
        _a_claim(searches=(Search("toy-search", lambda: st.just({}), reading="nope"),))


def test_a_check_that_reports_an_unknown_reading_id_raises():
    def sloppy(instance, *, alpha, cache):
        return Findings({}, [Spec("1 ≤ 2", 1.0, 2.0, "<=", "no-such-reading", id="one-below-two")])

    assert _a_claim().check().verdict == "holds"       # the well-behaved twin passes
    with pytest.raises(ValueError, match="unknown readings"):
        _a_claim(check=sloppy).check()


def test_the_template_assembles_the_findings_of_a_check():
    result = _a_claim().check()
    assert (result.verdict, result.readings, result.tightness) == ("holds", {"as-printed": "holds", "other": "holds"},
                                                                    0.5)
    assert [part["name"] for part in result.parts] == ["1 ≤ 2", "3 ≥ 2"]
    assert result.margin == pytest.approx(0.5)        # (2 − 1)/2, the primary reading's part


def test_a_check_raising_outside_gives_an_instance_outside_the_hypotheses():
    result = _a_claim().check({"x": -1.0})
    assert (result.verdict, result.in_hypothesis, result.instance) == ("inconclusive", False, {"x": -1.0})
    assert "needs x ≥ 0" in result.note


def test_a_check_must_return_findings():
    with pytest.raises(TypeError, match="Findings"):
        _a_claim(check=lambda instance, *, alpha, cache: {"verdict": "holds"}).check()


def test_every_spec_of_a_check_needs_an_id():
    with pytest.raises(ValueError, match="id"):
        Findings({}, [Spec("1 ≤ 2", 1.0, 2.0, "<=", "as-printed")])


def test_a_control_addresses_a_comparison_by_its_id_and_refutes_the_false_variant():
    claim = _a_claim(controls=(
        Control("bound-quartered", "1 ≤ ½", {"control_scale": {"one-below-two": 0.25}}, "toy-search"),
        Control("relation-reversed", "3 ≤ 2", {"control_reverse": "three-above-two"}, "toy-search",
                reading="other"),
    ))
    quartered = claim.check(claim.control("bound-quartered").overrides)
    assert quartered.verdict == "refuted" and quartered.readings["other"] == "holds"
    reversed_ = claim.check(claim.control("relation-reversed").overrides)
    assert reversed_.readings == {"as-printed": "holds", "other": "refuted"}
    # the label is free to change: a control names the id, so rewording a Spec's name keeps it on
    renamed = _a_claim(check=lambda instance, *, alpha, cache: Findings({}, [
        Spec("one is below two (reworded)", Term(1.0), Term(2.0), "<=", "as-printed", id="one-below-two")]))
    assert renamed.check({"control_scale": {"one-below-two": 0.25}}).verdict == "refuted"


def test_a_control_naming_an_unknown_comparison_id_is_refused_when_the_claim_is_built():
    with pytest.raises(InvalidArgument, match="unknown comparison ids"):
        _a_claim(controls=(Control("quartered", "1 ≤ ½", {"control_scale": {"1 ≤ 2": 0.25}}, "toy-search"),))
    with pytest.raises(InvalidArgument, match="unknown comparison ids"):
        _a_claim(controls=(Control("reversed", "1 ≥ 2", {"control_reverse": ["one-below-two", "one-below"]},
                                   "toy-search"),))


def test_an_instance_addressing_an_unknown_comparison_id_is_an_error():
    with pytest.raises(InvalidArgument, match="unknown comparison ids"):
        _a_claim().check({"control_scale": {"one-below": 0.25}})


def test_a_check_stating_a_comparison_the_claim_does_not_declare_raises():
    """A renamed Spec id (in the check but not in spec_ids) cannot silently orphan a control."""
    def renamed(instance, *, alpha, cache):
        return Findings({}, [Spec("1 ≤ 2", Term(1.0), Term(2.0), "<=", "as-printed", id="one-under-two")])

    with pytest.raises(ValueError, match="one-under-two"):
        _a_claim(check=renamed).check()



def test_the_controls_of_every_registered_claim_address_declared_comparison_ids():
    from verify.checker.controls import addressed_ids
    from verify.claims import REGISTRY

    addressed = {(cid, c.name): addressed_ids(c.overrides) for cid, claim in REGISTRY.items() for c in claim.controls}
    assert all(ids <= set(REGISTRY[cid].spec_ids) for (cid, _), ids in addressed.items())
    assert sum(bool(ids) for ids in addressed.values()) >= 20       # most controls act on a comparison by id

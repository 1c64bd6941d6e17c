"""The false-alarm machinery of the verdict rule, pinned edge by edge (docs/claims.md §7).

tests/test_checker.py states the rule by cases; this file pins its edges, where
a false alarm or a false "holds" would slip in unnoticed: the inequalities at
their exact boundaries (the stated margin TOL, one ulp beyond), the non-finite
and tied margins, the scale of a relative margin, the sides of one-sided
estimates, the error bar built from the false-alarm probability α (Bonferroni
α/k over the k comparisons of a check), the power stated with each comparison,
the Clopper–Pearson comparisons, the choice of the closest call, and the JSON
form of a comparison.  Mutation testing of verify/checker/verdicts.py
(``mutmut run``, setup.cfg ``[mutmut]``) measures how much of the module these
pin down.

Numbers are chosen binary-exact (0.25, 0.5, 1.5, 2^-31, …) wherever a test
sits on a boundary, so that the boundary is hit exactly and not up to rounding;
elsewhere each tolerance says why it is right.
"""
from __future__ import annotations

import math

import pytest
from scipy import stats

from verify.checker.terms import DEFAULT_ALPHA, EPS, Term, z_threshold
from verify.checker.verdicts import (
    POWER,
    RESOLUTION,
    TOL,
    Comparison,
    Spec,
    aggregate,
    compare,
    compare_all,
    comparison_from_interval,
    detectable_violation,
    equality_verdict,
    group_worst,
    one_sided_verdict,
    worst,
)
from verify.jsonio import jsonable
from verify.stats import clopper_pearson
from verify.validation import InvalidArgument

Z95 = float(stats.norm.isf(1 - POWER))   # z_0.95 = 1.6449 (the power's quantile)


def sampled(value, se, dof=None, bound=0.0):
    """A Monte Carlo estimate: value ± se (normal when dof is None), unbiased."""
    return Term(value, bound, se, dof, "estimate", "mc")


# ---------------------------------------------------------------------------
# one_sided_verdict / equality_verdict: the inequalities at their boundaries
# ---------------------------------------------------------------------------

def test_a_violation_exactly_at_the_error_bar_plus_tol_is_not_refuted_one_ulp_beyond_is():
    """Refuted iff m + e < −TOL (strict).  With e = 0 the boundary is m = −TOL itself, which is a
    tie within the stated margin and so holds; the next float below is refuted."""
    at = -TOL
    beyond = math.nextafter(-TOL, -math.inf)
    assert one_sided_verdict(at, 0.0) == "holds"
    assert one_sided_verdict(beyond, 0.0) == "refuted"


def test_refutation_and_holding_are_decided_on_the_exact_boundaries_with_binary_exact_numbers():
    """tol = 0.25 and errors of 0.25/0.5 make every sum exact.  m = −0.5, e = 0.25: m + e = −tol is not
    < −tol, so not refuted, and m − e = −0.75 < −tol, so not holding: inconclusive.  m = 0.25, e = 0.5:
    m − e = −tol satisfies ≥ −tol exactly, so it holds."""
    assert one_sided_verdict(-0.5, 0.25, tol=0.25) == "inconclusive"
    assert one_sided_verdict(math.nextafter(-0.5, -1.0), 0.25, tol=0.25) == "refuted"
    assert one_sided_verdict(0.25, 0.5, tol=0.25) == "holds"
    # 2^-40 below: m − e = −0.25 − 2^-40 is exact (one ulp of 0.25 would round away in m − e).
    assert one_sided_verdict(0.25 - 2.0 ** -40, 0.5, tol=0.25) == "inconclusive"


def test_an_asymmetric_error_bar_refutes_with_the_error_above_and_holds_with_the_error_below():
    """Clopper–Pearson bars are asymmetric: the violation must exceed the distance to the *upper*
    end of the margin's interval (error_above), satisfaction the distance to the lower end."""
    assert one_sided_verdict(-0.5, 1.0, 0.25) == "refuted"       # −0.5 + 0.25 < 0
    assert one_sided_verdict(-0.5, 0.25, 1.0) == "inconclusive"  # −0.5 + 1.0 > 0
    assert one_sided_verdict(0.5, 0.25, 1.0) == "holds"          # 0.5 − 0.25 ≥ 0
    assert one_sided_verdict(0.5, 1.0, 0.25) == "inconclusive"   # 0.5 − 1.0 < 0
    # Without error_above the bar is symmetric.
    assert one_sided_verdict(-0.5, 0.25) == "refuted" and one_sided_verdict(-0.5, 1.0) == "inconclusive"


def test_an_equality_at_exactly_its_error_bar_plus_tol_holds_and_one_ulp_beyond_is_refuted():
    """|d| ≤ e + tol holds (given e ≤ resolution); |d| > e + tol is refuted.  d = 0.5, e = tol = 0.25
    sits on the boundary exactly; the sign of d does not matter."""
    assert equality_verdict(0.5, 0.25, tol=0.25, resolution=0.5) == "holds"
    assert equality_verdict(-0.5, 0.25, tol=0.25, resolution=0.5) == "holds"
    assert equality_verdict(math.nextafter(0.5, 1.0), 0.25, tol=0.25, resolution=0.5) == "refuted"
    assert equality_verdict(math.nextafter(-0.5, -1.0), 0.25, tol=0.25, resolution=0.5) == "refuted"


def test_an_equality_holds_with_an_error_bar_exactly_at_the_resolution_and_not_above_it():
    """The resolution bounds the error bar inclusively: a test of resolution 0.25 with e = 0.25 still
    has the power asked of it; with e just above 0.25 it has not, and the verdict is withheld."""
    assert equality_verdict(0.0, 0.25, resolution=0.25) == "holds"
    assert equality_verdict(0.0, math.nextafter(0.25, 1.0), resolution=0.25) == "inconclusive"
    assert equality_verdict(0.0, RESOLUTION) == "holds"
    assert equality_verdict(0.0, 2 * RESOLUTION) == "inconclusive"


def test_an_equality_with_an_undefined_difference_is_inconclusive_and_the_sides_can_withhold_either_verdict():
    assert equality_verdict(math.nan, 0.0) == "inconclusive"
    assert equality_verdict(1.0, 0.0, may_refute=False) == "inconclusive"
    assert equality_verdict(0.0, 0.0, may_hold=False) == "inconclusive"


def test_a_one_sided_verdict_with_an_undefined_margin_is_inconclusive_whatever_its_error_bar():
    assert one_sided_verdict(math.nan, 0.0, 0.0) == "inconclusive"
    assert one_sided_verdict(math.nan, math.inf) == "inconclusive"


# ---------------------------------------------------------------------------
# compare: non-finite slack, ties, scale, sides
# ---------------------------------------------------------------------------

def test_an_infinite_slack_of_the_right_sign_holds_of_the_wrong_sign_is_refuted_and_nan_is_inconclusive():
    """An infinite slack has no error bar worth the name: its sign decides.  The comparison keeps its
    identity (name, reading, relation, sides, α), states the infinite margin with a zero error bar and
    no explanation, and leaves the power undefined (NaN)."""
    inf = Term(math.inf, side="estimate")
    held = compare("inf", 1.0, inf, "<=", alpha=0.01, reading="r")
    assert held == Comparison("inf", "r", "<=", Term.of(1.0), inf, math.inf, 0.0, 0.0, "holds", "", 0.01)
    assert math.isnan(held.detectable)
    broken = compare("inf", inf, 1.0, "<=", alpha=0.01, reading="r")
    assert (broken.verdict, broken.margin, broken.error_below, broken.error_above) == ("refuted", -math.inf, 0, 0)
    assert (broken.name, broken.reading, broken.relation, broken.lhs, broken.rhs, broken.why, broken.alpha) == (
        "inf", "r", "<=", inf, Term.of(1.0), "", 0.01)
    assert compare("inf", inf, 1.0, ">=").verdict == "holds"
    undefined = compare("nan", math.nan, 1.0, "<=")
    assert undefined.verdict == "inconclusive" and math.isnan(undefined.margin)
    assert compare("inf-inf", inf, inf, "<=").verdict == "inconclusive"   # ∞ − ∞ is NaN


INF_UP, INF_LOW = Term(math.inf, side="upper-bound"), Term(math.inf, side="lower-bound")
NEG_UP, NEG_LOW = Term(-math.inf, side="upper-bound"), Term(-math.inf, side="lower-bound")


@pytest.mark.parametrize("lhs, rhs, relation, expected", [
    # true lhs ≤ +inf says nothing: a ≤ claim is not refuted, a ≥ claim not proven.
    pytest.param(INF_UP, 1.0, "<=", "inconclusive", id="upper-bound-of-+inf-cannot-refute-le"),
    pytest.param(INF_UP, 1.0, ">=", "inconclusive", id="upper-bound-of-+inf-cannot-prove-ge"),
    pytest.param(1.0, INF_UP, "<=", "inconclusive", id="upper-bound-of-+inf-rhs-cannot-prove-le"),
    # true lhs ≥ +inf: the lhs is infinite, and the sign decides.
    pytest.param(INF_LOW, 1.0, "<=", "refuted", id="lower-bound-of-+inf-refutes-le"),
    pytest.param(INF_LOW, 1.0, ">=", "holds", id="lower-bound-of-+inf-proves-ge"),
    pytest.param(1.0, INF_LOW, "<=", "holds", id="lower-bound-of-+inf-rhs-proves-le"),
    # Mirror images at −inf.
    pytest.param(NEG_UP, 1.0, "<=", "holds", id="upper-bound-of--inf-proves-le"),
    pytest.param(NEG_LOW, 1.0, "<=", "inconclusive", id="lower-bound-of--inf-cannot-prove-le"),
    pytest.param(NEG_LOW, 1.0, ">=", "inconclusive", id="lower-bound-of--inf-cannot-refute-ge"),
    # An equality: lhs − rhs = +inf as an upper bound, or −inf as a lower bound, bounds nothing.
    pytest.param(INF_UP, 1.0, "==", "inconclusive", id="difference-upper-bound-of-+inf"),
    pytest.param(1.0, INF_UP, "==", "inconclusive", id="difference-lower-bound-of--inf"),
    pytest.param(INF_LOW, 1.0, "==", "refuted", id="difference-lower-bound-of-+inf"),
    pytest.param(1.0, INF_LOW, "==", "refuted", id="difference-upper-bound-of--inf"),
])
def test_an_infinite_bound_decides_only_in_the_direction_its_bias_cannot_fake(lhs, rhs, relation, expected):
    """The side rule of the finite case holds at infinity: a searched upper bound of +inf on the lhs of a
    ≤ claim says only 'true lhs ≤ ∞' and can never refute; a searched lower bound of +inf says 'true
    lhs ≥ ∞', so the lhs is infinite and its sign decides."""
    c = compare("x", lhs, rhs, relation)
    assert c.verdict == expected
    assert math.isinf(c.margin) and (c.error_below, c.error_above) == (0.0, 0.0)
    if expected == "inconclusive":
        assert "infinite" in c.why and "on the truth: no conclusion" in c.why
    else:
        assert c.why == ""


def test_an_infinite_bound_that_decides_nothing_says_which_side_it_is():
    assert compare("γ", INF_UP, 1.0, "<=").why == "the slack is an infinite lower bound on the truth: no conclusion"
    assert compare("γ", 1.0, INF_UP, "<=").why == "the slack is an infinite upper bound on the truth: no conclusion"
    assert compare("γ", INF_UP, 1.0, "==").why == (
        "the difference is an infinite upper bound on the truth: no conclusion")
    assert compare("γ", 1.0, INF_UP, "==").why == (
        "the difference is an infinite lower bound on the truth: no conclusion")


def test_an_infinite_difference_refutes_an_equality_and_an_undefined_one_is_inconclusive():
    inf = Term(math.inf, side="estimate")
    c = compare("eq", inf, 1.0, "==", alpha=0.02, reading="r")
    assert c == Comparison("eq", "r", "==", inf, Term.of(1.0), -math.inf, 0.0, 0.0, "refuted", "", 0.02)
    assert math.isnan(c.detectable)
    nan = compare("eq", math.nan, 1.0, "==", alpha=0.02, reading="r")
    assert (nan.verdict, nan.margin, nan.error_below, nan.error_above, nan.why, nan.alpha) == (
        "inconclusive", -math.inf, 0.0, 0.0, "", 0.02)
    assert (nan.name, nan.reading, nan.relation, nan.rhs) == ("eq", "r", "==", Term.of(1.0))
    assert math.isnan(nan.lhs.value)


def test_an_exact_tie_with_a_hard_error_bar_wider_than_tol_holds_but_a_sampled_tie_is_inconclusive():
    """With hard bounds only there is no sampling error to wait out: a tie (margin 0) counts as holds
    even when the rounding/quadrature bound (here 1e-3) exceeds TOL, and the error bar below the
    margin is reported as 0.  With a standard error the same tie lies within the error bar."""
    hard = compare("tie", Term(1.0, 1e-3), Term(1.0), "<=")
    assert (hard.verdict, hard.margin, hard.error_below) == ("holds", 0.0, 0.0)
    assert hard.error_above == pytest.approx(1e-3, rel=1e-12)   # 1e-3 plus EPS·|0|: exact up to one rounding
    sampled_tie = compare("tie", sampled(1.0, 1e-3), Term(1.0), "<=")
    assert sampled_tie.verdict == "inconclusive"
    assert sampled_tie.error_below == sampled_tie.error_above == pytest.approx(
        z_threshold(DEFAULT_ALPHA) * 1e-3, rel=1e-12)


def test_a_violation_within_a_hard_error_bar_is_not_refuted():
    """A violation of 5e-4 under a quadrature bound of 1e-3 may be an artefact of the bound: no alarm.
    (The error bar above the margin is the hard bound, even though the one below is 0.)"""
    c = compare("within", Term(1.0 + 5e-4, 1e-3), Term(1.0), "<=")
    assert c.verdict != "refuted"
    assert c.error_above == pytest.approx(1e-3, rel=1e-9)
    assert compare("beyond", Term(1.0 + 2e-3, 1e-3), Term(1.0), "<=").verdict == "refuted"


def test_the_margin_is_relative_to_rhs_then_to_lhs_when_rhs_is_zero_then_to_one():
    """scale = |rhs|; when rhs is 0 the margin would be infinite, so |lhs| serves; when both are 0, 1."""
    assert compare("x", Term(2.0), Term(0.0), "<=").margin == -1.0           # −2/|2|
    assert compare("x", Term(-4.0), Term(0.0), "<=").margin == 1.0           # 4/|−4|
    both_zero = compare("x", Term(0.0, 0.5), Term(0.0), "<=")
    assert (both_zero.margin, both_zero.error_above) == (0.0, 0.5)           # error bar 0.5/1, not 0.5/2
    assert compare("x", Term(1.0), Term(4.0), "<=").margin == 0.75            # 3/|4|


def test_a_stated_scale_is_used_as_it_is_and_a_non_positive_one_falls_back_to_one():
    assert compare("x", Term(1.0), Term(2.0), "<=", scale=0.5).margin == 2.0
    assert compare("x", Term(1.0), Term(2.0), "<=", scale=4.0).margin == 0.25
    assert compare("x", Term(1.0), Term(2.0), "<=", scale=0.0).margin == 1.0
    assert compare("x", Term(1.0), Term(2.0), "<=", scale=-4.0).margin == 1.0


def test_the_error_bar_is_z_alpha_standard_errors_in_the_units_of_the_margin():
    """h = (bound + z_α·se)/scale with the slack's errors: se 0.01 + 0.02 add linearly; the only bound is
    the rounding EPS·|3| of the sum, 3·EPS/4 ≈ 2e-16 against h ≈ 2.2e-2, so rel 1e-12 is safe.  The
    fewer degrees of freedom (9) win: a t quantile, scale |rhs| = 4."""
    c = compare("x", sampled(1.0, 0.01, dof=9), sampled(4.0, 0.02, dof=30), "<=", alpha=0.01)
    h = z_threshold(0.01, 9) * 0.03 / 4.0
    assert c.margin == 0.75
    assert (c.error_below, c.error_above) == (pytest.approx(h, rel=1e-12), pytest.approx(h, rel=1e-12))
    assert c.verdict == "holds" and c.why == "" and c.alpha == 0.01


def test_a_greater_or_equal_claim_is_the_less_or_equal_claim_turned_around():
    a, b = sampled(3.0, 0.1), Term(2.0)
    ge, le = compare("x", a, b, ">="), compare("x", b, a, "<=")
    assert ge.margin == pytest.approx(0.5, rel=1e-15) and le.margin == pytest.approx(1 / 3, rel=1e-15)
    assert ge.verdict == le.verdict == "holds"


@pytest.mark.parametrize("relation", ["<", "=", "!=", ""])
def test_an_unknown_relation_is_refused_naming_the_argument_and_the_value(relation):
    with pytest.raises(InvalidArgument) as err:
        compare("x", 1.0, 2.0, relation)
    assert err.value.argument == "relation"
    assert repr(relation) in str(err.value) and "<=, >= or ==" in str(err.value)


def test_a_comparison_without_a_reading_has_the_empty_reading():
    assert compare("x", 1.0, 2.0, "<=").reading == ""
    assert compare("x", 1.0, 2.0, "==").reading == ""


# The sides of one-sided estimates -------------------------------------------

def test_a_searched_upper_bound_on_the_lhs_of_a_le_claim_can_prove_holds_but_never_refuted():
    """γ found by search is ≥ the true γ: a violation on it may be the search's fault (no alarm, and
    the why says the slack is a lower bound on the truth), a satisfaction is only more so true."""
    gamma = Term(2.0, side="upper-bound")
    c = compare("γ", gamma, Term(1.0), "<=", alpha=0.01)
    assert c.verdict == "inconclusive" and math.isinf(c.detectable) and c.detectable > 0
    assert c.why == ("violated on the estimates, but an estimate errs towards violation by construction "
                     "(the slack is a lower bound on the truth), so this is no refutation")
    ok = compare("γ", Term(0.5, side="upper-bound"), Term(1.0), "<=")
    assert (ok.verdict, ok.why) == ("holds", "")


def test_a_searched_lower_bound_on_the_lhs_of_a_le_claim_can_refute_but_never_prove_holds():
    """L found by search is ≤ the true L: a violation is real, a satisfaction is not proven."""
    c = compare("L", Term(0.5, side="lower-bound"), Term(1.0), "<=")
    assert c.verdict == "inconclusive"
    assert c.why == "satisfied on the estimates, but the slack is an upper bound on the truth: not proven"
    bad = compare("L", Term(2.0, side="lower-bound"), Term(1.0), "<=")
    assert (bad.verdict, bad.why) == ("refuted", "")
    assert bad.detectable == pytest.approx(bad.error_above + TOL, abs=1e-15)


def test_a_one_sided_estimate_within_its_error_bar_says_so_rather_than_blaming_its_side():
    """Whichever way the side points, a margin inside ±h is 'within its error bar'; it is the side's
    fault only when the estimate is beyond its bar in the direction the side cannot decide."""
    within = "the margin is within its error bar"
    # upper-bound lhs (slack a lower bound), violation 1e-4 under a hard bound 1e-3:
    assert compare("x", Term(1.0 + 1e-4, 1e-3, side="upper-bound"), Term(1.0), "<=").why == within
    # lower-bound lhs (slack an upper bound), satisfaction 1e-4 under a hard bound 1e-3:
    assert compare("x", Term(1.0 - 1e-4, 1e-3, side="lower-bound"), Term(1.0), "<=").why == within
    # A plain estimate within its error bar:
    assert compare("x", sampled(1.0 + 1e-4, 1e-3), Term(1.0), "<=").why == within


def test_at_the_edge_of_the_error_bar_the_side_is_blamed_only_beyond_tol():
    """Margin ≈ ∓h up to rounding (≈ 1e-16 ≪ TOL): a violation as large as its bar is within the bar
    (m + h ≥ −TOL), a satisfaction as large as its bar is beyond it (m − h ≥ −TOL)."""
    edge_violation = compare("x", Term(1.0 + 1e-3, 1e-3, side="upper-bound"), Term(1.0), "<=")
    assert abs(edge_violation.margin + edge_violation.error_above) < 1e-12
    assert edge_violation.why == "the margin is within its error bar"
    edge_satisfaction = compare("x", Term(1.0 - 1e-3, 1e-3, side="lower-bound"), Term(1.0), "<=")
    assert abs(edge_satisfaction.margin - edge_satisfaction.error_above) < 1e-12
    assert edge_satisfaction.why.startswith("satisfied on the estimates")
    # With tol = 0.1 a violation 0.05 beyond its bar is still within the stated margin: not the side's fault.
    loose = compare("x", Term(1.5, 0.45, side="upper-bound"), Term(1.0), "<=", tol=0.1)
    assert loose.why == "the margin is within its error bar"


def test_the_explanation_uses_the_verdicts_own_inequalities_at_their_boundaries():
    """At m + h = −tol exactly a violation is not refuted (strict <): so it is 'within its error bar',
    not blamed on the side.  At m − h = −tol exactly a satisfaction would hold (≥): so it is blamed on
    the side.  tol is read off a probe so that the equality is exact in floating point."""
    lhs = Term(1.5, 0.25, side="upper-bound")           # slack −0.5, h = 0.25 + EPS/2 (rounding of the sum)
    probe = compare("x", lhs, Term(1.0), "<=", tol=0.0)
    tol = -(probe.margin + probe.error_above)
    assert 0.25 - 1e-15 < tol <= 0.25
    assert compare("x", lhs, Term(1.0), "<=", tol=tol).why == "the margin is within its error bar"
    lhs = Term(0.75, 0.5, side="lower-bound")            # slack +0.25, h = 0.5 + EPS/4: tol = 0.25 + EPS/4
    probe = compare("x", lhs, Term(1.0), "<=", tol=0.0)
    tol = -(probe.margin - probe.error_above)
    assert 0.25 <= tol < 0.25 + 1e-15
    assert compare("x", lhs, Term(1.0), "<=", tol=tol).why.startswith("satisfied on the estimates")


def test_searched_upper_bounds_on_both_sides_are_mixed_and_decide_nothing():
    c = compare("x", Term(1.0, side="upper-bound"), Term(3.0, side="upper-bound"), "<=")
    assert c.verdict == "inconclusive" and math.isinf(c.detectable)
    assert c.why == "satisfied on the estimates, but the slack is a sum of an upper and a lower bound, with no known side of the truth: not proven"


# The sides of an equality ----------------------------------------------------

def test_an_equality_of_a_lower_bound_above_the_truth_side_can_be_refuted_but_not_confirmed():
    """lhs − rhs a lower bound of the true difference: a positive value (0.5) proves the true
    difference positive, so the equality is refuted; a zero value proves nothing either way."""
    c = compare("eq", Term(1.5, side="lower-bound"), Term(1.0), "==")
    assert (c.verdict, c.margin, c.why) == (
        "refuted", -0.5, "the difference is a lower bound on the truth: equality cannot be confirmed")
    assert c.detectable == pytest.approx(c.error_above + TOL, abs=1e-15)
    tie = compare("eq", Term(1.0, side="lower-bound"), Term(1.0), "==")
    assert tie.verdict == "inconclusive" and math.isinf(tie.detectable)
    below = compare("eq", Term(0.5, side="lower-bound"), Term(1.0), "==")
    assert below.verdict == "inconclusive" and math.isinf(below.detectable)


def test_an_equality_of_an_upper_bound_is_refuted_only_below_the_truth():
    assert compare("eq", Term(0.5, side="upper-bound"), Term(1.0), "==").verdict == "refuted"
    above = compare("eq", Term(1.5, side="upper-bound"), Term(1.0), "==")
    assert above.verdict == "inconclusive"
    assert above.why == "the difference is an upper bound on the truth: equality cannot be confirmed"
    tie = compare("eq", Term(1.0, side="upper-bound"), Term(1.0), "==")
    assert tie.verdict == "inconclusive" and math.isinf(tie.detectable)   # a tie of a bound can never refute


def test_an_equality_uses_alpha_over_two_per_side_and_reports_the_same_bar_both_ways():
    """h = z(α/2)·se/scale (two-sided test); scale 4, se 0.04, α 0.01 ⇒ h = 2.5758·0.01.  The margin
    is −|d|/scale whichever side is larger.  rel 1e-12: the EPS·|value| bounds are ≈ 1e-16 of h."""
    c = compare("eq", sampled(4.2, 0.04), Term(4.0), "==", alpha=0.01, reading="r")
    h = z_threshold(0.005) * 0.04 / 4.0
    assert (c.error_below, c.error_above) == (pytest.approx(h, rel=1e-12), pytest.approx(h, rel=1e-12))
    assert c.margin == pytest.approx(-0.05, rel=1e-12)
    assert compare("eq", sampled(3.8, 0.04), Term(4.0), "==", alpha=0.01).margin == pytest.approx(-0.05, rel=1e-12)
    assert (c.name, c.reading, c.relation, c.lhs, c.rhs, c.alpha, c.why) == (
        "eq", "r", "==", sampled(4.2, 0.04), Term(4.0), 0.01, "")
    # The verdict reads the relative difference: 0.04/4 = 0.01 ≤ h + TOL holds (0.04 absolute would too,
    # but 0.04·4 = 0.16 would not).
    assert compare("eq", sampled(4.04, 0.04), Term(4.0), "==", alpha=0.01).verdict == "holds"
    # 0.05 > h + TOL = 0.0258: refuted.  Its power: δ ≥ h + TOL + z_0.95·se/scale (abs 1e-15: ≫ rounding, ≪ TOL).
    assert c.verdict == "refuted"
    assert c.detectable == pytest.approx(h + TOL + Z95 * 0.04 / 4.0, abs=1e-15)


def test_an_equality_stated_with_a_coarse_resolution_holds_where_the_default_withholds_it():
    lhs, rhs = sampled(1.0, 0.05), Term(1.0)          # h = z(5e-4)·0.05 = 0.165 > 5 %
    assert compare("eq", lhs, rhs, "==").verdict == "inconclusive"
    assert compare("eq", lhs, rhs, "==", resolution=0.2).verdict == "holds"
    assert compare("eq", Term(1.0, 0.1), rhs, "==", tol=0.0, resolution=0.1).verdict == "holds"


def test_an_equality_off_by_more_than_tol_alone_is_refuted_and_by_less_holds():
    assert compare("eq", Term(1.0 + 1e-8), Term(1.0), "==").verdict == "refuted"
    assert compare("eq", Term(1.0 + 1e-10), Term(1.0), "==").verdict == "holds"
    assert compare("eq", Term(1.0 + 1e-8), Term(1.0), "==", tol=1e-7).verdict == "holds"
    # The power states the same margin: an exact difference refutes beyond bound/scale + tol.
    exact_diff = compare("eq", Term(1.5, side="lower-bound"), Term(1.0), "==", tol=0.0)
    assert exact_diff.detectable == exact_diff.error_above


def test_a_one_sided_comparison_applies_the_stated_tol_not_the_default():
    """A violation of 1e-8 (10·TOL, far above rounding 1e-16) is refuted under TOL, not under tol = 1e-7."""
    assert compare("x", Term(1.0 + 1e-8), Term(1.0), "<=").verdict == "refuted"
    assert compare("x", Term(1.0 + 1e-8), Term(1.0), "<=", tol=1e-7).verdict == "holds"


# ---------------------------------------------------------------------------
# The power of a comparison (detectable_violation)
# ---------------------------------------------------------------------------

def test_with_hard_bounds_only_every_violation_beyond_the_bar_plus_tol_is_detected():
    """δ = bound/scale + TOL: beyond it the comparison always refutes (no sampling error)."""
    assert detectable_violation(Term(0.0, 0.5), 0.01, 2.0) == 0.25 + TOL
    assert detectable_violation(Term(0.0, 0.5), 0.01, 2.0, tol=0.25) == 0.5


def test_with_a_standard_error_the_detectable_violation_adds_the_power_quantile():
    """δ = (bound + z_α·se)/scale + TOL + z_0.95·se/scale, with the t quantiles at the slack's dof.
    abs 1e-15: the formula is evaluated the same way, so only rounding (≈ 1e-17) separates them."""
    slack = Term(0.0, 0.02, 0.01, 5, "estimate")
    expected = (0.02 + z_threshold(0.01, 5) * 0.01) / 2.0 + TOL + z_threshold(0.05, 5) * 0.01 / 2.0
    assert detectable_violation(slack, 0.01, 2.0) == pytest.approx(expected, abs=1e-15)
    unit = Term(0.0, 0.0, 1.0, None, "estimate")          # a standard error of exactly 1 is still sampling error
    assert detectable_violation(unit, 0.05, 10.0, tol=0.0) == pytest.approx(2 * Z95 / 10.0, abs=1e-15)
    normal = Term(0.0, 0.0, 0.01, None, "estimate")
    assert detectable_violation(normal, 0.05, 1.0, tol=0.0) == pytest.approx(2 * Z95 * 0.01, abs=1e-15)


def test_a_one_sided_comparison_reports_its_power_at_its_own_alpha_and_scale():
    """compare passes its α, scale and tol on: (z(0.01)·0.04)/4 + TOL + z_0.95·0.04/4."""
    c = compare("x", sampled(3.0, 0.04), Term(4.0), "<=", alpha=0.01)
    expected = (z_threshold(0.01) + Z95) * 0.04 / 4.0 + TOL
    assert c.detectable == pytest.approx(expected, abs=1e-15)
    assert compare("x", Term(3.0, 0.5), Term(4.0), "<=", tol=0.0).detectable == pytest.approx(0.125, abs=1e-15)


def test_a_comparison_tuned_to_its_detectable_violation_refutes_at_about_the_stated_power():
    """The definition checked by its consequence: with the true margin at −δ and m̂ ~ N(−δ, se),
    P[m̂ + h < −TOL] = Φ((δ − h − TOL)/se) = Φ(z_0.95) = 0.95 (computed, not sampled)."""
    se, alpha = 0.01, 1e-3
    slack = Term(0.0, 0.0, se, None, "estimate")
    delta = detectable_violation(slack, alpha, 1.0)
    h = slack.half_width(alpha)
    assert stats.norm.cdf((delta - h - TOL) / se) == pytest.approx(POWER, rel=1e-12)


# ---------------------------------------------------------------------------
# Bonferroni over the comparisons of one check (compare_all)
# ---------------------------------------------------------------------------

def _spec_at(violation, se=0.01, name="s"):
    """lhs = 1 + violation ± se ≤ rhs = 1 (exact, no bound): margin −violation, error bar z·se."""
    return Spec(name, sampled(1.0 + violation, se), Term(1.0), "<=", "r")


def test_the_bonferroni_split_gives_each_of_k_comparisons_alpha_over_k():
    """k = 4, α = 1e-3: each comparison gets α/4 = 2.5e-4, z = 3.48.  A violation of z·se + TOL − ε is not
    refuted, one of z·se + TOL + ε is (ε = 1e-6: ≫ the rounding of values near 1, ≪ the gap to
    z(1e-3)·se = 0.0309 or z(α/3)·se that a wrong split would give)."""
    z, se, eps = z_threshold(2.5e-4), 0.01, 1e-6
    inside = [_spec_at(z * se + TOL - eps, name=f"s{i}") for i in range(4)]
    beyond = [_spec_at(z * se + TOL + eps, name=f"s{i}") for i in range(4)]
    assert [c.verdict for c in compare_all(inside, 1e-3)] == ["inconclusive"] * 4
    assert [c.verdict for c in compare_all(beyond, 1e-3)] == ["refuted"] * 4
    assert [c.alpha for c in compare_all(beyond, 1e-3)] == [2.5e-4] * 4
    assert [c.name for c in compare_all(beyond, 1e-3)] == ["s0", "s1", "s2", "s3"]


def test_a_single_comparison_keeps_the_whole_alpha_and_no_comparison_gives_no_result():
    z, se, eps = z_threshold(1e-3), 0.01, 1e-6
    assert compare_all([_spec_at(z * se + TOL + eps)], 1e-3)[0].verdict == "refuted"
    assert compare_all([_spec_at(z * se + TOL - eps)], 1e-3)[0].verdict == "inconclusive"
    assert compare_all([_spec_at(0.0)], 1e-3)[0].alpha == 1e-3
    assert compare_all([], 1e-3) == []


def test_compare_all_passes_each_spec_through_unchanged():
    specs = [
        Spec("a", Term(1.0), Term(2.0), "<=", "first", scale=0.5),
        Spec("b", sampled(1.0, 0.05), Term(1.0), "==", "second", resolution=0.5),
        Spec("c", Term(3.0), Term(2.0), ">=", "third"),
    ]
    a, b, c = compare_all(specs, 3e-3)
    assert (a.name, a.reading, a.relation, a.margin, a.verdict) == ("a", "first", "<=", 2.0, "holds")
    assert (b.name, b.reading, b.relation, b.verdict) == ("b", "second", "==", "holds")   # resolution 0.5
    assert (c.name, c.reading, c.relation, c.margin) == ("c", "third", ">=", 0.5)
    assert a.alpha == b.alpha == c.alpha == pytest.approx(1e-3, rel=1e-15)


# ---------------------------------------------------------------------------
# Clopper–Pearson comparisons (comparison_from_interval) and bounds
# ---------------------------------------------------------------------------

def test_an_interval_compared_with_a_lower_threshold_uses_its_distances_as_asymmetric_bars():
    """q ≥ t with q̂ = 0.875, [0.8125, 1.0] (binary-exact), t = 0.5: margin (0.875 − 0.5)/0.5 = 0.75,
    below (0.875 − 0.8125)/0.5 = 0.125, above (1.0 − 0.875)/0.5 = 0.25; 0.75 − 0.125 ≥ 0: holds."""
    c = comparison_from_interval("p", "r", 0.875, 0.8125, 1.0, 0.5, ">=", 1e-4, what="cp", detectable=0.125)
    assert c == Comparison("p", "r", ">=", Term(0.875, 0.0, 0.0, None, "estimate", "cp"), Term(0.5),
                           0.75, 0.125, 0.25, "holds", "", 1e-4, 0.125)
    assert c.margin_error == 0.125        # a satisfied margin is reported with its bar below
    unnamed = comparison_from_interval("p", "r", 0.875, 0.8125, 1.0, 0.5, ">=", 1e-4)
    assert unnamed.lhs.method == "ci"


def test_an_interval_compared_with_an_upper_threshold_swaps_the_bars():
    """q ≤ t with q̂ = 0.25, [0.125, 0.5], t = 0.5: margin 0.25/0.5 = 0.5, below (upper − q̂)/t = 0.5,
    above (q̂ − lower)/t = 0.25; margin − below = 0 exactly, which holds (tol is 0 here)."""
    c = comparison_from_interval("p", "r", 0.25, 0.125, 0.5, 0.5, "<=", 1e-4)
    assert (c.margin, c.error_below, c.error_above, c.verdict) == (0.5, 0.5, 0.25, "holds")
    assert c.lhs == Term(0.25, 0.0, 0.0, None, "estimate", "ci") and c.rhs == Term(0.5)
    assert (c.name, c.reading, c.relation, c.why, c.alpha) == ("p", "r", "<=", "", 1e-4)
    assert math.isnan(c.detectable)
    violated = comparison_from_interval("p", "r", 0.75, 0.625, 0.875, 0.5, "<=", 1e-4)
    assert (violated.margin, violated.error_below, violated.error_above, violated.verdict) == (
        -0.5, 0.25, 0.25, "refuted")
    assert violated.margin_error == 0.25   # a violated margin is reported with its bar above


def test_the_far_end_of_an_interval_withholds_holds_even_when_the_near_end_would_not():
    """q ≤ t with q̂ = 0.375, [0.25, 0.625], t = 0.5: margin 0.25, bar below (0.625 − 0.375)/0.5 = 0.5,
    bar above 0.25.  The upper end lies above the threshold: not proven (a symmetric bar of 0.25 would
    have said holds), nor refuted."""
    c = comparison_from_interval("p", "r", 0.375, 0.25, 0.625, 0.5, "<=", 1e-4)
    assert (c.margin, c.error_below, c.error_above, c.verdict) == (0.25, 0.5, 0.25, "inconclusive")


def test_an_exact_interval_has_no_numerical_margin():
    """Clopper–Pearson bounds are exact quantiles: an upper bound 2^-31 (≈ 4.7e-10 < TOL) below the
    threshold already refutes 'q ≥ t', and a lower bound exactly at it already holds."""
    tiny = 2.0 ** -31
    refuted = comparison_from_interval("p", "r", 0.5, 0.25, 1.0 - tiny, 1.0, ">=", 1e-4)
    assert (refuted.margin + refuted.error_above, refuted.verdict) == (-tiny, "refuted")
    held = comparison_from_interval("p", "r", 0.75, 0.5, 0.875, 0.5, ">=", 1e-4)
    assert (held.margin - held.error_below, held.verdict) == (0.0, "holds")
    assert comparison_from_interval("p", "r", 0.5, 0.25, 1.0, 1.0, ">=", 1e-4).verdict == "inconclusive"


def test_an_interval_against_a_zero_threshold_has_an_absolute_margin():
    c = comparison_from_interval("p", "r", 0.25, 0.125, 0.5, 0.0, "<=", 1e-4)
    assert (c.margin, c.error_below, c.error_above, c.verdict) == (-0.25, 0.25, 0.125, "refuted")
    g = comparison_from_interval("p", "r", 0.25, 0.125, 0.5, 0.0, ">=", 1e-4)
    assert (g.margin, g.error_below, g.error_above, g.verdict) == (0.25, 0.125, 0.25, "holds")
    # A threshold of 1 is its own scale.
    assert comparison_from_interval("p", "r", 0.5, 0.25, 0.75, 1.0, ">=", 1e-4).margin == -0.5


def test_clopper_pearsons_one_sided_upper_bound_at_s_equals_n_is_one_and_its_lower_bound_at_zero_is_zero():
    assert clopper_pearson(20, 20, level=0.999, alternative="less") == (0.0, 1.0)
    assert clopper_pearson(0, 20, level=0.999, alternative="greater") == (0.0, 1.0)


def test_clopper_pearsons_one_sided_bounds_have_closed_forms_at_the_extremes():
    """S = n: the one-sided lower bound solves p^n = α; S = 0: the upper bound solves (1 − p)^n = α
    (rel 1e-9: scipy's beta quantile is accurate to ~1e-14 here)."""
    alpha, n = 1e-3, 40
    lo, hi = clopper_pearson(n, n, level=1 - alpha, alternative="greater")
    assert lo == pytest.approx(alpha ** (1 / n), rel=1e-9) and hi == 1.0
    lo, hi = clopper_pearson(0, n, level=1 - alpha, alternative="less")
    assert lo == 0.0 and hi == pytest.approx(1 - alpha ** (1 / n), rel=1e-9)


def test_a_perfect_record_never_refutes_a_success_rate_and_a_clear_shortfall_does():
    """150/150 successes against P ≥ 0.9: the one-sided upper bound is 1, no alarm.  100/150 (0.667)
    against 0.9 at α = 1e-4: the upper bound (≈ 0.77) is below 0.9: refuted."""
    _, hi = clopper_pearson(150, 150, level=1 - 1e-4, alternative="less")
    c = comparison_from_interval("p", "r", 1.0, 0.0, hi, 0.9, ">=", 1e-4)
    assert c.verdict != "refuted"
    _, hi = clopper_pearson(100, 150, level=1 - 1e-4, alternative="less")
    assert hi < 0.9
    assert comparison_from_interval("p", "r", 100 / 150, 0.0, hi, 0.9, ">=", 1e-4).verdict == "refuted"


# ---------------------------------------------------------------------------
# The closest call (worst, group_worst) and aggregation
# ---------------------------------------------------------------------------

def _c(name, margin, verdict, reading="r", detectable=0.1):
    return Comparison(name, reading, "<=", Term(0.0), Term(1.0), margin, 0.0, 0.0, verdict, "", 1e-3, detectable)


def test_the_closest_call_is_a_refuted_comparison_even_when_another_has_a_smaller_margin():
    """A refutation is the most telling: an inconclusive −0.9 does not hide a refuted −0.2."""
    cs = [_c("a", -0.9, "inconclusive"), _c("b", -0.2, "refuted"), _c("c", -0.5, "refuted"), _c("d", 0.1, "holds")]
    assert worst(cs).name == "c"
    assert worst(cs[:2]).name == "b"


def test_without_a_refutation_the_closest_call_is_the_smallest_margin_and_nan_margins_come_last():
    cs = [_c("a", math.nan, "inconclusive"), _c("b", 0.3, "holds"), _c("c", 0.1, "holds")]
    assert worst(cs).name == "c"
    assert worst([_c("a", math.nan, "inconclusive"), _c("b", 0.3, "holds")]).name == "b"
    assert worst([_c("a", math.nan, "inconclusive"), _c("b", math.nan, "inconclusive")]).name == "a"
    assert worst([_c("a", math.nan, "refuted"), _c("b", -math.inf, "refuted")]).name == "b"


def test_group_worst_keeps_per_reading_and_name_prefix_the_closest_call_with_the_groups_verdict():
    """Names 'γ @ θ=…' group under 'γ'; the group refutes if any member does, holds if all do; it
    detects what its weakest member detects (the largest detectable violation)."""
    cs = [
        _c("γ @ θ=0.1", 0.3, "holds", detectable=0.01),
        _c("γ @ θ=0.2", 0.05, "inconclusive", detectable=0.2),
        _c("L", 0.4, "holds", detectable=0.02),
        _c("γ @ θ=0.3", 0.2, "holds", detectable=0.05),
        _c("γ @ θ=0.1", -0.5, "refuted", reading="other", detectable=0.03),
        _c("L @ x", 0.2, "holds", detectable=0.07),
    ]
    out = group_worst(cs)
    assert [(c.name, c.reading, c.verdict, c.margin, c.detectable) for c in out] == [
        ("γ @ θ=0.2", "r", "inconclusive", 0.05, 0.2),
        ("L @ x", "r", "holds", 0.2, 0.07),
        ("γ @ θ=0.1", "other", "refuted", -0.5, 0.03),
    ]
    # Everything else is the closest call's own.
    w = cs[1]
    g = out[0]
    assert (g.relation, g.lhs, g.rhs, g.error_below, g.error_above, g.why, g.alpha) == (
        w.relation, w.lhs, w.rhs, w.error_below, w.error_above, w.why, w.alpha)


def test_group_worst_splits_names_at_the_at_sign_only():
    """'‖g‖ ≤ L @ θ' and '‖g‖ ≥ 0 @ θ' are two statements (their prefixes differ after the first word)."""
    cs = [_c("‖g‖ ≤ L @ θ=0.1", 0.1, "holds"), _c("‖g‖ ≥ 0 @ θ=0.1", 0.2, "holds"), _c("‖g‖ ≤ L @ θ=0.2", 0.3, "holds")]
    assert [c.name for c in group_worst(cs)] == ["‖g‖ ≤ L @ θ=0.1", "‖g‖ ≥ 0 @ θ=0.1"]


def test_group_worst_keeps_the_closest_calls_error_bars_and_explanation():
    a = Comparison("x @1", "r", ">=", Term(1.0), Term(2.0), -0.5, 0.125, 0.25, "inconclusive", "why a", 0.01, 0.3)
    b = Comparison("x @2", "r", ">=", Term(3.0), Term(2.0), 0.5, 0.0, 0.0, "holds", "", 0.02, 0.1)
    (g,) = group_worst([b, a])
    assert g == a


def test_aggregation_of_a_single_verdict_is_that_verdict():
    for v in ("holds", "refuted", "inconclusive"):
        assert aggregate([v]) == v
    assert aggregate(iter(["holds", "holds"])) == "holds"      # any iterable, consumed once


# ---------------------------------------------------------------------------
# The JSON form of a comparison
# ---------------------------------------------------------------------------

def test_a_comparison_serializes_its_sides_at_its_own_alpha_and_its_non_finite_numbers_as_strings():
    """A side with both a bound (0.02) and a standard error (0.01) is reported as a standard error
    se + bound/z(α), at the comparison's α (0.05 here, not the default 1e-3), so that z·error is the
    bar used."""
    lhs = Term(1.0, 0.02, 0.01, None, "estimate", "mc")
    c = Comparison("n", "r", "<=", lhs, Term(2.0), 0.5, 0.25, 0.125, "holds", "", 0.05, math.inf)
    d = c.to_dict()
    assert list(d) == ["name", "reading", "relation", "lhs", "rhs", "margin", "margin_error", "verdict", "why",
                       "detectable"]
    assert (d["name"], d["reading"], d["relation"], d["margin"], d["margin_error"], d["verdict"], d["why"]) == (
        "n", "r", "<=", 0.5, 0.25, "holds", "")
    assert d["detectable"] == "inf"
    assert d["lhs"]["error"] == pytest.approx(0.01 + 0.02 / z_threshold(0.05), rel=1e-12)
    assert d["lhs"]["error_kind"] == "standard-error" and d["lhs"]["value"] == 1.0
    assert d["rhs"] == jsonable(Term(2.0).to_estimate(0.05).to_dict())
    assert d["rhs"]["value"] == 2.0 and d["rhs"]["error_kind"] == "exact"
    flipped = Comparison("n", "r", ">=", Term(2.0), lhs, 0.5, 0.25, 0.125, "holds", "", 0.05).to_dict()
    assert flipped["rhs"]["error"] == pytest.approx(0.01 + 0.02 / z_threshold(0.05), rel=1e-12)
    violated = Comparison("n", "r", "<=", lhs, Term(2.0), -0.5, 0.25, 0.125, "refuted", "", 0.05, math.nan)
    assert violated.to_dict()["margin_error"] == 0.125 and violated.to_dict()["detectable"] == "nan"
    assert Comparison("n", "r", "<=", lhs, Term(2.0), -math.inf, 0, 0, "refuted").to_dict()["margin"] == "-inf"


def test_the_error_kind_in_json_follows_the_side():
    c = Comparison("n", "r", "<=", Term(1.0, 1e-3, side="upper-bound"), Term(2.0, 1e-16), 0.5, 0.0, 0.0, "holds")
    d = c.to_dict()
    assert (d["lhs"]["error_kind"], d["lhs"]["kind"], d["lhs"]["error"]) == ("absolute-bound", "upper-bound", 1e-3)
    assert (d["rhs"]["error_kind"], d["rhs"]["kind"]) == ("exact", "exact")


def test_eps_is_the_float64_machine_epsilon():
    assert EPS == 2.0 ** -52


# ---------------------------------------------------------------------------
# Term arithmetic (verify/checker/terms.py): the error budget the verdict reads
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, expected", [
    ("exact", "exact", "exact"), ("exact", "estimate", "estimate"), ("estimate", "estimate", "estimate"),
    ("exact", "upper-bound", "upper-bound"), ("estimate", "lower-bound", "lower-bound"),
    ("upper-bound", "upper-bound", "upper-bound"), ("upper-bound", "lower-bound", "mixed"),
    ("mixed", "exact", "mixed"), ("lower-bound", "mixed", "mixed"),
])
def test_a_sum_keeps_a_side_only_when_no_two_sides_pull_apart(a, b, expected):
    """An upper bound plus an exact or unbiased value is an upper bound; plus a lower bound, nothing."""
    assert (Term(1.0, side=a) + Term(1.0, side=b)).side == expected
    assert (Term(1.0, side=b) + Term(1.0, side=a)).side == expected


def test_negation_flips_the_bound_sides_and_keeps_every_error():
    t = Term(2.0, 0.5, 0.25, 7, "upper-bound", "quad")
    assert -t == Term(-2.0, 0.5, 0.25, 7, "lower-bound", "quad")
    assert (-Term(2.0, side="lower-bound")).side == "upper-bound"
    for side in ("exact", "estimate", "mixed"):
        assert (-Term(2.0, side=side)).side == side


def test_a_factor_scales_errors_by_its_magnitude_and_a_negative_one_flips_the_side():
    """c·t: bound |c|·bound + EPS·|c·value| (one rounding of the product), se |c|·se, dof and method kept."""
    t = Term(2.0, 0.5, 0.25, 7, "upper-bound", "quad")
    assert t * -4.0 == Term(-8.0, 2.0 + 8.0 * EPS, 1.0, 7, "lower-bound", "quad")
    assert 4.0 * t == Term(8.0, 2.0 + 8.0 * EPS, 1.0, 7, "upper-bound", "quad")
    assert t * 0.0 == Term(0.0)                       # zero times anything is exactly zero
    assert (t * 0.5).side == "upper-bound"             # any factor ≥ 0 keeps the side
    for side in ("exact", "estimate", "mixed"):
        assert (Term(2.0, side=side) * -1.0).side == side
    with pytest.raises(TypeError, match=r"^multiply Terms with Term\.times \(first-order error propagation\)$"):
        t * Term(1.0)


def test_a_sum_adds_bounds_and_standard_errors_plus_one_rounding_and_names_both_methods():
    s = Term(1.0, 0.5, 0.25, 7, "exact", "quad") + Term(2.0, 0.25, 0.5, None, "exact", "mc")
    assert s == Term(3.0, 0.75 + 3.0 * EPS, 0.75, 7, "exact", "quad+mc")
    assert (Term(1.0, method="mc") + Term(1.0, method="mc")).method == "mc"
    # 5.0 is exact up to its own two roundings (10·EPS), then one rounding of the difference (3·EPS).
    assert (5.0 - Term(2.0, 0.5, side="upper-bound")) == Term(3.0, 10 * EPS + 0.5 + 3.0 * EPS, 0.0, None, "lower-bound")


def test_a_term_from_an_estimate_reads_its_error_as_a_standard_error_or_a_hard_bound():
    from verify.results import Estimate
    sampled_est = Estimate(1.0, 0.1, "standard-error", "mc", kind="estimate", dof=9)
    assert Term.of(sampled_est) == Term(1.0, 0.0, 0.1, 9, "estimate", "mc")
    bounded = Estimate(1.0, 0.1, "absolute-bound", "quad", kind="lower-bound")
    assert Term.of(bounded) == Term(1.0, 0.1, 0.0, None, "lower-bound", "quad")
    # A plain number is exact up to two roundings of its own; an infinite one has no rounding bound.
    assert Term.of(3.0) == Term(3.0, 6.0 * EPS)
    assert Term.of(-math.inf) == Term(-math.inf, 0.0)
    t = Term(1.0, 0.5)
    assert Term.of(t) is t


def test_a_terms_estimate_for_the_report_carries_the_error_bar_actually_used():
    """With se > 0: error = se + bound/z(α) so that z(α)·error = z·se + bound (the bar of the verdict)."""
    t = Term(1.0, 0.02, 0.01, 5, "upper-bound", "mc")
    e = t.to_estimate(0.05)
    assert (e.value, e.error_kind, e.method, e.kind, e.dof) == (1.0, "standard-error", "mc", "upper-bound", 5)
    assert e.error == pytest.approx(0.01 + 0.02 / z_threshold(0.05, 5), rel=1e-12)
    assert t.to_estimate().error == pytest.approx(0.01 + 0.02 / z_threshold(DEFAULT_ALPHA, 5), rel=1e-12)
    hard = Term(1.0, 0.02, 0.0, None, "mixed", "quad").to_estimate()
    assert (hard.error, hard.error_kind, hard.kind, hard.method) == (0.02, "absolute-bound", "estimate", "quad")
    exact = Term(1.0, 1e-16).to_estimate()
    assert (exact.error, exact.error_kind, exact.kind) == (1e-16, "exact", "exact")
    inf = Term(math.inf, 0.5, 0.1, 3, "lower-bound", "grid").to_estimate()
    assert (inf.value, inf.error, inf.error_kind, inf.method, inf.kind) == (math.inf, 0.0, "exact", "grid",
                                                                           "lower-bound")


def test_z_threshold_is_the_one_sided_normal_or_t_quantile_and_refuses_alpha_outside_zero_one():
    assert z_threshold(0.05) == pytest.approx(Z95, rel=1e-15)
    t4 = float(stats.t.isf(0.05, 4))                   # 2.1318…, the table's t_4(0.95)
    assert z_threshold(0.05, 4) == t4 and round(t4, 4) == 2.1318
    assert Term(0.0, 0.5, 0.1, 4).half_width(0.05) == pytest.approx(0.5 + 0.1 * t4, rel=1e-15)
    assert Term(0.0, 0.5).half_width(1e-300) == 0.5     # no standard error: the hard bound alone
    for bad in (0.0, 1.0, -0.1, 1.5, math.nan):
        with pytest.raises(InvalidArgument) as err:
            z_threshold(bad)
        assert err.value.argument == "alpha" and "must lie in (0, 1)" in str(err.value)

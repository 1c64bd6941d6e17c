"""The adversary's local refinement (verify.checker.refine) and the law families it moves in (verify.laws.families).

Specification: the refinement (a) moves an instance only through its declared
coordinates, exactly (encode then decode is the identity); (b) never raises the
smallest margin it starts from, and is deterministic; (c) finds violations the
random search did not draw — it refutes the halved upper bound of Theorem 2.2
from a finite law on which the halved bound holds by a margin of 0.25; (d) is
recorded in the claims document (closest call found by refinement, its budget).
"""
from __future__ import annotations

import numpy as np
import pytest

from verify.experiments.profiles import get_profile
from verify.checker.search import run_search
from verify.checker.context import ConstantsCache
from verify.checker.refine import (PENALTY, Refinement, boundary_atoms, boundary_rows, chart, radius, refine_search,
                                   step_fraction, student)
from verify.run import summarize_claim
from verify.claims import get_claim
from verify.laws.builtin import Empirical
from verify.laws.families import FAMILIES, family_noise, get_family
from verify.validation import InvalidArgument

HALVED = {"control_scale": {"gradient-norm-upper-bound": 0.5}}


def test_a_chart_decodes_its_own_encoding_to_the_same_instance():
    law = Empirical(np.array([[1.0, 0.2], [-0.3, 2.0], [0.5, -1.0]]))
    instance = {"dist": law, "w_star": np.array([1.0, 0.0]), "w": np.array([0.7, 0.3]), "eta_fraction": 0.4}
    coords = chart(student(), step_fraction(), boundary_atoms(per_line=1))
    x = coords.encode(instance)
    assert x.shape == (2 + 1 + 2 * 2,)
    moved = coords.at(instance, x)
    np.testing.assert_array_equal(moved["w"], instance["w"])
    assert moved["eta_fraction"] == instance["eta_fraction"]
    np.testing.assert_array_equal(moved["dist"].support(), law.support())


def test_a_radius_is_kept_in_its_domain():
    coords = radius("alpha", lambda p: 1.0 / p)
    assert coords.at({"p": 4, "alpha": 0.1}, np.array([7.0]))["alpha"] == 0.25      # clipped to the cap 1/p
    assert coords.at({"p": 4, "alpha": 0.1}, np.array([-1.0]))["alpha"] > 0


def test_boundary_rows_are_the_atoms_nearest_each_hyperplane_without_repeats():
    atoms = np.array([[[3.0, 0.01]], [[0.02, 5.0]], [[1.0, 1.0]], [[0.0, -1.0]]])
    e1, e2 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert boundary_rows(atoms, [e1], 2).tolist() == [3, 1]          # nearest e1⊥ = the e2 axis
    assert boundary_rows(atoms, [e1, e2], 1).tolist() == [3, 0]
    assert boundary_rows(atoms, [e1, e1], 1).tolist() == [3, 1]      # no repeats


def test_family_members_are_seeded_finite_laws_continuous_in_their_parameters():
    noise = family_noise(7)
    np.testing.assert_array_equal(noise, family_noise(7))
    for family in FAMILIES.values():
        start = np.array(family.start)
        a, b = family.law(start, noise).support(), family.law(start + 1e-7, noise).support()
        assert a.shape == (64, 1, 2) and np.all(np.isfinite(a))
        # common random numbers: a step of 1e-7 in the parameters moves the atoms by O(1e-7), not O(1)
        # (the mixture's component switch is piecewise constant: away from a switch, also O(1e-7))
        assert np.max(np.abs(a - b)) < 1e-5 * (1 + np.max(np.abs(a))), family.name
    with pytest.raises(InvalidArgument, match="theta"):
        get_family("student-t").law([0.0, np.nan, 0.0, 0.0], noise)
    with pytest.raises(InvalidArgument, match="family"):
        get_family("cauchy")


def _halved_search():
    claim = get_claim("thm22-gradient-bounds")
    return claim, claim.control("upper-bound-halved").as_search(claim)


def test_refinement_refutes_the_halved_bound_from_an_instance_where_it_holds():
    claim, search = _halved_search()
    instance = {"dist": Empirical(np.array([[1.029035549437811, 0.39097722167013954],
                                            [-0.8723830716951919, 0.5063823263497103]])),
                "w_star": np.array([1.0, 0.0]), "w": np.array([1.1060310492703178, 0.7963092883813021]), **HALVED}
    cache = ConstantsCache()
    start = claim.check(instance, cache=cache)
    assert start.verdict == "holds" and start.margin > 0.2
    results, failure, record = refine_search(claim, search, [(instance, start)], scale=1.0, seed=0, alpha=None,
                                             cache=cache)
    assert failure is not None and failure.verdict == "refuted"
    # exact sums (p = 2): the error bar is a rounding bound, far below the violation found
    assert failure.margin + failure.margin_error < -0.1
    assert record.evaluations == len(results) and results[-1] is failure


def test_refinement_never_ends_above_its_start_and_is_deterministic():
    claim, search = _halved_search()
    family = get_family("gaussian-mixture")
    instance = {"dist": family.law(family.start, family_noise(1)), "w_star": np.array([1.0, 0.0]),
                "w": np.array([0.8, 0.4]), **HALVED}
    runs = []
    for _ in range(2):
        cache = ConstantsCache()
        start = claim.check(instance, cache=cache)
        runs.append(refine_search(claim, search, [(instance, start)], scale=0.5, seed=3, alpha=None, cache=cache))
    (results, _, record), (again, _, record2) = runs
    assert record.to_dict() == record2.to_dict()
    assert [r.margin for r in results] == [r.margin for r in again]
    for start in record.starts:
        assert start["margin_after"] <= start["margin_before"]
    assert {s["start"] for s in record.starts} >= {f"family {name}" for name in FAMILIES}


def test_only_exact_searches_may_be_refined():
    from verify.checker.claim import Search

    with pytest.raises(ValueError, match="only exact searches"):
        Search("noisy", lambda: None, refine=Refinement(student()), false_alarm=1e-4)


def test_the_claims_document_says_which_stage_found_the_closest_call():
    claim = get_claim("thm22-contraction")
    search = claim.search("one-gd-step-contracts-for-every-allowed-step")
    outcome = run_search(claim, search, profile=get_profile("quick"), cache=ConstantsCache())
    assert outcome.refined > 0 and outcome.refinement["evaluations"] == outcome.refined
    entry = summarize_claim([outcome])
    closest = entry["closest_call"]
    assert closest["evaluations"] == len(outcome.results) and closest["refined"] == outcome.refined
    assert closest["found_by"] in ("search", "refinement")
    margins = [r.margin for r in outcome.results if r.in_hypothesis is not False and np.isfinite(r.margin)]
    assert closest["margin"] == min(margins) < PENALTY

"""The registry of the paper's claims (verify.claims) against its specification, docs/claims.md.

* exactly the 20 ids of docs/claims.md §4, in order, one module per id named after it;
* every claim filled in from the template: what was reconstructed (and from what, as
  the specification says), searches, a tightness text, readings the specification names;
* every default check runs and serialises to strict JSON; the checks the
  specification singles out give the stated verdicts; ``check_claim`` takes a
  user's law with only ``p``, ``k`` and ``sample``; bad inputs raise
  :class:`~verify.validation.InvalidArgument` naming the argument.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import verify
from verify.checker.terms import z_threshold
from verify.checker.verdicts import compare
from verify.claims import REGISTRY, check_claim, get_claim, list_claims
from verify.laws.builtin import Empirical, Gaussian, Sphere
from verify.validation import InvalidArgument

ROOT = Path(__file__).resolve().parents[1]
CLAIMS_MD = ROOT / "docs" / "claims.md"


def _sections() -> dict[str, str]:
    """docs/claims.md §4 split by its ``### N. id`` headings: id → the text of its entry, in order."""
    text = CLAIMS_MD.read_text(encoding="utf-8")
    section = text.split("\n## 4.", 1)[1].split("\n## 5.", 1)[0]
    parts = re.split(r"^### (\d+)\. ([a-z0-9-]+)\s*$", section, flags=re.MULTILINE)
    entries = {}
    for i in range(1, len(parts), 3):
        number, cid, body = int(parts[i]), parts[i + 1], parts[i + 2]
        assert number == len(entries) + 1, f"heading {number}. {cid} is out of sequence"
        entries[cid] = body
    return entries


SECTIONS = _sections()


# ---------------------------------------------------------------------------
# The registry against the specification
# ---------------------------------------------------------------------------

def test_the_registry_has_exactly_the_twenty_ids_of_the_specification_in_order():
    assert len(SECTIONS) == 20
    assert list(REGISTRY) == list(SECTIONS)
    assert [row["id"] for row in list_claims()] == list(SECTIONS)


def test_every_claim_module_file_is_named_after_its_id():
    for cid, claim in REGISTRY.items():
        module = claim.check_function.__module__
        assert module == "verify.claims." + cid.replace("-", "_"), (cid, module)
        assert (ROOT / "verify" / "claims" / (cid.replace("-", "_") + ".py")).is_file()
        assert claim.id == cid


def test_the_pytest_face_parametrises_one_test_per_search_of_every_claim():
    """properties/test_claims.py runs every search of every claim once, with the search's own expectation."""
    from properties.test_claims import SEARCHES

    cases = {p.id: p for p in SEARCHES}
    expected = [f"{cid}::{s.name}" for cid, claim in REGISTRY.items() for s in claim.searches]
    assert list(cases) == expected
    for cid, claim in REGISTRY.items():
        for search in claim.searches:
            case = cases[f"{cid}::{search.name}"]
            assert case.values == (claim, search)
            xfails = [m for m in case.marks if m.name == "xfail"]
            if search.expect == "refuted":
                assert [(m.kwargs["strict"], m.kwargs["reason"]) for m in xfails] == \
                       [(True, f"refuted as printed: {search.counterexample}")]
            else:
                assert xfails == []
    assert sorted(p.name for p in (ROOT / "properties").glob("test_*.py")) == ["test_claims.py", "test_controls.py"]


def test_every_reconstructed_claim_says_from_what():
    """The specification's **Reconstructed:** line says "nothing" exactly for the claims used as printed."""
    for cid, body in SECTIONS.items():
        line = re.search(r"\*\*Reconstructed:\*\*\s*(.*)", body).group(1)
        reconstructed = REGISTRY[cid].reconstructed
        if line.startswith("nothing"):
            assert reconstructed is None, cid
        else:
            assert isinstance(reconstructed, str) and len(reconstructed.split()) >= 3, (cid, reconstructed)


def test_every_claim_has_a_search_and_a_tightness_text():
    for cid, claim in REGISTRY.items():
        assert claim.searches, cid
        assert claim.tightness.strip(), cid
        assert claim.source and claim.statement and claim.method, cid
        names = [s.name for s in claim.searches]
        assert len(set(names)) == len(names), cid


def test_every_reading_id_in_the_registry_appears_in_the_specification():
    for cid, claim in REGISTRY.items():
        for reading in claim.readings:
            assert f"`{reading.id}`" in SECTIONS[cid], (cid, reading.id)


def test_the_claims_metadata_is_strict_json():
    json.dumps(list_claims(), allow_nan=False)


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------

FAST = [cid for cid in REGISTRY if not cid.startswith("sec4-")]   # the §4 experiments are run by properties/


@pytest.mark.parametrize("claim_id", FAST)
def test_every_default_check_runs_and_serialises_to_strict_json(claim_id):
    result = check_claim(claim_id)
    assert result.claim == claim_id
    assert result.verdict in ("holds", "refuted", "inconclusive")
    assert REGISTRY[claim_id].primary in result.readings
    assert set(result.readings) <= set(REGISTRY[claim_id].reading_ids)
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    assert set(data) >= {"claim", "verdict", "lhs", "rhs", "margin", "margin_error", "tightness", "readings",
                         "instance", "counterexample"}


def test_the_rotational_invariance_remark_is_refuted_with_a_counterexample():
    """At φ = 1 for N(0, I₃): γ = (π−1−sin 1)/(2π) < L = (π−1+sin 1)/(2π) (closed forms: rel 1e-12)."""
    result = check_claim("def21-rotinv-equal", Gaussian(3), phi=1.0)
    assert result.verdict == "refuted"
    assert result.counterexample["lhs"] == pytest.approx((math.pi - 1 - math.sin(1)) / (2 * math.pi), rel=1e-12)
    assert result.counterexample["rhs"] == pytest.approx((math.pi - 1 + math.sin(1)) / (2 * math.pi), rel=1e-12)


def test_theorem_a1_reports_how_loose_beta_one_is():
    """The uniform sphere in p = 4 uses 1/(4π) of the claimed β = 1 (closed form: rel 1e-12)."""
    result = check_claim("thm-a1-beta-rotinv", Sphere(4))
    assert result.verdict == "holds"
    assert result.tightness == pytest.approx(1 / (4 * math.pi), rel=1e-12)


def test_lemma_a1_counts_a_patch_on_the_teacher_hyperplane_twice_as_printed():
    result = check_claim("lemma-a1", Empirical(np.array([[0.0, 1.0]])), w_star=[1.0, 0.0], w=[0.0, 1.0])
    assert result.verdict == "refuted"
    assert result.readings == {"closed-regions": "refuted", "half-open": "holds"}
    assert result.counterexample is not None


class _UserLaw:
    """A user's law with nothing but p, k and sample (what ``--dist module:callable`` may give)."""

    p, k = 2, 1

    def sample(self, n, rng):
        z = np.random.default_rng(rng).standard_normal((n, 1, 2))
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
    pytest.param(lambda: check_claim("thm34-init", alpha=0.0), "alpha", id="alpha-zero"),
    pytest.param(lambda: compare("x", 1.0, 2.0, "<"), "relation", id="unknown-relation"),
    pytest.param(lambda: z_threshold(0.0), "alpha", id="z-of-alpha-zero"),
    pytest.param(lambda: get_claim("thm22-angle").search("nope"), "search", id="unknown-search"),
    pytest.param(lambda: verify.run_claims(profile="nope", claims=["thm22-angle"]), "profile",
                 id="unknown-profile"),
    pytest.param(lambda: verify.run_claims(profile="quick", claims=["nope"]), "claims", id="unknown-claim-in-a-run"),
]


@pytest.mark.parametrize("call, argument", BAD_INPUTS)
def test_bad_inputs_raise_invalid_argument_naming_the_argument(call, argument):
    with pytest.raises(InvalidArgument) as err:
        call()
    assert err.value.argument == argument
    assert str(err.value).startswith(argument + ":")


@pytest.mark.parametrize("claim_id, law", [
    ("thm22-gradient-bounds", Empirical(np.array([[1.0, 0.5]]))),            # one atom: A has rank 1, γ(θ) = 0
    ("thm31-gradient-bounds", Empirical(np.array([[[1.0, 0.5], [0.9, -0.4]]]))),   # γ(θ) ≤ 6L_cross
])
def test_a_lower_bound_with_a_right_hand_side_at_most_zero_is_vacuous_and_not_counted(claim_id, law):
    """docs/claims.md §7: a lower bound whose rhs is ≤ 0 is reported vacuous; only the upper bound decides."""
    result = get_claim(claim_id).check({"dist": law, "w_star": [1.0, 0.0], "w": [0.9, 0.2]})
    assert "the lower bound is vacuous here" in result.note
    assert [p["name"] for p in result.parts if p["name"].startswith("⟨E∇ℓ")] == []
    assert any(p["name"].startswith("‖E∇ℓ‖") for p in result.parts)


# ---------------------------------------------------------------------------
# Everything about a claim in its file; claims never import each other
# ---------------------------------------------------------------------------

def test_no_claim_module_imports_another_claim_module():
    """What several checks share lives in verify/checker/ (issue 16): a claim file imports no sibling."""
    import ast

    folder = ROOT / "verify" / "claims"
    siblings = {p.stem for p in folder.glob("*.py")} - {"__init__"}
    for path in sorted(folder.glob("*.py")):
        if path.stem == "__init__":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                named = {node.module} if node.module else {a.name for a in node.names}
                assert not named & siblings, f"{path.name} imports {named & siblings}"


def test_each_claim_module_docstring_is_derived_from_its_claim():
    import importlib

    for cid, claim in REGISTRY.items():
        module = importlib.import_module(claim.check_function.__module__)
        assert module.__doc__ == claim.module_doc()
        assert claim.statement in module.__doc__ and all(r.id in module.__doc__ for r in claim.readings)


def test_a_claim_about_no_law_takes_its_parameters_from_a_law_given_to_it():
    takes = {cid: claim.parameters for cid, claim in REGISTRY.items() if claim.parameters}
    assert takes == {"thm22-angle": ("p",), "thm34-init": ("p",), "cor31-init": ("p",)}
    assert all(not REGISTRY[cid].takes_distribution for cid in takes)
    assert check_claim("thm34-init", Gaussian(7)).instance["p"] == 7
    assert len(check_claim("thm22-angle", Sphere(4)).instance["w"]) == 4

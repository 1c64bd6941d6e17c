"""Certified verdicts (verify.certify, docs/certify.md): the reduced domains and the teeth.

Skipped when python-flint (the optional ``certify`` extra) is not installed.
"""
from __future__ import annotations

import json

import pytest

pytest.importorskip("flint", reason="python-flint not installed: the `certify` extra (pip install python-flint)")

from verify.certify import CLAIM_IDS, certify
from verify.certify.beta import certify_beta_variant
from verify.certify.gradient import certify_gradient_variant, certify_thm22_contraction
from verify.certify.init_probability import certify_cor31, certify_thm34

EXPECTED = {
    ("def21-shape", "as-printed"): "certified-holds",
    ("def21-rotinv-equal", "as-printed"): "certified-refuted",
    ("thm22-gradient-bounds", "tight-beta"): "certified-holds",
    ("thm22-gradient-bounds", "beta-p"): "certified-holds",
    ("thm22-gradient-bounds", "beta-1"): "certified-holds",
    ("thm22-contraction", "half-factor"): "certified-holds",
    ("thm22-contraction", "printed"): "certified-holds",
    ("thm22-contraction", "three-halves"): "certified-holds",
    ("thm-a1-beta-rotinv", "beta-1"): "certified-holds",
    ("thm-a2-beta-gaussian", "beta-at-most-p"): "certified-holds",
    ("thm-a2-beta-gaussian", "beta-p-tight"): "certified-refuted",
    ("thm34-init", "proof-bound"): "certified-holds",
    ("thm34-init", "sqrt-p-2pi"): "certified-holds",
    ("thm34-init", "sqrt-p2-2pi"): "certified-holds",
    ("thm34-init", "sqrt-p-pi"): "certified-holds",
}


@pytest.fixture(scope="module")
def reduced():
    return certify(domain="reduced")


def test_reduced_run_gives_the_expected_verdicts(reduced):
    got = {(c.claim, c.reading): c.verdict for c in reduced if c.claim != "cor31-init"}
    assert got == EXPECTED
    assert {c.claim for c in reduced} == set(CLAIM_IDS)


def test_certificates_serialise_with_the_required_keys(reduced):
    for cert in reduced:
        data = json.loads(json.dumps(cert.to_dict()))
        assert {"claim", "verdict", "reading", "domain", "boxes", "min_margin", "enclosures"} <= set(data)
        assert data["boxes"]["undecided"] == 0
        if data["verdict"] == "certified-holds":
            assert data["min_margin"] >= 0
        else:
            assert data["min_margin"]["margin_upper"] < 0


def test_tight_beta_enclosure_contains_one_over_pi(reduced):
    import math

    cert = next(c for c in reduced if c.reading == "beta-at-most-p")
    lo, hi = json.loads(cert.enclosures["tight_beta = 1/pi (every p)"])
    assert lo <= 1 / math.pi <= hi and hi - lo < 1e-15


def test_corollary_sets_of_p():
    certs = {(c.extra["condition"], c.reading): c for c in certify_cor31(p_max=40)}
    exact_thm = certs["theorem-condition", "exact-above-quarter"]
    assert exact_thm.verdict == "certified-refuted"
    assert exact_thm.extra["p_holds"] == "2–12" and exact_thm.extra["p_refuted"] == "13–40"
    assert certs["corollary-condition", "exact-above-quarter"].verdict == "certified-holds"
    assert certs["corollary-condition", "bound-valid"].verdict == "certified-holds"
    assert certs["corollary-condition", "proof-bound-above-quarter"].extra["p_refuted"] == "2–40"


def test_thm34_min_margin_matches_the_closed_form_at_alpha_zero():
    # proof reading at p = 2: c_b − sup Q; Q increases in α for p = 2, so the margin is positive but < v_2/3.
    cert = next(c for c in certify_thm34(p_max=2) if c.reading == "proof-bound")
    assert cert.verdict == "certified-holds"
    assert 0 < cert.min_margin < (2 / 3.141592653589793) / 3


def test_teeth_false_variants_are_refuted():
    assert certify_beta_variant(0.9)[0].verdict == "certified-refuted"
    assert certify_gradient_variant(0.25)[0].verdict == "certified-refuted"
    (c2,) = certify_thm22_contraction(4000, {"factor-2": 2.0})
    assert c2.verdict == "certified-refuted"
    assert c2.min_margin["margin_upper"] < 0


def test_teeth_true_variants_are_not_refuted():
    # β = 1.0/π is exactly the tight constant (sup not attained): still admissible.
    assert certify_beta_variant(1.0)[0].verdict != "certified-refuted"
    assert certify_gradient_variant(0.5)[0].verdict == "certified-holds"


def test_unknown_claim_and_domain_are_rejected():
    with pytest.raises(ValueError):
        certify(["lemma-a1"])
    with pytest.raises(ValueError):
        certify(domain="huge")


def test_cli_json(capsys):
    import argparse

    from verify.cli.certify import add_parser as register_cli

    parser = argparse.ArgumentParser(prog="verify")
    register_cli(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["certify", "def21-rotinv-equal", "--json", "--reduced"])
    assert args.func(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["verdict"] == "certified-refuted"


def test_certify_reports_each_claim_to_its_progress_callback():
    # `verify certify` prints these on stderr (verify.cli.progress), so a long run is never silent
    messages: list[str] = []
    certs = certify(["def21-rotinv-equal", "def21-shape"], domain="reduced", progress=messages.append)
    assert [m.split(",")[0] for m in messages[::2]] == ["certify: claim 1/2", "certify: claim 2/2"]
    assert messages[1].startswith("certify: def21-rotinv-equal done in ") and "(1 certificate, " in messages[1]
    assert len(messages) == 4 and len(certs) == 2

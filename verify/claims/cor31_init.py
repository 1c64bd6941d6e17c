"""cor31-init: Corollary 3.1, success probability above 1/4 (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

from ..checker.claim import Claim, Control, Reading
from ..checker.context import ConstantsCache
from ..checker.findings import Findings, Outside
from ..checker.initialization import exact_success, init_erratum, init_instance, radius_search
from ..checker.terms import Term
from ..checker.verdicts import Spec
from ..dynamics.initialization import corollary31_cos_max


def cor31_init(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 17 at (``p``, ``cos_phi_star``): the exact success probability against 1/4."""
    from ..dynamics.initialization import corollary31_bound, corollary31_condition

    p, c, inst = init_instance(instance, "cos_phi_star", lambda p: 0.999 * corollary31_cos_max(p))
    if not corollary31_condition(p, c) and not instance.get("control_assume_hypotheses"):
        raise Outside(f"cos φ* = {c:.6g} ≥ √(π/(8p)) = {corollary31_cos_max(p):.6g}", inst)
    P, prob = exact_success(p, c)
    bound = corollary31_bound(p, c)
    specs = [
        Spec("P(success) > 1/4", prob, Term(0.25), ">=", "exact-above-quarter", id="probability-above-quarter"),
        Spec(
            "the corollary's bound ½ − cos φ*·√(p/(2π)) > 1/4",
            Term(bound, 1e-15),
            Term(0.25),
            ">=",
            "bound-above-quarter",
            id="bound-above-quarter",
        ),
        Spec("the corollary's bound ≤ P(success)", Term(bound, 1e-15), prob, "<=", "bound-valid",
             id="bound-below-probability"),
    ]
    return Findings(
        inst,
        specs,
        tightness=0.25 / P,
        details={"exact_probability": P, "bound": bound, "cos_max": corollary31_cos_max(p)},
    )


CLAIM = Claim(
    id="cor31-init",
    source="§3.2, Corollary 3.1",
    statement=("with α = cos φ* < √(π/(8p)), the success probability of Theorem 3.4 exceeds 1/4"),
    kind="lower-bound",
    reconstructed="the condition cos φ* < √(π/(8p)) and the bound ½ − cos φ*·√(p/(2π)) > ¼ are reconstructed",
    readings=(
        Reading("exact-above-quarter", "success probability > 1/4"),
        Reading("bound-above-quarter", "the corollary's bound > 1/4"),
        Reading("bound-valid", "the bound is a valid lower bound"),
    ),
    check_function=cor31_init,
    spec_ids=("probability-above-quarter", "bound-above-quarter", "bound-below-probability"),
    defaults={"p": 5},
    takes_distribution=False,
    parameters=("p",),
    method="the exact probability",
    tightness="1/4 over the exact probability at the worst instance (1: the corollary is tight)",
    controls=(
        Control("above-one-half", "the success probability exceeds 1/2 (the threshold doubled)",
                {"control_scale": {"probability-above-quarter": 2.0}},
                "success-probability-exceeds-a-quarter-under-the-condition"),
        Control("condition-dropped",
                "the success probability exceeds 1/4 also for cos φ* = 0.9 (the condition dropped)",
                {"cos_phi_star": 0.9, "control_assume_hypotheses": True},
                "success-probability-exceeds-a-quarter-under-the-condition"),
    ),
    searches=(radius_search("success-probability-exceeds-a-quarter-under-the-condition", corollary31_cos_max,
                            "cos_phi_star", examples=60),),
    erratum=init_erratum(17),
)

__doc__ = CLAIM.module_doc()

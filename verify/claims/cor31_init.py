"""cor31-init: Corollary 3.1, success probability above 1/4 (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

from typing import Any

from ..checker.claim import Claim, ErratumText, Control, Reading, Search
from ..checker.refine import Refinement, radius
from ..dynamics.initialization import corollary31_cos_max
from ..checker.context import ConstantsCache
from ..checker.findings import Findings, Outside
from ..checker.initialization import dimensions_and_radii
from ..checker.terms import Term
from ..checker.verdicts import Spec
from ..jsonio import jsonable
from ..validation import InvalidArgument


def _dimensions_and_cosines() -> Any:
    """Corollary 3.1's instances: cos φ* below √(π/(8p))."""
    return dimensions_and_radii(corollary31_cos_max, "cos_phi_star")


def cor31_init(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 17 at (``p``, ``cos_phi_star``): the exact success probability against 1/4."""
    from ..dynamics.initialization import (corollary31_bound, corollary31_condition, corollary31_cos_max,
        success_probability)

    p = int(instance.get("p", 5))
    c = float(instance.get("cos_phi_star", 0.999 * corollary31_cos_max(p)))
    inst = jsonable({"p": p, "cos_phi_star": c})
    if not (0 < c < 1):
        raise InvalidArgument("cos_phi_star", f"must lie in (0, 1), got {c}")
    if not corollary31_condition(p, c) and not instance.get("control_assume_hypotheses"):
        raise Outside(f"cos φ* = {c:.6g} ≥ √(π/(8p)) = {corollary31_cos_max(p):.6g}", inst)
    P = success_probability(p, c)
    prob = Term(P, 1e-12 * P, side="exact", method="betainc")
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
    searches=(
        Search(
            "success-probability-exceeds-a-quarter-under-the-condition",
            _dimensions_and_cosines,
            expect="holds",
            examples=60,
            refine=Refinement(radius("cos_phi_star", corollary31_cos_max), starts=3),
        ),
    ),
    erratum=ErratumText(
        "docs/claims.md §4 claim 17 and §6.6: the printed bound and condition are garbled; each reading is "
        "compared with the exact success probability ½ I_{1−α²}((p+1)/2, ½) + ½ (r/α)^p I_{α²}((p+1)/2, ½). The "
        "readings that hold on the instances tried are listed, and, where certified, the range of p on which each "
        "holds.",
        form="certified-readings",
    ),
)

__doc__ = CLAIM.module_doc()

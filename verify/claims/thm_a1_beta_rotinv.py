"""thm-a1-beta-rotinv: Appendix A.1, Theorem A.1.

for unit-norm rotationally invariant Z, Assumption 2.1 holds with β = 1

See docs/claims.md §4 (thm-a1-beta-rotinv).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.context import ConstantsCache, InstanceContext
from ..checker.instance import public_instance
from ..checker.result import CheckResult, make_result, outside_result
from ..checker.terms import EPS, Term
from ..checker.controls import controlled
from ..checker.verdicts import Spec, compare_all, group_worst
from ..laws.builtin import Sphere
from ..checker.strategies import dimensions


@st.composite
def _spheres(draw: Any) -> dict:
    return {"dist": Sphere(draw(dimensions(max_p=512)))}


def beta_grid_specs(ctx: InstanceContext, beta_claimed: float, reading: str) -> list[Spec]:
    """L_{−w*}(φ) ≤ β·φ on a geometric grid of (0, π/2] (closed form s(φ + sin φ)/(2π) for radial laws)."""
    s = ctx.scale
    specs = []
    for phi in np.geomspace(1e-4, math.pi / 2, 25):
        val = s * (phi + math.sin(phi)) / (2 * math.pi)
        specs.append(
            Spec(
                f"L_{{−w*}}(φ) ≤ {beta_claimed:g}·φ @ φ={phi:.3g}",
                Term(val, 8 * EPS * s),
                Term(beta_claimed * phi),
                "<=",
                reading,
            )
        )
    return specs


def is_unit_rotational(dist: Any) -> bool:
    """Theorem A.1's hypothesis from the law's attributes: rotationally invariant, k = 1, and ‖Z‖ = 1 a.s.

    ‖Z‖ = 1 almost surely iff E‖Z‖ = E‖Z‖² = 1 (then Var‖Z‖ = 0), read from
    ``first_radial_moment`` and ``second_radial_moment`` (docs/claims.md §5).
    """
    return (
        getattr(dist, "k", 1) == 1
        and getattr(dist, "symmetry", None) == "rotational"
        and getattr(dist, "first_radial_moment", None) == 1.0
        and getattr(dist, "second_radial_moment", None) == 1.0
    )


def with_default_law(instance: dict, name: str) -> dict:
    """The instance, given the law ``name`` in dimension ``p`` (3 by default) when it names no law."""
    if instance.get("dist") is None and "distribution" not in instance:
        return {**instance, "distribution": {"name": name, "p": int(instance.get("p", 3))}}
    return instance


def thm_a1_beta_rotinv(instance: dict, *, alpha: float, cache: ConstantsCache) -> CheckResult:
    """Claim 9: β = 1 for the uniform sphere in dimension ``p`` (tight β = 1/(πp))."""
    claim = CLAIM
    instance = with_default_law(instance, "sphere")
    ctx = InstanceContext(instance, cache)
    inst = public_instance(instance, ctx)
    if not is_unit_rotational(ctx.dist):
        return outside_result(
            claim.id,
            inst,
            claim.reading_ids,
            alpha,
            "Theorem A.1 is about unit-norm rotationally invariant laws (the uniform sphere)",
        )
    beta = ctx.beta()
    specs = [Spec("tight β ≤ 1", beta, Term(1.0), "<=", claim.reading_ids[0])]
    specs += beta_grid_specs(ctx, 1.0, claim.reading_ids[0])
    comparisons = group_worst(compare_all(controlled(specs, instance), alpha))
    details = {
        "beta_tight": beta.value,
        "beta_tight_closed_form": "1/(πp)",
        "slack_factor": 1.0 / beta.value,
        "proof_note": (
            "the proof's eigenvalue (φ + sin φ)/2 integrates cos²θ over the arc without the "
            "density of the angle (1/(2π) in p = 2) and without E[(Z·e)²] = 1/p; with them "
            "L_{−w*}(φ) = (φ + sin φ)/(2πp) and the tight β is 1/(πp)"
        ),
    }
    return make_result(
        claim.id, inst, comparisons, claim.reading_ids, alpha=alpha, tightness=beta.value / 1.0, details=details
    )


CLAIM = Claim(
    id="thm-a1-beta-rotinv",
    source="Appendix A.1, Theorem A.1",
    statement=("for unit-norm rotationally invariant Z, Assumption 2.1 holds with β = 1"),
    kind="upper-bound",
    reconstructed=None,
    readings=(Reading("beta-1", "β = 1"),),
    check_function=thm_a1_beta_rotinv,
    defaults={"p": 3},
    method="closed form: tight β = 1/(πp) for the uniform sphere",
    tightness="tight β / 1 = 1/(πp): how much of the claimed β = 1 the law uses",
    controls=(
        Control("beta-one-ten-thousandth", "Assumption 2.1 holds with β = 10⁻⁴ for the unit sphere (β scaled)",
                {"control_scale": {"tight β ≤": 1e-4, "L_{−w*}(φ) ≤": 1e-4}},
                "beta-one-holds-for-the-sphere-in-every-dimension"),
        Control("beta-one-is-a-lower-bound", "L_{−w*}(φ) ≥ φ for the unit sphere (the relation reversed)",
                {"control_reverse": "*"}, "beta-one-holds-for-the-sphere-in-every-dimension"),
    ),
    searches=(Search("beta-one-holds-for-the-sphere-in-every-dimension", _spheres, expect="holds", examples=30),),
)

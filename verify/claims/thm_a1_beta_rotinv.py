"""thm-a1-beta-rotinv: Theorem A.1, β = 1 for unit-norm rotationally invariant laws

The docstring is derived from ``CLAIM`` below.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ..checker.beta_bound import beta_bound_specs, beta_controls, beta_details, radial_beta, tight_beta_erratum
from ..checker.claim import Claim, Reading, Search
from ..checker.context import ConstantsCache
from ..checker.findings import Findings
from ..checker.law_hypotheses import is_unit_rotational
from ..checker.strategies import dimensions
from ..laws.builtin import Sphere


@st.composite
def _spheres(draw: Any) -> dict:
    return {"dist": Sphere(draw(dimensions(max_p=512)))}


def thm_a1_beta_rotinv(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 9: β = 1 for the uniform sphere in dimension ``p`` (tight β = 1/(πp))."""
    ctx, inst, beta = radial_beta(instance, cache, "sphere", is_unit_rotational,
                                  "Theorem A.1 is about unit-norm rotationally invariant laws (the uniform sphere)")
    specs = beta_bound_specs(ctx, beta, 1.0, "1", "beta-1")
    details = {
        **beta_details(beta, 1.0, "1/(πp)"),
        "proof_note": (
            "the proof's eigenvalue (φ + sin φ)/2 integrates cos²θ over the arc without the "
            "density of the angle (1/(2π) in p = 2) and without E[(Z·e)²] = 1/p; with them "
            "L_{−w*}(φ) = (φ + sin φ)/(2πp) and the tight β is 1/(πp)"
        ),
    }
    return Findings(inst, specs, tightness=beta.value / 1.0, details=details, grouped=True)


CLAIM = Claim(
    id="thm-a1-beta-rotinv",
    source="Appendix A.1, Theorem A.1",
    statement=("for unit-norm rotationally invariant Z, Assumption 2.1 holds with β = 1"),
    kind="upper-bound",
    readings=(Reading("beta-1", "β = 1"),),
    check_function=thm_a1_beta_rotinv,
    spec_ids=("beta-bound", "beta-grid"),
    defaults={"p": 3},
    method="closed form: tight β = 1/(πp) for the uniform sphere",
    tightness="tight β / 1 = 1/(πp): how much of the claimed β = 1 the law uses",
    controls=beta_controls(
        "beta-one-holds-for-the-sphere-in-every-dimension",
        ("beta-one-ten-thousandth", "Assumption 2.1 holds with β = 10⁻⁴ for the unit sphere (β scaled)", 1e-4),
        ("beta-one-is-a-lower-bound", "L_{−w*}(φ) ≥ φ for the unit sphere (the relation reversed)"),
    ),
    searches=(Search("beta-one-holds-for-the-sphere-in-every-dimension", _spheres, expect="holds", examples=30),),
    erratum=tight_beta_erratum("1/(πp)", "the uniform unit sphere of R^p (s = 1/p)", "β = 1"),
)

__doc__ = CLAIM.module_doc()

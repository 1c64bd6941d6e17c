"""thm-a2-beta-gaussian: Appendix A.1, Theorem A.2; §2.1 ('β = p').

for Z ~ N(0, I_p), β ≤ p (the main text says 'β = p')

See docs/claims.md §4 (thm-a2-beta-gaussian).
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.context import ConstantsCache, InstanceContext
from ..checker.instance import public_instance
from ..checker.result import CheckResult, make_result, outside_result
from ..checker.terms import Term
from ..checker.controls import controlled
from ..checker.verdicts import Spec, compare_all, group_worst
from ..laws.builtin import Gaussian
from ..checker.strategies import dimensions
from .thm_a1_beta_rotinv import beta_grid_specs, with_default_law


@st.composite
def _gaussians(draw: Any) -> dict:
    return {"dist": Gaussian(draw(dimensions(max_p=512)))}


def is_standard_gaussian(dist: Any) -> bool:
    """Theorem A.2's hypothesis from the law's attributes: Z ~ N(0, I_p).

    A rotationally invariant one-patch law is N(0, I_p) when its radius is
    χ_p-distributed; the attributes pin its first two moments, E‖Z‖² = p and
    E‖Z‖ = √2 Γ((p+1)/2)/Γ(p/2) (checked to 1e-12 relative), which is what any
    law declaring itself Gaussian declares (docs/claims.md §5).
    """
    p = getattr(dist, "p", None)
    if p is None or getattr(dist, "k", 1) != 1 or getattr(dist, "symmetry", None) != "rotational":
        return False
    second, first = getattr(dist, "second_radial_moment", None), getattr(dist, "first_radial_moment", None)
    if second is None or first is None:
        return False
    chi_mean = math.sqrt(2) * math.exp(math.lgamma((p + 1) / 2) - math.lgamma(p / 2))
    return math.isclose(second, p, rel_tol=1e-12) and math.isclose(first, chi_mean, rel_tol=1e-12)


def thm_a2_beta_gaussian(instance: dict, *, alpha: float, cache: ConstantsCache) -> CheckResult:
    """Claim 10: β ≤ p for N(0, I_p) (tight β = 1/π); reading "β = p is tight"."""
    claim = CLAIM
    instance = with_default_law(instance, "gaussian")
    ctx = InstanceContext(instance, cache)
    inst = public_instance(instance, ctx)
    if not is_standard_gaussian(ctx.dist):
        return outside_result(claim.id, inst, claim.reading_ids, alpha, "Theorem A.2 is about Z ~ N(0, I_p)")
    beta = ctx.beta()
    p = float(ctx.p)
    specs = [Spec("tight β ≤ p", beta, Term(p), "<=", claim.reading_ids[0])]
    specs += beta_grid_specs(ctx, p, claim.reading_ids[0])
    specs.append(Spec("tight β = p", beta, Term(p), "==", claim.reading_ids[1]))
    comparisons = group_worst(compare_all(controlled(specs, instance), alpha))
    return make_result(
        claim.id,
        inst,
        comparisons,
        claim.reading_ids,
        alpha=alpha,
        tightness=beta.value / p,
        details={
            "beta_tight": beta.value,
            "beta_tight_closed_form": "1/π (independent of p)",
            "slack_factor": p / beta.value,
        },
    )


CLAIM = Claim(
    id="thm-a2-beta-gaussian",
    source="Appendix A.1, Theorem A.2; §2.1 ('β = p')",
    statement=("for Z ~ N(0, I_p), β ≤ p (the main text says 'β = p')"),
    kind="upper-bound",
    reconstructed=None,
    readings=(
        Reading("beta-at-most-p", "β ≤ p (Theorem A.2)"),
        Reading("beta-p-tight", "β = p as the tight constant (main text)"),
    ),
    check_function=thm_a2_beta_gaussian,
    defaults={"p": 3},
    method="closed form: tight β = 1/π",
    tightness="tight β / p = 1/(πp): how much of the claimed β ≤ p the law uses",
    controls=(
        Control("beta-p-over-1000", "β ≤ p/1000 for N(0, I_p) (the constant scaled)",
                {"control_scale": {"tight β ≤": 1e-3, "L_{−w*}(φ) ≤": 1e-3}}, "beta-at-most-p-holds-in-every-dimension"),
        Control("beta-p-is-a-lower-bound", "L_{−w*}(φ) ≥ p·φ for N(0, I_p) (the relation reversed)",
                {"control_reverse": "*"}, "beta-at-most-p-holds-in-every-dimension"),
    ),
    searches=(Search("beta-at-most-p-holds-in-every-dimension", _gaussians, expect="holds", examples=30),),
)

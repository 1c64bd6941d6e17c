"""thm-a2-beta-gaussian: Theorem A.2, β ≤ p for N(0, I_p) (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ..checker.claim import Claim, ErratumText, Control, Reading, Search
from ..checker.beta_bound import beta_grid_specs
from ..checker.context import ConstantsCache, InstanceContext
from ..checker.findings import Findings, Outside
from ..checker.instance import public_instance
from ..checker.law_hypotheses import is_standard_gaussian, with_default_law
from ..checker.terms import Term
from ..checker.verdicts import Spec
from ..laws.builtin import Gaussian
from ..checker.strategies import dimensions


@st.composite
def _gaussians(draw: Any) -> dict:
    return {"dist": Gaussian(draw(dimensions(max_p=512)))}


def thm_a2_beta_gaussian(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 10: β ≤ p for N(0, I_p) (tight β = 1/π); reading "β = p is tight"."""
    instance = with_default_law(instance, "gaussian")
    ctx = InstanceContext(instance, cache)
    inst = public_instance(instance, ctx)
    if not is_standard_gaussian(ctx.dist):
        raise Outside("Theorem A.2 is about Z ~ N(0, I_p)", inst)
    beta = ctx.beta()
    p = float(ctx.p)
    specs = [Spec("tight β ≤ p", beta, Term(p), "<=", "beta-at-most-p", id="beta-bound")]
    specs += beta_grid_specs(ctx, p, "beta-at-most-p")
    specs.append(Spec("tight β = p", beta, Term(p), "==", "beta-p-tight", id="beta-equals-p"))
    return Findings(
        inst,
        specs,
        grouped=True,
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
    spec_ids=("beta-bound", "beta-grid", "beta-equals-p"),
    defaults={"p": 3},
    method="closed form: tight β = 1/π",
    tightness="tight β / p = 1/(πp): how much of the claimed β ≤ p the law uses",
    controls=(
        Control("beta-p-over-1000", "β ≤ p/1000 for N(0, I_p) (the constant scaled)",
                {"control_scale": {"beta-bound": 1e-3, "beta-grid": 1e-3}}, "beta-at-most-p-holds-in-every-dimension"),
        Control("beta-p-is-a-lower-bound", "L_{−w*}(φ) ≥ p·φ for N(0, I_p) (the relation reversed)",
                {"control_reverse": "*"}, "beta-at-most-p-holds-in-every-dimension"),
    ),
    searches=(Search("beta-at-most-p-holds-in-every-dimension", _gaussians, expect="holds", examples=30),),
    erratum=ErratumText(
        "docs/claims.md §6.5: L_{−w*}(φ) = s(φ + sin φ)/(2π), and (sin φ)/φ decreases on (0, π/2], so the tight "
        "β is the limit s/π at φ → 0 (not attained): 1/π for N(0, I_p) in every p (s = 1). The claimed β ≤ p "
        "holds but overstates it by a factor πp.",
        holds_instead="tight β = 1/π (β ≤ p is valid, slack factor πp)",
        form="tight-beta",
    ),
)

__doc__ = CLAIM.module_doc()

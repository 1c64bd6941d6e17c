"""thm-a2-beta-gaussian: Theorem A.2, β ≤ p for N(0, I_p) (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ..checker.beta_bound import beta_bound_specs, beta_controls, beta_details, radial_beta, tight_beta_erratum
from ..checker.claim import Claim, Reading, Search
from ..checker.context import ConstantsCache
from ..checker.findings import Findings
from ..checker.law_hypotheses import is_standard_gaussian
from ..checker.strategies import dimensions
from ..checker.terms import Term
from ..checker.verdicts import Spec
from ..laws.builtin import Gaussian


@st.composite
def _gaussians(draw: Any) -> dict:
    return {"dist": Gaussian(draw(dimensions(max_p=512)))}


def thm_a2_beta_gaussian(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 10: β ≤ p for N(0, I_p) (tight β = 1/π); reading "β = p is tight"."""
    ctx, inst, beta = radial_beta(instance, cache, "gaussian", is_standard_gaussian,
                                  "Theorem A.2 is about Z ~ N(0, I_p)")
    p = float(ctx.p)
    specs = beta_bound_specs(ctx, beta, p, "p", "beta-at-most-p")
    specs.append(Spec("tight β = p", beta, Term(p), "==", "beta-p-tight", id="beta-equals-p"))
    return Findings(inst, specs, grouped=True, tightness=beta.value / p,
                    details=beta_details(beta, p, "1/π (independent of p)"))


CLAIM = Claim(
    id="thm-a2-beta-gaussian",
    source="Appendix A.1, Theorem A.2; §2.1 ('β = p')",
    statement=("for Z ~ N(0, I_p), β ≤ p (the main text says 'β = p')"),
    kind="upper-bound",
    readings=(
        Reading("beta-at-most-p", "β ≤ p (Theorem A.2)"),
        Reading("beta-p-tight", "β = p as the tight constant (main text)"),
    ),
    check_function=thm_a2_beta_gaussian,
    spec_ids=("beta-bound", "beta-grid", "beta-equals-p"),
    defaults={"p": 3},
    method="closed form: tight β = 1/π",
    tightness="tight β / p = 1/(πp): how much of the claimed β ≤ p the law uses",
    controls=beta_controls(
        "beta-at-most-p-holds-in-every-dimension",
        ("beta-p-over-1000", "β ≤ p/1000 for N(0, I_p) (the constant scaled)", 1e-3),
        ("beta-p-is-a-lower-bound", "L_{−w*}(φ) ≥ p·φ for N(0, I_p) (the relation reversed)"),
    ),
    searches=(Search("beta-at-most-p-holds-in-every-dimension", _gaussians, expect="holds", examples=30),),
    erratum=tight_beta_erratum("1/π", "N(0, I_p) in every p (s = 1)", "β ≤ p"),
)

__doc__ = CLAIM.module_doc()

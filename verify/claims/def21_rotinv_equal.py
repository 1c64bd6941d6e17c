"""def21-rotinv-equal: the remark that rotationally invariant laws have γ = L

The docstring is derived from ``CLAIM`` below.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from ..checker.claim import Claim, ErratumText, Control, Reading, Search
from ..checker.context import ConstantsCache, InstanceContext
from ..checker.instance import margin_scale, public_instance
from ..checker.findings import Findings, Outside
from ..checker.verdicts import Spec
from ..checker.strategies import angles, distributions
from ..validation import InvalidArgument


@st.composite
def _rotational_laws_at_an_angle(draw: Any) -> dict:
    return {"dist": draw(distributions(families=("gaussian", "sphere"), max_p=32)), "phi": draw(angles())}


def def21_rotinv_equal(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 3: γ(φ) = L(φ) at ``phi`` for a rotationally invariant law (closed forms)."""
    ctx = InstanceContext(instance, cache)
    if not (getattr(ctx.dist, "symmetry", None) == "rotational" and ctx.k == 1):
        raise Outside("the remark is about rotationally invariant laws", public_instance(instance, ctx))
    phi = float(instance.get("phi", 1.0))
    if not (0.0 <= phi <= math.pi):
        raise InvalidArgument("phi", f"must lie in [0, π], got {phi}")
    g, L = ctx.gamma_L([phi])
    nat = ctx.natural_scale()
    spec = Spec("γ(φ) = L(φ)", g[0], L[0], "==", "as-printed", margin_scale(L[0].value, nat), id="gamma-equals-l")
    ratio = g[0].value / L[0].value if L[0].value > 0 else math.nan
    return Findings(
        public_instance(instance, ctx, phi=phi),
        [spec],
        details={
            "gamma": g[0].value,
            "L": L[0].value,
            "gamma_over_L": ratio,
            "closed_form": "γ = s(π−φ−sin φ)/(2π), L = s(π−φ+sin φ)/(2π), s = E‖Z‖²/p",
        },
    )


CLAIM = Claim(
    id="def21-rotinv-equal",
    source="§2.1, remark after Definition 2.1",
    statement=("rotationally invariant distributions (e.g. standard Gaussian) have γ(φ) = L(φ)"),
    kind="equality",
    readings=(Reading("as-printed", "as printed"),),
    check_function=def21_rotinv_equal,
    spec_ids=("gamma-equals-l",),
    defaults={"distribution": {"name": "gaussian", "p": 3}, "phi": 1.0},
    method="closed forms γ = s(π−φ−sin φ)/(2π), L = s(π−φ+sin φ)/(2π)",
    tightness="none: an equality (γ/L is reported in the details)",
    controls=(
        Control("gamma-twice-l", "γ(φ) = 2·L(φ) for rotationally invariant laws (a constant scaled)",
                {"control_scale": {"gamma-equals-l": 2.0}}, "gamma-equals-l-for-rotationally-invariant-laws"),
        Control("gamma-zero", "γ(φ) = 0 for rotationally invariant laws", {"control_scale": {"gamma-equals-l": 0.0}},
                "gamma-equals-l-for-rotationally-invariant-laws"),
    ),
    searches=(
        Search(
            "gamma-equals-l-for-rotationally-invariant-laws",
            _rotational_laws_at_an_angle,
            expect="refuted",
            examples=30,
            counterexample=(
                "Gaussian(2), φ = 1.0: γ(φ) = (π−φ−sin φ)/(2π) = 0.2069 but L(φ) = (π−φ+sin φ)/(2π) = 0.4748 "
                "(relative gap 0.56); for every radial law γ < L on (0, π), equality only at φ = 0 and φ = π"
            ),
        ),
    ),
    erratum=ErratumText(
        "docs/claims.md §6.1: for a rotationally invariant law (scale s = E‖Z‖²/p, §6.2) the eigenvalues of "
        "A_{w,w*} are s(π−φ±sin φ)/(2π), so γ(φ) = s(π−φ−sin φ)/(2π) < L(φ) = s(π−φ+sin φ)/(2π) on (0, π), "
        "with L − γ = s·sin φ/π; equality only at φ = 0 and φ = π (claim 3).",
        holds_instead="γ(φ) = s(π−φ−sin φ)/(2π) < L(φ) = s(π−φ+sin φ)/(2π) for every φ ∈ (0, π)",
        form="rotinv",
    ),
)

__doc__ = CLAIM.module_doc()

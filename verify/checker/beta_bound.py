"""Assumption 2.1's bound L_{−w*}(φ) ≤ β·φ for a radial law: the checks of Theorems A.1 and A.2 (docs/claims.md §6.5).

thm-a1-beta-rotinv and thm-a2-beta-gaussian state the same comparison for
different laws and constants: the tight β against the claimed one (spec id
``beta-bound``) and the bound on a grid of angles (``beta-grid``).  Their
shared plumbing lives here; each claim's file states its law, its constant and
its readings.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..estimators.closed_forms import radial_constants
from .claim import Control, ErratumText
from .context import ConstantsCache, InstanceContext
from .findings import Outside
from .instance import public_instance
from .law_hypotheses import with_default_law
from .terms import EPS, Term
from .verdicts import Spec

__all__ = ["BETA_SPEC_IDS", "beta_bound_specs", "beta_controls", "beta_details", "beta_grid_specs", "radial_beta",
           "tight_beta_erratum"]

#: The spec ids that carry the claimed β (a control scaling β scales both).
BETA_SPEC_IDS = ("beta-bound", "beta-grid")


def radial_beta(instance: dict, cache: ConstantsCache, law: str, hypothesis: Callable[[Any], bool],
                outside: str) -> tuple[InstanceContext, dict, Term]:
    """The context, the reported instance and the tight β of a β claim's instance (Theorems A.1, A.2).

    The instance gets the law ``law`` (in dimension ``p``) when it names none; raises :class:`Outside`
    with ``outside`` when ``hypothesis(law)`` is false.  β is the tight constant s/π of §6.5.

    Examples
    --------
    >>> from verify.checker.law_hypotheses import is_unit_rotational
    >>> ctx, inst, beta = radial_beta({"p": 4}, ConstantsCache(), "sphere", is_unit_rotational, "not a sphere")
    >>> inst["p"], round(beta.value * math.pi * 4, 12)
    (4, 1.0)
    """
    instance = with_default_law(instance, law)
    ctx = InstanceContext(instance, cache)
    inst = public_instance(instance, ctx)
    if not hypothesis(ctx.dist):
        raise Outside(outside, inst)
    return ctx, inst, ctx.beta()


def beta_bound_specs(ctx: InstanceContext, beta: Term, claimed: float, claimed_name: str,
                     reading: str) -> list[Spec]:
    """tight β ≤ ``claimed`` (id ``beta-bound``), then L_{−w*}(φ) ≤ claimed·φ on the grid (:func:`beta_grid_specs`).

    Examples
    --------
    >>> ctx = InstanceContext({"distribution": {"name": "gaussian", "p": 3}}, ConstantsCache())
    >>> specs = beta_bound_specs(ctx, ctx.beta(), 3.0, "p", "beta-at-most-p")
    >>> specs[0].name, len(specs)
    ('tight β ≤ p', 26)
    """
    return [Spec(f"tight β ≤ {claimed_name}", beta, Term(claimed), "<=", reading, id="beta-bound"),
            *beta_grid_specs(ctx, claimed, reading)]


def beta_details(beta: Term, claimed: float, closed_form: str) -> dict:
    """What a β check reports: the tight β, its closed form, and the slack factor claimed/tight.

    Examples
    --------
    >>> beta_details(Term(0.25), 1.0, "1/4")
    {'beta_tight': 0.25, 'beta_tight_closed_form': '1/4', 'slack_factor': 4.0}
    """
    return {"beta_tight": beta.value, "beta_tight_closed_form": closed_form, "slack_factor": claimed / beta.value}


def beta_controls(search: str, scaled: tuple[str, str, float], reversed_: tuple[str, str]) -> tuple[Control, Control]:
    """The two negative controls of a β claim: the claimed β scaled by a factor, and the relation reversed.

    ``scaled`` is (name, statement, factor) and ``reversed_`` (name, statement); both run on ``search``.

    Examples
    --------
    >>> scaled, rev = beta_controls("s", ("beta-tiny", "β ≤ 10⁻⁴", 1e-4), ("beta-below", "L ≥ φ"))
    >>> scaled.overrides, rev.overrides
    ({'control_scale': {'beta-bound': 0.0001, 'beta-grid': 0.0001}}, {'control_reverse': '*'})
    """
    name, statement, factor = scaled
    return (Control(name, statement, {"control_scale": dict.fromkeys(BETA_SPEC_IDS, factor)}, search),
            Control(reversed_[0], reversed_[1], {"control_reverse": "*"}, search))


def tight_beta_erratum(tight: str, law: str, claimed: str) -> ErratumText:
    """The erratum of a β claim: the tight β of docs/claims.md §6.5 for ``law``, against the claimed ``claimed``.

    Examples
    --------
    >>> tight_beta_erratum("1/π", "N(0, I_p) in every p (s = 1)", "β ≤ p").holds_instead
    'tight β = 1/π (β ≤ p is valid, slack factor πp)'
    """
    return ErratumText(
        "docs/claims.md §6.5: L_{−w*}(φ) = s(φ + sin φ)/(2π), and (sin φ)/φ decreases on (0, π/2], so the tight "
        f"β is the limit s/π at φ → 0 (not attained): {tight} for {law}. The claimed {claimed} holds but "
        "overstates it by a factor πp.",
        holds_instead=f"tight β = {tight} ({claimed} is valid, slack factor πp)",
        form="tight-beta",
    )


def beta_grid_specs(ctx: InstanceContext, beta_claimed: float, reading: str) -> list[Spec]:
    """L_{−w*}(φ) ≤ β·φ on a geometric grid of 25 angles in [1e-4, π/2] (Spec id ``"beta-grid"``).

    L_{−w*}(φ) = s(φ + sin φ)/(2π) for a radial law of scale s (docs/claims.md §6.5), with a rounding
    bound of 8 ulp·s.

    Examples
    --------
    >>> from verify.checker.context import ConstantsCache
    >>> specs = beta_grid_specs(InstanceContext({"distribution": {"name": "gaussian", "p": 3}}, ConstantsCache()),
    ...                         3.0, "beta-at-most-p")
    >>> len(specs), specs[0].id, round(float(specs[-1].rhs.value), 6)
    (25, 'beta-grid', 4.712389)
    """
    s = ctx.scale
    specs = []
    grid = np.geomspace(1e-4, math.pi / 2, 25)
    for phi, val in zip(grid, radial_constants(grid, s)["L_neg"]):  # s(φ + sin φ)/(2π), the closed form's one home
        specs.append(
            Spec(
                f"L_{{−w*}}(φ) ≤ {beta_claimed:g}·φ @ φ={phi:.3g}",
                Term(val, 8 * EPS * s),
                Term(beta_claimed * phi),
                "<=",
                reading,
                id="beta-grid",
            )
        )
    return specs

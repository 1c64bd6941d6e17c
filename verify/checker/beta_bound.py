"""Assumption 2.1's bound L_{−w*}(φ) ≤ β·φ on a grid, for a radial law (Theorems A.1, A.2; docs/claims.md §6.5)."""
from __future__ import annotations

import math

import numpy as np

from ..estimators.closed_forms import radial_constants
from .context import InstanceContext
from .terms import EPS, Term
from .verdicts import Spec

__all__ = ["beta_grid_specs"]


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

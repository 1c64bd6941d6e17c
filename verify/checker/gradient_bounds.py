"""The two gradient bounds of Theorems 2.2 (one neuron) and 3.1 (general k) at a point (docs/claims.md §4, 6 and 11).

⟨E∇ℓ(w), w − w*⟩ ≥ κ‖w − w*‖² and ‖E∇ℓ(w)‖ ≤ Λ‖w − w*‖, with κ = γ(θ), Λ = L(θ) + 4β
(Theorem 2.2, Appendix A.1) or κ = γ(θ) − 6L_cross, Λ = L(θ) + 10L_cross + 4β
(Theorem 3.1, Appendix A.2).  Spec ids: ``inner-product-lower-bound``,
``gradient-norm-upper-bound``.
"""
from __future__ import annotations

import numpy as np

from ..geometry import angle
from .claim import Control
from .context import ConstantsCache, InstanceContext
from .findings import Findings, Outside
from .instance import distance_inside_ball, margin_scale, public_instance, student
from .law_hypotheses import is_standard_gaussian, is_unit_rotational
from .terms import Term, inner, norm
from .verdicts import Spec

__all__ = ["KAPPA", "LAMBDA", "LOWER", "UPPER", "gradient_bound_controls", "gradient_bound_specs",
           "gradient_bounds_findings"]

#: The spec ids of the two bounds.
LOWER, UPPER = "inner-product-lower-bound", "gradient-norm-upper-bound"
#: κ and Λ in words, by ``general_k``: Theorem 2.2's (False) and Theorem 3.1's (True).
KAPPA = {False: "γ(θ)", True: "γ(θ) − 6L_cross"}
LAMBDA = {False: "L(θ) + 4β", True: "L(θ) + 10L_cross + 4β"}


def _factor(expression: str) -> str:
    """``expression`` as a factor of a product: parenthesized when it is a sum (``"(L(θ) + 4β)"``)."""
    return f"({expression})" if " " in expression else expression


def _kappa(general_k: bool, cross_factor: float) -> str:
    """κ in words: :data:`KAPPA`, with a negative control's factor of L_cross where it is not 6."""
    if not general_k or cross_factor == 6.0:
        return KAPPA[general_k]
    return "γ(θ)" if cross_factor == 0.0 else f"γ(θ) − {cross_factor:g}L_cross"


def gradient_bound_controls(general_k: bool, upper_search: str, lower_search: str) -> tuple[Control, Control]:
    """The negative controls of both gradient-bounds claims: Λ halved (on ``upper_search``), κ doubled
    (on ``lower_search``), for Theorem 2.2's (``general_k`` False) or Theorem 3.1's constants.

    Examples
    --------
    >>> upper, lower = gradient_bound_controls(True, "a", "b")
    >>> upper.statement
    '‖E∇ℓ(w)‖ ≤ ½(L(θ) + 10L_cross + 4β)‖w − w*‖ (the upper bound halved)'
    >>> lower.statement
    '⟨E∇ℓ(w), w − w*⟩ ≥ 2(γ(θ) − 6L_cross)‖w − w*‖² (the lower bound doubled)'
    >>> lower.overrides
    {'control_scale': {'inner-product-lower-bound': 2.0}}
    """
    kappa, lam = _factor(KAPPA[general_k]), _factor(LAMBDA[general_k])
    return (
        Control("upper-bound-halved", f"‖E∇ℓ(w)‖ ≤ ½{lam}‖w − w*‖ (the upper bound halved)",
                {"control_scale": {UPPER: 0.5}}, upper_search),
        Control("lower-bound-doubled", f"⟨E∇ℓ(w), w − w*⟩ ≥ 2{kappa}‖w − w*‖² (the lower bound doubled)",
                {"control_scale": {LOWER: 2.0}}, lower_search),
    )


def gradient_bound_specs(ctx: InstanceContext, w: np.ndarray, primary: str, general_k: bool,
                         cross_factor: float = 6.0):
    """Specs of the two gradient bounds at w (module doc), their tightness and the measured details.

    Parameters
    ----------
    ctx : InstanceContext
    w : ndarray, shape (p,)
    primary : str
        The reading of the law's own (tight) β; Theorem 2.2 adds the readings ``beta-1`` (Theorem A.1's
        β = 1, on the unit sphere) and ``beta-p`` (Theorem A.2's β = p, on N(0, I_p)) where they apply.
    general_k : bool
        Theorem 3.1's constants (with L_cross) instead of Theorem 2.2's.
    cross_factor : float
        The factor of L_cross in the lower bound's κ = γ(θ) − cross_factor·L_cross: 6 (Theorem 3.1); the
        negative control ``cross-term-dropped`` sets 0.

    Returns
    -------
    specs : list of Spec
        The lower bound first, then the upper bound(s).
    tightness : float or None
        The larger of κ‖w−w*‖²/⟨E∇ℓ, w−w*⟩ and ‖E∇ℓ‖/(Λ‖w−w*‖) (primary β).
    details : dict
    """
    d = w - ctx.w_star
    r = float(np.linalg.norm(d))
    theta = angle(w, ctx.u)
    g_vec = ctx.gradient(w)
    g, L = ctx.gamma_L([theta])
    beta = ctx.beta()
    nat = ctx.natural_scale()
    inner_product, gradient_norm = inner(g_vec, d), norm(g_vec)
    kappa, lam = _factor(_kappa(general_k, cross_factor)), _factor(LAMBDA[general_k])
    Lc = ctx.L_cross() if general_k else None
    low = ((g[0] - cross_factor * Lc) if general_k else g[0]) * (r * r)
    lower = Spec(f"⟨E∇ℓ, w−w*⟩ ≥ {kappa}‖w−w*‖²", inner_product, low, ">=", primary,
                 margin_scale(low.value, nat * r * r), id=LOWER)
    betas = [(primary, beta)]
    if not general_k and is_unit_rotational(ctx.dist):  # Theorem A.1's β = 1
        betas.append(("beta-1", Term(1.0)))
    if not general_k and is_standard_gaussian(ctx.dist):  # Theorem A.2's β = p
        betas.append(("beta-p", Term(float(ctx.p))))
    uppers = []
    for reading, b in betas:
        up = ((L[0] + 10 * Lc + 4 * b) if general_k else (L[0] + 4 * b)) * r
        uppers.append(Spec(f"‖E∇ℓ‖ ≤ {lam}‖w−w*‖", gradient_norm, up, "<=", reading,
                           margin_scale(up.value, nat * r), id=UPPER))
    extra = {"L_cross": Lc.value} if general_k else {}
    tight = []
    if inner_product.value > 0 and lower.rhs.value > 0:
        tight.append(lower.rhs.value / inner_product.value)
    if uppers[0].rhs.value > 0:
        tight.append(gradient_norm.value / uppers[0].rhs.value)
    details = {
        "theta": theta,
        "distance": r,
        "gamma": g[0].value,
        "L": L[0].value,
        "beta": beta.value,
        "inner": inner_product.value,
        "gradient_norm": gradient_norm.value,
        **extra,
    }
    return [lower, *uppers], (max(tight) if tight else None), details


def gradient_bounds_findings(instance: dict, cache: ConstantsCache, *, primary: str, general_k: bool) -> Findings:
    """Both gradient bounds at ``w`` (default: a seeded point at ‖w − w*‖ = ‖w*‖/2) with the law's constants:
    Theorem 2.2's (``general_k`` False, one neuron) or Theorem 3.1's (general k) — docs/claims.md §4.

    Raises :class:`Outside` for k ≠ 1 under Theorem 2.2, outside the ball ‖w − w*‖ < ‖w*‖, or with an
    infinite constant.  Where κ ≤ 0 the lower bound is vacuous (its right-hand side is ≤ 0): reported,
    and not stated.  Instance key ``lower_cross_factor``: the factor of L_cross in Theorem 3.1's κ (6; the
    negative control ``cross-term-dropped`` sets 0).
    """
    ctx = InstanceContext(instance, cache)
    w = student(instance, ctx, 0.5)
    inst = public_instance(instance, ctx, w=w)
    if not general_k and ctx.k != 1:
        raise Outside("Theorem 2.2 is about one neuron (k = 1); see thm31-gradient-bounds", inst)
    distance_inside_ball(w, ctx.w_star, inst)
    infinite = ctx.infinite_constants(general_k)
    if infinite:
        raise Outside(infinite, inst)
    cross_factor = float(instance.get("lower_cross_factor", 6.0))    # 0 for the control cross-term-dropped
    specs, tight, details = gradient_bound_specs(ctx, w, primary, general_k=general_k, cross_factor=cross_factor)
    note = ""
    curvature = details["gamma"] - cross_factor * details.get("L_cross", 0.0)
    if curvature <= 0:
        # γ(θ) − 6L_cross ≤ 0 (γ errs high and L_cross low by construction, so the truth is ≤ 0 too; L_cross = 0
        # for Theorem 2.2): the lower bound's right-hand side is ≤ 0, so it is vacuous here (docs/claims.md §7) —
        # reported, and not counted toward "holds"
        specs = [spec for spec in specs if spec.id != LOWER]
        note = (f"the lower bound is vacuous here: {_kappa(general_k, cross_factor)} = {curvature:.4g} ≤ 0; "
                "only the upper bound is checked")
    return Findings(inst, specs, tightness=tight, details=details, note=note)

"""thm34-init: §3.2, Theorem 3.4.

w0 uniform in the p-ball of radius α‖w*‖, α ≤ √(1/(2p)) ⇒ ‖w0 − w*‖ ≤ √(1−α²)‖w*‖ with probability
at least ½ − α·V_{p−1}/V_p (the proof's bound) and its simplifications

See docs/claims.md §4 (thm34-init).
"""

from __future__ import annotations

from typing import Any, Callable

from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.refine import Refinement, radius
from ..dynamics.initialization import alpha_max
from ..checker.context import ConstantsCache
from ..checker.controls import controlled
from ..checker.result import CheckResult, make_result, outside_result
from ..checker.terms import Term
from ..checker.verdicts import Spec, compare_all
from ..jsonio import jsonable
from ..checker.strategies import dimensions
from ..validation import InvalidArgument

#: The keys of :func:`verify.dynamics.initialization.init_bounds` → the readings they check.
_BOUND_READINGS = {
    "proof": "proof-bound",
    "sqrt_p_over_2pi": "sqrt-p-2pi",
    "sqrt_p2_over_2pi": "sqrt-p2-2pi",
    "sqrt_p_over_pi": "sqrt-p-pi",
}


@st.composite
def dimensions_and_radii(draw: Any, cap: Callable[[int], float], key: str) -> dict:
    """{"p": p, key: a fraction in [1e-6, 1] of ``cap(p)``}: p up to 20 000 (small p often), the radius below a
    condition's cap — Theorem 3.4's √(1/(2p)) here, Corollary 3.1's √(π/(8p)) in cor31_init."""
    p = draw(st.one_of(dimensions(max_p=64), dimensions(min_p=65, max_p=20_000)))
    return {"p": p, key: draw(st.floats(1e-6, 1.0)) * cap(p)}


def _dimensions_and_radii() -> Any:
    """Theorem 3.4's instances: α ≤ √(1/(2p))."""
    return dimensions_and_radii(alpha_max, "alpha")


def thm34_init(instance: dict, *, alpha: float, cache: ConstantsCache) -> CheckResult:
    """Claim 16 at (``p``, ``alpha``): the exact success probability against every reading of the bound."""
    from ..dynamics.initialization import init_bounds, success_probability

    claim = CLAIM
    p = int(instance.get("p", 5))
    a = float(instance.get("alpha", alpha_max(p)))
    inst = jsonable({"p": p, "alpha": a})
    if not (0 < a < 1):
        raise InvalidArgument("alpha", f"must lie in (0, 1), got {a}")
    if a > alpha_max(p) * (1 + 1e-15):
        return outside_result(claim.id, inst, claim.reading_ids, alpha, f"α = {a:.6g} > √(1/(2p)) = {alpha_max(p):.6g}")
    P = success_probability(p, a)
    prob = Term(P, 1e-12 * P + 1e-300, side="exact", method="betainc")
    bounds = init_bounds(p, a)
    specs = [
        Spec(
            f"P(success) ≥ {claim.reading(_BOUND_READINGS[key]).label}",
            prob,
            Term(value, 1e-14),
            ">=",
            _BOUND_READINGS[key],
            max(abs(value), 1e-3),
        )
        for key, value in bounds.items()
    ]
    comparisons = compare_all(controlled(specs, instance), alpha)
    tight = bounds["proof"] / P if P > 0 else None
    return make_result(
        claim.id,
        inst,
        comparisons,
        claim.reading_ids,
        alpha=alpha,
        tightness=tight,
        details={
            "exact_probability": P,
            "bounds": bounds,
            "alpha_max": alpha_max(p),
            "ratio_bound_over_exact": {k: v / P for k, v in bounds.items()},
        },
    )


CLAIM = Claim(
    id="thm34-init",
    source="§3.2, Theorem 3.4",
    statement=(
        "w0 uniform in the p-ball of radius α‖w*‖, α ≤ √(1/(2p)) ⇒ ‖w0 − w*‖ ≤ √(1−α²)‖w*‖ with probability "
        "at least ½ − α·V_{p−1}/V_p (the proof's bound) and its simplifications"
    ),
    kind="lower-bound",
    reconstructed="the printed bound is garbled: the proof's bound and its Gautschi simplifications are checked",
    readings=(
        Reading("proof-bound", "proof: ½ − α·V_{p−1}/V_p"),
        Reading("sqrt-p-2pi", "½ − α√(p/(2π))"),
        Reading("sqrt-p2-2pi", "½ − α√((p+2)/(2π))"),
        Reading("sqrt-p-pi", "½ − α√(p/π)"),
    ),
    check_function=thm34_init,
    defaults={"p": 5},
    method="the exact probability (two spherical caps, regularized incomplete beta) against each bound",
    tightness="the proof's bound / the exact probability at the worst instance (1: the bound is exact)",
    controls=(
        Control("proof-bound-doubled", "P(success) ≥ 2(½ − α·V_{p−1}/V_p) (the proof's bound doubled)",
                {"control_scale": {"P(success) ≥ proof": 2.0}}, "exact-probability-is-above-each-reading-of-the-bound"),
        Control("proof-bound-is-an-upper-bound", "P(success) ≤ ½ − α·V_{p−1}/V_p (the relation reversed)",
                {"control_reverse": "P(success) ≥ proof"}, "exact-probability-is-above-each-reading-of-the-bound"),
    ),
    searches=(
        Search(
            "exact-probability-is-above-each-reading-of-the-bound", _dimensions_and_radii, expect="holds", examples=100,
            refine=Refinement(radius("alpha", alpha_max), starts=3),
        ),
    ),
)

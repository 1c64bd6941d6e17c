"""thm34-init: Theorem 3.4, the random initialization's success probability (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

from ..checker.claim import Claim, Control, Reading
from ..checker.context import ConstantsCache
from ..checker.findings import Findings, Outside
from ..checker.initialization import exact_success, init_erratum, init_instance, radius_search
from ..checker.terms import Term
from ..checker.verdicts import Spec
from ..dynamics.initialization import alpha_max

#: The keys of :func:`verify.dynamics.initialization.init_bounds` → the readings they check.
_BOUND_READINGS = {
    "proof": "proof-bound",
    "sqrt_p_over_2pi": "sqrt-p-2pi",
    "sqrt_p2_over_2pi": "sqrt-p2-2pi",
    "sqrt_p_over_pi": "sqrt-p-pi",
}
#: Reading id → its bound (the reading's label).
_BOUND_LABELS = {
    "proof-bound": "proof: ½ − α·V_{p−1}/V_p",
    "sqrt-p-2pi": "½ − α√(p/(2π))",
    "sqrt-p2-2pi": "½ − α√((p+2)/(2π))",
    "sqrt-p-pi": "½ − α√(p/π)",
}


def thm34_init(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 16 at (``p``, ``alpha``): the exact success probability against every reading of the bound."""
    from ..dynamics.initialization import init_bounds

    p, a, inst = init_instance(instance, "alpha", alpha_max)
    if a > alpha_max(p) * (1 + 1e-15):
        raise Outside(f"α = {a:.6g} > √(1/(2p)) = {alpha_max(p):.6g}", inst)
    P, prob = exact_success(p, a)
    bounds = init_bounds(p, a)
    specs = [
        Spec(
            f"P(success) ≥ {_BOUND_LABELS[_BOUND_READINGS[key]]}",
            prob,
            Term(value, 1e-14),
            ">=",
            _BOUND_READINGS[key],
            max(abs(value), 1e-3),
            id=f"above-{_BOUND_READINGS[key]}",
        )
        for key, value in bounds.items()
    ]
    tight = bounds["proof"] / P if P > 0 else None
    return Findings(
        inst,
        specs,
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
    readings=tuple(Reading(rid, label) for rid, label in _BOUND_LABELS.items()),
    check_function=thm34_init,
    spec_ids=tuple(f"above-{reading}" for reading in _BOUND_READINGS.values()),
    defaults={"p": 5},
    takes_distribution=False,
    parameters=("p",),
    method="the exact probability (two spherical caps, regularized incomplete beta) against each bound",
    tightness="the proof's bound / the exact probability at the worst instance (1: the bound is exact)",
    controls=(
        Control("proof-bound-doubled", "P(success) ≥ 2(½ − α·V_{p−1}/V_p) (the proof's bound doubled)",
                {"control_scale": {"above-proof-bound": 2.0}}, "exact-probability-is-above-each-reading-of-the-bound"),
        Control("proof-bound-is-an-upper-bound", "P(success) ≤ ½ − α·V_{p−1}/V_p (the relation reversed)",
                {"control_reverse": "above-proof-bound"}, "exact-probability-is-above-each-reading-of-the-bound"),
    ),
    searches=(radius_search("exact-probability-is-above-each-reading-of-the-bound", alpha_max, "alpha",
                            examples=100),),
    erratum=init_erratum(16),
)

__doc__ = CLAIM.module_doc()

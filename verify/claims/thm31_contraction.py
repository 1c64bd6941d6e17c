"""thm31-contraction: Theorem 3.1's one-step contraction for k patches (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ..checker.claim import Claim, Reading, Search
from ..checker.context import ConstantsCache
from ..checker.contraction import contraction_controls, contraction_findings
from ..checker.findings import Findings
from ..checker.refine import Refinement, chart, step_fraction, student
from ..checker.strategies import filters_near, finite_patch_laws, teacher_filters
from ..laws.builtin import PatchCloseness


@st.composite
def _finite_instances(draw: Any) -> dict:
    law = draw(finite_patch_laws(jitter=True))
    w_star = draw(teacher_filters(2))
    return {"dist": law, "w_star": w_star, "w": draw(filters_near(w_star)), "eta_fraction": draw(st.floats(0.01, 1.0))}


@st.composite
def _close_patches(draw: Any) -> dict:
    """Fig. 3b's law with close patches, by Monte Carlo (10⁵ draws): spends a share of the false-alarm budget."""
    law = PatchCloseness(2, k=draw(st.integers(2, 5)), sigma_patch=draw(st.sampled_from([0.005, 0.01])))
    return {
        "dist": law,
        "ratio": draw(st.floats(0.05, 0.4)),
        "eta_fraction": draw(st.floats(0.1, 1.0)),
        "n": 100_000,
        "seed": draw(st.integers(0, 999)),
    }


def thm31_contraction(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 12: as claim 7 with the general-k constants; reading with the printed γ(0) numerator
    (:func:`~verify.checker.contraction.contraction_findings`)."""
    return contraction_findings(instance, cache, general_k=True, factors={"gamma-phi-step": 0.5},
                                printed_step_reading="gamma-0-step")


CLAIM = Claim(
    id="thm31-contraction",
    source="§3, Theorem 3.1",
    statement=(
        "if ‖w0 − w*‖ < ‖w*‖, γ(φ0) > 6L_cross and 0 < η ≤ min_{0≤φ≤φ_t} (γ(φ) − "
        "6L_cross)/(2(L(φ)+10L_cross+4β)²), then ‖w_{t+1} − w*‖² ≤ (1 − η(γ(φ_t) − 6L_cross)/2)‖w_t − w*‖²"
    ),
    kind="upper-bound",
    reconstructed="the printed step-size numerator reads like γ(0); the proof needs γ(φ)",
    readings=(
        Reading("gamma-phi-step", "γ(φ) in the step size [reconstructed]"),
        Reading("gamma-0-step", "printed γ(0) in the step size"),
    ),
    check_function=thm31_contraction,
    spec_ids=("contraction", "contraction-printed-step"),
    defaults={"distribution": {"name": "patches", "p": 2, "k": 4, "sigma_patch": 0.005}, "ratio": 0.3},
    method="one GD step; exact on finite laws in p = 2",
    tightness=(
        "the claimed decrease η(γ(φ_t) − 6L_cross)‖w_t−w*‖²/2 over the actual decrease at the worst instance (1: tight)"
    ),
    controls=contraction_controls(
        "one-gd-step-contracts-on-finite-patch-laws",
        "‖w_{t+1} − w*‖² ≤ (1 − 4η(γ(φ_t) − 6L_cross))‖w_t − w*‖² (8× the proof's factor)",
        ("one GD step contracts also with η = 20 (the step-size hypothesis dropped)", {"eta": 20.0}),
    ),
    searches=(
        Search("one-gd-step-contracts-on-finite-patch-laws", _finite_instances, expect="holds", examples=30,
               refine=Refinement(chart(student(), step_fraction()), boundary=True)),
        Search(
            "one-gd-step-contracts-for-close-patches",
            _close_patches,
            expect="holds",
            examples=2,
            false_alarm=1e-4,
        ),
    ),
)

__doc__ = CLAIM.module_doc()

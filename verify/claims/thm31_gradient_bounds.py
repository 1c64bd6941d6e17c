"""thm31-gradient-bounds: the two gradient bounds of Theorem 3.1's proof (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.context import ConstantsCache
from ..checker.findings import Findings
from ..checker.gradient_bounds import LOWER, UPPER, gradient_bound_controls, gradient_bounds_findings
from ..checker.refine import Refinement, student
from ..checker.strategies import cross_term_patch_laws, filters_near, finite_patch_laws, teacher_filters
from ..geometry import angle, basis_vector
from ..laws.builtin import PatchCloseness


@st.composite
def _finite_instances(draw: Any) -> dict:
    law = draw(st.one_of(finite_patch_laws(), finite_patch_laws(jitter=True)))
    w_star = draw(teacher_filters(2))
    return {"dist": law, "w_star": w_star, "w": draw(filters_near(w_star))}


@st.composite
def _cross_term_instances(draw: Any) -> dict:
    """Few draws with near-opposite or near-collinear patches between w*⊥ and w⊥: L_cross at work."""
    w_star = draw(teacher_filters(2))
    w = draw(filters_near(w_star, min_ratio=0.05).filter(lambda v: angle(v, w_star) > 0.01))  # a wedge to fill
    return {"dist": draw(cross_term_patch_laws(w_star, w)), "w_star": w_star, "w": w}


@st.composite
def _close_patches(draw: Any) -> dict:
    """Fig. 3b's law by Monte Carlo (10⁵ draws): spends a share of the false-alarm budget."""
    k, sigma_patch = draw(st.integers(2, 5)), draw(st.sampled_from([0.005, 0.02, 0.1]))
    ratio, seed = draw(st.floats(0.05, 0.95)), draw(st.integers(0, 999))
    v = np.random.default_rng(seed).standard_normal(2)
    w = basis_vector(2, 0) + ratio * v / np.linalg.norm(v)
    return {"dist": PatchCloseness(2, k=k, sigma_patch=sigma_patch), "w": w, "n": 100_000, "seed": seed}


def thm31_gradient_bounds(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 11 at ``w``: the general-k gradient bounds with γ(θ), L(θ), β, L_cross of the law
    (:func:`~verify.checker.gradient_bounds.gradient_bounds_findings`)."""
    return gradient_bounds_findings(instance, cache, primary="as-printed", general_k=True)


CLAIM = Claim(
    id="thm31-gradient-bounds",
    source="Appendix A.2, proof of Theorem 3.1",
    statement=(
        "if ‖w − w*‖ < ‖w*‖: ⟨E∇ℓ(w), w − w*⟩ ≥ (γ(θ) − 6L_cross)‖w − w*‖² and ‖E∇ℓ(w)‖ ≤ (L(θ) + 10L_cross +"
        " 4β)‖w − w*‖"
    ),
    kind="upper-bound",
    readings=(Reading("as-printed", "as printed"),),
    check_function=thm31_gradient_bounds,
    spec_ids=(LOWER, UPPER),
    defaults={"distribution": {"name": "patches", "p": 2, "k": 4, "sigma_patch": 0.005}},
    method="exact on finite laws in p = 2 (β, L_cross by enumerating the pieces); Monte Carlo otherwise",
    tightness=(
        "the larger of (γ(θ)−6L_cross)‖w−w*‖²/⟨E∇ℓ, w−w*⟩ and ‖E∇ℓ‖ over its bound at the worst instance (1: tight)"
    ),
    controls=(
        *gradient_bound_controls(general_k=True, upper_search="bounds-hold-on-finite-patch-laws",
                                 lower_search="bounds-hold-on-finite-patch-laws"),
        Control("cross-term-dropped", "⟨E∇ℓ(w), w − w*⟩ ≥ γ(θ)‖w − w*‖² for k patches (the −6L_cross dropped)",
                {"lower_cross_factor": 0.0}, "bounds-hold-with-strong-cross-terms"),
    ),
    searches=(
        Search("bounds-hold-on-finite-patch-laws", _finite_instances, expect="holds", examples=30,
               refine=Refinement(student(), boundary=True)),
        Search("bounds-hold-with-strong-cross-terms", _cross_term_instances, expect="holds", examples=10),
        Search("bounds-hold-for-close-patches", _close_patches, expect="holds", examples=3, false_alarm=2e-4),
    ),
)

__doc__ = CLAIM.module_doc()

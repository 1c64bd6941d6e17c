"""thm22-gradient-bounds: the two gradient bounds of Theorem 2.2's proof (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ..checker.claim import Claim, Reading, Search
from ..checker.context import ConstantsCache
from ..checker.findings import Findings
from ..checker.gradient_bounds import LOWER, UPPER, gradient_bound_controls, gradient_bounds_findings
from ..checker.refine import Refinement, student
from ..checker.strategies import datasets, exact_one_neuron_laws, filters_near, teacher_filters
from ..laws.builtin import Empirical


@st.composite
def _finite_instances(draw: Any) -> dict:
    """Finite laws in p = 2 (exact sums, both directions of the two-point direction set): where the bounds
    come closest to failing (a few percent of such laws break the upper bound halved)."""
    data = draw(datasets(min_n=1, max_n=30, p=2))
    w_star = draw(teacher_filters(2))
    return {"dist": Empirical(data), "w_star": w_star, "w": draw(filters_near(w_star))}


@st.composite
def _exact_instances(draw: Any) -> dict:
    law, w_star = draw(exact_one_neuron_laws(max_p=48))
    return {"dist": law, "w_star": w_star, "w": draw(filters_near(w_star))}


@st.composite
def _degenerate_instances(draw: Any) -> dict:
    """Degenerate Gaussians in p = 3…5: the direction set is searched, the estimates one-sided."""
    law, w_star = draw(
        exact_one_neuron_laws(max_p=2, finite=False, mixture=False, min_degenerate_p=3, max_degenerate_p=5).filter(
            lambda lw: not lw[0].symmetry
        )
    )
    return {"dist": law, "w_star": w_star, "w": draw(filters_near(w_star))}


def thm22_gradient_bounds(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 6 at ``w``: both gradient bounds with γ(θ), L(θ) and the tight β of the law (readings with
    β = 1 for the sphere, β = p for N(0, I)): :func:`~verify.checker.gradient_bounds.gradient_bounds_findings`."""
    return gradient_bounds_findings(instance, cache, primary="tight-beta", general_k=False)


CLAIM = Claim(
    id="thm22-gradient-bounds",
    source="Appendix A.1, proof of Theorem 2.2",
    statement=("if ‖w − w*‖ < ‖w*‖: ⟨E∇ℓ(w), w − w*⟩ ≥ γ(θ)‖w − w*‖² and ‖E∇ℓ(w)‖ ≤ (L(θ) + 4β)‖w − w*‖, θ = θ(w, w*)"),
    kind="upper-bound",
    readings=(
        Reading("tight-beta", "tight β"),
        Reading("beta-1", "β = 1 (Theorem A.1)"),
        Reading("beta-p", "β = p (Theorem A.2)"),
    ),
    check_function=thm22_gradient_bounds,
    spec_ids=(LOWER, UPPER),
    defaults={"distribution": {"name": "mixture", "p": 3, "sigma": 1.0}},
    method="γ, L, β exact (radial, finite p = 2) or by quadrature (angular mixture); gradient likewise",
    tightness="the larger of γ(θ)‖w−w*‖²/⟨E∇ℓ, w−w*⟩ and ‖E∇ℓ‖/((L(θ)+4β)‖w−w*‖) at the worst instance (1: tight)",
    controls=gradient_bound_controls(general_k=False, upper_search="bounds-hold-on-finite-laws-in-p2",
                                     lower_search="bounds-hold-inside-the-ball"),
    searches=(
        Search("bounds-hold-inside-the-ball", _exact_instances, expect="holds", examples=32,
               refine=Refinement(student())),
        Search("bounds-hold-on-finite-laws-in-p2", _finite_instances, expect="holds", examples=30,
               refine=Refinement(student(), families=True, boundary=True)),
        Search("bounds-hold-for-degenerate-laws", _degenerate_instances, expect="holds", examples=8),
    ),
)

__doc__ = CLAIM.module_doc()

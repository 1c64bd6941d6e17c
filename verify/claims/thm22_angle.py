"""thm22-angle: the first observation of Theorem 2.2's proof (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.context import ConstantsCache
from ..checker.findings import Findings
from ..checker.instance import distance_inside_ball, public_instance, teacher_and_student
from ..checker.refine import Refinement, student
from ..checker.strategies import dimensions, filters_near, teacher_filters
from ..checker.terms import EPS, Term
from ..checker.verdicts import Spec
from ..geometry import angle


@st.composite
def _teacher_student_pairs(draw: Any) -> dict:
    w_star = draw(dimensions(max_p=64).flatmap(teacher_filters))
    return {"w_star": w_star, "w": draw(filters_near(w_star))}


def thm22_angle(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 5: θ(w, w*) ≤ arcsin(‖w − w*‖/‖w*‖) in floating point.  Keys: w_star, w (or p).

    θ by atan2 (16 ulp), arcsin with its rounding bound 8 ulp·(1 + 1/√(1 − x²)), x = ‖w − w*‖/‖w*‖.
    """
    w_star, w = teacher_and_student(instance)
    inst = public_instance(instance, w_star=w_star, w=w)
    r = distance_inside_ball(w, w_star, inst)
    ns = float(np.linalg.norm(w_star))
    theta = angle(w, w_star / ns)
    x = r / ns
    rhs = math.asin(x)
    rhs_err = 8 * EPS * (1.0 + 1.0 / math.sqrt(max(1e-300, (1 - x) * (1 + x))))
    spec = Spec("θ(w, w*) ≤ arcsin(‖w−w*‖/‖w*‖)", Term(theta, 16 * EPS), Term(rhs, rhs_err), "<=", "as-printed",
                max(rhs, 1e-300), id="angle-within-arcsin")
    details = {
        "theta": theta,
        "arcsin": rhs,
        "relative_distance": x,
        "equality_when": "w − w* ⟂ w (the segment from w* is tangent to the cone)",
    }
    return Findings(inst, [spec], tightness=theta / rhs if rhs > 0 else None, details=details)


CLAIM = Claim(
    id="thm22-angle",
    source="Appendix A.1, proof of Theorem 2.2 (its first observation)",
    statement=("if ‖w − w*‖ < ‖w*‖ then θ(w, w*) ≤ arcsin(‖w − w*‖/‖w*‖)"),
    kind="upper-bound",
    readings=(Reading("as-printed", "as printed"),),
    check_function=thm22_angle,
    spec_ids=("angle-within-arcsin",),
    defaults={"p": 3},
    takes_distribution=False,
    parameters=("p",),
    method="geometry in floating point (atan2 angles, rounding bounds)",
    tightness="θ(w, w*) / arcsin(‖w − w*‖/‖w*‖) at the instance closest to equality (1 at a tangent point)",
    controls=(
        Control("half-the-arcsin", "θ(w, w*) ≤ ½·arcsin(‖w − w*‖/‖w*‖) (a constant scaled)",
                {"control_scale": {"angle-within-arcsin": 0.5}},
                "angle-is-at-most-the-arcsin-of-the-relative-distance"),
        Control("angle-at-least-the-arcsin", "θ(w, w*) ≥ arcsin(‖w − w*‖/‖w*‖) (the relation reversed)",
                {"control_reverse": "angle-within-arcsin"}, "angle-is-at-most-the-arcsin-of-the-relative-distance"),
    ),
    searches=(
        Search(
            "angle-is-at-most-the-arcsin-of-the-relative-distance", _teacher_student_pairs, expect="holds", examples=200,
            refine=Refinement(student()),
        ),
    ),
)

__doc__ = CLAIM.module_doc()

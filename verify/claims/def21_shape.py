"""def21-shape: the remarks after Definition 2.1 on the shape of γ and L (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.refine import Refinement, chart
from ..checker.context import ConstantsCache, InstanceContext
from ..checker.instance import public_instance
from ..checker.findings import Findings, Outside
from ..checker.terms import Term
from ..checker.verdicts import Spec
from ..laws.builtin import Empirical
from ..checker.strategies import angles, exact_one_neuron_laws
from ..estimators.moments import moment_curves
from ..estimators.sampling import SamplingPlan
from ..geometry import orthonormal_complement
from ..validation import check_count


@st.composite
def _exact_laws_on_a_grid(draw: Any) -> dict:
    """A law with exact γ, L (:func:`~verify.checker.strategies.exact_one_neuron_laws`) on a grid with the ends near 0, π."""
    law, w_star = draw(exact_one_neuron_laws(max_p=12))
    extra = draw(st.lists(angles(), min_size=0, max_size=4))
    phis = np.unique(np.r_[np.linspace(0, math.pi, 7), extra, 1e-6, math.pi - 1e-6])
    return {"dist": law, "w_star": w_star, "phis": phis}


def _along_directions(ctx: InstanceContext, phis: np.ndarray, count: int) -> list[tuple[list, list, str]]:
    """λ_min and λ_max of A(φ, v) = E[ZZᵀ 1{Z ∈ S(w(φ, v), w*)}] on the grid, for ``count`` seeded unit
    directions v ⟂ u* of a finite law (exact sums, Weyl rounding bounds): [(γ_v Terms, L_v Terms, label)]."""
    rng = np.random.default_rng([ctx.seed or 0, 22])
    basis = orthonormal_complement(ctx.u)
    coefficients = rng.standard_normal((count, basis.shape[0]))
    out = []
    for i, c in enumerate(coefficients):
        v = c @ basis
        v /= np.linalg.norm(v)
        mc = moment_curves(ctx.dist, ctx.u, v, phis, (("same", "same"),), SamplingPlan("exact", 1, None))
        g = [Term.of(e) for e in mc.extreme_eigenvalue(("same", "same"), "min")]
        L = [Term.of(e) for e in mc.extreme_eigenvalue(("same", "same"), "max")]
        out.append((g, L, f" along v{i + 1}"))
    return out


def _extremes(curves: list[tuple[list, list, str]], phis: np.ndarray) -> tuple[list[Term], list[Term]]:
    """min over the directions of λ_min (an upper bound on γ) and max of λ_max (a lower bound on L); at
    φ = 0 and π the direction set is the one point ±u*, so there they are exact."""
    ends = (phis == 0) | (phis == math.pi)
    g = [replace(min((c[0][j] for c in curves), key=lambda t: t.value), side="exact" if ends[j] else "upper-bound")
         for j in range(len(phis))]
    L = [replace(max((c[1][j] for c in curves), key=lambda t: t.value), side="exact" if ends[j] else "lower-bound")
         for j in range(len(phis))]
    return g, L


def def21_shape(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 2 on a grid ``phis`` (0 and π added): monotonicity of γ and L, 0 ≤ γ ≤ L, γ(π) = L(π) = 0 and
    A_{w,−w*}(θ = 0) = 0 (the last three only for a law without mass on w*⊥).  Keys: dist, w_star, phis."""
    ctx = InstanceContext(instance, cache)
    if ctx.k != 1:
        raise Outside("Definition 2.1 is for one patch (k = 1)", public_instance(instance, ctx))
    notes = []
    along = None
    # γ and L over the whole direction set are computed exactly for radial laws, in p = 2 (two directions)
    # and by quadrature for axial laws (every direction alike).  Any other law: the remarks hold for every
    # law (docs/claims.md §4 claim 2, the proof), so for a finite one — the law itself, or the empirical law
    # of seeded draws of it — where every moment is a finite sum, and they are decided there exactly: in
    # p = 2 over the two directions, in p ≥ 3 along seeded directions v (the statements the proof reduces
    # the claim to).
    whole_set = ctx.p == 2 or ctx.method == "quad" or (ctx.rotational and ctx.k == 1)
    if ctx.method in ("mc", "qmc") or (not whole_set and ctx.atoms is None):
        m = check_count(instance.get("samples", 20_000), "samples")
        atoms = np.asarray(ctx.dist.sample(m, np.random.default_rng([ctx.seed or 0, 21])), dtype=float)
        ctx = InstanceContext({"dist": Empirical(atoms), "w_star": ctx.w_star, "method": "exact", "seed": ctx.seed},
                              cache)
        notes.append(f"decided exactly on the empirical law of {m} seeded draws of the law")
        whole_set = ctx.p == 2
    if not whole_set:
        along = check_count(instance.get("directions", 8), "directions")
        notes.append(f"along {along} seeded directions v ⟂ w*: A(φ, v) is Loewner non-increasing in φ for every v "
                     "(the regions are nested), so γ and L, a min and a max over v of its extreme eigenvalues, "
                     "are non-increasing for every law (proof: docs/claims.md §4 claim 2)")
    phis = np.asarray(instance.get("phis", np.linspace(0.0, math.pi, 9)), dtype=float)
    phis = np.unique(np.r_[phis, 0.0, math.pi])
    if along is None:
        g, L = ctx.gamma_L(phis)
        curves = [(g, L, "")]
    else:
        curves = _along_directions(ctx, phis, along)
        g, L = _extremes(curves, phis)
    nat = ctx.natural_scale()
    reading = "as-printed"
    specs = []
    for gv, Lv, where in curves:
        for j in range(len(phis) - 1):
            tag = f"{where} @ φ={phis[j]:.4g}→{phis[j + 1]:.4g}"
            specs.append(Spec("γ non-increasing" + tag, gv[j + 1], gv[j], "<=", reading, nat,
                              id="gamma-non-increasing"))
            specs.append(Spec("L non-increasing" + tag, Lv[j + 1], Lv[j], "<=", reading, nat, id="l-non-increasing"))
        for j, phi in enumerate(phis):
            specs.append(Spec(f"γ ≥ 0{where} @ φ={phi:.4g}", gv[j], 0.0, ">=", reading, nat, id="gamma-non-negative"))
    for j, phi in enumerate(phis):
        specs.append(Spec(f"γ ≤ L @ φ={phi:.4g}", g[j], L[j], "<=", reading, nat, id="gamma-at-most-l"))
    no_mass = ctx.atoms_on_hyperplane(ctx.u) == 0
    if ctx.exact_kind == "degenerate":
        no_mass = bool(np.any(ctx.u[: ctx.dist.rank]))
    if no_mass:
        specs.append(Spec("γ(π) = 0", g[-1], 0.0, "==", reading, nat, id="gamma-zero-at-pi"))
        specs.append(Spec("L(π) = 0", L[-1], 0.0, "==", reading, nat, id="l-zero-at-pi"))
        if ctx.atoms is not None:
            # w = w*: the region {w*·Z ≥ 0, w*·Z ≤ 0} is the hyperplane, which holds no patch here
            # (``moments.plane_of`` may return a tiny negative angle for w ∥ w*: computed directly).
            z = ctx.atoms[:, 0, :]
            dots = z @ ctx.u
            on = (dots >= 0) & (dots <= 0)
            value = (z[on].T @ z[on]) / z.shape[0]
            from types import SimpleNamespace

            opp = SimpleNamespace(value=value, error=np.zeros_like(value), error_kind="exact", dof=None, method="exact")
        else:
            from ..estimators.moments import second_moment

            opp = second_moment(
                ctx.dist, ctx.u, ctx.u, "opposite", method=ctx.method, n=ctx.n, seed=(ctx.seed or 0) + 3
            )
        lam = np.linalg.eigvalsh((opp.value + opp.value.T) / 2)
        err = float(np.linalg.norm(opp.error))
        kind = opp.error_kind
        term = Term(
            float(np.max(np.abs(lam))),
            err if kind != "standard-error" else 0.0,
            err if kind == "standard-error" else 0.0,
            opp.dof,
            "estimate" if kind == "standard-error" else "exact",
            opp.method,
        )
        specs.append(Spec("A_{w,−w*} = 0 at θ(w,w*) = 0 (‖·‖₂)", term, 0.0, "==", reading, nat,
                          id="opposite-matrix-zero-at-zero-angle"))
    else:
        notes.append("the law puts mass on w*⊥, so γ(π) = L(π) = 0 and A_{w,−w*}(θ=0) = 0 are not claimed")
    details = {"phis": phis, "gamma": [t.value for t in g], "L": [t.value for t in L]}
    return Findings(public_instance(instance, ctx, phis=phis), specs, note="; ".join(notes), details=details,
                    grouped=True)


CLAIM = Claim(
    id="def21-shape",
    source="§2.1, remarks after Definition 2.1",
    statement=(
        "γ(φ) and L(φ) are non-increasing in φ; 0 ≤ γ(φ) ≤ L(φ); γ(π) = L(π) = 0 without mass on hyperplanes;"
        " A_{w,−w*} = 0 at θ(w, w*) = 0"
    ),
    kind="upper-bound",
    readings=(Reading("as-printed", "as printed"),),
    check_function=def21_shape,
    spec_ids=("gamma-non-increasing", "l-non-increasing", "gamma-non-negative", "gamma-at-most-l", "gamma-zero-at-pi",
              "l-zero-at-pi", "opposite-matrix-zero-at-zero-angle"),
    defaults={"distribution": {"name": "mixture", "p": 3, "sigma": 1.0}},
    method="exact (radial, finite p = 2), quadrature (angular mixture), else estimates with their sides",
    tightness="none: orderings and signs of γ and L (no constant is bounded)",
    controls=(
        Control("gamma-non-decreasing", "γ(φ) is non-decreasing in φ (the relation reversed)",
                {"control_reverse": "gamma-non-increasing"}, "shape-on-exact-laws"),
        Control("l-at-most-gamma", "L(φ) ≤ γ(φ) (the relation reversed)", {"control_reverse": "gamma-at-most-l"},
                "shape-on-exact-laws"),
    ),
    searches=(Search("shape-on-exact-laws", _exact_laws_on_a_grid, expect="holds", examples=15,
                     refine=Refinement(chart(), families=True, boundary=True)),),
)

__doc__ = CLAIM.module_doc()

"""asm32-identical-patches: the remark after Assumption 3.2, identical patches have L_cross = 0

The docstring is derived from ``CLAIM`` below.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.context import ConstantsCache, InstanceContext
from ..checker.instance import default_student, draws, public_instance, vector
from ..checker.findings import Findings, Outside
from ..checker.terms import EPS, Term
from ..checker.verdicts import Spec
from ..laws.builtin import Empirical
from ..estimators.moments import cross_moment
from ..estimators.finite_sups import finite_sup_ratio
from ..laws.builtin import Gaussian, Sphere
from ..checker.strategies import datasets, dimensions, filters_near, teacher_filters
from ..validation import check_count


@st.composite
def _finite_instances(draw: Any) -> dict:
    base = draw(datasets(min_n=1, max_n=30, min_p=2, max_p=5))
    p = base.shape[1]
    w_star = draw(teacher_filters(p))
    w = draw(st.one_of(filters_near(w_star), teacher_filters(p, min_norm=0.01)))
    return {"dist": Empirical(base), "k": draw(st.integers(2, 5)), "w_star": w_star, "w": w}


@st.composite
def _copies_of_continuous_laws(draw: Any) -> dict:
    family = draw(st.sampled_from([Gaussian, Sphere]))
    return {
        "dist": family(draw(dimensions(max_p=6))),
        "k": draw(st.integers(2, 6)),
        "samples": 300,
        "seed": draw(st.integers(0, 999)),
    }


def asm32_identical_patches(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 13: k = ``k`` identical copies of each draw of the law (or of its atoms).  Per draw the cross
    products are ZZᵀ1{Z ∈ R1 ∩ R2} ⪰ 0, so their mean vanishes iff every one does; checked at ``w`` and
    8 seeded w, and (p = 2) the exact sup L_cross = 0.  ``patch_jitter`` (a negative control) adds seeded
    Gaussian noise of that size to each patch: the patches are then not identical."""
    base = InstanceContext(instance, cache)
    k = check_count(instance.get("k", 3), "k", minimum=2)
    z = draws(base, instance)
    if base.k != 1:
        z = z[:, :1, :]
    atoms = np.repeat(z, k, axis=1)  # Z_1 = … = Z_k
    jitter = float(instance.get("patch_jitter", 0.0))  # a negative control: patches that are not identical
    if jitter:
        atoms = atoms + jitter * np.random.default_rng([base.seed or 0, 14]).standard_normal(atoms.shape)
    law = Empirical(atoms)
    ctx = InstanceContext(
        {
            **{kk: v for kk, v in instance.items() if kk not in ("distribution", "data")},
            "dist": law,
            "w_star": base.w_star,
            "method": "exact",
        },
        cache,
    )
    w = vector(instance, "w", ctx.p)
    w = default_student(ctx, 0.6) if w is None else w
    inst = public_instance(instance, base, w=w, k=k, patches=int(atoms.shape[0]))
    if ctx.atoms_on_hyperplane(ctx.u):
        raise Outside(
            "some patch lies on w*⊥: the regions S(w,w*) and S(w,−w*) share it for every w, "
            "which the remark's 'measure 0' excludes",
            inst,
        )
    nat = ctx.natural_scale()
    specs = []
    # The cross moments E[Z_{R1} Z_{R2}ᵀ] of the patches built (Assumption 3.2, docs/claims.md §3), as exact
    # sums over the finite law (verify.estimators.moments.cross_moment), at the given w and at seeded random w's (any w
    # with θ(w, w*) ≤ π/2 enters the sup defining L_cross).  For identical patches each is E[ZZᵀ1{Z ∈ R1 ∩ R2}]
    # with R1 ∩ R2 inside a hyperplane, i.e. 0 for patches off it.
    rng = np.random.default_rng([ctx.seed or 0, 13])
    trials = [w] + [
        ctx.w_star + ctx.norm_star * rng.uniform(0.05, 0.99) * v / np.linalg.norm(v)
        for v in rng.standard_normal((8, ctx.p))
    ]
    worst, ties, tried = Term(0.0), 0, 0
    for wt in trials:
        if np.any(atoms @ wt == 0):
            ties += 1
            continue
        tried += 1
        total = Term(0.0)
        for pair in (("same", "opposite"), ("same", "flipped"), ("opposite", "flipped")):
            m = cross_moment(law, wt, ctx.w_star, pair, method="exact")
            sv = float(np.linalg.svd(m.value, compute_uv=False)[0])
            total = total + Term(sv, float(np.linalg.norm(m.error)) + 4 * ctx.p * EPS * float(np.sum(np.abs(m.value))))
        if total.value >= worst.value:
            worst = total
    if tried:
        specs.append(
            Spec(
                f"cross moments vanish: max over {tried} w of Σ λ_max(E[Z_S Z_S'ᵀ]) = 0",
                worst,
                Term(0.0),
                "==",
                "as-printed",
                nat,
                id="cross-moments-vanish",
            )
        )
    if ctx.p == 2:
        value, arg = finite_sup_ratio(law, ctx.u, "cross")
        specs.append(
            Spec(
                "L_cross = 0 (exact sup over θ)",
                Term(value, 64 * EPS * max(1.0, value) * atoms.shape[0]),
                Term(0.0),
                "==",
                "as-printed",
                nat,
                id="l-cross-zero",
            )
        )
    note = "" if ties == 0 else f"{ties} of the w tried have a patch on w⊥ (a tie of measure zero): skipped"
    return Findings(
        inst,
        specs,
        note=note,
        details={"max_cross_sum": worst.value, "w_tried": tried, "w_with_ties": ties, "patch_jitter": jitter},
        in_hypothesis=not jitter,
    )


CLAIM = Claim(
    id="asm32-identical-patches",
    source="§3, remark after Assumption 3.2",
    statement=("if Z_1 = … = Z_k then L_cross = 0"),
    kind="equality",
    readings=(Reading("as-printed", "as printed"),),
    check_function=asm32_identical_patches,
    spec_ids=("cross-moments-vanish", "l-cross-zero"),
    defaults={"distribution": {"name": "gaussian", "p": 2}, "k": 3, "samples": 400},
    method="per-sample cross moments (exact sums); exact sup over θ for p = 2",
    tightness="none: an equality with 0 (the largest cross sum found is in the details)",
    controls=(
        Control("slightly-jittered-patches", "L_cross = 0 also for patches jittered by 0.05 (identity dropped)",
                {"patch_jitter": 0.05, "control_assume_hypotheses": True}, "identical-patches-have-no-cross-moments"),
        Control("independent-patches", "L_cross = 0 for patches jittered by 10, nearly independent (identity dropped)",
                {"patch_jitter": 10.0, "control_assume_hypotheses": True},
                "identical-copies-of-a-continuous-law-have-zero-l-cross"),
    ),
    searches=(
        Search("identical-patches-have-no-cross-moments", _finite_instances, expect="holds", examples=40),
        Search(
            "identical-copies-of-a-continuous-law-have-zero-l-cross",
            _copies_of_continuous_laws,
            expect="holds",
            examples=5,
        ),
    ),
)

__doc__ = CLAIM.module_doc()

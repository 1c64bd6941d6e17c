"""asm32-identical-patches: §3, remark after Assumption 3.2.

if Z_1 = … = Z_k then L_cross = 0

See docs/claims.md §4 (asm32-identical-patches).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..checker.claim import Claim, Reading, Search
from ..checker.context import ConstantsCache, InstanceContext
from ..checker.instance import default_student, draws, public_instance, vector
from ..checker.result import CheckResult, make_result, outside_result
from ..checker.terms import EPS, Term
from ..checker.verdicts import Spec, compare_all
from ..distributions import Empirical
from ..finite_sups import finite_sup_ratio
from ..distributions import Gaussian, Sphere
from ..strategies import datasets, dimensions, filters_near, teacher_filters
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


def asm32_identical_patches(instance: dict, *, alpha: float, cache: ConstantsCache) -> CheckResult:
    """Claim 13: k = ``k`` identical copies of each draw of the law (or of its atoms).  Per draw the cross
    products are ZZᵀ1{Z ∈ R1 ∩ R2} ⪰ 0, so their mean vanishes iff every one does; checked at ``w`` and
    8 seeded w, and (p = 2) the exact sup L_cross = 0."""
    claim = CLAIM
    base = InstanceContext(instance, cache)
    k = check_count(instance.get("k", 3), "k", minimum=2)
    z = draws(base, instance)
    if base.k != 1:
        z = z[:, :1, :]
    atoms = np.repeat(z, k, axis=1)  # Z_1 = … = Z_k
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
        return outside_result(
            claim.id,
            inst,
            claim.reading_ids,
            alpha,
            "some patch lies on w*⊥: the regions S(w,w*) and S(w,−w*) share it for every w, "
            "which the remark's 'measure 0' excludes",
        )
    nat = ctx.natural_scale()
    specs = []
    # Per draw Z_{R} = (1/k)Σ_i Z_i 1{Z_i ∈ R} = Z 1{Z ∈ R} (identical patches), so
    # E[Z_{R1} Z_{R2}ᵀ] = E[ZZᵀ 1{Z ∈ R1 ∩ R2}]: exact sums over the draws, at the given w and at
    # seeded random w's (any w with θ(w, w*) ≤ π/2 enters the sup defining L_cross).
    zz = z[:, 0, :]
    b = zz @ ctx.w_star
    rng = np.random.default_rng([ctx.seed or 0, 13])
    trials = [w] + [
        ctx.w_star + ctx.norm_star * rng.uniform(0.05, 0.99) * v / np.linalg.norm(v)
        for v in rng.standard_normal((8, ctx.p))
    ]
    worst, ties, tried = Term(0.0), 0, 0
    for wt in trials:
        a = zz @ wt
        if np.any(a == 0):
            ties += 1
            continue
        tried += 1
        region = {"same": (a >= 0) & (b >= 0), "opposite": (a >= 0) & (b <= 0), "flipped": (a <= 0) & (b >= 0)}
        total = Term(0.0)
        for r1, r2 in (("same", "opposite"), ("same", "flipped"), ("opposite", "flipped")):
            both = region[r1] & region[r2]
            m = zz[both].T @ zz[both] / zz.shape[0]
            sv = float(np.linalg.svd(m, compute_uv=False)[0])
            total = total + Term(sv, 4 * ctx.p * EPS * float(np.sum(np.abs(m))))
        if total.value >= worst.value:
            worst = total
    if tried:
        specs.append(
            Spec(
                f"cross moments vanish: max over {tried} w of Σ λ_max(E[Z_S Z_S'ᵀ]) = 0",
                worst,
                Term(0.0),
                "==",
                claim.reading_ids[0],
                nat,
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
                claim.reading_ids[0],
                nat,
            )
        )
    comparisons = compare_all(specs, alpha)
    note = "" if ties == 0 else f"{ties} of the w tried have a patch on w⊥ (a tie of measure zero): skipped"
    return make_result(
        claim.id,
        inst,
        comparisons,
        claim.reading_ids,
        alpha=alpha,
        note=note,
        details={"max_cross_sum": worst.value, "w_tried": tried, "w_with_ties": ties},
    )


CLAIM = Claim(
    id="asm32-identical-patches",
    source="§3, remark after Assumption 3.2",
    statement=("if Z_1 = … = Z_k then L_cross = 0"),
    kind="equality",
    reconstructed=None,
    readings=(Reading("as-printed", "as printed"),),
    check_function=asm32_identical_patches,
    defaults={"distribution": {"name": "gaussian", "p": 2}, "k": 3, "samples": 400},
    method="per-sample cross moments (exact sums); exact sup over θ for p = 2",
    tightness="none: an equality with 0 (the largest cross sum found is in the details)",
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

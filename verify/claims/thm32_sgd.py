"""thm32-sgd: Theorem 3.2, SGD succeeds with probability ≥ 1 − δ (docstring derived from ``CLAIM`` below)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..checker.claim import Claim, Control, Reading, Search
from ..checker.context import ConstantsCache, InstanceContext
from ..checker.instance import draws, public_instance
from ..checker.findings import Findings, Outside
from ..checker.verdicts import comparison_from_interval
from ..stats import binomial_detectable_deficit, clopper_pearson
from ..laws.builtin import AngularMixture, Empirical, Sphere
from ..validation import check_count


def _identical_sphere_patches(k: int = 3, n: int = 400, seed: int = 7) -> Empirical:
    z = Sphere(2).sample(n, np.random.default_rng(seed))
    return Empirical(np.repeat(z, k, axis=1))


#: The laws SGD is run on: unit-norm (B is finite) with γ(φ) ≥ 6L_cross somewhere.
_SGD_LAWS = {
    "sphere p=2": lambda: Sphere(2),
    "sphere p=3": lambda: Sphere(3),
    "mixture p=2, sigma=1": lambda: AngularMixture(2, sigma=1.0),
    "3 identical sphere patches, p=2": _identical_sphere_patches,
}


@st.composite
def _sgd_cases(draw: Any) -> dict:
    """150 seeded SGD runs per instance: the success count spends a share of the false-alarm budget."""
    case = draw(st.sampled_from(sorted(_SGD_LAWS)))
    return {
        "dist": _SGD_LAWS[case](),
        "epsilon": draw(st.sampled_from([0.2, 0.3])),
        "delta": 0.1,
        "runs": 150,
        "seed": draw(st.integers(0, 999)),
    }


def thm32_sgd(instance: dict, *, alpha: float, cache: ConstantsCache) -> Findings:
    """Claim 14: ``runs`` seeded SGD runs (``batch``) with the reconstructed η and T (constants
    ``c_eta``, ``c_T``), success frequency of ‖w_T − w*‖ ≤ ``epsilon``‖w*‖ against 1 − ``delta`` with a
    one-sided Clopper–Pearson bound at the check's α (decided here: an interval, not a Spec)."""
    from ..dynamics.sgd import sgd

    ctx = InstanceContext(instance, cache)
    inst = public_instance(instance, ctx)
    eps = float(instance.get("epsilon", 0.2))
    delta = float(instance.get("delta", 0.1))
    ratio = float(instance.get("ratio", 0.5))
    runs = check_count(instance.get("runs", 100), "runs", minimum=2)
    batch = check_count(instance.get("batch", 1), "batch")
    c_eta, c_T = float(instance.get("c_eta", 1.0)), float(instance.get("c_T", 1.0))
    z = draws(ctx, {"samples": 2000})
    max_norm = float(np.max(np.linalg.norm(z, axis=-1)))
    unit = ctx.atoms is not None or abs(max_norm - 1.0) < 1e-9
    if not unit:
        raise Outside("the gradient bound B needs bounded patches (unit-norm laws or a finite law)", inst)
    B = ctx.norm_star * max_norm**2  # ‖g‖ ≤ ‖w−w*‖·max‖Z_i‖² ≤ ‖w*‖·max‖Z_i‖² in the ball
    Lc = ctx.L_cross()
    grid = np.linspace(0.0, math.pi / 2, 65)
    g, _ = ctx.gamma_L(grid)
    ok = [phi for phi, gi in zip(grid, g) if gi.value >= 6 * Lc.value]
    if not ok or ok[-1] <= 0:
        raise Outside(f"γ(φ) < 6L_cross = {6 * Lc.value:.3g} for all φ > 0", inst)
    phi_star = float(ok[-1])
    r0 = ratio * ctx.norm_star * math.sin(phi_star)
    phi0 = math.asin(r0 / ctx.norm_star)
    phi1 = 0.5 * (phi0 + phi_star)
    gamma1 = ctx.gamma_L([phi1])[0][0].value - 6 * Lc.value
    if gamma1 <= 0:
        raise Outside("γ(φ1) ≤ 6L_cross", inst)
    ns2 = ctx.norm_star**2
    eta = c_eta * eps**2 * gamma1 * ns2 / B**2
    T = math.ceil(c_T * B**2 / (eps**2 * gamma1**2 * ns2) * math.log(r0 / (eps * delta * ctx.norm_star)))
    T = min(T, int(instance.get("max_steps", 2_000_000)))
    rng = np.random.default_rng([ctx.seed or 0, 14])
    V = rng.standard_normal((runs, ctx.p))
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    W0 = ctx.w_star + r0 * V
    seeds = [int(x) for x in np.random.SeedSequence([ctx.seed or 0, 15]).generate_state(runs)]
    tr = sgd(
        ctx.dist,
        ctx.w_star,
        W0,
        T,
        eta,
        batch=batch,
        seeds=seeds,
        record_every=T,
        evaluation="auto" if (ctx.rotational or ctx.atoms is not None) else "sample",
        n_eval=2000,
    )
    final = np.linalg.norm(tr.final_weights - ctx.w_star, axis=1) / ctx.norm_star
    successes = int(np.count_nonzero(final <= eps))
    # one-sided Clopper–Pearson bounds, each at confidence 1 − α (the check's false-alarm probability)
    lower = clopper_pearson(successes, runs, level=1 - alpha, alternative="greater")[0]
    upper = clopper_pearson(successes, runs, level=1 - alpha, alternative="less")[1]
    comp = comparison_from_interval(
        f"P[‖w_T−w*‖ ≤ ε‖w*‖] ≥ 1 − δ = {1 - delta:g} (Clopper–Pearson)",
        "constants-1",
        successes / runs,
        lower,
        upper,
        1 - delta,
        ">=",
        alpha,
        "binomial",
        detectable=binomial_detectable_deficit(runs, 1 - delta, alpha) / (1 - delta),
    )
    hyp = None if Lc.side != "exact" or g[0].side != "exact" else True
    details = {
        "epsilon": eps,
        "delta": delta,
        "runs": runs,
        "successes": successes,
        "cp_lower": lower,
        "cp_upper": upper,
        "eta": eta,
        "T": T,
        "B": B,
        "phi_star": phi_star,
        "phi0": phi0,
        "phi1": phi1,
        "gamma_phi1_minus_6Lcross": gamma1,
        "L_cross": Lc.value,
        "batch": batch,
        "final_relative_distance_median": float(np.median(final)),
        "final_relative_distance_max": float(np.max(final)),
        "constants": f"η = {c_eta:g}·ε²(γ(φ1)−6L_cross)‖w*‖²/B², T = ⌈{c_T:g}·B²/(ε²(γ(φ1)−6L_cross)²‖w*‖²)·"
        "ln(r0/(εδ‖w*‖))⌉ [reconstructed]",
    }
    return Findings(public_instance(instance, ctx, r0=r0, runs=runs), comparisons=[comp], in_hypothesis=hyp,
                    details=details)


CLAIM = Claim(
    id="thm32-sgd",
    source="§3, Theorem 3.2",
    statement=(
        "with φ* the largest φ with γ(φ) ≥ 6L_cross, r0 < ‖w*‖ sin φ*, φ1 = (φ0 + φ*)/2, η = Θ(ε²(γ(φ1) − "
        "6L_cross)‖w*‖²/B²) and T = O(B²/(ε²(γ(φ1) − 6L_cross)²‖w*‖²)·log(r0/(εδ‖w*‖))) SGD steps, ‖w_T − w*‖"
        " ≤ ε‖w*‖ with probability ≥ 1 − δ"
    ),
    kind="empirical",
    reconstructed="constants of Θ and O taken as 1; φ* capped at π/2; B = ‖w*‖·max‖Z_i‖²",
    readings=(Reading("constants-1", "constants of Θ and O taken as 1"),),
    check_function=thm32_sgd,
    defaults={"distribution": {"name": "sphere", "p": 2}},
    method="seeded SGD runs; success frequency against 1 − δ with a one-sided Clopper–Pearson bound",
    tightness="none: a success frequency against 1 − δ (its Clopper–Pearson interval is in the details)",
    controls=(
        Control("a-hundredth-of-the-steps", "SGD reaches ε‖w*‖ with probability ≥ 1 − δ within T/100 steps",
                {"c_T": 0.01}, "sgd-succeeds-with-probability-at-least-one-minus-delta"),
        Control("step-size-times-1000", "SGD reaches ε‖w*‖ with probability ≥ 1 − δ with a step 1000× the theorem's",
                {"c_eta": 1000.0}, "sgd-succeeds-with-probability-at-least-one-minus-delta"),
    ),
    searches=(
        Search(
            "sgd-succeeds-with-probability-at-least-one-minus-delta",
            _sgd_cases,
            expect="holds",
            examples=3,
            false_alarm=2e-4,
        ),
    ),
)

__doc__ = CLAIM.module_doc()

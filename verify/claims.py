"""The claim registry: one entry per claim of CLAIMS.md §4, each with a numerical check.

Every claim is a :class:`Claim` built from one template (id, source, statement,
kind, reconstructed-from, readings, check), collected in :data:`REGISTRY`
(id → Claim).  ``claim.check(instance)`` evaluates the claim on one *instance*
(a distribution, w*, w, η, … as the claim needs) and returns a
:class:`CheckResult`: a verdict, the two sides compared, the margin with its
error bar, the tightness, the verdict of every reading, and a counterexample
when the claim fails.

The checks are built on two layers:

* :mod:`verify.verdicts` — the verdict rule, written once: how a comparison of
  two sides with error bars (:class:`Term`, :func:`compare`) becomes
  ``holds`` / ``refuted`` / ``inconclusive``, how estimates that err one way by
  construction restrict the verdict, how parts aggregate (:func:`aggregate`),
  and the JSON-ready :class:`CheckResult`;
* :mod:`verify.claim_context` — the instance evaluated: its law, w*, method and
  constants (γ, L, β, L_cross, the gradient) by the most exact route, with the
  exact sups for finite laws (:func:`finite_sup_ratio`, :func:`finite_mu`).

Their public names are re-exported here.  Instances outside a claim's
hypotheses (``in_hypothesis`` False) are reported and excluded.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .claim_context import _angle, _Context, _finite_pieces, _orthonormal_complement, finite_mu, finite_sup_ratio
from .distributions import Empirical, Gaussian
from .validation import InvalidArgument, check_count, check_seed
from .verdicts import (DEFAULT_ALPHA, MAX_INLINE_NUMBERS, RESOLUTION, SIDES, TOL, VERDICTS, _EPS, CheckResult,
                       Comparison, Term, _comparison_from_interval, _compare_all, _group_worst, _inner, _jsonable,
                       _norm, _outside, _result, _Spec, _step_distance_sq, aggregate, clopper_pearson, compare,
                       equality_verdict, one_sided_verdict, z_threshold)

__all__ = [
    "Claim",
    "Instance",
    "CheckResult",
    "Comparison",
    "Term",
    "REGISTRY",
    "VERDICTS",
    "CLAIM_KINDS",
    "TOL",
    "DEFAULT_ALPHA",
    "RESOLUTION",
    "get_claim",
    "list_claims",
    "check_claim",
    "aggregate",
    "one_sided_verdict",
    "equality_verdict",
    "compare",
    "z_threshold",
    "finite_sup_ratio",
    "finite_mu",
    "clopper_pearson",
    "SIDES",
    "MAX_INLINE_NUMBERS",
]

CLAIM_KINDS = ("equality", "upper-bound", "lower-bound", "empirical")


# ---------------------------------------------------------------------------
# Helpers shared by the checks
# ---------------------------------------------------------------------------

def _vector(instance: dict, key: str, p: int) -> np.ndarray | None:
    x = instance.get(key)
    if x is None:
        return None
    arr = np.asarray(x, dtype=float)
    if arr.shape != (p,) or not np.all(np.isfinite(arr)):
        raise InvalidArgument(key, f"must be a finite vector of length p={p}, got shape {arr.shape}")
    return arr


def _default_w(ctx: _Context, ratio: float = 0.5) -> np.ndarray:
    """w* + ratio·‖w*‖·v with v a seeded uniform unit vector: a point inside the ball of Theorem 2.2."""
    rng = np.random.default_rng([ctx.seed or 0, 99])
    v = rng.standard_normal(ctx.p)
    v /= np.linalg.norm(v)
    return ctx.w_star + ratio * ctx.norm_star * v


def _margin_scale(value: float, natural: float) -> float:
    """|value| unless it is negligible against the natural size of the quantity."""
    return abs(value) if abs(value) >= 1e-3 * natural else natural


def _public_instance(instance: dict, ctx: _Context | None = None, **extra: Any) -> dict:
    out = {k: v for k, v in instance.items() if k not in ("dist", "distribution", "data")}
    if ctx is not None and ctx.dist is not None:
        out.update(ctx.describe())
    out.update(extra)
    return _jsonable(out)


# ---------------------------------------------------------------------------
# 1. lemma-a1
# ---------------------------------------------------------------------------

def _draws(ctx: _Context, instance: dict) -> np.ndarray:
    """The finite law's atoms, or ``samples`` seeded draws of the law: shape (m, k, p)."""
    if ctx.atoms is not None:
        return ctx.atoms
    m = check_count(instance.get("samples", 2000), "samples")
    return np.asarray(ctx.dist.sample(m, np.random.default_rng([ctx.seed or 0, 1])), dtype=float)


def _check_lemma_a1(instance: dict, alpha: float) -> CheckResult:
    """Claim 1: per draw (a finite law's atoms, or ``samples`` seeded draws), ⟨∇ℓ(w, Z), w − w*⟩ against
    (w−w*)ᵀZZᵀ1{S(w,w*)}(w−w*) + (w−w*)ᵀZZᵀ1{S(w,−w*)}w, both terms ≥ 0; exact up to a rounding bound.
    Keys: dist/distribution, w_star, w, samples, seed.  Readings: the printed closed regions, and S(w,−w*)
    half-open (w*·Z < 0), which removes the double count of patches on w*⊥."""
    claim = REGISTRY["lemma-a1"]
    ctx = _Context(instance)
    if ctx.k != 1:
        return _outside(claim.id, _public_instance(instance, ctx), claim.readings, alpha,
                        "Lemma A.1 is the one-neuron identity (k = 1)")
    w = _vector(instance, "w", ctx.p)
    w = _default_w(ctx, 0.7) if w is None else w
    z = _draws(ctx, instance)[:, 0, :]
    d = w - ctx.w_star
    a, b, dz = z @ w, z @ ctx.w_star, z @ d
    act = a >= 0
    per_sample_grad_dot = (np.maximum(a, 0) - np.maximum(b, 0)) * act * dz   # ⟨∇ℓ(w, Z), w − w*⟩
    t1 = np.where(act & (b >= 0), dz * dz, 0.0)                              # (w−w*)ᵀ ZZᵀ 1{S(w,w*)} (w−w*)
    t2 = np.where(act & (b <= 0), dz * a, 0.0)                               # (w−w*)ᵀ ZZᵀ 1{S(w,−w*)} w
    t2_open = np.where(act & (b < 0), dz * a, 0.0)
    size = np.linalg.norm(z, axis=1) * (np.linalg.norm(w) + np.linalg.norm(ctx.w_star))
    bound = 8 * (ctx.p + 2) * _EPS * size**2
    scale = np.maximum(np.maximum(np.abs(per_sample_grad_dot), np.abs(t1) + np.abs(t2)), size**2 * 1e-3)
    scale = np.where(scale > 0, scale, 1.0)
    comparisons = []
    primary, half_open = claim.readings[0], claim.readings[1]
    for reading, second in ((primary, t2), (half_open, t2_open)):
        excess = (np.abs(per_sample_grad_dot - t1 - second) - bound) / scale
        i = int(np.argmax(excess))
        comparisons.append(compare("per-sample split ⟨∇ℓ, w−w*⟩ = term1 + term2", Term(per_sample_grad_dot[i], bound[i] / 2),
                                   Term(t1[i] + second[i], bound[i] / 2), "==", alpha=alpha, reading=reading,
                                   scale=scale[i]))
        j = int(np.argmin(second / scale))
        comparisons.append(compare("term2 = (w−w*)ᵀA_{w,−w*}w ≥ 0 per sample", Term(second[j], bound[j]), Term(0.0),
                                   ">=", alpha=alpha, reading=reading, scale=scale[j]))
    j = int(np.argmin(t1 / scale))
    comparisons.append(compare("term1 = (w−w*)ᵀA_{w,w*}(w−w*) ≥ 0 per sample", Term(t1[j], bound[j]), Term(0.0), ">=",
                               alpha=alpha, reading=primary, scale=scale[j]))
    on_plane = int(np.count_nonzero(act & (b == 0) & (a != 0)))
    details = {"samples": int(z.shape[0]), "samples_on_w_star_hyperplane_with_w_active": on_plane,
               "mean_identity": {"lhs": float(per_sample_grad_dot.mean()), "term1": float(t1.mean()),
                                 "term2": float(t2.mean())}}
    note = ""
    if on_plane:
        note = (f"{on_plane} sample(s) lie on w*⊥ with w·Z > 0: the closed regions S(w,w*) and S(w,−w*) both "
                "contain them, so the printed split counts them twice")
    inst = _public_instance(instance, ctx, w=w, samples=int(z.shape[0]))
    if ctx.atoms is not None and ctx.atoms.size <= MAX_INLINE_NUMBERS:
        inst["data"] = ctx.atoms[:, 0, :]
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, note=note, details=details)


# ---------------------------------------------------------------------------
# 2. def21-shape, 3. def21-rotinv-equal
# ---------------------------------------------------------------------------

def _check_def21_shape(instance: dict, alpha: float) -> CheckResult:
    """Claim 2 on a grid ``phis`` (0 and π added): monotonicity of γ and L, 0 ≤ γ ≤ L, γ(π) = L(π) = 0 and
    A_{w,−w*}(θ = 0) = 0 (the last three only for a law without mass on w*⊥).  Keys: dist, w_star, phis."""
    claim = REGISTRY["def21-shape"]
    ctx = _Context(instance)
    if ctx.k != 1:
        return _outside(claim.id, _public_instance(instance, ctx), claim.readings, alpha,
                        "Definition 2.1 is for one patch (k = 1)")
    phis = np.asarray(instance.get("phis", np.linspace(0.0, math.pi, 9)), dtype=float)
    phis = np.unique(np.r_[phis, 0.0, math.pi])
    g, L = ctx.gamma_L(phis)
    nat = ctx.natural_scale()
    reading = claim.readings[0]
    specs = []
    for j in range(len(phis) - 1):
        tag = f" @ φ={phis[j]:.4g}→{phis[j + 1]:.4g}"
        specs.append(_Spec("γ non-increasing" + tag, g[j + 1], g[j], "<=", reading, nat))
        specs.append(_Spec("L non-increasing" + tag, L[j + 1], L[j], "<=", reading, nat))
    for j, phi in enumerate(phis):
        specs.append(_Spec(f"γ ≥ 0 @ φ={phi:.4g}", g[j], 0.0, ">=", reading, nat))
        specs.append(_Spec(f"γ ≤ L @ φ={phi:.4g}", g[j], L[j], "<=", reading, nat))
    no_mass = ctx.atoms_on_hyperplane(ctx.u) == 0
    if ctx.exact_kind == "degenerate":
        no_mass = bool(np.any(ctx.u[: ctx.dist.rank]))
    notes = []
    if no_mass:
        specs.append(_Spec("γ(π) = 0", g[-1], 0.0, "==", reading, nat))
        specs.append(_Spec("L(π) = 0", L[-1], 0.0, "==", reading, nat))
        if ctx.atoms is not None:
            # w = w*: the region {w*·Z ≥ 0, w*·Z ≤ 0} is the hyperplane, which holds no patch here
            # (``moments.plane_of`` may return a tiny negative angle for w ∥ w*: computed directly).
            z = ctx.atoms[:, 0, :]
            dots = z @ ctx.u
            on = (dots >= 0) & (dots <= 0)
            value = (z[on].T @ z[on]) / z.shape[0]
            from types import SimpleNamespace
            opp = SimpleNamespace(value=value, error=np.zeros_like(value), error_kind="exact", dof=None,
                                  method="exact")
        else:
            from .moments import second_moment

            opp = second_moment(ctx.dist, ctx.u, ctx.u, "opposite", method=ctx.method, n=ctx.n,
                                seed=(ctx.seed or 0) + 3)
        lam = np.linalg.eigvalsh((opp.value + opp.value.T) / 2)
        err = float(np.linalg.norm(opp.error))
        kind = opp.error_kind
        term = Term(float(np.max(np.abs(lam))), err if kind != "standard-error" else 0.0,
                    err if kind == "standard-error" else 0.0, opp.dof, "estimate" if kind == "standard-error" else "exact",
                    opp.method)
        specs.append(_Spec("A_{w,−w*} = 0 at θ(w,w*) = 0 (‖·‖₂)", term, 0.0, "==", reading, nat))
    else:
        notes.append("the law puts mass on w*⊥, so γ(π) = L(π) = 0 and A_{w,−w*}(θ=0) = 0 are not claimed")
    comparisons = _group_worst(_compare_all(specs, alpha))
    details = {"phis": phis, "gamma": [t.value for t in g], "L": [t.value for t in L]}
    return _result(claim.id, _public_instance(instance, ctx, phis=phis), comparisons, claim.readings, alpha=alpha,
                   note="; ".join(notes), details=details)


def _check_def21_rotinv_equal(instance: dict, alpha: float) -> CheckResult:
    """Claim 3: γ(φ) = L(φ) at ``phi`` for a rotationally invariant law (closed forms)."""
    claim = REGISTRY["def21-rotinv-equal"]
    ctx = _Context(instance)
    if not (getattr(ctx.dist, "symmetry", None) == "rotational" and ctx.k == 1):
        return _outside(claim.id, _public_instance(instance, ctx), claim.readings, alpha,
                        "the remark is about rotationally invariant laws")
    phi = float(instance.get("phi", 1.0))
    if not (0.0 <= phi <= math.pi):
        raise InvalidArgument("phi", f"must lie in [0, π], got {phi}")
    g, L = ctx.gamma_L([phi])
    nat = ctx.natural_scale()
    spec = _Spec("γ(φ) = L(φ)", g[0], L[0], "==", claim.readings[0], _margin_scale(L[0].value, nat))
    comparisons = _compare_all([spec], alpha)
    ratio = g[0].value / L[0].value if L[0].value > 0 else math.nan
    return _result(claim.id, _public_instance(instance, ctx, phi=phi), comparisons, claim.readings, alpha=alpha,
                   details={"gamma": g[0].value, "L": L[0].value, "gamma_over_L": ratio,
                            "closed_form": "γ = s(π−φ−sin φ)/(2π), L = s(π−φ+sin φ)/(2π), s = E‖Z‖²/p"})


# ---------------------------------------------------------------------------
# 4. thm21-recovery
# ---------------------------------------------------------------------------

def _radial_gradient_rows(W: np.ndarray, w_star: np.ndarray, scale: float) -> np.ndarray:
    ns = np.linalg.norm(w_star)
    u = w_star / ns
    along = W @ u
    perp = np.linalg.norm(W - along[:, None] * u, axis=1)
    theta = np.arctan2(perp, along)
    nw = np.linalg.norm(W, axis=1)
    ratio = np.where(nw > 0, ns / np.where(nw > 0, nw, 1.0), 0.0)
    return scale * (0.5 * (W - w_star) + (theta[:, None] * w_star - (ratio * np.sin(theta))[:, None] * W)
                    / (2 * math.pi))


def _degenerate_gd(ctx: _Context, W: np.ndarray, eta: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact population GD for the degenerate Gaussian: the closed form on the support, 0 off it."""
    r = ctx.dist.rank
    W = W.copy()
    for _ in range(steps):
        G = np.zeros_like(W)
        G[:, :r] = _radial_gradient_rows(W[:, :r], ctx.w_star[:r], 1.0) if np.any(ctx.w_star[:r]) else 0.5 * W[:, :r]
        W -= eta * G
    G = np.zeros_like(W)
    G[:, :r] = _radial_gradient_rows(W[:, :r], ctx.w_star[:r], 1.0) if np.any(ctx.w_star[:r]) else 0.5 * W[:, :r]
    return W, G


def _check_thm21_recovery(instance: dict, alpha: float) -> CheckResult:
    """Claim 4: population GD from ``starts`` seeded starts with ℓ(w0) < ℓ(0) (or ``w0``), ``steps`` steps of
    size ``eta`` (default 1/λ_max(E ZZᵀ)).  A start holds when ‖w_T − w*‖ ≤ ``reach``·‖w*‖, refutes only when
    GD is stationary away from w* on a law satisfying the hypothesis; the degenerate law's stall is
    reported with its predicted distance."""
    from . import dynamics
    from .moments import loss as population_loss

    claim = REGISTRY["thm21-recovery"]
    ctx = _Context(instance)
    if ctx.k != 1:
        return _outside(claim.id, _public_instance(instance, ctx), claim.readings, alpha,
                        "Theorem 2.1 is about one neuron (k = 1)")
    R = check_count(instance.get("starts", 12), "starts")
    T = check_count(instance.get("steps", 3000), "steps")
    reach = float(instance.get("reach", 1e-6))
    rng = np.random.default_rng([ctx.seed or 0, 4])
    W0 = instance.get("w0")
    degenerate = ctx.exact_kind == "degenerate"
    if ctx.rotational:
        mode, hyp, how = "exact", True, "population GD, closed-form gradient"
    elif degenerate:
        mode, hyp, how = "degenerate", False, "population GD, closed-form gradient on the support"
    elif ctx.atoms is not None:
        mode, hyp, how = "support", False, "GD on a finite law (exact sums)"
    else:
        mode, hyp, how = "sample", None, "GD on a fixed sample of the law (approximates the population)"
    if W0 is None:
        # uniform directions, norms uniform in [0, 2·spread·‖w*‖]: many of them have ℓ(w0) < ℓ(0) in any p
        dirs = rng.standard_normal((16 * R, ctx.p))
        dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
        cand = dirs * ctx.norm_star * 2 * float(instance.get("spread", 1.0)) * rng.random((16 * R, 1))
    else:
        cand = np.atleast_2d(np.asarray(W0, dtype=float))
    npop = check_count(instance.get("n_population", 20_000), "n_population")
    if degenerate:
        losses = np.array([population_loss(ctx.dist, w, ctx.w_star, method="exact").value for w in cand])
        loss0 = 0.25 * float(np.sum(ctx.w_star[: ctx.dist.rank] ** 2))   # ℓ(0) = ½E σ(w*·Z)² = ‖w*_S‖²/4
    else:
        probe = dynamics.gradient_descent(ctx.dist, ctx.w_star, np.vstack([cand, np.zeros(ctx.p)]), 0, 1.0,
                                          population=mode, n_population=npop, seed=ctx.seed)
        losses, loss0 = probe.loss[:-1, 0], float(probe.loss[-1, 0])
    keep = np.flatnonzero(losses < loss0)[:R]
    if keep.size == 0:
        return _outside(claim.id, _public_instance(instance, ctx), claim.readings, alpha,
                        "no start with ℓ(w0) < ℓ(0) among the candidates")
    W = cand[keep]
    eta = instance.get("eta")
    if eta is None:
        if ctx.rotational:
            lam = ctx.scale
        else:
            z = _draws(ctx, {"samples": 4000})[:, 0, :]
            lam = float(np.linalg.eigvalsh(z.T @ z / z.shape[0])[-1])
        eta = 1.0 / lam
    eta = float(eta)
    if degenerate:
        final, G = _degenerate_gd(ctx, W, eta, T)
    else:
        tr = dynamics.gradient_descent(ctx.dist, ctx.w_star, W, T, eta, population=mode, n_population=npop,
                                       seed=ctx.seed, record_every=T)
        final = tr.final_weights
        nxt = dynamics.gradient_descent(ctx.dist, ctx.w_star, final, 1, eta, population=mode, n_population=npop,
                                        seed=ctx.seed, record_every=1)
        G = (final - nxt.final_weights) / eta
    rel = np.linalg.norm(final - ctx.w_star, axis=1) / ctx.norm_star
    gnorm = np.linalg.norm(G, axis=1) / (ctx.natural_scale() * ctx.norm_star)
    comparisons = []
    reading = claim.readings[0]
    for i in range(W.shape[0]):
        lhs, rhs = Term(float(rel[i]), 0.0, side="exact", method="gd"), Term(reach)
        margin = (reach - rel[i]) / reach
        if rel[i] <= reach:
            verdict, why = "holds", ""
        elif gnorm[i] <= 1e-9 and rel[i] > 1e-3:
            verdict, why = "refuted", f"stationary (‖E∇ℓ‖ = {gnorm[i]:.2g}·scale) at ‖w−w*‖/‖w*‖ = {rel[i]:.3g}"
        else:
            verdict, why = "inconclusive", f"not converged in {T} steps (‖E∇ℓ‖/scale = {gnorm[i]:.2g})"
        comparisons.append(Comparison(f"GD reaches w* (‖w_T−w*‖/‖w*‖ ≤ {reach:g}) @ start {i}", reading, "<=",
                                      lhs, rhs, float(margin), 0.0, 0.0, verdict, why, alpha))
    details = {"how": how, "eta": eta, "steps": T, "starts": W, "final_relative_distance": rel,
               "final_gradient_norm_over_scale": gnorm}
    note = how
    if degenerate:
        r = ctx.dist.rank
        predicted = np.linalg.norm((W - ctx.w_star)[:, r:], axis=1) / ctx.norm_star
        details["predicted_stall_distance"] = predicted
        details["stall"] = (f"the gradient has no component off the support (coordinates {r + 1}…{ctx.p}), so "
                            "w keeps its initial off-support part: GD stalls at relative distance "
                            "‖(w0 − w*)_⊥‖/‖w*‖")
        note = ("degenerate law (support of rank < p): Theorem 2.1's hypothesis E[ZZᵀ1{S}] ≻ 0 fails; "
                f"GD stalls at relative distances {np.round(rel, 6).tolist()} (predicted "
                f"{np.round(predicted, 6).tolist()})")
    elif mode == "support":
        note += "; a finite law violates E[ZZᵀ1{S(w1,w2)}] ≻ 0 near θ = π, so it is outside the hypothesis"
    return _result(claim.id, _public_instance(instance, ctx, eta=eta, steps=T), _group_worst(comparisons),
                   claim.readings, alpha=alpha, in_hypothesis=hyp, note=note, details=details)


# ---------------------------------------------------------------------------
# 5. thm22-angle, 6. thm22-gradient-bounds
# ---------------------------------------------------------------------------

def _teacher_and_student(instance: dict, p: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    w_star = instance.get("w_star")
    if w_star is None:
        p = int(instance.get("p", p or 3))
        w_star = np.eye(p)[0]
    w_star = np.asarray(w_star, dtype=float)
    if w_star.ndim != 1 or not np.all(np.isfinite(w_star)) or not np.any(w_star):
        raise InvalidArgument("w_star", "must be a finite non-zero vector")
    w = instance.get("w")
    if w is None:
        rng = np.random.default_rng([int(instance.get("seed", 0) or 0), 99])
        v = rng.standard_normal(w_star.shape[0])
        w = w_star + 0.9 * np.linalg.norm(w_star) * v / np.linalg.norm(v)
    return w_star, _vector({"w": w}, "w", w_star.shape[0])


def _check_thm22_angle(instance: dict, alpha: float) -> CheckResult:
    """Claim 5: θ(w, w*) ≤ arcsin(‖w − w*‖/‖w*‖) in floating point.  Keys: w_star, w (or p)."""
    claim = REGISTRY["thm22-angle"]
    w_star, w = _teacher_and_student(instance)
    ns = float(np.linalg.norm(w_star))
    r = float(np.linalg.norm(w - w_star))
    inst = _jsonable({**{k: v for k, v in instance.items() if k not in ("dist", "distribution")},
                      "w_star": w_star, "w": w})
    if not r < ns:
        return _outside(claim.id, inst, claim.readings, alpha, "needs ‖w − w*‖ < ‖w*‖")
    theta = _angle(w, w_star / ns)
    x = r / ns
    rhs = math.asin(x)
    rhs_err = 8 * _EPS * (1.0 + 1.0 / math.sqrt(max(1e-300, (1 - x) * (1 + x))))
    comparisons = _compare_all([_Spec("θ(w, w*) ≤ arcsin(‖w−w*‖/‖w*‖)", Term(theta, 16 * _EPS),
                                      Term(rhs, rhs_err), "<=", claim.readings[0], max(rhs, 1e-300))], alpha)
    tight = theta / rhs if rhs > 0 else None
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=tight,
                   details={"theta": theta, "arcsin": rhs, "relative_distance": x,
                            "equality_when": "w − w* ⟂ w (the segment from w* is tangent to the cone)"})


def _gradient_bound_specs(ctx: _Context, w: np.ndarray, readings: Sequence[str], general_k: bool):
    """Specs of the two gradient bounds of Theorems 2.2 (k = 1) / 3.1 (general k) at w."""
    d = w - ctx.w_star
    r = float(np.linalg.norm(d))
    theta = _angle(w, ctx.u)
    g_vec = ctx.gradient(w)
    g, L = ctx.gamma_L([theta])
    beta = ctx.beta()
    nat = ctx.natural_scale()
    inner, norm = _inner(g_vec, d), _norm(g_vec)
    primary = readings[0]
    specs = []
    betas = [(primary, beta)]
    if not general_k:
        dist = ctx.dist
        if ctx.rotational and getattr(dist, "second_radial_moment", None) == 1.0 and getattr(dist, "name", "") == "sphere":
            betas.append(("β = 1 (Theorem A.1)", Term(1.0)))
        if type(dist) is Gaussian:
            betas.append(("β = p (Theorem A.2)", Term(float(ctx.p))))
    if general_k:
        Lc = ctx.L_cross()
        low = (g[0] - 6 * Lc) * (r * r)
        up_coef = L[0] + 10 * Lc + 4 * beta
        specs.append(_Spec("⟨E∇ℓ, w−w*⟩ ≥ (γ(θ) − 6L_cross)‖w−w*‖²", inner, low, ">=", primary,
                           _margin_scale(low.value, nat * r * r)))
        up = up_coef * r
        specs.append(_Spec("‖E∇ℓ‖ ≤ (L(θ) + 10L_cross + 4β)‖w−w*‖", norm, up, "<=", primary,
                           _margin_scale(up.value, nat * r)))
        extra = {"L_cross": Lc.value}
    else:
        low = g[0] * (r * r)
        specs.append(_Spec("⟨E∇ℓ, w−w*⟩ ≥ γ(θ)‖w−w*‖²", inner, low, ">=", primary,
                           _margin_scale(low.value, nat * r * r)))
        for reading, b in betas:
            up = (L[0] + 4 * b) * r
            specs.append(_Spec("‖E∇ℓ‖ ≤ (L(θ) + 4β)‖w−w*‖", norm, up, "<=", reading, _margin_scale(up.value, nat * r)))
        extra = {}
    tight = []
    if inner.value > 0 and specs[0].rhs.value > 0:
        tight.append(specs[0].rhs.value / inner.value)
    if specs[1].rhs.value > 0:
        tight.append(norm.value / specs[1].rhs.value)
    details = {"theta": theta, "distance": r, "gamma": g[0].value, "L": L[0].value, "beta": beta.value,
               "inner": inner.value, "gradient_norm": norm.value, **extra}
    return specs, (max(tight) if tight else None), details


def _check_thm22_gradient_bounds(instance: dict, alpha: float) -> CheckResult:
    """Claim 6 at ``w``: both gradient bounds with γ(θ), L(θ) and the tight β of the law (readings with
    β = 1 for the sphere, β = p for N(0, I))."""
    claim = REGISTRY["thm22-gradient-bounds"]
    ctx = _Context(instance)
    w = _vector(instance, "w", ctx.p)
    w = _default_w(ctx, 0.5) if w is None else w
    inst = _public_instance(instance, ctx, w=w)
    if ctx.k != 1:
        return _outside(claim.id, inst, claim.readings, alpha, "Theorem 2.2 is about one neuron (k = 1); see "
                                                               "thm31-gradient-bounds")
    if not np.linalg.norm(w - ctx.w_star) < ctx.norm_star:
        return _outside(claim.id, inst, claim.readings, alpha, "needs ‖w − w*‖ < ‖w*‖")
    specs, tight, details = _gradient_bound_specs(ctx, w, claim.readings, general_k=False)
    return _result(claim.id, inst, _compare_all(specs, alpha), claim.readings, alpha=alpha, tightness=tight,
                   details=details)


# ---------------------------------------------------------------------------
# 7. thm22-contraction, 12. thm31-contraction
# ---------------------------------------------------------------------------

def _step_grid(ctx: _Context, phi_t: float) -> tuple[np.ndarray, bool]:
    """Angles on which min_{0≤φ≤φ_t} of the step-size ratio is taken, and whether that min is exact.

    Finite law in p = 2: every end of the "same" region's pieces in [0, φ_t]
    and every piece's midpoint (the ratio is piecewise constant): exact.
    Radial law: a fine grid; exact when the ratio is monotone on it (checked by
    the caller).  Otherwise a grid: its minimum may overstate the true one.
    """
    if ctx.finite_p2():
        v0 = _orthonormal_complement(ctx.u)[0]
        ends = np.concatenate([_finite_pieces(ctx.dist, ctx.u, v, ("same",), max(phi_t, 1e-300)) for v in (v0, -v0)])
        ends = np.unique(np.r_[0.0, ends[ends <= phi_t], phi_t])
        mids = 0.5 * (ends[:-1] + ends[1:])
        return np.unique(np.r_[ends, mids]), True
    if ctx.rotational and ctx.k == 1:
        return np.linspace(0.0, phi_t, 257), True
    return np.linspace(0.0, phi_t, int(ctx.instance.get("step_grid", 13))), False


def _step_ratio(ctx: _Context, grid: np.ndarray, general_k: bool, gamma_at_zero: bool = False):
    """The step-size bound at each grid angle: γ(φ)/(2(L(φ)+4β)²) or its general-k version, as Terms."""
    g, L = ctx.gamma_L(grid)
    beta = ctx.beta()
    Lc = ctx.L_cross() if general_k else Term(0.0)
    out = []
    num0 = g[0] if gamma_at_zero else None
    for gi, Li in zip(g, L):
        num = (num0 if gamma_at_zero else gi) - 6 * Lc
        den = Li + 10 * Lc + 4 * beta if general_k else Li + 4 * beta
        if den.value == 0:
            out.append(math.inf if num.value > 0 else -math.inf)
        else:
            out.append(num.value / (2 * den.value**2))
    return np.array(out), g, L, beta, Lc


def _contraction(claim: "Claim", instance: dict, alpha: float, general_k: bool) -> CheckResult:
    ctx = _Context(instance)
    w = _vector(instance, "w", ctx.p)
    w = _default_w(ctx, float(instance.get("ratio", 0.5))) if w is None else w
    inst = _public_instance(instance, ctx, w=w)
    if not general_k and ctx.k != 1:
        return _outside(claim.id, inst, claim.readings, alpha, "Theorem 2.2 is about one neuron; see thm31-contraction")
    d = w - ctx.w_star
    r = float(np.linalg.norm(d))
    if not r < ctx.norm_star:
        return _outside(claim.id, inst, claim.readings, alpha, "needs ‖w_t − w*‖ < ‖w*‖")
    phi_t = math.asin(r / ctx.norm_star)
    grid, exact_min = _step_grid(ctx, phi_t)
    ratio, g, L, beta, Lc = _step_ratio(ctx, grid, general_k)
    if ctx.rotational and ctx.k == 1:
        exact_min = bool(np.all(np.diff(ratio) <= 1e-15 * np.abs(ratio[:-1])))
    eta_max = float(np.min(ratio))
    gamma_t = ctx.gamma_L([phi_t])[0][0]
    fraction = float(instance.get("eta_fraction", 1.0))
    eta = float(instance.get("eta", fraction * eta_max))
    hyp: bool | None = True
    notes = []
    sides = {t.side for t in (*g, *L, beta, Lc)}
    if not exact_min or sides - {"exact"}:
        hyp = None
        notes.append("η_max from estimates or a grid may exceed the allowed step: a violation would not refute")
    if general_k and not gamma_t.value - 6 * Lc.value > 0:
        hyp = False
        notes.append(f"γ(φ_t) = {gamma_t.value:.4g} ≤ 6L_cross = {6 * Lc.value:.4g}")
    if not (0 < eta_max < math.inf) or not (0 < eta < math.inf):
        return _outside(claim.id, inst, claim.readings, alpha, f"no positive step allowed (η_max = {eta_max:.4g})",
                        {"eta_max": eta_max, "L_cross": Lc.value, "gamma_t": gamma_t.value})
    if hyp is True and eta > eta_max * (1 + 1e-12):
        hyp = False
        notes.append(f"η = {eta:.4g} exceeds η_max = {eta_max:.4g}")
    g_vec = ctx.gradient(w)
    after = _step_distance_sq(g_vec, d, eta)
    r2 = r * r
    nat = r2
    specs = []
    curv = gamma_t - 6 * Lc if general_k else gamma_t
    factors = dict(zip(claim.readings, _CONTRACTION_FACTORS[claim.id]))
    for reading, c in factors.items():
        if c is None:
            continue
        rhs = r2 + (-c * eta * r2) * curv
        specs.append(_Spec(f"‖w_{{t+1}}−w*‖² ≤ (1 − {c:g}·η·{'(γ(φ_t)−6L_cross)' if general_k else 'γ(φ_t)'})‖w_t−w*‖²",
                           after, rhs, "<=", reading, nat))
    details = {"phi_t": phi_t, "eta": eta, "eta_max": eta_max, "eta_max_exact": exact_min, "gamma_t": gamma_t.value,
               "beta": beta.value, "L_cross": Lc.value, "distance_sq_before": r2, "distance_sq_after": after.value}
    if general_k:
        # The printed step size: γ(0) in the numerator (a larger step).
        ratio0, *_ = _step_ratio(ctx, grid, general_k, gamma_at_zero=True)
        eta0 = fraction * float(np.min(ratio0))
        if eta0 > 0:
            after0 = _step_distance_sq(ctx.gradient(w), d, eta0)
            rhs0 = r2 + (-0.5 * eta0 * r2) * curv
            specs.append(_Spec("‖w_{t+1}−w*‖² ≤ (1 − η(γ(φ_t)−6L_cross)/2)‖w_t−w*‖² with η from γ(0)",
                               after0, rhs0, "<=", claim.readings[-1], nat))
            details["eta_printed_gamma0"] = eta0
    comparisons = _compare_all(specs, alpha)
    decrease = r2 - after.value
    claimed = 0.5 * eta * curv.value * r2
    tight = claimed / decrease if decrease > 0 and claimed > 0 else None
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=tight, in_hypothesis=hyp,
                   note="; ".join(notes), details=details)


#: The contraction factor c in (1 − c·η·γ) of each reading (None: handled apart).
_CONTRACTION_FACTORS = {"thm22-contraction": (0.5, 1.0, 1.5), "thm31-contraction": (0.5, None)}


def _check_thm22_contraction(instance: dict, alpha: float) -> CheckResult:
    """Claim 7: one population GD step from ``w`` (default at ``ratio``·‖w*‖) with η = ``eta`` or
    ``eta_fraction``·η_max; readings with the factors 1/2, 1 (printed) and 3/2."""
    return _contraction(REGISTRY["thm22-contraction"], instance, alpha, general_k=False)


def _check_thm31_contraction(instance: dict, alpha: float) -> CheckResult:
    """Claim 12: as claim 7 with the general-k constants; reading with the printed γ(0) numerator."""
    return _contraction(REGISTRY["thm31-contraction"], instance, alpha, general_k=True)


# ---------------------------------------------------------------------------
# 8. thm22-complexity
# ---------------------------------------------------------------------------

def _first_below(trajectory, level: float) -> int | None:
    rel = trajectory.distance[0]
    hit = np.flatnonzero(rel <= level)
    return int(trajectory.steps[hit[0]]) if hit.size else None


def _check_thm22_complexity(instance: dict, alpha: float) -> CheckResult:
    """Claim 8: iterations of exact population GD to ‖w_t − w*‖ ≤ ``epsilon``‖w*‖ from ``w0`` (default at
    ``ratio``), with the constant step, the adaptive step and a two-stage step."""
    from . import dynamics

    claim = REGISTRY["thm22-complexity"]
    ctx = _Context(instance)
    ratio0 = float(instance.get("ratio", 0.9))
    w0 = _vector(instance, "w0", ctx.p)
    w0 = _default_w(ctx, ratio0) if w0 is None else w0
    inst = _public_instance(instance, ctx, w0=w0)
    if not (ctx.rotational and ctx.k == 1):
        return _outside(claim.id, inst, claim.readings, alpha,
                        "measured on laws with closed-form γ(φ), L(φ) (N(0, I), the sphere), where the adaptive "
                        "step can be evaluated at every iterate")
    eps = float(instance.get("epsilon", 1e-3))
    r0 = float(np.linalg.norm(w0 - ctx.w_star))
    if not r0 < ctx.norm_star:
        return _outside(claim.id, inst, claim.readings, alpha, "needs ‖w0 − w*‖ < ‖w*‖")
    from .quantities import exact_gaussian_constants

    s = ctx.scale
    phi0 = math.asin(r0 / ctx.norm_star)
    c0, cz = exact_gaussian_constants(phi0, s), exact_gaussian_constants(0.0, s)
    beta = s / math.pi
    gamma0, L0 = c0["gamma"], cz["L"]
    eta = gamma0 / (2 * (L0 + 4 * beta) ** 2)
    q = 1 - eta * gamma0 / 2
    target = eps * ctx.norm_star
    T_bound = max(0, math.ceil(math.log(target**2 / r0**2) / math.log(q))) if r0 > target else 0
    cap = int(instance.get("max_steps", 400_000))
    horizon = min(T_bound + 1, cap)

    def gam(phi):
        phi = np.asarray(phi, float)
        return s * (math.pi - phi - np.sin(phi)) / (2 * math.pi)

    def ell(phi):
        phi = np.asarray(phi, float)
        return s * (math.pi - phi + np.sin(phi)) / (2 * math.pi)

    const = dynamics.gradient_descent(ctx.dist, ctx.w_star, w0, horizon, eta, population="exact")
    T_const = _first_below(const, target)
    adaptive = dynamics.gradient_descent(ctx.dist, ctx.w_star, w0, horizon, dynamics.theorem22_step(gam, ell, beta),
                                         population="exact")
    T_adapt = _first_below(adaptive, target)
    half = _first_below(const, r0 / 2)
    T_two = None
    if half is not None:
        phi_s = math.asin(r0 / (2 * ctx.norm_star))
        eta2 = float(gam(phi_s) / (2 * (ell(phi_s) + 4 * beta) ** 2))
        two = dynamics.gradient_descent(ctx.dist, ctx.w_star, w0, horizon, dynamics.TwoStageStep(eta, eta2, half),
                                        population="exact")
        T_two = _first_below(two, target)
    log_term = math.log(1 / eps)
    unit = (L0 + beta) ** 2 / gamma0**2 * log_term
    C = None if T_const is None else T_const / unit
    primary = claim.readings[0]
    comps = []
    lhs = Term(float(T_const if T_const is not None else horizon), side="exact", method="gd")
    comps.append(compare(f"T(ε={eps:g}) ≤ ⌈ln(ε²‖w*‖²/r0²)/ln(1 − ηγ(φ0)/2)⌉ = {T_bound}", lhs, Term(float(T_bound)),
                         "<=", alpha=alpha, reading=primary, scale=max(T_bound, 1)))
    if T_const is not None:
        comps.append(compare("measured O-constant T·γ(φ0)²/((L(0)+β)² ln(1/ε)) ≤ 128 (the proof's)", Term(C),
                             Term(128.0), "<=", alpha=alpha, reading=claim.readings[1]))
    if T_const is not None and T_adapt is not None:
        comps.append(compare("adaptive η_t = γ(φ_t)/(2(L(φ_t)+4β)²) needs no more steps", Term(float(T_adapt)),
                             Term(float(T_const)), "<=", alpha=alpha, reading=claim.readings[2]))
    if T_const is not None and T_two is not None:
        comps.append(compare("two-stage step (switch when the distance halves) needs no more steps", Term(float(T_two)),
                             Term(float(T_const)), "<=", alpha=alpha, reading=claim.readings[3]))
    details = {"epsilon": eps, "phi0": phi0, "eta": eta, "gamma_phi0": gamma0, "L0": L0, "beta": beta,
               "T_constant": T_const, "T_bound": T_bound, "T_adaptive": T_adapt, "T_two_stage": T_two,
               "switch_step": half, "constant_measured": C,
               "constant_adaptive": None if T_adapt is None else T_adapt / unit,
               "speedup_adaptive": None if not (T_const and T_adapt) else T_const / T_adapt,
               "speedup_two_stage": None if not (T_const and T_two) else T_const / T_two}
    tight = None if T_const is None or T_bound == 0 else T_const / T_bound
    note = "" if T_const is not None else f"did not reach ε within {horizon} steps"
    return _result(claim.id, inst, comps, claim.readings, alpha=alpha, tightness=tight, details=details, note=note)


# ---------------------------------------------------------------------------
# 9. thm-a1-beta-rotinv, 10. thm-a2-beta-gaussian
# ---------------------------------------------------------------------------

def _beta_grid_specs(ctx: _Context, beta_claimed: float, reading: str) -> list[_Spec]:
    """L_{−w*}(φ) ≤ β·φ on a geometric grid of (0, π/2] (closed form s(φ + sin φ)/(2π) for radial laws)."""
    s = ctx.scale
    specs = []
    for phi in np.geomspace(1e-4, math.pi / 2, 25):
        val = s * (phi + math.sin(phi)) / (2 * math.pi)
        specs.append(_Spec(f"L_{{−w*}}(φ) ≤ {beta_claimed:g}·φ @ φ={phi:.3g}", Term(val, 8 * _EPS * s),
                           Term(beta_claimed * phi), "<=", reading))
    return specs


def _with_default_law(instance: dict, name: str) -> dict:
    """The instance, given the law ``name`` in dimension ``p`` (3 by default) when it names no law."""
    if instance.get("dist") is None and "distribution" not in instance:
        return {**instance, "distribution": {"name": name, "p": int(instance.get("p", 3))}}
    return instance


def _check_thm_a1(instance: dict, alpha: float) -> CheckResult:
    """Claim 9: β = 1 for the uniform sphere in dimension ``p`` (tight β = 1/(πp))."""
    claim = REGISTRY["thm-a1-beta-rotinv"]
    instance = _with_default_law(instance, "sphere")
    ctx = _Context(instance)
    inst = _public_instance(instance, ctx)
    unit = getattr(ctx.dist, "second_radial_moment", None) == 1.0 and getattr(ctx.dist, "name", "") == "sphere"
    if not (ctx.rotational and unit):
        return _outside(claim.id, inst, claim.readings, alpha, "Theorem A.1 is about unit-norm rotationally "
                                                               "invariant laws (the uniform sphere)")
    beta = ctx.beta()
    specs = [_Spec("tight β ≤ 1", beta, Term(1.0), "<=", claim.readings[0])]
    specs += _beta_grid_specs(ctx, 1.0, claim.readings[0])
    comparisons = _group_worst(_compare_all(specs, alpha))
    details = {"beta_tight": beta.value, "beta_tight_closed_form": "1/(πp)", "slack_factor": 1.0 / beta.value,
               "proof_note": ("the proof's eigenvalue (φ + sin φ)/2 integrates cos²θ over the arc without the "
                              "density of the angle (1/(2π) in p = 2) and without E[(Z·e)²] = 1/p; with them "
                              "L_{−w*}(φ) = (φ + sin φ)/(2πp) and the tight β is 1/(πp)")}
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=beta.value / 1.0,
                   details=details)


def _check_thm_a2(instance: dict, alpha: float) -> CheckResult:
    """Claim 10: β ≤ p for N(0, I_p) (tight β = 1/π); reading "β = p is tight"."""
    claim = REGISTRY["thm-a2-beta-gaussian"]
    instance = _with_default_law(instance, "gaussian")
    ctx = _Context(instance)
    inst = _public_instance(instance, ctx)
    if type(ctx.dist) is not Gaussian:
        return _outside(claim.id, inst, claim.readings, alpha, "Theorem A.2 is about Z ~ N(0, I_p)")
    beta = ctx.beta()
    p = float(ctx.p)
    specs = [_Spec("tight β ≤ p", beta, Term(p), "<=", claim.readings[0])]
    specs += _beta_grid_specs(ctx, p, claim.readings[0])
    specs.append(_Spec("tight β = p", beta, Term(p), "==", claim.readings[1]))
    comparisons = _group_worst(_compare_all(specs, alpha))
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=beta.value / p,
                   details={"beta_tight": beta.value, "beta_tight_closed_form": "1/π (independent of p)",
                            "slack_factor": p / beta.value})


# ---------------------------------------------------------------------------
# 11. thm31-gradient-bounds
# ---------------------------------------------------------------------------

def _check_thm31_gradient_bounds(instance: dict, alpha: float) -> CheckResult:
    """Claim 11 at ``w``: the general-k gradient bounds with γ(θ), L(θ), β, L_cross of the law."""
    claim = REGISTRY["thm31-gradient-bounds"]
    ctx = _Context(instance)
    w = _vector(instance, "w", ctx.p)
    w = _default_w(ctx, 0.5) if w is None else w
    inst = _public_instance(instance, ctx, w=w)
    if not np.linalg.norm(w - ctx.w_star) < ctx.norm_star:
        return _outside(claim.id, inst, claim.readings, alpha, "needs ‖w − w*‖ < ‖w*‖")
    specs, tight, details = _gradient_bound_specs(ctx, w, claim.readings, general_k=True)
    return _result(claim.id, inst, _compare_all(specs, alpha), claim.readings, alpha=alpha, tightness=tight,
                   details=details)


# ---------------------------------------------------------------------------
# 13. asm32-identical-patches
# ---------------------------------------------------------------------------

def _check_asm32(instance: dict, alpha: float) -> CheckResult:
    """Claim 13: k = ``k`` identical copies of each draw of the law (or of its atoms).  Per draw the cross
    products are ZZᵀ1{Z ∈ R1 ∩ R2} ⪰ 0, so their mean vanishes iff every one does; checked at ``w`` and
    8 seeded w, and (p = 2) the exact sup L_cross = 0."""
    claim = REGISTRY["asm32-identical-patches"]
    base = _Context(instance)
    k = check_count(instance.get("k", 3), "k", minimum=2)
    z = _draws(base, instance)
    if base.k != 1:
        z = z[:, :1, :]
    atoms = np.repeat(z, k, axis=1)                      # Z_1 = … = Z_k
    law = Empirical(atoms)
    ctx = _Context({**{kk: v for kk, v in instance.items() if kk not in ("distribution", "data")}, "dist": law,
                    "w_star": base.w_star, "method": "exact"})
    w = _vector(instance, "w", ctx.p)
    w = _default_w(ctx, 0.6) if w is None else w
    inst = _public_instance(instance, base, w=w, k=k, patches=int(atoms.shape[0]))
    if ctx.atoms_on_hyperplane(ctx.u):
        return _outside(claim.id, inst, claim.readings, alpha,
                        "some patch lies on w*⊥: the regions S(w,w*) and S(w,−w*) share it for every w, "
                        "which the remark's 'measure 0' excludes")
    nat = ctx.natural_scale()
    specs = []
    # Per draw Z_{R} = (1/k)Σ_i Z_i 1{Z_i ∈ R} = Z 1{Z ∈ R} (identical patches), so
    # E[Z_{R1} Z_{R2}ᵀ] = E[ZZᵀ 1{Z ∈ R1 ∩ R2}]: exact sums over the draws, at the given w and at
    # seeded random w's (any w with θ(w, w*) ≤ π/2 enters the sup defining L_cross).
    zz = z[:, 0, :]
    b = zz @ ctx.w_star
    rng = np.random.default_rng([ctx.seed or 0, 13])
    trials = [w] + [ctx.w_star + ctx.norm_star * rng.uniform(0.05, 0.99) * v / np.linalg.norm(v)
                    for v in rng.standard_normal((8, ctx.p))]
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
            total = total + Term(sv, 4 * ctx.p * _EPS * float(np.sum(np.abs(m))))
        if total.value >= worst.value:
            worst = total
    if tried:
        specs.append(_Spec(f"cross moments vanish: max over {tried} w of Σ λ_max(E[Z_S Z_S'ᵀ]) = 0", worst,
                           Term(0.0), "==", claim.readings[0], nat))
    if ctx.p == 2:
        value, arg = finite_sup_ratio(law, ctx.u, "cross")
        specs.append(_Spec("L_cross = 0 (exact sup over θ)", Term(value, 64 * _EPS * max(1.0, value) * atoms.shape[0]),
                           Term(0.0), "==", claim.readings[0], nat))
    comparisons = _compare_all(specs, alpha)
    note = "" if ties == 0 else f"{ties} of the w tried have a patch on w⊥ (a tie of measure zero): skipped"
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, note=note,
                   details={"max_cross_sum": worst.value, "w_tried": tried, "w_with_ties": ties})


# ---------------------------------------------------------------------------
# 14. thm32-sgd
# ---------------------------------------------------------------------------

def _check_thm32_sgd(instance: dict, alpha: float) -> CheckResult:
    """Claim 14: ``runs`` seeded SGD runs (``batch``) with the reconstructed η and T (constants
    ``c_eta``, ``c_T``), success frequency of ‖w_T − w*‖ ≤ ``epsilon``‖w*‖ against 1 − ``delta`` with a
    one-sided Clopper–Pearson bound at the check's α."""
    from . import dynamics

    claim = REGISTRY["thm32-sgd"]
    ctx = _Context(instance)
    inst = _public_instance(instance, ctx)
    eps = float(instance.get("epsilon", 0.2))
    delta = float(instance.get("delta", 0.1))
    ratio = float(instance.get("ratio", 0.5))
    runs = check_count(instance.get("runs", 100), "runs", minimum=2)
    batch = check_count(instance.get("batch", 1), "batch")
    c_eta, c_T = float(instance.get("c_eta", 1.0)), float(instance.get("c_T", 1.0))
    z = _draws(ctx, {"samples": 2000})
    max_norm = float(np.max(np.linalg.norm(z, axis=-1)))
    unit = ctx.atoms is not None or abs(max_norm - 1.0) < 1e-9
    if not unit:
        return _outside(claim.id, inst, claim.readings, alpha, "the gradient bound B needs bounded patches "
                                                               "(unit-norm laws or a finite law)")
    B = ctx.norm_star * max_norm**2                      # ‖g‖ ≤ ‖w−w*‖·max‖Z_i‖² ≤ ‖w*‖·max‖Z_i‖² in the ball
    Lc = ctx.L_cross()
    grid = np.linspace(0.0, math.pi / 2, 65)
    g, _ = ctx.gamma_L(grid)
    ok = [phi for phi, gi in zip(grid, g) if gi.value >= 6 * Lc.value]
    if not ok or ok[-1] <= 0:
        return _outside(claim.id, inst, claim.readings, alpha, f"γ(φ) < 6L_cross = {6 * Lc.value:.3g} for all φ > 0")
    phi_star = float(ok[-1])
    r0 = ratio * ctx.norm_star * math.sin(phi_star)
    phi0 = math.asin(r0 / ctx.norm_star)
    phi1 = 0.5 * (phi0 + phi_star)
    gamma1 = ctx.gamma_L([phi1])[0][0].value - 6 * Lc.value
    if gamma1 <= 0:
        return _outside(claim.id, inst, claim.readings, alpha, "γ(φ1) ≤ 6L_cross")
    ns2 = ctx.norm_star**2
    eta = c_eta * eps**2 * gamma1 * ns2 / B**2
    T = math.ceil(c_T * B**2 / (eps**2 * gamma1**2 * ns2) * math.log(r0 / (eps * delta * ctx.norm_star)))
    T = min(T, int(instance.get("max_steps", 2_000_000)))
    rng = np.random.default_rng([ctx.seed or 0, 14])
    V = rng.standard_normal((runs, ctx.p))
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    W0 = ctx.w_star + r0 * V
    seeds = [int(x) for x in np.random.SeedSequence([ctx.seed or 0, 15]).generate_state(runs)]
    tr = dynamics.sgd(ctx.dist, ctx.w_star, W0, T, eta, batch=batch, seeds=seeds, record_every=T,
                      evaluation="auto" if (ctx.rotational or ctx.atoms is not None) else "sample", n_eval=2000)
    final = np.linalg.norm(tr.final_weights - ctx.w_star, axis=1) / ctx.norm_star
    successes = int(np.count_nonzero(final <= eps))
    lower, upper = clopper_pearson(successes, runs, alpha)
    comp = _comparison_from_interval(f"P[‖w_T−w*‖ ≤ ε‖w*‖] ≥ 1 − δ = {1 - delta:g} (Clopper–Pearson)",
                                     claim.readings[0], successes / runs, lower, upper, 1 - delta, ">=", alpha,
                                     "binomial")
    hyp = None if Lc.side != "exact" or g[0].side != "exact" else True
    details = {"epsilon": eps, "delta": delta, "runs": runs, "successes": successes, "cp_lower": lower,
               "cp_upper": upper, "eta": eta, "T": T, "B": B, "phi_star": phi_star, "phi0": phi0, "phi1": phi1,
               "gamma_phi1_minus_6Lcross": gamma1, "L_cross": Lc.value, "batch": batch,
               "final_relative_distance_median": float(np.median(final)),
               "final_relative_distance_max": float(np.max(final)),
               "constants": f"η = {c_eta:g}·ε²(γ(φ1)−6L_cross)‖w*‖²/B², T = ⌈{c_T:g}·B²/(ε²(γ(φ1)−6L_cross)²‖w*‖²)·"
                            "ln(r0/(εδ‖w*‖))⌉ [reconstructed]"}
    return _result(claim.id, _public_instance(instance, ctx, r0=r0, runs=runs), [comp], claim.readings,
                   alpha=alpha, in_hypothesis=hyp, details=details,
                   tightness=None)


# ---------------------------------------------------------------------------
# 15. thm33-closeness
# ---------------------------------------------------------------------------

def _check_thm33(instance: dict, alpha: float) -> CheckResult:
    """Claim 15 on a finite law (the law itself, or ``atoms`` seeded draws of it), exact in p = 2: ρ,
    γ(``phi0``), γ_avg(φ0), μ (over φ ≤ ρ, and over φ ≤ π/2 as a reading) and L_cross."""
    claim = REGISTRY["thm33-closeness"]
    base = _Context(instance)
    if base.atoms is None:
        m = check_count(instance.get("atoms", 300), "atoms")
        atoms = np.asarray(base.dist.sample(m, np.random.default_rng([base.seed or 0, 33])), dtype=float)
        law, how = Empirical(atoms), f"the empirical law of {m} seeded draws of the law (exact on it)"
    else:
        law, how = base.dist, "the finite law itself (exact)"
    ctx = _Context({**{k: v for k, v in instance.items() if k not in ("distribution", "data")}, "dist": law,
                    "w_star": base.w_star, "method": "exact"})
    atoms = ctx.atoms
    inst = _public_instance(instance, base, how=how)
    norms = np.linalg.norm(atoms, axis=-1)
    if np.max(np.abs(norms - 1.0)) > 1e-9:
        return _outside(claim.id, inst, claim.readings, alpha, "Theorem 3.3 assumes unit-norm patches")
    avg = atoms.mean(axis=1)
    an = np.linalg.norm(avg, axis=1)
    if np.any(an == 0):
        return _outside(claim.id, inst, claim.readings, alpha, "Z_avg = 0 for some draw: θ(Z_i, Z_avg) undefined")
    cos = np.clip(np.einsum("mkp,mp->mk", atoms, avg) / an[:, None], -1.0, 1.0)
    perp = np.linalg.norm(atoms - cos[..., None] * (avg / an[:, None])[:, None, :], axis=-1)
    rho = float(np.max(np.arctan2(perp, cos)))
    phi0 = float(instance.get("phi0", 0.5))
    g = ctx.gamma_L([phi0])[0][0]
    avg_ctx = _Context({"dist": Empirical(avg), "w_star": base.w_star, "method": "exact", "seed": ctx.seed})
    g_avg = avg_ctx.gamma_L([phi0])[0][0]
    mu = finite_mu(law, ctx.u, rho)
    mu_wide = finite_mu(law, ctx.u, math.pi / 2)
    Lc = ctx.L_cross()
    nat = ctx.natural_scale()
    details = {"rho": rho, "gamma_phi0": g.value, "gamma_avg_phi0": g_avg.value, "mu": mu,
               "mu_over_phi_up_to_pi_over_2": mu_wide, "L_cross": Lc.value, "atoms": int(atoms.shape[0]),
               "k": int(atoms.shape[1])}
    if not math.isfinite(mu) or not math.isfinite(Lc.value):
        return _outside(claim.id, _public_instance(instance, base, how=how, phi0=phi0), claim.readings, alpha,
                        "a patch lies on w*⊥ (μ = ∞): the band hypothesis fails", details)
    low = g_avg - 4 * (1 - math.cos(rho))
    r_both, r_gamma, r_lc, r_wide = claim.readings
    specs = [_Spec("γ(φ0) ≥ γ_avg(φ0) − 4(1 − cos ρ)", g, low, ">=", r_gamma, _margin_scale(low.value, nat)),
             _Spec("L_cross ≤ 3μ", Lc, Term(3 * mu), "<=", r_lc, _margin_scale(3 * mu, nat)),
             _Spec("L_cross ≤ 3μ, μ over φ ≤ π/2", Lc, Term(3 * mu_wide), "<=", r_wide,
                   _margin_scale(3 * mu_wide, nat))]
    comparisons = _compare_all(specs, alpha)
    tight = Lc.value / (3 * mu) if mu > 0 else (math.inf if Lc.value > 0 else None)
    return _result(claim.id, _public_instance(instance, base, how=how, phi0=phi0), comparisons, claim.readings,
                   alpha=alpha, tightness=tight, details=details, conjunction=(r_gamma, r_lc))


# ---------------------------------------------------------------------------
# 16. thm34-init, 17. cor31-init
# ---------------------------------------------------------------------------

#: init_bounds key → reading name of thm34-init.
_INIT_READINGS = {
    "proof": "proof: ½ − α·V_{p−1}/V_p",
    "sqrt_p_over_2pi": "½ − α√(p/(2π))",
    "sqrt_p2_over_2pi": "½ − α√((p+2)/(2π))",
    "sqrt_p_over_pi": "½ − α√(p/π)",
}


def _check_thm34(instance: dict, alpha: float) -> CheckResult:
    """Claim 16 at (``p``, ``alpha``): the exact success probability against every reading of the bound."""
    from .initialization import alpha_max, init_bounds, success_probability

    claim = REGISTRY["thm34-init"]
    p = int(instance.get("p", 5))
    a = float(instance.get("alpha", alpha_max(p)))
    inst = _jsonable({"p": p, "alpha": a})
    if not (0 < a < 1):
        raise InvalidArgument("alpha", f"must lie in (0, 1), got {a}")
    if a > alpha_max(p) * (1 + 1e-15):
        return _outside(claim.id, inst, claim.readings, alpha, f"α = {a:.6g} > √(1/(2p)) = {alpha_max(p):.6g}")
    P = success_probability(p, a)
    prob = Term(P, 1e-12 * P + 1e-300, side="exact", method="betainc")
    bounds = init_bounds(p, a)
    specs = [_Spec(f"P(success) ≥ {_INIT_READINGS[key]}", prob, Term(value, 1e-14), ">=", _INIT_READINGS[key],
                   max(abs(value), 1e-3)) for key, value in bounds.items()]
    comparisons = _compare_all(specs, alpha)
    tight = bounds["proof"] / P if P > 0 else None
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=tight,
                   details={"exact_probability": P, "bounds": bounds, "alpha_max": alpha_max(p),
                            "ratio_bound_over_exact": {k: v / P for k, v in bounds.items()}})


def _check_cor31(instance: dict, alpha: float) -> CheckResult:
    """Claim 17 at (``p``, ``cos_phi_star``): the exact success probability against 1/4."""
    from .initialization import corollary31_bound, corollary31_condition, corollary31_cos_max, success_probability

    claim = REGISTRY["cor31-init"]
    p = int(instance.get("p", 5))
    c = float(instance.get("cos_phi_star", 0.999 * corollary31_cos_max(p)))
    inst = _jsonable({"p": p, "cos_phi_star": c})
    if not (0 < c < 1):
        raise InvalidArgument("cos_phi_star", f"must lie in (0, 1), got {c}")
    if not corollary31_condition(p, c):
        return _outside(claim.id, inst, claim.readings, alpha,
                        f"cos φ* = {c:.6g} ≥ √(π/(8p)) = {corollary31_cos_max(p):.6g}")
    P = success_probability(p, c)
    prob = Term(P, 1e-12 * P, side="exact", method="betainc")
    bound = corollary31_bound(p, c)
    specs = [_Spec("P(success) > 1/4", prob, Term(0.25), ">=", claim.readings[0]),
             _Spec("the corollary's bound ½ − cos φ*·√(p/(2π)) > 1/4", Term(bound, 1e-15), Term(0.25), ">=",
                   claim.readings[1]),
             _Spec("the corollary's bound ≤ P(success)", Term(bound, 1e-15), prob, "<=", claim.readings[2])]
    comparisons = _compare_all(specs, alpha)
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, tightness=0.25 / P,
                   details={"exact_probability": P, "bound": bound, "cos_max": corollary31_cos_max(p)})


# ---------------------------------------------------------------------------
# 18–20. The experiments of §4
# ---------------------------------------------------------------------------

# The t and Welch statistics are verify.experiments' own (one implementation for both), imported where used
# like the other experiment imports: importing verify.experiments with this module would add its literals to
# the constants Hypothesis draws from earlier, and so change the property tests' examples.
def _welch_term(a: Sequence[float], b: Sequence[float]) -> Term:
    """mean(b) − mean(a) with the Welch standard error and Satterthwaite degrees of freedom (rounded down)."""
    from .experiments import welch_difference

    diff, se, dof = welch_difference(a, b)
    if se is None:
        return Term(math.nan)
    return Term(diff, 0.0, se, max(1, int(math.floor(dof))) if se > 0 else None, "estimate", "welch")


def _paired_term(a: Sequence[float], b: Sequence[float]) -> Term:
    """mean(b − a) over pairs with the t standard error (n − 1 dof)."""
    from .experiments import mean_and_sd

    mean, sd, n = mean_and_sd(np.asarray(b, float) - np.asarray(a, float))
    if sd is None:
        return Term(math.nan)
    return Term(mean, 0.0, float(sd / math.sqrt(n)), n - 1, "estimate", "paired-t")


def _mean_term(values: Sequence[float]) -> Term:
    """The mean with the t standard error (n − 1 dof); an exact Term of the one value (or NaN) below two."""
    from .experiments import mean_and_sd

    mean, sd, n = mean_and_sd(values)
    if sd is None:
        return Term(mean)
    return Term(mean, 0.0, float(sd / math.sqrt(n)), n - 1, "estimate", "t")


def _experiment_settings(instance: dict, name: str) -> tuple[str, int, dict]:
    profile = instance.get("profile", "quick")
    seed = int(instance.get("seed", 0) or 0)
    overrides = dict(instance.get("overrides", {}).get(name, {})) if "overrides" in instance else {}
    return profile, seed, overrides


def _check_rate_ordering(claim_id: str, name: str, label: str, increasing: bool, instance: dict,
                         alpha: float) -> CheckResult:
    from .experiments import run_experiment

    claim = REGISTRY[claim_id]
    profile, seed, overrides = _experiment_settings(instance, name)
    res = run_experiment(name, profile=profile, seed=seed, **overrides)
    values, groups = res.series[label], res.series["rates"]
    specs = []
    for i in range(len(values) - 1):
        diff = _welch_term(groups[i], groups[i + 1])
        rel = f"rate({label}={values[i + 1]:g}) {'≥' if increasing else '≤'} rate({label}={values[i]:g})"
        base = np.nanmean(np.asarray([x for x in groups[i] if x is not None], float))
        specs.append(_Spec(rel, diff if increasing else -diff, Term(0.0), ">=", claim.readings[0],
                           abs(base) if base else 1.0))
    comparisons = _compare_all(specs, alpha)
    inst = _jsonable({"experiment": name, "profile": profile, "seed": seed, "overrides": overrides,
                      "settings": res.parameters})
    return _result(claim_id, inst, comparisons, claim.readings, alpha=alpha,
                   details={"finding": res.finding, "experiment_verdict": res.verdict, label: values,
                            "rate_mean": res.series["rate_mean"], "rate_ci": res.series["rate_ci"],
                            "runtime_s": res.runtime_s})


def _check_sec4_smoothness(instance: dict, alpha: float) -> CheckResult:
    """Claim 18: Fig. 3a's rates (``profile``, ``seed``, ``overrides``), Welch intervals on neighbours."""
    return _check_rate_ordering("sec4-smoothness", "fig3a", "sigma", True, instance, alpha)


def _check_sec4_closeness(instance: dict, alpha: float) -> CheckResult:
    """Claim 19: Fig. 3b's rates, Welch intervals on neighbours."""
    return _check_rate_ordering("sec4-closeness", "fig3b", "sigma_patch^2", False, instance, alpha)


def _check_sec4_real_data(instance: dict, alpha: float) -> CheckResult:
    """Claim 20: Figs. 3c, 3d, 4, 5 — near-zero loss per α, ordering by α (paired), cosine of the learned
    filter, loss along the segment; the primary reading is the conjunction of the four statements."""
    from .experiments import NEAR_ZERO, run_experiment

    claim = REGISTRY["sec4-real-data"]
    profile, seed, _ = _experiment_settings(instance, "fig3c")
    near_zero = float(instance.get("near_zero", NEAR_ZERO))
    cosine_min = float(instance.get("cosine", 0.95))
    results = {name: run_experiment(name, profile=profile, seed=seed,
                                    **_experiment_settings(instance, name)[2])
               for name in ("fig3c", "fig3d", "fig4", "fig5")}
    specs = []
    r_learn, r_init, r_look, r_closer, r_line = claim.readings[1:6]
    for name in ("fig3c", "fig3d"):
        series = results[name].series
        finals = series["final_log_relative_loss"]
        alphas = series["alphas"]
        for i, a in enumerate(alphas):
            specs.append(_Spec(f"{name}: final ln(relative loss) ≤ {near_zero:.3g} @ α={a:g}", _mean_term(finals[i]),
                               Term(near_zero), "<=", r_learn, abs(near_zero)))
        for i in range(len(alphas) - 1):
            specs.append(_Spec(f"{name}: better start ends lower @ α={alphas[i]:g}→{alphas[i + 1]:g}",
                               _paired_term(finals[i], finals[i + 1]), Term(0.0), ">=", r_init, 1.0))
    fig4 = results["fig4"].series
    for kind in ("random", "gabor"):
        cos = fig4[kind]["cosine_similarity"]
        cos0 = fig4[kind]["initial_cosine_similarity"]
        specs.append(_Spec(f"fig4 {kind}: cosine(learned, true) ≥ {cosine_min:g}", _mean_term(cos), Term(cosine_min),
                           ">=", r_look, 1.0))
        specs.append(_Spec(f"fig4 {kind}: learned closer in angle than the start", _paired_term(cos0, cos), Term(0.0),
                           ">=", r_closer, 1.0))
    fig5 = results["fig5"].series
    for kind in ("random", "gabor"):
        curves = np.asarray(fig5[kind]["log_relative_loss"], dtype=float)
        worst = np.nanmax(curves, axis=1)
        specs.append(_Spec(f"fig5 {kind}: max over the segment of ln(relative loss) ≤ {near_zero:.3g}",
                           _mean_term(worst), Term(near_zero), "<=", r_line, abs(near_zero)))
    comparisons = _compare_all(specs, alpha)
    inst = _jsonable({"experiments": list(results), "profile": profile, "seed": seed,
                      "settings": results["fig3c"].parameters, "near_zero": near_zero, "cosine": cosine_min})
    details = {name: {"finding": r.finding, "verdict": r.verdict, "runtime_s": r.runtime_s}
               for name, r in results.items()}
    # The claim is the conjunction of its four statements (the cosine threshold is our reading of "looks like").
    return _result(claim.id, inst, comparisons, claim.readings, alpha=alpha, details=details,
                   conjunction=(r_learn, r_init, r_look, r_line))


# ---------------------------------------------------------------------------
# The template and the registry
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Instance:
    """A claim's instance as a dataclass (a dict with the same keys works as well; None means "default").

    Attributes
    ----------
    dist : distribution object, optional
        Any object with ``p``, ``k``, ``sample`` (built-in or a user's).
    distribution : str or dict, optional
        A built-in by name, ``{"name": "mixture", "p": 3, "sigma": 0.5}``, or
        ``{"name": "empirical", "data": [[...], ...]}``.
    p : int, optional
    w_star, w : array_like (p,), optional
        Teacher and student filters (defaults: the law's axis, and a seeded point
        of the ball ‖w − w*‖ < ‖w*‖).
    eta : float, optional
        Step size (claims 4, 7, 12).
    phi : float, optional
        Angle in radians (claim 3).
    seed : int
    n : int, optional
        Monte Carlo draws for laws without an exact method.
    extra : dict
        Any other key a check reads (``eta_fraction``, ``epsilon``, ``runs`` …).
    """

    dist: Any = None
    distribution: Any = None
    p: int | None = None
    w_star: Any = None
    w: Any = None
    eta: float | None = None
    phi: float | None = None
    seed: int = 0
    n: int | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "extra"}
        out = {k: v for k, v in out.items() if v is not None}
        out.update(self.extra)
        return out


def _as_dict(instance: Any) -> dict:
    if instance is None:
        return {}
    if isinstance(instance, dict):
        return dict(instance)
    if isinstance(instance, Instance):
        return instance.to_dict()
    if hasattr(instance, "__dataclass_fields__"):
        return {name: getattr(instance, name) for name in instance.__dataclass_fields__
                if getattr(instance, name) is not None}
    raise InvalidArgument("instance", f"must be a dict or a dataclass, got {type(instance).__name__}")


@dataclass(frozen=True)
class Claim:
    """One claim of the paper, with its check (the template every entry of :data:`REGISTRY` follows).

    Attributes
    ----------
    id : str
        The id of CLAIMS.md §4 (``"thm22-contraction"``).
    source : str
        Where the paper states it (section, theorem, equation).
    statement : str
        The claim in plain text with math.
    kind : {"equality", "upper-bound", "lower-bound", "empirical"}
        How it is asserted: an identity, a one-sided bound, or a property of
        simulations (checked with confidence intervals over seeded runs).
    reconstructed : str or None
        ``None`` when the printed text is used as is; otherwise what our
        reading was reconstructed from (CLAIMS.md's **[reconstructed]** marks).
    readings : tuple of str
        The readings checked; the first is the primary one (the claim's verdict).
    checker : callable (instance dict, α) -> CheckResult
    defaults : dict
        The default instance (``check()`` with no arguments).
    method : str
        How the check computes (which instances are exact).

    Examples
    --------
    >>> from verify.claims import get_claim
    >>> get_claim("thm22-angle").check({"w_star": [1.0, 0.0], "w": [0.6, 0.5]}).verdict
    'holds'
    """

    id: str
    source: str
    statement: str
    kind: str
    reconstructed: str | None
    readings: tuple
    checker: Callable[[dict, float], CheckResult] = field(repr=False, compare=False)
    defaults: dict = field(default_factory=dict, repr=False, compare=False)
    method: str = ""

    def __post_init__(self):
        if self.kind not in CLAIM_KINDS:
            raise ValueError(f"kind must be one of {CLAIM_KINDS}, got {self.kind!r}")
        if not self.readings:
            raise ValueError("a claim needs at least one reading")

    def check(self, instance: Any = None, *, alpha: float | None = None, **overrides: Any) -> CheckResult:
        """Check the claim on one instance (a dict or a dataclass; missing keys take :attr:`defaults`).

        Parameters
        ----------
        instance : dict or dataclass, optional
            ``dist`` (a distribution object) or ``distribution`` (a name or
            ``{"name": …, "p": …, options}``), ``w_star``, ``w``, ``eta``, ``phi``,
            ``seed``, ``n``, … as the claim needs (see each check).
        alpha : float, optional
            False-alarm probability of the whole check, split over its
            comparisons (Bonferroni); :data:`DEFAULT_ALPHA` by default.
        **overrides
            Instance keys, overriding ``instance``.
        """
        inst = {**self.defaults, **_as_dict(instance), **overrides}
        if inst.get("dist") is not None:
            inst.pop("distribution", None)
        a = inst.pop("alpha", None) if alpha is None else alpha
        a = DEFAULT_ALPHA if a is None else float(a)
        if not (0.0 < a < 1.0):
            raise InvalidArgument("alpha", f"must lie in (0, 1), got {a}")
        return self.checker(inst, a)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "statement": self.statement, "kind": self.kind,
                "reconstructed": self.reconstructed, "readings": list(self.readings), "method": self.method}


def _gauss(p: int = 3) -> dict:
    return {"distribution": {"name": "gaussian", "p": p}}


_CLAIMS = [
    Claim("lemma-a1", "Appendix A.1, Lemma A.1, eq. (5)",
          "⟨E∇ℓ(w), w − w*⟩ = (w−w*)ᵀA_{w,w*}(w−w*) + (w−w*)ᵀA_{w,−w*}w, both terms ≥ 0, for every distribution "
          "(per sample for a finite one)", "equality", None,
          ("closed regions (as printed)", "half-open S(w,−w*): w*·Z < 0"),
          _check_lemma_a1, _gauss(3), "per sample, exact (rounding bound); draws of the law or a finite law's atoms"),
    Claim("def21-shape", "§2.1, remarks after Definition 2.1",
          "γ(φ) and L(φ) are non-increasing in φ; 0 ≤ γ(φ) ≤ L(φ); γ(π) = L(π) = 0 without mass on hyperplanes; "
          "A_{w,−w*} = 0 at θ(w, w*) = 0", "upper-bound", None, ("as printed",),
          _check_def21_shape, {"distribution": {"name": "mixture", "p": 3, "sigma": 1.0}},
          "exact (radial, finite p = 2), quadrature (angular mixture), else estimates with their sides"),
    Claim("def21-rotinv-equal", "§2.1, remark after Definition 2.1",
          "rotationally invariant distributions (e.g. standard Gaussian) have γ(φ) = L(φ)", "equality", None,
          ("as printed",), _check_def21_rotinv_equal, {**_gauss(3), "phi": 1.0},
          "closed forms γ = s(π−φ−sin φ)/(2π), L = s(π−φ+sin φ)/(2π)"),
    Claim("thm21-recovery", "§2, Theorem 2.1",
          "if E[ZZᵀ1{S(w1,w2)}] ≻ 0 whenever θ(w1,w2) < π and ℓ(w0) < ℓ(0), the only limit point of population "
          "GD is w*", "empirical", None, ("as printed",), _check_thm21_recovery, _gauss(3),
          "population GD from seeded starts with ℓ(w0) < ℓ(0): closed-form gradients (radial, degenerate), "
          "exact sums (finite), a fixed large sample (others)"),
    Claim("thm22-angle", "Appendix A.1, proof of Theorem 2.2 (its first observation)",
          "if ‖w − w*‖ < ‖w*‖ then θ(w, w*) ≤ arcsin(‖w − w*‖/‖w*‖)", "upper-bound", None, ("as printed",),
          _check_thm22_angle, {"p": 3}, "geometry in floating point (atan2 angles, rounding bounds)"),
    Claim("thm22-gradient-bounds", "Appendix A.1, proof of Theorem 2.2",
          "if ‖w − w*‖ < ‖w*‖: ⟨E∇ℓ(w), w − w*⟩ ≥ γ(θ)‖w − w*‖² and ‖E∇ℓ(w)‖ ≤ (L(θ) + 4β)‖w − w*‖, θ = θ(w, w*)",
          "upper-bound", None, ("tight β", "β = 1 (Theorem A.1)", "β = p (Theorem A.2)"),
          _check_thm22_gradient_bounds, {"distribution": {"name": "mixture", "p": 3, "sigma": 1.0}},
          "γ, L, β exact (radial, finite p = 2) or by quadrature (angular mixture); gradient likewise"),
    Claim("thm22-contraction", "§2.1, Theorem 2.2",
          "if ‖w0 − w*‖ < ‖w*‖, φ_t = arcsin(‖w_t − w*‖/‖w*‖) and 0 < η ≤ min_{0≤φ≤φ_t} γ(φ)/(2(L(φ)+4β)²), then "
          "‖w_{t+1} − w*‖² ≤ (1 − ηγ(φ_t)/2)‖w_t − w*‖² (population GD)", "upper-bound",
          "from the proof's last display (the printed factor has no /2)",
          ("with /2", "printed without /2", "3/2: the proof with its factor 2 restored"),
          _check_thm22_contraction, _gauss(3), "one exact GD step; η_max exact (monotone ratio, or finite p = 2)"),
    Claim("thm22-complexity", "§2.1, discussion after Theorem 2.2",
          "with η = γ(φ0)/(2(L(0)+4β)²) GD reaches ‖w_t − w*‖ ≤ ε‖w*‖ within O((L(0)+β)²/γ(φ0)² · log(1/ε)) steps; "
          "the adaptive/two-stage step η_t = γ(φ_t)/(2(L(φ_t)+4β)²) is faster", "upper-bound", None,
          ("iterations within the contraction bound", "O-constant ≤ 128 (the proof's)", "adaptive step is no slower",
           "two-stage step is no slower"),
          _check_thm22_complexity, _gauss(3), "exact population GD (closed forms) with the three step rules"),
    Claim("thm-a1-beta-rotinv", "Appendix A.1, Theorem A.1",
          "for unit-norm rotationally invariant Z, Assumption 2.1 holds with β = 1", "upper-bound", None,
          ("β = 1",), _check_thm_a1, {"p": 3}, "closed form: tight β = 1/(πp) for the uniform sphere"),
    Claim("thm-a2-beta-gaussian", "Appendix A.1, Theorem A.2; §2.1 ('β = p')",
          "for Z ~ N(0, I_p), β ≤ p (the main text says 'β = p')", "upper-bound", None,
          ("β ≤ p (Theorem A.2)", "β = p as the tight constant (main text)"), _check_thm_a2, {"p": 3},
          "closed form: tight β = 1/π"),
    Claim("thm31-gradient-bounds", "Appendix A.2, proof of Theorem 3.1",
          "if ‖w − w*‖ < ‖w*‖: ⟨E∇ℓ(w), w − w*⟩ ≥ (γ(θ) − 6L_cross)‖w − w*‖² and "
          "‖E∇ℓ(w)‖ ≤ (L(θ) + 10L_cross + 4β)‖w − w*‖", "upper-bound", None, ("as printed",),
          _check_thm31_gradient_bounds,
          {"distribution": {"name": "patches", "p": 2, "k": 4, "sigma_patch": 0.005}},
          "exact on finite laws in p = 2 (β, L_cross by enumerating the pieces); Monte Carlo otherwise"),
    Claim("thm31-contraction", "§3, Theorem 3.1",
          "if ‖w0 − w*‖ < ‖w*‖, γ(φ0) > 6L_cross and 0 < η ≤ min_{0≤φ≤φ_t} (γ(φ) − 6L_cross)/(2(L(φ)+10L_cross+4β)²), "
          "then ‖w_{t+1} − w*‖² ≤ (1 − η(γ(φ_t) − 6L_cross)/2)‖w_t − w*‖²", "upper-bound",
          "the printed step-size numerator reads like γ(0); the proof needs γ(φ)",
          ("γ(φ) in the step size [reconstructed]", "printed γ(0) in the step size"),
          _check_thm31_contraction,
          {"distribution": {"name": "patches", "p": 2, "k": 4, "sigma_patch": 0.005}, "ratio": 0.3},
          "one GD step; exact on finite laws in p = 2"),
    Claim("asm32-identical-patches", "§3, remark after Assumption 3.2",
          "if Z_1 = … = Z_k then L_cross = 0", "equality", None, ("as printed",), _check_asm32,
          {**_gauss(2), "k": 3, "samples": 400}, "per-sample cross moments (exact sums); exact sup over θ for p = 2"),
    Claim("thm32-sgd", "§3, Theorem 3.2",
          "with φ* the largest φ with γ(φ) ≥ 6L_cross, r0 < ‖w*‖ sin φ*, φ1 = (φ0 + φ*)/2, "
          "η = Θ(ε²(γ(φ1) − 6L_cross)‖w*‖²/B²) and T = O(B²/(ε²(γ(φ1) − 6L_cross)²‖w*‖²)·log(r0/(εδ‖w*‖))) SGD "
          "steps, ‖w_T − w*‖ ≤ ε‖w*‖ with probability ≥ 1 − δ", "empirical",
          "constants of Θ and O taken as 1; φ* capped at π/2; B = ‖w*‖·max‖Z_i‖²",
          ("constants 1",), _check_thm32_sgd, {"distribution": {"name": "sphere", "p": 2}},
          "seeded SGD runs; success frequency against 1 − δ with a one-sided Clopper–Pearson bound"),
    Claim("thm33-closeness", "§3.1, Theorem 3.3",
          "unit-norm patches with θ(Z_i, Z_avg) ≤ ρ and P[θ(Z_i, w*) ∈ [π/2 − φ, π/2 + φ]] ≤ μφ (and the mirror band) "
          "for φ ≤ ρ ⇒ γ(φ0) ≥ γ_avg(φ0) − 4(1 − cos ρ) and L_cross ≤ 3μ", "upper-bound", None,
          ("as printed (both bounds)", "γ(φ0) ≥ γ_avg(φ0) − 4(1 − cos ρ)", "L_cross ≤ 3μ (μ over φ ≤ ρ)",
           "L_cross ≤ 3μ with μ over φ ≤ π/2"),
          _check_thm33, {"distribution": {"name": "patches", "p": 2, "k": 3, "sigma_patch": 0.1}, "atoms": 300},
          "exact on a finite law in p = 2 (a seeded sample of the law): γ, γ_avg, ρ, μ, L_cross"),
    Claim("thm34-init", "§3.2, Theorem 3.4",
          "w0 uniform in the p-ball of radius α‖w*‖, α ≤ √(1/(2p)) ⇒ ‖w0 − w*‖ ≤ √(1−α²)‖w*‖ with probability at "
          "least ½ − α·V_{p−1}/V_p (the proof's bound) and its simplifications", "lower-bound",
          "the printed bound is garbled: the proof's bound and its Gautschi simplifications are checked",
          tuple(_INIT_READINGS.values()), _check_thm34, {"p": 5},
          "the exact probability (two spherical caps, regularized incomplete beta) against each bound"),
    Claim("cor31-init", "§3.2, Corollary 3.1",
          "with α = cos φ* < √(π/(8p)), the success probability of Theorem 3.4 exceeds 1/4", "lower-bound",
          "the condition cos φ* < √(π/(8p)) and the bound ½ − cos φ*·√(p/(2π)) > ¼ are reconstructed",
          ("success probability > 1/4", "the corollary's bound > 1/4", "the bound is a valid lower bound"),
          _check_cor31, {"p": 5}, "the exact probability"),
    Claim("sec4-smoothness", "§4, Fig. 3a",
          "the smoother the input distribution (larger σ of the angular mixture), the faster (S)GD converges at a "
          "fixed initialization and step", "empirical", None, ("as printed",), _check_sec4_smoothness,
          {"profile": "quick"}, "seeded SGD runs per σ; Welch intervals on neighbouring mean rates"),
    Claim("sec4-closeness", "§4, Fig. 3b",
          "the closer the patches (smaller σ_patch²), the faster (S)GD converges", "empirical", None,
          ("as printed",), _check_sec4_closeness, {"profile": "quick"},
          "seeded SGD runs per σ_patch²; Welch intervals on neighbouring mean rates"),
    Claim("sec4-real-data", "§4, Figs. 3c, 3d, 4, 5; Appendix B",
          "on real images SGD learns a random Gaussian and a Gabor filter to near-zero relative loss, better "
          "initializations converge faster, the learned filter looks like the true one, and the loss stays low "
          "along α·w + (1−α)·w*", "empirical", None,
          ("all four statements", "learned to near-zero relative loss", "better initialization converges faster",
           "learned filter looks like the true one (cosine ≥ 0.95)",
           "learned filter closer to the true one than the start", "loss stays near zero along the segment"),
          _check_sec4_real_data, {"profile": "quick"},
          "seeded SGD on 8×8 digit patches (scikit-learn digits); t-intervals over teachers"),
]

#: id → Claim, in the order of CLAIMS.md §4.
REGISTRY: dict[str, Claim] = {c.id: c for c in _CLAIMS}


def get_claim(claim_id: str) -> Claim:
    """The registry entry of a claim id (InvalidArgument for an unknown id, listing the known ones)."""
    try:
        return REGISTRY[claim_id]
    except (KeyError, TypeError):
        raise InvalidArgument("claim", f"unknown claim id {claim_id!r}; known: {', '.join(REGISTRY)}") from None


def list_claims() -> list[dict[str, Any]]:
    """Every claim's metadata (id, source, statement, kind, reconstructed, readings, method), in order."""
    return [c.to_dict() for c in REGISTRY.values()]


#: Claims whose check takes no distribution (geometry, initialization, experiments).
_NO_DISTRIBUTION = ("thm22-angle", "thm34-init", "cor31-init", "sec4-smoothness", "sec4-closeness", "sec4-real-data")


def check_claim(claim_id: str, dist: Any = None, *, seed: int = 0, n: int | None = None,
                **instance_overrides: Any) -> CheckResult:
    """Check one claim on its default instance, or on a given distribution (what ``verify check`` runs).

    Parameters
    ----------
    claim_id : str
        An id of :data:`REGISTRY`.
    dist : distribution, optional
        Any object with ``p``, ``k`` and ``sample(n, rng)`` (built-in or a
        user's); replaces the default instance's distribution.  Claims about
        no distribution (geometry, initialization) take ``p`` from it; the §4
        experiments ignore it.
    seed : int
        Seed of every random choice (default w, draws, Monte Carlo).
    n : int, optional
        Monte Carlo draws for laws without an exact method.
    **instance_overrides
        Instance keys (``w_star``, ``w``, ``phi``, ``eta``, ``alpha`` …).

    Returns
    -------
    CheckResult
    """
    claim = get_claim(claim_id)
    inst = dict(instance_overrides)
    inst["seed"] = check_seed(seed) or 0
    if n is not None:
        inst["n"] = check_count(n, "n", minimum=2)
    if dist is not None:
        for attr in ("p", "k", "sample"):
            if not hasattr(dist, attr):
                raise InvalidArgument("dist", f"must follow the distribution protocol (missing {attr!r})")
        if claim.id in _NO_DISTRIBUTION:
            if claim.id in ("thm22-angle", "thm34-init", "cor31-init"):
                inst.setdefault("p", int(dist.p))
        else:
            inst["dist"] = dist
    return claim.check(inst)

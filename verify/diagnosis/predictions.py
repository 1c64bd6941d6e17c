"""What the theory predicts for this data, and what SGD on the data does (docs/diagnose.md §6).

All formulas are docs/claims.md §4's, at the constants of :mod:`verify.diagnosis.constants`
(point values; each inherits its estimate's side):

* the step (claim 7, Theorem 2.2, k = 1; claim 12, Theorem 3.1, k > 1, with γ(φ) in the numerator
  [reconstructed]):  η_max = min_{φ ≤ φ₀} (γ(φ) − 6L_cross)/(2(L(φ) + 10L_cross + 4β)²), and for k = 1
  γ(φ)/(2(L(φ) + 4β)²), the min over the curve grid's φ ≤ φ₀ and φ₀ itself
  (:func:`verify.dynamics.step_rules.step_bound`, the formula's one home);
* the contraction per step q = 1 − η(γ(φ₀) − 6L_cross)/2 of ‖w − w*‖² (L_cross = 0 for k = 1) and the
  iterations to ε: T = ⌈ln(ε²‖w*‖²/r₀²)/ln q⌉ (claim 8, reading ``within-bound``);
* φ* = the largest grid φ ≤ π/2 with γ(φ) ≥ 6L_cross (claim 14 caps φ* at π/2), and the success
  probability of a uniform start in the ball of radius α = cos φ* (Theorem 3.4, Corollary 3.1, claims 16–17,
  :func:`verify.dynamics.initialization.success_probability`, exact; and the corollary's bound);
* Theorem 3.2 (claim 14, constants 1 [reconstructed]): φ₁ = (φ₀ + φ*)/2, B = ‖w*‖·max‖Z_i‖²,
  η = ε²(γ(φ₁) − 6L_cross)‖w*‖²/B², T = B²/(ε²(γ(φ₁) − 6L_cross)²‖w*‖²)·ln(r₀/(εδ‖w*‖));
  γ(φ₁) is read at the first grid φ ≥ φ₁ (γ does not increase, docs/claims.md claim 2).

SGD (:func:`verify.dynamics.descent.sgd`) runs on :class:`DataLaw`, a sampler that draws whole images
(uniformly, with replacement) from the source chunk-free, so the data never sit in memory.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..dynamics.descent import sgd
from ..dynamics.step_rules import step_bound
from ..estimators.sampling import sample_mean
from ..dynamics.initialization import alpha_max, corollary31_bound, corollary31_condition, success_probability
from .sources import Source

__all__ = ["DataLaw", "theory", "run_sgd", "EVAL_PATCHES"]

#: patches of the fixed evaluation sample on which SGD's loss is recorded
EVAL_PATCHES = 100_000


class DataLaw:
    """The empirical law of the source's images as a sampler (docs/claims.md §5, finite laws).

    ``support()`` is None on purpose: :func:`verify.dynamics.descent.sgd` then draws
    minibatches through :meth:`sample` instead of holding every patch.

    Examples
    --------
    >>> from verify.diagnosis.sources import open_source
    >>> law = DataLaw(open_source(np.zeros((5, 4, 4)), filter_size=2, stride=2))
    >>> law.sample(3, np.random.default_rng(0)).shape
    (3, 4, 4)
    """

    name = "diagnose-data"

    def __init__(self, source: Source):
        self.source, self.p, self.k = source, source.p, source.k

    def sample(self, n: int, rng) -> np.ndarray:
        return self.source.take(rng.integers(0, self.source.n_items, size=int(n)))

    def support(self):
        return None

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "p": self.p, "k": self.k, "source": self.source.describe()}


def _v(e) -> float:
    return float(e.value)


def theory(c: dict, curve: np.ndarray, phi0: float, k: int, p: int, w_norm: float, r0: float,
           epsilon: float, delta: float) -> dict:
    """The predictions of the module doc from the constants ``c`` (as :func:`verify.diagnosis.constants.estimates`)."""
    lc = _v(c["L_cross"]) if k > 1 else 0.0
    beta = _v(c["beta"])
    gam = np.array([_v(e) for e in c["gamma"]])
    big = np.array([_v(e) for e in c["L"]])
    upto = curve <= phi0 + 1e-15
    eta_max = float(np.min(step_bound(gam, big, beta, lc)[upto]))
    theorem = "Theorem 3.1" if k > 1 else "Theorem 2.2"
    g0 = float(gam[np.argmin(np.abs(curve - phi0))])
    step, step_source = eta_max, f"{theorem}'s bound"
    if not eta_max > 0 and k > 1:
        alt = float(np.min(step_bound(gam, big, beta)[upto]))
        step, step_source = alt, ("Theorem 2.2's form on the patch averages (Theorem 3.1 allows no positive step: "
                                  "γ(φ) ≤ 6·L_cross)")
        if not alt > 0:
            step, step_source = 1.0 / (2 * big[0]), "1/(2·L(0)) (the theory allows no positive step)"
    drop = step * (g0 - 6 * lc) / 2 if eta_max > 0 else step * g0 / 2  # q = 1 − drop
    q = 1 - drop
    rate = -0.5 * math.log1p(-drop) if 0 < drop < 1 else None  # on ‖w − w*‖, per step
    iters = math.ceil(math.log(epsilon ** 2 * w_norm ** 2 / r0 ** 2) / math.log1p(-drop)) if 0 < drop < 1 else None
    ok = (curve <= math.pi / 2 + 1e-15) & (gam >= 6 * lc) & (gam > 0)
    phi_star = float(curve[ok].max()) if ok.any() else None
    out: dict = {"theorem": theorem, "phi0": phi0, "r0": r0, "epsilon": epsilon, "delta": delta,
                 "eta_max": eta_max, "eta_used": step, "eta_source": step_source, "gamma_phi0": g0,
                 "contraction_per_step": q, "contraction_drop": drop, "rate_per_step": rate,
                 "iterations_to_epsilon": iters, "phi_star": phi_star}
    if phi_star is not None:
        alpha = math.cos(phi_star)
        prob = success_probability(p, alpha) if 0 < alpha < 1 else (1.0 if alpha <= 0 else 0.0)
        out["initialization"] = {
            "alpha": alpha, "success_probability": float(prob), "radius": alpha * w_norm,
            "target_radius": math.sin(phi_star) * w_norm,
            "theorem34_hypothesis": bool(0 < alpha <= alpha_max(p)),
            "corollary31_condition": bool(0 < alpha < 1 and corollary31_condition(p, alpha)),
            "corollary31_bound": corollary31_bound(p, alpha) if 0 < alpha < 1 else None}
        phi1 = (phi0 + phi_star) / 2
        at = curve[curve >= phi1 - 1e-15]
        g1 = float(gam[np.searchsorted(curve, at[0] - 1e-15)]) if at.size else float("nan")
        bound = w_norm * c["norm2_max"]
        margin = g1 - 6 * lc
        out["theorem32"] = {"phi1": phi1, "gamma_phi1": g1, "B": bound,
                            "eta": epsilon ** 2 * margin * w_norm ** 2 / bound ** 2 if margin > 0 else None,
                            "iterations": (bound ** 2 / (epsilon ** 2 * margin ** 2 * w_norm ** 2)
                                           * math.log(r0 / (epsilon * delta * w_norm))) if margin > 0 else None}
    else:
        out["initialization"] = None
        out["theorem32"] = None
    return out


def starts(w_star: np.ndarray, r0: float, runs: int, seed: int) -> np.ndarray:
    """Seeded starts at distance r₀ from w*, in uniform directions."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 41]))
    d = rng.standard_normal((runs, w_star.size))
    return w_star + r0 * d / np.linalg.norm(d, axis=1, keepdims=True)


def run_sgd(source: Source, w_star: np.ndarray, w0: np.ndarray, eta: float, steps: int, batch: int,
            seed: int, drop: float | None) -> dict:
    """SGD from each start with step η; the measured rate beside the predicted one."""
    law = DataLaw(source)
    every = max(1, steps // 200)
    n_eval = int(max(1, min(source.n_items, EVAL_PATCHES // source.k)))
    tr = sgd(law, w_star, w0, steps, eta, batch=batch, seeds=list(range(seed, seed + w0.shape[0])),
             evaluation="sample", n_eval=n_eval, eval_seed=seed + 1_000_003, record_every=every)
    t = np.asarray(tr.steps, float)
    dist = np.asarray(tr.distance)
    with np.errstate(divide="ignore"):
        logd = np.log(dist)
    rates = []
    for row in logd:
        ok = np.isfinite(row)
        rates.append(-float(np.polyfit(t[ok], row[ok], 1)[0]) if ok.sum() >= 2 else math.nan)
    rates = np.array(rates)
    rate = sample_mean(rates)  # the runs' mean rate and its standard error (NaN rates dropped)
    r0 = dist[:, :1]
    bound = r0 * np.exp(0.5 * t * np.log1p(-drop)) if drop is not None and 0 < drop < 1 else None
    out = {"steps": t.tolist(), "distance": dist.tolist(), "relative_loss": np.asarray(tr.relative_loss).tolist(),
           "eta": eta, "batch": batch, "iterations": steps, "seeds": list(tr.seeds), "runs": int(dist.shape[0]),
           "rate_per_run": rates.tolist(), "rate_mean": float(rate.value),
           "rate_se": float(rate.error) if np.isfinite(rates).sum() > 1 else None,
           "final_relative_distance": (dist[:, -1] / np.linalg.norm(w_star)).tolist(),
           "evaluation_images": n_eval}
    if bound is not None:
        out["bound"] = bound.tolist()
        out["within_bound_fraction"] = float(np.mean(dist <= bound * (1 + 1e-12)))
    return out

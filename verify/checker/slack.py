"""How much each step of Theorem 2.2's proof loses, for Z ~ N(0, I_p), and of Theorem 3.1's, on finite laws of k
patches (docs/claims.md §4 claims 6–8, thm31-gradient-bounds, thm31-contraction, §6).

Theorem 3.1's chain is the same with its constants (γ − 6L_cross, L + 10L_cross + 4β), computed by exact
sums over a finite law in p = 2 (:func:`theorem31_chain_slack`); the rest of this docstring is about
Theorem 2.2's.

The proof chain (docs/claims.md §4, claims 6 and 7) is

(a) ⟨E∇ℓ, w − w*⟩ ≥ γ(θ)‖w − w*‖²                       (claim 6, lower bound),
(b) ‖E∇ℓ‖ ≤ (L(θ) + 4β)‖w − w*‖                          (claim 6, upper bound),
(c) ‖w_{t+1} − w*‖² ≤ (1 − ηγ(φ_t)/2)‖w_t − w*‖²          (claim 7, reading ``half-factor``)
    at η = η_max(φ_t) = min_{0≤φ≤φ_t} γ(φ)/(2(L(φ) + 4β)²), φ_t = arcsin(‖w_t − w*‖/‖w*‖),
(d) the step η_max(φ_t) against the largest η for which that one GD step still contracts by the
    factor of (c).

For N(0, I_p), γ(φ) = (π − φ − sin φ)/(2π), L(φ) = (π − φ + sin φ)/(2π), β = 1/π (§6.1, §6.5) and
E∇ℓ(w) = ½(w − w*) + (θw* − (‖w*‖/‖w‖) sin θ·w)/(2π) (§6.3).  All four ratios below are
independent of p (the gradient stays in the plane of w and w*, §6.3) and of the radial scale
s = E‖Z‖²/p (γ, L, β and E∇ℓ all scale by s and η_max by 1/s, §6.2), and of ‖w*‖ (E∇ℓ is
1-homogeneous in (w, w*)).  So we take w* = (1, 0) and w = w* + r(cos ψ, sin ψ) with
r ∈ (0, 1) (the ball of the hypothesis) and ψ ∈ [0, π] (ψ ↦ −ψ is a reflection).

Facts used by the tests (derived here from §6.1, §6.3, §6.5):

* along ψ ∈ {0, π} (w on the line of w*), θ = 0 and E∇ℓ = ½(w − w*), so ratio (a) = 1 exactly and
  ratio (b) = ½/(½ + 4/π) = π/(π + 8) ≈ 0.28199 exactly;
* along ψ = π/2 (w − w* tangent to the circle at w*), ‖w‖² = 1 + r², θ = atan r, sin θ = r/√(1 + r²),
  so ⟨E∇ℓ, w − w*⟩ = r²/2 − r³/(2π(1 + r²)) and ratio (a) = (π − r/(1 + r²))/(π − atan r − r/√(1 + r²))
  = 1 + r/π + O(r²) → 1 as r → 0;
* the contraction condition ‖d − ηg‖² ≤ (1 − ηγ_t/2)r² (d = w − w*, g = E∇ℓ) is, for η > 0,
  η‖g‖² ≤ 2⟨g, d⟩ − γ_t r²/2: the contracting steps form the interval (0, η_big] with
  η_big = (2⟨g, d⟩ − γ_t r²/2)/‖g‖², which the tests compare with the bisection used here.

The measured iteration constant (claim 8, reading ``o-constant-128``) is not recomputed here: the
``thm22-complexity`` check already reports ``T_constant``, ``T_bound`` and ``constant_measured`` in
its details (verify/claims/thm22_complexity.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..estimators.closed_forms import radial_constants, radial_gradient
from ..dynamics.step_rules import step_bound
from ..geometry import angle
from ..jsonio import jsonable

__all__ = ["BETA", "ProofChainSlack", "Worst", "largest_contracting_eta", "measured_iteration_constant",
           "plane_grid", "proof_chain_slack", "step_size_bound", "identical_patch_law", "theorem31_chain_slack",
           "proof_chain_slacks"]

#: Tight β of N(0, I_p) (docs/claims.md §6.5).
BETA = 1.0 / math.pi


@dataclass(frozen=True)
class Worst:
    """A ratio at the worst grid point, and where: r = ‖w − w*‖/‖w*‖, ψ the direction of w − w*
    from w*, θ = θ(w, w*), φ_t = arcsin r (docs/claims.md §4 claim 7)."""

    ratio: float
    r: float
    psi: float
    theta: float
    phi_t: float

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"ratio": self.ratio, "r": self.r, "psi": self.psi, "theta": self.theta,
                         "phi_t": self.phi_t})


@dataclass(frozen=True)
class ProofChainSlack:
    """Ratios lhs/rhs of each step of the proof chain (module doc), worst point and range.

    ``steps`` maps a step id to {"sense", "worst" (:class:`Worst`), "min", "max", "slack"}:
    ``sense`` is ``">= 1"`` or ``"<= 1"`` (the side on which the step holds), ``slack`` the factor by
    which the step is loose at its worst point (≥ 1 when it holds; 1 means tight).  ``loses_most``
    is the step with the largest slack.
    """

    steps: dict
    loses_most: str | None
    grid: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"steps": self.steps, "loses_most": self.loses_most, "grid": self.grid})


def plane_grid(n_r: int = 199, n_psi: int = 181, r_max: float = 1.0, psi_max: float = math.pi):
    """(R, Ψ, W, D) on the grid r ∈ (0, r_max) (interior of a uniform grid), ψ ∈ [0, psi_max]; w* = (1, 0),
    D = w − w* = r(cos ψ, sin ψ), W = w* + D (module doc).

    >>> R, P, W, D = plane_grid(3, 2)
    >>> R[:, 0].tolist(), W.shape
    ([0.25, 0.5, 0.75], (3, 2, 2))
    """
    r = np.linspace(0.0, r_max, n_r + 2)[1:-1]
    psi = np.linspace(0.0, psi_max, n_psi)
    R, P = np.meshgrid(r, psi, indexing="ij")
    D = np.stack([R * np.cos(P), R * np.sin(P)], axis=-1)
    return R, P, np.array([1.0, 0.0]) + D, D


def step_size_bound(phi_t: np.ndarray, n: int = 257) -> np.ndarray:
    """η_max(φ_t) = min_{0≤φ≤φ_t} γ(φ)/(2(L(φ) + 4β)²) for N(0, I) (docs/claims.md §4 claim 7, §6.1,
    §6.5), the min over n equispaced angles in [0, φ_t] (the ratio is decreasing, so this is exact).

    >>> float(step_size_bound(np.array([0.0]))[0]) == 0.5 / (2 * (0.5 + 4 / math.pi) ** 2)
    True
    """
    phi_t = np.asarray(phi_t, dtype=float)
    grid = phi_t[..., None] * np.linspace(0.0, 1.0, n)
    c = radial_constants(grid.ravel())
    ratio = step_bound(c["gamma"], c["L"], BETA)
    return ratio.reshape(grid.shape).min(axis=-1)


def _excess(eta, D, G, factor_slope):
    """‖d − ηg‖² − (1 − η·factor_slope)‖d‖², elementwise (≤ 0 means the step contracts, claim 7)."""
    after = np.sum((D - eta[..., None] * G) ** 2, axis=-1)
    return after - (1 - eta * factor_slope) * np.sum(D**2, axis=-1)


def largest_contracting_eta(D, G, gamma_t, eta0, iters: int = 80) -> np.ndarray:
    """Largest η with ‖d − ηg‖² ≤ (1 − ηγ_t/2)‖d‖² (claim 7's factor), by bisection on η, elementwise.

    The contracting η > 0 form an interval (0, η_big] (module doc), so bisection is valid: start at
    η0 (which must contract), double until the step fails, then bisect.  NaN where η0 fails.

    >>> D, G = np.array([[1.0, 0.0]]), np.array([[0.5, 0.0]])
    >>> round(float(largest_contracting_eta(D, G, np.array([0.5]), np.array([0.1]))[0]), 10)
    3.0
    """
    slope = 0.5 * np.asarray(gamma_t, dtype=float)
    lo = np.asarray(eta0, dtype=float).copy()
    bad = _excess(lo, D, G, slope) > 0
    hi = 2 * lo
    for _ in range(200):
        grow = _excess(hi, D, G, slope) <= 0
        if not grow.any():
            break
        lo, hi = np.where(grow, hi, lo), np.where(grow, 2 * hi, hi)
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        ok = _excess(mid, D, G, slope) <= 0
        lo, hi = np.where(ok, mid, lo), np.where(ok, hi, mid)
    return np.where(bad, np.nan, lo)


def _summary(ratio, sense, R, P, TH, PHI):
    if np.all(np.isnan(ratio)):       # every grid point outside the hypotheses: nothing to measure
        return {"sense": sense, "worst": None, "min": math.nan, "max": math.nan, "slack": math.nan}
    idx = np.unravel_index(np.nanargmin(ratio) if sense == ">= 1" else np.nanargmax(ratio), ratio.shape)
    worst = Worst(float(ratio[idx]), float(R[idx]), float(P[idx]), float(TH[idx]), float(PHI[idx]))
    slack = worst.ratio if sense == ">= 1" else 1.0 / worst.ratio
    return {"sense": sense, "worst": worst, "min": float(np.nanmin(ratio)), "max": float(np.nanmax(ratio)),
            "slack": slack}


def proof_chain_slack(n_r: int = 199, n_psi: int = 181, r_max: float = 1.0, *, arrays: bool = False):
    """Ratios lhs/rhs of Theorem 2.2's proof chain over the (r, ψ) grid (module doc; docs/claims.md §4
    claims 6, 7, §6.1, §6.3, §6.5).  Steps:

    ``lower-bound``  (a) ⟨E∇ℓ, d⟩/(γ(θ)r²), holds when ≥ 1;
    ``upper-bound``  (b) ‖E∇ℓ‖/((L(θ) + 4β)r), holds when ≤ 1;
    ``contraction``  (c) realized decrease 1 − ‖d − ηg‖²/r² over the claimed ηγ(φ_t)/2 at η = η_max(φ_t),
                     holds when ≥ 1 (``contraction-factor``: the factors' ratio, holds when ≤ 1);
    ``step-size``    (d) largest contracting η (:func:`largest_contracting_eta`) over η_max(φ_t), ≥ 1.

    With ``arrays=True`` also returns the dict of ratio arrays (keys as above) and the grid (R, Ψ).

    >>> s = proof_chain_slack(9, 7)
    >>> s.steps["lower-bound"]["worst"].ratio >= 1 - 1e-12, round(s.steps["upper-bound"]["max"], 5)
    (True, 0.28197)
    """
    R, P, W, D = plane_grid(n_r, n_psi, r_max)
    w_star = np.array([1.0, 0.0])
    G = radial_gradient(W, w_star)                                     # §6.3
    TH = np.asarray(angle(W, w_star))
    c = radial_constants(TH.ravel())                                   # §6.1
    gamma, L = c["gamma"].reshape(TH.shape), c["L"].reshape(TH.shape)
    r2 = R**2
    gd = np.sum(G * D, axis=-1)
    gn = np.linalg.norm(G, axis=-1)
    PHI = np.arcsin(R)                                                 # claim 7: φ_t = arcsin(r)
    # φ_t depends on r only: γ(φ_t) and η_max(φ_t) once per radius, the same along ψ (η_max on the whole
    # grid would hold n_r·n_psi·257 angles, 74 MB an array, and need ~1 GB for the constants at once)
    phi_r = PHI[:, :1]
    gamma_t = np.broadcast_to(radial_constants(phi_r.ravel())["gamma"].reshape(phi_r.shape), R.shape)
    eta = np.broadcast_to(step_size_bound(phi_r), R.shape)             # claim 7: η_max(φ_t)
    after = np.sum((D - eta[..., None] * G) ** 2, axis=-1) / r2
    claimed = 1 - eta * gamma_t / 2
    eta_big = largest_contracting_eta(D, G, gamma_t, eta)
    ratios = {
        "lower-bound": gd / (gamma * r2),
        "upper-bound": gn / ((L + 4 * BETA) * R),
        "contraction": (1 - after) / (1 - claimed),
        "contraction-factor": after / claimed,
        "step-size": eta_big / eta,
    }
    grid = {"n_r": n_r, "n_psi": n_psi, "r": [float(R[0, 0]), float(R[-1, 0])], "psi": [0.0, math.pi],
            "law": "N(0, I_p), any p ≥ 2 and radial scale s", "beta": BETA}
    out = _chain(ratios, R, P, TH, PHI, grid)
    return (out, ratios, (R, P)) if arrays else out


#: The side on which each step of a proof chain holds (module doc).
SENSES = {"lower-bound": ">= 1", "upper-bound": "<= 1", "contraction": ">= 1", "contraction-factor": "<= 1",
          "step-size": ">= 1"}


def _chain(ratios: dict, R, P, TH, PHI, grid: dict) -> ProofChainSlack:
    """The summary of each step's ratios (worst point, range, slack) and the step that loses the most."""
    steps = {k: _summary(v, SENSES[k], R, P, TH, PHI) for k, v in ratios.items()}
    chain = ("lower-bound", "upper-bound", "contraction", "step-size")
    measured = [k for k in chain if math.isfinite(steps[k]["slack"])]
    return ProofChainSlack(steps, max(measured, key=lambda k: steps[k]["slack"]) if measured else None, grid)


def identical_patch_law(n: int = 200, k: int = 3, seed: int = 0):
    """k identical copies of n seeded N(0, I₂) draws: a finite law of k patches with L_cross = 0 exactly.

    >>> law = identical_patch_law(n=5)
    >>> law.support().shape
    (5, 3, 2)
    """
    from ..laws.builtin import Empirical

    base = np.random.default_rng(seed).standard_normal((n, 1, 2))
    return Empirical(np.repeat(base, k, axis=1), source=f"{k} identical copies of {n} seeded N(0, I₂) draws")


def theorem31_chain_slack(law: Any = None, n_r: int = 24, n_psi: int = 49) -> ProofChainSlack:
    """Ratios lhs/rhs of Theorem 3.1's proof chain on a finite law of k patches in p = 2 (docs/claims.md §4
    claims thm31-gradient-bounds, thm31-contraction), by exact sums.

    The steps are those of :func:`proof_chain_slack` with Theorem 3.1's constants: (a) ⟨E∇ℓ, d⟩ over
    (γ(θ) − 6L_cross)r², (b) ‖E∇ℓ‖ over (L(θ) + 10L_cross + 4β)r, (c) the realized decrease over the
    claimed η(γ(φ_t) − 6L_cross)/2 at η = η_max(φ_t) = min_{0≤φ≤φ_t} (γ(φ) − 6L_cross)/(2(L(φ) + 10L_cross
    + 4β)²) (exact for a finite law in p = 2: the ratio is piecewise constant), (d) the largest contracting
    step over η_max(φ_t).  w* = (1, 0), w = w* + r(cos ψ, sin ψ), ψ ∈ [0, 2π) (a finite law has no
    symmetry); points where γ(θ) ≤ 6L_cross or γ(φ_t) ≤ 6L_cross are outside the hypotheses (NaN).
    The default law is :func:`identical_patch_law` (L_cross = 0: seeded finite laws with distinct
    patches have 6L_cross > γ(0), outside the theorem).

    >>> s = theorem31_chain_slack(identical_patch_law(n=40), n_r=3, n_psi=5)
    >>> s.steps["lower-bound"]["worst"].ratio >= 1, s.steps["upper-bound"]["max"] <= 1
    (True, True)
    """
    from .context import ConstantsCache, InstanceContext, step_grid, step_ratio

    law = identical_patch_law() if law is None else law
    ctx = InstanceContext({"dist": law, "w_star": np.array([1.0, 0.0]), "method": "exact"}, ConstantsCache())
    beta, cross = ctx.beta().value, ctx.L_cross().value
    R, P, W, D = plane_grid(n_r, n_psi, psi_max=2 * math.pi * (1 - 1 / n_psi))
    TH, PHI = np.asarray(angle(W, ctx.w_star)), np.arcsin(R)
    g_theta, L_theta = ctx.gamma_L(TH.ravel())                    # at every grid point's angle θ(w, w*)
    low = np.array([g.value for g in g_theta]).reshape(R.shape) - 6 * cross
    up = np.array([L.value for L in L_theta]).reshape(R.shape) + 10 * cross + 4 * beta
    # φ_t = arcsin r depends on r only: γ(φ_t) and η_max(φ_t) once per radius, the same along ψ
    phi_r = PHI[:, 0]
    curv = np.broadcast_to(np.array([g.value for g in ctx.gamma_L(phi_r)[0]])[:, None] - 6 * cross, R.shape)
    eta = np.broadcast_to(np.array([float(np.min(step_ratio(ctx, step_grid(ctx, float(phi))[0], general_k=True)[0]))
                                    for phi in phi_r])[:, None], R.shape)
    G = np.stack([ctx.gradient(w)[0] for w in W.reshape(-1, 2)]).reshape(W.shape)
    outside = (low <= 0) | (curv <= 0) | ~(eta > 0)
    r2 = R**2
    gd, gn = np.sum(G * D, axis=-1), np.linalg.norm(G, axis=-1)
    after = np.sum((D - eta[..., None] * G) ** 2, axis=-1) / r2
    claimed = 1 - eta * curv / 2
    ratios = {
        "lower-bound": gd / (low * r2),
        "upper-bound": gn / (up * R),
        "contraction": (1 - after) / (1 - claimed),
        "contraction-factor": after / claimed,
        "step-size": largest_contracting_eta(D, G, curv, eta) / eta,
    }
    ratios = {k: np.where(outside, np.nan, v) for k, v in ratios.items()}
    grid = {"n_r": n_r, "n_psi": n_psi, "r": [float(R[0, 0]), float(R[-1, 0])], "psi": [0.0, float(P[0, -1])],
            "law": getattr(law, "source", None) or "a finite law", "k": int(law.k), "beta": beta,
            "L_cross": cross, "outside_hypotheses": int(outside.sum())}
    return _chain(ratios, R, P, TH, PHI, grid)


def proof_chain_slacks() -> dict[str, Any]:
    """The slack of both proof chains, JSON-ready: Theorem 2.2 for N(0, I), Theorem 3.1 on identical patches."""
    return {"theorem-2.2": proof_chain_slack().to_dict(), "theorem-3.1": theorem31_chain_slack().to_dict()}


def measured_iteration_constant() -> str:
    """Not recomputed: claim 8's check (``thm22-complexity``) reports it in its details.

    >>> "constant_measured" in measured_iteration_constant()
    True
    """
    return ("thm22-complexity details: T_constant, T_bound, constant_measured "
            "(verify/claims/thm22_complexity.py; docs/claims.md §4 claim 8)")

"""From the pass's sums to the paper's constants with their error bars (docs/diagnose.md §4–§5).

The final pass evaluates, on every image, the directions the pilot chose
(:mod:`verify.estimators.chunked`); the sums are turned into
:class:`verify.results.Estimate` s by the project's own estimator,
:class:`verify.estimators.moments.MomentCurves` (one plane, one angle per probe):

* ``law="data"`` — the data **are** the law (the paper's finite law of
  docs/claims.md §5): one batch, the moments are exact sums over all images,
  eigenvalues of the mean with a Weyl rounding bound (docs/error-bars.md §1, ``exact``);
* ``law="sample"`` — the data are a sample of a larger law: B batches of
  consecutive images (sized like :func:`verify.estimators.sampling.reduce_in_batches`),
  eigen- and singular values read along directions cross-fitted between the
  halves of the batches, batch-means standard errors on B − 1 degrees of freedom
  (docs/error-bars.md §1, ``mc``).  Consecutive images must then be exchangeable:
  shuffle a file that is sorted (by class, by date).

Definitions (docs/claims.md §2–§3, Definition 2.1, Assumptions 2.1, 3.1, 3.2; Theorem 3.3):
γ(φ) = min_v λ_min E[Z_S Z_Sᵀ], L(φ) = max_v λ_max E[Z_S Z_Sᵀ] (S = S(w, w*));
L_{−w*}(φ) = max_{θ ≤ φ} max_v λ_max E[Z_{S'} Z_{S'}ᵀ] (S' = S(w, −w*)); β = sup_θ L_{−w*}(θ)/θ;
L_cross = sup_θ max_v [σ(E Z_S Z_{S'}ᵀ) + σ(E Z_S Z_{S''}ᵀ) + σ(E Z_{S'} Z_{S''}ᵀ)]/θ (S'' = S(−w, w*));
ρ = max_i θ(Z_i, Z_avg); μ = sup_{0<φ≤ρ} max_i P[|θ(Z_i, w*) − π/2| ≤ φ]/φ; γ_avg(φ₀) = γ(φ₀) of Z_avg.
Sups over θ are taken on a grid (a ``lower-bound``); searched extrema carry the side of
:mod:`verify.estimators.chunked`.
"""
from __future__ import annotations

import math

import numpy as np

from ..results import Estimate
from ..estimators.sampling import BatchMeans
from ..estimators.chunked import Choice, Targets, curves_from_sums
from .sums import Plan

__all__ = ["final_plan", "estimates", "CURVE_GRID", "SUP_GRID", "BAND_GRID"]

#: φ of the γ(φ), L(φ) curves: 0, π/16, …, π (φ₀ is added)
CURVE_GRID = np.linspace(0.0, math.pi, 17)
#: θ of the β and L_cross ratios: geometric on [0.02, π/2] (their sup sits at small θ for smooth laws)
SUP_GRID = np.geomspace(0.02, math.pi / 2, 12)
#: φ of μ's band: geometric on [10⁻³, π/2]
BAND_GRID = np.geomspace(1e-3, math.pi / 2, 48)
SAME, OPP, FLIP = "same", "opposite", "flipped"


def final_plan(u, w_star, targets: Targets, choice: Choice, starts: np.ndarray) -> tuple[Plan, dict]:
    """The plan of the full pass: one column per (chosen direction, region), and where each quantity's pairs are."""
    dirs, columns, pairs = [], [], []
    where = {"gamma": [], "L": [], "beta": [], "cross": [], "avg": None}

    def direction(phi, v):
        dirs.append(math.cos(phi) * u + math.sin(phi) * v)
        return len(dirs) - 1

    def column(d, region, avg=False):
        columns.append((d, region, avg))
        return len(columns) - 1

    def pair(a, b):
        pairs.append((a, b))
        return len(pairs) - 1

    for g, phi in enumerate(targets.curve):
        c = column(direction(phi, choice.gamma[g]), SAME)
        where["gamma"].append(pair(c, c))
        if phi in (0.0, math.pi) or not choice.searched and np.array_equal(choice.gamma[g], choice.L[g]):
            where["L"].append(where["gamma"][-1])
        else:
            c = column(direction(phi, choice.L[g]), SAME)
            where["L"].append(pair(c, c))
    for j, theta in enumerate(targets.sup):
        o = column(direction(theta, choice.beta[j]), OPP)
        where["beta"].append(pair(o, o))
        d = direction(theta, choice.cross[j])
        s, o2, f = column(d, SAME), column(d, OPP), column(d, FLIP)
        where["cross"].append((pair(s, o2), pair(s, f), pair(o2, f)))
    c = column(direction(targets.avg, choice.avg), SAME, True)
    where["avg"] = pair(c, c)
    plan = Plan(u, w_star, np.array(dirs), tuple(columns), tuple(pairs), BAND_GRID, np.asarray(starts, float), True)
    return plan, where


def _curves(batches: list[dict], slots, names, phi, u, sample: bool):
    """A one-angle :class:`~verify.estimators.moments.MomentCurves` over the given slots of the per-batch sums."""
    sums = np.stack([b["M"][list(slots)] for b in batches])[:, :, None]  # (B, M, 1, p, p)
    return curves_from_sums(sums, [float(b["count"]) for b in batches], [phi], names, u, u, sample)


def _label(e: Estimate, side: str | None, sample: bool) -> Estimate:
    method = "batch-means" if sample else "exact"
    if side is None:
        return e.replace(method=method)
    return e.replace(method=method, kind=side)


def estimates(batches: list[dict], where: dict, targets: Targets, choice: Choice, u, sample: bool,
              pilot_pick: dict | None = None) -> dict:
    """Every constant as Estimates (module doc); ``batches`` are the pass's per-batch sums."""
    n = int(sum(float(b["count"]) for b in batches))
    searched = choice.searched
    out: dict = {"gamma": [], "L": [], "beta_ratio": [], "cross_ratio": [], "L_neg": []}
    for g, phi in enumerate(targets.curve):
        free = phi in (0.0, math.pi)
        lo = _curves(batches, [where["gamma"][g]], [(SAME, SAME)], phi, u, sample).extreme_eigenvalue(
            (SAME, SAME), "min")[0]
        hi = _curves(batches, [where["L"][g]], [(SAME, SAME)], phi, u, sample).extreme_eigenvalue(
            (SAME, SAME), "max")[0]
        out["gamma"].append(_label(lo, "upper-bound" if searched and not free else None, sample))
        out["L"].append(_label(hi, "lower-bound" if searched and not free else None, sample))
    for j, theta in enumerate(targets.sup):
        ev = _curves(batches, [where["beta"][j]], [(OPP, OPP)], theta, u, sample).extreme_eigenvalue(
            (OPP, OPP), "max")[0]
        out["L_neg"].append(_label(ev, "lower-bound" if searched else None, sample))
        out["beta_ratio"].append(_label(ev.scaled(1.0 / theta), "lower-bound", sample))
        names = [(SAME, OPP), (SAME, FLIP), (OPP, FLIP)]
        cs = _curves(batches, list(where["cross"][j]), names, theta, u, sample).singular_value_sum(names)[0]
        out["cross_ratio"].append(_label(cs.scaled(1.0 / theta), "lower-bound", sample))
    # L_{-w*}(θ) = max over grid θ' ≤ θ (a running max): a lower bound of the max over all θ' ≤ θ
    running, best = [], None
    for e in out["L_neg"]:
        best = e if best is None or e.value > best.value else best
        running.append(best.replace(kind="lower-bound"))
    out["L_neg"] = running
    out["beta"] = _sup(out["beta_ratio"], targets.sup, sample, (pilot_pick or {}).get("beta"))
    out["L_cross"] = _sup(out["cross_ratio"], targets.sup, sample, (pilot_pick or {}).get("cross"))
    avg = _curves(batches, [where["avg"]], [(SAME, SAME)], targets.avg, u, sample).extreme_eigenvalue(
        (SAME, SAME), "min")[0]
    out["gamma_avg"] = _label(avg, "upper-bound" if searched else None, sample)
    out.update(_patch_geometry(batches, n, sample))
    return out


def _sup(ratios: list[Estimate], grid, sample: bool, pilot_index: int | None) -> Estimate:
    """The grid sup of a ratio: exact sums take the largest; batch means the pilot's argmax (no winner's curse)."""
    if sample and pilot_index is not None:
        i = int(pilot_index)
    else:
        i = int(np.argmax([e.value for e in ratios]))
    record = {"grid": [float(grid[0]), float(grid[-1]), int(grid.size)], "theta": float(grid[i]),
              "chosen_by": "pilot" if sample and pilot_index is not None else "largest exact value"}
    return ratios[i].replace(kind="lower-bound", search=record)


def _patch_geometry(batches, n, sample) -> dict:
    """ρ, μ (with its bracket), the norm statistics and the loss sums (data-law values)."""
    tot = batches[0]
    for b in batches[1:]:
        tot = {k: (np.maximum(tot[k], b[k]) if k in ("norm2_max", "unit_dev", "rho") else tot[k] + b[k]) for k in tot}
    rho = float(tot["rho"])
    grid = BAND_GRID
    within = grid <= rho
    out = {"rho": Estimate(rho, 4 * np.finfo(float).eps * max(rho, 1.0), "exact", "exact", n,
                           kind="lower-bound" if sample else "exact"),
           "norm2_max": float(tot["norm2_max"]), "unit_dev": float(tot["unit_dev"]),
           "zero_patches": int(tot["zero"]), "on_plane": int(tot["on_plane"]),
           "rho_skipped": int(tot["rho_skipped"]), "loss_sums": tot.get("loss"), "images": n}
    if not within.any():
        out["mu"] = Estimate(0.0, 0.0, "exact", "exact", n, kind="lower-bound",
                             search={"note": "ρ is below the band grid's first angle"})
        return out
    ratio = tot["band"][:, within] / n / grid[within]  # (k, G')
    i, g = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
    value = float(ratio[i, g])
    prev = np.r_[np.nan, grid[within][:-1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        upper_pieces = np.where(np.isnan(prev), np.inf, tot["band"][:, within] / n / prev)
    bottom_mass = float(tot["band"][:, 0].max()) / n
    upper = float(np.nanmax(np.where(np.isfinite(upper_pieces), upper_pieces, 0.0)))
    upper = math.inf if bottom_mass > 0 else max(upper, value)
    record = {"grid": [float(grid[0]), float(grid[within][-1]), int(within.sum())], "phi": float(grid[within][g]),
              "position": int(i), "bracket": [value, upper],
              "note": "the sup over all φ ≤ ρ lies in the bracket; inf when some non-zero patch is within "
                      f"{grid[0]:g} of the band centre"}
    if sample and len(batches) > 1:
        per = np.array([b["band"][i, np.flatnonzero(within)[g]] / float(b["count"]) for b in batches]) / grid[within][g]
        sums = BatchMeans(per, np.array(value), n, "mc", None, per.size - 1)
        out["mu"] = sums.estimate(side="lower-bound").replace(method="batch-means", search=record)
    else:
        out["mu"] = Estimate(value, 0.0, "exact", "exact", n, kind="lower-bound", search=record)
    return out

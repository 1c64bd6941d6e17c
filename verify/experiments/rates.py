"""Figs. 3a and 3b: SGD's convergence rate against smoothness and patch closeness (docs/claims.md §4, claims 18–19).

``fig3a`` sweeps σ of the angular mixture (one neuron), ``fig3b`` the spread
σ_patch² of k patches around a base patch; every setting is run for
``seeds`` seeded minibatch-SGD runs from one fixed start with one fixed step.

**Rate** of one run (:func:`convergence_rates`): −slope of the least-squares
line through (t, ln(‖w_t − w*‖/‖w*‖)) over the recorded steps where the
relative distance is above ``floor`` (1e-10: below it rounding, not the
dynamics, sets the slope).  Per setting, the mean rate with its Student-t
interval, and the Bonferroni Welch intervals of neighbouring differences
(:func:`~verify.experiments.neighbour_differences`).

Our setting versus the paper's: the paper gives no dimension, initialization
or step; we use p = 2 (where the angular mixture with large σ approaches the
rotation-invariant law, as §4 argues), w0 = 0.6·e1 + 0.6·e2
(‖w0 − w*‖ = 0.72‖w*‖), η = 1, minibatches of 16.
"""
from __future__ import annotations

import math
import time

import numpy as np

from ..laws.builtin import AngularMixture, PatchCloseness
from ..dynamics.descent import Trajectory
from ..dynamics.sgd import sgd
from ..geometry import basis_vector
from ..jsonio import jsonable
from ..stats import t_interval
from ..validation import InvalidArgument
from .common import (ExperimentResult, count_signs, experiment_settings, first_step_below, format_interval,
               neighbour_differences, seed_list)

__all__ = ["convergence_rates", "fig3a", "fig3b"]


def convergence_rates(trajectory: Trajectory, floor: float = 1e-10) -> np.ndarray:
    """Per run, −slope of ln(‖w_t − w*‖/‖w*‖) against t over the recorded steps above ``floor``.

    The linear rate whose ordering docs/claims.md §4 (claims 18–19) compares
    across settings.

    Returns
    -------
    ndarray (R,)
        NaN for a run with fewer than three recorded points above the floor.
    """
    t = trajectory.steps.astype(float)
    rel = trajectory.relative_distance
    out = np.full(rel.shape[0], math.nan)
    for r in range(rel.shape[0]):
        keep = np.isfinite(rel[r]) & (rel[r] > floor)
        if keep.sum() >= 3:
            out[r] = -np.polyfit(t[keep], np.log(rel[r][keep]), 1)[0]
    return out


def _rate_sweep(name, s, values, make_dist, label, claim_text) -> tuple[dict, str]:
    p = s["p"]
    w_star = basis_vector(p)
    if len(s["init"]) > p:
        raise InvalidArgument("init", f"has {len(s['init'])} entries, more than p={p}")
    w0 = np.zeros(p)
    w0[: len(s["init"])] = s["init"]
    groups, curves, eps_steps, summaries = [], [], [], []
    for i, value in enumerate(values):
        dist = make_dist(value)
        seeds = seed_list(s["seed"], s["seeds"], name, i)
        tr = sgd(dist, w_star, w0, s["iterations"], s["eta"], batch=s["batch"], seeds=seeds,
                 evaluation="sample", n_eval=s["n_eval"], eval_seed=seed_list(s["seed"], 1, name, "eval", i)[0],
                 record_every=s["record_every"])
        rates = convergence_rates(tr, s["floor"])
        groups.append(rates)
        summaries.append(t_interval(rates, s["level"]))
        with np.errstate(divide="ignore"):
            curves.append(np.median(np.log10(tr.relative_distance), axis=0))
        eps_steps.append(first_step_below(tr.steps, tr.relative_distance, 1e-6))
        steps = tr.steps
    diffs = neighbour_differences(groups, s["level"])
    series = {
        label: list(values),
        "steps": steps.tolist(),
        "median_log10_relative_distance": [jsonable(c) for c in curves],
        "rates": [jsonable(g) for g in groups],
        "rate_mean": [jsonable(m) for m, _, _ in summaries],
        "rate_ci": [[jsonable(lo), jsonable(hi)] for _, lo, hi in summaries],
        "neighbour_differences": [[jsonable(d), jsonable(lo), jsonable(hi)] for d, lo, hi in diffs],
        "steps_to_1e-6": eps_steps,
    }
    rates_txt = "; ".join(f"{label}={v:g}: {format_interval(*summ)}" for v, summ in zip(values, summaries))
    if diffs:
        diffs_txt = "; ".join(f"{label} {values[i]:g}→{values[i + 1]:g}: {format_interval(*d)}"
                              for i, d in enumerate(diffs))
        pairs = (f"; neighbouring differences of the mean rate (Bonferroni {s['level']:.0%} Welch intervals) "
                 f"{diffs_txt} — {count_signs(diffs)}")
    else:
        pairs = "; one setting: no neighbouring difference"
    finding = (f"{claim_text}: SGD rate −d ln‖w_t−w*‖/dt (mean over {s['seeds']} seeds, {s['level']:.0%} t-interval) "
               f"{rates_txt}{pairs}.")
    return series, finding


def fig3a(profile: str = "default", seed: int = 0, **overrides) -> ExperimentResult:
    """Fig. 3a (claim ``sec4-smoothness``): the rate for each smoothness σ of the input.

    One neuron (k = 1), Z from :class:`~verify.laws.distributions.AngularMixture`
    (p, σ) for each σ in ``sigmas``; seeded minibatch SGD from the fixed w0 with
    the fixed step ``eta``; rate per seed by :func:`convergence_rates`.  The
    claim (docs/claims.md §4, claim 18) is that larger σ converges faster.

    Settings (:data:`~verify.experiments.SETTINGS` ``["fig3a"]``): p, sigmas,
    init, eta, batch, iterations, seeds, record_every, floor, n_eval, level.
    """
    t0 = time.perf_counter()
    s = experiment_settings("fig3a", profile, seed, overrides)
    series, finding = _rate_sweep(
        "fig3a", s, tuple(s["sigmas"]), lambda sig: AngularMixture(s["p"], sigma=sig), "sigma",
        f"Fig. 3a (p={s['p']}, eta={s['eta']:g}, batch={s['batch']}, T={s['iterations']})")
    return ExperimentResult("fig3a", "sec4-smoothness", "Convergence rate against smoothness σ (angular mixture)",
                            s, series, finding, time.perf_counter() - t0)


def fig3b(profile: str = "default", seed: int = 0, **overrides) -> ExperimentResult:
    """Fig. 3b (claim ``sec4-closeness``): the rate for each patch spread σ_patch².

    Z from :class:`~verify.laws.distributions.PatchCloseness` (p, k, σ_patch) for
    each σ_patch² in ``sigma_patch_squared``; SGD as in :func:`fig3a`.  The
    claim (docs/claims.md §4, claim 19) is that closer patches (smaller
    σ_patch²) converge faster.
    """
    t0 = time.perf_counter()
    s = experiment_settings("fig3b", profile, seed, overrides)
    series, finding = _rate_sweep(
        "fig3b", s, tuple(s["sigma_patch_squared"]),
        lambda v: PatchCloseness(s["p"], k=s["k"], sigma_patch=math.sqrt(v)), "sigma_patch^2",
        f"Fig. 3b (p={s['p']}, k={s['k']}, eta={s['eta']:g}, batch={s['batch']}, T={s['iterations']})")
    return ExperimentResult("fig3b", "sec4-closeness", "Convergence rate against patch closeness σ_patch²",
                            s, series, finding, time.perf_counter() - t0)

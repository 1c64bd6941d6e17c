"""The search over directions v ⟂ u* and angles θ behind every extremum of verify.estimators.quantities (docs/claims.md §2).

With w(φ, v) = cos φ·u* + sin φ·v, v ⟂ u* (docs/claims.md §2), every constant of
the paper is an extremum over v of a spectral objective of a second moment in the
plane of u* and v.  This module holds the machinery that takes those extrema:

* the candidate directions (:func:`search_directions`: one plane when the law is
  symmetric about w*, ±v₀ in p = 2, a circle in p = 3, random and coordinate
  directions in p ≥ 4);
* the per-plane objective (:func:`plane_values`: λ_min, λ_max or the cross sum
  Σσ at every angle of a grid, by closed forms, quadrature or draws);
* the search itself (:func:`extremize`): ``RESTARTS`` independent pilots (or
  candidate sets), local refinement (:func:`refine_direction`), the choice made
  without winner's curse (:func:`_half_split_choice`) and the ``search`` record
  (:func:`search_record`, :func:`spread_warning`).

It imports neither :mod:`verify.estimators.quantities` nor :mod:`verify.beta`, which build on it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from ..laws.distributions import DistributionProtocol, check_method, exact_kind, finite_support, symmetric_about
from ..laws.builtin import Empirical
from ..geometry import basis_vector, orthonormal_complement
from .moments import exact_second_moment, extreme_eigenvector, moment_curves
from ..results import Estimate
from .sampling import DrawStore, SamplingPlan, cross_fitting_halves
from ..validation import InvalidArgument, check_count, check_seed, check_vector

__all__ = [
    "SAME",
    "OPP",
    "FLIP",
    "CROSS_PAIRS",
    "PILOT_DRAWS",
    "PILOT_PATCHES",
    "RESTARTS",
    "COORDINATE_DIRECTIONS",
    "Directions",
    "check_setup",
    "search_directions",
    "plane_values",
    "sampling_plans",
    "final_sampling_plan",
    "pilot_dist",
    "pilot_searches",
    "search_record",
    "spread_warning",
    "extremize",
    "refine_direction",
]

SAME, OPP, FLIP = "same", "opposite", "flipped"
CROSS_PAIRS = ((SAME, OPP), (SAME, FLIP), (OPP, FLIP))
PILOT_DRAWS = 20_000
#: exact sums on a finite law of more than 4× this many patches pilot on a seeded subsample of about this many
#: patches (⌈PILOT_PATCHES/k⌉ atoms); the finalists are scored on all atoms
PILOT_PATCHES = 100_000
#: independent pilot samples (sampled methods) or candidate sets (deterministic) of every search
RESTARTS = 2
#: at most this many coordinate directions ±e_i (projected on u*⊥) among the p ≥ 4 candidates
COORDINATE_DIRECTIONS = 32


# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------

def check_setup(dist, w_star, method, n, seed):
    """Check a quantity's arguments; return u = w*/‖w*‖ (w* the law's axis, else e_1, by default)."""
    if method not in ("exact", "quad", "mc", "qmc"):
        raise InvalidArgument("method", f"must be exact, quad, mc or qmc, got {method!r}")
    check_seed(seed)
    if method in ("mc", "qmc"):
        check_count(n, "n", minimum=2)
    if w_star is None:
        w_star = getattr(dist, "axis", None)
        if w_star is None:
            w_star = basis_vector(dist.p)
    w_star = check_vector(w_star, "w_star", p=dist.p)
    u = w_star / np.linalg.norm(w_star)
    check_method(dist, method)
    if method == "quad" and not symmetric_about(dist, u):
        raise InvalidArgument("w_star", "quad needs w* along the distribution's symmetry axis")
    if method == "exact" and exact_kind(dist) in ("rotational", "degenerate") and dist.k != 1:
        raise InvalidArgument("method", "exact closed forms are for one patch (k = 1)")
    return u


# ---------------------------------------------------------------------------
# Directions
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Directions:
    """Candidate directions v ⟂ u* of a search (:func:`search_directions`)."""

    vectors: tuple  # unit vectors ⟂ u*
    exact: bool     # the candidates realise every extremum over the direction set




def _unit_rows(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Rows of x projected on u⊥ and normalised (rows that vanish are dropped)."""
    x = x - np.outer(x @ u, u)
    norms = np.linalg.norm(x, axis=1)
    keep = norms > 1e-12
    return x[keep] / norms[keep, None]


def search_directions(dist, u, seed, restart: int = 0) -> Directions:
    """Candidate directions v ⟂ u* (docs/claims.md §2: w = cos φ·u* + sin φ·v).

    ``restart`` r gives an independent candidate set (p = 3: the circle turned by
    r/(R+1) of a step; p ≥ 4: fresh random directions).  Memory is
    O(#directions·p): p ≥ 4 uses 48 Gaussian directions and ±e_i for at most
    ``COORDINATE_DIRECTIONS`` coordinates (those least aligned with u*), each
    projected on u*⊥, never a (p − 1) × (p − 1) basis.
    """
    if dist.p <= 3 or symmetric_about(dist, u):
        if dist.p <= 3:
            basis = orthonormal_complement(u)
        else:
            j = int(np.argmin(np.abs(u)))
            basis = _unit_rows(basis_vector(dist.p, j)[None], u)
    if symmetric_about(dist, u):
        return Directions((basis[0],), True)
    if dist.p == 2:
        return Directions((basis[0], -basis[0]), True)
    if dist.p == 3:
        t = np.linspace(0, 2 * math.pi, 72, endpoint=False) + (2 * math.pi / 72) * restart / RESTARTS
        return Directions(tuple(np.cos(a) * basis[0] + np.sin(a) * basis[1] for a in t), False)
    key = [0 if seed is None else seed, 7] + ([restart] if restart else [])
    rng = np.random.default_rng(np.random.SeedSequence(key))
    vectors = [_unit_rows(rng.standard_normal((48, dist.p)), u)]
    coords = np.argsort(np.abs(u), kind="stable")[:COORDINATE_DIRECTIONS]
    axes = np.zeros((coords.size, dist.p))
    axes[np.arange(coords.size), coords] = 1.0
    axes = _unit_rows(axes, u)
    vectors += [axes, -axes]
    return Directions(tuple(np.vstack(vectors)), False)


# ---------------------------------------------------------------------------
# Per-plane evaluation: one object per method with a common interface
# ---------------------------------------------------------------------------

class _DeterministicCurves:
    """Moments from closed forms or quadrature at each grid φ, same interface as MomentCurves."""

    def __init__(self, dist, u, v, phis, method, regions=(SAME, OPP)):
        from .quadrature import axial_second_moment

        self.method = method
        self.values, self.errors = {}, {}
        self.error_kind = "exact" if method == "exact" else "absolute-bound"
        self.n = None
        self.phis = phis
        for region, sign in ((SAME, 1), (OPP, -1)):
            if region not in regions:
                continue
            vals, errs = [], []
            for phi in phis:
                w = math.cos(phi) * u + math.sin(phi) * v
                if method == "exact":
                    m = exact_second_moment(dist, w, sign * u)
                    vals.append(m)
                    errs.append(np.abs(m) * 8 * np.finfo(float).eps)
                else:
                    est = axial_second_moment(dist, w, sign * u)
                    vals.append(est.value)
                    errs.append(est.error)
                    self.n = est.n
            self.values[(region, region)] = np.array(vals)
            self.errors[(region, region)] = np.array(errs)

    def _estimates(self, values, matrices_error):
        # Weyl: eigen- and singular values move by at most ‖E‖₂ ≤ ‖E‖_F.
        bound = np.linalg.norm(matrices_error, axis=(-2, -1))
        kind = "exact" if self.method == "exact" else "estimate"
        return [Estimate(x, e, self.error_kind, self.method, self.n, None, kind) for x, e in zip(values, bound)]

    def extreme_eigenvalue(self, pair, which):
        vals = np.linalg.eigvalsh(self.values[tuple(pair)])
        return self._estimates(vals[:, 0] if which == "min" else vals[:, -1], self.errors[tuple(pair)])

    def singular_value_sum(self, pairs):
        # k = 1 only (quadrature and the closed forms are one-patch): distinct regions are
        # disjoint up to a null set, so every cross moment vanishes.
        g = len(self.phis)
        return [Estimate(0.0, 0.0, self.error_kind, self.method, self.n, None,
                         "exact" if self.method == "exact" else "estimate") for _ in range(g)]


def _pairs_for(quantity):
    return {"gamma": ((SAME, SAME),), "L": ((SAME, SAME),), "L_neg": ((OPP, OPP),), "cross": CROSS_PAIRS}[quantity]


def plane_values(dist: DistributionProtocol, u: np.ndarray, v: np.ndarray, phis: np.ndarray, quantity: str,
                 method: str, plan: SamplingPlan | None, cache: dict | None = None,
                 store: DrawStore | None = None) -> list[Estimate]:
    """The pointwise objective at each φ in the plane of u and v: λ_min / λ_max / Σσ, one pass.

    ``quantity`` is "gamma", "L", "L_neg" or "cross"; w(φ) = cos φ·u + sin φ·v
    (docs/claims.md §2); ``plan`` from :func:`sampling_plans`.

    ``cache`` (a dict, for calls that share dist, u, v, phis, method and plan) keeps the
    moments by the pairs they hold, so γ and L (both of A_{w,w*}) come from one pass;
    ``store`` keeps the plan's draws for calls that share dist and plan (:class:`DrawStore`).
    """
    deterministic = method in ("quad",) or (method == "exact" and exact_kind(dist) in ("rotational",
                                                                                            "degenerate"))
    key = (deterministic, _pairs_for(quantity))
    curves = None if cache is None else cache.get(key)
    if curves is None and deterministic:
        regions = {r for pair in _pairs_for(quantity) for r in pair} & {SAME, OPP}
        curves = _DeterministicCurves(dist, u, v, phis, method, regions)
    elif curves is None:
        curves = moment_curves(dist, u, v, phis, _pairs_for(quantity), plan, store)
    if cache is not None:
        cache[key] = curves
    if quantity == "gamma":
        return curves.extreme_eigenvalue((SAME, SAME), "min")
    if quantity == "L":
        return curves.extreme_eigenvalue((SAME, SAME), "max")
    if quantity == "L_neg":
        return curves.extreme_eigenvalue((OPP, OPP), "max")
    return curves.singular_value_sum(CROSS_PAIRS)  # cross-fitted for sampled sums (MomentCurves)


# ---------------------------------------------------------------------------
# The optimisation over (direction, angle), with pilot selection for sampled methods
# ---------------------------------------------------------------------------

def sampling_plans(method: str, n: int, seed: int | None) -> tuple[SamplingPlan | None, SamplingPlan | None]:
    """(pilot plan, final plan) — independent streams for sampled methods (the same plan for exact/quad)."""
    return _pilot_plan(method, n, seed, 0), final_sampling_plan(method, n, seed)


def final_sampling_plan(method, n, seed):
    """The plan of the final draws: exact sums, none (quadrature), or n fresh draws of ``seed``."""
    if method in ("exact", "quad"):
        return SamplingPlan("exact", 1, None) if method == "exact" else None
    return SamplingPlan(method, n, 0 if seed is None else seed)


def _pilot_key(seed, restart) -> list[int]:
    """The seed key of restart ``restart``'s pilot: independent of the final draws (key [seed])."""
    return [0 if seed is None else seed, 1] + ([restart] if restart else [])


def _pilot_plan(method, n, seed, restart):
    """The pilot plan of search restart ``restart``: its own stream, independent of the final draws."""
    if method in ("exact", "quad"):
        return final_sampling_plan(method, n, seed)
    return SamplingPlan(method, min(n, PILOT_DRAWS), int(np.random.SeedSequence(_pilot_key(seed, restart))
                                                           .generate_state(1)[0]))


def pilot_subsample_size(dist) -> int | None:
    """Atoms in the exact pilot's subsample of a finite law: ⌈PILOT_PATCHES/k⌉, or None when the law has at most
    four times that many atoms (scored in full).

    Examples
    --------
    >>> from verify.laws.builtin import Empirical
    >>> pilot_subsample_size(Empirical(np.ones((1000, 4, 2)))) is None
    True
    >>> pilot_subsample_size(Empirical(np.ones((120_000, 4, 2))))    # ⌈100,000 / 4⌉ atoms
    25000
    """
    atoms = finite_support(dist)
    if atoms is None:
        return None
    size = -(-PILOT_PATCHES // atoms.shape[1])
    return size if atoms.shape[0] > 4 * size else None


def pilot_dist(dist, method, plan, seed=None, restart=0):
    """The law a search's pilot scores, with its method and plan.

    Sampled methods: the pilot draws as a finite law (scored exactly, cheaply).  Exact sums on a large
    finite law (:func:`pilot_subsample_size`): a seeded subsample of its atoms (with replacement), so that
    the candidates cost a fraction of a pass each; the searches score their finalists on every atom.
    """
    if method == "exact":
        size = pilot_subsample_size(dist)
        if size is None:
            return dist, method, plan
        atoms = finite_support(dist)
        rng = np.random.default_rng(np.random.SeedSequence(_pilot_key(seed, restart)))
        return Empirical(atoms[rng.integers(0, atoms.shape[0], size=size)]), "exact", plan
    if method not in ("mc", "qmc"):
        return dist, method, plan
    rng = np.random.default_rng(plan.seed)
    return Empirical(dist.sample(plan.n, rng)), "exact", SamplingPlan("exact", 1, None)


@dataclass
class _Pilot:
    """One restart of a search: its candidates and its (pilot) law, scored exactly or by quadrature."""
    dirs: Directions
    dist: object
    method: str
    plan: object
    draws: int | None
    of_atoms: int | None = None     # the finite law's atom count, when ``dist`` is a subsample of them


def pilot_searches(dist, u, method, n, seed, restarts):
    """One :class:`_Pilot` per restart: its candidate directions and its pilot law, plan and draws."""
    out = []
    for r in range(restarts):
        pdist, pmethod, pplan = pilot_dist(dist, method, _pilot_plan(method, n, seed, r), seed, r)
        draws = min(n, PILOT_DRAWS) if method in ("mc", "qmc") else pilot_subsample_size(dist)
        of_atoms = None if pdist is dist or method != "exact" else int(finite_support(dist).shape[0])
        out.append(_Pilot(search_directions(dist, u, seed, r), pdist, pmethod, pplan, draws, of_atoms))
    return out


def search_record(pilots, refinements, values, errors, chosen, pilot_value, final_value, **extra):
    """The ``search`` dict of a searched estimate (JSON-serialisable)."""
    spread = float(np.max(values) - np.min(values)) if len(values) > 1 else 0.0
    return {"restarts": len(pilots), "directions_per_restart": len(pilots[0].dirs.vectors),
            "refinement_evaluations": [int(x) for x in refinements],
            "pilot_draws": pilots[0].draws, "values": [float(x) for x in values],
            "errors": [float(x) for x in errors], "spread": spread, "chosen_restart": int(chosen),
            "pilot_value": float(pilot_value), "gap": float(pilot_value - final_value),
            **({} if pilots[0].of_atoms is None else {"pilot_subsample_of_atoms": pilots[0].of_atoms}), **extra}


def spread_warning(name, values, errors, error_kind):
    """A warning when the restarts of a search disagree beyond their errors (a search gap)."""
    if len(values) < 2:
        return ()
    spread = float(np.max(values) - np.min(values))
    scale = 3 * math.sqrt(float(np.sum(np.square(errors)))) if error_kind == "standard-error" else \
        float(np.sum(errors)) + 1e-9 * max(abs(float(np.max(values))), 1e-300)
    if spread > scale:
        return (f"search-spread: {name}: the {len(values)} search restarts disagree by {spread:.3g} (values "
                + ", ".join(f"{v:.6g}" for v in values) + f"; allowed {scale:.2g}): the searched extremum may be "
                "far from the true one",)
    return ()


def extremize(dist, u, targets, candidates, quantity, maximize, method, n, seed, refine=False):
    """For each target, the best (v, θ) of the search and its estimate.

    targets : list of arrays of θ's; the target's value is the extremum over its θ's
    (one θ for γ, L; a sub-grid [0, φ] for L_{−w*}).
    Returns a list of (Estimate, v, θ).

    When ``candidates`` is not exact the search runs ``RESTARTS`` times, each on its
    own pilot sample (sampled methods) or candidate set (deterministic), each
    choice refined when ``refine``.  The restart whose choice scores best on the
    *other* restarts' pilots is reported (so the final draws never choose); every
    restart's choice is estimated on the final draws, and the ``search`` record of
    the estimate carries the budget, the spread between restarts and the gap
    between the pilot's score and the final estimate.
    """
    sign = -1.0 if maximize else 1.0
    thetas = np.unique(np.concatenate(targets))
    restarts = 1 if candidates.exact else RESTARTS
    pilots = pilot_searches(dist, u, method, n, seed, restarts)
    pilots[0].dirs = candidates
    per_restart, budgets = [], []
    for pl in pilots:
        pilot = [plane_values(pl.dist, u, v, thetas, quantity, pl.method, pl.plan) for v in pl.dirs.vectors]
        scores = np.array([[sign * e.value for e in row] for row in pilot])  # (V, Θ)
        choices, spent = [], 0
        for target in targets:
            cols = np.searchsorted(thetas, target)
            sub = scores[:, cols]
            iv, it = np.unravel_index(np.argmin(sub), sub.shape)
            v, theta, score = pl.dirs.vectors[iv], float(target[it]), float(sub[iv, it])
            est = pilot[iv][cols[it]]
            if refine and not pl.dirs.exact:
                v, score, nfev = refine_direction(pl.dist, u, v, theta, quantity, sign, pl.method, pl.plan)
                spent += nfev
                est = None
            choices.append([v, theta, score, est])
        per_restart.append(choices)
        budgets.append(spent)
    final_plan = final_sampling_plan(method, n, seed)
    # every restart's choice is read on the same final draws: drawn once (the same numbers as drawn anew)
    store = DrawStore(dist, final_plan) if method in ("mc", "qmc") else None
    out = []
    for t, target in enumerate(targets):
        options = [per_restart[r][t] for r in range(restarts)]
        if restarts > 1:  # cross-scored: each choice on the other restarts' pilots
            cross = []
            for r, (v, theta, _, _) in enumerate(options):
                others = [pl for q, pl in enumerate(pilots) if q != r]
                cross.append(np.mean([sign * plane_values(pl.dist, u, v, np.array([theta]), quantity, pl.method,
                                                          pl.plan)[0].value for pl in others]))
            chosen = int(np.argmin(cross))
        else:
            chosen = 0
        finals = []
        if method in ("mc", "qmc") and restarts > 1:
            best, finals, chosen = _half_split_choice(dist, u, options, quantity, sign, final_plan, store)
        else:
            for (v, theta, _, est), pl in zip(options, pilots):
                # a pilot's value is final only where the pilot scored the law itself
                if method in ("mc", "qmc") or est is None or pl.dist is not dist:
                    finals.append(plane_values(dist, u, v, np.array([theta]), quantity, method, final_plan,
                                               store=store)[0])
                else:
                    finals.append(est)
            if method not in ("mc", "qmc") and restarts > 1:  # deterministic: the best restart is a valid extremum
                chosen = int(np.argmin([sign * f.value for f in finals]))
            best = finals[chosen]
        if not candidates.exact:
            values, errors = [f.value for f in finals], [f.error for f in finals]
            record = search_record(pilots, budgets, values, errors, chosen, sign * options[chosen][2], best.value,
                                    phi=float(options[chosen][1]))
            best = best.replace(search=record, warnings=best.warnings + spread_warning(
                quantity, values, errors, best.error_kind))
        out.append((best, options[chosen][0], options[chosen][1]))
    return out


def _half_split_choice(dist, u, options, quantity, sign, plan, store=None):
    """The restarts' choices estimated on the final draws, and the reported one chosen without winner's curse.

    Each restart's (v, θ) is read on every batch (eigenvectors cross-fitted between the
    halves, :meth:`MomentCurves.cross_fitted`); the batches of one half are then read at the
    restart that is best on the *other* half, so the choice between restarts uses all n
    draws while no batch estimates a choice made on itself.  Returns (estimate, the
    restarts' own estimates, the restart chosen by the first half).
    """
    pair = {"gamma": (SAME, SAME), "L": (SAME, SAME), "L_neg": (OPP, OPP)}[quantity]
    which = "min" if quantity == "gamma" else "max"

    values, groups, sums = [], [], []
    for v, theta, _, _ in options:
        curves = moment_curves(dist, u, v, np.array([theta]), (pair,), plan, store)
        linear, linear_groups = curves.cross_fitted(pair, lambda m: extreme_eigenvector(m, which), with_groups=True)
        values.append(linear[:, 0])
        groups.append(None if linear_groups is None else linear_groups[:, :, 0])
        sums.append(curves.sums)
    values = np.array(values)  # (R, B)
    side = "upper-bound" if quantity == "gamma" else "lower-bound"
    y, picks = np.empty(values.shape[1]), []
    y_groups = None if groups[0] is None else np.empty_like(groups[0])
    for mine in cross_fitting_halves(values.shape[1]):
        r = int(np.argmin(sign * values[:, ~mine].mean(axis=1)))
        y[mine] = values[r, mine]
        if y_groups is not None:
            y_groups[mine] = groups[r][mine]
        picks.append(r)
    # every error through BatchMeans.assess: the heavy-tail and qmc-lumpy checks (docs/error-bars.md §2–§3)
    own = [s.estimate(x, g, side=side) for s, x, g in zip(sums, values, groups)]
    best = sums[-1].estimate(y, y_groups, side=side)
    return best, own, picks[1]


def refine_direction(dist, u, v, theta, quantity, sign, method, plan):
    """Local refinement of a direction on the (deterministic) pilot objective: (v, signed score, evaluations).

    p = 3: a bounded scalar search on the circle of u*⊥ around v; p ≥ 4: Powell in the
    ambient coordinates c ∈ R^p, read as the direction of c − (c·u*)u* (O(p) memory,
    no basis of u*⊥).
    """
    count = [0]

    def score(vv):
        count[0] += 1
        return sign * plane_values(dist, u, vv, np.array([theta]), quantity, method, plan)[0].value

    def direction(c):
        c = c - (c @ u) * u
        nv = np.linalg.norm(c)
        return None if nv == 0 else c / nv

    def objective(c):
        vv = direction(c)
        return np.inf if vv is None else score(vv)

    start = score(v)
    if dist.p == 3:
        basis = orthonormal_complement(u)
        coords = basis @ v
        a0 = math.atan2(coords[1], coords[0])
        step = 2 * math.pi / 72
        res = optimize.minimize_scalar(lambda a: score(math.cos(a) * basis[0] + math.sin(a) * basis[1]),
                                       bounds=(a0 - step, a0 + step), method="bounded",
                                       options={"xatol": 1e-6, "maxiter": 60})
        best = math.cos(res.x) * basis[0] + math.sin(res.x) * basis[1]
        value = float(res.fun)
    else:
        res = optimize.minimize(objective, np.asarray(v, float), method="Powell",
                                options={"maxfev": 400, "xtol": 1e-5})
        best, value = direction(res.x), float(res.fun)
    if best is None or not value < start:
        return np.asarray(v, float), start, count[0]
    return best / np.linalg.norm(best), value, count[0]

"""What a claim's check knows about its instance: the law, w*, the method, and the constants.

:class:`InstanceContext` reads an instance (a dict: ``dist`` or ``distribution``,
``w_star``, ``method``, ``n``, ``seed``, …) and computes the constants a check
needs — γ(φ), L(φ), β, L_cross, the population gradient E∇ℓ(w) — each as a
:class:`~verify.checker.terms.Term` with its error and its side, by the most
exact route available (docs/claims.md §2–§3).

Exact instances are preferred everywhere: closed forms for radial laws, p = 2
(where the direction set is two points, both evaluated), and finite laws (an
:class:`~verify.laws.distributions.Empirical` law is a legitimate input whose
expectations are finite sums), for which β and L_cross are exact sups
(:func:`verify.exact_sups.finite_sup_ratio`).

Constants are memoized in a :class:`ConstantsCache` that has an owner and a
lifetime: one claim-checker run (:func:`verify.run.run_claims`) or one
call of :func:`verify.check_claim`.  Its keys hold the law itself (a finite
law by the digest of its atoms, a built-in law by its description, any other
object by identity *with a strong reference*), so a law deleted and another
created at the same address can never share an entry.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any, Callable, Sequence

import numpy as np

from ..estimators.closed_forms import radial_constants, radial_gradient
from ..laws.builtin import Empirical
from ..laws.distributions import (exact_kind, finite_support, make_distribution, quadrature_available,
                                  rotational_scale, symmetric_about)
from ..geometry import angle, basis_vector, orthonormal_complement
from ..estimators.finite_sups import finite_sup_ratio, piece_ends
from ..validation import InvalidArgument, check_count, check_seed
from .result import describe_distribution
from ..dynamics.step_rules import step_bound
from .terms import EPS, Term, vector_parts

__all__ = ["InstanceContext", "ConstantsCache", "distribution_of", "step_grid", "step_ratio"]


class ConstantsCache:
    """Memoized constants (γ, L on a grid, β, L_cross, scales) and §4 experiment runs of one run.

    The cache belongs to whoever creates it (a claim-checker run, or one
    ``check`` call) and dies with it: no process-wide state.  Keys are built by
    :meth:`law_key`, which keeps a strong reference to laws that have no
    content key, so an entry can never be served to a different object.

    Parameters
    ----------
    experiment_profile : str
        Sizes of the §4 experiments the §4 claims run (:func:`experiment`).
    experiment_seed : int
    """

    def __init__(self, *, experiment_profile: str = "quick", experiment_seed: int = 0) -> None:
        self._values: dict = {}
        self._warnings: dict = {}
        self._collecting: list[str] | None = None
        self._experiments: dict[str, Any] = {}
        self._experiment_store: dict = {}  # what Figs. 3c–5 share (verify.experiments.real_data)
        self.experiment_profile = experiment_profile
        self.experiment_seed = experiment_seed
        #: The warnings of the check being evaluated (set by :meth:`Claim.check`), None between checks.
        self.sink: list[str] | None = None

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """The value stored under ``key``, computed (once) by ``compute()``.

        The warnings of the estimates it was computed from are stored with it and
        reported (:meth:`note`) whenever the value is used, cached or not.
        """
        if key in self._values:
            self.note(self._warnings[key])
            return self._values[key]
        outer, self._collecting = self._collecting, []
        try:
            self._values[key] = compute()
        finally:
            collected, self._collecting = self._collecting, outer
            self._warnings[key] = tuple(dict.fromkeys(collected))
        if outer is not None:
            outer.extend(collected)
        return self._values[key]

    def note(self, warnings: Any) -> None:
        """Report an estimate's warnings to the check being evaluated (and to the value being computed)."""
        warnings = tuple(warnings or ())
        if self._collecting is not None:
            self._collecting.extend(warnings)
        if self.sink is not None:
            self.sink.extend(warnings)

    def experiment(self, name: str) -> Any:
        """The §4 experiment ``name`` at this cache's profile and seed, run once (verify.experiments)."""
        if name not in self._experiments:
            from ..experiments.registry import run_experiment

            self._experiments[name] = run_experiment(name, profile=self.experiment_profile, seed=self.experiment_seed,
                                                     shared=self._experiment_store)
        return self._experiments[name]

    def experiments(self) -> dict[str, Any]:
        """The experiments run so far, name → result, in the order they ran."""
        return dict(self._experiments)

    @staticmethod
    def law_key(dist: Any) -> Any:
        """A hashable identity of a law: its atoms' digest for a finite law, its description for a built-in
        law, the object itself (identity, strong reference) otherwise."""
        atoms = finite_support(dist)
        if atoms is not None:
            return ("finite", atoms.shape, hashlib.sha1(np.ascontiguousarray(atoms).tobytes()).hexdigest())
        describe = getattr(dist, "describe", None)
        if callable(describe) and type(dist).__module__.startswith("verify."):
            return ("builtin", type(dist).__name__, json.dumps(describe_distribution(dist), sort_keys=True))
        return ("object", _Identity(dist))

    def __len__(self) -> int:
        return len(self._values)


class _Identity:
    """Hashes and compares by the identity of the object it holds (and keeps it alive)."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Identity) and other.obj is self.obj


def distribution_of(instance: dict) -> Any:
    """The distribution of an instance: ``dist`` (an object), or ``distribution`` (a name or a dict)."""
    dist = instance.get("dist")
    if dist is not None:
        for attr in ("p", "k", "sample"):
            if not hasattr(dist, attr):
                raise InvalidArgument("dist", f"must follow the distribution protocol (missing {attr!r})")
        return dist
    spec = instance.get("distribution", "gaussian")
    if isinstance(spec, str):
        spec = {"name": spec}
    spec = dict(spec)
    name = spec.pop("name")
    p = spec.pop("p", instance.get("p"))
    for drop in ("symmetry", "atoms_shape", "atoms_sha1", "atoms", "source"):
        spec.pop(drop, None)
    if name == "empirical":
        data = instance.get("data", spec.pop("data", None))
        if data is None:
            raise InvalidArgument("data", "an empirical instance needs its data")
        return Empirical(np.asarray(data, dtype=float))
    if name in ("gaussian", "sphere"):
        spec.pop("k", None)
    if name == "mixture":
        spec.pop("k", None)
    if name == "degenerate":
        spec.pop("k", None)
    return make_distribution(name, p, **spec)


def _unit_axis(dist: Any) -> np.ndarray:
    """The law's axis (``axis``), else e₁: the default teacher direction."""
    axis = getattr(dist, "axis", None)
    if axis is None:
        axis = basis_vector(dist.p, 0)
    axis = np.asarray(axis, dtype=float)
    return axis / np.linalg.norm(axis)


class InstanceContext:
    """Everything a check needs about its instance: the law, w*, the method, and the constants.

    The constants (γ, L at angles, β, L_cross, the gradient) are taken by the
    most exact route available (module doc), as :class:`Term` s with their sides.
    """

    def __init__(self, instance: dict, cache: ConstantsCache | None = None, *, needs_dist: bool = True):
        self.instance = instance
        self.cache = ConstantsCache() if cache is None else cache
        self.dist = distribution_of(instance) if needs_dist else None
        dist = self.dist
        self.seed = check_seed(instance.get("seed", 0))
        self.n = check_count(instance.get("n", 100_000), "n", minimum=2)
        if dist is None:
            return
        self.p, self.k = int(dist.p), int(dist.k)
        w_star = instance.get("w_star")
        if w_star is None:
            w_star = _unit_axis(dist)
        self.w_star = np.asarray(w_star, dtype=float)
        if self.w_star.shape != (self.p,) or not np.all(np.isfinite(self.w_star)) or not np.any(self.w_star):
            raise InvalidArgument("w_star", f"must be a finite non-zero vector of length p={self.p}")
        self.norm_star = float(np.linalg.norm(self.w_star))
        self.u = self.w_star / self.norm_star
        self.exact_kind = exact_kind(dist)
        self.symmetric = self._symmetric()
        method = instance.get("method")
        if method is None:
            if self.exact_kind is not None:
                method = "exact"
            elif quadrature_available(dist) and self.symmetric:
                method = "quad"
            else:
                method = "mc"
        self.method = method
        self.key = ConstantsCache.law_key(dist)
        self.atoms = finite_support(dist)

    # -- facts about the law ------------------------------------------------
    def _symmetric(self) -> bool:
        return bool(symmetric_about(self.dist, self.u))

    @property
    def rotational(self) -> bool:
        """A radial k = 1 law with known E‖Z‖²: the closed forms of docs/claims.md §6 apply."""
        return self.exact_kind == "rotational"

    @property
    def scale(self) -> float:
        """E‖Z‖²/p for a radial law (the factor on every N(0, I) closed form)."""
        return float(rotational_scale(self.dist))

    def natural_scale(self) -> float:
        """A size of the moments, E‖Z_avg‖²/p-like, used as the margin's scale when a side is 0."""

        def compute():
            if self.rotational:
                return self.scale
            if self.atoms is not None:
                z = self.atoms
            else:
                z = np.asarray(self.dist.sample(4000, np.random.default_rng(12345)), dtype=float)
            return float(np.mean(np.sum(z**2, axis=-1)) / self.p) or 1.0

        return self.cache.get(("scale", self.key), compute)

    def atoms_on_hyperplane(self, normal: np.ndarray) -> int:
        """How many patches of a finite law lie exactly on normal⊥ (0 for a law with a density)."""
        if self.atoms is None:
            return 0
        dots = self.atoms @ normal
        return int(
            np.count_nonzero(np.abs(dots) <= 1e-12 * np.linalg.norm(self.atoms, axis=-1) * np.linalg.norm(normal))
        )

    def describe(self) -> dict[str, Any]:
        out = {
            "distribution": describe_distribution(self.dist),
            "p": self.p,
            "k": self.k,
            "w_star": self.w_star,
            "method": self.method,
        }
        if self.method in ("mc", "qmc"):
            out.update({"n": self.n, "seed": self.seed})
        return out

    # -- γ(φ), L(φ) -----------------------------------------------------------
    def gamma_L(self, phis: Sequence[float]) -> tuple[list[Term], list[Term]]:
        """γ(φ) and L(φ) at each φ (Definition 2.1 / Assumption 3.1), by the most exact route.

        Notes
        -----
        p = 2 without symmetry: the direction set is the two points v = ±v₀;
        both are evaluated here, explicitly, and the extremes taken.
        """
        phis = np.asarray(phis, dtype=float)
        if self.rotational and self.k == 1:
            s = self.scale
            g, L = [], []
            for phi in phis:
                c = radial_constants(float(phi), s)
                g.append(Term(c["gamma"], 8 * EPS * s, side="exact"))
                L.append(Term(c["L"], 8 * EPS * s, side="exact"))
            return g, L
        key = ("gammaL", self.key, tuple(self.u), tuple(np.round(phis, 17)), self.method, self.n, self.seed)
        return self.cache.get(key, lambda: self._gamma_L(phis))

    def _gamma_L(self, phis):
        from ..estimators import quantities as Q

        if self.p == 2 and not self.symmetric:
            plan = Q.sampling_plans(self.method, self.n, self.seed)[1]
            v0 = orthonormal_complement(self.u)[0]
            lows = [Q.plane_values(self.dist, self.u, v, phis, "gamma", self.method, plan) for v in (v0, -v0)]
            highs = [Q.plane_values(self.dist, self.u, v, phis, "L", self.method, plan) for v in (v0, -v0)]
            g = [self._term(min(a, b, key=lambda e: e.value)) for a, b in zip(*lows)]
            L = [self._term(max(a, b, key=lambda e: e.value)) for a, b in zip(*highs)]
            return g, L
        if self.symmetric:
            curves = Q.curves(
                self.dist, phis, ("gamma", "L"), method=self.method, n=self.n, seed=self.seed, w_star=self.w_star
            )
            return [self._term(e) for e in curves["gamma"]], [self._term(e) for e in curves["L"]]
        g = [
            self._term(Q.gamma(self.dist, float(phi), method=self.method, n=self.n, seed=self.seed, w_star=self.w_star))
            for phi in phis
        ]
        L = [
            self._term(Q.L(self.dist, float(phi), method=self.method, n=self.n, seed=self.seed, w_star=self.w_star))
            for phi in phis
        ]
        return g, L

    def _term(self, estimate: Any) -> Term:
        """A Term of an estimate, its warnings reported to the check (:meth:`ConstantsCache.note`)."""
        self.cache.note(getattr(estimate, "warnings", ()))
        return Term.of(estimate)

    def finite_p2(self) -> bool:
        return self.atoms is not None and self.p == 2 and self.method == "exact"

    # -- β and L_cross ------------------------------------------------------------
    def beta(self) -> Term:
        """The tight β of Assumption 2.1 / 3.1."""
        if self.rotational and self.k == 1:
            return Term(self.scale / math.pi, 4 * EPS * self.scale, side="exact")
        return self._sup_constant("beta")

    def L_cross(self) -> Term:  # noqa: N802 - the paper's name
        """The tight L_cross of Assumption 3.2 (0 for one patch of a law with a density)."""
        if self.k == 1 and self.atoms is None:
            return Term(0.0, 0.0, side="exact")
        return self._sup_constant("L_cross")

    def _sup_constant(self, name: str) -> Term:
        """β (``name`` "beta") or L_cross ("L_cross") as a Term (:meth:`_sup_reading`)."""
        return self._sup_reading(name)[0]

    def sup_decision(self, name: str) -> str:
        """Whether β (``name`` "beta") or L_cross is "finite", "infinite" or "undecided"
        (:func:`verify.estimators.beta.sup_decision`; closed forms and exact sums are decided)."""
        if (name == "beta" and self.rotational and self.k == 1) or (name == "L_cross" and self.k == 1
                                                                      and self.atoms is None):
            return "finite"
        return self._sup_reading(name)[1]

    def _sup_reading(self, name: str) -> tuple[Term, str]:
        """β or L_cross and its decision, cached: the exact sup over θ for a finite law in
        p = 2 (:func:`finite_sup_ratio`), :mod:`verify.estimators.quantities`' estimate otherwise."""

        def compute():
            from ..estimators import beta as B

            if self.finite_p2():
                value, _ = finite_sup_ratio(self.dist, self.u, {"beta": "beta", "L_cross": "cross"}[name])
                term = Term(value, 64 * EPS * max(abs(value), 1.0) * max(1, self.atoms.shape[0]), side="exact")
                return term, "finite" if math.isfinite(value) else "infinite"
            estimator = {"beta": B.beta, "L_cross": B.L_cross}[name]
            est = estimator(self.dist, method=self.method, n=self.n, seed=self.seed, w_star=self.w_star)
            return self._term(est), B.sup_decision(est)

        return self.cache.get((name, self.key, tuple(self.u), self.method, self.n, self.seed), compute)

    def infinite_constants(self, general_k: bool) -> str:
        """Why the claim's assumptions fail or are not established on this law, if a constant they need is
        infinite or undecided ('' if none).

        β = ∞ means Assumption 2.1 / 3.1 fails (for a finite law: a patch on w*⊥);
        L_cross = ∞ means Assumption 3.2 fails; an undecided constant (the draws do not tell
        whether the ratio levels off toward φ → 0) leaves the assumption unestablished.
        Either puts the instance outside the claim's hypotheses — it can never make a bound
        "hold" (docs/claims.md §7).
        """
        reasons = []
        names = ("beta", "L_cross") if general_k else ("beta",)
        for name in names:
            decision = self.sup_decision(name)
            assumption = "Assumption 2.1" if name == "beta" else "Assumption 3.2"
            symbol = "β" if name == "beta" else "L_cross"
            if decision == "infinite":
                reasons.append(f"{symbol} = ∞: {assumption} fails"
                               + (" (a patch lies on w*⊥)" if self.atoms is not None and name == "beta" else ""))
            elif decision == "undecided":
                reasons.append(f"{symbol} undecided: the evidence does not tell whether its ratio levels off "
                               f"toward φ → 0 (see the {symbol} warning), so {assumption} is not established")
        return "; ".join(reasons)

    # -- the population gradient --------------------------------------------------
    def gradient(self, w: np.ndarray, seed_offset: int = 1):
        """E∇ℓ(w) as (value, hard bound, standard error, dof, side, method) vectors."""
        w = np.asarray(w, dtype=float)
        if self.rotational and self.k == 1:
            return _radial_gradient(w, self.w_star, self.scale)
        if self.exact_kind == "degenerate":
            r = self.dist.rank
            value, bound = np.zeros(self.p), np.zeros(self.p)
            if np.any(w[:r]):
                v, b, *_ = (
                    _radial_gradient(w[:r], self.w_star[:r], 1.0)
                    if np.any(self.w_star[:r])
                    else (0.5 * w[:r], 2 * EPS * np.abs(w[:r]))
                )
                value[:r], bound[:r] = v, b
            return value, bound, np.zeros(self.p), None, "exact", "exact"
        from ..estimators.moments import population_gradient

        est = population_gradient(
            self.dist, w, self.w_star, method=self.method, n=self.n, seed=(self.seed or 0) + seed_offset
        )
        self.cache.note(getattr(est, "warnings", ()))
        return vector_parts(est)


def _radial_gradient(w: np.ndarray, w_star: np.ndarray, scale: float):
    """Tian's closed form (:func:`verify.estimators.closed_forms.radial_gradient`, docs/claims.md §6) with a rounding bound.

    E∇ℓ(w) = s[½(w − w*) + (θ·w* − (‖w*‖/‖w‖) sin θ · w)/(2π)]: each of the
    O(1) operations per coordinate errs by ≤ ε relative to the magnitudes
    |w|, |w*|, θ|w*|, (‖w*‖/‖w‖)|w| it combines; 16ε times their sum bounds
    the total (a generous constant for the ~10 roundings, atan2's included).
    """
    value = radial_gradient(w, w_star, scale)
    ns, nw = float(np.linalg.norm(w_star)), float(np.linalg.norm(w))
    if nw == 0:
        return value, 8 * EPS * np.abs(value), np.zeros_like(w), None, "exact", "exact"
    theta = float(angle(w, w_star))
    a = theta * np.abs(w_star)
    b = (ns / nw) * math.sin(theta) * np.abs(w)
    bound = 16 * EPS * scale * (0.5 * np.abs(w) + 0.5 * np.abs(w_star) + (a + b) / (2 * math.pi))
    return value, bound, np.zeros_like(w), None, "exact", "exact"


def step_grid(ctx: InstanceContext, phi_t: float) -> tuple[np.ndarray, bool]:
    """Angles on which min_{0≤φ≤φ_t} of the step-size ratio is taken, and whether that min is exact.

    Finite law in p = 2: every end of the "same" region's pieces in [0, φ_t]
    and every piece's midpoint (the ratio is piecewise constant): exact.
    Radial law: a fine grid; exact when the ratio is monotone on it (checked by
    the caller).  Otherwise a grid: its minimum may overstate the true one.
    """
    if ctx.finite_p2():
        v0 = orthonormal_complement(ctx.u)[0]
        ends = np.concatenate([piece_ends(ctx.dist, ctx.u, v, ("same",), max(phi_t, 1e-300)) for v in (v0, -v0)])
        ends = np.unique(np.r_[0.0, ends[ends <= phi_t], phi_t])
        mids = 0.5 * (ends[:-1] + ends[1:])
        return np.unique(np.r_[ends, mids]), True
    if ctx.rotational and ctx.k == 1:
        return np.linspace(0.0, phi_t, 257), True
    return np.linspace(0.0, phi_t, int(ctx.instance.get("step_grid", 13))), False


def step_ratio(ctx: InstanceContext, grid: np.ndarray, general_k: bool, gamma_at_zero: bool = False):
    """The step-size bound at each grid angle: γ(φ)/(2(L(φ)+4β)²) or its general-k version, as Terms."""
    g, L = ctx.gamma_L(grid)
    beta = ctx.beta()
    Lc = ctx.L_cross() if general_k else Term(0.0)
    gammas = np.full(len(g), g[0].value) if gamma_at_zero else np.array([gi.value for gi in g])
    bound = step_bound(gammas, np.array([Li.value for Li in L]), beta.value, Lc.value)
    return bound, g, L, beta, Lc

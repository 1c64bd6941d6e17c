"""What a claim's check knows about its instance: the law, w*, the method, and the constants.

:class:`_Context` reads an instance (a dict: ``dist`` or ``distribution``,
``w_star``, ``method``, ``n``, ``seed``, …) and computes the constants a check
needs — γ(φ), L(φ), β, L_cross, the population gradient E∇ℓ(w) — each as a
:class:`~verify.verdicts.Term` with its error and its side, by the most exact
route available, with a small process-wide cache.

Exact instances are preferred everywhere: closed forms for N(0, I) and the
sphere, p = 2 (where the direction set is two points, both evaluated), and
finite laws (an :class:`~verify.distributions.Empirical` law is a legitimate
input whose expectations are finite sums), for which β, L_cross and μ are
computed exactly by enumerating the angles where an atom changes region
(:func:`finite_sup_ratio`, :func:`finite_mu`).
"""
from __future__ import annotations

import hashlib
import json
import math
from typing import Any, Callable, Sequence

import numpy as np

from .distributions import Empirical, make_distribution
from .quantities import _orthonormal_complement
from .validation import InvalidArgument, check_count, check_seed
from .verdicts import _EPS, Term, _describe_dist, _jsonable, _support, _vector_parts

__all__ = ["finite_sup_ratio", "finite_mu"]


# ---------------------------------------------------------------------------
# Instances
# ---------------------------------------------------------------------------

_CACHE: dict = {}
_CACHE_LIMIT = 512


def _cached(key: tuple, compute: Callable[[], Any]) -> Any:
    if key in _CACHE:
        return _CACHE[key]
    value = compute()
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = value
    return value


def _dist_key(dist: Any) -> Any:
    """A hashable identity of a law: its atoms' digest for a finite law, its description otherwise."""
    atoms = _support(dist)
    if atoms is not None:
        return ("finite", atoms.shape, hashlib.sha1(np.ascontiguousarray(atoms).tobytes()).hexdigest())
    describe = getattr(dist, "describe", None)
    if callable(describe) and type(dist).__module__.startswith("verify."):
        return ("builtin", type(dist).__name__, json.dumps(_jsonable(describe()), sort_keys=True))
    return ("object", id(dist))


def _dist_from(instance: dict) -> Any:
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
    axis = getattr(dist, "axis", None)
    if axis is None:
        axis = np.eye(dist.p)[0]
    axis = np.asarray(axis, dtype=float)
    return axis / np.linalg.norm(axis)


def _angle(w: np.ndarray, u: np.ndarray) -> float:
    """θ(w, u) for unit u, as atan2(‖w_⊥‖, w·u): accurate near 0 and π (arccos is not)."""
    along = float(w @ u)
    perp = float(np.linalg.norm(w - along * u))
    return math.atan2(perp, along)


class _Context:
    """Everything a check needs about its instance: the law, w*, the method, and the constants.

    The constants (γ, L at angles, β, L_cross, the gradient) are taken by the
    most exact route available (module doc), as :class:`Term` s with their sides.
    """

    def __init__(self, instance: dict, *, needs_dist: bool = True):
        self.instance = instance
        self.dist = _dist_from(instance) if needs_dist else None
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
        from . import moments

        self.exact_kind = moments._exact_available(dist)
        self.symmetric = self._symmetric()
        method = instance.get("method")
        if method is None:
            from .quadrature import quadrature_available

            if self.exact_kind is not None:
                method = "exact"
            elif quadrature_available(dist) and self.symmetric:
                method = "quad"
            else:
                method = "mc"
        self.method = method
        self.key = _dist_key(dist)
        self.atoms = _support(dist)

    # -- facts about the law ------------------------------------------------
    def _symmetric(self) -> bool:
        from .quantities import _symmetric_about

        return bool(_symmetric_about(self.dist, self.u))

    @property
    def rotational(self) -> bool:
        """A radial k = 1 law with known E‖Z‖²: the closed forms of CLAIMS.md §6 apply."""
        return self.exact_kind == "rotational"

    @property
    def scale(self) -> float:
        """E‖Z‖²/p for a radial law (the factor on every N(0, I) closed form)."""
        from .moments import _rotational_scale

        return float(_rotational_scale(self.dist))

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
        return _cached(("scale", self.key), compute)

    def atoms_on_hyperplane(self, normal: np.ndarray) -> int:
        """How many patches of a finite law lie exactly on normal⊥ (0 for a law with a density)."""
        if self.atoms is None:
            return 0
        dots = self.atoms @ normal
        return int(np.count_nonzero(np.abs(dots) <= 1e-12 * np.linalg.norm(self.atoms, axis=-1) * np.linalg.norm(normal)))

    def describe(self) -> dict[str, Any]:
        out = {"distribution": _describe_dist(self.dist), "p": self.p, "k": self.k, "w_star": self.w_star,
               "method": self.method}
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
            from .quantities import exact_gaussian_constants

            s = self.scale
            g, L = [], []
            for phi in phis:
                c = exact_gaussian_constants(float(phi), s)
                g.append(Term(c["gamma"], 8 * _EPS * s, side="exact"))
                L.append(Term(c["L"], 8 * _EPS * s, side="exact"))
            return g, L
        key = ("gammaL", self.key, tuple(self.u), tuple(np.round(phis, 17)), self.method, self.n, self.seed)
        return _cached(key, lambda: self._gamma_L(phis))

    def _gamma_L(self, phis):
        from . import quantities as Q

        if self.p == 2 and not self.symmetric:
            plan = Q._plans(self.method, self.n, self.seed)[1]
            v0 = _orthonormal_complement(self.u)[0]
            lows = [Q._plane_values(self.dist, self.u, v, phis, "gamma", self.method, plan) for v in (v0, -v0)]
            highs = [Q._plane_values(self.dist, self.u, v, phis, "L", self.method, plan) for v in (v0, -v0)]
            g = [Term.of(min(a, b, key=lambda e: e.value)) for a, b in zip(*lows)]
            L = [Term.of(max(a, b, key=lambda e: e.value)) for a, b in zip(*highs)]
            return g, L
        if self.symmetric:
            curves = Q.curves(self.dist, phis, ("gamma", "L"), method=self.method, n=self.n, seed=self.seed,
                              w_star=self.w_star)
            return [Term.of(e) for e in curves["gamma"]], [Term.of(e) for e in curves["L"]]
        g = [Term.of(Q.gamma(self.dist, float(phi), method=self.method, n=self.n, seed=self.seed,
                             w_star=self.w_star)) for phi in phis]
        L = [Term.of(Q.L(self.dist, float(phi), method=self.method, n=self.n, seed=self.seed,
                         w_star=self.w_star)) for phi in phis]
        return g, L

    def finite_p2(self) -> bool:
        return self.atoms is not None and self.p == 2 and self.method == "exact"

    # -- β and L_cross ------------------------------------------------------------
    def beta(self) -> Term:
        """The tight β of Assumption 2.1 / 3.1."""
        if self.rotational and self.k == 1:
            return Term(self.scale / math.pi, 4 * _EPS * self.scale, side="exact")
        return self._sup_constant("beta")

    def L_cross(self) -> Term:  # noqa: N802 - the paper's name
        """The tight L_cross of Assumption 3.2 (0 for one patch of a law with a density)."""
        if self.k == 1 and self.atoms is None:
            return Term(0.0, 0.0, side="exact")
        return self._sup_constant("L_cross")

    def _sup_constant(self, name: str) -> Term:
        """β (``name`` "beta") or L_cross ("L_cross"), cached: the exact sup over θ for a finite law in
        p = 2 (:func:`finite_sup_ratio`), :mod:`verify.quantities`' estimate otherwise."""
        def compute():
            from . import quantities as Q

            if self.finite_p2():
                value, _ = finite_sup_ratio(self.dist, self.u, {"beta": "beta", "L_cross": "cross"}[name])
                return Term(value, 64 * _EPS * max(abs(value), 1.0) * max(1, self.atoms.shape[0]), side="exact")
            estimator = {"beta": Q.beta, "L_cross": Q.L_cross}[name]
            return Term.of(estimator(self.dist, method=self.method, n=self.n, seed=self.seed, w_star=self.w_star))
        return _cached((name, self.key, tuple(self.u), self.method, self.n, self.seed), compute)

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
                v, b, *_ = _radial_gradient(w[:r], self.w_star[:r], 1.0) if np.any(self.w_star[:r]) else \
                    (0.5 * w[:r], 2 * _EPS * np.abs(w[:r]))
                value[:r], bound[:r] = v, b
            return value, bound, np.zeros(self.p), None, "exact", "exact"
        from .moments import population_gradient

        est = population_gradient(self.dist, w, self.w_star, method=self.method, n=self.n,
                                  seed=(self.seed or 0) + seed_offset)
        return _vector_parts(est)


def _radial_gradient(w: np.ndarray, w_star: np.ndarray, scale: float):
    """Tian's closed form (CLAIMS.md §6) times E‖Z‖²/p, with θ by atan2, and a rounding bound.

    E∇ℓ(w) = s[½(w − w*) + (θ·w* − (‖w*‖/‖w‖) sin θ · w)/(2π)].
    """
    ns, nw = float(np.linalg.norm(w_star)), float(np.linalg.norm(w))
    if nw == 0:
        # w = 0: every patch is active (w·Z = 0 ≥ 0) and f(0, Z) = 0, so E∇ℓ = −E[σ(w*·Z) Z] = −(s/2) w*.
        value = -0.5 * scale * w_star
        return value, 8 * _EPS * np.abs(value), np.zeros_like(w), None, "exact", "exact"
    theta = _angle(w, w_star / ns)
    d = w - w_star
    a = theta * w_star
    b = (ns / nw) * math.sin(theta) * w
    value = scale * (0.5 * d + (a - b) / (2 * math.pi))
    bound = 16 * _EPS * scale * (0.5 * np.abs(w) + 0.5 * np.abs(w_star) + (np.abs(a) + np.abs(b)) / (2 * math.pi))
    return value, bound, np.zeros_like(w), None, "exact", "exact"


# ---------------------------------------------------------------------------
# Exact sups for finite laws in p = 2
# ---------------------------------------------------------------------------

def _finite_pieces(dist: Any, u: np.ndarray, v: np.ndarray, regions: Sequence[str], upper: float) -> np.ndarray:
    """The sorted angles in (0, upper] at which some patch enters or leaves one of ``regions``.

    Computed with the same arithmetic as :func:`verify.moments.moment_curves`
    (ψ = atan2(z·v, z·u), the interval ends of ``_region_intervals``), so a grid
    point equal to an end is classified exactly as the moment engine does.
    """
    from .moments import _region_intervals

    atoms = _support(dist)
    psi = np.arctan2(atoms @ v, atoms @ u)
    ends = []
    for region in regions:
        lo, hi = _region_intervals(psi, region)
        ends.extend([lo[np.isfinite(lo)], hi[np.isfinite(hi)]])
    ends = np.concatenate(ends) if ends else np.zeros(0)
    ends = ends[(ends > 0) & (ends <= upper)]
    return np.unique(np.r_[ends, upper])


def finite_sup_ratio(dist: Any, u: np.ndarray, quantity: str, upper: float = math.pi / 2) -> tuple[float, float]:
    """Exact sup over θ ∈ (0, upper] of f(θ)/θ for a finite law in p = 2: the tight β or L_cross.

    Parameters
    ----------
    dist : finite law (``support()`` not None), p = 2
    u : ndarray (2,)
        Unit teacher direction.
    quantity : {"beta", "cross"}
        ``beta``: f = λ_max(E[Z_{S(w,−w*)} Z_{S(w,−w*)}ᵀ]) (Assumptions 2.1/3.1);
        ``cross``: f = the sum of the three largest singular values of
        Assumption 3.2.

    Returns
    -------
    (value, θ at which the sup is approached); value is ``inf`` when f > 0 on
    (0, ε) (a patch on the hyperplane u⊥).

    Notes
    -----
    For each of the two directions v = ±v₀ (the direction set in p = 2), the
    regions' memberships change only at finitely many angles (the ends of the
    intervals of :func:`verify.moments.moment_curves`), so f is constant on
    each open piece (a, b) between consecutive ends, and sup_{(a,b)} f/θ = f/a.
    f is evaluated (exactly: finite sums) at each piece's midpoint.  The
    isolated ends themselves, where a patch lies exactly on w⊥ and the closed
    regions of the paper overlap, are left out: this is the sup over θ off a
    finite set (at most one patch on w(θ)⊥ at a time is a tie of measure zero
    for any law with a density; the paper's remarks all read the regions so).
    """
    from .moments import moment_curves
    from .sampling import SamplingPlan

    if quantity == "beta":
        regions, pairs = ("opposite",), (("opposite", "opposite"),)
    elif quantity == "cross":
        regions = ("same", "opposite", "flipped")
        pairs = (("same", "opposite"), ("same", "flipped"), ("opposite", "flipped"))
    else:
        raise InvalidArgument("quantity", f"must be beta or cross, got {quantity!r}")
    if dist.p != 2 or _support(dist) is None:
        raise InvalidArgument("dist", "finite_sup_ratio needs a finite law in p = 2")
    u = np.asarray(u, float) / np.linalg.norm(u)
    v0 = np.array([-u[1], u[0]])
    best, arg = 0.0, math.nan
    for v in (v0, -v0):
        ends = _finite_pieces(dist, u, v, regions, upper)
        left = np.r_[0.0, ends[:-1]]
        mids = 0.5 * (left + ends)
        curves = moment_curves(dist, u, v, mids, pairs, SamplingPlan("exact", 1, None))
        total = np.zeros(mids.shape[0])
        for i, _ in enumerate(pairs):
            m = curves.sums.mean[i]
            if quantity == "beta":
                total += np.linalg.eigvalsh((m + np.swapaxes(m, -1, -2)) / 2)[:, -1]
            else:
                total += np.linalg.svd(m, compute_uv=False)[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(left > 0, total / np.where(left > 0, left, 1.0),
                             np.where(total > 1e-300, np.inf, 0.0))
        j = int(np.argmax(ratio))
        if ratio[j] > best:
            best, arg = float(ratio[j]), float(left[j])
    return best, arg


def finite_mu(dist: Any, u: np.ndarray, rho: float) -> float:
    """Exact smallest μ of Theorem 3.3 for a finite law: sup_{0<φ≤ρ} max_i P[band_i(φ)]/φ.

    For p = 2 the two bands [π/2 − φ, π/2 + φ] and −[π/2 − φ, π/2 + φ] of the
    signed angle of Z_i to w* are bounded separately (the theorem's two
    hypotheses); for p ≥ 3 the angle is unsigned and the bands coincide.
    P[band(φ)] is a right-continuous step function of φ, so F(φ)/φ peaks at the
    atoms' own distances d_j ≤ ρ: μ = max_j F(d_j)/d_j (``inf`` if some d_j = 0).
    """
    atoms = _support(dist)
    u = np.asarray(u, float) / np.linalg.norm(u)
    m = atoms.shape[0]
    norms = np.linalg.norm(atoms, axis=-1)
    best = 0.0
    if dist.p == 2:
        v0 = np.array([-u[1], u[0]])
        psi = np.arctan2(atoms @ v0, atoms @ u)  # (m, k), signed angle
        dists = [np.abs(psi - math.pi / 2), np.abs(psi + math.pi / 2)]
    else:
        cosang = np.clip((atoms @ u) / np.where(norms > 0, norms, 1.0), -1, 1)
        dists = [np.abs(np.arccos(cosang) - math.pi / 2)]
    for d in dists:
        for i in range(d.shape[1]):
            di = np.sort(d[:, i])
            di = di[di <= rho]
            if di.size == 0:
                continue
            if di[0] == 0:
                return math.inf
            counts = np.searchsorted(di, di, side="right") / m
            best = max(best, float(np.max(counts / di)))
    return best

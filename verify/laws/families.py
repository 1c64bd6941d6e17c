"""Parametric families of input laws in the plane, as finite laws with common random numbers.

The adversary of the claim checker (:mod:`verify.checker.refine`) moves an
instance's law continuously: a member of a family is the *empirical law of a
fixed set of seeded draws* pushed through the family's map, so that

* every quantity of the member is an exact finite sum (docs/claims.md §5,
  finite laws: in p = 2 the direction set is two points and γ, L, β, E∇ℓ are
  exact), and a violation found on it is a genuine counterexample — the
  theorems quantify over all laws, finite ones included;
* the member depends smoothly (or piecewise smoothly) on the parameters with
  the draws held fixed (common random numbers), so a local optimizer can
  follow the margin of a claim from one member to the next.

A member is therefore "n seeded draws of an anisotropic Gaussian", not the
Gaussian itself; its description says so.

Families (unconstrained coordinates; see each ``transform``)
-------------------------------------------------------------
``anisotropic-gaussian``  Z = R(ψ) diag(s₁, s₂) G, G ~ N(0, I₂); θ = (ln s₁, ln s₂, ψ).
``student-t``             Z = R(ψ) diag(s₁, s₂) G / √(χ²_ν/ν), ν = 2 + e^t; θ = (t, ln s₁, ln s₂, ψ).
``gaussian-mixture``      two components, weights (π, 1 − π) with π = 1/(1 + e^{−a}), means ±m(cos ψ, sin ψ),
                          scales s₊, s₋; θ = (a, m, ψ, ln s₊, ln s₋).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from collections.abc import Callable

import numpy as np
from scipy import special, stats

from .builtin import Empirical
from ..validation import InvalidArgument, check_count

__all__ = ["LawFamily", "FAMILIES", "get_family", "family_noise"]

#: Draws per member: 64 atoms keep a check at a few milliseconds (exact sums) and give a law with some shape.
DRAWS = 64


def family_noise(seed: int, n: int = DRAWS) -> np.ndarray:
    """The fixed draws of a family's members: (n, 3) uniforms in (0, 1), from ``numpy.random.default_rng(seed)``.

    Columns 0–1 become a standard normal pair (by the inverse cdf), column 2
    drives the χ² scale of ``student-t`` and the component of ``gaussian-mixture``.
    """
    n = check_count(n, "n")
    u = np.random.default_rng([int(seed), 2]).random((n, 3))
    return np.clip(u, 1e-12, 1 - 1e-12)


def _rotation(psi: float) -> np.ndarray:
    c, s = math.cos(psi), math.sin(psi)
    return np.array([[c, -s], [s, c]])


def _scaled_normals(u: np.ndarray, log_s1: float, log_s2: float, psi: float) -> np.ndarray:
    """R(ψ) diag(s₁, s₂) G for the normal pairs G of ``u``'s first two columns, shape (n, 2)."""
    g = special.ndtri(u[:, :2]) * np.exp(np.clip([log_s1, log_s2], -8.0, 8.0))
    return g @ _rotation(psi).T


def _anisotropic_gaussian(theta: np.ndarray, u: np.ndarray) -> np.ndarray:
    return _scaled_normals(u, theta[0], theta[1], theta[2])


def _student_t(theta: np.ndarray, u: np.ndarray) -> np.ndarray:
    nu = 2.0 + math.exp(min(float(theta[0]), 8.0))            # ν > 2: finite variance, the family's own constraint
    chi2 = stats.chi2.ppf(u[:, 2], nu)
    return _scaled_normals(u, theta[1], theta[2], theta[3]) / np.sqrt(chi2 / nu)[:, None]


def _gaussian_mixture(theta: np.ndarray, u: np.ndarray) -> np.ndarray:
    weight = special.expit(theta[0])
    mean = float(theta[1]) * np.array([math.cos(theta[2]), math.sin(theta[2])])
    plus = u[:, 2] < weight
    g = special.ndtri(u[:, :2])
    scales = np.where(plus, math.exp(min(float(theta[3]), 8.0)), math.exp(min(float(theta[4]), 8.0)))
    return np.where(plus[:, None], mean, -mean) + scales[:, None] * g


@dataclass(frozen=True)
class LawFamily:
    """A parametric family of laws in p = 2, as empirical laws of fixed draws (module doc).

    Attributes
    ----------
    name : str
    parameters : tuple of str
        The unconstrained coordinates, in order.
    start : tuple of float
        A member to start from (the standard Gaussian where the family has it).
    transform : callable (theta (d,), uniforms (n, 3)) -> atoms (n, 2)
    """

    name: str
    parameters: tuple[str, ...]
    start: tuple[float, ...]
    transform: Callable[[np.ndarray, np.ndarray], np.ndarray]

    def law(self, theta, noise: np.ndarray) -> Empirical:
        """The member at ``theta`` on the draws ``noise`` (:func:`family_noise`).

        Examples
        --------
        >>> from verify.laws.families import get_family, family_noise
        >>> fam = get_family("anisotropic-gaussian")
        >>> law = fam.law(fam.start, family_noise(0))
        >>> law.p, law.k, law.support().shape
        (2, 1, (64, 1, 2))
        """
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (len(self.parameters),) or not np.all(np.isfinite(theta)):
            raise InvalidArgument("theta", f"{self.name} takes {len(self.parameters)} finite parameters "
                                           f"{self.parameters}, got {theta.tolist()}")
        atoms = self.transform(theta, noise)
        where = ", ".join(f"{n}={v:.4g}" for n, v in zip(self.parameters, theta, strict=True))
        return Empirical(atoms, source=f"{self.name}({where}): {atoms.shape[0]} seeded draws")


FAMILIES: dict[str, LawFamily] = {
    f.name: f
    for f in (
        LawFamily("anisotropic-gaussian", ("ln_s1", "ln_s2", "psi"), (0.0, 0.0, 0.0), _anisotropic_gaussian),
        LawFamily("student-t", ("ln_nu_minus_2", "ln_s1", "ln_s2", "psi"), (0.0, 0.0, 0.0, 0.0), _student_t),
        LawFamily("gaussian-mixture", ("logit_weight", "m", "psi", "ln_s_plus", "ln_s_minus"),
                  (0.0, 1.0, 0.0, -0.5, -0.5), _gaussian_mixture),
    )
}


def get_family(name: str) -> LawFamily:
    """The family of this name (InvalidArgument, listing the known names, for an unknown one)."""
    try:
        return FAMILIES[name]
    except KeyError:
        raise InvalidArgument("family", f"unknown law family {name!r}; known: {', '.join(FAMILIES)}") from None

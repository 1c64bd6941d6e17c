"""The hypotheses of Theorems A.1 and A.2 read from a law's attributes, and a default law for their checks.

Used by the checks of thm-a1-beta-rotinv and thm-a2-beta-gaussian (is the law
theirs?) and by the gradient bounds of Theorem 2.2 (which also read β = 1 and
β = p where those theorems apply): docs/claims.md §4, §5.
"""
from __future__ import annotations

import math
from typing import Any

__all__ = ["is_unit_rotational", "is_standard_gaussian", "with_default_law"]


def is_unit_rotational(dist: Any) -> bool:
    """Theorem A.1's hypothesis from the law's attributes: rotationally invariant, k = 1, and ‖Z‖ = 1 a.s.

    ‖Z‖ = 1 almost surely iff E‖Z‖ = E‖Z‖² = 1 (then Var‖Z‖ = 0), read from
    ``first_radial_moment`` and ``second_radial_moment`` (docs/claims.md §5).

    Examples
    --------
    >>> from verify.laws.builtin import Gaussian, Sphere
    >>> is_unit_rotational(Sphere(3)), is_unit_rotational(Gaussian(3))
    (True, False)
    """
    return (
        getattr(dist, "k", 1) == 1
        and getattr(dist, "symmetry", None) == "rotational"
        and getattr(dist, "first_radial_moment", None) == 1.0
        and getattr(dist, "second_radial_moment", None) == 1.0
    )


def is_standard_gaussian(dist: Any) -> bool:
    """Theorem A.2's hypothesis from the law's attributes: Z ~ N(0, I_p).

    A rotationally invariant one-patch law is N(0, I_p) when its radius is
    χ_p-distributed; the attributes pin its first two moments, E‖Z‖² = p and
    E‖Z‖ = √2 Γ((p+1)/2)/Γ(p/2) (checked to 1e-12 relative), which is what any
    law declaring itself Gaussian declares (docs/claims.md §5).

    Examples
    --------
    >>> from verify.laws.builtin import Gaussian, Sphere
    >>> is_standard_gaussian(Gaussian(4)), is_standard_gaussian(Sphere(4))
    (True, False)
    """
    p = getattr(dist, "p", None)
    if p is None or getattr(dist, "k", 1) != 1 or getattr(dist, "symmetry", None) != "rotational":
        return False
    second, first = getattr(dist, "second_radial_moment", None), getattr(dist, "first_radial_moment", None)
    if second is None or first is None:
        return False
    chi_mean = math.sqrt(2) * math.exp(math.lgamma((p + 1) / 2) - math.lgamma(p / 2))
    return math.isclose(second, p, rel_tol=1e-12) and math.isclose(first, chi_mean, rel_tol=1e-12)


def with_default_law(instance: dict, name: str) -> dict:
    """The instance, given the law ``name`` in dimension ``p`` (3 by default) when it names no law.

    Examples
    --------
    >>> with_default_law({"p": 5}, "sphere")["distribution"]
    {'name': 'sphere', 'p': 5}
    """
    if instance.get("dist") is None and "distribution" not in instance:
        return {**instance, "distribution": {"name": name, "p": int(instance.get("p", 3))}}
    return instance

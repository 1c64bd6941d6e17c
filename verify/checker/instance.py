"""Reading a claim's instance: vectors, the default student, the instance as reported.

An instance is a dict of the keys a check reads (``dist`` or
``distribution``, ``w_star``, ``w``, ``eta``, ``phi``, ``seed``, ``n``, …);
:class:`Instance` is the same as a dataclass.  The helpers here are shared by
the claim modules of :mod:`verify.claims`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..geometry import basis_vector
from ..jsonio import jsonable
from ..validation import InvalidArgument, check_count
from .context import InstanceContext
from .findings import Outside

__all__ = ["Instance", "default_student", "distance_inside_ball", "draws", "margin_scale", "public_instance",
           "student", "teacher_and_student", "vector"]

#: Keys that hold a law or its data: reported through the law's description, not as given.
_LAW_KEYS = ("dist", "distribution", "data")


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
        Step size.
    phi : float, optional
        Angle in radians.
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


def vector(instance: dict, key: str, p: int) -> np.ndarray | None:
    """``instance[key]`` as a finite float vector of length p (None when absent)."""
    x = instance.get(key)
    if x is None:
        return None
    arr = np.asarray(x, dtype=float)
    if arr.shape != (p,) or not np.all(np.isfinite(arr)):
        raise InvalidArgument(key, f"must be a finite vector of length p={p}, got shape {arr.shape}")
    return arr


def default_student(ctx: InstanceContext, ratio: float = 0.5) -> np.ndarray:
    """w* + ratio·‖w*‖·v with v a seeded uniform unit vector: a point inside the ball of Theorem 2.2."""
    rng = np.random.default_rng([ctx.seed or 0, 99])
    v = rng.standard_normal(ctx.p)
    v /= np.linalg.norm(v)
    return ctx.w_star + ratio * ctx.norm_star * v


def student(instance: dict, ctx: InstanceContext, ratio: float, key: str = "w") -> np.ndarray:
    """The student ``instance[key]``, shape (p,), or :func:`default_student` at ``ratio``·‖w*‖ when absent.

    Examples
    --------
    >>> from verify.checker.context import ConstantsCache
    >>> ctx = InstanceContext({"distribution": {"name": "gaussian", "p": 2}}, ConstantsCache())
    >>> student({"w": [0.5, 0.0]}, ctx, 0.5).tolist()
    [0.5, 0.0]
    >>> round(float(np.linalg.norm(student({}, ctx, 0.3) - ctx.w_star)), 12)
    0.3
    """
    w = vector(instance, key, ctx.p)
    return default_student(ctx, ratio) if w is None else w


def distance_inside_ball(w: np.ndarray, w_star: np.ndarray, inst: dict, label: str = "w") -> float:
    """‖w − w*‖ for w, w* of shape (p,), raising :class:`Outside` unless ‖w − w*‖ < ‖w*‖: the ball of
    Theorems 2.2 and 3.1 (docs/claims.md §4 claims 5–8, 11, 12), the hypothesis named by ``label``.

    Examples
    --------
    >>> distance_inside_ball(np.array([0.6, 0.0]), np.array([1.0, 0.0]), {})
    0.4
    >>> distance_inside_ball(np.array([-1.0, 0.0]), np.array([1.0, 0.0]), {}, "w0")
    Traceback (most recent call last):
    ...
    verify.checker.findings.Outside: needs ‖w0 − w*‖ < ‖w*‖
    """
    r = float(np.linalg.norm(w - w_star))
    if not r < float(np.linalg.norm(w_star)):
        raise Outside(f"needs ‖{label} − w*‖ < ‖w*‖", inst)
    return r


def teacher_and_student(instance: dict, p: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(w*, w) of an instance without a law: w* defaults to e₁ in R^p, w to a seeded point at 0.9‖w*‖."""
    w_star = instance.get("w_star")
    if w_star is None:
        w_star = basis_vector(int(instance.get("p", p or 3)), 0)
    w_star = np.asarray(w_star, dtype=float)
    if w_star.ndim != 1 or not np.all(np.isfinite(w_star)) or not np.any(w_star):
        raise InvalidArgument("w_star", "must be a finite non-zero vector")
    w = instance.get("w")
    if w is None:
        rng = np.random.default_rng([int(instance.get("seed", 0) or 0), 99])
        v = rng.standard_normal(w_star.shape[0])
        w = w_star + 0.9 * np.linalg.norm(w_star) * v / np.linalg.norm(v)
    return w_star, vector({"w": w}, "w", w_star.shape[0])


def margin_scale(value: float, natural: float) -> float:
    """|value| unless it is negligible against the natural size of the quantity."""
    return abs(value) if abs(value) >= 1e-3 * natural else natural


def public_instance(instance: dict, ctx: InstanceContext | None = None, **extra: Any) -> dict:
    """The instance as reported: the law by its description, every other key as given, plus ``extra``."""
    out = {k: v for k, v in instance.items() if k not in _LAW_KEYS}
    if ctx is not None and ctx.dist is not None:
        out.update(ctx.describe())
    out.update(extra)
    return jsonable(out)


def draws(ctx: InstanceContext, instance: dict) -> np.ndarray:
    """The finite law's atoms, or ``samples`` seeded draws of the law: shape (m, k, p)."""
    if ctx.atoms is not None:
        return ctx.atoms
    m = check_count(instance.get("samples", 2000), "samples")
    return np.asarray(ctx.dist.sample(m, np.random.default_rng([ctx.seed or 0, 1])), dtype=float)

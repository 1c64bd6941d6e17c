"""Step-size rules η_t of (S)GD: constant, two-stage and adaptive (docs/claims.md §4, claims 7–8).

A step rule is called as ``rule(t, phi)`` with the step index t and, per run,
φ_t = arcsin(min(1, ‖w_t − w*‖/‖w*‖)) (:func:`step_angle`, as in Theorem 2.2,
docs/claims.md §4 claim 7); it returns one positive η_t per run.

* :class:`ConstantStep` — η;
* :class:`TwoStageStep` — η₁ for t < t_switch, then η₂ (the two-stage schedule
  of claim 8);
* :class:`AdaptiveStep` — η_t = rule(φ_t);
* :func:`step_bound` — the step-size bound η(φ) of Theorem 2.2 (k = 1) and Theorem 3.1
  (k > 1), at every φ of an array: the one home of that formula;
* :func:`theorem22_step` — the adaptive rule η_t = γ(φ_t)/(2(L(φ_t) + 4β)²) of
  claim 8, from γ, L and β;
* :func:`as_step_rule` — a rule from a number, a callable of φ or a rule.

:func:`verify.dynamics.descent.gradient_descent` and :func:`verify.dynamics.sgd.sgd`
accept any of these as their ``step``.

Examples
--------
>>> import numpy as np
>>> TwoStageStep(0.5, 0.1, t_switch=10)(12, np.zeros(2)).tolist()
[0.1, 0.1]
>>> as_step_rule(0.2).describe()
{'rule': 'constant', 'eta': 0.2}
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike

from ..validation import InvalidArgument, check_count, check_positive

__all__ = [
    "StepRule",
    "ConstantStep",
    "TwoStageStep",
    "AdaptiveStep",
    "step_bound",
    "theorem22_step",
    "as_step_rule",
    "step_angle",
]


class StepRule:
    """η_t as a function of the step index t and φ_t (one value per run).

    ``rule(t, phi)`` with ``phi`` an ndarray (R,) returns an ndarray (R,) of
    positive step sizes.  A rule that does not read φ sets ``reads_angle = False``: the
    dynamics then skip computing φ_t (one norm and one arcsin per step) and pass NaN.
    """

    reads_angle: bool = True

    def __call__(self, t: int, phi: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class ConstantStep(StepRule):
    """η_t = eta for every t (the constant step of docs/claims.md §4, claim 8)."""

    eta: float
    reads_angle = False

    def __post_init__(self):
        object.__setattr__(self, "eta", check_positive(self.eta, "eta"))

    def __call__(self, t, phi):
        return np.full(np.shape(phi), self.eta)

    def describe(self):
        return {"rule": "constant", "eta": self.eta}


@dataclass(frozen=True)
class TwoStageStep(StepRule):
    """η_t = eta1 for t < t_switch, eta2 afterwards (the two-stage schedule of docs/claims.md §4, claim 8)."""

    eta1: float
    eta2: float
    t_switch: int
    reads_angle = False

    def __post_init__(self):
        object.__setattr__(self, "eta1", check_positive(self.eta1, "eta1"))
        object.__setattr__(self, "eta2", check_positive(self.eta2, "eta2"))
        object.__setattr__(self, "t_switch", check_count(self.t_switch, "t_switch", minimum=0))

    def __call__(self, t, phi):
        return np.full(np.shape(phi), self.eta1 if t < self.t_switch else self.eta2)

    def describe(self):
        return {"rule": "two-stage", "eta1": self.eta1, "eta2": self.eta2, "t_switch": self.t_switch}


@dataclass(frozen=True)
class AdaptiveStep(StepRule):
    """η_t = rule(φ_t), φ_t = arcsin(min(1, ‖w_t − w*‖/‖w*‖)) (docs/claims.md §4, claims 7–8).

    Attributes
    ----------
    rule : callable
        Takes an ndarray of angles (R,) in [0, π/2] and returns step sizes of
        the same shape (or a scalar).  With ``vectorized=False`` it is called
        once per run with a float.
    label : str
        Name recorded in the trajectory's parameters.
    """

    rule: Callable[[np.ndarray], Any]
    label: str = "adaptive"
    vectorized: bool = True

    def __post_init__(self):
        if not callable(self.rule):
            raise InvalidArgument("step", f"an adaptive rule must be callable, got {self.rule!r}")

    def __call__(self, t, phi):
        phi = np.asarray(phi, dtype=float)
        if self.vectorized:
            eta = np.asarray(self.rule(phi), dtype=float)
        else:
            eta = np.array([float(self.rule(float(x))) for x in phi.ravel()]).reshape(phi.shape)
        eta = np.broadcast_to(eta, phi.shape).astype(float)
        if not np.all(np.isfinite(eta)) or np.any(eta <= 0):
            bad = eta[~(np.isfinite(eta) & (eta > 0))][0]
            raise InvalidArgument("step", f"adaptive rule {self.label!r} gave a step size {bad!r} at step {t} "
                                          "(must be finite and > 0)")
        return eta

    def describe(self):
        return {"rule": "adaptive", "label": self.label}


def step_bound(gamma: ArrayLike, L: ArrayLike, beta: float, L_cross: float = 0.0) -> np.ndarray:
    """The step-size bound η(φ) at each φ: Theorem 2.2 (k = 1) and Theorem 3.1 (k > 1).

    η(φ) = (γ(φ) − 6·L_cross) / (2·(L(φ) + 10·L_cross + 4β)²)  (docs/claims.md §4, claims 7–8 and
    the Theorem 3.1 claims; [Du et al. 2018, Theorems 2.2 and 3.1]).  With ``L_cross = 0`` (one
    patch, where the cross moments vanish) it is Theorem 2.2's γ(φ)/(2(L(φ) + 4β)²), bit for bit.
    The theorems' η_max(φ_t) is the minimum of this over 0 ≤ φ ≤ φ_t: the caller takes it over
    its grid of angles.

    Parameters
    ----------
    gamma, L : float or array_like (G,)
        γ(φ) and L(φ) of Definition 2.1 at the angles (broadcast against each other).
    beta : float
        β of Assumption 2.1.
    L_cross : float
        L_cross of Assumption 3.2 (0 for k = 1).

    Returns
    -------
    ndarray (G,) (0-d for scalar input)
        Where the denominator is 0 the bound is +inf if the numerator is positive, else −inf.

    Examples
    --------
    >>> float(step_bound(0.25, 0.5, 1 / math.pi)) == 0.25 / (2 * (0.5 + 4 / math.pi) ** 2)
    True
    >>> step_bound([0.3, 0.2], [0.4, 0.5], 0.1, L_cross=0.01).round(5).tolist()
    [0.14815, 0.07]
    """
    gamma, L = np.asarray(gamma, dtype=float), np.asarray(L, dtype=float)
    numerator = gamma - 6 * L_cross
    denominator = L + 10 * L_cross + 4 * beta
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = numerator / (2 * denominator**2)
    return np.where(denominator == 0, np.where(numerator > 0, math.inf, -math.inf), ratio)


def theorem22_step(gamma: Callable, L: Callable, beta: float, label: str = "theorem-2.2") -> AdaptiveStep:
    """The adaptive step of docs/claims.md §4, claim 8: η_t = γ(φ_t) / (2 (L(φ_t) + 4β)²).

    Parameters
    ----------
    gamma, L : callable
        γ(φ) and L(φ) of Definition 2.1, each taking an ndarray of angles (R,)
        and returning an ndarray (R,).
    beta : float
        β of Assumption 2.1 (> 0).
    """
    beta = check_positive(beta, "beta")
    for name, fn in (("gamma", gamma), ("L", L)):
        if not callable(fn):
            raise InvalidArgument(name, f"must be callable, got {fn!r}")

    def rule(phi):
        return step_bound(gamma(phi), L(phi), beta)

    return AdaptiveStep(rule, label=f"{label} (beta={beta:.6g})")


def as_step_rule(step) -> StepRule:
    """A :class:`StepRule` from a rule, a positive number (constant step) or a callable of φ (adaptive)."""
    if isinstance(step, StepRule):
        return step
    if callable(step):
        return AdaptiveStep(step)
    return ConstantStep(step)


def step_angle(W: np.ndarray, w_star: np.ndarray) -> np.ndarray:
    """φ_t = arcsin(min(1, ‖w_t − w*‖/‖w*‖)) per run: the angle a step rule sees (docs/claims.md §4, claim 7).

    Parameters
    ----------
    W : ndarray (R, p)
        The current iterates, one row per run.
    w_star : ndarray (p,) or (R, p)
        The teacher, or one per run.

    Returns
    -------
    ndarray (R,)
        In [0, π/2]; a run whose distance is not finite gets π/2.

    Examples
    --------
    >>> import numpy as np
    >>> float(step_angle(np.array([[1.0, 0.5]]), np.array([1.0, 0.0]))[0]) == float(np.arcsin(0.5))
    True
    """
    ratio = np.linalg.norm(W - w_star, axis=1) / np.linalg.norm(w_star, axis=-1)
    return np.arcsin(np.minimum(np.nan_to_num(ratio, nan=1.0), 1.0))

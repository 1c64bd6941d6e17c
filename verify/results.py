"""Estimates that carry their own error: the one result type of the library.

Every number the library reports is an :class:`Estimate` (a scalar) or a
:class:`ArrayEstimate` (a vector or matrix with entry-wise errors).  Each says what its
error *means*:

``"standard-error"``
    the standard error of a (batch-)mean estimator; a two-sided interval of
    confidence ``c`` is ``value ± t_{dof}((1+c)/2) · error`` (``dof=None`` means
    the normal quantile).
``"absolute-bound"``
    ``|value − truth| ≤ error`` (quadrature bound, floating-point analysis).
``"exact"``
    closed form evaluated in floating point; ``error`` is a rounding bound.

and which way the value may sit from the true quantity (``kind``):
``"exact"``/``"estimate"`` (unbiased up to the error), or ``"upper-bound"`` /
``"lower-bound"`` when the value is *by construction* on one side of the truth
(a minimum over directions found by search is an upper bound on the true
minimum).

``warnings`` lists what the error checks of docs/error-bars.md found, as short
stable strings that start with a code (``"heavy-tails: …"``, ``"qmc-lumpy: …"``);
empty when all is well.  A warning means the default error rule was replaced
by the one the warning names; it is carried to every estimate derived from
this one.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from .jsonio import dumps, json_number

__all__ = ["Estimate", "ArrayEstimate", "ERROR_KINDS", "KINDS", "merge_warnings"]

ERROR_KINDS = ("standard-error", "absolute-bound", "exact")
KINDS = ("exact", "estimate", "upper-bound", "lower-bound")


def merge_warnings(*sources: Any) -> tuple[str, ...]:
    """The union of the warnings of estimates (or of tuples of strings), first occurrence first.

    Examples
    --------
    >>> a = Estimate(1.0, 0.1, "standard-error", "mc", warnings=("heavy-tails: x",))
    >>> merge_warnings(a, ("qmc-lumpy: y", "heavy-tails: x"))
    ('heavy-tails: x', 'qmc-lumpy: y')
    """
    out: dict[str, None] = {}
    for src in sources:
        items = getattr(src, "warnings", src)
        for w in items or ():
            out[str(w)] = None
    return tuple(out)


def _warnings_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise ValueError("warnings must be a sequence of strings, not one string")
    return tuple(str(w) for w in (value or ()))


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")


@dataclass(frozen=True)
class Estimate:
    """A scalar with its error, the method that produced it and how to reproduce it.

    Attributes
    ----------
    value : float
    error : float
        Non-negative; its meaning is given by ``error_kind``.
    error_kind : {"standard-error", "absolute-bound", "exact"}
    method : str
        ``"exact"``, ``"quad"``, ``"mpmath"``, ``"mc"`` or ``"qmc"``.
    n : int or None
        Number of samples (or quadrature nodes) behind the value.
    seed : int or None
    kind : {"exact", "estimate", "upper-bound", "lower-bound"}
        Which side of the true quantity the value may lie on (see module doc).
    dof : int or None
        Degrees of freedom of a standard error (batches or replicates − 1);
        ``None`` for the normal limit.
    warnings : tuple of str
        What a reader must know to trust the value (e.g. the evidence that a
        constant is infinite, or a search whose restarts disagree); empty by default.
    search : dict or None
        For a value found by searching directions/angles: the search budget
        (directions tried, refinements, restarts), the spread between restarts
        and the gap between the pilot's choice and the final estimate
        (JSON-serialisable; not part of equality or hashing).
    """

    value: float
    error: float
    error_kind: str
    method: str
    n: int | None = None
    seed: int | None = None
    kind: str = "estimate"
    dof: int | None = None
    warnings: tuple[str, ...] = ()
    search: dict[str, Any] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        _check_choice("error_kind", self.error_kind, ERROR_KINDS)
        _check_choice("kind", self.kind, KINDS)
        object.__setattr__(self, "warnings", _warnings_tuple(self.warnings))
        object.__setattr__(self, "value", float(self.value))
        object.__setattr__(self, "error", float(self.error))
        if not (self.error >= 0):
            raise ValueError(f"error must be >= 0, got {self.error}")

    # -- reading the error -------------------------------------------------
    def half_width(self, confidence: float = 0.95) -> float:
        """Half-width of the two-sided interval at ``confidence``.

        Notes
        -----
        For a standard error this is ``t_{dof}((1+c)/2) · error`` (normal
        quantile when ``dof`` is None); for a bound or an exact value it is the
        error itself, whatever the confidence.
        """
        if self.error_kind != "standard-error":
            return self.error
        q = (1.0 + confidence) / 2.0
        mult = stats.norm.ppf(q) if self.dof is None else stats.t.ppf(q, self.dof)
        return float(mult * self.error)

    def interval(self, confidence: float = 0.95) -> tuple[float, float]:
        h = self.half_width(confidence)
        return (self.value - h, self.value + h)

    def z_score(self, reference: float) -> float:
        """(value − reference) / error; ±inf when error is 0 and they differ."""
        diff = self.value - float(reference)
        if self.error == 0:
            return 0.0 if diff == 0 else math.copysign(math.inf, diff)
        return diff / self.error

    def replace(self, **changes: Any) -> "Estimate":
        data = asdict(self)
        data.update(changes)
        return Estimate(**data)

    def scaled(self, factor: float) -> "Estimate":
        """The estimate of ``factor · quantity`` (errors scale by ``|factor|``)."""
        kind = self.kind
        if factor < 0 and kind in ("upper-bound", "lower-bound"):
            kind = "lower-bound" if kind == "upper-bound" else "upper-bound"
        return self.replace(value=self.value * factor, error=self.error * abs(factor), kind=kind)

    # -- serialisation -----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain data; ``warnings`` is a list, always present (empty when all is well)."""
        data = asdict(self)
        data["warnings"] = list(self.warnings)
        return data

    def to_json(self) -> str:
        """Strict JSON (non-finite numbers as "nan"/"inf"/"-inf", :mod:`verify.jsonio`), keys sorted."""
        return dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Estimate":
        """Inverse of :meth:`to_dict`, also for its JSON form (non-finite strings read back as floats)."""
        data = dict(data)
        for key in ("value", "error"):
            data[key] = json_number(data[key])
        data["warnings"] = _warnings_tuple(data.get("warnings"))
        return cls(**data)

    def __str__(self) -> str:
        n = "" if self.n is None else f", n={self.n:.3g}"
        tag = {"standard-error": "±", "absolute-bound": "±≤", "exact": "±"}[self.error_kind]
        side = "" if self.kind in ("exact", "estimate") else f" [{self.kind}]"
        flag = "" if not self.warnings else " !" + ", ".join(w.split(":")[0] for w in self.warnings)
        return f"{self.value:.6g} {tag} {self.error:.2g} ({self.method}{n}){side}{flag}"


@dataclass(frozen=True)
class ArrayEstimate:
    """A matrix with entry-wise errors (same meaning as :class:`Estimate`).

    Attributes
    ----------
    value, error : ndarray, shape (p, q)
    warnings : tuple of str
        As for :class:`Estimate`; a warning on any entry is a warning of the array.
    """

    value: np.ndarray = field(repr=False)
    error: np.ndarray = field(repr=False)
    error_kind: str
    method: str
    n: int | None = None
    seed: int | None = None
    dof: int | None = None
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_choice("error_kind", self.error_kind, ERROR_KINDS)
        object.__setattr__(self, "warnings", _warnings_tuple(self.warnings))
        value = np.array(self.value, dtype=float)
        error = np.broadcast_to(np.asarray(self.error, dtype=float), value.shape).copy()
        value.setflags(write=False)
        error.setflags(write=False)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "error", error)

    def __getitem__(self, index) -> "ArrayEstimate":
        """The sub-array ``value[index]`` with its errors (e.g. one φ of a curve)."""
        return ArrayEstimate(self.value[index], self.error[index], self.error_kind, self.method, self.n,
                             self.seed, self.dof, self.warnings)

    def z_scores(self, reference) -> np.ndarray:
        """Entry-wise (value − reference)/error (±inf where error is 0 and they differ)."""
        diff = self.value - np.asarray(reference, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = diff / self.error
        return np.where(self.error == 0, np.where(diff == 0, 0.0, np.copysign(np.inf, diff)), z)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value.tolist(),
            "error": self.error.tolist(),
            "error_kind": self.error_kind,
            "method": self.method,
            "n": self.n,
            "seed": self.seed,
            "dof": self.dof,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ArrayEstimate":
        """Inverse of :meth:`to_dict` (non-finite strings read back as floats).

        Examples
        --------
        >>> a = ArrayEstimate(np.eye(2), 0.1, "standard-error", "qmc", 64, 0, 31, ("qmc-lumpy: x",))
        >>> b = ArrayEstimate.from_dict(a.to_dict())
        >>> b.warnings, bool(np.array_equal(b.value, a.value))
        (('qmc-lumpy: x',), True)
        """
        data = dict(data)
        for key in ("value", "error"):
            data[key] = np.vectorize(json_number, otypes=[float])(np.asarray(data[key], dtype=object))
        data["warnings"] = _warnings_tuple(data.get("warnings"))
        return cls(**data)

    def __repr__(self) -> str:
        flag = "" if not self.warnings else ", warnings=" + "!" + ",".join(w.split(":")[0] for w in self.warnings)
        return (f"ArrayEstimate(shape={self.value.shape}, max_error={self.error.max():.2g}, "
                f"method={self.method!r}, n={self.n}, seed={self.seed}{flag})")

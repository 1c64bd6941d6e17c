"""Input validation, in one place.

Every public function checks its arguments through these helpers, so a bad
argument always fails the same way: :class:`InvalidArgument` (a ``ValueError``)
whose one-line message starts with the argument's name.  The command line turns
it into one line on stderr and exit status 2.
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

__all__ = [
    "InvalidArgument",
    "check_dimension",
    "check_angle",
    "check_angles",
    "check_count",
    "check_vector",
    "check_finite_array",
    "check_positive",
    "check_real",
    "check_seed",
]


class InvalidArgument(ValueError):
    """A user-supplied argument is unusable; ``str(err)`` names the argument."""

    def __init__(self, argument: str, problem: str):
        self.argument = argument
        super().__init__(f"{argument}: {problem}")


def check_dimension(p, name: str = "p", minimum: int = 2) -> int:
    """An integer dimension ≥ ``minimum``."""
    if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
        if isinstance(p, float) and p.is_integer():
            p = int(p)
        else:
            raise InvalidArgument(name, f"must be an integer, got {p!r}")
    if p < minimum:
        raise InvalidArgument(name, f"must be >= {minimum}, got {p}")
    return int(p)


def check_count(n, name: str = "n", minimum: int = 1) -> int:
    """A sample count: an integer ≥ ``minimum``."""
    return check_dimension(n, name=name, minimum=minimum)


def check_real(x, name: str) -> float:
    """A finite real number (anything ``float`` accepts)."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        raise InvalidArgument(name, f"must be a real number, got {x!r}") from None
    if not math.isfinite(x):
        raise InvalidArgument(name, f"must be finite, got {x}")
    return x


def check_positive(x, name: str, allow_zero: bool = False) -> float:
    """A finite real number > 0 (≥ 0 with ``allow_zero``)."""
    x = check_real(x, name)
    if x < 0 or (x == 0 and not allow_zero):
        raise InvalidArgument(name, f"must be {'>= 0' if allow_zero else '> 0'}, got {x}")
    return x


def check_angle(phi, name: str = "phi", upper: float = math.pi) -> float:
    """An angle in [0, upper] (radians)."""
    phi = check_real(phi, name)
    if not (0.0 <= phi <= upper):
        raise InvalidArgument(name, f"must lie in [0, {upper:.6g}], got {phi}")
    return phi


def check_angles(phis, name: str = "phi", upper: float = math.pi) -> np.ndarray:
    """A non-empty 1-D array of angles in [0, upper]."""
    arr = np.atleast_1d(np.asarray(phis, dtype=float))
    if arr.ndim != 1 or arr.size == 0:
        raise InvalidArgument(name, "must be a non-empty list of angles")
    for x in arr:
        check_angle(x, name=name, upper=upper)
    return arr


def check_finite_array(a, name: str, ndim: Iterable[int] | None = None) -> np.ndarray:
    """A finite float array with one of the allowed numbers of dimensions."""
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        raise InvalidArgument(name, "must be a numeric array") from None
    if ndim is not None and arr.ndim not in tuple(ndim):
        raise InvalidArgument(name, f"must have {' or '.join(map(str, ndim))} dimensions, got shape {arr.shape}")
    if arr.size == 0:
        raise InvalidArgument(name, "must not be empty")
    if not np.all(np.isfinite(arr)):
        raise InvalidArgument(name, "contains NaN or infinite entries")
    return arr


def check_vector(v, name: str, p: int | None = None, nonzero: bool = True) -> np.ndarray:
    """A finite 1-D vector (of length ``p``), non-zero when an angle needs it."""
    arr = check_finite_array(v, name, ndim=(1,))
    if p is not None and arr.shape[0] != p:
        raise InvalidArgument(name, f"must have length p={p}, got {arr.shape[0]}")
    if nonzero and not np.any(arr):
        raise InvalidArgument(name, "must be non-zero (its direction is needed)")
    return arr


def check_seed(seed) -> int | None:
    """A seed for :func:`numpy.random.default_rng`: None or a non-negative int."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidArgument("seed", f"must be a non-negative integer, got {seed!r}")
    return int(seed)

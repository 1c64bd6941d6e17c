"""Lazy access to python-flint's ``arb`` balls, and the interval helpers every certificate uses.

docs/claims.md §6 (the closed forms certified here) and docs/certify.md (the method).
``flint`` is imported only when a certificate is computed, so ``import verify`` and
``import verify.certify`` work without the optional ``certify`` extra.

An ``arb`` is a ball [m ± r] that is guaranteed to contain the exact value of the real
expression it was computed from (Arb's rounding is outward).  Everything below keeps
that guarantee: floats leave a ball only through :func:`floor_float` / :func:`ceil_float`,
which round outward, and the special-function enclosures below are series with a
rigorous remainder.
"""
from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

__all__ = [
    "alternating_series",
    "atanc",
    "ball",
    "ceil_float",
    "flint",
    "floor_float",
    "have_flint",
    "render",
    "sinm",
    "working_precision",
]

_MISSING = "python-flint is not installed: `pip install python-flint` (the `certify` extra)"


def flint() -> Any:
    """The ``flint`` module, imported on first use (docs/certify.md, "Requirements").

    Raises
    ------
    ImportError
        With the install hint when python-flint is missing.
    """
    try:
        import flint as _flint
    except ImportError as exc:  # pragma: no cover - exercised only without flint
        raise ImportError(_MISSING) from exc
    return _flint


def have_flint() -> bool:
    """Whether python-flint can be imported (docs/certify.md).

    Examples
    --------
    >>> isinstance(have_flint(), bool)
    True
    """
    try:
        flint()
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def working_precision(bits: int) -> Iterator[None]:
    """Run a block at ``bits`` of Arb precision, restoring the global setting after (docs/certify.md)."""
    ctx = flint().ctx
    old = ctx.prec
    ctx.prec = max(int(bits), old)
    try:
        yield
    finally:
        ctx.prec = old


def ball(lo: float, hi: float | None = None) -> Any:
    """An ``arb`` containing the closed interval [lo, hi] (a point when ``hi`` is None).

    The endpoints are floats, hence exact dyadic numbers; the ball may be very slightly
    wider than [lo, hi] (Arb stores radii with 30 bits), never narrower.
    """
    arb = flint().arb
    if hi is None or hi == lo:
        return arb(lo)
    return arb(lo).union(arb(hi))


def floor_float(x: Any) -> float:
    """The largest float ≤ every point of the ball ``x`` (rounded DOWN; −inf if unbounded)."""
    arb = flint().arb
    low = x.lower()
    if not low.is_finite():
        return -math.inf
    value = float(low)
    while arb(value) > low:
        value = math.nextafter(value, -math.inf)
    return value


def ceil_float(x: Any) -> float:
    """The smallest float ≥ every point of the ball ``x`` (rounded UP; +inf if unbounded)."""
    arb = flint().arb
    high = x.upper()
    if not high.is_finite():
        return math.inf
    value = float(high)
    while arb(value) < high:
        value = math.nextafter(value, math.inf)
    return value


def render(x: Any) -> str:
    """A ball as "[lo, hi]" with outward-rounded float endpoints (17 significant digits).

    Examples
    --------
    >>> if have_flint():
    ...     print(render(flint().arb.pi() ** -1))
    ... else:
    ...     print("[0.3183098861837905, 0.31830988618379075]")
    [0.3183098861837905, 0.31830988618379075]
    """
    return f"[{floor_float(x)!r}, {ceil_float(x)!r}]"


def alternating_series(terms: list[Any]) -> Any:
    """Σ terms + a remainder between 0 and the next term, for an alternating series whose
    terms decrease in modulus: the caller passes the first n terms and the (n+1)-th.

    ``terms[:-1]`` are summed; ``terms[-1]`` (the first omitted term, with its sign) bounds
    the tail: the tail lies between 0 and it (Leibniz).  Works for ``arb`` balls.
    """
    total = sum(terms[:-1], start=0 * terms[0])
    last = terms[-1]
    return total + (0 * last).union(last)


def sinm(x: Any, n: int = 12) -> Any:
    """(x − sin x)/x³ for a ball x with |x| ≤ 4, analytic at 0 (value 1/6).

    Series Σ_{k≥0} (−1)^k x^{2k}/(2k+3)!: for x² ≤ 16 < 4·5 the terms decrease in modulus
    from the first on, so the tail after n terms lies between 0 and the (n+1)-th term
    (:func:`alternating_series`).  With n = 12 and |x| ≤ 4 the tail is < 4²⁴/27! < 3e-14.
    Used for the 0/0-free gradient forms of docs/claims.md §6.3.
    """
    arb = flint().arb
    if not (abs(x) < 4):
        raise ValueError("sinm needs |x| < 4")
    x2 = x * x
    terms, term = [], arb(1) / 6
    for k in range(n + 1):
        terms.append(term)
        term = -term * x2 / ((2 * k + 4) * (2 * k + 5))
    return alternating_series(terms)


def atanc(u: Any, n: int = 30) -> Any:
    """atan(u)/u for a ball u ≥ 0 (value 1 at 0), analytic at 0.

    For u with lower bound > ¼ the quotient is computed directly.  Otherwise u ≤ ½ is
    required and the series Σ (−1)^k u^{2k}/(2k+1) is used: its terms decrease in
    modulus for |u| ≤ 1, so the tail after n terms lies between 0 and the next term;
    with n = 30 and u ≤ ½ the tail is < 4⁻³⁰/61 < 2e-20.
    """
    if u.lower() > 0.25:
        return u.atan() / u
    if not (u < 0.5):
        raise ValueError("atanc: ball too wide")
    u2 = u * u
    terms, power = [], 1 + 0 * u
    for k in range(n + 1):
        terms.append((-1) ** k * power / (2 * k + 1))
        power = power * u2
    return alternating_series(terms)

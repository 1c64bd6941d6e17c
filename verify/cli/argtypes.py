"""The argument types of the command line and the vocabularies they accept.

argparse calls each type while parsing, so nothing runs before every value has
passed; a bad value raises :class:`argparse.ArgumentTypeError`, which the parser
turns into the one line ``verify <subcommand>: <argument>: <problem>``.
"""
from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence

from .limits import PHI_MAX

__all__ = [
    "ESTIMATE_QUANTITIES",
    "METHODS",
    "PER_PHI",
    "integer",
    "one_of",
    "phi_list",
    "quantity_list",
    "real",
]

#: The quantities ``estimate --quantity`` knows, in the order they are printed.
ESTIMATE_QUANTITIES = ("gamma", "L", "L_neg", "beta", "L_cross")
#: The quantities that are functions of the angle φ (one row per ``--phi``).
PER_PHI = ("gamma", "L", "L_neg")
#: ``--method``.
METHODS = ("exact", "quad", "mc", "qmc")


def integer(minimum: int | None = None, maximum: int | None = None, what: str = "an integer") -> Callable[[str], int]:
    """An argparse type: an integer (``12``, ``1e9``, ``1_000``) within [minimum, maximum].

    Examples
    --------
    >>> integer(1)("1e9"), integer(1)("1_000")
    (1000000000, 1000)
    """
    def parse(text: str) -> int:
        value: int | None
        try:
            value = int(text.strip())
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            value = int(number) if math.isfinite(number) and number.is_integer() else None
        if value is None:
            raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}")
        if minimum is not None and value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be <= {maximum:,} (the documented range), got {value:,}")
        return value
    return parse


def real(low: float | None = None, high: float | None = None, open_low: bool = True,
         open_high: bool = True) -> Callable[[str], float]:
    """An argparse type: a finite real number in an interval (open ends by default).

    Examples
    --------
    >>> real(0.0, 1.0)("0.25")
    0.25
    """
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a real number, got {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be finite, got {text!r}")
        below = low is not None and (value <= low if open_low else value < low)
        above = high is not None and (value >= high if open_high else value > high)
        if below or above:
            lo = "" if low is None else f"{'>' if open_low else '>='} {low:g}"
            hi = "" if high is None else f"{'<' if open_high else '<='} {high:g}"
            raise argparse.ArgumentTypeError(f"must be {' and '.join(x for x in (lo, hi) if x)}, got {value:g}")
        return value
    return parse


def phi_list(text: str) -> list[float]:
    """``--phi``: comma-separated angles in [0, π], at most :data:`~verify.cli.limits.PHI_MAX`.

    Examples
    --------
    >>> phi_list("0.5, 1")
    [0.5, 1.0]
    """
    parts = [part.strip() for part in text.split(",")]
    if not any(parts):
        raise argparse.ArgumentTypeError("give at least one angle in radians, in [0, π] (e.g. 0.5,1.0)")
    if len(parts) > PHI_MAX:
        raise argparse.ArgumentTypeError(f"at most {PHI_MAX:,} angles (the documented range), got {len(parts):,}")
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be comma-separated numbers in [0, π], got {part!r}") from None
        if not (0.0 <= value <= math.pi):
            raise argparse.ArgumentTypeError(f"every angle must lie in [0, π] = [0, 3.14159], got {part}")
        values.append(value)
    return values


def quantity_list(text: str) -> list[str]:
    """``--quantity``: comma-separated names of :data:`ESTIMATE_QUANTITIES`.

    Examples
    --------
    >>> quantity_list("gamma,L")
    ['gamma', 'L']
    """
    names = [q.strip() for q in text.split(",") if q.strip()]
    for q in names:
        if q not in ESTIMATE_QUANTITIES:
            raise argparse.ArgumentTypeError(f"unknown quantity {q!r}; choose from {', '.join(ESTIMATE_QUANTITIES)}")
    if not names:
        raise argparse.ArgumentTypeError(f"give at least one quantity of {', '.join(ESTIMATE_QUANTITIES)}")
    return names


def one_of(choices: Sequence[str], what: str) -> Callable[[str], str]:
    """An argparse type: one of ``choices`` (listed in the error).

    Examples
    --------
    >>> one_of(METHODS, "method")("quad")
    'quad'
    """
    def parse(text: str) -> str:
        if text not in choices:
            raise argparse.ArgumentTypeError(f"unknown {what} {text!r}; choose from {', '.join(choices)}")
        return text
    return parse


def debug_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--debug`` to a subparser (absent from its namespace unless typed: the top-level one counts too)."""
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="on an error, print the traceback behind it")

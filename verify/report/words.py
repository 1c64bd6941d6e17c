"""Numbers and values in words, for the page and the text output: one formatter for each.

Significant digits, a true minus sign, ∞ for infinities, arrays cut after :data:`ARRAY_ITEMS`
entries (claims.json has them all), and the closest call of a claim in one sentence.
"""
from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np

__all__ = ["ARRAY_ITEMS", "format_number", "format_value", "is_number", "closest_call_text", "count_of"]

#: Array entries shown before "…"; claims.json has them all.
ARRAY_ITEMS = 6


def format_number(value: Any, digits: int = 4) -> str:
    """A number for the page: ``digits`` significant digits, a true minus sign, ∞ for infinities.

    Examples
    --------
    >>> format_number(3.961659332153907), format_number(-0.5), format_number(12000), format_number("inf")
    ('3.962', '−0.5', '12,000', '∞')
    >>> format_number(1.2345e-13), format_number(-0.0)
    ('1.234e−13', '0')
    """
    if value is None:
        return "—"
    if isinstance(value, str):
        if value.strip().lower() in ("inf", "+inf", "infinity", "-inf", "-infinity", "nan"):
            value = float(value)
        else:
            return value
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}".replace("-", "−")
    v = float(value)
    if not math.isfinite(v):
        return "∞" if v > 0 else ("−∞" if v < 0 else "NaN")
    return f"{v + 0.0:.{digits}g}".replace("-", "−")      # + 0.0: a signed zero reads 0


def is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def format_value(value: Any, items: int = ARRAY_ITEMS) -> str:
    """A field value in one short line: numbers by :func:`format_number`, arrays cut after ``items`` entries.

    Examples
    --------
    >>> format_value([0.50981468, 0.0, -4.3445364])
    '[0.5098, 0, −4.345]'
    >>> format_value([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]], items=3)
    '[1, 2, 3, …] (8 values, shape 4×2)'
    >>> format_value({"name": "sphere", "p": 5})
    'name = sphere, p = 5'
    """
    if isinstance(value, Mapping):
        return ", ".join(f"{k} = {format_value(v, items)}" for k, v in value.items())
    if isinstance(value, (list, tuple, np.ndarray)):
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            parts = [format_value(v, items) for v in list(value)[:items]]
            more = len(value) - items
            return "[" + ", ".join(parts) + (f", … ({more} more)" if more > 0 else "") + "]"
        flat = arr.ravel()
        shown = ", ".join(format_number(x) for x in flat[:items])
        if flat.size <= items and arr.ndim <= 1:
            return f"[{shown}]"
        shape = "×".join(str(n) for n in arr.shape)
        return f"[{shown}{', …' if flat.size > items else ''}] ({flat.size} values, shape {shape})"
    if is_number(value) or value is None:
        return format_number(value)
    return str(value)


def closest_call_text(closest: Any) -> str | None:
    """The closest call in words: how near an instance came to breaking the claim (docs/claims.md §7).

    Examples
    --------
    A margin found by search bounds the smallest margin over all instances from above; the text says so.

    >>> closest_call_text({"margin": 0.012, "margin_error": 1e-15, "evaluations": 710, "refined": 680,
    ...                    "found_by": "refinement", "tightness": 0.98})
    'margin 0.012 ± 1e−15 after 710 evaluations (680 by local refinement, which found it); lhs/rhs there 0.98; the smallest margin over all instances is at most this'
    """
    if not isinstance(closest, Mapping) or not is_number(closest.get("margin")):
        return None
    text = (f"margin {format_number(closest.get('margin'))} ± {format_number(closest.get('margin_error'), 2)} "
            f"after {format_number(closest.get('evaluations'))} evaluations")
    if is_number(closest.get("refined")) and closest.get("refined"):
        found = ", which found it" if closest.get("found_by") == "refinement" else ""
        text += f" ({format_number(closest.get('refined'))} by local refinement{found})"
    if is_number(closest.get("tightness")):
        text += f"; lhs/rhs there {format_number(closest.get('tightness'))}"
    return text + "; the smallest margin over all instances is at most this"


def count_of(n: Any, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it takes: "1 instance", "30 instances", "2 searches".

    Examples
    --------
    >>> count_of(1, "instance"), count_of(30, "instance"), count_of(2, "search", "searches")
    ('1 instance', '30 instances', '2 searches')
    """
    one = is_number(n) and float(n) == 1
    return f"{format_number(n)} {noun if one else (plural or noun + 's')}"

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


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value: Any, digits: int = 2) -> str:
    """A number in ``digits`` significant digits for a sentence: plain between 10⁻³ and 10⁴, else m·10ⁿ.

    Examples
    --------
    >>> scientific(501630889259261296640), scientific(-0.0321), scientific(2.3e-7, 3), scientific(12.0)
    ('5.0·10²⁰', '−0.032', '2.30·10⁻⁷', '12')
    >>> scientific(float("nan")), scientific(float("-inf")), scientific(None), scientific(0.0)
    ('NaN', '−∞', '—', '0')
    """
    if value is None:
        return "—"
    v = float(value)
    if not math.isfinite(v):
        return format_number(v)
    if v == 0:
        return "0"
    exponent = math.floor(math.log10(abs(v)))
    mantissa = round(v / 10 ** exponent, digits - 1)
    if abs(mantissa) >= 10:                    # 9.96 → 10.0 at 2 digits
        mantissa, exponent = mantissa / 10, exponent + 1
    if -3 <= exponent < 4:
        decimals = max(0, digits - 1 - exponent)
        return f"{round(v, decimals):.{decimals}f}".replace("-", "−")
    return f"{mantissa:.{digits - 1}f}·10{str(exponent).translate(_SUPERSCRIPT)}".replace("-", "−")


def with_error(value: Any, error: Any, digits: int = 2, most: int = 4) -> str:
    """``value ± error``: the error in ``digits`` significant digits, the value to the same place but in at
    most ``most`` significant digits (an error far below the value's last shown digit adds nothing).

    Examples
    --------
    >>> with_error(-0.80123, 0.0123), with_error(3.2e-7, 4.1e-9), with_error(5.0, 0.0), with_error(1.0, float("nan"))
    ('−0.801 ± 0.012', '3.200·10⁻⁷ ± 4.1·10⁻⁹', '5.0', '1.0 ± NaN')
    >>> with_error(-9.0956349844739, 1.8e-12)
    '−9.096 ± 1.8·10⁻¹²'
    """
    if error is None or not math.isfinite(float(error)) or float(error) <= 0:
        shown = scientific(value, digits)
        return shown if error is None or float(error) == 0 else f"{shown} ± {format_number(float(error))}"
    v, e = float(value), float(error)
    if not math.isfinite(v):
        return format_number(v)
    place = math.floor(math.log10(e)) - (digits - 1)           # the error's last digit
    lead = math.floor(math.log10(abs(v))) if v else place
    return f"{scientific(v, min(most, max(digits, lead - place + 1)))} ± {scientific(e, digits)}"


def sentences(parts: Any) -> str:
    """Clauses as sentences: each starts with a capital and ends with one full stop; empty ones dropped.

    Examples
    --------
    >>> sentences(["the step is 0.5", "", "γ(φ0) ≤ 6·L_cross."])
    'The step is 0.5. γ(φ0) ≤ 6·L_cross.'
    """
    out = []
    for part in parts:
        text = str(part or "").strip()
        if not text:
            continue
        text = text[0].upper() + text[1:] if text[0].isascii() else text
        out.append(text if text.endswith((".", "!", "?")) else text + ".")
    return " ".join(out)


def whole_number(n: Any) -> str:
    """A count: with thousands separators below 10⁷, else in two significant digits (no 21-digit counts).

    Examples
    --------
    >>> whole_number(1277), whole_number(501630889259261296640), whole_number(None)
    ('1,277', '5.0·10²⁰', '—')
    """
    if n is None:
        return "—"
    return format_number(int(n)) if abs(float(n)) < 1e7 else scientific(n, 2)

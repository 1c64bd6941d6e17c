"""Numbers and sentences, for the page, the text output and diagnose: one formatter and one sentence builder.

Numbers: significant digits (by the error bar where there is one: :func:`format_with_error`), a true
minus sign, ∞ for infinities, intervals to the digits that differ (:func:`format_interval`), arrays cut
after :data:`ARRAY_ITEMS` entries (claims.json has them all).  Sentences: :func:`join_sentences` joins parts
with their terminal punctuation, :func:`count_of` puts nouns in the number they take, :func:`symbols`
writes ≤ ≥ ≠ for ASCII relations, and the ``*_reason`` functions say in one sentence why a verdict is
what it is (docs/claims.md §7).
"""
from __future__ import annotations

import math
import re
from typing import Any, Mapping

import numpy as np

__all__ = ["ARRAY_ITEMS", "format_number", "format_value", "is_number", "closest_call_text", "count_of",
           "format_with_error", "format_interval", "digits_for", "symbols", "relation_symbol", "join_sentences",
           "margin_text", "refuted_reason", "inconclusive_reason", "outside_reason", "holds_reason",
           "verdict_reason", "control_reason", "number_or_none", "format_enclosure", "certified_margin_text",
           "value_and_error", "whole_number"]

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
    >>> format_number(2.5e20), format_number(float("nan"))
    ('2.5e20', 'NaN')
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
    text = f"{v + 0.0:.{digits}g}".replace("-", "−")      # + 0.0: a signed zero reads 0
    return text.replace("e+", "e").replace("e−0", "e−").replace("e0", "e") if "e" in text else text


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
    text = (f"margin {format_with_error(closest.get('margin'), closest.get('margin_error'))} "
            f"after {count_of(closest.get('evaluations'), 'evaluation')}")
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


def number_or_none(value: Any) -> float | None:
    """A number of a record as a float (JSON's "nan"/"inf" strings read as such); None when it is no number.

    Examples
    --------
    >>> number_or_none("nan"), number_or_none(2), number_or_none("x"), number_or_none(None), number_or_none("0.5")
    (nan, 2.0, None, None, 0.5)
    """
    if isinstance(value, str):
        try:
            return float(value.replace("−", "-"))
        except ValueError:
            return None
    return float(value) if is_number(value) else None


def digits_for(value: float, error: float, least: int = 2, most: int = 6) -> int:
    """Significant digits of ``value`` that its error bar leaves meaningful: down to the error's leading
    digit and one more, between ``least`` and ``most`` (4 when the error is 0 or undefined).

    Examples
    --------
    >>> digits_for(0.0328, 0.0061), digits_for(-0.5, 4.7e-15), digits_for(123.4, 30.0), digits_for(1.0, 0.0)
    (3, 6, 3, 4)
    """
    if not (math.isfinite(value) and math.isfinite(error)) or error <= 0 or value == 0:
        return 4
    return max(least, min(most, math.floor(math.log10(abs(value))) - math.floor(math.log10(error)) + 2))


def value_and_error(value: Any, error: Any, most: int = 6) -> tuple[str, str]:
    """A value and its error bar as two strings (table columns): the value to the digits its error bar leaves
    meaningful (``most`` when the error is 0: an exact value), the error to 2 digits.

    Examples
    --------
    >>> value_and_error(0.2068, 0.00031), value_and_error(0.12345678912, 0.0, most=8), value_and_error("inf", 0.0)
    (('0.2068', '0.00031'), ('0.12345679', '0'), ('∞', '0'))
    """
    v, e = number_or_none(value), number_or_none(error)
    if v is None or not math.isfinite(v):
        return format_number(value), format_number(error, 2)
    if e is None or not math.isfinite(e) or e == 0:
        return format_number(v, most), format_number(e, 2) if e is not None else "—"
    return format_number(v, digits_for(v, e, most=most)), format_number(e, 2)


def format_with_error(value: Any, error: Any) -> str:
    """``value ± error``: the value to the digits its error bar leaves meaningful, the error to 2 digits.

    Examples
    --------
    >>> format_with_error(0.032775539429, 0.006084621726), format_with_error(-2.186775290669766, 6.26e-14)
    ('0.0328 ± 0.0061', '−2.18678 ± 6.3e−14')
    >>> format_with_error(0.98547, 0.0), format_with_error(0.5, None)
    ('0.9855 ± 0', '0.5')
    """
    v, e = number_or_none(value), number_or_none(error)
    if v is None:
        return format_number(value)
    if e is None or math.isnan(e):
        return format_number(v)
    if e == 0:
        return f"{format_number(v)} ± 0"
    return f"{format_number(v, digits_for(v, e))} ± {format_number(e, 2)}"


def format_interval(lo: Any, hi: Any, most: int = 10) -> str:
    """``[lo, hi]`` to the digits where the ends differ (and one more, at most ``most`` significant digits),
    rounded outwards so that the printed interval still contains the true one; a point as one number.

    Examples
    --------
    >>> format_interval(0.12345678901234, 0.12345678912345)
    '[0.1234567890, 0.1234567892]'
    >>> format_interval(0.0, 0.5)                                       # exact ends stay as they are
    '[0, 0.5]'
    >>> format_interval(-1.5, 2.25), format_interval(3.0, 3.0), format_interval(1e-17, 2e-16)
    ('[−1.5, 2.25]', '3', '[1e−17, 2e−16]')
    >>> format_interval("0.7853981626659892", "0.7853981626659893")     # ends that differ in the 16th digit
    '[0.7853981626, 0.7853981627]'
    """
    a, b = number_or_none(lo), number_or_none(hi)
    if a is not None and a == b:
        return format_number(a, most)
    if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)) or a > b:
        return f"[{format_number(lo)}, {format_number(hi)}]"
    top = max(abs(a), abs(b))
    quantum = 10.0 ** max(math.floor(math.log10(b - a)) - 1, math.floor(math.log10(top)) - (most - 1))
    a_out, b_out = math.floor(a / quantum) * quantum, math.ceil(b / quantum) * quantum
    if all(float(f"{x:.{most}g}") == x for x in (a, b)):     # ends written exactly in ``most`` digits
        return f"[{format_number(a, most)}, {format_number(b, most)}]"
    decimals = max(0, -int(math.floor(math.log10(quantum))))
    top = max(abs(a_out), abs(b_out))
    if top and (top >= 1e6 or top < 1e-4):               # scientific: each end to its own digits
        def sci(x: float) -> str:
            return format_number(x, max(1, math.floor(math.log10(abs(x))) - math.floor(math.log10(quantum)) + 1)
                                 if x else 1)
        return f"[{sci(a_out)}, {sci(b_out)}]"
    return "[" + ", ".join(f"{x + 0.0:.{decimals}f}".replace("-", "−") for x in (a_out, b_out)) + "]"


_RELATIONS = {"<=": "≤", ">=": "≥", "!=": "≠", "==": "=", "<": "<", ">": ">", "=": "="}


def relation_symbol(relation: Any) -> str:
    """A relation as its symbol: ``<=`` → ≤, ``>=`` → ≥, ``==`` → =.

    Examples
    --------
    >>> relation_symbol("<="), relation_symbol(">="), relation_symbol("==")
    ('≤', '≥', '=')
    """
    return _RELATIONS.get(str(relation).strip(), str(relation))


def symbols(text: Any) -> str:
    """``text`` with ASCII relations written as symbols (``>=`` → ≥, ``<=`` → ≤, ``!=`` → ≠), a hyphen
    before a number as a true minus sign, and Python's exponents as :func:`format_number` writes them
    (``5.66e-05`` → ``5.66e−5``, ``1e+20`` → ``1e20``).

    Examples
    --------
    >>> symbols("ratio <= 1 and x >= 0"), symbols("ln loss ≤ -27.6, w-1, α=0.25→0.5, 1e-12")
    ('ratio ≤ 1 and x ≥ 0', 'ln loss ≤ −27.6, w-1, α=0.25→0.5, 1e−12')
    >>> symbols("ratio 5.66e-05 at φ = 1e+20, -3e-07")
    'ratio 5.66e−5 at φ = 1e20, −3e−7'
    """
    text = str(text).replace(">=", "≥").replace("<=", "≤").replace("!=", "≠")
    text = re.sub(r"(?<=\d)e\+?(-?)0*(?=\d)", lambda m: "e" + m.group(1), text)
    return re.sub(r"(?:(?<=^)|(?<=[\s(\[=≤≥<>,]))-(?=\d)|(?<=\de)-(?=\d)", "−", text)


def join_sentences(*parts: Any) -> str:
    """Sentences joined with a space, each begun with a capital and ended with its punctuation; empty parts
    are dropped.

    Examples
    --------
    >>> join_sentences("the margin is within its error bar", "", None, "more instances would decide it.")
    'The margin is within its error bar. More instances would decide it.'
    >>> join_sentences("ends with a colon:", "next")
    'Ends with a colon: next.'
    >>> join_sentences("the step is 0.5", "γ(φ0) ≤ 6·L_cross.")
    'The step is 0.5. γ(φ0) ≤ 6·L_cross.'
    """
    out = []
    for part in parts:
        text = " ".join(str(part or "").split())
        if not text:
            continue
        # a capital for a word, never for a symbol (γ stays γ: Γ is another quantity)
        out.append(text[0].upper() + text[1:] if text[0].isascii() and not (out and out[-1].endswith(":"))
                   else text)
    joined = ""
    for i, text in enumerate(out):
        last = i == len(out) - 1
        ends = text.endswith((".", "!", "?", ":")) or (text.endswith(":") and not last)
        joined += text + ("" if ends else ".") + ("" if last else " ")
    return joined.replace(":.", ".")


def margin_text(margin: Any, error: Any) -> str:
    """The margin and its error bar in words, with what a sign means; NaN never without words.

    Examples
    --------
    >>> margin_text(-0.5, 4.7e-15), margin_text("nan", "nan")
    ('margin −0.5 ± 4.7e−15', 'no margin (no comparison was made)')
    """
    m = number_or_none(margin)
    if m is None or math.isnan(m):
        return "no margin (no comparison was made)"
    return f"margin {format_with_error(m, error)}"


def refuted_reason(part: Any, margin: Any, error: Any, where: str = "") -> str:
    """Why refuted, in one sentence: which part, by how much beyond its error bar.

    Examples
    --------
    >>> refuted_reason("L_cross <= 3μ", -2.186775290669766, 6.26e-14)
    'Refuted: L_cross ≤ 3μ is violated by 2.18678 (relative), beyond its error bar 6.3e−14.'
    """
    m, e = number_or_none(margin), number_or_none(error) or 0.0
    subject = f"{symbols(part)} is violated" if part else "the claim is violated"
    if m is None or math.isnan(m):
        return join_sentences(f"refuted: {subject}{' ' + where if where else ''}, by an amount the record does not "
                         "state")
    if math.isinf(m):
        return join_sentences(f"refuted: {subject}{' ' + where if where else ''} without bound (an infinite violation)")
    beyond = -m - e
    by = f" by {format_number(beyond, digits_for(beyond, e))}" if e > 1e-3 * abs(m) else ""   # else ≈ the violation
    return join_sentences(f"refuted: {subject}{' ' + where if where else ''} by {format_number(-m, digits_for(m, e))} "
                     f"(relative), beyond its error bar {format_number(e, 2)}{by}")


def inconclusive_reason(part: Any, margin: Any, error: Any, why: str = "", decides: str = "") -> str:
    """Why inconclusive, in one sentence: which part could not decide, and what would decide it.

    Examples
    --------
    >>> inconclusive_reason("L_cross <= 3μ", 0.9855, 0.0,
    ...     "satisfied on the estimates, but the slack is an upper bound on the truth: not proven")
    'Inconclusive: L_cross ≤ 3μ (margin 0.9855 ± 0) is satisfied on the estimates, but the slack is an upper bound on the truth: not proven; the searched quantity computed exactly (not by search) would decide it.'
    """
    subject = symbols(part) if part else "the deciding part"
    why = str(why or "").strip().rstrip(".")
    m = number_or_none(margin)
    if not decides:
        if "bound" in why or "side of the truth" in why or "errs towards" in why:
            decides = "the searched quantity computed exactly (not by search) would decide it"
        elif m is not None and math.isnan(m):
            decides = "a finite value of both sides would decide it"
        else:
            decides = "more samples (a smaller error bar) would decide it"
    if not why:
        why = "is within its error bar" if m is not None and not math.isnan(m) else "could not be compared"
    elif why.startswith(("satisfied", "violated")):
        why = "is " + why
    else:                                 # a clause of its own ("the margin is within its error bar")
        why = "— " + why
    return join_sentences(f"inconclusive: {subject} ({margin_text(margin, error)}) {why}; {decides}")


def outside_reason(note: Any = "") -> str:
    """Why a result is outside the claim's hypotheses (it is then reported, never refuted).

    Examples
    --------
    >>> outside_reason("Theorem 3.3 assumes unit-norm patches")
    "Outside the claim's hypotheses: Theorem 3.3 assumes unit-norm patches, so the instance is reported, not counted."
    >>> outside_reason("outside the claim's hypotheses: Lemma A.1 is the one-neuron identity (k = 1)")[:68]
    "Outside the claim's hypotheses: Lemma A.1 is the one-neuron identity"
    """
    note = re.sub(r"^outside the claim['’]s hypotheses:\s*", "", str(note or "").strip(), flags=re.I).rstrip(".")
    text = note
    return join_sentences(f"outside the claim's hypotheses: {text or 'the instance does not satisfy them'}, so the "
                     "instance is reported, not counted")


def holds_reason(margin: Any, error: Any, instances: Any = None) -> str:
    """Why it holds, in one sentence: the smallest margin stays at or above zero beyond its error bar, or is a
    tie within the verdict rule's stated numerical margin 10⁻⁹ (docs/claims.md §7), which counts as holding.

    Examples
    --------
    >>> holds_reason(0.0328, 0.0061, 1), holds_reason(0.0328, 0.0061, 30)
    ('Holds on the one instance tried: margin 0.0328 ± 0.0061, at or above zero beyond its error bar.', 'Holds on every one of the 30 instances tried: worst margin 0.0328 ± 0.0061, at or above zero beyond its error bar.')
    >>> holds_reason(-5.3e-16, 3.9e-30, 254)
    'Holds on every one of the 254 instances tried: worst margin −5.3e−16 ± 3.9e−30, a tie within the stated numerical margin 1e−9, which counts as holding.'
    """
    m, e = number_or_none(margin), number_or_none(error) or 0.0
    where = "at or above zero beyond its error bar"
    if m is not None and math.isfinite(m) and m - e < 0:
        where = "a tie within the stated numerical margin 1e−9, which counts as holding"
    n = number_or_none(instances)
    if n is None:
        return join_sentences(f"holds: {margin_text(margin, error)}, {where}")
    if n == 1:
        return join_sentences(f"holds on the one instance tried: {margin_text(margin, error)}, {where}")
    return join_sentences(f"holds on every one of the {count_of(int(n), 'instance')} tried: worst "
                     f"{margin_text(margin, error)}, {where}")


def verdict_reason(verdict: Any, *, part: Any = "", margin: Any = None, error: Any = None, why: str = "",
                   instances: Any = None, note: Any = "") -> str:
    """The reason of any verdict in one sentence (:func:`refuted_reason`, :func:`inconclusive_reason`,
    :func:`holds_reason`, :func:`outside_reason` for ``outside``).

    Examples
    --------
    >>> verdict_reason("refuted", part="x <= 1", margin=-0.5, error=0.1)
    'Refuted: x ≤ 1 is violated by 0.5 (relative), beyond its error bar 0.1 by 0.4.'
    """
    if verdict == "refuted":
        return refuted_reason(part, margin, error)
    if verdict == "inconclusive":
        return inconclusive_reason(part, margin, error, why)
    if verdict == "holds":
        return holds_reason(margin, error, instances)
    if verdict == "outside":
        return outside_reason(note)
    return join_sentences(f"not checked: {note}" if note else "not checked")


def control_reason(control: Mapping) -> str:
    """A negative control's verdict in one sentence: refuted by which part and by how much, or why not.

    Examples
    --------
    >>> control_reason({"verdict": "refuted", "part": "x >= 0", "margin": -1.0, "margin_error": 1e-14,
    ...                 "instances": 4})
    "Refuted, as it must be: the variant's form of “x ≥ 0” is violated by 1 (relative), beyond its error bar 1e−14 (4 instances searched)."
    >>> control_reason({"verdict": "inconclusive", "margin": "nan", "margin_error": "nan", "instances": 1})
    'Not refuted (inconclusive): no instance refuted this false variant on the 1 instance searched (no margin (no comparison was made)), so the check showed no teeth against it.'
    """
    n = control.get("instances")
    searched = f"{count_of(n, 'instance')} searched" if is_number(n) else ""
    if control.get("verdict") == "refuted":
        part = control.get("part")
        text = refuted_reason(f"the variant's form of “{symbols(part)}”" if part else "the variant",
                              control.get("margin"), control.get("margin_error"))
        text = "Refuted, as it must be: " + text[len("Refuted: "):] if text.startswith("Refuted: ") else text
        return text[:-1] + (f" ({searched})." if searched else ".")
    where = f" on the {searched}" if searched else ""
    return join_sentences(f"not refuted ({control.get('verdict')}): no instance refuted this false variant{where} "
                          f"({margin_text(control.get('margin'), control.get('margin_error'))}), so the check "
                          "showed no teeth against it")


_INTERVAL = re.compile(r"^\[\s*([^,\s\[\]]+)\s*,\s*([^,\s\[\]]+)\s*\]$")


def format_enclosure(value: Any) -> str:
    """A certificate's number, interval (``"[lo, hi]"`` as Arb prints it, or a pair) or box (a list of
    intervals, joined by ×), the intervals by :func:`format_interval`.

    Examples
    --------
    >>> format_enclosure("[0.7853981626659892, 0.7853981626659893]"), format_enclosure([[0.25, 0.5]])
    ('[0.7853981626, 0.7853981627]', '[0.25, 0.5]')
    >>> format_enclosure(-1.4142135623), format_enclosure("[1.0, 1.0]")
    ('−1.41421', '1')
    """
    if isinstance(value, str):
        match = _INTERVAL.match(value.strip())
        return format_interval(match.group(1), match.group(2)) if match else value
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(is_number(x) for x in value):
        return format_interval(*value)
    if isinstance(value, (list, tuple)):
        return " × ".join(format_enclosure(v) for v in value)
    return format_number(value, 6)


def certified_margin_text(value: Any) -> str:
    """A certificate's margin in words: a rigorous lower bound where it holds, or, where it is refuted, an upper
    bound and the point or box where it is attained.

    Examples
    --------
    >>> certified_margin_text(0.0013655631), certified_margin_text({"box": [[0.25, 0.5]], "margin_upper": -1.414})
    ('margin ≥ 0.00136556', 'margin ≤ −1.414 on the box [0.25, 0.5]')
    >>> certified_margin_text({"p": 13, "alpha": "[0.19611613513818402, 0.19611613513818404]", "margin_upper": -4.8e-4})
    'margin ≤ −0.00048 at p = 13, alpha ∈ [0.1961161351, 0.1961161352]'
    """
    if isinstance(value, Mapping) and "margin_upper" in value:
        where = {k: v for k, v in value.items() if k != "margin_upper"}
        if set(where) == {"box"}:
            at = f"on the box {format_enclosure(where['box'])}"
        else:
            at = "at " + ", ".join(f"{k} {'∈' if format_enclosure(v).startswith('[') else '='} {format_enclosure(v)}"
                                   for k, v in where.items())
        return f"margin ≤ {format_number(number_or_none(value['margin_upper']), 6)} {at}"
    number = number_or_none(value)
    return f"margin ≥ {format_number(number, 6)}" if number is not None else f"margin {format_value(value)}"


def whole_number(n: Any) -> str:
    """A count: with thousands separators below 10⁷, else in two significant digits (no 21-digit counts).

    Examples
    --------
    >>> whole_number(1277), whole_number(501630889259261296640), whole_number(None)
    ('1,277', '5e20', '—')
    """
    if n is None:
        return "—"
    return format_number(int(n)) if abs(float(n)) < 1e7 else format_number(float(n), 2)

"""A counterexample as the page shows it: complete and reproducible from the page alone.

Every number once: the failing part and its margin, w and w* in full, the law by its parameters and
— for a finite law — its atoms as a table (all of them up to :data:`MAX_TABLE_NUMBERS` numbers; beyond
that the atoms that break the claim, marked, and the first ones), and a one-line Python snippet that
rebuilds the instance from claims.json and checks it again.  A field that repeats another (a finite
law's atoms written again as the instance's ``data``) is not shown twice.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from .words import count_of, format_number, format_value, format_with_error, is_number, symbols

__all__ = ["MAX_TABLE_NUMBERS", "VECTOR_DIGITS", "counterexample_view", "reproduce_snippet", "full_vector"]

#: Atoms written out in full up to this many numbers; beyond, the ones that matter and the first ones.
MAX_TABLE_NUMBERS = 300
#: Significant digits of w, w* and the atoms on the page (claims.json has every bit).
VECTOR_DIGITS = 8
_SUB = "₀₁₂₃₄₅₆₇₈₉"
#: Fields shown in the head of the table, in this order, when present (the rest follow).
_HEAD = ("part", "reading", "margin", "lhs", "rhs", "search")
#: Fields never shown as rows: shown elsewhere (badge, snippet), or noise.
_SKIP = {"test", "verdict", "margin_error", "atoms_that_matter"}
#: Fields of a law's description shown elsewhere (the atoms table) or empty.
_LAW_SKIP = {"data", "atoms_shape"}


def full_vector(values: Any) -> str:
    """Every entry of a vector, to :data:`VECTOR_DIGITS` significant digits.

    Examples
    --------
    >>> full_vector([0.10000000000000002, 0.0, -8.991560860925569])
    '[0.1, 0, −8.9915609]'
    """
    return "[" + ", ".join(format_number(float(x), VECTOR_DIGITS) for x in np.ravel(values)) + "]"


def reproduce_snippet(claim: str, reading: str | None = None) -> str:
    """One line of Python that rebuilds the counterexample's instance from claims.json and checks it again.

    ``reading``: a reading's own counterexample (``reading_counterexamples``), whose verdict is printed.

    Examples
    --------
    >>> reproduce_snippet("lemma-a1")[:60]
    'import json; from verify.claims import get_claim; c = json.l'
    """
    where = (f'["reading_counterexamples"]["{reading}"]' if reading else '["counterexample"]')
    verdict = f'.readings["{reading}"]' if reading else ".verdict"
    return (f'import json; from verify.claims import get_claim; c = json.load(open("claims.json"))["claims"]'
            f'["{claim}"]{where}; print(get_claim("{claim}").check(c["instance"]){verdict})')


def _atoms_table(data: Any, marked: Sequence[int], why: str) -> dict[str, Any] | None:
    """The atoms of a finite law, one row per atom (a cell per patch), marked rows first when cut."""
    try:
        atoms = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        return None
    if atoms.ndim == 2:
        atoms = atoms[:, None, :]
    if atoms.ndim != 3 or atoms.size == 0:
        return None
    m, k, p = atoms.shape
    marked = [int(i) for i in marked if 0 <= int(i) < m]
    per_row = k * p
    room = max(1, MAX_TABLE_NUMBERS // per_row)
    if m <= room:
        shown = list(range(m))
    else:
        first = [i for i in range(m) if i not in marked][: max(0, room - len(marked))]
        shown = sorted(set(marked[:room]) | set(first))
    if k == 1:                       # one column per coordinate
        header = [f"z{_SUB[j + 1]}" if j < 9 else f"z_{j + 1}" for j in range(p)]
        cells = [[format_number(float(x), VECTOR_DIGITS) for x in atoms[i, 0]] for i in range(m)]
    else:                            # one column per patch
        header = [f"patch {j + 1}" for j in range(k)]
        cells = [[full_vector(atoms[i, j]) for j in range(k)] for i in range(m)]
    rows = [{"index": i + 1, "marked": i in marked, "cells": cells[i]} for i in shown]
    note = ""
    if len(shown) < m:
        note = (f"{count_of(len(shown), 'atom')} of {format_number(m)} shown ({format_number(atoms.size)} numbers; "
                f"the page writes out at most {MAX_TABLE_NUMBERS}"
                f"{', the marked ones first' if marked else ''}); claims.json has them all")
    caption = (f"{count_of(m, 'atom')} of the finite law, equally weighted, each {k}×{p}"
               f"{'; marked: ' + str(why) if marked and why else ''}")
    return {"header": header, "rows": rows, "note": note, "caption": caption, "all": len(shown) == m}


def _same_numbers(a: Any, b: Any) -> bool:
    try:
        x, y = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    except (TypeError, ValueError):
        return False
    return x.shape == y.shape and bool(np.array_equal(x, y, equal_nan=True))


def _row_value(key: str, value: Any) -> str:
    if key in ("w", "w_star", "u", "w0", "v") and isinstance(value, (list, tuple)) and len(value) <= 4096:
        return full_vector(value)
    if is_number(value) and isinstance(value, float):
        return format_number(value, 6)
    return symbols(format_value(value))


def counterexample_view(cex: Mapping[str, Any], claim: str, reading: str | None = None) -> dict[str, Any]:
    """What the page shows for one counterexample: rows (each number once), the law, its atoms, a snippet.

    Examples
    --------
    >>> v = counterexample_view({"instance": {"w": [0.5, 0.0], "p": 2, "data": [[1.0, 0.0]],
    ...     "distribution": {"name": "empirical", "p": 2, "k": 1, "atoms": 1, "data": [[[1.0, 0.0]]],
    ...                      "symmetry": None}},
    ...     "part": "x <= 1", "margin": -0.5, "margin_error": 1e-15}, "c")
    >>> v["rows"][:2], [r["cells"] for r in v["atoms"]["rows"]], "data" in dict(v["rows"])
    ([('part', 'x ≤ 1'), ('margin', '−0.5 ± 1e−15')], [['1', '0']], False)
    """
    instance = cex.get("instance") if isinstance(cex.get("instance"), Mapping) else {}
    law = instance.get("distribution") if isinstance(instance.get("distribution"), Mapping) else {}
    rows: list[tuple[str, str]] = []
    flat = {k: v for k, v in cex.items() if k not in _SKIP and k != "instance"}
    for key in [*[h for h in _HEAD if h in flat], *[k for k in flat if k not in _HEAD]]:
        value = flat[key]
        if key == "margin":
            rows.append(("margin", format_with_error(value, cex.get("margin_error"))))
        elif value is not None and not isinstance(value, Mapping):
            rows.append((key, _row_value(key, value)))
    data = law.get("data")
    for key, value in instance.items():
        if key == "distribution" or key in _SKIP or value is None:
            continue
        if key == "data" and data is not None and _same_numbers(value, data):
            continue                                      # the atoms again: shown once, in the table
        if isinstance(value, Mapping):
            rows += [(f"{key}.{k}", _row_value(k, v)) for k, v in value.items() if v is not None]
        else:
            rows.append((key, _row_value(key, value)))
    law_rows = [(f"distribution.{k}", _row_value(k, v)) for k, v in law.items()
                if k not in _LAW_SKIP and v is not None]
    marked = instance.get("atoms_that_matter") or {}
    atoms = _atoms_table(data, marked.get("indices") or [], marked.get("why") or "") if data is not None else None
    return {"rows": rows, "law": law_rows, "atoms": atoms, "snippet": reproduce_snippet(claim, reading)}

"""Branch and bound over parameter boxes: bisect until each box's enclosure decides.

docs/certify.md ("Method") and docs/claims.md §7 (verdicts).  A claim "margin(x) ≥ 0 for
every x in the domain" is certified by covering the domain with boxes on each of which an
``arb`` enclosure of the margin has a positive lower bound (or, at an *anchor*, a
rigorous Taylor argument shows margin ≥ 0 with equality only at the anchor).  It is
refuted by one box on which the enclosure's upper bound is negative.  Boxes that do
neither are bisected on their widest dimension (widths relative to the domain's), until
the budget of examined boxes runs out; what is left is reported as undecided.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .arb import ball, ceil_float, flint, floor_float

__all__ = ["Box", "Decision", "Outcome", "anchored_decider", "subdivide"]

#: A box: one closed interval (lo, hi) of floats per dimension.
Box = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Decision:
    """What one box's enclosure decided: ``holds`` with a lower bound of the margin on the box,
    or ``refuted`` with an upper bound (< 0) of the margin on the whole box (docs/certify.md)."""

    status: str
    bound: Any  # an arb: the lower (holds) or upper (refuted) bound


@dataclass
class Outcome:
    """Result of :func:`subdivide` (docs/certify.md, "Method").

    Attributes
    ----------
    status : "holds" | "refuted" | "undecided"
    examined, decided : int
        Boxes whose enclosure was computed; boxes that decided.
    lower : float or None
        For ``holds`` (and the decided part of ``undecided``): the smallest lower bound of
        the margin over the decided boxes, rounded DOWN.
    counterexample : dict or None
        For ``refuted``: {"box": [[lo, hi], ...], "margin_upper": float rounded UP, < 0}.
    undecided : list[Box]
        Boxes left when the budget ran out (the first 20 are kept).
    undecided_count : int
    """

    status: str
    examined: int = 0
    decided: int = 0
    lower: float | None = None
    counterexample: dict | None = None
    undecided: list = field(default_factory=list)
    undecided_count: int = 0


def _split(box: Box, widths: Sequence[float]) -> tuple[Box, Box]:
    rel = [(hi - lo) / w if w > 0 else 0.0 for (lo, hi), w in zip(box, widths)]
    k = max(range(len(box)), key=rel.__getitem__)
    lo, hi = box[k]
    mid = lo + (hi - lo) / 2  # any float strictly inside: both halves share it, so they cover the box
    if not lo < mid < hi:
        raise ArithmeticError("box cannot be bisected further")
    left = box[:k] + ((lo, mid),) + box[k + 1:]
    right = box[:k] + ((mid, hi),) + box[k + 1:]
    return left, right


def subdivide(domain: Box, decide: Callable[[Box], Decision | None], *, budget: int) -> Outcome:
    """Cover ``domain`` by boxes on which ``decide`` answers, breadth first, at most ``budget`` boxes.

    Parameters
    ----------
    domain : Box
        The closed parameter box.
    decide : callable Box → Decision or None
        None means "this enclosure does not decide": the box is bisected.
    budget : int
        Largest number of boxes examined.

    Returns
    -------
    Outcome
        ``refuted`` as soon as one box refutes; ``holds`` when every box decided;
        ``undecided`` otherwise.

    Examples
    --------
    >>> if have_flint_for_doctest():
    ...     out = subdivide(((0.0, 1.0),), lambda b: Decision("holds", ball(*b[0]) + 1), budget=4)
    ...     print(out.status, out.examined, 0.999 < out.lower <= 1.0)
    ... else:
    ...     print("holds 1 True")
    holds 1 True
    """
    widths = [hi - lo for lo, hi in domain]
    queue: deque[Box] = deque([domain])
    out = Outcome("holds")
    lowest = None
    while queue:
        if out.examined >= budget:
            out.status = "undecided"
            out.undecided = list(queue)[:20]
            out.undecided_count = len(queue)
            break
        box = queue.popleft()
        out.examined += 1
        verdict = decide(box)
        if verdict is None:
            try:
                queue.extend(_split(box, widths))
            except ArithmeticError:
                out.status = "undecided"
                out.undecided.append(box)
                out.undecided_count += 1
            continue
        out.decided += 1
        if verdict.status == "refuted":
            out.status = "refuted"
            out.counterexample = {"box": [list(iv) for iv in box], "margin_upper": ceil_float(verdict.bound)}
            break
        lowest = verdict.bound if lowest is None else lowest.min(verdict.bound)
    if lowest is not None:
        out.lower = floor_float(lowest)
    if out.status == "holds" and out.undecided_count:
        out.status = "undecided"
    return out


def have_flint_for_doctest() -> bool:
    """Whether the doctests can use flint (they print the expected line otherwise)."""
    from .arb import have_flint

    return have_flint()


def anchored_decider(f: Callable[[Any], Any], anchors: dict[float, int]) -> Callable[[Box], Decision | None]:
    """A 1-D decider for "f ≥ 0 on [a, b]" that also handles exact zeros of f at anchors.

    Parameters
    ----------
    f : callable
        Evaluates the margin on an ``arb`` *and* on an ``arb_series`` (automatic
        differentiation: the k-th coefficient of f(X + t) encloses f^(k)(ξ)/k! for all ξ in
        the ball X).
    anchors : dict float → int
        Points c (endpoints of the domain) with their order m: f(c) = f'(c) = … =
        f^(m−1)(c) = 0 **exactly** (an identity proved in the caller's docstring; arb's
        balls for these values are checked to contain 0).

    Notes
    -----
    On a box [c, x₁] (or [x₀, c]) touching the anchor c, Taylor's theorem with Lagrange
    remainder gives f(x) = f^(m)(ξ)/m!·(x − c)^m with ξ in the box.  If the enclosure of
    f^(m)/m! over the box has a sign, f has that sign times sign((x − c)^m) on the box
    minus {c}, and f(c) = 0: the box decides with lower bound 0 (the margin's infimum is
    attained at c).  Other boxes decide by the plain enclosure of f (docs/certify.md).
    """
    _flint = flint()
    arb, arb_series = _flint.arb, _flint.arb_series
    checked: dict[float, bool] = {}

    def decide(box: Box) -> Decision | None:
        (lo, hi), = box
        x = ball(lo, hi)
        value = f(x)
        if value > 0:
            return Decision("holds", value.lower())
        if value < 0:
            return Decision("refuted", value.upper())
        for c, m in anchors.items():
            if c not in (lo, hi):
                continue
            if c not in checked:
                at_c = f(arb_series([arb(c), 1], prec=m + 1)).coeffs()
                at_c += [arb(0)] * (m + 1 - len(at_c))
                if not all(coef.contains(0) for coef in at_c[:m]):
                    raise ArithmeticError(f"declared zero of order {m} at {c} is not enclosed by arb")
                checked[c] = True
            coefs = f(arb_series([x, 1], prec=m + 1)).coeffs()
            if len(coefs) <= m:
                continue
            lead = coefs[m]
            direction = 1 if c == lo else (-1) ** m
            if (lead > 0 and direction > 0) or (lead < 0 and direction < 0):
                return Decision("holds", arb(0))
        return None

    return decide

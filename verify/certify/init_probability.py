# ruff: noqa: B023  (the closures are called inside the iteration that defines them)
"""Certificates for Theorem 3.4 and Corollary 3.1 (the random-initialization probability).

docs/claims.md §4 claims 16 [thm34-init] and 17 [cor31-init], §6.6.  ``verify.dynamics.initialization``
holds the float implementation; this module re-derives what it needs in ``arb``.

The exact probability in a 0/0-free form
---------------------------------------
With a = (p+1)/2, y = α², r = √(1−y) and v_p = V_{p−1}/V_p = Γ(p/2+1)/(√π Γ(p/2+½)) = 1/B(½, a),
§6.6 gives P = ½ I_{1−y}(a, ½) + ½ (r/α)^p I_y(a, ½).  Write I_{1−y}(a, ½) = 1 − I_y(½, a) and
use DLMF 8.17.8, I_y(a', b') = y^{a'}(1−y)^{b'} F(a'+b', 1; a'+1; y)/(a' B(a', b')):

    ½ I_y(½, a)          = α v_p (1−y)^a F(a+½, 1; 3/2; y),
    ½ (r/α)^p I_y(a, ½)  = α v_p (1−y)^a F(a+½, 1; a+1; y)/(p+1)      (2a − p = 1),

so   P = ½ − α·Q(p, y),   Q = v_p (1−y)^a [F(a+½, 1; 3/2; y) − F(a+½, 1; a+1; y)/(p+1)],

with Q analytic at y = 0 (Q(0) = v_p p/(p+1)).  Every bound of claim 16 has the form
½ − α c_b(p), so P − bound = α (c_b − Q): a reading holds on (0, α_max] iff
c_b(p) ≥ sup Q(p, ·), and the certified margin is **(P − bound)/α = c_b − Q** (the margin
P − bound itself tends to 0 as α → 0 for every reading, so its infimum is 0).

Enclosures of Q on a box
------------------------
y ∈ [y₀, y₁].  dQ/dy = v_p (1−y)^{a−1}[−a(F₁ − F₂/(p+1)) + (1−y)(F₁' − F₂'/(p+1))] with
F' = (ab/c)F(a+1, b+1; c+1; y).  When arb's enclosure of dQ/dy on the box has a sign, Q is
monotone there and its range is the hull of the two endpoint values (tight); otherwise
the box is bisected (and below a minimal width the plain enclosure Q(box) is used).
For Corollary 3.1, P > ¼ ⇔ αQ < ¼, and αQ = √y·Q is increasing where Q + 2y dQ/dy > 0,
certified in the same way; then sup αQ is its value at the right end.

The arb hypergeometric function (``arb.hypgeom_2f1``) returns rigorous enclosures; the
Gamma ratio v_p uses ``arb.gamma``.  Each integer p ∈ [2, p_max] is treated separately,
with y = x/(2p), x = 2pα² ∈ [0, 1] (α ≤ √(1/(2p))).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .arb import ceil_float, flint, floor_float, render, working_precision
from .certificate import Certificate

__all__ = ["THM34_READINGS", "certify_cor31", "certify_thm34", "p_ranges", "q_function"]

#: thm34 reading slug → (label, c_b(p) as an arb function of p).
THM34_READINGS = {
    "proof-bound": "½ − α·V_{p−1}/V_p",
    "sqrt-p-2pi": "½ − α√(p/(2π))",
    "sqrt-p2-2pi": "½ − α√((p+2)/(2π))",
    "sqrt-p-pi": "½ − α√(p/π)",
}

_PREC = 80


def _coefficient(slug: str, p: int) -> Any:
    arb = flint().arb
    pi = arb.pi()
    if slug == "proof-bound":
        return _v(p)
    if slug == "sqrt-p-2pi":
        return (arb(p) / (2 * pi)).sqrt()
    if slug == "sqrt-p2-2pi":
        return (arb(p + 2) / (2 * pi)).sqrt()
    return (arb(p) / pi).sqrt()


def _v(p: int) -> Any:
    arb = flint().arb
    half = arb(1) / 2
    return (arb(p) * half + 1).gamma() / ((arb(p) * half + half).gamma() * arb.pi().sqrt())


@dataclass
class QFunction:
    """Q(p, y) and dQ/dy as arb functions for one p (module docstring; docs/claims.md §6.6)."""

    p: int

    def __post_init__(self) -> None:
        arb = flint().arb
        self.a = arb(self.p + 1) / 2
        self.v = _v(self.p)

    def _f(self, y: Any) -> tuple[Any, Any, Any, Any]:
        a, half = self.a, flint().arb(1) / 2
        f1 = y.hypgeom_2f1(a + half, 1, 3 * half)
        f2 = y.hypgeom_2f1(a + half, 1, a + 1)
        return a, half, f1, f2

    def value(self, y: Any) -> Any:
        """Q(p, y) for a ball y ⊂ [0, ½]."""
        a, _, f1, f2 = self._f(y)
        return self.v * (1 - y) ** a * (f1 - f2 / (self.p + 1))

    def derivative(self, y: Any) -> Any:
        """dQ/dy for a ball y ⊂ [0, ½]."""
        a, half, f1, f2 = self._f(y)
        d1 = (a + half) / (3 * half) * y.hypgeom_2f1(a + 3 * half, 2, 5 * half)
        d2 = (a + half) / (a + 1) * y.hypgeom_2f1(a + 3 * half, 2, a + 2)
        return self.v * (1 - y) ** (a - 1) * (-a * (f1 - f2 / (self.p + 1)) + (1 - y) * (d1 - d2 / (self.p + 1)))


def q_function(p: int) -> QFunction:
    """The :class:`QFunction` of dimension p (docs/claims.md §6.6).

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> from verify.dynamics.initialization import success_probability
    >>> if have_flint():
    ...     from flint import arb
    ...     q = q_function(5).value(arb(0.01))
    ...     print(abs(float(q.mid()) - (0.5 - success_probability(5, 0.1)) / 0.1) < 1e-12)
    ... else:
    ...     print(True)
    True
    """
    return QFunction(p)


def _cover(fun: Callable[[Any], Any], slope: Callable[[Any], Any], lo: Any, hi: Any,
           budget: int, min_width: float = 2.0**-40) -> tuple[list[tuple[Any, Any, Any]], int, bool]:
    """Cover [lo, hi] (arb endpoints) by boxes with a tight enclosure of ``fun`` on each.

    A box decides when ``slope`` (an enclosure of fun' on the box) has a sign: fun is
    monotone there and its range is the hull of the endpoint values.  Returns the pieces
    (lo, hi, enclosure), the number of boxes examined, and whether all were monotone.
    """
    arb = flint().arb
    queue, pieces, examined, monotone = [(lo, hi)], [], 0, True
    while queue:
        a, b = queue.pop()
        examined += 1
        box = a.union(b)
        s = slope(box)
        if s > 0 or s < 0:
            pieces.append((a, b, fun(a).union(fun(b))))
            continue
        width = float((b - a).upper())
        if width < min_width or examined >= budget:
            monotone = False
            pieces.append((a, b, fun(box)))
            continue
        mid = arb(float(((a + b) / 2).mid()))
        queue += [(a, mid), (mid, b)]
    return pieces, examined, monotone


def p_ranges(ps: list[int]) -> str:
    """Sorted integers as compact ranges, e.g. "2–12, 15".

    Examples
    --------
    >>> p_ranges([2, 3, 4, 7, 9, 10])
    '2–4, 7, 9–10'
    >>> p_ranges([])
    '∅'
    """
    if not ps:
        return "∅"
    ps = sorted(ps)
    out, start, prev = [], ps[0], ps[0]
    for q in ps[1:] + [None]:
        if q is not None and q == prev + 1:
            prev = q
            continue
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
        if q is not None:
            start = prev = q
    return ", ".join(out)


def certify_thm34(p_max: int = 10_000, p_min: int = 2, budget: int = 64) -> list[Certificate]:
    """Claim 16 [thm34-init]: each reading of the bound against the exact probability, every integer
    p ∈ [p_min, p_max] and every α ∈ (0, √(1/(2p))].

    docs/claims.md §4 claim 16, §6.6.  Margin (P − bound)/α = c_b(p) − Q(p, α²) (module
    docstring).  For each p, [0, 1] ∋ x = 2pα² is covered by boxes on which Q is
    certified monotone, so sup Q is certified from endpoint values; a reading holds at p
    when c_b(p) exceeds every box's upper bound and is refuted when c_b(p) is below some
    box's lower bound (that box in α is the counterexample).  ``budget`` bounds the boxes
    per p.

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> [c.verdict for c in certify_thm34(p_max=6)] if have_flint() else ['certified-holds'] * 4
    ['certified-holds', 'certified-holds', 'certified-holds', 'certified-holds']
    """
    arb = flint().arb
    state = {slug: {"holds": [], "refuted": [], "undecided": [], "min": None, "worst_p": None, "cex": None}
             for slug in THM34_READINGS}
    examined = decided = 0
    with working_precision(_PREC):
        for p in range(p_min, p_max + 1):
            q = QFunction(p)
            two_p = arb(2 * p)
            pieces, n, _ = _cover(lambda x: q.value(x / two_p), lambda x: q.derivative(x / two_p),
                                  arb(0), arb(1), budget)
            examined += n
            decided += len(pieces)
            sup_upper = max((piece[2].upper() for piece in pieces), key=float)
            for slug, st in state.items():
                c = _coefficient(slug, p)
                margin = c - sup_upper
                if margin > 0:
                    st["holds"].append(p)
                    if st["min"] is None or margin.lower() < st["min"]:
                        st["min"], st["worst_p"] = margin.lower(), p
                    continue
                bad = [pc for pc in pieces if pc[2] > c]
                if bad:
                    st["refuted"].append(p)
                    if st["cex"] is None:
                        a, b, enc = bad[0]
                        st["cex"] = {"p": p, "x=2pα²": [floor_float(a), ceil_float(b)],
                                     "alpha": [floor_float((a / two_p).sqrt()), ceil_float((b / two_p).sqrt())],
                                     "margin_upper": ceil_float(c - enc)}
                else:
                    st["undecided"].append(p)
    certs = []
    for slug, st in state.items():
        if st["refuted"]:
            verdict, margin = "certified-refuted", st["cex"]
        elif st["undecided"]:
            verdict, margin = "undecided", (floor_float(st["min"]) if st["min"] is not None else None)
        else:
            verdict, margin = "certified-holds", floor_float(st["min"])
        worst = st["worst_p"]
        enclosures = {}
        if worst is not None:
            with working_precision(_PREC):
                enclosures = {f"c_b(p={worst})": render(_coefficient(slug, worst)),
                              f"Q(p={worst}, α→0) = v_p·p/(p+1)": render(_v(worst) * worst / (worst + 1))}
        certs.append(Certificate(
            claim="thm34-init", reading=slug, verdict=verdict,
            statement=f"P(success) ≥ {THM34_READINGS[slug]} for all α ∈ (0, √(1/(2p))]",
            domain={"words": f"every integer p ∈ [{p_min}, {p_max}], α ∈ (0, √(1/(2p))] (x = 2pα² ∈ (0, 1])",
                    "p": [p_min, p_max], "x": [0.0, 1.0]},
            boxes={"examined": examined, "decided": decided, "undecided": len(st["undecided"])},
            min_margin=margin,
            enclosures=enclosures,
            extra={"margin": "(P − bound)/α = c_b(p) − Q(p, α²) (P − bound → 0 as α → 0)",
                   "worst_p": worst, "p_holds": p_ranges(st["holds"]), "p_refuted": p_ranges(st["refuted"]),
                   "p_undecided": p_ranges(st["undecided"])},
        ))
    return certs


#: cor31 condition readings: slug → (words, x_max as a function returning an arb, strict?).
COR31_CONDITIONS = {
    "corollary-condition": "cos φ* < √(π/(8p)) (the corollary's condition [reconstructed]; x = 2p cos²φ* < π/4)",
    "theorem-condition": "cos φ* ≤ √(1/(2p)) (Theorem 3.4's own condition; x ≤ 1)",
}


def _x_max(condition: str) -> Any:
    arb = flint().arb
    return arb.pi() / 4 if condition == "corollary-condition" else arb(1)


def certify_cor31(p_max: int = 10_000, p_min: int = 2, budget: int = 64) -> list[Certificate]:
    """Claim 17 [cor31-init]: for each reading of the condition, exactly which p ∈ [p_min, p_max] make each
    statement true (docs/claims.md §4 claim 17, §6.6).

    Statements (α = cos φ*, x = 2pα²):

    * ``exact-above-quarter``: P > ¼ on the whole condition range.  P = ½ − √(x/(2p))·Q;
      αQ is certified increasing (Q + 2y dQ/dy > 0 on a box cover), so the statement at p is
      decided by ¼ − αQ at the right end (for the strict condition, at the left end of a
      box [x_max(1 − 2⁻³⁰), x_max] when it fails).
    * ``bound-above-quarter``: ½ − α√(p/(2π)) > ¼.  Decreasing in α; its value at x_max is
      exactly ¼ under the corollary's condition (holds on the open range: ¼ − bound =
      √(p/(2π))(α − √(π/(8p))) < 0), and ½ − 1/(2√π) < ¼ at α = √(1/(2p)) (refuted).
    * ``bound-valid``: ½ − α√(p/(2π)) ≤ P, i.e. √(p/(2π)) ≥ sup Q on (0, x_max].
    * ``proof-bound-above-quarter`` (does "> ¼" follow from the proof's own bound?):
      ½ − α v_p > ¼; decided at (just below) x_max.

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> if have_flint():
    ...     c = {(d.extra["condition"], d.reading): d for d in certify_cor31(p_max=14, p_min=11)}
    ...     print(c["theorem-condition", "exact-above-quarter"].extra["p_holds"])
    ... else:
    ...     print("11–12")
    11–12
    """
    arb = flint().arb
    statements = ("exact-above-quarter", "bound-above-quarter", "bound-valid", "proof-bound-above-quarter")
    state = {(cond, s): {"holds": [], "refuted": [], "undecided": [], "min": None, "cex": None}
             for cond in COR31_CONDITIONS for s in statements}
    examined = 0
    quarter = arb(1) / 4
    with working_precision(_PREC):
        pi = arb.pi()
        for p in range(p_min, p_max + 1):
            q = QFunction(p)
            two_p = arb(2 * p)
            c2pi = (arb(p) / (2 * pi)).sqrt()
            v = q.v
            for cond in COR31_CONDITIONS:
                x_hi = _x_max(cond)
                strict = cond == "corollary-condition"
                x_probe = x_hi * (1 - arb(2) ** -30) if strict else x_hi

                def alpha_q(x):
                    return (x / two_p).sqrt() * q.value(x / two_p)

                def slope(x):
                    y = x / two_p
                    return q.value(y) + 2 * y * q.derivative(y)

                pieces, n, _mono = _cover(alpha_q, slope, arb(0), x_hi, budget)
                examined += n
                results = {}
                # exact-above-quarter
                sup_aq = max((pc[2].upper() for pc in pieces), key=float)
                margin = quarter - sup_aq
                at_probe = quarter - alpha_q(x_probe)
                results["exact-above-quarter"] = (margin, at_probe, x_probe)
                # bound-above-quarter: ¼ − α c2pi at the right end (exactly 0 for the corollary condition)
                edge = quarter - (x_hi / two_p).sqrt() * c2pi
                probe = quarter - (x_probe / two_p).sqrt() * c2pi
                results["bound-above-quarter"] = ((arb(0) if strict else edge), probe, x_probe)
                # bound-valid: c2pi − sup Q, Q covered on [0, x_hi]
                qpieces, n2, _ = _cover(lambda x: q.value(x / two_p), lambda x: q.derivative(x / two_p),
                                        arb(0), x_hi, budget)
                examined += n2
                sup_q = max((pc[2].upper() for pc in qpieces), key=float)
                results["bound-valid"] = (c2pi - sup_q, None, None)
                # proof-bound-above-quarter
                results["proof-bound-above-quarter"] = (quarter - (x_hi / two_p).sqrt() * v,
                                                       quarter - (x_probe / two_p).sqrt() * v, x_probe)
                for s, (m, probe_margin, xp) in results.items():
                    st = state[cond, s]
                    exact_zero_inf = s == "bound-above-quarter" and strict
                    if m > 0 or exact_zero_inf:
                        st["holds"].append(p)
                        low = arb(0) if exact_zero_inf else m.lower()
                        if st["min"] is None or low < st["min"]:
                            st["min"] = low
                    elif probe_margin is not None and probe_margin < 0:
                        st["refuted"].append(p)
                        if st["cex"] is None:
                            st["cex"] = {"p": p, "x=2pα²": render(xp), "alpha": render((xp / two_p).sqrt()),
                                         "margin_upper": ceil_float(probe_margin)}
                    else:
                        st["undecided"].append(p)
    certs = []
    for (cond, s), st in state.items():
        if st["refuted"]:
            verdict, margin = "certified-refuted", st["cex"]
        elif st["undecided"]:
            verdict, margin = "undecided", None
        else:
            verdict, margin = "certified-holds", floor_float(st["min"])
        certs.append(Certificate(
            claim="cor31-init", reading=s, verdict=verdict,
            statement=f"{s} under {COR31_CONDITIONS[cond]}",
            domain={"words": f"every integer p ∈ [{p_min}, {p_max}]; {COR31_CONDITIONS[cond]}", "p": [p_min, p_max]},
            boxes={"examined": examined, "decided": examined, "undecided": len(st["undecided"])},
            min_margin=margin,
            extra={"condition": cond, "p_holds": p_ranges(st["holds"]), "p_refuted": p_ranges(st["refuted"]),
                   "p_undecided": p_ranges(st["undecided"]),
                   "margin": {"exact-above-quarter": "P − ¼", "bound-above-quarter": "bound − ¼",
                              "bound-valid": "(P − bound)/α = √(p/(2π)) − Q",
                              "proof-bound-above-quarter": "proof bound − ¼"}[s]},
        ))
    return certs

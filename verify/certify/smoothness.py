"""Certificates for Definition 2.1's remarks on rotationally invariant laws.

docs/claims.md §4, claims 2 [def21-shape] and 3 [def21-rotinv-equal]; closed forms §6.1–6.2.

For a radial law (N(0, I_p): s = 1; the uniform unit sphere: s = 1/p; in general
s = E‖Z‖²/p > 0) the eigenvalues of A_{w,w*} at θ(w, w*) = φ are
s(π − φ ± sin φ)/(2π) and, for p ≥ 3, s(π − φ)/(2π); those of A_{w,−w*} are
s(φ ± sin φ)/(2π) and s φ/(2π).  They do not depend on the direction at angle φ, so the
min/max of Definition 2.1 are over one point each:

    γ(φ) = s(π − φ − sin φ)/(2π),   L(φ) = s(π − φ + sin φ)/(2π)

(the middle eigenvalue lies between them because sin φ ≥ 0 on [0, π], certified below).
Every statement of claims 2 and 3 is an equality or inequality between such quantities,
homogeneous of degree 1 in s; dividing by s/(2π) > 0 makes it **independent of p and of
the law**: one certificate covers N(0, I_p) and the unit sphere for every p ≥ 2.  We
write φ = πu, u ∈ [0, 1] (so the ends are exact floats), G(u) = π(1−u) − sin πu
(= 2πγ/s) and H(u) = π(1−u) + sin πu (= 2πL/s).
"""
from __future__ import annotations

from .arb import flint, render
from .boxes import Decision, Outcome, anchored_decider, subdivide
from .certificate import Certificate, combine, from_outcome

__all__ = ["DOMAIN_WORDS", "certify_def21_rotinv_equal", "certify_def21_shape"]

DOMAIN_WORDS = ("φ ∈ [0, π] (φ = πu, u ∈ [0, 1]); N(0, I_p) and the uniform unit sphere for every p ≥ 2 "
                "(statements divided by s/(2π), s = E‖Z‖²/p > 0: independent of p)")


def _domain() -> dict:
    return {"words": DOMAIN_WORDS, "u": [0.0, 1.0], "phi": "[0, π]", "p": "every integer ≥ 2", "laws": ["gaussian", "sphere"]}


def _facts(budget: int) -> dict[str, tuple[str, Outcome]]:
    """Each fact of claim 2 as (statement, outcome); margins are ≥ 0 with exact zeros at anchors."""
    arb = flint().arb
    pi = arb.pi()

    def dec_gamma(u):  # −G'(u)/π = 1 + cos πu ≥ 0; at u = 1: 1 + cos π = 0, (−π sin πu)|₁ = 0, 2nd derivative π² > 0
        return 1 + u.cos_pi()

    def dec_L(u):  # −H'(u)/π = 1 − cos πu ≥ 0; at u = 0: value 0, derivative π sin 0 = 0, 2nd π² > 0
        return 1 - u.cos_pi()

    def gamma_nonneg(u):  # G(u) ≥ 0; at u = 1: G = G' = G'' = 0 (−π − π cos π = 0, π² sin π = 0), G''' = −π³ < 0
        return pi * (1 - u) - u.sin_pi()

    def gap(u):  # (H − G)/2 = sin πu ≥ 0; zeros of order 1 at u = 0 (slope π) and u = 1 (slope −π)
        return u.sin_pi()

    unit = ((0.0, 1.0),)
    return {
        "gamma-non-increasing": ("γ'(φ) = −s(1 + cos φ)/(2π) ≤ 0 on [0, π]",
                                 subdivide(unit, anchored_decider(dec_gamma, {1.0: 2}), budget=budget)),
        "L-non-increasing": ("L'(φ) = −s(1 − cos φ)/(2π) ≤ 0 on [0, π]",
                             subdivide(unit, anchored_decider(dec_L, {0.0: 2}), budget=budget)),
        "gamma-nonnegative": ("γ(φ) = s(π − φ − sin φ)/(2π) ≥ 0 on [0, π] (= 0 only at π)",
                              subdivide(unit, anchored_decider(gamma_nonneg, {1.0: 3}), budget=budget)),
        "gamma-at-most-L": (("L(φ) − γ(φ) = s·sin φ/π ≥ 0 on [0, π] (= 0 only at 0 and π); also places the "
                             "p ≥ 3 eigenvalue s(π − φ)/(2π) between γ and L"),
                            subdivide(unit, anchored_decider(gap, {0.0: 1, 1.0: 1}), budget=budget)),
    }


def certify_def21_shape(budget: int = 2000) -> list[Certificate]:
    """Claim 2 [def21-shape], reading ``as-printed``, for N(0, I_p) and the unit sphere, every p ≥ 2.

    docs/claims.md §4 claim 2, §6.1, §6.2.  Derivation (module docstring for G, H):

    * γ non-increasing: d/dφ [s(π−φ−sin φ)/(2π)] = −s(1 + cos φ)/(2π); we certify
      1 + cos πu ≥ 0 on [0, 1].  It vanishes at u = 1 to order 2 (1 + cos π = 0,
      −π sin π = 0, second derivative π²cos(0)… = π² > 0): anchored Taylor argument.
    * L non-increasing: dL/dφ = −s(1 − cos φ)/(2π); 1 − cos πu ≥ 0, zero of order 2 at u = 0.
    * γ ≥ 0: G(u) = π(1−u) − sin πu ≥ 0, zero of order 3 at u = 1 (G''' = −π³ cos… < 0
      while (u − 1)³ < 0).
    * γ ≤ L: H − G = 2 sin πu ≥ 0, simple zeros at u = 0 and 1 (it also puts the p ≥ 3
      eigenvalue s(π − φ)/(2π) between γ and L, so γ and L really are the min and max).
    * γ(π) = L(π) = 0: G(1) = π·0 − sin π and H(1) are evaluated by arb as exact zeros.
    * A_{w,−w*} = 0 at θ = 0: its eigenvalues s(0 ± sin 0)/(2π), s·0/(2π) are exact zeros.

    Each inequality's margin is ≥ 0 and attains 0 (at the anchors), so ``min_margin`` is 0.

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> [c.verdict for c in certify_def21_shape()] if have_flint() else ['certified-holds']
    ['certified-holds']
    """
    arb = flint().arb
    pi = arb.pi()
    facts = _facts(budget)
    one, zero = arb(1), arb(0)
    exact = {
        "gamma(pi)": pi * (1 - one) - one.sin_pi(),
        "L(pi)": pi * (1 - one) + one.sin_pi(),
        "A_{w,-w*} eigenvalue (0 + sin 0)/(2π)": (zero + zero.sin()) / (2 * pi),
        "A_{w,-w*} eigenvalue (0 − sin 0)/(2π)": (zero - zero.sin()) / (2 * pi),
        "A_{w,-w*} eigenvalue 0/(2π)": zero / (2 * pi),
    }
    exact_ok = all(value.is_zero() for value in exact.values())
    outcome = combine([o for _, o in facts.values()])
    if not exact_ok and outcome.status == "holds":
        outcome.status = "undecided"
    lemmas = [{"fact": name, "statement": text, "verdict": _word(o.status), "boxes": o.examined, "min_margin": o.lower}
              for name, (text, o) in facts.items()]
    lemmas.append({"fact": "exact-zeros", "statement": "γ(π) = L(π) = 0 and A_{w,−w*}(θ = 0) = 0",
                   "verdict": "certified-holds" if exact_ok else "undecided",
                   "values": {k: render(v) for k, v in exact.items()}})
    return [from_outcome(
        "def21-shape", "as-printed",
        "γ, L non-increasing on [0, π]; 0 ≤ γ ≤ L; γ(π) = L(π) = 0; A_{w,−w*}(θ = 0) = 0 (closed forms §6.1, divided by s/(2π))",
        _domain(), outcome,
        margin="each fact's own margin (listed in lemmas); the minimum over all of them",
        lemmas=lemmas,
    )]


def _word(status: str) -> str:
    return {"holds": "certified-holds", "refuted": "certified-refuted"}.get(status, "undecided")


def certify_def21_rotinv_equal(budget: int = 200) -> list[Certificate]:
    """Claim 3 [def21-rotinv-equal], reading ``as-printed``: γ(φ) = L(φ) is REFUTED, on all of (0, π).

    docs/claims.md §4 claim 3, §6.1.  The margin of the equality is −|L − γ|·2π/s =
    −2|sin φ|.  Subdivision of u ∈ [0, 1] stops at the first box whose enclosure of
    sin πu excludes 0: there γ < L on the whole box, a counterexample with a rigorous
    negative upper bound of the margin.  A second, anchored subdivision proves the
    stronger statement L − γ = s sin φ/π > 0 for every φ ∈ (0, π) (zeros only at φ = 0
    and φ = π, where the equality holds), reported as a lemma.  p- and law-independent
    after dividing by s/(2π) (module docstring).

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> [c.verdict for c in certify_def21_rotinv_equal()] if have_flint() else ['certified-refuted']
    ['certified-refuted']
    """
    from .arb import ball

    def decide(box):
        (lo, hi), = box
        diff = 2 * ball(lo, hi).sin_pi()  # (L − γ)·2π/s
        if diff.is_zero():
            return Decision("holds", diff)
        if diff > 0:
            return Decision("refuted", -diff.lower())
        if diff < 0:
            return Decision("refuted", diff.upper())
        return None

    outcome = subdivide(((0.0, 1.0),), decide, budget=budget)
    strict = subdivide(((0.0, 1.0),), anchored_decider(lambda u: u.sin_pi(), {0.0: 1, 1.0: 1}), budget=budget)
    phi_box = None
    if outcome.counterexample:
        lo, hi = outcome.counterexample["box"][0]
        pi = flint().arb.pi()
        phi_box = [render(pi * lo), render(pi * hi)]
    return [from_outcome(
        "def21-rotinv-equal", "as-printed",
        "γ(φ) = L(φ) for all φ ∈ [0, π]; margin −|L − γ|·2π/s = −2|sin φ| (refuted where it is < 0)",
        _domain(), outcome,
        margin="−2|sin φ| = −|L(φ) − γ(φ)|·2π/s",
        counterexample_phi=phi_box,
        lemmas=[{"fact": "gamma-below-L-on-open-interval",
                 "statement": "sin φ > 0, i.e. γ(φ) < L(φ), for every φ ∈ (0, π) (equality only at 0 and π)",
                 "verdict": _word(strict.status), "boxes": strict.examined}],
    )]

"""Certificates for Theorem 2.2's gradient bounds and one-step contraction, N(0, I_p).

docs/claims.md §4 claims 6 [thm22-gradient-bounds] and 7 [thm22-contraction], §6.1, §6.3, §6.5.

Reduction to the plane
----------------------
Tian's gradient (§6.3), E∇ℓ(w) = ½(w − w*) + (1/(2π))[θ w* − sin θ·ŵ], θ = θ(w, w*), lies in
the plane of w and w*, and so do γ(θ), L(θ), β = 1/π (§6.1, §6.5): every quantity of
claims 6–7 is a function of the planar picture, the same for every p ≥ 2.  Both claims are
homogeneous (degree 1 in (w, w*) for the gradient), so ‖w*‖ = 1, w* = e₁, and by the
reflection symmetry of the plane w = e₁ + r(cos ψ, sin ψ) with r = ‖w − w*‖/‖w*‖ ∈ (0, 1)
and ψ = πv ∈ [0, π].  Then x = 1 + r cos ψ, y = r sin ψ, θ = atan(y/x) ∈ [0, π/2),
ŵ = (cos θ, sin θ), and, with θ/r = atanc(y/x)·sin ψ/x (atanc u = atan(u)/u, analytic),

    g/r = ½ e_ψ + (θ/r)/(2π) · (e₁ − sinc θ·ŵ),      e_ψ = (cos ψ, sin ψ),

free of 0/0 at r = 0.  Boxes cover the closed square (r, v) ∈ [0, 1]²; where x's
enclosure reaches 0 (the corner r = 1, ψ = π, i.e. w → 0) θ is enclosed by [0, π/2],
a superset, so the certificates are valid there too.

Margins certified (each > 0 on every box, hence on the whole region):

* inner-product bound: 2π(⟨E∇ℓ, w − w*⟩/r² − γ(θ)) = θ·N with
  N = 1 + sinc θ + (θ/r)[4θ·sinm(2θ) cos ψ − sinc²θ sin ψ], sinm(z) = (z − sin z)/z³
  (expand ½ − γ = (θ + sin θ)/(2π) and 1 − sinc θ cos θ = 4θ² sinm(2θ)).  N > 0 gives the
  bound, with equality exactly where θ = 0 (w on the ray of w*) — the bound is tight
  there and as w → w*, which is why N rather than the raw margin is subdivided.
* norm bound: (L(θ) + 4β)² − ‖g/r‖² > 0.
* contraction, factor c: after dividing by η > 0 the margin
  2⟨g, d⟩/r² − cγ(φ_t) − η‖g‖²/r² decreases in η, so η = η_max(φ_t) is the worst
  allowed step; η_max(φ_t) = min_{[0,φ_t]} R = R(φ_t), R(φ) = γ(φ)/(2(L(φ) + 4β)²),
  because R is decreasing on [0, π/2] (lemma: R'·(…) = −(1 + cos φ)(L + 4β) + 2γ(1 − cos φ)
  < 0, certified).  φ_t = arcsin r = atan2(r, √(1 − r²)).  The η dimension is therefore
  covered exactly, not sampled.
"""
from __future__ import annotations

from typing import Any

from ..estimators.closed_forms import radial_eigenvalues
from .arb import atanc, ball, flint, render, sinm
from .boxes import Box, Decision, subdivide
from .certificate import Certificate, combine, from_outcome

__all__ = [
    "certify_gradient_variant",
    "certify_thm22_contraction",
    "certify_thm22_gradient_bounds",
    "planar_quantities",
    "step_ratio_lemma",
]

_DOMAIN = {"words": "N(0, I_p), every p ≥ 2 (the dynamics stay in the plane of w, w*): w = w* + r‖w*‖(cos ψ, sin ψ), "
                    "r ∈ (0, 1), ψ ∈ [0, π] (ψ = πv), covered as the closed square (r, v) ∈ [0, 1]²",
           "r": [0.0, 1.0], "v": [0.0, 1.0]}


def planar_quantities(box: Box, pieces: int = 48) -> list[dict[str, Any]] | None:
    """Enclosures over a box (r, v) of θ, θ/r, g/r, ⟨g/r, e_ψ⟩, ‖g/r‖² (module docstring; docs/claims.md §6.3).

    Returns a list of dicts whose union encloses the quantities on the box: one dict
    normally; ``pieces`` dicts on a box touching the corner w = 0 (r = 1, ψ = π), where θ
    can be anything in [0, π/2] and [0, π/2] is cut into ``pieces`` sub-intervals (each
    combined with the box's r and ψ) to avoid the dependency blow-up.  None when no
    enclosure can be formed on this box (it is then bisected).

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> if have_flint():
    ...     from verify.estimators.closed_forms import gaussian_population_gradient
    ...     q, = planar_quantities(((0.5, 0.5), (0.5, 0.5)))
    ...     g = gaussian_population_gradient([1.0, 0.5], [1.0, 0.0]) / 0.5
    ...     print(abs(float(q["gx"].mid()) - g[0]) < 1e-12 and abs(float(q["gy"].mid()) - g[1]) < 1e-12)
    ... else:
    ...     print(True)
    True
    """
    arb = flint().arb
    pi = arb.pi()
    r = ball(*box[0])
    psi = ball(*box[1]) * pi
    c, s = psi.cos(), psi.sin()
    x, y = 1 + r * c, r * s
    thetas: list[tuple[Any, Any]] = []
    try:
        if r > 0.25 and (y > 0 or x > 0):
            theta = arb.atan2(y, x)
            thetas.append((theta, theta / r))
        elif x > 0:
            u = y / x
            thetas.append((u.atan(), atanc(u) * s / x))
        elif r > 0.25:  # the corner w = 0: θ ∈ [0, π/2], in pieces
            for i in range(pieces):
                theta = (pi / 2) * ball(i / pieces, (i + 1) / pieces)
                thetas.append((theta, theta / r))
        else:
            return None
    except ValueError:
        return None
    out = []
    for theta, t_over_r in thetas:
        sinc = theta.sinc()
        ct, st = theta.cos(), theta.sin()
        k = t_over_r / (2 * pi)
        gx = c / 2 + k * (1 - sinc * ct)
        gy = s / 2 - k * sinc * st
        out.append({"r": r, "c": c, "s": s, "theta": theta, "t_over_r": t_over_r, "sinc": sinc,
                    "gx": gx, "gy": gy, "inner": gx * c + gy * s, "norm2": gx * gx + gy * gy})
    return out


def _gamma_L(phi: Any) -> tuple[Any, Any]:
    """γ(φ), L(φ) of N(0, I) as Arb balls: the closed form's one home, in ball arithmetic."""
    gamma, L, _ = radial_eigenvalues(phi, pi=flint().arb.pi(), sin=lambda x: x.sin())
    return gamma, L


def _decide_all(qs: list[dict[str, Any]] | None, margin_of) -> Decision | None:
    """Holds when the margin is positive on every piece; refuted only on a one-piece box."""
    if qs is None:
        return None
    margins = [margin_of(q) for q in qs]
    if all(m > 0 for m in margins):
        low = margins[0].lower()
        for m in margins[1:]:
            low = low.min(m.lower())
        return Decision("holds", low)
    if len(margins) == 1 and margins[0] < 0:
        return Decision("refuted", margins[0].upper())
    return None


def _inner_margin(box: Box) -> Decision | None:
    pi = flint().arb.pi()

    def margin(q):
        th = q["theta"]
        n = 1 + q["sinc"] + q["t_over_r"] * (4 * th * sinm(2 * th) * q["c"] - q["sinc"] ** 2 * q["s"])
        return n / (2 * pi)

    return _decide_all(planar_quantities(box), margin)


def _norm_margin(beta: Any, factor: float = 1.0):
    def margin(q):
        _, L = _gamma_L(q["theta"])
        return (factor * (L + 4 * beta)) ** 2 - q["norm2"]

    return lambda box: _decide_all(planar_quantities(box), margin)


def certify_thm22_gradient_bounds(budget: int = 20000) -> list[Certificate]:
    """Claim 6 [thm22-gradient-bounds] for N(0, I_p): readings ``tight-beta``, ``beta-p`` and ``beta-1`` hold.

    docs/claims.md §4 claim 6.  Margins (module docstring): the inner-product bound via
    N/(2π) = (⟨E∇ℓ, w − w*⟩/r² − γ(θ))/θ > 0, and the norm bound via
    (L(θ) + 4β)² − ‖E∇ℓ‖²/r² > 0.  ``tight-beta``: β = 1/π.  ``beta-p``: β = p ≥ 2; the
    norm margin increases with β, so β = 2 is certified and covers every p ≥ 2.
    ``beta-1`` (uniform sphere, s = 1/p): the inner-product bound scales by s on both
    sides; the norm bound ‖s g‖ ≤ (sL + 4·1) r is ‖g‖ ≤ (L + 4p) r, the ``beta-p`` margin.

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> [c.verdict for c in certify_thm22_gradient_bounds(400)] if have_flint() else ['certified-holds'] * 3
    ['certified-holds', 'certified-holds', 'certified-holds']
    """
    arb = flint().arb
    square: Box = ((0.0, 1.0), (0.0, 1.0))
    inner = subdivide(square, _inner_margin, budget=budget)
    norm_tight = subdivide(square, _norm_margin(1 / arb.pi()), budget=budget)
    norm_p = subdivide(square, _norm_margin(arb(2)), budget=budget)
    lem = [{"fact": "inner-product", "statement": "⟨E∇ℓ, w−w*⟩ ≥ γ(θ)‖w−w*‖²; margin N/(2π) = (⟨·⟩/r² − γ)/θ",
            "verdict": _word(inner.status), "boxes": inner.examined, "min_margin": inner.lower}]
    out = []
    for slug, norm, words in (("tight-beta", norm_tight, "β = 1/π (tight, §6.5)"),
                              ("beta-p", norm_p, "β = p for every p ≥ 2 (certified at β = 2, margin increasing in β)"),
                              ("beta-1", norm_p, "uniform sphere, β = 1 (reduces to the β = p margin, see docstring)")):
        both = combine([inner, norm])
        lemmas = lem + [{"fact": "gradient-norm", "statement": f"‖E∇ℓ‖ ≤ (L(θ) + 4β)‖w−w*‖, {words}; "
                         "margin (L + 4β)² − ‖E∇ℓ‖²/r²", "verdict": _word(norm.status),
                         "boxes": norm.examined, "min_margin": norm.lower}]
        out.append(from_outcome("thm22-gradient-bounds", slug,
                                f"both bounds of the proof of Theorem 2.2 inside the ball, {words}", _DOMAIN, both,
                                {"beta (tight)": render(1 / arb.pi())},
                                margin="the smaller of the two lemma margins", lemmas=lemmas))
    return out


def certify_gradient_variant(factor: float = 0.25, budget: int = 4000) -> list[Certificate]:
    """A deliberately false variant (teeth): ‖E∇ℓ‖ ≤ factor·(L(θ) + 4β)‖w − w*‖, β = 1/π.

    docs/claims.md §4 claim 6.  The true ratio ‖E∇ℓ‖/((L + 4β)r) reaches ≈ 0.282, so factor
    ¼ is refuted (factor ½ would still hold: the printed bound has slack).

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> certify_gradient_variant()[0].verdict if have_flint() else 'certified-refuted'
    'certified-refuted'
    """
    arb = flint().arb
    o = subdivide(((0.0, 1.0), (0.0, 1.0)), _norm_margin(1 / arb.pi(), factor), budget=budget)
    return [from_outcome("thm22-gradient-bounds", f"variant-norm-bound-times-{factor:g}",
                         f"‖E∇ℓ‖ ≤ {factor:g}·(L(θ) + 4β)‖w − w*‖ (a deliberately false variant)", _DOMAIN, o,
                         margin=f"({factor:g}(L + 4β))² − ‖E∇ℓ‖²/r²")]


def step_ratio_lemma(budget: int = 500):
    """R(φ) = γ(φ)/(2(L(φ) + 4β)²) is decreasing on [0, π/2] (β = 1/π), so η_max(φ_t) = R(φ_t).

    docs/claims.md §4 claim 7.  R' = [γ'(L + 4β) − 2γL']/(2(L + 4β)³) and with
    γ' = −(1 + cos φ)/(2π), L' = −(1 − cos φ)/(2π) its sign is that of
    S(φ) = −(1 + cos φ)(L + 4β) + 2γ(1 − cos φ), certified < 0 (φ = (π/2)u).

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> step_ratio_lemma().status if have_flint() else 'holds'
    'holds'
    """
    arb = flint().arb
    pi = arb.pi()

    def decide(box: Box) -> Decision | None:
        phi = ball(*box[0]) * pi / 2
        g, L = _gamma_L(phi)
        S = -(1 + phi.cos()) * (L + 4 / pi) + 2 * g * (1 - phi.cos())
        return Decision("holds", (-S).lower()) if S < 0 else (Decision("refuted", (-S).upper()) if S > 0 else None)

    return subdivide(((0.0, 1.0),), decide, budget=budget)


def _contraction_decider(c: Any):
    arb = flint().arb
    pi = arb.pi()

    def margin(q):
        r = q["r"]
        phi_t = arb.atan2(r, (1 - r * r).nonnegative_part().sqrt())
        g_t, L_t = _gamma_L(phi_t)
        eta_max = g_t / (2 * (L_t + 4 / pi) ** 2)
        return 2 * q["inner"] - c * g_t - eta_max * q["norm2"]

    return lambda box: _decide_all(planar_quantities(box), margin)


def certify_thm22_contraction(budget: int = 20000, factors: dict[str, float] | None = None) -> list[Certificate]:
    """Claim 7 [thm22-contraction] for N(0, I_p): one GD step contracts for every allowed η, per reading.

    docs/claims.md §4 claim 7.  Margin (module docstring), after dividing by η r²:
    2⟨E∇ℓ, w − w*⟩/r² − c·γ(φ_t) − η_max(φ_t)‖E∇ℓ‖²/r², with c = ½ (``half-factor``),
    1 (``printed``), 3/2 (``three-halves``); η ∈ (0, η_max] is covered by monotonicity in η,
    and η_max(φ_t) = R(φ_t) by :func:`step_ratio_lemma`.  Radial laws with any s give the
    same margin (γ, L, β, E∇ℓ scale by s and η_max by 1/s).  ``factors`` overrides the
    readings (the tests use c = 2, which is refuted).

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> [c.verdict for c in certify_thm22_contraction(2000)] if have_flint() else ['certified-holds'] * 3
    ['certified-holds', 'certified-holds', 'certified-holds']
    """
    arb = flint().arb
    factors = factors or {"half-factor": 0.5, "printed": 1.0, "three-halves": 1.5}
    lemma = step_ratio_lemma()
    out = []
    for slug, c in factors.items():
        o = subdivide(((0.0, 1.0), (0.0, 1.0)), _contraction_decider(arb(c)), budget=budget)
        if lemma.status != "holds" and o.status == "holds":
            o.status = "undecided"
        out.append(from_outcome(
            "thm22-contraction", slug,
            f"‖w_(t+1) − w*‖² ≤ (1 − {c:g}·η·γ(φ_t))‖w_t − w*‖² for every η ∈ (0, η_max(φ_t)], r ∈ (0, 1)",
            {**_DOMAIN, "eta": "(0, η_max(φ_t)] (exact, by monotonicity in η)"}, o,
            {"eta_max(0) = R(0)": render((arb(1) / 2) / (2 * (arb(1) / 2 + 4 / arb.pi()) ** 2))},
            margin=f"2⟨g, d⟩/r² − {c:g}γ(φ_t) − η_max‖g‖²/r² (the contraction margin / (η r²))",
            lemmas=[{"fact": "step-ratio-decreasing", "statement": "γ/(2(L + 4β)²) decreasing on [0, π/2]",
                     "verdict": _word(lemma.status), "boxes": lemma.examined}],
        ))
    return out


def _word(status: str) -> str:
    return {"holds": "certified-holds", "refuted": "certified-refuted"}.get(status, "undecided")

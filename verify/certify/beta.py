"""Certificates for Assumption 2.1's constant β on radial laws (Theorems A.1 and A.2).

docs/claims.md §2 (Assumption 2.1, tight β), §4 claims 9 [thm-a1-beta-rotinv] and 10
[thm-a2-beta-gaussian], §6.1, §6.2, §6.5.

For a radial law with s = E‖Z‖²/p the eigenvalues of A_{w,−w*} at θ(w, w*) = θ are
s(θ ± sin θ)/(2π) and sθ/(2π).  On [0, π/2], sin θ ≥ 0 makes s(θ + sin θ)/(2π) the
largest, and its derivative s(1 + cos θ)/(2π) > 0 makes it increasing, so the max over
θ ≤ φ is at θ = φ:  L_{−w*}(φ) = s(φ + sin φ)/(2π)  (both facts certified as lemmas).
Then L_{−w*}(φ)/φ = s(1 + sinc φ)/(2π) with sinc φ = sin φ/φ, and

    sup_{0<φ≤π/2} L_{−w*}(φ)/φ = s/π   (the tight β),

because sinc is decreasing on (0, π/2] (d/dφ sinc φ = −(sin φ − φ cos φ)/φ², and
h(φ) = sin φ − φ cos φ > 0 there: h(0) = h'(0) = h''(0) = 0, h'''(0) = 2, certified by
an anchored subdivision) and tends to 1 as φ → 0; the sup is not attained.  A claimed β
is admissible iff β ≥ s/π; we certify the pointwise margin β − L_{−w*}(φ)/φ ≥ 0 over
boxes of (φ, t = 1/p), t ∈ (0, ½], i.e. for every p ≥ 2 at once (t is a real box
dimension, so all integers p ≥ 2 are covered).  φ = (π/2)u, u ∈ [0, 1]: including φ = 0
in the closed box is harmless (sinc is continuous there and arb's ``sinc`` encloses it).
"""
from __future__ import annotations

from .arb import ball, flint, render
from .boxes import Box, Decision, anchored_decider, subdivide
from .certificate import Certificate, from_outcome

__all__ = ["beta_lemmas", "certify_beta_claim", "certify_beta_variant", "certify_thm_a1", "certify_thm_a2"]

_DOMAIN = {"words": "φ ∈ (0, π/2] (φ = (π/2)u, u ∈ [0, 1]) × every integer p ≥ 2 (t = 1/p ∈ (0, ½], a real box)",
           "u": [0.0, 1.0], "t": [0.0, 0.5], "phi": "(0, π/2]", "p": "every integer ≥ 2"}


def beta_lemmas(budget: int = 500) -> list[dict]:
    """The three facts that reduce Assumption 2.1 to the ratio (1 + sinc φ)/(2π) (module docstring).

    docs/claims.md §6.5.  Returns one dict per fact with its verdict and box count.

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> {d["verdict"] for d in beta_lemmas()} if have_flint() else {'certified-holds'}
    {'certified-holds'}
    """
    arb = flint().arb
    half_pi = arb.pi() / 2
    unit = ((0.0, 1.0),)

    def sin_nonneg(u):  # sin φ ≥ 0 on [0, π/2]: zero of order 1 at 0 (slope π/2 > 0)
        return (half_pi * u).sin()

    def increasing(u):  # (d/dφ)(φ + sin φ) = 1 + cos φ > 0 on [0, π/2]
        return 1 + (half_pi * u).cos()

    def h(u):  # sin φ − φ cos φ ≥ 0; zero of order 3 at φ = 0 (third derivative 2cos 0 − 0 = 2 > 0)
        phi = half_pi * u
        return phi.sin() - phi * phi.cos()

    out = []
    for name, text, fun, anchors in (
        ("largest-eigenvalue", "sin φ ≥ 0 on [0, π/2]: s(φ + sin φ)/(2π) is λ_max(A_{w,−w*})", sin_nonneg, {0.0: 1}),
        ("increasing", "1 + cos φ > 0 on [0, π/2]: λ_max increasing, so L_{−w*}(φ) = s(φ + sin φ)/(2π)", increasing, {}),
        ("sinc-decreasing", "sin φ − φ cos φ > 0 on (0, π/2]: (1 + sinc φ)/(2π) decreasing, sup = its limit 1/π at 0",
         h, {0.0: 3}),
    ):
        o = subdivide(unit, anchored_decider(fun, anchors), budget=budget)
        out.append({"fact": name, "statement": text, "verdict": _word(o.status), "boxes": o.examined,
                    "min_margin": o.lower})
    return out


def _word(status: str) -> str:
    return {"holds": "certified-holds", "refuted": "certified-refuted"}.get(status, "undecided")


def certify_beta_claim(beta_times_pi_over_s: float | None, *, per_p: bool, budget: int):
    """Subdivide the margin of "β admissible" (docs/claims.md §2, §6.5).

    Parameters
    ----------
    beta_times_pi_over_s : float or None
        None: β = 1 for the sphere / β = p for N(0, I_p), both giving the normalised margin
        1 − t(1 + sinc φ)/(2π) with t = 1/p (``per_p`` must be True).  A float k: the
        fixed claim β = k·s/π, margin (2k − 1 − sinc φ)/(2π) (p-independent).
    per_p : bool
        Whether t = 1/p is a box dimension.
    budget : int

    Returns
    -------
    Outcome
    """
    arb = flint().arb
    pi = arb.pi()

    def decide(box: Box) -> Decision | None:
        phi = ball(*box[0]) * pi / 2
        ratio = (1 + phi.sinc()) / (2 * pi)  # L_{−w*}(φ)/(sφ)
        if beta_times_pi_over_s is None:
            margin = 1 - ball(*box[1]) * ratio  # (β − L_{−w*}/φ)/β, β = 1 (sphere, s = t) or p (Gaussian, s = 1)
        else:
            margin = arb(beta_times_pi_over_s) / pi - ratio
        if margin > 0:
            return Decision("holds", margin.lower())
        if margin < 0:
            return Decision("refuted", margin.upper())
        return None

    domain: Box = ((0.0, 1.0), (0.0, 0.5)) if per_p else ((0.0, 1.0),)
    return subdivide(domain, decide, budget=budget)


def _enclosures(law: str) -> dict:
    arb = flint().arb
    pi = arb.pi()
    if law == "sphere":
        return {"tight_beta(p) = 1/(πp)": "1/(πp)", "tight_beta(p=2)": render(1 / (2 * pi)),
                "1/pi": render(1 / pi), "slack_factor(p) = 1/tight_beta": "πp; at p = 2: " + render(2 * pi)}
    return {"tight_beta = 1/pi (every p)": render(1 / pi), "slack_factor(p) = p/tight_beta": "πp; at p = 2: " + render(2 * pi)}


def certify_thm_a1(budget: int = 2000) -> list[Certificate]:
    """Claim 9 [thm-a1-beta-rotinv], reading ``beta-1``: β = 1 is admissible for the unit sphere, every p ≥ 2.

    docs/claims.md §4 claim 9, §6.5.  s = 1/p = t; margin (β − L_{−w*}(φ)/φ)/β =
    1 − t(1 + sinc φ)/(2π) ≥ 1 − 1/(2π) over u ∈ [0, 1], t ∈ [0, ½] (module docstring);
    tight β = 1/(πp), slack πp.

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> certify_thm_a1()[0].verdict if have_flint() else 'certified-holds'
    'certified-holds'
    """
    o = certify_beta_claim(None, per_p=True, budget=budget)
    return [from_outcome(
        "thm-a1-beta-rotinv", "beta-1",
        "L_{−w*}(φ) = (φ + sin φ)/(2πp) ≤ 1·φ on (0, π/2] for the unit sphere in R^p, every p ≥ 2",
        _DOMAIN, o, _enclosures("sphere"),
        margin="(β − L_{−w*}(φ)/φ)/β = 1 − (1 + sinc φ)/(2πp)", lemmas=beta_lemmas(),
    )]


def certify_thm_a2(budget: int = 2000) -> list[Certificate]:
    """Claim 10 [thm-a2-beta-gaussian]: ``beta-at-most-p`` HOLDS and ``beta-p-tight`` is REFUTED, every p ≥ 2.

    docs/claims.md §4 claim 10, §6.5.  N(0, I_p): s = 1, tight β = 1/π for every p.
    ``beta-at-most-p``: margin (p − L_{−w*}(φ)/φ)/p = 1 − t(1 + sinc φ)/(2π), t = 1/p,
    the same function as Theorem A.1's.  ``beta-p-tight`` ("β = p is the tight
    constant"): the equality's normalised margin −|p − 1/π|/p = −(1 − t/π) < 0 on the
    whole box t ∈ [0, ½] (p ≥ 2 > 1/π): refuted for every p.

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> [c.verdict for c in certify_thm_a2()] if have_flint() else ['certified-holds', 'certified-refuted']
    ['certified-holds', 'certified-refuted']
    """
    arb = flint().arb
    pi = arb.pi()
    o = certify_beta_claim(None, per_p=True, budget=budget)

    def decide_tight(box: Box) -> Decision | None:
        diff = 1 - ball(*box[0]) / pi  # (p − 1/π)/p
        if diff > 0:
            return Decision("refuted", -diff.lower())
        return None

    tight = subdivide(((0.0, 0.5),), decide_tight, budget=budget)
    return [
        from_outcome("thm-a2-beta-gaussian", "beta-at-most-p",
                     "L_{−w*}(φ) = (φ + sin φ)/(2π) ≤ p·φ on (0, π/2] for N(0, I_p), every p ≥ 2",
                     _DOMAIN, o, _enclosures("gaussian"),
                     margin="(β − L_{−w*}(φ)/φ)/β = 1 − (1 + sinc φ)/(2πp)", lemmas=beta_lemmas()),
        from_outcome("thm-a2-beta-gaussian", "beta-p-tight",
                     "the tight β (= 1/π, §6.5) equals p",
                     {"words": "every integer p ≥ 2 (t = 1/p ∈ (0, ½])", "t": [0.0, 0.5]}, tight,
                     _enclosures("gaussian"), margin="−|p − 1/π|/p = −(1 − t/π)"),
    ]


def certify_beta_variant(k: float = 0.9, budget: int = 2000) -> list[Certificate]:
    """A deliberately false variant (the tests' teeth): β = k/π for N(0, I_p), refuted when k < 1.

    docs/claims.md §6.5: the tight β is 1/π, so β = 0.9/π must fail near φ = 0; the margin
    k/π − (1 + sinc φ)/(2π) is negative on a box of small φ.

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> certify_beta_variant()[0].verdict if have_flint() else 'certified-refuted'
    'certified-refuted'
    """
    o = certify_beta_claim(k, per_p=False, budget=budget)
    return [from_outcome("thm-a2-beta-gaussian", f"variant-beta-{k:g}-over-pi",
                         f"L_{{−w*}}(φ) ≤ ({k:g}/π)·φ on (0, π/2] for N(0, I_p) (a deliberately false variant)",
                         {"words": "φ ∈ (0, π/2], every p (p-independent)", "u": [0.0, 1.0]}, o,
                         margin=f"{k:g}/π − (1 + sinc φ)/(2π)")]

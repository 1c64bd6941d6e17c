"""The catalogue's names: the claim ids and each claim's negative controls, plain data, importable without the numerics.

``verify check --help`` lists them and ``verify check`` refuses an unknown id or control from them
before anything numeric is imported (issue 21).  Each claim module of :mod:`verify.claims` defines
its claim and its controls; this table only names them, and :data:`verify.claims.REGISTRY`'s loader
refuses a module whose id or control names differ from its row, so the table cannot drift.

It lives in the checker's package (whose ``__init__`` imports nothing), one layer below the catalogue
itself: importing any module of :mod:`verify.claims` loads all 20 claims.

Examples
--------
>>> ORDER[0], CONTROL_NAMES["thm22-angle"]
('lemma-a1', ('half-the-arcsin', 'angle-at-least-the-arcsin'))
"""
from __future__ import annotations

__all__ = ["CONTROL_NAMES", "ORDER"]

#: Claim id → the names of its negative controls (``verify check ID --control NAME``), in the claim's order;
#: the ids in the order of docs/claims.md §4.  Claim ``a-b`` lives in ``verify/claims/a_b.py`` as ``CLAIM``.
CONTROL_NAMES: dict[str, tuple[str, ...]] = {
    "lemma-a1": ("second-term-doubled", "terms-non-positive"),
    "def21-shape": ("gamma-non-decreasing", "l-at-most-gamma"),
    "def21-rotinv-equal": ("gamma-twice-l", "gamma-zero"),
    "thm21-recovery": ("limit-is-twice-w-star", "step-beyond-stability", "support-hypothesis-dropped"),
    "thm22-angle": ("half-the-arcsin", "angle-at-least-the-arcsin"),
    "thm22-gradient-bounds": ("upper-bound-halved", "lower-bound-doubled"),
    "thm22-contraction": ("contraction-factor-times-eight", "step-bound-dropped"),
    "thm22-complexity": ("o-constant-at-most-one", "a-tenth-of-the-iterations"),
    "thm-a1-beta-rotinv": ("beta-one-ten-thousandth", "beta-one-is-a-lower-bound"),
    "thm-a2-beta-gaussian": ("beta-p-over-1000", "beta-p-is-a-lower-bound"),
    "thm31-gradient-bounds": ("upper-bound-halved", "lower-bound-doubled", "cross-term-dropped"),
    "thm31-contraction": ("contraction-factor-times-eight", "step-bound-dropped"),
    "asm32-identical-patches": ("slightly-jittered-patches", "independent-patches"),
    "thm32-sgd": ("a-hundredth-of-the-steps", "step-size-times-1000"),
    "thm33-closeness": ("l-cross-at-most-three-hundredths-mu", "l-cross-at-least-3-mu"),
    "thm34-init": ("proof-bound-doubled", "proof-bound-is-an-upper-bound"),
    "cor31-init": ("above-one-half", "condition-dropped"),
    "sec4-smoothness": ("smoother-is-slower", "each-step-gains-one"),
    "sec4-closeness": ("closer-is-slower", "each-step-gains-one"),
    "sec4-real-data": ("near-zero-is-1e-12", "worse-start-ends-lower"),
}
#: The claim ids in the order of docs/claims.md §4 (the one list).
ORDER: tuple[str, ...] = tuple(CONTROL_NAMES)

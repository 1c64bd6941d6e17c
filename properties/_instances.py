"""Shared pieces of the property tests: instance strategies built from verify.strategies, and the check call."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import note
from hypothesis import strategies as st

from verify.claims import get_claim
from verify.distributions import AngularMixture, Degenerate, Empirical, Gaussian, Sphere
from verify.pytest_plugin import record
from verify.strategies import datasets, dimensions, filters_near, teacher_filters

#: σ of the angular mixture drawn from a fixed set, so that β (a quadrature sup, the costly part) is
#: computed once per (p, σ) and cached.
MIXTURE_SIGMAS = (0.25, 0.5, 1.0, 2.0)


def check(claim_id: str, alpha: float | None = None, **instance):
    """Check a claim on an instance, report the result to the plugin and to hypothesis' notes."""
    result = record(get_claim(claim_id).check(instance, alpha=alpha))
    note(f"{result}\n  instance: {result.instance}\n  note: {result.note}")
    return result


def assert_holds_or_outside(result):
    """Exact instances: the claim must hold, unless the instance is outside its hypotheses."""
    assert result.verdict == "holds" or result.in_hypothesis is False, (
        f"{result.claim} {result.verdict}: margin {result.margin:+.3g} ± {result.margin_error:.2g}; "
        f"counterexample {result.counterexample}; parts {[(p['name'], p['verdict'], p['why']) for p in result.parts]}")


def assert_not_refuted(result):
    assert result.verdict != "refuted", (
        f"{result.claim} refuted: margin {result.margin:+.3g} ± {result.margin_error:.2g}; "
        f"counterexample {result.counterexample}")


@st.composite
def exact_one_neuron_laws(draw, *, max_p: int = 16, max_mixture_p: int = 6, finite: bool = True,
                          degenerate: bool = True, mixture: bool = True, max_degenerate_p: int = 2):
    """(law, w*) pairs on which γ, L, β and E∇ℓ are exact or quadrature-exact.

    N(0, I_p) and the sphere (closed forms, any teacher), the angular mixture
    with w* on its axis (quadrature), finite laws in p = 2 (both directions of
    the two-point direction set, exact sums), the degenerate Gaussian (p ≤ ``max_degenerate_p``; for
    p = 2 its direction set is two points, beyond that it is searched and the estimates are one-sided).
    """
    kinds = ["radial"] + (["mixture"] if mixture else []) + (["finite"] if finite else []) + \
        (["degenerate"] if degenerate else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "radial":
        p = draw(dimensions(max_p=max_p))
        law = draw(st.sampled_from([Gaussian, Sphere]))(p)
        return law, draw(teacher_filters(p))
    if kind == "mixture":
        p = draw(dimensions(max_p=max_mixture_p))
        law = AngularMixture(p, sigma=draw(st.sampled_from(MIXTURE_SIGMAS)))
        return law, np.eye(p)[0] * draw(st.floats(0.1, 10.0))
    if kind == "finite":
        data = draw(datasets(min_n=1, max_n=30, p=2))
        return Empirical(data), draw(teacher_filters(2))
    p = draw(dimensions(min_p=2, max_p=min(max_p, max_degenerate_p)))
    law = Degenerate(p, rank=draw(st.integers(1, p - 1)))
    return law, draw(teacher_filters(p))


@st.composite
def students(draw, w_star):
    return draw(filters_near(w_star))


def angle_between(w, u) -> float:
    u = np.asarray(u, float) / np.linalg.norm(u)
    along = float(np.dot(w, u))
    return math.atan2(float(np.linalg.norm(w - along * u)), along)

"""The initialization claims' shared plumbing (Theorem 3.4, Corollary 3.1; docs/claims.md §4 claims 16, 17, §6.6).

Both claims compare bounds with the exact success probability of a uniform
start in the ball of radius α‖w*‖ (:func:`verify.dynamics.initialization.success_probability`)
at a dimension p and a radius under a cap: Theorem 3.4's α ≤ √(1/(2p)),
Corollary 3.1's cos φ* < √(π/(8p)).  Each claim's file states its bounds.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from hypothesis import strategies as st

from ..jsonio import jsonable
from ..validation import InvalidArgument
from .claim import ErratumText, Search
from .refine import Refinement, radius
from .strategies import dimensions
from .terms import Term

__all__ = ["SUCCESS_REL_ERROR", "dimensions_and_radii", "exact_success", "init_erratum", "init_instance",
           "radius_search"]

#: Relative error bar of the exact success probability: its evaluation is checked against mpmath to 1e-12 for
#: p ≤ 1000 (:func:`verify.dynamics.initialization.success_probability`); 1e-300 keeps it positive where P underflows.
SUCCESS_REL_ERROR = 1e-12


@st.composite
def dimensions_and_radii(draw: Any, cap: Callable[[int], float], key: str) -> dict:
    """{"p": p, key: a fraction in [1e-6, 1] of ``cap(p)``}: p up to 20 000 (small p often), the radius below a
    condition's cap — Theorem 3.4's √(1/(2p)), Corollary 3.1's √(π/(8p))."""
    p = draw(st.one_of(dimensions(max_p=64), dimensions(min_p=65, max_p=20_000)))
    return {"p": p, key: draw(st.floats(1e-6, 1.0)) * cap(p)}


def radius_search(name: str, cap: Callable[[int], float], key: str, examples: int) -> Search:
    """The search of an initialization claim: (p, ``key``) from :func:`dimensions_and_radii` under ``cap``, the
    worst instances refined along the radius (three starts).

    Examples
    --------
    >>> from verify.dynamics.initialization import alpha_max
    >>> search = radius_search("bound-holds", alpha_max, "alpha", 100)
    >>> search.name, search.expect, search.examples, search.refine is not None
    ('bound-holds', 'holds', 100, True)
    """
    return Search(name, partial(dimensions_and_radii, cap, key), expect="holds", examples=examples,
                  refine=Refinement(radius(key, cap), starts=3))


def init_instance(instance: dict, key: str, default: Callable[[int], float]) -> tuple[int, float, dict]:
    """(p, the radius ``instance[key]``, the instance as reported): p defaults to 5, the radius to ``default(p)``.

    Raises :class:`~verify.validation.InvalidArgument` unless the radius lies in (0, 1) (units of ‖w*‖).

    Examples
    --------
    >>> init_instance({"p": 3, "alpha": 0.2}, "alpha", lambda p: 0.4)
    (3, 0.2, {'p': 3, 'alpha': 0.2})
    >>> init_instance({}, "alpha", lambda p: 1 / p)
    (5, 0.2, {'p': 5, 'alpha': 0.2})
    """
    p = int(instance.get("p", 5))
    value = float(instance.get(key, default(p)))
    if not (0 < value < 1):
        raise InvalidArgument(key, f"must lie in (0, 1), got {value}")
    return p, value, jsonable({"p": p, key: value})


def exact_success(p: int, alpha: float) -> tuple[float, Term]:
    """The exact success probability P of Theorem 3.4 (docs/claims.md §4 claim 16, formula (★)), and P as an
    exact :class:`~verify.checker.terms.Term` with its error bar :data:`SUCCESS_REL_ERROR`·P.

    Examples
    --------
    >>> P, term = exact_success(1, 0.6)
    >>> round(P, 12), term.side
    (0.333333333333, 'exact')
    """
    from ..dynamics.initialization import success_probability

    P = success_probability(p, alpha)
    return P, Term(P, SUCCESS_REL_ERROR * P + 1e-300, side="exact", method="betainc")


def init_erratum(claim_number: int) -> ErratumText:
    """The erratum of an initialization claim (docs/claims.md §4 claim ``claim_number``, §6.6): every reading
    against the exact success probability, and where certified the range of p on which it holds.

    Examples
    --------
    >>> init_erratum(16).form
    'certified-readings'
    """
    return ErratumText(
        f"docs/claims.md §4 claim {claim_number} and §6.6: the printed bound and condition are garbled; each reading "
        "is compared with the exact success probability ½ I_{1−α²}((p+1)/2, ½) + ½ (r/α)^p I_{α²}((p+1)/2, ½). The "
        "readings that hold on the instances tried are listed, and, where certified, the range of p on which each "
        "holds.",
        form="certified-readings",
    )

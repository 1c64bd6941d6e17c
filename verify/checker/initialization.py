"""Instances of the initialization claims (Theorem 3.4, Corollary 3.1; docs/claims.md §4 claims 16, 17)."""
from __future__ import annotations

from typing import Any, Callable

from hypothesis import strategies as st

from .strategies import dimensions

__all__ = ["dimensions_and_radii"]


@st.composite
def dimensions_and_radii(draw: Any, cap: Callable[[int], float], key: str) -> dict:
    """{"p": p, key: a fraction in [1e-6, 1] of ``cap(p)``}: p up to 20 000 (small p often), the radius below a
    condition's cap — Theorem 3.4's √(1/(2p)), Corollary 3.1's √(π/(8p))."""
    p = draw(st.one_of(dimensions(max_p=64), dimensions(min_p=65, max_p=20_000)))
    return {"p": p, key: draw(st.floats(1e-6, 1.0)) * cap(p)}

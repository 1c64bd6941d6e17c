"""Fixtures shared by the tests: how an estimate is held against a reference value.

The tolerance always comes from the estimate's own error (STYLE.md §5), read
according to what the error means (``Estimate.error_kind``):

``"standard-error"``
    the check fails with probability ``rate`` when the estimator is honest:
    two-sided, ``|value − reference| ≤ t_dof(1 − rate/2) · error`` (the normal
    quantile when ``dof`` is None), as in scipy's own QMC test
    (``stdtrit(R − 1, 0.995) * standard_error``).  An estimate marked
    ``upper-bound`` / ``lower-bound`` is unbiased for a value on that side of the
    reference, so it is checked one-sided with ``t_dof(1 − rate)``.
``"absolute-bound"`` / ``"exact"``
    a guarantee, not a probability: ``|value − reference| ≤ error``.

Both add the reference's own error and ``atol``, a floating-point allowance
(the callers say what it covers).
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ndtri, stdtrit


def _quantile(dof, prob: float) -> float:
    return float(ndtri(prob) if dof is None else stdtrit(dof, prob))


def _agrees(estimate, reference, *, rate: float = 1e-6, reference_error=0.0, atol: float = 0.0) -> float:
    """Assert ``estimate`` is consistent with ``reference``; return the worst |z| (or |diff|/bound)."""
    value = np.asarray(estimate.value, dtype=float)
    error = np.asarray(estimate.error, dtype=float)
    reference = np.broadcast_to(np.asarray(reference, dtype=float), value.shape)
    slack = np.asarray(reference_error, dtype=float) + atol
    for name, arr in (("value", value), ("error", error), ("reference", reference), ("reference_error", slack)):
        assert np.all(np.isfinite(arr)), f"{name} is not finite: {arr}"
    diff = value - reference
    side = getattr(estimate, "kind", "estimate")
    if estimate.error_kind == "standard-error":
        one_sided = side in ("upper-bound", "lower-bound")
        mult = _quantile(estimate.dof, 1 - rate if one_sided else 1 - rate / 2)
        allowed = mult * error + slack
        if side == "upper-bound":      # E[value] ≥ reference: only a value far below it is a failure
            bad = -diff > allowed
        elif side == "lower-bound":
            bad = diff > allowed
        else:
            bad = np.abs(diff) > allowed
        what = f"{mult:.3g} standard errors (false-alarm rate {rate:g}, dof {estimate.dof})"
    else:
        allowed = error + slack
        bad = np.abs(diff) > allowed
        what = f"its {estimate.error_kind} error"
    if np.any(bad):
        i = np.unravel_index(np.argmax(np.where(bad, np.abs(diff) - allowed, -np.inf)), value.shape)
        raise AssertionError(
            f"{estimate.method} estimate {value[i]!r} ± {error[i]:.3g} at index {i} disagrees with the "
            f"reference {reference[i]!r} by {diff[i]:.3g}, beyond {what} + slack {np.broadcast_to(slack, value.shape)[i]:.3g}")
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(allowed > 0, np.abs(diff) / allowed, 0.0)
    return float(np.max(scores))


@pytest.fixture
def assert_agrees():
    """``assert_agrees(estimate, reference, rate=…, reference_error=…, atol=…)`` (module doc)."""
    return _agrees

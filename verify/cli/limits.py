"""The documented size limits of the command line, and the check of a patch size against this machine.

The quantities of ``estimate`` and ``check`` build p×p matrices and their
eigendecompositions (O(p³)); a patch size is refused when it lies outside the
documented range or when :data:`MATRIX_COPIES` such matrices do not fit in the
memory this machine has available.
"""
from __future__ import annotations

import math

from ..validation import InvalidArgument, available_memory, format_bytes

__all__ = ["ESTIMATE_P_MAX", "INIT_P_MAX", "K_MAX", "MATRIX_COPIES", "N_MAX", "OUTPUT_BYTES", "PHI_MAX",
           "check_patch_size"]

#: Largest number of draws (``--n``) of any subcommand.
N_MAX = 10**9
#: Largest patch size of ``estimate`` and ``check`` (p×p matrices, O(p³) eigendecompositions).
ESTIMATE_P_MAX = 4096
#: Largest dimension of ``init-prob`` (closed forms, any p up to 2⁵³).
INIT_P_MAX = 2**53
#: Largest number of patches (``--k``).
K_MAX = 1024
#: Largest number of angles in ``--phi``.
PHI_MAX = 10_000
#: Free space ``--out`` must have before the work starts, per subcommand: a report's index.html and claims.json
#: take 1.6 MB at the default profile (reports/), staged beside the previous ones until the renames; a
#: diagnose page with its figures ≈ 0.5 MB; an experiment's JSON ≤ 0.2 MB.  Four times that, for bigger
#: profiles and data.
OUTPUT_BYTES = {"report": 8 * 2**20, "diagnose": 4 * 2**20, "experiment": 2**20}
#: p×p float64 matrices alive at once, at most, in the quantities (a generous bound, for the memory check).
MATRIX_COPIES = 16


def check_patch_size(p: int, argument: str) -> None:
    """Refuse a patch size outside 2 ≤ p ≤ :data:`ESTIMATE_P_MAX` or beyond this machine's memory, with the estimate.

    ``argument`` is the argument as typed that gave ``p`` (``--p``, or ``--data``,
    ``--filter-size``, ``--dist`` when the law fixed it); raises
    :class:`~verify.validation.InvalidArgument` naming it.

    Examples
    --------
    >>> check_patch_size(3, "--p")
    >>> check_patch_size(1, "--p")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: --p: must be >= 2 (a patch has at least 2 entries), got 1
    """
    if p < 2:
        raise InvalidArgument(argument, f"must be >= 2 (a patch has at least 2 entries), got {p}")
    matrix = 8.0 * p * p
    need = MATRIX_COPIES * matrix
    room = available_memory()
    fits = math.isqrt(max(room // (8 * MATRIX_COPIES), 0))
    here = min(fits, ESTIMATE_P_MAX)
    if p > ESTIMATE_P_MAX or need > room:
        value = f"p = {p:,}" if argument == "--p" else f"the patch size it gives, p = {p:,},"
        raise InvalidArgument(argument, f"{value} is too large: the quantities need p×p matrices "
                                        f"({format_bytes(matrix)} each, about {format_bytes(need)} in all) and "
                                        f"O(p³) eigendecompositions; the documented range is 2 <= p <= "
                                        f"{ESTIMATE_P_MAX:,}, and this machine ({format_bytes(room)} available) "
                                        f"holds at most p = {here:,}")

#: ``verify check``'s Monte Carlo draws when ``--n`` is not typed.
CHECK_N = 100_000

"""Certified verdicts with interval arithmetic (python-flint's Arb balls), docs/certify.md.

Where a claim of docs/claims.md §4 reduces to closed forms (§6), its margin is enclosed
with ``arb`` over boxes of the parameter domain, and the boxes are bisected until each
enclosure decides.  The verdicts are proofs (up to the correctness of Arb and of the
stated reductions), not samples:

* ``certified-holds``: the margin is ≥ 0 on every box (``min_margin`` a rigorous lower bound),
* ``certified-refuted``: a box on which the margin is < 0 (its rigorous upper bound given),
* ``undecided``: the box budget ran out first.

Importing this package does not import flint; :func:`certify` does (the optional extra
``certify``, ``python-flint>=0.6``).

API: :func:`certify`, :class:`~verify.certify.certificate.Certificate`,
:data:`CLAIM_IDS`.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from .certificate import Certificate

__all__ = ["CLAIM_IDS", "DOMAINS", "certify"]

#: Budgets and ranges of the two domains (docs/certify.md, "Domains").
DOMAINS: dict[str, dict[str, int]] = {
    "full": {"budget": 20_000, "p_max": 10_000, "p_budget": 64},
    "reduced": {"budget": 4_000, "p_max": 300, "p_budget": 32},
}


def _runners() -> dict[str, Callable[[dict[str, int]], list[Certificate]]]:
    from . import beta, gradient, init_probability, smoothness

    return {
        "def21-shape": lambda d: smoothness.certify_def21_shape(d["budget"]),
        "def21-rotinv-equal": lambda d: smoothness.certify_def21_rotinv_equal(d["budget"]),
        "thm22-gradient-bounds": lambda d: gradient.certify_thm22_gradient_bounds(d["budget"]),
        "thm22-contraction": lambda d: gradient.certify_thm22_contraction(d["budget"]),
        "thm-a1-beta-rotinv": lambda d: beta.certify_thm_a1(d["budget"]),
        "thm-a2-beta-gaussian": lambda d: beta.certify_thm_a2(d["budget"]),
        "thm34-init": lambda d: init_probability.certify_thm34(d["p_max"], budget=d["p_budget"]),
        "cor31-init": lambda d: init_probability.certify_cor31(d["p_max"], budget=d["p_budget"]),
    }


#: The claims this package certifies, in registry order (docs/claims.md §4).
CLAIM_IDS = ("def21-shape", "def21-rotinv-equal", "thm22-gradient-bounds", "thm22-contraction",
             "thm-a1-beta-rotinv", "thm-a2-beta-gaussian", "thm34-init", "cor31-init")


def certify(claim_ids: Iterable[str] | None = None, *, domain: str = "full",
            budget: int | None = None, progress: Callable[[str], None] | None = None) -> list[Certificate]:
    """Certified verdicts for ``claim_ids`` (default: all of :data:`CLAIM_IDS`), docs/certify.md.

    Parameters
    ----------
    claim_ids : iterable of str, optional
        Claim ids of docs/claims.md §4, among :data:`CLAIM_IDS`.
    domain : "full" or "reduced"
        ``full``: p ∈ [2, 10⁴] for the initialization claims, 20 000 boxes elsewhere;
        ``reduced``: p ∈ [2, 300], 4 000 boxes (the CI setting).  The other claims are
        certified on their whole (p-independent) domain in both cases.
    budget : int, optional
        Overrides the box budget of the subdivisions (per claim / per p for claims 16–17).
    progress : callable, optional
        Called with one line of text before and after each claim (``verify certify`` prints it on stderr).

    Returns
    -------
    list[Certificate]
        One per (claim, reading), plus the extra readings documented by each function;
        each carries ``extra["seconds"]``, the wall time of its claim.

    Raises
    ------
    ValueError
        Unknown claim id or domain.
    ImportError
        python-flint is not installed.

    Examples
    --------
    >>> from verify.certify.arb import have_flint
    >>> [c.verdict for c in certify(["def21-rotinv-equal"], domain="reduced")] if have_flint() else ['certified-refuted']
    ['certified-refuted']
    """
    if domain not in DOMAINS:
        raise ValueError(f"domain must be one of {sorted(DOMAINS)}, got {domain!r}")
    ids = list(CLAIM_IDS if claim_ids is None else claim_ids)
    unknown = [c for c in ids if c not in CLAIM_IDS]
    if unknown:
        raise ValueError(f"no certificate for {unknown}; certified claims: {', '.join(CLAIM_IDS)}")
    from .arb import flint

    flint()
    settings = dict(DOMAINS[domain])
    if budget is not None:
        settings["budget"] = settings["p_budget"] = int(budget)
    runners = _runners()
    out: list[Certificate] = []
    for i, cid in enumerate(ids, 1):
        if progress is not None:
            progress(f"certify: claim {i}/{len(ids)}, {cid} ({domain} domain)")
        start = time.perf_counter()
        certs = runners[cid](settings)
        seconds = time.perf_counter() - start
        if progress is not None:
            decided = sum(c.to_dict()["boxes"]["decided"] for c in certs)
            n = len(certs)
            progress(f"certify: {cid} done in {seconds:.1f} s ({n} certificate{'' if n == 1 else 's'}, "
                     f"{decided:,} box{'' if decided == 1 else 'es'} decided)")
        for cert in certs:
            cert.extra["seconds"] = round(seconds, 3)
            cert.extra["domain_setting"] = domain
        out.extend(certs)
    return out

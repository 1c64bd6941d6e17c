"""Running each subcommand: ``run_<subcommand>(plan, progress) -> result`` (JSON-ready data).

``plan`` comes from the matching ``validate_<subcommand>`` of :mod:`verify.cli.validate`
(every argument already checked); ``progress`` is a :class:`~verify.cli.progress.Progress`.
The result is printed as JSON (``--json``) or by :mod:`verify.cli.formatting`.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..jsonio import remove_stale_temporaries, write_json_atomically
from .argtypes import PER_PHI
from .progress import Progress

__all__ = [
    "SUMMARY_LAWS",
    "SUMMARY_PHIS",
    "estimate_row",
    "run_certify",
    "run_check",
    "run_claims",
    "run_control",
    "run_estimate",
    "run_experiment",
    "run_init_prob",
    "run_report",
    "run_summary",
]

#: The built-in laws of the summary table: (label, name, p, options, method).
SUMMARY_LAWS = (
    ("N(0, I_5)", "gaussian", 5, {}, "exact"),
    ("uniform on S^4", "sphere", 5, {}, "exact"),
    ("angular mixture σ=0.5, p=3", "mixture", 3, {"sigma": 0.5}, "quad"),
    ("angular mixture σ=2, p=3", "mixture", 3, {"sigma": 2.0}, "quad"),
    ("patches σ_patch=0.1, k=4, p=3", "patches", 3, {"sigma_patch": 0.1, "k": 4}, "mc"),
    ("degenerate rank 2, p=4", "degenerate", 4, {"rank": 2}, "exact"),
)
#: The angles of the summary table.
SUMMARY_PHIS = (math.pi / 6, math.pi / 3, math.pi / 2)


def estimate_row(phi: float | None, est: Any) -> dict[str, Any]:
    """One row of ``estimate``'s JSON: the angle and the Estimate's fields, its ``warnings`` included."""
    return {"phi": phi, "value": est.value, "error": est.error, "error_kind": est.error_kind,
            "kind": est.kind, "method": est.method, "n": est.n, "seed": est.seed,
            "warnings": list(est.warnings)}


def run_estimate(plan: Any, progress: Progress) -> dict[str, Any]:
    """``estimate``: each quantity at each angle (γ, L, L_{−w*}) or once (β, L_cross)."""
    from ..estimators import beta as B
    from ..estimators import quantities as Q
    from ..laws.distributions import describe_law

    dist, phis = plan.dist, plan.phis
    common = {"method": plan.method, "n": plan.n, "seed": plan.seed}
    law = describe_law(dist)
    if not hasattr(dist, "describe"):
        law["name"] = plan.name       # a user's law is named as the user typed it (module:callable)
    out: dict[str, Any] = {"distribution": law, "method": plan.method}
    per_phi = [q for q in plan.quantities if q in PER_PHI]
    if per_phi:
        if len(phis) == 1:
            point = {"gamma": Q.gamma, "L": Q.L, "L_neg": Q.L_neg}
            for q in per_phi:
                progress(f"{q}({phis[0]:.4g}) by {plan.method}")
                out[q] = [estimate_row(float(phis[0]), point[q](dist, phis[0], **common))]
        else:
            progress(f"{', '.join(per_phi)} on {len(phis)} angles by {plan.method}")
            curves = Q.curves(dist, phis, per_phi, **common)
            for q in per_phi:
                out[q] = [estimate_row(float(phi), e) for phi, e in zip(phis, curves[q])]
    for q, fn in (("beta", B.beta), ("L_cross", B.L_cross)):
        if q in plan.quantities:
            progress(f"{q} by {plan.method}")
            out[q] = [estimate_row(None, fn(dist, **common))]
    return out


def run_init_prob(plan: Any, progress: Progress) -> dict[str, Any]:
    """``init-prob``: the exact probability, the bounds and Monte Carlo (with progress), and the MC's warnings."""
    from ..dynamics.initialization import init_probability

    progress("exact probability, bounds and Monte Carlo")
    result = init_probability(plan.p, plan.alpha, n=plan.n, seed=plan.seed,
                              progress=progress.fraction("Monte Carlo draws"))
    return {**result.to_dict(), "warnings": list(result.mc.warnings)}


def run_summary(plan: Any, progress: Progress) -> dict[str, Any]:
    """``summary``: γ, L, L_{−w*} at three angles and β of each built-in law."""
    from ..estimators import beta as B
    from ..estimators import quantities as Q
    from ..laws.distributions import make_distribution

    rows = []
    for label, name, p, options, method in SUMMARY_LAWS:
        progress(f"{label} by {method}")
        dist = make_distribution(name, p, **options)
        common = {"method": method, "n": plan.n, "seed": plan.seed}
        curves = Q.curves(dist, np.array(SUMMARY_PHIS), ("gamma", "L", "L_neg"), **common)
        row = {"law": label, "distribution": dist.describe(), "method": method,
               "phi": list(SUMMARY_PHIS),
               **{q: [e.to_dict() for e in curves[q]] for q in ("gamma", "L", "L_neg")},
               "beta": B.beta(dist, **common).to_dict()}
        rows.append(row)
    return {"laws": rows}


def run_claims(plan: Any, progress: Progress) -> list[dict[str, Any]]:
    """``claims``: the registry's metadata."""
    from ..claims import list_claims

    return list_claims()


def run_check(plan: Any, progress: Progress) -> dict[str, Any]:
    """``check``: one claim's check on its default instance or on the given law, or one of its controls."""
    if getattr(plan, "control", None) is not None:
        return run_control(plan, progress)
    from ..claims import check_claim

    progress(f"checking {plan.claim_id}")
    return check_claim(plan.claim_id, plan.dist, seed=plan.seed, n=plan.n).to_dict()


def run_control(plan: Any, progress: Progress) -> dict[str, Any]:
    """``check ID --control NAME``: search for the instance refuting the deliberately false variant.

    The result is :func:`verify.run.summarize_control`'s entry (``verdict``
    ``refuted`` when the check refuted the variant, as it must) with the claim, the
    profile and seed, the refuting instance (``failure``, a CheckResult's dict, or
    None), the search's account in words (``description``) and the warnings of the
    instances counted.
    """
    from ..experiments.profiles import get_profile
    from ..checker.search import run_search
    from ..run import summarize_control
    from ..claims import REGISTRY
    from ..results import merge_warnings

    claim = REGISTRY[plan.claim_id]
    control = claim.control(plan.control)
    profile = get_profile(plan.profile)
    progress(f"control {plan.control} of {plan.claim_id} ({profile.name})")
    outcome = run_search(claim, control.as_search(claim), profile=profile, seed=plan.seed)
    counted = [r for r in outcome.results if r.in_hypothesis is not False]
    warnings = (outcome.failure.warnings if outcome.failure is not None
                else merge_warnings(*counted)[:10])
    return {"claim": plan.claim_id, "control": plan.control, **summarize_control(claim, plan.control, outcome),
            "profile": profile.name, "needs": control.needs, "seed": plan.seed,
            "failure": None if outcome.failure is None else outcome.failure.to_dict(),
            "description": outcome.describe(), "warnings": list(warnings)}


def run_experiment(plan: Any, progress: Progress) -> dict[str, Any]:
    """``experiment``: run it, and write ``NAME.json`` atomically into ``--out`` when given."""
    from ..experiments.registry import run_experiment as run

    progress(f"experiment {plan.name} ({plan.profile})")
    overrides = {"mnist": plan.mnist} if plan.mnist else {}
    result = run(plan.name, profile=plan.profile, seed=plan.seed, **overrides)
    data = result.to_dict()
    if plan.out is not None:
        write_json_atomically(data, plan.out / f"{plan.name}.json")
    return data


def run_report(plan: Any, progress: Progress) -> dict[str, str]:
    """``report``: :func:`verify.report.build_report` into ``--out`` (stale temporaries removed first)."""
    from ..report import build_report

    remove_stale_temporaries(plan.out, names=("claims.json", "index.html"))
    index = build_report(plan.out, profile=plan.profile, seed=plan.seed, progress=lambda m: progress(m))
    if plan.open:
        import webbrowser

        webbrowser.open(index.resolve().as_uri())
    return {"index": str(index), "claims": str(plan.out / "claims.json")}


def run_certify(plan: Any, progress: Progress) -> list[dict[str, Any]]:
    """``certify``: :func:`verify.certify.certify` on the ids (default: every certified claim), one dict per certificate."""
    from ..certify import certify

    progress(f"certifying {', '.join(plan.claims) if plan.claims else 'every certified claim'} ({plan.domain})")
    return [cert.to_dict() for cert in certify(plan.claims, domain=plan.domain, budget=plan.budget,
                                               progress=progress)]

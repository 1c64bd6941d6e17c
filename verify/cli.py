"""The ``verify`` command line.

Subcommands::

    verify estimate   --dist NAME [options] --p P --phi PHI[,PHI...] --quantity gamma,L,L_neg,beta,L_cross
                      --method exact|quad|mc|qmc [--n N] [--seed S] [--json]
    verify init-prob  --p P --alpha A [--n N] [--seed S] [--json]
    verify summary    [--n N] [--seed S] [--json]       γ, L, L_{−w*}, β of the built-in laws
    verify claims     [--json]                         the registry of the paper's claims
    verify check ID   [--dist NAME options ...] [--json]
    verify experiment NAME [--profile P] [--out DIR] [--json]
    verify report     [--profile quick|default|thorough] [--out DIR] [--open]

Every bad argument is one line on stderr naming it, exit status 2, and
nothing written to stdout or to files.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from typing import Any, Sequence

import numpy as np

from .jsonio import dumps, json_number, write_json_atomically
from .validation import InvalidArgument

__all__ = ["main", "build_parser"]

ESTIMATE_QUANTITIES = ("gamma", "L", "L_neg", "beta", "L_cross")
PER_PHI = ("gamma", "L", "L_neg")
_DIST_FLAGS = (("sigma", float), ("sigma_patch", float), ("k", int), ("images", str),
               ("filter_size", int), ("stride", int), ("data", str), ("rank", int))


class _Parser(argparse.ArgumentParser):
    """argparse, but every error is one line and exit status 2."""

    def error(self, message: str) -> None:  # noqa: D102 - argparse API
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(2)


class _Progress:
    """One line per step on stderr, only once the work has run for a second."""

    def __init__(self, enabled: bool = True):
        self.enabled, self.start = enabled, time.monotonic()

    def __call__(self, message: str) -> None:
        if self.enabled and time.monotonic() - self.start > 1.0:
            sys.stderr.write(f"[{time.monotonic() - self.start:6.1f}s] {message}\n")
            sys.stderr.flush()


# ---------------------------------------------------------------------------
# Parsing helpers
# ---------------------------------------------------------------------------

def _phi_list(text: str) -> list[float]:
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidArgument("--phi", f"must be comma-separated numbers in [0, π], got {text!r}") from None


def _quantity_list(text: str) -> list[str]:
    names = [q.strip() for q in text.split(",") if q.strip()]
    for q in names:
        if q not in ESTIMATE_QUANTITIES:
            raise InvalidArgument("--quantity", f"unknown quantity {q!r}; choose from {', '.join(ESTIMATE_QUANTITIES)}")
    if not names:
        raise InvalidArgument("--quantity", "give at least one quantity")
    return names


def _add_distribution_arguments(parser: argparse.ArgumentParser, required: bool) -> None:
    group = parser.add_argument_group("distribution")
    group.add_argument("--dist", required=required,
                       help="gaussian, sphere, mixture, patches, image-patches, empirical, degenerate, "
                            "or module:callable")
    group.add_argument("--p", type=int, help="patch (filter) size")
    group.add_argument("--sigma", type=float, help="mixture: σ of the angular bumps")
    group.add_argument("--sigma-patch", dest="sigma_patch", type=float, help="patches: σ_patch")
    group.add_argument("--k", type=int, help="patches: number of patches")
    group.add_argument("--images", help="image-patches: .npy array (N, H, W) (default: scikit-learn's digits)")
    group.add_argument("--filter-size", dest="filter_size", type=int, help="image-patches: filter size")
    group.add_argument("--stride", type=int, help="image-patches: stride")
    group.add_argument("--data", help="empirical: .npy array (n, p) or (n, k, p)")
    group.add_argument("--rank", type=int, help="degenerate: dimension of the support")


def _distribution_from(args) -> Any:
    from .distributions import make_distribution

    options = {name: getattr(args, name) for name, _ in _DIST_FLAGS if getattr(args, name, None) is not None}
    return make_distribution(args.dist, args.p, **options)


def _sampling_arguments(parser, n_default: int) -> None:
    parser.add_argument("--n", type=int, default=n_default, help=f"draws for mc/qmc (default {n_default})")
    parser.add_argument("--seed", type=int, default=0, help="seed of numpy.random.default_rng (default 0)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="verify", description="Numerical verification of Du, Lee & Tian (ICLR 2018).")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"verify {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    est = sub.add_parser("estimate", help="estimate γ, L, L_{−w*}, β, L_cross of a distribution")
    _add_distribution_arguments(est, required=True)
    est.add_argument("--phi", type=str, default="1.0", help="angles in radians, comma-separated (default 1.0)")
    est.add_argument("--quantity", type=str, default="gamma,L", help="comma-separated: " + ",".join(ESTIMATE_QUANTITIES))
    est.add_argument("--method", default="mc", help="exact, quad, mc or qmc (default mc)")
    _sampling_arguments(est, 200_000)
    est.add_argument("--json", action="store_true", help="print one JSON object")

    ini = sub.add_parser("init-prob", help="Theorem 3.4: probability that a random init lands in the good ball")
    ini.add_argument("--p", type=int, required=True)
    ini.add_argument("--alpha", type=float, required=True, help="radius of the init ball, in units of ‖w*‖")
    _sampling_arguments(ini, 200_000)
    ini.add_argument("--json", action="store_true")

    summ = sub.add_parser("summary", help="γ, L, L_{−w*}, β of the built-in distributions")
    _sampling_arguments(summ, 100_000)
    summ.add_argument("--json", action="store_true")

    cl = sub.add_parser("claims", help="list the registry of the paper's claims")
    cl.add_argument("--json", action="store_true")

    ch = sub.add_parser("check", help="run one claim's check on a distribution")
    ch.add_argument("claim_id")
    _add_distribution_arguments(ch, required=False)
    _sampling_arguments(ch, 100_000)
    ch.add_argument("--json", action="store_true")

    ex = sub.add_parser("experiment", help="reproduce one of the paper's §4 experiments")
    ex.add_argument("name")
    ex.add_argument("--profile", default="default", help="quick, default or thorough")
    ex.add_argument("--seed", type=int, default=0)
    ex.add_argument("--out", help="directory for the experiment's JSON record")
    ex.add_argument("--mnist", help="directory with MNIST IDX files (instead of scikit-learn's digits)")
    ex.add_argument("--json", action="store_true")

    rep = sub.add_parser("report", help="check the claims (in process) and write the HTML report")
    rep.add_argument("--profile", default="default", help="quick, default or thorough")
    rep.add_argument("--out", default="reports-out",
                     help="output directory (default reports-out/; pass --out reports to regenerate the committed report)")
    rep.add_argument("--seed", type=int, default=0)
    rep.add_argument("--open", action="store_true", help="open index.html in a browser when done")
    return parser


# ---------------------------------------------------------------------------
# Subcommands
# ---------------------------------------------------------------------------

def _estimate_row(q: str, phi: float | None, est) -> dict[str, Any]:
    return {"phi": phi, "value": est.value, "error": est.error, "error_kind": est.error_kind,
            "kind": est.kind, "method": est.method, "n": est.n, "seed": est.seed}


def run_estimate(args, progress: _Progress) -> dict[str, Any]:
    from . import quantities as Q
    from .validation import check_angles, check_count, check_seed

    from .distributions import describe_law

    dist = _distribution_from(args)
    quantities = _quantity_list(args.quantity)
    phis = check_angles(_phi_list(args.phi), name="--phi")
    check_count(args.n, "--n", minimum=2)
    check_seed(args.seed)
    common = {"method": args.method, "n": args.n, "seed": args.seed}
    law = describe_law(dist)
    if not hasattr(dist, "describe"):
        law["name"] = args.dist       # a user's law is named as the user typed it (module:callable)
    out: dict[str, Any] = {"distribution": law, "method": args.method}
    per_phi = [q for q in quantities if q in PER_PHI]
    if per_phi:
        if len(phis) == 1:
            point = {"gamma": Q.gamma, "L": Q.L, "L_neg": Q.L_neg}
            for q in per_phi:
                progress(f"{q}({phis[0]:.4g}) by {args.method}")
                out[q] = [_estimate_row(q, float(phis[0]), point[q](dist, phis[0], **common))]
        else:
            progress(f"{', '.join(per_phi)} on {len(phis)} angles by {args.method}")
            curves = Q.curves(dist, phis, per_phi, **common)
            for q in per_phi:
                out[q] = [_estimate_row(q, float(phi), e) for phi, e in zip(phis, curves[q])]
    for q, fn in (("beta", Q.beta), ("L_cross", Q.L_cross)):
        if q in quantities:
            progress(f"{q} by {args.method}")
            out[q] = [_estimate_row(q, None, fn(dist, **common))]
    return out


def _format_estimate_table(result: dict[str, Any]) -> str:
    d = result["distribution"]
    params = ", ".join(f"{k}={v}" for k, v in (d.get("parameters") or {}).items() if v is not None)
    lines = [f"distribution: {d.get('name')} (p={d.get('p')}, k={d.get('k')}{', ' + params if params else ''})",
             f"{'quantity':<9} {'phi':>8} {'value':>14} {'± error':>11} {'error kind':<15} {'kind':<12} {'method':<6} {'n':>9}"]
    for q in ESTIMATE_QUANTITIES:
        for row in result.get(q, []):
            phi = "" if row["phi"] is None else f"{row['phi']:.4f}"
            n = "" if row["n"] is None else str(row["n"])
            lines.append(f"{q:<9} {phi:>8} {row['value']:>14.8g} {row['error']:>11.2g} {row['error_kind']:<15} "
                         f"{row['kind']:<12} {row['method']:<6} {n:>9}")
    return "\n".join(lines)


def run_init_prob(args, progress: _Progress) -> dict[str, Any]:
    from .initialization import init_probability

    progress("exact probability, bounds and Monte Carlo")
    return init_probability(args.p, args.alpha, n=args.n, seed=args.seed).to_dict()


def _format_init_table(result: dict[str, Any]) -> str:
    lines = [f"Theorem 3.4, p={result['p']}, alpha={result['alpha']}",
             f"  exact probability (lens of two balls)   {result['exact']:.12g}"]
    mc = result["mc"]
    lines.append(f"  Monte Carlo                            {mc['value']:.6g} ± {mc['error']:.2g} "
                 f"(n={mc['n']}, seed={mc['seed']})")
    for name, value in result["bounds"].items():
        ok = "≤ exact" if value <= result["exact"] else "> exact (violated)"
        lines.append(f"  bound {name:<32} {value:.12g}  {ok}")
    return "\n".join(lines)


#: The built-in laws of the summary table: (label, name, p, options, method).
SUMMARY_LAWS = (
    ("N(0, I_5)", "gaussian", 5, {}, "exact"),
    ("uniform on S^4", "sphere", 5, {}, "exact"),
    ("angular mixture σ=0.5, p=3", "mixture", 3, {"sigma": 0.5}, "quad"),
    ("angular mixture σ=2, p=3", "mixture", 3, {"sigma": 2.0}, "quad"),
    ("patches σ_patch=0.1, k=4, p=3", "patches", 3, {"sigma_patch": 0.1, "k": 4}, "mc"),
    ("degenerate rank 2, p=4", "degenerate", 4, {"rank": 2}, "exact"),
)
SUMMARY_PHIS = (math.pi / 6, math.pi / 3, math.pi / 2)


def run_summary(args, progress: _Progress) -> dict[str, Any]:
    from . import quantities as Q
    from .distributions import make_distribution

    rows = []
    for label, name, p, options, method in SUMMARY_LAWS:
        progress(f"{label} by {method}")
        dist = make_distribution(name, p, **options)
        common = {"method": method, "n": args.n, "seed": args.seed}
        curves = Q.curves(dist, np.array(SUMMARY_PHIS), ("gamma", "L", "L_neg"), **common)
        row = {"law": label, "distribution": dist.describe(), "method": method,
               "phi": list(SUMMARY_PHIS),
               **{q: [e.to_dict() for e in curves[q]] for q in ("gamma", "L", "L_neg")},
               "beta": Q.beta(dist, **common).to_dict()}
        rows.append(row)
    return {"laws": rows}


def _format_summary(result: dict[str, Any]) -> str:
    lines = []
    for row in result["laws"]:
        lines.append(f"{row['law']}  [{row['method']}]   tight β = {row['beta']['value']:.5g} ± {row['beta']['error']:.2g}"
                     f" ({row['beta']['kind']})")
        lines.append(f"   {'phi':>8} {'gamma':>20} {'L':>20} {'L_neg':>20}")
        for i, phi in enumerate(row["phi"]):
            cells = [f"{row[q][i]['value']:.5g} ± {row[q][i]['error']:.1g}" for q in ("gamma", "L", "L_neg")]
            lines.append(f"   {phi:>8.4f} {cells[0]:>20} {cells[1]:>20} {cells[2]:>20}")
    return "\n".join(lines)


def run_claims(args, progress: _Progress):
    from .claims import list_claims

    return list_claims()


def _format_claims(claims) -> str:
    lines = []
    for c in claims:
        rec = " [reconstructed]" if c.get("reconstructed") else ""
        lines.append(f"{c['id']:<24} {c['source']}{rec}\n{'':<24} {c['statement']}")
    return "\n".join(lines)


def run_check(args, progress: _Progress):
    from .claims import check_claim

    dist = _distribution_from(args) if args.dist else None
    progress(f"checking {args.claim_id}")
    return check_claim(args.claim_id, dist, seed=args.seed, n=args.n).to_dict()


def _format_check(result) -> str:
    lines = [f"{result['claim']}: {result['verdict'].upper()}"]
    if result.get("in_hypothesis") is False:
        lines.append(f"  {result.get('note') or 'outside the claim’s hypotheses'}")
    margin, error = json_number(result["margin"]), json_number(result["margin_error"])
    if margin is not None and not math.isnan(margin):
        lines.append(f"  margin {margin:+.4g} ± {error:.2g} (≥ 0 means the claim holds here)")
    elif result.get("note") and result.get("in_hypothesis") is not False:
        lines.append(f"  {result['note']}")
    tightness = json_number(result.get("tightness"))
    if tightness is not None and math.isfinite(tightness):
        lines.append(f"  tightness (actual / claimed) {tightness:.4g}")
    for name, verdict in (result.get("readings") or {}).items():
        lines.append(f"  reading {name}: {verdict}")
    if result.get("counterexample"):
        lines.append(f"  counterexample: {dumps(result['counterexample'], fallback=str)}")
    return "\n".join(lines)


def run_experiment(args, progress: _Progress):
    from .experiments import EXPERIMENTS, run_experiment as run

    if args.name not in EXPERIMENTS:
        raise InvalidArgument("NAME", f"unknown experiment {args.name!r}; choose from {', '.join(EXPERIMENTS)}")
    if args.profile not in ("quick", "default", "thorough"):
        raise InvalidArgument("--profile", f"must be quick, default or thorough, got {args.profile!r}")
    progress(f"experiment {args.name} ({args.profile})")
    overrides = {"mnist": args.mnist} if args.mnist else {}
    result = run(args.name, profile=args.profile, seed=args.seed, **overrides)
    data = result.to_dict()
    if args.out:
        write_json_atomically(data, _out_dir(args.out) / f"{args.name}.json")
    return data


def _out_dir(path: str):
    from pathlib import Path

    out = Path(path)
    if out.exists() and not out.is_dir():
        raise InvalidArgument("--out", f"{path!r} exists and is not a directory")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _format_experiment(result) -> str:
    params = ", ".join(f"{k}={v}" for k, v in result.get("parameters", {}).items())
    return f"{result['name']} (claim {result['claim']}): {params}\n  {result['finding']}"


def run_report(args, progress: _Progress):
    from .report import build_report

    if args.profile not in ("quick", "default", "thorough"):
        raise InvalidArgument("--profile", f"must be quick, default or thorough, got {args.profile!r}")
    out = _out_dir(args.out)
    index = build_report(out, profile=args.profile, seed=args.seed, progress=lambda m: progress(m))
    if args.open:
        import webbrowser

        webbrowser.open(index.resolve().as_uri())
    return {"index": str(index), "claims": str(out / "claims.json")}


_COMMANDS = {
    "estimate": (run_estimate, _format_estimate_table),
    "init-prob": (run_init_prob, _format_init_table),
    "summary": (run_summary, _format_summary),
    "claims": (run_claims, _format_claims),
    "check": (run_check, _format_check),
    "experiment": (run_experiment, _format_experiment),
    "report": (run_report, lambda r: f"wrote {r['index']} and {r['claims']}"),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run, fmt = _COMMANDS[args.command]
    progress = _Progress(enabled=True)
    try:
        result = run(args, progress)
    except InvalidArgument as err:
        sys.stderr.write(f"verify {args.command}: {err}\n")
        return 2
    except Exception as err:
        from .report import ReportError

        if not isinstance(err, ReportError):
            raise
        # the claim checker or an experiment failed to run: one line, and no report was written
        sys.stderr.write(f"verify {args.command}: {err}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("verify: interrupted\n")
        return 130
    if getattr(args, "json", False):
        sys.stdout.write(dumps(result) + "\n")
    else:
        sys.stdout.write(fmt(result) + "\n")
    return 0

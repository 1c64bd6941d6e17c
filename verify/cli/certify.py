"""The ``verify certify`` subcommand (docs/certify.md, "Running it")."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["add_parser", "format_text", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``certify [ID ...] [--json] [--reduced] [--budget N]``; sets ``func`` to :func:`run`."""
    parser = subparsers.add_parser(
        "certify",
        help="certified verdicts with interval arithmetic (python-flint), docs/certify.md",
        description="Prove or refute claims of docs/claims.md over whole parameter boxes with Arb ball arithmetic.",
    )
    parser.add_argument("claims", nargs="*", metavar="ID", help="claim ids (default: every certified claim)")
    parser.add_argument("--json", action="store_true", help="print the certificates as JSON")
    parser.add_argument("--reduced", action="store_true", help="the reduced domain (p ≤ 300, smaller budgets; ~1 s)")
    parser.add_argument("--budget", type=int, default=None, help="override the box budget")
    parser.set_defaults(func=run)
    return parser


def format_text(certs: list) -> str:
    """One block per certificate: verdict, claim/reading, boxes, margin, enclosures, per-p sets."""
    lines = []
    for cert in certs:
        d = cert.to_dict()
        lines.append(f"{d['verdict']:18s} {d['claim']} [{d['reading']}]  ({d.get('seconds', 0):.2f} s)")
        lines.append(f"    {d['statement']}")
        lines.append(f"    domain: {d['domain'].get('words', '')}")
        b = d["boxes"]
        lines.append(f"    boxes: {b['examined']} examined, {b['decided']} decided, {b['undecided']} undecided")
        lines.append(f"    min_margin: {d['min_margin']}")
        for key in ("p_holds", "p_refuted", "p_undecided"):
            if key in d and d[key] != "∅":
                lines.append(f"    {key}: {d[key]}")
        for name, value in d["enclosures"].items():
            lines.append(f"    {name} ∈ {value}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run :func:`verify.certify.certify` for the parsed arguments; exit status 0 unless an error occurs."""
    from ..certify import certify

    try:
        certs = certify(args.claims or None, domain="reduced" if args.reduced else "full", budget=args.budget)
    except (ValueError, ImportError) as exc:
        print(f"verify certify: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([c.to_dict() for c in certs], ensure_ascii=False, indent=2))
    else:
        print(format_text(certs))
    return 0

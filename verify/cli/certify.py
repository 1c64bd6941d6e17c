"""The ``verify certify`` subcommand (docs/certify.md, "Running it")."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .progress import Progress

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
    """The text of ``verify certify``: :func:`verify.cli.formatting.format_certify` of the certificates."""
    from .formatting import format_certify

    return format_certify([cert.to_dict() for cert in certs])


def run(args: argparse.Namespace) -> int:
    """Run :func:`verify.certify.certify` for the parsed arguments; exit status 0 unless an error occurs."""
    from ..certify import certify

    try:
        certs = certify(args.claims or None, domain="reduced" if args.reduced else "full", budget=args.budget,
                        progress=Progress(enabled=not args.json))
    except (ValueError, ImportError) as exc:
        print(f"verify certify: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([c.to_dict() for c in certs], ensure_ascii=False, indent=2))
    else:
        print(format_text(certs))
    return 0

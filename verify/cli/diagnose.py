"""``verify diagnose``: the command line of :func:`verify.diagnosis.diagnose` (docs/diagnose.md).

::

    verify diagnose (--images FILE.npy | --mnist DIR | --data FILE.npy | --zarr PATH)
                    [--filter-size F] [--stride S] [--teacher FILE.npy|random|gabor] [--seed S]
                    [--workers N | --scheduler ADDRESS] [--law data|sample] [--sgd-steps T] [--runs R]
                    [--eta ETA] [--quiet] [--json] [--out DIR]

Every argument is checked before any work starts (files are opened and their
headers read, the teacher loaded, ``--out`` probed for writing, Dask imported
when asked for); a bad one is one line on stderr naming the argument as typed,
exit status 2; so is ``--out`` without the ``report`` extra (jinja2, matplotlib), before any work —
``--json`` needs no extra.  Progress goes to stderr: a first line at once, then one at least every
:data:`KEEPALIVE_S` seconds in every phase (:meth:`verify.cli.progress.Progress.keepalive`); ``--quiet``
silences it.

:func:`verify.cli.parser.build_parser` registers it (:func:`register_cli`) beside the other subcommands.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from ..validation import InvalidArgument, check_output_directory
from .limits import OUTPUT_BYTES

__all__ = ["register_cli", "validate_diagnose", "run_diagnose", "format_diagnose", "KEEPALIVE_S"]

#: the longest silence on stderr while diagnose runs (a line at least every 10 s, with room for a busy machine)
KEEPALIVE_S = 8.0

_SOURCES = (("images", "--images"), ("mnist", "--mnist"), ("data", "--data"), ("zarr", "--zarr"))
_RENAME = {"filter_size": "--filter-size", "stride": "--stride", "teacher": "--teacher", "workers": "--workers",
           "scheduler": "--scheduler", "law": "--law", "sgd_steps": "--sgd-steps", "runs": "--runs",
           "batches": "--law", "seed": "--seed", "out": "--out", "source": "--images", "eta": "--eta"}


def _int_type(minimum: int, maximum: int):
    from .argtypes import integer as _integer

    return _integer(minimum, maximum)


def _check_report_extra() -> None:
    """``--out`` writes the page: refuse at once, naming the extra, when jinja2 or matplotlib is missing."""
    missing = []
    for module in ("jinja2", "matplotlib"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise InvalidArgument("--out", f"writes diagnose.html, which needs {' and '.join(missing)}: pip install "
                                       "'convfilter-verify[report]' (or use --json, which needs no extra)")


def register_cli(subparsers) -> tuple:
    """Add ``diagnose`` to ``subparsers``; returns (validate, run, format) for verify/cli.py's ``_COMMANDS``."""
    from .argtypes import one_of as _one_of
    from .argtypes import real as _real
    from .argtypes import debug_argument as _debug_argument

    d = subparsers.add_parser("diagnose", help="the paper's assumptions and predictions on your own data")
    src = d.add_argument_group("data (exactly one)")
    src.add_argument("--images", help=".npy array of images (N, H, W), read chunk by chunk")
    src.add_argument("--mnist", help="directory with the MNIST IDX training images (gzipped or not)")
    src.add_argument("--data", help=".npy array of patches (n, p) or (n, k, p)")
    src.add_argument("--zarr", help="zarr array of images (N, H, W) (needs zarr)")
    d.add_argument("--filter-size", dest="filter_size", type=_int_type(2, 64), help="filter size f (p = f²)")
    d.add_argument("--stride", type=_int_type(1, 64), default=1, help="stride (default 1)")
    d.add_argument("--teacher", default="random", help="FILE.npy (p numbers), random or gabor (default random)")
    d.add_argument("--seed", type=_int_type(0, 2**63 - 1), default=0)
    d.add_argument("--workers", type=_int_type(1, 1024), help="start a local Dask cluster of N worker processes")
    d.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:port)")
    d.add_argument("--law", type=_one_of(("data", "sample"), "law"), default="data",
                   help="data: the data are the law (exact sums, default); sample: batch means")
    d.add_argument("--sgd-steps", dest="sgd_steps", type=_int_type(0, 10**7), default=1000,
                   help="SGD iterations per run (0: no SGD; default 1000)")
    d.add_argument("--runs", type=_int_type(2, 64), default=4, help="seeded SGD starts (default 4)")
    d.add_argument("--eta", type=_real(0.0), help="the SGD step (default: the largest step of a halving search "
                                                        "from 2/L(0) whose trial runs contract)")
    d.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    d.add_argument("--json", action="store_true", help="print the result as one JSON object")
    d.add_argument("--out", help="directory for diagnose.json and diagnose.html")
    _debug_argument(d)
    return validate_diagnose, run_diagnose, format_diagnose


def _renamed(err: InvalidArgument, source_flag: str) -> InvalidArgument:
    names = {**_RENAME, "images": source_flag, "data": source_flag, "mnist": source_flag, "zarr": source_flag,
             "source": source_flag}
    return err.renamed(names.get(err.argument, err.argument)) if not err.argument.startswith("-") else err


def validate_diagnose(args) -> SimpleNamespace:
    """Everything checked before work starts; raises InvalidArgument naming the argument as typed.

    What the arguments' names decide comes first, before the diagnosis (numpy, scipy) is imported.
    """
    if args.out is not None:
        _check_report_extra()          # first: nothing is opened or computed for a page that cannot be written
    given = [(attr, flag) for attr, flag in _SOURCES if getattr(args, attr, None) is not None]
    if not given:
        raise InvalidArgument("--images", "give the data: one of --images FILE.npy, --mnist DIR, --data FILE.npy, "
                                          "--zarr PATH")
    if len(given) > 1:
        raise InvalidArgument(given[1][1], f"give one source of data, not both {given[0][1]} and {given[1][1]}")
    attr, flag = given[0]
    value = getattr(args, attr)
    if args.workers is not None and args.scheduler is not None:
        raise InvalidArgument("--scheduler", "give either --workers N (a new local cluster) or --scheduler, not both")
    if args.workers is not None or args.scheduler is not None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise InvalidArgument("--workers" if args.workers is not None else "--scheduler",
                                  "needs Dask: pip install 'dask[distributed]>=2024.1'") from None
    if args.scheduler is not None:
        from ..diagnosis.scheduler import check_scheduler_address

        args.scheduler = check_scheduler_address(args.scheduler, "--scheduler")
    out = None if args.out is None else check_output_directory(args.out, "--out", OUTPUT_BYTES["diagnose"])
    from ..diagnosis.sources import open_source   # numpy and the readers: a file that cannot be read is told fast

    try:
        kind = {"images": "images", "data": "patches"}.get(attr)
        src = open_source(value, filter_size=args.filter_size, stride=args.stride, kind=kind,
                          data_format={"images": "npy", "data": "npy"}.get(attr, attr))
        from ..diagnosis.core import resolve_teacher

        teacher = resolve_teacher(args.teacher, src.p, src.filter_size, args.seed)
    except InvalidArgument as err:
        raise _renamed(err, flag) from None
    if args.law == "sample" and src.n_items < 64:
        raise InvalidArgument("--law", f"sample needs at least 64 items (32 batches of 2), the data have {src.n_items}")
    return SimpleNamespace(source=src, teacher=teacher, seed=args.seed, workers=args.workers,
                           scheduler=args.scheduler, law=args.law, sgd_steps=args.sgd_steps, runs=args.runs,
                           out=out, flag=flag, eta=args.eta, quiet=args.quiet)


class _Doc(dict):
    """The JSON-ready result; ``text`` (not part of the JSON) is the terminal summary."""

    text = ""


def run_diagnose(plan, progress) -> dict[str, Any]:
    """Run the diagnosis; write --out files; return the JSON-ready result (with ``files`` when written)."""
    from ..diagnosis.core import diagnose
    from .progress import Progress

    say = Progress(enabled=not plan.quiet, delay=0.0)
    with say.keepalive(KEEPALIVE_S):
        try:
            result = diagnose(plan.source, teacher=plan.teacher, seed=plan.seed, workers=plan.workers,
                              scheduler=plan.scheduler, law=plan.law, sgd_steps=plan.sgd_steps, runs=plan.runs,
                              progress=say, eta=plan.eta)
        except InvalidArgument as err:
            raise _renamed(err, plan.flag) from None
        doc = _Doc(result.to_dict())
        if plan.out is not None:
            from ..diagnosis.html import write_outputs

            say(f"writing diagnose.json and diagnose.html to {plan.out}")
            doc["files"] = write_outputs(result, plan.out)
    from ..diagnosis.result import format_text

    doc.text = format_text(result)
    return doc


def format_diagnose(doc: dict) -> str:
    """The terminal summary (and the files written)."""
    text = getattr(doc, "text", "")
    if doc.get("files"):
        text += f"\nwrote {doc['files']['json']} and {doc['files']['html']}"
    return text

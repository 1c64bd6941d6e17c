"""The ``verify`` command line.

Subcommands::

    verify estimate   --dist NAME [options] --p P --phi PHI[,PHI...] --quantity gamma,L,L_neg,beta,L_cross
                      --method exact|quad|mc|qmc [--n N] [--seed S] [--json]
    verify init-prob  --p P --alpha A [--n N] [--seed S] [--json]
    verify summary    [--n N] [--seed S] [--json]       γ, L, L_{−w*}, β of the built-in laws
    verify claims     [--json]                         the registry of the paper's claims
    verify check ID   [--dist NAME options ...] [--n N] [--seed S] [--json]
    verify experiment NAME [--profile P] [--seed S] [--out DIR] [--mnist DIR] [--json]
    verify report     [--profile quick|default|thorough] [--seed S] [--out DIR] [--open]

and ``verify --debug SUBCOMMAND ...`` (the traceback behind an error), ``--version``.

Every argument is checked before any work starts (files are read, a user's law is
imported and sampled once, ``--out`` is probed for writing, sizes are compared with
the documented ranges and this machine's memory).  A bad one is ONE line on stderr,
``verify <subcommand>: <argument as typed>: <what is wrong and what is allowed>``,
exit status 2, and nothing written.  SIGINT and SIGTERM end a run with exit status
130 and 143 and one line, leaving no temporary file; the previous output files stay
as they were until the new ones replace them whole.

Documented ranges: ``--n`` ≤ 10⁹ draws; ``estimate``/``check`` ``--p`` ≤ 4096 (the
quantities build p×p matrices and their eigendecompositions, O(p³)) and within the
available memory; ``init-prob --p`` ≤ 2⁵³ (closed forms, any p); ``--k`` ≤ 1024
patches; at most 10 000 angles in ``--phi``.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import signal
import sys
import time
import traceback
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Sequence

import numpy as np

from .jsonio import dumps, json_number, remove_stale_temporaries, write_json_atomically
from .validation import InvalidArgument, available_memory, check_output_directory, format_bytes

__all__ = ["main", "build_parser", "ARGUMENT_NAMES", "N_MAX", "ESTIMATE_P_MAX", "K_MAX", "PHI_MAX"]

ESTIMATE_QUANTITIES = ("gamma", "L", "L_neg", "beta", "L_cross")
PER_PHI = ("gamma", "L", "L_neg")
METHODS = ("exact", "quad", "mc", "qmc")
PROFILES = ("quick", "default", "thorough")
_DIST_FLAGS = (("sigma", float), ("sigma_patch", float), ("k", int), ("images", str),
               ("filter_size", int), ("stride", int), ("data", str), ("rank", int))

#: Largest number of draws (``--n``) of any subcommand.
N_MAX = 10**9
#: Largest patch size of ``estimate`` and ``check`` (p×p matrices, O(p³) eigendecompositions).
ESTIMATE_P_MAX = 4096
#: Largest number of patches (``--k``).
K_MAX = 1024
#: Largest number of angles in ``--phi``.
PHI_MAX = 10_000
#: p×p float64 matrices alive at once, at most, in the quantities (a generous bound, for the memory check).
MATRIX_COPIES = 16

#: Internal argument names (as the library raises them) → the spelling on the command line.
ARGUMENT_NAMES = {
    "p": "--p", "sigma": "--sigma", "sigma_patch": "--sigma-patch", "k": "--k", "images": "--images",
    "filter_size": "--filter-size", "stride": "--stride", "data": "--data", "rank": "--rank", "dist": "--dist",
    "n": "--n", "seed": "--seed", "method": "--method", "phi": "--phi", "phis": "--phi", "quantity": "--quantity",
    "alpha": "--alpha", "profile": "--profile", "out": "--out", "mnist": "--mnist", "experiment": "NAME",
    "name": "NAME", "claim": "ID", "claim_id": "ID", "command": "COMMAND",
}
#: Per subcommand, where its meaning differs: ``experiment`` reads images only from ``--mnist``.
_SUBCOMMAND_NAMES = {"experiment": {"images": "--mnist", "limit": "--mnist"}}


class _Terminated(BaseException):
    """SIGTERM arrived (a BaseException, so that no ``except Exception`` swallows it)."""


class _UsageError(Exception):
    """An argparse error, already split into the argument as typed and the problem."""

    def __init__(self, prog: str, argument: str, problem: str):
        super().__init__(f"{argument}: {problem}")
        self.prog, self.argument, self.problem = prog, argument, problem


class _Parser(argparse.ArgumentParser):
    """argparse, but an error raises :class:`_UsageError` (one line, exit 2 in :func:`main`).

    ``listing`` (a callable returning text) is appended to ``--help`` when it is
    printed, so that valid ids are listed without importing them on every run.
    """

    def __init__(self, *args: Any, listing: Callable[[], str] | None = None, **kwargs: Any):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self.listing = listing

    def format_help(self) -> str:
        """The usual help, with the lazily computed listing as its epilog."""
        if self.listing is not None:
            self.epilog = self.listing()
            self.formatter_class = argparse.RawDescriptionHelpFormatter
        return super().format_help()

    def error(self, message: str) -> None:  # noqa: D102 - argparse API
        raise _usage_error(self.prog, message, self)


def _usage_error(prog: str, message: str, parser: argparse.ArgumentParser) -> _UsageError:
    """Split an argparse message into (argument as typed, problem)."""
    message = " ".join(message.split())
    match = re.match(r"argument (\S+?): (.*)$", message)
    if match:
        argument = match.group(1).split("/")[-1]
        problem = match.group(2)
        choice = re.match(r"invalid choice: '?(.*?)'? \(choose from (.*)\)$", problem)
        if choice:
            problem = f"unknown subcommand {choice.group(1)!r}; choose from {choice.group(2).replace(chr(39), '')}"
        elif problem.startswith("ignored explicit argument"):
            problem = f"is a flag and takes no value ({problem})"
        elif problem == "expected one argument":
            problem = "needs a value"
        return _UsageError(prog, argument, problem)
    match = re.match(r"the following arguments are required: (.*)$", message)
    if match:
        names = [name.strip().split("/")[-1] for name in match.group(1).split(",")]
        return _UsageError(prog, names[0], "is required" + _required_hint(names[0], parser))
    return _UsageError(prog, "COMMAND" if prog == "verify" else prog.split()[-1], message)


def _required_hint(name: str, parser: argparse.ArgumentParser) -> str:
    return {"COMMAND": f"; choose from {', '.join(_COMMAND_NAMES)}",
            "ID": "; give a claim id (`verify check --help` or `verify claims` lists them)",
            "NAME": "; give an experiment name (`verify experiment --help` lists them)",
            "--dist": "; give a distribution (`verify estimate --help` lists them)"}.get(name, "")


class _Progress:
    """One line per step on stderr, only once the work has run for a second."""

    def __init__(self, enabled: bool = True):
        self.enabled, self.start, self.last = enabled, time.monotonic(), 0.0

    def __call__(self, message: str) -> None:
        """Print ``[elapsed] message`` (after the first second)."""
        if self.enabled and time.monotonic() - self.start > 1.0:
            sys.stderr.write(f"[{time.monotonic() - self.start:6.1f}s] {message}\n")
            sys.stderr.flush()

    def fraction(self, what: str) -> Callable[[int, int], None]:
        """A ``progress(done, total)`` callback printing ``what: done/total`` at most every 2 seconds."""
        def report(done: int, total: int) -> None:
            now = time.monotonic()
            if now - self.last >= 2.0 or done == total and now - self.start > 1.0:
                self.last = now
                self(f"{what}: {done:,}/{total:,} ({100.0 * done / total:.0f}%)")
        return report


# ---------------------------------------------------------------------------
# Argument types (argparse calls them while parsing: nothing runs before they pass)
# ---------------------------------------------------------------------------

def _integer(minimum: int | None = None, maximum: int | None = None, what: str = "an integer") -> Callable[[str], int]:
    """An argparse type: an integer (``12``, ``1e9``, ``1_000``) within [minimum, maximum].

    Examples
    --------
    >>> _integer(1)("1e9"), _integer(1)("1_000")
    (1000000000, 1000)
    """
    def parse(text: str) -> int:
        value: int | None
        try:
            value = int(text.strip())
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            value = int(number) if math.isfinite(number) and number.is_integer() else None
        if value is None:
            raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}")
        if minimum is not None and value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be <= {maximum:,} (the documented range), got {value:,}")
        return value
    return parse


def _real(low: float | None = None, high: float | None = None, open_low: bool = True,
          open_high: bool = True) -> Callable[[str], float]:
    """An argparse type: a finite real number in an interval (open ends by default).

    Examples
    --------
    >>> _real(0.0, 1.0)("0.25")
    0.25
    """
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a real number, got {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be finite, got {text!r}")
        below = low is not None and (value <= low if open_low else value < low)
        above = high is not None and (value >= high if open_high else value > high)
        if below or above:
            lo = "" if low is None else f"{'>' if open_low else '>='} {low:g}"
            hi = "" if high is None else f"{'<' if open_high else '<='} {high:g}"
            raise argparse.ArgumentTypeError(f"must be {' and '.join(x for x in (lo, hi) if x)}, got {value:g}")
        return value
    return parse


def _phi_list(text: str) -> list[float]:
    """``--phi``: comma-separated angles in [0, π], at most :data:`PHI_MAX`.

    Examples
    --------
    >>> _phi_list("0.5, 1")
    [0.5, 1.0]
    """
    parts = [part.strip() for part in text.split(",")]
    if not any(parts):
        raise argparse.ArgumentTypeError("give at least one angle in radians, in [0, π] (e.g. 0.5,1.0)")
    if len(parts) > PHI_MAX:
        raise argparse.ArgumentTypeError(f"at most {PHI_MAX:,} angles (the documented range), got {len(parts):,}")
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be comma-separated numbers in [0, π], got {part!r}") from None
        if not (0.0 <= value <= math.pi):
            raise argparse.ArgumentTypeError(f"every angle must lie in [0, π] = [0, 3.14159], got {part}")
        values.append(value)
    return values


def _quantity_list(text: str) -> list[str]:
    """``--quantity``: comma-separated names of :data:`ESTIMATE_QUANTITIES`.

    Examples
    --------
    >>> _quantity_list("gamma,L")
    ['gamma', 'L']
    """
    names = [q.strip() for q in text.split(",") if q.strip()]
    for q in names:
        if q not in ESTIMATE_QUANTITIES:
            raise argparse.ArgumentTypeError(f"unknown quantity {q!r}; choose from {', '.join(ESTIMATE_QUANTITIES)}")
    if not names:
        raise argparse.ArgumentTypeError(f"give at least one quantity of {', '.join(ESTIMATE_QUANTITIES)}")
    return names


def _one_of(choices: Sequence[str], what: str) -> Callable[[str], str]:
    """An argparse type: one of ``choices`` (listed in the error).

    Examples
    --------
    >>> _one_of(PROFILES, "profile")("quick")
    'quick'
    """
    def parse(text: str) -> str:
        if text not in choices:
            raise argparse.ArgumentTypeError(f"unknown {what} {text!r}; choose from {', '.join(choices)}")
        return text
    return parse


def _flag_names(parser: argparse.ArgumentParser) -> list[str]:
    return sorted({o for a in parser._actions for o in a.option_strings if o.startswith("--")})


# ---------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------

def _distribution_listing() -> str:
    from .distributions import BUILTIN_NAMES, DISTRIBUTION_OPTIONS

    lines = ["distributions (--dist) and the options each takes:"]
    for name in BUILTIN_NAMES:
        options = " ".join("--" + o.replace("_", "-") for o in DISTRIBUTION_OPTIONS[name]) or "(none)"
        lines.append(f"  {name:<14} --p {options}" if name not in ("empirical", "image-patches")
                     else f"  {name:<14} {options} [--p]")
    lines.append("  module:callable  a user's law: callable(p=..., options...) -> object with p, k, sample(n, rng)")
    lines.append(f"quantities (--quantity): {', '.join(ESTIMATE_QUANTITIES)}")
    lines.append(f"methods (--method): {', '.join(METHODS)}")
    lines.append(f"documented ranges: 2 <= p <= {ESTIMATE_P_MAX}, 1 <= k <= {K_MAX}, n <= {N_MAX:.0e}, "
                 f"at most {PHI_MAX:,} angles")
    return "\n".join(lines)


def _claim_listing() -> str:
    from .claims import REGISTRY

    return "claim ids (ID):\n" + "\n".join(f"  {cid}" for cid in REGISTRY) + "\n\n" + _distribution_listing()


def _experiment_listing() -> str:
    from .experiments import EXPERIMENTS

    return (f"experiments (NAME): {', '.join(EXPERIMENTS)}\nprofiles (--profile): {', '.join(PROFILES)}\n"
            f"--mnist is taken by: {', '.join(_mnist_experiments())}")


def _add_distribution_arguments(parser: argparse.ArgumentParser, required: bool) -> None:
    group = parser.add_argument_group("distribution")
    group.add_argument("--dist", required=required,
                       help="gaussian, sphere, mixture, patches, image-patches, empirical, degenerate, "
                            "or module:callable")
    group.add_argument("--p", type=_integer(), help=f"patch (filter) size, 2 <= p <= {ESTIMATE_P_MAX}")
    group.add_argument("--sigma", type=_real(), help="mixture: σ of the angular bumps (> 0)")
    group.add_argument("--sigma-patch", dest="sigma_patch", type=_real(), help="patches: σ_patch (> 0)")
    group.add_argument("--k", type=_integer(), help=f"patches: number of patches, 1 <= k <= {K_MAX}")
    group.add_argument("--images", help="image-patches: .npy array (N, H, W) (default: scikit-learn's digits)")
    group.add_argument("--filter-size", dest="filter_size", type=_integer(), help="image-patches: filter size")
    group.add_argument("--stride", type=_integer(), help="image-patches: stride")
    group.add_argument("--data", help="empirical: .npy array (n, p) or (n, k, p)")
    group.add_argument("--rank", type=_integer(), help="degenerate: dimension of the support")


def _sampling_arguments(parser, n_default: int, n_min: int = 2) -> None:
    parser.add_argument("--n", type=_integer(n_min, N_MAX), default=n_default,
                        help=f"draws for mc/qmc, {n_min} <= n <= {N_MAX:.0e} (default {n_default})")
    parser.add_argument("--seed", type=_integer(0, what="a non-negative integer"), default=0,
                        help="seed of numpy.random.default_rng (default 0)")


def _debug_argument(parser) -> None:
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="on an error, print the traceback behind it")


_COMMAND_NAMES = ("estimate", "init-prob", "summary", "claims", "check", "experiment", "report")


def build_parser() -> argparse.ArgumentParser:
    """The ``verify`` parser (errors raise :class:`_UsageError`; :func:`main` turns them into one line)."""
    parser = _Parser(prog="verify", description="Numerical verification of Du, Lee & Tian (ICLR 2018).")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"verify {__version__}")
    parser.add_argument("--debug", action="store_true", help="on an error, print the traceback behind it")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser,
                                title="subcommands")

    est = sub.add_parser("estimate", help="estimate γ, L, L_{−w*}, β, L_cross of a distribution",
                         listing=_distribution_listing)
    _add_distribution_arguments(est, required=True)
    est.add_argument("--phi", type=_phi_list, default=[1.0], help="angles in radians, comma-separated (default 1.0)")
    est.add_argument("--quantity", type=_quantity_list, default=["gamma", "L"],
                     help="comma-separated: " + ",".join(ESTIMATE_QUANTITIES) + " (default gamma,L)")
    est.add_argument("--method", type=_one_of(METHODS, "method"), default="mc",
                     help="exact, quad, mc or qmc (default mc)")
    _sampling_arguments(est, 200_000)
    est.add_argument("--json", action="store_true", help="print one JSON object")

    ini = sub.add_parser("init-prob", help="Theorem 3.4: probability that a random init lands in the good ball")
    ini.add_argument("--p", type=_integer(1, 2**53), required=True, help="dimension, 1 <= p <= 2**53")
    ini.add_argument("--alpha", type=_real(0.0, 1.0), required=True,
                     help="radius of the init ball, in units of ‖w*‖, in (0, 1)")
    _sampling_arguments(ini, 200_000, n_min=1)
    ini.add_argument("--json", action="store_true")

    summ = sub.add_parser("summary", help="γ, L, L_{−w*}, β of the built-in distributions")
    _sampling_arguments(summ, 100_000)
    summ.add_argument("--json", action="store_true")

    cl = sub.add_parser("claims", help="list the registry of the paper's claims")
    cl.add_argument("--json", action="store_true")

    ch = sub.add_parser("check", help="run one claim's check on a distribution", listing=_claim_listing)
    ch.add_argument("claim_id", metavar="ID", help="a claim id (listed below)")
    _add_distribution_arguments(ch, required=False)
    _sampling_arguments(ch, 100_000)
    ch.add_argument("--json", action="store_true")

    ex = sub.add_parser("experiment", help="reproduce one of the paper's §4 experiments", listing=_experiment_listing)
    ex.add_argument("name", metavar="NAME", help="an experiment name (listed below)")
    ex.add_argument("--profile", type=_one_of(PROFILES, "profile"), default="default",
                    help="quick, default or thorough")
    ex.add_argument("--seed", type=_integer(0, what="a non-negative integer"), default=0)
    ex.add_argument("--out", help="directory for the experiment's JSON record")
    ex.add_argument("--mnist", help="directory with MNIST IDX files (instead of scikit-learn's digits)")
    ex.add_argument("--json", action="store_true")

    rep = sub.add_parser("report", help="check the claims (in process) and write the HTML report",
                         listing=lambda: f"profiles (--profile): {', '.join(PROFILES)}")
    rep.add_argument("--profile", type=_one_of(PROFILES, "profile"), default="default",
                     help="quick, default or thorough")
    rep.add_argument("--out", default="reports-out",
                     help="output directory (default reports-out/; pass --out reports to regenerate the committed report)")
    rep.add_argument("--seed", type=_integer(0, what="a non-negative integer"), default=0)
    rep.add_argument("--open", action="store_true", help="open index.html in a browser when done")
    for subparser in (est, ini, summ, cl, ch, ex, rep):
        _debug_argument(subparser)
    return parser


# ---------------------------------------------------------------------------
# Validation: everything a subcommand needs, checked before its work starts
# ---------------------------------------------------------------------------

def _typed(args, name: str) -> bool:
    return getattr(args, name, None) is not None


def _distribution_from(args, command: str) -> Any:
    """The law of ``--dist`` and its options (files read, a user's law imported and sampled once)."""
    from .distributions import BUILTIN_NAMES, DISTRIBUTION_OPTIONS, make_distribution

    options = {name: getattr(args, name) for name, _ in _DIST_FLAGS if _typed(args, name)}
    name = args.dist
    if name in DISTRIBUTION_OPTIONS:
        allowed = DISTRIBUTION_OPTIONS[name]
        for option in options:
            if option not in allowed:
                takes = ", ".join("--" + o.replace("_", "-") for o in allowed) or "no options besides --p"
                raise InvalidArgument("--" + option.replace("_", "-"),
                                      f"distribution {name!r} does not take it (it takes {takes})")
        if name not in ("empirical", "image-patches"):
            if args.p is None:
                raise InvalidArgument("--p", f"distribution {name!r} needs the dimension: --p P, "
                                             f"2 <= P <= {ESTIMATE_P_MAX}")
            _check_p(args.p, "--p", 1 if name != "patches" else (args.k or 4), args)
        if "k" in options and not (1 <= options["k"] <= K_MAX):
            raise InvalidArgument("--k", f"must lie in 1 <= k <= {K_MAX} (the documented range), got {options['k']}")
    elif ":" not in name:
        raise InvalidArgument("--dist", f"unknown distribution {name!r}; choose from {', '.join(BUILTIN_NAMES)}, "
                                        "or module:callable (your own law)")
    elif args.p is not None:
        _check_p(args.p, "--p", 1, args)
    dist = make_distribution(name, args.p, **options)
    if args.p is None:   # p came from the data, the images or the user's law
        argument = {"empirical": "--data", "image-patches": "--filter-size"}.get(name, "--dist")
        _check_p(int(dist.p), argument, int(getattr(dist, "k", 1)), args)
    return dist


def _check_p(p: int, argument: str, k: int, args) -> None:
    """Refuse a patch size outside 2 ≤ p ≤ :data:`ESTIMATE_P_MAX` or beyond this machine's memory, with the estimate."""
    if p < 2:
        raise InvalidArgument(argument, f"must be >= 2 (a patch has at least 2 entries), got {p}")
    matrix = 8.0 * p * p
    need = MATRIX_COPIES * matrix
    room = available_memory()
    fits = int(math.isqrt(max(room // (8 * MATRIX_COPIES), 0)))
    here = min(fits, ESTIMATE_P_MAX)
    if p > ESTIMATE_P_MAX or need > room:
        value = f"p = {p:,}" if argument == "--p" else f"the patch size it gives, p = {p:,},"
        raise InvalidArgument(argument, f"{value} is too large: the quantities need p×p matrices "
                                        f"({format_bytes(matrix)} each, about {format_bytes(need)} in all) and "
                                        f"O(p³) eigendecompositions; the documented range is 2 <= p <= "
                                        f"{ESTIMATE_P_MAX:,}, and this machine ({format_bytes(room)} available) "
                                        f"holds at most p = {here:,}")


def _mnist_experiments() -> list[str]:
    from .experiments import EXPERIMENTS, experiment_settings

    return [name for name in EXPERIMENTS if "mnist" in experiment_settings(name, "quick", 0, {})]


def validate_estimate(args) -> SimpleNamespace:
    """``estimate``: the law (built and sampled once), angles, quantities, method, n and seed."""
    dist = _distribution_from(args, "estimate")
    return SimpleNamespace(dist=dist, quantities=args.quantity, phis=np.asarray(args.phi, dtype=float),
                           method=args.method, n=args.n, seed=args.seed, name=args.dist)


def validate_init_prob(args) -> SimpleNamespace:
    """``init-prob``: p, α, n and seed were checked by the parser."""
    return SimpleNamespace(p=args.p, alpha=args.alpha, n=args.n, seed=args.seed)


def validate_summary(args) -> SimpleNamespace:
    """``summary``: n and seed were checked by the parser."""
    return SimpleNamespace(n=args.n, seed=args.seed)


def validate_claims(args) -> SimpleNamespace:
    """``claims``: nothing to check."""
    return SimpleNamespace()


def validate_check(args) -> SimpleNamespace:
    """``check``: the claim id, and the law when one is given (its options need ``--dist``)."""
    from .claims import REGISTRY

    if args.claim_id not in REGISTRY:
        raise InvalidArgument("ID", f"unknown claim id {args.claim_id!r}; choose from {', '.join(REGISTRY)}")
    dist = None
    if args.dist is not None:
        dist = _distribution_from(args, "check")
    else:
        given = ["--" + name.replace("_", "-") for name in ("p", *(n for n, _ in _DIST_FLAGS)) if _typed(args, name)]
        if given:
            raise InvalidArgument(given[0], "is an option of a distribution: give --dist NAME with it "
                                            "(`verify check --help` lists the distributions)")
    return SimpleNamespace(claim_id=args.claim_id, dist=dist, n=args.n, seed=args.seed)


def validate_experiment(args) -> SimpleNamespace:
    """``experiment``: the name, --out writable, --mnist readable and taken by this experiment."""
    from .experiments import EXPERIMENTS

    if args.name not in EXPERIMENTS:
        raise InvalidArgument("NAME", f"unknown experiment {args.name!r}; choose from {', '.join(EXPERIMENTS)}")
    out = check_output_directory(args.out, "--out") if args.out is not None else None
    if args.mnist is not None:
        takers = _mnist_experiments()
        if args.name not in takers:
            raise InvalidArgument("--mnist", f"experiment {args.name} uses no images; --mnist is taken by "
                                             f"{', '.join(takers)}")
        from .images import mnist_images

        try:
            mnist_images(args.mnist, limit=1)
        except InvalidArgument as err:
            raise err.renamed("--mnist") from err.__cause__
    return SimpleNamespace(name=args.name, profile=args.profile, seed=args.seed, out=out, mnist=args.mnist)


def validate_report(args) -> SimpleNamespace:
    """``report``: the profile and seed (parser), and --out writable."""
    return SimpleNamespace(out=check_output_directory(args.out, "--out"), profile=args.profile, seed=args.seed,
                           open=args.open)


# ---------------------------------------------------------------------------
# Subcommands
# ---------------------------------------------------------------------------

def _estimate_row(q: str, phi: float | None, est) -> dict[str, Any]:
    return {"phi": phi, "value": est.value, "error": est.error, "error_kind": est.error_kind,
            "kind": est.kind, "method": est.method, "n": est.n, "seed": est.seed}


def run_estimate(plan, progress: _Progress) -> dict[str, Any]:
    """``estimate``: each quantity at each angle (γ, L, L_{−w*}) or once (β, L_cross)."""
    from . import quantities as Q
    from .distributions import describe_law

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
                out[q] = [_estimate_row(q, float(phis[0]), point[q](dist, phis[0], **common))]
        else:
            progress(f"{', '.join(per_phi)} on {len(phis)} angles by {plan.method}")
            curves = Q.curves(dist, phis, per_phi, **common)
            for q in per_phi:
                out[q] = [_estimate_row(q, float(phi), e) for phi, e in zip(phis, curves[q])]
    for q, fn in (("beta", Q.beta), ("L_cross", Q.L_cross)):
        if q in plan.quantities:
            progress(f"{q} by {plan.method}")
            out[q] = [_estimate_row(q, None, fn(dist, **common))]
    return out


def run_init_prob(plan, progress: _Progress) -> dict[str, Any]:
    """``init-prob``: the exact probability, the bounds and Monte Carlo (with progress)."""
    from .initialization import init_probability

    progress("exact probability, bounds and Monte Carlo")
    return init_probability(plan.p, plan.alpha, n=plan.n, seed=plan.seed,
                            progress=progress.fraction("Monte Carlo draws")).to_dict()


def run_summary(plan, progress: _Progress) -> dict[str, Any]:
    """``summary``: γ, L, L_{−w*} at three angles and β of each built-in law."""
    from . import quantities as Q
    from .distributions import make_distribution

    rows = []
    for label, name, p, options, method in SUMMARY_LAWS:
        progress(f"{label} by {method}")
        dist = make_distribution(name, p, **options)
        common = {"method": method, "n": plan.n, "seed": plan.seed}
        curves = Q.curves(dist, np.array(SUMMARY_PHIS), ("gamma", "L", "L_neg"), **common)
        row = {"law": label, "distribution": dist.describe(), "method": method,
               "phi": list(SUMMARY_PHIS),
               **{q: [e.to_dict() for e in curves[q]] for q in ("gamma", "L", "L_neg")},
               "beta": Q.beta(dist, **common).to_dict()}
        rows.append(row)
    return {"laws": rows}


def run_claims(plan, progress: _Progress):
    """``claims``: the registry's metadata."""
    from .claims import list_claims

    return list_claims()


def run_check(plan, progress: _Progress):
    """``check``: one claim's check on its default instance or on the given law."""
    from .claims import check_claim

    progress(f"checking {plan.claim_id}")
    return check_claim(plan.claim_id, plan.dist, seed=plan.seed, n=plan.n).to_dict()


def run_experiment(plan, progress: _Progress):
    """``experiment``: run it, and write ``NAME.json`` atomically into ``--out`` when given."""
    from .experiments import run_experiment as run

    progress(f"experiment {plan.name} ({plan.profile})")
    overrides = {"mnist": plan.mnist} if plan.mnist else {}
    result = run(plan.name, profile=plan.profile, seed=plan.seed, **overrides)
    data = result.to_dict()
    if plan.out is not None:
        plan.out.mkdir(parents=True, exist_ok=True)
        write_json_atomically(data, plan.out / f"{plan.name}.json")
    return data


def run_report(plan, progress: _Progress):
    """``report``: :func:`verify.report.build_report` into ``--out`` (stale temporaries removed first)."""
    from .report import build_report

    remove_stale_temporaries(plan.out, names=("claims.json", "index.html"))
    index = build_report(plan.out, profile=plan.profile, seed=plan.seed, progress=lambda m: progress(m))
    if plan.open:
        import webbrowser

        webbrowser.open(index.resolve().as_uri())
    return {"index": str(index), "claims": str(plan.out / "claims.json")}


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



def _format_claims(claims) -> str:
    lines = []
    for c in claims:
        rec = " [reconstructed]" if c.get("reconstructed") else ""
        lines.append(f"{c['id']:<24} {c['source']}{rec}\n{'':<24} {c['statement']}")
    return "\n".join(lines)



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



def _format_experiment(result) -> str:
    params = ", ".join(f"{k}={v}" for k, v in result.get("parameters", {}).items())
    return f"{result['name']} (claim {result['claim']}): {params}\n  {result['finding']}"




def _format_report(result) -> str:
    return f"wrote {result['index']} and {result['claims']}"


#: Each subcommand: (validate(args) -> plan, run(plan, progress) -> result, format(result) -> text).
_COMMANDS: dict[str, tuple[Callable, Callable, Callable]] = {
    "estimate": (validate_estimate, run_estimate, _format_estimate_table),
    "init-prob": (validate_init_prob, run_init_prob, _format_init_table),
    "summary": (validate_summary, run_summary, _format_summary),
    "claims": (validate_claims, run_claims, _format_claims),
    "check": (validate_check, run_check, _format_check),
    "experiment": (validate_experiment, run_experiment, _format_experiment),
    "report": (validate_report, run_report, _format_report),
}


def _user_spelling(err: InvalidArgument, command: str | None) -> InvalidArgument:
    """``err`` under the argument's command-line spelling (``sigma_patch`` → ``--sigma-patch``)."""
    names = {**ARGUMENT_NAMES, **_SUBCOMMAND_NAMES.get(command or "", {})}
    argument = names.get(err.argument, err.argument)
    return err if argument == err.argument else err.renamed(argument)


def _one_line(command: str | None, argument: str, problem: str) -> str:
    where = f"verify {command}" if command else "verify"
    return " ".join(f"{where}: {argument}: {problem}".split()) + "\n"


def _print_cause(err: BaseException) -> None:
    cause = err.__cause__ or err.__context__
    if cause is not None:
        traceback.print_exception(type(cause), cause, cause.__traceback__, file=sys.stderr)
    else:
        traceback.print_exception(type(err), err, err.__traceback__, file=sys.stderr)


def _handle_signals() -> Callable[[], None]:
    """SIGINT → KeyboardInterrupt, SIGTERM → :class:`_Terminated`; returns the function that restores the old ones."""
    def on_term(signum, frame):
        raise _Terminated()

    def on_int(signum, frame):
        raise KeyboardInterrupt()

    try:
        previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, on_term),
                    signal.SIGINT: signal.signal(signal.SIGINT, on_int)}
    except ValueError:          # not the main thread: leave the handlers alone
        return lambda: None

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
    return restore


def _debug_requested(argv: Sequence[str]) -> bool:
    return "--debug" in argv


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``verify`` command line; return its exit status (never raise).

    0: done; 1: the work itself failed (an internal error, or the report could
    not be built); 2: a bad argument (one line on stderr); 130/143: interrupted
    by SIGINT/SIGTERM.

    Examples
    --------
    >>> main(["init-prob", "--p", "3", "--alpha", "2"])
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    restore = _handle_signals()
    command: str | None = None
    debug = _debug_requested(argv)
    try:
        try:
            parser = build_parser()
            for token in argv:                # options before the subcommand: only verify's own
                if not token.startswith("-"):
                    break
                if token.split("=", 1)[0] not in ("--debug", "--version", "-h", "--help"):
                    raise InvalidArgument(token.split("=", 1)[0], "unknown option of verify; before the subcommand "
                                                                  "only --debug, --version and --help are allowed")
            args, extras = parser.parse_known_args(argv)
            command, debug = args.command, bool(getattr(args, "debug", False))
            if extras:
                sub_parser = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
                extra = extras[0].split("=", 1)[0]
                if extra.startswith("-"):
                    raise InvalidArgument(extra, f"unknown option of verify {command}; its options are "
                                                 f"{', '.join(_flag_names(sub_parser))}")
                raise InvalidArgument(extra, f"unexpected argument of verify {command} (`verify {command} --help` "
                                             "shows its usage)")
            validate, run, fmt = _COMMANDS[command]
            plan = validate(args)
            progress = _Progress(enabled=True)
            result = run(plan, progress)
            text = dumps(result) if getattr(args, "json", False) else fmt(result)
        except _UsageError as err:
            command = err.prog.split()[1] if len(err.prog.split()) > 1 else None
            sys.stderr.write(_one_line(command, err.argument, err.problem))
            return 2
        except InvalidArgument as err:
            err = _user_spelling(err, command)
            if debug:
                _print_cause(err)
            sys.stderr.write(_one_line(command, err.argument, err.problem))
            return 2
        except SystemExit as err:            # --help and --version (argparse prints, then exits 0)
            code = err.code
            return code if isinstance(code, int) else (0 if code is None else 2)
        except KeyboardInterrupt:
            sys.stderr.write(_one_line(command, "interrupted", "SIGINT; stopped, no partial file left"))
            return 130
        except _Terminated:
            sys.stderr.write(_one_line(command, "terminated", "SIGTERM; stopped, no partial file left"))
            return 143
        except MemoryError:
            if debug:
                traceback.print_exc()
            sys.stderr.write(_one_line(command, "memory", "this machine ran out of memory; use smaller sizes"))
            return 1
        except Exception as err:  # noqa: BLE001 - the last line of defence: one line, exit 1
            from .report import ReportError

            if debug:
                traceback.print_exc()
            if isinstance(err, ReportError):   # the claim checker or an experiment failed: no report was written
                sys.stderr.write(_one_line(command, "error", str(err)))
            else:
                sys.stderr.write(_one_line(command, "internal error", f"{type(err).__name__}: {err} "
                                                                    "(rerun with --debug for the traceback)"))
            return 1
        try:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:       # a signal while reporting another outcome
        return 130
    except _Terminated:
        return 143
    finally:
        restore()

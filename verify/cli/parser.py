"""The ``verify`` argument parser: argparse with one-line errors and help texts that list the valid ids.

:func:`build_parser` builds it; an argparse error raises :class:`UsageError`
(already split into the argument as typed and the problem), which
:func:`verify.cli.main` prints as one line with exit status 2.  A subparser's
``listing`` (valid claim ids, controls, distributions, experiments) is computed
only when its ``--help`` is printed, from the names tables (plain data:
:mod:`verify.checker.catalogue`, :mod:`verify.experiments.names`,
:mod:`verify.laws.names`), so that no numerics are imported to print it.
"""
from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import Any

from .argtypes import (ESTIMATE_QUANTITIES, METHODS, debug_argument, integer, one_of, phi_list,
                       quantity_list, real)
from .limits import CHECK_N, ESTIMATE_P_MAX, INIT_P_MAX, K_MAX, N_MAX, PHI_MAX
from ..validation import PROFILE_NAMES

__all__ = ["COMMAND_NAMES", "Parser", "UsageError", "build_parser", "flag_names", "usage_error"]

#: The subcommands, in the order ``verify --help`` and the errors list them.
COMMAND_NAMES = ("estimate", "init-prob", "summary", "claims", "check", "experiment", "report", "certify",
                 "diagnose")


class UsageError(Exception):
    """An argparse error, already split into the argument as typed and the problem."""

    def __init__(self, prog: str, argument: str, problem: str):
        super().__init__(f"{argument}: {problem}")
        self.prog, self.argument, self.problem = prog, argument, problem


class Parser(argparse.ArgumentParser):
    """argparse, but an error raises :class:`UsageError` (one line, exit 2 in :func:`verify.cli.main`).

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

    def error(self, message: str) -> None:
        raise usage_error(self.prog, message, self)


def usage_error(prog: str, message: str, parser: argparse.ArgumentParser) -> UsageError:
    """Split an argparse message into (argument as typed, problem).

    Examples
    --------
    >>> err = usage_error("verify estimate", "argument --p: expected one argument", None)
    >>> err.argument, err.problem
    ('--p', 'needs a value')
    """
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
        return UsageError(prog, argument, problem)
    match = re.match(r"the following arguments are required: (.*)$", message)
    if match:
        names = [name.strip().split("/")[-1] for name in match.group(1).split(",")]
        return UsageError(prog, names[0], "is required" + _required_hint(names[0]))
    return UsageError(prog, "COMMAND" if prog == "verify" else prog.split()[-1], message)


def _required_hint(name: str) -> str:
    return {"COMMAND": f"; choose from {', '.join(COMMAND_NAMES)}",
            "ID": "; give a claim id (`verify check --help` or `verify claims` lists them)",
            "NAME": "; give an experiment name (`verify experiment --help` lists them)",
            "--dist": "; give a distribution (`verify estimate --help` lists them)"}.get(name, "")


def flag_names(parser: argparse.ArgumentParser) -> list[str]:
    """The ``--long`` options of a (sub)parser, sorted (for "its options are …")."""
    return sorted({o for a in parser._actions for o in a.option_strings if o.startswith("--")})


# ---------------------------------------------------------------------------
# The listings of --help (computed when printed)
# ---------------------------------------------------------------------------

def _distribution_listing() -> str:
    from ..laws.names import BUILTIN_NAMES, DISTRIBUTION_OPTIONS

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
    from ..checker.catalogue import CONTROL_NAMES

    lines = ["claim ids (ID) and their negative controls (--control NAME):"]
    for cid, names in CONTROL_NAMES.items():
        lines.append(f"  {cid:<26} {', '.join(names) or '(none)'}")
    lines.append(f"profiles (--profile, with --control): {', '.join(PROFILE_NAMES)}")
    return "\n".join(lines) + "\n\n" + _distribution_listing()


def _experiment_listing() -> str:
    from ..experiments.names import EXPERIMENT_NAMES, MNIST_EXPERIMENTS

    return (f"experiments (NAME): {', '.join(EXPERIMENT_NAMES)}\nprofiles (--profile): {', '.join(PROFILE_NAMES)}\n"
            f"--mnist is taken by: {', '.join(MNIST_EXPERIMENTS)}")


def _certify_listing() -> str:
    from ..certify import CLAIM_IDS

    return (f"certified claim ids (ID): {', '.join(CLAIM_IDS)}\n"
            'needs python-flint: pip install "convfilter-verify[certify]" (docs/certify.md)')


# ---------------------------------------------------------------------------
# Groups of arguments shared by subcommands
# ---------------------------------------------------------------------------

def _add_distribution_arguments(parser: argparse.ArgumentParser, required: bool) -> None:
    group = parser.add_argument_group("distribution")
    group.add_argument("--dist", required=required,
                       help="gaussian, sphere, mixture, patches, image-patches, empirical, degenerate, "
                            "or module:callable")
    group.add_argument("--p", type=integer(), help=f"patch (filter) size, 2 <= p <= {ESTIMATE_P_MAX}")
    group.add_argument("--sigma", type=real(0.0), help="mixture: σ of the angular bumps (> 0)")
    group.add_argument("--sigma-patch", dest="sigma_patch", type=real(0.0), help="patches: σ_patch (> 0)")
    group.add_argument("--k", type=integer(), help=f"patches: number of patches, 1 <= k <= {K_MAX}")
    group.add_argument("--images", help="image-patches: .npy array (N, H, W) (default: scikit-learn's digits)")
    group.add_argument("--filter-size", dest="filter_size", type=integer(), help="image-patches: filter size")
    group.add_argument("--stride", type=integer(), help="image-patches: stride")
    group.add_argument("--data", help="empirical: .npy array (n, p) or (n, k, p)")
    group.add_argument("--rank", type=integer(1), help="degenerate: dimension of the support, 1 <= rank <= p")


def _sampling_arguments(parser: argparse.ArgumentParser, n_default: int, n_min: int = 2) -> None:
    parser.add_argument("--n", type=integer(n_min, N_MAX), default=n_default,
                        help=f"draws for mc/qmc, {n_min} <= n <= {N_MAX:.0e} (default {n_default})")
    parser.add_argument("--seed", type=integer(0, what="a non-negative integer"), default=0,
                        help="seed of numpy.random.default_rng (default 0)")


class _VersionAction(argparse.Action):
    """``--version``: the installed version, read only when asked for (importlib.metadata is slow to import)."""

    def __init__(self, option_strings: Any, dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0,
                         help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(f"verify {package_version()}")
        parser.exit()


def package_version() -> str:
    """The installed distribution's version (pyproject.toml is its one home), or "unknown" from a bare source tree."""
    from importlib import metadata

    try:
        return metadata.version("convfilter-verify")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """The ``verify`` parser (errors raise :class:`UsageError`; :func:`verify.cli.main` turns them into one line)."""
    from .certify import add_parser as register_certify
    from .diagnose import register_cli as register_diagnose

    parser = Parser(prog="verify", description="Numerical verification of Du, Lee & Tian (ICLR 2018).")
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--debug", action="store_true", help="on an error, print the traceback behind it")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser,
                                title="subcommands")

    est = sub.add_parser("estimate", help="estimate γ, L, L_{−w*}, β, L_cross of a distribution",
                         listing=_distribution_listing)
    _add_distribution_arguments(est, required=True)
    est.add_argument("--phi", type=phi_list, default=[1.0], help="angles in radians, comma-separated (default 1.0)")
    est.add_argument("--quantity", type=quantity_list, default=["gamma", "L"],
                     help="comma-separated: " + ",".join(ESTIMATE_QUANTITIES) + " (default gamma,L)")
    est.add_argument("--method", type=one_of(METHODS, "method"), default="mc",
                     help="exact, quad, mc or qmc (default mc)")
    _sampling_arguments(est, 200_000)
    est.add_argument("--json", action="store_true", help="print one JSON object")

    ini = sub.add_parser("init-prob", help="Theorem 3.4: probability that a random init lands in the good ball")
    ini.add_argument("--p", type=integer(1, INIT_P_MAX), required=True, help="dimension, 1 <= p <= 2**53")
    ini.add_argument("--alpha", type=real(0.0, 1.0), required=True,
                     help="radius of the init ball, in units of ‖w*‖, in (0, 1)")
    _sampling_arguments(ini, 200_000, n_min=1)
    ini.add_argument("--json", action="store_true")

    summ = sub.add_parser("summary", help="γ, L, L_{−w*}, β of the built-in distributions")
    _sampling_arguments(summ, 100_000)
    summ.add_argument("--json", action="store_true")

    cl = sub.add_parser("claims", help="list the registry of the paper's claims")
    cl.add_argument("--json", action="store_true")

    ch = sub.add_parser("check", help="run one claim's check on a distribution, or one of its negative controls",
                        listing=_claim_listing)
    ch.add_argument("claim_id", metavar="ID", help="a claim id (listed below)")
    ch.add_argument("--control", metavar="NAME",
                    help="run this negative control (a deliberately false variant, listed below) on the instances "
                         "of its search and report whether the check refuted it; --dist and --n do not apply")
    ch.add_argument("--profile", type=one_of(PROFILE_NAMES, "profile"),
                    help="with --control: how hard the search looks, quick, default or thorough (default default)")
    _add_distribution_arguments(ch, required=False)
    _sampling_arguments(ch, CHECK_N)
    ch.set_defaults(n=None)   # typed or not: --n does not apply with --control (verify.cli.validate)
    ch.add_argument("--json", action="store_true")

    ex = sub.add_parser("experiment", help="reproduce one of the paper's §4 experiments", listing=_experiment_listing)
    ex.add_argument("name", metavar="NAME", help="an experiment name (listed below)")
    ex.add_argument("--profile", type=one_of(PROFILE_NAMES, "profile"), default="default",
                    help="quick, default or thorough")
    ex.add_argument("--seed", type=integer(0, what="a non-negative integer"), default=0)
    ex.add_argument("--out", help="directory for the experiment's JSON record")
    ex.add_argument("--mnist", help="directory with MNIST IDX files (instead of scikit-learn's digits)")
    ex.add_argument("--json", action="store_true")

    rep = sub.add_parser("report", help="check the claims (in process) and write the HTML report",
                         listing=lambda: f"profiles (--profile): {', '.join(PROFILE_NAMES)}")
    rep.add_argument("--profile", type=one_of(PROFILE_NAMES, "profile"), default="default",
                     help="quick, default or thorough")
    rep.add_argument("--out", default="reports-out",
                     help="output directory (default reports-out/; pass --out reports to regenerate the committed report)")
    rep.add_argument("--seed", type=integer(0, what="a non-negative integer"), default=0)
    rep.add_argument("--open", action="store_true", help="open index.html in a browser when done")

    cert = register_certify(sub)          # certify [ID ...] [--json] [--reduced] [--budget N]
    cert.listing = _certify_listing
    for subparser in (est, ini, summ, cl, ch, ex, rep, cert):
        debug_argument(subparser)
    # diagnose (verify.diagnosis) adds its own parser, --debug included, and hands back its three steps
    parser.extra_commands = {"diagnose": register_diagnose(sub)}
    return parser

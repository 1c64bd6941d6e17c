"""The ``verify`` command line.

Subcommands::

    verify estimate   --dist NAME [options] --p P --phi PHI[,PHI...] --quantity gamma,L,L_neg,beta,L_cross
                      --method exact|quad|mc|qmc [--n N] [--seed S] [--json]
    verify init-prob  --p P --alpha A [--n N] [--seed S] [--json]
    verify summary    [--n N] [--seed S] [--json]       γ, L, L_{−w*}, β of the built-in laws
    verify claims     [--json]                         the registry of the paper's claims
    verify check ID   [--dist NAME options ...] [--n N] [--seed S] [--json]
    verify check ID   --control NAME [--profile P] [--seed S] [--json]   one negative control
    verify experiment NAME [--profile P] [--seed S] [--out DIR] [--mnist DIR] [--json]
    verify report     [--profile quick|default|thorough] [--seed S] [--out DIR] [--open]
    verify certify    [ID ...] [--reduced] [--budget N] [--json]   certified verdicts (python-flint)

and ``verify --debug SUBCOMMAND ...`` (the traceback behind an error), ``--version``.

Every argument is checked before any work starts (files are read, a user's law is
imported and sampled once, ``--out`` is probed for writing, sizes are compared with
the documented ranges and this machine's memory).  A bad one is ONE line on stderr,
``verify <subcommand>: <argument as typed>: <what is wrong and what is allowed>``,
exit status 2, and nothing written.  SIGINT and SIGTERM end a run with exit status
130 and 143 and one line, leaving no temporary file; the previous output files stay
as they were until the new ones replace them whole.  The human-readable output of
``estimate``, ``init-prob``, ``summary`` and ``check`` ends with the results'
warnings (docs/error-bars.md), one line each starting with ``warning: ``.

Documented ranges: ``--n`` ≤ 10⁹ draws; ``estimate``/``check`` ``--p`` ≤ 4096 (the
quantities build p×p matrices and their eigendecompositions, O(p³)) and within the
available memory; ``init-prob --p`` ≤ 2⁵³ (closed forms, any p); ``--k`` ≤ 1024
patches; at most 10 000 angles in ``--phi``.

Modules: :mod:`.parser` (argparse, one-line errors, help listings), :mod:`.argtypes`
(argument types), :mod:`.limits` (sizes against the machine), :mod:`.validate`
(every argument checked before work starts), :mod:`.commands` (running each
subcommand), :mod:`.formatting` (the human-readable output), :mod:`.progress`;
this module: :func:`main`, exit statuses, signals and ``--debug``.
"""
from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

from .. import interrupts
from ..interrupts import Terminated
from ..validation import InvalidArgument
from .parser import UsageError, build_parser, flag_names
from .progress import Progress

__all__ = ["ARGUMENT_NAMES", "console_main", "main", "one_line", "user_spelling"]

#: Internal argument names (as the library raises them) → the spelling on the command line.
ARGUMENT_NAMES = {
    "p": "--p", "sigma": "--sigma", "sigma_patch": "--sigma-patch", "k": "--k", "images": "--images",
    "filter_size": "--filter-size", "stride": "--stride", "data": "--data", "rank": "--rank", "dist": "--dist",
    "n": "--n", "seed": "--seed", "method": "--method", "phi": "--phi", "phis": "--phi", "quantity": "--quantity",
    "alpha": "--alpha", "profile": "--profile", "out": "--out", "mnist": "--mnist", "experiment": "NAME",
    "name": "NAME", "claim": "ID", "claim_id": "ID", "command": "COMMAND", "control": "--control",
    "budget": "--budget", "claims": "ID",
}
#: Per subcommand, where its meaning differs: ``experiment`` reads images only from ``--mnist``.
SUBCOMMAND_NAMES = {"experiment": {"images": "--mnist", "limit": "--mnist"}}


def _imported(module: str, name: str) -> Callable[..., Any]:
    """``verify.cli.<module>.<name>``, imported at its first call.

    ``verify --help`` and a usage error import neither the commands nor their formatting (numpy, the
    report's words: half of ``verify --help``'s time, issue 21); the stand-in's ``__module__`` and
    ``__name__`` say what it stands for.
    """
    path = f"{__name__}.{module}"

    def call(*args: Any) -> Any:
        return getattr(import_module(path), name)(*args)

    call.__module__, call.__name__, call.__qualname__ = path, name, name
    return call


def _steps(command: str) -> tuple[Callable, Callable, Callable]:
    """``validate_<command>`` of :mod:`.validate`, ``run_<command>`` of :mod:`.commands`, ``format_<command>`` of
    :mod:`.formatting` (dashes become underscores), each imported when called."""
    name = command.replace("-", "_")
    return (_imported("validate", f"validate_{name}"), _imported("commands", f"run_{name}"),
            _imported("formatting", f"format_{name}"))


#: Each subcommand: (validate(args) -> plan, run(plan, progress) -> result, format(result) -> text).
_COMMANDS: dict[str, tuple[Callable, Callable, Callable]] = {
    command: _steps(command) for command in ("estimate", "init-prob", "summary", "claims", "check", "experiment",
                                             "report")}
#: Subcommands of an optional extra (``certify`` needs python-flint), run like :data:`_COMMANDS`.  Kept apart:
#: tests/test_bad_input.py's table covers every entry of ``_COMMANDS``; certify's bad inputs are in tests/test_cli.py.
_EXTRA_COMMANDS: dict[str, tuple[Callable, Callable, Callable]] = {"certify": _steps("certify")}


def user_spelling(err: InvalidArgument, command: str | None) -> InvalidArgument:
    """``err`` under the argument's command-line spelling (``sigma_patch`` → ``--sigma-patch``).

    Examples
    --------
    >>> user_spelling(InvalidArgument("sigma_patch", "must be > 0"), "estimate").argument
    '--sigma-patch'
    """
    names = {**ARGUMENT_NAMES, **SUBCOMMAND_NAMES.get(command or "", {})}
    argument = names.get(err.argument, err.argument)
    return err if argument == err.argument else err.renamed(argument)


def one_line(command: str | None, argument: str, problem: str) -> str:
    """The one line of an error: ``verify <command>: <argument>: <problem>`` and a newline.

    Examples
    --------
    >>> one_line("estimate", "--p", "must be >= 2,\\n got 1")
    'verify estimate: --p: must be >= 2, got 1\\n'
    """
    where = f"verify {command}" if command else "verify"
    return " ".join(f"{where}: {argument}: {problem}".split()) + "\n"




def _print_cause(err: BaseException) -> None:
    cause = err.__cause__ or err.__context__
    if cause is not None:
        traceback.print_exception(type(cause), cause, cause.__traceback__, file=sys.stderr)
    else:
        traceback.print_exception(type(err), err, err.__traceback__, file=sys.stderr)


def _handle_signals() -> Callable[[], None]:
    """SIGINT → KeyboardInterrupt, SIGTERM → :class:`Terminated`; returns the function that restores the old ones."""
    def on_term(signum, frame):
        raise interrupts.record(signum)

    def on_int(signum, frame):
        raise interrupts.record(signum)

    interrupts.clear()
    try:
        previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, on_term),
                    signal.SIGINT: signal.signal(signal.SIGINT, on_int)}
    except ValueError:          # not the main thread: leave the handlers alone
        return lambda: None
    unraisable = sys.unraisablehook
    sys.unraisablehook = interrupts.unraisable_hook(unraisable)   # a signal dropped in a GC callback: no traceback

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        sys.unraisablehook = unraisable
    return restore


def _subcommand(command: str, parser: Any) -> tuple[Callable, Callable, Callable]:
    """The (validate, run, format) steps of a subcommand: the core table, the extras, or a parser's own."""
    if command in _COMMANDS:
        return _COMMANDS[command]
    if command in _EXTRA_COMMANDS:
        return _EXTRA_COMMANDS[command]
    return parser.extra_commands[command]


def _print_result(command: str | None, text: str) -> int:
    """Write the result to stdout: 0, or 2 with one line when stdout cannot take it (full, closed, not writable).

    A reader that went away (a closed pipe, ``| head``) is not an error.  After a failed write, what is left in
    stdout's buffer is sent to /dev/null, so that Python's own flush at exit adds no second message.
    """
    if sys.stdout is None:                      # started with stdout closed (``>&-``)
        sys.stderr.write(one_line(command, "stdout", "is closed; the result could not be printed"))
        return 2
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        return 0
    except BrokenPipeError:
        _stdout_to_devnull()
        return 0
    except (OSError, ValueError) as err:        # ENOSPC (> /dev/full), EBADF, a closed file object
        _stdout_to_devnull()
        reason = os.strerror(err.errno) if isinstance(err, OSError) and err.errno else str(err)
        sys.stderr.write(one_line(command, "stdout", f"cannot be written ({reason}); the result was not printed"))
        return 2


def _stdout_to_devnull() -> None:
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def console_main() -> None:
    """The ``verify`` console script and ``python -m verify``: :func:`main`, then exit with its status.

    Third-party event loops that run in threads (zarr's reads, Dask's client) may still hold tasks when the
    interpreter exits; asyncio then reports each on stderr ("Task was destroyed but it is pending!") after the
    run's own last line, so a bad chunk's one line became five.  The outcome has been said by then: asyncio's
    logger is switched off between the return of :func:`main` and the exit (only here, never in-process).
    """
    status = main()
    logging.getLogger("asyncio").disabled = True
    sys.exit(status)


#: What a disk says when it cannot take the output: no space, quota exhausted, file larger than allowed.
_DISK_REFUSED = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``verify`` command line; return its exit status (never raise).

    0: done; 1: the work itself failed, or the machine refused it (an internal
    error, the report could not be built, the disk filled up while the output
    was written: the previous output stays); 2: a bad argument (one line on stderr); 130/143: interrupted
    by SIGINT/SIGTERM.

    Examples
    --------
    >>> main(["init-prob", "--p", "3", "--alpha", "2"])
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    restore = _handle_signals()
    command: str | None = None
    out = None
    debug = "--debug" in argv
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
                                                 f"{', '.join(flag_names(sub_parser))}")
                raise InvalidArgument(extra, f"unexpected argument of verify {command} (`verify {command} --help` "
                                             "shows its usage)")
            validate, run, fmt = _subcommand(command, parser)
            plan = validate(args)
            from ..jsonio import dumps, output_lock  # numpy: once the arguments have passed (issue 21)

            progress = Progress(enabled=True)
            out = getattr(plan, "out", None)
            with output_lock(out) if out is not None else contextlib.nullcontext():
                result = run(plan, progress)
            text = dumps(result) if getattr(args, "json", False) else fmt(result)
        except UsageError as err:
            command = err.prog.split()[1] if len(err.prog.split()) > 1 else None
            sys.stderr.write(one_line(command, err.argument, err.problem))
            return 2
        except InvalidArgument as err:
            err = user_spelling(err, command)
            if debug:
                _print_cause(err)
            sys.stderr.write(one_line(command, err.argument, err.problem))
            return 2
        except SystemExit as err:            # --help and --version (argparse prints, then exits 0)
            code = err.code
            return code if isinstance(code, int) else (0 if code is None else 2)
        except KeyboardInterrupt:
            sys.stderr.write(one_line(command, "interrupted", "SIGINT; stopped, no partial file left"))
            return 130
        except Terminated:
            sys.stderr.write(one_line(command, "terminated", "SIGTERM; stopped, no partial file left"))
            return 143
        except MemoryError:
            if debug:
                traceback.print_exc()
            sys.stderr.write(one_line(command, "memory", "this machine ran out of memory; use smaller sizes"))
            return 1
        except Exception as err:  # noqa: BLE001 - the last line of defence: one line, exit 1
            from ..report import ReportError

            if debug:
                traceback.print_exc()
            if isinstance(err, OSError) and err.errno in _DISK_REFUSED:   # not the user's input: exit 1
                sys.stderr.write(one_line(command, "--out" if out is not None else "disk",
                                          f"{err.strerror} while writing {err.filename or 'the output'}; nothing "
                                          "was written and any previous output is intact"))
            elif isinstance(err, ReportError):   # the claim checker or an experiment failed: no report was written
                sys.stderr.write(one_line(command, "error", str(err)))
            else:
                sys.stderr.write(one_line(command, "internal error", f"{type(err).__name__}: {err} "
                                                                    "(rerun with --debug for the traceback)"))
            return 1
        return _print_result(command, text)
    except KeyboardInterrupt:       # a signal while reporting another outcome
        return 130
    except Terminated:
        return 143
    finally:
        restore()

"""SIGINT and SIGTERM during a run: recorded, then raised where it is safe to stop.

The command line turns SIGTERM into :class:`Terminated` and SIGINT into
``KeyboardInterrupt`` by raising from a signal handler.  Python may run a
handler inside a garbage-collection callback (a weak reference's), where the
exception is dropped and reported as "Exception ignored in …" with a traceback;
Hypothesis, interrupted while it draws an instance, may then report an
inconsistent strategy instead.  So the handler also records the signal here,
the claim checker's searches call :func:`raise_pending` between instances and
re-raise the recorded interruption in place of any error that follows it, and
:func:`unraisable_hook` keeps Python's report of the dropped one off stderr.
The record belongs to the run: :func:`clear` starts each command with none.
"""
from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Terminated", "record", "pending", "raise_pending", "clear", "unraisable_hook", "quiet_after_signal"]


class Terminated(BaseException):
    """SIGTERM arrived (a BaseException, so that no ``except Exception`` swallows it)."""


_recorded: list[int] = []


def record(signum: int) -> BaseException:
    """Remember that ``signum`` arrived; return the exception that ends the run for it."""
    _recorded.append(int(signum))
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def pending() -> BaseException | None:
    """The interruption recorded and not yet raised, if any (SIGTERM wins over SIGINT)."""
    if not _recorded:
        return None
    return Terminated() if signal.SIGTERM in _recorded else KeyboardInterrupt()


def raise_pending() -> None:
    """Raise the recorded interruption, if any (a safe point of a long computation).

    Examples
    --------
    >>> clear(); raise_pending()     # nothing recorded: returns
    """
    interruption = pending()
    if interruption is not None:
        raise interruption


def clear() -> None:
    """Forget every recorded signal (a new command starts)."""
    _recorded.clear()


def unraisable_hook(previous: Callable[[Any], None]) -> Callable[[Any], None]:
    """A ``sys.unraisablehook`` that is silent about a recorded interruption Python dropped, else ``previous``.

    The dropped exception is not lost: it was recorded, and :func:`raise_pending`
    raises it at the next safe point.

    Examples
    --------
    >>> import types
    >>> seen = []
    >>> hook = unraisable_hook(seen.append)
    >>> clear(); dropped = record(signal.SIGTERM)
    >>> hook(types.SimpleNamespace(exc_value=dropped)); hook(types.SimpleNamespace(exc_value=ValueError()))
    >>> [type(u.exc_value).__name__ for u in seen]
    ['ValueError']
    >>> clear()
    """
    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, (Terminated, KeyboardInterrupt)) and _recorded:
            return
        previous(unraisable)

    return hook


class _DropAfterSignal(logging.Filter):
    """Passes a log record while no signal is recorded; drops it once the run is ending on one."""

    def filter(self, record: logging.LogRecord) -> bool:
        return pending() is None


@contextmanager
def quiet_after_signal(*loggers: str) -> Iterator[None]:
    """Silence ``loggers`` once SIGINT/SIGTERM is recorded: what a framework logs while it is torn down.

    A Dask cluster stopped mid-task logs from its event loop ("Task exception was never retrieved", a worker
    that vanished under a scatter); those records are the teardown's, not the user's, and would bury the
    run's one line.  Until a signal arrives every record passes.  After one, the filters stay installed (the
    process is ending and the loop may still log at exit); on a normal exit they are removed.

    Examples
    --------
    >>> clear()
    >>> with quiet_after_signal("example"):
    ...     logging.getLogger("example").filters != []
    True
    >>> logging.getLogger("example").filters
    []
    """
    drop = _DropAfterSignal()
    targets = [logging.getLogger(name) for name in loggers]
    for target in targets:
        target.addFilter(drop)
    try:
        yield
    finally:
        if pending() is None:
            for target in targets:
                target.removeFilter(drop)

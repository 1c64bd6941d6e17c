"""SIGINT and SIGTERM during a run: recorded, then raised where it is safe to stop.

The command line turns SIGTERM into :class:`Terminated` and SIGINT into
``KeyboardInterrupt`` by raising from a signal handler.  Python may run a
handler inside a garbage-collection callback, where the exception is printed
and dropped; Hypothesis, interrupted while it draws an instance, may then
report an inconsistent strategy instead.  So the handler also records the
signal here, and the claim checker's searches call :func:`raise_pending`
between instances and re-raise the recorded interruption in place of any
error that follows it.  The record belongs to the run: :func:`clear` starts
each command with none.
"""
from __future__ import annotations

import signal

__all__ = ["Terminated", "record", "pending", "raise_pending", "clear"]


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

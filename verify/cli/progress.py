"""Progress on stderr: one line per step, only once the work has run for a second."""
from __future__ import annotations

import sys
import time
from collections.abc import Callable

__all__ = ["Progress"]


class Progress:
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

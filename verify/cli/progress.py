"""Progress on stderr: one line per step, by default only once the work has run for a second."""
from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Progress"]


class Progress:
    """One line per step on stderr, ``[elapsed] message``, once the work has run for ``delay`` seconds.

    Lines may come from several threads (:meth:`keepalive`); a lock keeps them whole.
    """

    def __init__(self, enabled: bool = True, delay: float = 1.0):
        self.enabled, self.delay, self.start, self.last = enabled, delay, time.monotonic(), 0.0
        self.last_line, self.last_message = self.start, ""
        self._lock = threading.Lock()

    def __call__(self, message: str) -> None:
        """Print ``[elapsed] message`` (after the first ``delay`` seconds)."""
        now = time.monotonic()
        with self._lock:
            self.last_message = message
            if self.enabled and now - self.start >= self.delay:
                self.last_line = now
                sys.stderr.write(f"[{now - self.start:6.1f}s] {message}\n")
                sys.stderr.flush()

    def fraction(self, what: str) -> Callable[[int, int], None]:
        """A ``progress(done, total)`` callback printing ``what: done/total`` at most every 2 seconds."""
        def report(done: int, total: int) -> None:
            now = time.monotonic()
            if now - self.last >= 2.0 or done == total and now - self.start > self.delay:
                self.last = now
                self(f"{what}: {done:,}/{total:,} ({100.0 * done / total:.0f}%)")
        return report

    @contextmanager
    def keepalive(self, every: float) -> Iterator[None]:
        """While inside, a line at least every ``every`` seconds: when nothing was printed for that long, a
        background thread repeats the last message with how long it has been running ("… still at it, 12 s")."""
        if not self.enabled:
            yield
            return
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(min(1.0, every / 4)):
                with self._lock:
                    silent = time.monotonic() - self.last_line
                    message = self.last_message
                if silent >= every and message:
                    self(f"{message.split(' — still at it')[0]} — still at it, {silent:.0f} s since the last line")

        thread = threading.Thread(target=beat, name="verify-progress-keepalive", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

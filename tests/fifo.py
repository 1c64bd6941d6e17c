"""A watchdog for tests that give a FIFO where a file is due: a reader that blocks on it is released, not hung."""
from __future__ import annotations

import os
import threading


class FifoWatchdog:
    """Opens the FIFO for writing whenever someone has it open for reading: a reader that blocked on it is
    released (it reads end-of-file) and counted, so a regression fails the test instead of hanging it."""

    def __init__(self, path):
        self.path, self.released, self._stop = str(path), 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.05):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)   # succeeds only if a reader waits
            except OSError:
                continue
            self.released += 1
            os.close(fd)

    def stop(self):
        self._stop.set()
        self._thread.join(5)

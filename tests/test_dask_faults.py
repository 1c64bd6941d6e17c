"""Dask faults: every scheduler address ends in one line (scheme, silence, junk, refusal), and a signal
during a ``--workers`` run ends it quietly with 130/143 and no scratch space left behind.

The servers here are plain sockets on 127.0.0.1 in a thread of the test: one that accepts and never
speaks, one that answers like a web server, one that sends a plausible frame length and then nothing.
No test waits on a clock: the probe bounds itself (its timeout is the argument under test), and the signal
tests send the signal when the run announces a phase on stderr.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from verify.diagnosis.scheduler import check_scheduler_address, probe_scheduler  # noqa: E402
from verify.validation import InvalidArgument  # noqa: E402


@pytest.mark.parametrize("address, says", [
    ("inproc://10.0.0.1/1/1", "inside the calling Python process"),
    ("ucx://h:1", "UCX"),
    ("tls://h:1", "certificate"),
    ("gopher://h:1", "no gopher:// transport"),
    ("tcp://h", "port"),
    ("not an address", "like tcp://host:8786"),
])
def test_an_address_the_installed_dask_cannot_use_is_refused_by_scheme(address, says):
    """Scheme against the installed Dask's backends and what each needs (UCX bindings, TLS certificates)."""
    if address.startswith("ucx") and "ucx" not in __import__("distributed.comm.registry").comm.registry.backends:
        says = "no ucx:// transport"
    with pytest.raises(InvalidArgument, match=says) as err:
        check_scheduler_address(address, "--scheduler")
    assert str(err.value).startswith("--scheduler: ")


def test_a_bare_host_and_port_is_tcp():
    assert check_scheduler_address("localhost:8786") == "tcp://localhost:8786"


class _Server:
    """A TCP server on a free port of 127.0.0.1 that sends ``reply`` to each connection and then holds it."""

    def __init__(self, reply: bytes):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.reply, self.held = reply, []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self.reply:
                conn.sendall(self.reply)
            self.held.append(conn)

    def close(self):
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.mark.parametrize("reply, says", [
    (b"", "no Dask handshake"),                                  # accepts TCP, never speaks
    (b"HTTP/1.1 200 OK\r\n\r\n", "not as a Dask scheduler"),     # a frame length of ~5e18 bytes
    ((16).to_bytes(8, sys.byteorder) + b"junk", "no Dask handshake"),  # plausible length, then silence
])
def test_a_peer_that_does_not_speak_dask_ends_in_one_line_within_the_timeout(reply, says):
    server = _Server(reply)
    try:
        with pytest.raises(InvalidArgument, match=says):
            probe_scheduler(f"tcp://127.0.0.1:{server.port}", timeout=1.0, argument="--scheduler")
    finally:
        server.close()


def test_a_closed_port_is_refused():
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    with pytest.raises(InvalidArgument, match="cannot reach a Dask scheduler"):
        probe_scheduler(f"tcp://127.0.0.1:{port}", timeout=2.0)


def test_a_real_scheduler_passes_the_probe():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp", dashboard_address=None) as cluster:
        probe_scheduler(check_scheduler_address(cluster.scheduler_address), timeout=30.0)


@pytest.mark.parametrize("when", ["starting", "constants:"])
@pytest.mark.parametrize("sig, status, words", [(signal.SIGTERM, 143, "terminated: SIGTERM"),
                                                 (signal.SIGINT, 130, "interrupted: SIGINT")])
def test_a_signal_during_a_workers_run_ends_it_quietly(tmp_path, sig, status, words, when):
    """Sent when the run announces the cluster's start or the sums on it (progress lines on stderr): one line
    besides progress, and no scratch space left (a worker still starting used to recreate it)."""
    images = tmp_path / "images.npy"
    np.save(images, np.random.default_rng(0).random((600, 10, 10)))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "verify", "diagnose", "--images", str(images), "--filter-size",
                             "3", "--workers", "2", "--sgd-steps", "10", "--json"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=env)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("[") and when in line:
            proc.send_signal(sig)
            break
    lines += proc.stderr.read().splitlines(True)
    assert proc.wait(timeout=120) == status, "".join(lines)
    said = [line for line in lines if not line.startswith("[")]
    assert len(said) == 1 and words in said[0], "".join(lines)
    assert list(Path(scratch).iterdir()) == []

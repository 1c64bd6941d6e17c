"""A running Dask scheduler named by its address: what the installed Dask can reach, and a bounded handshake.

``distributed.Client(address, timeout=...)`` bounds the TCP connection but not Dask's handshake that follows
it (``distributed.comm.core.connect`` awaits the peer's first message without a deadline), so a port that
accepts connections and never speaks Dask holds the client for ever, and a server that answers with other
bytes is read as a frame length (``MemoryError`` for an HTTP reply).  :func:`probe_scheduler` does the
connection *and* the handshake under one deadline, and reads the first 8 bytes of a TCP peer itself before
Dask allocates anything from them, so every such address ends in one line naming the argument.

Which schemes work depends on what is installed and configured, not on the address's spelling:
:func:`check_scheduler_address` accepts a scheme only where the installed Dask has a backend for it and
that backend can be used from a new process (``inproc://`` reaches only a scheduler inside the calling
process; ``ucx://`` needs UCX's Python bindings; ``tls://`` and ``wss://`` need certificates in Dask's
configuration).
"""
from __future__ import annotations

import asyncio
import importlib.util
import re
import socket
import struct
import threading
from urllib.parse import urlsplit

from ..validation import InvalidArgument

#: The handshake's first message is a small dict (a few hundred bytes): a first frame length beyond this
#: is not Dask speaking.
HANDSHAKE_BYTES_LIMIT = 1 << 20
_HOST_PORT = re.compile(r"[^\s:/]+:\d+")


def check_scheduler_address(address: str, argument: str = "scheduler") -> str:
    """The address in Dask's ``scheme://host:port`` form, or :class:`InvalidArgument` saying why not.

    A bare ``host:port`` is TCP (Dask's default).  Needs ``distributed`` installed.

    Examples
    --------
    >>> check_scheduler_address("localhost:8786")
    'tcp://localhost:8786'
    >>> check_scheduler_address("inproc://10.0.0.1/123/1")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: scheduler: inproc:// reaches only a scheduler inside the calling Python process; give the scheduler's tcp://host:port, or pass a distributed.Client
    """
    from distributed.comm.registry import backends

    text = str(address).strip()
    if _HOST_PORT.fullmatch(text):
        text = "tcp://" + text
    parts = urlsplit(text)
    if not parts.scheme or not parts.netloc or "://" not in text:
        raise InvalidArgument(argument, f"must be a scheduler address like tcp://host:8786, got {address!r}")
    scheme = parts.scheme.lower()
    if scheme == "inproc":
        raise InvalidArgument(argument, "inproc:// reaches only a scheduler inside the calling Python process; "
                                        "give the scheduler's tcp://host:port, or pass a distributed.Client")
    if scheme not in backends:
        raise InvalidArgument(argument, f"the installed Dask has no {scheme}:// transport (it has: "
                                        f"{', '.join(sorted(s for s in backends if s != 'inproc'))}), got {address!r}")
    if scheme == "ucx" and not (importlib.util.find_spec("ucp") or importlib.util.find_spec("distributed_ucxx")):
        raise InvalidArgument(argument, "ucx:// needs UCX's Python bindings (ucx-py), which are not installed")
    if scheme in ("tls", "wss") and not _tls_configured():
        raise InvalidArgument(argument, f"{scheme}:// needs a client certificate in Dask's configuration "
                                        "(distributed.comm.tls.client.cert, distributed.comm.tls.ca-file)")
    if parts.port is None and scheme in ("tcp", "tls"):
        raise InvalidArgument(argument, f"give the scheduler's port, e.g. {scheme}://{parts.hostname}:8786")
    return text


def _tls_configured() -> bool:
    import dask

    return bool(dask.config.get("distributed.comm.tls.client.cert", None)
                and dask.config.get("distributed.comm.tls.ca-file", None))


def probe_scheduler(address: str, timeout: float = 10.0, argument: str = "scheduler") -> None:
    """Connect to ``address`` and complete Dask's handshake within ``timeout`` seconds, else InvalidArgument.

    Runs in a thread of its own (its own event loop), so it works where the caller already runs one (Jupyter).

    Parameters
    ----------
    address : str
        As returned by :func:`check_scheduler_address`.
    timeout : float
        Seconds for the connection and the handshake together.
    """
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            if urlsplit(address).scheme == "tcp":
                _first_frame_is_dask(address, timeout, argument)
            asyncio.run(_handshake(address, timeout))
            outcome.append(None)
        except BaseException as err:  # reported below, in the caller's thread
            outcome.append(err)

    worker = threading.Thread(target=attempt, name="verify-scheduler-probe", daemon=True)
    worker.start()
    worker.join(timeout + 1.0)  # the attempt bounds itself; this bounds a peer that defeats asyncio's deadline
    if not outcome:
        raise InvalidArgument(argument, f"no Dask handshake from {address} within {timeout:g} s")
    err = outcome[0]
    if err is None:
        return
    if isinstance(err, InvalidArgument):
        raise err
    if isinstance(err, (TimeoutError, asyncio.TimeoutError)):
        raise InvalidArgument(argument, f"no Dask handshake from {address} within {timeout:g} s "
                                        "(is a Dask scheduler listening there?)")
    reason = str(err).splitlines()[0] if str(err) else type(err).__name__
    raise InvalidArgument(argument, f"cannot reach a Dask scheduler at {address} ({reason})")


def _first_frame_is_dask(address: str, timeout: float, argument: str) -> None:
    """Read a TCP peer's first 8 bytes (Dask's frame length, a native uint64) and check it is plausible."""
    parts = urlsplit(address)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        head = b""
        while len(head) < 8:
            chunk = sock.recv(8 - len(head))
            if not chunk:
                raise InvalidArgument(argument, f"{address} closed the connection without a Dask handshake")
            head += chunk
    (length,) = struct.unpack("Q", head)  # native order, as distributed.comm.tcp writes it
    if not 0 < length <= HANDSHAKE_BYTES_LIMIT:
        raise InvalidArgument(argument, f"{address} answered, but not as a Dask scheduler (first bytes {head!r})")


async def _handshake(address: str, timeout: float) -> None:
    from distributed.comm import connect

    comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout)
    await comm.close()

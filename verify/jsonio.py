"""JSON in and out: one encoder, one NaN policy, one atomic writer.

NaN policy: strict JSON has no NaN or infinity, so a non-finite float is
written as the *string* ``"nan"``, ``"inf"`` or ``"-inf"`` and read back by
:func:`json_number`.  numpy scalars and arrays become Python numbers and
(nested) lists; objects with ``to_dict()`` (the dataclasses of this package)
are written as that dict.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any, Callable, Union

import numpy as np

__all__ = ["NON_FINITE", "TEMP_PREFIX", "jsonable", "dumps", "json_number", "remove_stale_temporaries",
           "write_atomically", "write_json_atomically", "output_lock"]

#: The strings that stand for the non-finite floats.
NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}

PathLike = Union[str, "os.PathLike[str]"]


def _float(x: float) -> float | str:
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def jsonable(obj: Any, fallback: Callable[[Any], Any] | None = None) -> Any:
    """``obj`` as plain JSON values under the NaN policy (module doc).

    ``fallback`` converts objects of any other type (e.g. ``str``); without it they raise TypeError.

    Examples
    --------
    >>> jsonable({"a": np.array([1.0, np.nan]), "b": np.float64(-np.inf), "c": (np.int64(2),)})
    {'a': [1.0, 'nan'], 'b': '-inf', 'c': [2]}
    """
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _float(float(obj))
    if obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, np.ndarray):
        return _array(obj, fallback)
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v, fallback) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        if all(type(v) is float for v in obj):  # a plain row of numbers: no call per number
            return [v if math.isfinite(v) else _float(v) for v in obj]
        return [jsonable(v, fallback) for v in obj]
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        return jsonable(to_dict(), fallback)
    if is_dataclass(obj) and not isinstance(obj, type):
        return jsonable(asdict(obj), fallback)
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    if fallback is not None:
        return jsonable(fallback(obj))
    raise TypeError(f"not JSON serializable: {type(obj).__name__}")


def _array(a: np.ndarray, fallback: Callable[[Any], Any] | None) -> Any:
    """A numeric array as nested lists by numpy's ``tolist`` (no Python recursion), non-finite floats as
    their strings; arrays of any other dtype element by element."""
    if a.dtype.kind in "biu":
        return a.tolist()
    if a.dtype.kind != "f":
        return jsonable(a.tolist(), fallback)
    finite = np.isfinite(a)
    if finite.all():
        return a.tolist()
    out = a.astype(object)
    for text, value in NON_FINITE.items():
        out[np.isnan(a) if text == "nan" else (a == value)] = text
    return out.tolist()


def dumps(obj: Any, fallback: Callable[[Any], Any] | None = None, **kwargs: Any) -> str:
    """Strict JSON text of ``obj`` under the NaN policy (``allow_nan=False``).

    Examples
    --------
    >>> dumps([1.5, float("nan")])
    '[1.5, "nan"]'
    """
    return json.dumps(jsonable(obj, fallback), allow_nan=False, **kwargs)


def json_number(x: Any) -> float | None:
    """A number read from JSON: floats and ints as float, "nan"/"inf"/"-inf" back to floats, None kept.

    Examples
    --------
    >>> json_number("-inf"), json_number(2), json_number(None)
    (-inf, 2.0, None)
    """
    if x is None:
        return None
    if isinstance(x, str):
        if x in NON_FINITE:
            return NON_FINITE[x]
        raise ValueError(f"not a JSON number: {x!r}")
    return float(x)


#: Prefix of every temporary file of :func:`write_atomically`: ``.verify-tmp.<pid>.<name>.<random>.tmp``.
TEMP_PREFIX = ".verify-tmp."

#: When this process started using the module; temporaries older than it cannot be this run's.
_STARTED = time.time()

_LEGACY_TEMP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")


def _pid_alive(pid: int) -> bool:
    """Whether a process with this id runs now (signal 0 probes without sending anything)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0
    return True


def remove_stale_temporaries(directory: PathLike, names: Iterable[str] = ()) -> list[Path]:
    """Remove the temporaries that killed writers left in ``directory``; return what was removed.

    A temporary of :func:`write_atomically` (``.verify-tmp.<pid>.…tmp``) is stale
    when its writer's process no longer runs and the file is older than this
    process; a temporary of the earlier naming (``.<name>.<8 characters>.tmp``,
    for a ``name`` in ``names``) when it is older than this process.  Nothing
    else is touched; a missing directory is not an error.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> dead = d / ".verify-tmp.999999999.claims.json.abcd1234.tmp"
    >>> dead.write_text("partial") and None
    >>> os.utime(dead, (0, 0))
    >>> [p.name for p in remove_stale_temporaries(d)], sorted(d.iterdir())
    (['.verify-tmp.999999999.claims.json.abcd1234.tmp'], [])
    """
    removed: list[Path] = []
    names = set(names)
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.endswith(".tmp"):
            continue
        stale = False
        try:
            older = entry.stat(follow_symlinks=False).st_mtime < _STARTED
            if name.startswith(TEMP_PREFIX):
                pid_text = name[len(TEMP_PREFIX):].split(".", 1)[0]
                stale = older and pid_text.isdigit() and not _pid_alive(int(pid_text))
            else:
                match = _LEGACY_TEMP.match(name)
                stale = older and match is not None and match.group("name") in names
            if stale and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def write_atomically(files: Mapping[PathLike, str | bytes]) -> None:
    """Write each path's content atomically: a temporary file in the same directory, then os.replace.

    Temporary names are ``.verify-tmp.<pid>.<name>.<random>.tmp``; a temporary
    is removed on any failure or interruption (KeyboardInterrupt, SystemExit);
    those that killed writers left behind are removed first
    (:func:`remove_stale_temporaries`).  A destination that exists keeps its
    file mode (a new one gets the usual mode, 0o666 less the umask).  All
    contents are written and flushed to temporaries first and only then
    renamed (missing folders are created first and removed again, if still
    empty, when the write fails: a full disk leaves no empty ``--out``), with SIGINT and SIGTERM held back during the renames, so a
    failure or a signal leaves every destination either as it was or as new
    (only SIGKILL between two renames can leave some old and some new).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomically({d / "a.json": "{}", d / "b.bin": b"x"})
    >>> sorted(p.name for p in d.iterdir())
    ['a.json', 'b.bin']
    """
    staged: list[tuple[str, Path]] = []
    created: list[Path] = []
    try:
        for directory in {Path(path).parent for path in files}:
            created += _make_directories(directory)
            remove_stale_temporaries(directory, names=[Path(p).name for p in files if Path(p).parent == directory])
        for path, content in files.items():
            dest = Path(path)
            fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}.{dest.name}.", suffix=".tmp",
                                       dir=dest.parent)
            staged.append((tmp, dest))
            with os.fdopen(fd, "wb") as handle:
                try:
                    handle.write(content.encode("utf-8") if isinstance(content, str) else content)
                    handle.flush()
                    os.fsync(handle.fileno())
                except OSError as err:   # ENOSPC, EDQUOT, EFBIG: name the file the disk refused
                    raise OSError(err.errno, err.strerror, os.fspath(dest)) from None
            try:
                mode = os.stat(dest).st_mode & 0o7777
            except FileNotFoundError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
        with _signals_held():
            for tmp, dest in staged:
                os.replace(tmp, dest)
    except BaseException:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        for directory in reversed(created):   # innermost first; only the ones this call made, and only if empty
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise


def _make_directories(directory: Path) -> list[Path]:
    """Create ``directory`` and its missing parents; return those created, outermost first."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        if directory.parent == directory:
            break
        directory = directory.parent
    for folder in reversed(missing):
        folder.mkdir(exist_ok=True)
    return missing[::-1]


@contextlib.contextmanager
def _signals_held():
    """Hold back SIGINT and SIGTERM: they are recorded, and delivered to the previous handlers on exit.

    Done with Python-level handlers (a per-thread signal mask would not do: a
    process-directed signal may land on another thread, e.g. a BLAS worker);
    outside the main thread, where handlers cannot be set, nothing is held.
    """
    pending: list[int] = []

    def defer(signum, frame):
        pending.append(signum)

    try:
        previous = {signum: signal.signal(signum, defer) for signum in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        for signum in pending:
            handler = previous[signum]
            if callable(handler):
                handler(signum, None)
            elif handler in (signal.SIG_DFL, None):
                os.kill(os.getpid(), signum)


def write_json_atomically(obj: Any, path: PathLike, **kwargs: Any) -> None:
    """:func:`dumps` ``obj`` (indented, trailing newline) and :func:`write_atomically` it to ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.json"
    >>> write_json_atomically({"v": float("inf")}, p)
    >>> p.read_text()
    '{\\n  "v": "inf"\\n}\\n'
    """
    kwargs.setdefault("indent", 2)
    write_atomically({path: dumps(obj, **kwargs) + "\n"})


def _lock_path(directory: PathLike) -> Path:
    """The lock file of an output folder: in the system's temporary folder, keyed by the folder's absolute path,
    so that taking it creates nothing in the folder (which may not exist yet)."""
    key = hashlib.sha256(os.fsencode(os.path.abspath(directory))).hexdigest()[:24]
    return Path(tempfile.gettempdir()) / f"verify-out-{key}.lock"


@contextlib.contextmanager
def output_lock(directory: PathLike, argument: str = "--out") -> Iterator[None]:
    """One writer at a time per output folder: a second run given the same folder is refused, naming the first.

    An advisory ``flock`` on :func:`_lock_path`; the kernel releases it when its holder exits, killed or not, so
    a crashed run never blocks the next one.  The lock file holds the first run's pid and command line and is
    removed when it is released (after checking that it is still the file this run locked).

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> with output_lock(d):
    ...     with output_lock(d):
    ...         pass
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: --out: ... is being written by another verify run (pid ...); ...
    """
    try:
        import fcntl
    except ImportError:        # not POSIX: no advisory locks to take
        yield
        return
    from .validation import InvalidArgument

    path = _lock_path(directory)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 512).decode(errors="replace").strip() or "a process"
            os.close(fd)
            raise InvalidArgument(argument, f"{os.fspath(directory)!r} is being written by another verify run "
                                            f"({holder}); wait for it to finish or give another folder") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)           # the holder removed the file between our open and our lock: take the new one
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()}: {' '.join(['verify', *sys.argv[1:]])[:400]}".encode())
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)

"""JSON in and out: one encoder, one NaN policy, one atomic writer.

NaN policy: strict JSON has no NaN or infinity, so a non-finite float is
written as the *string* ``"nan"``, ``"inf"`` or ``"-inf"`` and read back by
:func:`json_number`.  numpy scalars and arrays become Python numbers and
(nested) lists; objects with ``to_dict()`` (the dataclasses of this package)
are written as that dict.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any, Callable, Union

import numpy as np

__all__ = ["NON_FINITE", "jsonable", "dumps", "json_number", "write_atomically", "write_json_atomically"]

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
        return jsonable(obj.tolist(), fallback)
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v, fallback) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
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


def write_atomically(files: Mapping[PathLike, str | bytes]) -> None:
    """Write each path's content atomically: a temporary file in the same directory, then os.replace.

    Temporary names start with "." and end with ".tmp"; a temporary is removed
    on any failure; a destination that exists keeps its file mode (a new one
    gets the usual mode, 0o666 less the umask).  All contents are written to
    temporaries first and only then renamed, so a failure while writing leaves
    every destination as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomically({d / "a.json": "{}", d / "b.bin": b"x"})
    >>> sorted(p.name for p in d.iterdir())
    ['a.json', 'b.bin']
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            dest = Path(path)
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
            staged.append((tmp, dest))
            with os.fdopen(fd, "wb") as handle:
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            try:
                mode = os.stat(dest).st_mode & 0o7777
            except FileNotFoundError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
        for tmp, dest in staged:
            os.replace(tmp, dest)
    except BaseException:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise


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

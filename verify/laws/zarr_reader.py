"""The zarr reader of :mod:`verify.laws.readers` (``diagnose --zarr``): a store validated at open, read chunk by
chunk, and refused if it loses a chunk during the run (zarr reads a missing chunk as the fill value)."""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..validation import InvalidArgument
from .readers import Reader, check_item_shape, check_real_dtype

__all__ = ["ZarrReader", "open_zarr"]


class ZarrReader(Reader):
    """A zarr array, read chunk by chunk; for a local store, every chunk on disk when it was opened must
    still be there after each read (zarr would silently read a deleted chunk as its fill value)."""

    origin = "zarr"

    def __init__(self, array: Any, where: Any, argument: str):
        super().__init__(array.shape, np.dtype(array.dtype), argument, f"the zarr array {str(where)!r}")
        self.where, self._array = where, array
        self.path = where if isinstance(where, str) else None
        self.root, self.present = _local_chunks(array)

    def __getstate__(self):
        state = dict(self.__dict__)
        if isinstance(self.where, str):
            state["_array"] = None
        return state

    @property
    def array(self):
        if self._array is None:
            self._array = _zarr_open(self.where, self.argument)
        return self._array

    def _guard(self, read):
        try:
            out = np.asarray(read())
        except InvalidArgument:
            raise
        except Exception as err:  # noqa: BLE001 (codecs and stores raise anything: each is a bad chunk)
            text = " ".join(str(err).split())[:120]
            raise InvalidArgument(self.argument, f"cannot read {self.label} ({type(err).__name__}: {text}); a "
                                                 "corrupt or unreadable chunk?") from None
        return out

    def _check_chunks(self, lo: int, hi: int) -> None:
        if self.root is None:
            return
        if not os.path.isdir(self.root):
            raise InvalidArgument(self.argument, f"{self.label} was deleted while it was being read; the run "
                                                 "stopped (zarr would read fill values): run again on a stable store")
        step = self.storage_rows
        for c in range(lo // step, (hi - 1) // step + 1):
            for coords in zip(*np.nonzero(self.present[c])):
                key = self.array.metadata.encode_chunk_key((c, *map(int, coords)))
                if not os.path.exists(os.path.join(self.root, key)):
                    raise InvalidArgument(self.argument, f"{self.label} lost its chunk {key!r} while it was being "
                                                         "read; the run stopped (zarr would read fill values)")

    @property
    def storage_rows(self) -> int:
        return int((getattr(self.array, "shards", None) or self.array.chunks)[0])

    def _read(self, a, b):
        out = self._guard(lambda: self.array[a:b])
        if b > a:
            self._check_chunks(a, b)
        return out

    def _gather(self, uniq):
        out = self._guard(lambda: self.array.oindex[uniq])
        for c in np.unique(uniq // self.storage_rows).tolist():
            self._check_chunks(c * self.storage_rows, c * self.storage_rows + 1)
        return out


def _local_chunks(array) -> tuple[str | None, np.ndarray | None]:
    """(store directory, which storage chunks exist on disk) for a local zarr store, else (None, None)."""
    root = getattr(getattr(array, "store", None), "root", None)
    if root is None or not hasattr(array.metadata, "encode_chunk_key"):
        return None, None
    root = os.path.join(str(root), getattr(getattr(array, "store_path", None), "path", "") or "")
    rows = getattr(array, "shards", None) or array.chunks
    grid = tuple(-(-n // c) for n, c in zip(array.shape, rows))
    present = np.zeros(grid, dtype=bool)
    for coords in np.ndindex(*grid):
        present[coords] = os.path.exists(os.path.join(root, array.metadata.encode_chunk_key(coords)))
    return root, present


def _zarr_open(where: Any, argument: str):
    try:
        import zarr
    except ImportError:
        raise InvalidArgument(argument, "reading zarr needs the zarr package: pip install 'zarr>=2.16'") from None
    try:
        return zarr.open_array(store=str(where), mode="r")
    except Exception as err:  # noqa: BLE001 (zarr raises many types for a store it cannot open)
        text = " ".join(str(err).split())[:120]
        raise InvalidArgument(argument, f"cannot open {str(where)!r} as a zarr array ({type(err).__name__}: "
                                        f"{text})") from None


def open_zarr(where: Any, argument: str) -> ZarrReader:
    """A validated reader of a zarr array: a path to a store (a directory) or an open zarr array.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "x.npy")
    >>> np.save(path, np.ones((2, 3, 3)))
    >>> open_zarr(path, "--zarr")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: --zarr: ... is a file, not a zarr store ...
    """
    if isinstance(where, (str, os.PathLike)):
        where = str(where)
        if not os.path.exists(where):
            raise InvalidArgument(argument, f"no such zarr store: {where!r}")
        if not os.path.isdir(where):
            raise InvalidArgument(argument, f"{where!r} is a file, not a zarr store (a directory holding zarr.json "
                                            "or .zarray); a .npy file is read with --images or --data")
        array = _zarr_open(where, argument)
    else:
        array = where
    what = f"the zarr array {str(where)!r}"
    check_real_dtype(np.dtype(array.dtype), argument, what)
    check_item_shape(array.shape, argument, what)
    return ZarrReader(array, where, argument)

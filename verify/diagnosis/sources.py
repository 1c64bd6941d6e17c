"""Where the data come from, read chunk by chunk (docs/diagnose.md §1).

A :class:`Source` is a sequence of *items*: images (N, H, W), cut into the
patch matrix Z = [Z_1 … Z_k] of docs/claims.md §1 by a filter size and a stride
(:func:`verify.laws.builtin.extract_patches`), or rows of patches, (n, p) (one patch,
k = 1) or (n, k, p).  :meth:`Source.load` returns the patches of items [a, b)
as float64 (m, k, p); nothing else is ever held in memory, so memory stays
flat in N.  The reading is the one reader per format of :mod:`verify.laws.readers`
(``.npy``, IDX gzipped or not, zarr): it validates the header, dtype and every value
before work starts, reads rows without a memory map (a file that shrinks under the run
is an error, never SIGBUS) and refuses a file or store that changes during the run.
A source pickles as its reader, a file's as its path, so a Dask worker opens the file
itself; an in-memory array travels one chunk at a time (:meth:`Source.payload`).

Grey levels: MNIST IDX bytes are divided by 255 (as :func:`verify.laws.images.mnist_images`
does); every other source is used on the scale it is stored in.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..laws.builtin import extract_patches
from ..laws.readers import Reader, find_mnist, open_array, open_idx, open_npy
from ..laws.zarr_reader import open_zarr
from ..validation import InvalidArgument, check_dimension

__all__ = ["Source", "open_source", "CHUNK_BYTES", "chunk_bounds"]

#: float64 patch bytes per chunk: fixed, so the chunking (and the reduction order) never depends on the workers
CHUNK_BYTES = 16 * 2**20


class Source:
    """Items of the data, cut into patches on demand.

    Parameters
    ----------
    kind : {"images", "patches"}
    reader : verify.laws.readers.Reader
        Where the items are (an in-memory array, a ``.npy``/IDX file, a zarr array), already validated.
    filter_size, stride : int
        For images; p = filter_size².
    divisor : float
        Grey levels are divided by it (255 for MNIST bytes, as :func:`verify.laws.images.mnist_images`).

    Examples
    --------
    >>> src = open_source(np.arange(2 * 4 * 4, dtype=float).reshape(2, 4, 4), filter_size=2, stride=2)
    >>> src.n_items, src.k, src.p, src.load(0, 1).shape
    (2, 4, 4, (1, 4, 4))
    """

    def __init__(self, kind: str, reader: Reader, filter_size: int | None, stride: int | None,
                 divisor: float = 1.0, label: str = ""):
        self.kind, self.reader, self.origin = kind, reader, reader.origin
        self.filter_size, self.stride, self.divisor = filter_size, stride, divisor
        self.label = label or reader.origin
        shape = reader.shape
        if kind == "images":
            n, h, w = shape
            self.n_items = int(n)
            self.k = ((h - filter_size) // stride + 1) * ((w - filter_size) // stride + 1)
            self.p = filter_size * filter_size
            self.image_shape = (int(h), int(w))
        else:
            self.n_items = int(shape[0])
            self.k = 1 if len(shape) == 2 else int(shape[1])
            self.p = int(shape[-1])
            self.image_shape = None

    def __getstate__(self):
        if self.origin == "array":
            raise TypeError("an in-memory Source travels by chunks: use Source.payload")
        return dict(self.__dict__)

    # -- reading -----------------------------------------------------------
    @property
    def images_per_chunk(self) -> int:
        return max(1, CHUNK_BYTES // (8 * self.k * self.p))

    def patches(self, rows: np.ndarray) -> np.ndarray:
        """Patches (m, k, p), float64, of items already read (images or patch rows)."""
        x = np.asarray(rows, dtype=np.float64)
        if self.divisor != 1.0:
            x = x / self.divisor
        if self.kind == "images":
            return extract_patches(x, self.filter_size, self.stride)
        return x.reshape(x.shape[0], self.k, self.p)

    def load(self, a: int, b: int) -> np.ndarray:
        """The patches of items [a, b), float64 (b − a, k, p)."""
        return self.patches(self.reader.rows(a, b))

    def take(self, indices: np.ndarray) -> np.ndarray:
        """The patches of the given items, in the given order (for minibatches and the pilot)."""
        return self.patches(self.reader.take(indices))

    def payload(self, a: int, b: int):
        """What a worker needs for items [a, b): the source itself (files) or the rows (in-memory arrays)."""
        if self.origin == "array":
            return ("rows", self.patches_meta(), self.reader.rows(a, b))
        return ("source", self, (a, b))

    def patches_meta(self) -> tuple:
        return (self.kind, self.filter_size, self.stride, self.divisor, self.k, self.p)

    def describe(self) -> dict[str, Any]:
        return {"origin": self.origin, "path": self.reader.path, "label": self.label, "kind": self.kind,
                "items": self.n_items, "image_shape": self.image_shape, "filter_size": self.filter_size,
                "stride": self.stride, "k": self.k, "p": self.p, "divisor": self.divisor,
                "patches": self.n_items * self.k}


def load_payload(payload) -> np.ndarray:
    """The patches a :meth:`Source.payload` stands for (run on a worker)."""
    tag, what, extra = payload
    if tag == "source":
        return what.load(*extra)
    kind, f, s, divisor, k, p = what
    x = np.asarray(extra, dtype=np.float64)
    if divisor != 1.0:
        x = x / divisor
    if kind == "images":
        return extract_patches(x, f, s)
    return x.reshape(x.shape[0], k, p)


def chunk_bounds(n_items: int, per_chunk: int, batches: int = 1) -> list[tuple[int, int, int]]:
    """(batch, a, b) of every chunk: B batches of ⌊N/B⌋ or ⌈N/B⌉ items (the larger first, as
    :func:`verify.estimators.sampling.reduce_in_batches` sizes them), each cut into chunks of ≤ ``per_chunk``.

    Examples
    --------
    >>> chunk_bounds(5, 2, 2)
    [(0, 0, 2), (0, 2, 3), (1, 3, 5)]
    """
    sizes = np.full(batches, n_items // batches)
    sizes[: n_items % batches] += 1
    out, start = [], 0
    for b, size in enumerate(sizes):
        for a in range(start, start + int(size), per_chunk):
            out.append((b, a, min(a + per_chunk, start + int(size))))
        start += int(size)
    return out


def _check_images(shape: tuple, argument: str, filter_size, stride) -> tuple[int, int]:
    if len(shape) != 3:
        raise InvalidArgument(argument, f"must hold images of shape (N, H, W), got shape {tuple(shape)}")
    if filter_size is None:
        raise InvalidArgument("filter_size", "is required with images")
    f = check_dimension(filter_size, "filter_size", minimum=2)
    s = check_dimension(1 if stride is None else stride, "stride", minimum=1)
    if f > min(shape[1:]):
        raise InvalidArgument("filter_size", f"{f} exceeds the image size {tuple(shape[1:])}")
    return f, s


#: Marks of a zarr store in a directory (v3, v2 array, v2 group).
_ZARR_MARKS = ("zarr.json", ".zarray", ".zgroup")


def _guess_format(source: Any) -> str:
    """"mnist", "zarr", "npy" or "array": a directory is MNIST unless it is a zarr store, a path a ``.npy``."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.suffix == ".zarr" or (path.is_dir() and any((path / m).exists() for m in _ZARR_MARKS)):
            return "zarr"
        return "mnist" if path.is_dir() else "npy"
    return "zarr" if type(source).__module__.startswith("zarr") else "array"


def open_source(source: Any, *, filter_size: int | None = None, stride: int | None = 1,
                kind: str | None = None, data_format: str | None = None) -> Source:
    """A :class:`Source` from an array, a ``.npy`` path, an MNIST IDX directory or a zarr array/path.

    ``data_format`` ("npy", "mnist", "zarr", "array") says how to read ``source`` (the command line's
    ``--images``/``--data``, ``--mnist``, ``--zarr``); by default a directory is MNIST unless it is a zarr
    store (``.zarr``, ``zarr.json``, ``.zarray``), another path a ``.npy`` file.  ``kind`` forces
    "images" or "patches"; by default a 3-d ``.npy``/array is images when a ``filter_size`` is given and
    patches (n, k, p) otherwise, a 2-d one patches (n, p).  Every value is checked before work starts
    (:meth:`verify.laws.readers.Reader.check_values`: finite, bounded, and — for data read from a file or
    store — not all equal).

    Examples
    --------
    >>> open_source(np.full((3, 4, 4), np.inf), filter_size=2).n_items
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: source: the array holds NaN or infinite values (first in item 0); ...
    """
    if isinstance(source, Source):
        return source
    fmt = data_format or _guess_format(source)
    if fmt == "mnist":
        reader = open_idx(find_mnist(source, "train", "mnist"), "mnist")
        if reader.ndim != 3 or reader.dtype != np.uint8:
            raise InvalidArgument("mnist", f"{reader.label} holds {reader.dtype} data of shape {reader.shape}, "
                                           "not unsigned-byte images (N, H, W)")
        f, s = _check_images(reader.shape, "mnist", filter_size, stride)
        reader.check_values()
        return Source("images", reader, f, s, 255.0, f"MNIST IDX {Path(reader.path).name}")
    if fmt == "zarr":
        reader = open_zarr(source, "zarr")
        f, s = _check_images(reader.shape, "zarr", filter_size, stride)
        reader.check_values()
        return Source("images", reader, f, s, 1.0, "zarr array")
    if fmt == "npy":
        reader = open_npy(source, "data" if kind == "patches" else "images")
    else:
        reader = open_array(source, "source")
    return _array_source(reader, filter_size, stride, kind)


def _array_source(reader: Reader, filter_size, stride, kind) -> Source:
    """A source of images or patches from a ``.npy`` file or an array, its shape and values checked."""
    argument = reader.argument
    if kind is None:
        kind = "images" if reader.ndim == 3 and filter_size is not None else "patches"
    if kind == "images":
        f, s = _check_images(reader.shape, argument, filter_size, stride)
        reader.check_values(constant=reader.origin != "array")
        return Source("images", reader, f, s, 1.0, _label(reader, "images"))
    if reader.ndim not in (2, 3):
        raise InvalidArgument(argument, f"patches must have shape (n, p) or (n, k, p), got {reader.shape}")
    if reader.shape[-1] < 2:
        raise InvalidArgument(argument, f"needs at least one row of p >= 2 entries, got shape {reader.shape}")
    if filter_size is not None and filter_size ** 2 != reader.shape[-1]:
        raise InvalidArgument("filter_size", f"{filter_size}² = {filter_size ** 2} differs from the patches' "
                                             f"p = {reader.shape[-1]}")
    reader.check_values(constant=reader.origin != "array")
    return Source("patches", reader, None, None, 1.0, _label(reader, "patches"))


def _label(reader: Reader, kind: str) -> str:
    """The file's name (a path) or "<kind> (in-memory array)": what the page and the text call the data."""
    return f"{Path(reader.path).name} ({kind})" if reader.path else f"{kind} (in-memory array)"

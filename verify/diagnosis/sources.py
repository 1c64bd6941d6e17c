"""Where the data come from, read chunk by chunk (docs/diagnose.md §1).

A :class:`Source` is a sequence of *items*: images (N, H, W), cut into the
patch matrix Z = [Z_1 … Z_k] of docs/claims.md §1 by a filter size and a stride
(:func:`verify.laws.builtin.extract_patches`), or rows of patches, (n, p) (one patch,
k = 1) or (n, k, p).  :meth:`Source.load` returns the patches of items [a, b)
as float64 (m, k, p); nothing else is ever held in memory, so memory stays
flat in N.  Paths are opened memory-mapped (``np.load(mmap_mode="r")``, the
IDX body through ``np.memmap``), and a source pickles as its path, so a Dask
worker opens the file itself; an in-memory array travels one chunk at a time
(:meth:`Source.payload`).

Grey levels: MNIST IDX bytes are divided by 255 (as :func:`verify.laws.images.mnist_images`
does); every other source is used on the scale it is stored in.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ..laws.images import IDX_DTYPES, MNIST_NAMES, read_idx
from ..laws.builtin import extract_patches
from ..validation import InvalidArgument, check_dimension

__all__ = ["Source", "open_source", "CHUNK_BYTES", "chunk_bounds"]

#: float64 patch bytes per chunk: fixed, so the chunking (and the reduction order) never depends on the workers
CHUNK_BYTES = 16 * 2**20


def _memmap_idx(path: Path) -> np.ndarray:
    """An uncompressed IDX file memory-mapped (its header checked); a gzipped one read by :func:`read_idx`."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head[:2] == b"\x1f\x8b":
        return read_idx(path)
    if len(head) < 4 or head[0] != 0 or head[1] != 0 or head[2] not in IDX_DTYPES or head[3] == 0:
        return read_idx(path)  # its precise complaint
    ndim = head[3]
    with open(path, "rb") as fh:
        fh.seek(4)
        raw = fh.read(4 * ndim)
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4"))
    dtype = IDX_DTYPES[head[2]]
    if path.stat().st_size != 4 + 4 * ndim + math.prod(dims) * dtype.itemsize:
        return read_idx(path)
    return np.memmap(path, dtype=dtype, mode="r", offset=4 + 4 * ndim, shape=dims)


class Source:
    """Items of the data, cut into patches on demand.

    Parameters
    ----------
    kind : {"images", "patches"}
    origin : {"array", "npy", "mnist", "zarr"}
    where : ndarray, zarr array or path
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

    def __init__(self, kind: str, origin: str, where: Any, filter_size: int | None, stride: int | None,
                 divisor: float = 1.0, label: str = ""):
        self.kind, self.origin, self.where = kind, origin, where
        self.filter_size, self.stride, self.divisor = filter_size, stride, divisor
        self.label = label or origin
        self._array = None
        arr = self.array
        if kind == "images":
            n, h, w = arr.shape
            self.n_items = int(n)
            self.k = ((h - filter_size) // stride + 1) * ((w - filter_size) // stride + 1)
            self.p = filter_size * filter_size
            self.image_shape = (int(h), int(w))
        else:
            self.n_items = int(arr.shape[0])
            self.k = 1 if arr.ndim == 2 else int(arr.shape[1])
            self.p = int(arr.shape[-1])
            self.image_shape = None

    # -- opening -----------------------------------------------------------
    @property
    def array(self):
        if self._array is None:
            self._array = self._open()
        return self._array

    def _open(self):
        if self.origin == "array":
            return self.where
        if self.origin == "npy":
            return np.load(self.where, mmap_mode="r", allow_pickle=False)
        if self.origin == "mnist":
            return _memmap_idx(Path(self.where))
        import zarr

        return zarr.open(str(self.where), mode="r")

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_array"] = None
        if self.origin == "array":
            raise TypeError("an in-memory Source travels by chunks: use Source.payload")
        return state

    # -- reading -----------------------------------------------------------
    @property
    def images_per_chunk(self) -> int:
        return max(1, CHUNK_BYTES // (8 * self.k * self.p))

    def _rows(self, a: int, b: int) -> np.ndarray:
        return np.asarray(self.array[a:b])

    def patches(self, rows: np.ndarray) -> np.ndarray:
        """Patches (m, k, p), float64, of items already read (images or patch rows)."""
        x = np.asarray(rows, dtype=np.float64)
        if self.divisor != 1.0:
            x = x / self.divisor
        if self.kind == "images":
            return np.ascontiguousarray(extract_patches(x, self.filter_size, self.stride))
        return x.reshape(x.shape[0], self.k, self.p)

    def load(self, a: int, b: int) -> np.ndarray:
        """The patches of items [a, b), float64 (b − a, k, p)."""
        return self.patches(self._rows(a, b))

    def take(self, indices: np.ndarray) -> np.ndarray:
        """The patches of the given items, in the given order (for minibatches and the pilot)."""
        indices = np.asarray(indices, dtype=np.int64)
        order = np.argsort(indices, kind="stable")
        rows = np.empty((indices.size,) + tuple(self.array.shape[1:]), dtype=self.array.dtype)
        sorted_idx = indices[order]
        if self.origin == "zarr":
            uniq, inverse = np.unique(sorted_idx, return_inverse=True)
            got = np.asarray(self.array.oindex[uniq]) if uniq.size else rows[:0]
            rows[order] = got[inverse]
        else:
            rows[order] = self.array[sorted_idx]
        return self.patches(rows)

    def payload(self, a: int, b: int):
        """What a worker needs for items [a, b): the source itself (files) or the rows (in-memory arrays)."""
        if self.origin == "array":
            return ("rows", self.patches_meta(), self._rows(a, b))
        return ("source", self, (a, b))

    def patches_meta(self) -> tuple:
        return (self.kind, self.filter_size, self.stride, self.divisor, self.k, self.p)

    def describe(self) -> dict[str, Any]:
        where = None if self.origin == "array" else str(self.where)
        return {"origin": self.origin, "path": where, "label": self.label, "kind": self.kind,
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
        return np.ascontiguousarray(extract_patches(x, f, s))
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


def _check_images(arr, argument: str, filter_size, stride) -> tuple[int, int]:
    if arr.ndim != 3:
        raise InvalidArgument(argument, f"must hold images of shape (N, H, W), got shape {tuple(arr.shape)}")
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise InvalidArgument(argument, f"must hold real numbers, got dtype {arr.dtype}")
    if arr.shape[0] < 1:
        raise InvalidArgument(argument, "holds no images")
    if filter_size is None:
        raise InvalidArgument("filter_size", "is required with images")
    f = check_dimension(filter_size, "filter_size", minimum=2)
    s = check_dimension(1 if stride is None else stride, "stride", minimum=1)
    if f > min(arr.shape[1:]):
        raise InvalidArgument("filter_size", f"{f} exceeds the image size {tuple(arr.shape[1:])}")
    return f, s


def open_source(source: Any, *, filter_size: int | None = None, stride: int | None = 1,
                kind: str | None = None) -> Source:
    """A :class:`Source` from an array, a ``.npy`` path, an MNIST IDX directory or a zarr array/path.

    ``kind`` forces "images" or "patches"; by default a 3-d ``.npy``/array is images when a
    ``filter_size`` is given and patches (n, k, p) otherwise, a 2-d one patches (n, p), and a path to a directory is MNIST unless it is a zarr store (``.zarr``/``zarr.json``/``.zarray``).
    """
    if isinstance(source, Source):
        return source
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir() and not any((path / m).exists() for m in ("zarr.json", ".zarray", ".zgroup")) \
                and path.suffix != ".zarr":
            for name in MNIST_NAMES["train"]:
                if (path / name).is_file():
                    src = path / name
                    break
            else:
                raise InvalidArgument("mnist", f"no MNIST train images in {str(path)!r} "
                                               f"(looked for {', '.join(MNIST_NAMES['train'])})")
            arr = _memmap_idx(src)
            if arr.ndim != 3 or arr.dtype != np.uint8:
                raise InvalidArgument("mnist", f"{str(src)!r} holds {arr.dtype} data of shape {arr.shape}, not "
                                               "unsigned-byte images (N, H, W)")
            f, s = _check_images(arr, "mnist", filter_size, stride)
            return Source("images", "mnist", str(src), f, s, 255.0, f"MNIST IDX {src.name}")
        if path.is_dir() or path.suffix == ".zarr":
            return _zarr_source(str(path), "zarr", filter_size, stride)
        if not path.is_file():
            raise InvalidArgument("data", f"no such file: {str(path)!r}")
        try:
            arr = np.load(path, mmap_mode="r", allow_pickle=False)
        except (ValueError, OSError) as err:
            raise InvalidArgument("data", f"cannot read {str(path)!r} as .npy ({err})") from None
        return _array_source(arr, "npy", str(path), filter_size, stride, kind, "data" if kind == "patches"
                             else "images")
    if type(source).__module__.startswith("zarr"):
        return _zarr_source(source, "zarr", filter_size, stride)
    arr = np.asarray(source)
    return _array_source(arr, "array", arr, filter_size, stride, kind, "source")


def _zarr_source(where, argument, filter_size, stride) -> Source:
    try:
        import zarr
    except ImportError:
        raise InvalidArgument(argument, "reading zarr needs the zarr package: pip install 'zarr>=2.16'") from None
    try:
        arr = zarr.open(str(where), mode="r") if isinstance(where, str) else where
        shape, dtype = arr.shape, arr.dtype
    except Exception as err:
        raise InvalidArgument(argument, f"cannot open {where!r} as a zarr array ({type(err).__name__}: {err})") \
            from None
    if not hasattr(arr, "shape") or len(shape) != 3:
        raise InvalidArgument(argument, f"must be a zarr array of images (N, H, W), got shape {shape}")
    f, s = _check_images(_Shape(shape, dtype), argument, filter_size, stride)
    return Source("images", "zarr", where, f, s, 1.0, "zarr array")


class _Shape:
    """Shape and dtype only (for checking a zarr array without reading it)."""

    def __init__(self, shape, dtype):
        self.shape, self.dtype, self.ndim = tuple(shape), np.dtype(dtype), len(shape)


def _array_source(arr, origin, where, filter_size, stride, kind, argument) -> Source:
    if kind is None:
        kind = "images" if arr.ndim == 3 and filter_size is not None else "patches"
    if kind == "images":
        f, s = _check_images(arr, argument, filter_size, stride)
        return Source("images", origin, where, f, s, 1.0, "images")
    if arr.ndim not in (2, 3):
        raise InvalidArgument(argument, f"patches must have shape (n, p) or (n, k, p), got {tuple(arr.shape)}")
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise InvalidArgument(argument, f"must hold real numbers, got dtype {arr.dtype}")
    if arr.shape[0] < 1 or arr.shape[-1] < 2:
        raise InvalidArgument(argument, f"needs at least one row of p >= 2 entries, got shape {tuple(arr.shape)}")
    if filter_size is not None and filter_size ** 2 != arr.shape[-1]:
        raise InvalidArgument("filter_size", f"{filter_size}² = {filter_size ** 2} differs from the patches' "
                                             f"p = {arr.shape[-1]}")
    return Source("patches", origin, where, None, None, 1.0, "patches")

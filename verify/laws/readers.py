"""One reader per data format: ``.npy``, IDX (gzipped or not) and zarr (:mod:`verify.laws.zarr_reader`),
shared by every subcommand.

``estimate``/``check`` (``--data``, ``--images``, through :func:`verify.laws.distributions.load_npy`),
``experiment --mnist`` (:func:`verify.laws.images.mnist_images`) and ``diagnose`` (its
:class:`verify.diagnosis.sources.Source`) all read files here.  A reader

* opens only a regular file (a FIFO, socket or device is refused at once: reading one would block);
* checks the header before any data are read: the format's magic bytes, the shape (every dimension
  > 0), the dtype (real numbers: integers, floats or booleans — never complex, object, strings or
  records) and, for ``.npy`` and uncompressed IDX, that the file's length is what the header announces;
* checks the values when asked (:meth:`Reader.check_values`), streaming chunk by chunk so memory stays
  flat: finite, no larger in magnitude than :data:`MAX_ABS`, and not all equal;
* reads rows [a, b) with ``os.preadv`` into memory it owns — never a memory map, so a file that shrinks
  under a run gives a short read and a message, not SIGBUS — and checks before and after each read that
  the file is still the one it validated (same device, inode, size and modification time); a zarr reader
  checks that the chunks it read were on disk (zarr reads a missing chunk as the fill value).

Every failure is one :class:`verify.validation.InvalidArgument` naming the argument as the caller typed it.
A reader pickles as its path and the identity it checked, so a Dask worker reopens the file itself and
refuses it if it changed.
"""
from __future__ import annotations

import gzip
import math
import os
import stat
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from ..validation import InvalidArgument

__all__ = ["Reader", "ArrayReader", "LoadedFileReader", "FileReader", "open_npy", "open_idx", "open_array",
           "regular_file", "find_mnist", "check_real_dtype", "check_item_shape", "MNIST_NAMES", "IDX_DTYPES", "MAX_ABS",
           "SCAN_BYTES", "CACHE_BYTES"]

#: |x| bound on every entry: a sum of 2⁶⁴ squares of entries this large is ≤ 2⁶⁴·MAX_ABS² = max float64 / 2,
#: so the second moments (docs/claims.md §3) and ‖Z‖² of any data set that fits on a disk stay finite.
MAX_ABS = math.sqrt(np.finfo(np.float64).max / 2.0**65)

#: bytes read per step of a value scan (memory stays flat in the file's size).
SCAN_BYTES = 16 * 2**20

#: a file with at most this many data bytes is read whole at its first random access (minibatches, the
#: pilot), then indexed in memory (its identity still checked at every access); larger ones read row runs.
CACHE_BYTES = 64 * 2**20

#: IDX type codes (third byte of the magic number) → big-endian numpy dtype (LeCun et al., the MNIST page).
IDX_DTYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
              0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}

#: File names of the MNIST images tried in a directory, in order.
MNIST_NAMES = {
    "train": ("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz", "train-images.idx3-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz", "t10k-images.idx3-ubyte"),
}

_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFDIR: "a directory"}


def regular_file(path, argument: str) -> os.stat_result:
    """The ``stat`` of a regular, readable file; anything else is one InvalidArgument (nothing is opened).

    Examples
    --------
    >>> regular_file("/dev/null", "--data")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: --data: cannot read '/dev/null': it is a character device, not a regular ...
    """
    where = f"cannot read {str(path)!r}:"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InvalidArgument(argument, f"{where} no such file") from None
    except OSError as err:
        raise InvalidArgument(argument, f"{where} {err.strerror or type(err).__name__}") from None
    if not stat.S_ISREG(st.st_mode):
        what = _KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
        raise InvalidArgument(argument, f"{where} it is {what}, not a regular file; give a file "
                                        "(a pipe or device would be read without end)")
    if not os.access(path, os.R_OK):
        raise InvalidArgument(argument, f"{where} permission denied")
    return st


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _open_fd(path: str, argument: str) -> int:
    """A descriptor of a regular file, opened without blocking (a file swapped for a FIFO cannot hang us)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        regular_file(path, argument)       # its precise complaint (missing, FIFO, permission)
        raise InvalidArgument(argument, f"cannot open {path!r} ({err.strerror or type(err).__name__})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        regular_file(path, argument)
    return fd


def check_real_dtype(dtype: np.dtype, argument: str, what: str) -> None:
    """Refuse dtypes that are not real numbers (complex, object, strings, dates, records).

    Examples
    --------
    >>> check_real_dtype(np.dtype("U3"), "--data", "'x.npy'")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: --data: 'x.npy' holds <U3 values, not real numbers; give a float or ...
    """
    if dtype.kind == "c":
        raise InvalidArgument(argument, f"{what} holds complex numbers ({dtype}); give real numbers "
                                        "(e.g. save numpy.real(a) if the imaginary part is zero)")
    if dtype.kind not in "biuf" or dtype.hasobject:
        raise InvalidArgument(argument, f"{what} holds {dtype} values, not real numbers; give a float or "
                                        "integer array")


def check_item_shape(shape: tuple, argument: str, what: str) -> tuple[int, ...]:
    """A shape of at least one dimension, every dimension > 0 (a negative one is a damaged header).

    Examples
    --------
    >>> check_item_shape((0, 3), "--data", "'x.npy'")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: --data: 'x.npy' holds no data (shape (0, 3))
    """
    if len(shape) == 0:
        raise InvalidArgument(argument, f"{what} holds a single number (shape ()), not an array of items")
    if any(int(d) < 0 for d in shape):
        raise InvalidArgument(argument, f"{what} announces the negative shape {tuple(shape)}: a damaged header")
    if any(int(d) == 0 for d in shape):
        raise InvalidArgument(argument, f"{what} holds no data (shape {tuple(int(d) for d in shape)})")
    return tuple(int(d) for d in shape)


class Reader:
    """Rows of an array stored somewhere: ``shape``, ``dtype`` (native byte order) and reads of rows.

    Subclasses implement :meth:`_read` (rows [a, b)) and :meth:`_gather` (sorted unique rows).
    ``argument`` is the name the caller typed (``--images``); ``label`` says where the data are.
    """

    origin = "array"

    def __init__(self, shape: tuple, dtype: np.dtype, argument: str, label: str):
        self.shape, self.dtype = tuple(shape), np.dtype(dtype).newbyteorder("=")
        self.argument, self.label = argument, label

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def row_bytes(self) -> int:
        return math.prod(self.shape[1:]) * self.dtype.itemsize

    def rows(self, a: int, b: int) -> np.ndarray:
        """Rows [a, b), shape (b − a, *shape[1:]), native dtype."""
        a, b = max(0, int(a)), min(self.shape[0], int(b))
        return self._read(a, max(a, b))

    def take(self, indices) -> np.ndarray:
        """The rows at ``indices`` (any order, repeats allowed), in that order."""
        indices = np.asarray(indices, dtype=np.int64).ravel()
        uniq, inverse = np.unique(indices, return_inverse=True)
        if uniq.size == 0:
            return np.empty((0,) + self.shape[1:], self.dtype)
        return self._gather(uniq)[inverse]

    def read_all(self) -> np.ndarray:
        """Every row, in memory."""
        return self.rows(0, self.shape[0])

    def load(self, constant: bool = True) -> np.ndarray:
        """Every row, in memory, its values checked as by :meth:`check_values` (one read of the file)."""
        data = self.read_all()
        ArrayReader(data, self.argument, self.label).check_values(constant)
        return data

    def check_values(self, constant: bool = True) -> Reader:
        """Scan every value (in chunks of :data:`SCAN_BYTES`): finite, |x| ≤ :data:`MAX_ABS`, and, with
        ``constant``, not all equal (constant data carry no direction: E[ZZᵀ] has rank ≤ 1, docs/claims.md §3).

        Returns ``self``; raises InvalidArgument naming the first bad item.

        Examples
        --------
        >>> open_array(np.array([[0.0, 1.0], [np.nan, 2.0]]), "data").check_values()
        Traceback (most recent call last):
        ...
        verify.validation.InvalidArgument: data: the array holds NaN or infinite values (first in item 1); ...
        """
        step = max(1, SCAN_BYTES // max(1, self.row_bytes))
        lo, hi = math.inf, -math.inf
        for a in range(0, self.shape[0], step):
            x = self.rows(a, a + step)
            if x.dtype.kind == "f":
                bad = ~np.isfinite(x).reshape(x.shape[0], -1).all(axis=1)
                if bad.any():
                    raise InvalidArgument(self.argument, f"{self.label} holds NaN or infinite values (first in "
                                                         f"item {a + int(np.argmax(bad))}); give finite numbers")
            x_lo, x_hi = float(x.min()), float(x.max())
            if max(-x_lo, x_hi) > MAX_ABS:
                big = np.abs(x.reshape(x.shape[0], -1).astype(np.float64)).max(axis=1) > MAX_ABS
                raise InvalidArgument(self.argument, f"{self.label} holds values as large as "
                                                     f"{max(-x_lo, x_hi):.3g} (first in item "
                                                     f"{a + int(np.argmax(big))}); entries must satisfy |x| <= "
                                                     f"{MAX_ABS:.3g} so that sums of squares stay finite: "
                                                     "rescale the data")
            lo, hi = min(lo, x_lo), max(hi, x_hi)
        if constant and lo == hi:
            raise InvalidArgument(self.argument, f"{self.label} is constant (every entry equals {lo:.6g}): such "
                                                 "data carry no direction (γ = 0, no step size); give varied data")
        return self

    def _read(self, a: int, b: int) -> np.ndarray:
        raise NotImplementedError

    def _gather(self, uniq: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class ArrayReader(Reader):
    """An array already in memory (a caller's array, or a file read whole: see :class:`LoadedFileReader`).

    Examples
    --------
    >>> open_array(np.arange(6).reshape(3, 2), "data").rows(1, 3).tolist()
    [[2, 3], [4, 5]]
    """

    path = None

    def __init__(self, array: np.ndarray, argument: str, label: str = "the array", origin: str = "array"):
        super().__init__(array.shape, array.dtype, argument, label)
        self.data, self.origin = array.astype(self.dtype, copy=False), origin

    def _read(self, a, b):
        return self.data[a:b]

    def _gather(self, uniq):
        return self.data[uniq]

    def __getstate__(self):
        raise TypeError("an in-memory reader travels by chunks: send the rows, not the reader")


class LoadedFileReader(ArrayReader):
    """A file read whole at open (a gzipped IDX file, a Fortran-order ``.npy``): it pickles as its path and
    identity, and a process that unpickles it reads the file again, refusing it if it changed."""

    def __init__(self, array: np.ndarray, argument: str, label: str, origin: str, path: str,
                 st: os.stat_result):
        super().__init__(array, argument, label, origin)
        self.path, self.identity = path, _identity(st)

    def __getstate__(self):
        return {**self.__dict__, "data": None}

    def __setstate__(self, state):
        self.__dict__.update(state)
        opener = open_npy if self.origin == "npy" else open_idx
        try:
            fresh = opener(self.path, self.argument)
        except InvalidArgument:
            fresh = None
        if fresh is None or fresh.identity != self.identity:
            raise InvalidArgument(self.argument, f"{self.label} changed or was deleted during the run; the run "
                                                 "stopped: run again on a stable file")
        self.data = fresh.data


def open_array(array: Any, argument: str) -> ArrayReader:
    """A reader over an in-memory array: real dtype and a non-empty shape checked."""
    arr = np.asarray(array)
    check_real_dtype(arr.dtype, argument, "the array")
    check_item_shape(arr.shape, argument, "the array")
    return ArrayReader(arr, argument)


class FileReader(Reader):
    """A C-order array at byte ``offset`` of a regular file (``.npy`` data, uncompressed IDX), read with
    ``os.preadv``; the file must keep the identity it had when validated.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "x.npy")
    >>> np.save(path, np.arange(12.0).reshape(4, 3))
    >>> r = open_npy(path, "--data")
    >>> r.rows(1, 2), r.take([3, 0]).shape
    (array([[3., 4., 5.]]), (2, 3))
    """

    def __init__(self, path: str, offset: int, shape: tuple, file_dtype: np.dtype, argument: str, label: str,
                 st: os.stat_result, origin: str):
        super().__init__(shape, file_dtype, argument, label)
        self.path, self.offset, self.file_dtype, self.origin = path, int(offset), np.dtype(file_dtype), origin
        self.identity, self._cache = _identity(st), None

    def __getstate__(self):
        return {**self.__dict__, "_cache": None}

    def _changed(self, st: os.stat_result | None) -> InvalidArgument:
        if st is None:
            why = "was deleted"
        elif st.st_size != self.identity[2]:
            why = f"changed size ({self.identity[2]} -> {st.st_size} bytes)"
        elif (st.st_dev, st.st_ino) != self.identity[:2]:
            why = "was replaced by another file"
        else:
            why = "was modified"
        return InvalidArgument(self.argument, f"{self.label} {why} while it was being read; the run stopped "
                                              "(its numbers would mix two data sets): run again on a stable file")

    def _checked_fd(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise self._changed(None) from None
        except OSError as err:
            raise InvalidArgument(self.argument, f"cannot open {self.label} ({err.strerror})") from None
        st = os.fstat(fd)
        if _identity(st) != self.identity or not stat.S_ISREG(st.st_mode):
            os.close(fd)
            regular_file(self.path, self.argument)
            raise self._changed(st)
        return fd

    def _pread(self, fd: int, out: np.ndarray, offset: int) -> None:
        view, done = memoryview(out).cast("B"), 0
        while done < view.nbytes:
            try:
                got = os.preadv(fd, [view[done:]], offset + done)
            except OSError as err:
                raise InvalidArgument(self.argument, f"cannot read {self.label} ({err.strerror or err})") from None
            if got <= 0:
                raise self._changed(os.fstat(fd))
            done += got

    def _finish(self, fd: int, out: np.ndarray) -> np.ndarray:
        os.close(fd)
        try:                                   # the path still names the file read, unchanged
            st = os.stat(self.path)
        except FileNotFoundError:
            raise self._changed(None) from None
        if _identity(st) != self.identity:
            raise self._changed(st)
        return out if out is None or self.file_dtype.isnative else out.astype(self.dtype)

    def _read(self, a, b):
        out = np.empty((b - a,) + self.shape[1:], self.file_dtype)
        fd = self._checked_fd()
        try:
            self._pread(fd, out, self.offset + a * self.row_bytes)
        except BaseException:
            os.close(fd)
            raise
        return self._finish(fd, out)

    def _gather(self, uniq):
        if uniq[-1] >= self.shape[0] or uniq[0] < 0:
            raise IndexError(f"row {int(uniq[-1])} of {self.shape[0]}")
        if self.shape[0] * self.row_bytes <= CACHE_BYTES:        # small: read once, then index memory
            if self._cache is None:
                self._cache = self._read(0, self.shape[0])
            else:
                self._finish(self._checked_fd(), None)            # still the file read (else an error)
            return self._cache[uniq]
        out = np.empty((uniq.size,) + self.shape[1:], self.file_dtype)
        breaks = np.flatnonzero(np.diff(uniq) != 1) + 1          # runs of consecutive rows: one read each
        starts, ends = np.r_[0, breaks], np.r_[breaks, uniq.size]
        fd = self._checked_fd()
        try:
            for s, e in zip(starts.tolist(), ends.tolist()):
                self._pread(fd, out[s:e], self.offset + int(uniq[s]) * self.row_bytes)
        except BaseException:
            os.close(fd)
            raise
        return self._finish(fd, out)


def _npy_header(fh, path: str, argument: str):
    """(shape, dtype, fortran_order, data offset) of a ``.npy`` file, or one InvalidArgument saying why not."""
    head = fh.read(6)
    fh.seek(0)
    where = repr(path)
    if head[:4] == b"PK\x03\x04" or head[:4] == b"PK\x05\x06":
        raise InvalidArgument(argument, f"{where} is an .npz archive (a zip of several arrays), not one .npy array; "
                                        "save one array with numpy.save, e.g. numpy.save('x.npy', "
                                        "numpy.load(FILE)['NAME'])")
    if not head:
        raise InvalidArgument(argument, f"{where} is empty (0 bytes), not a .npy array")
    if head != b"\x93NUMPY":
        kind = "a pickle (pickles are never loaded: they can run code)" if head[:1] == b"\x80" else \
            f"not a .npy file (it starts with {head!r}, not the .npy magic b'\\x93NUMPY')"
        raise InvalidArgument(argument, f"cannot read {where} as a .npy array: it is {kind}")
    try:
        version = np.lib.format.read_magic(fh)
        if version not in ((1, 0), (2, 0), (3, 0)):
            raise ValueError(f"unknown .npy format version {version}")
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        else:   # 3.0 is 2.0 with utf-8 field names, which only records (refused) have
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
    except (ValueError, EOFError, OSError, SyntaxError, TypeError) as err:
        text = " ".join(str(err).split())[:120]
        raise InvalidArgument(argument, f"cannot read {where} as a .npy array: its header is damaged "
                                        f"({type(err).__name__}: {text})") from None
    return tuple(shape), np.dtype(dtype), bool(fortran), fh.tell()


def open_npy(path, argument: str) -> Reader:
    """A validated reader of a ``.npy`` file: regular file, header, real dtype, shape and length checked.

    Parameters
    ----------
    path : str or path-like
    argument : str
        The name the caller typed (``--data``); every InvalidArgument names it.

    Returns
    -------
    Reader
        A :class:`FileReader` (read on demand); a Fortran-order array (rare: numpy.save of a transposed
        array) is read into memory at once, its rows not being contiguous on disk.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.npz")
    >>> np.savez(path, a=np.ones(3))
    >>> open_npy(path, "--images")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: --images: ... is an .npz archive (a zip of several arrays), not one ...
    """
    path = str(path)
    if os.path.isdir(path):
        raise InvalidArgument(argument, f"{path!r} is a directory, not a .npy file")
    st = regular_file(path, argument)
    fd = _open_fd(path, argument)
    with os.fdopen(fd, "rb") as fh:
        shape, dtype, fortran, offset = _npy_header(fh, path, argument)
        what = repr(path)
        check_real_dtype(dtype, argument, what)
        shape = check_item_shape(shape, argument, what)
        need = offset + math.prod(shape) * dtype.itemsize
        size = os.fstat(fh.fileno()).st_size
        if size != need:
            raise InvalidArgument(argument, f"{what} is {'truncated' if size < need else 'longer than its header says'}"
                                            f": shape {shape} of {dtype} needs {need} bytes, the file has {size}")
        if fortran:
            fh.seek(offset)
            data = np.fromfile(fh, dtype=dtype, count=math.prod(shape)).reshape(shape[::-1]).T
            return LoadedFileReader(np.ascontiguousarray(data), argument, what, "npy", path, st)
    return FileReader(path, offset, shape, dtype, argument, what, st, "npy")


def _idx_header(raw: bytes, where: str, argument: str):
    """(dims, dtype, header bytes) from the first bytes of an IDX file (the format in :func:`open_idx`)."""
    bad = f"{where} is not an IDX file:"
    if len(raw) < 4:
        raise InvalidArgument(argument, f"{bad} {len(raw)} bytes, shorter than the 4-byte magic number")
    if raw[0] != 0 or raw[1] != 0:
        raise InvalidArgument(argument, f"{bad} magic number starts with {raw[0]:#04x} {raw[1]:#04x}, not 0x00 0x00")
    code, ndim = raw[2], raw[3]
    if code not in IDX_DTYPES:
        known = ", ".join(f"{c:#04x}" for c in IDX_DTYPES)
        raise InvalidArgument(argument, f"{bad} unknown type code {code:#04x} (known: {known})")
    if ndim == 0:
        raise InvalidArgument(argument, f"{bad} zero dimensions")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise InvalidArgument(argument, f"{bad} header announces {ndim} dimensions but the file ends after "
                                        f"{len(raw)} bytes")
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    return dims, IDX_DTYPES[code], header


def _gunzip(fh, where: str, argument: str) -> bytes:
    """The decompressed bytes, reading at most what the IDX header announces plus one byte (no gzip bomb)."""
    try:
        with gzip.open(fh) as gz:
            head = gz.read(4)
            head += gz.read(4 * head[3]) if len(head) == 4 else b""
            try:
                dims, dtype, _ = _idx_header(head, where, argument)
            except InvalidArgument:
                return head + gz.read(1 << 16)
            return head + gz.read(math.prod(dims) * dtype.itemsize + 1)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise InvalidArgument(argument, f"cannot read {where} ({type(err).__name__}: {err})") from None


def open_idx(path, argument: str) -> Reader:
    """A validated reader of an IDX file (the MNIST format), gzipped or not.

    Format (LeCun et al., the MNIST page): a 4-byte magic number — two zero bytes, a type code (0x08
    unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64) and the number of
    dimensions — then one big-endian uint32 per dimension, then the data, big-endian, row-major.  Gzip is
    recognised by its magic bytes 1f 8b, not by the name, and read into memory; a plain file is read on
    demand.  A length other than the header's is refused.

    Returns
    -------
    Reader
        Shape the file's dimensions, dtype the file's type in native byte order.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "only-a-header")
    >>> _ = open(path, "wb").write(bytes([0, 0, 8, 3]) + np.array([0, 28, 28], ">u4").tobytes())
    >>> open_idx(path, "--mnist")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: --mnist: ... holds no data (shape (0, 28, 28))
    """
    path = str(path)
    where = repr(path)
    st = regular_file(path, argument)
    fd = _open_fd(path, argument)
    with os.fdopen(fd, "rb") as fh:
        zipped = fh.read(2) == b"\x1f\x8b"
        fh.seek(0)
        raw = _gunzip(fh, where, argument) if zipped else fh.read(4 + 4 * 255)
        size = len(raw) if zipped else st.st_size
    dims, dtype, header = _idx_header(raw, where, argument)
    expected = header + math.prod(dims) * dtype.itemsize
    if size != expected:
        more = " or more" if zipped and size > expected else ""     # a gzip stream is read only this far
        raise InvalidArgument(argument, f"{where} is not an IDX file: dimensions {dims} of {dtype.itemsize}-byte "
                                        f"entries need {expected} bytes, the file has {size}{more}")
    dims = check_item_shape(dims, argument, where)
    if zipped:
        data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(dims)
        return LoadedFileReader(data, argument, where, "mnist", path, st)
    return FileReader(path, header, dims, dtype, argument, where, st, "mnist")


def find_mnist(directory, which: str = "train", argument: str = "images") -> Path:
    """The MNIST images file (:data:`MNIST_NAMES`) in ``directory``, or one InvalidArgument.

    Examples
    --------
    >>> import tempfile
    >>> find_mnist(tempfile.mkdtemp(), "train", "--mnist")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: --mnist: no MNIST train images in ... (looked for train-images-idx3-ubyte, ...)
    """
    if which not in MNIST_NAMES:
        raise InvalidArgument("which", f"must be 'train' or 'test', got {which!r}")
    directory = Path(directory)
    if not directory.is_dir():
        raise InvalidArgument(argument, f"{str(directory)!r} is not a directory")
    for name in MNIST_NAMES[which]:
        if (directory / name).exists():
            return directory / name
    raise InvalidArgument(argument, f"no MNIST {which} images in {str(directory)!r} "
                                    f"(looked for {', '.join(MNIST_NAMES[which])})")

"""The one reader per format (verify.laws.readers, verify.laws.zarr_reader): what it reads equals numpy's own
reading, every bad file is one InvalidArgument naming the argument, and faults injected while a run reads —
a file truncated, replaced or deleted, a zarr store or chunk deleted — stop the run with a message instead of
SIGBUS or fill-value zeros.  A FIFO is refused without ever being opened for reading: the tests release a
blocked reader from a watchdog, so a regression fails instead of hanging."""
from __future__ import annotations

import gzip
import os
import pickle
import shutil
import struct
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from verify.diagnosis.sources import open_source
from verify.laws import readers
from verify.laws.distributions import load_npy
from verify.laws.images import mnist_images, read_idx
from verify.laws.readers import MAX_ABS, FileReader, open_array, open_idx, open_npy
from verify.validation import InvalidArgument

from .fifo import FifoWatchdog

RNG = np.random.default_rng(20)


def idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    """The IDX encoding: 0, 0, type code, ndim, big-endian uint32 dims, big-endian data."""
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def npy_with_shape(path, shape_text: bytes) -> str:
    """A .npy file whose header announces ``shape_text`` over the data of a (5, 8, 8) float array."""
    np.save(path, RNG.random((5, 8, 8)))
    path = Path(path)
    raw = path.read_bytes()                     # the header's padding (spaces before "\n") absorbs the change
    pad = len(shape_text) - len(b"(5, 8, 8)")
    path.write_bytes(raw.replace(b"(5, 8, 8)", shape_text, 1).replace(b" " * pad + b"\n", b"\n", 1))
    return str(path)


# ---------------------------------------------------------------------------
# Reading equals numpy's reading
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("array", [
    pytest.param(RNG.random((7, 5, 3)), id="float64-images"),
    pytest.param(RNG.random((9, 4)).astype(">f4"), id="big-endian-float32"),
    pytest.param((RNG.random((6, 3, 3)) * 255).astype(np.uint8), id="uint8"),
    pytest.param(np.asfortranarray(RNG.random((6, 4))), id="fortran-order"),
    pytest.param(RNG.integers(-5, 5, (8, 3)).astype(np.int16), id="int16"),
])
def test_npy_rows_and_takes_equal_numpy_load(tmp_path, array):
    np.save(tmp_path / "a.npy", array)
    reader = open_npy(tmp_path / "a.npy", "--data")
    expected = np.load(tmp_path / "a.npy")
    np.testing.assert_array_equal(reader.read_all(), expected)
    np.testing.assert_array_equal(reader.rows(2, 5), expected[2:5])
    picks = np.array([5, 0, 0, 3, 4, 1])
    np.testing.assert_array_equal(reader.take(picks), expected[picks])
    assert reader.dtype.isnative and reader.rows(0, 1).dtype == expected.dtype.newbyteorder("=")
    again = pickle.loads(pickle.dumps(reader))            # a Dask worker reopens the file by its path
    np.testing.assert_array_equal(again.rows(1, 3), expected[1:3])


@pytest.mark.parametrize("zipped", [False, True], ids=["plain", "gzipped"])
def test_idx_reader_equals_the_array_written_and_pickles_as_its_path(tmp_path, zipped):
    images = (RNG.random((11, 6, 5)) * 255).astype(np.uint8)
    raw = idx_bytes(images)
    (tmp_path / "x.idx").write_bytes(gzip.compress(raw) if zipped else raw)
    reader = open_idx(tmp_path / "x.idx", "--mnist")
    np.testing.assert_array_equal(reader.rows(3, 9), images[3:9])
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(reader)).take([10, 2]), images[[10, 2]])


def test_a_source_from_a_file_loads_the_same_patches_as_from_the_array(tmp_path):
    images = RNG.random((13, 9, 9))
    np.save(tmp_path / "im.npy", images)
    from_file = open_source(str(tmp_path / "im.npy"), filter_size=3, stride=2)
    from_array = open_source(images, filter_size=3, stride=2)
    np.testing.assert_array_equal(from_file.load(4, 11), from_array.load(4, 11))
    np.testing.assert_array_equal(from_file.take(np.array([12, 0, 5])), from_array.take(np.array([12, 0, 5])))


# ---------------------------------------------------------------------------
# Every bad file: one InvalidArgument naming the argument
# ---------------------------------------------------------------------------

def make_bad_files(d):
    """Write every bad file of :data:`BAD` under ``d``."""
    np.savez(d / "a.npz", a=RNG.random((5, 8, 8)))
    (d / "zero.npy").write_bytes(b"")
    npy_with_shape(d / "neg.npy", b"(-5, 8, 8)")
    np.save(d / "short.npy", RNG.random((20, 3)))
    os.truncate(d / "short.npy", os.path.getsize(d / "short.npy") - 8)
    for name, value in (("nan", np.nan), ("inf", -np.inf), ("huge", 1e300)):
        a = RNG.random((20, 8, 8))
        a[3, 2, 2] = value
        np.save(d / f"{name}.npy", a)
    np.save(d / "constant.npy", np.full((20, 8, 8), 0.5))
    np.save(d / "complex.npy", RNG.random((4, 3)) + 1j)
    np.save(d / "object.npy", np.array([[1.0, None]] * 3, dtype=object), allow_pickle=True)
    for folder, dims in (("hdr", (60000, 28, 28)), ("empty-idx", (0, 28, 28))):
        (d / folder).mkdir()
        (d / folder / "train-images-idx3-ubyte").write_bytes(bytes([0, 0, 8, 3]) + struct.pack(">3I", *dims))
    (d / "gz-idx").mkdir()
    cut = gzip.compress(idx_bytes(np.ones((4, 5, 5), np.uint8)))[:-9]
    (d / "gz-idx" / "train-images-idx3-ubyte.gz").write_bytes(cut)
    os.mkfifo(d / "fifo")


#: How each row reads its file: the estimate/check path (load_npy), diagnose's sources, experiment's MNIST.
READ = {
    "load_npy": lambda p: load_npy(p, "--data"),
    "images": lambda p: open_source(str(p), filter_size=3, data_format="npy"),
    "mnist": lambda p: open_source(str(p), filter_size=3),
    "mnist_images": lambda p: mnist_images(p),
    "zarr": lambda p: open_source(str(p), filter_size=3, data_format="zarr"),
}

#: (id, file, reader, what the message says): every bad file of issue 20 and its neighbours.
BAD = [
    ("npz", "a.npz", "images", "an .npz archive"),
    ("npz-load", "a.npz", "load_npy", "an .npz archive"),
    ("zero-bytes", "zero.npy", "images", "empty (0 bytes)"),
    ("negative-shape", "neg.npy", "images", "negative shape"),
    ("truncated", "short.npy", "load_npy", "is truncated"),
    ("nan", "nan.npy", "images", "NaN or infinite values (first in item 3)"),
    ("minus-inf", "inf.npy", "load_npy", "NaN or infinite values (first in item 3)"),
    ("huge", "huge.npy", "images", "as large as 1e+300"),
    ("constant", "constant.npy", "images", "is constant"),
    ("constant-load", "constant.npy", "load_npy", "is constant"),
    ("complex", "complex.npy", "load_npy", "complex numbers"),
    ("object", "object.npy", "load_npy", "not real numbers"),
    ("directory", "hdr", "load_npy", "is a directory"),
    ("missing", "nowhere.npy", "load_npy", "no such file"),
    ("fifo", "fifo", "load_npy", "FIFO"),
    ("fifo-source", "fifo", "images", "FIFO"),
    ("idx-only-a-header", "hdr", "mnist_images", "need 47040016 bytes, the file has 16"),
    ("idx-no-images", "empty-idx", "mnist", "holds no data"),
    ("idx-gzip-cut", "gz-idx", "mnist_images", "cannot read"),
    ("zarr-given-a-npy", "nan.npy", "zarr", "is a file, not a zarr store"),
]


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad-files")
    make_bad_files(d)
    dog = FifoWatchdog(d / "fifo")
    yield d, dog
    dog.stop()


@pytest.mark.parametrize("name, reader, fragment", [pytest.param(*row[1:], id=row[0]) for row in BAD])
def test_every_bad_file_is_one_invalid_argument_naming_the_argument(bad, name, reader, fragment):
    d, dog = bad
    with pytest.raises(InvalidArgument) as err:
        READ[reader](d / name)
    assert fragment in err.value.problem, err.value.problem
    assert err.value.argument in ("--data", "images", "mnist", "zarr", "data")
    assert "\n" not in str(err.value)
    assert dog.released == 0, "a reader opened the FIFO for reading and blocked on it"


def test_the_magnitude_bound_keeps_a_sum_of_2_to_the_64_squares_finite():
    assert np.isfinite(np.float64(MAX_ABS) ** 2 * 2.0**64)
    assert open_array(np.full((2, 2), MAX_ABS) * [[1, -1], [1, 1]], "x").check_values() is not None


def test_in_memory_constant_arrays_are_allowed_but_not_constant_files(tmp_path):
    """A caller's array may be constant (a shape demonstration); data read from a file may not."""
    assert open_source(np.zeros((3, 4, 4)), filter_size=2).n_items == 3
    np.save(tmp_path / "z.npy", np.zeros((3, 4, 4)))
    with pytest.raises(InvalidArgument, match="is constant"):
        open_source(str(tmp_path / "z.npy"), filter_size=2)


# ---------------------------------------------------------------------------
# Faults injected while reading
# ---------------------------------------------------------------------------

def test_a_npy_truncated_while_it_is_read_stops_with_a_message_not_sigbus(tmp_path):
    path = tmp_path / "big.npy"
    np.save(path, RNG.random((200, 8, 8)))
    src = open_source(str(path), filter_size=3)
    assert src.load(0, 50).shape[0] == 50 and src.take(np.array([1, 2])).shape[0] == 2   # the take caches the file
    os.truncate(path, os.path.getsize(path) // 2)        # what a memory map would turn into SIGBUS
    with pytest.raises(InvalidArgument, match=r"changed size .* while it was being read") as err:
        src.load(150, 200)
    assert err.value.argument == "images"
    with pytest.raises(InvalidArgument, match="changed size"):
        src.take(np.array([1, 2]))                       # rows in the cache and on disk: refused all the same


def test_large_files_are_read_by_row_runs_with_the_same_checks(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "CACHE_BYTES", 0)
    path = tmp_path / "x.npy"
    data = RNG.random((30, 5))
    np.save(path, data)
    reader = open_npy(path, "--data")
    picks = np.array([7, 8, 9, 0, 29, 8])                   # runs 0, 7–9, 29
    np.testing.assert_array_equal(reader.take(picks), data[picks])
    assert reader._cache is None
    os.truncate(path, os.path.getsize(path) - 40)
    with pytest.raises(InvalidArgument, match="changed size"):
        reader.take(picks)


def test_a_file_truncated_during_a_single_read_is_a_short_read_and_a_message(tmp_path, monkeypatch):
    path = tmp_path / "x.npy"
    np.save(path, RNG.random((100, 16)))
    reader = open_npy(path, "--data")
    real = os.preadv

    def shrinking(fd, buffers, offset):                   # the file shrinks between two reads of one chunk
        os.truncate(path, 200)
        return real(fd, buffers, offset)

    monkeypatch.setattr(os, "preadv", shrinking)
    with pytest.raises(InvalidArgument, match="changed size"):
        reader.rows(50, 100)


def test_a_npy_deleted_or_replaced_during_a_run_is_refused(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, RNG.random((40, 4)))
    reader = open_npy(path, "--data")
    np.save(tmp_path / "other.npy", RNG.random((40, 4)))     # same size, other numbers
    os.replace(tmp_path / "other.npy", path)
    with pytest.raises(InvalidArgument, match="replaced by another file"):
        reader.rows(0, 10)
    os.remove(path)
    with pytest.raises(InvalidArgument, match="was deleted"):
        reader.rows(0, 10)
    with pytest.raises(InvalidArgument, match="was deleted"):
        pickle.loads(pickle.dumps(reader)).rows(0, 1)        # a Dask worker opening it after the deletion


def test_a_gzipped_idx_changed_during_a_run_is_refused_where_a_worker_reopens_it(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(idx_bytes((RNG.random((6, 5, 5)) * 255).astype(np.uint8))))
    src = open_source(str(tmp_path), filter_size=3)
    payload = pickle.dumps(src.payload(0, 3))
    path.write_bytes(gzip.compress(idx_bytes((RNG.random((7, 5, 5)) * 255).astype(np.uint8))))
    with pytest.raises(InvalidArgument, match="changed or was deleted"):
        pickle.loads(payload)


def _zarr_store(path, images, chunk=10):
    zarr = pytest.importorskip("zarr")
    store = zarr.create_array(store=str(path), shape=images.shape, chunks=(chunk,) + images.shape[1:],
                              dtype="f8")
    store[:] = images
    return store


def test_a_zarr_store_deleted_during_a_run_is_an_error_not_fill_values(tmp_path):
    images = RNG.random((40, 8, 8))
    _zarr_store(tmp_path / "s.zarr", images)
    src = open_source(str(tmp_path / "s.zarr"), filter_size=3)
    np.testing.assert_array_equal(src.load(0, 10), open_source(images, filter_size=3).load(0, 10))
    shutil.rmtree(tmp_path / "s.zarr")
    with pytest.raises(InvalidArgument, match="was deleted while it was being read") as err:
        src.load(10, 20)
    assert err.value.argument == "zarr"


def test_a_zarr_chunk_deleted_during_a_run_is_an_error_not_fill_values(tmp_path):
    images = RNG.random((40, 8, 8))
    store = _zarr_store(tmp_path / "s.zarr", images)
    src = open_source(str(tmp_path / "s.zarr"), filter_size=3)
    os.remove(tmp_path / "s.zarr" / store.metadata.encode_chunk_key((2, 0, 0)))
    assert src.load(0, 20).shape[0] == 20                      # chunks 0 and 1 are still there
    with pytest.raises(InvalidArgument, match="lost its chunk"):
        src.load(20, 30)
    with pytest.raises(InvalidArgument, match="lost its chunk"):
        src.take(np.array([25]))


def test_a_zarr_with_a_corrupt_chunk_is_refused_before_work_starts(tmp_path):
    store = _zarr_store(tmp_path / "s.zarr", RNG.random((40, 8, 8)))
    (tmp_path / "s.zarr" / store.metadata.encode_chunk_key((1, 0, 0))).write_bytes(b"not a chunk")
    with pytest.raises(InvalidArgument, match="corrupt or unreadable chunk"):
        open_source(str(tmp_path / "s.zarr"), filter_size=3)


def test_a_fifo_is_refused_within_seconds_even_by_the_low_level_reader(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    dog = FifoWatchdog(tmp_path / "pipe")
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(_refusal(tmp_path / "pipe")), daemon=True)
    start = time.monotonic()
    worker.start()
    worker.join(30)
    dog.stop()
    assert not worker.is_alive() and dog.released == 0, "the reader blocked on the FIFO"
    assert "FIFO" in outcome[0] and time.monotonic() - start < 30


def _refusal(path) -> str:
    for read in (lambda: open_npy(path, "--data"), lambda: open_idx(path, "--mnist"), lambda: read_idx(path)):
        try:
            read()
        except InvalidArgument as err:
            assert "FIFO" in err.problem
    try:
        FileReader(str(path), 0, (1,), np.dtype("u1"), "--data", "x", os.stat(path), "npy").rows(0, 1)
    except InvalidArgument as err:
        return err.problem
    return "read"


def test_diagnose_on_a_file_truncated_mid_run_ends_with_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    """The command line end to end: the file shrinks after the pilot, as the constants pass starts."""
    from verify.cli import main
    from verify.diagnosis.sources import Source

    path = tmp_path / "images.npy"
    np.save(path, RNG.random((120, 8, 8)))
    load = Source.load

    def shrink_then_load(self, a, b):
        os.truncate(path, os.path.getsize(path) // 3)
        return load(self, a, b)

    monkeypatch.setattr(Source, "load", shrink_then_load)
    code = main(["diagnose", "--images", str(path), "--filter-size", "3", "--stride", "2", "--sgd-steps", "0"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err[-1].startswith("verify diagnose: --images: ") and "changed size" in err[-1], err
    assert not any("Traceback" in line for line in err)

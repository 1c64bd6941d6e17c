"""Image sources and filters (verify.laws.images): IDX files the tests write themselves, digits, photographs."""
from __future__ import annotations

import gzip
import math
import struct
import sys

import numpy as np
import pytest

from verify.laws.distributions import make_distribution
from verify.laws.images import (DIGITS_SOURCE, default_images, digits_images, gabor_filter, mnist_images, random_filter,
    read_idx, sample_photographs)
from verify.laws.readers import IDX_DTYPES
from verify.validation import InvalidArgument

CODES = {np.dtype(v).newbyteorder("="): k for k, v in IDX_DTYPES.items()}


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of an array: 0, 0, type code, ndim, big-endian uint32 dims, big-endian data."""
    array = np.asarray(array)
    code = CODES[array.dtype.newbyteorder("=")]
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write(path, payload: bytes, zipped: bool = False):
    path.write_bytes(gzip.compress(payload) if zipped else payload)
    return path


ROUND_TRIPS = [
    pytest.param(np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4), id="ubyte-images"),
    pytest.param(np.array([-3, 0, 7], dtype=np.int8), id="sbyte-vector"),
    pytest.param(np.array([[-300, 2], [5, 32000]], dtype=np.int16), id="int16-matrix"),
    pytest.param(np.array([[1 << 20, -7]], dtype=np.int32), id="int32-matrix"),
    pytest.param(np.array([0.5, -1.25], dtype=np.float32), id="float32-vector"),
    pytest.param(np.array([[math.pi]], dtype=np.float64), id="float64-matrix"),
]


@pytest.mark.parametrize("zipped", [False, True], ids=["plain", "gzipped"])
@pytest.mark.parametrize("array", ROUND_TRIPS)
def test_read_idx_returns_what_was_written_plain_or_gzipped(tmp_path, array, zipped):
    path = write(tmp_path / "a.idx", idx_bytes(array), zipped)
    out = read_idx(path)
    assert out.shape == array.shape and out.dtype == array.dtype
    np.testing.assert_array_equal(out, array)


def test_read_idx_recognises_gzip_by_content_not_by_name(tmp_path):
    array = np.arange(6, dtype=np.uint8).reshape(1, 2, 3)
    path = write(tmp_path / "no-extension", idx_bytes(array), zipped=True)
    np.testing.assert_array_equal(read_idx(path), array)


GOOD = idx_bytes(np.arange(24, dtype=np.uint8).reshape(2, 3, 4))
MALFORMED = [
    pytest.param(b"", "shorter than the 4-byte magic", id="empty"),
    pytest.param(b"\x00\x00\x08", "shorter than the 4-byte magic", id="three-bytes"),
    pytest.param(b"\x01" + GOOD[1:], "not 0x00 0x00", id="nonzero-first-byte"),
    pytest.param(GOOD[:2] + b"\x0a" + GOOD[3:], "unknown type code 0x0a", id="unknown-type"),
    pytest.param(b"\x00\x00\x08\x00", "zero dimensions", id="zero-dimensions"),
    pytest.param(GOOD[:10], "header announces 3 dimensions", id="truncated-header"),
    pytest.param(GOOD[:-1], "the file has 39", id="truncated-data"),
    pytest.param(GOOD + b"\x00", "the file has 41", id="trailing-bytes"),
]


@pytest.mark.parametrize("zipped", [False, True], ids=["plain", "gzipped"])
@pytest.mark.parametrize("payload, message", MALFORMED)
def test_malformed_idx_files_raise_invalid_argument_saying_what_is_wrong(tmp_path, payload, message, zipped):
    path = write(tmp_path / "bad.idx", payload, zipped)
    with pytest.raises(InvalidArgument, match=message) as err:
        read_idx(path)
    assert err.value.argument == "images" and str(path) in str(err.value)


def test_a_corrupt_gzip_stream_raises_invalid_argument(tmp_path):
    path = write(tmp_path / "bad.gz", gzip.compress(GOOD)[:-12])
    with pytest.raises(InvalidArgument, match="cannot read"):
        read_idx(path)


def test_a_missing_idx_file_raises_invalid_argument(tmp_path):
    with pytest.raises(InvalidArgument, match="cannot read"):
        read_idx(tmp_path / "absent")


@pytest.mark.parametrize("name", ["train-images-idx3-ubyte", "train-images-idx3-ubyte.gz", "train-images.idx3-ubyte"])
def test_mnist_images_finds_the_training_file_and_scales_to_unit_interval(tmp_path, name):
    array = np.array([[[0, 255], [51, 102]], [[255, 0], [0, 0]], [[1, 2], [3, 4]]], dtype=np.uint8)
    write(tmp_path / name, idx_bytes(array), zipped=name.endswith(".gz"))
    out = mnist_images(tmp_path)
    assert out.shape == (3, 2, 2) and out.dtype == np.float64
    np.testing.assert_array_equal(out, array / 255.0)
    assert mnist_images(tmp_path, limit=2).shape == (2, 2, 2)


def test_mnist_images_rejects_a_directory_without_images(tmp_path):
    with pytest.raises(InvalidArgument, match="no MNIST train images"):
        mnist_images(tmp_path)
    with pytest.raises(InvalidArgument, match="not a directory"):
        mnist_images(tmp_path / "nowhere")
    with pytest.raises(InvalidArgument) as err:
        mnist_images(tmp_path, which="validation")
    assert err.value.argument == "which"


def test_mnist_images_rejects_idx_data_that_are_not_byte_images(tmp_path):
    write(tmp_path / "train-images-idx3-ubyte", idx_bytes(np.zeros((2, 3), dtype=np.uint8)))
    with pytest.raises(InvalidArgument, match="not unsigned-byte images"):
        mnist_images(tmp_path)


# ---------------------------------------------------------------------------
# Built-in sources (scikit-learn ships them: no download)
# ---------------------------------------------------------------------------

def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


needs_sklearn = pytest.mark.skipif(not _has("sklearn"), reason="the 'images' extra (scikit-learn) is not installed")


@needs_sklearn
def test_digits_are_1797_images_of_8_by_8_in_the_unit_interval():
    images = digits_images()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float64
    assert images.min() == 0.0 and images.max() == 1.0


@needs_sklearn
def test_default_images_are_the_digits_and_feed_image_patches():
    images, source = default_images()
    assert images.shape == (1797, 8, 8) and source == DIGITS_SOURCE
    dist = make_distribution("image-patches", filter_size=5, stride=1)
    assert (dist.p, dist.k) == (25, 16) and dist.support().shape == (1797, 16, 25)


def test_missing_scikit_learn_names_the_images_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn` raise ImportError
    with pytest.raises(InvalidArgument, match=r"pip install convfilter-verify\[images\]"):
        digits_images()


@needs_sklearn
def test_sample_photographs_are_two_grey_images_in_the_unit_interval():
    pytest.importorskip("PIL")
    photos = sample_photographs()
    assert photos.shape == (2, 427, 640)
    assert 0.0 <= photos.min() and photos.max() <= 1.0


@needs_sklearn
def test_sample_photographs_without_pillow_say_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(InvalidArgument, match="Pillow"):
        sample_photographs()


# ---------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------

def test_gabor_filter_has_unit_norm_and_the_requested_size():
    g = gabor_filter(5)
    assert g.shape == (5, 5)
    np.testing.assert_allclose(np.linalg.norm(g), 1.0, rtol=1e-15)


def test_gabor_filter_turned_by_a_right_angle_is_its_transpose():
    # With an isotropic envelope (aspect 1), x' at orientation π/2 is y, so g_{π/2}(x, y) = g_0(y, x);
    # cos/sin of π/2 are exact to 6e-17, hence the 1e-12 tolerance.
    np.testing.assert_allclose(gabor_filter(7, orientation=math.pi / 2), gabor_filter(7, orientation=0.0).T,
                               atol=1e-12)


def test_a_vanishing_gabor_filter_is_refused():
    with pytest.raises(InvalidArgument):
        gabor_filter(1, phase=math.pi / 2)


def test_random_filter_is_standard_normal_and_repeatable():
    a, b = random_filter(5, 3), random_filter(5, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (5, 5)
    big = random_filter(200, 0)
    # 40 000 N(0,1) entries: the sample mean has standard error 0.005 and the sample variance
    # 0.007; 5 standard errors each.
    assert abs(big.mean()) < 0.025 and abs(big.var() - 1) < 0.035


def test_real_data_experiments_run_on_mnist_idx_files_the_user_points_at(tmp_path):
    from verify.experiments.registry import run_experiment

    rng = np.random.default_rng(0)
    write(tmp_path / "train-images-idx3-ubyte.gz", idx_bytes(rng.integers(0, 256, (40, 12, 12), dtype=np.uint8)),
          zipped=True)
    result = run_experiment("fig3c", "quick", 0, mnist=str(tmp_path), mnist_limit=30, iterations=20, seeds=2,
                            filter_size=3, stride=3)
    assert "MNIST" in result.parameters["images"] and "first 30" in result.parameters["images"]
    assert len(result.series["final_log_relative_loss"]) == len(result.parameters["alphas"])


@pytest.mark.parametrize("height, width, f, s", [(28, 28, 5, 1), (8, 8, 3, 2), (9, 7, 4, 3), (5, 5, 5, 1),
                                                 (6, 6, 1, 1), (10, 3, 3, 1), (11, 13, 2, 5)])
def test_patches_are_the_windows_at_every_stride_read_row_by_row(height, width, f, s):
    """Patch j of an image is its f×f window at (⌊j/cols⌋·s, (j mod cols)·s), row-major (docs/claims.md §1):
    equal, bit for bit, to slicing that window out of the image, for any dtype."""
    from verify.laws.builtin import extract_patches

    rng = np.random.default_rng(height * width + f)
    for images in (rng.standard_normal((3, height, width)), rng.integers(0, 256, (2, height, width), dtype=np.uint8)):
        z = extract_patches(images, f, s)
        cols = (width - f) // s + 1
        expected = [[images[i, (j // cols) * s:(j // cols) * s + f, (j % cols) * s:(j % cols) * s + f].ravel()
                     for j in range(((height - f) // s + 1) * cols)] for i in range(images.shape[0])]
        assert z.dtype == images.dtype and z.flags.c_contiguous
        np.testing.assert_array_equal(z, np.array(expected, dtype=images.dtype))

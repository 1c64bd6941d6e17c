"""Real images for the §4 experiments (docs/claims.md claim 20), and the filters they are labelled with.

Nothing is fetched at run time.  The sources:

* :func:`digits_images` — the UCI optical digits (1797 images, 8×8, 17 grey
  levels) that scikit-learn ships inside its wheel (``load_digits``); the
  default image source of the ``image-patches`` distribution.
* :func:`sample_photographs` — scikit-learn's two sample photographs
  (``china.jpg``, ``flower.jpg``, 427×640), in grey levels; reading the JPEGs
  needs Pillow as well.
* :func:`mnist_images` / :func:`read_idx` — MNIST (the paper's data) read from
  IDX files the user already has (``train-images-idx3-ubyte`` or ``.gz``).

Every image array is float64 (N, H, W) with values in [0, 1] (grey level over
its maximum: 16 for the digits, 255 for MNIST and the photographs).

The filters of Fig. 4: :func:`random_filter` (i.i.d. N(0, 1) entries, as in the
paper) and :func:`gabor_filter`.
"""
from __future__ import annotations

import gzip
import math
import os
from pathlib import Path

import numpy as np

from .builtin import as_rng
from ..validation import InvalidArgument, check_dimension, check_positive

__all__ = [
    "digits_images",
    "sample_photographs",
    "read_idx",
    "mnist_images",
    "default_images",
    "gabor_filter",
    "random_filter",
    "IDX_DTYPES",
    "DIGITS_SOURCE",
]

_EXTRA_HINT = "install the 'images' extra: pip install convfilter-verify[images]"
DIGITS_SOURCE = "sklearn-digits (UCI optical digits, 1797 images 8x8, scikit-learn load_digits)"

#: IDX type codes (third byte of the magic number) → big-endian numpy dtype.
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def _sklearn_datasets():
    try:
        from sklearn import datasets
    except ImportError:
        raise InvalidArgument("images", f"scikit-learn is needed for the built-in images; {_EXTRA_HINT}") from None
    return datasets


def digits_images() -> np.ndarray:
    """The 1797 UCI optical digits shipped with scikit-learn, scaled to [0, 1].

    Returns
    -------
    ndarray (1797, 8, 8), float64
        Grey levels 0 … 16 divided by 16.

    Raises
    ------
    InvalidArgument
        When scikit-learn is not installed.
    """
    images = _sklearn_datasets().load_digits().images
    return np.asarray(images, dtype=float) / 16.0


def sample_photographs() -> np.ndarray:
    """scikit-learn's sample photographs (china.jpg, flower.jpg) in grey levels.

    Returns
    -------
    ndarray (2, 427, 640), float64 in [0, 1]
        Luma Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601) over 255, in the
        order china, flower.

    Raises
    ------
    InvalidArgument
        When scikit-learn or Pillow (needed to decode the JPEGs) is missing.
    """
    datasets = _sklearn_datasets()
    try:
        import PIL  # noqa: F401  (scikit-learn decodes the JPEGs with it)
    except ImportError:
        raise InvalidArgument("images", "the sample photographs are JPEGs and need Pillow: pip install pillow") from None
    bunch = datasets.load_sample_images()
    order = np.argsort([os.path.basename(f) for f in bunch.filenames])  # china, flower
    rgb = np.stack([np.asarray(bunch.images[i], dtype=float) for i in order])
    return rgb @ np.array([0.299, 0.587, 0.114]) / 255.0


def _open_maybe_gzip(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
            fh.seek(0)
            if head == b"\x1f\x8b":
                with gzip.open(fh) as gz:
                    return gz.read()
            return fh.read()
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        raise InvalidArgument("images", f"cannot read {str(path)!r} ({type(err).__name__}: {err})") from None


def read_idx(path) -> np.ndarray:
    """Read an IDX file (the MNIST format), gzipped or not.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    ndarray
        Shape the file's dimensions, dtype the file's type in native byte order.

    Notes
    -----
    Format (LeCun et al., the MNIST page): a 4-byte magic number — two zero
    bytes, a type code (0x08 unsigned byte, 0x09 signed byte, 0x0B int16,
    0x0C int32, 0x0D float32, 0x0E float64) and the number of dimensions —
    then one big-endian uint32 per dimension, then the data, big-endian,
    row-major.  Gzip is recognised by its magic bytes 1f 8b, not by the name.
    A file whose length differs from what the header announces is rejected.

    Raises
    ------
    InvalidArgument
        Naming the file and what is wrong with it.
    """
    path = Path(path)
    raw = _open_maybe_gzip(path)
    where = f"{str(path)!r} is not an IDX file:"
    if len(raw) < 4:
        raise InvalidArgument("images", f"{where} {len(raw)} bytes, shorter than the 4-byte magic number")
    if raw[0] != 0 or raw[1] != 0:
        raise InvalidArgument("images", f"{where} magic number starts with {raw[0]:#04x} {raw[1]:#04x}, not 0x00 0x00")
    code, ndim = raw[2], raw[3]
    if code not in IDX_DTYPES:
        known = ", ".join(f"{c:#04x}" for c in IDX_DTYPES)
        raise InvalidArgument("images", f"{where} unknown type code {code:#04x} (known: {known})")
    if ndim == 0:
        raise InvalidArgument("images", f"{where} zero dimensions")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise InvalidArgument("images", f"{where} header announces {ndim} dimensions but the file ends after "
                                        f"{len(raw)} bytes")
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = IDX_DTYPES[code]
    expected = header + math.prod(dims) * dtype.itemsize
    if len(raw) != expected:
        raise InvalidArgument("images", f"{where} dimensions {dims} of {dtype.itemsize}-byte entries need "
                                        f"{expected} bytes, the file has {len(raw)}")
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(dims)
    return data.astype(dtype.newbyteorder("="))


#: File names tried by :func:`mnist_images`, in order.
MNIST_NAMES = {
    "train": ("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz", "train-images.idx3-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz", "t10k-images.idx3-ubyte"),
}


def mnist_images(directory, which: str = "train", limit: int | None = None) -> np.ndarray:
    """MNIST images from a directory holding the IDX files, scaled to [0, 1].

    Parameters
    ----------
    directory : str or path-like
        Holds ``train-images-idx3-ubyte`` (or ``.gz``; ``t10k-…`` for the test set).
    which : {"train", "test"}
    limit : int, optional
        Keep the first ``limit`` images.

    Returns
    -------
    ndarray (N, 28, 28), float64
        Grey levels over 255.
    """
    if which not in MNIST_NAMES:
        raise InvalidArgument("which", f"must be 'train' or 'test', got {which!r}")
    directory = Path(directory)
    if not directory.is_dir():
        raise InvalidArgument("images", f"{str(directory)!r} is not a directory")
    for name in MNIST_NAMES[which]:
        candidate = directory / name
        if candidate.is_file():
            break
    else:
        raise InvalidArgument("images", f"no MNIST {which} images in {str(directory)!r} "
                                        f"(looked for {', '.join(MNIST_NAMES[which])})")
    data = read_idx(candidate)
    if data.ndim != 3 or data.dtype != np.uint8:
        raise InvalidArgument("images", f"{str(candidate)!r} holds {data.dtype} data of shape {data.shape}, "
                                        "not unsigned-byte images (N, H, W)")
    if limit is not None:
        data = data[: check_dimension(limit, "limit", minimum=1)]
    return data.astype(float) / 255.0


def default_images() -> tuple[np.ndarray, str]:
    """The images used when none are given: the scikit-learn digits, and their source name."""
    return digits_images(), DIGITS_SOURCE


# ---------------------------------------------------------------------------
# Filters (Fig. 4)
# ---------------------------------------------------------------------------

def random_filter(size: int, rng=None) -> np.ndarray:
    """A size × size filter of i.i.d. N(0, 1) entries (Fig. 4a)."""
    size = check_dimension(size, "size", minimum=1)
    return as_rng(rng).standard_normal((size, size))


def gabor_filter(size: int, *, wavelength: float | None = None, orientation: float = math.pi / 4,
                 phase: float = 0.0, sigma: float | None = None, aspect: float = 1.0,
                 normalize: bool = True) -> np.ndarray:
    """A size × size Gabor filter (Fig. 4b).

    g(x, y) = exp(−(x'² + aspect² y'²)/(2 sigma²)) · cos(2π x'/wavelength + phase),
    x' = x cos(orientation) + y sin(orientation), y' = −x sin(orientation) + y cos(orientation),
    with (x, y) pixel offsets from the centre of the filter.

    Parameters
    ----------
    size : int
    wavelength : float, optional
        In pixels; default 0.8·size (one stripe pair across the filter).
    orientation, phase : float
        Radians.
    sigma : float, optional
        Gaussian envelope width in pixels; default size/3.
    aspect : float
        Ellipticity of the envelope.
    normalize : bool
        Scale to unit Euclidean norm.
    """
    size = check_dimension(size, "size", minimum=1)
    wavelength = check_positive(0.8 * size if wavelength is None else wavelength, "wavelength")
    sigma = check_positive(size / 3 if sigma is None else sigma, "sigma")
    aspect = check_positive(aspect, "aspect")
    c = (size - 1) / 2
    y, x = np.mgrid[0:size, 0:size] - c
    xr = x * math.cos(orientation) + y * math.sin(orientation)
    yr = -x * math.sin(orientation) + y * math.cos(orientation)
    g = np.exp(-(xr**2 + aspect**2 * yr**2) / (2 * sigma**2)) * np.cos(2 * math.pi * xr / wavelength + phase)
    if normalize:
        norm = np.linalg.norm(g)
        if norm < 1e-12:  # e.g. size 1 with phase π/2: cos(π/2) is 6e-17, not 0
            raise InvalidArgument("phase", "this Gabor filter is identically zero; change phase or wavelength")
        g = g / norm
    return g

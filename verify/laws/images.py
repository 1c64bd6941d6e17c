"""Real images for the §4 experiments (docs/claims.md claim 20), and the filters they are labelled with.

Nothing is fetched at run time.  The sources:

* :func:`digits_images` — the UCI optical digits (1797 images, 8×8, 17 grey
  levels) that scikit-learn ships inside its wheel (``load_digits``); the
  default image source of the ``image-patches`` distribution.
* :func:`sample_photographs` — scikit-learn's two sample photographs
  (``china.jpg``, ``flower.jpg``, 427×640), in grey levels; reading the JPEGs
  needs Pillow as well.
* :func:`mnist_images` / :func:`read_idx` — MNIST (the paper's data) read from
  IDX files the user already has (``train-images-idx3-ubyte`` or ``.gz``), by the one IDX
  reader, :func:`verify.laws.readers.open_idx`.

Every image array is float64 (N, H, W) with values in [0, 1] (grey level over
its maximum: 16 for the digits, 255 for MNIST and the photographs).

The filters of Fig. 4: :func:`random_filter` (i.i.d. N(0, 1) entries, as in the
paper) and :func:`gabor_filter`.
"""
from __future__ import annotations

import math
import os

import numpy as np

from .builtin import as_rng
from .readers import find_mnist, open_idx
from ..validation import InvalidArgument, check_dimension, check_positive

__all__ = [
    "digits_images",
    "sample_photographs",
    "read_idx",
    "mnist_images",
    "default_images",
    "gabor_filter",
    "random_filter",
    "DIGITS_SOURCE",
]

_EXTRA_HINT = "install the 'images' extra: pip install convfilter-verify[images]"
DIGITS_SOURCE = "sklearn-digits (UCI optical digits, 1797 images 8x8, scikit-learn load_digits)"

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


def read_idx(path) -> np.ndarray:
    """Read an IDX file (the MNIST format), gzipped or not, through :func:`verify.laws.readers.open_idx`.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    ndarray
        Shape the file's dimensions, dtype the file's type in native byte order; values finite and
        within :data:`verify.laws.readers.MAX_ABS`.

    Notes
    -----
    The format and its checks (magic number, type code, dimensions, length) are
    :func:`verify.laws.readers.open_idx`'s.

    Raises
    ------
    InvalidArgument
        Naming ``images``, the file and what is wrong with it.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "v.idx")
    >>> _ = open(path, "wb").write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]))
    >>> read_idx(path)
    array([7, 8, 9], dtype=uint8)
    """
    return open_idx(path, "images").load(constant=False)


def mnist_images(directory, which: str = "train", limit: int | None = None) -> np.ndarray:
    """MNIST images from a directory holding the IDX files, scaled to [0, 1].

    Parameters
    ----------
    directory : str or path-like
        Holds ``train-images-idx3-ubyte`` (or ``.gz``; ``t10k-…`` for the test set;
        :data:`verify.laws.readers.MNIST_NAMES`).
    which : {"train", "test"}
    limit : int, optional
        Keep the first ``limit`` images (the whole file is checked all the same).

    Returns
    -------
    ndarray (N, H, W), float64
        Grey levels over 255.

    Raises
    ------
    InvalidArgument
        Naming ``images``: no such directory or file, a damaged IDX file, data that are not
        unsigned-byte images (N, H, W), or constant images.
    """
    if limit is not None:
        limit = check_dimension(limit, "limit", minimum=1)
    reader = open_idx(find_mnist(directory, which, "images"), "images")
    if reader.ndim != 3 or reader.dtype != np.uint8:
        raise InvalidArgument("images", f"{reader.label} holds {reader.dtype} data of shape {reader.shape}, "
                                        "not unsigned-byte images (N, H, W)")
    reader.check_values()
    return reader.rows(0, reader.shape[0] if limit is None else limit).astype(float) / 255.0


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

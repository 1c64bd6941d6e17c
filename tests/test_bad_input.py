"""Every bad input to every subcommand: one line on stderr naming the argument as typed, exit 2, nothing written.

One table (:data:`ROWS`) of ``pytest.param(argv, argument, id=...)``: ``argv`` may hold
``{placeholders}`` filled in by :func:`materialize` (files, user laws and folders made in
a temporary directory); ``argument`` is the argument as the user typed it (``--sigma-patch``,
``--dist``, ``ID``, ``COMMAND``), which the one line must name right after the subcommand:
``verify <subcommand>: <argument>: <what is wrong and what is allowed>``.

Rows run in-process (``verify.cli.main(argv)`` with capsys); a handful also run as
subprocesses of the console entry point to prove the exit status.
"""
from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from verify.cli import main

from .fifo import FifoWatchdog

#: The user laws the table loads by ``--dist _vbl:NAME`` (module written by :func:`materialize`).
BAD_LAWS = '''
import sys
import numpy as np

class Law:
    def __init__(self, p=3, k=1, sample=None, later=None):
        self.p, self.k, self._sample, self._later, self.calls = p, k, sample, later, 0
    def sample(self, n, rng):
        self.calls += 1
        if self._later is not None and self.calls > 1:
            return self._later(self, n, rng)
        if self._sample is not None:
            return self._sample(self, n, rng)
        return rng.standard_normal((n, self.k, self.p))

def _shape(law, n):
    return (n, law.k, law.p)

NOT_CALLABLE = 42

def good(p=3):
    return Law(p)

def factory_raises(p=3):
    raise RuntimeError("the factory broke")

def factory_no_p():
    return Law(3)

def factory_exits(p=3):
    sys.exit(3)

def returns_none(p=3):
    return None

def returns_int(p=3):
    return 7

class _NoSample:
    p, k = 3, 1

def no_sample(p=3):
    return _NoSample()

def p_str(p=3):
    law = Law(p); law.p = "three"; return law

def p_float(p=3):
    law = Law(p); law.p = 3.5; return law

def k_zero(p=3):
    return Law(p, k=0)

def p_mismatch(p=3):
    return Law(p + 1)

def sample_not_callable(p=3):
    law = Law(p); law.sample = 5; return law

def sample_raises(p=3):
    def s(law, n, rng): raise ValueError("sample broke")
    return Law(p, sample=s)

def sample_exits(p=3):
    def s(law, n, rng): sys.exit(4)
    return Law(p, sample=s)

def sample_wrong_shape(p=3):
    return Law(p, sample=lambda law, n, rng: np.zeros((n, law.k, law.p + 1)))

def sample_2d(p=3):
    return Law(p, sample=lambda law, n, rng: np.zeros((n, law.p)))

def sample_wrong_n(p=3):
    return Law(p, sample=lambda law, n, rng: np.zeros((n + 1, law.k, law.p)))

def sample_nan(p=3):
    return Law(p, sample=lambda law, n, rng: np.full(_shape(law, n), np.nan))

def sample_inf(p=3):
    return Law(p, sample=lambda law, n, rng: np.full(_shape(law, n), np.inf))

def sample_complex(p=3):
    return Law(p, sample=lambda law, n, rng: rng.standard_normal(_shape(law, n)) + 1j)

def sample_object(p=3):
    return Law(p, sample=lambda law, n, rng: np.empty(_shape(law, n), dtype=object))

def sample_str(p=3):
    return Law(p, sample=lambda law, n, rng: np.full(_shape(law, n), "x"))

def sample_none(p=3):
    return Law(p, sample=lambda law, n, rng: None)

def sample_scalar(p=3):
    return Law(p, sample=lambda law, n, rng: 1.0)

def sample_raises_later(p=3):
    def later(law, n, rng): raise ZeroDivisionError("later")
    return Law(p, later=later)

def sample_nan_later(p=3):
    return Law(p, later=lambda law, n, rng: np.full(_shape(law, n), np.nan))

def sample_shape_later(p=3):
    return Law(p, later=lambda law, n, rng: np.zeros((n, law.k, law.p + 2)))
'''


def materialize(tmp: Path) -> dict[str, str]:
    """Make every file, folder and user-law module the table names; return the placeholders."""
    tmp = Path(tmp)
    (tmp / "laws").mkdir(exist_ok=True)
    (tmp / "laws" / "_vbl.py").write_text(BAD_LAWS)
    (tmp / "laws" / "_vbl_syntax.py").write_text("def make(p:\n")
    (tmp / "laws" / "_vbl_import_raises.py").write_text("1 / 0\n")
    (tmp / "laws" / "_vbl_import_error.py").write_text("import no_such_module_anywhere_xyz\n")
    rng = np.random.default_rng(0)
    arrays = {
        "complex_npy": rng.standard_normal((20, 3)) + 1j * rng.standard_normal((20, 3)),
        "nan_npy": np.array([[1.0, np.nan, 0.0], [0.0, 1.0, 2.0]]),
        "inf_npy": np.array([[1.0, np.inf, 0.0], [0.0, 1.0, 2.0]]),
        "flat_npy": np.arange(10.0),
        "p1_npy": np.ones((10, 1)),
        "empty_npy": np.zeros((0, 3)),
        "str_npy": np.array([["a", "b", "c"]] * 4),
        "four_d_npy": np.zeros((2, 2, 2, 2)),
        "good2_npy": rng.standard_normal((30, 2)),
        "images2d_npy": rng.random((8, 8)),
        "images_complex_npy": rng.random((3, 8, 8)) + 1j,
        "images_nan_npy": np.full((3, 8, 8), np.nan),
        "images_good_npy": rng.random((3, 8, 8)),
        "images_big_npy": rng.random((1, 80, 80)),
        "complex64_npy": np.ones((5, 3), dtype=np.complex64),
    }
    paths = {}
    for key, arr in arrays.items():
        path = tmp / f"{key}.npy"
        np.save(path, arr)
        paths[key] = str(path)
    obj = tmp / "object_npy.npy"
    np.save(obj, np.array([[1.0, None, 2.0]] * 3, dtype=object), allow_pickle=True)
    paths["object_npy"] = str(obj)
    (tmp / "corrupt.npy").write_bytes(b"\x93NUMPY garbage")
    (tmp / "text.npy").write_text("1 2 3\n4 5 6\n")
    np.savez(tmp / "archive.npz", a=np.ones((4, 3)))
    with open(tmp / "pickle.npy", "wb") as fh:
        pickle.dump([1, 2, 3], fh)
    (tmp / "regular.txt").write_text("a regular file\n")
    (tmp / "emptydir").mkdir(exist_ok=True)
    (tmp / "mnistbad").mkdir(exist_ok=True)
    (tmp / "mnistbad" / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03garbage")
    paths.update(_reader_faults(tmp, rng))
    ro = tmp / "readonly"
    ro.mkdir(exist_ok=True)
    ro.chmod(0o555)
    return {
        "tmp": str(tmp), "out": str(tmp / "out"), "file": str(tmp / "regular.txt"),
        "under_file": str(tmp / "regular.txt" / "sub"), "ro": str(ro / "out"), "ro_dir": str(ro),
        "missing": str(tmp / "no-such-file.npy"), "dir": str(tmp / "emptydir"),
        "corrupt": str(tmp / "corrupt.npy"), "text": str(tmp / "text.npy"), "npz": str(tmp / "archive.npz"),
        "pickle": str(tmp / "pickle.npy"), "mnistbad": str(tmp / "mnistbad"), **paths,
    }


def _reader_faults(tmp: Path, rng) -> dict[str, str]:
    """The files of issue 20 that reached the readers as internal errors, SIGBUS or a hang: an .npz, a 0-byte
    and a negative-shape .npy, an IDX file that is only a header, a zarr store with a corrupt chunk, NaN, ±inf,
    1e300 and constant values, and a FIFO (released by :class:`FifoWatchdog` if a reader blocks on it)."""
    np.savez(tmp / "images.npz", a=rng.random((4, 8, 8)))
    (tmp / "zero_bytes.npy").write_bytes(b"")
    np.save(tmp / "negative_shape.npy", rng.random((5, 8, 8)))
    raw = (tmp / "negative_shape.npy").read_bytes()        # one padding space of the header gives way to "-"
    (tmp / "negative_shape.npy").write_bytes(raw.replace(b"(5, 8, 8)", b"(-5, 8, 8)", 1).replace(b" \n", b"\n", 1))
    values = {"images_inf_npy": np.where(np.eye(8) > 0, np.inf, 0.5)[None].repeat(3, 0),
              "images_huge_npy": rng.random((3, 8, 8)) * 1e300, "images_const_npy": np.full((3, 8, 8), 0.5),
              "data_huge_npy": rng.random((20, 3)) * 1e300, "data_const_npy": np.full((20, 3), 2.0)}
    out = {}
    for key, arr in values.items():
        np.save(tmp / f"{key}.npy", arr)
        out[key] = str(tmp / f"{key}.npy")
    (tmp / "mnisthdr").mkdir(exist_ok=True)
    (tmp / "mnisthdr" / "train-images-idx3-ubyte").write_bytes(bytes([0, 0, 8, 3]) +
                                                               np.array([60000, 28, 28], ">u4").tobytes())
    os.mkfifo(tmp / "fifo")
    out.update(npz_images=str(tmp / "images.npz"), zero_bytes=str(tmp / "zero_bytes.npy"),
               negative_shape=str(tmp / "negative_shape.npy"), mnisthdr=str(tmp / "mnisthdr"),
               fifo=str(tmp / "fifo"), corrupt_zarr=str(tmp / "corrupt.zarr"))
    try:
        import zarr
    except ImportError:
        return out
    store = zarr.create_array(store=str(tmp / "corrupt.zarr"), shape=(20, 8, 8), chunks=(10, 8, 8), dtype="f8")
    store[:] = rng.random((20, 8, 8))
    (tmp / "corrupt.zarr" / store.metadata.encode_chunk_key((1, 0, 0))).write_bytes(b"not a chunk")
    return out


G = ["--dist", "gaussian", "--p", "3"]
P = pytest.param

ESTIMATE = [
    # --dist: names and user laws
    P(["--dist", "no-such-law", "--p", "3"], "--dist", id="dist-unknown"),
    P(["--dist", "", "--p", "3"], "--dist", id="dist-empty"),
    P(["--dist", ":", "--p", "3"], "--dist", id="dist-colon"),
    P(["--dist", "mod:", "--p", "3"], "--dist", id="dist-no-callable"),
    P(["--dist", ":fn", "--p", "3"], "--dist", id="dist-no-module"),
    P(["--dist", "Gaussian", "--p", "3"], "--dist", id="dist-wrong-case"),
    P(["--dist", "no_such_module_xyz:make", "--p", "3"], "--dist", id="user-unimportable"),
    P(["--dist", "_vbl_syntax:make", "--p", "3"], "--dist", id="user-syntax-error"),
    P(["--dist", "_vbl_import_raises:make", "--p", "3"], "--dist", id="user-import-raises"),
    P(["--dist", "_vbl_import_error:make", "--p", "3"], "--dist", id="user-import-error-inside"),
    P(["--dist", "_vbl:missing_attr", "--p", "3"], "--dist", id="user-missing-attr"),
    P(["--dist", "_vbl:NOT_CALLABLE", "--p", "3"], "--dist", id="user-not-callable"),
    P(["--dist", "_vbl:factory_raises", "--p", "3"], "--dist", id="user-factory-raises"),
    P(["--dist", "_vbl:factory_no_p", "--p", "3"], "--dist", id="user-factory-signature"),
    P(["--dist", "_vbl:factory_exits", "--p", "3"], "--dist", id="user-factory-sys-exit"),
    P(["--dist", "_vbl:returns_none", "--p", "3"], "--dist", id="user-returns-none"),
    P(["--dist", "_vbl:returns_int", "--p", "3"], "--dist", id="user-returns-int"),
    P(["--dist", "_vbl:no_sample", "--p", "3"], "--dist", id="user-no-sample"),
    P(["--dist", "_vbl:sample_not_callable", "--p", "3"], "--dist", id="user-sample-not-callable"),
    P(["--dist", "_vbl:p_str", "--p", "3"], "--dist", id="user-p-not-int"),
    P(["--dist", "_vbl:p_float", "--p", "3"], "--dist", id="user-p-float"),
    P(["--dist", "_vbl:k_zero", "--p", "3"], "--dist", id="user-k-zero"),
    P(["--dist", "_vbl:p_mismatch", "--p", "3"], "--dist", id="user-p-mismatch"),
    P(["--dist", "_vbl:sample_raises", "--p", "3"], "--dist", id="user-sample-raises"),
    P(["--dist", "_vbl:sample_exits", "--p", "3"], "--dist", id="user-sample-sys-exit"),
    P(["--dist", "_vbl:sample_wrong_shape", "--p", "3"], "--dist", id="user-sample-wrong-p"),
    P(["--dist", "_vbl:sample_2d", "--p", "3"], "--dist", id="user-sample-2d"),
    P(["--dist", "_vbl:sample_wrong_n", "--p", "3"], "--dist", id="user-sample-wrong-n"),
    P(["--dist", "_vbl:sample_nan", "--p", "3"], "--dist", id="user-sample-nan"),
    P(["--dist", "_vbl:sample_inf", "--p", "3"], "--dist", id="user-sample-inf"),
    P(["--dist", "_vbl:sample_complex", "--p", "3"], "--dist", id="user-sample-complex"),
    P(["--dist", "_vbl:sample_object", "--p", "3"], "--dist", id="user-sample-object"),
    P(["--dist", "_vbl:sample_str", "--p", "3"], "--dist", id="user-sample-str"),
    P(["--dist", "_vbl:sample_none", "--p", "3"], "--dist", id="user-sample-none"),
    P(["--dist", "_vbl:sample_scalar", "--p", "3"], "--dist", id="user-sample-scalar"),
    P(["--dist", "_vbl:sample_raises_later", "--p", "3", "--n", "200"], "--dist", id="user-sample-raises-later"),
    P(["--dist", "_vbl:sample_nan_later", "--p", "3", "--n", "200"], "--dist", id="user-sample-nan-later"),
    P(["--dist", "_vbl:sample_shape_later", "--p", "3", "--n", "200"], "--dist", id="user-sample-shape-later"),
    # --p
    P(["--dist", "gaussian", "--p", "x"], "--p", id="p-not-int"),
    P(["--dist", "gaussian", "--p", "1"], "--p", id="p-below-2"),
    P(["--dist", "gaussian", "--p", "0"], "--p", id="p-zero"),
    P(["--dist", "gaussian", "--p", "-3"], "--p", id="p-negative"),
    P(["--dist", "gaussian", "--p", "2.5"], "--p", id="p-fraction"),
    P(["--dist", "gaussian", "--p", ""], "--p", id="p-empty"),
    P(["--dist", "gaussian", "--p", "100000000", "--method", "exact"], "--p", id="p-huge-exact"),
    P(["--dist", "gaussian", "--p", "20000", "--method", "exact"], "--p", id="p-20000-exact"),
    P(["--dist", "sphere", "--p", "1e12"], "--p", id="p-1e12"),
    P(["--dist", "gaussian", "--p", "1e400"], "--p", id="p-overflow"),
    P(["--dist", "gaussian"], "--p", id="p-missing"),
    P(["--p", "3"], "--dist", id="dist-missing"),
    P(["--dist", "gaussian", "--p"], "--p", id="p-without-value"),
    P(["--dist", "mixture", "--p", "50000", "--sigma", "1"], "--p", id="p-huge-mixture"),
    # --phi
    P([*G, "--phi", "3.5"], "--phi", id="phi-above-pi"),
    P([*G, "--phi", "-0.1"], "--phi", id="phi-negative"),
    P([*G, "--phi", "nan"], "--phi", id="phi-nan"),
    P([*G, "--phi", "inf"], "--phi", id="phi-inf"),
    P([*G, "--phi", ""], "--phi", id="phi-empty"),
    P([*G, "--phi", "a,b"], "--phi", id="phi-words"),
    P([*G, "--phi", "1,,x"], "--phi", id="phi-one-bad"),
    P([*G, "--phi", ","], "--phi", id="phi-only-comma"),
    P([*G, "--phi", "1e999"], "--phi", id="phi-overflow"),
    P([*G, "--phi", "1+2j"], "--phi", id="phi-complex"),
    P([*G, "--phi", ",".join(["1.0"] * 20000)], "--phi", id="phi-too-many"),
    # --quantity
    P([*G, "--quantity", "gamma,zeta"], "--quantity", id="quantity-unknown"),
    P([*G, "--quantity", ""], "--quantity", id="quantity-empty"),
    P([*G, "--quantity", ",,"], "--quantity", id="quantity-commas"),
    P([*G, "--quantity", "GAMMA"], "--quantity", id="quantity-wrong-case"),
    P([*G, "--quantity", "gamma;L"], "--quantity", id="quantity-semicolon"),
    # --method
    P([*G, "--method", "magic"], "--method", id="method-unknown"),
    P([*G, "--method", ""], "--method", id="method-empty"),
    P([*G, "--method", "EXACT"], "--method", id="method-wrong-case"),
    P(["--dist", "patches", "--p", "3", "--method", "quad"], "--method", id="method-not-available"),
    # --n, --seed
    P([*G, "--n", "0"], "--n", id="n-zero"),
    P([*G, "--n", "-5"], "--n", id="n-negative"),
    P([*G, "--n", "1"], "--n", id="n-one"),
    P([*G, "--n", "x"], "--n", id="n-not-int"),
    P([*G, "--n", "1.5"], "--n", id="n-fraction"),
    P([*G, "--n", "1000000000000"], "--n", id="n-huge"),
    P([*G, "--n", ""], "--n", id="n-empty"),
    P([*G, "--seed", "-1"], "--seed", id="seed-negative"),
    P([*G, "--seed", "x"], "--seed", id="seed-not-int"),
    P([*G, "--seed", "1.5"], "--seed", id="seed-fraction"),
    # options a distribution does not take, and bad option values
    P([*G, "--sigma", "1"], "--sigma", id="gaussian-sigma"),
    P([*G, "--sigma-patch", "0.1"], "--sigma-patch", id="gaussian-sigma-patch"),
    P([*G, "--k", "2"], "--k", id="gaussian-k"),
    P([*G, "--rank", "1"], "--rank", id="gaussian-rank"),
    P([*G, "--filter-size", "3"], "--filter-size", id="gaussian-filter-size"),
    P([*G, "--stride", "1"], "--stride", id="gaussian-stride"),
    P([*G, "--data", "{good2_npy}"], "--data", id="gaussian-data"),
    P([*G, "--images", "{images_good_npy}"], "--images", id="gaussian-images"),
    P(["--dist", "mixture", "--p", "3", "--sigma", "-1"], "--sigma", id="sigma-negative"),
    P(["--dist", "mixture", "--p", "3", "--sigma", "0"], "--sigma", id="sigma-zero"),
    P(["--dist", "mixture", "--p", "3", "--sigma", "nan"], "--sigma", id="sigma-nan"),
    P(["--dist", "mixture", "--p", "3", "--sigma", "inf"], "--sigma", id="sigma-inf"),
    P(["--dist", "mixture", "--p", "3", "--sigma", "x"], "--sigma", id="sigma-not-number"),
    P(["--dist", "mixture", "--p", "3", "--sigma-patch", "0.1"], "--sigma-patch", id="mixture-sigma-patch"),
    P(["--dist", "patches", "--p", "3", "--sigma-patch", "-1"], "--sigma-patch", id="sigma-patch-negative"),
    P(["--dist", "patches", "--p", "3", "--sigma-patch", "nan"], "--sigma-patch", id="sigma-patch-nan"),
    P(["--dist", "patches", "--p", "3", "--sigma-patch", "0"], "--sigma-patch", id="sigma-patch-zero"),
    P(["--dist", "patches", "--p", "3", "--k", "0"], "--k", id="k-zero"),
    P(["--dist", "patches", "--p", "3", "--k", "-1"], "--k", id="k-negative"),
    P(["--dist", "patches", "--p", "3", "--k", "100000000"], "--k", id="k-huge"),
    P(["--dist", "patches", "--p", "3", "--k", "x"], "--k", id="k-not-int"),
    P(["--dist", "patches", "--p", "3", "--sigma", "1"], "--sigma", id="patches-sigma"),
    P(["--dist", "degenerate", "--p", "3", "--rank", "0"], "--rank", id="rank-zero"),
    P(["--dist", "degenerate", "--p", "3", "--rank", "5"], "--rank", id="rank-above-p"),
    P(["--dist", "degenerate", "--p", "3", "--rank", "x"], "--rank", id="rank-not-int"),
    # empirical --data
    P(["--dist", "empirical"], "--data", id="data-missing"),
    P(["--dist", "empirical", "--data", "{missing}"], "--data", id="data-no-such-file"),
    P(["--dist", "empirical", "--data", "{dir}"], "--data", id="data-directory"),
    P(["--dist", "empirical", "--data", "{corrupt}"], "--data", id="data-corrupt"),
    P(["--dist", "empirical", "--data", "{text}"], "--data", id="data-text-file"),
    P(["--dist", "empirical", "--data", "{npz}"], "--data", id="data-npz"),
    P(["--dist", "empirical", "--data", "{pickle}"], "--data", id="data-pickle"),
    P(["--dist", "empirical", "--data", "{flat_npy}"], "--data", id="data-1d"),
    P(["--dist", "empirical", "--data", "{p1_npy}"], "--data", id="data-p-1"),
    P(["--dist", "empirical", "--data", "{empty_npy}"], "--data", id="data-empty"),
    P(["--dist", "empirical", "--data", "{nan_npy}"], "--data", id="data-nan"),
    P(["--dist", "empirical", "--data", "{inf_npy}"], "--data", id="data-inf"),
    P(["--dist", "empirical", "--data", "{complex_npy}"], "--data", id="data-complex"),
    P(["--dist", "empirical", "--data", "{complex64_npy}"], "--data", id="data-complex64"),
    P(["--dist", "empirical", "--data", "{object_npy}"], "--data", id="data-object"),
    P(["--dist", "empirical", "--data", "{str_npy}"], "--data", id="data-strings"),
    P(["--dist", "empirical", "--data", "{four_d_npy}"], "--data", id="data-4d"),
    P(["--dist", "empirical", "--data", "{good2_npy}", "--p", "3"], "--p", id="data-p-mismatch"),
    P(["--dist", "empirical", "--data", "{good2_npy}", "--sigma", "1"], "--sigma", id="empirical-sigma"),
    # image-patches --images, --filter-size, --stride
    P(["--dist", "image-patches", "--images", "{missing}"], "--images", id="images-no-such-file"),
    P(["--dist", "image-patches", "--images", "{corrupt}"], "--images", id="images-corrupt"),
    P(["--dist", "image-patches", "--images", "{images2d_npy}"], "--images", id="images-2d"),
    P(["--dist", "image-patches", "--images", "{images_complex_npy}"], "--images", id="images-complex"),
    P(["--dist", "image-patches", "--images", "{images_nan_npy}"], "--images", id="images-nan"),
    P(["--dist", "image-patches", "--images", "{object_npy}"], "--images", id="images-object"),
    P(["--dist", "image-patches", "--images", "{images_good_npy}", "--filter-size", "1"], "--filter-size",
      id="filter-size-1"),
    P(["--dist", "image-patches", "--images", "{images_good_npy}", "--filter-size", "100"], "--filter-size",
      id="filter-size-above-image"),
    P(["--dist", "image-patches", "--images", "{images_good_npy}", "--filter-size", "x"], "--filter-size",
      id="filter-size-not-int"),
    P(["--dist", "image-patches", "--images", "{images_good_npy}", "--stride", "0"], "--stride", id="stride-zero"),
    P(["--dist", "image-patches", "--images", "{images_good_npy}", "--p", "5"], "--p", id="images-p-mismatch"),
    P(["--dist", "image-patches", "--images", "{images_big_npy}", "--filter-size", "70"], "--filter-size",
      id="images-patch-too-big"),
    # the readers (issue 20): archives, damaged headers, values no computation survives, a FIFO
    P(["--dist", "empirical", "--data", "{fifo}"], "--data", id="data-fifo"),
    P(["--dist", "empirical", "--data", "{zero_bytes}"], "--data", id="data-zero-bytes"),
    P(["--dist", "empirical", "--data", "{negative_shape}"], "--data", id="data-negative-shape"),
    P(["--dist", "empirical", "--data", "{data_huge_npy}"], "--data", id="data-1e300"),
    P(["--dist", "empirical", "--data", "{data_const_npy}"], "--data", id="data-constant"),
    P(["--dist", "image-patches", "--images", "{npz_images}"], "--images", id="images-npz"),
    P(["--dist", "image-patches", "--images", "{fifo}"], "--images", id="images-fifo"),
    P(["--dist", "image-patches", "--images", "{images_inf_npy}"], "--images", id="images-inf"),
    P(["--dist", "image-patches", "--images", "{images_huge_npy}"], "--images", id="images-1e300"),
    P(["--dist", "image-patches", "--images", "{images_const_npy}"], "--images", id="images-constant"),
    # the command line itself
    P([*G, "--foo"], "--foo", id="unknown-option"),
    P([*G, "--jsn"], "--jsn", id="misspelt-option"),
    P([*G, "--qua", "gamma"], "--qua", id="abbreviated-option"),
    P([*G, "extra"], "extra", id="extra-positional"),
    P([*G, "--json=1"], "--json", id="flag-with-value"),
    P([*G, "--mnist", "x"], "--mnist", id="option-of-another-subcommand"),
]

INIT_PROB = [
    P(["--p", "x", "--alpha", "0.1"], "--p", id="p-not-int"),
    P(["--p", "0", "--alpha", "0.1"], "--p", id="p-zero"),
    P(["--p", "-1", "--alpha", "0.1"], "--p", id="p-negative"),
    P(["--p", "2.5", "--alpha", "0.1"], "--p", id="p-fraction"),
    P(["--p", "1e30", "--alpha", "0.1"], "--p", id="p-beyond-range"),
    P(["--alpha", "0.1"], "--p", id="p-missing"),
    P(["--p", "10"], "--alpha", id="alpha-missing"),
    P(["--p", "10", "--alpha", "1.5"], "--alpha", id="alpha-above-1"),
    P(["--p", "10", "--alpha", "0"], "--alpha", id="alpha-zero"),
    P(["--p", "10", "--alpha", "1"], "--alpha", id="alpha-one"),
    P(["--p", "10", "--alpha", "nan"], "--alpha", id="alpha-nan"),
    P(["--p", "10", "--alpha", "inf"], "--alpha", id="alpha-inf"),
    P(["--p", "10", "--alpha", "-0.1"], "--alpha", id="alpha-negative"),
    P(["--p", "10", "--alpha", "x"], "--alpha", id="alpha-not-number"),
    P(["--p", "10", "--alpha", "0.1", "--n", "0"], "--n", id="n-zero"),
    P(["--p", "10", "--alpha", "0.1", "--n", "-1"], "--n", id="n-negative"),
    P(["--p", "10", "--alpha", "0.1", "--n", "x"], "--n", id="n-not-int"),
    P(["--p", "10", "--alpha", "0.1", "--n", "1000000000000"], "--n", id="n-huge"),
    P(["--p", "10", "--alpha", "0.1", "--seed", "-1"], "--seed", id="seed-negative"),
    P(["--p", "10", "--alpha", "0.1", "--seed", "x"], "--seed", id="seed-not-int"),
    P(["--p", "10", "--alpha", "0.1", "--sigma", "1"], "--sigma", id="unknown-option"),
    P(["--p", "10", "--alpha", "0.1", "--dist", "gaussian"], "--dist", id="option-of-another-subcommand"),
]

SUMMARY = [
    P(["--n", "0"], "--n", id="n-zero"),
    P(["--n", "x"], "--n", id="n-not-int"),
    P(["--n", "1"], "--n", id="n-one"),
    P(["--n", "1000000000000"], "--n", id="n-huge"),
    P(["--seed", "-1"], "--seed", id="seed-negative"),
    P(["--p", "3"], "--p", id="unknown-option"),
    P(["--json=yes"], "--json", id="flag-with-value"),
    P(["extra"], "extra", id="extra-positional"),
]

CLAIMS = [
    P(["--n", "5"], "--n", id="unknown-option"),
    P(["extra"], "extra", id="extra-positional"),
    P(["--json=1"], "--json", id="flag-with-value"),
]

CHECK = [
    P(["no-such-claim"], "ID", id="id-unknown"),
    P([""], "ID", id="id-empty"),
    P([], "ID", id="id-missing"),
    P(["THM22-ANGLE"], "ID", id="id-wrong-case"),
    P(["thm22-angle", "--dist", "bogus", "--p", "3"], "--dist", id="dist-unknown"),
    P(["thm22-angle", "--dist", "gaussian"], "--p", id="dist-without-p"),
    P(["thm22-angle", "--dist", "gaussian", "--p", "1"], "--p", id="p-below-2"),
    P(["thm22-angle", "--dist", "gaussian", "--p", "100000000"], "--p", id="p-huge"),
    P(["thm22-angle", "--p", "5"], "--p", id="p-without-dist"),
    P(["thm22-angle", "--sigma", "1"], "--sigma", id="sigma-without-dist"),
    P(["thm22-angle", "--n", "1"], "--n", id="n-one"),
    P(["thm22-angle", "--n", "x"], "--n", id="n-not-int"),
    P(["thm22-angle", "--n", "1000000000000"], "--n", id="n-huge"),
    P(["thm22-angle", "--seed", "-1"], "--seed", id="seed-negative"),
    P(["thm22-angle", "--dist", "_vbl:sample_nan", "--p", "3"], "--dist", id="user-sample-nan"),
    P(["thm22-angle", "--dist", "_vbl:factory_raises", "--p", "3"], "--dist", id="user-factory-raises"),
    P(["thm22-angle", "--dist", "_vbl:sample_complex", "--p", "3"], "--dist", id="user-sample-complex"),
    P(["thm22-angle", "--dist", "empirical", "--data", "{complex_npy}"], "--data", id="data-complex"),
    P(["thm22-angle", "--dist", "empirical", "--data", "{missing}"], "--data", id="data-missing-file"),
    P(["thm22-angle", "--dist", "image-patches", "--images", "{fifo}"], "--images", id="images-fifo"),
    P(["thm22-angle", "--dist", "image-patches", "--images", "{npz_images}"], "--images", id="images-npz"),
    P(["thm22-angle", "--dist", "empirical", "--data", "{zero_bytes}"], "--data", id="data-zero-bytes"),
    P(["thm22-angle", "--dist", "empirical", "--data", "{data_huge_npy}"], "--data", id="data-1e300"),
    P(["thm22-angle", "--dist", "empirical", "--data", "{data_const_npy}"], "--data", id="data-constant"),
    P(["thm22-angle", "--dist", "mixture", "--p", "3", "--sigma-patch", "0.1"], "--sigma-patch",
      id="option-not-taken"),
    P(["thm22-angle", "--dist", "mixture", "--p", "3", "--sigma", "-2"], "--sigma", id="sigma-negative"),
    P(["thm22-angle", "--phi", "1"], "--phi", id="unknown-option"),
    P(["thm22-angle", "extra"], "extra", id="extra-positional"),
]

EXPERIMENT = [
    P(["no-such-figure"], "NAME", id="name-unknown"),
    P([], "NAME", id="name-missing"),
    P(["FIG3A"], "NAME", id="name-wrong-case"),
    P(["fig3a", "--profile", "bogus", "--out", "{out}"], "--profile", id="profile-unknown"),
    P(["fig3a", "--profile", ""], "--profile", id="profile-empty"),
    P(["fig3a", "--seed", "-1", "--out", "{out}"], "--seed", id="seed-negative"),
    P(["fig3a", "--seed", "x"], "--seed", id="seed-not-int"),
    P(["fig3a", "--out", "{file}"], "--out", id="out-is-a-file"),
    P(["fig3a", "--out", "{under_file}"], "--out", id="out-under-a-file"),
    P(["fig3a", "--out", "{ro}"], "--out", id="out-read-only"),
    P(["fig3a", "--out", "/proc/verify-out"], "--out", id="out-unwritable"),
    P(["fig3a", "--out", ""], "--out", id="out-empty"),
    P(["fig4", "--mnist", "{missing}", "--out", "{out}"], "--mnist", id="mnist-no-such-dir"),
    P(["fig4", "--mnist", "{file}"], "--mnist", id="mnist-a-file"),
    P(["fig4", "--mnist", "{dir}"], "--mnist", id="mnist-no-idx"),
    P(["fig4", "--mnist", "{mnistbad}"], "--mnist", id="mnist-corrupt-idx"),
    P(["fig3a", "--mnist", "{dir}"], "--mnist", id="mnist-not-taken"),
    P(["fig3a", "--p", "3"], "--p", id="unknown-option"),
    P(["fig3a", "--n", "5"], "--n", id="unknown-option-n"),
    P(["fig3a", "extra"], "extra", id="extra-positional"),
]

REPORT = [
    P(["--profile", "bogus", "--out", "{out}"], "--profile", id="profile-unknown"),
    P(["--profile", "", "--out", "{out}"], "--profile", id="profile-empty"),
    P(["--profile", "Quick", "--out", "{out}"], "--profile", id="profile-wrong-case"),
    P(["--seed", "-1", "--out", "{out}"], "--seed", id="seed-negative"),
    P(["--seed", "x", "--out", "{out}"], "--seed", id="seed-not-int"),
    P(["--out", "{file}"], "--out", id="out-is-a-file"),
    P(["--out", "{under_file}"], "--out", id="out-under-a-file"),
    P(["--out", "{ro}"], "--out", id="out-read-only"),
    P(["--out", "{ro_dir}"], "--out", id="out-read-only-existing"),
    P(["--out", "/proc/verify-out"], "--out", id="out-unwritable"),
    P(["--out", ""], "--out", id="out-empty"),
    P(["--out", "{out}", "--dist", "gaussian"], "--dist", id="unknown-option"),
    P(["--out", "{out}", "extra"], "extra", id="extra-positional"),
    P(["--out", "{out}", "--open=1"], "--open", id="flag-with-value"),
]

F3 = ["--filter-size", "3"]

DIAGNOSE = [
    P(["--images", "{npz_images}", *F3], "--images", id="images-npz"),
    P(["--images", "{zero_bytes}", *F3], "--images", id="images-zero-bytes"),
    P(["--images", "{negative_shape}", *F3], "--images", id="images-negative-shape"),
    P(["--images", "{images_nan_npy}", *F3], "--images", id="images-nan"),
    P(["--images", "{images_inf_npy}", *F3], "--images", id="images-inf"),
    P(["--images", "{images_huge_npy}", *F3], "--images", id="images-1e300"),
    P(["--images", "{images_const_npy}", *F3], "--images", id="images-constant"),
    P(["--images", "{images_complex_npy}", *F3], "--images", id="images-complex"),
    P(["--images", "{fifo}", *F3], "--images", id="images-fifo"),
    P(["--data", "{fifo}"], "--data", id="data-fifo"),
    P(["--data", "{data_huge_npy}"], "--data", id="data-1e300"),
    P(["--data", "{npz}"], "--data", id="data-npz"),
    P(["--mnist", "{mnisthdr}", *F3], "--mnist", id="mnist-only-a-header"),
    P(["--mnist", "{mnistbad}", *F3], "--mnist", id="mnist-corrupt-idx"),
    P(["--zarr", "{corrupt_zarr}", *F3], "--zarr", id="zarr-corrupt-chunk"),
    P(["--zarr", "{images_good_npy}", *F3], "--zarr", id="zarr-given-a-npy"),
    # Scheduler addresses by scheme (what the installed Dask can reach from a new process); a silent port, a
    # junk-speaking server and a closed port are in tests/test_dask_faults.py (they need servers).
    P(["--images", "{images_good_npy}", *F3, "--scheduler", "inproc://10.0.0.1/1/1"], "--scheduler",
      id="scheduler-inproc"),
    P(["--images", "{images_good_npy}", *F3, "--scheduler", "ucx://10.0.0.1:8786"], "--scheduler",
      id="scheduler-ucx-without-bindings"),
    P(["--images", "{images_good_npy}", *F3, "--scheduler", "tls://10.0.0.1:8786"], "--scheduler",
      id="scheduler-tls-without-certificates"),
    P(["--images", "{images_good_npy}", *F3, "--scheduler", "gopher://10.0.0.1:70"], "--scheduler",
      id="scheduler-unknown-scheme"),
    P(["--images", "{images_good_npy}", *F3, "--scheduler", "tcp://10.0.0.1"], "--scheduler",
      id="scheduler-no-port"),
    P(["--images", "{images_good_npy}", *F3, "--scheduler", "tcp://"], "--scheduler", id="scheduler-no-host"),
]

TOP = [
    P([], "COMMAND", id="no-command"),
    P(["bogus"], "COMMAND", id="command-unknown"),
    P(["ESTIMATE"], "COMMAND", id="command-wrong-case"),
    P(["--bogus"], "--bogus", id="unknown-global-option"),
    P(["--debug"], "COMMAND", id="debug-without-command"),
]


def _rows():
    for sub, rows in (("estimate", ESTIMATE), ("init-prob", INIT_PROB), ("summary", SUMMARY), ("claims", CLAIMS),
                      ("check", CHECK), ("experiment", EXPERIMENT), ("report", REPORT), ("diagnose", DIAGNOSE)):
        for row in rows:
            argv, argument = row.values
            yield pytest.param([sub, *argv], argument, id=f"{sub}:{row.id}")
    for row in TOP:
        argv, argument = row.values
        yield pytest.param(list(argv), argument, id=f"verify:{row.id}")


#: The whole table: ``pytest.param([subcommand, *argv], argument_as_typed, id="subcommand:case")``.
ROWS = list(_rows())


def expected_prefix(argv: list[str], argument: str) -> str:
    """The start of the one line: ``verify <subcommand>: <argument>:`` (``verify: COMMAND:`` before one)."""
    sub = argv[0] if argv and argument not in ("COMMAND", "--bogus") else None
    return f"verify {sub}: {argument}:" if sub else f"verify: {argument}:"


def fill(argv: list[str], places: dict[str, str]) -> list[str]:
    """``argv`` with its ``{placeholders}`` filled in."""
    return [a.format(**places) if "{" in a and "}" in a and not a.startswith("{{") else a for a in argv]


def _tree(root: Path) -> set[str]:
    """Every path under ``root`` (byte-code caches of the user-law modules aside)."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad-input")
    found = materialize(tmp)
    sys.path.insert(0, str(tmp / "laws"))
    dog = FifoWatchdog(found["fifo"])
    yield {**found, "fifo_watchdog": dog}
    dog.stop()
    sys.path.remove(str(tmp / "laws"))
    for name in [m for m in sys.modules if m.startswith("_vbl")]:
        del sys.modules[name]
    (tmp / "readonly").chmod(0o755)


def _needs_permissions(argv):
    return any("{ro" in a for a in argv) and hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.parametrize("argv, argument", ROWS)
def test_bad_input_is_one_line_naming_the_argument_with_exit_2(capsys, places, argv, argument):
    if _needs_permissions(argv):
        pytest.skip("root ignores directory permissions")
    tmp = Path(places["tmp"])
    before, released = _tree(tmp), places["fifo_watchdog"].released
    code = main(fill(argv, places))
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    assert err.startswith(expected_prefix(argv, argument)), err
    assert _tree(tmp) == before          # nothing written, no folder created
    assert places["fifo_watchdog"].released == released, "a reader opened the FIFO and blocked on it"


def test_the_table_covers_every_subcommand_with_at_least_150_rows():
    from verify.cli import _COMMANDS

    assert len(ROWS) >= 150
    assert {row.values[0][0] for row in ROWS if row.values[0]} >= set(_COMMANDS)


SUBPROCESS_ROWS = ["estimate:user-sample-nan", "estimate:p-huge-exact", "init-prob:alpha-above-1",
                   "report:out-under-a-file", "estimate:data-complex", "verify:no-command", "check:id-unknown",
                   "estimate:data-fifo", "diagnose:images-negative-shape", "diagnose:zarr-corrupt-chunk"]


@pytest.mark.parametrize("row_id", SUBPROCESS_ROWS)
def test_the_console_script_exits_2_with_one_line(places, row_id):
    row = next(r for r in ROWS if r.id == row_id)
    argv, argument = row.values
    script = shutil.which("verify", path=str(Path(sys.executable).parent)) or "verify"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([places["tmp"] + "/laws", os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([script, *fill(argv, places)], capture_output=True, text=True, timeout=120, env=env,
                          cwd=places["tmp"], check=False)
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and done.stderr.count("\n") == 1
    assert done.stderr.startswith(expected_prefix(argv, argument)), done.stderr


@pytest.mark.parametrize("argv, listed", [
    (["check", "--help"], ["lemma-a1", "thm22-angle", "sec4-real-data"]),
    (["experiment", "--help"], ["fig3a", "fig5", "quick", "thorough"]),
    (["estimate", "--help"], ["gaussian", "image-patches", "module:callable", "L_cross", "qmc"]),
    (["report", "--help"], ["quick", "default", "thorough"]),
])
def test_help_lists_the_valid_ids_and_names(capsys, argv, listed):
    assert main(argv) == 0
    out = capsys.readouterr().out
    for name in listed:
        assert name in out

"""``verify diagnose`` (docs/diagnose.md): exactness on the data, a law with a known answer, the
schedulers agreeing, the IDX and zarr readers, and the command line's bad input."""
from __future__ import annotations

import gzip
import json
import math

import numpy as np
import pytest

from verify.diagnosis.core import diagnose
from verify.cli import main as verify_main
from verify.diagnosis.execute import _Counter, tree_reduce
from verify.laws.builtin import extract_patches

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def digits():
    from verify.laws.images import digits_images

    return digits_images()


def main(argv):
    """``verify diagnose ARGV`` through the command line's one entry point."""
    return verify_main(["diagnose", *argv])


def _region_moment(z, u):
    """E[Z_S Z_Sᵀ] at w = u* directly: Z_S = (1/k) Σ_i Z_i 1{u*·Z_i ≥ 0} (docs/claims.md §3)."""
    zs = (z * (z @ u >= 0)[..., None]).mean(axis=1)
    return zs.T @ zs / z.shape[0]


def _numbers(r):
    c = r.constants
    return np.array([e.value for e in c["gamma"] + c["L"] + c["beta_ratio"] + c["cross_ratio"]]
                    + [c["gamma_avg"].value, c["mu"].value, c["rho"].value, c["norm2_max"]])


def test_tree_counter_is_the_same_tree():
    rng = np.random.default_rng(0)
    for n in range(1, 40):
        parts = [{"x": rng.standard_normal(3) * 10.0 ** rng.integers(-8, 8, 3)} for _ in range(n)]
        counter = _Counter(n)
        for part in parts:
            counter.push(part)
        assert np.array_equal(counter.result()["x"], tree_reduce(parts)["x"]), n


def test_gamma_and_L_at_zero_are_the_exact_eigenvalues_of_the_digits(digits):
    r = diagnose(digits, filter_size=3, stride=2, teacher="gabor", sgd_steps=0)
    z = extract_patches(digits, 3, 2)
    u = r.teacher / np.linalg.norm(r.teacher)
    ev = np.linalg.eigvalsh(_region_moment(z, u))
    g0, l0 = r.constants["gamma"][0], r.constants["L"][0]
    assert g0.kind == l0.kind == "exact" and g0.error_kind == "exact"
    assert abs(g0.value - ev[0]) <= g0.error + 1e-15 and abs(l0.value - ev[-1]) <= l0.error + 1e-15
    # the search's sides (p = 9: searched) and the JSON keys
    assert r.constants["gamma"][3].kind == "upper-bound" and r.constants["beta"].kind == "lower-bound"
    doc = json.loads(json.dumps(r.to_dict()))
    assert set(doc) == {"teacher", "constants", "assumptions", "prediction", "measured", "provenance"}
    assert len(doc["teacher"]) == 9 and all(a["verdict"] in ("holds", "fails", "inconclusive")
                                            for a in doc["assumptions"].values())


def test_p2_values_are_exact_and_below_the_exact_sups():
    from verify.laws.builtin import Empirical
    from verify.estimators.finite_sups import finite_sup_ratio

    rng = np.random.default_rng(3)
    data = rng.standard_normal((400, 3, 2))
    w_star = np.array([0.6, 0.8])
    r = diagnose(data, teacher=w_star, sgd_steps=0)
    u = w_star / np.linalg.norm(w_star)
    for g, phi in enumerate(r.constants["curve"]):  # both directions ±v0 evaluated: exact extrema
        v0 = np.array([-u[1], u[0]])
        evs = []
        for v in (v0, -v0):
            w = math.cos(phi) * u + math.sin(phi) * v
            zs = (data * ((data @ w >= 0) & (data @ u >= 0))[..., None]).mean(axis=1)
            evs.append(np.linalg.eigvalsh(zs.T @ zs / data.shape[0]))
        assert abs(r.constants["gamma"][g].value - min(e[0] for e in evs)) < 1e-12
        assert abs(r.constants["L"][g].value - max(e[-1] for e in evs)) < 1e-12
    beta_exact, _ = finite_sup_ratio(Empirical(data), u, "beta")
    cross_exact, _ = finite_sup_ratio(Empirical(data), u, "cross")
    assert r.constants["beta"].value <= beta_exact * (1 + 1e-9)
    assert r.constants["L_cross"].value <= cross_exact * (1 + 1e-9)


def test_gaussian_noise_patches_match_the_closed_forms():
    """Patches of Gaussian-noise images at stride = filter size are N(0, I_p) (docs/claims.md §6.1, §6.5)."""
    rng = np.random.default_rng(7)
    images = rng.standard_normal((15_000, 4, 4))
    patches = extract_patches(images, 2, 2).reshape(-1, 4)  # 60,000 independent N(0, I_4) patches
    r = diagnose(patches, teacher="random", law="sample", sgd_steps=0, kind="patches")
    for phi, g, big in zip(r.constants["curve"], r.constants["gamma"], r.constants["L"]):
        for est, truth in ((g, (math.pi - phi - math.sin(phi)) / (2 * math.pi)),
                           (big, (math.pi - phi + math.sin(phi)) / (2 * math.pi))):
            assert abs(est.value - truth) <= 4.5 * est.error + 1e-12, (phi, est, truth)
    theta = np.array(r.constants["sup_grid"])
    for th, e in zip(theta, r.constants["beta_ratio"]):
        assert abs(e.value - (th + math.sin(th)) / (2 * math.pi * th)) <= 4.5 * e.error
    b = r.constants["beta"]
    assert b.value <= 1 / math.pi + 4.5 * b.error and b.kind == "lower-bound"
    assert r.provenance["law"] == "sample" and r.constants["gamma"][0].dof == 31


def test_in_process_and_a_cluster_give_the_same_numbers(digits):
    distributed = pytest.importorskip("distributed")
    ref = diagnose(digits, filter_size=3, stride=2, teacher="random", sgd_steps=0, seed=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        got = diagnose(digits, filter_size=3, stride=2, teacher="random", sgd_steps=0, seed=1, scheduler=cluster)
    np.testing.assert_allclose(_numbers(got), _numbers(ref), rtol=1e-12, atol=1e-15)
    assert got.provenance["scheduler"].startswith("cluster")


def test_region_moment_sums_match_the_definition_with_closed_hyperplanes():
    """E[Z_R1 Z_R2ᵀ] of docs/claims.md §3 summed directly, with patches put on w⊥ and w*⊥ (closed: counted)."""
    from verify.estimators.chunked import region_moment_sums

    rng = np.random.default_rng(5)
    u = np.array([0.0, 0.0, 1.0])
    w = np.array([1.0, 0.0, 0.0])
    z = rng.standard_normal((40, 3, 3))
    z[:5, 0, 2] = 0.0   # on w*⊥
    z[5:10, 1, 0] = 0.0  # on w⊥
    sign = {"same": (1, 1), "opposite": (1, -1), "flipped": (-1, 1)}

    def average(region):
        s_w, s_u = sign[region]
        inside = (s_w * (z @ w) >= 0) & (s_u * (z @ u) >= 0)
        return (z * inside[..., None]).mean(axis=1)

    columns = ((0, "same", False), (0, "opposite", False), (0, "flipped", False))
    pairs = ((0, 0), (1, 1), (0, 1), (0, 2), (1, 2))
    got = region_moment_sums(z, u, w[None], columns, pairs)
    for (a, b), m in zip(pairs, got):
        want = average(columns[a][1]).T @ average(columns[b][1])
        np.testing.assert_allclose(m, want, rtol=1e-13, atol=1e-14)
    assert np.abs(got[2]).max() > 0  # the w*⊥ patches are in both S(w, w*) and S(w, −w*)


def test_pilot_scores_do_not_depend_on_how_the_candidates_are_cut(digits):
    """The pilot's map tasks (blocks of candidates) concatenate to the scores of one block, bit for bit."""
    from verify.diagnosis.constants import CURVE_GRID, SUP_GRID
    from verify.estimators.chunked import Targets, candidate_scores, candidates

    z = extract_patches(digits[:150], 3, 2)
    u = np.ones(9) / 3.0
    targets = Targets(np.unique(np.r_[CURVE_GRID, math.pi / 6]), SUP_GRID, math.pi / 6)
    vs, exact = candidates(9, u, 0)
    whole = candidate_scores(z, u, vs[:7], targets)
    parts = [candidate_scores(z, u, block, targets) for block in np.array_split(vs[:7], 3)]
    assert not exact
    for key, value in whole.items():
        assert np.array_equal(np.concatenate([part[key] for part in parts]), value), key


def _write_idx(path, images, compress):
    header = bytes([0, 0, 0x08, 3]) + np.array(images.shape, dtype=">u4").tobytes()
    raw = header + images.astype(np.uint8).tobytes()
    (gzip.open if compress else open)(path, "wb").write(raw)


@pytest.mark.parametrize("compress", [False, True])
def test_mnist_idx_directory(tmp_path, compress):
    images = (np.random.default_rng(5).random((60, 10, 10)) * 255).astype(np.uint8)
    name = "train-images-idx3-ubyte" + (".gz" if compress else "")
    _write_idx(tmp_path / name, images, compress)
    got = diagnose(tmp_path, filter_size=3, stride=3, teacher="random", sgd_steps=0)
    ref = diagnose(images / 255.0, filter_size=3, stride=3, teacher="random", sgd_steps=0)
    np.testing.assert_allclose(_numbers(got), _numbers(ref), rtol=1e-12)
    assert got.provenance["source"]["origin"] == "mnist"


def test_zarr_array(tmp_path):
    zarr = pytest.importorskip("zarr")
    images = np.random.default_rng(6).random((50, 9, 9))
    store = zarr.open(str(tmp_path / "images.zarr"), mode="w", shape=images.shape, chunks=(16, 9, 9),
                      dtype="f8")
    store[:] = images
    got = diagnose(str(tmp_path / "images.zarr"), filter_size=3, stride=2, teacher="gabor", sgd_steps=3, runs=2)
    ref = diagnose(images, filter_size=3, stride=2, teacher="gabor", sgd_steps=3, runs=2)
    np.testing.assert_allclose(_numbers(got), _numbers(ref), rtol=1e-12)
    assert got.measured["distance"] == ref.measured["distance"]


def test_cli_writes_json_and_html(tmp_path, digits, capsys):
    np.save(tmp_path / "digits.npy", digits[:300])
    code = main(["--images", str(tmp_path / "digits.npy"), "--filter-size", "3", "--stride", "2",
                 "--sgd-steps", "10", "--runs", "2", "--out", str(tmp_path / "out"), "--json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["files"]["html"].endswith("diagnose.html")
    html = (tmp_path / "out" / "diagnose.html").read_text()
    assert html.count("<svg") == 3 and "Assumptions" in html
    assert json.loads((tmp_path / "out" / "diagnose.json").read_text())["teacher"] == doc["teacher"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    np.save(d / "images.npy", np.random.default_rng(0).random((20, 8, 8)))
    np.save(d / "teacher4.npy", np.ones(4))
    np.save(d / "thin.npy", np.ones((10, 1)))
    (d / "empty").mkdir()
    (d / "file.txt").write_text("x")
    return d


BAD = [
    ([], "--images"),
    (["--images", "{d}/missing.npy", "--filter-size", "3"], "--images"),
    (["--images", "{d}/images.npy", "--data", "{d}/images.npy"], "--data"),
    (["--images", "{d}/images.npy"], "--filter-size"),
    (["--images", "{d}/images.npy", "--filter-size", "9"], "--filter-size"),
    (["--images", "{d}/images.npy", "--filter-size", "1"], "--filter-size"),
    (["--images", "{d}/images.npy", "--filter-size", "3", "--stride", "0"], "--stride"),
    (["--images", "{d}/images.npy", "--filter-size", "3", "--teacher", "bogus"], "--teacher"),
    (["--images", "{d}/images.npy", "--filter-size", "3", "--teacher", "{d}/teacher4.npy"], "--teacher"),
    (["--images", "{d}/images.npy", "--filter-size", "3", "--workers", "0"], "--workers"),
    (["--images", "{d}/images.npy", "--filter-size", "3", "--workers", "2", "--scheduler", "tcp://h:1"],
     "--scheduler"),
    (["--images", "{d}/images.npy", "--filter-size", "3", "--scheduler", "not an address"], "--scheduler"),
    (["--images", "{d}/images.npy", "--filter-size", "3", "--out", "{d}/file.txt"], "--out"),
    (["--images", "{d}/images.npy", "--filter-size", "3", "--law", "population"], "--law"),
    (["--images", "{d}/images.npy", "--filter-size", "3", "--law", "sample"], "--law"),
    (["--mnist", "{d}/empty", "--filter-size", "3"], "--mnist"),
    (["--data", "{d}/thin.npy"], "--data"),
    (["--zarr", "{d}/missing.zarr", "--filter-size", "3"], "--zarr"),
    (["--images", "{d}/images.npy", "--filter-size", "3", "--runs", "x"], "--runs"),
]


@pytest.mark.parametrize("argv,argument", BAD, ids=[" ".join(a[0])[-40:] or "no-data" for a in BAD])
def test_bad_input_is_one_line_and_exit_2(argv, argument, files, capsys):
    code = main([a.format(d=files) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"verify diagnose: {argument}: "), err


def test_a_local_cluster_leaves_no_scratch_space_behind(tmp_path):
    """--workers runs its Dask workers in a temporary folder of the run, removed on exit (issue 20): with the
    temporary folder pointed at an empty directory, the directory is empty again after the run."""
    import os
    import subprocess
    import sys

    pytest.importorskip("distributed")
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    images = tmp_path / "images.npy"
    np.save(images, np.random.default_rng(0).random((20, 8, 8)))
    done = subprocess.run([sys.executable, "-m", "verify", "diagnose", "--images", str(images), "--filter-size", "3",
                           "--workers", "1", "--sgd-steps", "5", "--runs", "2", "--json"],
                          env={**os.environ, "TMPDIR": str(scratch_root)}, cwd=tmp_path, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["constants"]
    assert sorted(p.name for p in scratch_root.iterdir()) == [] and not (tmp_path / "dask-scratch-space").exists()

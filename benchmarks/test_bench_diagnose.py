"""``verify diagnose`` at MNIST scale: 60,000 synthetic 28×28 images, 5×5 filters, stride 1 (34.6 M patches).

One run measures the whole diagnosis in-process, SGD included (wall time in floors, untraced), and, for the
constants-and-assumptions step (``diagnose(..., sgd_steps=0)``):

* in-process: wall time and peak memory (tracemalloc: numpy reports its buffers to it);
* the pilot's time in-process, on 1 and on 2 workers (its blocks of candidate directions are Dask tasks);
* a Dask LocalCluster of 1 and of 2 single-threaded worker processes: wall time and the peak RSS of
  the workers (``resource.getrusage`` in each worker); the speed-up 1 → 2 workers;
* patches per second per core;
* cost against N (10³ … 6·10⁴ images, in-process): the log-log slope (1 = linear);
* that in-process, 1 and 2 workers give the same constants (to rounding);
* the floor: one pass that forms every patch and makes one masked second-moment product
  (chunk by chunk, ``Source.load`` then the (p, m·k)·(m·k, p) product of the patches on w*'s side),
  timed before and after the runs; the in-process run in floors (issue 21: 31.6× before the mask
  rework, target ≤ 10×).

Targets: peak memory < 1.5 GiB whatever N, and flat in N (the largest N's peak ≤ 1.5× the smallest's:
the chunks, not the data, set it); ≥ 1.6× faster with 2 workers than with 1 (2-core machine);
the constants step of all 34.6 M patches ≤ 180 s and ≤ 10 floors, and the whole run with SGD ≤ 10 floors
(issue 21's target; measured 6.7: 28.7 s against a 4.3 s floor), both against the slower of the two
floor timings, so that load during one of them cannot fail it; slope ≤ 1.2 (no worse than linear).
Reported, not asserted: 2 workers over in-process (issue 21's target: never above 1).  One timing of
each, ~100 s apart, cannot carry a margin for noise: at load 8 on this 2-core machine it read 1.35
(the pilot's Dask tasks 15.4 s against 7.3 s in-process).  Peak memory is compared between the
memory-mapped slices (N < 60,000); the full run reads the file by path (76 MiB against 29–31 MiB at
N = 1,000–15,000: the reader's buffers, not N).  The images: smooth non-negative blobs
(7×7 noise upsampled ×4, thresholded) in uint8, MNIST-like in sparsity and scale, written as ``.npy``
and memory-mapped.  ``DIAGNOSE_BENCH_N`` (comma-separated) overrides the N list.
"""
from __future__ import annotations

import os
import resource
import time
import tracemalloc

import numpy as np
import pytest

from verify.diagnosis.core import diagnose
from verify.diagnosis.sources import chunk_bounds, open_source

N_FULL = 60_000
N_LIST = tuple(int(x) for x in os.environ.get("DIAGNOSE_BENCH_N", "1000,4000,15000,60000").split(","))
GIB = 2 ** 30


def synthetic_images(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, 28, 28), dtype=np.uint8)
    for a in range(0, n, 5000):
        b = min(n, a + 5000)
        low = rng.standard_normal((b - a, 7, 7))
        up = np.repeat(np.repeat(low, 4, axis=1), 4, axis=2)
        out[a:b] = np.clip((up - 0.6) * 200, 0, 255).astype(np.uint8)
    return out


@pytest.fixture(scope="module")
def images_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("diagnose") / "synthetic.npy"
    np.save(path, synthetic_images(max(N_LIST)))
    return path


def _in_process(path, n):
    """diagnose in-process under tracemalloc: (result, wall s, peak bytes)."""
    src = np.load(path, mmap_mode="r")[:n] if n < N_FULL else str(path)
    tracemalloc.start()
    start = time.perf_counter()
    r = diagnose(src, filter_size=5, stride=1, teacher="random", sgd_steps=0)
    wall = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return r, wall, peak


def _floor_pass(path):
    """Wall time of forming every patch of the file and one masked second-moment product (module doc)."""
    src = open_source(str(path), filter_size=5, stride=1)
    u = np.zeros(src.p)
    u[src.p // 2] = 1.0
    start = time.perf_counter()
    total = np.zeros((src.p, src.p))
    for _, a, b in chunk_bounds(src.n_items, src.images_per_chunk):
        flat = src.load(a, b).reshape(-1, src.p)
        kept = flat[flat @ u >= 0]
        total += kept.T @ kept
    return time.perf_counter() - start


def _worker_peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _on_cluster(path, workers):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as client:
        start = time.perf_counter()
        r = diagnose(str(path), filter_size=5, stride=1, teacher="random", sgd_steps=0, scheduler=client)
        wall = time.perf_counter() - start
        rss = max(client.run(_worker_peak).values())
    return r, wall, rss


def _key_numbers(r):
    c = r.constants
    return np.array([c["gamma"][0].value, c["L"][0].value, c["beta"].value, c["L_cross"].value,
                     c["gamma_avg"].value, c["mu"].value, c["rho"].value]
                    + [e.value for e in c["gamma"]] + [e.value for e in c["L"]])


def test_diagnose_mnist_scale(benchmark, images_file, record):
    pytest.importorskip("distributed")
    cores = os.cpu_count() or 1
    walls, peaks, steps = {}, {}, {}
    for n in N_LIST:
        if n == N_FULL:
            r_in, walls[n], peaks[n] = benchmark.pedantic(_in_process, (images_file, n), rounds=1, iterations=1)
            steps[n] = r_in.provenance["timings"]["constants_s"]
        else:
            r, walls[n], peaks[n] = _in_process(images_file, n)
            steps[n] = r.provenance["timings"]["constants_s"]
    patches = N_FULL * 24 * 24
    floor_before = _floor_pass(images_file)
    start = time.perf_counter()
    whole = diagnose(str(images_file), filter_size=5, stride=1, teacher="random")  # constants, assumptions, SGD
    wall_whole = time.perf_counter() - start
    r1, wall1, rss1 = _on_cluster(images_file, 1)
    r2, wall2, rss2 = _on_cluster(images_file, 2)
    floor_after = _floor_pass(images_file)
    floor = max(floor_before, floor_after)
    ns = np.array(sorted(walls))
    # the pass over the data (the pilot's fixed cost of ⌈40 000/k⌉ images is excluded)
    slope = float(np.polyfit(np.log(ns), np.log([steps[n] for n in ns]), 1)[0])
    t_in = r_in.provenance["timings"]
    record("diagnose 60k×28×28, 5×5, stride 1",
           in_process_s=walls[N_FULL], in_process_constants_s=t_in["constants_s"], pilot_s=t_in["pilot_s"],
           in_process_peak_gib=peaks[N_FULL] / GIB, max_peak_gib_over_N=max(peaks.values()) / GIB,
           one_worker_s=wall1, two_workers_s=wall2, speedup_2_over_1=wall1 / wall2,
           pilot_s_1_worker=r1.provenance["timings"]["pilot_s"], pilot_s_2_workers=r2.provenance["timings"]["pilot_s"],
           worker_rss_gib_1=rss1 / GIB, worker_rss_gib_2=rss2 / GIB,
           patches_per_s_per_core_in_process=patches / walls[N_FULL] / cores,
           patches_per_s_per_core_2_workers=patches / wall2 / 2, cost_slope_loglog=slope,
           walls_by_n=str({int(n): round(walls[n], 2) for n in ns}),
           pass_s_by_n=str({int(n): round(steps[n], 2) for n in ns}), load_average=str(os.getloadavg()),
           floor_s_before=floor_before, floor_s_after=floor_after, in_process_in_floors=walls[N_FULL] / floor,
           whole_run_s=wall_whole, whole_run_in_floors=wall_whole / floor,
           whole_run_steps_s=str({k: round(v, 2) for k, v in whole.provenance["timings"].items()}),
           two_workers_over_in_process=wall2 / walls[N_FULL],
           peak_gib_by_n=str({int(n): round(peaks[n] / GIB, 3) for n in ns}))
    a, b1, b2 = _key_numbers(r_in), _key_numbers(r1), _key_numbers(r2)
    np.testing.assert_allclose(b1, a, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(b2, b1, rtol=1e-9, atol=1e-15)
    assert max(peaks.values()) < 1.5 * GIB and max(rss1, rss2) < 1.5 * GIB
    sliced = [n for n in ns if n < N_FULL]  # the same source (a memory-mapped slice); N_FULL reads the file by path
    assert peaks[max(sliced)] <= 1.5 * peaks[min(sliced)], "peak memory grows with N"
    assert walls[N_FULL] <= 10 * floor, f"in-process {walls[N_FULL] / floor:.1f} floors"
    assert wall_whole <= 10 * floor, f"the whole run (with SGD) took {wall_whole / floor:.1f} floors"
    assert walls[N_FULL] <= 180 or wall2 <= 180, "the constants step of 34.6 M patches took over 3 minutes"
    assert slope <= 1.2, f"cost grows faster than linearly in N: slope {slope:.2f}"
    assert wall1 / wall2 >= 1.6, f"2 workers only {wall1 / wall2:.2f}× faster than 1"

"""The reduce step, in-process or on Dask, always in the same order (docs/diagnose.md §3).

The chunks of :func:`verify.diagnosis.sources.chunk_bounds` are mapped by
:func:`verify.diagnosis.sums.chunk_sums` and their partial sums added along one
fixed binary tree per batch: leaves in chunk order, neighbours paired level by
level ((0, 1), (2, 3), …, an odd last one carried up).  Floating-point addition
is not associative, so fixing the tree, not the arrival order, is what makes
in-process, one-worker and many-worker runs give the same bits.

Independent tasks whose results are only concatenated (the pilot's blocks of candidate
directions, :func:`verify.estimators.chunked.candidate_scores`) go through ``map_tasks``:
each result depends on its item alone, so the order of execution cannot change a bit.

* in-process (default): a loop, the tree kept as a binary counter (O(log n) partials alive);
* ``workers=N``: a ``dask.distributed.LocalCluster`` of N single-threaded worker processes;
* ``scheduler=ADDRESS`` (or a ``distributed.Client``): a running cluster.

Dask is optional (extra ``distributed``); without it only the in-process path runs.
"""
from __future__ import annotations

import logging
import multiprocessing
import shutil
import tempfile
import time
from contextlib import contextmanager, nullcontext
from typing import Any, Callable

from ..interrupts import quiet_after_signal
from .sources import Source, chunk_bounds, load_payload
from .sums import Plan, chunk_sums, combine

__all__ = ["run_plan", "executor", "tree_reduce"]


def _task(payload, plan: Plan) -> dict:
    return chunk_sums(load_payload(payload), plan)


def tree_reduce(items: list, add: Callable = combine):
    """Σ items along the fixed tree of the module doc (used for lists of futures as well).

    Examples
    --------
    >>> tree_reduce([1, 2, 3, 4, 5], lambda a, b: f"({a}+{b})")
    '(((1+2)+(3+4))+5)'
    """
    level = list(items)
    if not level:
        return None
    while len(level) > 1:
        nxt = [add(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


class _Counter:
    """Streaming form of :func:`tree_reduce`: the same tree, O(log n) partials alive."""

    def __init__(self, n: int, add: Callable = combine):
        self.n, self.stack, self.seen, self.add = n, [], 0, add  # stack of (level size, value)

    def push(self, value) -> None:
        size = 1
        self.seen += 1
        while self.stack and self.stack[-1][0] == size:
            _, left = self.stack.pop()
            value, size = self.add(left, value), size * 2
        self.stack.append((size, value))

    def result(self):
        # the carried-up leftovers of tree_reduce combine from the right (checked in the tests)
        value = None
        for _, part in reversed(self.stack):
            value = part if value is None else self.add(part, value)
        return value


def _one_blas_thread():
    """BLAS on one thread, as on a Dask worker (its OMP_NUM_THREADS=1); a no-op without threadpoolctl.

    The products of the sums are small (p × k by k × C per item): threads buy nothing and, on a busy
    machine, cost much (synthetic 28×28 images, N = 2000, f = 5, stride 1, 2 cores at load ~3:
    20.1 s with OpenBLAS's 2 threads, 4.4 s with one).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


class _InProcess:
    name = "in-process"
    workers = 0

    def map_reduce(self, source: Source, plan: Plan, chunks, batches: int, progress) -> list[dict]:
        counters = [_Counter(sum(1 for c in chunks if c[0] == b)) for b in range(batches)]
        start = time.monotonic()
        with _one_blas_thread():
            for i, (b, lo, hi) in enumerate(chunks):
                counters[b].push(chunk_sums(source.load(lo, hi), plan))
                if progress is not None:
                    progress(i + 1, len(chunks), time.monotonic() - start)
        return [c.result() for c in counters]

    def map_tasks(self, task: Callable, shared, items: list) -> list:
        """[task(shared, item) for item in items]."""
        with _one_blas_thread():
            return [task(shared, item) for item in items]


class _Dask:
    def __init__(self, client, name: str, workers: int):
        self.client, self.name, self.workers = client, name, workers

    def map_reduce(self, source: Source, plan: Plan, chunks, batches: int, progress) -> list[dict]:
        from distributed import wait

        client = self.client
        [plan_future] = client.scatter([plan], broadcast=True)
        add = lambda x, y: client.submit(combine, x, y, pure=False)
        roots = []
        for b in range(batches):
            # leaves and sums submitted in the tree's depth-first order (the scheduler runs earlier submissions
            # first), and no reference kept to a consumed partial: each is released on its worker as soon as
            # its parent has run, so worker memory stays O(tree depth + workers), not O(chunks)
            counter = _Counter(sum(1 for c in chunks if c[0] == b), add)
            for c, lo, hi in chunks:
                if c == b:
                    counter.push(client.submit(_task, source.payload(lo, hi), plan_future, pure=False))
            roots.append(counter.result())
            del counter
        start = time.monotonic()
        while True:
            try:
                wait(roots, timeout=2.0)
                break
            except TimeoutError:  # distributed's wait raises on timeout
                if progress is not None:
                    progress(None, len(chunks), time.monotonic() - start)
        return client.gather(roots)

    def map_tasks(self, task: Callable, shared, items: list) -> list:
        """[task(shared, item) for item in items] on the workers (``shared`` sent once to each), in order."""
        [shared_future] = self.client.scatter([shared], broadcast=True)
        futures = [self.client.submit(task, shared_future, item, pure=False) for item in items]
        return self.client.gather(futures)


#: The scheduler's HTTP server, which Dask starts even without a dashboard: on a free port of the loopback
#: interface (with ``None`` it takes port 8787 and warns on stderr when another cluster holds it).
_HTTP = "127.0.0.1:0"
#: Seconds to reach a running scheduler and finish Dask's handshake with it.
SCHEDULER_TIMEOUT_S = 10


def _dask_missing(argument: str):
    from ..validation import InvalidArgument

    return InvalidArgument(argument, "needs Dask: pip install 'dask[distributed]>=2024.1' "
                                     "(or the extra convfilter-verify[distributed])")


@contextmanager
def executor(workers: int | None = None, scheduler: Any = None):
    """The executor of :func:`run_plan`: in-process, a fresh LocalCluster of ``workers``, or a running cluster."""
    if workers is None and scheduler is None:
        yield _InProcess()
        return
    with quiet_after_signal("asyncio", "distributed", "tornado"):
        with _dask_executor(workers, scheduler) as runner:
            yield runner


@contextmanager
def _dask_executor(workers: int | None, scheduler: Any):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise _dask_missing("workers" if scheduler is None else "scheduler") from None
    if scheduler is not None:
        if isinstance(scheduler, Client):
            yield _Dask(scheduler, f"cluster {scheduler.scheduler.address}", len(scheduler.nthreads()))
            return
        if hasattr(scheduler, "scheduler_address"):  # a LocalCluster object
            with Client(scheduler) as client:
                yield _Dask(client, f"cluster {scheduler.scheduler_address}", len(client.nthreads()))
            return
        from .scheduler import check_scheduler_address, probe_scheduler

        address = check_scheduler_address(scheduler)
        probe_scheduler(address, timeout=SCHEDULER_TIMEOUT_S)  # bounds the handshake, which Client does not
        try:
            client = Client(address, timeout=f"{SCHEDULER_TIMEOUT_S}s")
        except (OSError, TimeoutError) as err:
            from ..validation import InvalidArgument

            raise InvalidArgument("scheduler", f"cannot reach a Dask scheduler at {scheduler!r} ({err})") from None
        with client:
            yield _Dask(client, f"cluster {scheduler}", len(client.nthreads()))
        return
    import dask

    # Dask sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which fixes glibc's mmap threshold at 128 KiB: every
    # temporary of the chunk sums is then a fresh mmap and page faults.  Unset (glibc's dynamic threshold), the
    # pilot's scoring costs half the CPU (digits f=3 s=1, 10 candidates: 0.57 s → 0.29 s, one thread).
    # The workers' scratch space lives in a temporary folder of this run, removed on every exit (Dask's own
    # default, <tmp>/dask-scratch-space, outlives the run).
    # A signal while the cluster starts leaves no cluster object to close: the worker processes it spawned are
    # stopped here (only those, the children that appeared during this block) before the scratch is removed,
    # or a worker still starting would create its folder in the scratch again after the removal.
    children_before = set(multiprocessing.active_children())
    scratch = tempfile.mkdtemp(prefix="verify-dask-")
    try:
        with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                              "temporary-directory": scratch}), \
                LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True, dashboard_address=_HTTP,
                             silence_logs=logging.CRITICAL, local_directory=scratch) as cluster, \
                Client(cluster) as client:
            yield _Dask(client, f"LocalCluster of {workers} worker processes", int(workers))
    finally:
        for child in set(multiprocessing.active_children()) - children_before:
            child.terminate()
            child.join(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)


def run_plan(source: Source, plan: Plan, runner, batches: int = 1, progress=None,
             chunks: list | None = None) -> list[dict]:
    """Per-batch sums of ``plan`` over all of ``source`` (B = ``batches`` batches of items)."""
    if chunks is None:
        chunks = chunk_bounds(source.n_items, source.images_per_chunk, batches)
    return runner.map_reduce(source, plan, chunks, batches, progress)

"""Benchmarks: pytest-benchmark, outside the default run (``--benchmark-skip`` in addopts;
``testpaths`` does not list this folder).  Run them with

    python -m pytest benchmarks/ --benchmark-only

Each benchmark compares against a baseline timed in the same run, interleaving the two
and keeping the fastest of several rounds (robust to a busy machine), writes its ratios
into ``benchmark.extra_info`` and prints them; they are repeated at the end of the session.
"""
from __future__ import annotations

import time
import tracemalloc

import pytest

_LINES: list[str] = []


def _fastest(*functions, rounds: int = 5) -> list[float]:
    """The fastest wall time of each function over ``rounds`` interleaved rounds (seconds)."""
    best = [float("inf")] * len(functions)
    for _ in range(rounds):
        for i, fn in enumerate(functions):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def _peak_memory(fn) -> int:
    """Peak bytes traced by tracemalloc while ``fn`` runs (numpy reports its buffers to it)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def fastest():
    """``fastest(f, g, …, rounds=5)`` → the fastest interleaved wall time of each (seconds)."""
    return _fastest


@pytest.fixture
def peak_memory():
    """``peak_memory(f)`` → peak bytes traced while f runs."""
    return _peak_memory


@pytest.fixture
def record(benchmark):
    """``record(title, **numbers)``: store numbers in extra_info, print them, keep them for the summary."""
    def add(title: str, **numbers) -> None:
        benchmark.extra_info.update(numbers)
        text = f"{title}: " + ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                                        for k, v in numbers.items())
        print("\n" + text)
        _LINES.append(text)
    return add


def pytest_terminal_summary(terminalreporter):
    if _LINES:
        terminalreporter.section("benchmark ratios")
        for line in _LINES:
            terminalreporter.write_line(line)

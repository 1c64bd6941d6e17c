"""Benchmarks: pytest-benchmark, outside the default run (``--benchmark-skip`` in addopts;
``testpaths`` does not list this folder).  Run them with

    python -m pytest benchmarks/ --benchmark-only

Each benchmark compares against a baseline timed in the same run: the two are timed in
interleaved pairs, and the ratio is reported as the median of the per-round ratios with its
spread (lowest and highest round), written into ``benchmark.extra_info``, printed, and
repeated at the end of the session.  A target is asserted with the spread as its margin
(:func:`within_target`): a ratio fails only when even its best round misses the target, so
a busy machine, which slows rounds at random, cannot fail it — a real regression, which slows
every round, does.
"""
from __future__ import annotations

import statistics
import time
import tracemalloc
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Ratio:
    """A time ratio over interleaved rounds: the median and the lowest and highest round's ratio."""

    median: float
    low: float
    high: float

    def numbers(self, name: str) -> dict[str, float]:
        return {name: self.median, f"{name}_low": self.low, f"{name}_high": self.high}


def _ratio(numerator, denominator, rounds: int = 7) -> Ratio:
    """``numerator``'s wall time over ``denominator``'s, each round timing the two back to back."""
    ratios = []
    for _ in range(rounds):
        a, b = _fastest(numerator, denominator, rounds=1)
        ratios.append(a / b)
    return Ratio(statistics.median(ratios), min(ratios), max(ratios))


def within_target(ratio: Ratio, target: float, at_most: bool = True) -> bool:
    """Whether the target holds up to the rounds' spread: ≤ target unless the best (lowest) round exceeds it
    (≥ target unless the best, highest, round falls short)."""
    return ratio.low <= target if at_most else ratio.high >= target


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
def ratio():
    """``ratio(f, g, rounds=7)`` → :class:`Ratio` of f's wall time over g's, in interleaved rounds."""
    return _ratio


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

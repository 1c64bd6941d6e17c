"""``verify --help`` and a usage error, against starting Python and importing numpy.

Floor: ``python -c "import numpy"`` — the interpreter and one module of the numerics, ≈ 0.1 s on an
idle machine, the yardstick of issue 21 (tests/test_startup.py checks that the parser path imports no
numpy, scipy or anything heavier).  Issue 21: ``verify --help`` took 0.81 s, 0.66 s of it importing
scipy.stats and mpmath to build the parser; later ``verify check --help`` 1.1 s and ``verify check
nosuch`` 1.1 s (importing the 20 claims to list or find an id), ``verify experiment --help`` 0.85 s,
``verify estimate --dist nosuch`` 0.37 s (the built-in laws imported before the name was checked):
each now reads a names table (plain data), and numpy waits for the commands.  Target: each command
≤ 2× the floor (the 0.2 s of the issue), up to the spread of the interleaved rounds
(conftest.within_target).
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import within_target

TARGET = 2.0
COMMANDS = {"help": ["--help"], "diagnose-help": ["diagnose", "--help"], "usage-error": ["estimate", "--p", "3"],
            "unknown-command": ["bogus"], "check-help": ["check", "--help"], "experiment-help": ["experiment", "--help"],
            "unknown-claim": ["check", "nosuch"], "unknown-dist": ["estimate", "--dist", "nosuch", "--p", "3"]}


def _run(args):
    return lambda: subprocess.run([sys.executable, *args], capture_output=True, timeout=120)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_and_usage_errors_cost_about_starting_python_with_numpy(benchmark, ratio, record, name):
    command = _run(["-m", "verify", *COMMANDS[name]])
    floor = _run(["-c", "import numpy"])
    done = benchmark.pedantic(command, rounds=3, iterations=1, warmup_rounds=1)
    assert done.returncode in (0, 2)
    over_floor = ratio(command, floor, rounds=7)
    record(f"verify {' '.join(COMMANDS[name])}", **over_floor.numbers("ratio"), target=TARGET)
    assert within_target(over_floor, TARGET), over_floor

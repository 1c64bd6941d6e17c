"""docs/extending.md runs as written: its python blocks, in order, in a fresh folder, print the verdicts it states.

The example defines a claim outside the package (Tian 2017's Gaussian gradient) with the template of
:mod:`verify.checker.claim`, a search and a negative control; the claim must hold and its control be
refuted (a control the check could not refute would leave the example's check without teeth).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "extending.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks(text: str) -> list[str]:
    """The ```python blocks of a markdown text, in order."""
    return BLOCK.findall(text)


def test_the_blocks_are_found_in_order():
    blocks = python_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 4
    assert "def tian_gradient" in blocks[0] and "MY_CLAIM = Claim(" in blocks[2] and "run_claims" in blocks[3]


@pytest.mark.slow
def test_the_example_runs_in_a_fresh_folder_and_prints_its_verdicts(tmp_path):
    script = tmp_path / "example.py"
    script.write_text("\n".join(python_blocks(DOC.read_text(encoding="utf-8"))), encoding="utf-8")
    root = str(DOC.parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == ["holds", "claim: holds", "control closed-form-times-1-2: refuted"], done.stdout
    stated = DOC.read_text(encoding="utf-8").split("It prints")[1]
    assert all(line in stated for line in done.stdout.splitlines())

"""Every ``verify …`` command the README prints in its bash blocks runs as printed and exits 0.

The lines are read from README.md (not copied here), so an edited example is tested as edited.  The files
they name (``samples.npy``, ``imgs.npy``) are made in a temporary working folder first, as a user would;
``my_laws:…`` is the README's "Adding a distribution" example, run with its module by tests/test_cli.py.
The two install-and-run commands at the top are what CI runs (.ci/run), not repeated here, and so is the
default profile's report (80 s here; CI's main job runs it from a wheel): ``--profile default`` lines are
left to CI, which keeps the default test run under its 10-minute budget.
"""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_verify_commands() -> list[str]:
    """The ``verify …`` lines of the README's bash blocks, trailing comments removed."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines
            if line.startswith("verify ") and "my_laws:" not in line and "--profile default" not in line]


def test_the_readme_prints_the_commands_this_test_runs():
    commands = readme_verify_commands()
    assert len(commands) >= 10 and any(c.startswith("verify diagnose") for c in commands)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A user's folder with the files the README's examples name."""
    folder = tmp_path_factory.mktemp("readme")
    rng = np.random.default_rng(0)
    np.save(folder / "samples.npy", rng.standard_normal((2000, 3)))       # (n, p)
    np.save(folder / "imgs.npy", rng.random((40, 16, 16)))                # (N, H, W)
    return folder


@pytest.mark.parametrize("command", readme_verify_commands())
def test_a_readme_command_runs_as_printed(command, workdir):
    argv = shlex.split(command)
    if argv[1] == "certify":
        pytest.importorskip("flint")
    script = shutil.which("verify", path=str(Path(sys.executable).parent)) or "verify"
    done = subprocess.run([script, *argv[1:]], cwd=workdir, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip(), "printed nothing"

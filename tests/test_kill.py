"""Killing ``verify report`` at any moment leaves the previous report intact and nothing behind.

SIGKILL at several moments (early, mid-run, inside the write window, between the two
renames), SIGTERM and SIGINT mid-run and inside the write window.  After each: the
output folder holds the previous ``index.html`` and ``claims.json`` byte for byte, or
complete new ones; the next run removes every temporary file a killed run left; no
process of the run survives it (checked in /proc); the exit status is 130 (SIGINT),
143 (SIGTERM) or death by signal 9 (a shell's 137).

Most runs go through a small driver (:data:`DRIVER`, test code only) that runs
``verify.cli.main(["report", "--profile", "quick", "--out", DIR])`` with the claims run
and the figures replaced by tiny stand-ins (each stage announced in a marker file and
held for a moment), and ``os.replace`` slowed down, so that each moment is hit
reliably; one run is the real console script.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from verify.checker.catalogue import ORDER
from verify.jsonio import TEMP_PREFIX

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists() or os.name != "posix",
                                reason="needs POSIX signals and /proc")

DRIVER = r'''
import os, sys, time, types
marker, hold = os.environ["KILL_MARKER"], float(os.environ.get("KILL_HOLD_S", "0"))

def announce(stage):
    with open(marker, "a") as fh:
        fh.write(stage + "\n")

import verify.run, verify.report
tag = os.environ.get("KILL_TAG", "new")

def tiny_run_claims(profile, seed, progress=None, constants=False):
    announce("claims")
    time.sleep(hold)
    return types.SimpleNamespace(experiments={}, wall_s=hold, constants={"seconds": 0.0, "stand-in": True},
                                 to_dict=lambda: {"claims": {"c": {"verdict": "holds", "tag": tag}}})

verify.run.run_claims = tiny_run_claims
verify.report.report_figures = lambda constants, experiments, progress=None: []
verify.report.certified_verdicts = lambda progress=None: []    # certification has its own tests
verify.report.proof_slack = lambda progress=None: {}           # so has the slack of the proof chains
real_replace, calls = os.replace, []

def slow_replace(src, dst, **kwargs):
    if os.path.basename(os.fspath(src)).startswith(".verify-tmp."):   # the report's own atomic writer
        calls.append(dst)
        announce("write-window" if len(calls) == 1 else "between-renames")
        time.sleep(hold)
    return real_replace(src, dst, **kwargs)

os.replace = slow_replace
from verify.cli import main
announce("started")
sys.exit(main(sys.argv[1:]))
'''


def _start(tmp: Path, out: Path, hold: float, tag: str = "new", seed: int = 0) -> tuple[subprocess.Popen, Path]:
    marker = tmp / f"marker-{time.monotonic_ns()}"
    marker.touch()
    driver = tmp / "kill_driver.py"
    driver.write_text(DRIVER)
    env = {**os.environ, "KILL_MARKER": str(marker), "KILL_HOLD_S": str(hold), "KILL_TAG": tag}
    proc = subprocess.Popen([sys.executable, str(driver), "report", "--profile", "quick", "--out", str(out),
                             "--seed", str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    return proc, marker


def _wait_for(marker: Path, stage: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stage in marker.read_text().split():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the run ended ({proc.returncode}) before {stage}: {proc.stderr.read()}")
        time.sleep(0.02)
    raise AssertionError(f"{stage} not reached in {timeout} s")


def _survivors(out: Path) -> list[int]:
    """Processes (other than this one) whose command line names ``out``: a run's leftovers."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(out) in cmdline:
            found.append(int(entry.name))
    return found


def _temporaries(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp"))


def _complete(out: Path) -> bool:
    try:
        json.loads((out / "claims.json").read_text())
    except (OSError, ValueError):
        return False
    return (out / "index.html").read_text().rstrip().endswith("</html>")


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """An output folder with a complete report (the 'previous' one), and its bytes."""
    tmp = tmp_path_factory.mktemp("kill")
    out = tmp / "out"
    proc, _ = _start(tmp, out, hold=0.0, tag="previous", seed=1)   # another seed: other bytes than a new run
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    files = {name: (out / name).read_bytes() for name in ("index.html", "claims.json")}
    return tmp, out, files


def _restore(out: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (out / name).write_bytes(data)


def _same_as_before(out: Path, files: dict[str, bytes]) -> bool:
    return all((out / name).read_bytes() == data for name, data in files.items())


KILLS = [
    pytest.param("started", signal.SIGKILL, -signal.SIGKILL, "old", id="sigkill-early"),
    pytest.param("claims", signal.SIGKILL, -signal.SIGKILL, "old", id="sigkill-mid"),
    pytest.param("write-window", signal.SIGKILL, -signal.SIGKILL, "old", id="sigkill-write-window"),
    pytest.param("between-renames", signal.SIGKILL, -signal.SIGKILL, "each", id="sigkill-between-renames"),
    pytest.param("started", signal.SIGTERM, 143, "old", id="sigterm-early"),
    pytest.param("claims", signal.SIGTERM, 143, "old", id="sigterm-mid"),
    pytest.param("claims", signal.SIGINT, 130, "old", id="sigint-mid"),
    pytest.param("write-window", signal.SIGTERM, 143, "new", id="sigterm-write-window"),
    pytest.param("write-window", signal.SIGINT, 130, "new", id="sigint-write-window"),
]


@pytest.mark.slow
@pytest.mark.parametrize("stage, sig, status, leaves", KILLS)
def test_a_killed_report_leaves_the_previous_one_and_nothing_behind(previous, stage, sig, status, leaves):
    tmp, out, files = previous
    _restore(out, files)
    proc, marker = _start(tmp, out, hold=1.5)
    _wait_for(marker, stage, proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    if sig != signal.SIGKILL:
        # one line, no traceback, and no temporary file even before the next run
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert _temporaries(out) == []
    if leaves == "old":
        assert _same_as_before(out, files)
    elif leaves == "new":
        assert not _same_as_before(out, files) and _complete(out)
    else:   # SIGKILL between the two renames: each file whole, the old or the new one
        for name, data in files.items():
            assert (out / name).read_bytes() == data or _complete(out)
    assert _survivors(out) == []
    # the next run removes what the killed one left, and writes a complete report
    again, _ = _start(tmp, out, hold=0.0)
    assert again.wait(timeout=120) == 0, again.stderr.read()
    assert _temporaries(out) == [] and _complete(out)
    assert _survivors(out) == []


def test_the_next_run_removes_stale_temporaries_of_both_namings(previous):
    tmp, out, files = previous
    _restore(out, files)
    stale = [out / f"{TEMP_PREFIX}999999999.claims.json.abcd1234.tmp", out / ".claims.json.k2j4h5g6.tmp",
             out / ".index.html.a1b2c3d4.tmp"]
    keep = out / "notes.tmp"
    for path in (*stale, keep):
        path.write_text("partial")
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    proc, _ = _start(tmp, out, hold=0.0)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    assert _temporaries(out) == ["notes.tmp"]
    keep.unlink()


def _stderr_lines(proc: subprocess.Popen) -> "queue.Queue[str | None]":
    """Every line the process writes to stderr, as it comes (None at the end), read by a thread."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in proc.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


@pytest.mark.slow
def test_the_real_console_script_ends_cleanly_on_sigterm(previous, tmp_path):
    """SIGTERM once the run says (on stderr) that it is inside the claims' searches: no clock to race."""
    _, out, files = previous
    _restore(out, files)
    script = shutil.which("verify", path=str(Path(sys.executable).parent)) or "verify"
    proc = subprocess.Popen([script, "report", "--profile", "quick", "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines, seen = _stderr_lines(proc), []
    # The readiness signal: the first progress line of any claim's search.  Not lemma-a1's in particular:
    # progress prints nothing in a run's first second, and on a fast start lemma-a1's searches end inside it.
    searching = tuple(f"] {claim_id}: " for claim_id in ORDER)
    while True:
        line = lines.get(timeout=300)
        assert line is not None, f"the run ended ({proc.wait()}) before its first search: {''.join(seen)}"
        seen.append(line)
        if any(s in line for s in searching):
            break
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=120) == 143, "".join(seen)
    while (line := lines.get(timeout=60)) is not None:
        seen.append(line)
    err = "".join(seen)
    assert seen[-1].startswith("verify report: terminated:") and "Traceback" not in err, err
    assert _same_as_before(out, files) and _temporaries(out) == [] and _survivors(out) == []

"""A disk that cannot take the output: found before the work where it can be, and never half-written.

* Before the work: ``--out`` must have the free space its subcommand needs (``cli.limits.OUTPUT_BYTES``).
* During the write: a disk that fills up anyway (another process took the space) ends the run with one
  line naming ``--out`` and the file, exit status 1 (a fault that is not the user's input), the previous
  output byte for byte, no temporary, and no folder the run created.

The end-to-end test writes to a real full disk, a 1 MiB tmpfs, where the test may mount one (root in a
container that allows it); elsewhere to a file-size limit (``RLIMIT_FSIZE``, SIGXFSZ ignored, so writes
fail with EFBIG), which goes through the same code path.  The claims run is replaced by a stand-in (its
own tests are elsewhere) that fills the disk while "working".
"""
from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys

import pytest

from verify.jsonio import TEMP_PREFIX, write_atomically
from verify.validation import InvalidArgument, check_output_directory

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs POSIX file-size limits or tmpfs")

DRIVER = r'''
import os, sys, types
import verify.run, verify.report

def filling_run_claims(profile, seed, progress=None, constants=False):
    filler = os.environ.get("FILL_DISK")
    if filler:   # another process takes all but 8 KiB of the disk while the claims run
        import shutil
        with open(filler, "wb") as fh:
            fh.write(b"\0" * max(shutil.disk_usage(os.path.dirname(filler)).free - 8192, 0))
    return types.SimpleNamespace(experiments={}, wall_s=0.0, constants={"seconds": 0.0, "stand-in": True},
                                 to_dict=lambda: {"claims": {"c": {"verdict": "holds", "pad": "x" * 65536}}})

verify.run.run_claims = filling_run_claims
verify.report.report_figures = lambda constants, experiments, progress=None: []
verify.report.certified_verdicts = lambda progress=None: []
verify.report.proof_slack = lambda progress=None: {}
import verify.cli.limits
verify.cli.limits.OUTPUT_BYTES["report"] = 0     # the pre-check passes; the disk fills up during the run
from verify.cli import main
sys.exit(main(sys.argv[1:]))
'''


@pytest.fixture
def tmpfs(tmp_path):
    """A 1 MiB tmpfs (skipped where this process may not mount one)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not shutil.which("mount") or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                                                   capture_output=True).returncode != 0:
        pytest.skip("may not mount a tmpfs here; the file-size-limit case covers the same code path")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def _file_size_limit():
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)          # a write past the limit fails (EFBIG), no signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))


@pytest.mark.parametrize("kind", ["tmpfs", "file-size-limit"])
def test_a_disk_that_fills_up_during_the_run_leaves_the_previous_report_and_nothing_else(kind, request, tmp_path):
    small_disk = request.getfixturevalue("tmpfs") if kind == "tmpfs" else None
    base = small_disk if small_disk is not None else tmp_path / "plain"
    base.mkdir(exist_ok=True)
    previous = base / "previous"
    previous.mkdir()
    old = {"index.html": b"<p>old</p>", "claims.json": b'{"old": true}'}
    for name, content in old.items():
        (previous / name).write_bytes(content)
    fresh = base / "new" / "deeper"
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    for out in (previous, fresh):
        env = {**os.environ, "FILL_DISK": str(base / "filler") if small_disk is not None else ""}
        proc = subprocess.run([sys.executable, str(driver), "report", "--profile", "quick", "--out", str(out)],
                              capture_output=True, text=True, env=env, timeout=300,
                              preexec_fn=None if small_disk is not None else _file_size_limit)
        (base / "filler").unlink(missing_ok=True)
        lines = proc.stderr.splitlines()
        said = [line for line in lines if not line.startswith("[")]
        assert proc.returncode == 1, proc.stderr
        assert len(said) == 1 and said[0].startswith("verify report: --out: "), proc.stderr
        assert ("No space left on device" if small_disk is not None else "File too large") in said[0]
        assert "nothing was written" in said[0]
    assert {p.name: p.read_bytes() for p in previous.iterdir()} == old     # byte for byte, no temporary
    assert not (base / "new").exists()                                     # the folders it made are gone


def test_a_failed_write_removes_its_temporaries_and_the_folders_it_created(tmp_path, monkeypatch):
    """Library level: ENOSPC at the flush, injected; the error names the destination file."""
    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    target = tmp_path / "a" / "b"
    with pytest.raises(OSError) as err:
        write_atomically({target / "x.json": "{}", target / "y.html": "<p>"})
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(target / "x.json")
    assert list(tmp_path.iterdir()) == []
    assert not any(p.name.startswith(TEMP_PREFIX) for p in tmp_path.rglob("*"))


def test_too_little_free_space_is_refused_before_the_work(tmp_path):
    free = shutil.disk_usage(tmp_path).free
    with pytest.raises(InvalidArgument, match=r"^--out: .* MiB free and the output needs about"):
        check_output_directory(tmp_path / "out", "--out", needs_bytes=2 * free + 2**20)
    assert list(tmp_path.iterdir()) == []
    assert check_output_directory(tmp_path / "out", "--out", needs_bytes=1) == tmp_path / "out"


def test_a_disk_without_room_for_the_report_is_refused_before_the_work(tmpfs):
    """The real console script on the 1 MiB tmpfs: the default report needs 8 MiB, refused in argument checks."""
    small_disk = tmpfs
    proc = subprocess.run([sys.executable, "-m", "verify", "report", "--out", str(small_disk / "out")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and proc.stderr.startswith("verify report: --out: "), proc.stderr
    assert "MiB free" in proc.stderr and proc.stderr.count("\n") == 1
    assert list(small_disk.iterdir()) == []

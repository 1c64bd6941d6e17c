"""Arguments of the wrong kind, output that cannot be written, a user's code that misbehaves (issue 20).

A number given as a string, or a bool, is a ``TypeError`` (``WrongType``, also an ``InvalidArgument`` so
that the command line prints its one line); an option that a mode ignores is an error, never a silent no-op.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import verify
from verify.cli import main
from verify.validation import InvalidArgument, WrongType


@pytest.mark.parametrize("call, argument", [
    pytest.param(lambda: verify.gamma(verify.Gaussian(3), "1", method="exact"), "phi", id="phi-as-string"),
    pytest.param(lambda: verify.gamma(verify.Gaussian(3), True, method="exact"), "phi", id="phi-as-bool"),
    pytest.param(lambda: verify.gamma(verify.Gaussian(3), ["0.5", "1"], method="exact"), "phi", id="phis-as-strings"),
    pytest.param(lambda: verify.AngularMixture(3, sigma="1"), "sigma", id="sigma-as-string"),
])
def test_a_number_given_as_a_string_or_a_bool_is_a_type_error_naming_the_argument(call, argument):
    with pytest.raises(TypeError) as err:
        call()
    assert isinstance(err.value, InvalidArgument) and err.value.argument == argument


def test_numpy_scalars_and_zero_dimensional_arrays_are_numbers():
    import numpy as np

    g = verify.gamma(verify.Gaussian(3), np.float32(1.0), method="exact").value
    assert g == verify.gamma(verify.Gaussian(3), np.array(1.0), method="exact").value


def test_a_renamed_wrong_type_stays_a_type_error():
    assert isinstance(WrongType("sigma_patch", "must be a real number").renamed("--sigma-patch"), TypeError)


def test_n_with_a_control_is_an_error_not_ignored(capsys):
    assert main(["check", "thm22-angle", "--control", "half-the-arcsin", "--n", "5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--n" in err and "--control" in err


# --- output streams and names (issue 20): one line, exit 2, nothing printed half --------------------------------
COMMAND = [sys.executable, "-m", "verify", "init-prob", "--p", "3", "--alpha", "0.5", "--n", "1000", "--json"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_stdout_is_one_line_and_exit_2():
    with open("/dev/full", "w") as full:
        proc = subprocess.run(COMMAND, stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("verify init-prob: stdout: cannot be written") and "Traceback" not in proc.stderr


def test_a_closed_stdout_is_one_line_and_exit_2():
    proc = subprocess.run(COMMAND, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300,
                          preexec_fn=lambda: os.close(1))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "verify init-prob: stdout: is closed; the result could not be printed"


def test_a_reader_that_goes_away_is_not_an_error():
    proc = subprocess.Popen(COMMAND, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()                  # the reader is gone before the result is written
    assert proc.wait(timeout=300) == 0
    assert "Traceback" not in proc.stderr.read()


@pytest.mark.parametrize("make, says", [
    pytest.param(lambda tmp: tmp / ("a" * 300), "longer than the file system allows", id="component-too-long"),
    pytest.param(lambda tmp: tmp.joinpath(*["b" * 200] * 21), "bytes long", id="path-too-long"),
])
def test_an_output_name_the_file_system_cannot_hold_is_refused_before_work(tmp_path, capsys, make, says):
    assert main(["experiment", "fig3a", "--profile", "quick", "--out", str(make(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err and says in err and list(tmp_path.iterdir()) == []


# --- a user's code (issue 20): its prints stay off --json, its own KeyboardInterrupt is its error -----------------
USER_LAW = '''
import numpy as np
print("importing my law")
class Noisy:
    k = 1
    def __init__(self, p):
        self.p = p
    def sample(self, n, rng):
        print("drawing", n)
        return rng.standard_normal((n, 1, self.p))
class Interrupting(Noisy):
    def sample(self, n, rng):
        raise KeyboardInterrupt
def noisy(p):
    return Noisy(p)
def interrupting(p):
    return Interrupting(p)
'''


def _estimate(tmp_path, law):
    (tmp_path / "user_laws.py").write_text(USER_LAW)
    return subprocess.run([sys.executable, "-m", "verify", "estimate", "--dist", f"user_laws:{law}", "--p", "3",
                           "--quantity", "gamma", "--method", "mc", "--n", "2000", "--json"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_what_a_users_law_prints_goes_to_stderr_and_json_stays_parseable(tmp_path):
    import json

    proc = _estimate(tmp_path, "noisy")
    assert proc.returncode == 0, proc.stderr
    assert "gamma" in json.loads(proc.stdout) and "importing my law" in proc.stderr and "drawing" in proc.stderr


def test_a_keyboard_interrupt_raised_by_a_users_law_is_its_error_not_a_signal(tmp_path):
    proc = _estimate(tmp_path, "interrupting")
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("verify estimate: --dist: 'user_laws:interrupting'") and "KeyboardInterrupt" in last


def test_a_second_writer_of_one_output_folder_is_refused_naming_the_first(tmp_path, capsys):
    """No clock: the first writer holds the folder's lock while the second starts (it is released on exit)."""
    from verify.jsonio import output_lock

    out = tmp_path / "report"
    with output_lock(out):
        assert main(["experiment", "fig3a", "--profile", "quick", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err and f"pid {os.getpid()}" in err and not out.exists()


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path):
    from verify.jsonio import output_lock

    out = tmp_path / "report"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from verify.jsonio import output_lock\n"
                               "with output_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(600)",
                               str(out)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"      # the readiness signal: the lock is taken
    with pytest.raises(InvalidArgument):
        with output_lock(out):
            pass
    holder.kill()
    holder.wait(timeout=60)
    with output_lock(out):                                   # the kernel released it with the process
        pass

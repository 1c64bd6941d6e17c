"""Fuzzing the command line in-process: any argument list gives exit status 0 or 2, never an exception.

Hypothesis (derandomized: the same lists on every run) builds argument lists from the
subcommand names, every known option with junk and plausible values, and unknown
options, and calls :func:`verify.cli.main`.  It must return 0 or 2 (argparse's
``SystemExit`` included: ``main`` returns it), write nothing to stderr but progress
lines on success and exactly one line on a bad argument.

Keeping it cheap: every ``estimate`` and ``init-prob`` list starts with ``--n 64`` (a
later ``--n`` the fuzzer draws replaces it, and its values are small numbers or junk),
sizes are drawn from small values or values the size checks refuse; the expensive
subcommands (``summary``, ``check``, ``experiment``, ``report``) are validated for real
but their work is replaced by a stub, so only parsing and validation are fuzzed there.
"""
from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify import cli

JUNK = st.sampled_from(["", "x", "-1", "0", "1", "nan", "inf", "-inf", "1e400", "1.5", "2,", ",", "--", "-", " ",
                        "1e9", "99999999999999999999", "\u03c0", "None", "[1]", "0x10", "1_0"])
SMALL_INT = st.integers(-3, 6).map(str)
TEXT = st.text(alphabet=string.ascii_letters + string.digits + "-_.:,=/", max_size=12)

VALUES = {
    "--dist": st.sampled_from(["gaussian", "sphere", "mixture", "patches", "degenerate", "empirical",
                               "image-patches", "bogus", "os:getcwd", "math:nope", "no_mod_xyz:f", ":"]),
    "--p": st.one_of(st.sampled_from(["2", "3", "4", "5000", "100000000", "1e12"]), SMALL_INT),
    "--phi": st.one_of(st.lists(st.one_of(st.floats(-1, 4), st.just(float("nan"))), min_size=1, max_size=3).map(
        lambda xs: ",".join(f"{x:g}" for x in xs)), st.sampled_from(["0.5", "0,3.14159", "1,2"])),
    "--quantity": st.lists(st.sampled_from(["gamma", "L", "L_neg", "beta", "L_cross", "zeta", ""]), min_size=1,
                           max_size=3).map(",".join),
    "--method": st.sampled_from(["exact", "quad", "mc", "qmc", "magic"]),
    "--n": st.one_of(st.integers(-2, 300).map(str), st.sampled_from(["1e12", "2e2"])),
    "--seed": st.one_of(st.integers(-2, 5).map(str), st.just("18446744073709551617")),
    "--sigma": st.sampled_from(["0.5", "2", "0", "-1", "nan"]),
    "--sigma-patch": st.sampled_from(["0.1", "1", "0", "-1"]),
    "--k": st.sampled_from(["1", "2", "4", "0", "5000"]),
    "--rank": st.sampled_from(["1", "2", "0", "9"]),
    "--filter-size": st.sampled_from(["2", "3", "1", "40"]),
    "--stride": st.sampled_from(["1", "2", "0"]),
    "--data": st.sampled_from(["/no/such.npy", "/proc/self/status", "/"]),
    "--images": st.sampled_from(["/no/such.npy", "/"]),
    "--alpha": st.sampled_from(["0.1", "0.5", "0.99", "0", "1", "2", "-0.5"]),
    "--profile": st.sampled_from(["quick", "default", "thorough", "fast"]),
    "--out": st.sampled_from(["{tmp}/out", "{tmp}/file", "{tmp}/file/sub", "", "/proc/verify-fuzz"]),
    "--mnist": st.sampled_from(["{tmp}", "/no/such/dir", "{tmp}/file"]),
}
FLAGS = ["--json", "--open", "--debug", "--help"]
POSITIONALS = st.sampled_from(["thm22-angle", "lemma-a1", "bogus", "fig3a", "fig4", "FIG3A", "extra", ""])
SUBCOMMANDS = st.sampled_from(["estimate", "init-prob", "summary", "claims", "check", "experiment", "report",
                               "bogus", "", "--version"])


@st.composite
def argument_lists(draw):
    """A subcommand (or junk), then options with junk or plausible values, flags, unknown options."""
    sub = draw(SUBCOMMANDS)
    argv = [sub] if sub else []
    if sub in ("estimate", "init-prob"):
        argv += ["--n", "64"]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 9))
        if kind <= 5:
            option = draw(st.sampled_from(sorted(VALUES)))
            value = draw(st.one_of(VALUES[option], JUNK))
            argv += [f"{option}={value}"] if draw(st.booleans()) and value else [option, value]
        elif kind == 6:
            argv.append(draw(st.sampled_from(FLAGS)))
        elif kind == 7:
            argv.append(draw(POSITIONALS))
        elif kind == 8:
            argv.append("--" + draw(TEXT))
        else:
            argv.append(draw(JUNK))
    return argv


@st.composite
def plausible_estimates(draw):
    """Mostly valid ``estimate``/``init-prob`` lists (tiny sizes), sometimes with one junk value."""
    if draw(st.booleans()):
        argv = ["init-prob", "--n", draw(st.sampled_from(["1", "50"])), "--p", draw(st.sampled_from(
            ["1", "3", "30", "5000", "1000000000", "9007199254740992"])), "--alpha", draw(VALUES["--alpha"])]
    else:
        dist = draw(st.sampled_from(["gaussian", "sphere", "mixture", "patches", "degenerate"]))
        argv = ["estimate", "--n", draw(st.sampled_from(["16", "64"])), "--dist", dist,
                "--p", draw(st.sampled_from(["2", "3", "4"])), "--method", draw(VALUES["--method"]),
                "--quantity", draw(VALUES["--quantity"]), "--phi", draw(VALUES["--phi"])]
        extra = {"mixture": ["--sigma"], "patches": ["--sigma-patch", "--k"], "degenerate": ["--rank"]}.get(dist, [])
        for option in extra:
            argv += [option, draw(VALUES[option])]
    if draw(st.booleans()):
        argv.append("--json")
    if draw(st.integers(0, 3)) == 0:
        i = draw(st.integers(1, len(argv) - 1))
        argv[i] = draw(JUNK)
    return argv


def _stub(plan, progress):
    return {"stub": True}


@pytest.fixture
def cheap_cli(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("a regular file")
    for name in ("summary", "check", "experiment", "report"):
        validate, _, _ = cli._COMMANDS[name]
        monkeypatch.setitem(cli._COMMANDS, name, (validate, _stub, lambda result: "stub"))
    return tmp_path


@pytest.mark.slow
def test_any_argument_list_returns_0_or_2_and_never_raises(cheap_cli, capsys):
    tmp = cheap_cli

    @settings(max_examples=400, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(argument_lists(), plausible_estimates()))
    def run(argv):
        argv = [a.replace("{tmp}", str(tmp)) for a in argv]
        code = cli.main(argv)
        _out, err = capsys.readouterr()
        assert code in (0, 2), (argv, code, err)
        if "--debug" not in argv:     # --debug shows the traceback behind an error, by design
            assert "Traceback" not in err, (argv, err)
            if code == 2:
                assert err.count("\n") == 1 and err.startswith("verify"), (argv, err)
        elif code == 2:
            assert err.splitlines()[-1].startswith("verify"), (argv, err)
        assert sorted(p.name for p in tmp.iterdir()) == ["file"], argv

    run()


# ``diagnose``: every reader (the files made by :func:`_diagnose_files`), every scheduler address form, every
# numeric option with junk.  Its work is replaced by a stub (validation, which opens and checks the source,
# runs for real); the scheduler is never contacted (validation checks the address's scheme only).
DIAGNOSE_VALUES = {
    "--images": st.sampled_from(["{tmp}/images.npy", "{tmp}/images.npz", "{tmp}/empty.npy", "{tmp}/nan.npy",
                                 "{tmp}/constant.npy", "{tmp}/file", "{tmp}", "/no/such.npy", ""]),
    "--data": st.sampled_from(["{tmp}/patches.npy", "{tmp}/images.npy", "{tmp}/empty.npy", "{tmp}/file",
                               "/no/such.npy"]),
    "--mnist": st.sampled_from(["{tmp}", "{tmp}/file", "/no/such/dir"]),
    "--zarr": st.sampled_from(["{tmp}/images.npy", "{tmp}", "/no/such.zarr"]),
    "--filter-size": st.sampled_from(["2", "3", "1", "65", "40"]),
    "--stride": st.sampled_from(["1", "2", "0", "64"]),
    "--teacher": st.sampled_from(["random", "gabor", "{tmp}/teacher.npy", "{tmp}/file", "bogus", ""]),
    "--workers": st.sampled_from(["1", "2", "0", "-1", "2000"]),
    "--scheduler": st.sampled_from(["tcp://127.0.0.1:1", "h:1", "inproc://x/1/1", "ucx://h:1", "tls://h:1",
                                    "gopher://h:1", "tcp://h", "tcp://", "", "not an address"]),
    "--law": st.sampled_from(["data", "sample", "Data"]),
    "--sgd-steps": st.sampled_from(["0", "10", "-1", "1e9"]),
    "--runs": st.sampled_from(["2", "1", "65"]),
    "--eta": st.sampled_from(["0.1", "0", "-1", "nan", "inf", "1e-300"]),
    "--seed": st.sampled_from(["0", "-1", "18446744073709551617"]),
    "--out": st.sampled_from(["{tmp}/out", "{tmp}/file", "{tmp}/file/sub", "", "/proc/verify-fuzz"]),
}


@st.composite
def diagnose_lists(draw):
    """``diagnose`` with a source (or none, or two), a filter size mostly, and any options with junk."""
    argv = ["diagnose"]
    for flag in draw(st.lists(st.sampled_from(["--images", "--data", "--mnist", "--zarr"]), max_size=2)):
        argv += [flag, draw(DIAGNOSE_VALUES[flag])]
    if draw(st.integers(0, 4)):
        argv += ["--filter-size", draw(DIAGNOSE_VALUES["--filter-size"])]
    for _ in range(draw(st.integers(0, 4))):
        option = draw(st.sampled_from(sorted(DIAGNOSE_VALUES)))
        argv += [option, draw(st.one_of(DIAGNOSE_VALUES[option], JUNK))]
    if draw(st.booleans()):
        argv.append(draw(st.sampled_from(["--json", "--quiet", "--help"])))
    return argv


def _diagnose_files(tmp):
    import numpy as np

    rng = np.random.default_rng(0)
    np.save(tmp / "images.npy", rng.random((80, 8, 8)))
    np.savez(tmp / "images.npz", images=rng.random((80, 8, 8)))
    np.save(tmp / "patches.npy", rng.random((80, 9)))
    np.save(tmp / "empty.npy", np.zeros((0, 8, 8)))
    np.save(tmp / "nan.npy", np.full((80, 8, 8), np.nan))
    np.save(tmp / "constant.npy", np.ones((80, 8, 8)))
    np.save(tmp / "teacher.npy", rng.standard_normal(9))
    (tmp / "file").write_text("a regular file")
    return {p.name for p in tmp.iterdir()}


@pytest.mark.slow
def test_any_diagnose_list_returns_0_or_2_with_one_line(monkeypatch, tmp_path, capsys):
    import verify.cli.diagnose as diagnose_cli

    made = _diagnose_files(tmp_path)
    monkeypatch.setattr(diagnose_cli, "run_diagnose", _stub)
    monkeypatch.setattr(diagnose_cli, "format_diagnose", lambda result: "stub")

    @settings(max_examples=300, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(diagnose_lists())
    def run(argv):
        argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
        code = cli.main(argv)
        _out, err = capsys.readouterr()
        assert code in (0, 2), (argv, code, err)
        assert "Traceback" not in err, (argv, err)
        if code == 2:
            assert err.count("\n") == 1 and err.startswith("verify"), (argv, err)
        assert {p.name for p in tmp_path.iterdir()} == made, argv

    run()

"""What `verify --help` and a usage error cost: the parser is built without the numerics (issue 21).

Measured by what is imported, not by a clock (a loaded machine must not fail it): scipy, mpmath,
hypothesis, matplotlib, jinja2 and Dask take most of a second to import, numpy half of what ``verify
--help`` costs without it; none is imported (numpy comes with the commands, the formatting and the
arrays of the argument checks, once the names have passed).  The listings of ``--help`` and the usage errors that are
about names (claim ids, controls, experiments, laws, profiles) read the names tables, plain data:
:mod:`verify.laws.names`, :mod:`verify.checker.catalogue`, :mod:`verify.experiments.names`
(tests/test_claims_registry.py checks that they equal the registries).  Errors about a law's values
(``--rank 5`` above p) are the law's own checks, made when it is built: they import numpy and no more.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("numpy", "scipy", "mpmath", "hypothesis", "matplotlib", "jinja2", "dask", "distributed", "zarr", "flint",
         "sklearn", "PIL")
PROBE = """
import json, sys
from verify.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "heavy": sorted({m.split(".")[0] for m in sys.modules} & set(%r))}), file=sys.stderr)
""" % (HEAVY,)


#: (id, argv): every --help, and usage errors of every kind that names alone decide.
CASES = [
    ("help", ["--help"]),
    ("diagnose-help", ["diagnose", "--help"]),
    ("init-prob-help", ["init-prob", "--help"]),
    ("certify-help", ["certify", "--help"]),
    ("estimate-help", ["estimate", "--help"]),
    ("report-help", ["report", "--help"]),
    ("check-help", ["check", "--help"]),
    ("experiment-help", ["experiment", "--help"]),
    ("missing-dist", ["estimate", "--p", "3"]),
    ("bad-p", ["init-prob", "--p", "0", "--alpha", "0.5"]),
    ("unknown-command", ["bogus"]),
    ("unknown-profile", ["report", "--profile", "huge"]),
    ("unknown-claim", ["check", "nosuch"]),
    ("missing-claim-id", ["check"]),
    ("unknown-control", ["check", "thm22-angle", "--control", "nosuch"]),
    ("control-with-dist", ["check", "thm22-angle", "--control", "half-the-arcsin", "--dist", "gaussian"]),
    ("profile-without-control", ["check", "thm22-angle", "--profile", "quick"]),
    ("check-unknown-profile", ["check", "thm22-angle", "--control", "half-the-arcsin", "--profile", "huge"]),
    ("check-unknown-dist", ["check", "thm22-angle", "--dist", "nosuch", "--p", "3"]),
    ("unknown-experiment", ["experiment", "nosuch"]),
    ("missing-experiment-name", ["experiment"]),
    ("experiment-unknown-profile", ["experiment", "fig3a", "--profile", "huge"]),
    ("mnist-not-taken", ["experiment", "fig3a", "--mnist", "."]),
    ("unknown-dist", ["estimate", "--dist", "nosuch", "--p", "3"]),
    ("malformed-user-law", ["estimate", "--dist", ":make", "--p", "3"]),
    ("option-not-taken", ["estimate", "--dist", "gaussian", "--p", "3", "--sigma", "1"]),
    ("dist-without-p", ["estimate", "--dist", "gaussian"]),
    ("phi-above-pi", ["estimate", "--dist", "gaussian", "--p", "3", "--phi", "3.5"]),
    ("unknown-quantity", ["estimate", "--dist", "gaussian", "--p", "3", "--quantity", "zeta"]),
    ("unknown-certified-id", ["certify", "nosuch"]),
    ("sigma-not-positive", ["estimate", "--dist", "mixture", "--p", "3", "--sigma", "-1"]),
    ("sigma-patch-zero", ["check", "thm22-angle", "--dist", "patches", "--p", "3", "--sigma-patch", "0"]),
    ("rank-zero", ["estimate", "--dist", "degenerate", "--p", "3", "--rank", "0"]),
    ("diagnose-no-data", ["diagnose", "--filter-size", "3"]),
    ("diagnose-two-sources", ["diagnose", "--images", "a.npy", "--data", "b.npy"]),
    ("diagnose-workers-and-scheduler", ["diagnose", "--images", "a.npy", "--workers", "2", "--scheduler", "tcp://a:1"]),
]


@pytest.mark.parametrize("argv", [argv for _, argv in CASES], ids=[name for name, _ in CASES])
def test_help_and_usage_errors_import_none_of_the_numerics(argv):
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    expected = 0 if "--help" in argv else 2       # help printed, or one usage-error line
    assert report["code"] == expected and report["heavy"] == [], (report, done.stderr)


@pytest.mark.parametrize("argv", [["estimate", "--dist", "degenerate", "--p", "3", "--rank", "5"],
                                  ["estimate", "--dist", "empirical", "--p", "3"],
                                  ["estimate", "--dist", "no_such_module_here:law", "--p", "3"],
                                  ["diagnose", "--images", "no/such/images.npy"],
                                  ["estimate", "--dist", "degenerate", "--p", "3", "--rank", "1", "--method", "quad"]],
                         ids=["rank-above-p", "empirical-without-data", "user-law-module-missing",
                              "diagnose-images-missing", "quad-not-available"])
def test_errors_found_while_building_a_law_import_numpy_only(argv):
    """A law is built with numpy alone (scipy.special and mpmath come with the functions that use them), so
    the errors its constructor finds, and a user's module that is not there, cost no scipy or mpmath; nor
    does a data file that cannot be read (its reader comes before the diagnosis), nor a method the law's
    attributes rule out (laws.distributions.check_method, before the estimators load)."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 2 and set(report["heavy"]) <= {"numpy"}, (report, done.stderr)


# ---------------------------------------------------------------------------
# The names tables the start-up reads are the registries' names, and cannot drift from them
# ---------------------------------------------------------------------------

def test_the_claims_names_table_is_the_registrys():
    """ORDER and every claim's control names, as the claim modules define them (the loader checked each)."""
    from verify.checker.catalogue import CONTROL_NAMES, ORDER
    from verify.claims import REGISTRY

    assert ORDER == tuple(REGISTRY)
    assert CONTROL_NAMES == {cid: tuple(c.name for c in claim.controls) for cid, claim in REGISTRY.items()}


def test_the_experiments_names_table_is_the_registrys():
    """The experiments in order, and the --mnist takers: those whose settings read images."""
    from verify.experiments.common import experiment_settings
    from verify.experiments.names import EXPERIMENT_NAMES, MNIST_EXPERIMENTS
    from verify.experiments.registry import EXPERIMENTS

    assert EXPERIMENT_NAMES == tuple(EXPERIMENTS)
    assert MNIST_EXPERIMENTS == tuple(n for n in EXPERIMENTS if "mnist" in experiment_settings(n, "quick", 0, {}))


@pytest.mark.parametrize("row", [("half-the-arcsin",), ("angle-at-least-the-arcsin", "half-the-arcsin"),
                                 ("half-the-arcsin", "angle-at-least-the-arcsin", "a-third")],
                         ids=["one-missing", "swapped", "one-extra"])
def test_the_claims_loader_refuses_a_row_that_differs_from_the_module(row):
    from verify.claims import REGISTRY, _load

    assert _load("thm22-angle", ("half-the-arcsin", "angle-at-least-the-arcsin")) is REGISTRY["thm22-angle"]
    with pytest.raises(ValueError, match=r"verify/claims/thm22_angle\.py names its controls"):
        _load("thm22-angle", row)


@pytest.mark.parametrize("names, mnist", [(("fig3a", "fig3b", "fig3c", "fig3d", "fig5", "fig4"), None),
                                          (("fig3a", "fig3b", "fig3c", "fig3d", "fig4"), None),
                                          (None, ("fig3c", "fig3d", "fig4")),
                                          (None, ("fig3a", "fig3c", "fig3d", "fig4", "fig5"))],
                         ids=["names-swapped", "name-missing", "mnist-taker-missing", "mnist-taker-extra"])
def test_the_experiments_registry_refuses_a_table_that_differs(names, mnist):
    from verify.experiments.names import EXPERIMENT_NAMES, MNIST_EXPERIMENTS
    from verify.experiments.registry import EXPERIMENTS, check_names

    check_names(EXPERIMENTS, EXPERIMENT_NAMES, MNIST_EXPERIMENTS)      # the shipped table passes
    with pytest.raises(ValueError, match=r"verify/experiments/names\.py's"):
        check_names(EXPERIMENTS, names or EXPERIMENT_NAMES, mnist or MNIST_EXPERIMENTS)


@pytest.mark.parametrize("patch, module, file", [
    ("import verify.checker.catalogue as t; t.CONTROL_NAMES['thm22-angle'] = ('half-the-arcsin',)",
     "verify.claims", "verify/claims/thm22_angle.py"),
    ("import verify.experiments.names as t; t.MNIST_EXPERIMENTS = ('fig3c',)",
     "verify.experiments.registry", "verify/experiments/names.py"),
], ids=["claims", "experiments"])
def test_importing_a_registry_with_a_drifted_table_fails_naming_the_file(patch, module, file):
    """The wiring: the registries check the tables when they are imported (a fresh interpreter, the table patched)."""
    done = subprocess.run([sys.executable, "-c", f"{patch}; import {module}"], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 1 and "ValueError: " + file in done.stderr, done.stderr[-2000:]


def test_every_subcommand_step_stands_for_a_function_of_its_module():
    """verify.cli imports each step at its first call: each stand-in names a function that exists."""
    from importlib import import_module

    from verify import cli

    steps = [step for table in (cli._COMMANDS, cli._EXTRA_COMMANDS) for triple in table.values() for step in triple]
    assert len(steps) == 3 * 8
    for step in steps:
        assert callable(getattr(import_module(step.__module__), step.__name__, None)), (step.__module__, step.__name__)

"""What `verify --help` and a usage error cost: the parser is built without the numerics (issue 21).

Measured by what is imported, not by a clock (a loaded machine must not fail it): scipy, mpmath,
hypothesis, matplotlib, jinja2 and Dask take most of a second to import; numpy (the argument checks'
arrays) is the one heavy module allowed.  ``verify estimate --help`` lists the built-in laws from
:mod:`verify.laws.names` (plain data).  ``verify check --help`` and ``verify experiment --help`` are
not among them: they list the catalogue (claim ids and controls, experiments), which is built by
importing it.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("scipy", "mpmath", "hypothesis", "matplotlib", "jinja2", "dask", "distributed", "zarr", "flint",
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


@pytest.mark.parametrize("argv", [["--help"], ["diagnose", "--help"], ["init-prob", "--help"], ["certify", "--help"],
                                  ["estimate", "--help"], ["report", "--help"], ["estimate", "--p", "3"],
                                  ["init-prob", "--p", "0", "--alpha", "0.5"], ["bogus"],
                                  ["report", "--profile", "huge"]],
                         ids=["help", "diagnose-help", "init-prob-help", "certify-help", "estimate-help", "report-help",
                              "missing-dist", "bad-p", "unknown-command", "unknown-profile"])
def test_help_and_usage_errors_import_none_of_the_numerics(argv):
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, 2) and report["heavy"] == [], report

"""Library and command-line arguments of the wrong kind: refused with the argument named (issue 20).

A number given as a string, or a bool, is a ``TypeError`` (``WrongType``, also an ``InvalidArgument`` so
that the command line prints its one line); an option that a mode ignores is an error, never a silent no-op.
"""
from __future__ import annotations

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

"""convfilter-verify: numerical verification of Du, Lee & Tian (ICLR 2018).

The package is layered, lowest first; a module imports only its own layer or lower ones, never in a
loop (``tests/test_architecture.py`` enforces it):

- foundation: :mod:`verify.results` (estimates that carry their error), :mod:`verify.stats`,
  :mod:`verify.geometry`, :mod:`verify.jsonio`, :mod:`verify.validation`, :mod:`verify.interrupts`
- :mod:`verify.laws`        — the distribution protocol, the built-in laws, the §4 families, images
- :mod:`verify.estimators`  — closed forms, moments, sampling, quadrature, direction search,
  γ, L, L_{−w*}, β, L_cross, finite sups
- :mod:`verify.dynamics`    — population GD and minibatch SGD, step rules, Theorem 3.4's initialisation
- :mod:`verify.experiments` — the §4 experiments (Figs. 3–5)
- :mod:`verify.checker`     — the engine: claim template, verdict rule, searches, refinement
- :mod:`verify.certify`     — certified verdicts by interval arithmetic
- :mod:`verify.claims`      — the catalogue: one module per claim of the paper (docs/claims.md §4)
- :mod:`verify.run`         — :func:`run_claims` over the claims it is given
- :mod:`verify.report`, :mod:`verify.diagnosis`, :mod:`verify.cli` — the report, a user's data, the command

The public names below are imported from their one home on first access, e.g.::

    >>> import verify
    >>> round(verify.gamma(verify.Gaussian(5), 1.0, method="exact").value, 12)
    0.206920790208
"""
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

# The names below are imported on first access (PEP 562): ``import verify.pytest_plugin``,
# which pytest runs at every start-up once this package is installed, must not pay for
# numpy, scipy and hypothesis.  ``from verify import gamma`` and ``verify.gamma`` work as usual.
_EXPORTS = {
    "run": ("ClaimsRun", "run_claims"),
    "claims": ("check_claim", "get_claim", "list_claims"),
    "laws.builtin": ("AngularMixture", "Degenerate", "Empirical", "Gaussian", "ImagePatches", "PatchCloseness", "Sphere"),
    "laws.distributions": ("DistributionProtocol", "make_distribution"),
    "dynamics.initialization": ("init_bounds", "init_probability", "success_probability"),
    "estimators.moments": ("cross_moment", "loss", "population_gradient", "second_moment"),
    "estimators.quantities": ("L", "L_neg", "curves", "gamma", "gamma_avg", "mu"),
    "estimators.beta": ("L_cross", "beta"),
    "results": ("ArrayEstimate", "Estimate"),
    "estimators.sampling": ("SamplingPlan",),
    "validation": ("InvalidArgument",),
    "diagnosis.core": ("diagnose",),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

if TYPE_CHECKING:  # pragma: no cover - what the lazy names are, for type checkers and IDEs
    from .run import ClaimsRun, run_claims
    from .claims import check_claim, get_claim, list_claims
    from .laws.builtin import AngularMixture, Degenerate, Empirical, Gaussian, ImagePatches, PatchCloseness, Sphere
    from .laws.distributions import DistributionProtocol, make_distribution
    from .dynamics.initialization import init_bounds, init_probability, success_probability
    from .estimators.moments import cross_moment, loss, population_gradient, second_moment
    from .estimators.quantities import L, L_neg, curves, gamma, gamma_avg, mu
    from .estimators.beta import L_cross, beta
    from .results import ArrayEstimate, Estimate
    from .estimators.sampling import SamplingPlan
    from .validation import InvalidArgument
    from .diagnosis.core import diagnose


def __getattr__(name: str) -> Any:
    """A public name (imported from its module on first access) or a submodule (``verify.claims``)."""
    if name == "__version__":   # its one home is pyproject.toml, read from the installed metadata on first access
        from .cli.parser import package_version

        return package_version()
    module = _HOME.get(name)
    if module is not None:
        value = getattr(import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value
    if not name.startswith("_") and find_spec(f"{__name__}.{name}") is not None:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))




__all__ = [
    "AngularMixture", "Degenerate", "DistributionProtocol", "Empirical", "Gaussian", "ImagePatches", "PatchCloseness", "Sphere",
    "make_distribution", "ArrayEstimate", "Estimate", "SamplingPlan", "InvalidArgument", "__version__",
    "second_moment", "cross_moment", "population_gradient", "loss",
    "gamma", "L", "L_neg", "beta", "L_cross", "mu", "gamma_avg", "curves",
    "init_probability", "init_bounds", "success_probability",
    "run_claims", "ClaimsRun", "check_claim", "get_claim", "list_claims", "diagnose",
]

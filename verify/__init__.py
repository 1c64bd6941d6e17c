"""convfilter-verify: numerical verification of Du, Lee & Tian (ICLR 2018).

The modules, one idea each:

- :mod:`verify.results`        — estimates that carry their error
- :mod:`verify.geometry`       — angles (atan2), orthonormal complements, the plane of (w, w*)
- :mod:`verify.closed_forms`   — the N(0, I)/radial closed forms of docs/claims.md §6
- :mod:`verify.stats`          — Clopper–Pearson, Student-t and Welch intervals (scipy.stats)
- :mod:`verify.jsonio`         — one JSON encoder, one NaN policy, one atomic writer
- :mod:`verify.distributions`  — the distribution protocol, its attribute helpers, make_distribution
- :mod:`verify.laws`           — the built-in input laws (Gaussian, sphere, mixtures, empirical, images)
- :mod:`verify.sampling`       — Monte Carlo / quasi-Monte Carlo streams and batch-means errors
- :mod:`verify.moments`        — A_{w,w*}, A_{w,−w*}, patch and cross moments, gradient, loss
- :mod:`verify.quadrature`     — deterministic quadrature for axially symmetric laws
- :mod:`verify.quantities`     — γ(φ), L(φ), L_{−w*}(φ), β, L_cross, μ, γ_avg
- :mod:`verify.initialization` — the random-initialization probability of Theorem 3.4
- :mod:`verify.dynamics`       — population GD and minibatch SGD, the Trajectory
- :mod:`verify.step_rules`     — step sizes η_t: constant, two-stage, adaptive (Theorem 2.2)
- :mod:`verify.images`, :mod:`verify.experiments` — image sources and the §4 experiments
  (:mod:`~verify.experiments.rates`: Figs. 3a–b; :mod:`~verify.experiments.real_data`: Figs. 3c–d, 4, 5)
- :mod:`verify.finite_sups`     — exact sups of β and L_cross for finite laws in p = 2
- :mod:`verify.checker`        — the claim template, the verdict rule, the searches, :func:`run_claims`
- :mod:`verify.claims`         — one module per claim of the paper (docs/claims.md §4)
- :mod:`verify.strategies`, :mod:`verify.pytest_plugin` — property testing of your own laws
- :mod:`verify.report`         — the HTML report (matplotlib figures, a jinja2 page)

The estimators and quantities are re-exported here, e.g.::

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
    "checker": ("ClaimsRun", "run_claims"),
    "claims": ("check_claim", "get_claim", "list_claims"),
    "distributions": ("AngularMixture", "Degenerate", "DistributionProtocol", "Empirical", "Gaussian",
                      "ImagePatches", "PatchCloseness", "Sphere", "make_distribution"),
    "initialization": ("init_bounds", "init_probability", "success_probability"),
    "moments": ("cross_moment", "loss", "population_gradient", "second_moment"),
    "quantities": ("L", "L_cross", "L_neg", "beta", "curves", "gamma", "gamma_avg", "mu"),
    "results": ("ArrayEstimate", "Estimate"),
    "sampling": ("SamplingPlan",),
    "validation": ("InvalidArgument",),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

if TYPE_CHECKING:  # pragma: no cover - what the lazy names are, for type checkers and IDEs
    from .checker import ClaimsRun, run_claims
    from .claims import check_claim, get_claim, list_claims
    from .distributions import (AngularMixture, Degenerate, DistributionProtocol, Empirical, Gaussian, ImagePatches,
                                PatchCloseness, Sphere, make_distribution)
    from .initialization import init_bounds, init_probability, success_probability
    from .moments import cross_moment, loss, population_gradient, second_moment
    from .quantities import L, L_cross, L_neg, beta, curves, gamma, gamma_avg, mu
    from .results import ArrayEstimate, Estimate
    from .sampling import SamplingPlan
    from .validation import InvalidArgument


def __getattr__(name: str) -> Any:
    """A public name (imported from its module on first access) or a submodule (``verify.claims``)."""
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


__version__ = "0.1.0"

__all__ = [
    "AngularMixture", "Degenerate", "DistributionProtocol", "Empirical", "Gaussian", "ImagePatches", "PatchCloseness", "Sphere",
    "make_distribution", "ArrayEstimate", "Estimate", "SamplingPlan", "InvalidArgument", "__version__",
    "second_moment", "cross_moment", "population_gradient", "loss",
    "gamma", "L", "L_neg", "beta", "L_cross", "mu", "gamma_avg", "curves",
    "init_probability", "init_bounds", "success_probability",
    "run_claims", "ClaimsRun", "check_claim", "get_claim", "list_claims",
]

"""convfilter-verify: numerical verification of Du, Lee & Tian (ICLR 2018).

The modules, one idea each:

- :mod:`verify.results`        — estimates that carry their error
- :mod:`verify.distributions`  — input distributions of the patches
- :mod:`verify.sampling`       — Monte Carlo / quasi-Monte Carlo streams and batch-means errors
- :mod:`verify.moments`        — A_{w,w*}, A_{w,−w*}, patch and cross moments, gradient, loss
- :mod:`verify.quadrature`     — deterministic quadrature for axially symmetric laws
- :mod:`verify.quantities`     — γ(φ), L(φ), L_{−w*}(φ), β, L_cross, μ, γ_avg
- :mod:`verify.initialization` — the random-initialization probability of Theorem 3.4
- :mod:`verify.dynamics`, :mod:`verify.images`, :mod:`verify.experiments` — GD/SGD and the §4 experiments
- :mod:`verify.claims`, :mod:`verify.verdicts`, :mod:`verify.claim_context` — the claim registry and its checks
- :mod:`verify.strategies`, :mod:`verify.pytest_plugin` — property testing of your own laws
- :mod:`verify.report`, :mod:`verify.figures` — the HTML report

The estimators and quantities are re-exported here, e.g.::

    >>> import verify
    >>> round(verify.gamma(verify.Gaussian(5), 1.0, method="exact").value, 12)
    0.206920790208
"""
from .distributions import (AngularMixture, Degenerate, Empirical, Gaussian, ImagePatches, PatchCloseness,
                            Sphere, make_distribution)
from .initialization import init_bounds, init_probability, success_probability
from .moments import cross_moment, loss, population_gradient, second_moment
from .quantities import L, L_cross, L_neg, beta, curves, gamma, gamma_avg, mu
from .results import ArrayEstimate, Estimate
from .sampling import SamplingPlan
from .validation import InvalidArgument

__version__ = "0.1.0"

__all__ = [
    "AngularMixture", "Degenerate", "Empirical", "Gaussian", "ImagePatches", "PatchCloseness", "Sphere",
    "make_distribution", "ArrayEstimate", "Estimate", "SamplingPlan", "InvalidArgument", "__version__",
    "second_moment", "cross_moment", "population_gradient", "loss",
    "gamma", "L", "L_neg", "beta", "L_cross", "mu", "gamma_avg", "curves",
    "init_probability", "init_bounds", "success_probability",
]

"""convfilter-verify: numerical verification of Du, Lee & Tian (ICLR 2018).

The modules, one idea each:

- :mod:`verify.results`        — estimates that carry their error
- :mod:`verify.distributions`  — input distributions of the patches
- :mod:`verify.sampling`       — Monte Carlo / quasi-Monte Carlo streams and batch-means errors
- :mod:`verify.moments`        — A_{w,w*}, A_{w,−w*}, patch and cross moments, gradient, loss
- :mod:`verify.quadrature`     — deterministic quadrature for axially symmetric laws
- :mod:`verify.quantities`     — γ(φ), L(φ), L_{−w*}(φ), β, L_cross, μ, γ_avg
- :mod:`verify.initialization` — the random-initialization probability of Theorem 3.4
"""
from .distributions import (AngularMixture, Degenerate, Empirical, Gaussian, ImagePatches, PatchCloseness,
                            Sphere, make_distribution)
from .results import ArrayEstimate, Estimate
from .sampling import SamplingPlan
from .validation import InvalidArgument

__version__ = "0.1.0"

__all__ = [
    "AngularMixture", "Degenerate", "Empirical", "Gaussian", "ImagePatches", "PatchCloseness", "Sphere",
    "make_distribution", "ArrayEstimate", "Estimate", "SamplingPlan", "InvalidArgument", "__version__",
]

"""The registry of the §4 experiments: every experiment function by name (:mod:`verify.experiments`).

Its names are :data:`verify.experiments.names.EXPERIMENT_NAMES` (plain data, what the command line
reads without importing the experiments); :func:`check_names` refuses, when this module is imported,
a names table that differs from the registry.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..validation import InvalidArgument
from .common import ExperimentResult, experiment_settings
from .names import EXPERIMENT_NAMES, MNIST_EXPERIMENTS
from .rates import fig3a, fig3b
from .real_data import SHARING, fig3c, fig3d, fig4, fig5

__all__ = ["EXPERIMENTS", "check_names", "run_experiment"]

#: Every experiment by name.
EXPERIMENTS: dict[str, Callable[..., ExperimentResult]] = {
    "fig3a": fig3a,
    "fig3b": fig3b,
    "fig3c": fig3c,
    "fig3d": fig3d,
    "fig4": fig4,
    "fig5": fig5,
}


def check_names(experiments: Mapping[str, Callable], names: Sequence[str], mnist: Sequence[str]) -> None:
    """Refuse (ValueError naming verify/experiments/names.py) a names table that differs from the registry.

    ``names`` must be the registry's names in its order, ``mnist`` those whose settings read images.

    Examples
    --------
    >>> check_names(EXPERIMENTS, EXPERIMENT_NAMES, ("fig3c",))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: verify/experiments/names.py's MNIST_EXPERIMENTS lists ('fig3c',) but ...
    """
    if tuple(experiments) != tuple(names):
        raise ValueError(f"verify/experiments/names.py's EXPERIMENT_NAMES lists {tuple(names)!r} but "
                         f"verify/experiments/registry.py registers {tuple(experiments)!r}: make the two agree")
    readers = tuple(name for name in experiments if "mnist" in experiment_settings(name, "quick", 0, {}))
    if readers != tuple(mnist):
        raise ValueError(f"verify/experiments/names.py's MNIST_EXPERIMENTS lists {tuple(mnist)!r} but the "
                         f"experiments whose settings read images (--mnist) are {readers!r}: make the two agree")


check_names(EXPERIMENTS, EXPERIMENT_NAMES, MNIST_EXPERIMENTS)


def run_experiment(name: str, profile: str = "default", seed: int = 0, *, shared: dict | None = None,
                   **overrides) -> ExperimentResult:
    """Run one experiment of :data:`EXPERIMENTS` by name.

    ``shared``: a dict the caller keeps across calls, through which Figs. 3c–5 compute their image patches
    and SGD runs once (:mod:`verify.experiments.real_data`); the other experiments share nothing.
    """
    if name not in EXPERIMENTS:
        raise InvalidArgument("experiment", f"unknown experiment {name!r}; choose from {', '.join(EXPERIMENTS)}")
    if name in SHARING:
        overrides["shared"] = shared
    return EXPERIMENTS[name](profile=profile, seed=seed, **overrides)

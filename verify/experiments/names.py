"""The §4 experiments' names and which of them read images: plain data, importable without the numerics.

``verify experiment --help`` lists them, and ``verify experiment`` refuses an unknown name, or
``--mnist`` given to an experiment that reads no images, from them before anything numeric is imported
(issue 21).  :data:`verify.experiments.registry.EXPERIMENTS` holds the functions and refuses, when
imported, a table that differs from it.

Examples
--------
>>> EXPERIMENT_NAMES[:2], "fig3a" in MNIST_EXPERIMENTS
(('fig3a', 'fig3b'), False)
"""
from __future__ import annotations

__all__ = ["EXPERIMENT_NAMES", "MNIST_EXPERIMENTS"]

#: Every experiment's name (``verify experiment NAME``), in the order of the help and the report.
EXPERIMENT_NAMES: tuple[str, ...] = ("fig3a", "fig3b", "fig3c", "fig3d", "fig4", "fig5")
#: The experiments that read images, hence take ``--mnist`` (a setting ``mnist`` in their settings).
MNIST_EXPERIMENTS: tuple[str, ...] = ("fig3c", "fig3d", "fig4", "fig5")

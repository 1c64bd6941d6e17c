"""The built-in laws' command-line names and options: plain data, importable without the numerics.

``verify estimate --help`` lists them; :func:`verify.laws.distributions.make_distribution` builds the
laws from them (docs/claims.md §5).
"""
from __future__ import annotations

__all__ = ["BUILTIN_NAMES", "DISTRIBUTION_OPTIONS"]

#: The options each built-in takes besides ``p`` (command-line spelling uses dashes).
DISTRIBUTION_OPTIONS: dict[str, tuple[str, ...]] = {
    "gaussian": (),
    "sphere": (),
    "mixture": ("sigma",),
    "patches": ("sigma_patch", "k"),
    "image-patches": ("images", "filter_size", "stride"),
    "empirical": ("data",),
    "degenerate": ("rank",),
}
#: The built-in laws' names, in the order the help lists them.
BUILTIN_NAMES = tuple(DISTRIBUTION_OPTIONS)

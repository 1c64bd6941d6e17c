"""What the §4 experiments share: the result record, the settings by profile, the seed streams and the
interval summaries (the statistics are described in :mod:`verify.experiments`)."""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..stats import paired_interval, welch_interval
from ..validation import PROFILE_NAMES, InvalidArgument, check_positive, check_seed
from .profiles import PROFILES

__all__ = [
    "ExperimentResult",
    "SETTINGS",
    "LEVEL",
    "NEAR_ZERO",
    "RECORD_POINTS",
    "experiment_settings",
    "seed_stream",
    "seed_list",
    "neighbour_differences",
    "count_signs",
    "first_step_below",
    "format_interval",
]

LEVEL = 0.95
NEAR_ZERO = math.log(1e-3)
#: Recorded points of a curve when ``record_every`` is None (Figs. 3c–d): each is an exact loss over every
#: digit patch, which costs about 40 SGD steps, so the curves are drawn from ~25 points.
RECORD_POINTS = 25


@dataclass(frozen=True)
class ExperimentResult:
    """What one experiment measured.

    Attributes
    ----------
    name : str
        ``"fig3a"`` … ``"fig5"``.
    claim : str
        The claim id whose check reads it (docs/claims.md §4).
    title : str
    parameters : dict
        Every setting used (profile, seed, filter size, stride, step, batch,
        iterations, seeds, …).
    series : dict
        The figure's data as plain lists (JSON-ready; NaN/±inf as ``None``).
    finding : str
        One line: what was measured, with the numbers (no verdict: the claim
        check judges).
    runtime_s : float
        Wall-clock seconds.
    """

    name: str
    claim: str
    title: str
    parameters: dict
    series: dict = field(repr=False)
    finding: str
    runtime_s: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "claim": self.claim, "title": self.title, "parameters": self.parameters,
                "series": self.series, "finding": self.finding, "runtime_s": self.runtime_s}


# ---------------------------------------------------------------------------
# Settings by profile
# ---------------------------------------------------------------------------

_RATE_COMMON = {"p": 2, "init": (0.6, 0.6), "eta": 1.0, "batch": 16, "record_every": 5, "floor": 1e-10,
                "n_eval": 2000, "level": LEVEL}
_REAL_COMMON = {"filter_size": 5, "stride": 1, "alphas": (0.25, 0.5, 0.75), "eta": 0.5, "batch": 32,
                "mnist": None, "mnist_limit": 2000,
                "record_every": None,
                "near_zero": NEAR_ZERO, "level": LEVEL}

#: Settings of each experiment under each profile (overridable by keyword); the sizes that grow with the
#: profile (iterations, seeds) are its :class:`~verify.experiments.profiles.Profile`'s ``rates`` and ``real``.
SETTINGS: dict[str, dict[str, dict[str, Any]]] = {
    "fig3a": {name: {**_RATE_COMMON, "sigmas": (0.25, 0.5, 1.0, 2.0), **PROFILES[name].rates}
              for name in PROFILE_NAMES},
    "fig3b": {name: {**_RATE_COMMON, "k": 4, "sigma_patch_squared": (0.01, 0.1, 0.5, 1.0), **PROFILES[name].rates}
              for name in PROFILE_NAMES},
    # More teachers, fewer steps (docs/claims.md §4, claim 20): the claim's comparisons are t-intervals over
    # the teachers, so their width falls with the teachers (1/√n, and the t quantile on n − 1 dof); the loss
    # keeps falling slowly (no plateau), and 7500 steps leave the mean over the starts well below ln 10⁻³.
    "real": {name: {**_REAL_COMMON, **PROFILES[name].real} for name in PROFILE_NAMES},
}
SETTINGS["fig5"] = {name: {**s, "points": 20, "controls": 20} for name, s in SETTINGS["real"].items()}
for _name in ("fig3c", "fig3d", "fig4"):
    SETTINGS[_name] = SETTINGS["real"]


def experiment_settings(name: str, profile: str, seed, overrides: dict[str, Any]) -> dict[str, Any]:
    """The checked settings of experiment ``name``: its :data:`SETTINGS` under ``profile`` with ``overrides``.

    Adds ``profile`` and ``seed``; lists of numbers become tuples of floats,
    and ``record_every=None`` becomes about :data:`RECORD_POINTS` recorded points.  An unknown
    profile or setting, a missing seed or an out-of-range value is an
    :class:`~verify.validation.InvalidArgument`.

    Examples
    --------
    >>> s = experiment_settings("fig3a", "quick", 0, {"seeds": 2})
    >>> s["profile"], s["seed"], s["seeds"], s["sigmas"]
    ('quick', 0, 2, (0.25, 0.5, 1.0, 2.0))
    """
    if profile not in PROFILE_NAMES:
        raise InvalidArgument("profile", f"must be one of {', '.join(PROFILE_NAMES)}, got {profile!r}")
    seed = check_seed(seed)
    if seed is None:
        raise InvalidArgument("seed", "experiments need an integer seed (they must be repeatable)")
    base = SETTINGS[name][profile]
    for key in overrides:
        if key not in base:
            raise InvalidArgument(key, f"{name} has no setting {key!r} (it has {', '.join(sorted(base))})")
    s = {**base, **overrides}
    for key in ("iterations", "seeds", "batch", "record_every"):
        if key in s and s[key] is not None and (isinstance(s[key], bool) or not isinstance(s[key], (int, np.integer)) or s[key] < 1):
            raise InvalidArgument(key, f"must be a positive integer, got {s[key]!r}")
    for key in ("eta", "floor", "n_eval", "points", "controls", "p", "k", "filter_size",
                "stride"):
        if key in s:
            check_positive(s[key], key)
    if not 0 < float(s["level"]) < 1:
        raise InvalidArgument("level", f"must lie in (0, 1), got {s['level']!r}")
    for key in ("sigmas", "sigma_patch_squared", "alphas", "init"):
        if key in s:
            values = np.atleast_1d(np.asarray(s[key], dtype=float)) if _numeric(s[key]) else np.array([])
            if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)) or \
                    (key != "init" and np.any(values <= 0)):
                raise InvalidArgument(key, f"must be a non-empty list of {'finite' if key == 'init' else 'positive'} "
                                           f"numbers, got {s[key]!r}")
            s[key] = tuple(float(v) for v in values)
    if s.get("record_every", 0) is None:
        s["record_every"] = max(1, s["iterations"] // RECORD_POINTS)
    return {"profile": profile, "seed": seed, **s}


def _numeric(value) -> bool:
    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


def seed_stream(seed: int, *tags) -> np.random.SeedSequence:
    """An independent seed sequence per (seed, tag …): tags are strings (by CRC-32) or ints.

    Examples
    --------
    >>> seed_stream(0, "fig3a", 1).entropy == seed_stream(0, "fig3a", 1).entropy
    True
    """
    words = [seed] + [zlib.crc32(t.encode()) if isinstance(t, str) else int(t) for t in tags]
    return np.random.SeedSequence(words)


def seed_list(seed: int, count: int, *tags) -> list[int]:
    """``count`` integer seeds from :func:`seed_stream` (seed, tag …), e.g. one per SGD run.

    Examples
    --------
    >>> len(seed_list(0, 3, "fig3a", 0)), seed_list(0, 3, "x") == seed_list(0, 3, "x")
    (3, True)
    """
    return [int(x) for x in seed_stream(seed, *tags).generate_state(count)]


# ---------------------------------------------------------------------------
# Interval summaries shared by the figures
# ---------------------------------------------------------------------------

def neighbour_differences(groups: list[np.ndarray], level: float, paired: bool = False) -> list[tuple]:
    """Intervals for mean(groups[i+1]) − mean(groups[i]) at the Bonferroni level 1 − (1 − level)/m.

    Neighbouring pairs only (m = len(groups) − 1), so that all m intervals
    hold together with probability ≥ ``level`` (docs/claims.md §4, claims
    18–20): Welch intervals for independent groups, t-intervals of the
    differences for paired ones (the same seed, i.e. the same teacher, in
    every group).

    Returns
    -------
    list of (difference, low, high)

    Examples
    --------
    >>> [round(v, 4) for v in neighbour_differences([[1.0, 1.1, 0.9], [2.0, 2.1, 1.9]], 0.95)[0]]
    [1.0, 0.7733, 1.2267]
    """
    m = len(groups) - 1
    if m < 1:
        return []
    pair_level = 1 - (1 - level) / m
    interval = paired_interval if paired else welch_interval
    return [interval(groups[i], groups[i + 1], pair_level) for i in range(m)]


def count_signs(diffs: list[tuple]) -> str:
    """How many of the intervals (d, lo, hi) lie above 0, below 0, or contain 0, in words.

    Examples
    --------
    >>> count_signs([(1.0, 0.5, 1.5), (0.1, -0.2, 0.4)])
    '1 of 2 above 0, 0 below 0, 1 containing 0'
    """
    above = sum(1 for _, lo, _ in diffs if lo > 0)
    below = sum(1 for _, _, hi in diffs if hi < 0)
    return f"{above} of {len(diffs)} above 0, {below} below 0, {len(diffs) - above - below} containing 0"


def first_step_below(steps: np.ndarray, values: np.ndarray, level: float) -> list:
    """Per row of ``values`` (R, M), the first recorded step whose value is ≤ ``level`` (None if never).

    Examples
    --------
    >>> import numpy as np
    >>> first_step_below(np.array([0, 5, 10]), np.array([[1.0, 0.1, 0.01], [1.0, 1.0, 1.0]]), 0.1)
    [5, None]
    """
    out = []
    for row in values:
        hit = np.flatnonzero(np.nan_to_num(row, nan=np.inf) <= level)
        out.append(int(steps[hit[0]]) if hit.size else None)
    return out


def format_interval(mean, lo, hi, digits=3) -> str:
    """``mean [lo, hi]`` to ``digits`` significant digits, or a note when one seed gives no interval.

    Examples
    --------
    >>> format_interval(0.123456, 0.1, 0.15), format_interval(1.0, -math.inf, math.inf)
    ('0.123 [0.1, 0.15]', '1 (one seed: no interval)')
    """
    if not math.isfinite(lo):
        return f"{mean:.{digits}g} (one seed: no interval)"
    return f"{mean:.{digits}g} [{lo:.{digits}g}, {hi:.{digits}g}]"

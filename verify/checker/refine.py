"""The adversary's second stage: local refinement of the worst instances with scipy.optimize.

A search (:mod:`verify.checker.search`) draws instances with Hypothesis and
steers its targeting phase toward small margins.  Where the search declares a
:class:`Refinement`, :func:`refine_search` then starts a derivative-free local
optimizer (Nelder–Mead, :func:`scipy.optimize.minimize`) from

* the ``starts`` instances of smallest margin the search found;
* for one-neuron laws in p = 2, the worst instance's (w*, w) with its law
  replaced by a member of each parametric family of :mod:`verify.laws.families`
  (anisotropic Gaussians, Student-t, Gaussian mixtures: seeded finite laws);
* for finite laws, the worst one with the atom nearest w*⊥, and the one nearest
  w⊥, moved next to that line (where the indicator regions change);

and minimizes the margin of the search's reading over the instance's
continuous coordinates (:class:`Coordinates`: the student w, the step fraction,
a radius, the atoms of a finite law nearest the two boundary lines, a family's
parameters).  Every point the optimizer evaluates is an instance checked by the
claim's own check and counted like any other (docs/claims.md §7): a refined
instance that contradicts the search's expectation is its failure.

Which way it errs: a local optimizer finds a local minimum of the margin, so
the closest call it reports is an *upper bound* on the smallest margin over the
instance space — it can show that a claim is close to breaking, never that it
is far from it.  Only searches whose checks are exact (no share of the
false-alarm budget) are refined: the minimum of many noisy margins would be
biased toward violation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import optimize

from ..laws.builtin import Empirical
from ..laws.distributions import finite_support
from ..interrupts import raise_pending
from ..laws.families import FAMILIES, family_noise
from ..validation import InvalidArgument
from .claim import Claim, Search, contradicts, search_seed
from .context import ConstantsCache
from .result import CheckResult, reading_margin

__all__ = ["PENALTY", "Coordinates", "Refinement", "RefinementRecord", "boundary_atoms", "boundary_rows", "chart",
           "radius", "refine_search", "refinement_seed", "step_fraction", "student"]

#: The objective's value where the check has no finite margin (outside the hypotheses, or no comparison).
PENALTY = 1e6


@dataclass(frozen=True)
class Coordinates:
    """A chart of an instance's continuous parameters: ``encode`` to a vector, ``decode`` back.

    ``encode(instance)`` returns an array of shape (d,) (d = 0 when the instance
    lacks the parameter); ``decode(instance, x)`` returns the keys to change, as
    a dict, for the instance moved to ``x`` (projected into the parameter's
    domain).  Both read the *starting* instance, so a chart is fixed for one
    local search.
    """

    name: str
    encode: Callable[[dict], np.ndarray]
    decode: Callable[[dict, np.ndarray], dict]

    def at(self, instance: dict, x: np.ndarray) -> dict:
        """The instance moved to ``x``."""
        return {**instance, **self.decode(instance, np.asarray(x, dtype=float))}


def student() -> Coordinates:
    """The student filter ``w`` (p coordinates)."""
    return Coordinates(
        "w",
        lambda inst: np.asarray(inst["w"], dtype=float).ravel() if inst.get("w") is not None else np.empty(0),
        lambda inst, x: {"w": np.array(x, dtype=float)} if x.size else {},
    )


def step_fraction(key: str = "eta_fraction") -> Coordinates:
    """A step size as a fraction of its bound, kept in [10⁻⁶, 1] (one coordinate)."""
    return Coordinates(
        key,
        lambda inst: np.array([float(inst[key])]) if key in inst else np.empty(0),
        lambda inst, x: {key: float(np.clip(x[0], 1e-6, 1.0))} if x.size else {},
    )


def radius(key: str, cap: Callable[[int], float]) -> Coordinates:
    """A radius ``key`` in (0, cap(p)], as its fraction of the cap (one coordinate; p is the instance's)."""
    def encode(inst: dict) -> np.ndarray:
        return np.array([float(inst[key]) / cap(int(inst["p"]))]) if key in inst else np.empty(0)

    def decode(inst: dict, x: np.ndarray) -> dict:
        return {key: float(np.clip(x[0], 1e-12, 1.0)) * cap(int(inst["p"]))} if x.size else {}

    return Coordinates(key, encode, decode)


def chart(*parts: Coordinates) -> Coordinates:
    """Several charts side by side: the coordinates concatenated in order."""
    def encode(inst: dict) -> np.ndarray:
        return np.concatenate([np.empty(0), *(part.encode(inst) for part in parts)])

    def decode(inst: dict, x: np.ndarray) -> dict:
        changes, at = {}, 0
        for part in parts:
            d = part.encode(inst).size
            changes.update(part.decode(inst, x[at:at + d]))
            at += d
        return changes

    return Coordinates("+".join(p.name for p in parts if p.name) or "none", encode, decode)


def boundary_rows(atoms: np.ndarray, lines: Sequence[np.ndarray], per_line: int) -> np.ndarray:
    """Indices of the atom rows of an (n, k, p) array nearest each line's orthogonal hyperplane.

    For a unit vector u, a row's distance to u⊥ is the smallest |u·z|/‖z‖ over
    its patches z (the sine of the angle to the hyperplane); the ``per_line``
    rows of smallest distance are taken for each u in turn, without repeats.
    """
    norms = np.maximum(np.linalg.norm(atoms, axis=-1), 1e-300)
    chosen: list[int] = []
    for u in lines:
        order = np.argsort(np.min(np.abs(atoms @ u) / norms, axis=1), kind="stable")
        chosen += [int(i) for i in order if int(i) not in chosen][:per_line]
    return np.array(chosen, dtype=int)


def boundary_atoms(per_line: int = 2) -> Coordinates:
    """The atoms of a finite law nearest w*⊥ and w⊥ (``per_line`` rows each; k·p coordinates per row).

    Only these move: the indicator regions of the one-neuron quantities change
    where an atom crosses w*⊥ or w⊥, and a handful of coordinates keeps the
    local search cheap.  d = 0 for a law that is not finite.
    """
    def rows(inst: dict) -> tuple[np.ndarray | None, np.ndarray]:
        atoms = finite_support(inst.get("dist"))
        if atoms is None or inst.get("w_star") is None:
            return None, np.empty(0, dtype=int)
        lines = [np.asarray(inst[key], dtype=float) for key in ("w_star", "w") if inst.get(key) is not None]
        lines = [u / np.linalg.norm(u) for u in lines if np.linalg.norm(u) > 0]
        return atoms, boundary_rows(atoms, lines, per_line)

    def encode(inst: dict) -> np.ndarray:
        atoms, idx = rows(inst)
        return np.empty(0) if atoms is None else atoms[idx].ravel()

    def decode(inst: dict, x: np.ndarray) -> dict:
        atoms, idx = rows(inst)
        if atoms is None or not x.size:
            return {}
        moved = atoms.copy()
        moved[idx] = x.reshape(moved[idx].shape)
        return {"dist": Empirical(moved, source=f"a finite law of {len(moved)} atoms, {len(idx)} moved by the "
                                                "adversary")}

    return Coordinates("atoms-near-boundaries", encode, decode)


@dataclass(frozen=True)
class Refinement:
    """How a search's worst instances are refined (module doc).

    Attributes
    ----------
    coordinates : Coordinates
        The chart the optimizer moves in (the law's own parameters are added
        for family and boundary starts).
    starts : int
        Worst instances of the search to start from.
    evaluations : int
        Checks per start in the ``default`` profile (scaled by the profile, at
        least 10·(d + 1) so that Nelder–Mead gets past its first simplex).
    families : bool
        Also start from each family of :mod:`verify.laws.families` with the worst
        instance's w*, w (one-neuron instances in p = 2 only).
    boundary : bool
        Also start from the worst finite law with its atom nearest w*⊥ (and the
        one nearest w⊥) moved next to that line.
    """

    coordinates: Coordinates
    starts: int = 2
    evaluations: int = 80
    families: bool = False
    boundary: bool = False

    def __post_init__(self) -> None:
        if self.starts < 1 or self.evaluations < 1:
            raise ValueError("a refinement needs at least one start and one evaluation")


@dataclass
class RefinementRecord:
    """What the refinement of one search did: per start, the margin before and after, and the checks spent."""

    starts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def evaluations(self) -> int:
        return sum(s["evaluations"] for s in self.starts)

    def to_dict(self) -> dict[str, Any]:
        return {"method": "Nelder-Mead (scipy.optimize.minimize), from the worst instances",
                "evaluations": self.evaluations, "starts": self.starts}


class _Found(Exception):
    """Stops the optimizer at the first instance that contradicts the search's expectation."""


def _near_line(instance: dict, key: str) -> dict | None:
    """The instance with its finite law's atom row nearest ``key``⊥ moved next to it (relative offset 10⁻³)."""
    atoms = finite_support(instance.get("dist"))
    if atoms is None or instance.get(key) is None or not np.linalg.norm(instance[key]) > 0:
        return None
    u = np.asarray(instance[key], dtype=float)
    u = u / np.linalg.norm(u)
    (i,) = boundary_rows(atoms, [u], 1)
    moved = atoms.copy()
    along = moved[i] @ u                                           # (k,): each patch's component along u
    side = np.where(along < 0, -1.0, 1.0)                          # stay on the patch's side of u⊥
    target = 1e-3 * side * np.linalg.norm(moved[i], axis=-1)       # next to u⊥, not on it (β = ∞ there)
    moved[i] = moved[i] + (target - along)[:, None] * u
    return {**instance, "dist": Empirical(moved, source=f"a finite law with an atom next to {key}⊥")}


def _planar_one_neuron(instance: dict, finite: bool = False) -> bool:
    """Whether the instance has a one-neuron law in p = 2 and a teacher (and, with ``finite``, finite support)."""
    dist = instance.get("dist")
    if dist is None or getattr(dist, "p", None) != 2 or getattr(dist, "k", None) != 1:
        return False
    return instance.get("w_star") is not None and (not finite or finite_support(dist) is not None)


def _family_chart(family: Any, noise: np.ndarray) -> Coordinates:
    """A family's parameters as a chart: the law of the instance becomes the family's member at x."""
    return Coordinates(family.name, lambda inst: np.array(family.start, dtype=float),
                       lambda inst, x: {"dist": family.law(x, noise)})


def _margin(result: CheckResult, reading: str) -> float:
    """The objective: the reading's smallest margin, :data:`PENALTY` outside the hypotheses or without one."""
    if result.in_hypothesis is False:
        return PENALTY
    m = reading_margin(result, reading)
    return m if math.isfinite(m) else PENALTY


def _reported(margin: float) -> float | None:
    return None if margin >= PENALTY else float(margin)


def refinement_seed(claim_id: str, search_name: str, seed: int) -> int:
    """The seed of a search's family draws: :func:`~verify.checker.search.search_seed` of "<search>/refine"."""
    return search_seed(claim_id, f"{search_name}/refine", seed)


def refine_search(
    claim: Claim,
    search: Search,
    drawn: Sequence[tuple[dict, CheckResult]],
    *,
    scale: float,
    seed: int,
    alpha: float | None,
    cache: ConstantsCache,
) -> tuple[list[CheckResult], CheckResult | None, RefinementRecord]:
    """Refine a search's worst instances; return the checked instances, the contradicting one, the record.

    Parameters
    ----------
    claim, search : Claim, Search
        ``search.refine`` is the :class:`Refinement`.
    drawn : sequence of (instance dict, CheckResult)
        What the Hypothesis stage checked.
    scale : float
        The profile's scale of the evaluation budget.
    seed : int
        The run's seed (:func:`refinement_seed`).
    alpha : float or None
        Passed to the check as the search passes it.
    cache : ConstantsCache
    """
    spec: Refinement = search.refine
    reading = search.reading or claim.primary
    record = RefinementRecord()
    results: list[CheckResult] = []
    counted = [(inst, r) for inst, r in drawn if _margin(r, reading) < PENALTY]
    if not counted:
        return results, None, record
    counted.sort(key=lambda ir: _margin(ir[1], reading))
    moving = chart(spec.coordinates, boundary_atoms()) if spec.boundary else spec.coordinates
    starts = [(f"worst instance {rank + 1}", inst, moving) for rank, (inst, _) in enumerate(counted[: spec.starts])]
    if spec.boundary:
        finite = next((inst for inst, _ in counted if _planar_one_neuron(inst, finite=True)), None)
        for key in ("w_star", "w") if finite is not None else ():
            moved = _near_line(finite, key)
            if moved is not None:
                starts.append((f"worst finite law, an atom next to {key}⊥", moved, moving))
    planar = next((inst for inst, _ in counted if _planar_one_neuron(inst)), None)
    if spec.families and planar is not None:
        noise = family_noise(refinement_seed(claim.id, search.name, seed))
        for family in FAMILIES.values():
            law = _family_chart(family, noise)
            starts.append((f"family {family.name}", law.at(planar, np.array(family.start)),
                           chart(law, spec.coordinates)))

    failure: CheckResult | None = None
    for label, start, coords in starts:
        x0 = coords.encode(start)
        if not x0.size:
            continue                 # nothing to move: the instance was checked by the search already
        budget = max(round(spec.evaluations * scale), 10 * (x0.size + 1))
        checked = len(results)
        failure = _local_search(claim, search, start, coords, x0, budget, reading=reading, alpha=alpha, cache=cache,
                                results=results)
        margins = [_margin(r, reading) for r in results[checked:]]
        record.starts.append({"start": label, "coordinates": coords.name, "dimension": int(x0.size),
                              "margin_before": _reported(margins[0] if margins else PENALTY),
                              "margin_after": _reported(min(margins, default=PENALTY)),
                              "evaluations": len(margins)})
        if failure is not None:
            break
    return results, failure, record


def _local_search(claim: Claim, search: Search, start: dict, coords: Coordinates, x0: np.ndarray, budget: int, *,
                  reading: str, alpha: float | None, cache: ConstantsCache,
                  results: list[CheckResult]) -> CheckResult | None:
    """Nelder–Mead on the margin of ``reading`` from ``x0``: every check appended to ``results``; returns the
    first result that contradicts the search's expectation (the search stops there), else None."""
    found: list[CheckResult] = []

    def objective(x: np.ndarray) -> float:
        raise_pending()          # a safe point for a recorded signal (verify.interrupts)
        try:
            result = claim.check(coords.at(start, x), alpha=alpha, cache=cache)
        except InvalidArgument:
            return PENALTY           # the optimizer left the parameters' domain (a zero filter, say)
        results.append(result)
        if contradicts(claim, search, result):
            found.append(result)
            raise _Found
        return _margin(result, reading)

    try:
        objective(x0)
        optimize.minimize(objective, x0, method="Nelder-Mead",
                          options={"maxfev": budget - 1, "xatol": 1e-12, "fatol": 1e-14, "adaptive": x0.size > 4})
    except _Found:
        return found[0]
    return None

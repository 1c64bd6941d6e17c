"""Input distributions of the patches Z = [Z_1 … Z_k] (docs/claims.md §1, §5).

A distribution is any object following :class:`DistributionProtocol`:

``p`` : int
    patch (filter) size;
``k`` : int
    number of patches (1 for the one-neuron model of §2);
``sample(n, rng) -> ndarray (n, k, p)``
    ``n`` independent draws, using only the ``numpy.random.Generator`` given;

and, optionally, exact knowledge that the deterministic methods use:

``symmetry`` : ``"rotational"``, ``"axial"`` or ``None``
    ``"rotational"``: the law of Z is invariant under all rotations, so every
    direction set {w : θ(w, w*) = φ} is one orbit;  ``"axial"``: invariant under
    the rotations (and the reflections) that fix ``axis``, which is then the
    teacher direction u* the law is built around;
``axis`` : ndarray (p,)
    the preferred teacher direction u* (``e_1`` for the built-ins);
``second_radial_moment`` : float
    E‖Z‖² for a law Z = R·U with R independent of the direction U;
    with ``symmetry = "rotational"`` and k = 1 this alone selects the exact
    closed forms (moments, gradient, loss, population GD) everywhere;
``first_radial_moment`` : float
    E‖Z‖ of such a law (only the mean label E σ(w*·Z) of the relative loss
    needs it; without it that one number is estimated from a seeded sample);
``rank`` and ``subspace_second_radial_moment``
    the law lives on the span of the first ``rank`` coordinates and is
    rotationally invariant there with E‖Z‖² = ``subspace_second_radial_moment``
    (a degenerate law: the closed forms apply on that block);
``polar_angle_pdf(theta) -> ndarray``
    density on [0, π] of θ(Z, axis) for an axially symmetric k = 1 law of
    the form Z = R (cos θ u* + sin θ v), v uniform on the sphere ⟂ u*;
``polar_angle_breakpoints`` : tuple of float
    where that density is not smooth (for quadrature; optional even then: none when absent);
``uniform_dimension`` / ``from_uniform(u) -> (n, k, p)``
    an inverse-transform map from the unit cube, for quasi-Monte Carlo;
``support() -> ndarray (m, k, p)``
    for a finite (empirical) law, its atoms, each of mass 1/m: expectations
    over it are exact sums.

The built-in laws (:class:`Gaussian`, :class:`Sphere`, :class:`AngularMixture`,
:class:`PatchCloseness`, :class:`Empirical`, :class:`ImagePatches`,
:class:`Degenerate`) live in :mod:`verify.laws.builtin` and are re-exported here.
:func:`make_distribution` builds them by name; ``module:callable`` names a
user's own.  Behaviour is chosen from these attributes only (never
from the class or a name): :func:`exact_kind`, :func:`rotational_scale`,
:func:`finite_support` and :func:`symmetric_about` read them.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from typing import Any, Callable, Protocol, runtime_checkable

import numpy as np

from .builtin import (
    AngularMixture,
    Degenerate,
    Distribution,
    Empirical,
    Gaussian,
    ImagePatches,
    PatchCloseness,
    Sphere,
)
from .names import BUILTIN_NAMES, DISTRIBUTION_OPTIONS
from .readers import open_npy
from ..interrupts import pending
from ..validation import InvalidArgument

__all__ = ["describe_law", "DistributionProtocol", "exact_kind", "rotational_scale", "quadrature_available",
           "check_method", "finite_support",
           "symmetric_about", "make_distribution", "load_npy", "UserLaw"]


@runtime_checkable
class DistributionProtocol(Protocol):
    """The contract of an input distribution (docs/claims.md §1, §5); see the module doc.

    Required: ``p`` (patch size), ``k`` (patches per draw) and
    ``sample(n, rng) -> ndarray (n, k, p)``.  Optional, read with ``getattr``:
    ``symmetry`` ("rotational" | "axial" | None), ``axis`` (p,),
    ``second_radial_moment``, ``first_radial_moment``, ``rank`` with
    ``subspace_second_radial_moment``, ``polar_angle_pdf(theta)``,
    ``polar_angle_breakpoints``, ``uniform_dimension`` with
    ``from_uniform(u) -> (n, k, p)``, and ``support() -> (m, k, p) | None``.

    Examples
    --------
    >>> isinstance(Gaussian(3), DistributionProtocol)
    True
    """

    p: int
    k: int

    def sample(self, n: int, rng: Any) -> np.ndarray:
        """``n`` independent draws, shape (n, k, p), using only ``rng``."""
        ...


def finite_support(dist: Any) -> np.ndarray | None:
    """The atoms (m, k, p) of a finite law (``support()`` not None), else None.

    Examples
    --------
    >>> finite_support(Gaussian(2)) is None
    True
    """
    support = getattr(dist, "support", None)
    return None if not callable(support) else support()


def describe_law(dist: Any) -> dict[str, Any]:
    """A law's description: its ``describe()``, else its name (attribute or class), p and k.

    Examples
    --------
    >>> class Mine:
    ...     p, k = 3, 1
    ...     def sample(self, n, rng): ...
    >>> describe_law(Mine())
    {'name': 'Mine', 'p': 3, 'k': 1}
    """
    describe = getattr(dist, "describe", None)
    if callable(describe):
        return dict(describe())
    return {"name": getattr(dist, "name", type(dist).__name__), "p": int(dist.p), "k": int(dist.k)}


def exact_kind(dist: Any) -> str | None:
    """Which exact route a law's attributes allow: "rotational", "degenerate", "finite" or None.

    * ``"rotational"``: k = 1, ``symmetry == "rotational"`` and a known
      ``second_radial_moment`` (closed forms of docs/claims.md §6 times E‖Z‖²/p);
    * ``"degenerate"``: k = 1 and ``rank`` with ``subspace_second_radial_moment``
      (the same closed forms on the first ``rank`` coordinates);
    * ``"finite"``: ``support()`` returns atoms (exact sums);
    * None: only quadrature or sampling.

    Examples
    --------
    >>> exact_kind(Gaussian(3)), exact_kind(Degenerate(3, rank=1)), exact_kind(AngularMixture(2))
    ('rotational', 'degenerate', None)
    """
    if getattr(dist, "k", 1) == 1 and getattr(dist, "symmetry", None) == "rotational" \
            and getattr(dist, "second_radial_moment", None) is not None:
        return "rotational"
    if getattr(dist, "k", 1) == 1 and getattr(dist, "rank", None) is not None \
            and getattr(dist, "subspace_second_radial_moment", None) is not None:
        return "degenerate"
    if finite_support(dist) is not None:
        return "finite"
    return None


def rotational_scale(dist: Any) -> float:
    """E‖Z‖²/p (per coordinate of the rotational block): the factor on every N(0, I) closed form.

    Examples
    --------
    >>> rotational_scale(Sphere(4))
    0.25
    """
    if exact_kind(dist) == "degenerate":
        return dist.subspace_second_radial_moment / dist.rank
    return dist.second_radial_moment / dist.p


def quadrature_available(dist) -> bool:
    """True for k = 1 laws that are rotational or axial (with an ``axis``) and expose ``polar_angle_pdf`` and
    ``second_radial_moment``; ``polar_angle_breakpoints`` is optional
    (:func:`verify.estimators.quadrature.polar_breakpoints`).

    Examples
    --------
    >>> class Mine:
    ...     p, k, symmetry, axis, second_radial_moment = 3, 1, "axial", np.eye(3)[0], 3.0
    ...     def polar_angle_pdf(self, theta): return np.sin(theta) / 2
    >>> quadrature_available(Mine())
    True
    """
    symmetry = getattr(dist, "symmetry", None)
    return (getattr(dist, "k", None) == 1 and symmetry in ("rotational", "axial")
            and (symmetry == "rotational" or getattr(dist, "axis", None) is not None)
            and callable(getattr(dist, "polar_angle_pdf", None))
            and getattr(dist, "second_radial_moment", None) is not None)


def check_method(dist: DistributionProtocol, method: str) -> None:
    """Raise InvalidArgument unless ``method`` is one of exact/quad/mc/qmc and available for ``dist`` (read from
    its attributes only: the command line checks it before importing the estimators).

    Examples
    --------
    >>> check_method(AngularMixture(3), "quad")
    >>> check_method(PatchCloseness(3), "quad")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: method: quad is not available for distribution 'patches' (it needs a k = 1 axially symmetric law with a polar-angle density)
    """
    if method == "exact" and exact_kind(dist) is None:
        raise InvalidArgument("method", f"exact is not available for distribution {getattr(dist, 'name', dist)!r}")
    if method == "quad" and not quadrature_available(dist):
        raise InvalidArgument("method", f"quad is not available for distribution {getattr(dist, 'name', dist)!r} "
                                        "(it needs a k = 1 axially symmetric law with a polar-angle density)")
    if method not in ("exact", "quad", "mc", "qmc"):
        raise InvalidArgument("method", f"must be exact, quad, mc or qmc, got {method!r}")


def symmetric_about(dist: Any, u: np.ndarray) -> bool:
    """True when the law's spectrum is the same for every v ⟂ u: rotational, or axial about ±u.

    Examples
    --------
    >>> symmetric_about(AngularMixture(3), np.array([0.0, 1.0, 0.0]))
    False
    """
    sym = getattr(dist, "symmetry", None)
    if sym == "rotational":
        return True
    axis = getattr(dist, "axis", None)
    return sym == "axial" and axis is not None and abs(abs(float(np.asarray(axis) @ u)) - 1.0) < 1e-12


# ---------------------------------------------------------------------------
# Construction by name (the command line's --dist)
# ---------------------------------------------------------------------------

#: The names and options of the built-ins: :mod:`verify.laws.names` (importable without the numerics).


def load_npy(path, argument: str) -> np.ndarray:
    """Read a ``.npy`` file of real numbers through :func:`verify.laws.readers.open_npy`, values checked.

    Refused, each as one InvalidArgument naming ``argument``: a missing file, a directory, a FIFO or
    device (never opened: it would block), anything but one ``.npy`` array (``.npz`` archives,
    pickles, text, an empty file, a damaged or truncated header), arrays that are not real numbers
    (complex — whose imaginary part would be silently dropped —, object, strings, dates), an empty
    shape, and values that are not finite, larger than :data:`verify.laws.readers.MAX_ABS`, or all equal.

    Returns
    -------
    ndarray
        The file's array in memory, native byte order.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "z.npy")
    >>> np.save(path, np.ones((2, 3)) * 1j)
    >>> load_npy(path, "--data")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: --data: ... holds complex numbers (complex128); give real numbers ...
    """
    return open_npy(path, argument).load()


def _import_from_working_directory(module_name: str) -> Any:
    """Import ``module_name`` from the Python path, else from the current directory.

    The ``verify`` console script does not put the working directory on the
    path (``python -m`` does); a user's ``my_laws.py`` beside them is what
    ``--dist my_laws:laplace`` means, so the directory is tried, then removed
    from the path again.
    """
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name != module_name.partition(".")[0] or os.getcwd() in sys.path:
            raise
    sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(module_name)
    finally:
        sys.path.remove(os.getcwd())


def _why(err: BaseException) -> str:
    """``Type: message`` of an exception, on one line and not too long."""
    text = " ".join(str(err).split())
    if isinstance(err, SystemExit):
        text = f"exit status {err.code}"
    text = text if len(text) <= 160 else text[:157] + "..."
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


@contextlib.contextmanager
def users_code() -> Iterator[None]:
    """Run a user's code (their law's module, factory and methods): what it prints goes to stderr, never into
    ``--json`` on stdout, and a ``KeyboardInterrupt`` it raises itself (no SIGINT arrived) is its error — a
    ``RuntimeError`` that the caller reports as the law's — not an interruption of the run.

    Examples
    --------
    >>> import contextlib, io
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out), users_code():
    ...     print("a user's debugging line")
    >>> out.getvalue()
    ''
    """
    with contextlib.redirect_stdout(sys.stderr):
        try:
            yield
        except KeyboardInterrupt as err:
            if pending() is not None:     # a real SIGINT, recorded by the command line's handler
                raise
            raise RuntimeError("KeyboardInterrupt raised by the law's own code (no SIGINT arrived)") from err


def _load_user_factory(spec: str) -> Callable[..., Any]:
    """The callable ``module:callable`` names; every failure is one InvalidArgument naming ``dist``."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise InvalidArgument("dist", f"unknown distribution {spec!r}; choose from {', '.join(BUILTIN_NAMES)}, "
                                      "or module:callable")
    try:
        with users_code():
            module = _import_from_working_directory(module_name)
    except ModuleNotFoundError as err:
        if err.name == module_name.partition(".")[0]:
            raise InvalidArgument("dist", f"{spec!r}: no module named {module_name!r} on the Python path or in "
                                          "the current directory") from err
        raise InvalidArgument("dist", f"{spec!r}: importing module {module_name!r} failed ({_why(err)})") from err
    except (Exception, SystemExit) as err:
        raise InvalidArgument("dist", f"{spec!r}: importing module {module_name!r} failed ({_why(err)})") from err
    try:
        factory = getattr(module, attr)
    except AttributeError:
        raise InvalidArgument("dist", f"{spec!r}: module {module_name!r} has no attribute {attr!r}") from None
    if not callable(factory):
        raise InvalidArgument("dist", f"{spec!r}: {attr!r} is a {type(factory).__name__}, not a callable that "
                                      "returns a distribution")
    return factory


class UserLaw:
    """A user's law (``--dist module:callable``), checked once and watched on every call.

    Construction checks ``p`` (an integer ≥ 2, equal to the ``p`` asked for),
    ``k`` (an integer ≥ 1), a callable ``sample``, and one first sample
    ``sample(2, numpy.random.default_rng(0))``: shape (2, k, p), real numbers,
    finite.  Afterwards every ``sample``, ``from_uniform`` and ``support``
    result is checked the same way, and every exception the user's code
    raises becomes :class:`~verify.validation.InvalidArgument` naming ``dist``
    and the law (its cause kept, for ``verify --debug``).  Every other
    attribute is the user's own (read through).

    Examples
    --------
    >>> class Cube:
    ...     p, k = 3, 1
    ...     def sample(self, n, rng):
    ...         return rng.uniform(-1, 1, size=(n, 1, 3))
    >>> law = UserLaw(Cube(), "my:cube")
    >>> law.sample(4, np.random.default_rng(1)).shape, law.name
    ((4, 1, 3), 'my:cube')
    >>> class Complex(Cube):
    ...     def sample(self, n, rng):
    ...         return np.ones((n, 1, 3)) * 1j
    >>> UserLaw(Complex(), "my:complex")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: dist: 'my:complex': sample(2, rng) returned complex numbers ...
    """

    def __init__(self, law: Any, spec: str, p: int | None = None):
        self.__dict__["_law"] = law
        self.__dict__["_spec"] = spec
        for attr in ("p", "k", "sample"):
            if not hasattr(law, attr):
                raise InvalidArgument("dist", f"{spec!r} returned a {type(law).__name__} without {attr!r}; a "
                                              "distribution has p, k and sample(n, rng) -> (n, k, p)")
        law_p, law_k = getattr(law, "p"), getattr(law, "k")
        for attr, value, minimum in (("p", law_p, 2), ("k", law_k, 1)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
                raise InvalidArgument("dist", f"{spec!r} returned a law whose {attr} is {value!r}; it must be an "
                                              f"integer >= {minimum}")
        if p is not None and int(law_p) != int(p):
            raise InvalidArgument("dist", f"{spec!r} returned a law with p = {law_p}, but p = {p} was asked for")
        if not callable(getattr(law, "sample")):
            raise InvalidArgument("dist", f"{spec!r} returned a law whose sample is not callable")
        self.__dict__["p"], self.__dict__["k"] = int(law_p), int(law_k)
        self.__dict__["name"] = spec
        self.sample(2, np.random.default_rng(0))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or "_law" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.__dict__["_law"], name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.__dict__["_law"], name, value)

    def __repr__(self) -> str:
        return f"UserLaw({self._spec!r}, p={self.p}, k={self.k})"

    def _fail(self, problem: str, cause: BaseException | None = None) -> InvalidArgument:
        err = InvalidArgument("dist", f"{self._spec!r}: {problem}")
        err.__cause__ = cause
        return err

    def _call(self, method: str, *args: Any) -> Any:
        try:
            with users_code():
                return getattr(self._law, method)(*args)
        except InvalidArgument as err:
            raise self._fail(f"{method} raised {err}", err) from err
        except (Exception, SystemExit) as err:
            raise self._fail(f"{method} raised {_why(err)}", err) from err

    def _checked(self, result: Any, call: str, rows: int | None) -> np.ndarray:
        try:
            arr = np.asarray(result)
        except (Exception, SystemExit) as err:
            raise self._fail(f"{call} returned something that is not an array ({_why(err)})", err) from err
        if arr.dtype.kind == "c":
            raise self._fail(f"{call} returned complex numbers ({arr.dtype}); a law's draws are real")
        if arr.dtype.kind not in "biuf":
            raise self._fail(f"{call} returned {type(result).__name__} of dtype {arr.dtype}, not real numbers")
        expected = (rows if rows is not None else (arr.shape[0] if arr.ndim else None), self.k, self.p)
        if arr.shape != expected:
            want = f"({'m' if rows is None else rows}, k={self.k}, p={self.p})"
            raise self._fail(f"{call} returned shape {arr.shape}, not {want}")
        if not np.all(np.isfinite(arr)):
            raise self._fail(f"{call} returned NaN or infinite entries")
        return arr.astype(float, copy=False)

    def sample(self, n: int, rng: Any) -> np.ndarray:
        """The user's ``sample(n, rng)``, checked: shape (n, k, p), real, finite."""
        return self._checked(self._call("sample", n, rng), f"sample({n}, rng)", int(n))

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        """The user's ``from_uniform(u)`` (when it has one), checked like :meth:`sample`."""
        if not callable(getattr(self._law, "from_uniform", None)):
            raise InvalidArgument("method", f"distribution {self._spec!r} has no quasi-Monte Carlo transform "
                                            "(from_uniform)")
        u = np.asarray(u)
        return self._checked(self._call("from_uniform", u), "from_uniform(u)", u.shape[0])

    def support(self) -> np.ndarray | None:
        """The user's ``support()`` (None when it has none), checked: shape (m, k, p), real, finite."""
        if not callable(getattr(self._law, "support", None)):
            return None
        atoms = self._call("support")
        return None if atoms is None else self._checked(atoms, "support()", None)


def make_distribution(name: str, p: int | None = None, **options: Any) -> Any:
    """Build a distribution by its command-line name.

    Parameters
    ----------
    name : str
        One of :data:`BUILTIN_NAMES`, or ``"module:callable"``: a callable that
        takes ``p=`` (when given) and the options as keywords and returns an
        object following the protocol of this module.
    p : int, optional
        Patch size; required by the parametric built-ins, implied by the data
        for ``empirical`` and ``image-patches``.
    **options
        The distribution's options (:data:`DISTRIBUTION_OPTIONS`); an option
        the distribution does not take is an error.  ``images`` and ``data``
        may be arrays or paths to ``.npy`` files.
    """
    options = {k: v for k, v in options.items() if v is not None}
    if ":" in name:
        factory = _load_user_factory(name)
        kwargs = dict(options)
        if p is not None:
            kwargs["p"] = p
        try:
            with users_code():
                dist = factory(**kwargs)
        except TypeError as err:
            taken = ", ".join(kwargs) or "no arguments"
            raise InvalidArgument("dist", f"{name!r} rejected its arguments {taken} ({_why(err)})") from err
        except (Exception, SystemExit) as err:
            raise InvalidArgument("dist", f"{name!r} raised {_why(err)}") from err
        if dist is None or not all(hasattr(dist, a) for a in ("p", "k", "sample")):
            raise InvalidArgument("dist", f"{name!r} returned {type(dist).__name__}, not a distribution (an "
                                          "object with p, k and sample(n, rng) -> (n, k, p))")
        law = UserLaw(dist, name, p)     # checked (and its first sample) in every case
        return dist if type(dist).__module__ == Distribution.__module__ else law   # a built-in needs no watching
    if name not in DISTRIBUTION_OPTIONS:
        raise InvalidArgument("dist", f"unknown distribution {name!r}; choose from {', '.join(BUILTIN_NAMES)} "
                                      "or module:callable")
    allowed = DISTRIBUTION_OPTIONS[name]
    for option in options:
        if option not in allowed:
            takes = ", ".join(o.replace("_", "-") for o in allowed) or "no options"
            raise InvalidArgument(option.replace("_", "-"), f"distribution {name!r} does not take it (it takes {takes})")
    if name in ("empirical", "image-patches"):
        return _make_finite(name, p, options)
    if p is None:
        raise InvalidArgument("p", f"distribution {name!r} needs the dimension p")
    cls = {"gaussian": Gaussian, "sphere": Sphere, "mixture": AngularMixture,
           "patches": PatchCloseness, "degenerate": Degenerate}[name]
    return cls(p, **options)


def _make_finite(name: str, p: int | None, options: dict[str, Any]) -> Distribution:
    key = "data" if name == "empirical" else "images"
    if key not in options:
        if name == "image-patches":
            from .images import default_images  # the optional image sources (issue: real images)
            images, source = default_images()
            options = {**options, "images": images, "source": source}
        else:
            raise InvalidArgument(key, f"distribution {name!r} needs --{key} FILE.npy")
    raw = options[key]
    source = options.get("source")
    if isinstance(raw, (str, bytes)) or hasattr(raw, "__fspath__"):
        source = str(raw)
        raw = load_npy(raw, key)
    if name == "empirical":
        dist: Distribution = Empirical(raw, source=source)
    else:
        rest = {k: v for k, v in options.items() if k in ("filter_size", "stride")}
        dist = ImagePatches(raw, source=source, **rest)
    if p is not None and dist.p != p:
        raise InvalidArgument("p", f"{p} does not match the patch size {dist.p} of the {key}")
    return dist

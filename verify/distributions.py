"""Input distributions of the patches Z = [Z_1 … Z_k] (CLAIMS.md §1, §5).

A distribution is any object with

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
``polar_angle_pdf(theta) -> ndarray``
    density on [0, π] of θ(Z, axis) for an axially symmetric k = 1 law of
    the form Z = R (cos θ u* + sin θ v), v uniform on the sphere ⟂ u*;
``polar_angle_breakpoints`` : tuple of float
    where that density is not smooth (for quadrature);
``uniform_dimension`` / ``from_uniform(u) -> (n, k, p)``
    an inverse-transform map from the unit cube, for quasi-Monte Carlo;
``support() -> ndarray (m, k, p)``
    for a finite (empirical) law, its atoms, each of mass 1/m: expectations
    over it are exact sums.

:func:`make_distribution` builds the built-ins by name; ``module:callable``
names a user's own.
"""
from __future__ import annotations

import importlib
import math
from typing import Any, Callable

import mpmath
import numpy as np
from scipy import special, stats

from .validation import InvalidArgument, check_dimension, check_finite_array, check_positive

__all__ = [
    "Distribution",
    "Gaussian",
    "Sphere",
    "AngularMixture",
    "PatchCloseness",
    "ImagePatches",
    "Empirical",
    "Degenerate",
    "BUILTIN_NAMES",
    "DISTRIBUTION_OPTIONS",
    "make_distribution",
    "load_npy",
    "extract_patches",
    "as_rng",
]


def as_rng(rng) -> np.random.Generator:
    """Normalise a seed, ``None`` or a Generator into a ``numpy.random.Generator``."""
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def _uniform_orthogonal(normals: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """Unit vectors uniform on the sphere ⟂ ``axis``, from i.i.d. normals.

    normals : (..., p) standard normal draws; the component along ``axis`` is
    removed before normalising, which leaves an isotropic Gaussian on axis⊥.
    """
    g = normals - (normals @ axis)[..., None] * axis
    norm = np.linalg.norm(g, axis=-1, keepdims=True)
    return g / np.where(norm > 0, norm, 1.0)


class Distribution:
    """Base class: the protocol with its optional parts set to "unknown"."""

    name: str = "distribution"
    symmetry: str | None = None
    second_radial_moment: float | None = None
    polar_angle_breakpoints: tuple[float, ...] = ()
    uniform_dimension: int | None = None

    def __init__(self, p: int, k: int = 1):
        self.p = check_dimension(p, "p")
        self.k = check_dimension(k, "k", minimum=1)
        self.axis = np.eye(self.p)[0]

    # -- the protocol ---------------------------------------------------------
    def sample(self, n: int, rng) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        raise InvalidArgument("method", f"distribution {self.name!r} has no quasi-Monte Carlo transform")

    def support(self) -> np.ndarray | None:
        return None

    polar_angle_pdf: Callable[[np.ndarray], np.ndarray] | None = None

    def parameters(self) -> dict[str, Any]:
        return {}

    def describe(self) -> dict[str, Any]:
        """JSON-ready description: name, p, k, symmetry and parameters."""
        return {"name": self.name, "p": self.p, "k": self.k, "symmetry": self.symmetry,
                "parameters": self.parameters()}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters().items())
        return f"{type(self).__name__}(p={self.p}, k={self.k}{', ' if params else ''}{params})"


class Gaussian(Distribution):
    """Z ~ N(0, I_p), k = 1 (CLAIMS.md §5, rotationally invariant)."""

    name = "gaussian"
    symmetry = "rotational"

    def __init__(self, p: int):
        super().__init__(p)
        self.second_radial_moment = float(self.p)
        self.uniform_dimension = self.p

    def sample(self, n, rng):
        return as_rng(rng).standard_normal((n, 1, self.p))

    def from_uniform(self, u):
        return special.ndtri(u).reshape(-1, 1, self.p)

    def polar_angle_pdf(self, theta):
        return _sphere_polar_angle_pdf(theta, self.p)

    def polar_angle_pdf_mp(self, theta):
        """The same density in mpmath arithmetic (for 30-digit references)."""
        return mpmath.sin(theta) ** (self.p - 2) / mpmath.beta(mpmath.mpf(1) / 2, mpmath.mpf(self.p - 1) / 2)


class Sphere(Gaussian):
    """Z uniform on the unit sphere S^{p−1}, k = 1 (rotationally invariant, ‖Z‖ = 1)."""

    name = "sphere"

    def __init__(self, p: int):
        super().__init__(p)
        self.second_radial_moment = 1.0

    def sample(self, n, rng):
        g = super().sample(n, rng)
        return g / np.linalg.norm(g, axis=-1, keepdims=True)

    def from_uniform(self, u):
        g = super().from_uniform(u)
        return g / np.linalg.norm(g, axis=-1, keepdims=True)


def _sphere_polar_angle_pdf(theta, p: int) -> np.ndarray:
    """Density of θ(U, e_1) for U uniform on S^{p−1}: sin^{p−2}θ / B(½, (p−1)/2)."""
    theta = np.asarray(theta, dtype=float)
    return np.sin(theta) ** (p - 2) / special.beta(0.5, (p - 1) / 2)


class AngularMixture(Distribution):
    """Unit-norm Z whose angle to u* follows the two-bump mixture of Fig. 3a.

    CLAIMS.md §5 **[reconstructed]**: the signed angle a of Z to u* is drawn from
    ½·N(0, σ²) truncated to [−π/2, π/2] plus ½·N(π, σ²) truncated to
    [π/2, 3π/2]; Z = cos(a)·u* + sin(a)·v with v uniform on the unit sphere ⟂ u*.
    Small σ is spiky (mass near ±u*), large σ approaches the uniform sphere
    only in p = 2.

    Notes
    -----
    Folding a onto the polar angle θ = θ(Z, u*) ∈ [0, π] gives the density
    g(θ) = h(θ) on [0, π/2] and g(θ) = h(π − θ) on [π/2, π], with h the
    N(0, σ²) density renormalised to [−π/2, π/2] (each half of the mixture
    contributes ½ · 2h).
    """

    name = "mixture"
    symmetry = "axial"
    polar_angle_breakpoints = (math.pi / 2,)

    def __init__(self, p: int, sigma: float = 1.0):
        super().__init__(p)
        self.sigma = check_positive(sigma, "sigma")
        self.second_radial_moment = 1.0
        self.uniform_dimension = 2 + (self.p - 1)
        self._bump = stats.truncnorm(-math.pi / 2 / self.sigma, math.pi / 2 / self.sigma, scale=self.sigma)
        self._bump_norm = self.sigma * math.sqrt(2 * math.pi) * special.erf(math.pi / (2 * math.sqrt(2) * self.sigma))

    def parameters(self):
        return {"sigma": self.sigma}

    def _compose(self, a: np.ndarray, normals: np.ndarray) -> np.ndarray:
        v = _uniform_orthogonal(normals, self.axis)
        z = np.cos(a)[:, None] * self.axis + np.sin(a)[:, None] * v
        return z[:, None, :]

    def sample(self, n, rng):
        rng = as_rng(rng)
        a = self._bump.rvs(size=n, random_state=rng) + math.pi * (rng.random(n) < 0.5)
        return self._compose(a, rng.standard_normal((n, self.p)))

    def from_uniform(self, u):
        u = np.asarray(u)
        a = self._bump.ppf(u[:, 0]) + math.pi * (u[:, 1] < 0.5)
        normals = np.zeros((u.shape[0], self.p))
        normals[:, 1:] = special.ndtri(u[:, 2:])
        return self._compose(a, normals)

    def polar_angle_pdf(self, theta):
        theta = np.asarray(theta, dtype=float)
        folded = np.where(theta <= math.pi / 2, theta, math.pi - theta)
        # the N(0, σ²) density renormalised to [−π/2, π/2] (written out: it is called per quadrature node)
        return np.exp(-0.5 * (folded / self.sigma) ** 2) / self._bump_norm

    def polar_angle_pdf_mp(self, theta):
        """The same density in mpmath arithmetic (for 30-digit references)."""
        folded = theta if theta <= mpmath.pi / 2 else mpmath.pi - theta
        s = mpmath.mpf(self.sigma)
        mass = mpmath.erf(mpmath.pi / (2 * s * mpmath.sqrt(2)))
        return mpmath.exp(-folded**2 / (2 * s**2)) / (s * mpmath.sqrt(2 * mpmath.pi)) / mass


class PatchCloseness(Distribution):
    """k unit-norm patches scattered around one base patch (Fig. 3b, CLAIMS.md §5).

    The base Z̄ is an :class:`AngularMixture` draw with σ = 1; each patch makes
    with Z̄ an angle drawn from N(0, σ_patch²) truncated to [−π, π], in a
    direction uniform ⟂ Z̄.  The joint law is invariant under rotations fixing
    u*, hence ``symmetry = "axial"``.
    """

    name = "patches"
    symmetry = "axial"

    def __init__(self, p: int, k: int = 4, sigma_patch: float = 0.1):
        super().__init__(p, k)
        self.sigma_patch = check_positive(sigma_patch, "sigma_patch")
        self._base = AngularMixture(p, sigma=1.0)
        s = self.sigma_patch
        self._spread = stats.truncnorm(-math.pi / s, math.pi / s, scale=s)
        self.uniform_dimension = self._base.uniform_dimension + self.k * (1 + self.p)

    def parameters(self):
        return {"sigma_patch": self.sigma_patch}

    def _scatter(self, base: np.ndarray, angles: np.ndarray, normals: np.ndarray) -> np.ndarray:
        # base (n, p); angles (n, k); normals (n, k, p) -> patches (n, k, p)
        g = normals - np.einsum("nkp,np->nk", normals, base)[..., None] * base[:, None, :]
        norm = np.linalg.norm(g, axis=-1, keepdims=True)
        v = g / np.where(norm > 0, norm, 1.0)
        return np.cos(angles)[..., None] * base[:, None, :] + np.sin(angles)[..., None] * v

    def sample(self, n, rng):
        rng = as_rng(rng)
        base = self._base.sample(n, rng)[:, 0, :]
        angles = self._spread.rvs(size=(n, self.k), random_state=rng)
        return self._scatter(base, angles, rng.standard_normal((n, self.k, self.p)))

    def from_uniform(self, u):
        u = np.asarray(u)
        d0 = self._base.uniform_dimension
        base = self._base.from_uniform(u[:, :d0])[:, 0, :]
        angles = self._spread.ppf(u[:, d0:d0 + self.k])
        normals = special.ndtri(u[:, d0 + self.k:]).reshape(-1, self.k, self.p)
        return self._scatter(base, angles, normals)


class _FiniteLaw(Distribution):
    """The uniform law on a finite set of atoms (an empirical distribution)."""

    def __init__(self, atoms: np.ndarray):
        atoms = np.asarray(atoms, dtype=float)
        super().__init__(atoms.shape[2], atoms.shape[1])
        self._atoms = atoms

    def sample(self, n, rng):
        return self._atoms[as_rng(rng).integers(0, self._atoms.shape[0], size=n)]

    def support(self):
        return self._atoms


class Empirical(_FiniteLaw):
    """The uniform law on a user's samples, shape (n, p) or (n, k, p).

    ``sample`` resamples with replacement; the ``exact`` method sums over all
    the atoms, which makes an empirical law a legitimate input distribution
    whose quantities are known exactly.
    """

    name = "empirical"

    def __init__(self, data, source: str | None = None):
        arr = check_finite_array(data, "data", ndim=(2, 3))
        if arr.ndim == 2:
            arr = arr[:, None, :]
        if arr.shape[-1] < 2:
            raise InvalidArgument("data", f"patches must have p >= 2 entries, got shape {arr.shape}")
        super().__init__(arr)
        self.source = source

    def parameters(self):
        return {"atoms": int(self._atoms.shape[0]), "source": self.source}


def extract_patches(images: np.ndarray, filter_size: int, stride: int) -> np.ndarray:
    """All filter_size × filter_size patches of each image, row-major.

    Parameters
    ----------
    images : ndarray (N, H, W)
    filter_size, stride : int

    Returns
    -------
    ndarray (N, k, filter_size²) with k = ⌊(H−f)/s + 1⌋ · ⌊(W−f)/s + 1⌋.
    """
    windows = np.lib.stride_tricks.sliding_window_view(images, (filter_size, filter_size), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]
    n, rows, cols = windows.shape[:3]
    return windows.reshape(n, rows * cols, filter_size * filter_size)


class ImagePatches(_FiniteLaw):
    """Patches of an array of images (CLAIMS.md §1): one draw is one image's k patches.

    Parameters
    ----------
    images : ndarray (N, H, W)
    filter_size : int
        p = filter_size².
    stride : int
    """

    name = "image-patches"

    def __init__(self, images, filter_size: int = 3, stride: int = 1, source: str | None = None):
        imgs = check_finite_array(images, "images", ndim=(3,))
        f = check_dimension(filter_size, "filter_size", minimum=2)
        s = check_dimension(stride, "stride", minimum=1)
        if f > min(imgs.shape[1:]):
            raise InvalidArgument("filter_size", f"{f} exceeds the image size {imgs.shape[1:]}")
        super().__init__(extract_patches(imgs, f, s))
        self.filter_size, self.stride, self.source = f, s, source
        self.n_images = imgs.shape[0]

    def parameters(self):
        return {"filter_size": self.filter_size, "stride": self.stride, "images": self.n_images,
                "source": self.source}


class Degenerate(Gaussian):
    """A Gaussian supported on the subspace of the first ``rank`` coordinates.

    Z = (g_1, …, g_rank, 0, …, 0), g ~ N(0, I_rank).  With rank < p the matrix
    A_{w,w*} is singular, so γ ≡ 0 (Theorem 2.1's hypothesis fails).
    """

    name = "degenerate"
    symmetry = None

    def __init__(self, p: int, rank: int = 1):
        super().__init__(p)
        self.rank = check_dimension(rank, "rank", minimum=1)
        if self.rank > self.p:
            raise InvalidArgument("rank", f"must be <= p={self.p}, got {self.rank}")
        self.second_radial_moment = None
        self.uniform_dimension = self.rank

    def parameters(self):
        return {"rank": self.rank}

    def _embed(self, g):
        z = np.zeros((g.shape[0], 1, self.p))
        z[:, 0, :self.rank] = g
        return z

    def sample(self, n, rng):
        return self._embed(as_rng(rng).standard_normal((n, self.rank)))

    def from_uniform(self, u):
        return self._embed(special.ndtri(u))

    polar_angle_pdf = None
    polar_angle_pdf_mp = None


# ---------------------------------------------------------------------------
# Construction by name (the command line's --dist)
# ---------------------------------------------------------------------------

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
BUILTIN_NAMES = tuple(DISTRIBUTION_OPTIONS)


def load_npy(path, argument: str) -> np.ndarray:
    """Read a ``.npy`` file, turning every failure into one InvalidArgument line."""
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as err:
        raise InvalidArgument(argument, f"cannot read {str(path)!r} as a .npy array ({type(err).__name__})") from None
    if not isinstance(arr, np.ndarray):
        raise InvalidArgument(argument, f"{str(path)!r} is not a single .npy array")
    return arr


def _load_user_factory(spec: str) -> Callable[..., Any]:
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise InvalidArgument("dist", f"unknown distribution {spec!r}; built-ins: {', '.join(BUILTIN_NAMES)}, "
                                      "or module:callable")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise InvalidArgument("dist", f"cannot import module {module_name!r} ({err})") from None
    try:
        return getattr(module, attr)
    except AttributeError:
        raise InvalidArgument("dist", f"module {module_name!r} has no attribute {attr!r}") from None


def _check_user_distribution(dist: Any, spec: str) -> Any:
    for attr in ("p", "k", "sample"):
        if not hasattr(dist, attr):
            raise InvalidArgument("dist", f"{spec!r} returned an object without {attr!r}")
    return dist


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
            dist = factory(**kwargs)
        except TypeError as err:
            raise InvalidArgument("dist", f"{name!r} rejected its arguments ({err})") from None
        return _check_user_distribution(dist, name)
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

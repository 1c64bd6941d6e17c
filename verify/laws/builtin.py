"""The built-in input laws of the patches Z = [Z_1 … Z_k] (docs/claims.md §1, §5).

Each class follows :class:`verify.laws.distributions.DistributionProtocol` and
states the optional exact knowledge it has (symmetry, radial moments, the
polar-angle density, a quasi-Monte Carlo transform, a finite support):

* :class:`Gaussian` — N(0, I_p), k = 1;
* :class:`Sphere` — uniform on S^{p−1}, k = 1;
* :class:`AngularMixture` — the two-bump angular mixture of Fig. 3a;
* :class:`PatchCloseness` — k patches scattered around one base patch (Fig. 3b);
* :class:`Empirical` — the uniform law on a user's samples;
* :class:`ImagePatches` — the patches of an array of images (:func:`extract_patches`);
* :class:`Degenerate` — a Gaussian on the span of the first ``rank`` coordinates.

:class:`Distribution` is their base class, and :func:`as_rng` the one way a
law turns its ``rng`` argument (a seed, None or a Generator) into a
Generator.  All are re-exported by :mod:`verify.laws.distributions`, which also
builds them by name (:func:`~verify.laws.distributions.make_distribution`).
scipy.special and mpmath are imported inside the functions that use them: building most laws
needs numpy only, so a usage error found while building one (``--rank`` above p, a missing
``--data``) is reported without importing them.

Examples
--------
>>> Gaussian(3).sample(2, 0).shape
(2, 1, 3)
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..geometry import basis_vector
from ..validation import InvalidArgument, check_dimension, check_finite_array, check_positive

__all__ = [
    "as_rng",
    "Distribution",
    "Gaussian",
    "Sphere",
    "AngularMixture",
    "PatchCloseness",
    "Empirical",
    "ImagePatches",
    "Degenerate",
    "extract_patches",
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
        self.axis = basis_vector(self.p)

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
    """Z ~ N(0, I_p), k = 1 (docs/claims.md §5, rotationally invariant)."""

    name = "gaussian"
    symmetry = "rotational"

    def __init__(self, p: int):
        super().__init__(p)
        self.second_radial_moment = float(self.p)
        # E‖Z‖ = √2 Γ((p+1)/2)/Γ(p/2) (the chi distribution's mean)
        self.first_radial_moment = math.sqrt(2) * math.exp(math.lgamma((self.p + 1) / 2) - math.lgamma(self.p / 2))
        self.uniform_dimension = self.p

    def sample(self, n, rng):
        return as_rng(rng).standard_normal((n, 1, self.p))

    def from_uniform(self, u):
        from scipy import special
        return special.ndtri(u).reshape(-1, 1, self.p)

    def polar_angle_pdf(self, theta):
        return _sphere_polar_angle_pdf(theta, self.p)

    def polar_angle_pdf_mp(self, theta):
        """The same density in mpmath arithmetic (for 30-digit references)."""
        import mpmath
        return mpmath.sin(theta) ** (self.p - 2) / mpmath.beta(mpmath.mpf(1) / 2, mpmath.mpf(self.p - 1) / 2)


class Sphere(Gaussian):
    """Z uniform on the unit sphere S^{p−1}, k = 1 (docs/claims.md §5: rotationally invariant, ‖Z‖ = 1)."""

    name = "sphere"

    def __init__(self, p: int):
        super().__init__(p)
        self.second_radial_moment = 1.0
        self.first_radial_moment = 1.0

    def sample(self, n, rng):
        g = super().sample(n, rng)
        return g / np.linalg.norm(g, axis=-1, keepdims=True)

    def from_uniform(self, u):
        g = super().from_uniform(u)
        return g / np.linalg.norm(g, axis=-1, keepdims=True)


class _CenteredTruncatedNormal:
    """N(0, σ²) truncated to [−c, c]: its quantile function and draws (scipy.stats.truncnorm's, vectorised).

    Quantile: by symmetry F⁻¹(q) = −F⁻¹(1 − q), and on the lower half q ≤ ½,
    F⁻¹(q) = σ·Φ⁻¹(Φ(−c/σ) + q·(1 − 2Φ(−c/σ))) (Φ⁻¹ = ``special.ndtri``, accurate in the lower tail; 1 − q
    is exact for q ≥ ½), clipped to [−c, c] where Φ(−c/σ) underflows.  Agrees with
    ``stats.truncnorm(−c/σ, c/σ, scale=σ).ppf`` to ≤ 2·10⁻¹⁵ (σ ∈ [0.05, 3], c = π/2, 10⁵ points); draws are
    the quantiles of ``rng.random(size)``, the uniforms scipy's ``rvs`` consumes, so a seed gives the same
    stream as before, at a tenth of the cost.
    """

    def __init__(self, sigma: float, half_width: float):
        from scipy import special
        self.sigma, self.half_width = float(sigma), float(half_width)
        self._tail = float(special.ndtr(-self.half_width / self.sigma))

    def ppf(self, q) -> np.ndarray:
        from scipy import special
        q = np.asarray(q, dtype=float)
        lower = np.minimum(q, 1.0 - q)
        x = np.maximum(self.sigma * special.ndtri(self._tail + lower * (1.0 - 2.0 * self._tail)), -self.half_width)
        return np.where(q <= 0.5, x, -x)

    def rvs(self, size, rng: np.random.Generator) -> np.ndarray:
        return self.ppf(rng.random(size))


def _sphere_polar_angle_pdf(theta, p: int) -> np.ndarray:
    """Density of θ(U, e_1) for U uniform on S^{p−1}: sin^{p−2}θ / B(½, (p−1)/2) (docs/claims.md §5)."""
    from scipy import special
    theta = np.asarray(theta, dtype=float)
    return np.sin(theta) ** (p - 2) / special.beta(0.5, (p - 1) / 2)


class AngularMixture(Distribution):
    """Unit-norm Z whose angle to u* follows the two-bump mixture of Fig. 3a.

    docs/claims.md §5 **[reconstructed]**: the signed angle a of Z to u* is drawn from
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
        from scipy import special
        super().__init__(p)
        self.sigma = check_positive(sigma, "sigma")
        self.second_radial_moment = 1.0
        self.uniform_dimension = 2 + (self.p - 1)
        self._bump = _CenteredTruncatedNormal(self.sigma, math.pi / 2)
        self._bump_norm = self.sigma * math.sqrt(2 * math.pi) * special.erf(math.pi / (2 * math.sqrt(2) * self.sigma))

    def parameters(self):
        return {"sigma": self.sigma}

    def _compose(self, a: np.ndarray, normals: np.ndarray) -> np.ndarray:
        v = _uniform_orthogonal(normals, self.axis)
        z = np.cos(a)[:, None] * self.axis + np.sin(a)[:, None] * v
        return z[:, None, :]

    def sample(self, n, rng):
        rng = as_rng(rng)
        a = self._bump.rvs(n, rng) + math.pi * (rng.random(n) < 0.5)
        return self._compose(a, rng.standard_normal((n, self.p)))

    def from_uniform(self, u):
        from scipy import special
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
        import mpmath
        folded = theta if theta <= mpmath.pi / 2 else mpmath.pi - theta
        s = mpmath.mpf(self.sigma)
        mass = mpmath.erf(mpmath.pi / (2 * s * mpmath.sqrt(2)))
        return mpmath.exp(-folded**2 / (2 * s**2)) / (s * mpmath.sqrt(2 * mpmath.pi)) / mass


class PatchCloseness(Distribution):
    """k unit-norm patches scattered around one base patch (Fig. 3b, docs/claims.md §5).

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
        self._spread = _CenteredTruncatedNormal(s, math.pi)
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
        angles = self._spread.rvs((n, self.k), rng)
        return self._scatter(base, angles, rng.standard_normal((n, self.k, self.p)))

    def from_uniform(self, u):
        from scipy import special
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
    """The uniform law on a user's samples, shape (n, p) or (n, k, p) (docs/claims.md §5, finite laws).

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
    ndarray (N, k, filter_size²), C-contiguous, with k = ⌊(H−f)/s + 1⌋ · ⌊(W−f)/s + 1⌋: patch j of an
    image is its window at row ⌊j / cols⌋·s, column (j mod cols)·s, read row by row.

    Notes
    -----
    One gather of every patch's pixels by their flat indices (:func:`patch_pixel_indices`): the copy a
    reshape of the strided sliding windows makes, at about half its cost.

    Examples
    --------
    >>> import numpy as np
    >>> extract_patches(np.arange(9.0).reshape(1, 3, 3), 2, 1)[0].tolist()
    [[0.0, 1.0, 3.0, 4.0], [1.0, 2.0, 4.0, 5.0], [3.0, 4.0, 6.0, 7.0], [4.0, 5.0, 7.0, 8.0]]
    """
    images = np.asarray(images)
    n, h, w = images.shape
    return np.take(images.reshape(n, h * w), patch_pixel_indices(h, w, filter_size, stride), axis=1)


def patch_pixel_indices(height: int, width: int, filter_size: int, stride: int) -> np.ndarray:
    """Flat pixel indices (k, filter_size²) of every patch of a height × width image (:func:`extract_patches`).

    Examples
    --------
    >>> patch_pixel_indices(3, 3, 2, 1).tolist()
    [[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]
    """
    tops = np.arange(0, height - filter_size + 1, stride)
    lefts = np.arange(0, width - filter_size + 1, stride)
    corners = (tops[:, None] * width + lefts[None, :]).ravel()                     # (k,)
    offsets = (np.arange(filter_size)[:, None] * width + np.arange(filter_size)).ravel()  # (f²,)
    return corners[:, None] + offsets[None, :]


def _check_patch_memory(shape: tuple[int, ...], filter_size: int, stride: int) -> None:
    """Refuse patch sets that would not fit in memory, before :func:`extract_patches` copies them.

    The atoms are N·k·filter_size² doubles, k = ⌊(H−f)/s + 1⌋·⌊(W−f)/s + 1⌋; at
    most half the available memory may go to them (the moments need as much
    again).  The message says how much they would need.
    """
    from ..validation import available_memory, format_bytes

    n, h, w = shape
    k = ((h - filter_size) // stride + 1) * ((w - filter_size) // stride + 1)
    need = 8 * n * k * filter_size * filter_size
    room = available_memory() // 2
    if need > room:
        raise InvalidArgument("filter_size", f"{filter_size} (stride {stride}) on {n} images {h}x{w} makes "
                                             f"{n * k} patches of p = {filter_size ** 2}, {format_bytes(need)}; "
                                             f"this machine has room for {format_bytes(room)} (use a smaller "
                                             "filter size, a larger stride or fewer images)")


class ImagePatches(_FiniteLaw):
    """Patches of an array of images (docs/claims.md §1): one draw is one image's k patches.

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
        _check_patch_memory(imgs.shape, f, s)
        super().__init__(extract_patches(imgs, f, s))
        self.filter_size, self.stride, self.source = f, s, source
        self.n_images = imgs.shape[0]

    def parameters(self):
        return {"filter_size": self.filter_size, "stride": self.stride, "images": self.n_images,
                "source": self.source}


class Degenerate(Gaussian):
    """A Gaussian supported on the subspace of the first ``rank`` coordinates (docs/claims.md §5).

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
        self.first_radial_moment = None
        self.subspace_second_radial_moment = float(self.rank)  # N(0, I_rank) on the first rank coordinates
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
        from scipy import special
        return self._embed(special.ndtri(u))

    polar_angle_pdf = None
    polar_angle_pdf_mp = None

"""Input validation, in one place.

Every public function checks its arguments through these helpers, so a bad
argument always fails the same way: :class:`InvalidArgument` (a ``ValueError``)
whose one-line message starts with the argument's name.  The command line turns
it into one line on stderr and exit status 2.

numpy is imported inside the functions that need it: the command line's parser
imports this module (:data:`PROFILE_NAMES`, :class:`InvalidArgument`), and
``verify --help`` or a usage error need no numpy (issue 21).
"""
from __future__ import annotations

import math
import numbers
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover - the annotations' np.ndarray
    import numpy as np

__all__ = [
    "PROFILE_NAMES",
    "InvalidArgument",
    "WrongType",
    "check_dimension",
    "check_angle",
    "check_angles",
    "check_count",
    "check_vector",
    "check_finite_array",
    "check_positive",
    "check_real",
    "check_seed",
    "check_output_directory",
    "available_memory",
    "format_bytes",
]

#: The run profiles every sized command accepts, smallest first (``--profile``, ``profile=``).  Their sizes are
#: one :class:`~verify.experiments.profiles.Profile` each; the names live here, in the foundation, because the
#: command line checks them at start-up and must not import what the profiles size (the experiments).
PROFILE_NAMES = ("quick", "default", "thorough")


class InvalidArgument(ValueError):
    """A user-supplied argument is unusable; ``str(err)`` names the argument.

    Attributes
    ----------
    argument : str
        The argument's name (internal, e.g. ``sigma_patch``, until the command
        line renames it to the spelling the user typed, ``--sigma-patch``).
    problem : str
        What is wrong and what is allowed (one line).

    Examples
    --------
    >>> err = InvalidArgument("sigma_patch", "must be > 0, got -1.0")
    >>> str(err), str(err.renamed("--sigma-patch"))
    ('sigma_patch: must be > 0, got -1.0', '--sigma-patch: must be > 0, got -1.0')
    """

    def __init__(self, argument: str, problem: str):
        self.argument = argument
        self.problem = " ".join(str(problem).split())  # always one line
        super().__init__(f"{argument}: {self.problem}")

    def renamed(self, argument: str) -> "InvalidArgument":
        """The same problem under another name (the cause and traceback are kept).

        Examples
        --------
        >>> InvalidArgument("n", "must be >= 2, got 1").renamed("--n").argument
        '--n'
        """
        new = type(self)(argument, self.problem)
        new.__cause__, new.__traceback__ = self.__cause__, self.__traceback__
        return new

    def __reduce__(self):
        return (type(self), (self.argument, self.problem))


class WrongType(InvalidArgument, TypeError):
    """An argument of the wrong type (a string where a number is due, a complex array): also a ``TypeError``.

    Examples
    --------
    >>> isinstance(WrongType("sigma", "must be a real number, got '1'"), (TypeError, InvalidArgument))
    True
    """


def check_dimension(p, name: str = "p", minimum: int = 2) -> int:
    """An integer dimension ≥ ``minimum``."""
    import numpy as np

    if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
        if isinstance(p, float) and p.is_integer():
            p = int(p)
        else:
            raise InvalidArgument(name, f"must be an integer, got {p!r}")
    if p < minimum:
        raise InvalidArgument(name, f"must be >= {minimum}, got {p}")
    return int(p)


def check_count(n, name: str = "n", minimum: int = 1) -> int:
    """A sample count: an integer ≥ ``minimum``."""
    return check_dimension(n, name=name, minimum=minimum)


def check_real(x, name: str) -> float:
    """A finite real number: an int, a float, a numpy number or a 0-d numeric array — never a string or a bool.

    Examples
    --------
    >>> import numpy as np
    >>> check_real(np.float32(0.5), "sigma")
    0.5
    >>> check_real("1", "sigma")
    Traceback (most recent call last):
    ...
    verify.validation.WrongType: sigma: must be a real number, got '1' (str)
    """
    import numpy as np

    numeric = isinstance(x, numbers.Real) or (isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf")
    if not numeric or isinstance(x, (bool, np.bool_)):
        raise WrongType(name, f"must be a real number, got {x!r} ({type(x).__name__})")
    x = float(x)
    if not math.isfinite(x):
        raise InvalidArgument(name, f"must be finite, got {x}")
    return x


def check_positive(x, name: str, allow_zero: bool = False) -> float:
    """A finite real number > 0 (≥ 0 with ``allow_zero``)."""
    x = check_real(x, name)
    if x < 0 or (x == 0 and not allow_zero):
        raise InvalidArgument(name, f"must be {'>= 0' if allow_zero else '> 0'}, got {x}")
    return x


def check_angle(phi, name: str = "phi", upper: float = math.pi) -> float:
    """An angle in [0, upper] (radians)."""
    phi = check_real(phi, name)
    if not (0.0 <= phi <= upper):
        raise InvalidArgument(name, f"must lie in [0, {upper:.6g}], got {phi}")
    return phi


def check_angles(phis, name: str = "phi", upper: float = math.pi) -> np.ndarray:
    """A non-empty 1-D array of angles in [0, upper] (numbers, not strings)."""
    import numpy as np

    if isinstance(phis, (str, bytes)):
        raise WrongType(name, f"must be an angle or a list of angles, got {phis!r} (str)")
    raw = np.atleast_1d(np.asarray(phis))
    if raw.ndim != 1 or raw.size == 0:
        raise InvalidArgument(name, "must be a non-empty list of angles")
    if raw.dtype.kind not in "iufO" or (raw.dtype.kind == "O" and not all(isinstance(x, numbers.Real) for x in raw)):
        raise WrongType(name, f"must be a list of real angles, got dtype {raw.dtype}")
    arr = raw.astype(float)
    for x in arr:
        check_angle(x, name=name, upper=upper)
    return arr


def check_finite_array(a, name: str, ndim: Iterable[int] | None = None) -> np.ndarray:
    """A finite float array with one of the allowed numbers of dimensions.

    Complex arrays (whose imaginary part a float conversion would drop), strings
    and objects that are not real numbers are refused.

    Examples
    --------
    >>> check_finite_array([[1, 2]], "data", ndim=(2,)).dtype
    dtype('float64')
    >>> import numpy as np
    >>> check_finite_array(np.ones(2) * 1j, "data")
    Traceback (most recent call last):
    ...
    verify.validation.WrongType: data: must be real, got complex numbers (complex128); ...
    """
    import numpy as np

    try:
        raw = np.asarray(a)
        if raw.dtype.kind == "c":
            raise WrongType(name, f"must be real, got complex numbers ({raw.dtype}); the imaginary part "
                                  "would be lost")
        if raw.dtype.kind == "O" and not all(isinstance(x, numbers.Real) for x in raw.flat):
            raise WrongType(name, "must be a numeric array, got Python objects that are not real numbers")
        if raw.dtype.kind not in "biufO":
            raise WrongType(name, f"must be a real numeric array, got dtype {raw.dtype}")
        arr = raw.astype(float)
    except (TypeError, ValueError) as err:
        if isinstance(err, InvalidArgument):
            raise
        raise InvalidArgument(name, "must be a numeric array") from None
    if ndim is not None and arr.ndim not in tuple(ndim):
        raise InvalidArgument(name, f"must have {' or '.join(map(str, ndim))} dimensions, got shape {arr.shape}")
    if arr.size == 0:
        raise InvalidArgument(name, "must not be empty")
    if not np.all(np.isfinite(arr)):
        raise InvalidArgument(name, "contains NaN or infinite entries")
    return arr


def check_vector(v, name: str, p: int | None = None, nonzero: bool = True) -> np.ndarray:
    """A finite 1-D vector (of length ``p``), non-zero when an angle needs it."""
    import numpy as np

    arr = check_finite_array(v, name, ndim=(1,))
    if p is not None and arr.shape[0] != p:
        raise InvalidArgument(name, f"must have length p={p}, got {arr.shape[0]}")
    if nonzero and not np.any(arr):
        raise InvalidArgument(name, "must be non-zero (its direction is needed)")
    return arr


def check_seed(seed) -> int | None:
    """A seed for :func:`numpy.random.default_rng`: None or a non-negative int."""
    import numpy as np

    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidArgument("seed", f"must be a non-negative integer, got {seed!r}")
    return int(seed)


def format_bytes(n: float) -> str:
    """A byte count in decimal units (B, kB, MB, GB, TB, PB, EB), three significant digits.

    Examples
    --------
    >>> format_bytes(3.2e9), format_bytes(8e16), format_bytes(512)
    ('3.2 GB', '80 PB', '512 B')
    """
    n = float(n)
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000:
            return f"{n:.3g} {unit}"
        n /= 1000
    return f"{n:.3g} EB"


def available_memory() -> int:
    """Bytes of memory this machine can give now: MemAvailable of /proc/meminfo, else os.sysconf.

    Examples
    --------
    >>> available_memory() > 0
    True
    """
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        pages = os.sysconf("SC_AVPHYS_PAGES")
        if pages <= 0:
            pages = os.sysconf("SC_PHYS_PAGES")
        return int(pages) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return 2**34  # unknown (not POSIX): assume 16 GiB


#: Room kept below the system's path limit for the names a run writes inside its output folder
#: (``.verify-tmp.<pid>.claims.json.<random>.tmp`` and the like).
_ROOM_FOR_FILE_NAMES = 96


def _check_path_length(target: Path, name: str) -> None:
    """Each component within the file system's NAME_MAX and the whole within PATH_MAX (less the run's own names)."""
    existing = next((p for p in (target, *target.parents) if os.path.isdir(p)), Path("."))
    try:
        name_max, path_max = os.pathconf(existing, "PC_NAME_MAX"), os.pathconf(existing, "PC_PATH_MAX")
    except (OSError, ValueError):          # no limits to ask for: nothing to check here
        return
    too_long = [part for part in target.parts if len(os.fsencode(part)) > name_max]
    if too_long:
        raise InvalidArgument(name, f"a folder name of {len(os.fsencode(too_long[0]))} bytes is longer than the "
                                    f"file system allows ({name_max}); give a shorter name")
    length = len(os.fsencode(os.path.abspath(target)))
    if length + _ROOM_FOR_FILE_NAMES > path_max:
        raise InvalidArgument(name, f"the path is {length} bytes long; the files written inside it need it under "
                                    f"{path_max - _ROOM_FOR_FILE_NAMES} bytes")


def check_output_directory(path, name: str = "out", needs_bytes: int = 0) -> Path:
    """A directory the run can write its files into, checked before any work starts; nothing is created.

    An existing directory must accept a new file (a probe file is created and
    removed); a missing one must have, as its nearest existing parent, a
    writable directory (not a regular file) with at least ``needs_bytes`` free
    (``shutil.disk_usage``: a full disk is found before the work, not after it).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_directory(d / "new" / "deeper") == d / "new" / "deeper", sorted(d.iterdir())
    (True, [])
    >>> (d / "f").write_text("x") and None
    >>> check_output_directory(d / "f" / "sub")
    Traceback (most recent call last):
    ...
    verify.validation.InvalidArgument: out: ... is under the regular file ...
    """
    if path is None or str(path).strip() == "":
        raise InvalidArgument(name, "must name a directory, got an empty path")
    target = Path(path)
    _check_path_length(target, name)
    probe_dir = target
    while not probe_dir.exists():
        if probe_dir.is_symlink():
            raise InvalidArgument(name, f"{str(target)!r} goes through the broken symbolic link {str(probe_dir)!r}")
        parent = probe_dir.parent
        if parent == probe_dir:
            break
        probe_dir = parent
    if probe_dir.exists() and not probe_dir.is_dir():
        if probe_dir == target:
            raise InvalidArgument(name, f"{str(target)!r} exists and is not a directory; give a directory")
        raise InvalidArgument(name, f"{str(target)!r} is under the regular file {str(probe_dir)!r}; "
                                    "give a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=".verify-probe.", dir=probe_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        where = "" if probe_dir == target else f" (its nearest existing parent {str(probe_dir)!r})"
        raise InvalidArgument(name, f"cannot write in {str(target)!r}{where}: "
                                    f"{err.strerror or type(err).__name__}; give a writable directory") from None
    free = shutil.disk_usage(probe_dir).free
    if free < needs_bytes:
        raise InvalidArgument(name, f"{str(target)!r} has {free / 2**20:.2g} MiB free and the output needs about "
                                    f"{needs_bytes / 2**20:.2g} MiB; free some space or give another directory")
    return target

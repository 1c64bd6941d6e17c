"""The HTML report: every claim's verdict, the constants' curves, the §4 reproductions, provenance.

:func:`build_report` is what ``verify report`` runs.  It

1. starts the claim checker in a subprocess (``python -m pytest properties/
   --claims-json FILE`` under ``VERIFY_PROFILE=<profile>``), which writes one
   verdict per registry claim (:mod:`verify.pytest_plugin`);
2. meanwhile, in this process, runs every experiment of
   :data:`verify.experiments.EXPERIMENTS` and computes the report's own figures:
   γ(φ), L(φ), L_{−w*}(φ) against βφ for the built-in laws, L_cross of the
   patch laws, and the initialization probability of Theorem 3.4 against each
   reading of its bound;
3. waits for the checker, and writes ``claims.json`` (the checker's JSON plus
   the experiments' findings, a summary and provenance) and ``index.html``
   (one self-contained page: inline CSS and SVG, no script, nothing fetched).

Both files are written atomically (:func:`write_json_atomically`,
:func:`write_text_atomically`) and only once everything has been computed, so
a crash at any point leaves the previous report as it was.

The pieces are public so that they can be tested alone, fast:
:func:`render_html` turns a claims document, experiment records, figures and a
provenance record into the page; :func:`summary_counts` is the one place the
verdict counts come from (the page and ``claims.json`` both use it).

Notes
-----
Claim-checker exit status: 0 (all tests passed) and 1 (some test failed) both
give a report; with 1 the page opens with a red banner quoting pytest's
summary, and ``claims.json`` records ``provenance.claim_checker.exit_status = 1``.  Any
other status (usage error, interrupted, no tests collected, internal error) or
a missing claims file raises :class:`ReportError` and writes nothing.
"""
from __future__ import annotations

import datetime as _dt
import html
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from .figures import PALETTE, Series, heatmap, image_grid, line_plot, pi_ticks
from .validation import InvalidArgument, check_seed

__all__ = [
    "PROFILES",
    "VERDICTS",
    "FIGURE_SETTINGS",
    "Figure",
    "ReportError",
    "build_report",
    "render_html",
    "summary_counts",
    "write_json_atomically",
    "write_text_atomically",
    "write_texts_atomically",
    "properties_dir",
    "run_claim_checker",
    "run_experiments",
    "constants_figures",
    "initialization_figures",
    "experiment_figures",
    "collect_provenance",
    "claims_document",
]

PROFILES = ("quick", "default", "thorough")
#: The three verdicts of a claim (CLAIMS.md §4: "holds" means on every instance tried,
#: with the estimation error accounted for); anything else is shown and counted as itself.
VERDICTS = ("holds", "refuted", "inconclusive")
#: Verdict given to a registry claim the checker said nothing about.
NOT_CHECKED = "not checked"

#: How hard the report's own figures work, by profile: angles on [0, π], Monte
#: Carlo draws for the patch laws, draws for L_cross / γ(0), and for the
#: Monte Carlo check of the initialization probability.
FIGURE_SETTINGS: dict[str, dict[str, int]] = {
    "quick": {"angles": 17, "n_mc": 20_000, "n_cross": 10_000, "n_init": 20_000},
    "default": {"angles": 33, "n_mc": 100_000, "n_cross": 50_000, "n_init": 200_000},
    "thorough": {"angles": 65, "n_mc": 400_000, "n_cross": 200_000, "n_init": 1_000_000},
}

Progress = Callable[[str], None]


class ReportError(RuntimeError):
    """The report could not be built (the claim checker failed to run); nothing was written."""


@dataclass(frozen=True)
class Figure:
    """One figure of the report.

    Attributes
    ----------
    id : str
        Stable identifier, the ``data-figure`` attribute of its ``<figure>``
        (``"gamma-L-curves"``, ``"fig3a"`` …): tests find figures by it.
    title : str
    caption : str
        Plain text (HTML-escaped when rendered).
    panels : tuple of str
        ``<svg>`` elements (from :mod:`verify.figures`), laid out side by side.
    section : {"constants", "initialization", "experiments"}
    data : dict
        The numbers behind the figure, JSON-ready (kept out of the page).
    """

    id: str
    title: str
    caption: str
    panels: tuple[str, ...]
    section: str
    data: dict = field(default_factory=dict, repr=False)


def _no_progress(message: str) -> None:
    return None


# ---------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------

def _write_temporary(text: str, path: Path) -> str:
    """``text`` in a new, fsynced temporary file beside ``path``; returns its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _file_mode(path))  # mkstemp makes 0600; the report is meant to be read
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _remove_quietly(tmp)
        raise
    return tmp


def _file_mode(path: Path) -> int:
    """The permission bits a replacement of ``path`` should have: the old file's, else 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


def write_texts_atomically(files: Mapping[Path, str]) -> list[Path]:
    """Write several files, each atomically, with every new file complete before the first replace.

    All texts go to temporary files beside their targets first; only when all
    are written does :func:`os.replace` move them in place, one by one.  A
    failure while writing leaves every target untouched and removes the
    temporary files.
    """
    written: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path = Path(path)
            written.append((_write_temporary(text, path), path))
        for i, (tmp, path) in enumerate(written):
            os.replace(tmp, path)
            written[i] = ("", path)
    except BaseException:
        for tmp, _ in written:
            if tmp:
                _remove_quietly(tmp)
        raise
    return [path for _, path in written]


def write_text_atomically(text: str, path) -> Path:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old file or the new one, never a part.

    The text goes to a temporary file in the same directory, is flushed and
    fsynced, and then :func:`os.replace` puts it in place (atomic on POSIX and
    Windows within one file system).  On any failure the temporary file is
    removed and ``path`` is untouched.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return write_texts_atomically({Path(path): text})[0]


def _jsonable(obj: Any) -> Any:
    """Plain JSON types: numpy scalars and arrays unwrapped, NaN and ±inf as ``None``."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer, int)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        value = float(obj)
        return value if math.isfinite(value) else None
    if obj is None or isinstance(obj, str):
        return obj
    if hasattr(obj, "to_dict"):
        return _jsonable(obj.to_dict())
    return str(obj)


def json_text(data: Any) -> str:
    """``data`` as indented, strict JSON: numpy types unwrapped, NaN and ±inf as ``null``."""
    return json.dumps(_jsonable(data), indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write_json_atomically(data: Any, path) -> Path:
    """Write ``data`` as indented, strict JSON to ``path`` atomically (see :func:`write_text_atomically`).

    numpy scalars and arrays are converted; NaN and ±inf become ``null`` (strict
    JSON has no spelling for them), as in :mod:`verify.dynamics`' records.  The
    JSON is produced before anything is written, so data that cannot be
    serialised leaves ``path`` untouched.
    """
    return write_text_atomically(json_text(data), path)


# ---------------------------------------------------------------------------
# The claim checker
# ---------------------------------------------------------------------------

def properties_dir() -> Path:
    """The ``properties/`` test directory next to the installed (editable) package."""
    import verify

    path = Path(verify.__file__).resolve().parents[1] / "properties"
    if not path.is_dir():
        raise InvalidArgument("properties", f"the claim checker's tests are not at {path} (the report needs a "
                                            "source checkout: pip install -e .)")
    return path


@dataclass
class _CheckerRun:
    process: subprocess.Popen
    json_path: Path
    log_path: Path
    command: list[str]
    started: float


def _start_claim_checker(profile: str, workdir: Path) -> _CheckerRun:
    props = properties_dir()
    json_path, log_path = workdir / "claims-raw.json", workdir / "pytest.log"
    command = [sys.executable, "-m", "pytest", str(props), "-q", "-p", "no:cacheprovider",
               "--claims-json", str(json_path)]
    env = dict(os.environ, VERIFY_PROFILE=profile)
    log = open(log_path, "w", encoding="utf-8")
    try:
        process = subprocess.Popen(command, cwd=props.parent, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    finally:
        log.close()
    return _CheckerRun(process, json_path, log_path, command, time.monotonic())


def _pytest_summary(output: str) -> str:
    """pytest's last summary line (``3 failed, 40 passed in 12.3s``), or ''."""
    for line in reversed(output.strip().splitlines()):
        text = line.strip().strip("=").strip()
        if " in " in text and any(w in text for w in ("passed", "failed", "error", "skipped", "no tests")):
            return text
    return ""


def _finish_claim_checker(run: _CheckerRun) -> tuple[dict, dict]:
    status = run.process.wait()
    wall = time.monotonic() - run.started
    output = run.log_path.read_text(encoding="utf-8", errors="replace")
    tail = "\n".join(output.splitlines()[-60:])
    failed = [line.strip() for line in output.splitlines() if line.startswith(("FAILED ", "ERROR "))]
    if status not in (0, 1):
        raise ReportError(f"claim checker failed: `{' '.join(run.command)}` exited with status {status} "
                          f"(0 and 1 are the only statuses that give a report); its output ended:\n{tail}")
    if not run.json_path.exists():
        raise ReportError(f"claim checker exited with status {status} but wrote no {run.json_path.name}; "
                          f"its output ended:\n{tail}")
    try:
        data = json.loads(run.json_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ReportError(f"claim checker wrote unreadable JSON ({err})") from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), dict):
        raise ReportError("claim checker JSON has no 'claims' object")
    status_record = {"exit_status": status, "passed": status == 0, "summary": _pytest_summary(output),
                     "command": "python -m pytest properties/ -q -p no:cacheprovider --claims-json FILE",
                     "wall_s": round(wall, 1), "output_tail": tail if status != 0 else "",
                     "profile": data.get("profile"), "seed": data.get("seed"), "failed_tests": failed[:50]}
    return data, status_record


def run_claim_checker(profile: str, progress: Progress | None = None) -> tuple[dict, dict]:
    """Run the claim checker (blocking) and return (its JSON, a status record).

    Parameters
    ----------
    profile : {"quick", "default", "thorough"}
        Passed as ``VERIFY_PROFILE``: the hypothesis profile, which also fixes
        the checker's randomness (quick and default are derandomized; the
        checker's JSON records its seed).

    Returns
    -------
    (dict, dict)
        The plugin's JSON (``{"claims": {...}, "profile", "seed", "versions"}``)
        and ``{"exit_status", "passed", "summary", "command", "wall_s", "output_tail"}``.

    Raises
    ------
    ReportError
        Exit status other than 0 or 1, or no readable JSON.
    """
    progress = progress or _no_progress
    with tempfile.TemporaryDirectory(prefix="verify-claims-") as tmp:
        run = _start_claim_checker(profile, Path(tmp))
        progress(f"claim checker running (pytest properties/, profile {profile})")
        return _finish_claim_checker(run)


# ---------------------------------------------------------------------------
# Experiments
# ---------------------------------------------------------------------------

def run_experiments(profile: str, seed: int = 0, progress: Progress | None = None,
                    names: Iterable[str] | None = None) -> dict[str, dict]:
    """Every §4 experiment (or those in ``names``) as its JSON-ready record (``ExperimentResult.to_dict()``).

    An experiment that raises is recorded as ``{"name", "error"}`` and shown in
    red in the report, instead of losing the others; :class:`InvalidArgument`
    still propagates (a bad profile or seed is the caller's error).
    """
    from .experiments import EXPERIMENTS, run_experiment

    progress = progress or _no_progress
    out: dict[str, dict] = {}
    for name in (list(names) if names is not None else list(EXPERIMENTS)):
        t0 = time.monotonic()
        try:
            record = run_experiment(name, profile=profile, seed=seed).to_dict()
        except InvalidArgument:
            raise
        except Exception as err:  # noqa: BLE001 - recorded and shown, not swallowed
            record = {"name": name, "error": f"{type(err).__name__}: {err}"}
        record.setdefault("runtime_s", time.monotonic() - t0)
        progress(f"experiment {name}: {record.get('verdict', 'ERROR')} ({time.monotonic() - t0:.1f} s)")
        out[name] = record
    return out


# ---------------------------------------------------------------------------
# Figures: distribution constants
# ---------------------------------------------------------------------------

#: (label, name, p, options, method, the paper's β if it states one for this law)
CONSTANT_LAWS = (
    ("N(0, I₅)", "gaussian", 5, {}, "exact", (5.0, "paper's β = p (Thm A.2)")),
    ("uniform on S⁴ (p = 5)", "sphere", 5, {}, "exact", (1.0, "paper's β = 1 (Thm A.1)")),
    ("angular mixture σ = 0.5, p = 3", "mixture", 3, {"sigma": 0.5}, "quad", None),
    ("angular mixture σ = 1, p = 3", "mixture", 3, {"sigma": 1.0}, "quad", None),
    ("angular mixture σ = 2, p = 3", "mixture", 3, {"sigma": 2.0}, "quad", None),
    ("patches σ_patch = 0.1, k = 4, p = 3", "patches", 3, {"sigma_patch": 0.1, "k": 4}, "mc", None),
    ("patches σ_patch = 0.5, k = 4, p = 3", "patches", 3, {"sigma_patch": 0.5, "k": 4}, "mc", None),
)
#: σ_patch values of the L_cross figure (k = 4, p = 3).
CROSS_SIGMAS = (0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0)


def _values(estimates) -> tuple[np.ndarray, np.ndarray]:
    """(values, 95 % half-widths) of a list of Estimates."""
    return (np.array([e.value for e in estimates]), np.array([e.half_width(0.95) for e in estimates]))


def constants_figures(profile: str, seed: int = 0, progress: Progress | None = None) -> list[Figure]:
    """γ(φ), L(φ), L_{−w*}(φ) against βφ for each law of :data:`CONSTANT_LAWS`; L_cross of the patch laws.

    Notes
    -----
    CLAIMS.md §2 (Definition 2.1, Assumption 2.1) and §3 (Assumption 3.2).  Bands
    are 95 % intervals (t or normal quantile × standard error for ``mc``; the
    absolute bound for ``quad``; rounding for ``exact``).  β is the *tight* β
    of each law (:func:`verify.quantities.beta`); for the rotation-invariant laws
    the β the paper proves is drawn too (Theorems A.1, A.2), clipped at the top.
    """
    from . import quantities as Q
    from .distributions import make_distribution

    progress = progress or _no_progress
    cfg = FIGURE_SETTINGS[profile]
    phis = np.linspace(0.0, math.pi, cfg["angles"])
    panels, data = [], {}
    for label, name, p, options, method, paper_beta in CONSTANT_LAWS:
        t0 = time.monotonic()
        dist = make_distribution(name, p, **options)
        kw = {"method": method, "seed": seed}
        if method in ("mc", "qmc"):
            kw["n"] = cfg["n_mc"]
        curves = Q.curves(dist, phis, ("gamma", "L", "L_neg"), **kw)
        beta = Q.beta(dist, **kw)
        g, ge = _values(curves["gamma"])
        L, Le = _values(curves["L"])
        Ln, Lne = _values(curves["L_neg"])
        half = phis[phis <= math.pi / 2 + 1e-12]
        series = [Series("γ(φ)", phis, g, error=ge, color=PALETTE[0]),
                  Series("L(φ)", phis, L, error=Le, color=PALETTE[1]),
                  Series("L₋w*(φ)", phis, Ln, error=Lne, color=PALETTE[2]),
                  Series(f"βφ, tight β = {beta.value:.3g}", half, beta.value * half, color="#222", dash="dashed")]
        if paper_beta is not None:
            series.append(Series(f"{paper_beta[1]}", half, paper_beta[0] * half, color="#888", dash="dotted"))
        top = float(np.nanmax(np.r_[L + Le, Ln + Lne, beta.value * half])) * 1.08
        panels.append(line_plot(series, title=f"{label} — {method}", xlabel="φ = θ(w, w*)",
                                ylabel="eigenvalue", xticks=pi_ticks(), ylim=(0.0, top),
                                vlines=[(math.pi / 2, "")], width=366, height=280, legend_columns=2))
        data[label] = {"method": method, "n": kw.get("n"), "phi": phis, "gamma": g, "L": L, "L_neg": Ln,
                       "beta": beta.to_dict()}
        progress(f"constants: {label} by {method} ({time.monotonic() - t0:.1f} s)")
    curves_fig = Figure(
        "gamma-L-curves", "γ(φ), L(φ) and L₋w*(φ) against βφ",
        "Definition 2.1 and Assumption 2.1 for the built-in laws: γ (smallest eigenvalue) and L (largest) of "
        "A_{w,w*} at angle φ, and L₋w*(φ), the largest eigenvalue of A_{w,−w*} over θ ≤ φ, which Assumption 2.1 "
        "bounds by βφ on [0, π/2] (dashed: the tight β of the law, sup L₋w*(φ)/φ; dotted: the β the paper "
        "proves). Bands: 95 % intervals (exact: rounding only; quad: absolute bound; mc: t × standard error). "
        "Where the direction set is searched (p = 3, non-rotational laws) γ is an upper bound and L, L₋w*, β "
        "lower bounds on the true extrema.",
        tuple(panels), "constants", data)

    # L_cross of the patch laws against σ_patch, with γ(0)/6 (Theorem 3.1 needs γ(φ0) > 6 L_cross)
    lc, lce, g0, g0e = [], [], [], []
    t0 = time.monotonic()
    for sigma in CROSS_SIGMAS:
        dist = make_distribution("patches", 3, sigma_patch=sigma, k=4)
        est = Q.L_cross(dist, method="mc", n=cfg["n_cross"], seed=seed)
        gamma0 = Q.gamma(dist, 0.0, method="mc", n=cfg["n_cross"], seed=seed)
        lc.append(est.value), lce.append(est.half_width(0.95))
        g0.append(gamma0.value / 6), g0e.append(gamma0.half_width(0.95) / 6)
    progress(f"constants: L_cross over {len(CROSS_SIGMAS)} patch laws ({time.monotonic() - t0:.1f} s)")
    sig = np.array(CROSS_SIGMAS)
    cross_panel = line_plot(
        [Series("L_cross (tight, lower bound)", sig, lc, error=lce, markers=True, color=PALETTE[3]),
         Series("γ(0)/6", sig, g0, error=g0e, markers=True, color=PALETTE[0], dash="dashed")],
        title="patches, k = 4, p = 3 — mc", xlabel="σ_patch (angle of a patch to the base patch)",
        ylabel="value", xscale="log", width=440, height=290)
    crossing = [s for s, a, b in zip(CROSS_SIGMAS, lc, g0) if a >= b]
    if len(crossing) == len(CROSS_SIGMAS):
        verdict = "by these estimates the condition fails at every σ_patch shown"
    elif crossing:
        verdict = f"by these estimates it fails for σ_patch ≥ {min(crossing):g}"
    else:
        verdict = "by these estimates it holds at every σ_patch shown"
    cross_fig = Figure(
        "L-cross", "L_cross of the patch laws",
        "Assumption 3.2: L_cross (the tight constant: the sup over θ ∈ (0, π/2] of the summed cross-moment singular "
        "values divided by θ, found on a grid and over searched directions, so a lower bound) for the "
        "patch-closeness law of Fig. 3b, against γ(0)/6 (γ found by search, so an upper bound). Theorem 3.1 needs "
        f"γ(φ0) > 6 L_cross, and γ(φ0) ≤ γ(0), so it can apply only where the dashed curve lies above L_cross: "
        f"{verdict} (the two one-sided errors both favour the condition, so a failure shown here is real up to the "
        "Monte Carlo bands). Bands: 95 % intervals.",
        (cross_panel,), "constants",
        {"sigma_patch": CROSS_SIGMAS, "L_cross": lc, "L_cross_half_width": lce, "gamma0_over_6": g0})
    return [curves_fig, cross_fig]


# ---------------------------------------------------------------------------
# Figures: Theorem 3.4
# ---------------------------------------------------------------------------

_READING_STYLE = {"proof": ("#000000", "dashed"), "sqrt_p_over_2pi": (PALETTE[1], "dashdot"),
                  "sqrt_p2_over_2pi": (PALETTE[2], "dotted"), "sqrt_p_over_pi": (PALETTE[3], "dashed")}
_READING_LABEL = {"proof": "½ − α V_{p−1}/V_p (proof)", "sqrt_p_over_2pi": "½ − α√(p/2π)",
                  "sqrt_p2_over_2pi": "½ − α√((p+2)/2π)", "sqrt_p_over_pi": "½ − α√(p/π)"}


def initialization_figures(profile: str, seed: int = 0, progress: Progress | None = None) -> list[Figure]:
    """Theorem 3.4: the exact success probability against every reading of its bound, over α and over p.

    Notes
    -----
    CLAIMS.md §4, claims 16 and 17.  Exact: :func:`verify.initialization.success_probability`
    (two spherical caps); bounds: :func:`~verify.initialization.init_bounds`
    (keys of :data:`~verify.initialization.BOUND_READINGS`); Monte Carlo points
    (:func:`~verify.initialization.success_probability_mc`) with 95 % bars check
    the exact curve independently.
    """
    from . import initialization as I

    progress = progress or _no_progress
    cfg = FIGURE_SETTINGS[profile]
    readings = list(I.BOUND_READINGS)
    t0 = time.monotonic()

    # (a) over α at fixed p
    panels, data = [], {}
    for p in (3, 25):
        alphas = np.linspace(0.005, 0.995, 199)
        exact = I.success_probability(p, alphas)
        bounds = {r: np.array([I.init_bounds(p, a)[r] for a in alphas]) for r in readings}
        mc_alphas = np.array([0.05, 0.15, 0.3, 0.5, 0.7, 0.9])
        mc = [I.success_probability_mc(p, float(a), n=cfg["n_init"], seed=seed) for a in mc_alphas]
        series = [Series("exact P(success)", alphas, exact, color=PALETTE[0], width=2.4)]
        series += [Series(_READING_LABEL.get(r, r), alphas, bounds[r], color=_READING_STYLE.get(r, ("#555",))[0],
                          dash=_READING_STYLE.get(r, ("", "dashed"))[1]) for r in readings]
        series.append(Series(f"Monte Carlo (n = {cfg['n_init']:,}), 95 %", mc_alphas, [e.value for e in mc],
                             error=[e.half_width(0.95) for e in mc], error_style="bars", markers=True,
                             color=PALETTE[4], width=0.001))
        a_max = I.alpha_max(p)
        panels.append(line_plot(series, title=f"p = {p}", xlabel="α = radius of the init ball / ‖w*‖",
                                ylabel="probability", ylim=(-0.1, 0.55), vlines=[(a_max, "α_max = 1/√(2p)")],
                                hlines=[(0.0, "")], width=440, height=300, legend_columns=2))
        data[f"p={p}"] = {"alpha": alphas, "exact": exact, "bounds": bounds,
                          "mc": {"alpha": mc_alphas, "estimates": [e.to_dict() for e in mc]}}
    alpha_fig = Figure(
        "init-probability-alpha", "Theorem 3.4: success probability against the init radius α",
        "The exact probability that w0, uniform in the ball of radius α‖w*‖, lands within √(1−α²)‖w*‖ of w* "
        "(a lens of two balls, summed as two spherical caps), against every reading of the theorem's lower bound "
        "(see the claim thm34-init). A reading holds where it stays below the exact curve; Theorem 3.4 asks "
        "α ≤ α_max = √(1/(2p)) (vertical line). Orange points: independent Monte Carlo with 95 % bars.",
        tuple(panels), "initialization", data)

    # (b) over p at α = α_max(p), and the Corollary 3.1 radius
    ps = np.unique(np.round(np.geomspace(1, 1000, 60)).astype(int))
    at_max = np.array([I.success_probability(int(p), I.alpha_max(int(p))) for p in ps])
    bmax = {r: np.array([I.init_bounds(int(p), I.alpha_max(int(p)))[r] for p in ps]) for r in readings}
    series = [Series("exact, α = α_max(p)", ps, at_max, color=PALETTE[0], width=2.4)]
    series += [Series(_READING_LABEL.get(r, r), ps, bmax[r], color=_READING_STYLE.get(r, ("#555",))[0],
                      dash=_READING_STYLE.get(r, ("", "dashed"))[1]) for r in readings]
    cor = None
    if hasattr(I, "corollary31_cos_max"):
        cor = np.array([I.success_probability(int(p), I.corollary31_cos_max(int(p))) for p in ps])
        series.append(Series("exact, α = √(π/(8p)) (Cor. 3.1)", ps, cor, color=PALETTE[5], width=2.0))
    p_panel = line_plot(series, title="at the largest admissible α", xlabel="p (filter size)",
                        ylabel="probability", xscale="log", ylim=(0.0, 0.5), hlines=[(0.25, "¼ (Cor. 3.1)")],
                        width=520, height=300, legend_columns=2)

    # (c) slack of the printed reading over (p, α/α_max)
    strongest = "sqrt_p_over_2pi" if "sqrt_p_over_2pi" in readings else readings[0]
    hp = np.unique(np.round(np.geomspace(1, 1000, 40)).astype(int))
    frac = np.linspace(0.025, 1.0, 40)
    slack = np.empty((frac.size, hp.size))
    for j, p in enumerate(hp):
        a = frac * I.alpha_max(int(p))
        exact = I.success_probability(int(p), a)
        slack[:, j] = exact - np.array([I.init_bounds(int(p), float(x))[strongest] for x in a])
    heat = heatmap(slack, hp, frac, title=f"exact − ({_READING_LABEL.get(strongest, strongest)})",
                   xlabel="p (filter size)", ylabel="α / α_max(p)", colorbar_label="slack of the bound",
                   cmap="viridis", xscale="log", contour_zero=True, width=440, height=300)
    violated = int(np.sum(slack < 0))
    p_fig = Figure(
        "init-probability-p", "Theorem 3.4 over the filter size p",
        "Left: at α = α_max(p) = √(1/(2p)), the exact probability and each reading of the bound as p grows (the "
        "readings depend on α√p only, so they are flat here); the light-blue curve is the exact probability at "
        "Corollary 3.1's radius cos φ* = √(π/(8p)), which the corollary says exceeds ¼. Right: the slack "
        f"exact − bound of the printed reading ({_READING_LABEL.get(strongest, strongest)}), the one that is not "
        f"implied by the proof, over p and α ≤ α_max; black outlines would mark where it fails "
        f"({'none do' if violated == 0 else f'{violated} grid cells do'}).",
        (p_panel, heat), "initialization",
        {"p": ps, "exact_at_alpha_max": at_max, "bounds_at_alpha_max": bmax, "exact_at_cor31": cor,
         "slack_reading": strongest, "slack_min": float(np.min(slack))})
    progress(f"initialization figures ({time.monotonic() - t0:.1f} s)")
    return [alpha_fig, p_fig]


# ---------------------------------------------------------------------------
# Figures: the §4 experiments
# ---------------------------------------------------------------------------

def _arr(values) -> np.ndarray:
    return np.array([[math.nan if v is None else v for v in row] if isinstance(row, (list, tuple)) else
                     (math.nan if row is None else row) for row in values], dtype=float)


def _rate_figure(name: str, record: dict, key: str, symbol: str) -> tuple[tuple[str, ...], str]:
    s = record["series"]
    settings = s[key]
    steps = _arr(s["steps"])
    curves = [Series(f"{symbol} = {v:g}", steps, _arr(c), color=PALETTE[i % len(PALETTE)])
              for i, (v, c) in enumerate(zip(settings, s["median_log10_relative_distance"]))]
    conv = line_plot(curves, title="median over seeds", xlabel="SGD step t",
                     ylabel="log₁₀ ‖w_t − w*‖ / ‖w*‖", width=440, height=300, legend_columns=2)
    ci = _arr(s["rate_ci"])
    rates = line_plot([Series("mean rate, 95 % t-interval", settings, _arr(s["rate_mean"]), lower=ci[:, 0],
                              upper=ci[:, 1], error_style="bars", markers=True, color=PALETTE[0])],
                      title="convergence rate by setting", xlabel=symbol, ylabel="rate −d ln‖w_t − w*‖/dt",
                      xscale="log", width=380, height=300)
    n = record.get("parameters", {}).get("seeds", "?")
    caption = (f"Left: the median over {n} seeded SGD runs of log₁₀ of the relative distance to w*, one curve per "
               f"{symbol}; the curves flatten where rounding (not the dynamics) takes over. Right: the convergence "
               f"rate of each run (−slope of ln‖w_t − w*‖ against t above the floor), mean over the seeds with a "
               f"95 % Student-t interval. The claim predicts a monotone order of the rates in {symbol}.")
    return (conv, rates), caption


def _real_figure(name: str, record: dict) -> tuple[tuple[str, ...], str]:
    s = record["series"]
    params = record.get("parameters", {})
    steps = _arr(s["steps"])
    near = params.get("near_zero")
    hl = [(near, "near zero")] if near is not None else []
    curves = [Series(f"α = {a:g}", steps, _arr(c), color=PALETTE[i % len(PALETTE)])
              for i, (a, c) in enumerate(zip(s["alphas"], s["mean_log_relative_loss"]))]
    conv = line_plot(curves, title="mean over seeds", xlabel="SGD step t", ylabel="ln relative loss",
                     hlines=hl, width=440, height=300)
    ci = _arr(s["final_mean_ci"])
    final = line_plot([Series("final, mean and 95 % t-interval", s["alphas"], ci[:, 0], lower=ci[:, 1],
                              upper=ci[:, 2], error_style="bars", markers=True, color=PALETTE[0])],
                      title="final loss by initial distance", xlabel="α = ‖w0 − w*‖/‖w*‖",
                      ylabel="ln relative loss at T", hlines=hl, width=380, height=300)
    n = params.get("seeds", "?")
    caption = ("Left: ln of the relative loss (mean squared error over the squared mean label, on all digit "
               f"patches) along SGD, mean over {n} runs for each initial distance α; the dotted line is the "
               "'near zero' threshold. Right: the final value with a 95 % Student-t interval over the runs; the "
               "paper's 'better initializations converge faster' predicts it increases with α.")
    return (conv, final), caption


def _filters_figure(name: str, record: dict) -> tuple[tuple[str, ...], str]:
    panels = []
    for kind in ("random", "gabor"):
        part = record["series"].get(kind)
        if not part:
            continue
        learned = part.get("learned_all") or part["learned"]
        if np.ndim(learned) == 2:  # one filter rather than a list of them
            learned = [learned]
        true = part["true"]
        teachers = list(true) if np.ndim(true) == 3 else [true] * len(learned)  # one teacher per run, or shared
        cos = part.get("cosine_similarity") or [None] * len(learned)
        images, labels = [], []
        shown = min(len(learned), 3)
        shared_teacher = np.ndim(true) == 2
        if shared_teacher:
            images.append(true)
            labels.append("true w*")
        for i in range(shown):
            if not shared_teacher:
                images.append(teachers[i])
                labels.append(f"true w*, run {i + 1}")
            images.append(learned[i])
            labels.append(f"learned, run {i + 1}" + (f"\ncos = {cos[i]:.3f}" if cos[i] is not None else ""))
        title = "random N(0, 1) teacher" if kind == "random" else "Gabor teacher"
        panels.append(image_grid(images, labels, title=title, cell=80, cmap="diverging", shared_scale=True))
    caption = ("The teacher filter w* and the filter SGD learned from it, for the first runs from the middle "
               "initial distance, on one colour scale per teacher: red positive, blue negative, white zero. "
               "cos is the cosine similarity of the learned filter to its teacher.")
    return tuple(panels), caption


def _segment_figure(name: str, record: dict) -> tuple[tuple[str, ...], str]:
    s = record["series"]
    alpha = _arr(s["alpha"])
    near = record.get("parameters", {}).get("near_zero")
    panels = []
    for kind in ("random", "gabor"):
        part = s.get(kind)
        if not part:
            continue
        series = [Series("learned filters" if i == 0 else "", np.r_[0.0, alpha], np.r_[math.nan, _arr(c)],
                         color=PALETTE[0], width=1.2) for i, c in enumerate(part["log_relative_loss"])]
        hl = [(near, "near zero")] if near is not None else []
        control = _arr(part.get("control_log_relative_loss") or [])
        if control.size and np.isfinite(control).any():
            hl.append((float(np.nanmedian(control)), "random direction, same distance (median)"))
        title = "random N(0, 1) teacher" if kind == "random" else "Gabor teacher"
        panels.append(line_plot(series, title=title, xlabel="α along α·w + (1 − α)·w*",
                                ylabel="ln relative loss", xlim=(0.0, 1.0), hlines=hl, width=420, height=300))
    caption = ("ln of the relative loss on the segment α·w + (1 − α)·w* from the true filter (α = 0, loss exactly "
               "0, ln = −∞) to each learned filter w (α = 1). The upper dotted line is the median loss at random "
               "points as far from w* as the learned filter: a segment far below it means the learned filter "
               "differs from w* along directions the data hardly span (the paper's Appendix B explanation).")
    return tuple(panels), caption


#: name → drawer(name, record) -> (panels, caption)
_EXPERIMENT_DRAWERS: dict[str, Callable[[str, dict], tuple[tuple[str, ...], str]]] = {
    "fig3a": lambda n, r: _rate_figure(n, r, "sigma", "σ"),
    "fig3b": lambda n, r: _rate_figure(n, r, "sigma_patch^2", "σ_patch²"),
    "fig3c": _real_figure,
    "fig3d": _real_figure,
    "fig4": _filters_figure,
    "fig5": _segment_figure,
}


def experiment_figures(experiments: Mapping[str, dict]) -> list[Figure]:
    """One :class:`Figure` per experiment record (id = the experiment's name).

    A record whose series cannot be drawn (an unknown experiment, a changed
    layout, an experiment that raised) gets a figure without panels and a
    caption that says why — the page then shows the gap instead of hiding it.
    """
    figures = []
    for name, record in experiments.items():
        panels: tuple[str, ...] = ()
        caption = record.get("title", "")
        if "error" in record:
            caption = f"The experiment failed: {record['error']}"
        elif name not in _EXPERIMENT_DRAWERS:
            caption = f"No drawing is defined for experiment {name!r}; its numbers are in claims.json."
        else:
            try:
                panels, caption = _EXPERIMENT_DRAWERS[name](name, record)
            except (KeyError, IndexError, TypeError, ValueError) as err:
                caption = f"Could not draw {name}: {type(err).__name__}: {err}"
        figures.append(Figure(name, record.get("title", name), caption, panels, "experiments"))
    return figures


# ---------------------------------------------------------------------------
# Provenance and the claims document
# ---------------------------------------------------------------------------

def _git_commit(root: Path) -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + (" (with uncommitted changes)" if dirty else "") if commit else "unknown"


def _versions() -> dict[str, str]:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for dist in ("convfilter-verify", "numpy", "scipy", "hypothesis", "mpmath", "pytest", "scikit-learn"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def collect_provenance(profile: str, seed: int, wall_s: float, *, checker: dict | None = None,
                       timings: dict | None = None, started: _dt.datetime | None = None) -> dict[str, Any]:
    """Everything needed to repeat the report: versions, seed, profile, date (UTC), git commit, wall time.

    ``checker`` is the claim checker's status record (:func:`run_claim_checker`),
    ``timings`` the seconds per phase.
    """
    import verify

    root = Path(verify.__file__).resolve().parents[1]
    started = started or _dt.datetime.now(_dt.timezone.utc)
    return {
        "profile": profile,
        "seed": seed,
        "date_utc": started.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "git_commit": _git_commit(root),
        "versions": _versions(),
        "platform": f"{platform.system()} {platform.release()} ({platform.machine()}), {os.cpu_count()} CPUs",
        "wall_time_s": round(wall_s, 1),
        "timings_s": {k: round(v, 1) for k, v in (timings or {}).items()},
        "claim_checker": checker or {},
        "command": f"verify report --profile {profile} --seed {seed}",
    }


def _registry_ids() -> list[str]:
    try:
        from .claims import REGISTRY
    except ImportError:
        return []
    return list(REGISTRY)


def _registry_entry(cid: str) -> dict:
    try:
        from .claims import REGISTRY
    except ImportError:
        return {}
    entry = REGISTRY.get(cid)
    if entry is None:
        return {}
    if isinstance(entry, Mapping):
        return dict(entry)
    if hasattr(entry, "to_dict"):
        return dict(entry.to_dict())
    return {k: getattr(entry, k) for k in ("source", "statement", "reconstructed", "reconstructed_from", "kind")
            if hasattr(entry, k)}


def summary_counts(claims_doc: Mapping) -> dict[str, int]:
    """Claims per verdict: the three of :data:`VERDICTS` always, then any other verdict found, and ``total``."""
    counts = {v: 0 for v in VERDICTS}
    for entry in claims_doc.get("claims", {}).values():
        verdict = str(entry.get("verdict", NOT_CHECKED))
        counts[verdict] = counts.get(verdict, 0) + 1
    counts["total"] = sum(counts.values())
    return counts


def claims_document(raw: Mapping, experiments: Mapping[str, dict], provenance: Mapping) -> dict[str, Any]:
    """The ``claims.json`` of the report: the checker's JSON, completed and augmented.

    * every registry claim (:data:`verify.claims.REGISTRY`) the checker did not
      report is added with verdict ``"not checked"``;
    * each claim lists the experiments that test it (``"experiments"``);
    * ``"experiments"`` holds each experiment's name, claim, title,
      parameters, finding, verdict and runtime (its plotted series are left out);
    * ``"summary"`` has the counts of :func:`summary_counts`, ``"provenance"``
      the record of :func:`collect_provenance`.
    """
    doc = {k: v for k, v in raw.items() if k != "claims"}
    claims: dict[str, dict] = {cid: dict(entry) for cid, entry in raw.get("claims", {}).items()}
    for cid in _registry_ids():
        if cid not in claims:
            meta = _registry_entry(cid)
            keep = ("source", "statement", "reconstructed", "reconstructed_from")
            claims[cid] = {**{k: v for k, v in meta.items() if k in keep},
                           "verdict": NOT_CHECKED, "instances": 0, "worst_margin": None, "margin_error": None,
                           "tightness": None, "counterexample": None, "readings": {}}
    for entry in claims.values():
        entry.setdefault("experiments", [])
    exp_doc = {}
    for name, record in experiments.items():
        exp_doc[name] = {k: record.get(k) for k in ("name", "claim", "title", "parameters", "finding", "verdict",
                                                     "runtime_s", "error") if k in record}
        cid = record.get("claim")
        if cid in claims and name not in claims[cid]["experiments"]:
            claims[cid]["experiments"].append(name)
    doc["claims"] = claims
    doc["experiments"] = exp_doc
    doc["summary"] = summary_counts(doc)
    doc["provenance"] = dict(provenance)
    return doc


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

_CSS = """
:root { --ink: #1d2125; --muted: #5b6570; --rule: #d9dee3; --paper: #ffffff; --tint: #f5f7f9;
        --holds: #1a7f37; --refuted: #c62828; --inconclusive: #9a6700; --other: #57606a; }
* { box-sizing: border-box; }
html { background: var(--tint); }
body { margin: 0; color: var(--ink); font: 15px/1.5 Charter, 'Bitstream Charter', 'Sitka Text', Cambria, Georgia, serif; }
main { max-width: 1240px; margin: 0 auto; padding: 28px 40px 60px; background: var(--paper); min-height: 100vh; }
h1, h2, h3, .sans, table, figcaption, .badge, .card, nav, .params { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }
h1 { font-size: 25px; line-height: 1.25; margin: 0 0 6px; font-weight: 650; }
h2 { font-size: 19px; margin: 38px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 15.5px; margin: 26px 0 6px; }
p { margin: 8px 0; max-width: 78ch; }
.subtitle { color: var(--muted); font-size: 13.5px; font-family: system-ui, sans-serif; }
code, pre { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; font-size: 12.5px; }
a { color: #0b5cad; text-decoration: none; } a:hover { text-decoration: underline; }
.alert { border: 2px solid var(--refuted); background: #fdecea; color: #7a1212; padding: 12px 16px; margin: 18px 0;
         border-radius: 6px; font-family: system-ui, sans-serif; }
.alert strong { font-size: 16px; } .alert pre { white-space: pre-wrap; max-height: 260px; overflow: auto;
         background: #fff; border: 1px solid #f3b7b2; padding: 8px; margin: 8px 0 0; }
.cards { display: flex; gap: 14px; flex-wrap: wrap; margin: 14px 0 8px; }
.card { border: 1px solid var(--rule); border-top: 5px solid var(--other); border-radius: 6px; padding: 10px 18px;
        min-width: 150px; background: #fff; }
.card .count { display: block; font-size: 32px; font-weight: 700; line-height: 1.1; }
.card .what { color: var(--muted); font-size: 13px; }
.card.holds { border-top-color: var(--holds); } .card.holds .count { color: var(--holds); }
.card.refuted { border-top-color: var(--refuted); } .card.refuted .count { color: var(--refuted); }
.card.inconclusive { border-top-color: var(--inconclusive); } .card.inconclusive .count { color: var(--inconclusive); }
nav { font-size: 13.5px; margin: 12px 0 0; color: var(--muted); }
nav a { margin-right: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--ink); padding: 6px 8px;
     vertical-align: bottom; white-space: nowrap; }
td { border-bottom: 1px solid var(--rule); padding: 7px 8px; vertical-align: top; }
table.claims tr:target td { background: #fff8c5; }
td.id { white-space: nowrap; } td.id code { font-size: 12.5px; font-weight: 600; color: var(--ink); }
td.id .source { display: block; color: var(--muted); font-size: 12px; white-space: normal; max-width: 150px; }
td.statement { font-family: Charter, Cambria, Georgia, serif; font-size: 13.5px; min-width: 300px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
         color: #fff; background: var(--other); white-space: nowrap; }
.badge.holds, .badge.supported { background: var(--holds); }
.badge.refuted, .badge.not-supported, .badge.error { background: var(--refuted); }
.badge.inconclusive, .badge.partly-supported { background: var(--inconclusive); }
.badge.reconstructed { background: #fff; color: #8250df; border: 1px solid #8250df; font-weight: 600; }
.readings { list-style: none; margin: 6px 0 0; padding: 0; font-size: 12px; min-width: 170px; }
.readings li { margin: 3px 0; line-height: 1.35; } .readings .badge { font-size: 11px; padding: 0 6px; }
.recon { margin-top: 4px; font-size: 12px; color: #6639ba; font-family: system-ui, sans-serif; }
.recon .badge { font-size: 11px; padding: 0 6px; }
td .params { margin-top: 4px; font-size: 12px; }
.cex { max-width: 230px; font-size: 12px; overflow-wrap: anywhere; }
td.statement, td .params { overflow-wrap: anywhere; }
details summary { cursor: pointer; color: #0b5cad; }
details pre { white-space: pre-wrap; word-break: break-word; background: var(--tint); padding: 6px; margin: 4px 0;
              max-height: 240px; overflow: auto; }
figure.figure { margin: 18px 0 28px; padding: 0; }
figure .panels { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: flex-start; }
figure .panels svg { max-width: 100%; height: auto; flex: 0 1 auto; }
figcaption { font-size: 13px; color: #3b444d; margin-top: 8px; max-width: 110ch; }
figcaption b { color: var(--ink); }
figure.missing .panels { border: 2px dashed var(--refuted); padding: 14px; color: var(--refuted); }
article.experiment { border-top: 1px solid var(--rule); padding-top: 6px; margin-top: 22px; }
.finding { background: var(--tint); border-left: 4px solid var(--other); padding: 8px 12px; font-size: 14px; max-width: none; }
.finding.supported { border-left-color: var(--holds); } .finding.not-supported { border-left-color: var(--refuted); }
.finding.partly-supported, .finding.inconclusive { border-left-color: var(--inconclusive); }
.params { font-size: 12.5px; color: var(--muted); }
.params code { color: var(--ink); }
table.prov { width: auto; } table.prov td:first-child { color: var(--muted); white-space: nowrap; padding-right: 24px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--rule); padding-top: 10px; }
@media print { html { background: #fff; } main { padding: 0; } details { display: none; } }
"""


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in str(text).lower()).strip("-") or "unknown"


def _num(value: Any, digits: int = 4) -> str:
    """A number for a table cell; the plugin's strict-JSON spellings "inf", "-inf", "nan" included."""
    if value is None:
        return "—"
    if isinstance(value, str) and value.strip().lower() in ("inf", "+inf", "-inf", "nan", "infinity", "-infinity"):
        value = float(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if not math.isfinite(v):
            return "∞" if v > 0 else ("−∞" if v < 0 else "NaN")
        return f"{v:.{digits}g}".replace("-", "−")
    return _e(value)


#: Longest counterexample (in characters of JSON) shown in full on the page; claims.json has them all.
FULL_JSON_LIMIT = 3000


def _compact_json(value: Any, limit: int = 90) -> tuple[str, str]:
    """(one-line preview of at most ``limit`` characters, indented JSON cut at :data:`FULL_JSON_LIMIT`)."""
    full = json.dumps(_jsonable(value), ensure_ascii=False, indent=1)
    if len(full) > FULL_JSON_LIMIT:
        full = full[:FULL_JSON_LIMIT] + f"\n… ({len(full) - FULL_JSON_LIMIT:,} more characters in claims.json)"
    short = json.dumps(_jsonable(value), ensure_ascii=False, separators=(", ", ": "))
    return (short if len(short) <= limit else short[: limit - 1] + "…"), full


def _verdict_badge(verdict: Any) -> str:
    return f'<span class="badge {_slug(verdict)}">{_e(verdict)}</span>'


def _reconstructed_note(value: Any) -> str:
    """The reconstructed mark, with what it was reconstructed from when the registry says."""
    if not value:
        return ""
    why = value if isinstance(value, str) else "our reading, not the printed text (CLAIMS.md)"
    return (f'<div class="recon"><span class="badge reconstructed">reconstructed</span> '
            f"<span>{_e(why)}</span></div>")


def _reading_item(name: str, verdict: Any, counterexample: Any) -> str:
    verdict = verdict.get("verdict") if isinstance(verdict, Mapping) else verdict
    cex = ""
    if counterexample:
        short, full = _compact_json(counterexample, 50)
        cex = f"<details><summary>counterexample</summary><pre>{_e(full)}</pre></details>"
    return f"<li>{_verdict_badge(verdict)} <span>{_e(name)}</span>{cex}</li>"


def _claim_row(cid: str, entry: Mapping, experiments: Mapping[str, dict]) -> str:
    readings = entry.get("readings") or {}
    reading_cex = entry.get("reading_counterexamples") or {}
    reading_items = "".join(_reading_item(name, v, reading_cex.get(name)) for name, v in readings.items())
    readings_html = f'<ul class="readings">{reading_items}</ul>' if reading_items else ""
    none_tried = ('<div class="params">no instance was checked</div>'
                  if entry.get("instances") == 0 else "")
    outside = entry.get("outside_hypothesis") or 0
    outside_html = (f'<div class="params">{_num(outside)} more outside the hypotheses (not counted)</div>'
                    if outside else "")
    margin, err = entry.get("worst_margin"), entry.get("margin_error")
    margin_html = _num(margin) + (f" ± {_num(err, 2)}" if err not in (None, 0, 0.0) and margin is not None else "")
    tight = entry.get("tightness")
    tight_html = _num(tight) if not isinstance(tight, (dict, list)) else _e(_compact_json(tight, 40)[0])
    cex = entry.get("counterexample")
    if cex in (None, {}, []):
        cex_html = "—"
    else:
        short, full = _compact_json(cex, 70)
        cex_html = f"<details><summary>{_e(short)}</summary><pre>{_e(full)}</pre></details>"
    exps = entry.get("experiments") or []
    exp_html = ""
    if exps:
        links = ", ".join(f'<a href="#exp-{_e(n)}">{_e(n)}</a>'
                          + (f" {_verdict_badge(experiments[n]['verdict'])}" if experiments.get(n, {}).get("verdict")
                             else "") for n in exps)
        exp_html = f'<div class="params">§4 experiments: {links}</div>'
    method = entry.get("method")
    method_html = f'<div class="params">checked by: {_e(method)}</div>' if method else ""
    kind = entry.get("kind")
    recon = entry.get("reconstructed_from") or entry.get("reconstructed")
    return (f'<tr id="claim-{_e(cid)}" data-claim-id="{_e(cid)}" data-verdict="{_e(entry.get("verdict"))}">'
            f'<td class="id"><code>{_e(cid)}</code><span class="source">{_e(entry.get("source") or "")}</span>'
            + (f'<span class="source">{_e(kind)}</span>' if kind else "") + "</td>"
            f'<td class="statement">{_e(entry.get("statement") or "")}{_reconstructed_note(recon)}{method_html}'
            f"{exp_html}</td>"
            f'<td>{_verdict_badge(entry.get("verdict", NOT_CHECKED))}{none_tried}{outside_html}{readings_html}</td>'
            f'<td class="num">{_num(entry.get("instances"))}</td>'
            f'<td class="num">{margin_html}</td>'
            f'<td class="num">{tight_html}</td>'
            f'<td class="cex">{cex_html}</td></tr>')


def _figure_html(fig: Figure, number: int) -> str:
    missing = not fig.panels
    body = "".join(fig.panels) if fig.panels else f"<p>{_e(fig.caption)}</p>"
    return (f'<figure class="figure{" missing" if missing else ""}" id="figure-{_e(fig.id)}" '
            f'data-figure="{_e(fig.id)}"><div class="panels">{body}</div>'
            f"<figcaption><b>Figure {number}. {_e(fig.title)}.</b> {'' if missing else _e(fig.caption)}"
            f"</figcaption></figure>")


def _params_html(params: Mapping) -> str:
    items = []
    for k, v in params.items():
        if v is None or v == "":
            text = "none"
        elif isinstance(v, float):
            text = _num(v)
        elif isinstance(v, (list, tuple)):
            text = ", ".join(_num(x) if isinstance(x, (int, float)) else _e(x) for x in v)
        else:
            text = _e(v)
        items.append(f"{_e(k)} = <code>{text}</code>")
    return '<p class="params">' + "; ".join(items) + "</p>"


def _experiment_html(name: str, record: Mapping, fig: Figure | None, number: int) -> str:
    verdict = record.get("verdict") or ("error" if "error" in record else "")
    cid = record.get("claim")
    head = (f'<h3>{_e(name)}: {_e(record.get("title", ""))} {_verdict_badge(verdict) if verdict else ""}</h3>'
            + (f'<p class="params">tests claim <a href="#claim-{_e(cid)}"><code>{_e(cid)}</code></a>'
               f' · {_num(record.get("runtime_s"), 3)} s</p>' if cid else ""))
    if "error" in record:
        finding = f'<div class="alert"><strong>This experiment failed.</strong> {_e(record["error"])}</div>'
    else:
        finding = f'<p class="finding {_slug(verdict)}">{_e(record.get("finding", ""))}</p>'
    params = _params_html(record.get("parameters") or {})
    figure = _figure_html(fig, number) if fig is not None else ""
    return (f'<article class="experiment" id="exp-{_e(name)}" data-experiment="{_e(name)}">{head}{finding}'
            f"{figure}{params}</article>")


def _short_commit(commit: Any) -> str:
    text = str(commit or "unknown")
    if text == "unknown":
        return text
    return text[:12] + (" + uncommitted changes" if "uncommitted" in text else "")


def render_html(claims_json: Mapping, experiments: Mapping[str, dict], figures: Sequence[Figure],
                provenance: Mapping) -> str:
    """The whole report as one self-contained HTML page.

    Parameters
    ----------
    claims_json : dict
        ``{"claims": {id: {"verdict", "source", "statement", "reconstructed",
        "readings", "instances", "worst_margin", "margin_error", "tightness",
        "counterexample", "experiments"}}, …}`` — the checker's JSON, or its
        completed form from :func:`claims_document`.
    experiments : dict
        name → ``ExperimentResult.to_dict()`` (or ``{"name", "error"}``).
    figures : sequence of :class:`Figure`
        Laid out by their ``section``; experiment figures are matched to their
        experiment by id.
    provenance : dict
        As from :func:`collect_provenance`.

    Returns
    -------
    str
        HTML5 with inline CSS and SVG: no script, no external URL.  Each claim is
        a ``<tr data-claim-id=…>``, each figure a ``<figure data-figure=…>``, each
        verdict count a ``<span class="count" data-verdict=…>``.
    """
    claims = claims_json.get("claims", {})
    counts = summary_counts(claims_json)
    checker = provenance.get("claim_checker") or {}
    failed_exps = [n for n, r in experiments.items() if "error" in r]
    missing_figs = [f.id for f in figures if not f.panels]
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>Verification report — Du, Lee &amp; Tian (ICLR 2018)</title>",
           f"<style>{_CSS}</style></head><body><main>"]
    out.append('<header><h1>When is a Convolutional Filter Easy to Learn? — numerical verification</h1>'
               '<p class="subtitle">S. S. Du, J. D. Lee, Y. Tian, ICLR 2018 (arXiv 1709.06129) · '
               f'convfilter-verify {_e(provenance.get("versions", {}).get("convfilter-verify", ""))} · '
               f'profile <b>{_e(provenance.get("profile"))}</b> · seed {_e(provenance.get("seed"))} · '
               f'{_e(provenance.get("date_utc"))} · commit <code>{_e(_short_commit(provenance.get("git_commit")))}</code>'
               "</p></header>")

    # loud problems first
    status = checker.get("exit_status")
    if status not in (None, 0):
        out.append(f'<div class="alert" id="checker-failed" role="alert"><strong>The claim checker reported failing '
                   f"tests (pytest exit status {_e(status)}).</strong> "
                   f"{_e(checker.get('summary', ''))}. Verdicts below come from the tests that ran; a failed test "
                   f"means a check could not be completed or a claim's test broke, so read the table with care."
                   + (f"<pre>{_e(chr(10).join(checker['failed_tests']))}</pre>" if checker.get("failed_tests") else "")
                   + (f"<details><summary>end of pytest's output</summary><pre>{_e(checker['output_tail'])}</pre>"
                      "</details>" if checker.get("output_tail") else "")
                   + "</div>")
    if failed_exps:
        out.append(f'<div class="alert" role="alert"><strong>{len(failed_exps)} experiment(s) failed:</strong> '
                   f"{_e(', '.join(failed_exps))}.</div>")
    if missing_figs:
        out.append(f'<div class="alert" role="alert"><strong>Figures not drawn:</strong> {_e(", ".join(missing_figs))}'
                   ".</div>")

    # summary
    out.append('<section id="summary"><h2>Summary</h2><div class="cards">')
    what = {"holds": "hold", "refuted": "refuted", "inconclusive": "inconclusive"}
    for verdict, n in counts.items():
        if verdict == "total":
            continue
        out.append(f'<div class="card {_slug(verdict)}"><span class="count" data-verdict="{_e(verdict)}">{n}</span>'
                   f'<span class="what">{_e(what.get(verdict, verdict))}</span></div>')
    out.append(f'<div class="card"><span class="count" data-verdict="total">{counts["total"]}</span>'
               '<span class="what">claims in total</span></div></div>')
    out.append("<p>One verdict per claim of the paper, as registered in <code>verify.claims</code> from CLAIMS.md. "
               "<b>holds</b>: the claim held on every instance tried, with the estimation error accounted for; "
               "<b>refuted</b>: some instance violates it beyond its error (the counterexample is listed); "
               "<b>inconclusive</b>: the error bars do not decide. Claims marked <span class=\"badge reconstructed\">"
               "reconstructed</span> check our reading of a garbled or ambiguous statement, not the printed text; "
               "where several readings exist each has its own verdict. The worst margin is the smallest "
               "relative margin over the instances (≥ 0: the claim held there), with the error bar its verdict used; "
               "tightness is the largest value/bound ratio seen (1: the bound is attained).</p>")
    out.append('<nav class="sans">Contents: <a href="#claims">Claims</a><a href="#constants">Constants γ, L, β, '
               'L_cross</a><a href="#initialization">Initialization</a><a href="#experiments">§4 experiments</a>'
               '<a href="#provenance">Provenance</a></nav></section>')

    # claims table
    out.append('<section id="claims"><h2>1 Claims</h2><table class="claims"><thead><tr><th>Claim</th>'
               "<th>Statement</th><th>Verdict (per reading)</th><th>Instances</th><th>Worst margin ± error</th>"
               "<th>Tightness</th><th>Counterexample</th></tr></thead><tbody>")
    for cid, entry in claims.items():
        out.append(_claim_row(cid, entry, experiments))
    out.append("</tbody></table></section>")

    number = 0
    by_section: dict[str, list[Figure]] = {}
    for fig in figures:
        by_section.setdefault(fig.section, []).append(fig)

    out.append('<section id="constants"><h2>2 Distribution constants</h2><p>The quantities of Definition 2.1 and '
               "Assumptions 2.1, 3.2 that the convergence theorems are stated in, for the distributions the paper "
               "discusses.</p>")
    for fig in by_section.get("constants", []):
        number += 1
        out.append(_figure_html(fig, number))
    out.append("</section>")

    out.append('<section id="initialization"><h2>3 Random initialization (Theorem 3.4, Corollary 3.1)</h2>')
    for fig in by_section.get("initialization", []):
        number += 1
        out.append(_figure_html(fig, number))
    out.append("</section>")

    out.append('<section id="experiments"><h2>4 Reproductions of §4 (Figures 3–5)</h2><p>Each experiment re-runs '
               "one figure of the paper with seeds and error bars and states in one line what it found. Verdicts "
               "here are the experiment's own reading of its figure (supported / partly supported / inconclusive "
               "/ not supported).</p>")
    exp_figs = {f.id: f for f in by_section.get("experiments", [])}
    for name, record in experiments.items():
        fig = exp_figs.get(name)
        if fig is not None:
            number += 1
        out.append(_experiment_html(name, record, fig, number))
    out.append("</section>")

    # provenance
    versions = provenance.get("versions", {})
    rows = [("profile", provenance.get("profile")), ("seed", provenance.get("seed")),
            ("date", provenance.get("date_utc")), ("git commit", provenance.get("git_commit")),
            ("command", provenance.get("command")), ("wall time", f"{provenance.get('wall_time_s', '?')} s"),
            ("platform", provenance.get("platform"))]
    rows.append(("versions", ", ".join(f"{k} {v}" for k, v in versions.items())))
    timings = provenance.get("timings_s") or {}
    if timings:
        rows.append(("time per phase", ", ".join(f"{k} {v} s" for k, v in timings.items())))
    if checker:
        rows.append(("claim checker", f"{checker.get('command', '')} → exit {checker.get('exit_status')}; "
                                      f"{checker.get('summary', '')}; hypothesis profile "
                                      f"{checker.get('profile', '?')}, seed {checker.get('seed', '?')}"))
    out.append('<section id="provenance"><h2>5 Provenance</h2><table class="prov"><tbody>')
    out += [f"<tr><td>{_e(k)}</td><td><code>{_e(v)}</code></td></tr>" for k, v in rows]
    out.append("</tbody></table></section>")
    out.append("<footer>Generated by <code>verify report</code>. In the claims table, the ± of a margin is the error "
               "bar its verdict used (hard errors as they are; standard errors times the one-sided quantile of the "
               "claim's share of the false-alarm budget — see <code>verify.claims</code>); in the figures, bands and "
               "bars are 95 % intervals. The machine-readable results are in <code>claims.json</code> next to this "
               "page.</footer>")
    out.append("</main></body></html>\n")
    return "".join(out)


# ---------------------------------------------------------------------------
# The whole report
# ---------------------------------------------------------------------------

def build_report(out: Path, profile: str = "default", seed: int = 0, progress: Progress | None = None) -> Path:
    """Run the claim checker and the experiments, draw the figures, write ``index.html`` and ``claims.json``.

    Parameters
    ----------
    out : pathlib.Path
        Output directory (created if needed).
    profile : {"quick", "default", "thorough"}
        Effort of the claim checker (``VERIFY_PROFILE``), the experiments and the figures.
    seed : int
        Seed of the experiments and figures.  The claim checker's randomness is
        set by its hypothesis profile (derandomized for quick and default).
    progress : callable(str), optional
        Called with one line per step.

    Returns
    -------
    pathlib.Path
        ``out / "index.html"``.

    Raises
    ------
    InvalidArgument
        Unknown profile, bad seed, or no ``properties/`` directory.
    ReportError
        The claim checker did not run to completion (exit status other than 0 or 1).

    Notes
    -----
    The checker runs in a subprocess while this process runs the experiments
    and figures (two cores are used).  Nothing is written until everything is
    computed; then ``claims.json`` and ``index.html`` are each replaced
    atomically.
    """
    if profile not in PROFILES:
        raise InvalidArgument("profile", f"must be one of {', '.join(PROFILES)}, got {profile!r}")
    seed = check_seed(seed)
    if seed is None:
        raise InvalidArgument("seed", "the report needs an integer seed (it must be repeatable)")
    progress = progress or _no_progress
    out = Path(out)
    started = _dt.datetime.now(_dt.timezone.utc)
    t_start = time.monotonic()
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="verify-report-") as tmp:
        run = _start_claim_checker(profile, Path(tmp))
        progress(f"claim checker started in a subprocess (pytest properties/, VERIFY_PROFILE={profile})")
        try:
            t0 = time.monotonic()
            experiments = run_experiments(profile, seed, progress)
            timings["experiments"] = time.monotonic() - t0
            t0 = time.monotonic()
            with np.errstate(all="ignore"):
                figures = constants_figures(profile, seed, progress)
                figures += initialization_figures(profile, seed, progress)
                figures += experiment_figures(experiments)
            timings["figures"] = time.monotonic() - t0
            if run.process.poll() is None:
                progress("waiting for the claim checker")
            raw, checker = _finish_claim_checker(run)
        except BaseException:
            if run.process.poll() is None:
                run.process.kill()
                run.process.wait()
            raise
        timings["claim checker"] = checker["wall_s"]
    progress(f"claim checker: exit {checker['exit_status']}, {checker['summary'] or 'no summary line'}")
    provenance = collect_provenance(profile, seed, time.monotonic() - t_start, checker=checker, timings=timings,
                                    started=started)
    doc = claims_document(raw, experiments, provenance)
    page = render_html(doc, experiments, figures, provenance)
    index = out / "index.html"
    write_texts_atomically({out / "claims.json": json_text(doc), index: page})
    progress(f"wrote {index} and {out / 'claims.json'} ({provenance['wall_time_s']} s)")
    return index

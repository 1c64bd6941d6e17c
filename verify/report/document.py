"""``claims.json``: the claims document, its provenance, and the one atomic writer of the report.

The claims document is ``ClaimsRun.to_dict()`` unchanged, plus a
``provenance`` block (:func:`collect_provenance`).  :func:`write_files` puts
``index.html`` and ``claims.json`` in place together: both go to temporary
files in the output directory first, and only when both are complete does
:func:`os.replace` move them (:func:`verify.jsonio.write_atomically`), so a
failure leaves the previous report intact.  JSON follows the package's one NaN
policy (:mod:`verify.jsonio`: non-finite floats as "nan", "inf", "-inf").
"""
from __future__ import annotations

import datetime as _dt
import os
import platform
import subprocess
from pathlib import Path
from typing import Any, Mapping

import numpy as np  # noqa: F401 (doctest)

from ..jsonio import dumps, write_atomically

__all__ = ["VERDICTS", "summary_counts", "json_text", "collect_provenance", "claims_document", "write_files"]

#: The verdict vocabulary of a claim (docs/claims.md §4); anything else is counted as itself.
VERDICTS = ("holds", "refuted", "inconclusive")

#: Distributions whose versions the provenance records.
VERSIONED = ("convfilter-verify", "numpy", "scipy", "hypothesis", "mpmath", "matplotlib", "jinja2",
             "scikit-learn")


def json_text(data: Any) -> str:
    """``data`` as indented strict JSON under :mod:`verify.jsonio`'s NaN policy, ending in a newline.

    Examples
    --------
    >>> json_text({"x": float("inf"), "y": np.float64(0.5)})
    '{\\n "x": "inf",\\n "y": 0.5\\n}\\n'
    """
    return dumps(data, fallback=str, indent=1, ensure_ascii=False) + "\n"


def attach_certificates(run_doc: Mapping, certificates: Any) -> dict[str, Any]:
    """The claims document with each claim's certified verdicts (verify.certify) under ``certified``.

    Examples
    --------
    >>> class C:
    ...     claim = "a"
    ...     def to_dict(self): return {"claim": "a", "verdict": "certified-holds"}
    >>> attach_certificates({"claims": {"a": {}, "b": {}}}, [C()])["claims"]["a"]["certified"]
    [{'claim': 'a', 'verdict': 'certified-holds'}]
    """
    doc = {**run_doc, "claims": {cid: dict(entry) for cid, entry in run_doc.get("claims", {}).items()}}
    for cert in certificates:
        entry = doc["claims"].get(cert.claim)
        if entry is not None:
            record = {k: v for k, v in cert.to_dict().items() if k != "seconds"}   # no timing: files stay repeatable
            entry.setdefault("certified", []).append(record)
    return doc


def summary_counts(doc: Mapping) -> dict[str, int]:
    """Claims per verdict: holds, refuted, inconclusive always, then any other verdict, and ``total``.

    Examples
    --------
    >>> summary_counts({"claims": {"a": {"verdict": "holds"}, "b": {"verdict": "refuted"}}})
    {'holds': 1, 'refuted': 1, 'inconclusive': 0, 'total': 2}
    """
    counts = {v: 0 for v in VERDICTS}
    for entry in doc.get("claims", {}).values():
        verdict = str(entry.get("verdict", "not checked"))
        counts[verdict] = counts.get(verdict, 0) + 1
    counts["total"] = sum(counts.values())
    return counts


def _git_commit(root: Path) -> str | None:
    if not (root / ".git").exists():
        return None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (commit + (" (with uncommitted changes)" if dirty else "")) if commit else None


def _versions() -> dict[str, str]:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for dist in VERSIONED:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def collect_provenance(profile: str, seed: int, wall_s: float,
                       started: _dt.datetime | None = None) -> dict[str, Any]:
    """Date (UTC), git commit (or the package version outside a checkout), versions, platform, wall time.

    Examples
    --------
    >>> p = collect_provenance("quick", 0, 1.234)
    >>> p["wall_time_s"], sorted(p["versions"])[:3], p["command"]
    (1.2, ['convfilter-verify', 'hypothesis', 'jinja2'], 'verify report --profile quick --seed 0')
    """
    root = Path(__file__).resolve().parents[2]
    started = started or _dt.datetime.now(_dt.timezone.utc)
    versions = _versions()
    commit = _git_commit(root)
    return {
        "profile": profile,
        "seed": seed,
        "date_utc": started.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "source": f"git {commit}" if commit else f"convfilter-verify {versions['convfilter-verify']}",
        "git_commit": commit,
        "versions": versions,
        "platform": f"{platform.system()} {platform.release()} ({platform.machine()}), {os.cpu_count()} CPUs",
        "wall_time_s": round(float(wall_s), 1),
        "command": f"verify report --profile {profile} --seed {seed}",
    }


def claims_document(run_doc: Mapping, provenance: Mapping) -> dict[str, Any]:
    """``claims.json``: the claims run's document as it is, with ``provenance`` added.

    ``summary`` is filled from the claims (:func:`summary_counts`) only when the
    run's document lacks it.

    Examples
    --------
    >>> doc = claims_document({"claims": {"a": {"verdict": "holds"}}}, {"seed": 0})
    >>> doc["summary"]["holds"], doc["provenance"]
    (1, {'seed': 0})
    """
    doc = dict(run_doc)
    doc.setdefault("summary", summary_counts(doc))
    doc["provenance"] = dict(provenance)
    return doc


def write_files(files: Mapping[Path, str]) -> list[Path]:
    """Write every ``path: text`` with :func:`verify.jsonio.write_atomically` (directories created first).

    All texts go to temporary files beside their targets; only when all are
    complete are they moved in place, so a failure while writing leaves every
    target untouched.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()) / "new"
    >>> [p.name for p in write_files({d / "a.txt": "A", d / "b.txt": "B"})], (d / "b.txt").read_text()
    (['a.txt', 'b.txt'], 'B')
    """
    paths = [Path(p) for p in files]
    write_atomically({path: text for path, text in zip(paths, files.values())})
    return paths

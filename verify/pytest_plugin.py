"""pytest plugin ``verify_claims`` (entry point pytest11): the claims' verdicts of a test run.

Loaded in every pytest run once the package is installed, from any directory.
Tests report each :class:`~verify.claims.CheckResult` they produce with
:func:`record` (or the ``claim_recorder`` fixture, which is that function);
the plugin keeps, per claim id, every instance tried: its verdict, margin,
margin error, tightness, counterexample and readings.  With
``--claims-json PATH`` it writes, at the end of the session and atomically
(a temporary file in the same directory, then :func:`os.replace`)::

    {"claims": {ID: {"verdict", "instances", "worst_margin", "margin_error",
                     "tightness", "counterexample", "readings": {READING: verdict},
                     "outside_hypothesis", "tests", "source", "statement",
                     "reconstructed", "kind", "method", "all_readings"}},
     "profile", "seed", "versions", "false_alarm", "created"}

with an entry for *every* id of :data:`verify.claims.REGISTRY` (``inconclusive``
with 0 instances when no test checked it), so that the HTML report can be
rendered from this file alone.

Aggregation over the instances of a claim (the same rule as within a check,
:func:`verify.verdicts.aggregate`): **refuted** if any instance is refuted,
**holds** if all hold, **inconclusive** otherwise.  Instances outside the
claim's hypotheses (``in_hypothesis`` False: a degenerate law for Theorem 2.1,
a step above the allowed one …) are counted in ``outside_hypothesis`` and left
out of the verdict.  ``worst_margin`` is the smallest margin over the counted
instances (with that instance's ``margin_error``), ``tightness`` the largest
(closest to 1), ``counterexample`` that of the refuted instance of smallest
margin.  Readings aggregate the same way over the instances that checked them.
"""
from __future__ import annotations

import json
import math
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from .verdicts import VERDICTS, aggregate

__all__ = ["record", "ClaimCollector", "summarize", "write_claims_json", "set_run_info", "current_collector"]


class ClaimCollector:
    """The CheckResults reported during one pytest session, by claim id."""

    def __init__(self) -> None:
        self.results: dict[str, list[dict[str, Any]]] = {}
        self.info: dict[str, Any] = {}
        self.current_test: str | None = None

    def add(self, result: Any) -> None:
        data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
        claim = data.get("claim")
        if not claim:
            raise ValueError("a claim result needs its 'claim' id")
        data = dict(data)
        data.setdefault("test", self.current_test)
        self.results.setdefault(claim, []).append(data)


_STACK: list[ClaimCollector] = []
_FALLBACK = ClaimCollector()


def current_collector() -> ClaimCollector:
    """The collector of the innermost running pytest session (a module-level one outside pytest)."""
    return _STACK[-1] if _STACK else _FALLBACK


def record(result: Any) -> Any:
    """Report one :class:`~verify.claims.CheckResult` (or its ``to_dict()``) to the running session.

    Returns the result, so that ``result = record(claim.check(instance))`` reads naturally.
    """
    current_collector().add(result)
    return result


def set_run_info(**info: Any) -> None:
    """Attach run facts (``profile``, ``seed``, ``false_alarm`` …) to the JSON of the running session."""
    current_collector().info.update(info)


# ---------------------------------------------------------------------------
# Aggregation
# ---------------------------------------------------------------------------

def _number(x: Any) -> float:
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return float(x)
    if x == "inf":
        return math.inf
    if x == "-inf":
        return -math.inf
    return math.nan


def _summarize_claim(results: list[dict[str, Any]]) -> dict[str, Any]:
    counted = [r for r in results if r.get("in_hypothesis") is not False]
    verdict = aggregate([r.get("verdict", "inconclusive") for r in counted]) if counted else "inconclusive"
    worst, worst_err, worst_instance = None, None, None
    finite = [r for r in counted if not math.isnan(_number(r.get("margin")))]
    if finite:
        w = min(finite, key=lambda r: _number(r.get("margin")))
        worst, worst_err = w.get("margin"), w.get("margin_error")
        worst_instance = {"instance": w.get("instance"), "verdict": w.get("verdict"), "test": w.get("test"),
                          "lhs": w.get("lhs"), "rhs": w.get("rhs")}
    tights = [_number(r.get("tightness")) for r in counted if r.get("tightness") is not None]
    tights = [t for t in tights if math.isfinite(t)]
    refuted = [r for r in counted if r.get("verdict") == "refuted"]
    counterexample = None
    if refuted:
        bad = min(refuted, key=lambda r: (_number(r.get("margin")) if not math.isnan(_number(r.get("margin")))
                                          else math.inf))
        counterexample = bad.get("counterexample") or {"instance": bad.get("instance")}
        if isinstance(counterexample, dict):
            counterexample = {**counterexample, "test": bad.get("test")}
    readings: dict[str, list[str]] = {}
    for r in counted:
        for name, v in (r.get("readings") or {}).items():
            readings.setdefault(name, []).append(v)
    reading_counterexamples = {}
    for r in counted:
        for name, ce in ((r.get("details") or {}).get("reading_counterexamples") or {}).items():
            reading_counterexamples.setdefault(name, {**ce, "instance": r.get("instance"), "test": r.get("test")})
    return {
        "verdict": verdict,
        "instances": len(counted),
        "outside_hypothesis": len(results) - len(counted),
        "worst_margin": worst,
        "margin_error": worst_err,
        "worst_instance": worst_instance,
        "tightness": max(tights) if tights else None,
        "counterexample": counterexample,
        "readings": {name: aggregate(vs) for name, vs in readings.items()},
        "reading_counterexamples": reading_counterexamples,
        "verdict_counts": {v: sum(1 for r in counted if r.get("verdict") == v) for v in VERDICTS},
        "tests": sorted({r.get("test") for r in results if r.get("test")}),
        "notes": sorted({r.get("note") for r in results if r.get("note")})[:10],
    }


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "platform": platform.platform()}
    for name in ("verify", "numpy", "scipy", "hypothesis", "pytest", "mpmath"):
        try:
            module = __import__(name)
            out[name] = str(getattr(module, "__version__", "unknown"))
        except Exception:  # noqa: BLE001 - a missing optional package is just not listed
            continue
    return out


def summarize(collector: ClaimCollector) -> dict[str, Any]:
    """The JSON document (module doc) for a collector: every registry id, then any other id reported."""
    try:
        from .claims import REGISTRY
        registry = {cid: claim.to_dict() for cid, claim in REGISTRY.items()}
    except Exception as err:  # noqa: BLE001 - write what was collected even if the registry cannot load
        registry = {}
        collector.info.setdefault("registry_error", repr(err))
    claims: dict[str, Any] = {}
    for cid in [*registry, *[c for c in collector.results if c not in registry]]:
        entry = _summarize_claim(collector.results.get(cid, []))
        meta = registry.get(cid, {})
        entry.update({"source": meta.get("source"), "statement": meta.get("statement"),
                      "reconstructed": meta.get("reconstructed"), "kind": meta.get("kind"),
                      "method": meta.get("method"), "all_readings": meta.get("readings", [])})
        if cid not in registry:
            entry["unregistered"] = True
        claims[cid] = entry
    doc = {"claims": claims, "profile": collector.info.get("profile"), "seed": collector.info.get("seed"),
           "versions": _versions(), "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    for key, value in collector.info.items():
        doc.setdefault(key, value)
    return doc


def _strict(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if isinstance(x, dict):
        return {str(k): _strict(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_strict(v) for v in x]
    if isinstance(x, (str, int, bool)) or x is None or isinstance(x, float):
        return x
    try:
        import numpy as np
        if isinstance(x, np.generic):
            return _strict(x.item())
        if isinstance(x, np.ndarray):
            return _strict(x.tolist())
    except ImportError:  # pragma: no cover
        pass
    return str(x)


def write_claims_json(path: str | os.PathLike, document: dict[str, Any]) -> Path:
    """Write ``document`` as strict JSON to ``path`` atomically (temp file in the same directory + os.replace)."""
    target = Path(path).expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(_strict(document), fh, indent=1, ensure_ascii=False, allow_nan=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


# ---------------------------------------------------------------------------
# pytest hooks
# ---------------------------------------------------------------------------

_KEY = pytest.StashKey[ClaimCollector]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("verify-claims", "claims of Du, Lee & Tian (2018) checked by the tests")
    group.addoption("--claims-json", action="store", default=None, metavar="PATH",
                    help="write every claim's aggregated verdict, margins, readings and counterexample to PATH "
                         "(JSON, written atomically at the end of the session)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    collector = ClaimCollector()
    config.stash[_KEY] = collector
    _STACK.append(collector)
    config.addinivalue_line("markers", "claim(id): the paper's claim a test checks (verify.claims.REGISTRY id)")


def pytest_unconfigure(config: pytest.Config) -> None:
    collector = config.stash.get(_KEY, None)
    if collector is not None and collector in _STACK:
        _STACK.remove(collector)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    collector = item.config.stash.get(_KEY, None)
    if collector is not None:
        collector.current_test = item.nodeid
    try:
        yield
    finally:
        if collector is not None:
            collector.current_test = None


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    path = config.getoption("claims_json", None)
    collector = config.stash.get(_KEY, None)
    if not path or collector is None:
        return
    info = collector.info
    if info.get("profile") is None:
        info["profile"] = _option(config, "hypothesis_profile") or os.environ.get("VERIFY_PROFILE") or "default"
    if info.get("seed") is None:
        info["seed"] = _option(config, "hypothesis_seed")
    info.setdefault("exit_status", int(exitstatus))
    target = write_claims_json(path, summarize(collector))
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"verify: wrote claim verdicts to {target}")


def _option(config: pytest.Config, name: str) -> Any:
    try:
        return config.getoption(name)
    except (ValueError, AttributeError):
        return None


@pytest.fixture
def claim_recorder():
    """The function :func:`record`: ``claim_recorder(result)`` reports a CheckResult to the session."""
    return record


@pytest.fixture(scope="session")
def claim_results() -> ClaimCollector:
    """The session's collector (for tests of the plugin itself)."""
    return current_collector()

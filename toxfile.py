"""tox inline plugin: find the CPython interpreters that pyenv keeps under ~/.pyenv/versions.

tox discovers interpreters on PATH only; these machines keep 3.10–3.13 under
``$PYENV_ROOT/versions/3.1x.y/bin`` without shims on PATH.  For an environment
named ``py3XY`` this plugin offers, after the plain ``python3.XY`` on PATH, the
newest ``$PYENV_ROOT/versions/3.XY.*/bin/python3.XY``.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from tox.config.loader.memory import MemoryLoader
from tox.plugin import impl


def _pyenv_interpreter(minor: str) -> str | None:
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = sorted(root.glob(f"3.{minor}.*/bin/python3.{minor}"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p.parts[-3])])
    return str(found[-1]) if found else None


@impl
def tox_add_env_config(env_conf, state) -> None:  # noqa: ARG001 - tox hook signature
    match = re.fullmatch(r"py3(\d+)", env_conf.name)
    if not match:
        return
    candidate = _pyenv_interpreter(match.group(1))
    if candidate:
        env_conf.loaders.insert(0, MemoryLoader(base_python=[f"python3.{match.group(1)}", candidate]))

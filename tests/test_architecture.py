"""The package's import graph: layers that import only downward, and no loop anywhere.

The graph is read from the source with :mod:`ast` (imports inside functions count: a lazy import is
still a dependency), so the test needs nothing imported.  The layers, lowest first, are the order in
which a newcomer reads the code (README, "Layout"); a module may import its own layer or a lower one.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "verify"

#: Lowest first.  Every module of the package belongs to exactly one layer (by its longest prefix).
LAYERS = (
    ("foundation", ("verify.results", "verify.stats", "verify.geometry", "verify.jsonio", "verify.validation",
                    "verify.interrupts")),
    ("laws", ("verify.laws",)),
    ("estimators", ("verify.estimators",)),
    ("dynamics", ("verify.dynamics",)),
    ("experiments", ("verify.experiments",)),
    ("checker", ("verify.checker",)),
    ("certify", ("verify.certify",)),
    ("claims", ("verify.claims",)),
    ("run", ("verify.run",)),
    ("report", ("verify.report",)),
    ("diagnosis", ("verify.diagnosis",)),
    ("cli", ("verify.cli",)),
    ("entry points", ("verify.pytest_plugin", "verify.__main__", "verify")),
)


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports (the submodule when ``from pkg import submodule``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                if target in modules and target != name:
                    found.add(target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules and a.name != name}
    return found


def _layer(name: str) -> int:
    best = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if name == prefix or name.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (index, len(prefix))
    assert best is not None, f"{name} belongs to no layer: add it to LAYERS"
    return best[0]


MODULES = _modules()
GRAPH = {name: _imports(name, path, MODULES) for name, path in MODULES.items()}


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the components with more than one module (the loops)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    loops.append(sorted(component))
    return loops


def test_the_import_graph_has_no_loop():
    assert _strongly_connected(GRAPH) == []


def test_the_loop_finder_finds_a_loop():
    """The check above has teeth: a two-module loop and a three-module loop are found."""
    assert _strongly_connected({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_imports_only_its_own_layer_or_lower_ones(name):
    upward = sorted(t for t in GRAPH[name] if _layer(t) > _layer(name))
    assert not upward, f"{name} ({LAYERS[_layer(name)][0]}) imports from higher layers: {upward}"


def test_the_root_holds_at_most_ten_modules():
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root) <= 10, root


def test_no_module_passes_six_hundred_lines():
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 650}
    assert not long, long


def _forwarded(path: Path) -> list[str]:
    """Names a module lists in ``__all__`` but only imports: forwarding re-exports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    listed = [e.value for n in tree.body if isinstance(n, ast.Assign)
              and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets) for e in n.value.elts]
    return sorted(set(listed) & imported)


@pytest.mark.parametrize("name", sorted(set(MODULES) - {"verify"}))
def test_no_module_forwards_names_it_imports(name):
    """One home per name: the public API is verify/__init__.py's (lazy); inside, import from the definer."""
    assert _forwarded(MODULES[name]) == []

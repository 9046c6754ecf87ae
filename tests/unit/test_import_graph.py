"""The package's module-level import graph has no cycle (drift.compat's own recursion aside).

Imports inside functions (lazy, on purpose) and under ``TYPE_CHECKING`` do not
count; importing ``drift.a.b`` counts as importing the package ``drift.a`` too
(except from inside ``drift.a``: a submodule's own package is always loaded first).
"""

from __future__ import annotations

import ast
from pathlib import Path

import drift

ROOT = Path(drift.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path, name: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) else ():
            if isinstance(sub, ast.Import):
                found.update(alias.name for alias in sub.names)
            elif isinstance(sub, ast.ImportFrom):
                base = sub.module or ""
                if sub.level:
                    anchor = package.split(".")[: len(package.split(".")) - sub.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in sub.names)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in ROOT.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for imported in top_level_imports(path, name):
            parts = imported.split(".")
            for i in range(1, len(parts) + 1):
                candidate = ".".join(parts[:i])
                if candidate in modules and not (name + ".").startswith(candidate + "."):
                    targets.add(candidate)
        edges[name] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def outside_compat(cycle: list[str]) -> bool:
    return not all(m.startswith("drift.compat") for m in cycle)


def test_the_graph_is_read() -> None:
    edges = graph()
    assert "drift.tomlread" in edges["drift.discovery"]
    assert "drift.check" not in edges["drift.app"]  # each run_* imports its workflow
    assert "drift.errors" in edges["drift.config"]
    assert "drift.app" not in edges["drift.cli"]  # imported lazily, inside the adapters


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]


def test_no_import_cycle_outside_compat() -> None:
    assert [c for c in cycles(graph()) if outside_compat(c)] == []

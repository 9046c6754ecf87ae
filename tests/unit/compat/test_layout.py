"""The module map in ``drift.compat``'s docstring is complete and its layers hold."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import drift.compat

ROOT = Path(drift.compat.__file__).parent


def layers() -> dict[str, int]:
    """Module -> layer number, read from the numbered list in the package docstring."""
    doc = drift.compat.__doc__ or ""
    out: dict[str, int] = {}
    for number, body in re.findall(r"^(\d)\. (.*?)(?=^\d\. |\Z)", doc, re.M | re.S):
        for name in re.findall(r"``(\w+)``", body.split("(", 1)[0] + body):
            if (ROOT / f"{name}.py").exists() or (ROOT / name).is_dir():
                out.setdefault(name, int(number))
    return out


def modules() -> list[str]:
    return [*sorted(p.stem for p in ROOT.glob("*.py") if p.stem != "__init__"), "keywords"]


def runtime_imports(path: Path) -> set[str]:
    """``drift.compat`` modules imported outside ``if TYPE_CHECKING:`` (first component)."""
    tree = ast.parse(path.read_text())
    skipped = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for n in ast.walk(node)
    }
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped or not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if node.module == "drift.compat":
            out |= {a.name for a in node.names}
        elif node.module.startswith("drift.compat."):
            out.add(node.module.split(".")[2])
    return out


def test_every_module_is_on_the_map() -> None:
    assert sorted(layers()) == sorted(modules())


def test_modules_import_only_from_their_layer_or_above() -> None:
    layer = layers()
    files = [(p.stem, p) for p in ROOT.glob("*.py") if p.stem != "__init__"]
    files += [("keywords", p) for p in (ROOT / "keywords").glob("*.py")]
    wrong = [
        f"{path.relative_to(ROOT)} imports {dep}"
        for name, path in files
        for dep in runtime_imports(path)
        if dep != name and layer[dep] > layer[name]
    ]
    assert wrong == []

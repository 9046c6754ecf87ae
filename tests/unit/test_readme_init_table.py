"""The README's table of what ``drift init`` writes gives the line counts init really writes."""

from __future__ import annotations

import re
from pathlib import Path

from drift import adopt
from drift.scaffold import CONTRACT_TEST, InitOptions, contract_test

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = '[project]\nname = "svc"\nversion = "1"\n'
EXAMPLE = ("models.Quote", {"symbol": "AAPL", "price": 1.5})


def readme_table() -> dict[str, str]:
    """``{path: lines}`` of the table under "What it writes:" (``"+11"`` for an append)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("What it writes:", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| `([^`]+)` \| (\+?\d+) \|", section, flags=re.MULTILINE)
    assert rows, "the README's drift init table was not found"
    return dict(rows)


def written_lines(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / ".gitignore").write_text(".venv/\n", encoding="utf-8")  # appended to
    options = InitOptions(registry_url="https://registry.example.com")
    counts: dict[str, str] = {}
    for change in adopt.plan(tmp_path, options, force=False):
        assert change.content is not None, change
        if change.action == "append":
            before = (tmp_path / change.path).read_text(encoding="utf-8").splitlines()
            counts[change.path] = f"+{len(change.content.splitlines()) - len(before)}"
        else:
            counts[change.path] = str(len(change.content.splitlines()))
    counts[CONTRACT_TEST] = str(len(contract_test(EXAMPLE).splitlines()))
    return counts


def test_readme_lists_every_file_init_writes_with_its_line_count(tmp_path: Path) -> None:
    assert readme_table() == written_lines(tmp_path)

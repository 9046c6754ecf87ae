"""Hostile local input through the real CLI: a clear error and exit 2, never a traceback.

Deep nesting (fixtures, reports, schemas to diff, a directory registry's index),
impossible ports. Fixtures and lock stay byte-identical.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drift.cli import main
from tests.integration.project import MakeProject

BRACKETS = "[" * 100_000 + "]" * 100_000
OBJECTS = '{"a":' * 5_000 + "1" + "}" * 5_000
pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize("content", [BRACKETS, OBJECTS], ids=["brackets", "objects"])
def test_a_too_deep_fixture_is_invalid_exit_2(
    make_project: MakeProject, registry_root: Path, content: str
) -> None:
    project = make_project(str(registry_root), tracks={"v1": ["models.Quote"]})
    project.fixture("v1", "models.Quote").write_text(content)
    before = project.snapshot()
    result = project.check("--mode", "strict")
    assert result.code == 2, result.text
    assert "deeper than 256" in result.text
    assert "Traceback" not in result.text
    assert project.snapshot() == before


def test_a_too_deep_directory_index_fails_open(make_project: MakeProject, tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "index.json").write_text(BRACKETS)
    project = make_project(str(registry), tracks={"v1": ["models.Quote"]})
    result = project.check()
    assert result.code == 0, result.text
    assert "deeper than 256" in project.report_path.read_text()


@pytest.mark.parametrize("command", ["diff", "report"])
def test_diff_and_report_on_a_too_deep_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text(BRACKETS)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"type": "object"}))
    argv = ["diff", str(deep), str(other)] if command == "diff" else ["report", str(deep)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "deep.json" in err
    assert "deeper than 256" in err


@pytest.mark.parametrize(
    "argv",
    [["serve-registry", "--root", ".", "--port", "99999"], ["watch", "--metrics-port", "99999"]],
)
def test_an_impossible_port_is_a_usage_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert "99999 is not a TCP port" in capsys.readouterr().err

"""Report outputs: never renamed over a non-regular file; ``-`` is stdout; errors name it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from drift.reporters.schema import report_validator
from tests.integration.project import MakeProject, Project


@pytest.fixture
def project(make_project: MakeProject, registry_root: Path) -> Project:
    return make_project(str(registry_root), tracks={"v1": ["models.Quote"]})


@pytest.mark.parametrize("kind", ["symlink-to-file", "symlink-to-dev-stdout", "fifo", "directory"])
@pytest.mark.parametrize("flag", ["--report", "--markdown", "--junit"])
def test_a_non_regular_output_is_never_replaced(
    project: Project, tmp_path: Path, kind: str, flag: str
) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text("keep me\n")
    out = tmp_path / "out"
    if kind == "symlink-to-file":
        out.symlink_to(target)
    elif kind == "symlink-to-dev-stdout":
        out.symlink_to("/dev/stdout")
    elif kind == "fifo":
        os.mkfifo(out)
    else:
        out.mkdir()
    before = os.lstat(out)
    result = project.check(flag, str(out))
    assert result.code == 2, result.text
    assert f"{out}: exists and is" in result.err
    assert "refusing to replace it" in result.err
    after = os.lstat(out)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert target.read_text() == "keep me\n"
    assert not list(tmp_path.glob(".out.*.tmp"))


def test_report_dash_writes_the_json_report_to_stdout(project: Project) -> None:
    result = project.check("--report", "-")
    assert result.code == 0, result.text
    report = json.loads(result.out)  # stdout is the JSON alone
    assert list(report_validator().iter_errors(report)) == []
    assert "exit 0" in result.err  # the human summary went to stderr
    assert not project.report_path.exists()
    assert not (project.root / "-").exists()


def test_quiet_silences_a_commands_output_but_not_the_json_report_on_stdout(
    project: Project,
) -> None:
    result = project.check("-q", "--report", "-")  # -q: no text report; the JSON still
    assert result.code == 0, result.text
    assert json.loads(result.out)["tracks"]
    synced = project.drift("sync-fixtures", "-q", "--dry-run")
    assert (synced.code, synced.out) == (0, "")


def test_an_output_error_names_the_output(project: Project) -> None:
    bad = project.root / "pyproject.toml" / "r.json"
    result = project.check("--report", str(bad))
    assert result.code == 2, result.text
    assert f"{bad}: cannot write" in result.err

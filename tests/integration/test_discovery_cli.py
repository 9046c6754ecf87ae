"""Configuration found from a subdirectory, as a user runs drift: the CLI and the tasks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from drift.server import RegistryServer
from tests.integration.project import MakeProject, Project, subprocess_env

SMALL = {"v1": ["models.Health", "models.Quote"]}


@pytest.fixture
def project(make_project: MakeProject, registry_server: RegistryServer) -> Project:
    project = make_project(registry_server.url, tracks=SMALL)
    project.write("tasks.py", "from drift.tasks import ns\nnamespace = ns\n")
    (project.root / "myservice" / "src").mkdir(parents=True)
    return project


def run(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *argv], cwd=cwd, env=subprocess_env(), capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip


def test_cli_from_a_subdirectory_uses_the_projects_config(project: Project) -> None:
    result = run(project.root / "myservice" / "src", "drift", "check-drift")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "drift check of demo-service against http://127.0.0.1:" in result.stdout
    assert (project.root / "drift_report.json").is_file()  # the root's report path
    assert not (project.root / "myservice" / "src" / "drift_report.json").exists()


def test_tasks_from_a_subdirectory_use_the_projects_config(project: Project) -> None:
    result = run(project.root / "myservice" / "src", "invoke", "check-drift")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 schemas: 2 synced" in result.stdout


def test_project_dir_wins(project: Project, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(elsewhere, "drift", "check-drift", "-C", str(project.root), "--no-report")
    assert result.returncode == 0, result.stdout + result.stderr
    other = run(project.root, "drift", "check-drift", "-C", str(elsewhere))
    assert other.returncode == 2
    assert "no registry configured" in other.stderr


def test_nothing_found_says_where_it_looked(tmp_path: Path) -> None:
    start = tmp_path / "nowhere" / "deep"
    start.mkdir(parents=True)
    result = run(start, "drift", "check-drift")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"no pyproject.toml with [tool.drift] in {start.resolve()} or any parent" in (
        result.stderr
    )
    assert str((tmp_path / "nowhere").resolve()) in result.stderr

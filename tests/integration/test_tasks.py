"""The Invoke tasks as an adopting repository uses them: a two-line ``tasks.py``."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from invoke.config import Config
from invoke.context import Context
from invoke.exceptions import Exit

from drift import app, tasks
from drift.errors import ConfigError
from drift.server import RegistryServer
from tests.integration.project import (
    MakeProject,
    Project,
    RegistryEditor,
    add_required,
    subprocess_env,
)

SMALL = ["models.Health", "models.Quote", "telemetry.FeedbackEvent"]
TASKS = [
    "check-drift",
    "fetch-schemas",
    "propose",
    "report",
    "serve-registry",
    "set-mode",
    "sync-fixtures",
    "waive",
    "waivers",
]
TASKS_PY = "from drift.tasks import ns\nnamespace = ns\n"
_LISTED = re.compile(r"^  (\S+)\s+(\S.*)$")


@pytest.fixture
def repo(make_project: MakeProject, registry_server: RegistryServer) -> Project:
    project = make_project(registry_server.url, tracks={"v1": SMALL})
    project.write("tasks.py", TASKS_PY)
    return project


def invoke(project: Project, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *argv],
        cwd=project.root,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_list_shows_every_task_with_its_help(repo: Project) -> None:
    listed = invoke(repo, "--list")
    assert listed.returncode == 0, listed.stderr
    helps = {m[1]: m[2] for m in map(_LISTED.match, listed.stdout.splitlines()) if m}
    assert sorted(helps) == TASKS
    assert all(text.strip() for text in helps.values()), helps
    options = invoke(repo, "--help", "check-drift")
    assert options.returncode == 0, options.stderr
    for flag in ("--mode", "--track", "--fail-closed", "--report", "--markdown", "--junit"):
        assert flag in options.stdout


def test_check_drift_clean(repo: Project) -> None:
    result = invoke(repo, "check-drift")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(SMALL)} schemas: {len(SMALL)} synced" in result.stdout
    report = json.loads(repo.report_path.read_text())
    assert report["exit_code"] == 0


def test_check_drift_strict_fails_on_drift(repo: Project, registry_editor: RegistryEditor) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    warn = invoke(repo, "check-drift")
    assert warn.returncode == 0, warn.stdout + warn.stderr
    strict = invoke(repo, "check-drift", "--mode", "strict")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "drifted" in strict.stdout


def test_invoke_yaml_mode_is_honoured(repo: Project, registry_editor: RegistryEditor) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    repo.write("invoke.yaml", "drift:\n  mode: strict\n")
    strict = invoke(repo, "check-drift")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert json.loads(repo.report_path.read_text())["tracks"][0]["mode"] == "strict"
    overridden = invoke(repo, "check-drift", "--mode", "warn")
    assert overridden.returncode == 0, overridden.stdout + overridden.stderr


def test_set_mode_sync_and_errors(repo: Project, registry_editor: RegistryEditor) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    assert invoke(repo, "set-mode", "strict", "--track", "v1").returncode == 0
    assert invoke(repo, "check-drift").returncode == 1
    synced = invoke(repo, "sync-fixtures")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert invoke(repo, "check-drift").returncode == 0
    bad = invoke(repo, "check-drift", "--track", "v3")
    assert bad.returncode == 2
    assert "drift: error:" in bad.stderr
    assert "'v3'" in bad.stderr


def test_an_unwritable_report_is_exit_2_not_a_traceback(repo: Project) -> None:
    result = invoke(repo, "check-drift", "--report", str(repo.root / "pyproject.toml" / "r.json"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "drift: error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_drift_schema_and_fail_on(repo: Project, registry_editor: RegistryEditor) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    other = invoke(repo, "check-drift", "--mode", "strict", "--schema", "models.Health")
    assert other.returncode == 0, other.stdout + other.stderr
    assert "1 schema: 1 synced" in other.stdout
    # a required field added breaks producers (backward): fail-on breaking still fails
    breaking = invoke(repo, "check-drift", "--mode", "strict", "--fail-on", "breaking")
    assert breaking.returncode == 1, breaking.stdout + breaking.stderr


def test_a_task_prints_and_fails_through_the_redaction_boundary(
    repo: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As in the CLI: what a task prints, and its error line, never carry the token."""
    token = "tok-task-boundary-4242"
    monkeypatch.setenv("REGISTRY_TOKEN", token)

    def leaky(rt: app.Runtime, *_a: object) -> int:
        rt.out.write(f"echo {token}\n")
        raise ConfigError(f"a message that carries {token}")

    monkeypatch.setattr(app, "run_check", leaky)
    context = Context(Config(overrides={"drift": {"project_dir": str(repo.root)}}))
    with pytest.raises(Exit) as raised:
        tasks.check_drift(context)
    assert raised.value.code == 2
    assert "a message that carries ***" in str(raised.value.message)
    out = capsys.readouterr().out
    assert "echo ***" in out
    assert token not in out

"""drift init's file plans (pure): append-only pyproject, idempotence, never overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drift import tomlread
from drift.config import load_settings
from drift.errors import ConfigError
from drift.scaffold import (
    HOOKS,
    InitOptions,
    contract_test,
    drift_table,
    gitignore_lines,
    hooks_yaml,
    plan_append_lines,
    plan_file,
    plan_precommit,
    plan_pyproject,
)

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = InitOptions(registry_url="http://127.0.0.1:8080")
USER_PYPROJECT = '[project]\nname   =   "svc"  # odd spacing kept\nversion = "1"\n'


def test_pyproject_table_is_appended_and_nothing_else_changes() -> None:
    change = plan_pyproject(USER_PYPROJECT, OPTIONS)
    assert change.action == "append"
    assert change.content is not None
    assert change.content.startswith(USER_PYPROJECT)  # byte for byte, comments and spacing
    doc = tomlread.loads(change.content)
    assert doc["project"] == {"name": "svc", "version": "1"}
    assert doc["tool"]["drift"]["registry_url"] == "http://127.0.0.1:8080"
    assert doc["tool"]["drift"]["tracks"] == {"v1": {"required": True}, "v2": {"required": False}}


def test_pyproject_without_final_newline_gets_one_before_the_table() -> None:
    change = plan_pyproject('[project]\nname = "svc"', OPTIONS)
    assert change.content is not None
    assert change.content.startswith('[project]\nname = "svc"\n\n# drift')


def test_pyproject_with_the_same_table_is_unchanged_and_a_different_one_refused() -> None:
    appended = plan_pyproject(USER_PYPROJECT, OPTIONS).content
    assert appended is not None
    again = plan_pyproject(appended, OPTIONS)
    assert (again.action, again.content) == ("unchanged", None)
    with pytest.raises(ConfigError, match=r"already has \[tool.drift\].*never rewrites it"):
        plan_pyproject(appended, InitOptions(registry_url="http://elsewhere"))


def test_the_table_is_valid_configuration_with_one_track(tmp_path: Path) -> None:
    text = drift_table(InitOptions(registry_url="http://r.example", tracks=("v1",)))
    (tmp_path / "pyproject.toml").write_text(text)
    settings = load_settings(tmp_path, {})
    assert settings.selected == ("v1",)
    assert settings.tracks["v2"].enabled is False
    assert settings.registry_url == "http://r.example"
    with pytest.raises(ConfigError, match="--tracks: v3"):
        drift_table(InitOptions(registry_url="http://r", tracks=("v3",)))


def test_files_are_created_kept_or_overwritten_only_with_force() -> None:
    assert plan_file("tasks.py", None, "x\n", force=False).action == "create"
    assert plan_file("tasks.py", "x\n", "x\n", force=False).action == "unchanged"
    kept = plan_file("tasks.py", "mine\n", "x\n", force=False)
    assert (kept.action, kept.content) == ("kept", None)
    assert "--force" in kept.detail
    forced = plan_file("tasks.py", "mine\n", "x\n", force=True)
    assert (forced.action, forced.content) == ("overwrite", "x\n")


def test_gitignore_gets_only_the_missing_entries() -> None:
    lines = gitignore_lines("fixtures")
    assert {"drift_report.json", "reports/", "fixtures/.drift.lock"} <= set(lines)
    change = plan_append_lines(".gitignore", "*.pyc\nreports/\n", lines)
    assert change.content is not None
    assert change.content.startswith("*.pyc\nreports/\n")
    assert change.content.count("reports/") == 1
    assert plan_append_lines(".gitignore", change.content, lines).action == "unchanged"


def test_precommit_config_is_created_or_appended_to_its_repos_list() -> None:
    created = plan_precommit(None)
    assert created.content is not None
    data = yaml.safe_load(created.content)
    hooks = data["repos"][0]["hooks"]
    assert data["repos"][0]["repo"] == "local"
    assert [h["id"] for h in hooks] == [h["id"] for h in HOOKS]
    assert {h["language"] for h in hooks} == {"system"}
    existing = (
        "repos:\n-   repo: https://example.invalid/hooks\n    rev: v1\n    hooks:\n    -   id: x\n"
    )
    appended = plan_precommit(existing)
    assert appended.action == "append"
    assert appended.content is not None
    assert appended.content.startswith(existing)
    repos = yaml.safe_load(appended.content)["repos"]
    assert [r["repo"] for r in repos] == ["https://example.invalid/hooks", "local"]
    assert plan_precommit(appended.content).action == "unchanged"
    trailing_key = existing + "ci:\n  autofix_prs: false\n"
    assert plan_precommit(trailing_key).action == "kept"


def test_pre_commit_hooks_file_is_drifts_hooks_for_remote_use() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    body = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
    assert body == hooks_yaml("python")
    hooks = {h["id"]: h for h in yaml.safe_load(text)}
    assert "--no-registry" in hooks["drift-lock"]["args"]
    assert "--no-registry" not in hooks["drift-registry"]["args"]


def test_contract_test_example_and_placeholder_compile() -> None:
    example = contract_test(("models.Quote", {"symbol": "example", "delayed": False}))
    assert "SCHEMA = 'models.Quote'" in example
    assert "PAYLOAD = {'symbol': 'example', 'delayed': False}" in example
    compile(example, "test_contracts.py", "exec")
    placeholder = contract_test(None)
    assert "pytest.skip(" in placeholder
    compile(placeholder, "test_contracts.py", "exec")

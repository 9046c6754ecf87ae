"""``drift propose`` in a real git repository with a bare remote and the registry server.

One branch per track with one commit of fixtures and lock, pushed; a re-run with
nothing new keeps that commit; the registry moving again, or the base moving,
updates the same branch; nothing to sync makes no commit; a dirty work tree is
refused with a clear message and nothing changes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from drift.server import RegistryServer
from tests.integration.project import (
    MakeProject,
    Project,
    RegistryEditor,
    add_required,
    subprocess_env,
)

BRANCH = "drift/sync-v1"
TRACKS = {"v1": ["models.Quote", "models.Health"]}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def widen(content: Any) -> None:
    """A compatible change for a producer: errors_total also accepts null."""
    content["properties"]["errors_total"]["type"] = ["integer", "null"]


@pytest.fixture
def repo(make_project: MakeProject, registry_server: RegistryServer, tmp_path: Path) -> Project:
    """The project as the root of a git repository whose ``origin`` is a bare repository."""
    project = make_project(registry_server.url, tracks=TRACKS)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    root = project.root
    git(root, "init", "--quiet", "-b", "main")
    git(root, "config", "user.name", "Dev")
    git(root, "config", "user.email", "dev@example.com")
    (root / ".gitignore").write_text("drift_report.json\nreports/\n")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "service with drift fixtures")
    git(root, "remote", "add", "origin", str(remote))
    git(root, "push", "--quiet", "origin", "main")
    return project


def remote_rev(project: Project, branch: str = BRANCH) -> str:
    return git(project.root, "ls-remote", "origin", f"refs/heads/{branch}").split("\t")[0]


def body(project: Project) -> str:
    return (project.root / "reports" / "propose" / "v1" / "body.md").read_text()


def test_propose_opens_then_updates_one_branch(
    repo: Project, registry_editor: RegistryEditor
) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    first = repo.drift("propose", "--track", "v1", "--push")
    assert first.code == 0, first.text
    assert f"v1: created {BRANCH}" in first.out
    assert git(repo.root, "rev-list", "--count", f"main..{BRANCH}") == "1"
    files = git(repo.root, "diff", "--name-only", f"main..{BRANCH}").splitlines()
    assert files == ["fixtures/lock.toml", "fixtures/v1/models.Quote.json"]
    subject = git(repo.root, "log", "-1", "--format=%s", BRANCH)
    assert subject == "drift: sync v1 schema models.Quote from the registry (breaking)"
    head = git(repo.root, "rev-parse", BRANCH)
    assert remote_rev(repo) == head
    text = body(repo)
    assert "| `models.Quote` | drifted | breaking |" in text
    assert "property-added /properties/exchange" in text
    assert "### `models.Quote` — drifted, breaking" in text
    assert "**Counterexample**: a payload the current fixture accepts" in text
    labels = (repo.root / "reports" / "propose" / "v1" / "labels.txt").read_text()
    assert labels == "schema-breaking\n"
    # the user's checkout is untouched: still on main, clean, fixtures as committed
    assert git(repo.root, "symbolic-ref", "--short", "HEAD") == "main"
    assert git(repo.root, "status", "--porcelain", "--untracked-files=no") == ""
    assert '"exchange"' not in repo.fixture("v1", "models.Quote").read_text()

    # nothing new: the same commit, nothing pushed
    again = repo.drift("propose", "--track", "v1", "--push")
    assert again.code == 0, again.text
    assert f"v1: unchanged {BRANCH}" in again.out
    assert git(repo.root, "rev-parse", BRANCH) == head

    # the registry moved again: the same branch, still one commit, now both schemas
    registry_editor.change("v1", "models.Health", widen)
    moved = repo.drift("propose", "--track", "v1", "--push")
    assert moved.code == 0, moved.text
    assert f"v1: updated {BRANCH}" in moved.out
    assert git(repo.root, "rev-list", "--count", f"main..{BRANCH}") == "1"
    assert remote_rev(repo) == git(repo.root, "rev-parse", BRANCH) != head
    assert git(repo.root, "branch", "--list", "drift/*").split() == [BRANCH]
    text = body(repo)
    assert "| `models.Health` | drifted | compatible |" in text
    assert "| `models.Quote` | drifted | breaking |" in text


def test_the_branch_follows_the_base(repo: Project, registry_editor: RegistryEditor) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    assert repo.drift("propose", "--track", "v1", "--push").code == 0
    (repo.root / "README.md").write_text("service\n")
    git(repo.root, "add", "README.md")
    git(repo.root, "commit", "--quiet", "-m", "docs")
    result = repo.drift("propose", "--track", "v1", "--push")
    assert result.code == 0, result.text
    assert f"v1: updated {BRANCH}" in result.out
    assert git(repo.root, "rev-parse", f"{BRANCH}~1") == git(repo.root, "rev-parse", "main")
    assert remote_rev(repo) == git(repo.root, "rev-parse", BRANCH)


def test_compatible_changes_are_labelled_for_auto_merge(
    repo: Project, registry_editor: RegistryEditor
) -> None:
    contract = repo.write(
        "tests/contracts/test_health.py",
        "import json\n\n\ndef test_errors_total_may_be_null():\n"
        "    health = json.load(open('fixtures/v1/models.Health.json'))\n"
        "    assert 'null' in health['properties']['errors_total']['type']\n",
    )
    git(repo.root, "add", str(contract))
    git(repo.root, "commit", "--quiet", "-m", "a contract test")
    registry_editor.change("v1", "models.Health", widen)
    result = repo.drift("propose", "--track", "v1", "--run-contracts")
    assert result.code == 0, result.text
    labels = (repo.root / "reports" / "propose" / "v1" / "labels.txt").read_text()
    assert labels == "schema-compatible\n"
    text = body(repo)
    assert "type-widened /properties/errors_total/type" in text
    # the contract tests ran on the synced fixtures (the committed ones would fail)
    assert "tests/contracts`: passed — 1 passed" in text
    assert remote_rev(repo) == ""  # no --push: nothing pushed


def test_nothing_changed_makes_no_commit(repo: Project) -> None:
    result = repo.drift("propose", "--track", "v1", "--push")
    assert result.code == 0, result.text
    assert "v1: fixtures match the registry; nothing to propose (no commit)" in result.out
    assert git(repo.root, "branch", "--list", "drift/*") == ""
    assert not (repo.root / "reports" / "propose" / "v1").exists()


def test_a_dirty_work_tree_is_refused(repo: Project, registry_editor: RegistryEditor) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    (repo.fixtures / ".drift.lock").write_text("")  # a sync's own lock file is not a change
    repo.edit_fixture("v1", "models.Health", lambda c: c.update(title="edited"))
    before = repo.snapshot()
    result = repo.drift("propose", "--track", "v1", "--push")
    assert result.code == 2
    assert "uncommitted changes (fixtures/v1/models.Health.json)" in result.err
    assert "commit or stash them first" in result.err
    assert "Traceback" not in result.text
    assert repo.snapshot() == before
    assert git(repo.root, "branch", "--list", "drift/*") == ""


def test_outside_a_git_work_tree_is_a_clear_error(
    make_project: MakeProject, registry_server: RegistryServer
) -> None:
    project = make_project(registry_server.url, tracks=TRACKS)
    result = project.drift("propose", "--track", "v1")
    assert result.code == 2
    assert "not inside a git work tree" in result.err


def test_the_pull_request_text_never_shows_the_token(
    repo: Project, registry_editor: RegistryEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9 #3: registry-sent text carrying the token is redacted in title and body."""
    token = "tok-propose-9f3b2c-secret"
    monkeypatch.setenv("REGISTRY_TOKEN", token)
    registry_editor.change("v1", "models.Quote", add_required(f"x_{token}"))
    result = repo.drift("propose", "--track", "v1")
    assert result.code == 0, result.text
    folder = repo.root / "reports" / "propose" / "v1"
    text = body(repo)
    assert "x_***" in text
    for name in ("title.txt", "body.md", "labels.txt"):
        assert token not in (folder / name).read_text(), name
    assert token not in result.text


def test_the_invoke_task_proposes_like_the_cli(
    repo: Project, registry_editor: RegistryEditor
) -> None:
    (repo.root / "tasks.py").write_text("from drift.tasks import ns\nnamespace = ns\n")
    git(repo.root, "add", "tasks.py")
    git(repo.root, "commit", "--quiet", "-m", "tasks")
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "propose", "--track", "v1", "--push"],
        cwd=repo.root, env=subprocess_env(), capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"v1: created {BRANCH}" in done.stdout
    assert remote_rev(repo) == git(repo.root, "rev-parse", BRANCH)

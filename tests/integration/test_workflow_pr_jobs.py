"""The workflow template's pull-request jobs, run here: the ``run:`` steps of the PR
feedback job (comment that edits drift's previous one) and of the nightly propose job
(``drift propose`` on a real repository with a bare remote, then one PR per track),
with a recording ``gh`` on PATH in place of GitHub's API. Only ``gh`` is stood in for:
git, the registry server and drift are real."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from drift.reporters.comment import MARKER
from drift.server import RegistryServer
from tests.integration.project import (
    REPO,
    MakeProject,
    Project,
    RegistryEditor,
    add_required,
    subprocess_env,
)

WORKFLOW = REPO / ".github" / "workflows" / "registry-contracts.yml"
#: A ``gh`` that appends its argv (JSON, one line per call) to $GH_LOG and answers the
#: two queries the steps make from $GH_COMMENT_ID / $GH_OPEN_PR.
FAKE_GH = """#!/usr/bin/env python3
import json, os, sys
with open(os.environ["GH_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
args = sys.argv[1:]
if args[:1] == ["api"] and "--jq" in args and "comments" in args[1]:
    print(os.environ.get("GH_COMMENT_ID", ""))
if args[:2] == ["pr", "list"]:
    print(os.environ.get("GH_OPEN_PR", ""))
"""


def job(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    found: dict[str, Any] = workflow["jobs"][name]
    return found


def step(job_name: str, starts: str) -> dict[str, Any]:
    return next(s for s in job(job_name)["steps"] if s.get("name", "").startswith(starts))


@pytest.fixture
def gh(tmp_path: Path) -> tuple[Path, Path]:
    """A folder with the recording ``gh`` and its log."""
    folder = tmp_path / "bin"
    folder.mkdir()
    fake = folder / "gh"
    fake.write_text(FAKE_GH.replace("/usr/bin/env python3", sys.executable))
    fake.chmod(0o755)
    return folder, tmp_path / "gh.log"


def run_step(
    spec: dict[str, Any], cwd: Path, gh: tuple[Path, Path], **env: str
) -> subprocess.CompletedProcess[str]:
    folder, log = gh
    full = subprocess_env({"GH_LOG": str(log), **env})
    full["PATH"] = os.pathsep.join([str(folder), str(Path(sys.executable).parent), full["PATH"]])
    script = spec["run"]
    for key, value in spec.get("env", {}).items():  # plain values only; ${{ }} given as env
        if "${{" not in str(value):
            full.setdefault(key, str(value))
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd, env=full, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_only_the_jobs_that_write_get_write_permissions() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["permissions"] == {"contents": "read"}
    writers = {
        name: spec["permissions"]
        for name, spec in workflow["jobs"].items()
        if "permissions" in spec
    }
    assert writers == {
        "pr-feedback": {"pull-requests": "write", "security-events": "write"},
        "propose": {"contents": "write", "pull-requests": "write"},
    }


@pytest.mark.parametrize("existing", ["", "987"])
def test_the_comment_step_edits_drifts_previous_comment(
    tmp_path: Path, gh: tuple[Path, Path], existing: str
) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "pr-comment.md").write_text(f"{MARKER}\nbody\n")
    spec = step("pr-feedback", "Comment")
    done = run_step(
        spec, tmp_path, gh, GH_REPO="acme/svc", PR="7", GH_TOKEN="t", GH_COMMENT_ID=existing
    )
    assert done.returncode == 0, done.stdout + done.stderr
    made = calls(gh[1])
    assert made[0][:2] == ["api", "repos/acme/svc/issues/7/comments"]
    assert MARKER in " ".join(made[0])  # it looks for the marker line
    if existing:
        assert made[1] == [
            "api", "--method", "PATCH", "repos/acme/svc/issues/comments/987",
            "-F", "body=@reports/pr-comment.md",
        ]  # fmt: skip
    else:
        assert made[1] == ["pr", "comment", "7", "--body-file", "reports/pr-comment.md"]
    assert len(made) == 2


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()


@pytest.fixture
def repo(make_project: MakeProject, registry_server: RegistryServer, tmp_path: Path) -> Project:
    project = make_project(registry_server.url, tracks={"v1": ["models.Quote", "models.Health"]})
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    (project.root / ".gitignore").write_text("drift_report.json\nreports/\n")
    git(project.root, "init", "--quiet", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "-c", "user.name=d", "-c", "user.email=d@e", "commit", "-qm", "init")
    git(project.root, "remote", "add", "origin", str(remote))
    git(project.root, "push", "--quiet", "origin", "main")
    return project


def test_the_nightly_job_pushes_one_branch_and_opens_then_updates_its_pr(
    repo: Project, registry_editor: RegistryEditor, gh: tuple[Path, Path]
) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    contracts = f"{shlex.quote(sys.executable)} -c \"print('0 contract tests: none here')\""
    env = {"GITHUB_REF_NAME": "main", "DRIFT_CONTRACTS_COMMAND": contracts}
    propose = step("propose", "drift propose")
    opened = run_step(propose, repo.root, gh, **env)
    assert opened.returncode == 0, opened.stdout + opened.stderr
    assert "v1: created drift/sync-v1" in opened.stdout
    assert git(repo.root, "ls-remote", "origin", "drift/sync-v1")
    body = (repo.root / "reports" / "propose" / "v1" / "body.md").read_text()
    assert "0 contract tests: none here" in body  # --run-contracts ran the command

    prs = step("propose", "Open or update")
    created = run_step(prs, repo.root, gh, **env)
    assert created.returncode == 0, created.stdout + created.stderr
    made = calls(gh[1])
    assert [c[:2] for c in made[:2]] == [["label", "create"], ["label", "create"]]
    assert made[-1][:2] == ["pr", "create"]
    assert made[-1][made[-1].index("--head") + 1] == "drift/sync-v1"
    assert made[-1][made[-1].index("--label") + 1] == "schema-breaking"
    title = made[-1][made[-1].index("--title") + 1]
    assert title == "drift: sync v1 schema models.Quote from the registry (breaking)"

    gh[1].unlink()
    registry_editor.change("v1", "models.Health", lambda c: c.update(title="Health!"))
    again = run_step(propose, repo.root, gh, **env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "v1: updated drift/sync-v1" in again.stdout
    updated = run_step(prs, repo.root, gh, GH_OPEN_PR="12", **env)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    edit = calls(gh[1])[-1]
    assert edit[:3] == ["pr", "edit", "drift/sync-v1"]
    assert edit[edit.index("--add-label") + 1] == "schema-breaking"
    assert edit[edit.index("--remove-label") + 1] == "schema-compatible"

"""drift's hooks for other repositories (.pre-commit-hooks.yaml), run by the real pre-commit
with ``pre-commit try-repo`` against this checkout, in a temporary repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.gha import base_env
from tests.integration.wheelhouse import Venv

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = '[tool.drift]\nregistry_url = "http://127.0.0.1:9"\nfixtures_dir = "fixtures"\n'
pytestmark = pytest.mark.timeout(600)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd, check=True, capture_output=True,
    )  # fmt: skip


def test_offline_hook_passes_then_fails_on_a_hand_edited_fixture(
    tmp_path: Path, adopter_venv: Venv
) -> None:
    repo = tmp_path / "svc"
    repo.mkdir()
    (repo / "pyproject.toml").write_text(PYPROJECT)
    shutil.copytree(REPO / "fixtures", repo / "fixtures")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "fixtures")
    env = {
        **base_env(adopter_venv.bin, tmp_path),
        **adopter_venv.pip_env(),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }

    def hook(*hook_id: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pre-commit", "try-repo", str(REPO), *hook_id, "--all-files", "--verbose"],
            cwd=repo, env=env, capture_output=True, text=True, timeout=400, check=False,
        )  # fmt: skip

    both = hook()  # every hook in .pre-commit-hooks.yaml
    assert both.returncode == 0, both.stdout + both.stderr
    assert "drift: fixtures match the lock (offline)....." in both.stdout
    assert both.stdout.count("Passed") == 2
    # The registry hook fails open: nothing listens on port 9.
    assert "registry unavailable" in both.stdout

    fixture = repo / "fixtures" / "v1" / "models.Quote.json"
    fixture.write_bytes(fixture.read_bytes().replace(b'"symbol"', b'"ticker"', 1))
    edited = hook("drift-lock")
    assert edited.returncode == 1, edited.stdout + edited.stderr
    assert "Failed" in edited.stdout
    assert "local-edit" in edited.stdout
    assert "models.Quote" in edited.stdout

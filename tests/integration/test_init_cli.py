"""``drift init`` flags in-process: --dry-run, --no-sync, --force, --tracks, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.cli import main
from drift.server import RegistryServer
from tests.integration.project import snapshot

USER = '[project]\nname = "svc"\nversion = "0"\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(USER)
    return tmp_path


def init(repo: Path, *argv: str) -> int:
    return main(["init", "-C", str(repo), *argv])


def test_dry_run_writes_nothing_and_shows_the_table(
    repo: Path, registry_server: RegistryServer, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(repo)
    assert init(repo, "--registry-url", registry_server.url, "--dry-run") == 0
    out = capsys.readouterr().out
    assert snapshot(repo) == before
    assert "append    pyproject.toml" in out
    assert "create    noxfile.py (4 lines)" in out
    assert f'registry_url = "{registry_server.url}"' in out
    assert "dry run: nothing written, nothing synced" in out


def test_no_sync_writes_a_placeholder_test_and_no_fixtures(
    repo: Path, registry_server: RegistryServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(repo, "--registry-url", registry_server.url, "--no-sync", "--tracks", "v1") == 0
    assert not (repo / "fixtures").exists()
    assert "pytest.skip(" in (repo / "tests" / "contracts" / "test_contracts.py").read_text()
    text = (repo / "pyproject.toml").read_text()
    assert text.startswith(USER)
    assert "[tool.drift.tracks.v2]\nrequired = false\nenabled = false\n" in text


def test_existing_files_are_kept_unless_forced(
    repo: Path, registry_server: RegistryServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "tasks.py").write_text("# mine\n")
    assert init(repo, "--registry-url", registry_server.url, "--no-sync") == 0
    out = capsys.readouterr().out
    assert "kept      tasks.py: exists and differs; --force overwrites it" in out
    assert (repo / "tasks.py").read_text() == "# mine\n"
    assert init(repo, "--registry-url", registry_server.url, "--no-sync", "--force") == 0
    assert "overwrite tasks.py" in capsys.readouterr().out
    assert (repo / "tasks.py").read_text() == "from drift.tasks import ns\nnamespace = ns\n"


def test_a_different_drift_table_is_refused_and_nothing_written(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "pyproject.toml").write_text(USER + '\n[tool.drift]\nregistry_url = "http://old"\n')
    before = snapshot(repo)
    assert init(repo, "--registry-url", "http://new") == 2
    err = capsys.readouterr().err
    assert "pyproject.toml already has [tool.drift] (registry_url = 'http://old')" in err
    assert "Traceback" not in err
    assert snapshot(repo) == before


def test_an_unreachable_registry_still_writes_the_files_and_exits_3(
    repo: Path, closed_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code = init(repo, "--registry-url", f"http://127.0.0.1:{closed_port}")
    out = capsys.readouterr().out
    assert code == 3, out
    assert (repo / "noxfile.py").is_file()
    assert "the first sync failed (exit 3)" in out

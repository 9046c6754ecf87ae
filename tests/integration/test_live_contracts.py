"""Live contract mode against the project's registry server, and its fail-open fallback.

The same steps ``nox -s contracts-v1 -- --live`` takes: ``drift fetch-schemas``
into a temporary directory (``drift.live``), then the contract suite on it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from drift.live import Fetch, check_fetch_exit, fetch_command, prepare_schema_dir
from drift.server import RegistryServer
from tests.integration.project import RegistryEditor, subprocess_env

REPO = Path(__file__).resolve().parents[2]


def _fetcher(registry_url: str) -> Fetch:
    def fetch(track: str, dest: Path) -> None:
        argv = [sys.executable, *fetch_command(track, dest)[1:], "--registry-url", registry_url]
        run = subprocess.run(argv, cwd=REPO, env=subprocess_env(), capture_output=True, check=False)
        check_fetch_exit(run.returncode)

    return fetch


def _contracts(track: str, schema_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/contracts", "-q", "-p", "no:cacheprovider",
         f"--schema-track={track}", f"--schema-dir={schema_dir}"],
        cwd=REPO, env=subprocess_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("track", ["v1", "v2"])
def test_live_mode_tests_what_the_registry_serves(
    track: str, registry_server: RegistryServer
) -> None:
    source = prepare_schema_dir(
        track, live=True, fetch=_fetcher(registry_server.url), fixtures_dir=REPO / "fixtures"
    )
    assert source.live
    assert not source.fell_back
    assert len(list((source.directory / track).glob("*.json"))) >= 38
    run = _contracts(track, source.directory)
    assert run.returncode == 0, run.stdout + run.stderr


def test_live_mode_fails_when_the_registry_breaks_a_payload(
    registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    def require_venue(content: dict[str, object]) -> None:
        content.setdefault("required", []).append("venue")  # type: ignore[union-attr]

    registry_editor.change("v1", "models.Quote", require_venue)
    source = prepare_schema_dir(
        "v1", live=True, fetch=_fetcher(registry_server.url), fixtures_dir=REPO / "fixtures"
    )
    run = _contracts("v1", source.directory)
    assert run.returncode == 1, run.stdout
    assert "'venue' is a required property" in run.stdout


def test_unreachable_registry_falls_back_to_the_committed_fixtures(closed_port: int) -> None:
    source = prepare_schema_dir(
        "v1",
        live=True,
        fetch=_fetcher(f"http://127.0.0.1:{closed_port}"),
        fixtures_dir=REPO / "fixtures",
    )
    assert source.fell_back
    assert source.directory == REPO / "fixtures"
    assert "LIVE FETCH FAILED" in source.message
    run = _contracts("v1", source.directory)
    assert run.returncode == 0, run.stdout + run.stderr

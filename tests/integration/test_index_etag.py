"""A conditional GET /index: the ETag kept from the last answer makes an unchanged
registry answer 304 with no body, against the real registry server."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx

from drift import app
from drift.config import load_settings
from drift.server import RegistryServer
from drift.sources.http import RegistryClient
from drift.sources.index_cache import IndexCache

#: ``drift <args>`` in-process, then the imported modules as JSON.
PROBE = """
import json, sys
from drift.cli import main
main(sys.argv[1:])
print(json.dumps(sorted(sys.modules)))
"""
EditRegistry = Callable[[str, "bytes | None"], Path]


class Recorder(httpx.BaseTransport):
    """The real transport, keeping (status, body bytes) of every answer."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.answers: list[tuple[int, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        self.answers.append((response.status_code, len(response.content)))
        return response

    def close(self) -> None:
        self.inner.close()


def client(server: RegistryServer, cache: IndexCache | None, recorder: Recorder) -> RegistryClient:
    return RegistryClient(server.url, index_cache=cache, transport=recorder)


def test_an_unchanged_registry_answers_304_and_the_kept_index_is_read(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    cache = IndexCache(tmp_path, registry_server.url)
    first, second = Recorder(), Recorder()
    with client(registry_server, cache, first) as c:
        fresh = c.index()
    assert first.answers[0][0] == 200
    assert cache.load() is not None
    with client(registry_server, cache, second) as c:
        again = c.index()
        assert c.requests_made == 1
    assert second.answers == [(304, 0)]
    assert registry_server.request_headers[-1]["if-none-match"] == cache.load()[0]  # type: ignore[index]
    assert again == fresh


def test_a_changed_index_is_a_200_and_replaces_the_kept_one(
    registry_server: RegistryServer,
    registry_root: Path,
    edit_registry: EditRegistry,
    tmp_path: Path,
) -> None:
    cache = IndexCache(tmp_path, registry_server.url)
    with client(registry_server, cache, Recorder()) as c:
        before = c.index()
    index = json.loads((registry_root / "index.json").read_text())
    index["generated_at"] = "2030-01-01T00:00:00Z"
    edit_registry("index.json", json.dumps(index).encode())
    recorder = Recorder()
    with client(registry_server, cache, recorder) as c:
        after = c.index()
    assert recorder.answers[0][0] == 200
    assert after.generated_at == "2030-01-01T00:00:00Z" != before.generated_at
    kept = cache.load()
    assert kept is not None
    assert json.loads(kept[1])["generated_at"] == "2030-01-01T00:00:00Z"


def test_an_unreadable_cache_is_an_unconditional_get(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    cache = IndexCache(tmp_path, registry_server.url)
    cache.path.write_bytes(b"no newline, no etag")
    recorder = Recorder()
    with client(registry_server, cache, recorder) as c:
        c.index()
    assert recorder.answers[0][0] == 200
    assert "if-none-match" not in registry_server.request_headers[-1]
    assert cache.load() is not None  # repaired by the answer


def test_without_a_cache_no_conditional_request_is_sent(
    registry_server: RegistryServer,
) -> None:
    recorder = Recorder()
    with client(registry_server, None, recorder) as c:
        c.index()
        c.index()
    assert [status for status, _ in recorder.answers] == [200, 200]
    assert all("if-none-match" not in h for h in registry_server.request_headers)


def bare_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.drift]\nrepo = "svc"\n')
    return project


def test_the_cli_keeps_the_etag_between_runs(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    """Two `drift check-drift` runs: the second sends the first answer's ETag, on the
    standard library (a check where nothing moved imports no httpx, nor logging)."""
    project = bare_project(tmp_path)
    env = {
        **os.environ,
        "REGISTRY_URL": registry_server.url,
        "DRIFT_CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("CI", None)
    modules = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "check-drift", "--no-report", "-q"],
            cwd=project,
            env=env,
            check=False,
            capture_output=True,
            text=True,
        )
        modules.append(set(json.loads(done.stdout.strip().splitlines()[-1])))
    assert "drift.sources.http_plain" in modules[1]
    httpx_side = {"httpx", "httpcore", "h11", "certifi", "logging"}  # no log line is shown
    assert {m for m in modules[1] if m.split(".")[0] in httpx_side} == set()
    index_requests = [
        h
        for (method, target), h in zip(
            registry_server.request_log, registry_server.request_headers, strict=True
        )
        if target == "/index"
    ]
    assert len(index_requests) == 2
    assert "if-none-match" not in index_requests[0]
    assert index_requests[1]["if-none-match"].startswith('"')


def test_a_workflow_keeps_the_index_where_its_runtime_environment_says(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    """The cache directory comes from the runtime's environment, not the process's."""
    settings = load_settings(bare_project(tmp_path), {}, {"registry_url": registry_server.url})
    runtime = app.Runtime(env={"DRIFT_CACHE_DIR": str(tmp_path / "cache")}, out=io.StringIO())
    app.run_check(runtime, settings, app.CheckOutputs(report=False, quiet=True))
    assert list((tmp_path / "cache").iterdir())  # the index and its ETag were kept there

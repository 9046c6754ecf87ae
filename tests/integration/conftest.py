"""Shared fixtures for integration tests against a real local registry server.

- ``registry_root``: a session-wide copy of the repo's ``registry/`` (tests may
  edit it; use ``edit_registry`` so the edit is undone after the test).
- ``registry_server``: one :class:`~drift.server.RegistryServer` for the whole
  session on 127.0.0.1 and an ephemeral port; use ``registry_server.url``.
  After every test that used it, its faults, latency and request log are reset.
- ``edit_registry``: ``edit_registry("v1/models.Quote.json", b"...")`` writes a
  file in the copy (``None`` deletes it); everything is restored at teardown.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drift.server import RegistryServer

# The helper fixtures load for integration tests only (not for every unit test).
from tests.integration.project import make_project, registry_editor  # noqa: F401
from tests.integration.telemetry_servers import (  # noqa: F401
    closed_port,
    pushgateway_server,
    redis_server,
    require_program,
    silent_port,
)
from tests.integration.wheelhouse import adopter_venv, drift_wheel, wheelhouse  # noqa: F401

REPO = Path(__file__).resolve().parents[2]

EditRegistry = Callable[[str, "bytes | None"], Path]


@pytest.fixture(scope="session")
def registry_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("registry-copy") / "registry"
    shutil.copytree(REPO / "registry", root)
    return root


@pytest.fixture(scope="session")
def registry_server(registry_root: Path) -> Iterator[RegistryServer]:
    server = RegistryServer(registry_root, "127.0.0.1", 0)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _reset_registry_server(request: pytest.FixtureRequest) -> Iterator[None]:
    """Give every test that uses ``registry_server`` a clean one, and clean up after it."""
    if "registry_server" not in request.fixturenames:
        yield
        return
    server: RegistryServer = request.getfixturevalue("registry_server")
    server.reset()
    yield
    server.reset()


@pytest.fixture
def edit_registry(registry_root: Path) -> Iterator[EditRegistry]:
    saved: dict[Path, bytes | None] = {}

    def edit(relative: str, data: bytes | None) -> Path:
        path = registry_root / relative
        if path not in saved:
            saved[path] = path.read_bytes() if path.exists() else None
        _write(path, data)
        return path

    yield edit
    for path, data in saved.items():
        _write(path, data)


def _write(path: Path, data: bytes | None) -> None:
    if data is None:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)

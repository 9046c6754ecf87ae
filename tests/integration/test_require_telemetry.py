"""``--require-telemetry``: a telemetry job that cannot publish says so and fails (exit 2),
while the registry stays fail-open. Real CLI, the reference registry server."""

from __future__ import annotations

import sys

import pytest

from drift.server import RegistryServer
from tests.integration.project import MakeProject, Project, RegistryEditor, add_required
from tests.integration.telemetry_servers import LocalServer

SMALL = {"v1": ["models.Health", "models.Quote"]}


@pytest.fixture
def project(
    make_project: MakeProject, registry_server: RegistryServer, monkeypatch: pytest.MonkeyPatch
) -> Project:
    monkeypatch.setenv("PULSE_ENABLED", "true")
    monkeypatch.setenv("EVENT_BUS_BACKEND", "redis")
    return make_project(registry_server.url, tracks=SMALL)


def test_missing_redis_extra_fails_even_with_nothing_to_send(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(sys.modules, "redis", None)  # as without schema-drift[redis]
    quiet = project.check("--emit-telemetry")
    assert quiet.code == 0, quiet.text  # best effort without the flag: unchanged
    result = project.check("--emit-telemetry", "--require-telemetry")
    assert result.code == 2, result.text
    assert "--require-telemetry: drift events cannot be published" in result.err
    assert "pip install 'schema-drift[redis]'" in result.err


def test_unreachable_redis_with_events_to_send_fails(
    project: Project,
    registry_editor: RegistryEditor,
    monkeypatch: pytest.MonkeyPatch,
    closed_port: int,
) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{closed_port}/0")
    registry_editor.change("v1", "models.Quote", add_required("venue"))
    result = project.check("--emit-telemetry", "--require-telemetry")
    assert result.code == 2, result.text
    assert "--require-telemetry: 1 drift event(s) not published" in result.err


def test_unreachable_redis_with_nothing_to_send_fails_too(
    project: Project, monkeypatch: pytest.MonkeyPatch, closed_port: int
) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://u:hunter2@127.0.0.1:{closed_port}/0")
    result = project.check("--emit-telemetry", "--require-telemetry")
    assert result.code == 2, result.text
    assert "--require-telemetry: drift events cannot be published: redis" in result.err
    assert "hunter2" not in result.text


def test_a_real_redis_passes(
    project: Project, monkeypatch: pytest.MonkeyPatch, redis_server: LocalServer
) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{redis_server.port}/0")
    result = project.check("--emit-telemetry", "--require-telemetry")
    assert result.code == 0, result.text


def test_pulse_disabled_on_purpose_is_not_a_failure(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_ENABLED", "false")
    monkeypatch.setitem(sys.modules, "redis", None)
    result = project.check("--emit-telemetry", "--require-telemetry")
    assert result.code == 0, result.text

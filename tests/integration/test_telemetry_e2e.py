"""A real check run with every telemetry path on: the issue's end-to-end case.

``drift check-drift --emit-telemetry --metrics-textfile … --pushgateway …``
against the project's registry server with two schemas drifted: exactly one
event per drifted schema on a real redis-server that market-data-core's codec
decodes, a textfile that ``promtool check metrics`` accepts, and a Pushgateway
that serves the metrics. Then the same run with Redis and the Pushgateway down:
same exit code.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from drift.server import RegistryServer
from tests.integration.project import MakeProject, RegistryEditor, add_required
from tests.integration.telemetry_servers import LocalServer

redis = pytest.importorskip("redis", reason="the redis extra is not installed")
core_codec = pytest.importorskip(
    "market_data_core.events.codecs.json_codec", reason="market-data-core needs Python 3.11+"
)
core_models = pytest.importorskip("market_data_core.models.registry")

DRIFTED = ["models.Quote", "telemetry.FeedbackEvent"]
SELECTED = {"v1": ["models.Health", "models.PriceBar", *DRIFTED]}


def test_check_with_every_telemetry_path(
    make_project: MakeProject,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    redis_server: LocalServer,
    pushgateway_server: LocalServer,
    require_program: object,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    project = make_project(registry_server.url, tracks=SELECTED, settings={"repo": "e2e-store"})
    for name in DRIFTED:
        registry_editor.change("v1", name, add_required("venue"))
    monkeypatch.setenv("EVENT_BUS_BACKEND", "redis")
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    monkeypatch.setenv("MD_NAMESPACE", "e2e")
    monkeypatch.setenv("DRIFT_METRICS_STATE", str(tmp_path / "state.json"))
    textfile = tmp_path / "drift.prom"

    result = project.check(
        "--mode", "strict", "--emit-telemetry",
        "--metrics-textfile", str(textfile), "--pushgateway", pushgateway_server.url,
    )  # fmt: skip
    assert result.code == 1, result.text

    client = redis.Redis.from_url(redis_server.url)
    try:
        entries = client.xrange("e2e:telemetry.schema_drift")
    finally:
        client.close()
    codec = core_codec.JsonCodec()
    events = [codec.decode(fields[b"data"], core_models.SchemaDriftEvent) for _, fields in entries]
    assert sorted(e.payload.schema_name for e in events) == DRIFTED
    assert {e.meta.track for e in events} == {"v1"}
    assert {e.payload.service for e in events} == {"e2e-store"}
    assert {e.payload.enforcement_mode.value for e in events} == {"strict"}

    promtool = subprocess.run(
        [str(require_program("promtool")), "check", "metrics"],  # type: ignore[operator]
        input=textfile.read_bytes(), capture_output=True, check=False,
    )  # fmt: skip
    assert promtool.returncode == 0, promtool.stderr.decode()
    text = textfile.read_text()
    for name in DRIFTED:
        assert f'schema="{name}"' in text

    served = httpx.get(f"{pushgateway_server.url}/metrics", timeout=5).text
    active = [
        line for line in served.splitlines()
        if line.startswith("schema_drift_active{") and 'repo="e2e-store"' in line
    ]  # fmt: skip
    assert sorted(line.rsplit(" ", 1)[1] for line in active) == ["0", "0", "1", "1"]


def test_dead_telemetry_backends_do_not_change_the_outcome(
    make_project: MakeProject,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    closed_port: int,
    tmp_path: Path,
) -> None:
    project = make_project(registry_server.url, tracks=SELECTED)
    registry_editor.change("v1", "models.Quote", add_required("venue"))
    env = {
        "EVENT_BUS_BACKEND": "redis",
        "REDIS_URL": f"redis://127.0.0.1:{closed_port}/0",
        "DRIFT_METRICS_STATE": str(tmp_path / "state.json"),
    }
    dead = f"http://127.0.0.1:{closed_port}"
    for mode, expected in (("strict", 1), ("warn", 0)):
        run = project.run_module(
            "check-drift", "--mode", mode, "--emit-telemetry", "--pushgateway", dead,
            env=env,
        )  # fmt: skip
        assert run.returncode == expected, run.stdout + run.stderr

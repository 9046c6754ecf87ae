"""Drift events on a real redis-server, read back with market-data-core's own codec and model."""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

import pytest

from drift.model import Status
from drift.report import Report, SchemaResult, TrackResult
from drift.telemetry.bus import open_bus
from drift.telemetry.events import publish
from drift.telemetry.metrics import DriftMetrics
from drift.telemetry.publisher import PulsePublisher
from drift.telemetry.settings import PulseSettings
from tests.integration.telemetry_servers import LocalServer

redis = pytest.importorskip("redis", reason="the redis extra is not installed")
core_codec = pytest.importorskip(
    "market_data_core.events.codecs.json_codec", reason="market-data-core needs Python 3.11+"
)
core_models = pytest.importorskip("market_data_core.models.registry")

REPO = "market-data-store"
NOW = 1764158400.5
_namespaces = itertools.count()


def drift_report() -> Report:
    v1 = (
        SchemaResult("telemetry.FeedbackEvent", "v1", Status.DRIFTED, fixture_sha256="a" * 64,
                     registry_sha256="b" * 64, verdict="breaking"),
        SchemaResult("models.Quote", "v1", Status.MISSING_IN_REGISTRY, fixture_sha256="c" * 64),
        SchemaResult("models.Bar", "v1", Status.SYNCED, fixture_sha256="d" * 64),
        SchemaResult("models.Tick", "v1", Status.ANNOTATIONS, fixture_sha256="e" * 64),
    )  # fmt: skip
    v2 = (
        SchemaResult("telemetry.RateAdjustment", "v2", Status.LOCAL_EDIT, fixture_sha256="f" * 64),
    )
    return Report(
        REPO, "registry", "2026-01-01T00:00:00Z", "0.1.0",
        tracks=(TrackResult("v1", "warn", schemas=v1), TrackResult("v2", "strict", schemas=v2)),
    )  # fmt: skip


def env_for(url: str, **extra: str) -> dict[str, str]:
    namespace = f"test{next(_namespaces)}"
    return {"EVENT_BUS_BACKEND": "redis", "REDIS_URL": url, "MD_NAMESPACE": namespace, **extra}


def read_stream(url: str, key: str) -> list[tuple[bytes, dict[bytes, bytes]]]:
    client = redis.Redis.from_url(url)
    try:
        return list(client.xrange(key))
    finally:
        client.close()


def test_events_decode_with_core_codec_and_model(
    redis_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = PulseSettings.from_env(env_for(redis_server.url))
    bus = open_bus(settings)
    try:
        outcome = publish(drift_report(), bus, NOW, stream=settings.stream)
    finally:
        bus.close()
    expected = [r.name for r in drift_report().drifted()]
    assert (outcome.sent, outcome.failed, outcome.errors) == (len(expected), 0, ())

    computed: list[str] = []

    class SpyHashlib:
        @staticmethod
        def sha256(data: bytes = b"") -> Any:
            digest = hashlib.sha256(data)
            computed.append(digest.hexdigest())
            return digest

    monkeypatch.setattr(core_codec, "hashlib", SpyHashlib)
    entries = read_stream(redis_server.url, f"{settings.namespace}:telemetry.schema_drift")
    assert len(entries) == len(expected)
    decoded = []
    for _, fields in entries:
        assert set(fields) == {b"data"}
        envelope = core_codec.JsonCodec().decode(fields[b"data"], core_models.SchemaDriftEvent)
        assert computed[-1] == envelope.meta.hash  # Core's own check of the digest
        decoded.append(envelope)
    assert [e.payload.schema_name for e in decoded] == expected
    assert (
        [e.meta.track for e in decoded] == [e.payload.track for e in decoded] == ["v1", "v1", "v2"]
    )
    first = decoded[0]
    assert first.key == "telemetry.FeedbackEvent"
    assert first.meta.schema_id == "telemetry.SchemaDriftEvent"
    assert first.meta.headers == {"event_type": "telemetry.schema_drift", "source": REPO}
    assert (first.payload.service, first.payload.drift_type) == (REPO, "version_mismatch")
    assert (first.payload.local_sha, first.payload.registry_sha) == ("a" * 64, "b" * 64)
    assert first.payload.detected_at == NOW
    assert decoded[2].payload.enforcement_mode.value == "strict"
    raw = json.loads(entries[0][1][b"data"])
    assert raw["payload"]["repo"] == REPO  # the orchestrator's key survives


def test_stream_name_is_configurable_for_the_orchestrator(redis_server: LocalServer) -> None:
    env = env_for(redis_server.url, DRIFT_PULSE_STREAM="mdp.telemetry.schema_drift")
    publisher = PulsePublisher.from_env(env, emit=True)
    try:
        outcome = publisher.publish(drift_report(), NOW)
    finally:
        publisher.close()
    assert outcome.sent == 3
    key = f"{env['MD_NAMESPACE']}:mdp.telemetry.schema_drift"
    assert len(read_stream(redis_server.url, key)) == 3


@pytest.mark.timeout(30)
def test_redis_down_counts_failures_and_does_not_raise(closed_port: int) -> None:
    from prometheus_client import CollectorRegistry

    metrics = DriftMetrics(CollectorRegistry())
    env = env_for(f"redis://127.0.0.1:{closed_port}/0")
    publisher = PulsePublisher.from_env(env, emit=True, metrics=metrics)
    outcome = publisher.publish(drift_report(), NOW)
    publisher.close()
    assert (outcome.sent, outcome.failed) == (0, 3)
    assert len(outcome.errors) == 1
    assert "ConnectionError" in outcome.errors[0]
    metrics.record_check(drift_report(), NOW)
    assert metrics.current_state().counters[("telemetry_failures", REPO, "pulse")] == 3


@pytest.mark.timeout(30)
def test_redis_that_never_answers_is_given_up(silent_port: int) -> None:
    env = env_for(f"redis://127.0.0.1:{silent_port}/0", DRIFT_PULSE_TIMEOUT="0.3")
    publisher = PulsePublisher.from_env(env, emit=True)
    outcome = publisher.publish(drift_report(), NOW)
    publisher.close()
    assert (outcome.sent, outcome.failed) == (0, 3)
    assert "Timeout" in outcome.errors[0]

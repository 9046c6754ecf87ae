"""Pulse events: what is built from a report, how it is encoded, how publishing fails."""

from __future__ import annotations

import ast
import hashlib
import json
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from drift.errors import ConfigError
from drift.model import Status
from drift.report import DRIFT_STATUSES, Report, SchemaResult, TrackResult
from drift.telemetry.bus import BusMessage, InMemoryBus, SendResult, open_bus
from drift.telemetry.events import DRIFT_TYPES, build_events, payload_hash, publish
from drift.telemetry.metrics import DriftMetrics
from drift.telemetry.publisher import PulsePublisher
from drift.telemetry.settings import PulseSettings

core_codec = pytest.importorskip(
    "market_data_core.events.codecs.json_codec", reason="market-data-core needs Python 3.11+"
)
core_models = pytest.importorskip("market_data_core.models.registry")
JsonCodec = core_codec.JsonCodec
SchemaDriftEvent = core_models.SchemaDriftEvent

REPO = "market-data-store"
NOW = 1764158400.123
STREAM = "telemetry.schema_drift"


def result(name: str, status: Status, **extra: Any) -> SchemaResult:
    return SchemaResult(name, "v1", status, **extra)


def report(*results: SchemaResult, track: str = "v1", mode: str = "strict") -> Report:
    tracks = (TrackResult(track, mode, schemas=results),)
    return Report(REPO, "registry", "2026-01-01T00:00:00Z", "0.1.0", tracks=tracks)


EVERY_STATUS = report(*(result(f"s.{s.name.title()}", s, fixture_sha256="f" * 64) for s in Status))
TWO = report(result("a.A", Status.DRIFTED), result("b.B", Status.CONFLICT))


def test_one_event_per_drifted_schema_and_none_for_the_rest() -> None:
    keys = [event["key"] for event in build_events(EVERY_STATUS, NOW)]
    assert keys == [r.name for r in EVERY_STATUS.drifted()]
    assert len(keys) == len(DRIFT_STATUSES)


def test_annotations_only_on_request() -> None:
    default = {e["key"] for e in build_events(EVERY_STATUS, NOW)}
    wider = {e["key"] for e in build_events(EVERY_STATUS, NOW, include_annotations=True)}
    assert wider - default == {"s.Annotations"}


def test_every_drift_status_maps_to_a_core_drift_type() -> None:
    core_types = set(SchemaDriftEvent.model_fields["drift_type"].annotation.__args__)
    assert set(DRIFT_STATUSES) <= set(DRIFT_TYPES)
    assert set(DRIFT_TYPES.values()) <= core_types
    assert DRIFT_TYPES[Status.MISSING_IN_REGISTRY] == "missing_in_registry"


def test_envelope_and_payload_fields() -> None:
    drifted = result(
        "telemetry.FeedbackEvent",
        Status.DRIFTED,
        fixture_sha256="a" * 64,
        registry_sha256="b" * 64,
        verdict="breaking",
        core_version="1.4.61",
    )
    (event,) = build_events(report(drifted), NOW)
    assert set(event) == {"ts", "key", "meta", "payload"}
    assert (event["ts"], event["key"]) == (NOW, "telemetry.FeedbackEvent")
    assert event["meta"] == {
        "schema_id": "telemetry.SchemaDriftEvent",
        "track": "v1",
        "headers": {"event_type": "telemetry.schema_drift", "source": REPO},
        "hash": payload_hash(event["payload"]),
    }
    payload = event["payload"]
    assert set(SchemaDriftEvent.model_fields) <= set(payload)
    assert payload["repo"] == payload["service"] == REPO
    assert (payload["local_sha"], payload["registry_sha"]) == ("a" * 64, "b" * 64)
    assert payload["drift_type"] == "version_mismatch"
    assert (payload["detected_at"], payload["enforcement_mode"]) == (NOW, "strict")
    assert (payload["status"], payload["verdict"]) == ("drifted", "breaking")


def test_local_edit_reports_the_locked_registry_hash() -> None:
    edited = result("a.A", Status.LOCAL_EDIT, fixture_sha256="a" * 64, lock_sha256="c" * 64)
    missing = result(
        "b.B", Status.MISSING_IN_REGISTRY, fixture_sha256="d" * 64, lock_sha256="d" * 64
    )
    one, two = (e["payload"] for e in build_events(report(edited, missing), NOW))
    assert (one["registry_sha"], one["drift_type"]) == ("c" * 64, "content_mismatch")
    assert (two["registry_sha"], two["drift_type"]) == ("", "missing_in_registry")


def test_core_codec_decodes_every_event_and_verifies_its_hash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Core's decoder recomputes a digest of the payload; it must equal meta.hash."""
    computed: list[str] = []

    class SpyHashlib:
        @staticmethod
        def sha256(data: bytes = b"") -> Any:
            digest = hashlib.sha256(data)
            computed.append(digest.hexdigest())
            return digest

    monkeypatch.setattr(core_codec, "hashlib", SpyHashlib)
    bus = InMemoryBus()
    inbox = bus.subscribe(STREAM)
    outcome = publish(EVERY_STATUS, bus, NOW)
    assert (outcome.sent, outcome.failed) == (len(DRIFT_STATUSES), 0)
    for message in inbox:
        envelope = JsonCodec().decode(message.data.encode("utf-8"), SchemaDriftEvent)
        assert envelope.meta.schema_id == "telemetry.SchemaDriftEvent"
        assert envelope.payload.service == REPO
        assert computed[-1] == envelope.meta.hash
    assert len(computed) == len(inbox) == len(DRIFT_STATUSES)


def test_non_ascii_names_survive_the_round_trip() -> None:
    bus = InMemoryBus()
    tracks = (TrackResult("v1", "warn", schemas=(result("a.Ä", Status.DRIFTED),)),)
    publish(Report("sérvice-ü", "registry", "t", "0.1.0", tracks=tracks), bus, NOW)
    (message,) = bus.messages(STREAM)
    raw = json.loads(message.data)
    assert raw["payload"]["service"] == "sérvice-ü"
    expected = hashlib.sha256(json.dumps(raw["payload"], sort_keys=True).encode("utf-8"))
    assert raw["meta"]["hash"] == expected.hexdigest()


def test_stream_key_follows_core_convention() -> None:
    redis_streams = pytest.importorskip("market_data_core.events.adapters.redis_streams")
    env = {"MD_NAMESPACE": "prod", "DRIFT_PULSE_STREAM": "mdp.telemetry.schema_drift"}
    settings = PulseSettings.from_env(env)
    core_bus = redis_streams.RedisStreamsBus(redis_url="redis://127.0.0.1:1/0", namespace="prod")
    assert settings.stream_key == core_bus._make_key("mdp.telemetry.schema_drift")
    assert settings.stream_key == "prod:mdp.telemetry.schema_drift"


def test_inmem_subscribers_get_later_messages_and_callbacks() -> None:
    bus = InMemoryBus()
    publish(report(result("early.A", Status.DRIFTED)), bus, NOW)
    seen: list[BusMessage] = []

    def failing(message: BusMessage) -> None:
        raise RuntimeError("subscriber bug")

    inbox = bus.subscribe(STREAM, seen.append)
    bus.subscribe(STREAM, failing)
    outcome = publish(report(result("late.B", Status.DRIFTED)), bus, NOW)
    assert outcome.sent == 1  # a failing subscriber does not fail the publish
    assert [m.envelope()["key"] for m in inbox] == ["late.B"]
    assert seen == inbox
    assert [m.envelope()["key"] for m in bus.messages(STREAM)] == ["early.A", "late.B"]
    assert inbox[0].stream_key == "mdp:telemetry.schema_drift"


class BrokenBus:
    namespace = "mdp"

    def __init__(
        self,
        *,
        raises: Exception | None = None,
        hang: threading.Event | None = None,
        results: list[SendResult] | None = None,
    ) -> None:
        self.raises, self.hang, self.results = raises, hang, results

    def describe(self) -> str:
        return "broken bus"

    def send(self, stream: str, messages: Sequence[str]) -> list[SendResult]:
        if self.hang is not None:
            self.hang.wait()
        if self.raises is not None:
            raise self.raises
        return self.results if self.results is not None else []

    def close(self) -> None:
        pass


def test_a_raising_bus_fails_every_event_without_raising() -> None:
    outcome = publish(TWO, BrokenBus(raises=ConnectionError("refused")), NOW)
    assert (outcome.sent, outcome.failed) == (0, 2)
    assert outcome.errors == ("broken bus: ConnectionError: refused",)


@pytest.fixture
def hang() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


@pytest.mark.timeout(10)
def test_a_hanging_bus_is_abandoned_at_the_deadline(hang: threading.Event) -> None:
    outcome = publish(TWO, BrokenBus(hang=hang), NOW, deadline=0.2)
    assert (outcome.sent, outcome.failed) == (0, 2)
    assert "no answer within 0.2 s" in outcome.errors[0]


def test_partial_answers_count_per_entry() -> None:
    bus = BrokenBus(results=[SendResult(id="1-0"), SendResult(error="WRONGTYPE")])
    outcome = publish(TWO, bus, NOW)
    assert (outcome.sent, outcome.failed) == (1, 1)
    assert outcome.errors == ("broken bus: WRONGTYPE",)


def test_missing_answers_count_as_failed() -> None:
    outcome = publish(TWO, BrokenBus(results=[SendResult(id="1-0")]), NOW)
    assert (outcome.sent, outcome.failed) == (1, 1)
    assert outcome.errors == ("broken bus: 1 entries unanswered",)


def test_events_consumers_would_reject_are_not_sent() -> None:
    bus = InMemoryBus()
    outcome = publish(report(result("a.A", Status.DRIFTED), track="v3", mode="lenient"), bus, NOW)
    assert (outcome.sent, outcome.failed) == (0, 1)
    assert "not v1 or v2" in outcome.errors[0]
    assert bus.messages(STREAM) == []


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PULSE_ENABLED": "maybe"}, "PULSE_ENABLED"),
        ({"EVENT_BUS_BACKEND": "kafka"}, "EVENT_BUS_BACKEND"),
        ({"EVENT_BUS_BACKEND": "redis"}, "REDIS_URL"),
        ({"REDIS_URL": "http://user:secret@host"}, "REDIS_URL"),
        ({"MD_NAMESPACE": "a:b"}, "MD_NAMESPACE"),
        ({"DRIFT_PULSE_STREAM": "../x"}, "DRIFT_PULSE_STREAM"),
        ({"DRIFT_PULSE_TIMEOUT": "0"}, "DRIFT_PULSE_TIMEOUT"),
        ({"DRIFT_PULSE_TIMEOUT": "nan"}, "DRIFT_PULSE_TIMEOUT"),
        ({"DRIFT_PULSE_ANNOTATIONS": "2"}, "DRIFT_PULSE_ANNOTATIONS"),
    ],
)
def test_invalid_settings_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable) as caught:
        PulseSettings.from_env(env)
    assert "secret" not in str(caught.value)


def test_settings_defaults_and_overrides() -> None:
    assert PulseSettings.from_env({}) == PulseSettings()
    assert PulseSettings().stream_key == "mdp:telemetry.schema_drift"
    env = {
        "PULSE_ENABLED": "FALSE",
        "EVENT_BUS_BACKEND": "redis",
        "REDIS_URL": "redis://:pw@h:6379/1",
        "MD_NAMESPACE": "prod",
        "DRIFT_PULSE_STREAM": "mdp.telemetry.schema_drift",
        "DRIFT_PULSE_TIMEOUT": "0.5",
        "DRIFT_PULSE_ANNOTATIONS": "yes",
    }
    custom = PulseSettings.from_env(env)
    assert custom == PulseSettings(
        False, "redis", "redis://:pw@h:6379/1", "prod", "mdp.telemetry.schema_drift", 0.5, True
    )
    assert "pw" not in custom.describe()


def test_redis_backend_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    settings = PulseSettings(backend="redis", redis_url="redis://127.0.0.1:6379/0")
    with pytest.raises(ConfigError, match=r"drift\[redis\]"):
        open_bus(settings)


def test_publisher_needs_the_flag_and_pulse_enabled() -> None:
    assert not PulsePublisher.from_env({}, emit=False).active
    assert not PulsePublisher.from_env({"PULSE_ENABLED": "false"}, emit=True).active
    assert PulsePublisher.from_env({}, emit=True).active


def test_misconfigured_publisher_counts_failures_instead_of_raising() -> None:
    metrics = DriftMetrics(CollectorRegistry())
    publisher = PulsePublisher.from_env({"EVENT_BUS_BACKEND": "redis"}, emit=True, metrics=metrics)
    outcome = publisher.publish(TWO, NOW)
    assert (outcome.sent, outcome.failed) == (0, 2)
    assert "REDIS_URL" in outcome.errors[0]
    metrics.record_check(TWO, NOW)
    assert metrics.current_state().counters[("telemetry_failures", REPO, "pulse")] == 2


def test_drift_never_imports_market_data_core() -> None:
    package = Path(__file__).resolve().parents[2] / "drift"
    offenders = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            offenders += [f"{path}: {m}" for m in modules if m.split(".")[0] == "market_data_core"]
    assert offenders == []

"""The toolkit's own ``telemetry.schema_drift`` payloads conform to the registry's model."""

from __future__ import annotations

from collections.abc import Callable

from drift.model import Status
from drift.names import normalize_name
from drift.report import Report, SchemaResult, TrackResult

NOW = 1764167400.0
DRIFTED = ("models.Quote", "telemetry.FeedbackEvent")


def _report(track: str) -> Report:
    results = (
        SchemaResult(
            name="models.Quote",
            track=track,
            status=Status.DRIFTED,
            fixture_sha256="a" * 64,
            lock_sha256="a" * 64,
            registry_sha256="b" * 64,
            registry_tag="c" * 64,
            core_version="1.4.61",
            locked_core_version="1.2.8",
            verdict="breaking",
        ),
        SchemaResult(
            name="telemetry.FeedbackEvent",
            track=track,
            status=Status.MISSING_IN_REGISTRY,
            fixture_sha256="d" * 64,
            lock_sha256="d" * 64,
        ),
        SchemaResult(
            name="models.PriceBar",
            track=track,
            status=Status.SYNCED,
            fixture_sha256="e" * 64,
            lock_sha256="e" * 64,
            registry_sha256="e" * 64,
        ),
    )
    return Report(
        repo="market-data-store",
        registry="http://127.0.0.1:8000",
        generated_at="2026-11-26T14:30:00Z",
        tool_version="0.1.0",
        tracks=(TrackResult(track=track, mode="strict", schemas=results),),
    )


def test_schema_drift_event_payloads_conform(
    schema_track: str, assert_conforms: Callable[[object, str], None]
) -> None:
    from drift.telemetry import events

    wire = events.build_events(_report(schema_track), NOW)
    payloads = [event["payload"] for event in wire]
    assert sorted(normalize_name(p["schema_name"]) for p in payloads) == sorted(DRIFTED)
    for payload in payloads:
        assert_conforms(payload, "telemetry.SchemaDriftEvent")

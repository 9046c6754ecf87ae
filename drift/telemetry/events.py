"""``telemetry.schema_drift`` events: built from a report (pure), published best effort.

Wire format (docs/events.md): one stream entry per drifted schema, field
``data`` = UTF-8 JSON ``{ts, key, meta, payload}`` exactly as Core's
``JsonCodec`` reads it. ``meta.hash`` is the SHA-256 hex of
``json.dumps(payload, sort_keys=True)``: the digest ``JsonCodec.decode``
recomputes to verify an event. (``JsonCodec.encode`` hashes
``model_dump_json()`` of the model instead, which covers only the model's
fields and never matches its own decoder; we follow the verifier so the hash
covers every key we send, ``repo`` included.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drift.logs import logger
from drift.model import Status
from drift.report import Report, SchemaResult, TrackResult
from drift.telemetry.bus.base import EventBus
from drift.telemetry.limits import call_with_deadline, describe_error
from drift.telemetry.settings import DEFAULT_STREAM

__all__ = [
    "DRIFT_TYPES",
    "EVENT_TYPE",
    "SCHEMA_ID",
    "PublishOutcome",
    "build_events",
    "encode_event",
    "payload_hash",
    "publish",
]

log = logger(__name__)

SCHEMA_ID = "telemetry.SchemaDriftEvent"
EVENT_TYPE = "telemetry.schema_drift"

#: Our statuses -> Core's ``drift_type`` (docs/events.md explains the choice).
DRIFT_TYPES: Mapping[Status, str] = {
    Status.DRIFTED: "version_mismatch",
    Status.UNTRACKED: "version_mismatch",
    Status.ANNOTATIONS: "version_mismatch",
    Status.LOCAL_EDIT: "content_mismatch",
    Status.CONFLICT: "content_mismatch",
    Status.MISSING_IN_REGISTRY: "missing_in_registry",
}
_MAX_ERRORS = 10


@dataclass(frozen=True)
class PublishOutcome:
    """How many events the bus accepted and refused, and why (deduplicated, at most 10)."""

    sent: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()


def payload_hash(payload: Mapping[str, Any]) -> str:
    """SHA-256 hex of ``json.dumps(payload, sort_keys=True)`` (Core's verification digest)."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def build_events(
    report: Report, now: float, *, include_annotations: bool = False
) -> list[dict[str, Any]]:
    """One event per drifted schema (``Report.drifted()``); annotations only on request."""
    events: list[dict[str, Any]] = []
    for track in report.tracks:
        for result in track.schemas:
            wanted = result.is_drift or (
                include_annotations and result.status is Status.ANNOTATIONS
            )
            if wanted and result.status in DRIFT_TYPES:
                events.append(_event(report, track, result, float(now)))
    return events


def encode_event(event: Mapping[str, Any]) -> str:
    """The ``data`` field: the envelope as JSON (Core's ``json.dumps`` defaults)."""
    return json.dumps(event)


def publish(
    report: Report,
    bus: EventBus,
    now: float,
    *,
    stream: str = DEFAULT_STREAM,
    include_annotations: bool = False,
    deadline: float = 2.25,
) -> PublishOutcome:
    """Send ``report``'s events to ``stream``; never raises, returns within ``deadline``.

    A bus that is down, slow or refuses entries is logged (no credentials) and
    counted in the outcome. An entry added after the deadline passed is
    counted as failed although it may still arrive.
    """
    events = build_events(report, now, include_annotations=include_annotations)
    errors: list[str] = []
    ready: list[str] = []
    for event in events:
        problem = _problem(event)
        if problem:
            errors.append(f"{event['key']}: {problem}")
        else:
            ready.append(encode_event(event))
    sent = 0
    if ready:
        try:
            results = call_with_deadline(lambda: bus.send(stream, ready), deadline, name="pulse")
        except Exception as exc:
            errors.append(f"{bus.describe()}: {describe_error(exc)}")
        else:
            sent = sum(1 for result in results[: len(ready)] if result.ok)
            errors += [f"{bus.describe()}: {r.error}" for r in results if r.error]
            if len(results) < len(ready):
                errors.append(f"{bus.describe()}: {len(ready) - len(results)} entries unanswered")
    outcome = PublishOutcome(sent, len(events) - sent, tuple(dict.fromkeys(errors))[:_MAX_ERRORS])
    if outcome.failed:
        log.warning(
            "pulse: %d of %d drift event(s) not published: %s",
            outcome.failed,
            len(events),
            "; ".join(outcome.errors[:3]),
        )
    return outcome


def _event(report: Report, track: TrackResult, result: SchemaResult, now: float) -> dict[str, Any]:
    registry_sha = result.registry_sha256
    if registry_sha is None and result.status is Status.LOCAL_EDIT:
        registry_sha = result.lock_sha256  # the registry did not move since the lock
    payload: dict[str, Any] = {
        "service": report.repo,
        "repo": report.repo,
        "schema_name": result.name,
        "track": track.track,
        "local_sha": result.fixture_sha256 or "",
        "registry_sha": registry_sha or "",
        "drift_type": DRIFT_TYPES[result.status],
        "detected_at": now,
        "enforcement_mode": track.mode,
        "status": result.status.value,
        "verdict": result.verdict,
        "core_version": result.core_version,
        "registry_tag": result.registry_tag,
        "tool_version": report.tool_version,
    }
    meta = {
        "schema_id": SCHEMA_ID,
        "track": track.track,
        "headers": {"event_type": EVENT_TYPE, "source": report.repo},
        "hash": payload_hash(payload),
    }
    return {"ts": now, "key": result.name, "meta": meta, "payload": payload}


def _problem(event: Mapping[str, Any]) -> str:
    """Why consumers would reject ``event`` (they validate ``meta`` strictly), or ``""``."""
    if event["meta"]["track"] not in ("v1", "v2"):
        return f"track {event['meta']['track']!r} is not v1 or v2"
    if event["payload"]["enforcement_mode"] not in ("warn", "strict"):
        return f"enforcement mode {event['payload']['enforcement_mode']!r} is not warn or strict"
    return ""

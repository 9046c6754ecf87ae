"""Fold one check report into the cumulative metrics state (pure).

Rules (docs/metrics.md explains why):

- A drift *onset* (a schema seen drifted whose previous state was not drifted,
  or never seen) increments ``detections`` and sets ``drift_started``; further
  runs that still see the drift only move ``last_detected``.
- A schema seen in any other known status ends its drift (``drift_started``
  cleared); its counter is kept.
- ``unknown`` (the registry could not answer for it) changes nothing: the last
  known state is carried forward.
- A track whose registry answered marks ``last_success`` and ends a registry
  outage; a track whose registry did not answer starts (or continues) one.
  With the registry disabled (``REGISTRY_ENABLED=false``) neither moves.
- Schemas that vanished from a track whose registry answered are forgotten.
"""

from __future__ import annotations

from dataclasses import replace

from drift.model import Status
from drift.report import Report, SchemaResult, TrackResult
from drift.telemetry.state import MetricsState, SchemaKey, SchemaState, TrackKey, TrackState

__all__ = ["advance", "track_answered"]


def track_answered(report: Report, track: TrackResult) -> bool:
    """Did this track's check get a trustworthy answer from the registry?"""
    return report.registry_enabled and track.registry_available


def advance(state: MetricsState, report: Report, now: float) -> MetricsState:
    """``state`` after the check ``report`` that finished at ``now`` (Unix seconds)."""
    schemas: dict[SchemaKey, SchemaState] = dict(state.schemas)
    tracks: dict[TrackKey, TrackState] = dict(state.tracks)
    for track in report.tracks:
        track_key = (report.repo, track.track)
        seen: set[SchemaKey] = set()
        for result in track.schemas:
            key = (report.repo, track.track, result.name)
            seen.add(key)
            if result.status is Status.UNKNOWN:
                continue
            schemas[key] = _step_schema(schemas.get(key, SchemaState()), result, now)
        if track_answered(report, track):
            for key in [k for k in schemas if (k[0], k[1]) == track_key and k not in seen]:
                del schemas[key]
        tracks[track_key] = _step_track(tracks.get(track_key, TrackState()), report, track, now)
    return replace(state, schemas=schemas, tracks=tracks)


def _step_schema(prev: SchemaState, result: SchemaResult, now: float) -> SchemaState:
    if not result.is_drift:
        return replace(prev, drift_started=None)
    if prev.drift_started is None:
        return SchemaState(detections=prev.detections + 1, last_detected=now, drift_started=now)
    return replace(prev, last_detected=now)


def _step_track(prev: TrackState, report: Report, track: TrackResult, now: float) -> TrackState:
    if not report.registry_enabled:
        return prev
    if track.registry_available:
        return TrackState(last_success=now, registry_down_since=None)
    since = now if prev.registry_down_since is None else prev.registry_down_since
    return replace(prev, registry_down_since=since)

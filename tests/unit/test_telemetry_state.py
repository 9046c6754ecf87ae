"""The metrics state: how reports fold into it, and how it survives between runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drift.model import Status
from drift.report import Report, SchemaResult, TrackResult
from drift.telemetry.fold import advance
from drift.telemetry.state import REQUEST_BUCKETS, Histogram, MetricsState, SchemaState

REPO = "svc"


def report(
    statuses: dict[str, Status], *, track: str = "v1", available: bool = True, enabled: bool = True
) -> Report:
    schemas = tuple(SchemaResult(name, track, status) for name, status in statuses.items())
    return Report(
        repo=REPO,
        registry="registry",
        generated_at="2026-01-01T00:00:00Z",
        tool_version="0.1.0",
        registry_enabled=enabled,
        tracks=(TrackResult(track, "warn", registry_available=available, schemas=schemas),),
    )


def schema(state: MetricsState, name: str, track: str = "v1") -> SchemaState:
    return state.schemas[(REPO, track, name)]


def test_a_drift_onset_counts_once_while_it_lasts() -> None:
    state = advance(MetricsState(), report({"a.A": Status.DRIFTED}), 100.0)
    state = advance(state, report({"a.A": Status.CONFLICT}), 200.0)
    state = advance(state, report({"a.A": Status.DRIFTED}), 300.0)
    assert schema(state, "a.A") == SchemaState(
        detections=1, last_detected=300.0, drift_started=100.0
    )


def test_drift_that_ends_and_returns_is_a_new_onset() -> None:
    state = advance(MetricsState(), report({"a.A": Status.DRIFTED}), 100.0)
    state = advance(state, report({"a.A": Status.SYNCED}), 200.0)
    assert schema(state, "a.A") == SchemaState(
        detections=1, last_detected=100.0, drift_started=None
    )
    state = advance(state, report({"a.A": Status.LOCAL_EDIT}), 300.0)
    assert schema(state, "a.A") == SchemaState(
        detections=2, last_detected=300.0, drift_started=300.0
    )


@pytest.mark.parametrize("status", [Status.ANNOTATIONS, Status.DEPRECATED, Status.INVALID])
def test_statuses_outside_drift_end_a_drift(status: Status) -> None:
    state = advance(MetricsState(), report({"a.A": Status.DRIFTED}), 100.0)
    state = advance(state, report({"a.A": status}), 200.0)
    assert schema(state, "a.A").drift_started is None


def test_unknown_carries_the_last_known_state_forward() -> None:
    state = advance(MetricsState(), report({"a.A": Status.DRIFTED}), 100.0)
    state = advance(state, report({"a.A": Status.UNKNOWN, "b.B": Status.UNKNOWN}), 200.0)
    assert schema(state, "a.A") == SchemaState(
        detections=1, last_detected=100.0, drift_started=100.0
    )
    assert (REPO, "v1", "b.B") not in state.schemas


def test_registry_outage_start_is_kept_until_it_answers_again() -> None:
    state = advance(MetricsState(), report({"a.A": Status.SYNCED}), 100.0)
    state = advance(state, report({"a.A": Status.UNKNOWN}, available=False), 200.0)
    state = advance(state, report({"a.A": Status.UNKNOWN}, available=False), 300.0)
    track = state.tracks[(REPO, "v1")]
    assert (track.last_success, track.registry_down_since) == (100.0, 200.0)
    state = advance(state, report({"a.A": Status.SYNCED}), 400.0)
    track = state.tracks[(REPO, "v1")]
    assert (track.last_success, track.registry_down_since) == (400.0, None)


def test_outage_starting_at_time_zero_is_not_restarted() -> None:
    state = advance(MetricsState(), report({}, available=False), 0.0)
    state = advance(state, report({}, available=False), 60.0)
    assert state.tracks[(REPO, "v1")].registry_down_since == 0.0


def test_disabled_registry_moves_neither_success_nor_outage() -> None:
    state = advance(MetricsState(), report({"a.A": Status.SYNCED}), 100.0)
    before = state.tracks[(REPO, "v1")]
    state = advance(state, report({"a.A": Status.UNKNOWN}, enabled=False), 200.0)
    assert state.tracks[(REPO, "v1")] == before


def test_vanished_schemas_are_forgotten_only_when_the_registry_answered() -> None:
    state = advance(MetricsState(), report({"a.A": Status.DRIFTED, "b.B": Status.SYNCED}), 1.0)
    state = advance(state, report({"a.A": Status.DRIFTED}, available=False), 2.0)
    assert (REPO, "v1", "b.B") in state.schemas
    state = advance(state, report({"a.A": Status.DRIFTED}), 3.0)
    assert set(state.schemas) == {(REPO, "v1", "a.A")}


def test_other_tracks_are_left_alone() -> None:
    state = advance(MetricsState(), report({"a.A": Status.DRIFTED}, track="v2"), 1.0)
    state = advance(state, report({"b.B": Status.SYNCED}, track="v1"), 2.0)
    assert schema(state, "a.A", "v2").drift_started == 1.0


def test_counters_and_histograms_accumulate() -> None:
    hist = Histogram().observe(0.01).observe(0.3).observe(99.0)
    state = MetricsState().add(REPO, {("registry_errors", "timeout"): 2.0}, {"index": hist})
    state = state.add(
        REPO, {("registry_errors", "timeout"): 1.0}, {"index": Histogram().observe(0.3)}
    )
    assert state.counters[("registry_errors", REPO, "timeout")] == 3.0
    merged = state.histograms[(REPO, "index")]
    assert merged.count == 4
    assert merged.total == pytest.approx(99.61)
    assert merged.counts[0] == 1  # 0.01 <= 0.025
    assert merged.counts[REQUEST_BUCKETS.index(0.5)] == 2
    assert merged.counts[-1] == 1  # 99 s lands in +Inf


def test_histogram_with_new_bounds_replaces_the_old_one() -> None:
    old = Histogram().observe(1.0)
    new = Histogram(bounds=(1.0,), counts=(0, 0)).observe(2.0)
    assert old.merge(new) == new
    with pytest.raises(ValueError, match="count per bound"):
        Histogram(bounds=(1.0,), counts=(0,))


def full_state() -> MetricsState:
    state = advance(MetricsState(), report({"a.A": Status.DRIFTED, "b.B": Status.SYNCED}), 10.5)
    state = advance(state, report({"a.A": Status.DRIFTED}, available=False), 20.0)
    return state.add(
        REPO, {("telemetry_failures", "pulse"): 3.0}, {"schema": Histogram().observe(0.2)}
    )


def test_state_round_trips_through_json(tmp_path: Path) -> None:
    state = full_state()
    path = tmp_path / "deep" / "state.json"
    state.save(path)
    assert MetricsState.load(path) == state
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temp file left


def test_save_replaces_the_file_atomically(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    MetricsState().save(path)
    inode_before = path.stat().st_ino
    full_state().save(path)
    assert path.stat().st_ino != inode_before  # a new file renamed over, not rewritten in place
    assert MetricsState.load(path) == full_state()


@pytest.mark.parametrize(
    "content",
    ["not json", json.dumps({"version": 99}), json.dumps({"version": 1, "schemas": [{"repo": 1}]}),
     json.dumps({"version": 1, "tracks": [{"repo": "r", "track": "v1", "last_success": "x"}]}),
     json.dumps({"version": 1, "histograms": [{"repo": "r", "endpoint": "e", "bounds": [1],
                                               "counts": [1], "sum": 1}]})],
)  # fmt: skip
def test_unreadable_state_starts_from_zero(tmp_path: Path, content: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(content, encoding="utf-8")
    assert MetricsState.load(path) == MetricsState()


def test_missing_state_starts_from_zero(tmp_path: Path) -> None:
    assert MetricsState.load(tmp_path / "absent.json") == MetricsState()

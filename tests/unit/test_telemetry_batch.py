"""BatchTelemetry: one check run's events, metrics and state, never failing the check."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.errors import ConfigError
from drift.model import Status
from drift.report import Report, SchemaResult, TrackResult
from drift.telemetry.batch import BatchTelemetry, TelemetryOutcome, default_state_path
from drift.telemetry.state import MetricsState


def report(status: Status = Status.DRIFTED, tracks: tuple[str, ...] = ("v1",)) -> Report:
    results = tuple(
        TrackResult(t, "warn", schemas=(SchemaResult("a.A", t, status),)) for t in tracks
    )
    return Report("my/repo", "registry", "t", "0.1.0", tracks=results)


def test_default_state_path_is_one_file_per_repo_and_track_set(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    assert default_state_path(env, report()) == tmp_path / "drift" / "metrics-my_repo-v1.json"
    both = default_state_path(env, report(tracks=("v2", "v1")))
    assert both == tmp_path / "drift" / "metrics-my_repo-v1_v2.json"
    explicit = {**env, "DRIFT_METRICS_STATE": str(tmp_path / "s.json")}
    assert default_state_path(explicit, report()) == tmp_path / "s.json"


def test_textfile_run_saves_state_and_counts_events(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    textfile = tmp_path / "drift.prom"
    telemetry = BatchTelemetry(env, emit=True, textfile=textfile)
    telemetry.on_request("index", 0.1, None)
    telemetry.on_report(report(), 100.0)
    assert telemetry.last_outcome == TelemetryOutcome(
        published=1, publish_failed=0, textfile_written=True, pushed=None, state_saved=True
    )
    state = MetricsState.load(default_state_path(env, report()))
    assert state.schemas[("my/repo", "v1", "a.A")].drift_started == 100.0
    assert state.counters[("events_published", "my/repo", "")] == 1
    assert 'schema_drift_events_published_total{repo="my/repo"} 1.0' in textfile.read_text()


def test_without_exports_nothing_is_written(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    telemetry = BatchTelemetry(env, emit=True)
    assert telemetry.finish(report(), 1.0) == TelemetryOutcome(published=1, publish_failed=0)
    assert list(tmp_path.iterdir()) == []


def test_pulse_disabled_sends_nothing(tmp_path: Path) -> None:
    telemetry = BatchTelemetry({"PULSE_ENABLED": "false"}, emit=True)
    assert telemetry.finish(report(), 1.0) == TelemetryOutcome()


def test_bad_critical_selection_is_a_config_error_as_in_watch(tmp_path: Path) -> None:
    textfile = tmp_path / "drift.prom"
    env = {"DRIFT_CRITICAL_SCHEMAS": "none,a.A"}
    with pytest.raises(ConfigError, match="DRIFT_CRITICAL_SCHEMAS: 'none' cannot be combined"):
        BatchTelemetry(env, textfile=textfile, state_path=tmp_path / "state.json")
    assert not textfile.exists()


def test_an_internal_error_is_logged_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    telemetry = BatchTelemetry({}, textfile=tmp_path / "x.prom", state_path=tmp_path / "s.json")

    def broken(*args: object, **kwargs: object) -> MetricsState:
        raise RuntimeError("bug")

    monkeypatch.setattr(telemetry.metrics, "record_check", broken)
    telemetry.on_report(report(), 1.0)
    assert telemetry.last_outcome == TelemetryOutcome()
    assert "drift telemetry failed" in caplog.text


def test_unwritable_state_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    telemetry = BatchTelemetry({}, textfile=tmp_path / "x.prom", state_path=blocker / "s.json")
    outcome = telemetry.finish(report(), 1.0)
    assert (outcome.textfile_written, outcome.state_saved) == (True, False)

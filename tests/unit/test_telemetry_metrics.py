"""DriftMetrics: what a real exposition (generate_latest) shows after each check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from drift.errors import ConfigError
from drift.model import Status
from drift.report import Report, SchemaResult, TrackResult
from drift.telemetry.metrics import CriticalSchemas, DriftMetrics
from drift.telemetry.state import MetricsState

REPO = "svc"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def track(
    name: str, statuses: dict[str, Status], *, available: bool = True, required: bool = True
) -> TrackResult:
    schemas = tuple(SchemaResult(s, name, status) for s, status in statuses.items())
    return TrackResult(
        name, "warn", required=required, registry_available=available, schemas=schemas
    )


def report(*tracks: TrackResult, enabled: bool = True) -> Report:
    return Report(REPO, "registry", "2026-01-01T00:00:00Z", "0.1.0", duration_seconds=1.5,
                  registry_enabled=enabled, tracks=tracks)  # fmt: skip


def samples(registry: CollectorRegistry) -> Samples:
    text = generate_latest(registry).decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float | None:
    return found.get((name, frozenset(labels.items())))


def names(found: Samples) -> set[str]:
    return {name for name, _ in found}


def test_nothing_is_registered_at_import() -> None:
    code = (
        "import prometheus_client as p\n"
        "before = set(p.REGISTRY._names_to_collectors)\n"
        "import drift.telemetry.metrics, drift.telemetry.watch, drift.telemetry.batch\n"
        "import drift.telemetry.export, drift.telemetry.events, drift.telemetry.publisher\n"
        "assert set(p.REGISTRY._names_to_collectors) == before, 'registered at import'\n"
        "print('clean')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "clean"


def test_drift_state_counters_and_timestamps() -> None:
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    metrics.record_check(report(track("v1", {"a.A": Status.DRIFTED, "b.B": Status.SYNCED})), 100.0)
    found = samples(registry)
    a = {"repo": REPO, "track": "v1", "schema": "a.A"}
    b = {"repo": REPO, "track": "v1", "schema": "b.B"}
    assert value(found, "schema_drift_total", **a) == 1
    assert value(found, "schema_drift_total", **b) == 0
    assert value(found, "schema_drift_active", **a, critical="true") == 1
    assert value(found, "schema_drift_active", **b, critical="true") == 0
    assert value(found, "schema_drift_started_timestamp", **a) == 100
    assert value(found, "schema_drift_started_timestamp", **b) is None
    assert value(found, "schema_drift_last_detected_timestamp", **a) == 100
    assert value(found, "schema_drift_last_check_timestamp", repo=REPO, track="v1") == 100
    assert value(found, "schema_drift_last_success_timestamp", repo=REPO, track="v1") == 100
    assert value(found, "schema_drift_schemas", repo=REPO, track="v1", status="drifted") == 1
    assert value(found, "schema_drift_schemas", repo=REPO, track="v1", status="conflict") == 0
    assert value(found, "schema_registry_up", repo=REPO, track="v1") == 1
    assert value(found, "schema_drift_check_duration_seconds", repo=REPO) == 1.5

    metrics.record_check(report(track("v1", {"a.A": Status.SYNCED, "b.B": Status.SYNCED})), 200.0)
    found = samples(registry)
    assert value(found, "schema_drift_total", **a) == 1  # counters never go down
    assert value(found, "schema_drift_active", **a, critical="true") == 0
    assert value(found, "schema_drift_started_timestamp", **a) is None
    assert value(found, "schema_drift_last_detected_timestamp", **a) == 100
    assert value(found, "schema_drift_last_check_timestamp", repo=REPO, track="v1") == 200


def test_registry_outage_keeps_last_success_and_exports_its_start() -> None:
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    metrics.record_check(report(track("v1", {"a.A": Status.DRIFTED})), 100.0)
    metrics.record_check(report(track("v1", {"a.A": Status.UNKNOWN}, available=False)), 200.0)
    metrics.record_check(report(track("v1", {"a.A": Status.UNKNOWN}, available=False)), 300.0)
    found = samples(registry)
    labels = {"repo": REPO, "track": "v1"}
    assert value(found, "schema_registry_up", **labels) == 0
    assert value(found, "schema_registry_down_since_timestamp", **labels) == 200
    assert value(found, "schema_drift_last_success_timestamp", **labels) == 100
    assert value(found, "schema_drift_last_check_timestamp", **labels) == 300
    # the drift seen before the outage is carried forward, not dropped
    assert value(found, "schema_drift_active", **labels, schema="a.A", critical="true") == 1


def test_disabled_registry_exports_no_availability() -> None:
    registry = CollectorRegistry()
    DriftMetrics(registry).record_check(
        report(track("v1", {"a.A": Status.SYNCED}), enabled=False), 1.0
    )
    found = names(samples(registry))
    assert "schema_registry_up" not in found
    assert "schema_drift_last_success_timestamp" not in found
    assert "schema_drift_last_check_timestamp" in found


def test_only_the_tracks_of_the_last_report_are_exposed() -> None:
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    state = metrics.record_check(report(track("v2", {"a.A": Status.DRIFTED})), 1.0)
    fresh = CollectorRegistry()
    DriftMetrics(fresh).record_check(report(track("v1", {"b.B": Status.SYNCED})), 2.0, state)
    tracks = {dict(labels).get("track") for _, labels in samples(fresh)}
    assert tracks == {"v1", None}  # v2 stays in the state but is not exported


def test_counters_continue_from_a_saved_state() -> None:
    first = DriftMetrics(CollectorRegistry())
    first.observe_request("index", 0.1, "timeout")
    state = first.record_check(report(track("v1", {"a.A": Status.DRIFTED})), 1.0)
    state = DriftMetrics(CollectorRegistry()).record_check(
        report(track("v1", {"a.A": Status.SYNCED})), 2.0, state
    )
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    metrics.observe_request("index", 0.2, "timeout")
    metrics.observe_request("index", 0.2, None)
    metrics.record_check(report(track("v1", {"a.A": Status.DRIFTED})), 3.0, state)
    found = samples(registry)
    assert value(found, "schema_drift_total", repo=REPO, track="v1", schema="a.A") == 2
    assert value(found, "schema_registry_errors_total", repo=REPO, kind="timeout") == 2
    assert (
        value(found, "schema_registry_request_duration_seconds_count", repo=REPO, endpoint="index")
        == 3
    )


def test_counts_after_a_check_are_exposed_at_once_and_saved() -> None:
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    metrics.record_check(report(track("v1", {})), 1.0)
    metrics.record_failure("pushgateway")
    metrics.record_published(4)
    found = samples(registry)
    assert (
        value(found, "schema_drift_telemetry_failures_total", repo=REPO, target="pushgateway") == 1
    )
    assert value(found, "schema_drift_events_published_total", repo=REPO) == 4
    assert metrics.current_state().counters[("events_published", REPO, "")] == 4


def test_a_state_file_that_cannot_be_saved_is_counted_not_raised(tmp_path: Path) -> None:
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    metrics.record_check(report(track("v1", {})), 1.0)
    assert metrics.save_state(tmp_path / "state.json") is True
    assert MetricsState.load(tmp_path / "state.json") == metrics.current_state()
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert metrics.save_state(blocked / "state.json") is False  # its parent is a file
    found = samples(registry)
    assert value(found, "schema_drift_telemetry_failures_total", repo=REPO, target="state") == 1


def test_counts_before_the_first_check_wait_for_it() -> None:
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    metrics.record_failure("check", 2)
    assert samples(registry) == {}
    metrics.record_check(report(track("v1", {})), 1.0)
    assert (
        value(samples(registry), "schema_drift_telemetry_failures_total", repo=REPO, target="check")
        == 2
    )


def test_known_error_kinds_start_at_zero_and_odd_kinds_become_error() -> None:
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    metrics.observe_request("index", 0.1, "Weird Kind!")
    metrics.record_check(report(track("v1", {})), 1.0)
    found = samples(registry)
    assert value(found, "schema_registry_errors_total", repo=REPO, kind="error") == 1
    assert value(found, "schema_registry_errors_total", repo=REPO, kind="http_5xx") == 0


def test_endpoint_labels_are_capped() -> None:
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry, max_endpoints=2)
    for endpoint in ("index", "schema", "versions", "has spaces"):
        metrics.observe_request(endpoint, 0.1, None)
    metrics.record_check(report(track("v1", {})), 1.0)
    endpoints = {
        dict(labels)["endpoint"]
        for name, labels in samples(registry)
        if name == "schema_registry_request_duration_seconds_count"
    }
    assert endpoints == {"index", "schema", "other"}


def test_record_failure_rejects_unknown_targets() -> None:
    with pytest.raises(ValueError, match="unknown telemetry target"):
        DriftMetrics(CollectorRegistry()).record_failure("smtp")


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (None, {("v1", "a.A"): "true", ("v1", "b.B"): "true", ("v2", "a.A"): "false"}),
        ("none", {("v1", "a.A"): "false", ("v1", "b.B"): "false", ("v2", "a.A"): "false"}),
        ("v1/a.A", {("v1", "a.A"): "true", ("v1", "b.B"): "false", ("v2", "a.A"): "false"}),
        ("a.A", {("v1", "a.A"): "true", ("v1", "b.B"): "false", ("v2", "a.A"): "true"}),
        ("required, v2/a.A", {("v1", "a.A"): "true", ("v1", "b.B"): "true", ("v2", "a.A"): "true"}),
    ],
)
def test_critical_label_follows_the_selection(
    setting: str | None, expected: dict[tuple[str, str], str]
) -> None:
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry, critical=CriticalSchemas.parse(setting))
    both = report(
        track("v1", {"a.A": Status.DRIFTED, "b.B": Status.SYNCED}),
        track("v2", {"a.A": Status.DRIFTED}, required=False),
    )
    metrics.record_check(both, 1.0)
    got = {
        (dict(labels)["track"], dict(labels)["schema"]): dict(labels)["critical"]
        for name, labels in samples(registry)
        if name == "schema_drift_active"
    }
    assert got == expected


@pytest.mark.parametrize("bad", ["none,a.A", "v1/../x", "a/b/c", "bad name"])
def test_bad_critical_selection_names_the_variable(bad: str) -> None:
    with pytest.raises(ConfigError, match="DRIFT_CRITICAL_SCHEMAS"):
        CriticalSchemas.from_env({"DRIFT_CRITICAL_SCHEMAS": bad})


def test_two_metrics_objects_keep_separate_registries() -> None:
    one, two = CollectorRegistry(), CollectorRegistry()
    DriftMetrics(one).record_check(report(track("v1", {"a.A": Status.DRIFTED})), 1.0)
    DriftMetrics(two)
    assert samples(two) == {}

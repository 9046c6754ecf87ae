"""Batch exports against real programs: prometheus-pushgateway, promtool, the textfile."""

from __future__ import annotations

import itertools
import json
import subprocess
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from drift.model import Status
from drift.report import Report, SchemaResult, TrackResult
from drift.telemetry.batch import BatchTelemetry
from drift.telemetry.export import grouping_key, push, write_textfile
from drift.telemetry.metrics import DriftMetrics
from drift.telemetry.state import MetricsState
from tests.integration.telemetry_servers import LocalServer, start_pushgateway, stop

_repos = itertools.count()
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def report(repo: str, status: Status, *, tracks: tuple[str, ...] = ("v1",)) -> Report:
    results = tuple(
        TrackResult(t, "warn", schemas=(SchemaResult("telemetry.FeedbackEvent", t, status),))
        for t in tracks
    )
    return Report(repo, "registry", "2026-01-01T00:00:00Z", "0.1.0", tracks=results)


def gateway_samples(url: str) -> Samples:
    with urllib.request.urlopen(f"{url}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def pick(samples: Samples, name: str, **labels: str) -> list[float]:
    wanted = set(labels.items())
    return [v for (n, ls), v in samples.items() if n == name and wanted <= ls]


def test_grouping_key_never_overrides_a_track_label() -> None:
    assert grouping_key(report("r", Status.SYNCED)) == {"repo": "r", "track": "v1"}
    assert grouping_key(report("r", Status.SYNCED, tracks=("v1", "v2"))) == {"repo": "r"}


def test_batch_runs_push_cumulative_counters(
    pushgateway_server: LocalServer, tmp_path: Path
) -> None:
    repo = f"svc{next(_repos)}"
    state = tmp_path / "state.json"
    runs = [Status.DRIFTED, Status.SYNCED, Status.CONFLICT]
    for now, status in enumerate(runs, start=1):
        telemetry = BatchTelemetry({}, pushgateway=pushgateway_server.url, state_path=state)
        telemetry.on_request("index", 0.05, None)
        outcome = telemetry.finish(report(repo, status), float(now * 1000))
        assert (outcome.pushed, outcome.state_saved) == (True, True)

    found = gateway_samples(pushgateway_server.url)
    group = {"job": "drift", "repo": repo, "track": "v1"}
    schema = {**group, "schema": "telemetry.FeedbackEvent"}
    assert pick(found, "schema_drift_total", **schema) == [2.0]  # two onsets over three runs
    assert pick(found, "schema_drift_active", **schema) == [1.0]
    assert pick(found, "schema_drift_started_timestamp", **schema) == [3000.0]
    assert pick(found, "schema_drift_last_detected_timestamp", **schema) == [3000.0]
    assert pick(found, "schema_drift_last_success_timestamp", **group) == [3000.0]
    count = "schema_registry_request_duration_seconds_count"
    assert pick(found, count, **group, endpoint="index") == [3.0]


def test_multi_track_run_is_grouped_by_repo(
    pushgateway_server: LocalServer, tmp_path: Path
) -> None:
    repo = f"svc{next(_repos)}"
    telemetry = BatchTelemetry(
        {}, pushgateway=pushgateway_server.url, state_path=tmp_path / "state.json"
    )
    assert telemetry.finish(report(repo, Status.DRIFTED, tracks=("v1", "v2")), 5.0).pushed
    found = gateway_samples(pushgateway_server.url)
    tracks = {
        dict(ls)["track"]
        for (n, ls) in found
        if n == "schema_drift_active" and ("repo", repo) in ls
    }
    assert tracks == {"v1", "v2"}


@pytest.mark.timeout(30)
def test_unreachable_pushgateway_is_counted_not_raised(closed_port: int, tmp_path: Path) -> None:
    registry = CollectorRegistry()
    DriftMetrics(registry).record_check(report("svc", Status.DRIFTED), 1.0)
    assert push(registry, f"http://127.0.0.1:{closed_port}", grouping_key={"repo": "svc"}) is False

    state = tmp_path / "state.json"
    telemetry = BatchTelemetry({}, pushgateway=f"http://127.0.0.1:{closed_port}", state_path=state)
    outcome = telemetry.finish(report("svc", Status.DRIFTED), 1.0)
    assert (outcome.pushed, outcome.state_saved) == (False, True)
    # the failure is carried to the next run's export
    assert MetricsState.load(state).counters[("telemetry_failures", "svc", "pushgateway")] == 1


def test_textfile_passes_promtool_check_metrics(
    require_program: Callable[[str], str], tmp_path: Path
) -> None:
    promtool = require_program("promtool")
    textfile = tmp_path / "drift_svc_v1.prom"
    telemetry = BatchTelemetry({}, textfile=textfile, state_path=tmp_path / "state.json")
    telemetry.on_request("index", 0.2, "timeout")
    telemetry.on_request("schema", 0.4, None)
    assert telemetry.finish(report("svc", Status.DRIFTED), 10.0).textfile_written
    text = textfile.read_text(encoding="utf-8")
    labels = 'critical="true",repo="svc",schema="telemetry.FeedbackEvent",track="v1"'
    assert f"schema_drift_active{{{labels}}} 1.0" in text
    done = subprocess.run(
        [promtool, "check", "metrics"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drift_svc_v1.prom", "state.json"]


def test_unwritable_textfile_is_reported_not_raised(tmp_path: Path) -> None:
    registry = CollectorRegistry()
    DriftMetrics(registry).record_check(report("svc", Status.SYNCED), 1.0)
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert write_textfile(registry, blocker / "sub" / "drift.prom") is False


def test_a_fresh_pushgateway_holds_no_groups_of_earlier_runs(tmp_path: Path) -> None:
    """Issue 9 #11: the fixture's gateway never loads Debian's default persistence file."""
    proc, port = start_pushgateway(tmp_path / "gateway.log")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/metrics", timeout=5) as r:
            groups = json.load(r)["data"]
    finally:
        stop(proc)
    assert groups == []

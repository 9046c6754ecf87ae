"""``Watcher``: checks on a schedule, true in-process counters, a real ``/metrics`` server."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from drift.model import Status
from drift.report import Report, SchemaResult, TrackResult
from drift.telemetry.bus import InMemoryBus
from drift.telemetry.metrics import DriftMetrics
from drift.telemetry.publisher import PulsePublisher
from drift.telemetry.settings import PulseSettings
from drift.telemetry.watch import Watcher

SCHEMA = {"repo": "svc", "track": "v1", "schema": "a.A"}


def report(status: Status) -> Report:
    schemas = (SchemaResult("a.A", "v1", status),)
    return Report(
        "svc", "registry", "t", "0.1.0", tracks=(TrackResult("v1", "warn", schemas=schemas),)
    )


def scripted(*steps: Status | Exception) -> Callable[[], Report]:
    queue = list(steps)

    def check() -> Report:
        step = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(step, Exception):
            raise step
        return report(step)

    return check


def scrape(port: int) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float | None:
    return samples.get((name, frozenset(labels.items())))


@pytest.fixture
def clock() -> list[float]:
    return [1000.0]


def make(
    check: Callable[[], Report],
    clock: list[float],
    *,
    port: int | None = 0,
    state_path: Path | None = None,
) -> Watcher:
    def now() -> float:
        clock[0] += 60.0
        return clock[0]

    registry = CollectorRegistry()
    return Watcher(check, 300.0, registry, port=port, clock=now, state_path=state_path)


def test_serves_true_counters_across_checks(clock: list[float]) -> None:
    watcher = make(scripted(Status.DRIFTED, Status.SYNCED, Status.DRIFTED), clock)
    port = watcher.serve()
    assert port
    try:
        watcher.run_once()
        first = scrape(port)
        assert value(first, "schema_drift_active", **SCHEMA, critical="true") == 1
        watcher.run_once()
        watcher.run_once()
        found = scrape(port)
    finally:
        watcher.close()
    assert value(found, "schema_drift_total", **SCHEMA) == 2
    assert value(found, "schema_drift_started_timestamp", **SCHEMA) == 1180.0
    assert value(found, "schema_drift_last_check_timestamp", repo="svc", track="v1") == 1180.0


def test_a_failing_check_is_counted_and_the_loop_goes_on(clock: list[float]) -> None:
    watcher = make(scripted(Status.SYNCED, RuntimeError("registry exploded"), Status.SYNCED), clock)
    port = watcher.serve()
    assert port
    try:
        assert watcher.run_once() is not None
        assert watcher.run_once() is None
        assert watcher.run_once() is not None
        found = scrape(port)
    finally:
        watcher.close()
    assert value(found, "schema_drift_telemetry_failures_total", repo="svc", target="check") == 1


def test_restart_continues_from_the_state_file(clock: list[float], tmp_path: Path) -> None:
    state = tmp_path / "watch-state.json"
    first = make(scripted(Status.DRIFTED), clock, state_path=state, port=None)
    first.run_once()
    second = make(scripted(Status.DRIFTED), clock, state_path=state)
    port = second.serve()
    assert port
    try:
        second.run_once()
        found = scrape(port)
    finally:
        second.close()
    assert value(found, "schema_drift_total", **SCHEMA) == 1  # the same drift, not a new onset
    assert value(found, "schema_drift_started_timestamp", **SCHEMA) == 1060.0


@pytest.mark.timeout(30)
def test_run_forever_stops_and_releases_the_port(clock: list[float]) -> None:
    checked = threading.Event()

    def check() -> Report:
        checked.set()
        return report(Status.DRIFTED)

    bus = InMemoryBus()
    inbox = bus.subscribe("telemetry.schema_drift")
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    publisher = PulsePublisher(PulseSettings(), metrics=metrics, bus=bus)
    published = threading.Event()

    def publish(done: Report, now: float) -> None:
        publisher(done, now)
        published.set()

    watcher = Watcher(check, 300.0, registry, metrics=metrics, port=0, on_report=publish)
    runner = threading.Thread(target=watcher.run_forever)
    runner.start()
    # scrape only once the cycle published: under load the scrape used to win the race
    ready = checked.wait(30) and published.wait(30)
    port = watcher.port
    if not ready:
        watcher.stop()
        runner.join(10)
        pytest.fail("the watcher never completed a cycle")
    assert port
    found = scrape(port)
    for _ in range(100):  # the check has started; its metrics land a moment later
        if value(found, "schema_drift_events_published_total", repo="svc") is not None:
            break
        time.sleep(0.1)
        found = scrape(port)
    watcher.stop()
    runner.join(10)
    assert not runner.is_alive()
    assert watcher.port is None
    assert len(inbox) == 1
    assert value(found, "schema_drift_events_published_total", repo="svc") == 1
    with pytest.raises(OSError):
        scrape(port)

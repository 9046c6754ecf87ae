"""Turn the metrics state and the last report into Prometheus metric families (pure).

Only the tracks of the last report are exposed: a Pushgateway group or a
textfile then holds exactly what that run checked (docs/metrics.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from drift.report import Report
from drift.telemetry.critical import CriticalSchemas
from drift.telemetry.fold import track_answered
from drift.telemetry.state import MetricsState

__all__ = ["ERROR_KINDS", "TELEMETRY_TARGETS", "CriticalSchemas", "families"]

#: Registry error kinds (``RegistryError.kind``), exported at 0 so ``increase()`` sees the first.
ERROR_KINDS: tuple[str, ...] = (
    "connect",
    "timeout",
    "http_5xx",
    "http_429",
    "http_4xx",
    "invalid_body",
    "too_large",
    "not_found",
    "deadline",
    "error",
)
#: Best-effort side effects whose failures are counted.
TELEMETRY_TARGETS: tuple[str, ...] = ("pulse", "pushgateway", "textfile", "state", "check")

SCHEMA = ("repo", "track", "schema")
TRACK = ("repo", "track")


def families(
    state: MetricsState, report: Report, now: float, critical: CriticalSchemas
) -> list[Metric]:
    """Every metric family for ``report``'s repo and tracks; empty families are left out."""
    out: list[Metric] = []
    out += _schema_families(state, report, critical)
    out += _track_families(state, report, now)
    out += _repo_families(state, report)
    out.append(_waiver_family(report))
    return [family for family in out if family.samples]


def _waiver_family(report: Report) -> Metric:
    """Each waiver a check met: the Unix time it ends (the end of its last day, UTC)."""
    family = GaugeMetricFamily(
        "schema_drift_waiver_expiry_timestamp",
        "Unix time the schema's waiver ends (end of its last day, UTC).",
        labels=(*SCHEMA, "owner", "covers"),
    )
    for result in report.results():
        w = result.waiver
        if w is None:
            continue
        day = dt.date.fromisoformat(w.until) + dt.timedelta(days=1)
        ends = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()
        labels = [report.repo, result.track, result.name, w.owner, str(w.covers).lower()]
        family.add_metric(labels, ends)
    return family


def _schema_families(
    state: MetricsState, report: Report, critical: CriticalSchemas
) -> list[Metric]:
    tracks = {t.track: t for t in report.tracks}
    total = CounterMetricFamily(
        "schema_drift_total", "Drift onsets (a schema entering drift).", labels=SCHEMA
    )
    last = GaugeMetricFamily(
        "schema_drift_last_detected_timestamp",
        "Unix time a check last saw the schema drifted.",
        labels=SCHEMA,
    )
    active = GaugeMetricFamily(
        "schema_drift_active",
        "1 while the schema is drifted, else 0.",
        labels=(*SCHEMA, "critical"),
    )
    started = GaugeMetricFamily(
        "schema_drift_started_timestamp",
        "Unix time the current drift started (only while drifted).",
        labels=SCHEMA,
    )
    for (repo, track, schema), item in sorted(state.schemas.items()):
        if repo != report.repo or track not in tracks:
            continue
        labels = [repo, track, schema]
        total.add_metric(labels, item.detections)
        if item.last_detected is not None:
            last.add_metric(labels, item.last_detected)
        flag = "true" if critical(track, schema, tracks[track].required) else "false"
        active.add_metric([*labels, flag], 0.0 if item.drift_started is None else 1.0)
        if item.drift_started is not None:
            started.add_metric(labels, item.drift_started)
    return [total, last, active, started]


def _track_families(state: MetricsState, report: Report, now: float) -> list[Metric]:
    g = GaugeMetricFamily
    last_check = g(
        "schema_drift_last_check_timestamp", "Unix time of the last finished check.", labels=TRACK
    )
    last_ok = g(
        "schema_drift_last_success_timestamp",
        "Unix time of the last check the registry answered.",
        labels=TRACK,
    )
    by_status = g(
        "schema_drift_schemas", "Schemas per status in the last check.", labels=(*TRACK, "status")
    )
    up = g("schema_registry_up", "1 if the registry answered the last check, else 0.", labels=TRACK)
    down = g(
        "schema_registry_down_since_timestamp",
        "First failing check of the current registry outage.",
        labels=TRACK,
    )
    stale = g(
        "schema_drift_cache_stale",
        "1 if the cached fixtures are older than the track's max_stale.",
        labels=TRACK,
    )
    synced = g(
        "schema_drift_cache_synced_timestamp",
        "Unix time the oldest cached fixture was fetched.",
        labels=TRACK,
    )
    for track in report.tracks:
        labels = [report.repo, track.track]
        item = state.tracks.get((report.repo, track.track))
        last_check.add_metric(labels, now)
        if item is not None and item.last_success is not None:
            last_ok.add_metric(labels, item.last_success)
        for status, count in sorted(track.counts().items()):
            by_status.add_metric([*labels, status], count)
        if report.registry_enabled:
            up.add_metric(labels, 1.0 if track_answered(report, track) else 0.0)
            if item is not None and item.registry_down_since is not None:
                down.add_metric(labels, item.registry_down_since)
        stale.add_metric(labels, 1.0 if track.stale else 0.0)
        if track.cache_age_seconds is not None:
            synced.add_metric(labels, now - track.cache_age_seconds)
    return [last_check, last_ok, by_status, up, down, stale, synced]


def _repo_families(state: MetricsState, report: Report) -> list[Metric]:
    repo = report.repo
    errors = CounterMetricFamily(
        "schema_registry_errors_total", "Failed registry requests by kind.", labels=("repo", "kind")
    )
    failures = CounterMetricFamily(
        "schema_drift_telemetry_failures_total",
        "Failed best-effort telemetry side effects.",
        labels=("repo", "target"),
    )
    events = CounterMetricFamily(
        "schema_drift_events_published_total",
        "telemetry.schema_drift events accepted by the bus.",
        labels=("repo",),
    )
    duration = GaugeMetricFamily(
        "schema_drift_check_duration_seconds", "Wall time of the last check.", labels=("repo",)
    )
    latency = HistogramMetricFamily(
        "schema_registry_request_duration_seconds",
        "Registry request duration.",
        labels=("repo", "endpoint"),
    )
    for kind in _labels(state, "registry_errors", repo, ERROR_KINDS):
        errors.add_metric([repo, kind], state.counters.get(("registry_errors", repo, kind), 0.0))
    for target in _labels(state, "telemetry_failures", repo, TELEMETRY_TARGETS):
        value = state.counters.get(("telemetry_failures", repo, target), 0.0)
        failures.add_metric([repo, target], value)
    events.add_metric([repo], state.counters.get(("events_published", repo, ""), 0.0))
    duration.add_metric([repo], report.duration_seconds)
    for (hist_repo, endpoint), hist in sorted(state.histograms.items()):
        if hist_repo != repo:
            continue
        running, buckets = 0, []
        for bound, count in zip((*hist.bounds, float("inf")), hist.counts, strict=True):
            running += count
            buckets.append((_le(bound), float(running)))
        latency.add_metric([repo, endpoint], buckets, hist.total)
    return [errors, failures, events, duration, latency]


def _labels(state: MetricsState, name: str, repo: str, known: Iterable[str]) -> list[str]:
    seen = {label for (n, r, label) in state.counters if n == name and r == repo}
    return sorted(seen.union(known))


def _le(bound: float) -> str:
    return "+Inf" if bound == float("inf") else repr(float(bound))

"""Alert rules and the Grafana dashboard read only metrics the toolkit really exports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from drift.model import Status
from drift.report import Report, SchemaResult, TrackResult, WaiverNote
from drift.telemetry.metrics import DriftMetrics

yaml = pytest.importorskip("yaml", reason="PyYAML (a dependency of market-data-core) is needed")

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "alerts" / "prometheus_drift_alerts.yml"
DASHBOARD = ROOT / "docs" / "grafana" / "schema-drift.json"
ALERTS = {
    "CriticalSchemaDriftSustained",
    "SchemaDriftActive",
    "HighDriftRate",
    "DriftDetectionStale",
    "RegistryUnreachable",
    "RegistrySyncStale",
}
KEYWORDS = {
    "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
    "group_left", "group_right", "sum", "min", "max", "avg", "count", "group", "stddev",
    "stdvar", "topk", "bottomk", "quantile", "count_values", "inf", "nan", "Inf", "NaN",
}  # fmt: skip


def metric_names(expr: str) -> set[str]:
    """Metric names a PromQL expression selects (functions, keywords, labels removed)."""
    text = re.sub(r"#[^\n]*", " ", expr)
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    text = re.sub(r"'(?:[^'\\]|\\.)*'", "''", text)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    found = set()
    for match in re.finditer(r"(?<![\w.$])[A-Za-z_:][A-Za-z0-9_:]*", text):
        name = match.group(0)
        if name in KEYWORDS or text[match.end() :].lstrip().startswith("("):
            continue
        found.add(name)
    return found


def test_metric_name_parser() -> None:
    expr = (
        'histogram_quantile(0.95, sum by (le, endpoint) (rate(a_bucket{x="y z", le!="1e3"}[5m])))'
        " / on (repo) group_left (kind) b_total offset 1h > bool 1e3 and c"
    )
    assert metric_names(expr) == {"a_bucket", "b_total", "c"}


def exported_names() -> set[str]:
    """Sample names of real expositions: a check with drift, then a registry outage."""
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    names: set[str] = set()
    waiver = WaiverNote("team", "known", "2026-12-31", 30, False, "tag", "a" * 64)
    drifted = SchemaResult("telemetry.FeedbackEvent", "v1", Status.DRIFTED, waiver=waiver)
    synced = SchemaResult("models.Quote", "v1", Status.SYNCED)
    runs = [
        TrackResult("v1", "warn", cache_age_seconds=60.0, schemas=(drifted, synced)),
        TrackResult("v1", "warn", registry_available=False, stale=True, schemas=(drifted,)),
    ]
    for now, track in enumerate(runs, start=1):
        metrics.observe_request("index", 0.05, None if now == 1 else "connect")
        metrics.record_check(Report("svc", "registry", "t", "0.1.0", tracks=(track,)), float(now))
        metrics.record_published(1)
        metrics.record_failure("pushgateway")
        text = generate_latest(registry).decode()
        names |= {s.name for f in text_string_to_metric_families(text) for s in f.samples}
    return names


EXPORTED = exported_names()


def test_the_export_contains_every_documented_family() -> None:
    docs = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", docs, flags=re.MULTILINE))
    assert documented, "docs/metrics.md has no metric table"
    families = {re.sub(r"_(bucket|sum|count)$", "", n) for n in EXPORTED}
    assert documented == families


def rules() -> list[dict[str, Any]]:
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in data["groups"] for rule in group["rules"]]


def test_every_required_alert_exists() -> None:
    assert {rule["alert"] for rule in rules()} == ALERTS


@pytest.mark.parametrize("rule", rules(), ids=lambda rule: rule["alert"])
def test_alert_reads_only_exported_metrics(rule: dict[str, Any]) -> None:
    used = metric_names(rule["expr"])
    assert used, "no metric found in the expression"
    assert used <= EXPORTED, f"not exported: {sorted(used - EXPORTED)}"


def dashboard() -> dict[str, Any]:
    data = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def panel_queries(data: dict[str, Any]) -> list[tuple[str, str]]:
    queries = []
    stack = list(data.get("panels", []))
    while stack:
        panel = stack.pop()
        stack.extend(panel.get("panels", []))
        queries += [(panel["title"], t["expr"]) for t in panel.get("targets", [])]
    return queries


def test_dashboard_is_valid_and_has_the_required_panels() -> None:
    data = dashboard()
    titles = {panel["title"] for panel in data["panels"]}
    for wanted in (
        "Drift state per schema and track",
        "Time since last check",
        "Drift onsets over time",
        "Registry errors by kind",
        "Registry request latency",
        "Schemas by status",
    ):
        assert wanted in titles
    assert len({panel["id"] for panel in data["panels"]}) == len(data["panels"])


@pytest.mark.parametrize(("title", "expr"), panel_queries(dashboard()))
def test_dashboard_query_reads_only_exported_metrics(title: str, expr: str) -> None:
    used = metric_names(expr)
    assert used, f"{title}: no metric in {expr!r}"
    assert used <= EXPORTED, f"{title}: not exported: {sorted(used - EXPORTED)}"


def test_dashboard_variables_read_exported_metrics() -> None:
    for variable in dashboard()["templating"]["list"]:
        if variable["type"] != "query":
            continue
        query = variable["query"]["query"]
        match = re.fullmatch(r"label_values\((\w+)(?:\{[^}]*\})?,\s*(\w+)\)", query)
        assert match, query
        assert match.group(1) in EXPORTED

"""The alert rules load in Prometheus and behave as their unit tests say (promtool)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ALERTS = Path(__file__).resolve().parents[2] / "docs" / "alerts"
RULES = ALERTS / "prometheus_drift_alerts.yml"
TESTS = sorted((ALERTS / "tests").glob("*.yml"))


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_rule_file_is_valid(require_program: Callable[[str], str]) -> None:
    done = run([require_program("promtool"), "check", "rules", str(RULES)], ALERTS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS: 6 rules found" in done.stdout


def test_there_are_rule_tests() -> None:
    assert len(TESTS) >= 3


@pytest.mark.parametrize("case", TESTS, ids=lambda path: path.stem)
def test_rule_unit_tests_pass(require_program: Callable[[str], str], case: Path) -> None:
    done = run([require_program("promtool"), "test", "rules", case.name], case.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_rule_unit_tests_catch_the_old_defects(
    require_program: Callable[[str], str], tmp_path: Path
) -> None:
    """Against the first, defective rules the same unit tests must fail."""
    old = tmp_path / "prometheus_drift_alerts.yml"
    old.write_text(OLD_RULES, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    failures = {}
    for case in TESTS:
        copy = tmp_path / "tests" / case.name
        copy.write_text(case.read_text(encoding="utf-8"), encoding="utf-8")
        done = run([require_program("promtool"), "test", "rules", copy.name], copy.parent)
        failures[case.stem] = done.returncode != 0
    assert all(failures.values()), failures


OLD_RULES = """\
groups:
  - name: first-rules
    rules:
      - alert: CriticalSchemaDriftSustained
        expr: |
          schema_drift_last_detected_timestamp > 0
          and time() - schema_drift_last_detected_timestamp > 1800
        for: 5m
        labels: {severity: warning}
      - alert: SchemaDriftActive
        expr: sum by (repo, track, schema) (schema_drift_active_total > 0)
        for: 60m
        labels: {severity: info}
      - alert: HighDriftRate
        expr: sum by (repo, track) (rate(schema_drift_total[15m])) > 0.1
        for: 10m
        labels: {severity: warning}
      - alert: DriftDetectionStale
        expr: time() - schema_drift_last_detected_timestamp > 172800
        for: 30m
        labels: {severity: warning}
      - alert: RegistryUnreachable
        expr: rate(schema_registry_errors_total[5m]) > 0
        for: 10m
        labels: {severity: critical}
      - alert: RegistrySyncStale
        expr: registry_sync_age_seconds > 300
        for: 15m
        labels: {severity: warning}
"""

"""SARIF 2.1.0: validated against the official OASIS schema (tests/data, see its README)."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from drift.reporters.findings import findings
from drift.reporters.locations import FixtureLocator
from drift.reporters.sarif import FINGERPRINT_KEY, render_sarif
from tests.unit.pr_reports import breaking_report, make_store

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"


@lru_cache(maxsize=1)
def validator() -> Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def sarif(tmp_path: Path, mode: str = "strict") -> dict[str, Any]:
    report = breaking_report(mode)
    items = findings(report, FixtureLocator(make_store(tmp_path), tmp_path))
    data: dict[str, Any] = json.loads(render_sarif(report, items))
    return data


@pytest.mark.parametrize("mode", ["strict", "warn"])
def test_sarif_validates_against_the_official_schema(tmp_path: Path, mode: str) -> None:
    validator().validate(sarif(tmp_path, mode))


def test_the_schema_copy_is_not_vacuous(tmp_path: Path) -> None:
    data = sarif(tmp_path)
    data["runs"][0]["results"][0]["level"] = "fatal"
    data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(validator().iter_errors(data))) >= 2


def test_one_rule_per_change_kind_and_located_results(tmp_path: Path) -> None:
    run = sarif(tmp_path)["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert sorted(rules) == ["property-added", "required-added"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] == "error"
        place = result["locations"][0]["physicalLocation"]
        assert place["artifactLocation"]["uri"] == "fixtures/v1/models.Quote.json"
        assert place["region"]["startLine"] > 1
        assert "drift sync-fixtures --track v1" in result["message"]["text"]
        assert 'counterexample: {"symbol":' in result["message"]["text"]
    assert run["invocations"][0]["exitCode"] == 1


def test_levels_follow_the_enforcement(tmp_path: Path) -> None:
    warn = sarif(tmp_path / "w", "warn")["runs"][0]["results"]
    assert {r["level"] for r in warn} == {"warning"}


def test_fingerprints_are_stable_across_runs(tmp_path: Path) -> None:
    first = sarif(tmp_path / "a")["runs"][0]["results"]
    second = sarif(tmp_path / "b", "warn")["runs"][0]["results"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in first]
    assert prints == [r["partialFingerprints"][FINGERPRINT_KEY] for r in second]
    assert len(set(prints)) == len(prints)


def test_an_unavailable_registry_is_a_notification_not_a_result(tmp_path: Path) -> None:
    report = breaking_report("warn")
    down = replace(report.tracks[0], registry_available=False, registry_error="timeout", schemas=())
    report = replace(report, tracks=(down,))
    data = json.loads(render_sarif(report, []))
    validator().validate(data)
    run = data["runs"][0]
    assert run["results"] == []
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert "registry unavailable: timeout" in notes[0]["message"]["text"]


def test_pr_outputs_pass_the_redaction_boundary(tmp_path: Path) -> None:
    from drift.redaction import remember
    from drift.report import Change
    from drift.reporters.proposal import render_body, title
    from drift.review import render_review

    secret = "pr-outputs-secret-77"
    remember(secret)
    report = breaking_report()
    track = report.tracks[0]
    leak = Change("/properties/x", "property-added", f"registry said {secret}", True, False)
    quote = replace(track.schemas[0], changes=(leak,), message=f"note {secret}")
    report = replace(report, tracks=(replace(track, schemas=(quote,)),))
    locate = FixtureLocator(make_store(tmp_path), tmp_path)
    for fmt in ("sarif", "annotations", "comment"):
        text = render_review(report, fmt, locate, {})
        assert "registry said" in text or fmt == "comment", fmt
        assert secret not in text, fmt
    # the PR body is redacted where propose writes it (drift/propose.py); its parts here:
    from drift.redaction import redact

    assert secret not in redact(render_body(track, [quote], registry="r", contracts=None))
    assert secret not in redact(title("v1", [quote]))

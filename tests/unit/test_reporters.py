"""Reporters: JSON (round trip, schema), text, Markdown, JUnit and the step summary."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from drift.canonical import DEFAULT_ANNOTATION_KEYS, canonical_hash, structural_hash
from drift.engine import LocalState, Locked, RegistryView, enforce, evaluate_track
from drift.errors import ConfigError, DriftError
from drift.model import IndexEntry, RegistrySchema, Status
from drift.report import Change, Report, SchemaResult, TrackResult
from drift.reporters import (
    FORMATS,
    append_step_summary,
    read_json,
    render,
    render_junit,
    render_markdown,
    render_text,
    write_json,
)
from drift.reporters.schema import report_schema

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("models.Quote", "telemetry.FeedbackEvent", "models.Health")
CHANGE = Change("properties.bid_size", "property-added", "optional property bid_size added",
                False, True)  # fmt: skip


def load(track: str, name: str) -> Any:
    return json.loads((ROOT / "registry" / track / f"{name}.json").read_text(encoding="utf-8"))


def classify(old: Any, new: Any) -> tuple[str, list[Change]]:
    same = structural_hash(old) == structural_hash(new)
    return ("annotations-only", []) if same else ("compatible", [CHANGE])


def real_track(mode: str) -> TrackResult:
    """v1 fixtures and lock against the v2 registry: Quote/Health drift, FeedbackEvent is
    a release stamp; plus an invalid fixture."""
    old = {n: load("v1", n) for n in NAMES}
    new = {n: load("v2", n) for n in NAMES}
    local = {n: LocalState(n, c, canonical_hash(c), structural_hash(c)) for n, c in old.items()}
    local["t.Broken"] = LocalState("t.Broken", None, None, None, error="t.Broken.json: not JSON")
    locked = {
        n: Locked(canonical_hash(c), structural_hash(c), f"tag-{n}-1", "1.2.8", "2026-11-01")
        for n, c in old.items()
    }
    index = {n: IndexEntry(n, f"tag-{n}-2", "1.4.61") for n in NAMES}
    fetched = {n: RegistrySchema(n, "v2", "1.4.61", f"tag-{n}-2", new[n]) for n in NAMES}
    results = evaluate_track(
        "v1", local, locked, RegistryView(True, None, index, fetched, {}),
        selected=lambda _n: True, annotation_keys=DEFAULT_ANNOTATION_KEYS, classify=classify,
    )  # fmt: skip
    return TrackResult("v1", mode, mode_source="flag", schemas=results)


def down_track() -> TrackResult:
    schemas = (
        SchemaResult("t.A", "v2", Status.UNKNOWN, message="timeout"),
        SchemaResult("t.B", "v2", Status.SYNCED),
    )
    return TrackResult(
        "v2", "warn", required=False, registry_available=False,
        registry_error="timeout after 5s", cache_age_seconds=3 * 3600 + 125, schemas=schemas,
    )  # fmt: skip


def make_report(mode: str = "strict", fail_on: str = "drift") -> Report:
    tracks = (real_track(mode), down_track())
    code, failures = enforce(tracks, fail_on, registry_enabled=True, fail_open=True)
    return Report(
        repo="svc", registry="registry", generated_at="2026-11-26T12:00:00Z",
        tool_version="0.1.0", duration_seconds=0.25, fail_on=fail_on, tracks=tracks,
        exit_code=code, failures=failures,
    )  # fmt: skip


@pytest.fixture
def report() -> Report:
    return make_report()


def test_sample_report_has_the_expected_statuses(report: Report) -> None:
    statuses = {r.name: r.status for r in report.tracks[0].schemas}
    assert statuses == {
        "models.Health": Status.DRIFTED,
        "models.Quote": Status.DRIFTED,
        "t.Broken": Status.INVALID,
        "telemetry.FeedbackEvent": Status.ANNOTATIONS,
    }


# -- JSON -----------------------------------------------------------------------


def test_json_round_trip(tmp_path: Path, report: Report) -> None:
    path = tmp_path / "drift_report.json"
    path.write_text("old", encoding="utf-8")
    write_json(report, path)
    assert read_json(path) == report
    assert [p.name for p in tmp_path.iterdir()] == ["drift_report.json"]  # no temp left


def test_json_stream_equals_file(tmp_path: Path, report: Report) -> None:
    stream = io.StringIO()
    write_json(report, stream)
    write_json(report, tmp_path / "r.json")
    assert stream.getvalue() == (tmp_path / "r.json").read_text(encoding="utf-8")
    assert render(report, "json") == stream.getvalue()


def test_json_validates_against_report_schema(report: Report) -> None:
    schema = report_schema()
    Draft202012Validator.check_schema(schema)
    data = json.loads(render(report, "json"))
    Draft202012Validator(schema).validate(data)
    assert data["tracks"][0]["counts"]["drifted"] == 2


def test_report_schema_is_not_vacuous(report: Report) -> None:
    validator = Draft202012Validator(report_schema())
    data = json.loads(render(report, "json"))
    data["tracks"][0]["schemas"][0]["status"] = "fine"
    data["surprise"] = True
    assert len(list(validator.iter_errors(data))) == 2


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "not a JSON report"),
        ("[]", "JSON object"),
        ('{"report_version": 2}', "unsupported report_version 2"),
        ('{"report_version": 1, "repo": "x"}', "invalid report"),
    ],
)
def test_read_json_rejects_bad_input_naming_the_file(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DriftError, match=fragment) as info:
        read_json(path)
    assert str(path) in str(info.value)


def test_read_json_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DriftError, match="cannot read"):
        read_json(tmp_path / "absent.json")


# -- text -----------------------------------------------------------------------


def test_text_names_drift_changes_and_outcome(report: Report) -> None:
    text = render_text(report)
    assert "track v1: mode strict (flag)" in text
    assert "drifted" in text
    assert "models.Quote" in text
    assert "optional property bid_size added" in text
    assert '+    "ask_size": {' in text  # the diff, not only the change list
    assert "unavailable: timeout after 5s; cache age 3h 2m" in text
    assert "telemetry.FeedbackEvent" in text
    lines = text.splitlines()
    outcome = next(i for i, line in enumerate(lines) if line.startswith("FAILED: "))
    assert lines[outcome].startswith(f"FAILED: exit {report.exit_code}")
    assert lines[outcome + 1 : outcome + 1 + len(report.failures)] == [
        f"  - {f}" for f in report.failures
    ]
    assert "\x1b[" not in text


def test_text_diff_is_truncated_and_colour_is_opt_in(report: Report) -> None:
    text = render_text(report, diff_lines=5)
    assert "more lines" in text
    assert "\x1b[31m" in render_text(report, colour=True)


def test_text_strips_control_characters(report: Report) -> None:
    track = report.tracks[1]
    evil = replace(track.schemas[0], message="note\x1b[2Jcleared")
    hostile = replace(report, tracks=(replace(track, schemas=(evil,)),))
    assert "\x1b" not in render_text(hostile)


def test_text_warn_mode_outcome_mentions_unenforced_drift() -> None:
    report = make_report(mode="warn")
    assert report.exit_code == 2  # the invalid fixture, whatever the mode
    ok = replace(report, exit_code=0, failures=())
    assert "drift reported, not enforced" in render_text(ok)


# -- Markdown ---------------------------------------------------------------------


def test_markdown_has_table_details_and_diff(report: Report) -> None:
    md = render_markdown(report)
    assert md.startswith("## Schema drift: svc")
    assert "| v1 | strict (flag), strict policy | required | available |" in md
    assert "<details><summary><code>models.Quote</code> — drifted (compatible)</summary>" in md
    assert "optional property bid_size added" in md
    assert "```diff\n--- fixture/v1/models.Quote.json" in md
    assert md.count("<details>") == md.count("</details>") == 3


def test_markdown_escapes_cells_and_fences(report: Report) -> None:
    track = report.tracks[0]
    first = replace(track.schemas[0], message="a | b <script>", diff="--- a\n+++ b\n+```evil```")
    md = render_markdown(replace(report, tracks=(replace(track, schemas=(first,)),)))
    assert "a \\| b &lt;script&gt;" in md
    assert "````diff" in md


def test_step_summary_appends_when_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: Report
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert append_step_summary(report) is True
    assert append_step_summary(report) is True
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## Schema drift: svc")
    assert text.count("## Schema drift: svc") == 2


def test_step_summary_unset_does_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: Report
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert append_step_summary(report) is False
    assert append_step_summary(report, {"GITHUB_STEP_SUMMARY": ""}) is False
    target = tmp_path / "explicit.md"
    assert append_step_summary(report, {"GITHUB_STEP_SUMMARY": str(target)}) is True
    assert "models.Quote" in target.read_text(encoding="utf-8")


# -- JUnit ------------------------------------------------------------------------


def suites(report: Report) -> dict[str, ET.Element]:
    root = ET.fromstring(render_junit(report))
    assert root.tag == "testsuites"
    return {s.get("name", ""): s for s in root.findall("testsuite")}


def outcome_counts(suite: ET.Element) -> tuple[int, int, int]:
    cases = suite.findall("testcase")
    return tuple(  # type: ignore[return-value]
        sum(1 for c in cases if c.find(tag) is not None) for tag in ("failure", "error", "skipped")
    )


def test_junit_strict_track_fails_drifted_schemas(report: Report) -> None:
    found = suites(report)
    assert set(found) == {"drift.v1", "drift.v2"}
    v1 = found["drift.v1"]
    assert outcome_counts(v1) == (2, 1, 0)
    assert (v1.get("tests"), v1.get("failures"), v1.get("errors")) == ("4", "2", "1")
    failed = {c.get("name") for c in v1.findall("testcase") if c.find("failure") is not None}
    assert failed == {"models.Quote", "models.Health"}
    props = {p.get("name"): p.get("value") for p in v1.iter("property")}
    assert props["mode"] == "strict"


def test_junit_warn_track_reports_without_failing() -> None:
    v1 = suites(make_report(mode="warn"))["drift.v1"]
    assert outcome_counts(v1) == (0, 1, 0)
    outs = [c.findtext("system-out") or "" for c in v1.findall("testcase")]
    assert any("not enforced: warn mode" in o and "bid_size" in o for o in outs)


def test_junit_unknown_is_skipped_and_totals_add_up(report: Report) -> None:
    root = ET.fromstring(render_junit(report))
    v2 = suites(report)["drift.v2"]
    assert outcome_counts(v2) == (0, 0, 1)
    assert root.get("tests") == "6"
    assert (root.get("failures"), root.get("errors"), root.get("skipped")) == ("2", "1", "1")


def test_junit_stale_strict_track_gets_a_failing_case(report: Report) -> None:
    stale = replace(report.tracks[1], mode="strict", stale=True, required=True)
    v2 = suites(replace(report, tracks=(stale,)))["drift.v2"]
    names = {c.get("name") for c in v2.findall("testcase") if c.find("failure") is not None}
    assert names == {"registry-cache"}


def test_junit_is_valid_xml_with_hostile_text(report: Report) -> None:
    track = report.tracks[1]
    evil = replace(track.schemas[0], message="\x00\x1b]8;;x\x07 <&>")
    ET.fromstring(render_junit(replace(report, tracks=(replace(track, schemas=(evil,)),))))


# -- dispatch ---------------------------------------------------------------------


def test_render_dispatches_every_format(report: Report) -> None:
    outputs = {fmt: render(report, fmt) for fmt in FORMATS}
    assert outputs["text"] == render_text(report)
    assert outputs["markdown"] == render_markdown(report)
    assert outputs["junit"] == render_junit(report)
    assert json.loads(outputs["json"])["repo"] == "svc"
    with pytest.raises(ConfigError, match="unknown report format"):
        render(report, "html")  # type: ignore[arg-type]


def test_text_gives_an_annotation_only_schema_one_line() -> None:
    stamp = Change("/$core_version", "annotation", "$core_version changed", False, False)
    result = SchemaResult(
        "models.Quote", "v1", Status.ANNOTATIONS, verdict="annotations-only", changes=(stamp,),
        core_version="1.2.9", locked_core_version="1.2.8",
    )  # fmt: skip
    track = TrackResult("v1", "strict", schemas=(result,))
    text = render_text(Report("r", "registry", "2026-11-26T00:00:00Z", "0.1.0", tracks=(track,)))
    lines = [
        line for line in text.splitlines() if "models.Quote" in line or "$core_version" in line
    ]
    assert lines == ["  annotations  models.Quote  annotations-only  1.2.8 -> 1.2.9"]

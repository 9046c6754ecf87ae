"""What a report tells a person to do next: resolve commands, why drift passed, -q."""

from __future__ import annotations

from dataclasses import replace

from drift.model import Status
from drift.report import Report, SchemaResult, TrackResult
from drift.reporters import render_markdown, render_text
from drift.reporters.common import resolve_commands
from drift.reporters.text import failure_summary, watch_line
from tests.unit.pr_reports import breaking_report

RESOLVE = [
    "to resolve v1 (1 schema(s)), run:",
    "  drift sync-fixtures --track v1 --schema models.Quote --dry-run",
    "  drift sync-fixtures --track v1 --schema models.Quote",
    "  nox -s contracts-v1",
]


def test_a_failing_strict_check_ends_with_the_commands_that_resolve_it() -> None:
    report = breaking_report("strict")
    assert report.exit_code == 1
    assert render_text(report).splitlines()[-4:] == RESOLVE


def test_warn_mode_says_which_rule_let_drift_pass() -> None:
    text = render_text(breaking_report("warn"))
    assert "v1: 1 drifted schema(s) not enforced: mode warn (from flag)" in text
    assert text.splitlines()[-4:] == RESOLVE  # drift reported: still how to resolve it


def test_fail_on_breaking_says_it_let_compatible_drift_pass() -> None:
    report = breaking_report("strict", fail_on="breaking")
    track = report.tracks[0]
    compatible = replace(track.schemas[0], verdict="compatible")
    report = replace(report, tracks=(replace(track, schemas=(compatible,)),), exit_code=0)
    assert "pass fail_on = 'breaking'" in render_text(report)


def test_a_clean_check_suggests_nothing() -> None:
    report = breaking_report("strict")
    track = report.tracks[0]
    synced = replace(track.schemas[0], status=Status.SYNCED, verdict=None, changes=(), diff="")
    clean = replace(report, tracks=(replace(track, schemas=(synced,)),), exit_code=0, failures=())
    assert "to resolve" not in render_text(clean)
    assert "To resolve" not in render_markdown(clean)
    assert failure_summary(clean) == ""


def test_quiet_summary_is_one_line_with_the_next_command() -> None:
    line = failure_summary(breaking_report("strict"))
    assert line.count("\n") == 1
    assert line.startswith("FAILED: exit 1 (drift fails the policy in a strict track): v1 (strict")
    assert line.rstrip().endswith(
        "next: drift sync-fixtures --track v1 --schema models.Quote --dry-run"
    )


def test_registry_error_is_shown_once_per_track() -> None:
    error = "http://r/index: connection failed"
    same = [SchemaResult(f"s{i}", "v1", Status.UNKNOWN, message=error) for i in range(77)]
    schemas = (*same, SchemaResult("odd", "v1", Status.UNKNOWN, message="no fixture; other"))
    track = TrackResult("v1", "warn", registry_available=False, registry_error=error,
                        schemas=schemas)  # fmt: skip
    report = Report("svc", "http://r", "2026-12-01T00:00:00Z", "0.1.0", tracks=(track,))
    text = render_text(report)
    assert text.count(error) == 1
    assert "77 schema(s): the registry did not answer" in text
    assert "odd" in text  # a different message is still listed
    markdown = render_markdown(report)
    assert markdown.count(error) == 1
    assert "77 schema(s) unknown" in markdown


def test_resolve_commands_name_few_schemas_and_quote_them() -> None:
    assert (
        resolve_commands("v1", ["a b"])[0]
        == "drift sync-fixtures --track v1 --schema 'a b' --dry-run"
    )
    many = resolve_commands("v2", [f"s{i}" for i in range(9)])
    assert many[:2] == [
        "drift sync-fixtures --track v2 --dry-run",
        "drift sync-fixtures --track v2",
    ]


def test_colour_paints_status_words_and_verdicts_only_when_asked() -> None:
    report = breaking_report("strict")
    plain, painted = render_text(report), render_text(report, colour=True)
    assert "\x1b[" not in plain
    assert "\x1b[31mbreaking\x1b[0m" in painted
    assert "\x1b[31mFAILED: exit 1" in painted


def test_watch_logs_one_line_per_check() -> None:
    line = watch_line(breaking_report("strict"))
    assert line.count("\n") == 1
    assert line == (
        "2026-12-01T12:00:00Z check: v1 1 schema: 1 drifted, registry up; 0.00s; exit 1\n"
    )

"""Findings, their fixture locations and the GitHub workflow commands made from them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from drift.model import Status
from drift.report import SchemaResult
from drift.reporters.annotations import (
    MAX_PER_LEVEL,
    escape_data,
    escape_property,
    render_annotations,
    wanted,
)
from drift.reporters.findings import Location, findings
from drift.reporters.locations import FixtureLocator
from tests.unit.pr_reports import breaking_report, make_store


def quote_line(store_root: Path, text: str) -> int:
    lines = (store_root / "v1" / "models.Quote.json").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_a_breaking_change_in_strict_is_an_error_at_the_changed_line(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    items = findings(breaking_report("strict"), FixtureLocator(store, tmp_path))
    assert {f.level for f in items} == {"error"}
    by_pointer = {f.pointer: f for f in items}
    assert set(by_pointer) == {"/properties/exchange", "/required"}
    # a property the fixture lacks sits at its parent; /required at its own key
    assert by_pointer["/properties/exchange"].location == Location(
        "fixtures/v1/models.Quote.json", quote_line(store.root, '"properties": {')
    )
    assert by_pointer["/required"].location.line == quote_line(store.root, '"required": [')
    assert all(f.rule in {"property-added", "required-added"} for f in items)
    assert "drift sync-fixtures --track v1 --schema models.Quote --dry-run" in items[0].help


def test_warn_mode_and_passing_policies_give_warnings(tmp_path: Path) -> None:
    locate = FixtureLocator(make_store(tmp_path), tmp_path)
    assert {f.level for f in findings(breaking_report("warn"), locate)} == {"warning"}
    synced = breaking_report("strict")
    track = synced.tracks[0]
    calm = replace(synced, tracks=(replace(track, schemas=(
        replace(track.schemas[0], status=Status.SYNCED, changes=()),
    )),))  # fmt: skip
    assert findings(calm, locate) == []


def test_fingerprints_ignore_lines_and_wording(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    first = findings(breaking_report(), FixtureLocator(store, tmp_path))
    # the fixture gains lines at the top: same findings, other lines, same fingerprints
    path = store.root / "v1" / "models.Quote.json"
    path.write_text("\n\n\n" + path.read_text())
    second = findings(breaking_report("warn"), FixtureLocator(store, tmp_path))
    assert [f.location.line + 3 for f in first] == [f.location.line for f in second]
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
    assert len({f.fingerprint for f in first}) == len(first)


def test_statuses_without_changes_and_missing_fixtures(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    report = breaking_report()
    track = report.tracks[0]
    extra = (
        SchemaResult("models.New", "v1", Status.UNTRACKED),
        SchemaResult("models.Quote2", "v1", Status.INVALID, message="not JSON"),
    )
    report = replace(report, tracks=(replace(track, schemas=track.schemas + extra),))
    items = {f.schema: f for f in findings(report, FixtureLocator(store, tmp_path))}
    assert items["models.New"].location == Location("fixtures/lock.toml", 1)
    assert items["models.New"].rule == "untracked"
    assert items["models.New"].level == "error"  # strict, fail_on drift
    assert items["models.Quote2"].rule == "invalid-fixture"
    assert items["models.Quote2"].detail == "invalid: not JSON"


def test_a_malformed_fixture_is_placed_at_line_1(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    (store.root / "v1" / "models.Quote.json").write_text('{"properties": ')
    items = findings(breaking_report(), FixtureLocator(store, tmp_path))
    assert {f.location.line for f in items} == {1}


# -- workflow commands ------------------------------------------------------------


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert escape_property("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d"


def test_annotations_are_on_by_default_only_in_github_actions() -> None:
    assert wanted(None, {"GITHUB_ACTIONS": "true"})
    assert not wanted(None, {})
    assert wanted("github", {})
    assert not wanted("none", {"GITHUB_ACTIONS": "true"})


def test_one_error_command_per_failing_schema(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    text = render_annotations(findings(breaking_report(), FixtureLocator(store, tmp_path)))
    lines = text.splitlines()
    assert len(lines) == 1
    line = quote_line(store.root, '"properties": {')
    assert lines[0].startswith(
        f"::error file=fixtures/v1/models.Quote.json,line={line},"
        "title=drift%3A v1/models.Quote drifted%2C breaking::"
    )
    message = lines[0].split("::", 2)[2]
    assert "\n" not in message
    assert "%0A" in message
    assert "property-added /properties/exchange" in message
    assert "drift sync-fixtures --track v1 --schema models.Quote --dry-run" in message
    assert "counterexample" in message  # the payload that breaks, from the semantic diff
    warn = render_annotations(findings(breaking_report("warn"), FixtureLocator(store, tmp_path)))
    assert warn.startswith("::warning file=fixtures/v1/models.Quote.json,")


def test_annotations_are_capped_per_level_with_a_summary(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    one = findings(breaking_report(), FixtureLocator(store, tmp_path))
    many = [replace(f, schema=f"s{i:02}") for i in range(MAX_PER_LEVEL + 4) for f in one]
    lines = render_annotations(many).splitlines()
    assert len(lines) == MAX_PER_LEVEL + 1
    assert lines[-1].startswith("::error title=drift%3A 4 more schema(s)::")

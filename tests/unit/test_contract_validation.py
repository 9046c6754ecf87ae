"""drift.contracts: schema loading, $ref resolution and violation reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drift.contracts import (
    ConformanceChecker,
    Violation,
    format_violations,
    json_path,
    load_schemas,
    schema_uri,
)
from drift.errors import FixtureError, UnknownSchemaError

PRICE = {"type": "number", "minimum": 0}


def checker(schemas: dict[str, object], track: str = "v1") -> ConformanceChecker:
    return ConformanceChecker(schemas, track=track)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([], "$"),
        (["bid"], "$.bid"),
        (["contracts", 0, "strike"], "$.contracts[0].strike"),
        (["labels", "a-b", 2], '$.labels["a-b"][2]'),
    ],
)
def test_json_path(parts: list[str | int], expected: str) -> None:
    assert json_path(parts) == expected


def test_format_violations_lists_every_line() -> None:
    text = format_violations("m.X", "v2", [Violation("$.a", "bad"), Violation("$.b", "worse")])
    assert text.splitlines() == [
        "payload does not conform to m.X (track v2): 2 violations",
        "  $.a: bad",
        "  $.b: worse",
    ]


def test_every_violation_is_reported_sorted_by_path() -> None:
    schema = {
        "type": "object",
        "properties": {
            "b": {"type": "integer"},
            "a": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["c", "d"],
    }
    found = checker({"m.X": schema}).violations({"b": "1", "a": ["ok", 2]}, "m.X")
    assert [v.path for v in found] == ["$.a[1]", "$.b", "$.c", "$.d"]
    assert found[2].message == "'c' is a required property"


def test_any_of_failure_names_the_alternatives() -> None:
    schema = {"properties": {"size": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}}
    [violation] = checker({"m.X": schema}).violations({"size": "x"}, "m.X")
    assert violation.path == "$.size"
    assert "'x' is not of type 'integer'" in violation.message
    assert "'x' is not of type 'null'" in violation.message


@pytest.mark.parametrize(
    "ref",
    ["m.Price.json", "m.Price", "./m.Price.json", "urn:drift:v1:m.Price", "m.Price.json#"],
)
def test_relative_and_urn_refs_resolve_within_the_track(ref: str) -> None:
    schemas = {"m.Price": PRICE, "m.Quote": {"properties": {"bid": {"$ref": ref}}}}
    [violation] = checker(schemas).violations({"bid": -1}, "m.Quote")
    assert violation == Violation("$.bid", "-1 is less than the minimum of 0")


def test_refs_resolve_relative_to_an_id() -> None:
    schemas = {
        "m.Price": {"$id": "https://example.test/s/m.Price.json", **PRICE},
        "m.Quote": {
            "$id": "https://example.test/s/m.Quote.json",
            "items": {"$ref": "m.Price.json"},
        },
    }
    assert [v.path for v in checker(schemas).violations([1, -1], "m.Quote")] == ["$[1]"]


def test_unresolvable_ref_is_a_fixture_error() -> None:
    with pytest.raises(FixtureError, match=r"m\.Broken.*nowhere\.json"):
        checker({"m.Broken": {"$ref": "nowhere.json"}}).violations({}, "m.Broken")


def test_unknown_name_suggests_close_matches_and_suffix_is_tolerated() -> None:
    check = checker({"models.Quote": {"type": "object"}, "models.PriceBar": {}})
    with pytest.raises(UnknownSchemaError, match=r"did you mean: models\.Quote"):
        check({}, "models.Qoute")
    check({}, "models.Quote.schema")


def test_call_raises_assertion_error_with_the_listing() -> None:
    with pytest.raises(AssertionError) as caught:
        checker({"m.P": PRICE}, track="v2")(-5, "m.P")
    assert str(caught.value).splitlines() == [
        "payload does not conform to m.P (track v2): 1 violation",
        "  $: -5 is less than the minimum of 0",
    ]


@pytest.mark.parametrize("value", ["2026-11-26", "26/11/2026 14:30", "2026-11-26T25:00:00Z"])
def test_date_time_format_is_checked(value: str) -> None:
    schema = {"type": "string", "format": "date-time"}
    assert checker({"m.T": schema}).violations(value, "m.T")
    assert not checker({"m.T": schema}).violations("2026-11-26T14:30:00.5+01:00", "m.T")


def test_load_schemas_reads_the_track_directory(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "m.A.json").write_text(json.dumps(PRICE))
    (tmp_path / "v1" / "notes.txt").write_text("ignored")
    schemas = load_schemas(tmp_path, "v1")
    assert dict(schemas) == {"m.A": PRICE}
    assert schema_uri("v1", "m.A") == "urn:drift:v1:m.A"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "has no \\*.json files"),
        ({"m.A.json": "{not json"}, "unreadable schema"),
        ({"m.A.json": "[1, 2]"}, "not a JSON Schema"),
        ({"-bad name.json": "{}"}, "unsafe schema name"),
    ],
)
def test_load_schemas_rejects_bad_directories(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    (tmp_path / "v1").mkdir()
    for name, text in files.items():
        (tmp_path / "v1" / name).write_text(text)
    with pytest.raises(FixtureError, match=message):
        load_schemas(tmp_path, "v1")


def test_load_schemas_without_the_track_directory(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="no schema directory for track v2"):
        load_schemas(tmp_path, "v2")

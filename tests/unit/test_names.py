from __future__ import annotations

import pytest

from drift.errors import UnsafeNameError
from drift.names import normalize_name, safe_filename, validate_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("telemetry.FeedbackEvent.schema", "telemetry.FeedbackEvent"),
        ("telemetry.FeedbackEvent", "telemetry.FeedbackEvent"),
        ("models.Quote.schema.schema", "models.Quote.schema"),  # only one suffix is dropped
        (".schema", ".schema"),  # nothing left without the suffix: kept as is
        ("schema", "schema"),
        ("models.Quote.Schema", "models.Quote.Schema"),  # case-sensitive
    ],
)
def test_normalize_name(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    "name",
    [
        "telemetry.FeedbackEvent",
        "models.Quote",
        "a",
        "_private",
        "with-dash_and.dots9",
        "A" * 200,
    ],
)
def test_validate_name_accepts_schema_ids(name: str) -> None:
    assert validate_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "a/b",
        "/etc/passwd",
        "a\\b",
        "..\\..\\windows",
        "..",
        "../etc/passwd",
        "a..b",
        "models..Quote",
        "a\x00b",
        "\x00",
        "a\nb",
        "a\tb",
        ".hidden",
        "-leading-dash",
        "has space",
        "unicodé",
        "semi;colon",
        "percent%2F",
        "A" * 201,
        "C:evil",
    ],
)
def test_validate_name_rejects_unsafe(name: str) -> None:
    with pytest.raises(UnsafeNameError) as info:
        validate_name(name, where="unit")
    assert str(info.value).startswith("unit:")


@pytest.mark.parametrize("value", [None, 3, b"models.Quote", ["models.Quote"]])
def test_validate_name_rejects_non_strings(value: object) -> None:
    with pytest.raises(UnsafeNameError, match="must be a string"):
        validate_name(value)


def test_safe_filename_appends_json() -> None:
    assert safe_filename("models.Quote") == "models.Quote.json"


@pytest.mark.parametrize("name", ["../x", "a/b", "a\\b", "a\x00b"])
def test_safe_filename_rejects_unsafe(name: str) -> None:
    with pytest.raises(UnsafeNameError):
        safe_filename(name)


def test_suffix_is_not_a_bypass() -> None:
    with pytest.raises(UnsafeNameError):
        validate_name(normalize_name("../etc/passwd.schema"))

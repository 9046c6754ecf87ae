"""The hand-written compatibility table: every verdict as a careful reviewer gives it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from drift.compat import compare, render_text

from .cases_core import CASES as CORE
from .cases_logic import CASES as LOGIC
from .cases_structure import CASES as STRUCTURE
from .table import Case

CASES: list[Case] = CORE + STRUCTURE + LOGIC

#: Every keyword the table must exercise (on at least one side of one case).
KEYWORDS = {
    "type",
    "enum",
    "const",
    "required",
    "properties",
    "additionalProperties",
    "patternProperties",
    "unevaluatedProperties",
    "items",
    "prefixItems",
    "additionalItems",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependencies",
    "dependentSchemas",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
    "if",
    "then",
    "else",
    "$ref",
    "$defs",
    "definitions",
    "$anchor",
    "title",
    "description",
    "examples",
    "default",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$core_version",
    "$track",
    "$schema_id",
    "$schema",
}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_verdicts(case: Case) -> None:
    result = compare(case.old, case.new)
    got = (result.verdict("backward"), result.verdict("forward"))
    assert got == (case.backward, case.forward), render_text(result, "full")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_full_mode_is_the_worse_direction(case: Case) -> None:
    result = compare(case.old, case.new)
    both = {case.backward, case.forward}
    order = ("breaking", "cannot-prove", "compatible", "annotations-only")
    expected = next(v for v in order if v in both)
    assert result.verdict("full") == expected
    assert result.is_compatible("full") == (expected in ("compatible", "annotations-only"))


def test_table_is_large_and_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) >= 150
    assert len(set(ids)) == len(ids)


def test_table_covers_drafts_4_7_and_2020() -> None:
    drafts = {c.draft for c in CASES}
    assert {"4", "7", "2020"} <= drafts
    for draft in ("4", "7"):
        assert sum(c.draft == draft for c in CASES) >= 15, draft


def test_table_covers_every_keyword() -> None:
    seen: set[str] = set()
    for case in CASES:
        seen |= set(_keys(case.old)) | set(_keys(case.new))
    assert KEYWORDS - seen == set()


def test_table_has_every_verdict_in_both_directions() -> None:
    for direction in ("backward", "forward"):
        assert {getattr(c, direction) for c in CASES} == {
            "annotations-only",
            "compatible",
            "breaking",
            "cannot-prove",
        }


def test_cases_are_plain_json() -> None:
    for case in CASES:
        assert json.loads(json.dumps(case.old)) == case.old, case.id
        assert json.loads(json.dumps(case.new)) == case.new, case.id


def _keys(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            yield key
            yield from _keys(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _keys(value)

"""The fast metaschema check gives jsonschema's answer (it only ever accepts early)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drift.metaschema import fast_accepts, first_error

ROOT = Path(__file__).resolve().parents[2]


def jsonschema_says_valid(schema: Any) -> bool:
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)
    return not any(True for _ in validator.iter_errors(schema))


_patterns = st.sampled_from(
    ["^a+$", "(", "[a-", r"\p{L}", "(?P<n>x)", r"\d{2,}", "a{2,1}", "(?<=a)b"]
)
_leaf = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["string", "integer", "nope", 5, ["string", "null"], []]),
        "pattern": _patterns | st.integers(0, 3),
        "minLength": st.integers(-1, 3),
        "enum": st.lists(st.integers(), max_size=2),
        "required": st.lists(st.sampled_from(["a", "b", 1]), max_size=2),
        "const": st.just({"pattern": "("}),  # any value: not a schema position
        "format": st.sampled_from(["regex", "date-time", "bogus"]),
    },
)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "properties": st.dictionaries(
                st.sampled_from(["a", "pattern", "items"]), inner, max_size=2
            ),
            "patternProperties": st.dictionaries(_patterns, inner, max_size=2),
            "items": inner | st.lists(inner, max_size=1),
            "prefixItems": st.lists(inner, max_size=2),
            "allOf": st.lists(inner, max_size=2),
            "anyOf": st.lists(inner, min_size=0, max_size=2),
            "additionalItems": inner,  # not a 2020-12 keyword: not a schema position there
            "additionalProperties": inner,
            "$defs": st.dictionaries(st.sampled_from(["x", "y"]), inner, max_size=2),
            "definitions": st.dictionaries(st.sampled_from(["x"]), inner, max_size=1),
            "dependencies": st.dictionaries(
                st.sampled_from(["a", "b"]), inner | st.lists(st.sampled_from(["a", 1])), max_size=2
            ),
            "dependentSchemas": st.dictionaries(st.sampled_from(["a"]), inner, max_size=1),
            "not": inner,
            "if": inner,
            "contentSchema": inner,
            "x-custom": inner,
        },
    )


_schemas = st.recursive(
    _leaf | st.booleans(),
    lambda inner: st.tuples(_leaf, _containers(inner)).map(lambda pair: {**pair[0], **pair[1]}),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(_schemas, st.sampled_from([None, "https://json-schema.org/draft/2020-12/schema"]))
def test_fast_acceptance_equals_jsonschema_on_2020_12(schema: Any, dialect: str | None) -> None:
    if dialect is not None and isinstance(schema, dict):
        schema = {"$schema": dialect, **schema}
    assert fast_accepts(schema) == jsonschema_says_valid(schema)
    assert (first_error(schema) is None) == jsonschema_says_valid(schema)


@settings(max_examples=30, deadline=None)
@given(_schemas)
def test_other_drafts_are_left_to_jsonschema(schema: Any) -> None:
    if not isinstance(schema, dict):
        return
    draft7 = {"$schema": "http://json-schema.org/draft-07/schema#", **schema}
    assert not fast_accepts(draft7)
    assert (first_error(draft7) is None) == jsonschema_says_valid(draft7)


def test_every_bundled_registry_schema_takes_the_fast_path() -> None:
    paths = sorted((ROOT / "registry").glob("v*/*.json"))
    assert paths
    for path in paths:
        schema = json.loads(path.read_text())
        assert fast_accepts(schema), path.name
        assert jsonschema_says_valid(schema), path.name


@pytest.mark.parametrize(
    ("schema", "where"),
    [
        ({"pattern": "("}, "at pattern"),
        ({"properties": {"a": {"pattern": "[a-"}}}, "at properties/a/pattern"),
        ({"patternProperties": {"(": {}}}, "at patternProperties"),
        ({"items": {"type": "nope"}}, "at items/type"),
        ({"$defs": {"x": {"minLength": -1}}}, "at $defs/x/minLength"),
    ],
)
def test_rejections_carry_jsonschemas_message(schema: dict[str, Any], where: str) -> None:
    assert not fast_accepts(schema)
    error = first_error(schema)
    assert error is not None
    assert error.startswith(where)

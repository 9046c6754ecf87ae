"""Soundness on random pairs: small schemas and a random edit of them.

Whatever the edit, a direction judged compatible must accept every value the
accepting side generates (checked with jsonschema, formats ignored and asserted).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis_jsonschema import from_schema

from drift.compat import compare

from .generation import generation_schema, names_in
from .proof import assert_counterexamples
from .test_soundness import check

NAMES = ("a", "b", "c")
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["", "a", "ab"]))
BOUND = st.integers(-3, 3)
PATTERNS = st.sampled_from(["^a", "^[ab]*$", "b", "^[0-9]+$"])


def _opt(base: dict[str, Any], **optional: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({k: st.just(v) for k, v in base.items()}, optional=optional)


SCALARS = st.one_of(
    _opt(
        {"type": "integer"},
        minimum=BOUND,
        maximum=BOUND,
        exclusiveMinimum=BOUND,
        multipleOf=st.sampled_from([1, 2, 3]),
    ),
    _opt(
        {"type": "number"},
        minimum=BOUND,
        exclusiveMaximum=BOUND,
        multipleOf=st.sampled_from([0.5, 2]),
    ),
    _opt(
        {"type": "string"},
        minLength=st.integers(0, 2),
        maxLength=st.integers(0, 4),
        pattern=PATTERNS,
        format=st.sampled_from(["date", "email"]),
    ),
    st.sampled_from(
        [
            {"type": "boolean"},
            {"type": "null"},
            {"type": ["string", "null"]},
            {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        ]
    ),
    st.builds(lambda v: {"enum": v}, st.lists(VALUES, min_size=1, max_size=3, unique_by=repr)),
    st.builds(lambda v: {"const": v}, VALUES),
)
OBJECTS = _opt(
    {"type": "object"},
    properties=st.dictionaries(st.sampled_from(NAMES), SCALARS, max_size=3),
    required=st.lists(st.sampled_from(NAMES), unique=True, max_size=2),
    additionalProperties=st.one_of(st.booleans(), SCALARS),
    patternProperties=st.dictionaries(st.sampled_from(["^x", "^a"]), SCALARS, max_size=1),
    maxProperties=st.integers(1, 3),
    dependencies=st.fixed_dictionaries({"a": st.just(["b"])}),
)
ARRAY_KEYWORDS: dict[str, st.SearchStrategy[Any]] = {
    "minItems": st.integers(0, 2),
    "maxItems": st.integers(0, 3),
    "uniqueItems": st.booleans(),
    "contains": SCALARS,
}
ARRAYS_2020 = _opt(
    {"type": "array"},
    prefixItems=st.lists(SCALARS, min_size=1, max_size=2),
    items=st.one_of(st.booleans(), SCALARS),
    **ARRAY_KEYWORDS,
)
ARRAYS_7 = _opt(
    {"type": "array"},
    items=st.one_of(SCALARS, st.lists(SCALARS, min_size=1, max_size=2)),
    additionalItems=st.one_of(st.booleans(), SCALARS),
    **ARRAY_KEYWORDS,
)


def schemas(arrays: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        SCALARS,
        OBJECTS,
        arrays,
        st.builds(lambda a, b: {"anyOf": [a, b]}, SCALARS, SCALARS),
        st.builds(lambda a, b: {"oneOf": [a, b]}, SCALARS, SCALARS),
        st.builds(lambda a, b: {**a, "not": b}, SCALARS, SCALARS),
    )


DRAFT7 = "http://json-schema.org/draft-07/schema#"
SCHEMAS = st.one_of(
    schemas(ARRAYS_2020),
    schemas(ARRAYS_7).map(lambda s: {"$schema": DRAFT7, **s}),
)
EDITS: dict[str, st.SearchStrategy[Any]] = {
    "type": st.sampled_from(
        [
            "integer",
            "number",
            "string",
            "boolean",
            "null",
            "object",
            "array",
            ["string", "null"],
            ["integer", "string"],
        ]
    ),
    "minimum": BOUND,
    "maximum": BOUND,
    "exclusiveMinimum": BOUND,
    "exclusiveMaximum": BOUND,
    "multipleOf": st.sampled_from([1, 2, 3, 0.5]),
    "minLength": st.integers(0, 3),
    "maxLength": st.integers(0, 3),
    "pattern": PATTERNS,
    "format": st.sampled_from(["date", "email"]),
    "enum": st.lists(VALUES, min_size=1, max_size=3, unique_by=repr),
    "const": VALUES,
    "required": st.lists(st.sampled_from(NAMES), unique=True, max_size=2),
    "additionalProperties": st.one_of(st.booleans(), SCALARS),
    "properties": st.dictionaries(st.sampled_from(NAMES), SCALARS, max_size=2),
    "items": SCALARS,
    "minItems": st.integers(0, 2),
    "maxItems": st.integers(0, 3),
    "uniqueItems": st.booleans(),
    "maxProperties": st.integers(0, 2),
    "anyOf": st.builds(lambda a: [a, {"type": "null"}], SCALARS),
    "not": SCALARS,
}


def subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(schema, dict):
        return
    yield schema
    for key in (
        "additionalProperties",
        "not",
        "items",
        "additionalItems",
        "contains",
        "prefixItems",
    ):
        value = schema.get(key)
        for sub in value if isinstance(value, list) else [value]:
            yield from subschemas(sub)
    for key in ("properties", "patternProperties"):
        for sub in schema.get(key, {}).values():
            yield from subschemas(sub)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            yield from subschemas(sub)
    for key in ("if", "then", "else"):
        yield from subschemas(schema.get(key))
    for sub in schema.get("$defs", {}).values():
        yield from subschemas(sub)


def draw_value(data: st.DataObject, generated: Any, label: str) -> Any:
    """A value from hypothesis-jsonschema; skip the example when it cannot make one."""
    try:
        return data.draw(from_schema(generated), label=f"{label} value")
    except (InvalidArgument, AssertionError):  # hypothesis-jsonschema gives up on some schemas
        reject()


def mutate(
    data: st.DataObject, schema: Any, edits: dict[str, st.SearchStrategy[Any]], most: int = 2
) -> Any:
    """``schema`` with 1 to ``most`` random keyword edits (set or delete) anywhere in it."""
    out = copy.deepcopy(schema)
    for _ in range(data.draw(st.integers(1, most), label="edits")):
        node = data.draw(st.sampled_from(list(subschemas(out))), label="where")
        if node and data.draw(st.booleans(), label="delete"):
            del node[data.draw(st.sampled_from(sorted(node)), label="key")]
        else:
            key = data.draw(st.sampled_from(sorted(edits)), label="key")
            node[key] = copy.deepcopy(data.draw(edits[key], label=key))
    return out


INNER = _opt(
    {"type": "object"},
    properties=st.dictionaries(st.sampled_from(NAMES), SCALARS, max_size=2),
    required=st.lists(st.sampled_from(NAMES), unique=True, max_size=2),
    additionalProperties=st.one_of(st.booleans(), SCALARS),
)
REF = st.just({"$ref": "#/$defs/D"})
MEMBERS = st.one_of(
    SCALARS,
    INNER,
    REF,
    st.builds(lambda a: {"type": "array", "items": a}, st.one_of(SCALARS, REF)),
)
STRUCTURED = st.builds(
    lambda o, d: {**o, "$defs": {"D": d}},
    _opt(
        {"type": "object"},
        properties=st.dictionaries(st.sampled_from(NAMES), MEMBERS, max_size=3),
        required=st.lists(st.sampled_from(NAMES), unique=True, max_size=2),
        additionalProperties=st.one_of(st.booleans(), SCALARS),
        patternProperties=st.dictionaries(st.sampled_from(["^x", "^a", "b"]), SCALARS, max_size=2),
        dependentRequired=st.fixed_dictionaries({"a": st.just(["b"])}),
        unevaluatedProperties=st.one_of(st.booleans(), SCALARS),
        allOf=st.lists(INNER, min_size=1, max_size=2),
        anyOf=st.lists(INNER, min_size=1, max_size=2),
        oneOf=st.lists(INNER, min_size=1, max_size=2),
        propertyNames=st.sampled_from([{"maxLength": 1}, {"pattern": "^[ab]"}]),
        **{"if": INNER, "then": INNER, "else": INNER},
    ),
    st.one_of(SCALARS, INNER),
)
STRUCTURED_EDITS = {
    **EDITS,
    "$ref": st.just("#/$defs/D"),
    "allOf": st.lists(INNER, min_size=1, max_size=2),
    "unevaluatedProperties": st.one_of(st.booleans(), SCALARS),
    "patternProperties": st.dictionaries(st.sampled_from(["^x", "^a"]), SCALARS, max_size=2),
    "dependentRequired": st.fixed_dictionaries({"a": st.just(["b"])}),
}
SETTINGS: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
    "database": None,
}


def without_unevaluated(schema: Any) -> Any:
    """For generation only (hypothesis-jsonschema does not know it); values are still
    checked against the real schema."""
    if isinstance(schema, dict):
        return {
            k: without_unevaluated(v) for k, v in schema.items() if k != "unevaluatedProperties"
        }
    if isinstance(schema, list):
        return [without_unevaluated(v) for v in schema]
    return schema


def check_pair(data: st.DataObject, old: Any, new: Any) -> None:
    result = compare(old, new)
    assert_counterexamples(result, old, new)
    checked = False
    for direction, source, target in (("backward", old, new), ("forward", new, old)):
        if not result.is_compatible(direction):
            continue
        generated = generation_schema(without_unevaluated(source), hints=names_in(old, new))
        assume(generated is not None)
        for _ in range(3):
            value = draw_value(data, generated, direction)
            for formats in (False, True):
                if check(source, formats)(value):
                    checked = True
                    assert check(target, formats)(value), (direction, value, formats)
    assume(checked)


@settings(max_examples=120, **SETTINGS)
@given(old=SCHEMAS, data=st.data())
def test_compatible_verdicts_on_mutations_are_sound(old: Any, data: st.DataObject) -> None:
    check_pair(data, old, mutate(data, old, EDITS))


@settings(max_examples=60, **SETTINGS)
@given(old=STRUCTURED, data=st.data())
def test_compatible_verdicts_on_structured_mutations_are_sound(
    old: Any, data: st.DataObject
) -> None:
    check_pair(data, old, mutate(data, old, STRUCTURED_EDITS, most=3))

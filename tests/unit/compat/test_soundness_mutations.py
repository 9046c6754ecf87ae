"""Soundness on random pairs: small schemas and a random edit of them.

Whatever the edit, a direction judged compatible must accept every value the
accepting side generates (checked with jsonschema, formats ignored and asserted).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis.errors import InvalidArgument
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from drift.compat import compare

from .generation import generation_schema
from .test_soundness import check

NAMES = ("a", "b", "c")
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["", "a", "ab"]))
BOUND = st.integers(-3, 3)
PATTERNS = st.sampled_from(["^a", "^[ab]*$", "b", "^[0-9]+$"])


def _opt(base: dict[str, Any], **optional: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({k: st.just(v) for k, v in base.items()}, optional=optional)


SCALARS = st.one_of(
    _opt({"type": "integer"}, minimum=BOUND, maximum=BOUND, exclusiveMinimum=BOUND,
         multipleOf=st.sampled_from([1, 2, 3])),
    _opt({"type": "number"}, minimum=BOUND, exclusiveMaximum=BOUND,
         multipleOf=st.sampled_from([0.5, 2])),
    _opt({"type": "string"}, minLength=st.integers(0, 2), maxLength=st.integers(0, 4),
         pattern=PATTERNS, format=st.sampled_from(["date", "email"])),
    st.sampled_from([{"type": "boolean"}, {"type": "null"}, {"type": ["string", "null"]},
                     {"anyOf": [{"type": "integer"}, {"type": "null"}]}]),
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
    "minItems": st.integers(0, 2), "maxItems": st.integers(0, 3), "uniqueItems": st.booleans(),
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
        SCALARS, OBJECTS, arrays,
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
    "type": st.sampled_from(["integer", "number", "string", "boolean", "null", "object", "array",
                             ["string", "null"], ["integer", "string"]]),
    "minimum": BOUND, "maximum": BOUND, "exclusiveMinimum": BOUND, "exclusiveMaximum": BOUND,
    "multipleOf": st.sampled_from([1, 2, 3, 0.5]),
    "minLength": st.integers(0, 3), "maxLength": st.integers(0, 3), "pattern": PATTERNS,
    "format": st.sampled_from(["date", "email"]),
    "enum": st.lists(VALUES, min_size=1, max_size=3, unique_by=repr), "const": VALUES,
    "required": st.lists(st.sampled_from(NAMES), unique=True, max_size=2),
    "additionalProperties": st.one_of(st.booleans(), SCALARS),
    "properties": st.dictionaries(st.sampled_from(NAMES), SCALARS, max_size=2),
    "items": SCALARS, "minItems": st.integers(0, 2), "maxItems": st.integers(0, 3),
    "uniqueItems": st.booleans(), "maxProperties": st.integers(0, 2),
    "anyOf": st.builds(lambda a: [a, {"type": "null"}], SCALARS), "not": SCALARS,
}


def subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(schema, dict):
        return
    yield schema
    for key in ("additionalProperties", "not", "items", "additionalItems", "contains",
                "prefixItems"):
        value = schema.get(key)
        for sub in value if isinstance(value, list) else [value]:
            yield from subschemas(sub)
    for key in ("properties", "patternProperties"):
        for sub in schema.get(key, {}).values():
            yield from subschemas(sub)
    for key in ("anyOf", "oneOf"):
        for sub in schema.get(key, []):
            yield from subschemas(sub)


def draw_value(data: st.DataObject, generated: Any, label: str) -> Any:
    """A value from hypothesis-jsonschema; skip the example when it cannot make one."""
    try:
        return data.draw(from_schema(generated), label=f"{label} value")
    except InvalidArgument:  # hypothesis-jsonschema gives up on some odd combinations
        reject()


def mutate(data: st.DataObject, schema: Any) -> Any:
    out = copy.deepcopy(schema)
    for _ in range(data.draw(st.integers(1, 2), label="edits")):
        node = data.draw(st.sampled_from(list(subschemas(out))), label="where")
        if node and data.draw(st.booleans(), label="delete"):
            del node[data.draw(st.sampled_from(sorted(node)), label="key")]
        else:
            key = data.draw(st.sampled_from(sorted(EDITS)), label="key")
            node[key] = copy.deepcopy(data.draw(EDITS[key], label=key))
    return out


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
    database=None,
)
@given(old=SCHEMAS, data=st.data())
def test_compatible_verdicts_on_mutations_are_sound(old: Any, data: st.DataObject) -> None:
    new = mutate(data, old)
    result = compare(old, new)
    checked = False
    for direction, source, target in (("backward", old, new), ("forward", new, old)):
        if not result.is_compatible(direction):
            continue
        generated = generation_schema(source)
        assume(generated is not None)
        for _ in range(3):
            value = draw_value(data, generated, direction)
            for formats in (False, True):
                if check(source, formats)(value):
                    checked = True
                    assert check(target, formats)(value), (direction, value, formats)
    assume(checked)

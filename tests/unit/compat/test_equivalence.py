"""Equivalent schemas are ``compatible``: the classes drift used to call breaking, and
property tests that rewrite a schema without changing the values it accepts.

Each rewrite is also checked against jsonschema on a few instances (the rewrite itself
must be right), so a test cannot pass by accident of a wrong rewrite.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drift.compat import compare

from .proof import accepts

D7 = "http://json-schema.org/draft-07/schema#"
D2020 = "https://json-schema.org/draft/2020-12/schema"
N = {"type": "number"}
S = {"type": "string"}

CLASSES = [
    (
        "draft7-false-tuple-position",
        {"$schema": D7, "type": "array", "items": [N, False], "additionalItems": False},
        {"$schema": D7, "type": "array", "items": [N], "additionalItems": False},
    ),
    (
        "2020-false-prefix-position",
        {"type": "array", "prefixItems": [N, False], "items": False},
        {"type": "array", "prefixItems": [N], "items": False},
    ),
    (
        "2020-false-prefix-position-open-rest",
        {"type": "array", "prefixItems": [N, False], "items": S},
        {"type": "array", "prefixItems": [N], "maxItems": 1},
    ),
    (
        "prefixItems-grown-under-unevaluatedItems",
        {"type": "array", "prefixItems": [N], "unevaluatedItems": S},
        {"type": "array", "prefixItems": [N, S], "unevaluatedItems": S},
    ),
    (
        "prefixItems-shrunk-under-unevaluatedItems-false",
        {"type": "array", "prefixItems": [N, S], "unevaluatedItems": False},
        {"type": "array", "prefixItems": [N, S, False], "unevaluatedItems": False},
    ),
    (
        "required-vs-minProperties-single-allowed-property",
        {
            "type": "object",
            "properties": {"p1": S},
            "additionalProperties": False,
            "required": ["p1"],
        },
        {
            "type": "object",
            "properties": {"p1": S},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ),
    (
        "required-vs-minProperties-all-allowed-properties",
        {
            "type": "object",
            "properties": {"a": S, "b": N},
            "additionalProperties": False,
            "required": ["a", "b"],
        },
        {
            "type": "object",
            "properties": {"a": S, "b": N},
            "additionalProperties": False,
            "minProperties": 2,
        },
    ),
    (
        "minProperties-implied-by-required",
        {"type": "object", "required": ["a", "b"]},
        {"type": "object", "required": ["a", "b"], "minProperties": 2},
    ),
    (
        "maxProperties-implied-by-closed-object",
        {"type": "object", "properties": {"a": S}, "additionalProperties": False},
        {
            "type": "object",
            "properties": {"a": S},
            "additionalProperties": False,
            "maxProperties": 1,
        },
    ),
    (
        "draft7-dependencies-array-vs-schema",
        {"$schema": D7, "type": "object", "dependencies": {"a": ["b"]}},
        {"$schema": D7, "type": "object", "dependencies": {"a": {"required": ["b"]}}},
    ),
    (
        "dependentRequired-vs-dependentSchemas",
        {"type": "object", "dependentRequired": {"a": ["b", "c"]}},
        {"type": "object", "dependentSchemas": {"a": {"required": ["b", "c"]}}},
    ),
]


@pytest.mark.parametrize(("old", "new"), [c[1:] for c in CLASSES], ids=[c[0] for c in CLASSES])
def test_equivalence_classes_are_compatible(old: Any, new: Any) -> None:
    for a, b in ((old, new), (new, old)):
        result = compare(a, b)
        assert result.verdict("full") in ("compatible", "annotations-only"), result.changes


# -- property tests: equivalence-preserving rewrites ----------------------------------------

LEAVES = st.sampled_from(
    [
        N,
        S,
        {"type": "integer", "minimum": 0},
        {"type": "string", "maxLength": 3},
        {"enum": [1, "a", None]},
        {"type": ["number", "null"]},
        {"type": "boolean"},
    ]
)
NAMES = st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROBES: list[Any] = [
    None, 0, 1.5, "a", "abcd", [], [0], [0, "a"], [0, "a", "b"], ["a", 0], [None, None, None],
    {}, {"a": "x"}, {"a": "x", "b": 1}, {"b": 1}, {"a": 1, "b": "x", "c": None}, {"d": True},
]  # fmt: skip


def assert_equivalent(old: Any, new: Any) -> None:
    for probe in PROBES:  # the rewrite itself must preserve the accepted values
        assert accepts(old, probe) == accepts(new, probe), (old, new, probe)
    for a, b in ((old, new), (new, old)):
        result = compare(a, b)
        assert result.verdict("full") in ("compatible", "annotations-only"), (a, b, result)


@SETTINGS
@given(head=st.lists(LEAVES, max_size=3), falses=st.integers(1, 2), rest=LEAVES)
def test_false_positions_close_a_tuple(head: list[Any], falses: int, rest: Any) -> None:
    closed = {"type": "array", "prefixItems": head, "items": False}
    padded = {"type": "array", "prefixItems": [*head, *[False] * falses], "items": rest}
    assert_equivalent(closed, padded)
    d7 = {"$schema": D7, "type": "array", "items": head or [True], "additionalItems": False}
    d7_padded = {**d7, "items": [*(head or [True]), False]}
    assert_equivalent(d7, d7_padded)


@SETTINGS
@given(head=st.lists(LEAVES, max_size=3), extra=st.integers(1, 2), rest=LEAVES | st.just(False))
def test_prefix_positions_already_constrained_by_unevaluated_items(
    head: list[Any], extra: int, rest: Any
) -> None:
    short = {"type": "array", "prefixItems": head, "unevaluatedItems": rest}
    long = {"type": "array", "prefixItems": [*head, *[rest] * extra], "unevaluatedItems": rest}
    assert_equivalent(short, long)


@SETTINGS
@given(names=NAMES, leaf=LEAVES)
def test_required_and_cardinality_of_a_closed_object(names: list[str], leaf: Any) -> None:
    base = {"type": "object", "properties": dict.fromkeys(names, leaf),
            "additionalProperties": False}  # fmt: skip
    required = {**base, "required": names}
    counted = {**base, "minProperties": len(names)}
    both = {**base, "required": names, "minProperties": len(names), "maxProperties": len(names)}
    assert_equivalent(required, counted)
    assert_equivalent(required, both)
    assert_equivalent(base, {**base, "maxProperties": len(names)})


@SETTINGS
@given(trigger=st.sampled_from(["a", "b"]), names=NAMES, draft7=st.booleans())
def test_dependencies_rewritten(trigger: str, names: list[str], draft7: bool) -> None:
    if draft7:
        old = {"$schema": D7, "type": "object", "dependencies": {trigger: names}}
        new = {"$schema": D7, "type": "object", "dependencies": {trigger: {"required": names}}}
    else:
        old = {"type": "object", "dependentRequired": {trigger: names}}
        new = {"type": "object", "dependentSchemas": {trigger: {"required": names}}}
    assert_equivalent(old, new)

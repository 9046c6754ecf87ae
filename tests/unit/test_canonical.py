"""Properties of the canonical and structural hashes."""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from drift.canonical import (
    DEFAULT_ANNOTATION_KEYS,
    canonical_bytes,
    canonical_hash,
    structural_hash,
)

SAFE = 2**53
fast = settings(deadline=None, max_examples=100)

# --- JSON values ------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-SAFE, SAFE)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=25,
)


def shuffled(value: Any, rnd: random.Random) -> Any:
    """The same JSON value with every object's key order shuffled, recursively."""
    if isinstance(value, dict):
        items = list(value.items())
        rnd.shuffle(items)
        return {k: shuffled(v, rnd) for k, v in items}
    if isinstance(value, list):
        return [shuffled(v, rnd) for v in value]
    return value


def floats_for_ints(value: Any) -> Any:
    """Integers spelled as integral floats (``3`` -> ``3.0``), recursively."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {k: floats_for_ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [floats_for_ints(v) for v in value]
    return value


@fast
@given(json_values, st.randoms(use_true_random=False))
def test_canonical_hash_ignores_key_order(value: Any, rnd: random.Random) -> None:
    assert canonical_hash(shuffled(value, rnd)) == canonical_hash(value)


@fast
@given(
    json_values,
    st.sampled_from([None, 0, 1, 2, 4, "\t", " \n "]),
    st.sampled_from([(",", ":"), (", ", ": "), (" ,  ", " :\t")]),
    st.booleans(),
)
def test_canonical_hash_ignores_whitespace(
    value: Any, indent: int | str | None, separators: tuple[str, str], sort_keys: bool
) -> None:
    text = json.dumps(value, indent=indent, separators=separators, sort_keys=sort_keys)
    assert canonical_hash(json.loads(text)) == canonical_hash(value)


@fast
@given(json_values)
def test_canonical_hash_ignores_integral_float_spelling(value: Any) -> None:
    assert canonical_hash(floats_for_ints(value)) == canonical_hash(value)


@fast
@given(st.integers(-(10**12), 10**12))
def test_canonical_hash_ignores_number_spelling_in_text(n: int) -> None:
    spellings = [f"{n}", f"{n}.0", f"{n}e0", f"{n}E+0", f"{n * 10}e-1", f"{n}.000"]
    hashes = {canonical_hash(json.loads(f'{{"minimum": {s}}}')) for s in spellings}
    assert hashes == {canonical_hash({"minimum": n})}


def test_canonical_hash_example_spellings() -> None:
    a = json.loads('{"maximum": 1e2, "b": [1.0, 2]}')
    b = json.loads('{ "b" : [ 1, 2.0 ],\n  "maximum" : 100 }')
    assert canonical_hash(a) == canonical_hash(b)
    assert hashlib.sha256(b"1e2").hexdigest() != hashlib.sha256(b"100").hexdigest()


@fast
@given(json_values, st.text(min_size=1, max_size=6), json_values)
def test_canonical_hash_sees_content_changes(value: Any, key: str, extra: Any) -> None:
    doc = {"root": value}
    changed = {"root": value, key: extra} if key != "root" else {"root": [value]}
    assert canonical_hash(changed) != canonical_hash(doc)


# --- JSON Schemas with annotations ------------------------------------------------------

ANNOTATIONS = st.fixed_dictionaries(
    {},
    optional={
        "title": st.text(max_size=10),
        "description": st.text(max_size=20),
        "examples": st.lists(scalars, max_size=2),
        "$comment": st.text(max_size=10),
        "$core_version": st.sampled_from(["1.2.8", "1.4.61", "2.0.0"]),
        "$track": st.sampled_from(["v1", "v2"]),
    },
)
# Property names deliberately include annotation keyword spellings: under
# ``properties`` they are structure, not annotations.
PROP_NAMES = st.sampled_from(["id", "price", "description", "title", "examples", "$comment", "x"])

Pair = tuple[dict[str, Any], dict[str, Any]]


@st.composite
def annotate(draw: st.DrawFn, bare: dict[str, Any]) -> Pair:
    """(bare, bare + random annotations)."""
    return bare, {**bare, **draw(ANNOTATIONS)}


leaves = st.sampled_from(
    [{"type": "string"}, {"type": "integer", "minimum": 0}, {"type": "null"}, {"enum": [1, "a"]}]
).flatmap(annotate)


def _compose(children: st.SearchStrategy[Pair]) -> st.SearchStrategy[Pair]:
    def obj(props: dict[str, Pair], extra: Pair | None) -> Pair:
        bare: dict[str, Any] = {"type": "object", "properties": {k: p[0] for k, p in props.items()}}
        ann: dict[str, Any] = {"type": "object", "properties": {k: p[1] for k, p in props.items()}}
        if extra is not None:
            bare["additionalProperties"], ann["additionalProperties"] = extra
        return bare, ann

    def each(key: str, items: list[Pair]) -> Pair:
        return {key: [p[0] for p in items]}, {key: [p[1] for p in items]}

    def one(key: str, child: Pair) -> Pair:
        return {key: child[0]}, {key: child[1]}

    def defs(named: dict[str, Pair], ref: str) -> Pair:
        return (
            {"$ref": f"#/$defs/{ref}", "$defs": {k: p[0] for k, p in named.items()}},
            {"$ref": f"#/$defs/{ref}", "$defs": {k: p[1] for k, p in named.items()}},
        )

    raw = st.one_of(
        st.builds(obj, st.dictionaries(PROP_NAMES, children, max_size=3), st.none() | children),
        st.builds(
            each,
            st.sampled_from(["anyOf", "allOf", "oneOf", "prefixItems"]),
            st.lists(children, min_size=1, max_size=3),
        ),
        st.builds(
            one, st.sampled_from(["items", "not", "if", "then", "else", "contains"]), children
        ),
        st.builds(defs, st.dictionaries(PROP_NAMES, children, min_size=1, max_size=2), PROP_NAMES),
    )
    return st.tuples(raw, ANNOTATIONS).map(lambda t: (t[0][0], {**t[0][1], **t[1]}))


schema_pairs = st.recursive(leaves, _compose, max_leaves=12)


@fast
@given(schema_pairs)
def test_structural_hash_ignores_annotations_at_any_depth(pair: Pair) -> None:
    bare, annotated = pair
    assert structural_hash(annotated) == structural_hash(bare)


@fast
@given(schema_pairs)
def test_annotations_do_change_the_canonical_hash(pair: Pair) -> None:
    bare, annotated = pair
    assume(bare != annotated)
    assert canonical_hash(annotated) != canonical_hash(bare)


@fast
@given(schema_pairs, st.sampled_from(["description", "title", "examples", "$comment"]))
def test_property_named_like_an_annotation_is_structure(pair: Pair, name: str) -> None:
    _, annotated = pair
    root = {"type": "object", "properties": {"inner": annotated}}
    with_prop = {"type": "object", "properties": {"inner": annotated, name: {"type": "string"}}}
    assert structural_hash(with_prop) != structural_hash(root)
    nested = {"$defs": {"A": root}}
    nested_with = {"$defs": {"A": with_prop}}
    assert structural_hash(nested_with) != structural_hash(nested)
    renamed = {"type": "object", "properties": {"description": {"type": "string"}}}
    retitled = {"type": "object", "properties": {"title": {"type": "string"}}}
    assert structural_hash(renamed) != structural_hash(retitled)


STRUCTURAL_EDITS = st.sampled_from(
    [
        ("type", "boolean"),
        ("minimum", 7),
        ("required", ["zzz"]),
        ("additionalProperties", False),
        ("format", "date-time"),
        ("enum", [42]),
        ("const", "k"),
    ]
)


@fast
@given(schema_pairs, STRUCTURAL_EDITS, st.sampled_from(["root", "properties", "items", "$defs"]))
def test_structural_hash_sees_structural_changes(
    pair: Pair, edit: tuple[str, Any], where: str
) -> None:
    _, annotated = pair
    key, value = edit
    assume(annotated.get(key) != value)
    changed = {**annotated, key: value}

    def place(schema: dict[str, Any]) -> dict[str, Any]:
        if where == "properties":
            return {"type": "object", "properties": {"description": schema}}
        if where == "items":
            return {"type": "array", "items": schema}
        if where == "$defs":
            return {"$defs": {"title": schema}, "$ref": "#/$defs/title"}
        return schema

    assert structural_hash(place(changed)) != structural_hash(place(annotated))


@fast
@given(schema_pairs)
def test_custom_annotation_keys(pair: Pair) -> None:
    bare, _ = pair
    with_x = {**bare, "x-doc": "note", "description": "kept"}
    keys = {"x-doc"}
    assert structural_hash(with_x, keys) == structural_hash({**bare, "description": "kept"}, keys)
    assert structural_hash(with_x, keys) != structural_hash(bare, keys)
    assert structural_hash(with_x) != structural_hash(bare)  # x-doc is structure by default
    assert "x-doc" not in DEFAULT_ANNOTATION_KEYS


# The fast path (orjson, then the C encoder) must be byte-identical to the reference
# JCS library wherever it is taken, and fall back wherever it would not be.
_text = st.text(
    st.characters(codec="utf-8")  # control characters, the BMP's top, non-BMP characters
    | st.sampled_from(["\x00", "\x1f", "\x7f", "\u2028", "\ue000", "\uffff", "\U0001f600"])
)
_floats = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [-0.0, 1e-7, 1e-6, 1e16, 1e20, 1e21, 5e-324, 1.7976931348623157e308, 0.1, 100.0]
)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.sampled_from([2**53 - 1, 2**53, -(2**53), 2**53 + 1, 10**20])
    | _floats
    | _text
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=20,
)


def _reference(document: object) -> bytes | type[Exception]:
    import rfc8785

    from drift.canonical import _normalise_numbers

    try:  # JCS numbers are IEEE doubles: integers beyond 2**53 are spelt as such
        return rfc8785.dumps(_normalise_numbers(document))
    except rfc8785.CanonicalizationError as exc:
        return type(exc)


@settings(max_examples=400, deadline=None)
@given(_json)
@example({"\uff01": 1, "\U0001f600": 2})  # UTF-16 order differs from code-point order
@example({"a": [1.0, 1e16, 1e-7, 0.5]})  # ES6 number spelling differs from Python's
@example({"n": [2**60, -(2**54) - 1]})  # beyond the IEEE-754 safe integers
@example({"type": ["string", "null"], "default": None})  # null tokens and "null" strings
@example({"s": ",1.5 :2e5", "t": [1, 2]})  # strings that look like float tokens
@example({"k": "\x00\x1f\x7f\u2028\b\t"})  # escapes
def test_canonical_bytes_equals_the_reference_jcs(document: object) -> None:
    expected = _reference(document)
    if isinstance(expected, bytes):
        assert canonical_bytes(document) == expected
    else:
        with pytest.raises(ValueError):
            canonical_bytes(document)


@settings(max_examples=200, deadline=None)
@given(_floats | st.integers(-(2**53) + 1, 2**53 - 1).map(float))
def test_es6_number_spelling_equals_the_reference(value: float) -> None:
    import rfc8785

    from drift.canonical import es6_number

    assert es6_number(value).encode() == rfc8785.dumps(value)


@pytest.mark.parametrize(
    "document",
    [
        float("nan"),
        {"x": float("inf")},
        [1, {"y": float("-inf")}, None],
        {"a": None, "b": [float("nan")]},
    ],
)
def test_non_finite_floats_are_refused_like_the_reference(document: object) -> None:
    import rfc8785

    with pytest.raises(rfc8785.FloatDomainError):
        canonical_bytes(document)


# --- the fast path's shortcuts, each held to the reference where it is taken ------------

# Keys from a tiny alphabet so that sibling keys often share a prefix and then differ by
# a character in U+E000..U+FFFF against one outside the BMP (the only place where
# code-point order and JCS's UTF-16 order disagree).
_mixed_keys = st.text(
    st.sampled_from(
        ["a", "é", "\ue000", "\uff01", "\uffff", "\U00010000", "\U0001f600", "\U0010ffff"]
    ),
    max_size=3,
)
_mixed_objects = st.recursive(
    st.integers(0, 3),
    lambda inner: st.dictionaries(_mixed_keys, inner, max_size=5),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_mixed_objects)
@example({"a\uff01": 1, "a\U0001f600": 2})  # a common prefix, then the two kinds
@example({"é\ue000": 1, "é\U00010000": 2})  # a multi-byte common prefix
@example({"a\uff01": 1, "b\U0001f600": 2})  # both kinds, no conflict: code-point order holds
@example({"x": {"k\uffff": 1, "k\U0010ffff": 2}, "\U0001f600": 0})  # nested
def test_key_order_with_characters_outside_the_bmp_equals_the_reference(document: object) -> None:
    assert canonical_bytes(document) == _reference(document)


@settings(max_examples=300, deadline=None)
@given(_mixed_objects)
def test_code_point_order_is_only_trusted_where_it_is_utf16_order(document: object) -> None:
    import orjson

    from drift.canonical import _code_point_order_is_jcs

    def orders_agree(value: object) -> bool:
        if not isinstance(value, dict):
            return True
        by_code_point = sorted(value)
        by_utf16 = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return by_code_point == by_utf16 and all(map(orders_agree, value.values()))

    data = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    if _code_point_order_is_jcs(data):
        assert orders_agree(document)


# Floats orjson spells unlike ES6 (integral, exponents, the ranges where one writes an
# exponent and the other does not), next to strings that look like such tokens.
_respelt_floats = (
    st.sampled_from(
        [
            0.0,
            -0.0,
            1.0,
            -3.0,
            100.0,
            1e15,
            1e16,
            1.5e17,
            1e20,
            1e21,
            1e22,
            1e-5,
            1e-6,
            2.5e-6,
            1e-7,
            123e-20,
            1.7976931348623157e308,
            5e-324,
        ]
    )
    | st.integers(-(2**53), 2**53).map(float)
    | st.floats(allow_nan=False, allow_infinity=False)
)
_token_like_strings = st.sampled_from(
    [",1.0,", ":1e+16]", "[null,", "x:1.0}", "=1250.0,", "1e-7", "\\u0000", '"', ":-0.0,"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        _respelt_floats | _token_like_strings | st.none() | st.integers(-5, 5),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(max_size=3) | _token_like_strings, inner, max_size=4)
        ),
        max_leaves=10,
    )
)
@example({"maximum": 1.0, "minimum": 0.0, "description": "value=1250.0, scale=0.7"})
@example({"d": "x:1.0,", "n": 1.5})  # a token-like string, and a float spelt alike
@example([1e16, -0.0, 1e-6])
@example(100.0)  # a bare number document
def test_float_spelling_equals_the_reference(document: object) -> None:
    assert canonical_bytes(document) == _reference(document)


def _double(bits: int) -> float:
    import struct

    return float(struct.unpack("<d", bits.to_bytes(8, "little"))[0])


@pytest.mark.parametrize(
    "value",
    [
        _double(0x7FF8000000000000),  # NaN
        _double(0xFFF8000000000000),  # -NaN
        _double(0x7FF0000000000001),  # a signalling NaN with a payload
        _double(0x7FFFFFFFFFFFFFFF),  # the largest NaN payload
        float("inf"),
        float("-inf"),
    ],
)
def test_every_non_finite_double_is_refused_beside_a_null(value: float) -> None:
    import rfc8785

    shared = [value, value]  # one object twice (marshal writes the second as a reference)
    for document in (
        {"default": None, "x": value},
        [None, shared],
        {"a": [None], "b": {"c": value}},
    ):
        with pytest.raises(rfc8785.FloatDomainError):
            canonical_bytes(document)

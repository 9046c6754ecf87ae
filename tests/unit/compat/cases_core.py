"""Hand-written (old, new) pairs: types, booleans, enum/const, numbers, strings, formats.

Each case says what a careful reviewer concludes for backward compatibility
(the new schema accepts every value the old one accepted) and forward
compatibility (the old schema accepts every value the new one accepts).
"""

from __future__ import annotations

from .table import ANN, BRK, OK, UNK, Case, case

S, I, N, B, Z = ({"type": t} for t in ("string", "integer", "number", "boolean", "null"))  # noqa: E741


def _str(**kw: object) -> dict[str, object]:
    return {"type": "string", **kw}


def _int(**kw: object) -> dict[str, object]:
    return {"type": "integer", **kw}


def _num(**kw: object) -> dict[str, object]:
    return {"type": "number", **kw}


CASES: list[Case] = [
    # -- type ------------------------------------------------------------------------------
    case("type-unchanged", S, S, ANN, ANN),
    case("type-string-to-integer", S, I, BRK, BRK),
    case("type-integer-to-number", I, N, OK, BRK, note="integers are numbers"),
    case("type-number-to-integer", N, I, BRK, OK),
    case("type-array-widened", S, {"type": ["string", "number"]}, OK, BRK),
    case("type-array-narrowed", {"type": ["string", "null"]}, S, BRK, OK),
    case("type-removed", S, {}, OK, BRK),
    case("type-added", {}, {"type": "object"}, BRK, OK),
    case(
        "type-array-reordered", {"type": ["string", "null"]}, {"type": ["null", "string"]}, OK, OK
    ),
    case(
        "type-integer-inside-number",
        {"type": ["integer", "number"]},
        N,
        OK,
        OK,
        note="integer is already inside number: same values",
    ),
    case("type-draft4-number-to-integer", N, I, BRK, OK, draft="4"),
    case("type-draft7-integer-to-number", I, N, OK, BRK, draft="7"),
    case("type-boolean-as-enum", B, {"enum": [True, False]}, OK, OK),
    case("type-null-as-const", Z, {"const": None}, OK, OK, draft="7"),
    case(
        "type-keyword-for-other-type-ignored",
        I,
        _int(maxLength=3),
        OK,
        OK,
        note="maxLength never applies to integers",
    ),
    case("type-minimum-on-string-ignored", _str(minimum=5), S, OK, OK),
    # -- nullable ---------------------------------------------------------------------------
    case("nullable-typelist-to-anyof", {"type": ["string", "null"]}, {"anyOf": [S, Z]}, OK, OK),
    case("nullable-anyof-added", I, {"anyOf": [I, Z], "default": None}, OK, BRK),
    case("nullable-anyof-removed", {"anyOf": [I, Z], "default": None}, I, BRK, OK),
    case(
        "nullable-typelist-added",
        _str(maxLength=3),
        {"type": ["string", "null"], "maxLength": 3},
        OK,
        BRK,
    ),
    case(
        "nullable-anyof-inner-widened",
        {"anyOf": [I, Z]},
        {"anyOf": [N, Z]},
        OK,
        BRK,
        note="pydantic Optional[int] -> Optional[float]",
    ),
    case(
        "nullable-anyof-inner-narrowed",
        {"anyOf": [_str(), Z]},
        {"anyOf": [_str(maxLength=2), Z]},
        BRK,
        OK,
    ),
    # -- boolean schemas --------------------------------------------------------------------
    case("bool-true-to-false", True, False, BRK, OK),
    case("bool-false-to-true", False, True, OK, BRK),
    case("bool-true-to-empty-object", True, {}, OK, OK),
    case("bool-false-to-not-empty", False, {"not": {}}, OK, OK),
    case("bool-true-to-string", True, S, BRK, OK),
    case("bool-false-to-null", False, Z, OK, BRK),
    case(
        "bool-property-false-to-true",
        {"type": "object", "properties": {"a": False}},
        {"type": "object", "properties": {"a": True}},
        OK,
        BRK,
    ),
    # -- enum / const -----------------------------------------------------------------------
    case("enum-widened", {"enum": ["a", "b"]}, {"enum": ["a", "b", "c"]}, OK, BRK),
    case("enum-narrowed", {"enum": ["a", "b", "c"]}, {"enum": ["a", "b"]}, BRK, OK),
    case("enum-reordered", {"enum": ["a", "b"]}, {"enum": ["b", "a"]}, OK, OK),
    case("enum-replaced", {"enum": ["a", "b"]}, {"enum": ["a", "c"]}, BRK, BRK),
    case("enum-added", S, _str(enum=["a"]), BRK, OK),
    case("enum-removed", _str(enum=["a", "b"]), S, OK, BRK),
    case(
        "enum-dead-value-dropped",
        _str(enum=["a", 1]),
        _str(enum=["a"]),
        OK,
        OK,
        note="1 was never a string",
    ),
    case("enum-inside-new-length", {"enum": ["ab", "cd"]}, _str(maxLength=2), OK, BRK),
    case(
        "enum-value-now-too-long",
        _str(enum=["a", "abc"]),
        _str(enum=["a", "abc"], maxLength=2),
        BRK,
        OK,
    ),
    case("enum-integers-into-integer-type", {"enum": [1, 2]}, I, OK, BRK),
    case("enum-null-added", {"enum": ["a", "b"]}, {"enum": ["a", "b", None]}, OK, BRK),
    case("enum-draft4-narrowed", {"enum": [1, 2]}, {"enum": [1]}, BRK, OK, draft="4"),
    case("enum-object-values", {"enum": [{"a": 1}]}, {"enum": [{"a": 1}, {"a": 2}]}, OK, BRK),
    case("const-changed", {"const": "a"}, {"const": "b"}, BRK, BRK, draft="7"),
    case("const-to-enum", {"const": "a"}, {"enum": ["a", "b"]}, OK, BRK, draft="7"),
    case("enum-to-const-same", {"enum": ["a"]}, {"const": "a"}, OK, OK),
    case("const-true-is-not-1", {"const": True}, {"const": 1}, BRK, BRK),
    case("const-1-equals-1.0", {"const": 1}, {"const": 1.0}, ANN, ANN),
    case("const-added", S, _str(const="x"), BRK, OK, draft="7"),
    case(
        "enum-draft4-const-ignored",
        {"enum": ["a", "b"], "const": "a"},
        {"enum": ["a", "b"]},
        OK,
        OK,
        draft="4",
        note="const is not a draft-4 keyword",
    ),
    # -- numbers ----------------------------------------------------------------------------
    case("minimum-raised", _num(minimum=0), _num(minimum=1), BRK, OK),
    case("minimum-lowered", _num(minimum=1), _num(minimum=0), OK, BRK),
    case("minimum-added", N, _num(minimum=0), BRK, OK),
    case("maximum-lowered", _num(maximum=10), _num(maximum=5), BRK, OK),
    case("maximum-removed", _num(maximum=10), N, OK, BRK),
    case(
        "draft4-exclusive-minimum-added",
        _num(minimum=0),
        _num(minimum=0, exclusiveMinimum=True),
        BRK,
        OK,
        draft="4",
    ),
    case(
        "draft4-exclusive-maximum-removed",
        _num(maximum=5, exclusiveMaximum=True),
        _num(maximum=5),
        OK,
        BRK,
        draft="4",
    ),
    case("exclusive-maximum-number-spelling", _num(maximum=10), _num(exclusiveMaximum=10), BRK, OK),
    case(
        "exclusive-minimum-relaxed", _num(exclusiveMinimum=0), _num(minimum=0), OK, BRK, draft="7"
    ),
    case(
        "exclusive-both-spellings-tightest",
        _num(minimum=0, exclusiveMinimum=5),
        _num(exclusiveMinimum=5),
        OK,
        OK,
        note="draft 6+: both apply; 5 is the tighter",
    ),
    case("integer-minimum-1-vs-exclusive-0", _int(minimum=1), _int(exclusiveMinimum=0), OK, OK),
    case("integer-minimum-half-vs-1", _int(minimum=0.5), _int(minimum=1), OK, OK),
    case("number-minimum-half-vs-1", _num(minimum=0.5), _num(minimum=1), BRK, OK),
    case("integer-to-number-with-bounds", _int(minimum=0), _num(minimum=0), OK, BRK),
    case("multipleOf-added", I, _int(multipleOf=2), BRK, OK),
    case("multipleOf-removed", _int(multipleOf=2), I, OK, BRK),
    case("multipleOf-4-to-2", _int(multipleOf=4), _int(multipleOf=2), OK, BRK),
    case("multipleOf-2-to-4", _int(multipleOf=2), _int(multipleOf=4), BRK, OK),
    case("multipleOf-2-to-3", _int(multipleOf=2), _int(multipleOf=3), BRK, BRK),
    case("multipleOf-1-on-integer", I, _int(multipleOf=1), OK, OK),
    case("multipleOf-half-to-quarter", _num(multipleOf=0.5), _num(multipleOf=0.25), OK, BRK),
    case(
        "multipleOf-with-unreachable-minimum-gap",
        _int(multipleOf=10, minimum=1),
        _int(multipleOf=10, minimum=5),
        OK,
        OK,
        note="both start at 10",
    ),
    case(
        "multipleOf-finite-range",
        _int(minimum=0, maximum=10, multipleOf=6),
        _int(minimum=0, maximum=10, multipleOf=3),
        OK,
        BRK,
        note="{0, 6} vs {0, 3, 6, 9}",
    ),
    case("number-draft4-minimum-raised", _num(minimum=0), _num(minimum=2), BRK, OK, draft="4"),
    case(
        "draft4-exclusive-equals-draft2020",
        {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "type": "number",
            "minimum": 0,
            "exclusiveMinimum": True,
        },
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "number",
            "exclusiveMinimum": 0,
        },
        OK,
        OK,
    ),
    # -- strings ----------------------------------------------------------------------------
    case("minLength-raised", _str(minLength=1), _str(minLength=3), BRK, OK),
    case("minLength-lowered", _str(minLength=3), _str(minLength=1), OK, BRK),
    case("maxLength-lowered", _str(maxLength=10), _str(maxLength=5), BRK, OK),
    case("maxLength-removed", _str(maxLength=10), S, OK, BRK, draft="4"),
    case("length-with-enum", _str(enum=["ab", "abc"]), _str(minLength=2), OK, BRK),
    case("pattern-added", S, _str(pattern="^[a-z]+$"), BRK, OK),
    case("pattern-removed", _str(pattern="^[a-z]+$"), S, OK, BRK, draft="7"),
    case(
        "pattern-changed-disjoint",
        _str(pattern="^[a-z]+$"),
        _str(pattern="^[0-9]+$"),
        BRK,
        BRK,
        note="'a' and '0' are witnesses",
    ),
    case(
        "pattern-changed-superset-unprovable",
        _str(pattern="^[a-z]+$"),
        _str(pattern="^[a-z0-9]+$"),
        UNK,
        BRK,
        note="regex containment is not decided: cannot prove, never guessed",
    ),
    case("pattern-prefix-longer", _str(pattern="^ab"), _str(pattern="^abc"), BRK, UNK),
    case("pattern-universal-added", S, _str(pattern=".*"), OK, OK),
    case(
        "pattern-same-description-changed",
        _str(pattern="^x"),
        _str(pattern="^x", description="x-prefixed"),
        ANN,
        ANN,
    ),
    case("format-added", S, _str(format="date-time"), BRK, OK),
    case("format-removed", _str(format="email"), S, OK, BRK, draft="7"),
    case("format-uri-to-uri-reference", _str(format="uri"), _str(format="uri-reference"), OK, BRK),
    case("format-date-to-date-time", _str(format="date"), _str(format="date-time"), BRK, BRK),
    case("format-unknown-added", S, _str(format="money"), UNK, OK),
]

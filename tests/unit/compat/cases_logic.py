"""Hand-written (old, new) pairs: anyOf/oneOf/allOf/not/if, $ref (recursive too),
annotations and metadata, pydantic idioms."""

from __future__ import annotations

from typing import Any

from .table import ANN, BRK, OK, UNK, Case, case

S, I, N, B, Z = ({"type": t} for t in ("string", "integer", "number", "boolean", "null"))  # noqa: E741


def obj(props: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    if props is not None:
        out["properties"] = props
    out.update(kw)
    return out


def variant(kind: str, **props: Any) -> dict[str, Any]:
    return obj({"kind": {"const": kind}, **props}, required=["kind"])


def tree(value: dict[str, Any], note: str = "") -> dict[str, Any]:
    node = obj({"value": value, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}})
    if note:
        node["description"] = note
    return {"$defs": {"node": node}, "$ref": "#/$defs/node"}


def linked(next_schema: dict[str, Any]) -> dict[str, Any]:
    return {"$defs": {"cell": obj({"v": I, "next": next_schema})}, "$ref": "#/$defs/cell"}


COLOR = {"title": "Color", "enum": ["red", "green"], "type": "string"}

CASES: list[Case] = [
    # -- anyOf --------------------------------------------------------------------------------
    case("anyOf-branch-added", {"anyOf": [S, I]}, {"anyOf": [S, I, Z]}, OK, BRK),
    case("anyOf-branch-removed", {"anyOf": [S, I, Z]}, {"anyOf": [S, I]}, BRK, OK),
    case("anyOf-reordered", {"anyOf": [S, I]}, {"anyOf": [I, S]}, OK, OK),
    case("anyOf-to-type-list", {"anyOf": [S, I]}, {"type": ["string", "integer"]}, OK, OK),
    case(
        "anyOf-branch-narrowed",
        {"anyOf": [{"type": "string", "maxLength": 5}, Z]},
        {"anyOf": [{"type": "string", "maxLength": 3}, Z]},
        BRK,
        OK,
    ),
    case("anyOf-branch-draft4-widened", {"anyOf": [I, Z]}, {"anyOf": [N, Z]}, OK, BRK, draft="4"),
    case(
        "anyOf-with-sibling-type",
        {"type": "object", "anyOf": [obj({"a": S}, required=["a"]), obj({"b": S}, required=["b"])]},
        {"type": "object", "anyOf": [obj({"a": S}, required=["a"])]},
        BRK,
        OK,
    ),
    case(
        "anyOf-object-variants-covered",
        {"anyOf": [variant("a", x=I), variant("b", y=S)]},
        {"anyOf": [variant("a", x=N), variant("b", y=S)]},
        OK,
        BRK,
    ),
    case(
        "anyOf-variant-field-removed-open",
        {"anyOf": [variant("a", x=I), variant("b")]},
        {"anyOf": [variant("a"), variant("b")]},
        OK,
        BRK,
    ),
    case(
        "anyOf-overlapping-branch-covers",
        {"anyOf": [S]},
        {"anyOf": [{"type": "string", "maxLength": 3}, S]},
        OK,
        OK,
    ),
    # -- oneOf --------------------------------------------------------------------------------
    case("oneOf-disjoint-branch-added", {"oneOf": [S, I]}, {"oneOf": [S, I, B]}, OK, BRK),
    case(
        "oneOf-disjoint-branch-removed", {"oneOf": [S, I, B]}, {"oneOf": [S, I]}, BRK, OK, draft="7"
    ),
    case(
        "oneOf-overlapping-branch-added",
        {"oneOf": [S, I]},
        {"oneOf": [S, I, N]},
        BRK,
        BRK,
        note="0 now matches two branches: rejected; 1.5 is new",
    ),
    case(
        "oneOf-discriminated-variant-added",
        {"oneOf": [variant("a", x=I), variant("b", y=S)]},
        {"oneOf": [variant("a", x=I), variant("b", y=S), variant("c")]},
        OK,
        BRK,
    ),
    case(
        "oneOf-discriminated-variant-narrowed",
        {"oneOf": [variant("a", x=N), variant("b")]},
        {"oneOf": [variant("a", x=I), variant("b")]},
        BRK,
        OK,
    ),
    case("oneOf-to-anyOf-disjoint", {"oneOf": [S, I]}, {"anyOf": [S, I]}, OK, OK),
    case("anyOf-to-oneOf-overlapping", {"anyOf": [I, N]}, {"oneOf": [I, N]}, BRK, OK),
    case(
        "oneOf-overlap-unprovable",
        {"oneOf": [{"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b"}]},
        {"oneOf": [{"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b+"}]},
        UNK,
        UNK,
        note="conservative: the branches never overlap, but that needs regex reasoning",
    ),
    # -- allOf --------------------------------------------------------------------------------
    case(
        "allOf-split-equivalent",
        {"type": "string", "maxLength": 5},
        {"allOf": [S, {"maxLength": 5}]},
        OK,
        OK,
    ),
    case("allOf-member-added", {"allOf": [S]}, {"allOf": [S, {"minLength": 1}]}, BRK, OK),
    case(
        "allOf-member-removed", {"allOf": [S, {"minLength": 1}]}, {"allOf": [S]}, OK, BRK, draft="4"
    ),
    case(
        "allOf-ref-wrapper",
        {"$defs": {"A": S}, "properties": {"x": {"$ref": "#/$defs/A"}}},
        {
            "$defs": {"A": S},
            "properties": {"x": {"allOf": [{"$ref": "#/$defs/A"}], "description": "an A"}},
        },
        OK,
        OK,
    ),
    case(
        "allOf-bounds-combined",
        {"allOf": [{"minimum": 0}, {"maximum": 10}]},
        {"allOf": [{"minimum": 0}, {"maximum": 5}]},
        BRK,
        OK,
    ),
    # -- not ----------------------------------------------------------------------------------
    case("not-added-excludes-value", S, {"type": "string", "not": {"enum": ["x"]}}, BRK, OK),
    case("not-removed", {"not": Z}, {}, OK, BRK),
    case(
        "not-narrowed",
        {"type": "string", "not": {"enum": ["a", "b"]}},
        {"type": "string", "not": {"enum": ["a"]}},
        OK,
        BRK,
    ),
    case("not-disjoint-added", S, {"type": "string", "not": I}, OK, OK),
    case("not-pattern-added", S, {"type": "string", "not": {"pattern": "^x"}}, BRK, OK, draft="7"),
    case(
        "not-pattern-unprovable",
        {"type": "string", "pattern": "^a"},
        {"type": "string", "pattern": "^a", "not": {"pattern": "^b"}},
        UNK,
        OK,
        note="conservative: truly compatible (no string starts with both a and b)",
    ),
    case(
        "not-same-annotation-changed",
        {"not": {"type": "null", "title": "no null"}},
        {"not": {"type": "null", "title": "not null"}},
        ANN,
        ANN,
    ),
    # -- if/then/else -----------------------------------------------------------------------
    case(
        "if-then-added",
        obj(),
        obj(**{"if": obj({"a": {"const": 1}}, required=["a"]), "then": {"required": ["b"]}}),
        BRK,
        OK,
        draft="7",
        note="{'a': 1} is a witness",
    ),
    case(
        "if-then-implied-unprovable",
        obj(required=["b"]),
        obj(required=["b"], **{"if": obj(required=["a"]), "then": {"required": ["b"]}}),
        UNK,
        OK,
        note="conservative: truly compatible (b is always required)",
    ),
    case(
        "if-then-narrowed",
        obj(**{"if": obj({"a": {"const": 1}}, required=["a"]), "then": {"required": ["b"]}}),
        obj(**{"if": obj({"a": {"const": 1}}, required=["a"]), "then": {"required": ["b", "c"]}}),
        BRK,
        OK,
        draft="7",
    ),
    case(
        "if-else-widened",
        obj(**{"if": obj(required=["a"]), "else": {"maxProperties": 1}}),
        obj(**{"if": obj(required=["a"]), "else": {"maxProperties": 2}}),
        OK,
        BRK,
    ),
    case(
        "if-then-removed",
        obj(**{"if": obj(required=["a"]), "then": {"required": ["b"]}}),
        obj(),
        OK,
        BRK,
        draft="7",
    ),
    case(
        "if-ignored-in-draft4",
        obj(),
        obj(**{"if": obj(required=["a"]), "then": False}),
        OK,
        OK,
        draft="4",
        note="if/then are not draft-4 keywords",
    ),
    # -- $ref ---------------------------------------------------------------------------------
    case(
        "ref-renamed-same-content",
        {"$defs": {"A": S}, "properties": {"x": {"$ref": "#/$defs/A"}}},
        {"$defs": {"B": S}, "properties": {"x": {"$ref": "#/$defs/B"}}},
        OK,
        OK,
    ),
    case(
        "ref-target-narrowed",
        {"$defs": {"A": S}, "properties": {"x": {"$ref": "#/$defs/A"}}},
        {
            "$defs": {"A": {"type": "string", "maxLength": 3}},
            "properties": {"x": {"$ref": "#/$defs/A"}},
        },
        BRK,
        OK,
    ),
    case(
        "ref-inlined",
        {"properties": {"x": S}},
        {"$defs": {"S": S}, "properties": {"x": {"$ref": "#/$defs/S"}}},
        OK,
        OK,
    ),
    case(
        "ref-definitions-draft7-widened",
        {"definitions": {"A": I}, "properties": {"x": {"$ref": "#/definitions/A"}}},
        {"definitions": {"A": N}, "properties": {"x": {"$ref": "#/definitions/A"}}},
        OK,
        BRK,
        draft="7",
    ),
    case(
        "ref-definitions-draft4-narrowed",
        {"definitions": {"A": N}, "properties": {"x": {"$ref": "#/definitions/A"}}},
        {"definitions": {"A": I}, "properties": {"x": {"$ref": "#/definitions/A"}}},
        BRK,
        OK,
        draft="4",
    ),
    case(
        "ref-siblings-ignored-draft7",
        {"definitions": {"A": S}, "properties": {"x": {"$ref": "#/definitions/A", "maxLength": 3}}},
        {"definitions": {"A": S}, "properties": {"x": {"$ref": "#/definitions/A"}}},
        OK,
        OK,
        draft="7",
        note="draft 7 ignores keywords beside $ref",
    ),
    case(
        "ref-siblings-apply-2020",
        {"$defs": {"A": S}, "properties": {"x": {"$ref": "#/$defs/A", "maxLength": 3}}},
        {"$defs": {"A": S}, "properties": {"x": {"$ref": "#/$defs/A"}}},
        OK,
        BRK,
    ),
    case(
        "ref-anchor-target-narrowed",
        {
            "$defs": {"i": {"$anchor": "item", "type": "string"}},
            "items": {"$ref": "#item"},
            "type": "array",
        },
        {
            "$defs": {"i": {"$anchor": "item", "type": "string", "maxLength": 2}},
            "items": {"$ref": "#item"},
            "type": "array",
        },
        BRK,
        OK,
    ),
    case(
        "ref-external-unchanged",
        {"$ref": "https://example.com/money.json"},
        {"$ref": "https://example.com/money.json"},
        ANN,
        ANN,
    ),
    case(
        "ref-external-changed",
        {"$ref": "https://example.com/a.json"},
        {"$ref": "https://example.com/b.json"},
        UNK,
        UNK,
    ),
    case(
        "ref-loop-without-descent",
        {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"},
        {
            "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
            "$ref": "#/$defs/a",
            "type": "string",
        },
        UNK,
        UNK,
    ),
    case("ref-unused-definition-added", S, {"$defs": {"unused": I}, "type": "string"}, OK, OK),
    case("recursive-tree-description-only", tree(I), tree(I, note="a tree node"), ANN, ANN),
    case(
        "recursive-tree-value-narrowed", tree(I), tree({"type": "integer", "minimum": 0}), BRK, OK
    ),
    case("recursive-tree-value-widened", tree(I), tree(N), OK, BRK),
    case(
        "recursive-list-next-not-nullable",
        linked({"anyOf": [{"$ref": "#/$defs/cell"}, Z]}),
        linked({"$ref": "#/$defs/cell"}),
        BRK,
        OK,
    ),
    case(
        "recursive-list-draft7-definitions",
        {
            "definitions": {"c": obj({"next": {"$ref": "#/definitions/c"}, "v": S})},
            "$ref": "#/definitions/c",
        },
        {
            "definitions": {
                "c": obj({"next": {"$ref": "#/definitions/c"}, "v": S}, additionalProperties=False)
            },
            "$ref": "#/definitions/c",
        },
        BRK,
        OK,
        draft="7",
    ),
    # -- annotations and metadata -----------------------------------------------------------
    case(
        "title-changed",
        {"title": "A", "type": "string"},
        {"title": "B", "type": "string"},
        ANN,
        ANN,
    ),
    case(
        "docs-changed",
        {"type": "integer", "description": "x", "default": 0, "examples": [1], "$comment": "c"},
        {"type": "integer", "description": "y", "default": 1, "examples": [2], "$comment": "d"},
        ANN,
        ANN,
    ),
    case(
        "deprecated-readonly-writeonly-added",
        obj({"a": S}),
        obj({"a": {"type": "string", "deprecated": True, "readOnly": True, "writeOnly": False}}),
        ANN,
        ANN,
    ),
    case(
        "registry-stamps",
        {"$core_version": "1.2.8", "$track": "v1", "$schema_id": "m.X", "type": "object"},
        {"$core_version": "1.4.61", "$track": "v2", "$schema_id": "m.X", "type": "object"},
        ANN,
        ANN,
    ),
    case(
        "draft7-readonly-comment",
        {"type": "string", "readOnly": False},
        {"type": "string", "readOnly": True, "$comment": "server-set"},
        ANN,
        ANN,
        draft="7",
    ),
    case(
        "unknown-keyword-changed",
        {"type": "string", "x-order": 1},
        {"type": "string", "x-order": 2},
        OK,
        OK,
    ),
    case(
        "dialect-changed-same-keywords",
        {"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"},
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string"},
        OK,
        OK,
    ),
    case(
        "content-media-type-added", S, {"type": "string", "contentMediaType": "text/html"}, ANN, ANN
    ),
    case(
        "nested-description-changed",
        obj({"a": {"type": "string", "description": "x"}}),
        obj({"a": {"type": "string", "description": "y"}}),
        ANN,
        ANN,
    ),
    # -- pydantic idioms ----------------------------------------------------------------------
    case(
        "pydantic-optional-int-to-float",
        obj({"p": {"anyOf": [I, Z], "default": None, "title": "P"}}),
        obj({"p": {"anyOf": [N, Z], "default": None, "title": "P"}}),
        OK,
        BRK,
    ),
    case(
        "pydantic-optional-to-required",
        obj({"p": {"anyOf": [I, Z], "default": None}}),
        obj({"p": I}, required=["p"]),
        BRK,
        OK,
    ),
    case(
        "pydantic-optional-enum-widened",
        {
            "$defs": {"Color": COLOR},
            "properties": {"c": {"anyOf": [{"$ref": "#/$defs/Color"}, Z], "default": None}},
        },
        {
            "$defs": {"Color": {**COLOR, "enum": ["red", "green", "blue"]}},
            "properties": {"c": {"anyOf": [{"$ref": "#/$defs/Color"}, Z], "default": None}},
        },
        OK,
        BRK,
    ),
    case(
        "pydantic-literal-to-enum",
        obj({"side": {"const": "buy", "type": "string"}}),
        obj({"side": {"enum": ["buy", "sell"], "type": "string"}}),
        OK,
        BRK,
    ),
    case(
        "pydantic-list-of-model-field-removed",
        {
            "$defs": {"Leg": obj({"qty": I, "px": N}, required=["qty", "px"])},
            "properties": {"legs": {"type": "array", "items": {"$ref": "#/$defs/Leg"}}},
        },
        {
            "$defs": {"Leg": obj({"qty": I}, required=["qty"])},
            "properties": {"legs": {"type": "array", "items": {"$ref": "#/$defs/Leg"}}},
        },
        OK,
        BRK,
    ),
    case(
        "pydantic-dict-values-narrowed",
        obj({"m": {"type": "object", "additionalProperties": N}}),
        obj({"m": {"type": "object", "additionalProperties": I}}),
        BRK,
        OK,
    ),
]

"""Hand-written (old, new) pairs: objects, open/closed content, arrays and tuples."""

from __future__ import annotations

from typing import Any

from .table import ANN, BRK, OK, UNK, Case, case

S, I, N, Z = ({"type": t} for t in ("string", "integer", "number", "null"))  # noqa: E741


def obj(props: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    if props is not None:
        out["properties"] = props
    out.update(kw)
    return out


def arr(**kw: Any) -> dict[str, Any]:
    return {"type": "array", **kw}


CASES: list[Case] = [
    # -- required ----------------------------------------------------------------------------
    case("required-added", obj({"a": S}), obj({"a": S}, required=["a"]), BRK, OK),
    case("required-removed", obj({"a": S}, required=["a"]), obj({"a": S}), OK, BRK),
    case(
        "required-reordered",
        obj({"a": S, "b": S}, required=["a", "b"]),
        obj({"a": S, "b": S}, required=["b", "a"]),
        OK,
        OK,
    ),
    case("required-added-draft4", obj({"a": S}), obj({"a": S}, required=["a"]), BRK, OK, draft="4"),
    case("required-added-draft7", obj({"a": S}), obj({"a": S}, required=["a"]), BRK, OK, draft="7"),
    case(
        "required-nested-added",
        obj({"inner": obj({"x": I})}),
        obj({"inner": obj({"x": I}, required=["x"])}),
        BRK,
        OK,
    ),
    # -- properties on open objects ----------------------------------------------------------
    case(
        "open-optional-property-added",
        obj({"a": S}),
        obj({"a": S, "b": I}),
        BRK,
        OK,
        note="the open old schema accepted any value for b",
    ),
    case("open-optional-property-added-true", obj({"a": S}), obj({"a": S, "b": {}}), OK, OK),
    case("open-optional-property-removed", obj({"a": S, "b": I}), obj({"a": S}), OK, BRK),
    case("open-property-type-changed", obj({"a": S}), obj({"a": I}), BRK, BRK),
    case("open-property-type-widened", obj({"a": I}), obj({"a": N}), OK, BRK),
    case(
        "open-required-property-added",
        obj({"a": S}),
        obj({"a": S, "b": I}, required=["b"]),
        BRK,
        OK,
    ),
    case("open-property-added-draft4", obj({"a": S}), obj({"a": S, "b": S}), BRK, OK, draft="4"),
    case("open-property-removed-draft7", obj({"a": S, "b": S}), obj({"a": S}), OK, BRK, draft="7"),
    # -- closed objects (additionalProperties false) -------------------------------------------
    case(
        "closed-optional-property-added",
        obj({"a": S}, additionalProperties=False),
        obj({"a": S, "b": I}, additionalProperties=False),
        OK,
        BRK,
        note="old instances never carry b; new ones may",
    ),
    case(
        "closed-optional-property-removed",
        obj({"a": S, "b": I}, additionalProperties=False),
        obj({"a": S}, additionalProperties=False),
        BRK,
        OK,
    ),
    case(
        "closed-required-property-added",
        obj({"a": S}, additionalProperties=False),
        obj({"a": S, "b": I}, required=["b"], additionalProperties=False),
        BRK,
        BRK,
    ),
    case("object-closed", obj({"a": S}), obj({"a": S}, additionalProperties=False), BRK, OK),
    case("object-opened", obj({"a": S}, additionalProperties=False), obj({"a": S}), OK, BRK),
    case(
        "object-closed-draft4",
        obj({"a": S}),
        obj({"a": S}, additionalProperties=False),
        BRK,
        OK,
        draft="4",
    ),
    case(
        "additional-schema-narrowed",
        obj(additionalProperties={"type": ["string", "integer"]}),
        obj(additionalProperties=S),
        BRK,
        OK,
    ),
    case("additional-schema-removed", obj(additionalProperties=S), obj(), OK, BRK),
    case(
        "additional-true-spelled-out",
        obj({"a": S}),
        obj({"a": S}, additionalProperties=True),
        OK,
        OK,
    ),
    case(
        "property-declared-as-additional",
        obj(additionalProperties=S),
        obj({"a": S}, additionalProperties=S),
        OK,
        OK,
    ),
    case(
        "property-declared-narrower-than-additional",
        obj(additionalProperties=S),
        obj({"a": {"type": "string", "maxLength": 3}}, additionalProperties=S),
        BRK,
        OK,
    ),
    case(
        "closed-property-schema-widened",
        obj({"a": I}, additionalProperties=False),
        obj({"a": N}, additionalProperties=False),
        OK,
        BRK,
    ),
    # -- patternProperties --------------------------------------------------------------------
    case("pattern-property-added-open", obj(), obj(patternProperties={"^x-": S}), BRK, OK),
    case(
        "pattern-property-removed-closed",
        obj(patternProperties={"^x-": S}, additionalProperties=False),
        obj(additionalProperties=False),
        BRK,
        OK,
    ),
    case(
        "pattern-property-added-closed",
        obj(additionalProperties=False),
        obj(patternProperties={"^x-": S}, additionalProperties=False),
        OK,
        BRK,
    ),
    case(
        "pattern-property-narrowed",
        obj(patternProperties={"^x-": {"type": ["string", "number"]}}),
        obj(patternProperties={"^x-": S}),
        BRK,
        OK,
    ),
    case(
        "pattern-property-description-only",
        obj(patternProperties={"^x-": S}),
        obj(patternProperties={"^x-": {"type": "string", "description": "extension"}}),
        ANN,
        ANN,
    ),
    case(
        "pattern-property-applies-to-declared",
        obj({"x-a": {}}, patternProperties={"^x-": S}),
        obj({"x-a": S}, patternProperties={"^x-": S}),
        OK,
        OK,
    ),
    case(
        "pattern-property-replaced-closed",
        obj(patternProperties={"^a": S}, additionalProperties=False),
        obj(patternProperties={"^b": S}, additionalProperties=False),
        BRK,
        BRK,
    ),
    case(
        "pattern-property-draft7-widened",
        obj(patternProperties={"^n_": I}),
        obj(patternProperties={"^n_": N}),
        OK,
        BRK,
        draft="7",
    ),
    # -- unevaluatedProperties -----------------------------------------------------------------
    case(
        "unevaluated-false-added",
        obj({"a": S}),
        obj({"a": S}, unevaluatedProperties=False),
        BRK,
        OK,
    ),
    case(
        "unevaluated-false-removed",
        obj({"a": S}, unevaluatedProperties=False),
        obj({"a": S}),
        OK,
        BRK,
    ),
    case(
        "unevaluated-with-ref-base-property-added",
        {
            "$defs": {"base": obj({"a": S})},
            "allOf": [{"$ref": "#/$defs/base"}],
            "properties": {"b": I},
            "unevaluatedProperties": False,
        },
        {
            "$defs": {"base": obj({"a": S})},
            "allOf": [{"$ref": "#/$defs/base"}],
            "properties": {"b": I, "c": {"type": "boolean"}},
            "unevaluatedProperties": False,
        },
        OK,
        BRK,
        note="a comes from the $ref base: evaluated, so still allowed",
    ),
    case(
        "unevaluated-with-ref-base-narrowed",
        {"$defs": {"base": obj({"a": S})}, "$ref": "#/$defs/base", "unevaluatedProperties": False},
        {
            "$defs": {"base": obj({"a": {"type": "string", "maxLength": 1}})},
            "$ref": "#/$defs/base",
            "unevaluatedProperties": False,
        },
        BRK,
        OK,
    ),
    case(
        "unevaluated-schema-widened",
        obj({"a": S}, unevaluatedProperties=I),
        obj({"a": S}, unevaluatedProperties=N),
        OK,
        BRK,
    ),
    case(
        "unevaluated-next-to-anyof",
        obj(anyOf=[obj({"a": S}), obj({"b": S})], unevaluatedProperties=False),
        obj(anyOf=[obj({"a": S}), obj({"b": S})]),
        UNK,
        BRK,
        note="conservative backward (truly compatible); forward: {'zz': 0} is a witness",
    ),
    # -- dependencies ---------------------------------------------------------------------------
    case("dependentRequired-added", obj(), obj(dependentRequired={"a": ["b"]}), BRK, OK),
    case("dependentRequired-removed", obj(dependentRequired={"a": ["b"]}), obj(), OK, BRK),
    case(
        "dependentRequired-already-required",
        obj(required=["b"]),
        obj(required=["b"], dependentRequired={"a": ["b"]}),
        OK,
        OK,
    ),
    case(
        "dependencies-array-added-draft7", obj(), obj(dependencies={"a": ["b"]}), BRK, OK, draft="7"
    ),
    case(
        "dependencies-array-removed-draft4",
        obj(dependencies={"a": ["b"]}),
        obj(),
        OK,
        BRK,
        draft="4",
    ),
    case(
        "dependentSchemas-required-only-added",
        obj(),
        obj(dependentSchemas={"a": {"required": ["b"]}}),
        BRK,
        OK,
    ),
    case(
        "dependentSchemas-changed",
        obj(dependentSchemas={"a": obj({"b": S})}),
        obj(dependentSchemas={"a": obj({"b": I})}),
        BRK,
        BRK,
    ),
    case(
        "dependencies-schema-changed-draft7",
        obj(dependencies={"a": {"properties": {"b": S}}}),
        obj(dependencies={"a": {"properties": {"b": {"type": ["string", "null"]}}}}),
        OK,
        BRK,
        draft="7",
    ),
    case(
        "dependentSchemas-added",
        obj(),
        obj(dependentSchemas={"a": {"properties": {"b": I}}}),
        BRK,
        OK,
        note="{'a': null, 'b': null} is a witness",
    ),
    case(
        "dependentSchemas-implied",
        obj({"b": I}),
        obj({"b": I}, dependentSchemas={"a": {"properties": {"b": N}}}),
        OK,
        OK,
    ),
    case(
        "dependentSchemas-unprovable",
        obj({"b": {"type": "string", "pattern": "^a"}}),
        obj(
            {"b": {"type": "string", "pattern": "^a"}},
            dependentSchemas={"a": {"properties": {"b": {"pattern": "^a+"}}}},
        ),
        UNK,
        OK,
        note="conservative: truly compatible, but regex inclusion is not decided",
    ),
    case(
        "dependentSchemas-trigger-forbidden",
        obj({"x": S}, additionalProperties=False),
        obj({"x": S}, additionalProperties=False, dependentSchemas={"a": {"required": ["x"]}}),
        OK,
        OK,
        note="a can never be present",
    ),
    # -- propertyNames, sizes -----------------------------------------------------------------
    case("propertyNames-added", obj(), obj(propertyNames={"maxLength": 3}), BRK, OK, draft="7"),
    case("propertyNames-string-is-free", obj(), obj(propertyNames=S), OK, OK),
    case(
        "propertyNames-pattern-changed",
        obj(propertyNames={"pattern": "^[a-z]+$"}),
        obj(propertyNames={"pattern": "^[a-z_]+$"}),
        UNK,
        BRK,
    ),
    case("minProperties-raised", obj(minProperties=1), obj(minProperties=2), BRK, OK),
    case("maxProperties-lowered", obj(maxProperties=5), obj(maxProperties=3), BRK, OK),
    case("maxProperties-removed", obj(maxProperties=5), obj(), OK, BRK, draft="4"),
    # -- arrays ---------------------------------------------------------------------------------
    case("items-narrowed", arr(items={"type": ["string", "integer"]}), arr(items=S), BRK, OK),
    case("items-removed", arr(items=S), arr(), OK, BRK),
    case("items-added", arr(), arr(items=S), BRK, OK, draft="7"),
    case(
        "items-object-property-added",
        arr(items=obj({"a": S})),
        arr(items=obj({"a": S, "b": I})),
        BRK,
        OK,
    ),
    case(
        "items-nested-three-levels",
        obj({"rows": arr(items=arr(items=obj({"v": N})))}),
        obj({"rows": arr(items=arr(items=obj({"v": I})))}),
        BRK,
        OK,
    ),
    case("minItems-raised", arr(minItems=0), arr(minItems=1), BRK, OK),
    case("maxItems-raised", arr(maxItems=3), arr(maxItems=5), OK, BRK),
    case("maxItems-draft4-lowered", arr(maxItems=5), arr(maxItems=3), BRK, OK, draft="4"),
    case("uniqueItems-added", arr(), arr(uniqueItems=True), BRK, OK),
    case("uniqueItems-removed", arr(uniqueItems=True), arr(), OK, BRK),
    case(
        "uniqueItems-added-single-item", arr(maxItems=1), arr(maxItems=1, uniqueItems=True), OK, OK
    ),
    case("uniqueItems-false-spelled-out", arr(), arr(uniqueItems=False), OK, OK),
    case(
        "tuple-item-narrowed",
        arr(prefixItems=[S, {"type": ["integer", "null"]}]),
        arr(prefixItems=[S, I]),
        BRK,
        OK,
    ),
    case(
        "tuple-closed-as-maxItems",
        arr(prefixItems=[S, I], items=False),
        arr(prefixItems=[S, I], maxItems=2),
        OK,
        OK,
    ),
    case(
        "tuple-extended",
        arr(prefixItems=[S], items=False),
        arr(prefixItems=[S, I], items=False),
        OK,
        BRK,
    ),
    case(
        "tuple-rest-narrowed",
        arr(prefixItems=[S], items={"type": ["integer", "null"]}),
        arr(prefixItems=[S], items=I),
        BRK,
        OK,
    ),
    case(
        "tuple-draft7-additionalItems-closed",
        arr(items=[S, I]),
        arr(items=[S, I], additionalItems=False),
        BRK,
        OK,
        draft="7",
    ),
    case(
        "tuple-draft7-additionalItems-narrowed",
        arr(items=[S], additionalItems={"type": ["string", "null"]}),
        arr(items=[S], additionalItems=S),
        BRK,
        OK,
        draft="7",
    ),
    case("tuple-draft4-item-widened", arr(items=[I, S]), arr(items=[N, S]), OK, BRK, draft="4"),
    case(
        "tuple-draft7-to-2020-rewrite",
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "array",
            "items": [S],
            "additionalItems": I,
        },
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "array",
            "prefixItems": [S],
            "items": I,
        },
        OK,
        OK,
    ),
    case(
        "tuple-draft2020-additionalItems-ignored",
        arr(prefixItems=[S]),
        arr(prefixItems=[S], additionalItems=False),
        OK,
        OK,
        note="additionalItems is not a 2020-12 keyword",
    ),
    case(
        "tuple-item-beyond-max-unreachable",
        arr(prefixItems=[S], maxItems=1),
        arr(prefixItems=[S, I], maxItems=1),
        OK,
        OK,
    ),
    case("contains-added", arr(), arr(contains=S), BRK, OK),
    case("contains-removed", arr(contains=S), arr(), OK, BRK, draft="7"),
    case(
        "contains-widened",
        arr(contains=S),
        arr(contains={"type": ["string", "integer"]}),
        OK,
        BRK,
        note="no containment rule applies; [0] is a witness",
    ),
    case(
        "minContains-raised",
        arr(contains=S, minContains=1),
        arr(contains=S, minContains=2),
        BRK,
        OK,
    ),
    case("maxContains-added", arr(contains=S), arr(contains=S, maxContains=2), BRK, OK),
]

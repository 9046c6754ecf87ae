"""JSON Schema vocabulary: drafts, the keywords each one validates, annotations, type atoms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "ALL_ATOMS",
    "ANNOTATION_KEYS",
    "META_KEYS",
    "NUMERIC",
    "annotation_set",
    "atoms_of_type",
    "describe_atoms",
    "detect_draft",
    "validating_keywords",
]

#: Type atoms: ``number`` is ``integer`` plus ``fraction`` (non-integral numbers).
ALL_ATOMS: frozenset[str] = frozenset(
    {"null", "boolean", "object", "array", "string", "integer", "fraction"}
)
NUMERIC: frozenset[str] = frozenset({"integer", "fraction"})

#: Keywords that never affect validation (reported as ``annotation`` changes).
ANNOTATION_KEYS: frozenset[str] = frozenset(
    {
        "title",
        "description",
        "examples",
        "example",
        "default",
        "$comment",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$core_version",
        "$track",
        "$schema_id",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
    }
)
#: Identification keywords: no effect on accepted values by themselves.
META_KEYS: frozenset[str] = frozenset(
    {"$schema", "$id", "id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$vocabulary"}
)

_COMMON = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "multipleOf",
        "maximum",
        "minimum",
        "maxLength",
        "minLength",
        "pattern",
        "format",
        "items",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxProperties",
        "minProperties",
        "required",
        "properties",
        "patternProperties",
        "additionalProperties",
        "definitions",
        "$defs",
    }
)
_D4 = _COMMON | {"additionalItems", "dependencies", "exclusiveMaximum", "exclusiveMinimum"}
_D6 = _D4 | {"const", "contains", "propertyNames"}
_D7 = _D6 | {"if", "then", "else"}
_D2019 = (_D7 - {"dependencies"}) | {
    "dependentRequired",
    "dependentSchemas",
    "minContains",
    "maxContains",
    "unevaluatedItems",
    "unevaluatedProperties",
    "$recursiveRef",
}
_D2020 = (_D2019 - {"additionalItems", "$recursiveRef"}) | {"prefixItems", "$dynamicRef"}
_BY_DRAFT = {4: _D4, 6: _D6, 7: _D7, 2019: _D2019, 2020: _D2020}
_NEVER_ANNOTATIONS = frozenset().union(*_BY_DRAFT.values()) | META_KEYS

_DIALECTS = (
    ("draft-03", 4),
    ("draft-04", 4),
    ("draft-06", 6),
    ("draft-07", 7),
    ("2019-09", 2019),
    ("2020-12", 2020),
)


def detect_draft(schema: Any) -> int:
    """4, 6, 7, 2019 or 2020 from ``$schema``; 2020 when absent or unknown (as jsonschema)."""
    if isinstance(schema, dict):
        uri = schema.get("$schema")
        if isinstance(uri, str):
            for marker, draft in _DIALECTS:
                if marker in uri:
                    return draft
    return 2020


def annotation_set(extra: Iterable[str] = ()) -> frozenset[str]:
    """The built-in annotations plus ``extra`` keys that no draft validates with."""
    return ANNOTATION_KEYS | (frozenset(extra) - _NEVER_ANNOTATIONS)


def validating_keywords(draft: int) -> frozenset[str]:
    """Keywords that affect validation (or hold subschemas) under ``draft``."""
    return _BY_DRAFT[draft]


def atoms_of_type(value: Any) -> frozenset[str] | None:
    """Atoms allowed by a ``type`` keyword value; None when the value is not understood."""
    if isinstance(value, str):
        return _ONE_TYPE.get(value)
    return _atoms_of_types(value)


def _atoms_of_types(value: Any) -> frozenset[str] | None:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list):
        return None
    out: set[str] = set()
    for name in names:
        if name == "number":
            out |= NUMERIC
        elif name == "any":
            out |= ALL_ATOMS
        elif isinstance(name, str) and (name in ALL_ATOMS and name != "fraction"):
            out.add(name)
        else:
            return None
    return frozenset(out)


_ONE_TYPE: dict[str, frozenset[str] | None] = {
    name: _atoms_of_types(name) for name in ("number", "any", *sorted(ALL_ATOMS - {"fraction"}))
}
"""``atoms_of_type`` of each string it understands (any other string: None)."""


def describe_atoms(atoms: frozenset[str]) -> str:
    """Human wording of a set of atoms, e.g. ``integer | null``."""
    if atoms >= ALL_ATOMS:
        return "any value"
    if not atoms:
        return "no value"
    names = set(atoms)
    if names >= NUMERIC:
        names -= NUMERIC
        names.add("number")
    elif "fraction" in names:
        names.discard("fraction")
        names.add("non-integer number")
    order = [
        "object",
        "array",
        "string",
        "number",
        "integer",
        "non-integer number",
        "boolean",
        "null",
    ]
    return " | ".join(n for n in order if n in names)

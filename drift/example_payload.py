"""A minimal payload for an example contract test: every required property, simplest value.

Pure: schemas in, ``(name, payload)`` out. ``drift init`` offers the first schema
(by name) whose minimal payload conforms on every track it checks, so the example
test it writes passes as written and fails the moment a required field goes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from drift.errors import NoMinimalValue

__all__ = ["choose_example", "minimal_payload"]

_STRINGS = {"date-time": "2026-01-01T00:00:00Z", "date": "2026-01-01", "email": "a@example.com"}


def minimal_payload(schema: Mapping[str, Any]) -> dict[str, Any] | None:
    """An object with every required property of ``schema`` set to its simplest value;
    ``None`` when the schema is not an object with required properties, or needs more."""
    if schema.get("type") != "object" or not schema.get("required"):
        return None
    try:
        value = _value(schema, depth=0)
    except NoMinimalValue:
        return None
    return value if isinstance(value, dict) else None


def _value(schema: Mapping[str, Any], depth: int) -> Any:
    if depth > 8 or "$ref" in schema or "pattern" in schema or "allOf" in schema:
        raise NoMinimalValue
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branches = [b for b in schema[key] if b.get("type") != "null"] or schema[key]
            return _value(branches[0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    maker = _MAKERS.get(str(kind))
    if maker is None:
        raise NoMinimalValue
    return maker(schema, depth)


def _object(schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
    properties = schema.get("properties", {})
    out: dict[str, Any] = {}
    for name in schema.get("required", ()):
        if name not in properties:
            raise NoMinimalValue
        out[name] = _value(properties[name], depth + 1)
    return out


def _string(schema: Mapping[str, Any], depth: int) -> str:
    text = _STRINGS.get(schema.get("format", ""), "example")
    return text.ljust(int(schema.get("minLength", 0)), "x")


def _number(schema: Mapping[str, Any], depth: int) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
    value = low + 1 if "exclusiveMinimum" in schema else low
    return int(value) if schema.get("type") == "integer" else value


def _array(schema: Mapping[str, Any], depth: int) -> list[Any]:
    if schema.get("minItems", 0):
        raise NoMinimalValue
    return []


_MAKERS: dict[str, Callable[[Mapping[str, Any], int], Any]] = {
    "object": _object,
    "string": _string,
    "integer": _number,
    "number": _number,
    "boolean": lambda _schema, _depth: False,
    "array": _array,
    "null": lambda _schema, _depth: None,
}


def choose_example(
    schemas: Mapping[str, Mapping[str, Any]],
    conforms: Callable[[str, dict[str, Any]], bool],
) -> tuple[str, dict[str, Any]] | None:
    """The first schema name (sorted) whose minimal payload ``conforms(name, payload)``."""
    for name in sorted(schemas):
        payload = minimal_payload(schemas[name])
        if payload is not None and conforms(name, payload):
            return name, payload
    return None

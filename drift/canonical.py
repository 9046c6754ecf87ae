"""Canonical hashes of JSON Schemas.

``canonical_hash`` is the SHA-256 of the RFC 8785 (JCS) serialisation: key
order, whitespace and number spelling (``1.0`` vs ``1``) never matter.

``structural_hash`` is the same over the schema with annotation and metadata
keywords removed wherever they occur *as keywords of a (sub)schema*: a property
named ``description`` under ``properties`` is structure and stays.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import rfc8785

__all__ = [
    "DEFAULT_ANNOTATION_KEYS",
    "canonical_bytes",
    "canonical_hash",
    "strip_annotations",
    "structural_hash",
]

DEFAULT_ANNOTATION_KEYS: frozenset[str] = frozenset(
    {"title", "description", "examples", "$comment", "$core_version", "$track"}
)

_MAX_SAFE = 2**53 - 1

# Keywords whose value is a subschema.
_SCHEMA_VALUED = frozenset(
    {
        "additionalProperties",
        "unevaluatedProperties",
        "propertyNames",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "additionalItems",
        "unevaluatedItems",
        "contentSchema",
    }
)
# Keywords whose value is a list of subschemas.
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
# Keywords whose value maps names to subschemas.
_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)


def canonical_bytes(document: Any) -> bytes:
    """RFC 8785 (JCS) serialisation of a JSON value.

    Documents without floats, with integers inside the IEEE-754 safe range and
    with object keys in the Basic Multilingual Plane (every schema the
    registry publishes) serialise identically with the C JSON encoder, which is
    many times faster; anything else goes through :mod:`rfc8785`. A property
    test holds the two paths equal.
    """
    if _plain(document):
        return json.dumps(
            document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")
    try:
        return rfc8785.dumps(document)
    except rfc8785.IntegerDomainError:
        return rfc8785.dumps(_normalise_numbers(document))


def canonical_hash(document: Any) -> str:
    """Hex SHA-256 of :func:`canonical_bytes`."""
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def structural_hash(document: Any, annotation_keys: Iterable[str] | None = None) -> str:
    """Hex SHA-256 of the canonical form of :func:`strip_annotations`."""
    return canonical_hash(strip_annotations(document, annotation_keys))


def strip_annotations(schema: Any, annotation_keys: Iterable[str] | None = None) -> Any:
    """Return ``schema`` without annotation keywords, at every subschema position."""
    keys = DEFAULT_ANNOTATION_KEYS if annotation_keys is None else frozenset(annotation_keys)
    return _strip(schema, keys)


def _strip(schema: Any, keys: frozenset[str]) -> Any:
    if not isinstance(schema, Mapping):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in keys:
            continue
        if key in _SCHEMA_VALUED:
            out[key] = _strip(value, keys)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [_strip(item, keys) for item in value]
        elif key in _SCHEMA_MAPS and isinstance(value, Mapping):
            out[key] = {name: _strip(sub, keys) for name, sub in value.items()}
        elif key == "items":
            out[key] = (
                [_strip(item, keys) for item in value]
                if isinstance(value, list)
                else _strip(value, keys)
            )
        elif key == "dependencies" and isinstance(value, Mapping):
            out[key] = {
                name: _strip(sub, keys) if isinstance(sub, Mapping) else sub
                for name, sub in value.items()
            }
        else:
            out[key] = value
    return out


def _plain(value: Any) -> bool:
    """True when the C encoder's sorted compact output is exactly JCS for ``value``."""
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -_MAX_SAFE <= value <= _MAX_SAFE
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not (key.isascii() or _bmp(key)):
                return False
            if not _plain(item):
                return False
        return True
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return False  # floats (ES6 number spelling) and anything exotic


def _bmp(text: str) -> bool:
    """No character outside the BMP: code-point order equals JCS's UTF-16 order."""
    return all(ord(char) < 0x10000 for char in text)


def _normalise_numbers(value: Any) -> Any:
    """JCS numbers are IEEE doubles: spell integers beyond 2**53 as floats too."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_SAFE:
        return float(value)
    if isinstance(value, Mapping):
        return {k: _normalise_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise_numbers(v) for v in value]
    return value

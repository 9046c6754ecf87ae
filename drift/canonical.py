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
import re
from collections.abc import Iterable, Mapping
from typing import Any

import rfc8785

from drift.model import DEFAULT_ANNOTATION_KEYS

__all__ = [
    "DEFAULT_ANNOTATION_KEYS",
    "SCHEMA_LISTS",
    "SCHEMA_MAPS",
    "SCHEMA_VALUED",
    "canonical_bytes",
    "canonical_hash",
    "strip_annotations",
    "structural_hash",
]

_MAX_SAFE = 2**53 - 1

# Where the C encoder's output may differ from JCS: a float token (Python and
# ES6 spell some differently), an integer that may exceed 2**53, a character
# outside the BMP (JCS sorts keys by UTF-16 code units, Python by code points).
_FLOAT_OR_BIG = re.compile(r"[:,\[]-?(?:\d{16}|\d+[.eE])")
_ASTRAL = re.compile(r"[\U00010000-\U0010FFFF]")

# Keywords whose value is a subschema.
SCHEMA_VALUED = frozenset(
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
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
# Keywords whose value maps names to subschemas.
SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)


def canonical_bytes(document: Any) -> bytes:
    """RFC 8785 (JCS) serialisation of a JSON value (as :func:`json.loads` returns it).

    For documents without floats, without integers beyond 15 digits and without
    characters outside the Basic Multilingual Plane (every schema the registry
    publishes), JCS is exactly the C encoder's sorted compact output, which is
    many times faster; anything else, or anything that merely looks like it
    (a string holding ``,1.5``), goes through :mod:`rfc8785`. A property test
    holds the two paths equal.
    """
    if isinstance(document, (dict, list)):
        try:
            text = json.dumps(
                document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
            )
            if _FLOAT_OR_BIG.search(text) is None and (text.isascii() or not _ASTRAL.search(text)):
                return text.encode("utf-8")
        except (TypeError, ValueError):  # non-JSON values, NaN, lone surrogates: the library
            pass
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
        if key in SCHEMA_VALUED:
            out[key] = _strip(value, keys)
        elif key in SCHEMA_LISTS and isinstance(value, list):
            out[key] = [_strip(item, keys) for item in value]
        elif key in SCHEMA_MAPS and isinstance(value, Mapping):
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


def _normalise_numbers(value: Any) -> Any:
    """JCS numbers are IEEE doubles: spell integers beyond 2**53 as floats too."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_SAFE:
        return float(value)
    if isinstance(value, Mapping):
        return {k: _normalise_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise_numbers(v) for v in value]
    return value

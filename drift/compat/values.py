"""JSON values as JSON Schema sees them: equality, type atoms, short display."""

from __future__ import annotations

import json
import marshal
from collections.abc import Iterable
from typing import Any

__all__ = [
    "atom_of",
    "json_equal",
    "plain_equal",
    "same_bytes",
    "short",
    "strict_bytes",
    "unique_values",
    "value_key",
]


def atom_of(value: Any) -> str:
    """The type atom of a JSON value (``1.0`` is an integer, as in draft 6+)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "fraction"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "unknown"


def strict_bytes(value: Any) -> bytes | None:
    """Type-exact bytes of a JSON value: equal bytes mean equal JSON (same key order too).

    ``true`` and ``1``, ``1`` and ``1.0`` differ here, so equal bytes never hide a
    difference; unequal bytes prove nothing. None when ``value`` is not plain data.
    """
    try:
        return marshal.dumps(value, 2)  # version 2: no back-references, so no aliasing effects
    except ValueError:
        return None


def plain_equal(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` are the same JSON, key order and number types included,
    with no ``$ref`` inside (so equal wherever they sit). False proves nothing."""
    return a == b and same_bytes(a, b)  # == first: fast, and only over-approximates


def same_bytes(a: Any, b: Any) -> bool:
    """The strict half of :func:`plain_equal`: equal :func:`strict_bytes`, no ``$ref``."""
    text = strict_bytes(a)
    return text is not None and b"$ref" not in text and text == strict_bytes(b)


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality: ``1 == 1.0`` but ``true != 1``; objects ignore key order."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, str) or a is None:
        return type(a) is type(b) and a == b
    if isinstance(a, list):
        return (
            isinstance(b, list)
            and len(a) == len(b)
            and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and a.keys() == b.keys()
            and all(json_equal(v, b[k]) for k, v in a.items())
        )
    return bool(a == b)


def value_key(value: Any) -> Any:
    """A hashable key such that ``value_key(a) == value_key(b)`` iff ``json_equal(a, b)``."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", value)
    if isinstance(value, list):
        return ("a", tuple(value_key(v) for v in value))
    if isinstance(value, dict):
        return ("o", tuple(sorted((k, value_key(v)) for k, v in value.items())))
    return ("s", value)


def unique_values(values: Iterable[Any]) -> list[Any]:
    """``values`` without JSON-equal duplicates, first occurrence kept."""
    seen: set[Any] = set()
    out = []
    for value in values:
        key = value_key(value)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def short(value: Any, limit: int = 60) -> str:
    """Compact JSON text of ``value``, cut to ``limit`` characters."""
    try:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"

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

#: orjson and its options, imported on the first hash (it imports uuid and platform:
#: a check whose fixtures the lock vouches for never hashes a document).
_ORJSON: Any = None
_ORJSON_OPTIONS = 0


def _orjson() -> Any:
    global _ORJSON, _ORJSON_OPTIONS
    if _ORJSON is None:
        import orjson

        _ORJSON_OPTIONS = (
            orjson.OPT_SORT_KEYS
            | orjson.OPT_STRICT_INTEGER  # beyond 2**53 JCS spells integers as doubles
            | orjson.OPT_PASSTHROUGH_SUBCLASS  # str/int/dict/list subclasses: the library
            | orjson.OPT_PASSTHROUGH_DATACLASS
            | orjson.OPT_PASSTHROUGH_DATETIME
        )
        _ORJSON = orjson
    return _ORJSON


# A float token in compact output is ``[:,[]``, an optional ``-``, digits, then ``.``
# or an exponent. Found cheaply in a copy with every digit spelt ``0``, ``e``/``E``
# spelt ``.`` and every other letter dropped: each ``0.`` in it is checked backwards.
# A string that merely looks like one (``",1.5"``) costs a precise rewrite, never a miss.
_REDUCE = bytes.maketrans(b"123456789eE", b"000000000..")
_DROP = bytes(c for c in range(256) if c not in b'0123456789.eE+-:,["')
# UTF-8 lead bytes of characters outside the BMP: JCS sorts keys by UTF-16 code
# units, which puts them before U+E000-U+FFFF; code-point order puts them after.
_ASTRAL_LEADS = bytes(c for c in range(256) if not 0xF0 <= c <= 0xF4)
# The C-encoder fallback's guard (for documents orjson refuses).
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

    orjson's sorted compact output is JCS except for three things, each handled
    here: float spelling (tokens respelt the ES6 way), characters outside the
    BMP in keys (objects re-ordered by UTF-16 code units) and non-finite floats,
    which orjson writes as ``null`` (wherever a ``null`` token appears, the
    output must parse back equal to the input, or the exact path decides).
    Integers beyond 2**53, subclasses and anything orjson refuses take the
    C encoder or :mod:`rfc8785`. A property test holds every path equal to
    :mod:`rfc8785`.
    """
    orjson = _ORJSON or _orjson()
    options = _ORJSON_OPTIONS
    try:
        data: bytes = orjson.dumps(document, option=options)
        if not data.isascii() and len(data.translate(None, _ASTRAL_LEADS)):
            ordered, options = _utf16_ordered(document), options ^ orjson.OPT_SORT_KEYS
            data = orjson.dumps(ordered, option=options)
        else:
            ordered = document
        if _has_null_token(data) and not _round_trips(data, document):
            return _exact_bytes(document)  # a NaN or infinity became null: the library raises
        if data[:1] in _NUMBER_STARTS or _has_float_token(data.translate(_REDUCE, _DROP)):
            data = orjson.dumps(_es6_floats(ordered), option=options)
    except TypeError:  # orjson.JSONEncodeError: big integer, subclass, non-JSON value
        return _exact_bytes(document)
    return data


_NUMBER_STARTS = frozenset(bytes([c]) for c in b"-0123456789")  # a bare number document


def _has_null_token(data: bytes) -> bool:
    at = data.find(b"null")
    while at != -1:
        if not at or data[at - 1] in b":,[":
            return True
        at = data.find(b"null", at + 4)
    return False


def _has_float_token(reduced: bytes) -> bool:
    at = reduced.find(b"0.")
    while at != -1:
        start = at
        while start and reduced[start - 1] == 0x30:  # "0"
            start -= 1
        if start and reduced[start - 1] == 0x2D:  # "-"
            start -= 1
        if start and reduced[start - 1] in b":,[":
            return True
        at = reduced.find(b"0.", at + 2)
    return False


def _round_trips(data: bytes, document: Any) -> bool:
    try:
        return bool(_ORJSON.loads(data) == document)
    except _ORJSON.JSONDecodeError:  # pragma: no cover - orjson reads what it writes
        return False


def _utf16_ordered(value: Any) -> Any:
    """``value`` with every object's keys in UTF-16 code-unit order (JCS 3.2.3)."""
    if isinstance(value, dict):
        return {
            key: _utf16_ordered(item) if isinstance(item, _CONTAINERS) else item
            for key, item in sorted(value.items(), key=_utf16_key)
        }
    if isinstance(value, (list, tuple)):
        return [_utf16_ordered(item) if isinstance(item, _CONTAINERS) else item for item in value]
    return value


def _utf16_key(item: tuple[str, Any]) -> bytes:
    return item[0].encode("utf-16-be")


def _es6_floats(value: Any) -> Any:
    """``value`` with every float as a raw JSON fragment spelt the ES6 way."""
    if isinstance(value, float):
        return _ORJSON.Fragment(es6_number(value))
    if isinstance(value, dict):
        return {
            key: _es6_floats(item) if isinstance(item, _NUMBERED) else item
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_es6_floats(item) if isinstance(item, _NUMBERED) else item for item in value]
    return value


_CONTAINERS = (dict, list, tuple)
_NUMBERED = (dict, list, tuple, float)


def es6_number(value: float) -> str:
    """A finite double spelt as ECMAScript's ``Number.prototype.toString`` (RFC 8785 3.2.2.3)."""
    if value == 0:
        return "0"
    if value < 0:
        return "-" + es6_number(-value)
    text = repr(value)
    if "e" not in text:  # 1e-4 <= value < 1e16: Python's fixed notation is ES6's
        return text[:-2] if text.endswith(".0") else text
    mantissa, _, exp = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    fraction = fraction.rstrip("0")
    digits = (whole + fraction).lstrip("0")
    # value = 0.digits * 10**point
    point = (
        len(whole) + int(exp or 0)
        if whole != "0"
        else int(exp or 0) - (len(fraction) - len(fraction.lstrip("0")))
    )
    if len(digits) <= point <= 21:
        return digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return f"{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    mark = "+" if point - 1 >= 0 else "-"
    head = digits[0] + (f".{digits[1:]}" if len(digits) > 1 else "")
    return f"{head}e{mark}{abs(point - 1)}"


def _exact_bytes(document: Any) -> bytes:
    """The C encoder where it is JCS, else :mod:`rfc8785` (numbers normalised)."""
    import rfc8785

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

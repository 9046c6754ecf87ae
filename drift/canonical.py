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
import marshal
import operator
import re
from collections.abc import Iterable, Mapping
from typing import Any

from drift.model import DEFAULT_ANNOTATION_KEYS
from drift.subschemas import ANY_DRAFT

__all__ = [
    "DEFAULT_ANNOTATION_KEYS",
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


# Every question about orjson's output is asked of one reduced copy: the bytes no token
# below is made of dropped, digits 1-9 spelt ``1``, the bytes around a value (``,[]}``)
# spelt ``:`` and ``+`` spelt ``-``. A token then shows as ``:null`` (a null, or a NaN or
# infinity orjson wrote as null), ``.0:`` (an integral float: ``100.0`` where ES6 says
# ``100``) or ``1e-`` (an exponent, whose shortest digits never end in 0: orjson's
# ``1e+16`` where ES6 says ``10000000000000000``), in each case after a ``:`` and the
# token's own bytes (dropping bytes never splits a token). Every other float orjson
# writes is ES6's spelling already (both are the shortest round-trip digits in fixed
# notation, and orjson's fixed range lies inside ES6's). A string that merely looks like
# a token (``",1.0,"``) costs the exact path, never a miss.
_REDUCE = bytes.maketrans(b"23456789,[]}+", b"11111111::::-")
_DROP = bytes(c for c in range(256) if c not in b'0123456789.e+-:,[]}nul"')
_NULL_TOKEN = re.compile(rb":null")
_RESPELT_FLOATS = (re.compile(rb"\.0:"), re.compile(rb"1e-"))
_NUMBER_BYTES = frozenset(b"01.-")
# UTF-8 lead bytes of characters in U+E000..U+FFFF (EE, EF) and outside the BMP
# (F0-F4): JCS sorts keys by UTF-16 code units, which puts the second before the
# first; code-point order (orjson's) puts them after.
_TOP_LEADS = (b"\xee", b"\xef")
_ASTRAL_LEADS = tuple(bytes((c,)) for c in range(0xF0, 0xF5))
_LAST_BYTE = operator.itemgetter(slice(-1, None))
# The C-encoder fallback's guard (for documents orjson refuses).
_FLOAT_OR_BIG = re.compile(r"[:,\[]-?(?:\d{16}|\d+[.eE])")
_ASTRAL = re.compile(r"[\U00010000-\U0010FFFF]")

# Where annotations are stripped: every subschema position of any draft (a structural
# hash never depends on the draft ``$schema`` names; see drift.subschemas).
_ONE, _LISTS, _MAPS = ANY_DRAFT.one, ANY_DRAFT.lists, ANY_DRAFT.maps


def canonical_bytes(document: Any) -> bytes:
    """RFC 8785 (JCS) serialisation of a JSON value (as :func:`json.loads` returns it).

    orjson's sorted compact output is JCS except for three things, each handled
    here: float spelling (where a float orjson spells differently occurs, every
    float is respelt the ES6 way), characters outside the BMP in keys (where they
    can meet a key with a character in U+E000..U+FFFF, objects are re-ordered by
    UTF-16 code units) and non-finite floats, which orjson writes as ``null``
    (where a ``null`` token appears and the document may hold one, the output
    must parse back equal to the input, or the exact path decides).
    Integers beyond 2**53, subclasses and anything orjson refuses take the
    C encoder or :mod:`rfc8785`. A property test holds every path equal to
    :mod:`rfc8785`.
    """
    orjson = _ORJSON or _orjson()
    options = _ORJSON_OPTIONS
    try:
        data: bytes = orjson.dumps(document, option=options)
        if data.isascii() or _code_point_order_is_jcs(data):
            ordered = document
        else:
            ordered, options = _utf16_ordered(document), options ^ orjson.OPT_SORT_KEYS
            data = orjson.dumps(ordered, option=options)
        reduced = data.translate(_REDUCE, _DROP)
        if (
            (_NULL_TOKEN.search(reduced) is not None or reduced.startswith(b"null"))
            and _may_hold_non_finite(marshal.dumps(document))
            and not _round_trips(data, document)
        ):
            return _exact_bytes(document)  # a NaN or infinity became null: the library raises
        if _has_respelt_float(reduced):
            data = orjson.dumps(_es6_floats(ordered), option=options)
    except (TypeError, ValueError):  # big integer, subclass, non-JSON value (marshal: ValueError)
        return _exact_bytes(document)
    return data


def _has_respelt_float(reduced: bytes) -> bool:
    """Whether ``reduced`` may hold a float token orjson spells unlike ES6."""
    for pattern in _RESPELT_FLOATS:
        match = pattern.search(reduced)
        while match is not None:
            if _token_starts_a_value(reduced, match.start()):
                return True
            match = pattern.search(reduced, match.end())
    return reduced.endswith(b".0") and _token_starts_a_value(reduced, len(reduced) - 2)


def _token_starts_a_value(reduced: bytes, at: int) -> bool:
    """Whether the number bytes ending at ``at`` follow a ``:`` or open the document."""
    while at and reduced[at - 1] in _NUMBER_BYTES:
        at -= 1
    return not at or reduced[at - 1] == 0x3A  # ":"


def _may_hold_non_finite(marshalled: bytes) -> bool:
    """marshal writes a double as 8 little-endian bytes; a NaN's or infinity's last
    (sign and exponent bits) is 7F or FF. Without either byte there is neither."""
    return b"\x7f" in marshalled or b"\xff" in marshalled


def _code_point_order_is_jcs(data: bytes) -> bool:
    """Whether orjson's code-point key order in ``data`` is JCS's UTF-16 order.

    Two keys sort differently only where, after a common prefix, one has a
    character in U+E000..U+FFFF and the other one outside the BMP; the byte
    before both is then the same (the prefix's last byte, or the opening quote).
    So the orders agree when no byte precedes both kinds of lead byte anywhere.
    """
    top = [lead for lead in _TOP_LEADS if lead in data]
    astral = [lead for lead in _ASTRAL_LEADS if lead in data] if top else None
    if not astral:
        return True
    before: set[bytes] = set()
    for lead in top:
        before.update(map(_LAST_BYTE, data.split(lead)[:-1]))
    # One substring search per pair (no pattern to escape and look up in re's cache).
    return not any(byte + lead in data for byte in before for lead in astral)


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
        if key in _LISTS and isinstance(value, list):
            out[key] = [_strip(item, keys) for item in value]
        elif key in _ONE:
            out[key] = _strip(value, keys)
        elif key in _MAPS and isinstance(value, Mapping):
            out[key] = {name: _strip(sub, keys) for name, sub in value.items()}
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

"""Small concrete values a subschema accepts, built from its keywords.

The values are guesses: :mod:`drift.compat.counterexample` only ever shows one
after ``jsonschema`` has accepted it. Each generator returns a few candidates,
the most plausible first; depth and breadth are bounded so a large or recursive
schema costs a bounded amount of work.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from drift.compat.regex_samples import samples
from drift.compat.resolve import Doc

__all__ = ["distinct", "examples", "near_misses", "scalars", "unique"]

_DEPTH = 12
_LONG = 256
"""Longest string or array built (a larger bound is not reached by a counterexample)."""
_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")
_FORMATS: Mapping[str, str] = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "time": "00:00:00Z",
    "email": "a@example.com",
    "idn-email": "a@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "uri": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "https://example.com/",
    "iri-reference": "https://example.com/",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "duration": "P1D",
    "regex": "a",
    "json-pointer": "/a",
    "relative-json-pointer": "0",
    "uri-template": "https://example.com/{a}",
}
#: One value of every JSON type, for "anything but what the target accepts".
_ANY: tuple[Any, ...] = (None, False, 0, 0.5, "", "a", [], {})


def scalars() -> tuple[Any, ...]:
    """One value of every JSON type (the candidates for a location any value may take)."""
    return _ANY


def examples(schema: Any, doc: Doc, depth: int = 0, *, first: bool = False) -> list[Any]:
    """Up to a few values ``schema`` probably accepts (unchecked), most plausible first.

    ``first``: only the first of them (``examples(...)[:1]``, without building the rest).
    """
    if schema is True or schema == {}:
        return ([None] if first else [None, 0, "a"]) if depth else [{}]
    if not isinstance(schema, dict) or depth > _DEPTH:
        return []
    schema = _merged(schema, doc, depth)
    if "const" in schema:
        return [schema["const"]]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return list(schema["enum"][: 1 if first else 3])
    branches = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(branches, list):
        rest = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
        out: list[Any] = []
        for branch in branches[:4]:
            if first and out:
                break
            if isinstance(branch, dict):
                merged = {**rest, **_merged(branch, doc, depth)}
                out += examples(merged, doc, depth + 1, first=first)[:2]
            elif branch is True:
                out += examples(rest, doc, depth + 1, first=True)
        return out[:1] if first else out
    out = []
    for atom in _types(schema):
        if first and out:
            break
        out += _of_type(atom, schema, doc, depth, first)
    return out[:1] if first else out


def _first(schema: Any, doc: Doc, depth: int) -> Any:
    """The first of :func:`examples` (one level down), None when there is none."""
    found = examples(schema, doc, depth + 1, first=True)
    return found[0] if found else None


def _merged(schema: dict[str, Any], doc: Doc, depth: int) -> dict[str, Any]:
    """``schema`` with its ``$ref`` target and ``allOf`` members merged in (shallowly)."""
    out = {k: v for k, v in schema.items() if k not in ("$ref", "allOf")}
    members: list[Any] = []
    ref = schema.get("$ref")
    if isinstance(ref, str):
        members.append(doc.resolve(ref))
    if isinstance(schema.get("allOf"), list):
        members += schema["allOf"]
    for member in members:
        if not isinstance(member, dict) or depth > _DEPTH:
            continue
        for key, value in _merged(member, doc, depth + 1).items():
            if key == "properties" and isinstance(out.get(key), dict):
                out[key] = {**value, **out[key]} if isinstance(value, dict) else out[key]
            elif key == "required" and isinstance(out.get(key), list):
                out[key] = [*out[key], *(value if isinstance(value, list) else [])]
            else:
                out.setdefault(key, value)
    return out


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        found = [declared]
    elif isinstance(declared, list):
        found = [t for t in declared if isinstance(t, str)]
    else:
        found = [t for t in _ORDER if _hints(t, schema)] or ["object", "string", "integer"]
    order = [t for t in _ORDER if t in found and t != "null"]
    return order + (["null"] if "null" in found else [])


_HINTS: Mapping[str, tuple[str, ...]] = {
    "object": ("properties", "required", "additionalProperties", "patternProperties"),
    "array": ("items", "prefixItems", "minItems", "maxItems", "contains"),
    "string": ("pattern", "minLength", "maxLength", "format"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
}


def _hints(atom: str, schema: Mapping[str, Any]) -> bool:
    return any(k in schema for k in _HINTS.get(atom, ()))


def _of_type(
    atom: str, schema: dict[str, Any], doc: Doc, depth: int, first: bool = False
) -> list[Any]:
    if atom == "object":
        return _objects(schema, doc, depth, first)
    if atom == "array":
        return _arrays(schema, doc, depth, first)
    if atom == "string":
        return _strings(schema)
    if atom in ("integer", "number"):
        return _numbers(schema, atom == "integer")
    if atom == "boolean":
        return [False, True]
    return [None] if atom == "null" else []


def _objects(schema: dict[str, Any], doc: Doc, depth: int, first: bool) -> list[Any]:
    props = _map(schema.get("properties"))
    listed = schema.get("required")
    required = [r for r in listed if isinstance(r, str)] if isinstance(listed, list) else []
    least = _int(schema.get("minProperties"), 0)
    names = list(dict.fromkeys(required))
    names += [n for n in props if n not in names][: max(0, least - len(names))]
    base: dict[str, Any] = {}
    for name in names:
        sub = props.get(name, schema.get("additionalProperties", True))
        base[name] = _first(sub, doc, depth)
    while len(base) < least:
        base[f"x{len(base)}"] = None
    if first:
        return [base]
    full = dict(base)
    for name in list(props)[:12]:
        if name not in full:
            found = examples(props[name], doc, depth + 1, first=True)
            if found:
                full[name] = found[0]
    return [base, full] if full != base else [base]


def _arrays(schema: dict[str, Any], doc: Doc, depth: int, first: bool) -> list[Any]:
    prefix = schema.get("prefixItems")
    items = schema.get("items")
    if not isinstance(prefix, list):
        prefix, items = (
            (items, schema.get("additionalItems")) if isinstance(items, list) else ([], items)
        )
    least = _int(schema.get("minItems"), 0)
    out: list[Any] = []
    full = []
    for sub in prefix[:16]:
        full.append(_first(sub, doc, depth))
    for i in range(least):
        sub = prefix[i] if i < len(prefix) else (True if items is None else items)
        out.append(_first(sub, doc, depth))
    contains = schema.get("contains")
    if contains is not None and not out:
        out = examples(contains, doc, depth + 1, first=True)
    variants = [full, out] if full and len(full) > len(out) else [out]
    if first:
        return variants[:1]
    most = schema.get("maxItems")
    if out and isinstance(most, int) and len(out) < most <= 16:
        variants.append(out + [out[-1]] * (most - len(out)))
    if items is not None and items is not False and not out:
        found = examples(items, doc, depth + 1, first=True)
        variants += [found, found * 2] if found else []
    return variants


def _strings(schema: Mapping[str, Any]) -> list[Any]:
    low, high = _int(schema.get("minLength"), 0), _int(schema.get("maxLength"), _LONG)
    pattern = schema.get("pattern")
    fmt = schema.get("format")
    pool: list[str] = []
    if isinstance(pattern, str):
        pool += samples(pattern)
    if isinstance(fmt, str) and fmt in _FORMATS:
        pool.append(_FORMATS[fmt])
    pool += ["a" * max(low, 1), "a" * low, "a" * min(high, _LONG)]
    fitting = [s for s in dict.fromkeys(pool) if low <= len(s) <= high]
    return fitting[:3] or pool[:1]


def _numbers(schema: Mapping[str, Any], integer: bool) -> list[Any]:
    low = _num(schema.get("minimum"))
    high = _num(schema.get("maximum"))
    xlow, xhigh = _num(schema.get("exclusiveMinimum")), _num(schema.get("exclusiveMaximum"))
    step = _num(schema.get("multipleOf"))
    if schema.get("exclusiveMinimum") is True and low is not None:  # draft 4 spelling
        xlow, low = low, None
    if schema.get("exclusiveMaximum") is True and high is not None:
        xhigh, high = high, None
    start = low if low is not None else (xlow + 1 if xlow is not None else 0)
    pool: list[float] = [0, 1, start, math.ceil(start)]
    if high is not None:
        pool += [high, math.floor(high)]
    if xhigh is not None:
        pool += [xhigh - 1, math.ceil(xhigh) - 1]
    if step:
        pool = [math.ceil(start / step) * step, math.ceil(start / step) * step + step, *pool]
    out: list[Any] = []
    for value in pool:
        if integer or float(value).is_integer():
            value = int(value)
        if not any(value == v and type(value) is type(v) for v in out):
            out.append(value)
    return out[:4]


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if math.isfinite(value) else None


def _int(value: Any, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return default
    return max(0, min(int(value), _LONG))


def near_misses(schema: Any, doc: Doc, around: Any) -> list[Any]:
    """Values just outside ``schema``: each breaks one of its keywords, built on ``around``
    (a value the other side accepts there) when the keyword constrains its contents."""
    if not isinstance(schema, dict):
        return []
    schema = _merged(schema, doc, 0)
    out: list[Any] = []
    for key in ("minimum", "exclusiveMinimum"):
        if (low := _num(schema.get(key))) is not None:
            out += [_whole(low - 1), _whole(low - 0.5), _whole(low)]
    for key in ("maximum", "exclusiveMaximum"):
        if (high := _num(schema.get(key))) is not None:
            out += [_whole(high + 1), _whole(high + 0.5), _whole(high)]
    if (step := _num(schema.get("multipleOf"))) is not None and step > 0:
        out += [_whole(step / 2), _whole(step * 1.5), 1, 3, 0.5]
    if schema.get("type") == "integer" or "integer" in (schema.get("type") or ()):
        out += [0.5, 1.0]
    if (least := _num(schema.get("minLength"))) is not None and least >= 1:
        out.append("a" * (int(least) - 1))
    if (most := _num(schema.get("maxLength"))) is not None and most < _LONG:
        out.append("a" * (int(most) + 1))
    if "pattern" in schema or "format" in schema:
        out += ["", "a", "0", "A-1", " ", "not a value"]
    for key in ("enum", "const"):
        if key in schema:
            out += ["zz-not-listed", -1234567, 0.25]
    text = around if isinstance(around, str) else "a"
    out += [text + "0", text.upper()] if isinstance(around, str) else []
    out += _array_misses(schema, doc, around)
    out += _object_misses(schema, doc, around)
    for key in ("not", "if"):
        out += examples(schema.get(key), doc, 1)[:3]
    for key in ("then", "else"):
        if isinstance(schema.get("if"), dict) and isinstance(schema.get(key), dict):
            both = {"allOf": [schema["if"], schema[key]]}
            out += [v for v in examples(both, doc, 1)[:2]]
            start = next(iter(examples(schema["if"], doc, 1)), around) if key == "then" else around
            out += near_misses(schema[key], doc, start)
    return out


def _array_misses(schema: dict[str, Any], doc: Doc, around: Any) -> list[Any]:
    items = list(around) if isinstance(around, list) else []
    fill = items[-1] if items else None
    element = examples(schema.get("items"), doc, 1) if isinstance(schema.get("items"), dict) else []
    fills = unique([fill, *element[:1], 0, "a"])
    out: list[Any] = []
    if (least := _num(schema.get("minItems"))) is not None and 1 <= least <= 16:
        out.append(items[: int(least) - 1] or [fill] * (int(least) - 1))
    for key in ("maxItems", "maxContains"):
        if (most := _num(schema.get(key))) is not None and most < 16:
            out += [items + [f] * (int(most) + 1 - len(items)) for f in fills]
    width = len(schema["prefixItems"]) if isinstance(schema.get("prefixItems"), list) else None
    if isinstance(schema.get("items"), list):
        width = len(schema["items"])
    if width is not None:
        out += [items + [f] * (width + 1 - len(items)) for f in fills]
    if schema.get("uniqueItems") is True:
        out += [[f, f] for f in fills]
    if "contains" in schema:
        out += [[], [None], [0], ["a"], [{}]]
    if "items" in schema or "unevaluatedItems" in schema:
        out += [[value] for value in _ANY]
    return out


def _object_misses(schema: dict[str, Any], doc: Doc, around: Any) -> list[Any]:
    base = dict(around) if isinstance(around, dict) else {}
    props = _map(schema.get("properties"))
    out: list[Any] = []
    if (most := _num(schema.get("maxProperties"))) is not None and most < 16:
        grown = dict(base)
        for name in [*props, *(f"x{i}" for i in range(int(most) + 1))]:
            if len(grown) > most:
                break
            grown.setdefault(name, None)
        out.append(grown)
    if (least := _num(schema.get("minProperties"))) is not None and least >= 1:
        out.append(dict(list(base.items())[: int(least) - 1]))
    required = schema.get("required")
    for name in required if isinstance(required, list) else ():
        out.append({k: v for k, v in base.items() if k != name})
    for key in ("dependentRequired", "dependentSchemas", "dependencies"):
        deps = schema.get(key)
        if isinstance(deps, dict):
            for trigger in list(deps)[:6]:
                out += [{**base, trigger: v} for v in (None, 0, "a")]
                out.append({trigger: None})
    names = schema.get("propertyNames")
    if names is not None:
        pattern = names.get("pattern") if isinstance(names, dict) else None
        sampled = samples(pattern) if isinstance(pattern, str) else []
        out += [{**base, n: None} for n in ("", "A-1", "zz", "0", "a_b", "a" * 40, *sampled)]
    if any(
        k in schema for k in ("additionalProperties", "unevaluatedProperties", "patternProperties")
    ):
        out += [{**base, "zz-undeclared": v} for v in (None, 0, "a")]
    for name in list(props)[:12]:
        out += [{**base, name: v} for v in _ANY]
    return out


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _whole(value: float) -> Any:
    return int(value) if float(value).is_integer() else value


def unique(values: Iterable[Any]) -> list[Any]:
    return list(distinct(values))


def distinct(values: Iterable[Any]) -> Iterator[Any]:
    """``values`` without repeats (equal and of the same type), lazily, first one kept."""
    seen: list[Any] = []
    for v in values:
        if not any(v == s and type(v) is type(s) for s in seen):
            seen.append(v)
            yield v

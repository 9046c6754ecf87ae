"""Schemas hypothesis-jsonschema can generate from (it knows drafts 4, 6 and 7 only).

``generation_schema`` rewrites a schema into an equivalent draft-7 schema without
``$ref`` (recursion unrolled a few levels, then cut with ``false``: fewer
values, never wrong ones), or returns None when it cannot. Values are always
checked against the original schema with jsonschema, so the rewrite only has
to be good enough to find valid values.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from drift.compat.resolve import Doc

DRAFT7 = "http://json-schema.org/draft-07/schema#"
_UNSUPPORTED = frozenset(
    {
        "unevaluatedProperties",
        "unevaluatedItems",
        "minContains",
        "maxContains",
        "$dynamicRef",
        "$recursiveRef",
    }
)
_SCHEMA = frozenset(
    {
        "additionalProperties",
        "propertyNames",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "additionalItems",
    }
)
_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_MAPS = frozenset({"properties", "patternProperties"})


class Unsupported(Exception):
    pass


def generation_schema(schema: Any, depth: int = 3, hints: frozenset[str] = frozenset()) -> Any:
    """``hints``: property names to declare (with the schema that already governs them) in
    every object subschema, so that generated objects use them; the accepted values do not
    change."""
    try:
        doc = Doc(schema)
        out = _rewrite(schema, doc, depth, hints)
    except (Unsupported, RecursionError):
        return None
    if isinstance(out, dict):
        out["$schema"] = DRAFT7 if doc.draft != 4 else "http://json-schema.org/draft-04/schema#"
    return out


def _rewrite(schema: Any, doc: Doc, depth: int, hints: frozenset[str]) -> Any:
    if not isinstance(schema, Mapping):
        return schema
    if _UNSUPPORTED & schema.keys():
        raise Unsupported
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("$schema", "$defs", "definitions", "$ref", "$id", "$anchor"):
            continue
        if doc.draft >= 2019 and key in ("dependencies", "additionalItems"):
            continue
        if doc.draft < 2020 and key == "prefixItems":
            continue
        if key in _SCHEMA:
            out[key] = _rewrite(value, doc, depth, hints)
        elif key in _LISTS:
            out[key] = [_rewrite(v, doc, depth, hints) for v in value]
        elif key in _MAPS or key == "dependentSchemas":
            target = "dependencies" if key == "dependentSchemas" else key
            out.setdefault(target, {}).update(
                {k: _rewrite(v, doc, depth, hints) for k, v in value.items()}
            )
        elif key == "dependentRequired":
            out.setdefault("dependencies", {}).update(value)
        elif key == "dependencies":
            out.setdefault("dependencies", {}).update(
                {k: _rewrite(v, doc, depth, hints) for k, v in value.items()}
            )
        elif key == "items":
            if isinstance(value, list):
                out["items"] = [_rewrite(v, doc, depth, hints) for v in value]
            elif doc.draft >= 2020 and "prefixItems" in schema:
                out["additionalItems"] = _rewrite(value, doc, depth, hints)
            else:
                out["items"] = _rewrite(value, doc, depth, hints)
        elif key == "prefixItems":
            out["items"] = [_rewrite(v, doc, depth, hints) for v in value]
        else:
            out[key] = value
    if hints and _objectish(out):
        _declare(out, hints)
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = doc.resolve(ref)
        if target is None:
            raise Unsupported
        resolved = _rewrite(target, doc, depth - 1, hints) if depth > 0 else False
        if doc.draft <= 7:
            return resolved
        return {"allOf": [resolved, out]} if out else resolved
    return out


def names_in(*schemas: Any) -> frozenset[str]:
    """Every property name a schema mentions (``properties``, ``required``, dependencies)."""
    out: set[str] = set()
    stack = list(schemas)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("properties", "dependentRequired", "dependentSchemas", "dependencies"):
                if isinstance(node.get(key), dict):
                    out |= set(node[key])
            if isinstance(node.get("required"), list):
                out |= {n for n in node["required"] if isinstance(n, str)}
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
    return frozenset(out)


def _objectish(schema: dict[str, Any]) -> bool:
    kinds = schema.get("type")
    return (
        "properties" in schema
        or "additionalProperties" in schema
        or kinds == "object"
        or (isinstance(kinds, list) and "object" in kinds)
    )


def _declare(schema: dict[str, Any], names: frozenset[str]) -> None:
    props = schema.setdefault("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    extra = schema.get("additionalProperties", True)
    for name in sorted(names - set(props)):
        matched = any(re.search(p, name) for p in patterns)
        if matched or extra is not False:
            props[name] = True if matched else copy.deepcopy(extra)

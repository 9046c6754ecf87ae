"""Concrete witnesses for breaks the keyword rules could not prove.

When a direction is only "cannot prove", a few candidate values built from the
schemas themselves (their constants, samples of their patterns, objects using
their property names) are validated with jsonschema. A value the source accepts
and the target rejects proves the break. Witnesses never prove compatibility.
"""

from __future__ import annotations

from typing import Any

from drift.compat.evaluate import node_accepts
from drift.compat.regex_samples import samples
from drift.compat.resolve import Node
from drift.compat.shapes import Shape
from drift.compat.values import atom_of, unique_values

__all__ = ["find", "missing"]

_LIMIT = 60
_NODES = 200
_SCALARS: tuple[Any, ...] = (None, False, True, 0, 1, -1, 0.5, "", "a", "0")
_MISSING = object()


def find(source: Node, target: Node, shapes: list[Shape], domain: frozenset[str]) -> Any:
    """A value of a type in ``domain`` that ``source`` accepts and ``target`` rejects."""
    for value in _candidates(shapes):
        if (
            atom_of(value) in domain
            and node_accepts(source, value) is True
            and node_accepts(target, value) is False
        ):
            return value
    return _MISSING


def missing(value: Any) -> bool:
    """True when :func:`find` found nothing."""
    return value is _MISSING


def _candidates(shapes: list[Shape]) -> list[Any]:
    scalars: list[Any] = list(_SCALARS)
    names: list[str] = []
    for shape in shapes:
        scalars += list(shape.values or ())
        for part in shape.parts:
            _collect(part.schema, scalars, names)
    scalars = unique_values(scalars)
    names = list(dict.fromkeys(names))
    out: list[Any] = [*scalars[:20], [], {}, {"zz-undeclared": 0}]
    out += [[s] for s in scalars[:8]]
    out += [dict.fromkeys(names, s) for s in scalars[:10]] if names else []
    out += [{name: s} for name in names[:6] for s in scalars[:10]]
    return unique_values(out)[:_LIMIT]


def _collect(schema: Any, scalars: list[Any], names: list[str]) -> None:
    """Constants, bounds, pattern samples and property names anywhere in ``schema``."""
    stack, seen = [schema], 0
    while stack and seen < _NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, list):
            stack += [v for v in node if isinstance(v, (dict, list))]
            continue
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("pattern"), str):
            scalars += samples(node["pattern"])
        if "const" in node:
            scalars.append(node["const"])
        if isinstance(node.get("enum"), list):
            scalars += node["enum"][:3]
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            value = node.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                scalars += [value, value - 1, value + 1]
        for key in ("properties", "dependentRequired", "dependentSchemas", "dependencies"):
            if isinstance(node.get(key), dict):
                names += [k for k in node[key] if isinstance(k, str)]
        if isinstance(node.get("required"), list):
            names += [k for k in node["required"] if isinstance(k, str)]
        for key, value in node.items():
            if key not in ("enum", "const", "default", "examples") and isinstance(
                value, (dict, list)
            ):
                stack.append(value)

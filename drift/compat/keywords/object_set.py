"""How a shape constrains objects: properties, open content, required, dependencies."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from drift.compat.resolve import Doc, Node, Sub
from drift.compat.shapes import Part, Shape
from drift.compat.vocab import ANNOTATION_KEYS
from drift.regex import search as bounded_search

__all__ = ["Component", "Declared", "ObjectSet", "matches", "read"]

_CONDITIONAL = ("if", "dependentSchemas", "dependencies")


class Declared(Mapping[str, "Sub | None"]):
    """A ``properties`` object seen as name -> subschema, wrapping values on demand."""

    __slots__ = ("doc", "raw")

    def __init__(self, raw: Mapping[str, Any], doc: Doc) -> None:
        self.raw = raw
        self.doc = doc

    def __getitem__(self, name: str) -> Sub | None:
        return Sub(self.raw[name], self.doc)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.raw.get(name, _MISSING)
        return default if value is _MISSING else Sub(value, self.doc)

    def __contains__(self, name: object) -> bool:
        return name in self.raw

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


_MISSING = object()


@dataclass(frozen=True)
class Component:
    """One part's ``properties``/``patternProperties``/``additionalProperties`` (or the
    ``unevaluatedProperties`` of a part, whose named and pattern entries only exempt)."""

    named: Mapping[str, Sub | None]
    patterns: tuple[tuple[str, Sub | None], ...]
    fallback: Sub | None
    keyword: str

    @property
    def is_open_content(self) -> bool:
        return self.fallback is not None or any(s is not None for _p, s in self.patterns)


@dataclass(frozen=True)
class ObjectSet:
    components: tuple[Component, ...]
    required: frozenset[str]
    min_props: int
    max_props: int | None
    dep_required: Mapping[str, frozenset[str]]
    dep_schemas: Mapping[str, Node]
    property_names: Node
    opaque: str = ""
    names: tuple[str, ...] = field(default=())
    raw_properties: Any = None
    """The ``properties`` object of the single part declaring properties, if only one does."""
    least: int = 0
    """Fewest properties a valid object has: ``minProperties`` or the required count."""
    most: int | None = None
    """Most properties: ``maxProperties`` or, for a closed object, the names it allows."""
    implied: frozenset[str] = frozenset()
    """Names every valid object has: ``required``, or every allowed name of a closed
    object whose ``least`` is their number."""

    @property
    def simple(self) -> Mapping[str, Sub | None] | None:
        """The declared properties when one plain ``properties`` object governs them all."""
        if len(self.components) == 1 and not self.components[0].patterns:
            return self.components[0].named
        return None

    def declared(self, name: str) -> bool:
        return any(c.named.get(name) is not None for c in self.components)

    def govern(self, name: str) -> Node:
        """The subschemas a property called ``name`` must satisfy (empty: anything)."""
        out: list[Sub] = []
        for comp in self.components:
            matched = False
            if name in comp.named:
                matched = True
                sub = comp.named[name]
                if sub is not None:
                    out.append(sub)
            for pattern, sub in comp.patterns:
                if matches(pattern, name) is True:
                    matched = True
                    if sub is not None:
                        out.append(sub)
            if not matched and comp.fallback is not None:
                out.append(comp.fallback)
        return tuple(out)


def matches(pattern: str, name: str) -> bool | None:
    try:
        return bounded_search(pattern, name)
    except re.error:
        return None


def read(shape: Shape) -> ObjectSet:
    comps: list[Component] = []
    declared: list[str] = []
    required: set[str] = set()
    low, high = 0, None
    dep_required: dict[str, frozenset[str]] = {}
    dep_schemas: dict[str, list[Sub]] = {}
    names_schemas: list[Sub] = []
    opaque = ""
    raw: Any = None
    declaring = 0
    for index, part in enumerate(shape.parts):
        schema, doc = part.schema, part.doc
        props = _map(schema.get("properties"))
        pats = _map(schema.get("patternProperties"))
        if props or pats or "additionalProperties" in schema:
            raw, declaring = props, declaring + (1 if props else 0)
            extra = schema.get("additionalProperties")
            comps.append(
                Component(
                    Declared(props, doc),
                    tuple((k, Sub(v, doc)) for k, v in pats.items()),
                    None if extra is None else Sub(extra, doc),
                    "additionalProperties",
                )
            )
            declared += [k for k in props if k not in declared]
        if "unevaluatedProperties" in schema and doc.draft >= 2019:
            comp, reason = _unevaluated(shape.parts, index)
            opaque = opaque or reason
            if comp is not None:
                comps.append(comp)
        value = schema.get("required")
        if isinstance(value, list):
            required.update(v for v in value if isinstance(v, str))
        low = max(low, _int(schema.get("minProperties"), 0))
        top = schema.get("maxProperties")
        if isinstance(top, int) and not isinstance(top, bool):
            high = top if high is None else min(high, top)
        for trigger, dep in _deps(schema, doc.draft):
            names = _required_only(dep)
            if names is not None:
                dep_required[trigger] = dep_required.get(trigger, frozenset()) | names
            elif dep is not True:
                dep_schemas.setdefault(trigger, []).append(Sub(dep, doc))
        if "propertyNames" in schema and doc.draft >= 6:
            names_schemas.append(Sub(schema["propertyNames"], doc))
    allowed = _allowed(comps)
    least = max(low, len(required))
    most = high if allowed is None else min(len(allowed), len(allowed) if high is None else high)
    implied = frozenset(required)
    if allowed is not None and required <= allowed and least >= len(allowed):
        implied = frozenset(allowed)
    return ObjectSet(
        tuple(comps),
        frozenset(required),
        low,
        high,
        dep_required,
        {k: tuple(v) for k, v in dep_schemas.items()},
        tuple(names_schemas),
        opaque,
        tuple(declared),
        raw if declaring == 1 else None,
        least,
        most,
        implied,
    )


def _allowed(comps: list[Component]) -> frozenset[str] | None:
    """The only names a valid object may have (closed ``additionalProperties`` parts without
    patterns), or None when any name may appear."""
    found: frozenset[str] | None = None
    for comp in comps:
        if comp.keyword != "additionalProperties" or comp.patterns or comp.fallback is None:
            continue
        if comp.fallback.schema is not False:
            continue
        names = frozenset(
            n for n in comp.named if (sub := comp.named.get(n)) is None or sub.schema is not False
        )
        found = names if found is None else found & names
    return found


def _unevaluated(parts: tuple[Part, ...], owner: int) -> tuple[Component | None, str]:
    """``unevaluatedProperties`` of ``parts[owner]`` as a component, when it is static."""
    scope = [i for i in range(len(parts)) if _descends(parts, i, owner)]
    for i in scope:
        schema = parts[i].schema
        if (i != owner and parts[i].chosen) or any(k in schema for k in _CONDITIONAL):
            return None, "unevaluatedProperties next to conditional subschemas"
        if "additionalProperties" in schema or (i != owner and "unevaluatedProperties" in schema):
            return None, ""
    named: dict[str, Sub | None] = {}
    patterns: list[tuple[str, Sub | None]] = []
    for i in scope:
        named.update({k: None for k in _map(parts[i].schema.get("properties"))})
        patterns += [(k, None) for k in _map(parts[i].schema.get("patternProperties"))]
    owner_part = parts[owner]
    fallback = Sub(owner_part.schema["unevaluatedProperties"], owner_part.doc)
    return Component(named, tuple(patterns), fallback, "unevaluatedProperties"), ""


def _descends(parts: tuple[Part, ...], index: int, owner: int) -> bool:
    while index >= 0:
        if index == owner:
            return True
        index = parts[index].parent
    return False


def _deps(schema: Mapping[str, Any], draft: int) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    if draft <= 7:
        out += list(_map(schema.get("dependencies")).items())
    else:
        out += list(_map(schema.get("dependentRequired")).items())
        out += list(_map(schema.get("dependentSchemas")).items())
    return out


def _required_only(dep: Any) -> frozenset[str] | None:
    """Names a dependency requires, when that is all it does (list or ``{"required": [...]}``)."""
    if isinstance(dep, list):
        return frozenset(v for v in dep if isinstance(v, str))
    if isinstance(dep, dict) and not set(dep) - ANNOTATION_KEYS - {"required"}:
        value = dep.get("required", [])
        if isinstance(value, list):
            return frozenset(v for v in value if isinstance(v, str))
    return None


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default

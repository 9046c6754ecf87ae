"""Expansion of a subschema into shapes: a union of conjunctions without ``anyOf``/``oneOf``.

A :class:`Shape` is one way to satisfy a schema: a list of dict parts that all
apply (``allOf`` members and ``$ref`` targets merged in, one branch of every
``anyOf``/``oneOf`` chosen), with its type atoms and finite value set worked out.
``oneOf`` is read as ``anyOf``: exact when its branches are provably exclusive,
otherwise an over-approximation (``Expansion.exact`` is then False).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from drift.compat.resolve import Doc, Node, Sub
from drift.compat.values import atom_of, unique_values, value_key
from drift.compat.vocab import atoms_of_type

__all__ = ["MAX_SHAPES", "Disjoint", "Expansion", "Part", "Shape", "expand"]

MAX_SHAPES = 64
_APPLICATORS = frozenset({"$ref", "allOf", "anyOf", "oneOf", "$recursiveRef", "$dynamicRef"})
_MAX_PARTS = 400


class Part(NamedTuple):
    """One dict schema of a shape; ``parent`` indexes the part that applied it (-1: the node).

    ``chosen``: it was reached through an ``anyOf``/``oneOf`` branch choice.
    """

    schema: Mapping[str, Any]
    doc: Doc
    parent: int
    chosen: bool


@dataclass(frozen=True)
class Shape:
    parts: tuple[Part, ...]
    annots: tuple[tuple[str, Mapping[str, Any], Doc], ...]
    """Every dict seen (``$ref`` siblings of old drafts included), with its branch path."""
    atoms: frozenset[str]
    values: tuple[Any, ...] | None
    """Finite set of allowed values (``enum``/``const``), None when unrestricted."""
    refs: tuple[str, ...]
    branch: str
    """Schema path of the chosen branches, e.g. ``/anyOf/1``."""
    opaque: str = ""
    """Why this shape cannot be analysed ("" when it can)."""


Disjoint = Callable[["Shape", "Shape"], bool]


@dataclass
class Expansion:
    shapes: list[Shape]
    exact: bool = True
    oneof_paths: list[str] = field(default_factory=list)


@dataclass
class _State:
    parts: list[Part] = field(default_factory=list)
    annots: list[tuple[str, Mapping[str, Any], Doc]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    branch: str = ""
    opaque: str = ""
    dead: bool = False

    def copy(self) -> _State:
        return _State(
            list(self.parts), list(self.annots), list(self.refs), self.branch, self.opaque
        )


class _Item(NamedTuple):
    schema: Any
    doc: Doc
    parent: int
    chosen: bool
    chain: tuple[int, ...]


def expand(node: Node, domain: frozenset[str], disjoint: Disjoint | None = None) -> Expansion:
    """All shapes of ``node`` restricted to ``domain``; ``disjoint(a, b)`` proves exclusivity."""
    if len(node) == 1 and type(node[0].schema) is dict and _APPLICATORS.isdisjoint(node[0].schema):
        schema, doc = node[0]
        state = _State([Part(schema, doc, -1, False)], [("", schema, doc)])
        not_ = schema.get("not")
        if not_ is True or (isinstance(not_, dict) and not not_):
            return Expansion([])
        shape = _finish(state, domain)
        return Expansion([] if shape is None else [shape])
    out = Expansion([])
    stack = [([_Item(s.schema, s.doc, -1, False, ()) for s in node], _State())]
    while stack:
        pending, state = stack.pop()
        while pending and not state.dead:
            item = pending.pop(0)
            choice = _visit(item, state, pending)
            if choice is not None:
                kind, members, owner = choice
                if (
                    kind == "oneOf"
                    and disjoint is not None
                    and not _exclusive(members, item.doc, domain, disjoint)
                ):
                    out.exact = False
                    out.oneof_paths.append(state.branch)
                for index, member in enumerate(members):
                    branch = state.copy()
                    branch.branch = f"{state.branch}/{kind}/{index}"
                    stack.append(
                        ([_Item(member, item.doc, owner, True, item.chain), *pending], branch)
                    )
                state.dead = True
                break
            if len(state.parts) > _MAX_PARTS:
                state.opaque = state.opaque or "schema too large to analyse"
                break
        if not state.dead:
            shape = _finish(state, domain)
            if shape is not None:
                out.shapes.append(shape)
        if len(out.shapes) + len(stack) > MAX_SHAPES:
            return Expansion([_opaque(domain, "too many anyOf/oneOf combinations")], False)
    out.shapes.reverse()
    return out


def _visit(item: _Item, state: _State, pending: list[_Item]) -> tuple[str, list[Any], int] | None:
    schema = item.schema
    if schema is True:
        return None
    if schema is False:
        state.dead = True
        return None
    if not isinstance(schema, dict):
        state.opaque = state.opaque or "a subschema is not an object or boolean"
        return None
    doc = item.doc
    state.annots.append((state.branch, schema, doc))
    parent = item.parent
    ref = schema.get("$ref")
    target = None
    if isinstance(ref, str):
        target = doc.resolve(ref)
        if target is None:
            state.opaque = state.opaque or f"cannot resolve $ref {ref!r}"
            return None
        if id(target) in item.chain:
            state.opaque = state.opaque or f"$ref {ref!r} loops without descending"
            return None
        state.refs.append(ref)
        chain = (*item.chain, id(target))
        if doc.draft <= 7:
            pending.append(_Item(target, doc, parent, item.chosen, chain))
            return None
    else:
        chain = item.chain
    for key in ("$recursiveRef", "$dynamicRef"):
        if key in schema and key in _dynamic(doc.draft):
            state.opaque = state.opaque or f"{key} is not analysed"
    index = len(state.parts)
    state.parts.append(Part(schema, doc, parent, item.chosen))
    if target is not None:
        pending.append(_Item(target, doc, index, False, chain))
    not_ = schema.get("not")
    if not_ is True or (isinstance(not_, dict) and not not_):
        state.dead = True
    for member in _list(schema.get("allOf")):
        pending.append(_Item(member, doc, index, False, chain))
    choices = [(k, _list(schema.get(k))) for k in ("anyOf", "oneOf") if k in schema]
    if not choices:
        return None
    kind, members = choices[0]
    if len(choices) > 1:
        pending.append(_Item({"oneOf": choices[1][1]}, doc, index, False, chain))
    if not members:
        state.dead = True
        return None
    return kind, members, index


def _dynamic(draft: int) -> tuple[str, ...]:
    return ("$recursiveRef",) if draft == 2019 else ("$dynamicRef",) if draft >= 2020 else ()


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _finish(state: _State, domain: frozenset[str]) -> Shape | None:
    atoms = domain
    values: list[Any] | None = None
    for part in state.parts:
        schema = part.schema
        if "type" in schema:
            allowed = atoms_of_type(schema["type"])
            if allowed is None:
                state.opaque = state.opaque or f"unknown type {schema['type']!r}"
            else:
                atoms = atoms & allowed
        listed = [schema["enum"]] if isinstance(schema.get("enum"), list) else []
        if "const" in schema and part.doc.draft >= 6:
            listed.append([schema["const"]])
        for options in listed:
            keys = {value_key(v) for v in options}
            values = (
                unique_values(options)
                if values is None
                else [v for v in values if value_key(v) in keys]
            )
    if values is not None:
        values = [v for v in values if atom_of(v) in atoms]
        atoms = atoms & frozenset(atom_of(v) for v in values)
    if state.opaque:
        atoms = domain
    elif not atoms:
        return None
    return Shape(
        tuple(state.parts),
        tuple(state.annots),
        atoms,
        None if values is None else tuple(values),
        tuple(state.refs),
        state.branch,
        state.opaque,
    )


def _opaque(domain: frozenset[str], reason: str) -> Shape:
    return Shape((), (), domain, None, (), "", reason)


def _exclusive(members: list[Any], doc: Doc, domain: frozenset[str], disjoint: Disjoint) -> bool:
    cached = doc.cache.setdefault("exclusive", {})
    key = (id(members), domain)
    if key not in cached:
        shapes = [expand((Sub(m, doc),), domain, disjoint).shapes for m in members]
        cached[key] = all(
            disjoint(a, b)
            for i, left in enumerate(shapes)
            for right in shapes[i + 1 :]
            for a in left
            for b in right
        )
    return bool(cached[key])

"""``$ref`` cycles that never descend into the instance (``{"$ref": "#"}``, ``A -> B -> A``).

Such a schema validates nothing: every validator recurses until the stack
runs out. A recursive schema that goes through ``properties``, ``items`` and
the like (a tree) is fine and not reported: only references reached through
in-place applicators (``allOf``, ``anyOf``, ``oneOf``, ``not``, ``if``/``then``/
``else``, ``dependentSchemas``, ``$ref`` itself) count. Pure: the schemas of
one track are passed in, references are resolved by name as the contract
registry does (``Name``, ``Name.json``, ``urn:drift:<track>:Name``, ``#...``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["find_ref_cycle"]

_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE_ONE = ("not", "if", "then", "else")
_LIMIT = 10_000  # nodes visited at most: bounded on hostile input

Node = tuple[str, str]  # (schema name, JSON pointer)


def find_ref_cycle(schemas: Mapping[str, Any], start: str) -> list[str] | None:
    """The first in-place ``$ref`` cycle reachable from ``start``, as ``["A", "B#/x", "A"]``."""
    path: list[Node] = []
    on_path: set[Node] = set()
    done: set[Node] = set()
    budget = [_LIMIT]
    stack: list[Iterator[Node]] = []

    def enter(node: Node) -> list[str] | None:
        if node in on_path:
            cycle = [*path[path.index(node) :], node]
            return [_label(n) for n in cycle]
        if node in done or budget[0] <= 0:
            return None
        budget[0] -= 1
        path.append(node)
        on_path.add(node)
        stack.append(_next_nodes(schemas, node))
        return None

    found = enter((start, ""))
    while stack and found is None:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            node = path.pop()
            on_path.discard(node)
            done.add(node)
            continue
        found = enter(step)
    return found


def _label(node: Node) -> str:
    name, pointer = node
    return f"{name}#{pointer}" if pointer else name


def _next_nodes(schemas: Mapping[str, Any], node: Node) -> Iterator[Node]:
    name, pointer = node
    schema = _at(schemas.get(name), pointer)
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = _resolve(schemas, name, ref)
        if target is not None:
            yield target
    for key in _IN_PLACE_LISTS:
        items = schema.get(key)
        if isinstance(items, list):
            for i in range(len(items)):
                yield (name, f"{pointer}/{key}/{i}")
    for key in _IN_PLACE_ONE:
        if isinstance(schema.get(key), dict):
            yield (name, f"{pointer}/{key}")
    dependent = schema.get("dependentSchemas")
    if isinstance(dependent, dict):
        for key in dependent:
            yield (name, f"{pointer}/dependentSchemas/{_escape(key)}")


def _resolve(schemas: Mapping[str, Any], here: str, ref: str) -> Node | None:
    base, _, fragment = ref.partition("#")
    if fragment and not fragment.startswith("/"):
        return None  # an anchor: not followed
    if not base:
        return (here, fragment)
    stem = base.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    if stem.endswith(".json"):
        stem = stem[: -len(".json")]
    return (stem, fragment) if stem in schemas else None


def _at(schema: Any, pointer: str) -> Any:
    if not pointer:
        return schema
    for part in pointer[1:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(schema, dict):
            schema = schema.get(part)
        elif isinstance(schema, list) and part.isdigit() and int(part) < len(schema):
            schema = schema[int(part)]
        else:
            return None
    return schema


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")

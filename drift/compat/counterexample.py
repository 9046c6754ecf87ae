"""A concrete instance that proves a break: the source schema accepts it, the target rejects it.

For a backward break the source is the old schema and the target the new one;
for a forward break the reverse. Candidates are built from the source (a small
valid instance, see :mod:`drift.compat.examples`) and varied at the place each
breaking change points at (its schema path, mapped to an instance path). A
candidate is only returned after ``jsonschema``, under each schema's own draft,
has accepted it with the source and rejected it with the target; the search is
bounded, so a break it cannot prove stays unproven (``cannot-prove``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any, Generic, TypeVar

from drift.compat.evaluate import node_accepts
from drift.compat.examples import distinct, examples, near_misses, scalars, unique
from drift.compat.regex_samples import samples
from drift.compat.resolve import Doc, Sub
from drift.compat.result import BREAKS, OK, Change, Counterexample, Direction

__all__ = ["find"]

_CHECKS = 96
"""Most candidate instances validated per direction."""
_CHANGES = 8
_EXTRA = "x-drift-undeclared"
_BRANCHES = frozenset({"allOf", "anyOf", "oneOf"})
_DEPENDENT = frozenset({"dependentSchemas", "dependencies"})
_POSITIONS = frozenset({"items", "prefixItems", "additionalItems", "unevaluatedItems"})
_UNDECLARED = frozenset({"additionalProperties", "unevaluatedProperties"})


def find(
    direction: Direction, old: Doc, new: Doc, changes: Iterable[Change]
) -> Counterexample | None:
    """A checked counterexample for the ``direction`` breaks among ``changes``, or None."""
    source, target = (old, new) if direction == "backward" else (new, old)
    accepted, rejected = (Sub(source.root, source),), (Sub(target.root, target),)
    budget = [_CHECKS]

    def proves(value: Any) -> bool:
        if budget[0] <= 0:
            return False
        budget[0] -= 1
        # The target first: a rejected instance usually fails fast.
        return (
            node_accepts(rejected, value, formats=True) is False
            and node_accepts(accepted, value, formats=True) is True
        )

    bases = _Replay(_bases(source))
    # Proven breaks first; the unproven ones still say where to look.
    flagged = [c for c in changes if c.effect(direction) != OK]
    breaking = sorted(flagged, key=lambda c: c.effect(direction) != BREAKS)[:_CHANGES]
    if not breaking or any(_at_root(c.path) for c in breaking):
        for base in bases:  # a smallest valid instance may already be the proof
            if proves(base):
                return Counterexample(direction, base)
    for change in breaking:
        triggers: list[list[str | int]] = []
        place = _locate(change.path, source, triggers)
        if place is None:
            continue
        steps, local = place
        there = _locate(change.path, target, triggers)
        outside = there[1] if there is not None and there[0] == steps else None
        starts = _Replay(_triggered(b, triggers) for b in bases)
        for value in _local(local, outside, source, target):
            for base in starts:
                candidate = _triggered(_embed(base, steps, value), triggers)
                if candidate is not _NOWHERE and proves(candidate):
                    return Counterexample(direction, candidate, _pointer(steps))
            if budget[0] <= 0:  # nothing proves any more
                return None
    return None


def _bases(source: Doc) -> Iterator[Any]:
    """The source's first two distinct examples; the second is only built if asked for."""
    head = examples(source.root, source, first=True)
    yield from head
    if head:
        yield from unique(examples(source.root, source))[1:2]


_T = TypeVar("_T")


class _Replay(Generic[_T]):
    """An iterator's items, each computed once however often they are iterated."""

    def __init__(self, items: Iterator[_T]) -> None:
        self._items = items
        self._seen: list[_T] = []

    def __iter__(self) -> Iterator[_T]:
        i = 0
        while True:
            if i == len(self._seen):
                for item in self._items:
                    self._seen.append(item)
                    break
                else:
                    return
            yield self._seen[i]
            i += 1


def _at_root(path: str) -> bool:
    """A change of the root node itself (``""``, ``/required``, ``/type``...)."""
    return path.count("/") <= 1


def _local(schema: Any, outside: Any, source: Doc, target: Doc) -> Iterator[Any]:
    """Values to try at one place: the source's own values there, values just outside the
    target's subschema there (built on the source's), then one value of each type."""
    found = examples(schema, source, 1) if schema is not None else []
    if isinstance(schema, dict) and isinstance(schema.get("enum"), list):
        found += schema["enum"][:12]
    around = found[0] if found else None

    def misses() -> Iterator[Any]:  # built only once the source's own values are tried
        yield from near_misses(outside, target, around)
        yield from near_misses(schema, source, around)

    yield from distinct(chain(found, misses(), scalars()))


def _triggered(base: Any, triggers: list[list[str | int]]) -> Any:
    """``base`` with the trigger properties of dependent schemas present (null if absent)."""
    if base is _NOWHERE:
        return base
    for steps in triggers:
        node = base
        for step in steps[:-1]:
            node = node.get(step) if isinstance(node, dict) else None
        if isinstance(node, dict) and steps[-1] in node:
            continue
        candidate = _embed(base, steps, None)
        if candidate is not _NOWHERE:
            base = candidate
    return base


_NOWHERE: Any = object()
_Place = tuple[list["str | int"], Any]


def _locate(path: str, doc: Doc, trigger: list[list[str | int]] | None = None) -> _Place | None:
    """(instance path, subschema there) for a change's schema path; None when the path does
    not lead into the instance (a definition). ``trigger`` collects the properties that
    must be present for a dependent schema on the way to apply."""
    trigger = [] if trigger is None else trigger
    keys = [t.replace("~1", "/").replace("~0", "~") for t in path.split("/")[1:]]
    node: Any = doc.root
    steps: list[str | int] = []
    i = 0
    hops = 0
    while i < len(keys) and hops < 64:
        hops += 1
        key = keys[i]
        if not isinstance(node, dict):
            return (steps, node) if node is True else None
        if key not in node and isinstance(node.get("$ref"), str):
            node = doc.resolve(node["$ref"])
            continue
        following = keys[i + 1] if i + 1 < len(keys) else None
        if key == "properties" and following is not None:
            steps.append(following)
            props = node.get("properties")
            named = props.get(following) if isinstance(props, dict) else None
            node = named if named is not None else node.get("additionalProperties", True)
            i += 2
        elif key == "patternProperties" and following is not None:
            names = samples(following) if following else [""]
            if not names:
                return None
            steps.append(names[0])
            node = node.get(key, {}).get(following, True)
            i += 2
        elif key in _UNDECLARED:
            steps.append(_EXTRA)
            node = node.get(key, True)
            i += 1
        elif key in _POSITIONS:
            node, index, used = _position(node, key, following)
            steps.append(index)
            i += 1 + used
        elif key in _BRANCHES and following is not None and following.isdigit():
            members = node.get(key)
            index = int(following)
            if not isinstance(members, list) or index >= len(members):
                return None
            node = members[index]
            i += 2
        elif key in _DEPENDENT and following is not None:
            trigger.append([*steps, following])
            deps: dict[str, Any] = next(
                (node[k] for k in _DEPENDENT if isinstance(node.get(k), dict)), {}
            )
            node = deps.get(following, True)
            i += 2
        elif key in ("$defs", "definitions"):
            return None
        else:
            break  # a keyword of the node itself: the place is reached
    return steps, node


def _position(node: dict[str, Any], key: str, following: str | None) -> tuple[Any, int, int]:
    """(subschema, array index, path keys used besides ``key``) for an array keyword."""
    value = node.get(key, True)
    if isinstance(value, list):
        index = int(following) if following is not None and following.isdigit() else 0
        return (value[index] if index < len(value) else True), index, 1
    if key in ("additionalItems", "unevaluatedItems") or (
        key == "items" and isinstance(node.get("prefixItems"), list)
    ):
        tuple_ = node.get("prefixItems", node.get("items"))
        width = len(tuple_) if isinstance(tuple_, list) else 0
        return value, width, 0
    return value, 0, 0


def _embed(base: Any, steps: list[str | int], value: Any) -> Any:
    """``base`` with ``value`` at ``steps`` (containers created on the way); _NOWHERE if the
    base has another type there."""
    if not steps:
        return value
    root = copy.deepcopy(base)
    node = root
    for step, after in zip(steps, [*steps[1:], None], strict=True):
        last = after is None
        if isinstance(step, int):
            if not isinstance(node, list):
                return _NOWHERE
            while len(node) <= step:
                node.append(copy.deepcopy(node[-1]) if node else None)
        elif not isinstance(node, dict):
            return _NOWHERE
        if last:
            node[step] = value
            break
        child = node[step] if isinstance(step, int) or step in node else None
        if not isinstance(child, (dict, list)):
            child = [] if isinstance(after, int) else {}
            node[step] = child
        node = child
    return root


def _pointer(steps: list[str | int]) -> str:
    return "".join("/" + str(s).replace("~", "~0").replace("/", "~1") for s in steps)

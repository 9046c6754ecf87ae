"""Array keywords: ``items``/``prefixItems``/``additionalItems`` (tuples), lengths,
``uniqueItems``, ``contains`` and ``unevaluatedItems``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drift.compat.pairing import whole
from drift.compat.resolve import Doc, Node, Sub
from drift.compat.result import (
    BREAKS,
    OK,
    UNKNOWN,
    Change,
    Effect,
    bound_change,
    make,
    prefix,
)
from drift.compat.same import same_node
from drift.compat.shapes import Shape

if TYPE_CHECKING:
    from drift.compat.session import Session

__all__ = ["ArraySet", "compare", "read"]


@dataclass(frozen=True)
class ArraySet:
    tuples: tuple[tuple[tuple[Any, ...], Any, Doc], ...]
    """Per part: (prefix schemas, rest schema or None, document)."""
    min_items: int
    max_items: int | None
    """Effective: ``maxItems`` and closed tuples (rest ``false``) both count."""
    unique: bool
    contains: tuple[tuple[Node, int, int | None], ...]
    unevaluated: Node
    old_spelling: bool

    def width(self) -> int:
        return max((len(p) for p, _r, _d in self.tuples), default=0)

    def position(self, index: int) -> Node:
        out = []
        for head, rest, doc in self.tuples:
            if index < len(head):
                out.append(Sub(head[index], doc))
            elif rest is not None:
                out.append(Sub(rest, doc))
        return tuple(out)

    def reaches(self, index: int) -> bool:
        return self.max_items is None or index < self.max_items


def read(shape: Shape) -> ArraySet:
    tuples = []
    low, high, unique, old = 0, None, False, False
    contains: list[tuple[Node, int, int | None]] = []
    unevaluated: list[Sub] = []
    static = _static_unevaluated(shape)
    for part in shape.parts:
        schema, doc = part.schema, part.doc
        head, rest = _items(schema, doc.draft)
        if rest is None and static is part:
            rest = schema["unevaluatedItems"]  # nothing else evaluates items: it is the rest
        old = old or (doc.draft < 2020 and isinstance(schema.get("items"), list))
        if head or rest is not None:
            tuples.append((tuple(head), rest, doc))
            # No item can stand where the schema is false: the length stops before it.
            closed = next((i for i, s in enumerate(head) if _never(s)), None)
            if closed is None and _never(rest):
                closed = len(head)
            if closed is not None:
                high = closed if high is None else min(high, closed)
        low = max(low, _int(schema.get("minItems"), 0))
        if isinstance(schema.get("maxItems"), int):
            high = _int(schema["maxItems"], 0) if high is None else min(high, schema["maxItems"])
        unique = unique or schema.get("uniqueItems") is True
        if "contains" in schema and doc.draft >= 6:
            at_least = _int(schema.get("minContains"), 1) if doc.draft >= 2019 else 1
            at_most = schema.get("maxContains") if doc.draft >= 2019 else None
            contains.append(
                (
                    (Sub(schema["contains"], doc),),
                    at_least,
                    at_most if isinstance(at_most, int) else None,
                )
            )
        if "unevaluatedItems" in schema and doc.draft >= 2019 and static is not part:
            unevaluated.append(Sub(schema["unevaluatedItems"], doc))
    return ArraySet(tuple(tuples), low, high, unique, tuple(contains), tuple(unevaluated), old)


def compare(o: Shape, n: Shape, session: Session) -> list[Change]:
    old, new = read(o), read(n)
    out = _lengths(old, new)
    width = max(old.width(), new.width())
    spelling = "items" if old.old_spelling or new.old_spelling else "prefixItems"
    for index in range(width):
        if old.reaches(index) and new.reaches(index):
            out += prefix(
                session.compare(old.position(index), new.position(index), descend=True),
                f"/{spelling}/{index}",
            )
    if old.reaches(width) and new.reaches(width):
        rest = "additionalItems" if spelling == "items" and width else "items"
        out += prefix(
            session.compare(old.position(width), new.position(width), descend=True), f"/{rest}"
        )
    if old.unique != new.unique:
        out += _unique(old, new)
    if not _same_contains(old.contains, new.contains, session.ignore):
        out += make(
            "/contains",
            "contains-changed",
            "contains changed",
            _contains_ok(old, new, session),
            _contains_ok(new, old, session),
        )
    if (old.unevaluated or new.unevaluated) and not same_node(whole(o), whole(n), session.ignore):
        bw = OK if not new.unevaluated else UNKNOWN
        fw = OK if not old.unevaluated else UNKNOWN
        out += make(
            "/unevaluatedItems",
            "unevaluatedItems-changed",
            "array with unevaluatedItems changed (compared conservatively)",
            bw,
            fw,
        )
    return out


_EVALUATES_ITEMS = ("items", "prefixItems", "additionalItems", "contains", "unevaluatedItems")


def _static_unevaluated(shape: Shape) -> Any:
    """The one part whose ``unevaluatedItems`` acts exactly as its ``items`` (the rest of a
    tuple): no other part, and no ``if``/``items`` of its own, evaluates items; else None."""
    owners = [p for p in shape.parts if any(k in p.schema for k in _EVALUATES_ITEMS)]
    if len(owners) != 1:
        return None
    part = owners[0]
    schema = part.schema
    if (
        part.doc.draft < 2020
        or "unevaluatedItems" not in schema
        or any(k in schema for k in ("items", "contains", "if", "additionalItems"))
    ):
        return None
    return part


def _never(schema: Any) -> bool:
    """``false`` or ``{"not": {}}``: no value is valid."""
    return schema is False or (
        isinstance(schema, dict) and len(schema) == 1 and schema.get("not") in (True, {})
    )


def _items(schema: Any, draft: int) -> tuple[list[Any], Any]:
    items = schema.get("items")
    if isinstance(items, list):
        return items, (schema.get("additionalItems") if draft < 2020 else None)
    if draft >= 2020:
        head = schema.get("prefixItems")
        return (head if isinstance(head, list) else []), items
    return [], items


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _lengths(old: ArraySet, new: ArraySet) -> list[Change]:
    return [
        *bound_change("minItems", "minimum length", old.min_items, new.min_items),
        *bound_change("maxItems", "maximum length", old.max_items, new.max_items, "unlimited"),
    ]


def _unique(old: ArraySet, new: ArraySet) -> list[Change]:
    if new.unique:
        effect = BREAKS if old.max_items is None or old.max_items >= 2 else OK
        return make("/uniqueItems", "uniqueItems-added", "items must now be unique", effect, OK)
    effect = BREAKS if new.max_items is None or new.max_items >= 2 else OK
    return make(
        "/uniqueItems", "uniqueItems-removed", "items no longer need to be unique", OK, effect
    )


def _same_contains(
    a: tuple[tuple[Node, int, int | None], ...],
    b: tuple[tuple[Node, int, int | None], ...],
    ignore: frozenset[str],
) -> bool:
    return len(a) == len(b) and all(
        x[1:] == y[1:] and same_node(x[0], y[0], ignore) for x, y in zip(a, b, strict=True)
    )


def _contains_ok(source: ArraySet, target: ArraySet, session: Session) -> Effect:
    """Does every array of ``source`` meet the ``contains`` rules of ``target``?"""
    if not target.contains:
        return OK
    if len(target.contains) > 1 or len(source.contains) > 1:
        return UNKNOWN
    node, at_least, at_most = target.contains[0]
    if not source.contains:
        if at_least == 0 and at_most is None:
            return OK
        return BREAKS if at_least >= 1 and source.min_items == 0 else UNKNOWN
    have, have_least, have_most = source.contains[0]
    if same_node(have, node):
        too_many = at_most is not None and (have_most is None or have_most > at_most)
        return BREAKS if at_least > have_least or too_many else OK
    if at_least > 0 and (have_least < at_least or session.subset(have, node, descend=True) != OK):
        return UNKNOWN
    if at_most is not None and (
        have_most is None or have_most > at_most or session.subset(node, have, descend=True) != OK
    ):
        return UNKNOWN
    return OK

"""Structural equality of two subschemas, following ``$ref`` into each document."""

from __future__ import annotations

from typing import Any

from drift.compat.resolve import Node, Sub
from drift.compat.values import json_equal, same_bytes
from drift.subschemas import ANY_DRAFT

__all__ = ["same", "same_node"]

# Every subschema position of any draft (as the structural hash; see drift.subschemas).
_ONE, _LISTS, _MAPS = ANY_DRAFT.one, ANY_DRAFT.lists, ANY_DRAFT.maps


def same_node(a: Node, b: Node, ignore: frozenset[str] = frozenset()) -> bool:
    """True when two conjunctions are the same subschemas, pairwise."""
    return len(a) == len(b) and all(same(x, y, ignore) for x, y in zip(a, b, strict=True))


def same(a: Sub, b: Sub, ignore: frozenset[str] = frozenset()) -> bool:
    """True when ``a`` and ``b`` are equal, ``$ref`` targets included; ``ignore`` keys skipped.

    Equal subschemas read under different drafts are not the same.
    """
    if a.doc.draft != b.doc.draft:
        return False
    if a.schema is b.schema and a.doc is b.doc:
        return True
    if not ignore:
        if a.schema != b.schema:  # fast: == only ever over-approximates JSON equality
            return False
        if same_bytes(a.schema, b.schema):
            return True  # same keys, same order, same types, no reference: equal JSON
    return _Walk(a, b, ignore).schema(a.schema, b.schema)


class _Walk:
    def __init__(self, a: Sub, b: Sub, ignore: frozenset[str]) -> None:
        self.a = a.doc
        self.b = b.doc
        self.ignore = ignore
        self.seen: set[tuple[int, int]] = set()

    def schema(self, x: Any, y: Any) -> bool:
        if not (isinstance(x, dict) and isinstance(y, dict)):
            return json_equal(x, y)
        keys_x = [k for k in x if k not in self.ignore]
        if len(keys_x) != sum(1 for k in y if k not in self.ignore):
            return False
        for key in keys_x:
            if key not in y:
                return False
            if not self.keyword(key, x[key], y[key]):
                return False
        return True

    def keyword(self, key: str, x: Any, y: Any) -> bool:
        if key == "$ref" and isinstance(x, str):
            return x == y and self.ref(x)
        if key in _LISTS and isinstance(x, list):
            return (
                isinstance(y, list)
                and len(x) == len(y)
                and all(self.schema(i, j) for i, j in zip(x, y, strict=True))
            )
        if key in _ONE:
            return self.schema(x, y)
        if key in _MAPS:
            if not (isinstance(x, dict) and isinstance(y, dict)) or x.keys() != y.keys():
                return json_equal(x, y)
            return all(self.schema(v, y[k]) for k, v in x.items())
        return json_equal(x, y)

    def ref(self, ref: str) -> bool:
        ta, tb = self.a.resolve(ref), self.b.resolve(ref)
        if ta is None or tb is None:
            return ta is None and tb is None
        pair = (id(ta), id(tb))
        if pair in self.seen:
            return True
        self.seen.add(pair)
        return self.schema(ta, tb)

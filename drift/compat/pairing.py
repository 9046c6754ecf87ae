"""Pairing the alternatives of two expansions, type atom by type atom."""

from __future__ import annotations

from dataclasses import dataclass, field

from drift.compat.resolve import Node, Sub
from drift.compat.same import same_node
from drift.compat.shapes import Shape
from drift.compat.values import short

__all__ = ["Pairing", "label", "pair_shapes", "signature", "whole"]


@dataclass
class Pairing:
    pairs: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)
    """(old index, new index) -> the atoms on which they face each other."""
    old_only: dict[int, frozenset[str]] = field(default_factory=dict)
    new_only: dict[int, frozenset[str]] = field(default_factory=dict)
    multi_old: set[tuple[int, int]] = field(default_factory=set)
    """Pairs where the old side has other alternatives for the same atom."""
    multi_new: set[tuple[int, int]] = field(default_factory=set)


def pair_shapes(
    olds: list[Shape], news: list[Shape], common: frozenset[str], ignore: frozenset[str]
) -> Pairing:
    out = Pairing()
    if len(olds) == 1 and len(news) == 1:
        if common:
            out.pairs[(0, 0)] = common
        return out
    memo: dict[tuple[int, int], bool] = {}
    for atom in sorted(common):
        o_idx = [i for i, s in enumerate(olds) if atom in s.atoms]
        n_idx = [j for j, s in enumerate(news) if atom in s.atoms]
        matched, old_left, new_left = _match(o_idx, n_idx, olds, news, ignore, memo)
        for pair in matched:
            out.pairs[pair] = out.pairs.get(pair, frozenset()) | {atom}
            if len(o_idx) > 1:
                out.multi_old.add(pair)
            if len(n_idx) > 1:
                out.multi_new.add(pair)
        for i in old_left:
            out.old_only[i] = out.old_only.get(i, frozenset()) | {atom}
        for j in new_left:
            out.new_only[j] = out.new_only.get(j, frozenset()) | {atom}
    return out


def signature(shape: Shape) -> Node:
    """The parts that belong to the chosen alternative (all parts when there was no choice)."""
    chosen: set[int] = set()
    for index, part in enumerate(shape.parts):
        if part.chosen or part.parent in chosen:
            chosen.add(index)
    parts = [p for i, p in enumerate(shape.parts) if i in chosen] if chosen else shape.parts
    return tuple(Sub(p.schema, p.doc) for p in parts)


def whole(shape: Shape) -> Node:
    """Every part of ``shape``, as a conjunction."""
    return tuple(Sub(p.schema, p.doc) for p in shape.parts)


def label(shape: Shape) -> str:
    """A name for an alternative: its ``$ref`` target, ``title`` or ``const`` discriminator."""
    if shape.refs:
        return shape.refs[-1].rsplit("/", 1)[-1]
    for branch, schema, _doc in reversed(shape.annots):
        title = schema.get("title")
        if branch == shape.branch and isinstance(title, str):
            return title
    for part in shape.parts:
        props = part.schema.get("properties")
        if not isinstance(props, dict):
            continue
        for name in part.schema.get("required", ()):
            sub = props.get(name) if isinstance(name, str) else None
            if isinstance(sub, dict) and "const" in sub:
                return f"{name}={short(sub['const'], 30)}"
    return ""


def _match(
    o_idx: list[int],
    n_idx: list[int],
    olds: list[Shape],
    news: list[Shape],
    ignore: frozenset[str],
    memo: dict[tuple[int, int], bool],
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    if len(o_idx) == 1 and len(n_idx) == 1:
        return [(o_idx[0], n_idx[0])], [], []
    pairs: list[tuple[int, int]] = []
    left_o, left_n = list(o_idx), list(n_idx)

    def take(i: int, j: int) -> None:
        pairs.append((i, j))
        left_o.remove(i)
        left_n.remove(j)

    for i in list(left_o):
        for j in left_n:
            key = (i, j)
            if key not in memo:
                memo[key] = same_node(signature(olds[i]), signature(news[j]), ignore)
            if memo[key]:
                take(i, j)
                break
    labels_n: dict[str, list[int]] = {}
    for j in left_n:
        labels_n.setdefault(label(news[j]), []).append(j)
    for i in list(left_o):
        name = label(olds[i])
        found = labels_n.get(name, [])
        if name and len(found) == 1 and found[0] in left_n:
            take(i, found[0])
    if len(left_o) == len(left_n):
        for i, j in zip(list(left_o), list(left_n), strict=True):
            take(i, j)
    return pairs, left_o, left_n

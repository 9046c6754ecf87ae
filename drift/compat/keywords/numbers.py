"""Numeric keywords: bounds (both spellings of exclusive), ``multipleOf``, integer domain."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from drift.compat.result import BREAKS, OK, Change, Effect, make
from drift.compat.shapes import Shape
from drift.compat.values import short

__all__ = ["NumSet", "compare", "read"]

Bound = tuple[Fraction, bool, str, Any]
"""(value, exclusive, keyword, spelled value)."""

_ENUMERATE = 4096


@dataclass(frozen=True)
class NumSet:
    """The numbers a shape accepts: ``lo``..``hi`` on a grid of ``step`` (or continuous)."""

    lo: Bound | None
    hi: Bound | None
    step: Fraction | None
    declared_step: tuple[Any, ...]

    def first(self) -> Fraction | None:
        """Smallest element on the grid (None: unbounded below or continuous)."""
        if self.lo is None or self.step is None:
            return None
        x = math.ceil(self.lo[0] / self.step) * self.step
        return x + self.step if self.lo[1] and x == self.lo[0] else x

    def last(self) -> Fraction | None:
        if self.hi is None or self.step is None:
            return None
        x = math.floor(self.hi[0] / self.step) * self.step
        return x - self.step if self.hi[1] and x == self.hi[0] else x

    def empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        if self.step is not None:
            first, last = self.first(), self.last()
            return first is not None and last is not None and first > last
        return self.lo[0] > self.hi[0] or (self.lo[0] == self.hi[0] and (self.lo[1] or self.hi[1]))

    def elements(self) -> list[Fraction] | None:
        """All elements when there are few of them."""
        if self.step is None:
            if self.lo and self.hi and self.lo[0] == self.hi[0] and not (self.lo[1] or self.hi[1]):
                return [self.lo[0]]
            return None
        first, last = self.first(), self.last()
        if first is None or last is None or (last - first) / self.step > _ENUMERATE:
            return None
        return [first + k * self.step for k in range(int((last - first) / self.step) + 1)]


def read(shape: Shape, integers: bool) -> NumSet:
    lo: Bound | None = None
    hi: Bound | None = None
    steps: list[Fraction] = [Fraction(1)] if integers else []
    declared: list[Any] = []
    for part in shape.parts:
        schema, draft = part.schema, part.doc.draft
        for key, upper in (("minimum", False), ("maximum", True)):
            value = _number(schema.get(key))
            if value is not None:
                exclusive = draft == 4 and bool(schema.get("exclusive" + key.title()))
                name = "exclusive" + key.title() if exclusive else key
                bound: Bound = (Fraction(value), exclusive, name, value)
                lo, hi = _merge(lo, hi, bound, upper)
        if draft >= 6:
            for key, upper in (("exclusiveMinimum", False), ("exclusiveMaximum", True)):
                value = _number(schema.get(key))
                if value is not None:
                    bound = (Fraction(value), True, key, value)
                    lo, hi = _merge(lo, hi, bound, upper)
        multiple = _number(schema.get("multipleOf"))
        if multiple is not None and multiple > 0:
            steps.append(
                Fraction(str(multiple)) if isinstance(multiple, float) else Fraction(multiple)
            )
            declared.append(multiple)
    grid: Fraction | None = None
    for step in steps:
        grid = step if grid is None else _lcm(grid, step)
    return NumSet(lo, hi, grid, tuple(declared))


def compare(o: Shape, n: Shape, atoms: frozenset[str]) -> list[Change]:
    integers = "fraction" not in atoms
    old, new = read(o, integers), read(n, integers)
    out: list[Change] = []
    if "integer" in atoms and _floats_rejected(o) != _floats_rejected(n):
        narrowed = _floats_rejected(n)
        out += make(
            "/type",
            "draft4-integer",
            "integral floats such as 1.0 are "
            + ("no longer" if narrowed else "now")
            + " accepted (draft 4 integers exclude them)",
            BREAKS if narrowed else OK,
            OK if narrowed else BREAKS,
        )
    for upper, word in ((False, "minimum"), (True, "maximum")):
        b_old, b_new = (old.hi, new.hi) if upper else (old.lo, new.lo)
        if _spelled(b_old) == _spelled(b_new):
            continue
        bw, fw = _bound_ok(old, b_new, upper), _bound_ok(new, b_old, upper)
        if bw == OK and fw == OK:
            continue
        key = (b_new or b_old or (0, False, word, 0))[2]
        verb = "tightened" if fw == OK else "relaxed" if bw == OK else "changed"
        out += make(
            f"/{key}",
            f"{word}-{verb}",
            f"{word} {verb}: {_show(b_old, word)} -> {_show(b_new, word)}",
            bw,
            fw,
        )
    if old.declared_step != new.declared_step:
        bw, fw = _step_ok(old, new.step), _step_ok(new, old.step)
        if bw != OK or fw != OK:
            message = (
                f"multipleOf changed: {_steps(old.declared_step)} -> {_steps(new.declared_step)}"
            )
            out += make("/multipleOf", "multipleOf-changed", message, bw, fw)
    return out


def _floats_rejected(shape: Shape) -> bool:
    """A draft-4 ``type: integer`` (without ``number``) rejects 1.0; later drafts accept it."""
    for part in shape.parts:
        if part.doc.draft == 4 and "type" in part.schema:
            types = part.schema["type"]
            names = [types] if isinstance(types, str) else types
            if isinstance(names, list) and "integer" in names and "number" not in names:
                return True
    return False


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _merge(
    lo: Bound | None, hi: Bound | None, bound: Bound, upper: bool
) -> tuple[Bound | None, Bound | None]:
    return (lo, _tighter(hi, bound, True)) if upper else (_tighter(lo, bound, False), hi)


def _tighter(a: Bound | None, b: Bound, upper: bool) -> Bound:
    if a is None:
        return b
    if a[0] == b[0]:
        return a if a[1] or not b[1] else b
    return (a if a[0] < b[0] else b) if upper else (a if a[0] > b[0] else b)


def _lcm(a: Fraction, b: Fraction) -> Fraction:
    return Fraction(math.lcm(a.numerator, b.numerator), math.gcd(a.denominator, b.denominator))


def _satisfies(x: Fraction, bound: Bound, upper: bool) -> bool:
    if upper:
        return x < bound[0] or (x == bound[0] and not bound[1])
    return x > bound[0] or (x == bound[0] and not bound[1])


def _bound_ok(source: NumSet, bound: Bound | None, upper: bool) -> Effect:
    """Does every number of ``source`` satisfy ``bound``?"""
    if bound is None or source.empty():
        return OK
    if source.step is not None:
        edge = source.last() if upper else source.first()
        return OK if edge is not None and _satisfies(edge, bound, upper) else BREAKS
    own = source.hi if upper else source.lo
    if own is None:
        return BREAKS
    if own[0] == bound[0]:
        return OK if own[1] or not bound[1] else BREAKS
    return OK if (own[0] < bound[0]) == upper else BREAKS


def _step_ok(source: NumSet, step: Fraction | None) -> Effect:
    """Is every number of ``source`` a multiple of ``step``?"""
    if step is None or source.empty():
        return OK
    if source.step is not None and (source.step / step).denominator == 1:
        return OK
    elements = source.elements()
    if elements is not None:
        return OK if all((x / step).denominator == 1 for x in elements) else BREAKS
    return BREAKS


def _spelled(bound: Bound | None) -> Any:
    return None if bound is None else (bound[0], bound[1])


def _show(bound: Bound | None, word: str) -> str:
    return f"no {word}" if bound is None else f"{bound[2]} {short(bound[3])}"


def _steps(values: tuple[Any, ...]) -> str:
    return " and ".join(short(v) for v in values) if values else "none"

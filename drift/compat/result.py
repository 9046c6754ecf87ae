"""Plain result data of a semantic schema comparison: effects, changes, verdicts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from drift.errors import ConfigError

__all__ = [
    "BREAKS",
    "COMPAT_MODES",
    "OK",
    "UNKNOWN",
    "Change",
    "CompatMode",
    "CompatResult",
    "Counterexample",
    "Direction",
    "Effect",
    "Verdict",
    "bound_change",
    "by_severity",
    "dedupe",
    "directions",
    "effect_of",
    "make",
    "mask",
    "prefix",
    "soften",
    "worst",
]

Effect = Literal["ok", "unknown", "breaks"]
Direction = Literal["backward", "forward"]
"""What one change does to one direction: nothing, cannot prove, or breaks."""

OK: Effect = "ok"
UNKNOWN: Effect = "unknown"
BREAKS: Effect = "breaks"

CompatMode = Literal["backward", "forward", "full"]
COMPAT_MODES: tuple[CompatMode, ...] = ("backward", "forward", "full")

Verdict = Literal["annotations-only", "compatible", "breaking", "cannot-prove"]

_RANK = {OK: 0, UNKNOWN: 1, BREAKS: 2}


def worst(*effects: Effect) -> Effect:
    """The strongest effect: ``breaks`` over ``unknown`` over ``ok``."""
    best: Effect = OK
    for effect in effects:
        if _RANK[effect] > _RANK[best]:
            best = effect
    return best


@dataclass(frozen=True, slots=True)
class Change:
    """One semantic change between the old and the new schema.

    ``path`` is a JSON pointer into the schema, following ``$ref`` transparently.
    ``breaks_backward``: some value valid under the old schema may be rejected by
    the new one; ``breaks_forward``: the reverse. ``certain`` is False when a
    flagged direction is only "cannot prove compatible" rather than a proven break.
    """

    path: str
    kind: str
    message: str
    breaks_backward: bool
    breaks_forward: bool
    certain: bool = True

    @property
    def is_annotation(self) -> bool:
        return self.kind == "annotation"

    def effect(self, direction: Direction) -> Effect:
        flagged = self.breaks_backward if direction == "backward" else self.breaks_forward
        if not flagged:
            return OK
        return BREAKS if self.certain else UNKNOWN


def make(path: str, kind: str, message: str, backward: Effect, forward: Effect) -> list[Change]:
    """Changes for one finding; split in two when one direction breaks and the other is unknown."""
    if {backward, forward} == {BREAKS, UNKNOWN}:
        return [
            Change(path, kind, message, backward == BREAKS, forward == BREAKS, True),
            Change(path, kind, message, backward == UNKNOWN, forward == UNKNOWN, False),
        ]
    certain = UNKNOWN not in (backward, forward)
    return [Change(path, kind, message, backward != OK, forward != OK, certain)]


def bound_change(
    keyword: str, label: str, old: int | None, new: int | None, unbounded: str = "none"
) -> list[Change]:
    """The change, if any, of a size bound: ``min*`` keywords are lower bounds, ``max*``
    upper ones (``None``: ``unbounded``). Narrower breaks backward, wider forward."""
    if old == new:
        return []
    if keyword.startswith("min"):
        narrower = (old or 0) < (new or 0)
    else:
        narrower = new is not None and (old is None or old > new)
    backward, forward = (BREAKS, OK) if narrower else (OK, BREAKS)
    shown = [unbounded if bound is None else str(bound) for bound in (old, new)]
    message = f"{label} {shown[0]} -> {shown[1]}"
    return make(f"/{keyword}", f"{keyword}-changed", message, backward, forward)


def dedupe(changes: Iterable[Change]) -> list[Change]:
    """``changes`` without repeats, first occurrence kept."""
    seen: set[Change] = set()
    out = []
    for c in changes:
        if c not in seen:
            seen.add(c)
            out.append(c)
    return out


def effect_of(changes: Iterable[Change], direction: Direction) -> Effect:
    """The strongest effect of ``changes`` on one direction."""
    return worst(*(c.effect(direction) for c in changes))


def prefix(changes: Iterable[Change], head: str) -> list[Change]:
    """Prepend ``head`` (a JSON pointer) to every change path."""
    if not head:
        return list(changes)
    return [
        Change(head + c.path, c.kind, c.message, c.breaks_backward, c.breaks_forward, c.certain)
        for c in changes
    ]


def mask(changes: Iterable[Change], backward: bool, forward: bool) -> list[Change]:
    """Clear the directions that are decided elsewhere (or unreachable)."""
    if backward and forward:
        return list(changes)
    out = []
    for c in changes:
        bw = c.breaks_backward and backward
        fw = c.breaks_forward and forward
        if (bw, fw) != (c.breaks_backward, c.breaks_forward):
            certain = c.certain or not (bw or fw)
            c = replace(c, breaks_backward=bw, breaks_forward=fw, certain=certain)
        out.append(c)
    return out


def soften(changes: Iterable[Change], direction: Direction) -> list[Change]:
    """Turn proven breaks in ``direction`` into "cannot prove" (the other direction is kept)."""
    out = []
    for c in changes:
        flagged = c.breaks_backward if direction == "backward" else c.breaks_forward
        if not flagged or not c.certain:
            out.append(c)
            continue
        bw = c.effect("backward")
        fw = c.effect("forward")
        if direction == "backward":
            bw = UNKNOWN
        else:
            fw = UNKNOWN
        out += make(c.path, c.kind, c.message, bw, fw)
    return out


@dataclass(frozen=True)
class Counterexample:
    """A JSON instance that proves a ``direction`` break, checked with ``jsonschema``.

    ``backward``: the old schema accepts ``instance`` and the new one rejects it;
    ``forward``: the new one accepts it and the old one rejects it. ``path`` is the
    JSON pointer (into the instance) of the part that was varied, "" for the whole.
    The instance may itself be JSON ``null``, hence the wrapper.
    """

    direction: Direction
    instance: Any
    path: str = ""


@dataclass(frozen=True)
class CompatResult:
    """Every change between two schemas, and the verdicts derived from them.

    ``counterexamples`` holds one checked instance per direction with a proven break
    (``compare`` turns a break it cannot prove with one into "cannot prove").
    """

    changes: tuple[Change, ...] = ()
    counterexamples: tuple[Counterexample, ...] = ()

    def counterexample(self, mode: str = "backward") -> Counterexample | None:
        """An instance proving ``mode`` breaks (backward first for ``full``); None exactly
        when :meth:`verdict` is not ``breaking``."""
        if self.verdict(mode) != "breaking":
            return None
        checked = directions(mode)
        return next((c for d in checked for c in self.counterexamples if c.direction == d), None)

    def effect(self, direction: Direction) -> Effect:
        return effect_of(self.changes, direction)

    def verdict(self, mode: str = "backward") -> Verdict:
        """``annotations-only``, ``compatible``, ``breaking`` or ``cannot-prove``."""
        checked = directions(mode)
        if all(c.is_annotation for c in self.changes):
            return "annotations-only"
        effect = worst(*(self.effect(d) for d in checked))
        if effect == BREAKS:
            return "breaking"
        if effect == UNKNOWN:
            return "cannot-prove"
        return "compatible"

    def is_compatible(self, mode: str = "backward") -> bool:
        """True when no change breaks (or may break) ``mode``."""
        return self.verdict(mode) in ("annotations-only", "compatible")

    def breaking(self, mode: str = "backward") -> tuple[Change, ...]:
        """The changes that break, or may break, ``mode``."""
        checked = directions(mode)
        return tuple(c for c in self.changes if any(c.effect(d) != OK for d in checked))


def by_severity(changes: tuple[Change, ...], mode: str) -> list[Change]:
    """Breaking changes first, then unproven ones, compatible ones, annotations last
    (the order within each group kept)."""

    def rank(change: Change) -> int:
        if change.is_annotation:
            return 3
        effects = {change.effect(d) for d in directions(mode)}
        return 0 if BREAKS in effects else 2 if effects == {OK} else 1

    return sorted(changes, key=rank)


def directions(mode: str) -> tuple[Direction, ...]:
    """The directions a mode checks; :class:`ConfigError` for an unknown mode."""
    if mode == "backward":
        return ("backward",)
    if mode == "forward":
        return ("forward",)
    if mode == "full":
        return ("backward", "forward")
    raise ConfigError(f"unknown compatibility mode {mode!r} (expected backward, forward or full)")

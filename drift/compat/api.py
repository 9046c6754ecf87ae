"""Public entry points: ``compare``, ``classify`` and the bridge to the drift report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from drift import report
from drift.compat import counterexample
from drift.compat.keywords import notes
from drift.compat.resolve import Doc, Sub, escape
from drift.compat.result import (
    BREAKS,
    OK,
    UNKNOWN,
    Change,
    CompatResult,
    Counterexample,
    Direction,
    Verdict,
    by_severity,
    dedupe,
    effect_of,
    make,
    soften,
)
from drift.compat.same import same
from drift.compat.session import Session
from drift.compat.values import json_equal, strict_bytes
from drift.compat.vocab import annotation_set
from drift.errors import ConfigError, FixtureError
from drift.model import COMPAT_POLICIES, CompatPolicy, Role

__all__ = ["ROLE_MODES", "classify", "compare", "judge", "to_report_changes"]


#: producer -> backward, consumer -> forward, both -> full.
ROLE_MODES: Mapping[str, str] = {"producer": "backward", "consumer": "forward", "both": "full"}

_DEFS = ("$defs", "definitions")
DIRECTIONS: tuple[Direction, ...] = ("backward", "forward")


def compare(
    old: Any,
    new: Any,
    annotation_keys: Iterable[str] | None = None,
    *,
    policy: CompatPolicy = "strict",
) -> CompatResult:
    """Every semantic change from ``old`` (previous/writer) to ``new`` (next/reader).

    ``annotation_keys`` adds keys to report as annotations (besides ``title``,
    ``description``, ``default``, ``examples``, ``$comment``, ``deprecated``,
    ``readOnly``/``writeOnly`` and the registry stamps). ``policy="lenient"``: a
    property added where the old schema allowed any property (no
    ``additionalProperties``) does not break backward compatibility.
    """
    if policy not in COMPAT_POLICIES:
        raise ConfigError(f"unknown compat policy {policy!r} (expected strict or lenient)")
    for label, schema in (("old", old), ("new", new)):
        if not isinstance(schema, (bool, Mapping)):
            raise FixtureError(
                f"{label} schema is not a JSON Schema (expected an object or a boolean, "
                f"got {type(schema).__name__})"
            )
    old, new = (s if isinstance(s, (bool, dict)) else _plain(s) for s in (old, new))
    try:
        return _compare(old, new, annotation_set(annotation_keys or ()), policy == "lenient")
    except RecursionError:
        message = "cannot analyse: schema nested too deeply"
        return CompatResult(tuple(make("", "unanalysable", message, UNKNOWN, UNKNOWN)))


def _compare(old: Any, new: Any, keys: frozenset[str], lenient: bool) -> CompatResult:
    quick = _stamps_only(old, new, keys)
    if quick is not None:
        return CompatResult(tuple(quick))
    session = Session(keys, lenient=lenient)
    a, b = Sub(old, Doc(old)), Sub(new, Doc(new))
    changes = session.compare((a,), (b,)) + _definitions(old, new)
    if not any(not c.is_annotation for c in changes) and not same(a, b, session.ignore):
        changes += make("", "equivalent", "structure changed; the accepted values did not", OK, OK)
    return _proven(dedupe(changes), a.doc, b.doc)


def _proven(changes: list[Change], old: Doc, new: Doc) -> CompatResult:
    """The result, with a checked counterexample for each broken direction; a break no
    instance proves becomes "cannot prove"."""
    found: list[Counterexample] = []
    for direction in DIRECTIONS:
        if effect_of(changes, direction) != BREAKS:
            continue
        example = counterexample.find(direction, old, new, changes)
        if example is None:
            changes = soften(changes, direction)
        else:
            found.append(example)
    return CompatResult(tuple(changes), tuple(found))


def classify(
    old: Any,
    new: Any,
    role: Role,
    annotation_keys: frozenset[str] | None = None,
    *,
    policy: CompatPolicy = "strict",
) -> tuple[str, list[Change]]:
    """(verdict, changes) for a role: producer -> backward, consumer -> forward, both -> full.

    The changes are listed breaking first (see :func:`~drift.compat.render.by_severity`).
    """
    mode = _mode(role)
    result = compare(old, new, annotation_keys, policy=policy)
    verdict: Verdict = result.verdict(mode)
    return verdict, by_severity(result.changes, mode)


def judge(
    old: Any,
    new: Any,
    role: Role,
    annotation_keys: frozenset[str] | None = None,
    *,
    policy: CompatPolicy = "strict",
) -> report.Judgement:
    """The drift report's verdict, changes (breaking first) and counterexample for a role."""
    mode = _mode(role)
    result = compare(old, new, annotation_keys, policy=policy)
    found = result.counterexample(mode)
    return report.Judgement(
        result.verdict(mode),
        to_report_changes(by_severity(result.changes, mode)),
        None
        if found is None
        else report.Counterexample(found.direction, found.instance, found.path),
    )


def _mode(role: str) -> str:
    mode = ROLE_MODES.get(role)
    if mode is None:
        raise ConfigError(f"unknown role {role!r} (expected producer, consumer or both)")
    return mode


def to_report_changes(changes: Iterable[Change]) -> tuple[report.Change, ...]:
    """The drift report's own ``Change`` records ("cannot prove" is kept in the message)."""
    return tuple(
        report.Change(
            path=c.path,
            kind=c.kind,
            message=c.message if c.certain else f"{c.message} (cannot prove compatible)",
            breaks_backward=c.breaks_backward,
            breaks_forward=c.breaks_forward,
        )
        for c in changes
    )


def _stamps_only(old: Any, new: Any, keys: frozenset[str]) -> list[Change] | None:
    """Fast path: the documents differ only in top-level annotations (release stamps)."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return None
    rest_old = {k: v for k, v in old.items() if k not in keys}
    rest_new = {k: v for k, v in new.items() if k not in keys}
    if rest_old != rest_new:
        return None
    text = strict_bytes(rest_old)
    if text is None or text != strict_bytes(rest_new):
        return None
    out: list[Change] = []
    for key in dict.fromkeys([*old, *new]):
        if key in keys and not (key in old and key in new and json_equal(old[key], new[key])):
            out += notes.change_of(key, old.get(key, _ABSENT), new.get(key, _ABSENT))
    return out


_ABSENT = object()


def _plain(value: Any) -> Any:
    """Plain dicts and lists (the core reads JSON as ``json`` loads it)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _definitions(old: Any, new: Any) -> list[Change]:
    """Definitions added or removed: no effect by themselves (judged where referenced)."""
    out: list[Change] = []
    for key in _DEFS:
        before = old.get(key) if isinstance(old, dict) else None
        after = new.get(key) if isinstance(new, dict) else None
        before = before if isinstance(before, dict) else {}
        after = after if isinstance(after, dict) else {}
        for name in after:
            if name not in before:
                out += make(
                    f"/{key}/{escape(name)}",
                    "definition-added",
                    f"definition {name!r} added (judged where it is referenced)",
                    OK,
                    OK,
                )
        for name in before:
            if name not in after:
                out += make(
                    f"/{key}/{escape(name)}",
                    "definition-removed",
                    f"definition {name!r} removed (judged where it was referenced)",
                    OK,
                    OK,
                )
    return out

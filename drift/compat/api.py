"""Public entry points: ``compare``, ``classify`` and the bridge to the drift report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from drift import report
from drift.compat.model import OK, Change, CompatResult, Verdict, dedupe, make
from drift.compat.resolve import Doc, Sub, escape
from drift.compat.same import same
from drift.compat.session import Session
from drift.compat.vocab import ANNOTATION_KEYS
from drift.errors import ConfigError, FixtureError

__all__ = ["ROLE_MODES", "classify", "compare", "to_report_changes"]

Role = Literal["producer", "consumer", "both"]

#: producer -> backward, consumer -> forward, both -> full.
ROLE_MODES: Mapping[str, str] = {"producer": "backward", "consumer": "forward", "both": "full"}

_DEFS = ("$defs", "definitions")


def compare(old: Any, new: Any, annotation_keys: Iterable[str] | None = None) -> CompatResult:
    """Every semantic change from ``old`` (previous/writer) to ``new`` (next/reader).

    ``annotation_keys`` adds keys to report as annotations (besides ``title``,
    ``description``, ``default``, ``examples``, ``$comment``, ``deprecated``,
    ``readOnly``/``writeOnly`` and the registry stamps).
    """
    for label, schema in (("old", old), ("new", new)):
        if not isinstance(schema, (bool, Mapping)):
            raise FixtureError(
                f"{label} schema is not a JSON Schema (expected an object or a boolean, "
                f"got {type(schema).__name__})"
            )
    old, new = (s if isinstance(s, (bool, dict)) else _plain(s) for s in (old, new))
    keys = ANNOTATION_KEYS | frozenset(annotation_keys or ())
    session = Session(keys)
    a, b = Sub(old, Doc(old)), Sub(new, Doc(new))
    changes = session.compare((a,), (b,)) + _definitions(old, new)
    if not any(not c.is_annotation for c in changes) and not same(a, b, session.ignore):
        changes += make("", "equivalent", "structure changed; the accepted values did not", OK, OK)
    return CompatResult(tuple(dedupe(changes)))


def classify(
    old: Any,
    new: Any,
    role: Role,
    annotation_keys: frozenset[str] | None = None,
) -> tuple[str, list[Change]]:
    """(verdict, changes) for a role: producer -> backward, consumer -> forward, both -> full."""
    mode = ROLE_MODES.get(role)
    if mode is None:
        raise ConfigError(f"unknown role {role!r} (expected producer, consumer or both)")
    result = compare(old, new, annotation_keys)
    verdict: Verdict = result.verdict(mode)
    return verdict, list(result.changes)


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

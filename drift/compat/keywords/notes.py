"""Changes to keywords that do not affect validation: annotations, metadata, unknown keywords."""

from __future__ import annotations

from typing import Any

from drift.compat.resolve import escape
from drift.compat.result import OK, Change, make
from drift.compat.shapes import Shape
from drift.compat.values import json_equal, short
from drift.compat.vocab import ANNOTATION_KEYS, META_KEYS, validating_keywords

__all__ = ["change_of", "diff", "kind_of", "ref_message"]

_SKIP = frozenset({"$ref", "$defs", "definitions"})
_SCALARS = (str, int, float, bool, type(None))


def kind_of(key: str, draft: int, annotation_keys: frozenset[str]) -> str | None:
    """``annotation``, ``dialect``, ``metadata``, ``unknown-keyword``; None if it validates."""
    if key in annotation_keys or key in ANNOTATION_KEYS:
        return "annotation"
    if key == "$schema":
        return "dialect"
    if key in META_KEYS:
        return "metadata"
    if key in _SKIP or key in validating_keywords(draft):
        return None
    return "unknown-keyword"


def diff(o: Shape, n: Shape, annotation_keys: frozenset[str]) -> list[Change]:
    """Non-validating keyword changes, per branch path (paths are relative to the node)."""
    old, new = _view(o, annotation_keys), _view(n, annotation_keys)
    out: list[Change] = []
    for (branch, key), (kind, after) in new.items():
        before = old.get((branch, key), (kind, _ABSENT))[1]
        if before is _ABSENT or not json_equal(before, after):
            out += change_of(key, before, after, kind, branch)
    for (branch, key), (kind, before) in old.items():
        if (branch, key) not in new:
            out += change_of(key, before, _ABSENT, kind, branch)
    return out


def change_of(
    key: str, before: Any, after: Any, kind: str = "annotation", branch: str = ""
) -> list[Change]:
    """The change of one non-validating keyword (``_ABSENT``/``object()`` when missing)."""
    if before is _ABSENT or not _present(before):
        message = f"{key} added{_value(after)}"
    elif after is _ABSENT or not _present(after):
        message = f"{key} removed{_value(before)}"
    else:
        message = f"{key} changed{_values(before, after)}"
    return _change(branch, key, kind, message)


_ABSENT = object()


def _present(value: Any) -> bool:
    """False for the "missing" markers of callers (plain ``object()`` instances)."""
    return type(value) is not object


def ref_message(old: tuple[str, ...], new: tuple[str, ...]) -> str:
    if old and new:
        return f"now refers to {new[-1]} (was {old[-1]}); compared by content"
    if new:
        return f"now a reference to {new[-1]}; compared by content"
    return f"no longer a reference (was {old[-1]}); compared by content"


def _view(shape: Shape, keys: frozenset[str]) -> dict[tuple[str, str], tuple[str, Any]]:
    out: dict[tuple[str, str], tuple[str, Any]] = {}
    for branch, schema, doc in shape.annots:
        for key, value in schema.items():
            kind = kind_of(key, doc.draft, keys)
            if kind is not None:
                out.setdefault((branch, key), (kind, value))
    return out


def _change(branch: str, key: str, kind: str, message: str) -> list[Change]:
    if kind == "unknown-keyword":
        message += " (not a keyword of this draft: validators ignore it)"
    return make(f"{branch}/{escape(key)}", kind, message, OK, OK)


def _value(value: Any) -> str:
    return f": {short(value, 40)}" if isinstance(value, _SCALARS) else ""


def _values(before: Any, after: Any) -> str:
    if isinstance(before, _SCALARS) and isinstance(after, _SCALARS):
        return f": {short(before, 40)} -> {short(after, 40)}"
    return ""

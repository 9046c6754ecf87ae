"""Unified text diffs of JSON documents in their canonical pretty form.

Both sides are rendered with ``json.dumps(indent=2, sort_keys=True)`` after an
RFC 8785 round trip, so key order, whitespace and number spelling (``1.0`` vs
``1``) never show up as changes.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import re
from typing import Any

import rfc8785

from drift.canonical import canonical_bytes

__all__ = ["DEFAULT_MAX_LINES", "pretty", "truncate_lines", "unified_diff"]

DEFAULT_MAX_LINES = 200
_MORE = re.compile(r"^… (\d+) more lines?$")


def pretty(document: Any) -> str:
    """The canonical pretty form of a JSON value (no trailing newline)."""
    # Not canonicalisable (e.g. NaN): show it as json can.
    with contextlib.suppress(rfc8785.CanonicalizationError, TypeError, ValueError):
        document = json.loads(canonical_bytes(document))
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, default=repr)


def unified_diff(
    old: Any,
    new: Any,
    *,
    old_label: str,
    new_label: str,
    context: int = 3,
    max_lines: int = DEFAULT_MAX_LINES,
) -> str:
    """Unified diff ``old`` -> ``new``; "" when equal; at most ``max_lines`` lines plus a
    closing "… N more lines" line."""
    old_text, new_text = pretty(old), pretty(new)
    if old_text == new_text:
        return ""
    lines = difflib.unified_diff(
        old_text.splitlines(),
        new_text.splitlines(),
        fromfile=old_label,
        tofile=new_label,
        n=context,
        lineterm="",
    )
    return truncate_lines("\n".join(lines), max_lines)


def truncate_lines(text: str, max_lines: int) -> str:
    """``text`` cut to ``max_lines`` lines, with "… N more lines" when anything was cut."""
    lines = text.splitlines()
    if len(lines) <= max_lines:
        return text
    earlier = _MORE.match(lines[-1])
    if earlier:  # already cut once: count what the first cut hid as well
        lines.pop()
    hidden = len(lines) - max_lines + (int(earlier.group(1)) if earlier else 0)
    return "\n".join([*lines[:max_lines], f"… {hidden} more line{'s' if hidden != 1 else ''}"])

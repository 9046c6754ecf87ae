"""Text and JSON renderings of a comparison, one line/record per change."""

from __future__ import annotations

from typing import Any

from drift.compat.result import (
    BREAKS,
    OK,
    Change,
    CompatResult,
    Counterexample,
    by_severity,
    directions,
)
from drift.compat.values import short

__all__ = ["counterexample_line", "render_text", "tag", "to_json"]

_WIDTH = 48
_SHOWN = 120
"""Characters of a counterexample shown on its one text line."""
_WORDING = {
    "backward": "accepted before, rejected now",
    "forward": "accepted now, rejected before",
}


def counterexample_line(found: Counterexample, limit: int = _SHOWN) -> str:
    """``counterexample (accepted before, rejected now): {"a": null}``, truncated."""
    where = f" at {found.path}" if found.path else ""
    return f"counterexample ({_WORDING[found.direction]}){where}: {short(found.instance, limit)}"


def tag(change: Change, mode: str) -> str:
    """The verdict of one change under ``mode``: ``breaks backward``, ``cannot prove forward``,
    ``compatible`` or ``annotation``."""
    if change.is_annotation:
        return "annotation"
    broken = [d for d in directions(mode) if change.effect(d) == BREAKS]
    unknown = [d for d in directions(mode) if change.effect(d) not in (OK, BREAKS)]
    parts = []
    if broken:
        parts.append("breaks " + "+".join(broken))
    if unknown:
        parts.append("cannot prove " + "+".join(unknown))
    return ", ".join(parts) or "compatible"


def render_text(result: CompatResult, mode: str = "backward") -> str:
    """One line per change (path, what, verdict), then the overall verdict."""
    lines = []
    width = min(_WIDTH, max((len(c.path or "/") for c in result.changes), default=1))
    for change in by_severity(result.changes, mode):
        path = (change.path or "/").ljust(width)
        lines.append(f"{path}  {change.kind}: {change.message}  [{tag(change, mode)}]")
    if not result.changes:
        lines.append("no changes")
    found = result.counterexample(mode)
    if found is not None:
        lines.append(counterexample_line(found))
    breaking = len(result.breaking(mode))
    lines.append(
        f"verdict ({mode}): {result.verdict(mode)}"
        f" ({len(result.changes)} change(s), {breaking} breaking or unproven)"
    )
    return "\n".join(lines) + "\n"


def to_json(result: CompatResult, mode: str = "backward") -> dict[str, Any]:
    """JSON-ready form: verdict, per-direction effects and every change."""
    return {
        "mode": mode,
        "verdict": result.verdict(mode),
        "compatible": result.is_compatible(mode),
        "backward": result.effect("backward"),
        "forward": result.effect("forward"),
        "counterexample": _counterexample(result.counterexample(mode)),
        "changes": [
            {
                "path": c.path,
                "kind": c.kind,
                "message": c.message,
                "breaks_backward": c.breaks_backward,
                "breaks_forward": c.breaks_forward,
                "certain": c.certain,
                "verdict": tag(c, mode),
            }
            for c in by_severity(result.changes, mode)
        ],
    }


def _counterexample(found: Counterexample | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"direction": found.direction, "instance": found.instance, "path": found.path}

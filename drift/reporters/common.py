"""Small helpers every human-facing reporter shares: ordering, wording, sanitising."""

from __future__ import annotations

import json
import re

from drift.model import Status
from drift.report import DRIFT_STATUSES, Change, Counterexample, Report, SchemaResult, TrackResult

__all__ = [
    "EXIT_MEANINGS",
    "SEVERITY",
    "change_line",
    "clean",
    "count_summary",
    "counterexample_line",
    "drift_count",
    "human_age",
    "mode_text",
    "notable",
    "outcome_line",
    "registry_text",
    "version_text",
]

EXIT_MEANINGS: dict[int, str] = {
    0: "nothing fails the policy",
    1: "drift fails the policy in a strict track",
    2: "invalid local input: fixture, lock or configuration",
    3: "registry unavailable and fail-open is off",
}

#: Most urgent first; the order schemas and counts are listed in.
SEVERITY: tuple[Status, ...] = (
    Status.INVALID,
    Status.CONFLICT,
    Status.DRIFTED,
    Status.LOCAL_EDIT,
    Status.MISSING_IN_REGISTRY,
    Status.UNTRACKED,
    Status.UNKNOWN,
    Status.DEPRECATED,
    Status.ANNOTATIONS,
    Status.SYNCED,
)
_RANK = {status: rank for rank, status in enumerate(SEVERITY)}
# C0 controls but tab/newline, DEL and C1 controls: terminal escapes, invalid XML.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """``text`` without control characters (registry text is untrusted)."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


def notable(track: TrackResult) -> list[SchemaResult]:
    """Every result that is not SYNCED, most urgent first, then by name."""
    rest = [r for r in track.schemas if r.status is not Status.SYNCED]
    return sorted(rest, key=lambda r: (_RANK[r.status], r.name))


def count_summary(track: TrackResult) -> str:
    """E.g. ``38 schemas: 36 synced, 1 drifted, 1 annotations``."""
    counts = track.counts()
    parts = [f"{counts[s.value]} {s.value}" for s in reversed(SEVERITY) if counts[s.value]]
    total = len(track.schemas)
    head = f"{total} schema{'s' if total != 1 else ''}"
    return f"{head}: {', '.join(parts)}" if parts else head


def drift_count(track: TrackResult) -> int:
    return sum(1 for r in track.schemas if r.status in DRIFT_STATUSES)


def human_age(seconds: float | None) -> str:
    """``3d 4h``, ``2h 5m``, ``12m 3s``, ``45s``; ``unknown`` for None."""
    if seconds is None:
        return "unknown"
    left = max(0, int(seconds))
    days, left = divmod(left, 86400)
    hours, left = divmod(left, 3600)
    minutes, secs = divmod(left, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {secs}s" if minutes else f"{secs}s"


def mode_text(track: TrackResult) -> str:
    """``strict (config), strict policy``: the enforcement mode and the compat policy."""
    return f"{track.mode} ({track.mode_source}), {track.compat_policy} policy"


_SHOWN = 120
_WORDING = {
    "backward": "the fixture's schema accepts it, the registry's rejects it",
    "forward": "the registry's schema accepts it, the fixture's rejects it",
}


def counterexample_line(found: Counterexample | None, limit: int = _SHOWN) -> str:
    """One line with the instance that proves a ``breaking`` verdict ("" without one),
    the JSON cut to ``limit`` characters."""
    if found is None:
        return ""
    text = json.dumps(found.instance, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    where = f" (at {found.path})" if found.path else ""
    wording = _WORDING.get(found.direction, found.direction)
    return clean(f"counterexample{where}: {text} — {wording}")


def registry_text(track: TrackResult) -> str:
    """``available`` or ``unavailable: <error>; cache age 3h 2m (stale)``."""
    if track.registry_available:
        return "available"
    text = f"unavailable: {clean(track.registry_error or 'no answer')}"
    text += f"; cache age {human_age(track.cache_age_seconds)}"
    return text + (" (stale)" if track.stale else "")


def version_text(result: SchemaResult) -> str:
    """``1.2.8 -> 1.4.61`` when the registry moved on, else the one version known."""
    old, new = result.locked_core_version, result.core_version
    if old and new and old != new:
        return f"{old} -> {new}"
    return new or old or ""


def change_line(change: Change) -> str:
    flags = ["breaks backward"] if change.breaks_backward else []
    flags += ["breaks forward"] if change.breaks_forward else []
    tail = f" ({', '.join(flags)})" if flags else ""
    return clean(f"{change.kind} {change.path}: {change.message}{tail}")


def outcome_line(report: Report) -> str:
    """The final verdict, e.g. ``FAILED: exit 1 (drift fails the policy in a strict track)``."""
    word = "OK" if report.exit_code == 0 else "FAILED"
    meaning = EXIT_MEANINGS.get(report.exit_code, "unexpected exit code")
    if report.exit_code == 0 and any(True for _ in report.drifted()):
        meaning = "drift reported, not enforced (warn mode or fail-on policy)"
    return f"{word}: exit {report.exit_code} ({meaning})"

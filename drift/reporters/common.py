"""Small helpers every human-facing reporter shares: ordering, wording, sanitising."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Sequence

from drift.model import Status
from drift.policy import fails_policy
from drift.report import DRIFT_STATUSES, Change, Counterexample, Report, SchemaResult, TrackResult

__all__ = [
    "EXIT_MEANINGS",
    "NOT_REQUIRED_NOTE",
    "SEVERITY",
    "change_line",
    "clean",
    "count_summary",
    "counterexample_line",
    "drift_count",
    "human_age",
    "listed",
    "mode_text",
    "next_steps",
    "not_enforced",
    "notable",
    "outcome_line",
    "registry_text",
    "required_text",
    "resolve_commands",
    "resolve_plan",
    "version_text",
    "waiver_text",
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


def listed(track: TrackResult) -> tuple[list[SchemaResult], int]:
    """:func:`notable` without the UNKNOWN results that only repeat the track's registry
    error (it is shown once per track), and how many were left out."""
    rest = notable(track)
    if track.registry_available:
        return rest, 0
    error = clean(track.registry_error or "")
    shown = [
        r for r in rest if not (r.status is Status.UNKNOWN and error and error in clean(r.message))
    ]
    return shown, len(rest) - len(shown)


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


def required_text(track: TrackResult, report: Report) -> str:
    """``required``, ``required (--require-all)`` or ``not required``."""
    if not track.required:
        return "not required"
    return "required (--require-all)" if report.require_all else "required"


NOT_REQUIRED_NOTE = "not required: reported, does not change the exit code"


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


def waiver_text(result: SchemaResult) -> str:
    """``waived by team-md until 2026-12-31 (30 day(s) left): reason`` ("" without one)."""
    w = result.waiver
    if w is None:
        return ""
    if not w.covers:
        text = (
            f"waiver by {w.owner} (until {w.until}) does not cover this registry version "
            f"(made for tag {w.registry_tag[:12]})"
        )
    elif w.expired:
        text = f"waiver by {w.owner} EXPIRED on {w.until} ({-w.days_left} day(s) ago): {w.reason}"
    else:
        text = f"waived by {w.owner} until {w.until} ({w.days_left} day(s) left): {w.reason}"
    return clean(text)


def outcome_line(report: Report) -> str:
    """The final verdict, e.g. ``FAILED: exit 1 (drift fails the policy in a strict track)``."""
    word = "OK" if report.exit_code == 0 else "FAILED"
    meaning = EXIT_MEANINGS.get(report.exit_code, "unexpected exit code")
    if report.exit_code == 0 and report.not_required:
        meaning = "drift fails the policy only on tracks that are not required"
    elif report.exit_code == 0 and any(True for _ in report.drifted()):
        meaning = "drift reported, not enforced (warn mode or fail-on policy)"
    return f"{word}: exit {report.exit_code} ({meaning})"


#: Schemas named with ``--schema`` in a resolve command at most; more: the whole track.
_MAX_NAMED = 3


def resolve_commands(
    track: str, names: Sequence[str] = (), status: Status | None = None
) -> list[str]:
    """The exact commands that resolve drift of ``names`` (all drift when empty) in ``track``:
    review the sync, apply it, run the track's contract tests."""
    select = "".join(f" --schema {shlex.quote(n)}" for n in names[:_MAX_NAMED])
    if len(names) > _MAX_NAMED:
        select = ""
    sync = f"drift sync-fixtures --track {shlex.quote(track)}{select}"
    steps = [f"{sync} --dry-run", sync, f"nox -s contracts-{track}"]
    if status is Status.LOCAL_EDIT and len(names) == 1:
        steps.append("(or, to keep the lock's version: git checkout -- the edited fixture)")
    return steps


def _failing(report: Report, track: TrackResult) -> list[SchemaResult]:
    return [
        r
        for r in track.schemas
        if r.status is Status.INVALID
        or r.is_drift
        or (track.mode == "strict" and fails_policy(r, report.fail_on))
    ]


def resolve_plan(report: Report) -> list[tuple[str, int, list[str]]]:
    """``(track, schemas to resolve, commands)`` for every track with drift or a failing
    schema, in report order."""
    plan: list[tuple[str, int, list[str]]] = []
    for track in report.tracks:
        names = [r.name for r in _failing(report, track)]
        if names:
            plan.append((track.track, len(names), resolve_commands(track.track, names)))
    return plan


def next_steps(report: Report) -> list[str]:
    """``to resolve v1 (…), run:`` and the indented commands, per track of the plan."""
    lines: list[str] = []
    for track, count, commands in resolve_plan(report):
        lines.append(f"to resolve {track} ({count} schema(s)), run:")
        lines.extend(f"  {cmd}" for cmd in commands)
    return lines


def not_enforced(report: Report) -> list[str]:
    """Per track with drift that did not fail the check: which rule let it pass."""
    lines: list[str] = []
    for track in report.tracks:
        drifted = [r for r in track.schemas if r.is_drift]
        if not drifted:
            continue
        if track.mode != "strict":
            lines.append(
                f"{track.track}: {len(drifted)} drifted schema(s) not enforced: "
                f"mode {track.mode} (from {track.mode_source})"
            )
            continue
        passing = [r for r in drifted if not fails_policy(r, report.fail_on)]
        if passing:
            lines.append(
                f"{track.track}: {len(passing)} drifted schema(s) pass "
                f"fail_on = {report.fail_on!r} (only breaking or unprovable changes fail)"
            )
    return lines

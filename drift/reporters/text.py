"""A concise plain-text summary of a report, for terminals and CI logs."""

from __future__ import annotations

from drift.model import Status
from drift.report import DRIFT_STATUSES, Report, SchemaResult, TrackResult
from drift.reporters.common import (
    NOT_REQUIRED_NOTE,
    change_line,
    clean,
    count_summary,
    counterexample_line,
    listed,
    mode_text,
    next_steps,
    not_enforced,
    outcome_line,
    registry_text,
    required_text,
    version_text,
    waiver_text,
)
from drift.textdiff import truncate_lines

__all__ = ["failure_summary", "render_text", "watch_line"]

_RED, _YELLOW, _GREEN, _BOLD, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[1m", "\x1b[0m"
_WARNING = frozenset({Status.ANNOTATIONS, Status.DEPRECATED, Status.UNKNOWN})


def render_text(
    report: Report, *, colour: bool = False, max_changes: int = 3, diff_lines: int = 20
) -> str:
    """Header, one block per track (counts, then one line per non-synced schema with its
    first changes and a truncated diff for drift), then the outcome and what it means,
    which rule let reported drift pass, and last the commands that resolve the drift."""
    paint = _Painter(colour)
    lines = [
        f"drift check of {clean(report.repo)} against {clean(report.registry)}",
        f"  {report.generated_at}, drift {report.tool_version}, fail-on {report.fail_on}, "
        f"{report.duration_seconds:.1f}s"
        + ("" if report.registry_enabled else ", registry disabled"),
    ]
    for track in report.tracks:
        lines.append("")
        lines.extend(_track_lines(report, track, paint, max_changes, diff_lines))
    lines.append("")
    outcome = outcome_line(report)
    lines.append(paint.status_word(outcome, ok=report.exit_code == 0))
    lines.extend(f"  - {clean(reason)}" for reason in report.failures)
    if report.not_required:
        lines.append(paint.yellow(f"DRIFT ON TRACKS NOT REQUIRED ({NOT_REQUIRED_NOTE}):"))
        lines.extend(f"  - {clean(reason)}" for reason in report.not_required)
    lines.extend(not_enforced(report))
    lines.extend(next_steps(report))
    return "\n".join(lines) + "\n"


def failure_summary(report: Report, *, colour: bool = False) -> str:
    """One line for ``-q``: the outcome, why, and the first command to run (empty when
    the check passed)."""
    if report.exit_code == 0:
        return ""
    steps = next_steps(report)
    why = "; ".join(clean(reason) for reason in report.failures)
    line = _Painter(colour).status_word(outcome_line(report), ok=False)
    line += f": {why}" if why else ""
    line += f"; next: {steps[1].strip()}" if len(steps) > 1 else ""
    return line + "\n"


def watch_line(report: Report) -> str:
    """One log line per ``drift watch`` check: time, per track the counts and the registry
    state, duration, exit code."""
    parts = []
    for track in report.tracks:
        registry = "registry up" if track.registry_available else "registry DOWN"
        if track.stale:
            registry += " (stale cache)"
        parts.append(f"{track.track} {count_summary(track)}, {registry}")
    tracks = "; ".join(parts) or "no tracks"
    return (
        f"{report.generated_at} check: {tracks}; {report.duration_seconds:.2f}s; "
        f"exit {report.exit_code}\n"
    )


def _track_lines(
    report: Report, track: TrackResult, paint: _Painter, max_changes: int, diff_lines: int
) -> list[str]:
    role = "" if track.role == "producer" else f", role {track.role}"
    head = f"track {track.track}: mode {mode_text(track)}{role}, {required_text(track, report)}"
    registry = registry_text(track)
    lines = [
        paint.bold(head),
        f"  registry {registry if track.registry_available else paint.yellow(registry)}",
        f"  {count_summary(track)}",
    ]
    results, hidden = listed(track)
    if hidden:
        lines.append(
            f"  {paint.status(Status.UNKNOWN, 'unknown')}  {hidden} schema(s): the registry "
            "did not answer (fail-open: the committed fixtures stand)"
        )
    width = max((len(r.status.value) for r in results), default=0)
    for result in results:
        lines.extend(_schema_lines(result, paint, width, max_changes, diff_lines))
    return lines


def _schema_lines(
    result: SchemaResult, paint: _Painter, width: int, max_changes: int, diff_lines: int
) -> list[str]:
    details = [
        paint.verdict(result.verdict or ""),
        waiver_text(result),
        version_text(result),
        clean(result.message),
    ]
    extra = "  ".join(d for d in details if d)
    status = paint.status(result.status, result.status.value.ljust(width))
    lines = [f"  {status}  {result.name}" + (f"  {extra}" if extra else "")]
    pad = " " * (width + 4)
    if result.status is Status.ANNOTATIONS:  # the release-stamp case: one line is enough
        return lines
    shown = result.changes[:max_changes]
    lines.extend(f"{pad}- {change_line(change)}" for change in shown)
    if len(result.changes) > len(shown):
        lines.append(f"{pad}- … {len(result.changes) - len(shown)} more change(s)")
    proof = counterexample_line(result.counterexample)
    if proof:
        lines.append(f"{pad}- {proof}")
    if result.diff and result.status in DRIFT_STATUSES and diff_lines > 0:
        diff = truncate_lines(clean(result.diff), diff_lines)
        lines.extend(f"{pad}{line}" for line in diff.splitlines())
    return lines


class _Painter:
    """ANSI colours, or nothing at all."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._wrap(_BOLD, text)

    def yellow(self, text: str) -> str:
        return self._wrap(_YELLOW, text)

    def status(self, status: Status, text: str) -> str:
        if status is Status.SYNCED:
            return self._wrap(_GREEN, text)
        return self._wrap(_YELLOW if status in _WARNING else _RED, text)

    def status_word(self, text: str, *, ok: bool) -> str:
        return self._wrap(_GREEN if ok else _RED, text)

    def verdict(self, verdict: str) -> str:
        if not verdict:
            return ""
        colour = {"breaking": _RED, "cannot-prove": _YELLOW}.get(verdict, _GREEN)
        return self._wrap(colour, verdict)

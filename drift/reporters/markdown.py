"""A Markdown report for pull requests and the GitHub Actions step summary."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping

from drift.errors import DriftError
from drift.redaction import redact
from drift.report import Report, SchemaResult, TrackResult
from drift.reporters.common import (
    NOT_REQUIRED_NOTE,
    change_line,
    clean,
    count_summary,
    counterexample_line,
    drift_count,
    listed,
    mode_text,
    not_enforced,
    outcome_line,
    registry_text,
    required_text,
    resolve_plan,
    version_text,
    waiver_text,
)

__all__ = ["MAX_DETAILS", "append_step_summary", "render_markdown"]

#: Schemas with a <details> block at most; GitHub caps a step summary at 1 MiB.
MAX_DETAILS = 30
_MAX_CHARS = 900_000
_BACKTICKS = re.compile(r"`+")


def render_markdown(report: Report, *, diffs: bool = True) -> str:
    """Heading, a summary table of the tracks, then per track a table of the non-synced
    schemas and a <details> block (changes, diff) for each drifted one."""
    out = [
        f"## Schema drift: {_cell(report.repo)} — {outcome_line(report)}",
        "",
        f"Registry `{_code(report.registry)}` · fail-on `{report.fail_on}` · "
        f"{_cell(report.generated_at)} · drift {_cell(report.tool_version)}",
        "",
        "| Track | Mode | Required | Registry | Summary | Drift |",
        "| --- | --- | --- | --- | --- | ---: |",
    ]
    out += [
        f"| {_cell(t.track)} | {_cell(mode_text(t))} | {_cell(required_text(t, report))} "
        f"| {_cell(registry_text(t))} | {_cell(count_summary(t))} | {drift_count(t)} |"
        for t in report.tracks
    ]
    if report.failures:
        out += ["", "**Why it failed**", ""] + [f"- {_cell(f)}" for f in report.failures]
    if report.not_required:
        out += ["", f"**Drift on tracks not required** ({NOT_REQUIRED_NOTE})", ""]
        out += [f"- {_cell(f)}" for f in report.not_required]
    passed = not_enforced(report)
    if passed:
        out += ["", "**Reported, not enforced**", ""] + [f"- {_cell(p)}" for p in passed]
    plan = resolve_plan(report)
    if plan:
        out += ["", "**To resolve**", "", "```sh"]
        for name, count, commands in plan:
            out += [f"# {_code_line(name)}: {count} schema(s)", *map(_code_line, commands)]
        out.append("```")
    budget = [MAX_DETAILS]
    for track in report.tracks:
        out += _track_section(track, budget, diffs)
    text = "\n".join(out) + "\n"
    if diffs and len(text) > _MAX_CHARS:
        return render_markdown(report, diffs=False)
    return text


def append_step_summary(report: Report, env: Mapping[str, str] | None = None) -> bool:
    """Append the Markdown report to ``$GITHUB_STEP_SUMMARY``; False when it is not set."""
    target = (os.environ if env is None else env).get("GITHUB_STEP_SUMMARY", "")
    if not target:
        return False
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(redact(render_markdown(report)) + "\n")
    except OSError as exc:
        raise DriftError(f"{target}: cannot append the step summary: {exc}") from exc
    return True


def _track_section(track: TrackResult, budget: list[int], diffs: bool) -> list[str]:
    results, hidden = listed(track)
    out = ["", f"### Track {_cell(track.track)}", ""]
    if hidden:
        out += [f"{hidden} schema(s) unknown: the registry did not answer (fail-open).", ""]
    if not results:
        return out if hidden else [*out, f"All {len(track.schemas)} schemas in sync."]
    out += [
        "| Schema | Status | Verdict | Core version | Note |",
        "| --- | --- | --- | --- | --- |",
    ]
    out += [
        f"| `{_code(r.name)}` | {r.status.value} | {_cell(r.verdict or '')} "
        f"| {_cell(version_text(r))} | {_cell(_note(r))} |"
        for r in results
    ]
    detailed = [r for r in results if r.changes or r.diff]
    for result in detailed[: budget[0]]:
        out += _details(result, diffs)
    if len(detailed) > budget[0]:
        out += ["", f"_… details of {len(detailed) - budget[0]} more schema(s) omitted._"]
    budget[0] = max(0, budget[0] - len(detailed))
    return out


def _details(result: SchemaResult, diffs: bool) -> list[str]:
    verdict = f" ({_cell(result.verdict)})" if result.verdict else ""
    out = [
        "",
        f"<details><summary><code>{html.escape(result.name)}</code> — "
        f"{result.status.value}{verdict}</summary>",
        "",
    ]
    out += [f"- {_cell(change_line(c))}" for c in result.changes]
    proof = counterexample_line(result.counterexample, limit=400)
    if proof:
        out.append(f"- **{_cell(proof)}**")
    if diffs and result.diff:
        body = clean(result.diff)
        longest = max((len(m) for m in _BACKTICKS.findall(body)), default=0)
        fence = "`" * max(3, longest + 1)
        out += ["", f"{fence}diff", body, fence]
    return [*out, "", "</details>"]


def _note(result: SchemaResult) -> str:
    return "; ".join(t for t in (waiver_text(result), result.message) if t)


def _cell(text: str) -> str:
    """Safe inside a table cell or a line: no HTML, no pipes, no line breaks."""
    flat = " ".join(clean(text).split())
    return html.escape(flat, quote=False).replace("|", "\\|")


def _code_line(text: str) -> str:
    """A line inside a fenced block: no fence can be closed from inside."""
    return clean(text).replace("`", "'")


def _code(text: str) -> str:
    return clean(text).replace("`", "'").replace("|", "\\|").replace("\n", " ")

"""GitHub Actions workflow commands: ``::error file=…,line=…,title=…::message``.

One annotation per schema that has findings, at the line of its first (most
relevant) change: ``::error`` when it fails the policy, ``::warning`` when the
drift is only reported. The message lists the changes and the commands that
resolve them. GitHub shows at most 10 annotations of each level per step, so
beyond :data:`MAX_PER_LEVEL` one summary annotation says how many more there are.
Escaping follows the Actions toolkit (``@actions/core`` ``command.ts``).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: ``check-drift`` imports this module for :func:`wanted`
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from drift.reporters.findings import Finding

__all__ = ["MAX_PER_LEVEL", "escape_data", "escape_property", "render_annotations", "wanted"]

MAX_PER_LEVEL = 10
_MAX_CHANGES = 5


def escape_data(text: str) -> str:
    """A command's message: ``%``, CR and LF percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command property value: as data, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def wanted(flag: str | None, env: Mapping[str, str]) -> bool:
    """``--annotations github`` forces them, ``none`` turns them off; by default they are
    written when ``GITHUB_ACTIONS=true``."""
    if flag is not None:
        return flag == "github"
    return env.get("GITHUB_ACTIONS", "").lower() == "true"


def render_annotations(items: Iterable[Finding]) -> str:
    """One workflow command per schema (grouping its findings), capped per level."""
    by_schema: dict[tuple[str, str], list[Finding]] = {}
    for finding in items:
        by_schema.setdefault((finding.track, finding.schema), []).append(finding)
    lines: list[str] = []
    left: dict[str, int] = {}
    shown: dict[str, int] = {}
    for group in by_schema.values():
        level = group[0].level
        if shown.get(level, 0) >= MAX_PER_LEVEL:
            left[level] = left.get(level, 0) + 1
            continue
        shown[level] = shown.get(level, 0) + 1
        lines.append(_command(group))
    for more, count in left.items():
        lines.append(
            f"::{more} title=drift%3A {count} more schema(s)::"
            + escape_data(f"{count} more schema(s) at level {more}; see the job log and report")
        )
    return "".join(f"{line}\n" for line in lines)


def _command(group: list[Finding]) -> str:
    first = group[0]
    changes = [f"- {f.detail}" for f in group[:_MAX_CHANGES]]
    if len(group) > _MAX_CHANGES:
        changes.append(f"- … {len(group) - _MAX_CHANGES} more change(s)")
    proof = [first.proof] if first.proof else []
    resolve = [f"  {c}" for c in first.help.splitlines()]
    body = "\n".join([*changes, *proof, "To resolve:", *resolve])
    props = ",".join(
        [
            f"file={escape_property(first.location.uri)}",
            f"line={first.location.line}",
            f"title={escape_property(first.title)}",
        ]
    )
    return f"::{first.level} {props}::{escape_data(body)}"

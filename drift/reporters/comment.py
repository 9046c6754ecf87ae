"""The Markdown report as one pull-request comment that the workflow keeps updating.

The first line is :data:`MARKER`, an HTML comment GitHub does not render: the
workflow finds its own previous comment by it and edits that one instead of
adding another. GitHub refuses comments over 65,536 characters, so the body
stays under :data:`MAX_CHARS` however many schemas drifted: first the diffs are
left out (the changes stay), then the report is cut at a line boundary, any open
``<details>`` block or code fence closed, and a last line points to the full
report in the workflow run's artifact.
"""

from __future__ import annotations

from collections.abc import Mapping

from drift.report import Report
from drift.reporters.markdown import render_markdown

__all__ = ["MARKER", "MAX_CHARS", "artifact_hint", "render_comment"]

MARKER = "<!-- drift:pull-request-report -->"
#: GitHub's limit for an issue or pull-request comment body.
MAX_CHARS = 65_536
#: Room kept for the truncation notice and for counting differences (UTF-16 units).
_MARGIN = 2_048


def artifact_hint(env: Mapping[str, str]) -> str:
    """Where the full report is: the workflow run's page in Actions, else a plain hint."""
    server, repo, run = (env.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY",
                                                  "GITHUB_RUN_ID"))  # fmt: skip
    if server and repo and run:
        url = f"{server}/{repo}/actions/runs/{run}"
        return f"the `drift-report` artifact of [this workflow run]({url})"
    return "the `drift-report` artifact of this workflow run"


def render_comment(report: Report, *, artifact: str, limit: int = MAX_CHARS) -> str:
    """:data:`MARKER`, then the Markdown report, shortened to stay under ``limit``."""
    budget = limit - _MARGIN
    footer = f"\nThe full report (JSON, Markdown, SARIF) is in {artifact}.\n"
    for diffs in (True, False):
        body = f"{MARKER}\n{render_markdown(report, diffs=diffs)}"
        if len(body) + len(footer) <= budget:
            return body + footer
    return _truncate(body, budget, artifact)


def _truncate(body: str, budget: int, artifact: str) -> str:
    cut = body.rfind("\n", 0, budget)
    kept = body[: cut + 1] if cut > 0 else body[:budget] + "\n"
    lines = kept.splitlines()
    closing: list[str] = []
    if sum(1 for line in lines if line.startswith("```")) % 2:
        closing.append("```")
    opened = sum(line.count("<details>") for line in lines)
    closed = sum(line.count("</details>") for line in lines)
    closing += ["", "</details>"] * max(0, opened - closed)
    shown = len(kept)
    notice = (
        f"**Truncated**: GitHub limits a comment to {MAX_CHARS:,} characters; this shows "
        f"the first {shown:,} of {len(body):,}. The full report is in {artifact}."
    )
    return "\n".join([*lines, *closing, "", "---", "", notice]) + "\n"

"""The pull-request comment: one marker line, collapsed details, under GitHub's limit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from drift.reporters.comment import MARKER, MAX_CHARS, artifact_hint, render_comment
from tests.unit.pr_reports import breaking_report

RUN = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_RUN_ID": "7"}


def many(count: int):  # type: ignore[no-untyped-def]
    report = breaking_report("strict")
    track = report.tracks[0]
    quote = track.schemas[0]
    schemas = tuple(replace(quote, name=f"models.Quote{i:05}") for i in range(count))
    return replace(report, tracks=(replace(track, schemas=schemas),))


def test_the_comment_starts_with_its_marker_and_collapses_details() -> None:
    body = render_comment(breaking_report("strict"), artifact=artifact_hint(RUN))
    assert body.splitlines()[0] == MARKER
    assert body.count(MARKER) == 1
    assert "<details><summary><code>models.Quote</code> — drifted (breaking)</summary>" in body
    assert "drift sync-fixtures --track v1 --schema models.Quote --dry-run" in body
    assert "Truncated" not in body
    assert render_comment(breaking_report("strict"), artifact="x") == render_comment(
        breaking_report("strict"), artifact="x"
    )  # stable: the same report gives the same comment


@pytest.mark.parametrize("count", [40, 400, 4000])
def test_the_comment_stays_under_githubs_limit(count: int) -> None:
    body = render_comment(many(count), artifact=artifact_hint(RUN))
    assert len(body) < MAX_CHARS
    assert len(body.encode("utf-16-le")) // 2 < MAX_CHARS
    assert body.count("<details>") == body.count("</details>")
    assert sum(1 for line in body.splitlines() if line.startswith("```")) % 2 == 0
    assert "[this workflow run](https://github.com/o/r/actions/runs/7)" in body
    if count == 400:
        assert "more schema(s) omitted" in body
    if count >= 4000:
        assert "**Truncated**" in body
        assert "[this workflow run](https://github.com/o/r/actions/runs/7)" in body
        assert body.rstrip().endswith(".")


def test_diffs_go_before_the_report_is_cut() -> None:
    body = render_comment(many(40), artifact="x", limit=20_000)
    assert "```diff" not in body
    assert "Truncated" not in body
    assert "property-added /properties/exchange" in body


def test_the_artifact_hint_without_a_workflow_run() -> None:
    assert artifact_hint({}) == "the `drift-report` artifact of this workflow run"

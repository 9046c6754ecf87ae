"""The update pull request's title, body, labels and commit message."""

from __future__ import annotations

from dataclasses import replace

from drift.model import Status
from drift.report import Counterexample, SchemaResult
from drift.reporters.proposal import (
    MAX_BODY,
    ContractRun,
    commit_message,
    labels,
    render_body,
    title,
)
from tests.unit.pr_reports import breaking_report


def quote() -> SchemaResult:
    return breaking_report().tracks[0].schemas[0]


def test_labels_follow_the_verdicts() -> None:
    compatible = replace(quote(), verdict="compatible")
    added = SchemaResult("models.New", "v1", Status.UNTRACKED)
    assert labels([compatible, added]) == ["schema-compatible"]
    assert labels([compatible, quote()]) == ["schema-breaking"]
    assert labels([replace(quote(), verdict="cannot-prove")]) == ["schema-breaking"]


def test_title_and_commit_message_name_the_schema_and_verdict() -> None:
    assert title("v1", [quote()]) == (
        "drift: sync v1 schema models.Quote from the registry (breaking)"
    )
    two = [quote(), replace(quote(), name="models.Other", verdict="compatible")]
    assert title("v1", two) == "drift: sync v1 2 schemas from the registry (breaking)"
    message = commit_message("v1", [quote()])
    assert message.splitlines()[2] == "models.Quote: drifted, breaking (1.2.8 -> 1.2.9)"
    assert "  - property-added /properties/exchange:" in message


def test_body_names_status_verdict_changes_counterexample_and_contracts() -> None:
    track = breaking_report().tracks[0]
    proven = replace(quote(), counterexample=Counterexample("backward", {"symbol": "X"}))
    body = render_body(
        track, [proven], registry="https://r.example",
        contracts=ContractRun("nox -s contracts-v1", True, "12 passed in 0.4s"),
    )  # fmt: skip
    assert body.startswith("<!-- drift:propose v1 -->\n")
    assert "| `models.Quote` | drifted | breaking | 1.2.8 -&gt; 1.2.9 |" in body
    assert "- property-added /properties/exchange:" in body
    assert "**Counterexample**: a payload the current fixture accepts and the registry" in body
    assert '"symbol": "X"' in body
    assert "`nox -s contracts-v1`: passed — 12 passed in 0.4s" in body
    assert "(label `schema-breaking`)" in body
    unproven = replace(quote(), counterexample=None)
    without = render_body(track, [unproven], registry="r", contracts=None)
    assert "Counterexample" not in without
    assert "drift propose --run-contracts" in without


def test_body_stays_under_githubs_limit() -> None:
    track = breaking_report().tracks[0]
    big = replace(quote(), diff="+x\n" * 3000)
    many = [replace(big, name=f"models.Q{i:04}") for i in range(500)]
    body = render_body(track, many, registry="r", contracts=None)
    assert len(body) < MAX_BODY
    assert "more schema(s): see the commit" in body
    assert body.count("<details>") == body.count("</details>")

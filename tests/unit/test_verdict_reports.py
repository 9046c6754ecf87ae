"""Counterexamples, the compat policy and breaking-first ordering in every report format.

The v1 fixtures of the bundled registry against its v2 schemas, judged by the real
engine (``compat.judge``) as ``check-drift`` does.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from drift import compat
from drift.canonical import DEFAULT_ANNOTATION_KEYS, canonical_hash, structural_hash
from drift.engine import LocalState, Locked, RegistryView, evaluate_track
from drift.model import IndexEntry, RegistrySchema
from drift.report import Report, SchemaResult, TrackResult
from drift.reporters import read_json, render_junit, render_markdown, render_text, write_json
from drift.reporters.schema import report_schema

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("models.Quote", "models.Health", "models.PriceBar")


def load(track: str, name: str) -> Any:
    return json.loads((ROOT / "registry" / track / f"{name}.json").read_text(encoding="utf-8"))


def track(policy: str = "strict", role: str = "producer") -> TrackResult:
    old = {n: load("v1", n) for n in NAMES}
    new = {n: load("v2", n) for n in NAMES}
    local = {n: LocalState(n, c, canonical_hash(c), structural_hash(c)) for n, c in old.items()}
    locked = {
        n: Locked(canonical_hash(c), structural_hash(c), f"tag-{n}-1", "1.2.8", "2026-11-01")
        for n, c in old.items()
    }
    index = {n: IndexEntry(n, f"tag-{n}-2", "1.4.61") for n in NAMES}
    fetched = {n: RegistrySchema(n, "v2", "1.4.61", f"tag-{n}-2", new[n]) for n in NAMES}

    def classify(a: Any, b: Any) -> Any:
        return compat.judge(a, b, role, DEFAULT_ANNOTATION_KEYS, policy=policy)  # type: ignore[arg-type]

    results = evaluate_track(
        "v1",
        local,
        locked,
        RegistryView(True, None, index, fetched, {}),
        selected=lambda _n: True,
        annotation_keys=DEFAULT_ANNOTATION_KEYS,
        classify=classify,
    )
    return TrackResult("v1", "strict", "config", role=role, compat_policy=policy, schemas=results)


def report(policy: str = "strict") -> Report:
    return Report("svc", "registry", "2026-12-01T00:00:00Z", "0", tracks=(track(policy),))


def result(name: str, policy: str = "strict") -> SchemaResult:
    return next(r for r in track(policy).schemas if r.name == name)


def accepts(schema: Any, value: Any) -> bool:
    return bool(Draft202012Validator(schema, format_checker=FormatChecker()).is_valid(value))


@pytest.mark.parametrize("name", NAMES)
def test_breaking_results_carry_the_checked_instance(name: str) -> None:
    found = result(name)
    assert found.verdict == "breaking"
    assert found.counterexample is not None
    assert found.counterexample.direction == "backward"
    assert accepts(load("v1", name), found.counterexample.instance)
    assert not accepts(load("v2", name), found.counterexample.instance)


def test_lenient_policy_accepts_optional_properties_added_to_open_models() -> None:
    quote = result("models.Quote", "lenient")
    assert quote.verdict == "compatible"
    assert quote.counterexample is None
    assert any("lenient policy" in c.message for c in quote.changes)
    # Health also made 'status' required and closed it to an enum: still breaking.
    health = result("models.Health", "lenient")
    assert health.verdict == "breaking"
    assert health.counterexample is not None


def test_text_shows_the_counterexample_the_policy_and_breaking_changes_first() -> None:
    text = render_text(report())
    assert "track v1: mode strict (config), strict policy" in text
    health = text[text.index("models.Health") :]
    block = health[: health.index("models.PriceBar")]
    shown = block.split("more change(s)")[0].splitlines()[1:-1]
    assert len(shown) == 3
    assert all("(breaks backward" in line for line in shown)
    lines = [line for line in block.splitlines() if "counterexample" in line]
    assert len(lines) == 1
    assert "the fixture's schema accepts it, the registry's rejects it" in lines[0]
    assert len(lines[0]) < 220


def test_a_required_added_break_is_listed_before_annotation_changes() -> None:
    old = {"type": "object", "title": "A", "description": "a", "$comment": "x",
           "properties": {"id": {"type": "string"}}}  # fmt: skip
    new = {**old, "title": "B", "description": "b", "$comment": "y", "required": ["id"]}
    judged = compat.judge(old, new, "producer")
    assert judged.changes[0].kind == "required-added"
    one = SchemaResult(
        "t.A", "v1", track().schemas[0].status, verdict=judged.verdict,
        changes=tuple(judged.changes), counterexample=judged.counterexample,
    )  # fmt: skip
    text = render_text(
        Report("svc", "r", "t", "0", tracks=(TrackResult("v1", "strict", schemas=(one,)),))
    )
    assert "- required-added /required: 'id' is now required (breaks backward)" in text
    assert "counterexample: {}" in text


def test_text_counterexample_is_one_truncated_line() -> None:
    big = {"type": "object", "properties": {"a": {"type": "string", "minLength": 150}}}
    small = {"type": "object", "properties": {"a": {"type": "string", "maxLength": 5}}}
    judged = compat.judge(big, small, "producer")
    assert judged.counterexample is not None
    one = SchemaResult("t.A", "v1", track().schemas[0].status, verdict="breaking",
                       counterexample=judged.counterexample)  # fmt: skip
    text = render_text(
        Report("svc", "r", "t", "0", tracks=(TrackResult("v1", "strict", schemas=(one,)),))
    )
    line = next(line for line in text.splitlines() if "counterexample" in line)
    assert "…" in line
    assert len(line) < 220


def test_markdown_and_junit_show_the_counterexample_and_policy() -> None:
    md = render_markdown(report("lenient"))
    assert "strict (config), lenient policy" in md
    assert "counterexample" in md
    root = ET.fromstring(render_junit(report()))
    bodies = [f.text or "" for f in root.iter("failure")]
    assert any("counterexample" in body for body in bodies)


def test_json_report_carries_counterexample_and_policy_and_validates(tmp_path: Path) -> None:
    path = tmp_path / "drift_report.json"
    write_json(report(), path)
    data = json.loads(path.read_text())
    Draft202012Validator(report_schema()).validate(data)
    assert data["tracks"][0]["compat_policy"] == "strict"
    health = next(s for s in data["tracks"][0]["schemas"] if s["name"] == "models.Health")
    assert health["counterexample"]["direction"] == "backward"
    assert "status" not in health["counterexample"]["instance"]
    assert read_json(path) == report()


def test_report_schema_rejects_a_malformed_counterexample() -> None:
    data = report().to_dict()
    data["tracks"][0]["schemas"][0]["counterexample"] = {"direction": "sideways", "instance": 1}
    assert not Draft202012Validator(report_schema()).is_valid(data)

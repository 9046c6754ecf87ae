"""Unified diffs of JSON documents in canonical pretty form."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from drift.textdiff import pretty, truncate_lines, unified_diff

REGISTRY = Path(__file__).resolve().parents[2] / "registry"


def diff(old: Any, new: Any, **kwargs: Any) -> str:
    return unified_diff(old, new, old_label="fixture", new_label="registry", **kwargs)


def test_equal_documents_give_empty_string() -> None:
    doc = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert diff(doc, json.loads(json.dumps(doc))) == ""


def test_key_order_never_shows() -> None:
    assert diff({"a": 1, "b": {"x": 1, "y": 2}}, {"b": {"y": 2, "x": 1}, "a": 1}) == ""


def test_number_spelling_never_shows() -> None:
    assert diff({"maximum": 1.0}, {"maximum": 1}) == ""


def test_change_has_labels_and_both_sides() -> None:
    text = diff({"type": "object", "title": "Old"}, {"type": "object", "title": "New"})
    lines = text.splitlines()
    assert lines[:2] == ["--- fixture", "+++ registry"]
    assert '-  "title": "Old",' in lines
    assert '+  "title": "New",' in lines
    assert not text.endswith("\n")


def test_context_controls_unchanged_lines() -> None:
    old = {f"k{i:02d}": i for i in range(20)}
    new = {**old, "k10": -1}
    lines = diff(old, new, context=0).splitlines()
    assert [line[0] for line in lines[3:]] == ["-", "+"]
    assert len(diff(old, new, context=3).splitlines()) == len(lines) + 6


def test_long_diffs_are_capped_with_a_count() -> None:
    old = {"enum": list(range(400))}
    new = {"enum": [-i for i in range(1, 401)]}
    full = diff(old, new, max_lines=10**6).splitlines()
    capped = diff(old, new).splitlines()
    assert len(capped) == 201
    assert capped[:200] == full[:200]
    assert capped[-1] == f"… {len(full) - 200} more lines"


def test_truncate_twice_keeps_the_total_count() -> None:
    text = "\n".join(str(i) for i in range(50))
    once = truncate_lines(text, 20)
    twice = truncate_lines(once, 5)
    assert twice.splitlines()[-1] == "… 45 more lines"
    assert truncate_lines(text, 50) == text
    assert truncate_lines("a\nb", 1).splitlines()[-1] == "… 1 more line"


def test_pretty_is_sorted_and_keeps_unicode() -> None:
    assert pretty({"b": "é", "a": [1.0]}) == '{\n  "a": [\n    1\n  ],\n  "b": "é"\n}'


def test_pretty_falls_back_for_non_canonical_values() -> None:
    assert "NaN" in pretty({"x": float("nan")})


def test_real_schema_release_diff_shows_only_metadata() -> None:
    old = json.loads((REGISTRY / "v1" / "telemetry.FeedbackEvent.json").read_text("utf-8"))
    new = json.loads((REGISTRY / "v2" / "telemetry.FeedbackEvent.json").read_text("utf-8"))
    changed = [
        line
        for line in diff(old, new).splitlines()[2:]
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed
    assert all('"$core_version"' in line or '"$track"' in line for line in changed)

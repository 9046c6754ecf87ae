"""Every ``breaking`` verdict comes with an instance that proves it (checked here again,
with jsonschema under each schema's own draft); an unprovable break is ``cannot-prove``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drift.compat import compare, render_text, to_json

from .proof import accepts, assert_counterexamples
from .test_table import CASES, Case

REGISTRY = Path(__file__).resolve().parents[3] / "registry"
PAIRS = sorted(
    p.stem for p in (REGISTRY / "v1").glob("*.json") if (REGISTRY / "v2" / p.name).exists()
)


def load(track: str, name: str) -> Any:
    return json.loads((REGISTRY / track / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_table_breaks_have_checked_counterexamples(case: Case) -> None:
    assert_counterexamples(compare(case.old, case.new), case.old, case.new)


def test_the_table_has_breaks_to_prove() -> None:
    broken = [c for c in CASES if "breaking" in (c.backward, c.forward)]
    assert len(broken) > 100


@pytest.mark.parametrize("name", PAIRS)
def test_snapshot_evolution_breaks_have_checked_counterexamples(name: str) -> None:
    old, new = load("v1", name), load("v2", name)
    assert_counterexamples(compare(old, new), old, new)


def test_health_counterexamples_are_concrete_payloads() -> None:
    old, new = load("v1", "models.Health"), load("v2", "models.Health")
    result = compare(old, new)
    backward, forward = result.counterexample("backward"), result.counterexample("forward")
    assert backward is not None
    assert forward is not None
    assert "status" not in backward.instance  # 'status' became required
    assert forward.direction == "forward"
    assert forward.path.startswith("/")
    assert result.counterexample("full") == backward


def test_null_can_be_the_counterexample() -> None:
    result = compare({"type": ["string", "null"]}, {"type": "string"})
    found = result.counterexample("backward")
    assert found is not None
    assert found.instance is None
    assert result.counterexample("forward") is None


def test_a_break_no_instance_proves_is_cannot_prove() -> None:
    """``format: money`` is unknown to jsonschema: nothing it rejects can be shown."""
    old, new = {"type": "string"}, {"type": "string", "format": "money"}
    result = compare(old, new)
    assert result.verdict("backward") == "cannot-prove"
    assert result.counterexample("backward") is None


def test_nested_break_is_embedded_in_a_valid_document() -> None:
    old = {
        "type": "object",
        "required": ["id", "legs"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "legs": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/leg"}},
        },
        "$defs": {
            "leg": {
                "type": "object",
                "required": ["qty"],
                "properties": {"qty": {"type": "integer", "maximum": 100}},
            }
        },
    }
    new = json.loads(json.dumps(old).replace('"maximum": 100', '"maximum": 10'))
    found = compare(old, new).counterexample("backward")
    assert found is not None
    assert accepts(old, found.instance)
    assert not accepts(new, found.instance)
    assert found.path == "/legs/0/qty"


def test_shown_in_text_and_json() -> None:
    old, new = {"type": "integer"}, {"type": "integer", "maximum": 5}
    result = compare(old, new)
    text = render_text(result, "backward")
    assert "counterexample (accepted before, rejected now): 6" in text
    data = to_json(result, "backward")
    assert data["counterexample"] == {"direction": "backward", "instance": 6, "path": ""}
    assert to_json(result, "forward")["counterexample"] is None

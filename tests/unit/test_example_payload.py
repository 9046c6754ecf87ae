"""Minimal example payloads for drift init's contract test: real schemas, real validation."""

from __future__ import annotations

from pathlib import Path

from drift.contracts import ConformanceChecker, load_schemas
from drift.example_payload import choose_example, minimal_payload

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_minimal_payload_has_every_required_property_with_its_simplest_value() -> None:
    schema = {
        "type": "object",
        "required": ["s", "n", "when", "kind", "maybe", "flag", "items"],
        "properties": {
            "s": {"type": "string", "minLength": 9},
            "n": {"type": "integer", "minimum": 3},
            "when": {"type": "string", "format": "date-time"},
            "kind": {"enum": ["a", "b"]},
            "maybe": {"anyOf": [{"type": "null"}, {"type": "number"}]},
            "flag": {"type": "boolean"},
            "items": {"type": "array"},
            "optional": {"type": "string"},
        },
    }
    assert minimal_payload(schema) == {
        "s": "examplexx", "n": 3, "when": "2026-01-01T00:00:00Z", "kind": "a",
        "maybe": 0, "flag": False, "items": [],
    }  # fmt: skip


def test_schemas_it_cannot_satisfy_simply_give_none() -> None:
    assert minimal_payload({"type": "object"}) is None  # nothing required
    ref = {"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/x"}}}
    assert minimal_payload(ref) is None
    pattern = {"type": "object", "required": ["a"], "properties": {"a": {"pattern": "^x$"}}}
    assert minimal_payload(pattern) is None
    missing = {"type": "object", "required": ["a"], "properties": {}}
    assert minimal_payload(missing) is None


def test_choice_on_the_bundled_fixtures_conforms_on_both_tracks() -> None:
    schemas = {t: load_schemas(FIXTURES, t) for t in ("v1", "v2")}
    checkers = {t: ConformanceChecker(s, track=t) for t, s in schemas.items()}

    def conforms(name: str, payload: dict[str, object]) -> bool:
        return all(not c.violations(payload, name) for c in checkers.values())

    chosen = choose_example(schemas["v1"], conforms)
    assert chosen is not None
    name, payload = chosen
    assert conforms(name, payload)
    required = schemas["v1"][name]["required"]
    dropped = {k: v for k, v in payload.items() if k != required[0]}
    assert not conforms(name, dropped)  # the test it seeds can fail


def test_nothing_conforming_gives_none() -> None:
    schemas = {"a": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}}}
    assert choose_example(schemas, lambda _n, _p: False) is None

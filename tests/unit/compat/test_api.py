"""Result model, verdict rules, classify, the report bridge and engine properties."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from drift import report
from drift.compat import (
    Change,
    CompatResult,
    classify,
    compare,
    render_text,
    to_json,
    to_report_changes,
)
from drift.compat.result import make
from drift.errors import ConfigError, FixtureError

ANN = Change("/title", "annotation", "title changed", False, False)
NEUTRAL = Change("/$ref", "ref-changed", "renamed", False, False)
BREAK_BW = Change("/required", "required-added", "'a' is now required", True, False)
UNKNOWN_FW = Change("/pattern", "pattern-changed", "pattern changed", False, True, False)


@pytest.mark.parametrize(
    ("changes", "backward", "forward"),
    [
        ((), "annotations-only", "annotations-only"),
        ((ANN,), "annotations-only", "annotations-only"),
        ((ANN, NEUTRAL), "compatible", "compatible"),
        ((BREAK_BW,), "breaking", "compatible"),
        ((UNKNOWN_FW,), "compatible", "cannot-prove"),
        ((BREAK_BW, UNKNOWN_FW), "breaking", "cannot-prove"),
    ],
)
def test_verdict_rules(changes: tuple[Change, ...], backward: str, forward: str) -> None:
    result = CompatResult(changes)
    assert (result.verdict("backward"), result.verdict("forward")) == (backward, forward)
    full = (
        "breaking"
        if "breaking" in (backward, forward)
        else ("cannot-prove" if "cannot-prove" in (backward, forward) else backward)
    )
    assert result.verdict("full") == full
    assert result.is_compatible("full") == (full in ("annotations-only", "compatible"))


def test_breaking_lists_proven_and_unproven() -> None:
    result = CompatResult((ANN, BREAK_BW, UNKNOWN_FW))
    assert result.breaking("backward") == (BREAK_BW,)
    assert result.breaking("full") == (BREAK_BW, UNKNOWN_FW)


def test_unknown_mode_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="sideways"):
        CompatResult(()).verdict("sideways")


def test_make_splits_a_proven_break_from_an_unproven_one() -> None:
    changes = make("/x", "k", "m", "breaks", "unknown")
    assert [(c.breaks_backward, c.breaks_forward, c.certain) for c in changes] == [
        (True, False, True),
        (False, True, False),
    ]
    assert CompatResult(tuple(changes)).verdict("forward") == "cannot-prove"


def test_classify_maps_roles_to_modes() -> None:
    old = {"type": "integer"}
    new = {"type": "number"}
    assert classify(old, new, "producer")[0] == "compatible"
    assert classify(old, new, "consumer")[0] == "breaking"
    assert classify(old, new, "both")[0] == "breaking"
    with pytest.raises(ConfigError, match="role"):
        classify(old, new, "auditor")  # type: ignore[arg-type]


def test_annotation_keys_extend_the_builtin_ones() -> None:
    old, new = {"type": "string", "x-owner": "a"}, {"type": "string", "x-owner": "b"}
    assert classify(old, new, "both")[0] == "compatible"
    verdict, changes = classify(old, new, "both", frozenset({"x-owner"}))
    assert verdict == "annotations-only"
    assert [c.kind for c in changes] == ["annotation"]
    assert classify({"title": "a"}, {"title": "b"}, "both", frozenset())[0] == "annotations-only"


def test_to_report_changes_keeps_cannot_prove_in_the_message() -> None:
    converted = to_report_changes([BREAK_BW, UNKNOWN_FW])
    assert all(isinstance(c, report.Change) for c in converted)
    assert converted[0] == report.Change(
        "/required", "required-added", "'a' is now required", True, False
    )
    assert converted[1].message.endswith("(cannot prove compatible)")
    assert converted[1].breaks_forward


def test_non_schema_input_is_a_fixture_error() -> None:
    with pytest.raises(FixtureError, match="old schema"):
        compare([1, 2], {})
    with pytest.raises(FixtureError, match="new schema"):
        compare({}, "string")


def test_compare_does_not_mutate_its_inputs() -> None:
    old = {"$defs": {"a": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/a"}}}
    new = {"$defs": {"a": {"type": "integer"}}, "properties": {"x": {"$ref": "#/$defs/a"}}}
    before = copy.deepcopy((old, new))
    compare(old, new)
    assert (old, new) == before


def test_mapping_inputs_are_accepted() -> None:
    from types import MappingProxyType

    result = compare(MappingProxyType({"type": "string"}), {"type": "integer"})
    assert result.verdict("backward") == "breaking"


def test_pointer_escaping_of_property_names() -> None:
    old = {"properties": {"a/b": {"type": "string"}, "c~d": {"type": "string"}}}
    new = {"properties": {"a/b": {"type": "integer"}, "c~d": {"type": "integer"}}}
    paths = {c.path for c in compare(old, new).changes}
    assert paths == {"/properties/a~1b/type", "/properties/c~0d/type"}


def test_nested_paths_follow_refs() -> None:
    old = {
        "$defs": {"A": {"properties": {"n": {"maxLength": 5, "type": "string"}}}},
        "properties": {"a": {"$ref": "#/$defs/A"}},
    }
    new = copy.deepcopy(old)
    new["$defs"]["A"]["properties"]["n"]["maxLength"] = 3
    (change,) = compare(old, new).changes
    assert change.path == "/properties/a/properties/n/maxLength"
    assert (change.breaks_backward, change.breaks_forward) == (True, False)


def _chain(depth: int, leaf: dict[str, Any]) -> dict[str, Any]:
    defs = {
        f"d{i}": {
            "type": "object",
            "properties": {"next": {"$ref": f"#/$defs/d{(i + 1) % depth}"}, "v": leaf},
        }
        for i in range(depth)
    }
    return {"$defs": defs, "$ref": "#/$defs/d0"}


def test_mutual_recursion_terminates_and_finds_the_change() -> None:
    old, new = _chain(30, {"type": "integer"}), _chain(30, {"type": "number"})
    result = compare(old, new)
    assert (result.verdict("backward"), result.verdict("forward")) == ("compatible", "breaking")


def test_render_text_has_one_line_per_change_and_a_verdict() -> None:
    result = compare({"type": "integer", "title": "A"}, {"type": "number", "title": "B"})
    lines = render_text(result, "backward").splitlines()
    assert len(lines) == len(result.changes) + 1
    assert lines[-1].startswith("verdict (backward): compatible")
    assert any("[breaks forward]" not in line and "type-widened" in line for line in lines)
    full = render_text(result, "full")
    assert "[breaks forward]" in full
    assert "[annotation]" in full


def test_render_text_without_changes() -> None:
    text = render_text(compare({"type": "string"}, {"type": "string"}), "full")
    assert (
        text == "no changes\nverdict (full): annotations-only (0 change(s), 0 breaking "
        "or unproven)\n"
    )


def test_to_json_shape() -> None:
    data = to_json(compare({"type": "string"}, {"type": "string", "pattern": "^x"}), "forward")
    assert data["mode"] == "forward"
    assert data["verdict"] == "compatible"
    assert data["compatible"] is True
    assert data["backward"] == "breaks"
    assert data["forward"] == "ok"
    (change,) = data["changes"]
    assert set(change) == {
        "path",
        "kind",
        "message",
        "breaks_backward",
        "breaks_forward",
        "certain",
        "verdict",
    }
    assert change["verdict"] == "compatible"


def test_validating_keywords_cannot_be_declared_annotations() -> None:
    old, new = {"type": "string", "maxLength": 3}, {"type": "string", "maxLength": 2}
    assert classify(old, new, "producer", frozenset({"maxLength"}))[0] == "breaking"


def test_too_deep_nesting_is_cannot_prove_not_a_crash() -> None:
    old: dict[str, Any] = {"type": "string"}
    new: dict[str, Any] = {"type": "integer"}
    for _ in range(3000):
        old, new = {"properties": {"a": old}}, {"properties": {"a": new}}
    result = compare(old, new)
    assert result.verdict("backward") == "cannot-prove"
    assert result.changes[0].kind == "unanalysable"


def test_draft4_integers_exclude_integral_floats() -> None:
    d4 = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"}
    d7 = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "integer"}
    result = compare(d4, d7)
    assert (result.verdict("backward"), result.verdict("forward")) == ("compatible", "breaking")


def test_loop_through_a_same_level_keyword_is_cannot_prove() -> None:
    old = {"type": "object", "dependentSchemas": {"a": {"$ref": "#"}}}
    new = {"type": "object", "dependentSchemas": {"a": {"$ref": "#", "required": ["c"]}}}
    result = compare(old, new)
    kinds = {c.kind for c in result.changes}
    assert {"required-added", "unanalysable"} <= kinds
    assert result.verdict("forward") == "cannot-prove"


def test_witness_is_a_value_one_side_accepts_and_the_other_rejects() -> None:
    from jsonschema import Draft202012Validator

    old = {"type": "string"}
    new = {"type": "string", "not": {"pattern": "^x"}}
    (found,) = [c for c in compare(old, new).changes if c.kind == "witness"]
    assert (found.breaks_backward, found.breaks_forward, found.certain) == (True, False, True)
    value = json.loads(found.message.split(" was accepted")[0])
    assert Draft202012Validator(old).is_valid(value)
    assert not Draft202012Validator(new).is_valid(value)


def test_no_witness_for_a_compatible_direction() -> None:
    old = {"type": "string", "pattern": "^a"}
    new = {"type": "string", "pattern": "^a", "not": {"pattern": "^b"}}
    result = compare(old, new)
    assert result.verdict("backward") == "cannot-prove"
    assert all(c.kind != "witness" for c in result.changes)

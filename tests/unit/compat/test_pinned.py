"""Exact outputs the speed work must not move: the benchmark's change, the snapshot's
counterexamples, and the shortcuts of the example builder against its full answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drift import report
from drift.compat import compare, judge, vocab
from drift.compat.examples import examples
from drift.compat.resolve import Doc
from drift.compat.values import plain_equal, strict_bytes

from .test_table import CASES

REGISTRY = Path(__file__).resolve().parents[3] / "registry"
TEMPLATE = json.loads((REGISTRY / "v1" / "models.Quote.json").read_text(encoding="utf-8"))


def generation(added: int) -> Any:
    """The schema bench/check_drift.py publishes (``added`` extra optional integers)."""
    content = dict(TEMPLATE, **{"$schema_id": "models.S00001"})
    content["properties"] = dict(TEMPLATE["properties"])
    for g in range(added):
        content["properties"][f"added_{g}"] = {"type": "integer"}
    return json.loads(json.dumps(content, indent=2, sort_keys=True))


def test_the_benchmark_change_is_judged_as_pinned() -> None:
    got = judge(generation(0), generation(1), "both")
    assert got == report.Judgement(
        "breaking",
        (
            report.Change(
                path="/properties/added_0",
                kind="property-added",
                message="optional property 'added_0' added (integer); the old schema is open "
                "there (accepts any value)",
                breaks_backward=True,
                breaks_forward=False,
            ),
        ),
        report.Counterexample("backward", {"symbol": "a", "added_0": None}, "/added_0"),
    )
    back = judge(generation(1), generation(0), "both")
    assert back.counterexample == report.Counterexample(
        "forward", {"symbol": "a", "added_0": None}, "/added_0"
    )


PINNED = {
    "models.OptionChain": [
        ("backward", {"underlying_symbol": "a", "underlying_price": 0, "timestamp": None})
    ],
    "models.PriceBar": [
        (
            "backward",
            {
                "symbol": "a",
                "ts": "2026-01-01T00:00:00Z",
                "open": 0,
                "high": 0,
                "low": 0,
                "close": 0,
                "volume": 0,
                "resolution": None,
            },
        )
    ],
    "models.Quote": [("backward", {"symbol": "a", "ask_size": "a"})],
    "models.Health": [("backward", {}), ("forward", {"status": "healthy", "errors_total": None})],
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_snapshot_counterexamples_are_pinned(name: str) -> None:
    old, new = (
        json.loads((REGISTRY / t / f"{name}.json").read_text(encoding="utf-8"))
        for t in ("v1", "v2")
    )
    found = [(c.direction, c.instance) for c in compare(old, new).counterexamples]
    assert [(d, strict_bytes(i)) for d, i in found] == [
        (d, strict_bytes(i)) for d, i in PINNED[name]
    ]


def _nodes(value: Any) -> Iterator[Any]:
    """Every object and boolean inside ``value`` (schemas and non-schemas alike)."""
    if isinstance(value, (bool, dict)):
        yield value
    children = value.values() if isinstance(value, dict) else value
    if isinstance(value, (dict, list)):
        for child in children:
            yield from _nodes(child)


def _roots() -> Iterator[Any]:
    for case in CASES:
        yield case.old
        yield case.new
    for path in sorted(REGISTRY.glob("v*/*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))


def test_the_first_example_is_the_head_of_the_examples() -> None:
    checked = 0
    for root in _roots():
        doc = Doc(root)
        for node in _nodes(root):
            for depth in (0, 1, 5):
                head = examples(node, doc, depth, first=True)
                assert strict_bytes(head) == strict_bytes(examples(node, doc, depth)[:1]), node
                checked += 1
    assert checked > 3000


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ({"type": "integer"}, {"type": "integer"}, True),
        ({"minimum": 1}, {"minimum": 1.0}, False),
        ({"const": True}, {"const": 1}, False),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, False),  # unequal bytes prove nothing
        ({"$ref": "#/$defs/a"}, {"$ref": "#/$defs/a"}, False),  # targets may differ
        ({"type": "string"}, {"type": "number"}, False),
    ],
)
def test_plain_equal_is_type_exact_and_reference_free(a: Any, b: Any, equal: bool) -> None:
    assert plain_equal(a, b) is equal


@pytest.mark.parametrize(
    "value",
    ["number", "any", "string", "integer", "fraction", "x", ["string", "null"], [], 3, None],
)
def test_atoms_of_one_type_name_follow_the_rule(value: Any) -> None:
    assert vocab.atoms_of_type(value) == vocab._atoms_of_types(value)

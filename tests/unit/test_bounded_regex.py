"""Schema patterns are evaluated in bounded time everywhere: compat, witnesses, contracts.

The issue's cases: ``^(a+)+$`` and ``^(a|a)+$`` against ``"a" * 40 + "!"`` take
Python's ``re`` longer than any CI run; each test here has a hard timeout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drift import compat
from drift.contracts import ConformanceChecker
from drift.regex import PatternError, search

EVIL = "a" * 40 + "!"
UNEVEN: dict[str, Any] = {"^(a|a)+$": {}}
pytestmark = pytest.mark.timeout(30)


@pytest.mark.parametrize("pattern", ["^(a+)+$", "^(a|a)+$", "(x+x+)+y", "^(\\w+\\s?)*$"])
def test_catastrophic_patterns_answer_at_once(pattern: str) -> None:
    assert search(pattern, EVIL) is False
    assert search(pattern, "a" * 40) is (pattern != "(x+x+)+y")


def test_syntax_re2_lacks_falls_back_with_a_time_limit() -> None:
    assert search(r"^(?=ab)a", "abc") is True
    assert search(r"(\w)\1", "xyyz") is True
    evil = r"^(?=a)(a|aa)+\1?$"
    with pytest.raises(PatternError, match=r"\^\(\?=a\).*catastrophic"):
        search(evil, "a" * 60 + "!")
    with pytest.raises(PatternError, match="gave up earlier"):
        search(evil, "a" * 60 + "!")  # refused at once the second time


def test_invalid_pattern_is_a_clear_error() -> None:
    with pytest.raises(PatternError, match=r"'\(\?<=x\+\)a\['.*not a valid"):
        search("(?<=x+)a[", "a")


def test_ecma_like_ascii_classes() -> None:
    assert search(r"^\d+$", "123") is True
    assert search(r"^\d+$", "\u0663") is False  # ECMA-262: \d is [0-9]


def checker(schema: Any) -> ConformanceChecker:
    return ConformanceChecker({"models.Evil": schema}, track="v1")


@pytest.mark.parametrize(
    ("schema", "fails"),
    [
        ({"type": "string", "pattern": "^(a+)+$"}, True),
        ({"type": "object", "patternProperties": {"^(a|a)+$": {"type": "integer"}}}, False),
        (
            {
                "type": "object",
                "patternProperties": {"^(a|a)+$": {"type": "integer"}},
                "additionalProperties": False,
            },
            True,
        ),
        ({"type": "object", "propertyNames": {"pattern": "^(a+)+$"}}, True),
        ({"type": "object", "unevaluatedProperties": False, "patternProperties": UNEVEN}, True),
    ],
)
def test_contract_validation_is_bounded(schema: dict[str, Any], fails: bool) -> None:
    payload: Any = EVIL if schema["type"] == "string" else {EVIL: "x"}
    assert bool(checker(schema).violations(payload, "models.Evil")) is fails


def test_contract_pattern_error_names_the_schema_and_pattern() -> None:
    check = checker({"type": "string", "pattern": r"^(?=a)(a|aa)+\1?$"})
    with pytest.raises(
        PatternError, match=r"schema models\.Evil \(track v1\): pattern '\^\(\?=a\)"
    ):
        check.violations("a" * 60 + "!", "models.Evil")


def test_semantic_diff_of_a_catastrophic_pattern_change(tmp_path: Path) -> None:
    old = {"type": "string", "pattern": "^a{40}!$"}
    new = {"type": "string", "pattern": "^(a+)+$"}
    verdict, _ = compat.classify(old, new, "producer", None)
    assert verdict
    for name, schema in (("old", old), ("new", new)):
        (tmp_path / f"{name}.json").write_text(json.dumps(schema))
    from drift.cli import main

    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]) in (0, 1)


DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema"
DRAFT_7 = "http://json-schema.org/draft-07/schema#"


def test_a_counterexample_search_under_a_root_schema_keyword_is_bounded() -> None:
    # jsonschema's evolve picks the plain class of a schema's own "$schema": the search's
    # candidates ("a" * 40 and near misses) met an unbounded re there and never returned.
    def doc(pattern: str) -> dict[str, Any]:
        string = {"type": "string", "pattern": pattern, "minLength": 40}
        return {"$schema": DRAFT_2020, "type": "object", "properties": {"s": string}}

    verdict, _ = compat.classify(doc("^(a|a)*$"), doc("^(a|a)*b$"), "producer", None)
    assert verdict == "breaking"


@pytest.mark.parametrize("dialect", [DRAFT_2020, DRAFT_7])
def test_a_subschema_with_its_own_schema_keyword_stays_bounded(dialect: str) -> None:
    inner = {"$schema": dialect, "type": "string", "pattern": "^(a+)+$"}
    schema = {"type": "object", "properties": {"s": inner}}
    assert checker(schema).violations({"s": EVIL}, "models.Evil")

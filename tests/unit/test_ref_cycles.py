"""``$ref`` cycles: found statically and named, in the pytest plugin too; trees are fine."""

from __future__ import annotations

import json
from typing import Any

import pytest

from drift.contracts import ConformanceChecker
from drift.errors import FixtureError
from drift.refcycles import find_ref_cycle

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.timeout(60)

TREE = {
    "type": "object",
    "properties": {"children": {"type": "array", "items": {"$ref": "#"}}},
}


@pytest.mark.parametrize(
    ("schemas", "start", "cycle"),
    [
        ({"A": {"$ref": "#"}}, "A", ["A", "A"]),
        ({"A": {"$ref": "B"}, "B": {"$ref": "A.json"}}, "A", ["A", "B", "A"]),
        (
            {
                "A": {"allOf": [{"$ref": "urn:drift:v1:B#/$defs/x"}]},
                "B": {"$defs": {"x": {"$ref": "A"}}},
            },
            "A",
            ["A", "A#/allOf/0", "B#/$defs/x", "A"],
        ),
        ({"A": {"anyOf": [{"type": "null"}, {"$ref": "#"}]}}, "A", ["A", "A#/anyOf/1", "A"]),
        ({"A": TREE}, "A", None),
        ({"A": {"$ref": "B"}, "B": {"type": "string"}}, "A", None),
        ({"A": {"$ref": "#foo"}}, "A", None),
    ],
)
def test_find_ref_cycle(schemas: dict[str, Any], start: str, cycle: list[str] | None) -> None:
    assert find_ref_cycle(schemas, start) == cycle


def test_a_cycle_is_a_clear_error_at_once() -> None:
    check = ConformanceChecker({"A": {"$ref": "B"}, "B": {"$ref": "A"}}, track="v1")
    with pytest.raises(FixtureError, match=r"schema A \(track v1\): \$ref cycle A -> B -> A"):
        check.violations({}, "A")


def test_a_recursive_tree_schema_still_validates() -> None:
    check = ConformanceChecker({"Tree": TREE}, track="v1")
    assert check.violations({"children": [{"children": []}]}, "Tree") == []
    assert check.violations({"children": [{"children": 3}]}, "Tree")


def test_the_pytest_plugin_names_the_cycle(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    for var in ("SCHEMA_TRACK", "REGISTRY_ENFORCEMENT", "DRIFT_SCHEMA_SOURCE"):
        monkeypatch.delenv(var, raising=False)
    folder = pytester.path / "fixtures" / "v1"
    folder.mkdir(parents=True)
    (folder / "models.A.json").write_text(json.dumps({"$ref": "models.B"}))
    (folder / "models.B.json").write_text(json.dumps({"$ref": "models.A"}))
    (folder / "models.Self.json").write_text(json.dumps({"$ref": "#"}))
    pytester.makepyfile(
        """
        import pytest
        @pytest.mark.parametrize("name", ["models.A", "models.Self"])
        def test_cycle(assert_conforms, name):
            assert_conforms({"x": 1}, name)
        """
    )
    result = pytester.runpytest("-p", "drift.pytest_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*schema models.A (track v1): $ref cycle models.A -> models.B -> models.A*",
            "*schema models.Self (track v1): $ref cycle models.Self -> models.Self*",
        ]
    )
    assert "RecursionError" not in result.stdout.str()

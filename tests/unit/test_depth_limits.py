"""JSON depth is limited where JSON is read; JSON up to the documented depth still works."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from drift import depth
from drift.contracts import ConformanceChecker
from drift.errors import DriftError, FixtureError, RegistryProtocolError
from drift.fixtures import check_fixture, parse_fixture
from drift.reporters import read_json
from drift.sources.directory import DirectorySource
from drift.sources.http import RegistryClient

pytestmark = pytest.mark.timeout(60)
BRACKETS = "[" * 100_000 + "]" * 100_000
OBJECTS = '{"a":' * 5_000 + "1" + "}" * 5_000


def items(levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels - 1):
        schema = {"items": schema}
    return schema


def test_depth_of_is_iterative_and_exact() -> None:
    assert depth.depth_of(1) == 0
    assert depth.depth_of({"a": [1, {"b": []}]}) == 4
    assert depth.depth_of(items(3000)) == 3000


@pytest.mark.parametrize("text", [BRACKETS, OBJECTS])
def test_too_deep_json_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="nested deeper than 256 levels"):
        depth.loads(text)


def test_the_documented_depth_still_works_everywhere() -> None:
    schema = items(depth.MAX_DEPTH)
    text = json.dumps(schema)
    assert depth.depth_of(depth.loads(text)) == depth.MAX_DEPTH
    parse_fixture(text.encode(), "deep.json")  # metaschema check included
    check = ConformanceChecker({"models.Deep": schema}, track="v1")
    payload: Any = "x"
    for _ in range(depth.MAX_DEPTH - 1):
        payload = [payload]
    assert check.violations(payload, "models.Deep") == []
    bad: Any = 1
    for _ in range(depth.MAX_DEPTH - 1):
        bad = [bad]
    assert check.violations(bad, "models.Deep")


@pytest.mark.parametrize("text", [BRACKETS, OBJECTS])
def test_a_too_deep_fixture_is_invalid(text: str) -> None:
    with pytest.raises(FixtureError, match=r"deep\.json: invalid JSON: .*deeper than 256"):
        parse_fixture(text.encode(), "deep.json")


def test_a_deep_schema_passes_the_metaschema_check_without_recursion_error() -> None:
    check_fixture(items(200), "x.json")
    with pytest.raises(FixtureError, match="not a valid JSON Schema"):
        check_fixture(items(200) | {"type": 5}, "x.json")


def test_a_too_deep_report_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(BRACKETS)
    with pytest.raises(DriftError, match=r"r\.json: not a JSON report: .*deeper than 256"):
        read_json(path)


def test_a_too_deep_registry_answer_is_a_protocol_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=BRACKETS.encode())

    client = RegistryClient("http://registry.test", transport=httpx.MockTransport(answer))
    with pytest.raises(RegistryProtocolError, match="deeper than 256"):
        client.index()


def test_a_too_deep_directory_index_is_a_protocol_error(tmp_path: Path) -> None:
    (tmp_path / "index.json").write_text(OBJECTS)
    with pytest.raises(RegistryProtocolError, match="deeper than 256"):
        DirectorySource(tmp_path).index()


def test_a_pattern_nested_too_deep_to_compile_is_a_fixture_error() -> None:
    deep = "(" * 5000 + "a" + ")" * 5000
    with pytest.raises(FixtureError, match="nested too deep to check"):
        check_fixture({"type": "string", "pattern": deep}, "x.json")

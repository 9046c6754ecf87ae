"""Sample payloads conform to (or are rejected by) the track's registry schemas."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

Checker = Callable[[object, str], None]


def test_valid_payload_conforms(
    assert_conforms: Checker, schema_name: str, valid_case: object
) -> None:
    assert_conforms(valid_case, schema_name)


def test_invalid_payload_is_rejected_at_its_path(
    assert_conforms: Checker, schema_name: str, invalid_case: Mapping[str, Any]
) -> None:
    with pytest.raises(AssertionError) as caught:
        assert_conforms(invalid_case["payload"], schema_name)
    reported = str(caught.value).splitlines()[1:]
    expected = invalid_case["expected_path"]
    assert any(line.strip().startswith(f"{expected}: ") for line in reported), (
        f"{invalid_case['why']}: expected a violation at {expected}, got {reported}"
    )


def test_every_payload_file_names_a_schema_of_the_track(
    payload_dir: Path, contract_schemas: Mapping[str, Any], schema_track: str
) -> None:
    files = sorted(payload_dir.glob("*.json"))
    assert files, f"no sample payloads for track {schema_track} in {payload_dir}"
    for path in files:
        schema, kind, _ = path.name.rsplit(".", 2)
        assert kind in ("valid", "invalid"), f"{path.name}: expected <schema>.valid|invalid.json"
        assert schema in contract_schemas, f"{path.name}: no schema {schema} on {schema_track}"
        cases = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(cases, list), f"{path.name}: expected a list"
        assert cases, f"{path.name}: expected at least one sample"


def test_every_covered_schema_has_valid_and_invalid_samples(payload_dir: Path) -> None:
    names = [p.name for p in payload_dir.glob("*.json")]
    valid = {n.removesuffix(".valid.json") for n in names if n.endswith(".valid.json")}
    invalid = {n.removesuffix(".invalid.json") for n in names if n.endswith(".invalid.json")}
    assert valid == invalid


@pytest.mark.track("v2")
def test_quote_sizes_are_checked_on_v2(assert_conforms: Checker) -> None:
    with pytest.raises(AssertionError, match=r"\$\.bid_size: "):
        assert_conforms({"symbol": "AAPL", "bid_size": "300"}, "models.Quote")


@pytest.mark.track("v1")
def test_v1_health_has_no_status_enum(assert_conforms: Checker) -> None:
    assert_conforms({"status": "ok", "ibkr_connected": True}, "models.Health")


@pytest.mark.track("v2")
def test_option_snapshot_is_published_on_v2(contract_schemas: Mapping[str, Any]) -> None:
    chain_items = contract_schemas["models.OptionChain"]["properties"]["contracts"]["items"]
    assert "models.OptionSnapshot" in contract_schemas
    assert chain_items["$ref"].endswith("/OptionSnapshot")

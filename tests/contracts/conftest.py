"""Contract suite: sample payloads per schema, parametrized for the track under test.

Uses nothing but the drift pytest plugin (its track setting and fixtures).
Payloads live in ``fixtures/payloads/<track>/``: ``<schema>.valid.json`` is a
list of payloads that must conform, ``<schema>.invalid.json`` a list of
``{"why", "payload", "expected_path"}`` that must be rejected at that path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drift.pytest_plugin import contract_settings

PAYLOADS = Path(__file__).resolve().parents[2] / "fixtures" / "payloads"


def _payload_dir(config: pytest.Config) -> Path:
    return PAYLOADS / contract_settings(config).track


@pytest.fixture(scope="session")
def payload_dir(schema_track: str) -> Path:
    """``fixtures/payloads/<track>/`` of the track under test."""
    return PAYLOADS / schema_track


def _cases(config: pytest.Config, kind: str) -> list[Any]:
    params = []
    for path in sorted(_payload_dir(config).glob(f"*.{kind}.json")):
        schema = path.name[: -len(f".{kind}.json")]
        cases = json.loads(path.read_text(encoding="utf-8"))
        for index, case in enumerate(cases):
            params.append(pytest.param(schema, case, id=f"{schema}-{index}"))
    return params


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for kind in ("valid", "invalid"):
        if f"{kind}_case" in metafunc.fixturenames:
            metafunc.parametrize(("schema_name", f"{kind}_case"), _cases(metafunc.config, kind))

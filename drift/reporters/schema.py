"""The JSON Schema (2020-12) of ``drift_report.json``, shipped as package data."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

__all__ = ["SCHEMA_RESOURCE", "report_schema", "report_validator"]

#: File name of the schema inside the ``drift`` package.
SCHEMA_RESOURCE = "report.schema.json"


def report_schema() -> dict[str, Any]:
    """A fresh copy of ``drift/report.schema.json``."""
    return json.loads(_schema_text())  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def report_validator() -> Draft202012Validator:
    """A validator for report dicts (as parsed from JSON: lists, not tuples)."""
    from jsonschema import Draft202012Validator  # heavy: imported on first use

    return Draft202012Validator(report_schema())


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return resources.files("drift").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")

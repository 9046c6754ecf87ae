"""``drift diff OLD NEW``: the only part of the package that reads files."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from drift.compat.api import compare
from drift.compat.model import MODES
from drift.compat.render import render_text, to_json
from drift.errors import ConfigError, FixtureError

__all__ = ["FORMATS", "load_schema", "run_diff"]

FORMATS = ("text", "json")


def run_diff(old_path: Path | str, new_path: Path | str, mode: str, fmt: str, out: TextIO) -> int:
    """Compare two schema files and write the report; 0 when compatible under ``mode``, else 1.

    Raises :class:`FixtureError` (naming the file) for unreadable, non-JSON or
    invalid schemas and :class:`ConfigError` for an unknown mode or format.
    """
    if mode not in MODES:
        raise ConfigError(f"unknown --mode {mode!r} (expected one of {', '.join(MODES)})")
    if fmt not in FORMATS:
        raise ConfigError(f"unknown --format {fmt!r} (expected one of {', '.join(FORMATS)})")
    old, new = load_schema(Path(old_path)), load_schema(Path(new_path))
    result = compare(old, new)
    if fmt == "json":
        payload = to_json(result, mode)
        payload["old"], payload["new"] = str(old_path), str(new_path)
        out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(f"--- {old_path}\n+++ {new_path}\n")
        out.write(render_text(result, mode))
    return 0 if result.is_compatible(mode) else 1


def load_schema(path: Path) -> Any:
    """Read one JSON Schema file; :class:`FixtureError` naming the file when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FixtureError(f"{path}: cannot read: {_reason(exc)}") from exc
    try:
        schema = json.loads(text)
    except ValueError as exc:
        raise FixtureError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(schema, (bool, Mapping)):
        raise FixtureError(
            f"{path}: not a JSON Schema (top level is a {type(schema).__name__}, "
            "expected an object or a boolean)"
        )
    _check(path, schema)
    return schema


def _check(path: Path, schema: Any) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for

    cls = validator_for(schema, default=Draft202012Validator)
    try:
        cls.check_schema(schema)
    except SchemaError as exc:
        where = "/" + "/".join(str(p) for p in exc.absolute_path) if exc.absolute_path else "/"
        raise FixtureError(f"{path}: not a valid JSON Schema at {where}: {exc.message}") from exc


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)

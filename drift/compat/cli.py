"""``drift diff OLD NEW``: the only part of the package that reads files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from drift.compat.api import compare
from drift.compat.render import render_text, to_json
from drift.compat.result import COMPAT_MODES
from drift.errors import ConfigError, FixtureError
from drift.model import CompatPolicy

__all__ = ["FORMATS", "load_schema", "run_diff"]

FORMATS = ("text", "json")


def run_diff(
    old_path: Path | str,
    new_path: Path | str,
    mode: str,
    fmt: str,
    out: TextIO,
    *,
    policy: CompatPolicy = "strict",
) -> int:
    """Compare two schema files and write the report; 0 when compatible under ``mode``, else 1.

    Raises :class:`FixtureError` (naming the file) for unreadable, non-JSON or
    invalid schemas and :class:`ConfigError` for an unknown mode or format.
    """
    if mode not in COMPAT_MODES:
        raise ConfigError(f"unknown --mode {mode!r} (expected one of {', '.join(COMPAT_MODES)})")
    if fmt not in FORMATS:
        raise ConfigError(f"unknown --format {fmt!r} (expected one of {', '.join(FORMATS)})")
    old, new = load_schema(Path(old_path)), load_schema(Path(new_path))
    result = compare(old, new, policy=policy)
    if fmt == "json":
        payload = to_json(result, mode)
        payload["policy"] = policy
        payload["old"], payload["new"] = str(old_path), str(new_path)
        out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(f"--- {old_path}\n+++ {new_path}\n")
        out.write(f"policy: {policy}\n")
        out.write(render_text(result, mode))
    return 0 if result.is_compatible(mode) else 1


def load_schema(path: Path) -> Any:
    """Read one JSON Schema file as fixtures are read (strict JSON: no NaN, no duplicate
    keys; metaschema-checked); :class:`FixtureError` naming the file when it is not one."""
    from drift.fixtures import parse_fixture

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FixtureError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_fixture(data, str(path))

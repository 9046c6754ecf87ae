"""TOML reading on every supported Python: ``tomllib`` (3.11+) or its backport ``tomli``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from drift.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

__all__ = ["TOMLDecodeError", "loads", "read_config_file"]

TOMLDecodeError = tomllib.TOMLDecodeError


class _TooDeep(tomllib.TOMLDecodeError):  # type: ignore[misc]
    """Nesting deeper than the parser's recursion allows (a hostile file, not a config)."""

    def __init__(self) -> None:
        ValueError.__init__(self, "arrays or tables nested too deep")


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads``; deep nesting is a :data:`TOMLDecodeError`, never a RecursionError."""
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except RecursionError:
        raise _TooDeep() from None
    return document


def read_config_file(path: Path, label: str, *, reuse: bool = False) -> dict[str, Any] | None:
    r"""The TOML document at ``path``; ``None`` when the file does not exist.

    Unreadable or invalid files are :class:`~drift.errors.ConfigError`\ s
    naming ``label``. ``reuse``: for a caller that only reads the document, the
    object parsed last time from the same text (discovery and the settings both
    read ``pyproject.toml``: one parse, the costly part, instead of two).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{label}: cannot read: {exc}") from None
    if reuse and text in _read_only:
        return _read_only[text]
    try:
        document: dict[str, Any] = loads(text)
    except TOMLDecodeError as exc:
        raise ConfigError(f"{label}: invalid TOML: {exc}") from None
    if reuse:
        _read_only.clear()  # the last text only: a process reads one project's file
        _read_only[text] = document
    return document


_read_only: dict[str, dict[str, Any]] = {}

"""Where a change is in a fixture file: path relative to the repository, 1-based line.

The I/O edge of :mod:`drift.reporters.findings`: reads the fixture text once per
schema and maps a JSON pointer to the line of its key with ``json-source-map``
(imported on first use). A pointer the fixture does not have (a property the
registry added) is placed at its nearest existing parent (``/properties``); a
fixture that cannot be read or parsed, or a schema without one, is placed at
line 1 (of the lock file when there is no fixture).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from drift.errors import DriftError
from drift.fixtures import FixtureStore
from drift.reporters.findings import Location

__all__ = ["FixtureLocator", "line_of"]


def line_of(source_map: dict[str, Any], pointer: str) -> int:
    """1-based line of ``pointer`` (or of its nearest parent present) in a source map."""
    parts = pointer.split("/")[1:] if pointer else []
    while True:
        entry = source_map.get("/".join(["", *parts]) if parts else "")
        if entry is not None:
            start = entry.key_start if entry.key_start is not None else entry.value_start
            return int(start.line) + 1
        if not parts:
            return 1
        parts.pop()


class FixtureLocator:
    """``locate(track, name, pointer)`` over a fixture store, paths relative to ``base``
    (``$GITHUB_WORKSPACE`` in a workflow, else the project root)."""

    def __init__(self, store: FixtureStore, base: Path) -> None:
        self.store = store
        self.base = Path(os.path.realpath(base))
        self._maps: dict[tuple[str, str], dict[str, Any] | None] = {}

    def __call__(self, track: str, name: str, pointer: str) -> Location:
        try:
            path = self.store.path(track, name)
        except DriftError:
            return Location(self._relative(self.store.lock_path))
        if not path.is_file():
            return Location(self._relative(self.store.lock_path))
        source_map = self._source_map(track, name, path)
        line = line_of(source_map, pointer) if source_map is not None else 1
        return Location(self._relative(path), line)

    def _source_map(self, track: str, name: str, path: Path) -> dict[str, Any] | None:
        key = (track, name)
        if key not in self._maps:
            self._maps[key] = _map_of(path)
        return self._maps[key]

    def _relative(self, path: Path) -> str:
        real = Path(os.path.realpath(path))
        try:
            return real.relative_to(self.base).as_posix()
        except ValueError:
            return real.as_posix()


def _map_of(path: Path) -> dict[str, Any] | None:
    from json_source_map import calculate  # type: ignore[import-untyped]  # lazy: reporters only
    from json_source_map.errors import BaseError  # type: ignore[import-untyped]

    try:
        return dict(calculate(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, RecursionError, BaseError):
        return None  # unreadable or malformed: the fixture is reported invalid, at line 1

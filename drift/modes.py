"""The enforcement-mode file ``<root>/.drift-mode.toml``, written by ``drift set-mode``.

The tool owns this file (``pyproject.toml`` is never written)::

    [modes]
    v1 = "strict"
    v2 = "warn"

A mode set here beats ``[tool.drift] mode`` and loses to
``REGISTRY_ENFORCEMENT`` and ``--mode`` (see :func:`drift.settings.resolve_mode`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from drift import tomlread
from drift.atomic import write_atomic
from drift.config_values import choice
from drift.errors import ConfigError
from drift.model import MODES, TRACKS, Mode

__all__ = ["MODE_FILE", "ModeFile", "parse_mode", "parse_modes"]

MODE_FILE = ".drift-mode.toml"
_MODE = choice(MODES)
_HEADER = "# Written by `drift set-mode`; overrides [tool.drift] mode per track.\n"


def parse_mode(value: object, where: str) -> Mode:
    """``value`` as a :data:`~drift.model.Mode`; :class:`ConfigError` naming ``where``."""
    try:
        return _MODE(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def parse_modes(document: Mapping[str, Any], source: str) -> dict[str, Mode]:
    """Validate a parsed mode file: only ``[modes]`` with track -> mode."""
    for key in document:
        if key != "modes":
            raise ConfigError(f"{source}: unknown table {key!r} (expected [modes])")
    table = document.get("modes", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [modes] must be a table")
    modes: dict[str, Mode] = {}
    for track, value in table.items():
        if track not in TRACKS:
            raise ConfigError(f"{source} [modes]: {track!r} is not a track ({', '.join(TRACKS)})")
        modes[track] = parse_mode(value, f"{source} [modes] {track}")
    return modes


class ModeFile:
    """Read and write the per-track modes persisted by ``set-mode``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Mode]:
        """The persisted modes; ``{}`` when the file does not exist."""
        document = tomlread.read_config_file(self.path, str(self.path))
        if document is None:
            return {}
        return parse_modes(document, str(self.path))

    def set(self, track: str, mode: str) -> None:
        """Persist ``mode`` for ``track`` (atomic write; other tracks kept)."""
        if track not in TRACKS:
            raise ConfigError(f"{track!r} is not a track ({', '.join(TRACKS)})")
        modes = self.read()
        modes[track] = parse_mode(mode, f"mode for {track}")
        import tomli_w

        body = tomli_w.dumps({"modes": dict(sorted(modes.items()))})
        write_atomic(self.path, _HEADER + body, fsync=True)

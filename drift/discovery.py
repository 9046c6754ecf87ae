"""Find the project a command runs in, the way git and buf find theirs.

Without ``-C``, drift walks up from the working directory to the nearest
``pyproject.toml`` that has a ``[tool.drift]`` table (a ``pyproject.toml``
without one, e.g. a sub-package's, is passed over). ``-C DIR`` wins and is used
as given. When no such file exists up to the filesystem root, the working
directory is the root (flags and environment may still say everything), and a
command that then lacks a registry says where it looked.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift import tomlread
from drift.errors import ConfigError
from drift.records import record

if TYPE_CHECKING:
    from drift.settings import Settings

__all__ = ["Discovery", "discover", "load_project_settings"]

CONFIG_FILE = "pyproject.toml"


@record(frozen=True)
class Discovery:
    """Where the project root is and how it was found."""

    root: Path
    found: bool
    """A ``pyproject.toml`` with ``[tool.drift]`` was found (or ``-C`` named the root)."""
    searched: tuple[Path, ...] = ()
    """The directories looked in, nearest first (empty with ``-C``)."""

    def not_found(self) -> str:
        """Where the search looked, for an error message."""
        shown = ", ".join(str(p) for p in self.searched[:4])
        more = f" and {len(self.searched) - 4} more" if len(self.searched) > 4 else ""
        return (
            f"no {CONFIG_FILE} with [tool.drift] in {self.searched[0]} or any parent "
            f"directory (looked in {shown}{more}); run `drift init --registry-url URL` "
            "there, or pass -C DIR"
        )


def has_drift_table(path: Path) -> bool:
    """Whether ``path`` is a TOML file with a ``[tool.drift]`` table (invalid TOML: error)."""
    if not path.is_file():
        return False
    document = tomlread.read_config_file(path, str(path), reuse=True) or {}
    tool = document.get("tool")
    return isinstance(tool, dict) and "drift" in tool


def discover(start: Path) -> Discovery:
    """The nearest directory from ``start`` upwards whose ``pyproject.toml`` has
    ``[tool.drift]``; ``start`` itself (``found=False``) when there is none."""
    start = Path(start).resolve()
    searched: list[Path] = []
    for directory in (start, *start.parents):
        searched.append(directory)
        if has_drift_table(directory / CONFIG_FILE):
            return Discovery(directory, True, tuple(searched))
    return Discovery(start, False, tuple(searched))


def load_project_settings(
    project_dir: Path | str | None,
    env: Mapping[str, str],
    flags: Mapping[str, Any] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """:func:`drift.config.load_settings` for ``-C DIR``, or for the discovered root.

    When nothing was found and no registry is given by flag or environment
    either, a command that needs the registry gets a :class:`ConfigError`
    naming where the search looked.
    """
    from drift.config import load_settings

    if project_dir is not None:
        return load_settings(Path(project_dir).resolve(), env, flags)
    found = discover(Path(os.getcwd()) if cwd is None else cwd)
    settings = load_settings(found.root, env, flags)
    if not found.found and settings.registry_enabled and not settings.registry_url:
        raise ConfigError(f"no registry configured: {found.not_found()}")
    return settings

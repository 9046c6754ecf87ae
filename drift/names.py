"""Schema names from the registry are untrusted: validate before they touch a path."""

from __future__ import annotations

import re

from drift.errors import UnsafeNameError

__all__ = ["normalize_name", "safe_filename", "validate_name"]

# A schema id: dotted identifiers, e.g. ``telemetry.FeedbackEvent``.
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,199}$")
_SUFFIX = ".schema"


def normalize_name(name: str) -> str:
    """Treat ``telemetry.FeedbackEvent.schema`` and ``telemetry.FeedbackEvent`` alike."""
    if name.endswith(_SUFFIX) and len(name) > len(_SUFFIX):
        return name[: -len(_SUFFIX)]
    return name


def validate_name(name: object, *, where: str = "registry") -> str:
    """Return ``name`` if it is a safe schema id, else raise :class:`UnsafeNameError`.

    Rejects path separators (``/``, ``\\``), ``..``, NUL and other control
    characters, leading dots and anything outside ``[A-Za-z0-9_.-]``.
    """
    if not isinstance(name, str):
        raise UnsafeNameError(f"{where}: schema name must be a string, got {type(name).__name__}")
    if "\x00" in name or "/" in name or "\\" in name or ".." in name or not _NAME.match(name):
        raise UnsafeNameError(f"{where}: unsafe schema name {name!r}")
    return name


def safe_filename(name: str) -> str:
    """The fixture file name for a validated schema name."""
    return validate_name(name) + ".json"

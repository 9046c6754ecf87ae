"""Pure parsers for configuration values.

Each parser takes a raw value (from TOML, the environment or a flag) and
returns the typed value or raises :class:`ValueError` with a short reason;
:mod:`drift.config` prefixes the reason with where the value came from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from drift.durations import parse_duration
from drift.errors import UnsafeNameError
from drift.model import TRACKS
from drift.names import normalize_name, validate_name
from drift.urls import registry_kind

__all__ = [
    "choice",
    "duration",
    "int_range",
    "nonempty_str",
    "positive_number",
    "registry_url",
    "rel_path",
    "schema_names",
    "str_list",
    "strict_bool",
    "text_bool",
    "token",
    "track_selection",
]

C = TypeVar("C", bound=str)
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})
_GLOB_CHARS = re.compile(r"[*?\[]")
_GLOB = re.compile(r"^[A-Za-z0-9_.\-*?\[\]!]{1,200}$")
_HOSTLIKE = re.compile(
    r"^(localhost|\d{1,3}(\.\d{1,3}){3}|[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})$",
    re.IGNORECASE,
)


def choice(options: tuple[C, ...]) -> Callable[[object], C]:
    """A parser accepting exactly one of ``options``, spelt exactly (``STRICT`` is no mode).

    The one parser of enumerated values: modes (flag, environment, ``[tool.drift]``,
    the mode file, the pytest plugin), ``fail_on`` and roles.
    """

    def parse(value: object) -> C:
        for option in options:
            if value == option:
                return option
        raise ValueError(f"{value!r} is not one of {', '.join(options)}")

    return parse


def nonempty_str(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a non-empty string")
    return value


def strict_bool(value: object) -> bool:
    """A real boolean (TOML ``true``/``false`` or a Python bool)."""
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not a boolean (true or false)")
    return value


def text_bool(value: object) -> bool:
    """A boolean or its spelling in the environment: true/false, 1/0, yes/no, on/off (any case).

    The one parser of boolean environment variables (``REGISTRY_*``, ``PULSE_*``, ``DRIFT_LIVE``).
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueError(f"{value!r} is not a boolean (true/false, 1/0, yes/no, on/off)")


def str_list(value: object) -> tuple[str, ...]:
    """A list of non-empty strings."""
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{value!r} is not a list of strings")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"{item!r} is not a non-empty string")
    return tuple(value)


def positive_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{value!r} is not a number of seconds greater than 0")
    return float(value)


def int_range(low: int, high: int) -> Callable[[object], int]:
    """A parser accepting an integer in ``low..high``."""

    def parse(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{value!r} is not an integer in {low}..{high}")
        return value

    return parse


def duration(value: object) -> float:
    return parse_duration(value)


def rel_path(value: object) -> Path:
    """A path (string or ``os.PathLike``); relative paths are relative to the project root."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    return Path(nonempty_str(value)).expanduser()


def registry_url(root: Path) -> Callable[[object], str]:
    """A parser for ``registry_url``: http(s) URL, ``file://`` URL or directory path.

    Paths are made absolute against ``root``. A value that
    :func:`~drift.urls.registry_kind` cannot place, or that looks like a host
    name but has no http(s)/file scheme, is rejected.
    """

    def parse(value: object) -> str:
        text = nonempty_str(value).strip()
        kind = registry_kind(text)
        if kind == "http":
            parts = urlsplit(text)
            if not text[len(parts.scheme) + 1 :].startswith("//") or not parts.hostname:
                raise ValueError(f"{text!r} has no host")
            if parts.username is not None or parts.password is not None:
                raise ValueError("credentials in the URL are not allowed; use REGISTRY_TOKEN")
            return text
        if kind == "file":
            parts = urlsplit(text)
            if not text.startswith(("file:///", "file://localhost/")) or not parts.path:
                raise ValueError(f"{text!r} is not an absolute file:// URL (file:///path)")
            return text
        if kind is None and "://" in text:
            raise ValueError(f"{text!r} has an unsupported scheme (use http, https or file)")
        first = text.split("/", 1)[0]
        if kind is None or (_HOSTLIKE.match(first) and not (root / text).exists()):
            raise ValueError(
                f"{text!r} has no scheme (use http://, https:// or file://; "
                "write ./path for a directory registry)"
            )
        return str((root / Path(text).expanduser()).resolve())

    return parse


def token(value: object) -> str:
    """A bearer token; the reason never includes the value."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("is empty")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("contains whitespace or control characters")
    return value


def track_selection(value: object) -> tuple[str, ...] | None:
    """Tracks from ``"v1"``, ``"v1,v2"``, ``"all"`` or a list; ``None`` means every enabled one."""
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, (list, tuple)) and all(isinstance(x, str) for x in value):
        items = list(value)
    else:
        raise ValueError(f"{value!r} is not a track or list of tracks ({', '.join(TRACKS)})")
    names = [part.strip() for item in items for part in item.split(",") if part.strip()]
    if not names:
        raise ValueError(f"{value!r} names no track ({', '.join(TRACKS)} or all)")
    if "all" in names:
        return None
    for name in names:
        if name not in TRACKS:
            raise ValueError(f"{name!r} is not a track ({', '.join(TRACKS)})")
    return tuple(track for track in TRACKS if track in names)


def schema_names(value: object) -> tuple[str, ...]:
    """Schema names (``.schema`` suffix tolerated) or ``fnmatch`` globs over safe characters."""
    names: list[str] = []
    for item in str_list([value] if isinstance(value, str) else value):
        for part in item.split(","):
            text = part.strip()
            if not text:
                continue
            if _GLOB_CHARS.search(text):
                if not _GLOB.match(text):
                    raise ValueError(f"{text!r} is not a schema name or glob")
                name = text
            else:
                name = normalize_name(text)
                try:
                    validate_name(name, where="schema")
                except UnsafeNameError as exc:
                    raise ValueError(str(exc)) from None
            if name not in names:
                names.append(name)
    if not names:
        raise ValueError(f"{value!r} names no schema")
    return tuple(names)

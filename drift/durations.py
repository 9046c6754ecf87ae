"""Durations and UTC timestamps as written in config and lock files.

A duration is a number of seconds (``3600``, ``90.5``) or a number with one
unit suffix: ``s`` seconds, ``m`` minutes, ``h`` hours, ``d`` days, ``w``
weeks (``"90m"``, ``"12h"``, ``"7d"``). It must be greater than zero.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone

__all__ = ["format_duration", "parse_duration", "parse_utc"]

_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")


def parse_duration(value: object) -> float:
    """Seconds in ``value``; :class:`ValueError` with a short reason if it is not a duration."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration (use e.g. '90m', '12h', '7d' or seconds)")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if match is None:
            raise ValueError(
                f"{value!r} is not a duration (use e.g. '90m', '12h', '7d' or seconds)"
            )
        seconds = float(match.group(1)) * _UNITS[match.group(2) or "s"]
    else:
        raise ValueError(f"{value!r} is not a duration (use e.g. '90m', '12h', '7d' or seconds)")
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{value!r} is not a positive duration")
    return seconds


def format_duration(seconds: float) -> str:
    """A short human spelling (``"7d"``, ``"90m"``, ``"12.5s"``) of a duration."""
    for unit in ("w", "d", "h", "m"):
        size = _UNITS[unit]
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s" if float(seconds).is_integer() else f"{seconds}s"


def utc_iso(timestamp: float) -> str:
    """Unix seconds as ISO-8601 UTC to the second, e.g. ``2026-11-26T12:00:00Z``."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(value: str) -> datetime:
    """An ISO-8601 timestamp with a UTC offset (``Z`` or ``+00:00``), as an aware datetime.

    Raises :class:`ValueError` for anything else, including naive or non-UTC times.
    """
    text = value.strip()
    if text != value or not text:
        raise ValueError(f"{value!r} is not an ISO-8601 UTC timestamp")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO-8601 UTC timestamp") from None
    if moment.tzinfo is None or moment.utcoffset() != timedelta(0):
        raise ValueError(f"{value!r} is not in UTC (end it with 'Z')")
    return moment.astimezone(timezone.utc)

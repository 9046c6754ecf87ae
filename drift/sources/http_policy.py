"""Pure pieces of the HTTP client's policy: timeouts, retry waits, origins, redaction."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import SplitResult, urlsplit, urlunsplit

__all__ = [
    "RETRY_STATUSES",
    "Timeouts",
    "backoff_delay",
    "origin_of",
    "parse_retry_after",
    "redact",
    "split_userinfo",
]

#: Answers worth another attempt (besides connection errors and timeouts).
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection, and between bytes of an answer."""

    connect: float = 3.0
    read: float = 10.0

    @classmethod
    def of(cls, value: Timeouts | float) -> Timeouts:
        if isinstance(value, Timeouts):
            return value
        return cls(connect=float(value), read=float(value))


def backoff_delay(attempt: int, base: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: ``base * 2**attempt`` scaled by 0.5-1.5."""
    jitter = rng.uniform(0.5, 1.5) if rng is not None else random.uniform(0.5, 1.5)
    return max(0.0, base) * (2.0**attempt) * jitter


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date); None if absent/bad."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    from email.utils import parsedate_to_datetime  # an HTTP-date only

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())


def origin_of(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) with default ports filled in; hosts compare case-insensitively."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return (scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme, 0))


def split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """The URL without ``user:password@``, and the user and password that were there."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None, None
    host = parts.netloc.rpartition("@")[2]
    clean = urlunsplit(SplitResult(parts.scheme, host, parts.path, parts.query, parts.fragment))
    return clean, parts.username, parts.password


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every non-empty secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text

"""What every event bus backend offers: append messages to a stream, close."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

__all__ = ["BusMessage", "EventBus", "SendResult", "stream_key"]


def stream_key(namespace: str, stream: str) -> str:
    """The key of a logical stream: ``<namespace>:<stream>`` (Core's convention)."""
    return f"{namespace}:{stream}"


@dataclass(frozen=True)
class BusMessage:
    """One stream entry: its id, the stream key and the ``data`` field (UTF-8 JSON)."""

    id: str
    stream_key: str
    data: str

    def envelope(self) -> dict[str, Any]:
        """The decoded JSON envelope."""
        value = json.loads(self.data)
        if not isinstance(value, dict):
            raise ValueError("a bus message must be a JSON object")
        return value


@dataclass(frozen=True)
class SendResult:
    """The outcome of one message: the entry id, or why it was not added."""

    id: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.id is not None


@runtime_checkable
class EventBus(Protocol):
    """A stream-oriented event bus (Redis Streams semantics)."""

    @property
    def namespace(self) -> str: ...

    def describe(self) -> str:
        """Where messages go; safe to log (no credentials)."""
        ...

    def send(self, stream: str, messages: Sequence[str]) -> list[SendResult]:
        """Append each message as one entry with a single field ``data``.

        Returns one result per message, in order. May raise when the backend
        is unreachable; callers treat that as every message failing.
        """
        ...

    def close(self) -> None: ...

"""An in-process event bus: for tests and local runs (the default backend)."""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from drift.logs import logger
from drift.telemetry.bus.base import BusMessage, SendResult, stream_key
from drift.telemetry.settings import DEFAULT_NAMESPACE

__all__ = ["InMemoryBus", "Subscriber"]

log = logger(__name__)

Subscriber = Callable[[BusMessage], None]


class InMemoryBus:
    """Streams kept in memory, keyed ``<namespace>:<stream>`` like Redis.

    ``subscribe`` returns a list that receives every later message of the
    stream (and calls ``callback`` for each); ``messages`` returns the history.
    A failing callback is logged; the message stays on the bus.
    """

    def __init__(self, namespace: str = DEFAULT_NAMESPACE) -> None:
        self._namespace = namespace
        self._lock = threading.Lock()
        self._history: dict[str, list[BusMessage]] = defaultdict(list)
        self._subscribers: dict[str, list[tuple[list[BusMessage], Subscriber | None]]] = (
            defaultdict(list)
        )
        self._seq = itertools.count()

    @property
    def namespace(self) -> str:
        return self._namespace

    def describe(self) -> str:
        return f"inmem (namespace {self._namespace})"

    def subscribe(self, stream: str, callback: Subscriber | None = None) -> list[BusMessage]:
        """A live list of the messages added to ``stream`` from now on."""
        inbox: list[BusMessage] = []
        with self._lock:
            self._subscribers[stream_key(self._namespace, stream)].append((inbox, callback))
        return inbox

    def messages(self, stream: str) -> list[BusMessage]:
        """Every message ever added to ``stream`` (a copy)."""
        with self._lock:
            return list(self._history.get(stream_key(self._namespace, stream), ()))

    def send(self, stream: str, messages: Sequence[str]) -> list[SendResult]:
        key = stream_key(self._namespace, stream)
        results: list[SendResult] = []
        for data in messages:
            with self._lock:
                entry = BusMessage(f"{int(time.time() * 1000)}-{next(self._seq)}", key, data)
                self._history[key].append(entry)
                subscribers = list(self._subscribers.get(key, ()))
                for inbox, _ in subscribers:
                    inbox.append(entry)
            for _, callback in subscribers:
                if callback is None:
                    continue
                try:
                    callback(entry)
                except Exception:
                    log.warning("an in-memory bus subscriber of %s failed", key, exc_info=True)
            results.append(SendResult(id=entry.id))
        return results

    def close(self) -> None:
        """Nothing to release; history and subscribers stay readable."""

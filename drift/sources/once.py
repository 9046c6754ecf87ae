"""A value built on its first use, once, whichever thread asks first: the registry
client's sender and its TLS transports (each loads a CA bundle) are built only when a
request needs them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["OnFirstUse"]

T = TypeVar("T")


class OnFirstUse(Generic[T]):
    """``build()``'s value, built by the first :meth:`get`."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    @property
    def built(self) -> bool:
        return self._value is not None

    def get(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
                value = self._value
        return value

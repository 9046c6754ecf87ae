"""Event bus backends for Pulse events: ``inmem`` (default) and ``redis``."""

from __future__ import annotations

from drift.telemetry.bus.base import BusMessage, EventBus, SendResult, stream_key
from drift.telemetry.bus.inmem import InMemoryBus
from drift.telemetry.settings import PulseSettings

__all__ = ["BusMessage", "EventBus", "InMemoryBus", "SendResult", "open_bus", "stream_key"]


def open_bus(settings: PulseSettings) -> EventBus:
    """The backend ``settings`` name; ``redis`` raises ``ConfigError`` without redis-py.

    Opening does not connect: a Redis that is down fails at the first send.
    """
    if settings.backend == "redis":
        from drift.telemetry.bus.redis_streams import RedisStreamsBus

        if settings.redis_url is None:
            from drift.errors import ConfigError

            raise ConfigError("REDIS_URL: required when EVENT_BUS_BACKEND=redis")
        return RedisStreamsBus(
            settings.redis_url, namespace=settings.namespace, timeout=settings.timeout
        )
    return InMemoryBus(settings.namespace)

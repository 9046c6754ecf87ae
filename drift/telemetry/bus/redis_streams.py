"""Redis Streams backend: one ``XADD <namespace>:<stream> * data <json>`` per event.

``redis`` (redis-py) is the optional extra ``schema-drift[redis]`` and is imported only
when this backend is opened. Connection and socket timeouts are short and
retries are off, so a dead Redis costs one refused or timed-out connect; all
events of a run go in one pipelined round trip.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drift.errors import ConfigError
from drift.telemetry.bus.base import SendResult, stream_key
from drift.telemetry.limits import describe_error
from drift.urls import redact_url

__all__ = ["RedisStreamsBus"]

EXTRA_HINT = "EVENT_BUS_BACKEND=redis needs the redis package: pip install 'schema-drift[redis]'"


class RedisStreamsBus:
    """Appends events to Redis Streams, in Core's wire format (field ``data``)."""

    def __init__(self, url: str, *, namespace: str, timeout: float = 1.0) -> None:
        try:
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry
        except ImportError as exc:
            raise ConfigError(EXTRA_HINT) from exc
        self._url = url
        self._namespace = namespace
        try:
            self._client: Any = redis.Redis.from_url(
                url,
                socket_connect_timeout=timeout,
                socket_timeout=timeout,
                retry_on_timeout=False,
                retry=Retry(NoBackoff(), 0),
                health_check_interval=0,
            )
        except ValueError as exc:
            raise ConfigError(f"REDIS_URL: {describe_error(exc, secret=url)}") from None

    @property
    def namespace(self) -> str:
        return self._namespace

    def describe(self) -> str:
        return f"redis {redact_url(self._url)} (namespace {self._namespace})"

    def send(self, stream: str, messages: Sequence[str]) -> list[SendResult]:
        if not messages:
            return []
        key = stream_key(self._namespace, stream)
        pipe = self._client.pipeline(transaction=False)
        for data in messages:
            pipe.xadd(key, {"data": data.encode("utf-8")})
        replies = pipe.execute(raise_on_error=False)
        return [_result(reply, self._url) for reply in replies]

    def ping(self) -> str | None:
        """``None`` when Redis answers, else why not (credentials removed)."""
        try:
            self._client.ping()
        except Exception as exc:
            return f"{self.describe()}: {describe_error(exc, secret=self._url)}"
        return None

    def close(self) -> None:
        self._client.close()


def _result(reply: object, url: str) -> SendResult:
    if isinstance(reply, BaseException):
        return SendResult(error=describe_error(reply, secret=url))
    if isinstance(reply, bytes):
        return SendResult(id=reply.decode("utf-8", "replace"))
    return SendResult(id=str(reply))

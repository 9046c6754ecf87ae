"""Pulse (event bus) settings from the platform's environment variables.

| variable | default | meaning |
| --- | --- | --- |
| ``PULSE_ENABLED`` | ``true`` | ``false`` stops every event (emergency switch) |
| ``EVENT_BUS_BACKEND`` | ``inmem`` | ``inmem`` (in-process) or ``redis`` (Redis Streams) |
| ``REDIS_URL`` | (none) | required for ``redis``, e.g. ``redis://127.0.0.1:6379/0`` |
| ``MD_NAMESPACE`` | ``mdp`` | stream key prefix: ``<namespace>:<stream>`` |
| ``DRIFT_PULSE_STREAM`` | ``telemetry.schema_drift`` | logical stream name |
| ``DRIFT_PULSE_TIMEOUT`` | ``1`` | Redis connect and socket timeout, seconds (0 < t <= 10) |
| ``DRIFT_PULSE_ANNOTATIONS`` | ``false`` | also publish annotation-only differences |
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from drift.config_values import text_bool
from drift.errors import ConfigError
from drift.urls import redact_url

__all__ = ["DEFAULT_NAMESPACE", "DEFAULT_STREAM", "PulseSettings", "parse_bool"]

DEFAULT_NAMESPACE = "mdp"
DEFAULT_STREAM = "telemetry.schema_drift"
Backend = Literal["inmem", "redis"]

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$")
_REDIS_SCHEMES = ("redis", "rediss", "unix")


def parse_bool(env: Mapping[str, str], variable: str, default: bool) -> bool:
    """A boolean environment variable (:func:`drift.config_values.text_bool`); else an error."""
    raw = env.get(variable)
    if raw is None or not raw.strip():
        return default
    try:
        return text_bool(raw)
    except ValueError as exc:
        raise ConfigError(f"{variable}: {exc}") from None


@dataclass(frozen=True)
class PulseSettings:
    """Where and whether ``telemetry.schema_drift`` events go."""

    enabled: bool = True
    backend: Backend = "inmem"
    redis_url: str | None = None
    namespace: str = DEFAULT_NAMESPACE
    stream: str = DEFAULT_STREAM
    timeout: float = 1.0
    """Redis ``socket_connect_timeout`` and ``socket_timeout`` (seconds)."""
    include_annotations: bool = False

    @property
    def stream_key(self) -> str:
        """The Redis key events are added to: ``<namespace>:<stream>``."""
        return f"{self.namespace}:{self.stream}"

    @property
    def deadline(self) -> float:
        """Hard limit for one publish: connect plus one round trip."""
        return 2.0 * self.timeout + 0.25

    def describe(self) -> str:
        """Safe to log: no credentials."""
        where = redact_url(self.redis_url) if self.redis_url else "in-process"
        state = "enabled" if self.enabled else "disabled"
        return f"pulse {state}: {self.backend} {where} key {self.stream_key}"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PulseSettings:
        """Read the variables above; a bad value raises :class:`ConfigError` naming it."""
        enabled = parse_bool(env, "PULSE_ENABLED", True)
        backend_raw = (env.get("EVENT_BUS_BACKEND") or "inmem").strip().lower()
        if backend_raw not in ("inmem", "redis"):
            raise ConfigError(f"EVENT_BUS_BACKEND: expected inmem or redis, got {backend_raw!r}")
        backend: Backend = "redis" if backend_raw == "redis" else "inmem"
        redis_url = (env.get("REDIS_URL") or "").strip() or None
        if redis_url is not None and redis_url.split("://", 1)[0].lower() not in _REDIS_SCHEMES:
            raise ConfigError(
                f"REDIS_URL: expected redis://, rediss:// or unix://, got {redact_url(redis_url)!r}"
            )
        if enabled and backend == "redis" and redis_url is None:
            raise ConfigError("REDIS_URL: required when EVENT_BUS_BACKEND=redis")
        namespace = _name(env, "MD_NAMESPACE", DEFAULT_NAMESPACE)
        stream = _name(env, "DRIFT_PULSE_STREAM", DEFAULT_STREAM)
        timeout = _timeout(env.get("DRIFT_PULSE_TIMEOUT"))
        annotations = parse_bool(env, "DRIFT_PULSE_ANNOTATIONS", False)
        return cls(enabled, backend, redis_url, namespace, stream, timeout, annotations)


def _name(env: Mapping[str, str], variable: str, default: str) -> str:
    raw = env.get(variable)
    if raw is None or not raw.strip():
        return default
    value = raw.strip()
    if not _NAME.match(value) or ".." in value:
        raise ConfigError(f"{variable}: {value!r} is not a valid name ([A-Za-z0-9_.-], no ':')")
    return value


def _timeout(raw: str | None) -> float:
    if raw is None or not raw.strip():
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"DRIFT_PULSE_TIMEOUT: expected seconds, got {raw!r}") from None
    if not math.isfinite(value) or not 0 < value <= 10:
        raise ConfigError(f"DRIFT_PULSE_TIMEOUT: expected 0 < seconds <= 10, got {raw!r}")
    return value

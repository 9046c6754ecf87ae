"""The one exception tree of the toolkit.

Drift itself is never an exception: it is data in the report. Exceptions are
for things that stop a workflow from producing a trustworthy answer::

    DriftError                      every error the toolkit raises on purpose
    ├── ConfigError                 bad [tool.drift], environment or flag value   (exit 2)
    ├── RegistryError               the registry could not give an answer
    │   ├── RegistryUnavailable     down, timing out, 5xx/429 after retries       (fail-open)
    │   ├── RegistryProtocolError   answered, but not with the expected JSON      (fail-open)
    │   └── SchemaNotFound          404 for one schema
    ├── FixtureError                a local fixture file is unreadable or invalid (exit 2)
    ├── LockError                   the lock file is malformed or hand-edited badly (exit 2)
    ├── UnsafeNameError             a registry name that could escape fixtures/  (exit 2)
    └── SyncError                   a sync could not complete; nothing was changed (exit 2)
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DriftError",
    "FixtureError",
    "LockError",
    "RegistryError",
    "RegistryProtocolError",
    "RegistryUnavailable",
    "SchemaNotFound",
    "SyncError",
    "UnsafeNameError",
]


class DriftError(Exception):
    """Root of every error the toolkit raises on purpose."""

    exit_code = 2


class ConfigError(DriftError):
    """A configuration value (file, environment or flag) is invalid."""


class RegistryError(DriftError):
    """The registry could not give a usable answer."""

    exit_code = 3

    def __init__(self, message: str, *, kind: str = "error") -> None:
        super().__init__(message)
        #: short machine-readable kind, used as a metric label
        #: (``connect``, ``timeout``, ``http_5xx``, ``http_429``, ``http_4xx``,
        #: ``invalid_body``, ``too_large``, ``not_found``, ``deadline``, ``error``)
        self.kind = kind


class RegistryUnavailable(RegistryError):
    """The registry is down, timing out, or kept failing after retries."""


class RegistryProtocolError(RegistryError):
    """The registry answered, but not with the JSON the API promises."""


class SchemaNotFound(RegistryError):
    """The registry does not know this schema on this track (404)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, kind="not_found")


class FixtureError(DriftError):
    """A local fixture file is unreadable, not JSON, or not a JSON Schema."""


class LockError(DriftError):
    """The lock file is malformed."""


class UnsafeNameError(DriftError):
    """A schema name from the registry would escape the fixtures directory."""


class SyncError(DriftError):
    """A sync could not complete; fixtures and lock were left untouched."""

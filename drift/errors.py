"""The one exception tree of the toolkit, and how an error becomes an exit code.

Drift itself is never an exception: it is data in the report. Exceptions are
for things that stop a workflow from producing a trustworthy answer::

    DriftError                      every error the toolkit raises on purpose     (exit 2)
    ├── ConfigError                 bad [tool.drift], environment or flag value   (exit 2)
    ├── RegistryError               the registry could not give an answer         (exit 3)
    │   ├── RegistryUnavailable     down, timing out, 5xx/429 after retries       (fail-open)
    │   ├── RegistryProtocolError   answered, but not with the expected JSON      (fail-open)
    │   ├── SchemaNotFound          404 for one schema
    │   └── UnsafeSchemaName        a registry track/name/version unfit for a path (exit 2)
    │                               (also an UnsafeNameError)
    ├── FixtureError                a local fixture file is unreadable or invalid (exit 2)
    │   └── UnknownSchemaError      no schema of that name on the track (contract tests)
    ├── LockError                   the lock file is malformed or hand-edited badly (exit 2)
    ├── UnsafeNameError             a registry name that could escape fixtures/  (exit 2)
    ├── SyncError                   a sync could not complete; nothing was changed (exit 2)
    │   └── RollbackFailed          ... and undoing it failed too: backups are kept
    ├── OutputError                 an output file cannot be written (also an OSError) (exit 2)
    ├── PatternError                a schema pattern is invalid or too slow (also a re.error)
    ├── DeadlineExceeded            a telemetry side effect outran its deadline (never fatal)
    └── ProposeError                propose cannot run: no git work tree, dirty tree (exit 2)

:func:`exit_code_for` is the one mapping from an error to an exit code that
every front end (CLI, Invoke tasks) uses.

Internal control flow, never escapes: raised and caught inside one module, so no
front end sees one. Not a ``DriftError`` (so ``except DriftError`` cannot swallow
one) and not in ``__all__``; one that escaped would be a bug, and its traceback
says so (:func:`exit_code_for` gives it no code)::

    ControlFlow                     raised and caught in one module, never escapes
    ├── NoMinimalValue              a schema needs more than a minimal value can give
    │                               (raised and caught in drift.example_payload)
    └── RetryAttempt                one attempt failed in a way worth another; carries
                                    the RegistryUnavailable raised when attempts run out
                                    (raised and caught in drift.sources.http_requester)

One exception class lives elsewhere, in the hierarchy of the library it extends
(defining it here would load tomllib on every path that imports this module)::

    tomllib.TOMLDecodeError
    └── drift.tomlread._TooDeep     TOML nested deeper than the parser can recurse
                                    (read as any TOMLDecodeError: a ConfigError or LockError)
"""

from __future__ import annotations

import re

__all__ = [
    "ConfigError",
    "DeadlineExceeded",
    "DriftError",
    "FixtureError",
    "LockError",
    "OutputError",
    "PatternError",
    "ProposeError",
    "RegistryError",
    "RegistryProtocolError",
    "RegistryUnavailable",
    "RollbackFailed",
    "SchemaNotFound",
    "SyncError",
    "UnknownSchemaError",
    "UnsafeNameError",
    "UnsafeSchemaName",
    "exit_code_for",
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


class UnknownSchemaError(FixtureError):
    """No schema of that name on the track."""


class LockError(DriftError):
    """The lock file is malformed."""


class UnsafeNameError(DriftError):
    """A schema name from the registry would escape the fixtures directory."""


class UnsafeSchemaName(RegistryError, UnsafeNameError):
    """A track, name or version that must not become a path or URL; nothing was read or sent.

    Both an :class:`UnsafeNameError` (what it is) and a :class:`RegistryError`
    (so per-name results of ``fetch_many`` can carry it as a value).
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message, kind="error")


class SyncError(DriftError):
    """A sync could not complete; fixtures and lock were left untouched."""


class RollbackFailed(SyncError):
    """A sync failed and its rollback failed too: the backups must be kept."""


class DeadlineExceeded(DriftError):
    """A telemetry side effect did not finish within its deadline."""


class OutputError(DriftError, OSError):
    """An output (report, textfile, mode file) cannot be written; the message names it."""


class PatternError(DriftError, re.error):
    """A schema pattern is not a usable regular expression, or took too long."""

    def __init__(self, message: str, pattern: str | None = None) -> None:
        DriftError.__init__(self, message)
        self.msg = message
        self.pattern = pattern
        self.pos = None
        self.lineno = self.colno = None  # type: ignore[assignment]


class ProposeError(DriftError):
    """``drift propose`` cannot run here: no git work tree, uncommitted changes, git failed."""


# -- internal control flow (see the module docstring): never escapes its module ----


class ControlFlow(Exception):
    """Raised and caught inside one module to leave a deep call early; never escapes."""


class NoMinimalValue(ControlFlow):
    """The schema needs more than a minimal value can give (a ``$ref``, a pattern, ...)."""


class RetryAttempt(ControlFlow):
    """One attempt failed in a way worth another attempt (after ``wait`` seconds, when the
    server said how long); ``error`` is what is raised once the attempts run out."""

    def __init__(self, error: RegistryUnavailable, wait: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


def exit_code_for(error: BaseException) -> int | None:
    """The exit code a front end returns for ``error``; ``None``: not ours, let it raise.

    A :class:`DriftError` carries its code; an :class:`OSError` (say, an
    unwritable report path) is a local error (2), never "drift" (1) or a
    traceback; Ctrl-C is 130.
    """
    if isinstance(error, DriftError):
        return error.exit_code
    if isinstance(error, OSError):
        return 2
    if isinstance(error, KeyboardInterrupt):
        return 130
    return None

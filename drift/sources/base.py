"""The one interface every registry source implements (HTTP API, directory on disk)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Protocol, TypeVar, runtime_checkable

from drift.errors import RegistryError
from drift.model import RegistryIndex, RegistrySchema, SchemaVersion

__all__ = [
    "Closeable",
    "FetchResult",
    "RegistrySource",
    "RequestHook",
    "fetch_each",
]

#: Per schema name: the schema, or the error that stopped it (fail-open per schema).
FetchResult = Mapping[str, "RegistrySchema | RegistryError"]

#: ``on_request(endpoint, seconds, error_kind)`` after every HTTP request a source sends
#: (``error_kind`` is ``None`` on success, else a :attr:`RegistryError.kind`).
RequestHook = Callable[[str, float, "str | None"], None]

_C = TypeVar("_C", bound="Closeable")


class Closeable:
    """Mixin: ``with thing:`` calls ``thing.close()`` on the way out (sources, the server)."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@runtime_checkable
class RegistrySource(Protocol):
    """A schema registry the toolkit reads from.

    Every method raises a :class:`~drift.errors.RegistryError` subclass on
    failure and nothing else. ``location`` is safe to print: no credentials.
    """

    @property
    def location(self) -> str: ...

    @property
    def requests_made(self) -> int:
        """How many requests (HTTP) or file reads (directory) this source has made."""
        ...

    def index(self) -> RegistryIndex:
        """The whole catalogue: one request."""
        ...

    def fetch(self, track: str, name: str, version: str | None = None) -> RegistrySchema:
        """One schema with its content (``?version=`` for a past core version)."""
        ...

    def fetch_many(self, track: str, names: Iterable[str]) -> FetchResult:
        """Many schemas, concurrently where the source allows; per-name errors, never raises."""
        ...

    def versions(self, track: str, name: str) -> list[SchemaVersion]:
        """The schema's version history, oldest first."""
        ...

    def close(self) -> None: ...


def fetch_each(
    source: RegistrySource, track: str, names: Iterable[str]
) -> Iterator[tuple[str, RegistrySchema | RegistryError]]:
    """``(name, schema or error)`` as each completes where the source can stream
    (``fetch_iter``), else from :meth:`RegistrySource.fetch_many`."""
    stream = getattr(source, "fetch_iter", None)
    if stream is not None:
        yield from stream(track, names)
    else:
        yield from source.fetch_many(track, names).items()

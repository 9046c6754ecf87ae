"""The registry's HTTP API (``/index``, ``/schemas/...``) over one pooled ``httpx.Client``,
built on first use: a conditional ``GET /index`` goes out on the standard library first
(:mod:`drift.sources.http_plain`), so a check where nothing moved never imports httpx.

Retries, redirects, size cap and deadline live in
:mod:`drift.sources.http_requester`. The token is sent as ``Authorization:
Bearer`` to the registry's own origin only and never appears in a message,
``repr``, log record or :attr:`RegistryClient.location`. Names, tracks and
versions are validated (:mod:`drift.names`) before they enter a URL.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

from drift.errors import ConfigError, RegistryError
from drift.model import RegistryIndex, RegistrySchema, SchemaVersion
from drift.sources.base import Closeable, FetchResult, RequestHook
from drift.sources.http_plain import PlainSender, plain_ok
from drift.sources.http_policy import Timeouts, redact, split_userinfo
from drift.sources.http_requester import Conditional, Parser, Requester, RetryPolicy
from drift.sources.http_sender import Sender
from drift.sources.index_cache import IndexCache
from drift.sources.wire import (
    check_name,
    check_track,
    check_version,
    parse_index,
    parse_schema,
    parse_versions,
)

if TYPE_CHECKING:
    import httpx

    from drift.sources.http_transport import HttpxSender

__all__ = ["RegistryClient", "Timeouts"]

T = TypeVar("T")


class RegistryClient(Closeable):
    """Implements :class:`~drift.sources.base.RegistrySource` against a registry URL.

    ``timeout`` is connect/read seconds (:class:`Timeouts`, or one float for
    both); ``deadline`` bounds each operation, retries and waits included
    (``fetch_many`` shares one deadline across all its names). ``transport``
    replaces the client's own (no standard-library request then).
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: Timeouts | float = Timeouts(),  # noqa: B008 - frozen dataclass
        retries: int = 3,
        backoff: float = 0.2,
        deadline: float = 30.0,
        max_body: int = 8 * 1024 * 1024,
        concurrency: int = 16,
        transport: httpx.BaseTransport | None = None,
        on_request: RequestHook | None = None,
        index_cache: IndexCache | None = None,
    ) -> None:
        clean, user, password = split_userinfo(base_url.strip())
        self._secrets = (token, password)
        parts = urlsplit(clean)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"registry URL must be http(s)://host[/path], got {clean!r}")
        if retries < 0 or concurrency < 1 or max_body < 1 or deadline <= 0 or backoff < 0:
            raise ConfigError(
                "registry client: retries, backoff >= 0; concurrency, max_body, deadline > 0"
            )
        self._base = f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")
        auth: str | None = None
        if token:
            auth = f"Bearer {token}"
        elif user is not None:
            pair = f"{user}:{password or ''}".encode()
            auth = "Basic " + base64.b64encode(pair).decode()
        self._concurrency = concurrency
        self._index_cache = index_cache
        self._httpx: HttpxSender | None = None
        self._plain = PlainSender() if transport is None else None

        def connect() -> Sender:  # httpx, imported on the first request that needs it
            from drift.sources.http_transport import HttpxSender

            self._httpx = HttpxSender(parts.scheme, concurrency, transport)
            return self._httpx

        policy = RetryPolicy(Timeouts.of(timeout), retries, backoff, deadline, max_body)
        self._requester = Requester(
            connect,
            origin_url=self._base,
            auth=auth,
            secrets=self._secrets,
            policy=policy,
            on_request=on_request,
        )

    def __repr__(self) -> str:
        return f"RegistryClient({self._base!r})"

    @property
    def location(self) -> str:
        """The base URL without any ``user:password@``."""
        return self._base

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far, retries and redirect hops included."""
        return self._requester.sent

    def index(self) -> RegistryIndex:
        """The catalogue; with an ``index_cache``, a conditional GET (304: the kept body)."""
        kept = self._index_cache.load() if self._index_cache is not None else None
        if kept is None:
            conditional = None
            if self._index_cache is not None:  # no ETag yet: an unconditional GET that keeps one
                conditional = Conditional("", b"")
        else:
            conditional = Conditional(*kept)
        url = self._base + "/index"
        first = None  # httpx not imported yet, and the standard library may send it
        if self._plain is not None and not self._requester.connected and plain_ok(url):
            first = self._plain
        index = self._requester.get(
            "index", url, parse_index, self._requester.deadline_at(), conditional, first
        )
        if conditional is not None and conditional.fresh is not None:
            assert self._index_cache is not None
            self._index_cache.save(*conditional.fresh)
        return index

    def fetch(self, track: str, name: str, version: str | None = None) -> RegistrySchema:
        return self._fetch(track, name, version, self._requester.deadline_at())

    def fetch_many(self, track: str, names: Iterable[str]) -> FetchResult:
        """All names under one deadline, ``concurrency`` at a time; errors are values."""
        wanted = list(names)
        done = dict(self.fetch_iter(track, wanted))
        return {name: done[name] for name in wanted}

    def fetch_iter(
        self, track: str, names: Iterable[str]
    ) -> Iterator[tuple[str, RegistrySchema | RegistryError]]:
        """Each name's schema (or error) as its download completes, under one deadline.

        At most ``4 * concurrency`` answers wait for the caller at a time, so a
        caller that evaluates each schema as it arrives holds only a few in memory.
        """
        unique = list(dict.fromkeys(names))
        deadline_at = self._requester.deadline_at()

        def one(name: str) -> RegistrySchema | RegistryError:
            try:
                return self._fetch(track, name, None, deadline_at)
            except RegistryError as exc:
                return exc
            except Exception as exc:  # a bug must not lose the other names
                text = redact(f"{self._base}: {type(exc).__name__}: {exc}", self._secrets)
                return RegistryError(text, kind="error")

        if not unique:
            return
        self._requester.sender()  # httpx imported once, before the threads
        from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait  # a fetch

        workers = max(1, min(self._concurrency, len(unique)))
        window = 4 * workers
        queue = iter(unique)
        with ThreadPoolExecutor(workers, thread_name_prefix="drift-registry") as pool:
            pending = {pool.submit(one, n): n for n in itertools.islice(queue, window)}
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    name = pending.pop(future)
                    for following in itertools.islice(queue, 1):
                        pending[pool.submit(one, following)] = following
                    yield name, future.result()

    def versions(self, track: str, name: str) -> list[SchemaVersion]:
        track = check_track(track, where=self._base)
        name = check_name(name, where=self._base)
        path = f"/schemas/{quote(track)}/{quote(name)}/versions"
        return self._get("versions", path, None, parse_versions, self._requester.deadline_at())

    def close(self) -> None:
        if self._httpx is not None:
            self._httpx.close()

    def _fetch(
        self, track: str, name: str, version: str | None, deadline_at: float
    ) -> RegistrySchema:
        track = check_track(track, where=self._base)
        name = check_name(name, where=self._base)
        params = None if version is None else {"version": check_version(version, where=self._base)}

        def parse(doc: Any, where: str) -> RegistrySchema:
            return parse_schema(doc, where, track=track, name=name)

        path = f"/schemas/{quote(track)}/{quote(name)}"
        return self._get("schema", path, params, parse, deadline_at)

    def _get(
        self,
        endpoint: str,
        path: str,
        params: dict[str, str] | None,
        parse: Parser[T],
        deadline_at: float,
    ) -> T:
        url = self._base + path + (f"?{urlencode(params)}" if params else "")
        return self._requester.get(endpoint, url, parse, deadline_at)

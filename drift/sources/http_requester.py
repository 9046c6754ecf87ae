"""One registry GET with retries, manual redirects, a size cap and a deadline.

Connection errors, timeouts, resets, truncated bodies, 5xx and 429 are retried
with exponential backoff and jitter (``Retry-After`` honoured while it fits the
deadline). Redirects are followed by hand so ``Authorization`` only ever goes
to the registry's own origin. Messages pass through :func:`redact`.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urljoin, urlsplit

from drift import depth
from drift.errors import (
    RegistryError,
    RegistryProtocolError,
    RegistryUnavailable,
    RetryAttempt,
    SchemaNotFound,
)
from drift.logs import debug
from drift.sources.base import RequestHook
from drift.sources.http_policy import (
    RETRY_STATUSES,
    Timeouts,
    backoff_delay,
    origin_of,
    parse_retry_after,
    redact,
)
from drift.sources.http_sender import Answer, Sender
from drift.sources.once import OnFirstUse

__all__ = ["Conditional", "Parser", "Requester", "RetryPolicy"]

_LOG = "drift.registry"
_sleep = time.sleep  # module attribute so tests can observe the waits
_MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
T = TypeVar("T")
E = TypeVar("E", bound=RegistryError)

Parser = Callable[[Any, str], T]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one operation tries."""

    timeouts: Timeouts
    """Connect and read timeouts of each request (clamped to what the deadline leaves)."""
    retries: int
    """Attempts after the first."""
    backoff: float
    """Seconds: the first wait between attempts, doubled each time, with jitter."""
    deadline: float
    """Seconds: the wall-clock bound of the whole operation, retries and redirects included."""
    max_body: int
    """Bytes: the largest answer read."""


@dataclass
class Conditional:
    """A conditional GET: the ETag and body kept from the last 200, and a new pair if any."""

    etag: str
    body: bytes
    fresh: tuple[str, bytes] | None = None


@dataclass(frozen=True)
class _Get(Generic[T]):
    """One :meth:`Requester.get`: what every attempt and redirect of it shares."""

    endpoint: str
    parse: Parser[T]
    deadline_at: float
    conditional: Conditional | None


class _Redirect:
    def __init__(self, location: str) -> None:
        self.location = location


class Requester:
    """Sends GETs through one :class:`Sender` (built by ``connect`` on first use); counts
    every request it sends. :meth:`get`'s ``first`` sender (the standard library's) sends
    the operation's first attempt only: redirect hops and retries go through the main
    sender, with the attempts, waits and deadline of that one operation."""

    def __init__(
        self,
        connect: Callable[[], Sender],
        *,
        origin_url: str,
        auth: str | None,
        secrets: tuple[str | None, ...],
        policy: RetryPolicy,
        on_request: RequestHook | None,
    ) -> None:
        self._sender = OnFirstUse(connect)
        self._origin = origin_of(origin_url)
        self._auth = auth
        self._secrets = secrets
        self._policy = policy
        self._on_request = on_request
        self._lock = threading.Lock()
        self._sent = 0

    @property
    def sent(self) -> int:
        with self._lock:
            return self._sent

    @property
    def connected(self) -> bool:
        """Whether the main sender is built."""
        return self._sender.built

    def sender(self) -> Sender:
        """The main sender, built on first use."""
        return self._sender.get()

    def deadline_at(self) -> float:
        return time.monotonic() + self._policy.deadline

    def error(self, cls: type[E], message: str, kind: str) -> E:
        return cls(redact(message, self._secrets), kind=kind)

    def get(
        self,
        endpoint: str,
        url: str,
        parse: Parser[T],
        deadline_at: float,
        conditional: Conditional | None = None,
        first: Sender | None = None,
    ) -> T:
        """GET ``url`` and parse its JSON, retrying what is worth retrying.

        With ``conditional``, the request carries ``If-None-Match``; a 304 parses
        the kept body, a 200 with an ``ETag`` leaves it in ``conditional.fresh``.
        ``first`` sends the first request only (see the class).
        """
        request = _Get(endpoint, parse, deadline_at, conditional)
        attempt = 0
        while True:
            try:
                return self._follow(request, url, first if attempt == 0 else None)
            except RetryAttempt as retry:
                error, wait = retry.error, retry.wait
            if attempt >= self._policy.retries or error.kind == "deadline":
                raise error
            if wait is None:
                wait = backoff_delay(attempt, self._policy.backoff)
            if wait >= deadline_at - time.monotonic():
                raise self.error(
                    RegistryUnavailable,
                    f"{error} (gave up: a retry in {wait:.2f}s would pass the "
                    f"{self._policy.deadline:g}s deadline)",
                    "deadline",
                )
            debug(_LOG, "retrying %s in %.2fs after %s", url, wait, error.kind)
            _sleep(wait)
            attempt += 1

    def _follow(self, request: _Get[T], url: str, first: Sender | None) -> T:
        for _ in range(_MAX_REDIRECTS + 1):
            outcome = self._send(request, url, first or self.sender())
            first = None
            if not isinstance(outcome, _Redirect):
                return outcome
            url = outcome.location
        raise self.error(RegistryProtocolError, f"{url}: too many redirects", "error")

    def _send(self, request: _Get[T], url: str, sender: Sender) -> T | _Redirect:
        """One HTTP request: the parsed answer, a redirect, or an exception."""
        deadline_at, conditional = request.deadline_at, request.conditional
        remaining = deadline_at - time.monotonic()
        if remaining <= 0:
            text = f"{url}: deadline of {self._policy.deadline:g}s exceeded"
            raise self.error(RegistryUnavailable, text, "deadline")
        headers = {}
        if conditional is not None and conditional.etag:
            headers["If-None-Match"] = conditional.etag
        if self._auth is not None and origin_of(url) == self._origin:
            headers["Authorization"] = self._auth
        connect = min(self._policy.timeouts.connect, remaining)
        read = min(self._policy.timeouts.read, remaining)
        with self._lock:
            self._sent += 1
        started = time.monotonic()
        kind: str | None = "error"
        try:
            with sender.stream(
                url, headers, connect=connect, read=read, deadline_at=deadline_at
            ) as response:
                outcome = self._answer(response, request, url)
            kind = None
            return outcome
        except RetryAttempt as retry:
            kind = retry.error.kind
            raise
        except RegistryError as exc:
            kind = exc.kind
            raise
        except TimeoutError as exc:
            kind = "deadline" if time.monotonic() >= deadline_at else "timeout"
            text = f"{url}: timed out ({exc})"
            raise RetryAttempt(self.error(RegistryUnavailable, text, kind)) from None
        except ConnectionError as exc:
            kind = "connect"
            text = f"{url}: connection failed ({exc})"
            raise RetryAttempt(self.error(RegistryUnavailable, text, kind)) from None
        except zlib.error as exc:
            kind = "invalid_body"
            text = f"{url}: unreadable answer ({exc})"
            raise self.error(RegistryProtocolError, text, kind) from None
        finally:
            seconds = time.monotonic() - started
            debug(_LOG, "GET %s: %s in %.3fs", url, kind or "ok", seconds)
            self._report(request.endpoint, seconds, kind)

    def _answer(self, response: Answer, request: _Get[T], url: str) -> T | _Redirect:
        status = response.status_code
        conditional = request.conditional
        if status in _REDIRECTS:
            target = urljoin(url, response.headers.get("location", ""))
            if urlsplit(target).scheme not in ("http", "https"):
                text = f"{url}: unusable redirect ({status}) to {target!r}"
                raise self.error(RegistryProtocolError, text, "error")
            return _Redirect(target)
        if status == 304 and conditional is not None and conditional.etag:  # the kept body
            status, body = 200, conditional.body
        else:
            body = self._read_body(response, url, request.deadline_at)
        if 200 <= status < 300:
            try:
                doc = depth.loads(body)
            except (ValueError, UnicodeDecodeError) as exc:
                text = f"{url}: answer is not valid JSON ({exc})"
                raise self.error(RegistryProtocolError, text, "invalid_body") from None
            parsed = request.parse(doc, url)
            etag = response.headers.get("etag", "")
            if conditional is not None and etag and response.status_code == 200:
                conditional.fresh = (etag, body)
            return parsed
        if status == 404 and request.endpoint != "index":
            raise SchemaNotFound(redact(f"{url}: not found (HTTP 404)", self._secrets))
        if status in RETRY_STATUSES or status >= 500:
            kind = "http_429" if status == 429 else "http_5xx"
            error = self.error(RegistryUnavailable, f"{url}: HTTP {status}", kind)
            raise RetryAttempt(error, parse_retry_after(response.headers.get("retry-after", "")))
        kind = "http_4xx" if 400 <= status < 500 else "error"
        raise self.error(RegistryProtocolError, f"{url}: unexpected HTTP {status}", kind)

    def _read_body(self, response: Answer, url: str, deadline_at: float) -> bytes:
        limit = self._policy.max_body
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            text = f"{url}: answer of {declared} bytes exceeds the {limit}-byte limit"
            raise self.error(RegistryProtocolError, text, "too_large")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                text = f"{url}: answer exceeds the {limit}-byte limit"
                raise self.error(RegistryProtocolError, text, "too_large")
            if time.monotonic() > deadline_at:
                text = f"{url}: deadline of {self._policy.deadline:g}s exceeded while reading"
                raise self.error(RegistryUnavailable, text, "deadline")
            chunks.append(chunk)
        return b"".join(chunks)

    def _report(self, endpoint: str, seconds: float, kind: str | None) -> None:
        if self._on_request is None:
            return
        try:
            self._on_request(endpoint, seconds, kind)
        except Exception:  # telemetry must never break a fetch
            debug(_LOG, "on_request hook failed", exc_info=True)

"""A wall-clock deadline under every socket operation of the registry client.

``httpx`` timeouts bound the wait for *one* read: a peer that trickles a
header byte every second never trips a 10 s read timeout and can hold a
request forever. Here each connect, read and write gets the smaller of its own
timeout and what is left of the operation's deadline (set with
:func:`deadline_scope` by the requester around every request), so no peer
behaviour, stalled connect, header or body trickle, outlasts the deadline.

The cost is one ``ContextVar`` lookup and one clock read per socket call.
Name resolution (``getaddrinfo``) has no timeout in the standard library: under
a deadline it runs in a daemon thread (:mod:`.http_resolve`) that the connect waits
for at most what is left, then the addresses are tried in order (as ``socket.create_connection``
does); TLS still verifies the host name, which httpcore passes separately.
"""

from __future__ import annotations

import contextlib
import ssl
import time
import typing
from collections.abc import Iterator
from contextvars import ContextVar

import httpcore
import httpx

from drift.sources.http_resolve import resolve

__all__ = ["DeadlineBackend", "deadline_scope", "deadline_transport"]

_deadline: ContextVar[float | None] = ContextVar("drift_registry_deadline", default=None)


@contextlib.contextmanager
def deadline_scope(deadline_at: float) -> Iterator[None]:
    """Socket calls in this block end by ``deadline_at`` (``time.monotonic()`` seconds)."""
    token = _deadline.set(deadline_at)
    try:
        yield
    finally:
        _deadline.reset(token)


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    deadline_at = _deadline.get()
    if deadline_at is None:
        return timeout
    remaining = deadline_at - time.monotonic()
    if remaining <= 0:
        raise error("the operation's deadline passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = _clamp(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, wait))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """``httpcore``'s sync socket backend with every timeout clamped to the deadline."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if _deadline.get() is None:
            stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
            return _DeadlineStream(stream)
        try:
            addresses = resolve(host, port, _clamp(timeout, httpcore.ConnectTimeout))
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from None
        for i, address in enumerate(addresses):
            wait = _clamp(timeout, httpcore.ConnectTimeout)
            try:
                stream = self._inner.connect_tcp(address, port, wait, local_address, socket_options)
            except httpcore.ConnectError:
                if i == len(addresses) - 1:
                    raise
                continue
            return _DeadlineStream(stream)
        raise httpcore.ConnectError(f"no address for {host!r}")  # pragma: no cover

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:  # pragma: no cover - the client speaks TCP
        wait = _clamp(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, wait, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def deadline_transport(limits: httpx.Limits, **options: typing.Any) -> httpx.HTTPTransport:
    """An ``httpx.HTTPTransport(limits=limits, **options)`` whose sockets honour
    :func:`deadline_scope`."""
    transport = httpx.HTTPTransport(limits=limits, **options)
    # httpx offers no public hook for httpcore's network backend (pinned in constraints.txt)
    pool = transport._pool
    pool._network_backend = DeadlineBackend()
    return transport

"""The registry client's httpx side: transports with TLS set up only when an ``https://``
URL needs it, every one of them (proxied ones included) under the operation's wall-clock
deadline, and :class:`HttpxSender`, the requester's sender over them.

``httpx.HTTPTransport()`` loads the CA bundle when it is built (about 30 ms,
more than a whole nothing-moved check of an ``http://`` registry spends
elsewhere). For an ``http://`` registry the default transport gets an SSL
context with no CA at all (it never does TLS: every ``https://`` URL, a
redirect included, is mounted on a transport built, with full verification,
on its first request), so nothing is weakened and nothing is loaded in vain.

A proxy in the environment (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``,
``NO_PROXY``, any case) is read exactly as ``httpx`` reads it, and each of its
routes gets a deadline transport of its own: a proxy that trickles or stalls is
bounded like a registry that does.
"""

from __future__ import annotations

import os
import ssl
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

from drift.sources.http_deadline import deadline_scope, deadline_transport
from drift.sources.http_plain import trusted_context
from drift.sources.once import OnFirstUse

__all__ = ["DirectSender", "HttpxSender", "transports"]

_HEADERS = {"Accept": "application/json", "User-Agent": "drift-registry-client"}


class HttpxSender:
    """GETs on one pooled ``httpx.Client`` (its own transports, or ``transport``); httpx's
    errors become the requester's ``TimeoutError``, ``ConnectionError`` or ``zlib.error``
    with httpx's names (:class:`~drift.sources.http_requester.Sender`)."""

    def __init__(
        self, scheme: str, concurrency: int, transport: httpx.BaseTransport | None
    ) -> None:
        limits = httpx.Limits(
            max_connections=concurrency,
            max_keepalive_connections=concurrency,
            keepalive_expiry=30.0,
        )
        mounts: dict[str, httpx.BaseTransport] = {}
        direct = transport is None
        if transport is None:
            transport, mounts, routed = transports(scheme, limits)
            direct = not routed
        self.client = httpx.Client(
            transport=transport,
            mounts=mounts,
            follow_redirects=False,
            limits=limits,
            headers=_HEADERS,
        )
        self.sender: httpx.Client | DirectSender = self.client
        if direct:  # our own transports, no proxy routes: skip the client's bookkeeping
            secure = mounts.get("https://", transport)  # an https registry: one transport
            self.sender = DirectSender(transport, secure, self.client.headers)

    @contextmanager
    def stream(
        self, url: str, headers: dict[str, str], *, connect: float, read: float, deadline_at: float
    ) -> Iterator[httpx.Response]:
        timeout = httpx.Timeout(connect=connect, read=read, write=read, pool=connect)
        try:
            with (
                deadline_scope(deadline_at),
                self.sender.stream("GET", url, headers=headers, timeout=timeout) as response,
            ):
                yield response
        except httpx.TimeoutException as exc:
            raise TimeoutError(type(exc).__name__) from None
        except httpx.TransportError as exc:
            raise ConnectionError(f"{type(exc).__name__}: {exc}") from None
        except httpx.HTTPError as exc:  # an answer that does not decode
            raise zlib.error(f"{type(exc).__name__}: {exc}") from None

    def close(self) -> None:
        self.client.close()


def transports(
    scheme: str, limits: httpx.Limits
) -> tuple[httpx.BaseTransport, dict[str, httpx.BaseTransport], bool]:
    """``(transport, mounts, routed)`` for an ``httpx.Client`` of a registry of ``scheme``.

    Every transport honours the operation deadline (:mod:`.http_deadline`).
    Without a proxy, ``mounts`` is empty or holds only ``"https://"``; with one
    (``routed``), it holds httpx's routes for the environment's proxies, which
    only ``httpx.Client`` can match to a URL.
    """
    routes = proxy_routes()
    if routes:
        mounts: dict[str, httpx.BaseTransport] = {
            pattern: _OnFirstUse(_proxy_builder(limits, url)) for pattern, url in routes.items()
        }
        return (
            _OnFirstUse(lambda: deadline_transport(limits, verify=trusted_context())),
            mounts,
            True,
        )
    if scheme != "http":
        return deadline_transport(limits, verify=trusted_context()), {}, False
    plain = deadline_transport(limits, verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
    return (
        plain,
        {"https://": _OnFirstUse(lambda: deadline_transport(limits, verify=trusted_context()))},
        False,
    )


def proxy_routes() -> dict[str, str | None]:
    """The environment's proxies as httpx's mount patterns: ``{pattern: proxy URL or None}``
    (``None``: go direct, a ``NO_PROXY`` entry). Empty when no proxy applies."""
    if not any(key.lower().endswith("_proxy") for key in os.environ):
        return {}
    # the very function httpx.Client uses for trust_env (httpx is pinned in constraints.txt)
    from httpx._utils import get_environment_proxies

    return get_environment_proxies()


def _proxy_builder(limits: httpx.Limits, url: str | None) -> Callable[[], httpx.BaseTransport]:
    if url is None:
        return lambda: deadline_transport(limits, verify=trusted_context())
    return lambda: deadline_transport(limits, proxy=httpx.Proxy(url), verify=trusted_context())


class _OnFirstUse(httpx.BaseTransport):
    """A transport built by ``build`` on its first request."""

    def __init__(self, build: Callable[[], httpx.BaseTransport]) -> None:
        self._real = OnFirstUse(build)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._real.get().handle_request(request)

    def close(self) -> None:
        if self._real.built:
            self._real.get().close()


class DirectSender:
    """``httpx.Client.stream`` for GETs on the transports :func:`transports` built.

    The client's per-request work (merging cookies, auth flows, event hooks,
    redirect bookkeeping, each a no-op here: redirects are followed by hand) is
    about a third of httpx's CPU per request; this builds the same request
    (the client's headers, then the call's) and hands it to the same transport.
    """

    def __init__(
        self, plain: httpx.BaseTransport, secure: httpx.BaseTransport, headers: httpx.Headers
    ) -> None:
        self._plain = plain
        self._secure = secure
        self._headers = httpx.Headers(headers)

    @contextmanager
    def stream(
        self, method: str, url: str, *, headers: dict[str, str], timeout: httpx.Timeout
    ) -> Iterator[httpx.Response]:
        merged = self._headers.copy()
        merged.update(headers)
        request = httpx.Request(
            method, url, headers=merged, extensions={"timeout": timeout.as_dict()}
        )
        transport = self._secure if request.url.scheme == "https" else self._plain
        response = transport.handle_request(request)
        response.request = request
        try:
            yield response
        finally:
            response.close()

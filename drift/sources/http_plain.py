"""One GET on the standard library's ``http.client``: the registry client's first try at
``GET /index``, so a check where nothing moved imports no httpx (most of such a run's
registry cost: ``bench/check_drift.py``).

:func:`plain_ok` says where it may stand in for httpx: no proxy variable in the
environment (httpx's routing decides then), a URL of plain ASCII that needs no
normalising. It follows no redirect (the requester sends the next hop through httpx,
the token only to the registry's origin) and sends one request per connection. Every
socket call, name resolution included (:mod:`.http_resolve`), is clamped to what is
left of the operation's deadline, as :mod:`.http_deadline` does for httpx. TLS trusts
what httpx 0.28 trusts (``SSL_CERT_FILE``, else ``SSL_CERT_DIR``, else certifi's
bundle; host names checked; ALPN ``http/1.1``), loaded on the first ``https://``
request. Failures are named as httpx names them (``ConnectError: [Errno 111] Connection
refused``), so the messages do not depend on which library sent the request.
"""

from __future__ import annotations

import http.client
import io
import os
import re
import socket
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlsplit

from drift.sources.http_decode import decoder
from drift.sources.http_resolve import resolve

if TYPE_CHECKING:
    import ssl

__all__ = ["PlainAnswer", "PlainSender", "plain_ok", "trusted_context"]

_PROXY_VARIABLES = frozenset({"http_proxy", "https_proxy", "all_proxy"})
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._~/-]*")
_HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate",
    "Connection": "close",
    "User-Agent": "drift-registry-client",
}
_CHUNK = 65536
_DISCONNECTED = "RemoteProtocolError: Server disconnected without sending a response."
_INCOMPLETE = "RemoteProtocolError: peer closed connection without sending complete message body"


def plain_ok(url: str) -> bool:
    """Whether the standard library may send this GET instead of httpx."""
    if any(value and key.lower() in _PROXY_VARIABLES for key, value in os.environ.items()):
        return False
    if not url.isascii():
        return False
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not parts.query
        and not parts.fragment
        and "@" not in parts.netloc
        and _PLAIN_PATH.fullmatch(parts.path) is not None
    )


def trusted_context() -> ssl.SSLContext:
    """The TLS context httpx 0.28 builds for ``verify=True`` (``trust_env`` on)."""
    import ssl

    cafile, capath = os.environ.get("SSL_CERT_FILE"), None
    named = f"SSL_CERT_FILE={cafile}"
    if not cafile and os.environ.get("SSL_CERT_DIR"):
        cafile, capath = None, os.environ["SSL_CERT_DIR"]
        named = f"SSL_CERT_DIR={capath}"
    elif not cafile:
        import certifi

        cafile = certifi.where()
        named = f"certifi's CA bundle {cafile}"
    try:
        context = ssl.create_default_context(cafile=cafile, capath=capath)
    except (OSError, ssl.SSLError) as exc:  # a missing file, or one with no certificate
        from drift.errors import ConfigError

        raise ConfigError(
            f"{named}: cannot load the CA certificates to verify TLS: {exc}"
        ) from None
    context.set_alpn_protocols(["http/1.1"])  # as httpcore does without HTTP/2
    return context


class _Clock:
    """What is left of the deadline, for one socket call at a time."""

    def __init__(self, deadline_at: float) -> None:
        self.deadline_at = deadline_at

    def wait(self, timeout: float) -> float:
        remaining = self.deadline_at - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the operation's deadline passed")
        return min(timeout, remaining)


class _TimedSocket:
    """The connected socket as ``http.client`` uses it (``makefile``, ``sendall``,
    ``close``), each call with the smaller of the read timeout and what the deadline
    leaves. Closed when the connection and every reader made from it are (as a
    socket's ``makefile`` references are counted)."""

    def __init__(self, sock: socket.socket, clock: _Clock, read: float) -> None:
        self._sock = sock
        self._clock = clock
        self._read = read
        self._users = 1

    def makefile(self, mode: str) -> io.BufferedReader:
        self._users += 1
        return io.BufferedReader(_Reader(self))

    def recv_into(self, buffer: memoryview) -> int:
        self._sock.settimeout(self._clock.wait(self._read))
        return self._sock.recv_into(buffer)

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._clock.wait(self._read))
        self._sock.sendall(data)

    def close(self) -> None:
        self._users -= 1
        if self._users == 0:
            self._sock.close()


class _Reader(io.RawIOBase):
    def __init__(self, sock: _TimedSocket) -> None:
        self._timed: _TimedSocket | None = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        assert self._timed is not None
        return self._timed.recv_into(buffer)

    def close(self) -> None:
        if self._timed is not None:
            self._timed.close()
            self._timed = None
        super().close()


class _Connection(http.client.HTTPConnection):
    def __init__(
        self,
        parts: SplitResult,
        clock: _Clock,
        connect: float,
        read: float,
        context: Callable[[str], ssl.SSLContext | None],
    ) -> None:
        self.default_port = 443 if parts.scheme == "https" else 80  # Host omits it, as httpx
        super().__init__(parts.hostname or "", parts.port or self.default_port)
        self._scheme = parts.scheme
        self._clock = clock
        self._connect_timeout = connect
        self._read_timeout = read
        self._context = context

    def connect(self) -> None:
        clock, wait = self._clock, self._connect_timeout
        tls = self._context(self._scheme)  # a CA bundle that cannot be loaded: ConfigError
        addresses = resolve(self.host, self.port, clock.wait(wait))
        for i, address in enumerate(addresses):
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(clock.wait(wait))
                sock.connect((address, self.port))
                break
            except OSError:
                sock.close()
                if i == len(addresses) - 1:
                    raise
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls is not None:
            secure = tls.wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
            secure.settimeout(clock.wait(wait))
            secure.do_handshake()
            sock = secure
        self.sock = _TimedSocket(sock, clock, self._read_timeout)


def _failure(exc: Exception, phase: str) -> Exception:
    """``exc`` as httpx's would reach the requester (``phase``: Connect, Write, Read)."""
    if isinstance(exc, TimeoutError):
        return TimeoutError(f"{phase}Timeout")
    if isinstance(exc, http.client.RemoteDisconnected):
        return ConnectionError(_DISCONNECTED)
    if isinstance(exc, http.client.IncompleteRead):
        return ConnectionError(f"{_INCOMPLETE} (incomplete chunked read)")
    if isinstance(exc, http.client.HTTPException):
        return ConnectionError(f"RemoteProtocolError: {type(exc).__name__}: {exc}")
    if isinstance(exc, OSError):
        return ConnectionError(f"{phase}Error: {exc}")
    return exc


class PlainAnswer:
    """An ``http.client`` response as the requester reads one (an :class:`Answer`)."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self._response = response
        self.status_code = response.status
        self.headers: dict[str, str] = {}
        for key, value in response.getheaders():  # repeated names joined, as httpx does
            key = key.lower()
            self.headers[key] = f"{self.headers[key]}, {value}" if key in self.headers else value

    def iter_bytes(self) -> Iterator[bytes]:
        """The body as it arrives, its ``Content-Encoding`` undone (:mod:`.http_decode`)."""
        decode = decoder(self.headers.get("content-encoding", ""))
        try:
            for chunk in self._raw():
                yield decode.feed(chunk)
            yield decode.flush()
        except zlib.error as exc:
            raise zlib.error(f"DecodingError: {exc}") from None

    def _raw(self) -> Iterator[bytes]:
        response = self._response
        declared = response.length  # None: chunked or until the peer closes
        received = 0
        try:
            while chunk := response.read(_CHUNK):
                received += len(chunk)
                yield chunk
        except Exception as exc:
            raise _failure(exc, "Read") from None
        if declared is not None and received < declared:
            text = f"{_INCOMPLETE} (received {received} bytes, expected {declared})"
            raise ConnectionError(text)


class PlainSender:
    """GETs on ``http.client``, one connection each (a :class:`Sender`)."""

    def __init__(self) -> None:
        self._tls: ssl.SSLContext | None = None

    def _context(self, scheme: str) -> ssl.SSLContext | None:
        if scheme == "https" and self._tls is None:
            self._tls = trusted_context()
        return self._tls if scheme == "https" else None

    @contextmanager
    def stream(
        self, url: str, headers: dict[str, str], *, connect: float, read: float, deadline_at: float
    ) -> Iterator[PlainAnswer]:
        parts = urlsplit(url)
        connection = _Connection(parts, _Clock(deadline_at), connect, read, self._context)
        target = parts.path  # no query: plain_ok
        response = None
        phase = "Connect"
        try:
            try:
                connection.connect()
                phase = "Write"
                connection.request("GET", target or "/", headers={**_HEADERS, **headers})
                phase = "Read"
                response = connection.getresponse()
                answer = PlainAnswer(response)
            except Exception as exc:
                raise _failure(exc, phase) from None
            yield answer
        finally:
            if response is not None:
                response.close()
            connection.close()

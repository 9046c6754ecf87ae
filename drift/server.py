"""The project's reference registry server: the registry HTTP API over a registry directory.

Stdlib ``ThreadingHTTPServer`` speaking HTTP/1.1 with keep-alive, one thread
per connection, so a per-response ``latency`` (simulated network) never
serialises requests. Answers come from :mod:`drift.server_routes`; strong
``ETag`` / ``If-None-Match`` on GETs; faults from :mod:`drift.server_faults`
can be set on a live server (``server.faults = FaultPlan(...)``).
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO

from drift.errors import ConfigError
from drift.logs import logger
from drift.server_faults import Fault, FaultPlan
from drift.server_routes import Answer, answer, json_answer
from drift.sources.base import Closeable
from drift.sources.directory import DirectorySource

__all__ = ["Fault", "FaultPlan", "RegistryServer", "serve"]

_log = logger("drift.server")
_MAX_REQUEST_BODY = 1 << 20
_GARBAGE = b'{"tracks": {"v1": [<<not json>>'
_WRONG_SHAPE = json_answer(200, {"unexpected": "shape", "items": [1, 2, 3]})


class RegistryServer(Closeable):
    """Serves ``root`` on ``host:port`` (port 0 = any free port, bound at construction)."""

    def __init__(
        self,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        latency: float = 0.0,
        faults: FaultPlan | None = None,
    ) -> None:
        if not Path(root).is_dir():
            raise ConfigError(f"registry root {root} is not a directory")
        self.source = DirectorySource(Path(root))
        self.latency = latency
        self.faults = faults
        self._initial_latency = latency
        self._lock = threading.Lock()
        self._log: list[tuple[str, str]] = []
        self._headers: list[dict[str, str]] = []
        self._in_flight = 0
        self._max_in_flight = 0
        self._open: set[socket.socket] = set()
        self._httpd = _HTTPServer((host, port), self)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def requests(self) -> int:
        """Requests received since start or the last :meth:`reset`."""
        with self._lock:
            return len(self._log)

    @property
    def request_log(self) -> list[tuple[str, str]]:
        """``(method, target)`` of every request received, in order."""
        with self._lock:
            return list(self._log)

    @property
    def request_headers(self) -> list[dict[str, str]]:
        """Lower-cased request headers, parallel to :attr:`request_log`."""
        with self._lock:
            return [dict(h) for h in self._headers]

    @property
    def max_in_flight(self) -> int:
        """Most requests handled at the same time since the last :meth:`reset`."""
        with self._lock:
            return self._max_in_flight

    def reset(self) -> None:
        """Clear faults, request log and counters; restore the initial latency."""
        self.faults = None
        self.latency = self._initial_latency
        with self._lock:
            self._log.clear()
            self._headers.clear()
            self._max_in_flight = self._in_flight

    def start(self) -> RegistryServer:
        """Serve on a background daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"drift-registry-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on the calling thread until interrupted."""
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop serving, drop open keep-alive connections, release the port."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        with self._lock:
            conns = list(self._open)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()

    def __enter__(self) -> RegistryServer:
        return self.start()

    def close(self) -> None:
        """:meth:`stop` (what ``with RegistryServer(...)`` does on the way out)."""
        self.stop()

    # -- used by the handler ---------------------------------------------------

    def _begin(self, method: str, target: str, headers: dict[str, str]) -> None:
        with self._lock:
            self._log.append((method, target))
            self._headers.append(headers)
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def _end(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _track(self, conn: socket.socket, is_open: bool) -> None:
        with self._lock:
            if is_open:
                self._open.add(conn)
            else:
                self._open.discard(conn)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: RegistryServer) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.owner = owner
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        _log.debug("connection from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer
    timeout = 60  # idle keep-alive connections are dropped after this many seconds

    def setup(self) -> None:
        super().setup()
        # headers and body are separate writes: without this, Nagle + delayed ACK add ~40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.owner._track(self.connection, True)

    def finish(self) -> None:
        self.server.owner._track(self.connection, False)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def do_HEAD(self) -> None:
        self.close_connection = True  # a 405 to HEAD carries no body
        self._handle()

    def _handle(self) -> None:
        owner = self.server.owner
        headers = {k.lower(): v for k, v in self.headers.items()}
        owner._begin(self.command, self.path, headers)
        try:
            self._drain_body()
            plan = owner.faults
            fault = plan.take(self.path.partition("?")[0]) if plan is not None else None
            delay = owner.latency + (fault.seconds if fault and fault.kind == "delay" else 0.0)
            if delay > 0:
                time.sleep(delay)
            try:
                reply = answer(owner.source, self.command, self.path)
            except Exception:
                _log.exception("registry server failed on %s %s", self.command, self.path)
                reply = json_answer(500, {"detail": "internal error"})
            self._reply(reply, fault)
        finally:
            owner._end()

    def _drain_body(self) -> None:
        length = self.headers.get("Content-Length", "0")
        size = int(length) if length.isdigit() else -1
        if 0 < size <= _MAX_REQUEST_BODY:
            self.rfile.read(size)
        elif size != 0 or self.headers.get("Transfer-Encoding"):
            self.close_connection = True

    def _reply(self, reply: Answer, fault: Fault | None) -> None:
        kind = fault.kind if fault is not None else None
        if fault is not None and kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if fault is not None and kind == "status":
            extra = (("Retry-After", fault.retry_after),) if fault.retry_after else ()
            reply = json_answer(fault.status, {"detail": "injected fault"}, extra)
        elif fault is not None and kind == "redirect":
            reply = Answer(302, b"", (("Location", fault.location.rstrip("/") + self.path),))
        elif kind == "invalid_json":
            reply = Answer(200, _GARBAGE)
        elif kind == "wrong_shape":
            reply = _WRONG_SHAPE
        body = reply.body
        etag = f'"{hashlib.sha256(body).hexdigest()}"'
        status = reply.status
        if status == 200 and self.command == "GET" and _matches(self.headers, etag):
            status, body = 304, b""
        self.send_response(status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if status in (200, 304) and self.command == "GET":
            self.send_header("ETag", etag)
        if status != 304:
            self.send_header("Content-Type", "application/json")
            declared = len(body) + (len(body) + 64 if kind == "truncate" else 0)
            self.send_header("Content-Length", str(declared))
        self.end_headers()
        if kind == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif status != 304 and self.command != "HEAD":
            self.wfile.write(body)


def _matches(headers: Any, etag: str) -> bool:
    """``If-None-Match`` contains ``*`` or this ETag (weak comparison, as RFC 9110 says)."""
    value = headers.get("If-None-Match")
    if not value:
        return False
    tags = [t.strip().removeprefix("W/") for t in value.split(",")]
    return "*" in tags or etag in tags


def serve(
    root: Path, host: str, port: int, latency: float = 0.0, out: TextIO | None = None
) -> None:
    """Serve ``root`` until Ctrl-C; prints the URL on ``out`` (default stdout) first."""
    server = RegistryServer(root, host, port, latency=latency)
    print(server.url, file=out, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()

"""A hostile HTTP peer on 127.0.0.1, raw sockets, independent of the project's server.

Each behaviour is a function of the accepted socket: trickle the status line
and headers a byte at a time, trickle a body, accept and say nothing, or never
accept at all (a full backlog: the connect stalls). The server stops by
itself when :meth:`HostilePeer.close` is called.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

__all__ = ["BEHAVIOURS", "HostilePeer", "hostile_peer"]

Behaviour = Callable[[socket.socket, threading.Event], None]
_GAP = 0.3  # seconds between trickled bytes: far below any read timeout


def _trickle(conn: socket.socket, stop: threading.Event, data: bytes) -> None:
    for i in range(len(data)):
        if stop.wait(_GAP):
            return
        conn.sendall(data[i : i + 1])


def header_trickle(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    _trickle(conn, stop, b"X-Slow: " + b"a" * 10_000 + b"\r\n\r\n{}")


def body_trickle(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9999\r\n\r\n"
    )
    _trickle(conn, stop, b" " * 9999)


def chunked_trickle(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    _trickle(conn, stop, b"1\r\n \r\n" * 2000)


def silent(conn: socket.socket, stop: threading.Event) -> None:
    stop.wait(120)


def retry_after_storm(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 503 Busy\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n")


BEHAVIOURS: dict[str, Behaviour] = {
    "header-trickle": header_trickle,
    "body-trickle": body_trickle,
    "chunked-trickle": chunked_trickle,
    "silent": silent,
    "retry-storm": retry_after_storm,
}


class HostilePeer:
    """Listens on an ephemeral loopback port; ``behaviour`` ``None`` means never accept."""

    def __init__(self, behaviour: Behaviour | None) -> None:
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._fillers: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self.port = self._listener.getsockname()[1]
        if behaviour is None:
            self._listener.listen(0)
            self._fill_backlog()
            return
        self._listener.listen(16)
        self._listener.settimeout(0.2)
        accept = threading.Thread(target=self._serve, args=(behaviour,), daemon=True)
        accept.start()
        self._threads.append(accept)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _fill_backlog(self) -> None:
        """Occupy the accept queue so that the next connect hangs in SYN retries."""
        for _ in range(8):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect_ex(("127.0.0.1", self.port))
            self._fillers.append(filler)
        time.sleep(0.1)

    def _serve(self, behaviour: Behaviour) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            worker = threading.Thread(target=self._one, args=(conn, behaviour), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _one(self, conn: socket.socket, behaviour: Behaviour) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(5)
            conn.recv(65536)  # the request
            behaviour(conn, self._stop)

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        for sock in [*self._fillers, self._listener]:
            sock.close()


@contextlib.contextmanager
def hostile_peer(behaviour: str | None) -> Iterator[HostilePeer]:
    peer = HostilePeer(None if behaviour is None else BEHAVIOURS[behaviour])
    try:
        yield peer
    finally:
        peer.close()

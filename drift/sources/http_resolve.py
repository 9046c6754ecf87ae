"""Name resolution bounded by a wait: ``getaddrinfo`` in a daemon thread.

The standard library's ``getaddrinfo`` has no timeout; behind a DNS server
that never answers it blocks for as long as the system resolver's retries
last. Both registry transports (httpx's, under :mod:`.http_deadline`, and the
standard library's, :mod:`.http_plain`) resolve through :func:`resolve`, so
the operation's deadline covers name resolution too.
"""

from __future__ import annotations

import socket
import threading

__all__ = ["is_address", "resolve"]


def is_address(host: str) -> bool:
    """An IPv4 or IPv6 literal (nothing to resolve)."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
        except OSError:
            continue
        return True
    return False


def resolve(host: str, port: int, wait: float | None) -> list[str]:
    """The addresses of ``host``, waiting at most ``wait`` seconds for the resolver
    (its thread is left to finish on its own: ``getaddrinfo`` cannot be cancelled).

    ``TimeoutError`` when the resolver outruns ``wait``, ``OSError`` when it fails."""
    if is_address(host):
        return [host]
    answer: list[list[str] | OSError] = []
    done = threading.Event()

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            answer.append([str(info[4][0]) for info in infos])
        except OSError as exc:
            answer.append(exc)
        done.set()

    threading.Thread(target=lookup, name="drift-resolve", daemon=True).start()
    if not done.wait(wait):
        raise TimeoutError(f"resolving {host!r} outran the operation's deadline")
    result = answer[0]
    if isinstance(result, OSError):
        raise OSError(f"cannot resolve {host!r}: {result}")
    if not result:
        raise OSError(f"no address for {host!r}")
    return result

"""What the requester asks of a transport: one GET, its answer, and how it fails.

Two transports implement it: httpx's (:class:`~drift.sources.http_transport.HttpxSender`)
and the standard library's (:class:`~drift.sources.http_plain.PlainSender`). Both name a
failure as httpx does, so a message does not depend on which one sent the request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol

__all__ = ["Answer", "Headers", "Sender"]


class Headers(Protocol):
    def get(self, key: str, default: str, /) -> str: ...


class Answer(Protocol):
    """A response whose body is not read yet (an ``httpx.Response`` is one); ``iter_bytes``
    gives it with its ``Content-Encoding`` undone."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Headers: ...

    def iter_bytes(self) -> Iterator[bytes]: ...


class Sender(Protocol):
    """Sends one GET: the :class:`Answer` in a context; socket calls end by ``deadline_at``.

    A failure in transit, while sending or while the body is read, is a ``TimeoutError``
    whose text is the phase as httpx names it (``ConnectTimeout``, ``ReadTimeout``), or a
    ``ConnectionError`` reading ``"<httpx's name>: <detail>"``
    (``ConnectError: [Errno 111] Connection refused``), whichever library sent it. A body
    whose coding cannot be undone is a ``zlib.error`` reading ``"DecodingError: <detail>"``.
    """

    def stream(
        self, url: str, headers: dict[str, str], *, connect: float, read: float, deadline_at: float
    ) -> AbstractContextManager[Answer]: ...

"""``Content-Encoding`` undone as httpx 0.28 undoes it, for the standard-library GET.

``gzip`` and ``deflate`` (zlib-wrapped, or raw as some servers send it), each listed
coding undone in reverse order; ``identity`` and codings httpx has no decoder for pass
through unchanged. A body that does not decode raises ``zlib.error``.
"""

from __future__ import annotations

import zlib

__all__ = ["Decoder", "decoder"]


class Decoder:
    """Feeds the body through the codings, last applied first."""

    def __init__(self, codings: list[str]) -> None:
        self._steps = [_Inflate(coding) for coding in reversed(codings)]

    def feed(self, data: bytes) -> bytes:
        for step in self._steps:
            data = step.feed(data)
        return data

    def flush(self) -> bytes:
        data = b""
        for step in self._steps:
            data = (step.feed(data) if data else b"") + step.flush()
        return data


class _Inflate:
    def __init__(self, coding: str) -> None:
        self._raw_retry = coding == "deflate"  # zlib-wrapped first, then raw deflate
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        retry, self._raw_retry = self._raw_retry, False
        try:
            return self._zlib.decompress(data)
        except zlib.error:
            if not retry:
                raise
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            return self.feed(data)

    def flush(self) -> bytes:
        return self._zlib.flush()


def decoder(header: str) -> Decoder:
    """The decoder for a ``Content-Encoding`` value (``"gzip"``, ``"gzip, deflate"``, ``""``)."""
    codings = [c.strip().lower() for c in header.split(",")]
    return Decoder([c for c in codings if c in ("gzip", "deflate")])

"""The last ``/index`` answer and its ``ETag``, kept for a conditional ``GET /index``.

With it an unchanged registry answers ``304 Not Modified`` and no body, and the
kept body is read instead. The ETag is the server's: a 304 vouches that the kept
body is exactly what a 200 would carry now, whoever asks. One file per registry
URL (the name is a hash of it: no credentials) under ``DRIFT_CACHE_DIR``, else
``$XDG_CACHE_HOME/drift``, else ``~/.cache/drift``. A cache that cannot be read
or written is simply not used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from drift.atomic import write_atomic
from drift.logs import debug

__all__ = ["IndexCache", "default_cache_dir"]

_MAX_ETAG = 1024


def default_cache_dir(env: Mapping[str, str]) -> Path:
    if env.get("DRIFT_CACHE_DIR"):
        return Path(env["DRIFT_CACHE_DIR"])
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / "drift"
    return Path.home() / ".cache" / "drift"


class IndexCache:
    """``<folder>/index-<hash of the registry URL>``: the ETag line, then the body."""

    def __init__(self, folder: Path, location: str) -> None:
        digest = hashlib.sha256(location.encode()).hexdigest()[:32]
        self.path = Path(folder) / f"index-{digest}"

    def load(self) -> tuple[str, bytes] | None:
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        etag, sep, body = data.partition(b"\n")
        if not sep or not etag or len(etag) > _MAX_ETAG:
            return None
        try:
            return etag.decode("ascii"), body
        except UnicodeDecodeError:
            return None

    def save(self, etag: str, body: bytes) -> None:
        if not etag or len(etag) > _MAX_ETAG or not etag.isascii() or "\n" in etag:
            return
        try:
            write_atomic(self.path, etag.encode("ascii") + b"\n" + body)
        except OSError as exc:
            debug("drift.registry", "index cache %s not written: %s", self.path, exc)

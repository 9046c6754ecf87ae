"""A registry on disk, laid out like the registry snapshot Core publishes.

Layout::

    index.json                          the ``/index`` body
    <track>/<name>.json                 the schema content (``sha256`` = digest of these bytes)

A directory has no history, so ``versions()`` answers one entry from the index.
Small extension so history can be exercised offline (absent from the snapshot):

    <track>/<name>.versions.json        ``[{"core_version", "sha256", "created_at",
                                        "deprecated"}]``, oldest first; ``versions()``
                                        returns it when present
    <track>/<name>@<core_version>.json  the content of a past version,
                                        answered by ``fetch(..., version=...)``

Names, tracks and versions are validated before they become paths, and every
path is checked to stay inside the root. File bytes are cached keyed by their
``stat`` (files changed within the last second are re-read every time), so a
long-running server sees edits without a restart.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from drift import depth
from drift.errors import RegistryError, RegistryProtocolError, RegistryUnavailable, SchemaNotFound
from drift.logs import logger
from drift.model import IndexEntry, RegistryIndex, RegistrySchema, SchemaVersion
from drift.sources.base import Closeable, FetchResult
from drift.sources.wire import (
    check_name,
    check_track,
    check_version,
    parse_index,
    parse_versions,
)

__all__ = ["DirectorySource"]
log = logger("drift.registry")

_STABLE_AFTER = 1.0  # seconds; younger files may change again within one mtime tick


@dataclass(frozen=True)
class _Cached:
    key: tuple[int, int, int, int]
    stable: bool
    data: bytes


class DirectorySource(Closeable):
    """Reads a registry directory; implements :class:`~drift.sources.base.RegistrySource`."""

    def __init__(self, root: Path) -> None:
        self._root = Path(root)
        self._lock = threading.Lock()
        self._reads = 0
        self._files: dict[Path, _Cached] = {}
        self._parsed_index: tuple[bytes, RegistryIndex] | None = None
        self._real_root: Path | None = None

    def __repr__(self) -> str:
        return f"DirectorySource({str(self._root)!r})"

    @property
    def location(self) -> str:
        return str(self._root)

    @property
    def root(self) -> Path:
        return self._root

    @property
    def requests_made(self) -> int:
        with self._lock:
            return self._reads

    def reload(self) -> None:
        """Forget every cached file and the parsed index."""
        with self._lock:
            self._files.clear()
            self._parsed_index = None
            self._real_root = None

    def index(self) -> RegistryIndex:
        return self._index()[1]

    def index_bytes(self) -> bytes:
        """The exact bytes of ``index.json``, after checking they parse as an index."""
        return self._index()[0]

    def fetch(self, track: str, name: str, version: str | None = None) -> RegistrySchema:
        where = self.location
        track = check_track(track, where=where)
        name = check_name(name, where=where)
        entry = self.index().track(track).get(name)
        if version is not None:
            version = check_version(version, where=where)
            past_path = self._root / track / f"{name}@{version}.json"
            past = self._read(past_path)
            if past is not None:
                return self._schema(track, name, past_path, past, version, deprecated=False)
        path = self._root / track / f"{name}.json"
        data = self._read(path)
        if data is None:
            raise SchemaNotFound(f"{where}: schema {track}/{name} not found")
        core_version = entry.core_version if entry is not None else None
        deprecated = entry is not None and entry.deprecated
        schema = self._schema(track, name, path, data, core_version, deprecated=deprecated)
        if version is not None and version != schema.core_version:
            raise SchemaNotFound(f"{where}: schema {track}/{name} has no version {version}")
        return schema

    def fetch_many(self, track: str, names: Iterable[str]) -> FetchResult:
        results: dict[str, RegistrySchema | RegistryError] = {}
        for name in names:
            try:
                results[name] = self.fetch(track, name)
            except RegistryError as exc:
                results[name] = exc
        return results

    def versions(self, track: str, name: str) -> list[SchemaVersion]:
        where = self.location
        track = check_track(track, where=where)
        name = check_name(name, where=where)
        path = self._root / track / f"{name}.versions.json"
        data = self._read(path)
        if data is not None:
            return parse_versions(self._json(path, data), str(path))
        index = self.index()
        entry = index.track(track).get(name)
        if entry is not None:
            return [
                SchemaVersion(
                    entry.core_version, entry.sha256, index.generated_at, entry.deprecated
                )
            ]
        schema = self.fetch(track, name)
        return [
            SchemaVersion(schema.core_version, schema.sha256, index.generated_at, schema.deprecated)
        ]

    def close(self) -> None:
        self.reload()

    # -- internals -------------------------------------------------------------

    def _index(self) -> tuple[bytes, RegistryIndex]:
        path = self._root / "index.json"
        data = self._read(path)
        if data is None:
            raise RegistryUnavailable(f"{path}: registry index not found", kind="error")
        with self._lock:
            cached = self._parsed_index
        if cached is not None and cached[0] is data:
            return cached
        parsed = (data, self._verified(parse_index(self._json(path, data), str(path))))
        with self._lock:
            self._parsed_index = parsed
        return parsed

    def _verified(self, index: RegistryIndex) -> RegistryIndex:
        """``index`` with each ``sha256`` checked against its file: the content is judged.

        An entry whose file's digest differs (a schema edited without updating
        ``index.json``) gets the file's digest, so it is fetched and compared,
        and the inconsistency is logged.
        """
        tracks: dict[str, dict[str, IndexEntry]] = {}
        for track, entries in index.tracks.items():
            tracks[track] = dict(entries)
            for name, entry in entries.items():
                try:
                    path = self._root / check_track(track) / f"{check_name(name)}.json"
                except RegistryError:
                    continue  # refused when fetched
                data = self._read(path, count=False)  # a check, not a request
                digest = hashlib.sha256(data).hexdigest() if data is not None else entry.sha256
                if digest != entry.sha256:
                    log.warning(
                        "%s: content sha256 %s differs from index.json's %s; judging the content",
                        path,
                        digest[:12],
                        entry.sha256[:12],
                    )
                    tracks[track][name] = replace(entry, sha256=digest)
        return replace(index, tracks=tracks)

    @classmethod
    def _schema(
        cls,
        track: str,
        name: str,
        path: Path,
        data: bytes,
        core_version: str | None,
        *,
        deprecated: bool,
    ) -> RegistrySchema:
        content = cls._json(path, data)
        if not isinstance(content, dict):
            raise RegistryProtocolError(
                f"{path}: schema content must be a JSON object", kind="invalid_body"
            )
        if core_version is None:
            meta = content.get("$core_version")
            core_version = meta if isinstance(meta, str) and meta else "unknown"
        flag = content.get("x-deprecated")
        return RegistrySchema(
            name=name,
            track=track,
            core_version=core_version,
            sha256=hashlib.sha256(data).hexdigest(),
            content=content,
            deprecated=deprecated or bool(flag),
            deprecation_note=flag if isinstance(flag, str) else None,
        )

    @staticmethod
    def _json(path: Path, data: bytes) -> Any:
        try:
            return depth.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise RegistryProtocolError(
                f"{path}: not valid JSON: {exc}", kind="invalid_body"
            ) from None

    def _read(self, path: Path, *, count: bool = True) -> bytes | None:
        """The file's bytes, or None if it does not exist; counts one read (``count``)."""
        with self._lock:
            self._reads += count
        try:
            st = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            raise _unreadable(path, exc) from None
        if not stat.S_ISREG(st.st_mode):
            return None
        key = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
        with self._lock:
            hit = self._files.get(path)
        if hit is not None and hit.stable and hit.key == key:
            return hit.data
        self._check_inside(path)
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            raise _unreadable(path, exc) from None
        stable = time.time() - st.st_mtime > _STABLE_AFTER
        with self._lock:
            self._files[path] = _Cached(key, stable, data)
        return data

    def _check_inside(self, path: Path) -> None:
        """Refuse a path that resolves (e.g. through a symlink) outside the root."""
        if self._real_root is None:
            self._real_root = self._root.resolve()
        if not path.resolve().is_relative_to(self._real_root):
            raise RegistryProtocolError(
                f"{path}: resolves outside the registry directory", kind="invalid_body"
            )


def _unreadable(path: Path, exc: OSError) -> RegistryUnavailable:
    return RegistryUnavailable(f"{path}: cannot read: {exc.strerror}", kind="error")

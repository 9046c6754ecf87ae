"""The lock file (``fixtures/lock.toml``): what each fixture was synced from. Pure: no I/O.

Layout (``lock_version`` 1)::

    [lock]
    lock_version = 1
    registry = "https://registry.example.com"   # no credentials
    tool_version = "0.1.0"

    [tracks.v1."models.Quote"]
    sha256 = "…"              # canonical hash of the content
    structural_sha256 = "…"   # canonical hash without annotations
    file_sha256 = "…"         # SHA-256 of the fixture file's bytes (fast unchanged check)
    registry_sha256 = "…"     # the registry's opaque tag
    core_version = "1.2.8"
    fetched_at = "2026-11-26T12:00:00Z"

:func:`dump_lock` writes tracks and schemas sorted and fields in this order,
so diffs stay readable and ``dump_lock(parse_lock(text)) == text`` for any
text it wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import field, replace
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from drift.durations import parse_utc
from drift.errors import LockError, UnsafeNameError
from drift.lockread import read_written
from drift.model import TRACKS
from drift.names import validate_name
from drift.records import record

__all__ = [
    "LOCK_VERSION",
    "Lock",
    "LockEntry",
    "cache_age",
    "dump_lock",
    "empty_lock",
    "parse_lock",
]

LOCK_VERSION = 1
_HASH = re.compile(r"^[0-9a-f]{64}$")
_HASH_FIELDS = ("sha256", "structural_sha256", "registry_sha256")
_ENTRY_FIELDS = (*_HASH_FIELDS, "core_version", "fetched_at")
_OPTIONAL_HASHES = ("file_sha256",)
#: :class:`LockEntry`'s fields in declaration order (the order of lockread's values).
_ALL_ENTRY_FIELDS = (*_ENTRY_FIELDS, *_OPTIONAL_HASHES)
#: Field order in the file.
_WRITE_ORDER = (
    "sha256",
    "structural_sha256",
    "file_sha256",
    "registry_sha256",
    "core_version",
    "fetched_at",
)
_HEADER_FIELDS = ("lock_version", "registry", "tool_version")


@record(frozen=True)
class LockEntry:
    """One schema as last synced."""

    sha256: str
    """Canonical hash of the fixture content."""
    structural_sha256: str
    registry_sha256: str
    """The registry's own digest: an opaque version tag."""
    core_version: str
    fetched_at: str
    """ISO-8601 UTC, e.g. ``2026-11-26T12:00:00Z``."""
    file_sha256: str = ""
    """SHA-256 of the fixture file's bytes as the sync wrote them: a check whose
    fixture still has these bytes skips parsing and hashing it (optional)."""


@record(frozen=True)
class Lock:
    """The whole lock: header fields and ``entries[track][name]``."""

    registry: str
    tool_version: str
    lock_version: int = LOCK_VERSION
    entries: Mapping[str, Mapping[str, LockEntry]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        frozen = {
            track: MappingProxyType(dict(sorted(names.items())))
            for track, names in sorted(self.entries.items())
            if names
        }
        object.__setattr__(self, "entries", MappingProxyType(frozen))

    def entry(self, track: str, name: str) -> LockEntry | None:
        return self.entries.get(track, {}).get(name)

    def with_entries(self, track: str, updates: Mapping[str, LockEntry | None]) -> Lock:
        """A new lock with ``updates`` applied to ``track`` (``None`` removes a name)."""
        if track not in TRACKS:
            raise LockError(f"{track!r} is not a track ({', '.join(TRACKS)})")
        names = dict(self.entries.get(track, {}))
        for name, entry in updates.items():
            validate_name(name, where=f"lock [tracks.{track}]")
            if entry is None:
                names.pop(name, None)
            else:
                names[name] = entry
        return replace(self, entries={**self.entries, track: names})

    def oldest_fetch(self, track: str) -> str | None:
        """The earliest ``fetched_at`` of ``track``, or ``None`` if it has no entries."""
        stamps = [entry.fetched_at for entry in self.entries.get(track, {}).values()]
        return min(stamps, key=parse_utc) if stamps else None


def empty_lock(registry: str, tool_version: str) -> Lock:
    return Lock(registry=registry, tool_version=tool_version)


def cache_age(lock: Lock, track: str, now: datetime | float) -> float | None:
    """Seconds since the oldest ``fetched_at`` of ``track`` (``now``: aware datetime or epoch)."""
    oldest = lock.oldest_fetch(track)
    if oldest is None:
        return None
    if isinstance(now, datetime):
        moment = now if now.tzinfo is not None else now.replace(tzinfo=timezone.utc)
        epoch = moment.timestamp()
    else:
        epoch = float(now)
    return epoch - parse_utc(oldest).timestamp()


def parse_lock(text: str, *, source: str = "fixtures/lock.toml") -> Lock:
    """Parse lock text; :class:`LockError` names the file, the table and the field.

    Text in the shape :func:`dump_lock` writes takes :mod:`drift.lockread` (fast);
    anything else ``tomllib``, with the same result or the exact error.
    """
    written = read_written(text, lambda registry: _check_registry(registry, source))
    if written is None or written[0] != LOCK_VERSION:
        return parse_lock_toml(text, source=source)
    version, registry, tool_version, tracks = written
    entries = {
        track: {name: _new_entry(*fields) for name, fields in names.items()}
        for track, names in tracks.items()
    }
    return Lock(registry, tool_version, version, entries)


def _new_entry(*values: str) -> LockEntry:
    """A :class:`LockEntry` of values :mod:`drift.lockread` has validated, in field order,
    without the frozen dataclass's per-field ``__setattr__`` (a third of reading a
    10,000-entry lock)."""
    entry = object.__new__(LockEntry)
    entry.__dict__.update(zip(_ALL_ENTRY_FIELDS, values, strict=True))
    return entry


def parse_lock_toml(text: str, *, source: str = "fixtures/lock.toml") -> Lock:
    """:func:`parse_lock` through ``tomllib``: any TOML, every check (the reference reader)."""
    from drift import tomlread as tomllib  # a lock drift did not write, or a bad one

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LockError(f"{source}: invalid TOML: {exc}") from None
    _no_unknown(document, ("lock", "tracks"), source, "top level", what="table")
    header = _table(document, "lock", source, "[lock]", required=True)
    _no_unknown(header, _HEADER_FIELDS, source, "[lock]")
    version = _field(header, "lock_version", int, source, "[lock]")
    if version != LOCK_VERSION:
        raise LockError(
            f"{source} [lock] lock_version: unknown lock_version {version!r} "
            f"(this drift reads {LOCK_VERSION}; upgrade drift or re-run sync-fixtures)"
        )
    registry = _field(header, "registry", str, source, "[lock]")
    _check_registry(registry, source)
    entries: dict[str, dict[str, LockEntry]] = {}
    tracks = _table(document, "tracks", source, "[tracks]", required=False)
    for track, names in tracks.items():
        if track not in TRACKS:
            raise LockError(f"{source} [tracks]: unknown track {track!r} ({', '.join(TRACKS)})")
        if not isinstance(names, dict):
            raise LockError(f"{source} [tracks.{track}]: must be a table")
        entries[track] = {name: _entry(name, raw, source, track) for name, raw in names.items()}
    return Lock(
        registry=registry,
        tool_version=_field(header, "tool_version", str, source, "[lock]"),
        lock_version=version,
        entries=entries,
    )


def dump_lock(lock: Lock) -> str:
    """Serialise ``lock`` in the stable order; :class:`LockError` if it would not parse back."""
    document: dict[str, Any] = {
        "lock": {
            "lock_version": lock.lock_version,
            "registry": lock.registry,
            "tool_version": lock.tool_version,
        }
    }
    tracks = {
        track: {
            name: {
                key: getattr(entry, key)
                for key in _WRITE_ORDER
                if key not in _OPTIONAL_HASHES or getattr(entry, key)
            }
            for name, entry in sorted(names.items())
        }
        for track, names in sorted(lock.entries.items())
        if names
    }
    if tracks:
        document["tracks"] = tracks
    import tomli_w

    text = tomli_w.dumps(document)
    parse_lock(text, source="lock being written")
    return text


def _entry(name: str, raw: object, source: str, track: str) -> LockEntry:
    try:
        validate_name(name, where=f"{source} [tracks.{track}]")
    except UnsafeNameError as exc:
        raise LockError(str(exc)) from None
    where = f'[tracks.{track}."{name}"]'
    if not isinstance(raw, dict):
        raise LockError(f"{source} {where}: must be a table")
    _no_unknown(raw, _ALL_ENTRY_FIELDS, source, where)
    values = {key: _field(raw, key, str, source, where) for key in _ENTRY_FIELDS}
    values.update(
        {key: _field(raw, key, str, source, where) for key in _OPTIONAL_HASHES if key in raw}
    )
    for key in (*_HASH_FIELDS, *(k for k in _OPTIONAL_HASHES if k in values)):
        if not _HASH.match(values[key]):
            raise LockError(
                f"{source} {where} {key}: {values[key]!r} is not a SHA-256 "
                "(64 lowercase hex digits); was the lock edited by hand? re-run sync-fixtures"
            )
    try:
        parse_utc(values["fetched_at"])
    except ValueError as exc:
        raise LockError(f"{source} {where} fetched_at: {exc}") from None
    return LockEntry(**values)


def _table(
    document: Mapping[str, Any], key: str, source: str, where: str, *, required: bool
) -> dict[str, Any]:
    if key not in document:
        if required:
            raise LockError(f"{source}: missing table {where}")
        return {}
    value = document[key]
    if not isinstance(value, dict):
        raise LockError(f"{source} {where}: must be a table")
    return value


def _field(table: Mapping[str, Any], key: str, kind: type[Any], source: str, where: str) -> Any:
    if key not in table:
        raise LockError(f"{source} {where}: missing field {key!r}")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise LockError(
            f"{source} {where} {key}: expected {kind.__name__}, got {type(value).__name__}"
        )
    return value


def _no_unknown(
    table: Mapping[str, Any], known: tuple[str, ...], source: str, where: str, what: str = "field"
) -> None:
    for key in table:
        if key not in known:
            raise LockError(f"{source} {where}: unknown {what} {key!r}")


def _check_registry(registry: str, source: str) -> None:
    parts = urlsplit(registry)
    if parts.scheme in ("http", "https") and (parts.username or parts.password):
        raise LockError(f"{source} [lock] registry: must not contain credentials")

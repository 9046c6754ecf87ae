"""The registry API's JSON shapes, parsed strictly into :mod:`drift.model` records.

Shared by every source: ``where`` (a file path or URL, never a credential) and
the offending field are named in each :class:`RegistryProtocolError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from drift.errors import RegistryProtocolError, UnsafeNameError, UnsafeSchemaName
from drift.model import IndexEntry, RegistryIndex, RegistrySchema, SchemaVersion
from drift.names import normalize_name, validate_name

__all__ = [
    "check_name",
    "check_track",
    "check_version",
    "parse_index",
    "parse_schema",
    "parse_versions",
    "track_order",
]

_TRACK = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_VERSION = re.compile(r"^[A-Za-z0-9_+-][A-Za-z0-9_.+-]{0,63}$")


def check_name(name: object, *, where: str = "registry") -> str:
    """Normalize (``.schema`` suffix) and validate a schema name."""
    if not isinstance(name, str):
        raise UnsafeSchemaName(f"{where}: schema name must be a string")
    try:
        return validate_name(normalize_name(name), where=where)
    except UnsafeNameError as exc:
        raise UnsafeSchemaName(str(exc)) from None


def check_track(track: object, *, where: str = "registry") -> str:
    """Validate a track id (``v1``): letters, digits, ``_`` and ``-`` only."""
    if not isinstance(track, str) or not _TRACK.match(track):
        raise UnsafeSchemaName(f"{where}: unsafe track {track!r}")
    return track


def check_version(version: object, *, where: str = "registry") -> str:
    """Validate a core version string (``1.2.8``) before it becomes part of a path."""
    if not isinstance(version, str) or ".." in version or not _VERSION.match(version):
        raise UnsafeSchemaName(f"{where}: unsafe version {version!r}")
    return version


def track_order(track: str) -> tuple[int, str]:
    """Sort key: ``v10`` after ``v2``; non-numeric tracks by name."""
    digits = track[1:] if track[:1] in ("v", "V") else ""
    return (int(digits) if digits.isdigit() else -1, track)


def _bad(where: str, field: str, problem: str) -> RegistryProtocolError:
    return RegistryProtocolError(f"{where}: field {field!r} {problem}", kind="invalid_body")


def _obj(value: Any, where: str, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _bad(where, field, f"must be an object, got {type(value).__name__}")
    return value


def _str(doc: Mapping[str, Any], key: str, where: str, field: str) -> str:
    if key not in doc:
        raise _bad(where, field, "is missing")
    value = doc[key]
    if not isinstance(value, str) or not value:
        raise _bad(where, field, "must be a non-empty string")
    return value


def _bool(doc: Mapping[str, Any], key: str, where: str, field: str) -> bool:
    value = doc.get(key, False)
    if not isinstance(value, bool):
        raise _bad(where, field, "must be a boolean")
    return value


def parse_index(doc: Any, where: str) -> RegistryIndex:
    """The ``/index`` body (or ``index.json``)."""
    top = _obj(doc, where, "(top level)")
    generated_at = _str(top, "generated_at", where, "generated_at")
    tracks_doc = _obj(top.get("tracks"), where, "tracks")
    tracks: dict[str, dict[str, IndexEntry]] = {}
    for track, body in tracks_doc.items():
        prefix = f"tracks.{track}"
        if not isinstance(track, str) or not _TRACK.match(track):
            raise _bad(where, prefix, "is not a valid track id")
        body = _obj(body, where, prefix)
        items = body.get("schemas")
        if not isinstance(items, list):
            raise _bad(where, f"{prefix}.schemas", "must be a list")
        count = body.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count != len(items):
            raise _bad(where, f"{prefix}.count", f"must be the number of schemas ({len(items)})")
        entries: dict[str, IndexEntry] = {}
        for i, item in enumerate(items):
            field = f"{prefix}.schemas[{i}]"
            item = _obj(item, where, field)
            raw = _str(item, "name", where, f"{field}.name")
            try:
                name = check_name(raw, where=where)
            except UnsafeSchemaName:
                raise _bad(where, f"{field}.name", f"is not a safe schema name: {raw!r}") from None
            if name in entries:
                raise _bad(where, f"{field}.name", f"repeats {name!r}")
            entries[name] = IndexEntry(
                name=name,
                sha256=_str(item, "sha256", where, f"{field}.sha256"),
                core_version=_str(
                    item, "latest_core_version", where, f"{field}.latest_core_version"
                ),
                deprecated=_bool(item, "deprecated", where, f"{field}.deprecated"),
            )
        tracks[track] = entries
    return RegistryIndex(generated_at=generated_at, tracks=tracks)


def parse_schema(doc: Any, where: str, *, track: str, name: str) -> RegistrySchema:
    """A ``/schemas/{track}/{name}`` body; it must be the schema that was asked for."""
    top = _obj(doc, where, "(top level)")
    got_name = normalize_name(_str(top, "name", where, "name"))
    got_track = _str(top, "track", where, "track")
    if (got_track, got_name) != (track, name):
        raise _bad(where, "name", f"is {got_track}/{got_name}, expected {track}/{name}")
    note = top.get("deprecation_note")
    if note is not None and not isinstance(note, str):
        raise _bad(where, "deprecation_note", "must be a string or null")
    return RegistrySchema(
        name=name,
        track=track,
        core_version=_str(top, "core_version", where, "core_version"),
        sha256=_str(top, "sha256", where, "sha256"),
        content=dict(_obj(top.get("content"), where, "content")),
        deprecated=_bool(top, "deprecated", where, "deprecated"),
        deprecation_note=note,
    )


def parse_versions(doc: Any, where: str) -> list[SchemaVersion]:
    """A ``/schemas/{track}/{name}/versions`` body: a list, oldest first."""
    if not isinstance(doc, list):
        raise _bad(where, "(top level)", f"must be a list, got {type(doc).__name__}")
    out: list[SchemaVersion] = []
    for i, item in enumerate(doc):
        field = f"[{i}]"
        item = _obj(item, where, field)
        known = {"core_version", "sha256", "created_at", "deprecated"}
        out.append(
            SchemaVersion(
                core_version=_str(item, "core_version", where, f"{field}.core_version"),
                sha256=_str(item, "sha256", where, f"{field}.sha256"),
                created_at=_str(item, "created_at", where, f"{field}.created_at"),
                deprecated=_bool(item, "deprecated", where, f"{field}.deprecated"),
                extra={k: v for k, v in item.items() if k not in known},
            )
        )
    return out

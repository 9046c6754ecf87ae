"""Plain data shared by every layer: tracks, modes, statuses, registry records.

Everything here is immutable and free of I/O, so the pure core (hashing, the
engine, the lock format, reports) can be tested without disk or network.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import field
from typing import Any, Literal

from drift.records import record

__all__ = [
    "COMPAT_POLICIES",
    "DEFAULT_ANNOTATION_KEYS",
    "FAIL_ON",
    "MODES",
    "ROLES",
    "TRACKS",
    "CompatPolicy",
    "FailOn",
    "IndexEntry",
    "Mode",
    "RegistryIndex",
    "RegistrySchema",
    "Role",
    "SchemaVersion",
    "Status",
    "Track",
]

Track = Literal["v1", "v2"]
TRACKS: tuple[Track, ...] = ("v1", "v2")

Mode = Literal["warn", "strict"]
MODES: tuple[Mode, ...] = ("warn", "strict")

#: Keys that never change what a schema accepts (``[tool.drift] annotation_keys`` default).
DEFAULT_ANNOTATION_KEYS: frozenset[str] = frozenset(
    {"title", "description", "examples", "$comment", "$core_version", "$track"}
)

#: What a ``strict`` track fails on (see :mod:`drift.policy`), least to most.
FailOn = Literal["breaking", "drift", "any"]
FAIL_ON: tuple[FailOn, ...] = ("breaking", "drift", "any")

#: Which side of the wire a track's service is: decides which changes break it.
Role = Literal["producer", "consumer", "both"]
ROLES: tuple[Role, ...] = ("producer", "consumer", "both")

#: How open content models are judged (the names Confluent's registry uses): ``lenient``
#: lets a property added where the old schema allowed any property pass for producers.
CompatPolicy = Literal["strict", "lenient"]
COMPAT_POLICIES: tuple[CompatPolicy, ...] = ("strict", "lenient")


class Status(str, enum.Enum):
    """Where one schema stands, fixture vs lock vs registry."""

    SYNCED = "synced"
    """Fixture, lock and registry agree (canonically)."""
    ANNOTATIONS = "annotations"
    """Only annotation/metadata keywords differ (e.g. a new ``$core_version``)."""
    DRIFTED = "drifted"
    """The registry changed the schema's structure; the fixture did not follow."""
    LOCAL_EDIT = "local-edit"
    """The fixture no longer matches its lock while the registry did not move."""
    CONFLICT = "conflict"
    """Both the fixture (vs lock) and the registry moved."""
    MISSING_IN_REGISTRY = "missing-in-registry"
    """A fixture exists but the registry no longer lists the schema."""
    UNTRACKED = "untracked"
    """Selected in the registry, but there is no fixture."""
    DEPRECATED = "deprecated"
    """The registry marks the schema deprecated."""
    UNKNOWN = "unknown"
    """The registry could not answer (fail-open)."""
    INVALID = "invalid"
    """The local fixture is unreadable or not a JSON Schema."""

    def __str__(self) -> str:
        return self.value


@record(frozen=True)
class IndexEntry:
    """One schema as listed by the registry's ``/index``."""

    name: str
    sha256: str
    """The registry's own digest of its stored bytes: an opaque version tag."""
    core_version: str = ""
    deprecated: bool = False


@record(frozen=True)
class RegistryIndex:
    """The registry's ``/index``: per track, schema name -> entry."""

    generated_at: str
    tracks: Mapping[str, Mapping[str, IndexEntry]]

    def track(self, track: str) -> Mapping[str, IndexEntry]:
        return self.tracks.get(track, {})


@record(frozen=True)
class RegistrySchema:
    """One schema with its content, as ``/schemas/{track}/{name}`` returns it."""

    name: str
    track: str
    core_version: str
    """The Core release it belongs to (``1.2.8``); changes with every release."""
    sha256: str
    """The registry's digest of its stored bytes: an opaque version tag, not a hash of
    the content (the same schema spelt differently gets another)."""
    content: Any
    """The JSON Schema itself."""
    deprecated: bool = False
    deprecation_note: str | None = None


@record(frozen=True)
class SchemaVersion:
    """One entry of ``/schemas/{track}/{name}/versions``."""

    core_version: str
    sha256: str
    """The registry's version tag of that version (as :attr:`RegistrySchema.sha256`)."""
    created_at: str
    """When the registry stored it (ISO 8601, as the registry spells it)."""
    deprecated: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    """The entry's other fields, as the registry sent them."""

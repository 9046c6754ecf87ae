"""Plain data shared by every layer: tracks, modes, statuses, registry records.

Everything here is immutable and free of I/O, so the pure core (hashing, the
engine, the lock format, reports) can be tested without disk or network.
"""

from __future__ import annotations

import enum
from typing import Literal

from drift.lazy import lazy_attributes
from drift.records import record

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    from drift.registry_model import RegistryIndex, RegistrySchema, SchemaVersion

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


# The registry's records: the registry path's (an offline check creates none of them).
_HOMES = dict.fromkeys(("RegistryIndex", "RegistrySchema", "SchemaVersion"), "drift.registry_model")
__getattr__ = lazy_attributes(__name__, _HOMES, globals())

"""The registry's records (re-exported by :mod:`drift.model`, which imports this module
on first use of one of them: an offline check, which asks the registry nothing, never does)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from drift.model import IndexEntry
from drift.records import record

__all__ = ["RegistryIndex", "RegistrySchema", "SchemaVersion"]


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

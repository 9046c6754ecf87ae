"""``DRIFT_CRITICAL_SCHEMAS``: which schemas count as critical. Light: no Prometheus import,
so a check that exports nothing still refuses a bad value (exit 2) without paying for it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from drift.errors import ConfigError

__all__ = ["CriticalSchemas"]

_ENTRY = re.compile(r"^(?:(v\d+)/)?([A-Za-z0-9_][A-Za-z0-9_.\-]{0,199})$")


@dataclass(frozen=True)
class CriticalSchemas:
    """Which schemas are exported with ``critical="true"`` on ``schema_drift_active``.

    ``required`` marks every schema of a required track; ``names`` holds
    ``track/name`` or bare ``name`` (any track) entries.
    """

    names: frozenset[str] = frozenset()
    required: bool = True

    @classmethod
    def parse(
        cls, text: str | None, *, variable: str = "DRIFT_CRITICAL_SCHEMAS"
    ) -> CriticalSchemas:
        """``required`` (default), ``none``, or a comma list of entries (``required`` allowed)."""
        if text is None or not text.strip():
            return cls()
        items = [item.strip() for item in text.split(",") if item.strip()]
        required = "required" in items
        names = [item for item in items if item not in ("required", "none")]
        if "none" in items and (required or names):
            raise ConfigError(f"{variable}: 'none' cannot be combined with other entries")
        for name in names:
            if not _ENTRY.match(name) or ".." in name:
                raise ConfigError(f"{variable}: {name!r} is not 'track/schema' or 'schema'")
        return cls(frozenset(names), required)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CriticalSchemas:
        return cls.parse(env.get("DRIFT_CRITICAL_SCHEMAS"))

    def __call__(self, track: str, schema: str, track_required: bool) -> bool:
        if self.required and track_required:
            return True
        return schema in self.names or f"{track}/{schema}" in self.names

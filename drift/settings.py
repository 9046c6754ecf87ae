"""The resolved configuration: plain frozen data, built by :mod:`drift.config`."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from drift.durations import format_duration
from drift.errors import ConfigError
from drift.model import CompatPolicy, FailOn, Mode, Role
from drift.names import normalize_name
from drift.records import record
from drift.urls import file_url_path, registry_kind

__all__ = [
    "Settings",
    "TrackConfig",
    "resolve_mode",
]


@record(frozen=True)
class TrackConfig:
    """``[tool.drift.tracks.<track>]``."""

    name: str
    schemas: tuple[str, ...] = ("*",)
    """Schema names or ``fnmatch`` globs to check."""
    exclude: tuple[str, ...] = ()
    """Globs removed from :attr:`schemas`; exclusion wins."""
    required: bool = True
    """Whether this track's failures fail the build (v1 by default) or only warn (v2)."""
    role: Role = "producer"
    compat_policy: CompatPolicy = "strict"
    """``lenient``: a property added to an open object does not break producers."""
    max_stale: float | None = None
    """Seconds the lock may age before a cached answer counts as stale; ``None``: never."""
    enabled: bool = True

    def matches(self, name: str) -> bool:
        """Whether ``name`` is selected by :attr:`schemas` and not by :attr:`exclude`."""
        name = normalize_name(name)
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in self.exclude):
            return False
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.schemas)


@record(frozen=True)
class Settings:
    """Everything a workflow needs to know, resolved from flag > env > file > default.

    ``mode``/``mode_source`` hold only a *global* override (``flag`` or
    ``env``); the mode that applies to a track comes from :func:`resolve_mode`.
    """

    root: Path
    repo: str
    registry_url: str
    """http(s) URL, ``file://`` URL or absolute directory path; ``""`` when not configured."""
    registry_token: str | None = field(default=None, repr=False)
    registry_enabled: bool = True
    fixtures_dir: Path = Path("fixtures")
    tracks: Mapping[str, TrackConfig] = field(default_factory=dict)
    selected: tuple[str, ...] = ()
    mode: Mode | None = None
    mode_source: str | None = None
    config_mode: Mode | None = None
    fail_open: bool = True
    fail_on: FailOn = "drift"
    annotation_keys: frozenset[str] = frozenset()
    timeout: float = 10.0
    deadline: float = 60.0
    retries: int = 3
    concurrency: int = 16
    report_path: Path = Path("drift_report.json")
    schema_filter: tuple[str, ...] = ()
    """Names or globs from ``--schema``; ``()`` means no restriction."""
    require_all: bool = False
    """``--require-all``: every track's policy failures count, ``required = false`` or not."""
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Per setting, where its value came from: ``flag``, ``env``, ``file`` or ``default``."""

    def selects(self, track: str, name: str) -> bool:
        """Whether schema ``name`` of ``track`` is acted on.

        False when the track is not selected; otherwise the track's globs
        decide (exclude wins), restricted to :attr:`schema_filter` (names or
        globs from ``--schema``) when set.
        """
        if track not in self.selected or track not in self.tracks:
            return False
        name = normalize_name(name)
        if self.schema_filter and not any(
            fnmatch.fnmatchcase(name, pattern) for pattern in self.schema_filter
        ):
            return False
        return self.tracks[track].matches(name)

    def require_registry(self) -> str:
        """:attr:`registry_url`, or :class:`ConfigError` when no registry is configured."""
        if not self.registry_url:
            raise ConfigError(
                "no registry configured: set registry_url in [tool.drift], "
                "REGISTRY_URL or --registry-url"
            )
        return self.registry_url

    def registry_label(self) -> str:
        """The registry as reports and the lock name it: a directory inside the
        project relative to the root (stable across machines), else the URL."""
        url = self.registry_url
        kind = registry_kind(url)
        if kind == "http":
            return url
        path = file_url_path(url) if kind == "file" else Path(url)
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return url

    def redacted(self) -> dict[str, Any]:
        """JSON-ready settings for printing; the token is shown as ``"***"`` if set."""
        return {
            "root": str(self.root),
            "repo": self.repo,
            "registry_url": self.registry_url,
            "registry_token": "***" if self.registry_token else None,
            "registry_enabled": self.registry_enabled,
            "fixtures_dir": str(self.fixtures_dir),
            "selected": list(self.selected),
            "mode": self.mode,
            "mode_source": self.mode_source,
            "config_mode": self.config_mode,
            "fail_open": self.fail_open,
            "fail_on": self.fail_on,
            "annotation_keys": sorted(self.annotation_keys),
            "timeout": self.timeout,
            "deadline": self.deadline,
            "retries": self.retries,
            "concurrency": self.concurrency,
            "report_path": str(self.report_path),
            "schema_filter": list(self.schema_filter),
            "require_all": self.require_all,
            "tracks": {
                name: {
                    "schemas": list(cfg.schemas),
                    "exclude": list(cfg.exclude),
                    "required": cfg.required,
                    "role": cfg.role,
                    "compat_policy": cfg.compat_policy,
                    "max_stale": None if cfg.max_stale is None else format_duration(cfg.max_stale),
                    "enabled": cfg.enabled,
                }
                for name, cfg in sorted(self.tracks.items())
            },
            "sources": dict(sorted(self.sources.items())),
        }


def resolve_mode(
    settings: Settings, track: str, mode_file_modes: Mapping[str, Mode]
) -> tuple[Mode, str]:
    """The mode for ``track`` and where it came from.

    Precedence: flag > env ``REGISTRY_ENFORCEMENT`` > mode file (``set-mode``)
    > ``[tool.drift] mode`` > ``"warn"``. Sources: ``flag``, ``env``,
    ``mode-file``, ``config``, ``default``. ``mode_file_modes`` is what
    :meth:`drift.modes.ModeFile.read` returns (already parsed).
    """
    if settings.mode is not None:
        return settings.mode, settings.mode_source or "flag"
    file_mode = mode_file_modes.get(track)
    if file_mode is not None:
        return file_mode, "mode-file"
    if settings.config_mode is not None:
        return settings.config_mode, "config"
    return "warn", "default"

"""Registry sources: the HTTP API or a registry directory on disk.

:func:`open_source` picks one from a configured value.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from drift.errors import ConfigError
from drift.lazy import lazy_attributes
from drift.sources.base import FetchResult, RegistrySource
from drift.urls import file_url_path, redact_url, registry_kind

if TYPE_CHECKING:
    from drift.sources.directory import DirectorySource
    from drift.sources.http import RegistryClient, Timeouts

__all__ = [
    "DirectorySource",
    "FetchResult",
    "RegistryClient",
    "RegistrySource",
    "Timeouts",
    "open_source",
]


def open_source(
    url_or_path: str,
    *,
    base_dir: Path,
    token: str | None = None,
    **http_options: Any,
) -> RegistrySource:
    """``http(s)://`` -> :class:`RegistryClient`; ``file://`` or a path -> :class:`DirectorySource`.

    A relative path is taken relative to ``base_dir``. ``token`` and
    ``http_options`` (``RegistryClient`` keywords) only apply to HTTP; any other
    scheme is a :class:`ConfigError`.
    """
    value = url_or_path.strip()
    if not value:
        raise ConfigError("registry: empty registry URL or path")
    kind = registry_kind(value)
    if kind == "http":  # httpx is imported only for an HTTP registry
        from drift.sources.http import RegistryClient

        return RegistryClient(value, token=token, **http_options)
    from drift.sources.directory import DirectorySource

    if kind == "file":
        parts = urlsplit(value)
        if parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
            raise ConfigError(f"registry: unsupported file URL {redact_url(value)!r}")
        return DirectorySource(_under(base_dir, file_url_path(value)))
    if kind is None:
        raise ConfigError(
            f"registry: {redact_url(value)!r} is neither an http(s):// URL, "
            "a file:// URL nor a path"
        )
    return DirectorySource(_under(base_dir, Path(value)))


def _under(base_dir: Path, path: Path) -> Path:
    return path if path.is_absolute() else Path(base_dir) / path


_HOMES = {
    "DirectorySource": "drift.sources.directory",
    "RegistryClient": "drift.sources.http",
    "Timeouts": "drift.sources.http",
}


__getattr__ = lazy_attributes(__name__, _HOMES, globals())

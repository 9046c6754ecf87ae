"""Registry sources: the HTTP API or a registry directory on disk.

:func:`open_source` picks one from a configured value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from drift.errors import ConfigError
from drift.sources.base import FetchResult, RegistrySource
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
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return RegistryClient(value, token=token, **http_options)
    if scheme == "file":
        if parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
            raise ConfigError(f"registry: unsupported file URL {_shown(value)!r}")
        return DirectorySource(_under(base_dir, Path(url2pathname(unquote(parts.path)))))
    if scheme and not (len(scheme) == 1 and value[1:3] in (":\\", ":/")):
        raise ConfigError(
            f"registry: {_shown(value)!r} is neither an http(s):// URL, a file:// URL nor a path"
        )
    return DirectorySource(_under(base_dir, Path(value)))


def _under(base_dir: Path, path: Path) -> Path:
    return path if path.is_absolute() else Path(base_dir) / path


def _shown(value: str) -> str:
    """The value without any ``user:password@`` (a config value may carry one)."""
    parts = urlsplit(value)
    if "@" in parts.netloc:
        return value.replace(parts.netloc, parts.netloc.rpartition("@")[2], 1)
    return value

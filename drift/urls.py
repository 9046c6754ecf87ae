"""URLs: what kind of registry a configured value names, and how to show any URL safely.

Standard library only (the noxfile imports :mod:`drift.live`, which uses it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = ["RegistryKind", "file_url_path", "redact_url", "registry_kind"]

#: ``http``: the registry HTTP API; ``file``: a ``file:`` URL of a registry
#: directory; ``path``: a registry directory given as a path.
RegistryKind = Literal["http", "file", "path"]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def registry_kind(value: str) -> RegistryKind | None:
    """The kind of registry ``value`` names; ``None`` when it is none of them.

    ``None`` covers any other scheme (``ftp://``, ``s3://``) and a colon that
    is no scheme at all (``localhost:8080``, ``10.0.0.5:80/api``). A value
    without a colon is a path; so is ``C:\\dir`` on Windows.
    """
    text = value.strip()
    if os.name == "nt" and _DRIVE.match(text):
        return "path"
    match = _SCHEME.match(text)
    if match is None:
        return None if ":" in text else "path"
    scheme = match.group(1).lower()
    if scheme in ("http", "https"):
        return "http"
    if scheme == "file":
        return "file"
    return None


def file_url_path(url: str) -> Path:
    """The local path a ``file:`` URL names (``%20`` decoded)."""
    from urllib.request import url2pathname  # heavy (http.client, email): file URLs only

    return Path(url2pathname(unquote(urlsplit(url.strip()).path)))


def redact_url(url: str) -> str:
    """``url`` without user name, password, query string or fragment: safe to print or log.

    A value that is not a URL (a path) comes back unchanged.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "<unparsable url>"
    if not parts.scheme and not parts.netloc:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if port is not None:
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))

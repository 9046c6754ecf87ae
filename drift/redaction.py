"""The one redaction boundary: no token or URL password leaves the process.

Every string that leaves drift passes :func:`redact` on its way out: the CLI's
stdout and stderr (:func:`guard_streams`), every log record
(:class:`RedactingFilter` on the handlers), and every report rendering (text,
Markdown, JUnit, JSON, the step summary). :func:`redact` removes

- every secret :func:`remember`-ed (the registry token, the password of a
  registry URL), in the forms the outputs encode it (plain, JSON-escaped,
  XML-escaped, percent-encoded), and
- the password of anything URL-shaped, ``scheme://user:password@`` and
  ``scheme:user:password@``, even of URLs too malformed to parse, so an
  error about a bad URL cannot echo its password.

Secrets are remembered process-wide (the settings loader does it as soon as
it has them); a secret shorter than 4 characters is only removed inside URLs.
"""

from __future__ import annotations

import io
import json
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

if TYPE_CHECKING:
    import logging

__all__ = [
    "MASK",
    "RedactingFilter",
    "RedactingStream",
    "guard_streams",
    "password_of",
    "redact",
    "redact_data",
    "redact_fields",
    "remember",
]

MASK = "***"
_MIN_SECRET = 4
#: scheme, optional //, user (no ``:``), ``:``, password, ``@``; each run stops at
#: whitespace, quotes and URL delimiters, so the scan is linear in practice.
_USERINFO = (
    r"(?i)\b([a-z][a-z0-9+.\-]{0,30}:(?://)?)([^\s/?#@:'\"<>\\]{0,256}):([^\s/?#@'\"<>\\]{0,1024})@"
)
"""Compiled (by re, cached there) only for a text with an ``@``: an offline check compiles none."""
_lock = threading.Lock()
_forms: set[str] = set()
_by_length: tuple[str, ...] = ()
"""``_forms``, longest first (the order :func:`redact` replaces them in)."""
_probes: frozenset[str] = frozenset()
"""Per secret, a part every one of its encodings contains (see :func:`may_carry_secret`)."""
_probe_search: Any = None
"""A search for any of ``_probes`` (``None`` while there are none)."""
_T = TypeVar("_T")


def remember(*secrets: str | None) -> None:
    """Add secrets (``None`` and empty ones are ignored) to what :func:`redact` removes."""
    global _by_length, _probes, _probe_search
    with _lock:
        for secret in secrets:
            if secret and len(secret) >= _MIN_SECRET:
                _forms.update(_encodings(secret))
                _probes = _probes | {_probe(secret)}
        _by_length = tuple(sorted(_forms, key=len, reverse=True))
        if _probes:
            _probe_search = re.compile("|".join(map(re.escape, sorted(_probes)))).search


def _probe(secret: str) -> str:
    """The longest run of ASCII letters and digits in ``secret`` (no encoding above
    changes those; ``""``, found in any text, when it has none)."""
    return max(re.findall(r"[A-Za-z0-9]+", secret), key=len, default="")


def _encodings(secret: str) -> set[str]:
    import html  # only once there is a secret: a command without one imports neither
    from urllib.parse import quote

    return {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret, quote=True),
        html.escape(secret, quote=False),
        quote(secret, safe=""),
    }


def password_of(url: str | None) -> str | None:
    """The password in ``url``'s userinfo, if it has one (``None`` for unparsable URLs)."""
    if not url or "@" not in url:
        return None
    from urllib.parse import urlsplit

    try:
        return urlsplit(url.strip()).password
    except ValueError:
        return None


def redact(text: str) -> str:
    """``text`` with every remembered secret and every URL password replaced by ``***``."""
    for form in _by_length:
        if form in text:
            text = text.replace(form, MASK)
    if "@" in text:
        text = re.sub(_USERINFO, _mask_password, text)
    return text


def _mask_password(match: re.Match[str]) -> str:
    scheme, user, password = match.groups()
    return f"{scheme}{user}:{MASK}@" if password != MASK else match.group(0)


def redact_data(value: Any) -> Any:
    """A JSON-like value (dicts, lists, strings) with every string and key redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact(k) if isinstance(k, str) else k: redact_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_data(v) for v in value)
    return value


def may_carry_secret(text: str) -> bool:
    """Whether :func:`redact` could change ``text`` (a cheap test, never a miss).

    Every encoding of a remembered secret contains the secret's longest run of
    letters and digits (no encoding touches those), and a URL password needs ``@``.
    """
    return "@" in text or _probes_in(text)


def redact_fields(value: _T) -> _T:
    """``value`` with every string in it redacted: dataclass fields (frozen ones too),
    tuples, lists and dicts, recursively. Returns ``value`` itself where nothing needed
    it, so a report without secrets is neither copied nor rebuilt."""
    return cast(_T, _redacted(value))


def _redacted(value: Any) -> Any:
    kind = value.__class__
    if kind is str or isinstance(value, str):
        return _redacted_text(value)
    if value is None or kind in _SCALARS:
        return value
    if kind is tuple or kind is list or isinstance(value, (tuple, list)):
        items = [_redacted(item) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        if hasattr(value, "_fields"):  # a named tuple
            return kind(*items)
        return kind(items)
    if isinstance(value, dict):
        pairs = [(_redacted(k), _redacted(v)) for k, v in value.items()]
        if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(pairs, value.items(), strict=True)):
            return value
        return kind(pairs)
    names = _field_names(kind)
    if names is None:
        return value
    changed: dict[str, Any] = {}
    probe = _probe_search
    for name in names:  # the hot loop of a report of 10,000 schemas: may_carry_secret inline
        old = getattr(value, name)
        if old.__class__ is str:
            if "@" not in old and (probe is None or probe(old) is None):
                continue
            new = _redacted_text(old)
        elif old is None or old.__class__ in _SCALARS:
            continue
        else:
            new = _redacted(old)
        if new is not old:
            changed[name] = new
    if not changed:
        return value
    import dataclasses

    return dataclasses.replace(value, **changed)


_SCALARS = frozenset({int, float, bool})


def _probes_in(text: str) -> bool:
    return _probe_search is not None and _probe_search(text) is not None


def _redacted_text(text: str) -> str:
    if not may_carry_secret(text):
        return text
    clean = redact(text)
    return text if clean == text else clean


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The init fields of a dataclass, ``None`` for any other class (cached per class)."""
    if cls in _FIELDS:
        return _FIELDS[cls]
    import dataclasses  # only where a report is redacted (not on drift --help)

    names = None
    if dataclasses.is_dataclass(cls):
        names = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    _FIELDS[cls] = names
    return names


_FIELDS: dict[type, tuple[str, ...] | None] = {}


class RedactingFilter:
    """Redacts each record's final message (arguments included) on a handler.

    A filter object (:meth:`logging.Filterer.filter` takes any object with a ``filter``
    method), not a :class:`logging.Filter`: defining it imports no :mod:`logging`."""

    def filter(self, record: logging.LogRecord) -> bool:
        import logging

        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_text is None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class RedactingStream(io.TextIOBase):
    """A text stream that redacts every write before passing it to ``inner``."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(redact(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.inner.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", "utf-8")


@contextmanager
def guard_streams() -> Iterator[None]:
    """Redact ``sys.stdout``, ``sys.stderr`` and every root log handler for the block."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactingStream(out), RedactingStream(err)
    guard = RedactingFilter()
    imported = sys.modules.get("logging")  # not imported: no handler to guard yet
    handlers = list(imported.getLogger().handlers) if imported is not None else []
    for handler in handlers:
        handler.addFilter(guard)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
        for handler in handlers:
            handler.removeFilter(guard)

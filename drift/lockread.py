"""A fast reader for exactly the lock text :func:`drift.lockfile.dump_lock` writes. Pure.

``tomllib`` spends about 100 µs per lock entry; a lock of 10,000 schemas would
cost a second before a check starts. The text tomli-w writes for a lock is a
fixed shape (a ``[lock]`` header, then one ``[tracks.<track>.<name>]`` table per
schema, fields in a fixed order, plain hex digests and escape-free strings), so
one compiled pattern per table reads it, and validates what
:func:`~drift.lockfile.parse_lock` validates on the way (safe names, SHA-256
digests, UTC timestamps).

Anything else (a hand-edited lock with comments, another field order, escapes,
CRLF line ends, a duplicate table, an invalid value) makes :func:`read_written`
return ``None``, and the caller parses with ``tomllib`` and reports the exact
error. A property test holds the two readers equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from drift.durations import parse_utc
from drift.model import TRACKS

__all__ = ["Written", "read_written"]

#: (lock_version, registry, tool_version, {track: {name: entry fields}})
Written = tuple[int, str, str, dict[str, dict[str, tuple[str, str, str, str, str, str]]]]

_STR = r'"([^"\\\x00-\x1f\x7f]*)"'  # a TOML basic string that needed no escape
_HEX = r'"([0-9a-f]{64})"'
_HEADER = re.compile(
    r"\[lock\]\n"
    r"lock_version = (0|[1-9][0-9]*)\n"
    rf"registry = {_STR}\n"
    rf"tool_version = {_STR}\n"
)
_ENTRY = re.compile(
    rf"\n\[tracks\.({'|'.join(map(re.escape, TRACKS))})\."
    r'(?:"([A-Za-z0-9_][A-Za-z0-9_.\-]{0,199})"|([A-Za-z0-9_][A-Za-z0-9_\-]{0,199}))\]\n'
    rf"sha256 = {_HEX}\n"
    rf"structural_sha256 = {_HEX}\n"
    rf"(?:file_sha256 = {_HEX}\n)?"
    rf"registry_sha256 = {_HEX}\n"
    rf"core_version = {_STR}\n"
    r'fetched_at = "([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)"\n'
)


def read_written(text: str, check_registry: Callable[[str], None]) -> Written | None:
    """The lock's values if ``text`` is in the shape ``dump_lock`` writes, else ``None``.

    ``check_registry`` validates the header's registry (raising on a bad one).
    Entry fields come in :class:`~drift.lockfile.LockEntry` order: sha256,
    structural_sha256, registry_sha256, core_version, fetched_at, file_sha256
    (``""`` when absent).
    """
    header = _HEADER.match(text)
    if header is None:
        return None
    version, registry, tool_version = header.groups()
    check_registry(registry)
    body = header.end()
    matches = list(_ENTRY.finditer(text, body))
    if sum(m.end() - m.start() for m in matches) != len(text) - body:
        return None  # something between or after the tables: not ours
    tracks: dict[str, dict[str, tuple[str, str, str, str, str, str]]] = {}
    stamps: set[str] = set()
    for m in matches:
        track, quoted, bare, sha, structural, file_sha, registry_sha, core, stamp = m.groups()
        name = quoted or bare
        if ".." in name:
            return None
        stamps.add(stamp)
        names = tracks.get(track)
        if names is None:
            names = tracks[track] = {}
        names[name] = (sha, structural, registry_sha, core, stamp, file_sha or "")
    if len(matches) != sum(len(names) for names in tracks.values()):
        return None  # a table defined twice: tomllib says where
    for stamp in stamps:
        try:
            parse_utc(stamp)
        except ValueError:
            return None
    return int(version), registry, tool_version, tracks

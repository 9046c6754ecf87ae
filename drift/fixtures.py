"""The fixture store: ``<fixtures>/<track>/<name>.json`` plus ``lock.toml``. The I/O edge.

Reads validate names and content; :meth:`FixtureStore.apply` is the only
writer: it validates everything first, then hands the writes to
:func:`drift.transaction.replace_all` (file lock, all or nothing).
"""

from __future__ import annotations

import builtins
import errno
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift.errors import FixtureError, LockError, SyncError, UnsafeNameError
from drift.journal import recover
from drift.lockfile import Lock, dump_lock, parse_lock
from drift.model import TRACKS
from drift.names import safe_filename, validate_name
from drift.records import record

if TYPE_CHECKING:
    from drift.transaction import Write

__all__ = ["FixtureStore", "LocalFixture", "check_fixture", "fixture_bytes", "parse_fixture"]

LOCK_NAME = "lock.toml"


@record(frozen=True)
class LocalFixture:
    """One fixture file, parsed and hashed."""

    track: str
    name: str
    path: Path
    raw: bytes
    content: Any
    sha256: str
    """Canonical hash (:func:`drift.canonical.canonical_hash`)."""
    structural_sha256: str


def fixture_bytes(content: Any) -> bytes:
    """How a fixture is written: 2-space indent, sorted keys, UTF-8, trailing newline.

    Byte for byte the format of the registry's snapshot files.
    """
    return (json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def parse_fixture(data: bytes, where: str, *, check: bool = True) -> Any:
    """Parse fixture bytes as a JSON Schema; :class:`FixtureError` naming ``where``.

    ``check=False`` skips the metaschema check (the caller knows the content).
    """
    from drift.depth import loads  # here: a check whose lock vouches for every fixture parses none

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FixtureError(f"{where}: not UTF-8 (byte {exc.start})") from None
    try:
        content = loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise FixtureError(
            f"{where}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError as exc:
        raise FixtureError(f"{where}: invalid JSON: {exc}") from None
    if check:
        check_fixture(content, where)
    return content


def check_fixture(content: Any, where: str) -> None:
    """:class:`FixtureError` unless ``content`` is a valid JSON Schema (default Draft 2020-12)."""
    if not isinstance(content, (dict, bool)):
        raise FixtureError(
            f"{where}: not a JSON Schema (expected an object or a boolean, "
            f"got {type(content).__name__})"
        )
    from drift.depth import roomy
    from drift.metaschema import first_error

    try:
        error = roomy(lambda: first_error(content), content)
    except RecursionError:  # e.g. a pattern of 5,000 nested groups: re.compile recurses
        raise FixtureError(f"{where}: not a valid JSON Schema: nested too deep to check") from None
    if error is not None:
        raise FixtureError(f"{where}: not a valid JSON Schema {error}")


class FixtureStore:
    """The fixtures directory ``root``: one sub-directory per track, and ``lock.toml``."""

    def __init__(self, root: Path, *, annotation_keys: Iterable[str] | None = None) -> None:
        self.root = Path(root).absolute()
        self.annotation_keys = None if annotation_keys is None else frozenset(annotation_keys)
        #: Seconds :meth:`apply` waits for another sync's file lock.
        self.lock_timeout = 10.0
        #: Test hook: called with the index of each replace :meth:`apply` is about to do.
        self.before_replace: Callable[[int], None] | None = None
        self._root_real: str | None = None
        self._folders: dict[str, Path] = {}
        self._recovered = False

    @property
    def lock_path(self) -> Path:
        return self.root / LOCK_NAME

    def recover(self) -> None:
        """Finish or undo a sync killed mid-commit (:mod:`drift.journal`); once per store."""
        if not self._recovered:
            recover(self.root, lock_timeout=self.lock_timeout)
            self._recovered = True

    def read_lock(self) -> Lock | None:
        """The lock, ``None`` when there is none; :class:`LockError` when it is malformed."""
        self.recover()
        try:
            data = self.lock_path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LockError(f"{self.lock_path}: cannot read: {exc.strerror}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise LockError(f"{self.lock_path}: not UTF-8") from None
        return parse_lock(text, source=str(self.lock_path))

    def path(self, track: str, name: str) -> Path:
        """The fixture path of a validated ``name``, guaranteed inside :attr:`root`."""
        if track not in TRACKS:
            raise FixtureError(f"{track!r} is not a track ({', '.join(TRACKS)})")
        target = self.root / track / safe_filename(name)
        self.check_inside(target)
        return target

    def check_inside(self, target: Path) -> None:
        """:class:`UnsafeNameError` unless ``target`` resolves inside :attr:`root`."""
        root = self._real_root()
        resolved = os.path.realpath(target)
        if resolved != root and not resolved.startswith(root.rstrip(os.sep) + os.sep):
            raise UnsafeNameError(f"{target} resolves outside {root}")

    def _folder(self, track: str) -> Path:
        """``root/track``, checked once to resolve inside :attr:`root`."""
        folder = self._folders.get(track)
        if folder is None:
            if track not in TRACKS:
                raise FixtureError(f"{track!r} is not a track ({', '.join(TRACKS)})")
            folder = self.root / track
            if os.path.lexists(folder):
                self.check_inside(folder)
                self._folders[track] = folder
        return folder

    def _real_root(self) -> str:
        if self._root_real is None or not os.path.isdir(self._root_real):
            self._root_real = os.path.realpath(self.root)
        return self._root_real

    def list(self, track: str) -> builtins.list[str]:
        """Sorted names of the ``<track>/*.json`` fixtures; unsafe file names are errors."""
        if track not in TRACKS:
            raise FixtureError(f"{track!r} is not a track ({', '.join(TRACKS)})")
        self.recover()
        folder = self.root / track
        if not folder.is_dir():
            return []
        names: builtins.list[str] = []
        for entry in sorted(folder.glob("*.json")):
            try:
                names.append(validate_name(entry.name[: -len(".json")], where=str(entry)))
            except UnsafeNameError as exc:
                raise FixtureError(f"{entry}: not a valid fixture file name ({exc})") from None
        return names

    def scan(self, track: str) -> Iterator[tuple[str, bytes | FixtureError]]:
        """Each ``<track>/*.json`` fixture's bytes (or why not), sorted by name.

        The names and checks of :meth:`list` and :meth:`read` in one directory
        read: the folder is resolved once, and only a file that is a symlink is
        resolved again (a plain entry of a folder inside :attr:`root` is inside).
        """
        if track not in TRACKS:
            raise FixtureError(f"{track!r} is not a track ({', '.join(TRACKS)})")
        self.recover()
        folder = self.root / track
        if not folder.is_dir():
            return
        self.check_inside(folder)
        with os.scandir(folder) as listing:
            entries = sorted((e for e in listing if e.name.endswith(".json")), key=lambda e: e.name)
        for entry in entries:
            try:
                name = validate_name(entry.name[: -len(".json")], where=entry.path)
            except UnsafeNameError as exc:
                raise FixtureError(f"{entry.path}: not a valid fixture file name ({exc})") from None
            if entry.is_symlink():
                self.check_inside(Path(entry.path))
            try:
                with open(entry.path, "rb") as fh:
                    yield name, fh.read()
            except FileNotFoundError:
                yield name, FixtureError(f"{entry.path}: no such fixture")
            except OSError as exc:
                yield name, FixtureError(f"{entry.path}: cannot read: {exc.strerror}")

    def read(self, track: str, name: str) -> bytes:
        """The bytes of one fixture; :class:`FixtureError` naming the file.

        The track folder is resolved once per store; the file is opened without
        following a symlink (a plain entry of a folder inside :attr:`root` is
        inside), and only a symlink is resolved and checked.
        """
        self.recover()
        target = self._folder(track) / safe_filename(name)
        if _NOFOLLOW:
            try:
                fd = os.open(target, os.O_RDONLY | _NOFOLLOW)
            except OSError as exc:
                if exc.errno != errno.ELOOP:
                    raise _read_error(target, exc) from None
            else:
                with os.fdopen(fd, "rb") as fh:
                    return fh.read()
        self.check_inside(target)
        try:
            return target.read_bytes()
        except FileNotFoundError:
            raise FixtureError(f"{target}: no such fixture") from None
        except OSError as exc:
            raise FixtureError(f"{target}: cannot read: {exc.strerror}") from None

    def load(self, track: str, name: str, *, verified_sha256: str | None = None) -> LocalFixture:
        """One fixture parsed, checked against its metaschema and hashed.

        ``verified_sha256`` is the canonical hash of content already checked
        (the lock's, written only after a sync validated it): a fixture with
        that hash skips the metaschema check, the one costly step.
        """
        return self.parse(track, name, self.read(track, name), verified_sha256=verified_sha256)

    def parse(
        self, track: str, name: str, raw: bytes, *, verified_sha256: str | None = None
    ) -> LocalFixture:
        """:meth:`load` of bytes already read (by :meth:`read` or :meth:`scan`)."""
        from drift.canonical import canonical_hash, structural_hash  # here: see parse_fixture

        target = self._folder(track) / safe_filename(name)
        content = parse_fixture(raw, str(target), check=False)
        sha256 = canonical_hash(content)
        if verified_sha256 is None or sha256 != verified_sha256:
            check_fixture(content, str(target))
        return LocalFixture(
            track=track,
            name=name,
            path=target,
            raw=raw,
            content=content,
            sha256=sha256,
            structural_sha256=structural_hash(content, self.annotation_keys),
        )

    def apply(self, updates: Mapping[str, Mapping[str, bytes | None]], lock: Lock) -> None:
        """Write/remove fixtures (``None`` removes) and then the lock, atomically.

        Validates everything first; on any failure fixtures and lock are left
        byte-identical and :class:`~drift.errors.SyncError` is raised.
        Needs ``fcntl`` (POSIX): syncing is not supported on Windows.
        """
        from drift.canonical import canonical_hash
        from drift.transaction import replace_all

        writes: builtins.list[Write] = []
        for track, names in sorted(updates.items()):
            if track not in TRACKS:
                raise SyncError(f"{track!r} is not a track ({', '.join(TRACKS)})")
            for name, data in sorted(names.items()):
                target = self.path(track, name)
                entry = lock.entry(track, name)
                if data is None:
                    if entry is not None:
                        raise SyncError(f"{track}/{name}: removed, but still in the lock")
                    writes.append((target, None))
                    continue
                content = parse_fixture(data, f"{track}/{safe_filename(name)} (new content)")
                if entry is None or entry.sha256 != canonical_hash(content):
                    raise SyncError(f"{track}/{name}: the lock does not match the new content")
                writes.append((target, data))
        lock_text = dump_lock(lock).encode()
        self.check_inside(self.lock_path)
        writes.append((self.lock_path, lock_text))
        replace_all(
            self.root,
            writes,
            lock_timeout=self.lock_timeout,
            before_replace=self.before_replace,
        )


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _read_error(target: Path, exc: OSError) -> FixtureError:
    if isinstance(exc, FileNotFoundError):
        return FixtureError(f"{target}: no such fixture")
    return FixtureError(f"{target}: cannot read: {exc.strerror}")


def _unique_keys(pairs: builtins.list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")

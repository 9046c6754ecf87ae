"""The sync journal: what a commit in progress is doing, so a killed one can be finished or undone.

A commit (:mod:`drift.transaction`) first stages every new file and a backup of
every file it will touch inside ``<root>/.drift-sync-XXXX/``, all fsynced;
then it writes ``<root>/.drift-journal.json`` (atomically, fsynced) naming
that directory and every step. Only then does it move files. The journal's
``state`` is ``commit`` (finish it: roll forward) or ``rollback`` (undo it:
roll back); both are idempotent, so a recovery killed half way is simply run
again. The journal is removed last, after the staging directory.

:func:`recover` is what every later command runs first (the fixture store and
the contract loader call it): it replays a journal it finds, under the sync
file lock, and removes ``.drift-sync-*`` directories that no journal names
(left by a sync killed while staging).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from drift.errors import SyncError

__all__ = ["JOURNAL", "JOURNAL_TMP", "STAGING_PREFIX", "Journal", "Step", "recover", "replay"]

JOURNAL = ".drift-journal.json"
STAGING_PREFIX = ".drift-sync-"
JOURNAL_TMP = f"{JOURNAL}.tmp"
COMMIT = "commit"
ROLLBACK = "rollback"


@dataclass(frozen=True)
class Step:
    """One planned move: ``target`` (relative to the root) gets ``new`` (a staged file
    name, ``None`` to remove it); ``backup`` holds its old bytes (``None``: it did not exist)."""

    target: str
    new: str | None
    backup: str | None


@dataclass(frozen=True)
class Journal:
    """A commit in progress inside ``root``."""

    root: Path
    staging: str
    steps: tuple[Step, ...]
    made: tuple[str, ...] = ()
    """Directories (relative to the root) the commit creates: a rollback removes them."""

    @property
    def path(self) -> Path:
        return self.root / JOURNAL

    @property
    def folder(self) -> Path:
        return self.root / self.staging

    def write(self, state: str) -> None:
        """Record ``state`` durably (temp file, fsync, rename, fsync of the root)."""
        body = {
            "state": state,
            "staging": self.staging,
            "steps": [[s.target, s.new, s.backup] for s in self.steps],
            "made": list(self.made),
        }
        tmp = self.root / JOURNAL_TMP
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(body, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        fsync_dir(self.root)

    def finish(self) -> None:
        """Forget the commit: staging directory first, then the journal."""
        import shutil  # a writer's import: readers only run recover()

        shutil.rmtree(self.folder, ignore_errors=True)
        self.path.unlink(missing_ok=True)
        fsync_dir(self.root)

    def target(self, step: Step) -> Path:
        return self.root / step.target


def read_journal(root: Path) -> tuple[str, Journal] | None:
    """The journal in ``root`` and its state, ``None`` when there is none."""
    path = root / JOURNAL
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        state, staging = body["state"], body["staging"]
        steps = tuple(Step(*_step(raw)) for raw in body["steps"])
        made = tuple(str(m) for m in body["made"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SyncError(
            f"{path}: unreadable sync journal ({exc}); a killed sync could not be recovered. "
            "Restore the fixtures from version control and delete it"
        ) from None
    if state not in (COMMIT, ROLLBACK) or not _plain(staging, prefix=STAGING_PREFIX):
        raise SyncError(f"{path}: not a sync journal (state {state!r}, staging {staging!r})")
    for relative in [s.target for s in steps] + list(made):
        if not all(_plain(part) for part in relative.split("/")):
            raise SyncError(f"{path}: {relative!r} is outside {root}")
    return state, Journal(root, staging, steps, made)


def _step(raw: object) -> tuple[str, str | None, str | None]:
    if not isinstance(raw, list) or len(raw) != 3:
        raise TypeError(f"bad step {raw!r}")
    target, new, backup = raw
    if not isinstance(target, str) or not all(
        v is None or (isinstance(v, str) and _plain(v)) for v in (new, backup)
    ):
        raise TypeError(f"bad step {raw!r}")
    return target, new, backup


def _plain(name: object, *, prefix: str = "") -> bool:
    """A single path component (no separator, not ``.``/``..``), starting with ``prefix``."""
    return (
        isinstance(name, str)
        and name.startswith(prefix)
        and name not in ("", ".", "..")
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
    )


def replay(journal: Journal, state: str) -> None:
    """Finish (``commit``) or undo (``rollback``) ``journal``'s moves; idempotent."""
    if state == COMMIT:
        _forward(journal)
    else:
        _backward(journal)
    fsync_dirs({journal.target(step).parent for step in journal.steps})
    journal.finish()


def _forward(journal: Journal) -> None:
    for step in journal.steps:
        target = journal.target(step)
        if step.new is None:
            target.unlink(missing_ok=True)
            continue
        staged = journal.folder / step.new
        if staged.exists():  # not moved yet (moved ones are gone from the staging dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)


def _backward(journal: Journal) -> None:
    for step in reversed(journal.steps):
        target = journal.target(step)
        if step.backup is None:
            if step.new is not None:
                target.unlink(missing_ok=True)
            continue
        backup = journal.folder / step.backup
        if backup.exists():  # not restored yet
            os.replace(backup, target)
    for folder in sorted(journal.made, key=len, reverse=True):
        with contextlib.suppress(OSError):
            (journal.root / folder).rmdir()


def recover(root: Path, *, lock_timeout: float = 10.0) -> bool:
    """Replay a journal left in ``root`` by a killed sync; clean orphan staging dirs.

    Returns whether anything was recovered. Cheap when there is nothing to do.
    """
    try:
        names = os.listdir(root)
    except OSError:
        return False
    pending = JOURNAL in names
    # a journal write killed before its rename leaves only its temp file: no commit began
    orphans = [n for n in names if n.startswith(STAGING_PREFIX) or n == JOURNAL_TMP]
    if not pending and not orphans:
        return False
    import shutil

    from drift.transaction import LOCK_FILE, exclusive_lock

    try:
        # a journal must be replayed (wait for a live sync to finish); orphans can wait
        with exclusive_lock(root / LOCK_FILE, lock_timeout if pending else 0.0):
            found = read_journal(root)
            if found is not None:
                replay(found[1], found[0])
            for name in os.listdir(root):
                if name.startswith(STAGING_PREFIX):
                    shutil.rmtree(root / name, ignore_errors=True)
                elif name == JOURNAL_TMP:
                    (root / name).unlink(missing_ok=True)
    except (SyncError, OSError) as exc:
        if not pending:
            return False
        if isinstance(exc, SyncError):
            raise
        raise SyncError(f"{root}: cannot recover a killed sync: {exc}") from None
    return True


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dirs(folders: set[Path] | Sequence[Path]) -> None:
    for folder in sorted(set(folders)):
        if folder.is_dir():
            fsync_dir(folder)

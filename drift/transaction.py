"""Replace several files inside one directory as one all-or-nothing step, crash-safe.

:func:`replace_all` takes an exclusive ``flock`` on ``<root>/.drift.lock``
(waiting up to a bound), stages every new file and a backup (hard link) of
every file it will replace or remove in a temp directory inside ``root``
(same filesystem, fsynced), writes the journal (:mod:`drift.journal`), then
moves each file into place with ``os.replace`` in the given order.

- An exception half way: the journal turns to ``rollback``, every move is
  undone from the backups, the files are byte-identical to before, and
  :class:`~drift.errors.SyncError` is raised.
- ``SIGKILL`` or power loss at any point: the next drift command that reads
  the directory (:func:`drift.journal.recover`) finishes the commit (journal
  ``commit``) or undoes it (``rollback``); before the journal exists nothing
  was moved and only the orphan staging directory is removed.

POSIX only (``fcntl``); on Windows it raises :class:`SyncError`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from drift.errors import RollbackFailed, SyncError
from drift.journal import COMMIT, ROLLBACK, STAGING_PREFIX, Journal, Step, fsync_dir, fsync_dirs

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK_FILE", "exclusive_lock", "replace_all"]

LOCK_FILE = ".drift.lock"
_POLL = 0.05

#: One planned write: the target path and its new bytes, or ``None`` to remove it.
Write = tuple[Path, "bytes | None"]
#: ``on_step(name)`` at each durable step of a commit (a test hook for crash points).
StepHook = Callable[[str], None]


@contextlib.contextmanager
def exclusive_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path``; :class:`SyncError` after ``timeout`` seconds."""
    if fcntl is None:  # pragma: no cover - Windows
        raise SyncError("syncing fixtures needs fcntl (POSIX); Windows is not supported")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SyncError(
                        f"another sync is running ({path} is locked); nothing was changed"
                    ) from None
                time.sleep(_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def replace_all(
    root: Path,
    writes: Sequence[Write],
    *,
    lock_timeout: float = 10.0,
    before_replace: Callable[[int], None] | None = None,
    on_step: StepHook | None = None,
) -> None:
    """Apply ``writes`` in order, all or nothing (see the module docstring).

    ``before_replace(index)`` is called before the move of ``writes[index]``
    (raise from it to abort: everything is rolled back). Writes whose bytes
    equal the current file, and removals of absent files, are skipped.
    ``on_step`` is called after each durable step (tests kill the process there).
    """
    from drift.journal import recover

    step = on_step or _no_step
    root.mkdir(parents=True, exist_ok=True)
    recover(root, lock_timeout=lock_timeout)
    with exclusive_lock(root / LOCK_FILE, lock_timeout):
        tmp = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        step("staging")
        keep = False
        try:
            journal, indices = _prepare(root, tmp, writes)
            step("staged")
            if journal.steps:
                journal.write(COMMIT)
                step("journal")
                _commit(journal, indices, before_replace, step)
            journal.finish()
            step("done")
        except RollbackFailed:
            keep = True
            raise
        finally:
            if not keep:
                shutil.rmtree(tmp, ignore_errors=True)


def _no_step(name: str) -> None:
    pass


#: Above this many staged files one ``sync()`` makes them durable (one flush instead
#: of a journal commit per file: 1,000 fixtures in 0.1 s instead of 2.5 s).
_SYNC_ALL_ABOVE = 8


def _prepare(root: Path, tmp: Path, writes: Sequence[Write]) -> tuple[Journal, list[int]]:
    """Stage new bytes and back up every file that will change; all durable."""
    many = sum(data is not None for _, data in writes) > _SYNC_ALL_ABOVE
    steps: list[Step] = []
    indices: list[int] = []
    made: set[str] = set()
    for index, (target, data) in enumerate(writes):
        exists = target.exists() or target.is_symlink()
        if data is None and not exists:
            continue
        if data is not None and exists and _same(target, data):
            continue
        new = None
        if data is not None:
            made.update(_missing_parents(root, target))
            new = f"{index}.new"
            _write_staged(tmp / new, data, fsync=not many)
        backup = None
        if exists:
            backup = f"{index}.bak"
            _preserve(target, tmp / backup, fsync=not many)
        steps.append(Step(target.relative_to(root).as_posix(), new, backup))
        indices.append(index)
    if many:
        os.sync()  # every staged file and backup durable before the journal is written
    fsync_dir(tmp)
    return Journal(root, tmp.name, tuple(steps), tuple(sorted(made))), indices


def _missing_parents(root: Path, target: Path) -> list[str]:
    missing: list[str] = []
    folder = target.parent
    while folder != root and not folder.exists():
        missing.append(folder.relative_to(root).as_posix())
        folder = folder.parent
    return missing


def _commit(
    journal: Journal,
    indices: Sequence[int],
    before_replace: Callable[[int], None] | None,
    step: StepHook,
) -> None:
    """Move staged files into place; on any failure roll back and raise SyncError."""
    try:
        for index, planned in zip(indices, journal.steps, strict=True):
            if before_replace is not None:
                before_replace(index)
            target = journal.target(planned)
            if planned.new is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(journal.folder / planned.new, target)
            step(f"replaced {index}")
        fsync_dirs({journal.target(s).parent for s in journal.steps})
    except BaseException as exc:
        failure = _rollback(journal, step)
        if failure is not None:
            raise RollbackFailed(
                f"sync failed ({exc}) and could not be rolled back ({failure}); "
                f"the next drift command retries, backups are kept in {journal.folder}"
            ) from exc
        if isinstance(exc, Exception):
            raise SyncError(f"sync failed, nothing was changed: {exc}") from exc
        raise


def _rollback(journal: Journal, step: StepHook) -> str | None:
    from drift.journal import replay

    try:
        journal.write(ROLLBACK)
        step("rollback")
        replay(journal, ROLLBACK)
    except OSError as exc:
        return f"{exc.filename or journal.root}: {exc.strerror or exc}"
    return None


def _write_staged(path: Path, data: bytes, *, fsync: bool) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        if fsync:
            fh.flush()
            os.fsync(fh.fileno())


def _same(target: Path, data: bytes) -> bool:
    try:
        return target.is_file() and target.read_bytes() == data
    except OSError:
        return False


def _preserve(target: Path, backup: Path, *, fsync: bool) -> None:
    """Keep the current ``target`` at ``backup`` without moving it (hard link, else copy)."""
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, backup, follow_symlinks=False)
        if fsync:
            with open(backup, "rb") as fh:
                os.fsync(fh.fileno())

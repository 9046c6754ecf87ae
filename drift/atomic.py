"""Atomic file writes: a temp file in the same directory, then ``os.replace``.

An existing path that is not a regular file (``/dev/stdout``, a symlink, a
FIFO, a directory) is never renamed over; every failure is an
:class:`~drift.errors.OutputError` naming the output.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from drift.errors import OutputError

__all__ = ["write_atomic"]


def write_atomic(path: Path, data: bytes | str, *, fsync: bool = False) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half."""
    import tempfile  # imports random (and hashlib): only when something is written

    payload = data.encode() if isinstance(data, str) else data
    _refuse_non_regular(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; these are ordinary artifacts
        _refuse_non_regular(path)  # appeared meanwhile
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def _refuse_non_regular(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        kind = (
            "a symlink"
            if stat.S_ISLNK(mode)
            else "a directory"
            if stat.S_ISDIR(mode)
            else "not a regular file"
        )
        raise OutputError(f"{path}: exists and is {kind}; refusing to replace it")

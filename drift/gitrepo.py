"""The few git operations ``drift propose`` needs, through the ``git`` command.

Every call runs ``git -C <dir> …`` without a shell, with a fixed locale, and turns
a failure into :class:`~drift.errors.ProposeError` naming the command and git's
own message (never a traceback).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from drift.errors import ProposeError

__all__ = ["Git"]

#: Used for commits when the repository has no identity configured (a fresh CI runner).
FALLBACK_NAME = "drift"
FALLBACK_EMAIL = "drift@users.noreply.github.com"


class Git:
    """``git`` in one directory (a work tree)."""

    def __init__(self, cwd: Path, env: Mapping[str, str] | None = None) -> None:
        self.cwd = Path(cwd)
        base = dict(os.environ if env is None else env)
        base.update({"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"})
        self.env = base

    def at(self, cwd: Path) -> Git:
        """The same git in another directory (e.g. a temporary worktree)."""
        return Git(cwd, self.env)

    def run(self, *args: str, check: bool = True, strip: bool = True) -> str:
        """stdout of ``git args`` (stripped unless ``strip`` is off); ProposeError when it
        fails and ``check``."""
        try:
            done = subprocess.run(
                ["git", "-C", str(self.cwd), *args],
                capture_output=True,
                text=True,
                env=self.env,
                check=False,
                timeout=300,
            )
        except FileNotFoundError:
            raise ProposeError("git is not installed (drift propose needs it)") from None
        except subprocess.TimeoutExpired:
            raise ProposeError(f"git {' '.join(args)}: timed out after 300 s") from None
        if check and done.returncode != 0:
            why = (done.stderr or done.stdout).strip().splitlines()
            raise ProposeError(f"git {' '.join(args)}: {why[-1] if why else 'failed'}")
        if done.returncode != 0:
            return ""
        return done.stdout.strip() if strip else done.stdout

    def ok(self, *args: str) -> bool:
        """Whether ``git args`` succeeds."""
        try:
            done = subprocess.run(
                ["git", "-C", str(self.cwd), *args],
                capture_output=True,
                env=self.env,
                check=False,
                timeout=300,
            )
        except (FileNotFoundError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0

    def toplevel(self) -> Path:
        if not self.ok("rev-parse", "--is-inside-work-tree"):
            raise ProposeError(
                f"{self.cwd} is not inside a git work tree (drift propose needs one)"
            )
        return Path(self.run("rev-parse", "--show-toplevel"))

    def rev(self, ref: str) -> str | None:
        """The commit ``ref`` names, ``None`` when there is none."""
        if not self.ok("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"):
            return None
        return self.run("rev-parse", "--verify", f"{ref}^{{commit}}")

    def tree(self, commit: str) -> str:
        """The tree object of ``commit``."""
        return self.run("rev-parse", "--verify", f"{commit}^{{tree}}")

    def current_branch(self) -> str | None:
        return self.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False) or None

    def dirty(self, paths: Sequence[str] = ()) -> list[str]:
        """Changed tracked files, plus untracked ones under ``paths``."""
        status = ("status", "--porcelain")
        tracked = self.run(*status, "--untracked-files=no", strip=False).splitlines()
        untracked: list[str] = []
        if paths:
            untracked = self.run(
                *status, "--untracked-files=all", "--", *paths, strip=False
            ).splitlines()
        return sorted({line[3:] for line in [*tracked, *untracked] if line.strip()})

    def commit(self, message: str) -> str:
        """Commit the index with ``message`` (a fallback identity if none is configured)."""
        identity: list[str] = []
        if not self.run("config", "user.email", check=False):
            identity = ["-c", f"user.name={FALLBACK_NAME}", "-c", f"user.email={FALLBACK_EMAIL}"]
        self.run(*identity, "commit", "--quiet", "--no-verify", "-m", message)
        return self.run("rev-parse", "HEAD")

    def has_remote(self, name: str) -> bool:
        return name in self.run("remote").split()

"""Where contract tests read schemas from: the committed fixtures, or the live registry.

Live mode fetches a track's current schemas into a fresh directory first. When
the registry cannot answer, it falls back to the committed fixtures (fail-open)
and says so in its message. Standard library only: the noxfile imports it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from drift.config_values import text_bool
from drift.errors import ConfigError, RegistryError, RegistryProtocolError, RegistryUnavailable

__all__ = [
    "LIVE_DIR_ENV",
    "LIVE_ENV",
    "LIVE_FLAG",
    "Fetch",
    "SchemaSource",
    "check_fetch_exit",
    "fetch_command",
    "live_requested",
    "prepare_schema_dir",
]

LIVE_FLAG = "--live"
LIVE_ENV = "DRIFT_LIVE"
LIVE_DIR_ENV = "DRIFT_LIVE_SCHEMAS_DIR"
"""Keep fetched schemas in this directory (``<dir>/<track>/``) instead of a temp dir."""

#: ``fetch(track, dest)`` writes ``dest/<track>/<name>.json`` for every schema of
#: the track (the layout of ``drift fetch-schemas --output dest``); raises
#: :class:`~drift.errors.RegistryError` when the registry cannot answer.
Fetch = Callable[[str, Path], None]


@dataclass(frozen=True)
class SchemaSource:
    """The schema directory to test against (``<directory>/<track>/*.json``) and why."""

    directory: Path
    message: str
    live: bool
    """The schemas were fetched from the registry just now."""
    fell_back: bool = False
    """Live mode was asked for, but the registry could not answer."""

    @property
    def label(self) -> str:
        """A few words for report headers."""
        if self.live:
            return "live registry"
        return "committed fixtures, LIVE FETCH FAILED" if self.fell_back else "committed fixtures"


def live_requested(args: Sequence[str], environ: Mapping[str, str]) -> tuple[bool, list[str]]:
    """Whether live mode is on (``--live`` or ``DRIFT_LIVE=1``), and ``args`` without ``--live``.

    ``DRIFT_LIVE`` is a boolean (:func:`~drift.config_values.text_bool`); anything
    else is a :class:`~drift.errors.ConfigError`.
    """
    rest = [arg for arg in args if arg != LIVE_FLAG]
    raw = environ.get(LIVE_ENV, "").strip()
    try:
        from_env = bool(raw) and text_bool(raw)
    except ValueError as exc:
        raise ConfigError(f"{LIVE_ENV}: {exc}") from None
    return len(rest) != len(args) or from_env, rest


def fetch_command(track: str, dest: Path) -> list[str]:
    """The ``drift fetch-schemas`` command line that live mode runs for ``track``."""
    return [
        "python", "-m", "drift", "fetch-schemas", "--all",
        "--track", track, "--output", str(dest),
    ]  # fmt: skip


def check_fetch_exit(code: int | None) -> None:
    """Exit 3 (registry unavailable) becomes :class:`RegistryUnavailable`: fall back.

    Any other failure is an error of its own and is raised as such.
    """
    if code == 3:
        raise RegistryUnavailable(f"fetch-schemas exited {code} (registry unavailable)")
    if code:
        raise RuntimeError(f"fetch-schemas exited {code}")


def prepare_schema_dir(
    track: str,
    *,
    live: bool,
    fetch: Fetch,
    fixtures_dir: Path,
    workdir: Path | None = None,
) -> SchemaSource:
    """Return the schema directory for ``track``: fetched live, or the committed fixtures.

    Live schemas land in ``<workdir>/<track>/`` (``workdir`` defaults to a new
    temporary directory); a previous fetch there is replaced only after the new
    one succeeded. A :class:`RegistryError` from ``fetch``, or a fetch that
    wrote no schema, falls back to ``fixtures_dir``.
    """
    if not live:
        return SchemaSource(fixtures_dir, f"committed fixtures in {fixtures_dir}", live=False)
    owned = workdir is None
    base = Path(tempfile.mkdtemp(prefix="drift-live-")) if workdir is None else workdir
    base.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{track}-", dir=base))
    try:
        fetch(track, staging)
        if not any((staging / track).glob("*.json")):
            raise RegistryProtocolError(f"the registry returned no schemas for track {track}")
    except RegistryError as exc:
        shutil.rmtree(base if owned else staging, ignore_errors=True)
        message = (
            f"LIVE FETCH FAILED for track {track} ({exc}); "
            f"FALLING BACK to the committed fixtures in {fixtures_dir}"
        )
        return SchemaSource(fixtures_dir, message, live=False, fell_back=True)
    except BaseException:
        shutil.rmtree(base if owned else staging, ignore_errors=True)
        raise
    target = base / track
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging / track, target)
    shutil.rmtree(staging, ignore_errors=True)
    count = sum(1 for _ in target.glob("*.json"))
    return SchemaSource(
        base, f"live registry: {count} schemas of track {track} fetched into {target}", live=True
    )

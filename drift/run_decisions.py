"""``set-mode``, ``waive`` and ``waivers``: the decisions a project records beside its fixtures.

The enforcement mode per track (:mod:`drift.modes`) and the waivers of accepted
registry versions (:mod:`drift.waiver_file`), each in a small TOML file at the
project root.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping

from drift.app import SourceOpener, mode_file, open_registry
from drift.errors import ConfigError

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    import datetime as dt
    from typing import TextIO

    from drift.config import Settings

__all__ = ["run_set_mode", "run_waive", "run_waivers"]


def run_set_mode(
    settings: Settings,
    mode: str,
    *,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
) -> int:
    """``set-mode``: persist ``mode`` for every selected track."""
    out = sys.stdout if out is None else out
    modes = mode_file(settings)
    for track in settings.selected:
        modes.set(track, mode)
        out.write(f"{track}: enforcement mode set to {mode} in {modes.path}\n")
        if env.get("REGISTRY_ENFORCEMENT"):
            out.write(f"note: REGISTRY_ENFORCEMENT={env['REGISTRY_ENFORCEMENT']} is set and wins\n")
    return 0


def run_waive(
    settings: Settings,
    schema: str,
    track: str,
    *,
    owner: str,
    reason: str,
    until: str,
    out: TextIO | None = None,
    opener: SourceOpener = open_registry,
    clock: Callable[[], float] = time.time,
) -> int:
    """``waive``: accept the registry's current version of ``track``/``schema`` until a day."""
    from drift.names import normalize_name
    from drift.waiver_file import WaiverFile
    from drift.waivers import make_waiver, parse_date

    out = sys.stdout if out is None else out
    today = _today(clock)
    day = parse_date(until, "--until")
    file = WaiverFile.in_root(settings.root)
    file.read()  # a malformed file fails before the registry is asked
    source = opener(settings, None)
    if source is None:
        raise ConfigError("registry disabled: a waiver is made for a registry version")
    try:
        waiver = make_waiver(
            source,
            track,
            normalize_name(schema),
            owner=owner,
            reason=reason,
            until=day,
            today=today,
            annotation_keys=settings.annotation_keys,
        )
    finally:
        source.close()
    file.add(waiver)
    out.write(
        f"waived {waiver.label()} for registry tag {waiver.registry_tag[:12]}: "
        f"{waiver.days_left(today)} day(s) left; written to {file.path}\n"
    )
    return 0


def run_waivers(
    settings: Settings, *, out: TextIO | None = None, clock: Callable[[], float] = time.time
) -> int:
    """``waivers``: list the project's waivers with their days left (expired ones marked)."""
    from drift.waiver_file import WaiverFile
    from drift.waivers import describe

    out = sys.stdout if out is None else out
    file = WaiverFile.in_root(settings.root)
    waivers = file.read()
    if not waivers:
        out.write(f"no waivers ({file.path} lists none)\n")
    today = _today(clock)
    for waiver in sorted(waivers, key=lambda w: (w.track, w.schema)):
        out.write(describe(waiver, today) + "\n")
    return 0


def _today(clock: Callable[[], float]) -> dt.date:
    import datetime as dt

    return dt.datetime.fromtimestamp(clock(), dt.timezone.utc).date()

"""``set-mode``, ``waive`` and ``waivers``: the decisions a project records beside its fixtures.

The enforcement mode per track (:mod:`drift.modes`) and the waivers of accepted
registry versions (:mod:`drift.waiver_file`), each in a small TOML file at the
project root.
"""

from __future__ import annotations

from drift.app import mode_file
from drift.errors import ConfigError

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    import datetime as dt

    from drift.app import Runtime
    from drift.config import Settings

__all__ = ["run_set_mode", "run_waive", "run_waivers"]


def run_set_mode(runtime: Runtime, settings: Settings, mode: str) -> int:
    """``set-mode``: persist ``mode`` for every selected track."""
    out, env = runtime.out, runtime.env
    modes = mode_file(settings)
    for track in settings.selected:
        modes.set(track, mode)
        out.write(f"{track}: enforcement mode set to {mode} in {modes.path}\n")
        if env.get("REGISTRY_ENFORCEMENT"):
            out.write(f"note: REGISTRY_ENFORCEMENT={env['REGISTRY_ENFORCEMENT']} is set and wins\n")
    return 0


def run_waive(
    runtime: Runtime,
    settings: Settings,
    schema: str,
    track: str,
    *,
    owner: str,
    reason: str,
    until: str,
) -> int:
    """``waive``: accept the registry's current version of ``track``/``schema`` until a day."""
    from drift.names import normalize_name
    from drift.waiver_file import WaiverFile
    from drift.waivers import make_waiver, parse_date

    today = _today(runtime)
    day = parse_date(until, "--until")
    file = WaiverFile.in_root(settings.root)
    file.read()  # a malformed file fails before the registry is asked
    source = runtime.open(settings)
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
    runtime.out.write(
        f"waived {waiver.label()} for registry tag {waiver.registry_tag[:12]}: "
        f"{waiver.days_left(today)} day(s) left; written to {file.path}\n"
    )
    return 0


def run_waivers(runtime: Runtime, settings: Settings) -> int:
    """``waivers``: list the project's waivers with their days left (expired ones marked)."""
    from drift.waiver_file import WaiverFile
    from drift.waivers import describe

    out = runtime.out
    file = WaiverFile.in_root(settings.root)
    waivers = file.read()
    if not waivers:
        out.write(f"no waivers ({file.path} lists none)\n")
    today = _today(runtime)
    for waiver in sorted(waivers, key=lambda w: (w.track, w.schema)):
        out.write(describe(waiver, today) + "\n")
    return 0


def _today(runtime: Runtime) -> dt.date:
    import datetime as dt

    return dt.datetime.fromtimestamp(runtime.clock(), dt.timezone.utc).date()

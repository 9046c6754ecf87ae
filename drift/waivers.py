"""Waivers: a known drift accepted for a while, with an owner, a reason and an expiry.

``.drift-waivers.toml`` (written by ``drift waive``, read by every check) lists
one ``[[waiver]]`` per track and schema. A waiver covers exactly the registry
version it was made for: the registry's tag for the schema and the structural
hash of that content. Pure: parsing, writing and deciding take and return data;
:mod:`drift.waiver_file` reads and writes the file.

=====================  ==============================================================
situation              effect on a ``strict`` track
=====================  ==============================================================
covering, not expired  the schema does not fail; reported ``waived`` (owner, reason,
                       days left)
covering, expired      the schema fails as without a waiver; the reason names the
                       waiver (``warn`` tracks: a warning naming it)
not covering           (the registry moved on) the waiver is ignored; noted on the
                       result
=====================  ==============================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drift import tomlread
from drift.errors import ConfigError
from drift.model import TRACKS
from drift.names import validate_name
from drift.report import WaiverNote

if TYPE_CHECKING:
    from drift.sources.base import RegistrySource

__all__ = [
    "Waiver",
    "by_track",
    "describe",
    "dump_waivers",
    "make_waiver",
    "note_for",
    "parse_date",
    "parse_waivers",
    "with_waiver",
]

_HEADER = (
    "# Written by `drift waive`: accepted schema drift, each for one registry version,\n"
    "# with an owner, a reason and a last day (UTC). List them with `drift waivers`.\n"
)
_KEYS = ("schema", "track", "registry_tag", "structural_sha256", "owner", "reason", "until")
_OPTIONAL = ("created",)


@dataclass(frozen=True)
class Waiver:
    """One accepted drift: ``schema`` of ``track`` at one registry version, until a day."""

    schema: str
    track: str
    registry_tag: str
    """The registry's tag (``/index`` ``sha256``) of the version the waiver is for."""
    structural_sha256: str
    """Structural hash of that registry content."""
    owner: str
    reason: str
    until: dt.date
    """The last day (UTC) the waiver applies."""
    created: dt.date | None = None

    def days_left(self, today: dt.date) -> int:
        """Days from ``today`` to :attr:`until` (0 on the last day, negative once expired)."""
        return (self.until - today).days

    def expired(self, today: dt.date) -> bool:
        return self.days_left(today) < 0

    def covers(self, registry_tag: str | None, structural_sha256: str | None) -> bool:
        """Whether the registry version seen (tag, and structural hash when known) is the
        one waived."""
        if registry_tag != self.registry_tag:
            return False
        return structural_sha256 is None or structural_sha256 == self.structural_sha256

    def label(self) -> str:
        """``v1/models.Quote (owner team-md, until 2026-12-31)``."""
        return f"{self.track}/{self.schema} (owner {self.owner}, until {self.until.isoformat()})"


def parse_waivers(text: str, where: str) -> tuple[Waiver, ...]:
    """The waivers in a ``.drift-waivers.toml`` document; :class:`ConfigError` naming
    ``where``, the waiver and the field for anything malformed."""
    try:
        document = tomlread.loads(text)
    except tomlread.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None
    unknown = sorted(set(document) - {"waiver"})
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (expected [[waiver]] tables)")
    raw = document.get("waiver", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: 'waiver' must be an array of tables ([[waiver]])")
    out: list[Waiver] = []
    seen: set[tuple[str, str]] = set()
    for number, item in enumerate(raw, start=1):
        waiver = _waiver(item, f"{where}: waiver #{number}")
        key = (waiver.track, waiver.schema)
        if key in seen:
            raise ConfigError(
                f"{where}: waiver #{number}: a second waiver for {waiver.track}/{waiver.schema}"
            )
        seen.add(key)
        out.append(waiver)
    return tuple(out)


def dump_waivers(waivers: Iterable[Waiver]) -> str:
    """The file's text: the header, then one ``[[waiver]]`` per waiver (sorted)."""
    import tomli_w  # only writers need it

    rows = []
    for w in sorted(waivers, key=lambda w: (w.track, w.schema)):
        row: dict[str, Any] = {
            "schema": w.schema,
            "track": w.track,
            "owner": w.owner,
            "reason": w.reason,
            "until": w.until,
            "registry_tag": w.registry_tag,
            "structural_sha256": w.structural_sha256,
        }
        if w.created is not None:
            row["created"] = w.created
        rows.append(row)
    return _HEADER + (tomli_w.dumps({"waiver": rows}) if rows else "")


def with_waiver(waivers: Iterable[Waiver], waiver: Waiver) -> tuple[Waiver, ...]:
    """``waivers`` with ``waiver`` added, replacing any for the same track and schema."""
    kept = [w for w in waivers if (w.track, w.schema) != (waiver.track, waiver.schema)]
    return (*kept, waiver)


def note_for(
    waiver: Waiver, today: dt.date, registry_tag: str | None, structural_sha256: str | None
) -> WaiverNote:
    """What a report says about ``waiver`` for the registry version seen."""
    return WaiverNote(
        owner=waiver.owner,
        reason=waiver.reason,
        until=waiver.until.isoformat(),
        days_left=waiver.days_left(today),
        expired=waiver.expired(today),
        registry_tag=waiver.registry_tag,
        structural_sha256=waiver.structural_sha256,
        covers=waiver.covers(registry_tag, structural_sha256),
    )


def make_waiver(
    source: RegistrySource,
    track: str,
    name: str,
    *,
    owner: str,
    reason: str,
    until: dt.date,
    today: dt.date,
    annotation_keys: frozenset[str],
) -> Waiver:
    """A waiver for the version of ``track``/``name`` the registry serves now (``drift
    waive``); :class:`ConfigError` for a bad argument or a schema the registry lacks."""
    if track not in TRACKS:
        raise ConfigError(f"--track: {track!r} is not one of {', '.join(TRACKS)}")
    validate_name(name)
    for flag, value in (("--owner", owner), ("--reason", reason)):
        if not value.strip():
            raise ConfigError(f"{flag} must not be empty")
    from drift.canonical import structural_hash

    if until < today:
        raise ConfigError(f"--until {until.isoformat()} is in the past (today is {today})")
    entry = source.index().track(track).get(name)
    if entry is None:
        raise ConfigError(f"the registry lists no schema {name!r} in track {track}")
    schema = source.fetch(track, name)
    return Waiver(
        schema=name,
        track=track,
        registry_tag=entry.sha256,
        structural_sha256=structural_hash(schema.content, annotation_keys),
        owner=owner.strip(),
        reason=reason.strip(),
        until=until,
        created=today,
    )


def describe(waiver: Waiver, today: dt.date) -> str:
    """One line of ``drift waivers``."""
    left = waiver.days_left(today)
    when = (
        f"until {waiver.until} ({left} day(s) left)"
        if left >= 0
        else f"EXPIRED on {waiver.until} ({-left} day(s) ago)"
    )
    return (
        f"{waiver.track}/{waiver.schema}  owner {waiver.owner}  {when}  "
        f"registry tag {waiver.registry_tag[:12]}  reason: {waiver.reason}"
    )


def by_track(waivers: Iterable[Waiver]) -> Mapping[str, Mapping[str, Waiver]]:
    """track -> schema name -> waiver."""
    out: dict[str, dict[str, Waiver]] = {}
    for w in waivers:
        out.setdefault(w.track, {})[w.schema] = w
    return out


def _waiver(item: Any, where: str) -> Waiver:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = sorted(set(item) - set(_KEYS) - set(_OPTIONAL))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
    missing = [k for k in _KEYS if k not in item]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}")
    for key in ("schema", "track", "registry_tag", "structural_sha256", "owner", "reason"):
        value = item[key]
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: {key} must be a non-empty string")
    if item["track"] not in TRACKS:
        raise ConfigError(f"{where}: track {item['track']!r} is not one of {', '.join(TRACKS)}")
    try:
        validate_name(item["schema"])
    except Exception as exc:  # UnsafeNameError: the message names the problem
        raise ConfigError(f"{where}: schema: {exc}") from None
    if len(item["structural_sha256"]) != 64:
        raise ConfigError(f"{where}: structural_sha256 must be a 64-character hex digest")
    return Waiver(
        schema=item["schema"],
        track=item["track"],
        registry_tag=item["registry_tag"],
        structural_sha256=item["structural_sha256"],
        owner=item["owner"],
        reason=item["reason"],
        until=_date(item["until"], f"{where}: until"),
        created=_date(item["created"], f"{where}: created") if "created" in item else None,
    )


def _date(value: Any, where: str) -> dt.date:
    """A TOML date (``2026-12-31``) or an ISO date string."""
    if isinstance(value, dt.datetime):
        raise ConfigError(f"{where}: must be a date (YYYY-MM-DD), not a date-time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: must be a date (YYYY-MM-DD), got {value!r}")


def parse_date(value: str, where: str) -> dt.date:
    """``--until`` and friends: an ISO date; :class:`ConfigError` naming ``where``."""
    return _date(value, where)

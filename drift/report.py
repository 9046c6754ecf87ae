"""The drift report: the data every reporter, exporter and event is made from.

A report is plain, immutable data. ``to_dict``/``from_dict`` are the JSON
shape of ``drift_report.json`` (``report_version`` 1, described by
``drift/report.schema.json``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, field, fields
from typing import Any, NamedTuple

from drift.lazy import lazy_attributes
from drift.model import Status
from drift.records import record

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    from drift.report_parts import Change, Counterexample, WaiverNote

__all__ = [
    "DRIFT_STATUSES",
    "REPORT_VERSION",
    "Change",
    "Counterexample",
    "Judgement",
    "Report",
    "SchemaResult",
    "TrackResult",
    "WaiverNote",
]

REPORT_VERSION = 1

#: Statuses that mean "the fixture is not what the registry serves" (policy ``drift``).
DRIFT_STATUSES: frozenset[Status] = frozenset(
    {
        Status.DRIFTED,
        Status.LOCAL_EDIT,
        Status.CONFLICT,
        Status.MISSING_IN_REGISTRY,
        Status.UNTRACKED,
    }
)


class Judgement(NamedTuple):
    """What a classifier says about fixture -> registry: verdict, changes, proof."""

    verdict: str
    changes: tuple[Change, ...] | list[Change]
    counterexample: Counterexample | None = None


@record(frozen=True)
class SchemaResult:
    """Where one schema of one track stands."""

    name: str
    track: str
    status: Status
    fixture_sha256: str | None = None
    """Canonical hash of the local fixture."""
    lock_sha256: str | None = None
    """Canonical hash recorded in the lock at the last sync."""
    registry_sha256: str | None = None
    """Canonical hash of the registry's content (only when it was fetched)."""
    registry_tag: str | None = None
    """The registry's own ``sha256`` from ``/index`` (opaque version tag)."""
    locked_tag: str | None = None
    """The registry tag recorded in the lock."""
    core_version: str | None = None
    """The registry's ``latest_core_version``."""
    locked_core_version: str | None = None
    verdict: str | None = None
    """``annotations-only``, ``compatible``, ``breaking`` or ``cannot-prove``."""
    changes: tuple[Change, ...] = ()
    counterexample: Counterexample | None = None
    """Set exactly when ``verdict`` is ``breaking``."""
    waiver: WaiverNote | None = None
    """The waiver made for this schema, if any (see :mod:`drift.waivers`)."""
    diff: str = ""
    """Unified diff fixture -> registry (canonical pretty form)."""
    message: str = ""
    """Human detail: an error, a deprecation note."""

    @property
    def is_drift(self) -> bool:
        return self.status in DRIFT_STATUSES


@record(frozen=True)
class TrackResult:
    """One track of one check run."""

    track: str
    mode: str
    """Enforcement mode in effect: ``warn`` or ``strict``."""
    mode_source: str = "default"
    """Where the mode came from: ``flag``, ``env``, ``mode-file``, ``config``, ``default``."""
    required: bool = True
    role: str = "producer"
    compat_policy: str = "strict"
    """``strict`` or ``lenient`` (open content models): how verdicts were judged."""
    registry_available: bool = True
    registry_error: str | None = None
    cache_age_seconds: float | None = None
    """Age of the cached fixtures (oldest lock ``fetched_at``), when known."""
    stale: bool = False
    """The cache is older than the track's ``max_stale``."""
    schemas: tuple[SchemaResult, ...] = ()

    def counts(self) -> dict[str, int]:
        """Schemas per status, every status present (zeros included)."""
        out = {status.value: 0 for status in Status}
        for result in self.schemas:
            out[result.status.value] += 1
        return out

    def drifted(self) -> tuple[SchemaResult, ...]:
        return tuple(r for r in self.schemas if r.is_drift)


@record(frozen=True)
class Report:
    """One check run over the selected tracks."""

    repo: str
    registry: str
    """Where the registry was read from (credentials removed)."""
    generated_at: str
    """ISO-8601 UTC time the check started."""
    tool_version: str
    duration_seconds: float = 0.0
    registry_enabled: bool = True
    fail_on: str = "drift"
    tracks: tuple[TrackResult, ...] = ()
    exit_code: int = 0
    failures: tuple[str, ...] = ()
    """Why the check failed (empty when ``exit_code`` is 0)."""
    not_required: tuple[str, ...] = ()
    """What fails the policy on tracks with ``required = false``: reported, not enforced."""
    require_all: bool = False
    """``--require-all``: every track counted as required."""
    report_version: int = REPORT_VERSION
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def registry_available(self) -> bool:
        return all(t.registry_available for t in self.tracks)

    def results(self) -> Iterator[SchemaResult]:
        for track in self.tracks:
            yield from track.schemas

    def drifted(self) -> Iterator[SchemaResult]:
        return (r for r in self.results() if r.is_drift)

    # -- JSON shape -------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["registry_available"] = self.registry_available
        for track, raw in zip(self.tracks, data["tracks"], strict=True):
            raw["counts"] = track.counts()
            for result in raw["schemas"]:
                result["status"] = str(result["status"])
                result["changes"] = list(result["changes"])
        data["failures"] = list(self.failures)
        data["not_required"] = list(self.not_required)
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        tracks = tuple(_track_from_dict(t) for t in data.get("tracks", ()))
        known = {f.name for f in fields(cls)} - {"tracks", "failures", "not_required", "extra"}
        kwargs = {k: v for k, v in data.items() if k in known}
        return cls(
            **kwargs,
            tracks=tracks,
            failures=tuple(data.get("failures", ())),
            not_required=tuple(data.get("not_required", ())),
            extra=dict(data.get("extra", {})),
        )


def _track_from_dict(data: Mapping[str, Any]) -> TrackResult:
    known = {f.name for f in fields(TrackResult)} - {"schemas"}
    schemas = tuple(_schema_from_dict(s) for s in data.get("schemas", ()))
    return TrackResult(**{k: v for k, v in data.items() if k in known}, schemas=schemas)


def _schema_from_dict(data: Mapping[str, Any]) -> SchemaResult:
    known = {f.name for f in fields(SchemaResult)} - {
        "status",
        "changes",
        "counterexample",
        "waiver",
    }
    from drift.report_parts import Change, Counterexample, WaiverNote

    found, waiver = data.get("counterexample"), data.get("waiver")
    return SchemaResult(
        **{k: v for k, v in data.items() if k in known},
        status=Status(data["status"]),
        changes=tuple(Change(**c) for c in data.get("changes", ())),
        counterexample=Counterexample(**found) if found else None,
        waiver=WaiverNote(**waiver) if waiver else None,
    )


# A schema's changes, counterexample and waiver: only a moved or waived schema has them.
_HOMES = dict.fromkeys(("Change", "Counterexample", "WaiverNote"), "drift.report_parts")
__getattr__ = lazy_attributes(__name__, _HOMES, globals())

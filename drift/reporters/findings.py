"""Findings: the report's drift as located, levelled items for code-review tools.

One :class:`Finding` per change that matters, at the line of the fixture where
the change is (or line 1), with a level from the enforcement: ``error`` when the
schema fails the policy in a strict track (or is an invalid fixture), ``warning``
for drift that is reported but not enforced. Annotation-only changes of a drifted
schema are left out (they never need a reviewer's eye). GitHub annotations and
SARIF are both rendered from this one list, so they always agree with each other
and with the exit code.

Pure: where a fixture is and which line a JSON pointer is on come from the
``locate`` callable a front end passes (see :mod:`drift.reporters.locations`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from drift.model import Status
from drift.policy import fails_policy
from drift.report import DRIFT_STATUSES, Report, SchemaResult, TrackResult
from drift.reporters.common import change_line, clean, counterexample_line, resolve_commands

__all__ = ["Finding", "Level", "Locate", "Location", "findings", "schema_level"]

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Location:
    """A file (relative to the repository root, ``/``-separated) and a 1-based line."""

    uri: str
    line: int = 1


#: ``locate(track, schema_name, json_pointer)`` -> where that pointer is in the fixture.
Locate = Callable[[str, str, str], Location]

#: Rule ids of statuses that carry no semantic change of their own.
_STATUS_RULES: dict[Status, str] = {
    Status.INVALID: "invalid-fixture",
    Status.LOCAL_EDIT: "local-edit",
    Status.CONFLICT: "conflict",
    Status.MISSING_IN_REGISTRY: "missing-in-registry",
    Status.UNTRACKED: "untracked",
    Status.DRIFTED: "drifted",
    Status.DEPRECATED: "deprecated",
    Status.ANNOTATIONS: "annotations",
}


@dataclass(frozen=True)
class Finding:
    """One located, levelled item: a semantic change, or a status without changes."""

    track: str
    schema: str
    status: Status
    verdict: str
    rule: str
    """The change kind (``property-added``, ``type-narrowed``, …) or a status rule."""
    level: Level
    location: Location
    pointer: str
    detail: str
    """The change (``property-added /properties/x: …``) or the status explained."""
    help: str
    """What resolves it: the exact commands."""
    proof: str = ""
    """The schema's counterexample line (a payload that breaks), when it has one."""

    @property
    def fingerprint(self) -> str:
        """Stable across runs: the same schema, track, rule and JSON pointer give the same
        value whatever the line, the message wording or the registry version."""
        key = "\0".join((self.track, self.schema, self.rule, self.pointer))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    @property
    def message(self) -> str:
        return f"{self.track}/{self.schema}: {self.detail}"

    @property
    def title(self) -> str:
        verdict = f", {self.verdict}" if self.verdict else ""
        return clean(f"drift: {self.track}/{self.schema} {self.status.value}{verdict}")


def schema_level(report: Report, track: TrackResult, result: SchemaResult) -> Level | None:
    """The level of a schema's findings, ``None`` when it has none (synced, unknown)."""
    if result.status is Status.INVALID:
        return "error"
    if track.mode == "strict" and fails_policy(result, report.fail_on):
        return "error"
    if result.status in DRIFT_STATUSES:
        return "warning"
    if fails_policy(result, report.fail_on):  # e.g. fail_on "any" in warn mode
        return "warning"
    return None


def findings(report: Report, locate: Locate) -> list[Finding]:
    """Every finding of the report, most urgent first, then by track, schema and pointer."""
    out: list[Finding] = []
    for track in report.tracks:
        for result in track.schemas:
            level = schema_level(report, track, result)
            if level is not None:
                out.extend(_of_schema(track, result, level, locate))
    rank = {"error": 0, "warning": 1}
    return sorted(out, key=lambda f: (rank[f.level], f.track, f.schema, f.pointer, f.rule))


def _of_schema(
    track: TrackResult, result: SchemaResult, level: Level, locate: Locate
) -> Iterator[Finding]:
    verdict = result.verdict or ""
    help_text = "\n".join(resolve_commands(track.track, [result.name], result.status))
    proof = counterexample_line(result.counterexample)
    meaningful = [c for c in result.changes if c.kind != "annotation"]
    if not meaningful:
        where = locate(track.track, result.name, "")
        rule = _STATUS_RULES.get(result.status, result.status.value)
        detail = f"{result.status.value}: {clean(result.message) or _status_text(result)}"
        yield Finding(
            track.track,
            result.name,
            result.status,
            verdict,
            rule,
            level,
            where,
            "",
            detail,
            help_text,
            proof,
        )
        return
    for change in meaningful:
        yield Finding(
            track.track,
            result.name,
            result.status,
            verdict,
            change.kind,
            level,
            locate(track.track, result.name, change.path),
            change.path,
            change_line(change),
            help_text,
            proof,
        )


def _status_text(result: SchemaResult) -> str:
    texts = {
        Status.UNTRACKED: "the registry lists this schema; there is no fixture",
        Status.MISSING_IN_REGISTRY: "the registry no longer lists this schema",
        Status.LOCAL_EDIT: "the fixture was edited since the last sync",
        Status.CONFLICT: "both the fixture and the registry changed since the last sync",
        Status.DRIFTED: "the registry changed this schema",
        Status.ANNOTATIONS: "only annotations changed",
        Status.DEPRECATED: "the registry marks this schema deprecated",
        Status.INVALID: "the fixture is not a valid JSON Schema",
    }
    return texts.get(result.status, result.status.value)

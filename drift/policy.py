"""Exit codes from check results: the ``fail_on`` policy and the enforcement modes.

=====  =====================================================================
exit   when (the first matching code wins, in this order)
=====  =====================================================================
2      any track has an INVALID fixture (a local error, whatever the mode)
3      ``fail_open`` is off and a track's registry was unavailable
1      a required ``strict`` track has a schema failing ``fail_on``, or is ``stale``
       (cache older than max_stale) while its registry is unavailable
0      otherwise; ``warn`` tracks and tracks with ``required = false`` never give
       1 (the latter's failures are reported by :func:`not_required_failures`),
       an unavailable registry with fail-open never gives a non-zero code by itself
=====  =====================================================================

``fail_on``: ``drift`` fails on :data:`drift.report.DRIFT_STATUSES`;
``breaking`` on DRIFTED/CONFLICT/LOCAL_EDIT whose verdict is ``breaking`` or
``cannot-prove`` (no verdict counts as ``cannot-prove``) plus
MISSING_IN_REGISTRY; ``any`` on the drift statuses plus ANNOTATIONS and
DEPRECATED. UNKNOWN never fails by itself (fail-open).

Waivers (:mod:`drift.waivers`): a schema whose waiver covers the registry version
seen and has not expired never fails; an expired one fails as without a waiver,
and the reasons name the waiver.
"""

from __future__ import annotations

from collections.abc import Sequence

from drift.errors import ConfigError
from drift.model import FAIL_ON, Status
from drift.report import DRIFT_STATUSES, SchemaResult, TrackResult

__all__ = ["enforce", "expired_text", "fails_policy", "not_required_failures"]

_CHANGED = frozenset({Status.DRIFTED, Status.CONFLICT, Status.LOCAL_EDIT})
_ANY = DRIFT_STATUSES | {Status.ANNOTATIONS, Status.DEPRECATED}
_BREAKING_VERDICTS = frozenset({"breaking", "cannot-prove"})


def fails_policy(result: SchemaResult, fail_on: str) -> bool:
    """Whether ``result`` fails a strict track under ``fail_on`` (a verdict of None counts
    as ``cannot-prove``). A waiver that covers the registry version seen and has not
    expired keeps it from failing."""
    if result.waiver is not None and result.waiver.waives:
        return False
    return _fails(result, fail_on)


def _fails(result: SchemaResult, fail_on: str) -> bool:
    if fail_on == "drift":
        return result.status in DRIFT_STATUSES
    if fail_on == "any":
        return result.status in _ANY
    if fail_on == "breaking":
        if result.status is Status.MISSING_IN_REGISTRY:
            return True
        verdict = result.verdict or "cannot-prove"
        return result.status in _CHANGED and verdict in _BREAKING_VERDICTS
    _check(fail_on)
    return False


def enforce(
    report_tracks: Sequence[TrackResult], fail_on: str, registry_enabled: bool, fail_open: bool
) -> tuple[int, tuple[str, ...]]:
    """Exit code (0, 1, 2 or 3) and the human reasons behind it.

    A track with ``required = false`` never gives exit 1: its policy failures are
    :func:`not_required_failures`, reported as loudly but not enforced. Invalid fixtures
    (2) and a registry outage with fail-open off (3) are errors, not drift, and count on
    every track.
    """
    _check(fail_on)
    codes: set[int] = set()
    reasons: list[str] = []
    for track in report_tracks:
        invalid = [r.name for r in track.schemas if r.status is Status.INVALID]
        if invalid:
            codes.add(2)
            reasons.append(f"{track.track}: {len(invalid)} invalid fixture(s): {_names(invalid)}")
        if registry_enabled and not fail_open and not track.registry_available:
            codes.add(3)
            why = track.registry_error or "no answer"
            reasons.append(f"{track.track}: registry unavailable ({why}) and fail-open is off")
        if track.required:
            lines, fails = _strict_failures(track, fail_on)
            reasons.extend(lines)
            if fails:
                codes.add(1)
    code = next((c for c in (2, 3, 1) if c in codes), 0)
    return code, tuple(reasons)


def not_required_failures(report_tracks: Sequence[TrackResult], fail_on: str) -> tuple[str, ...]:
    """What would fail the check on the tracks with ``required = false`` (not enforced)."""
    _check(fail_on)
    out: list[str] = []
    for track in report_tracks:
        if not track.required:
            lines, fails = _strict_failures(track, fail_on, note=", not required")
            out.extend(lines if fails else ())
    return tuple(out)


def _strict_failures(track: TrackResult, fail_on: str, note: str = "") -> tuple[list[str], bool]:
    """Why a strict track fails the policy, and whether it does (never for a warn track)."""
    if track.mode != "strict":
        return [], False
    reasons: list[str] = []
    failing = [f"{r.name} ({r.status})" for r in track.schemas if fails_policy(r, fail_on)]
    if failing:
        reasons.append(
            f"{track.track} (strict, fail-on {fail_on}{note}): {len(failing)} schema(s) "
            f"out of step: {_names(failing)}"
        )
    for r in track.schemas:
        if r.waiver is not None and r.waiver.covers and r.waiver.expired and _fails(r, fail_on):
            reasons.append(f"{track.track}: {expired_text(r)}")
    stale = track.stale and not track.registry_available
    if stale:
        reasons.append(
            f"{track.track} (strict{note}): registry unavailable and the cached fixtures "
            "are older than max_stale"
        )
    return reasons, bool(failing) or stale


def expired_text(result: SchemaResult) -> str:
    """``waiver for models.Quote (owner team-md: reason) expired on 2026-11-30``."""
    w = result.waiver
    assert w is not None
    return f"waiver for {result.name} (owner {w.owner}: {w.reason}) expired on {w.until}"


def _names(items: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"


def _check(fail_on: str) -> None:
    if fail_on not in FAIL_ON:
        raise ConfigError(f"fail_on must be one of {', '.join(FAIL_ON)}, got {fail_on!r}")

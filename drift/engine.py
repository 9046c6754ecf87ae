"""The three-way drift engine: fixture vs lock vs registry, one track at a time.

Pure: no disk, no network, no clock. The caller reads fixtures and the lock,
asks the registry (``plan_fetch`` says which contents are worth a request) and
passes everything in; ``evaluate_track`` returns one ``SchemaResult`` per name.

Scope: every *selected* name among fixtures, lock entries and index entries.
"Fixture moved" means its canonical hash differs from the lock's; "registry
moved" means both its tag and its canonical content differ from the lock's.
First matching row wins:

==  ======================================================  ========================
#   situation                                               status
==  ======================================================  ========================
1   fixture unreadable or invalid                           INVALID (message = error)
2   registry unavailable (whole track), fixture moved       LOCAL_EDIT; ANNOTATIONS if
                                                            structurally still = lock
3   registry unavailable, anything else                     UNKNOWN
4   fixture or lock entry, name not in the index            MISSING_IN_REGISTRY
5   in the index, no fixture                                UNTRACKED
6   content fetched, fixture == registry, != lock entry     LOCAL_EDIT (the lock is outdated)
6b  content fetched, fixture == registry (canonical)        SYNCED (+ stale-lock hint)
7   content fetched, equal without annotation keywords      ANNOTATIONS
8   content fetched, fixture not moved (or no lock)         DRIFTED
9   content fetched, fixture moved, registry not moved      LOCAL_EDIT
10  content fetched, both moved                             CONFLICT
11  not fetched, lock tag == index tag, fixture not moved   SYNCED
12  no content (fetch error / not fetched), fixture moved   as row 2
13  no content, anything else                               UNKNOWN (message = error)
==  ======================================================  ========================

Deprecation (index or fetched schema says so) is applied last: SYNCED,
ANNOTATIONS and UNTRACKED become DEPRECATED with the deprecation note as
message; every other status is kept (drift dominates) and the note is appended
to its message. Rows 7-10 carry a unified diff fixture -> registry and, with a
``classify`` callback, its verdict and changes (ANNOTATIONS without one:
verdict ``annotations-only``).

With ``waivers``, each result whose schema has a waiver carries it as data
(``SchemaResult.waiver``: covering the registry version seen or not, expired or
not); :mod:`drift.policy` decides what it means for the exit code.

``enforce`` and ``fails_policy`` (exit codes) live in :mod:`drift.policy` and
are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from drift.model import IndexEntry, Status
from drift.policy import enforce, fails_policy
from drift.records import record
from drift.report import Judgement, SchemaResult

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    from drift.model import RegistrySchema
    from drift.report import Change, Counterexample, WaiverNote

__all__ = [
    "Classifier",
    "LocalState",
    "Locked",
    "RegistryView",
    "WaiverLookup",
    "diffable",
    "enforce",
    "evaluate_schema",
    "evaluate_track",
    "fails_policy",
    "plan_fetch",
    "with_diff",
    "without_diff",
]

WaiverLookup = Mapping[str, Callable[["str | None", "str | None"], "WaiverNote"]]
"""Schema name -> (registry tag, structural hash of the registry content or None when not
fetched) -> the waiver made for it, as data (see :mod:`drift.waivers`)."""
Classifier = Callable[[Any, Any], "Judgement | tuple[str, list[Change]]"]
"""fixture, registry -> verdict, changes (and, for ``breaking``, the counterexample)."""

_SOFT = frozenset({Status.SYNCED, Status.ANNOTATIONS, Status.UNTRACKED})
_SYNC_HINT = "run sync-fixtures"


@record(frozen=True)
class LocalState:
    """One fixture as read from disk by the caller."""

    name: str
    content: Any | None
    """Parsed JSON; ``None`` when unreadable, or not loaded because the file is
    byte-identical to what the lock recorded (the caller loads it for every
    name it fetched from the registry)."""
    sha256: str | None
    """Canonical hash of the content."""
    structural_sha256: str | None
    """Structural hash, with the ``annotation_keys`` :func:`evaluate_track` is given."""
    error: str | None = None

    @property
    def valid(self) -> bool:
        return self.error is None and self.sha256 is not None


@record(frozen=True)
class Locked:
    """What the lock recorded for one schema at the last sync."""

    sha256: str
    structural_sha256: str
    registry_sha256: str
    core_version: str
    fetched_at: str


@record(frozen=True)
class RegistryView:
    """What the registry said for one track."""

    available: bool
    error: str | None
    index: Mapping[str, IndexEntry]
    fetched: Mapping[str, RegistrySchema]
    fetch_errors: Mapping[str, str]


def plan_fetch(
    local: Mapping[str, LocalState],
    locked: Mapping[str, Locked],
    index: Mapping[str, IndexEntry],
    selected: Callable[[str], bool],
) -> list[str]:
    """Names whose content must be downloaded; [] when nothing moved (one request: /index)."""
    names: list[str] = []
    for name, entry in index.items():
        if not selected(name):
            continue
        fixture, lock = local.get(name), locked.get(name)
        if entry.deprecated:
            names.append(name)
        elif fixture is None or not fixture.valid:
            continue
        elif lock is None or lock.registry_sha256 != entry.sha256 or fixture.sha256 != lock.sha256:
            names.append(name)
    return sorted(names)


def evaluate_track(
    track: str,
    local: Mapping[str, LocalState],
    locked: Mapping[str, Locked],
    registry: RegistryView,
    *,
    selected: Callable[[str], bool],
    annotation_keys: frozenset[str],
    classify: Classifier | None = None,
    max_diffs: int | None = None,
    waivers: WaiverLookup | None = None,
) -> tuple[SchemaResult, ...]:
    """One result per selected name, sorted by name (rules in the module docstring).

    Results whose fixture and registry contents are both known carry a unified
    diff fixture -> registry: the first ``max_diffs`` of them (all when
    ``None``); the rest say where to see it.
    """
    index = registry.index if registry.available else {}
    names = sorted({n for n in (*local, *locked, *index) if selected(n)})
    context = _Context(track, registry, annotation_keys, classify)
    results = [context.evaluate(n, local.get(n), locked.get(n)) for n in names]
    if waivers is not None:
        results = [_waived(r, waivers, registry, annotation_keys) for r in results]
    budget = len(results) if max_diffs is None else max_diffs
    for i, result in enumerate(results):
        fixture, schema = local.get(result.name), registry.fetched.get(result.name)
        if not diffable(result, fixture, schema):
            continue
        assert fixture is not None
        assert schema is not None
        if budget <= 0:
            results[i] = without_diff(result)
            continue
        budget -= 1
        results[i] = with_diff(track, result, fixture.content, schema)
    return tuple(results)


def evaluate_schema(
    track: str,
    name: str,
    fixture: LocalState | None,
    lock: Locked | None,
    registry: RegistryView,
    *,
    annotation_keys: frozenset[str],
    classify: Classifier | None = None,
    waivers: WaiverLookup | None = None,
) -> SchemaResult:
    """One name's result as :func:`evaluate_track` gives it, before any diff: for a
    caller that evaluates each schema as its content arrives (``registry.fetched``
    then needs only that name) and keeps only the result."""
    result = _Context(track, registry, annotation_keys, classify).evaluate(name, fixture, lock)
    return result if waivers is None else _waived(result, waivers, registry, annotation_keys)


def diffable(
    result: SchemaResult, fixture: LocalState | None, schema: RegistrySchema | None
) -> bool:
    """Whether ``result`` carries a unified diff when the budget allows."""
    return (
        result.status in _DIFFED
        and fixture is not None
        and fixture.content is not None
        and schema is not None
    )


def with_diff(
    track: str, result: SchemaResult, fixture: Any, schema: RegistrySchema
) -> SchemaResult:
    """``result`` with the unified diff fixture -> registry."""
    from drift.textdiff import unified_diff  # only when a schema moved

    label = f"registry/{track}/{result.name}@{schema.core_version or '?'}"
    diff = unified_diff(
        fixture, schema.content, old_label=f"fixture/{track}/{result.name}.json", new_label=label
    )
    return replace(result, diff=diff)


def without_diff(result: SchemaResult) -> SchemaResult:
    """``result`` past the diff budget: the message says where to see the diff."""
    return replace(result, message=_join(result.message, _NO_DIFF))


_DIFFED = frozenset({Status.ANNOTATIONS, Status.DRIFTED, Status.LOCAL_EDIT, Status.CONFLICT})
_NO_DIFF = "diff left out (too many changed schemas): see `drift sync-fixtures --dry-run`"


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


@record(frozen=True)
class _Context:
    track: str
    registry: RegistryView
    keys: frozenset[str]
    classify: Classifier | None

    def evaluate(self, name: str, fixture: LocalState | None, lock: Locked | None) -> SchemaResult:
        entry = self.registry.index.get(name) if self.registry.available else None
        known: dict[str, Any] = {  # each branch builds its result once (no replace)
            "name": name,
            "track": self.track,
            "fixture_sha256": fixture.sha256 if fixture else None,
            "lock_sha256": lock.sha256 if lock else None,
            "locked_tag": lock.registry_sha256 if lock else None,
            "locked_core_version": lock.core_version if lock else None,
            "registry_tag": entry.sha256 if entry else None,
            "core_version": (entry.core_version or None) if entry else None,
        }
        if fixture is not None and not fixture.valid:
            msg = fixture.error or "unreadable"
            return SchemaResult(**known, status=Status.INVALID, message=msg)
        if not self.registry.available:
            base = SchemaResult(**known, status=Status.UNKNOWN)
            return _without_content(base, fixture, lock, self.registry.error or "no answer")
        if entry is None:
            where = "the fixture" if fixture else "the lock"
            msg = f"{where} lists it but the registry index does not"
            return SchemaResult(**known, status=Status.MISSING_IN_REGISTRY, message=msg)
        schema = self.registry.fetched.get(name)
        if fixture is None:
            msg = "no fixture; the lock still lists it" if lock else "no fixture"
            result = SchemaResult(**known, status=Status.UNTRACKED, message=msg)
        elif schema is not None:
            base = SchemaResult(**known, status=Status.UNKNOWN)
            result = self._compare(base, fixture, lock, entry, schema)
        elif lock and lock.registry_sha256 == entry.sha256 and fixture.sha256 == lock.sha256:
            result = SchemaResult(**known, status=Status.SYNCED)
        else:
            error = self.registry.fetch_errors.get(name, "registry content not fetched")
            base = SchemaResult(**known, status=Status.UNKNOWN)
            result = _without_content(base, fixture, lock, error)
        return _deprecate(result, entry, schema)

    def _compare(
        self,
        base: SchemaResult,
        fixture: LocalState,
        lock: Locked | None,
        entry: IndexEntry,
        schema: RegistrySchema,
    ) -> SchemaResult:
        from drift.canonical import canonical_hash, structural_hash  # only once a schema is fetched

        registry_sha = canonical_hash(schema.content)
        version = schema.core_version or base.core_version
        base = replace(base, registry_sha256=registry_sha, core_version=version)
        if fixture.sha256 == registry_sha:
            if lock is not None and fixture.sha256 != lock.sha256:  # never "synced"
                note = f"fixture differs from its lock entry (it equals the registry); {_SYNC_HINT}"
                return replace(base, status=Status.LOCAL_EDIT, message=note)
            note = _lock_note(lock, entry, registry_sha)
            return replace(base, status=Status.SYNCED, message=note)
        # Without a lock entry nothing is known to have moved locally: plain drift.
        fixture_moved = lock is not None and fixture.sha256 != lock.sha256
        registry_moved = lock is not None and (
            lock.registry_sha256 != entry.sha256 and lock.sha256 != registry_sha
        )
        same_structure = fixture.structural_sha256 == structural_hash(schema.content, self.keys)
        if same_structure:
            status = Status.ANNOTATIONS
        elif not fixture_moved:
            status = Status.DRIFTED
        elif not registry_moved:
            status = Status.LOCAL_EDIT
        else:
            status = Status.CONFLICT
        verdict, changes, found, note = self._classify(fixture.content, schema.content, status)
        return replace(
            base,
            status=status,
            verdict=verdict,
            changes=changes,
            counterexample=found,
            message=note,
        )

    def _classify(
        self, old: Any, new: Any, status: Status
    ) -> tuple[str | None, tuple[Change, ...], Counterexample | None, str]:
        if self.classify is None:
            return ("annotations-only" if status is Status.ANNOTATIONS else None), (), None, ""
        try:
            judged = Judgement(*self.classify(old, new))
        except Exception as exc:  # a classifier bug must not hide the drift itself
            why = f"classification failed: {type(exc).__name__}: {exc}"
            return "cannot-prove", (), None, why
        found = judged.counterexample if judged.verdict == "breaking" else None
        return judged.verdict, tuple(judged.changes), found, ""


def _waived(
    result: SchemaResult, waivers: WaiverLookup, registry: RegistryView, keys: frozenset[str]
) -> SchemaResult:
    """``result`` with the waiver made for its schema (covering or not), if any."""
    build = waivers.get(result.name)
    if build is None:
        return result
    schema = registry.fetched.get(result.name)
    from drift.canonical import structural_hash

    structural = structural_hash(schema.content, keys) if schema is not None else None
    return replace(result, waiver=build(result.registry_tag, structural))


def _without_content(
    base: SchemaResult, fixture: LocalState | None, lock: Locked | None, reason: str
) -> SchemaResult:
    """Rows 2, 3, 12, 13: judge from the lock alone."""
    if fixture is None:
        return replace(base, status=Status.UNKNOWN, message=f"no fixture; {reason}")
    if lock is None or fixture.sha256 == lock.sha256:
        return replace(base, status=Status.UNKNOWN, message=reason)
    where = f"registry content unknown: {reason}"
    if fixture.structural_sha256 == lock.structural_sha256:
        msg = _join("fixture annotations edited since the last sync", where)
        return replace(base, status=Status.ANNOTATIONS, verdict="annotations-only", message=msg)
    msg = _join("fixture edited since the last sync", where)
    return replace(base, status=Status.LOCAL_EDIT, message=msg)


def _lock_note(lock: Locked | None, entry: IndexEntry, registry_sha: str) -> str:
    if lock is None:
        return f"not in the lock; {_SYNC_HINT}"
    if lock.registry_sha256 != entry.sha256:
        return f"lock tag outdated; {_SYNC_HINT}"
    return ""


def _deprecate(
    result: SchemaResult, entry: IndexEntry, schema: RegistrySchema | None
) -> SchemaResult:
    if not (entry.deprecated or (schema is not None and schema.deprecated)):
        return result
    note = (schema.deprecation_note if schema else None) or "deprecated in the registry"
    if result.status in _SOFT:
        return replace(result, status=Status.DEPRECATED, message=_join(note, result.message))
    return replace(result, message=_join(result.message, f"deprecated: {note}"))

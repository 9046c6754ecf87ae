"""The ``sync-fixtures`` and ``fetch-schemas`` workflows.

``plan_sync`` decides what a sync would change (pure apart from reading the
registry through the source it is given); ``sync_fixtures`` applies the plan
through :meth:`FixtureStore.apply`, which is atomic: any failure leaves the
fixtures and the lock byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from drift._version import __version__
from drift.atomic import write_atomic
from drift.canonical import canonical_hash, structural_hash
from drift.config import Settings
from drift.durations import utc_iso
from drift.errors import ConfigError, RegistryError, SyncError
from drift.fixtures import FixtureStore, fixture_bytes
from drift.lockfile import Lock, LockEntry, empty_lock
from drift.model import RegistryIndex, RegistrySchema
from drift.names import safe_filename, validate_name
from drift.report import Counterexample
from drift.sources.base import RegistrySource, fetch_each

__all__ = ["FetchSummary", "SyncChange", "SyncPlan", "fetch_schemas", "plan_sync", "sync_fixtures"]


@dataclass(frozen=True)
class SyncChange:
    """One fixture a sync writes (``action``: ``add`` or ``update``)."""

    track: str
    name: str
    action: str
    content: bytes
    entry: LockEntry
    verdict: str = ""
    changes: tuple[str, ...] = ()
    diff: str = ""
    counterexample: Counterexample | None = None
    """The instance that proves a ``breaking`` verdict."""


@dataclass(frozen=True)
class SyncPlan:
    """What a sync changes; ``lock`` is the lock to write after the fixtures."""

    changes: tuple[SyncChange, ...]
    lock: Lock
    lock_changed: bool
    unchanged: int = 0
    base: bytes | None = None
    """The lock file's bytes when the plan was made (``None``: there was none)."""

    @property
    def empty(self) -> bool:
        return not self.changes and not self.lock_changed


def plan_sync(
    settings: Settings,
    source: RegistrySource,
    store: FixtureStore,
    *,
    clock: Callable[[], float] = time.time,
    diffs: bool = True,
) -> SyncPlan:
    """Index-first: only schemas whose registry tag moved, or whose fixture moved, are fetched.

    ``diffs=False`` leaves :attr:`SyncChange.diff` empty (only a dry run shows them).
    Fixtures the lock vouches for (same bytes, or same canonical hash) are never
    re-validated; the new content is validated once, when it is written.
    """
    index = source.index()
    base = _lock_bytes(store)
    old_lock = store.read_lock()
    lock = old_lock or empty_lock(settings.registry_label(), __version__)
    fetched_at = utc_iso(clock())
    changes: list[SyncChange] = []
    unchanged = 0
    for track in settings.selected:
        names = sorted(n for n in index.track(track) if settings.selects(track, n))
        wanted = [n for n in names if _needs_fetch(store, lock, index, track, n)]
        unchanged += len(names) - len(wanted)
        updates: dict[str, LockEntry | None] = _file_hashes(store, lock, track, names, wanted)
        failed: dict[str, RegistryError] = {}
        planned: dict[str, SyncChange] = {}
        # Each schema is planned as its download completes (judging overlaps the network).
        for name, result in fetch_each(source, track, wanted):
            if isinstance(result, RegistryError):
                failed[name] = result
            elif not failed:
                planned[name] = _change_for(
                    settings, store, lock, track, name, result, fetched_at, diffs
                )
        if failed:  # a registry fault (exit 3, as fetch-schemas), not bad local input
            name = min(failed)
            raise RegistryError(
                f"{track}/{name}: {failed[name]}; nothing was changed", kind=failed[name].kind
            )
        for name in wanted:
            change = planned[name]
            updates[name] = change.entry
            if change.action != "relock":
                changes.append(change)
        lock = lock.with_entries(track, updates)
    lock = _with_header(lock, settings.registry_label())
    return SyncPlan(tuple(changes), lock, lock != old_lock, unchanged, base)


def sync_fixtures(store: FixtureStore, plan: SyncPlan) -> None:
    """Apply ``plan`` atomically (fixtures first, lock last).

    Refused (:class:`SyncError`, nothing changed) when another sync rewrote the
    lock after ``plan`` was made: its lock would otherwise drop that sync's entries.
    """
    if plan.empty:
        return
    updates: dict[str, dict[str, bytes | None]] = {}
    for change in plan.changes:
        updates.setdefault(change.track, {})[change.name] = change.content
    hook = store.before_replace

    def unchanged_since_plan(index: int) -> None:  # runs under the store's file lock
        if _lock_bytes(store) != plan.base:
            raise SyncError(
                f"another sync changed {store.lock_path} after this one read it; "
                "run sync-fixtures again"
            )
        if hook is not None:
            hook(index)

    store.before_replace = unchanged_since_plan
    try:
        store.apply(updates, plan.lock)
    finally:
        store.before_replace = hook


def _lock_bytes(store: FixtureStore) -> bytes | None:
    try:
        return store.lock_path.read_bytes()
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class FetchSummary:
    """What ``fetch-schemas`` wrote."""

    output: Path
    written: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)


def fetch_schemas(
    settings: Settings, source: RegistrySource, output: Path, *, all_schemas: bool = False
) -> FetchSummary:
    """Download the selected schemas of each selected track into ``output`` (never fixtures/).

    :class:`~drift.errors.ConfigError` when ``output`` is, or is inside, the
    fixtures directory: fixtures change only through ``sync-fixtures`` and its lock.
    """
    _refuse_fixtures_dir(output, settings.fixtures_dir)
    index = source.index()
    written: dict[str, tuple[str, ...]] = {}
    errors: dict[str, str] = {}
    for track in settings.selected:
        names = [n for n in sorted(index.track(track)) if all_schemas or settings.selects(track, n)]
        results = source.fetch_many(track, names)
        target = output / track
        target.mkdir(parents=True, exist_ok=True)
        done: list[str] = []
        for name, result in sorted(results.items()):
            if isinstance(result, RegistryError):
                errors[f"{track}/{name}"] = str(result)
                continue
            write_atomic(target / safe_filename(name), fixture_bytes(result.content))
            done.append(name)
        written[track] = tuple(done)
    write_atomic(output / "index.json", _index_bytes(index, settings.registry_label()))
    return FetchSummary(output, written, errors)


def _refuse_fixtures_dir(output: Path, fixtures: Path) -> None:
    real, home = os.path.realpath(output), os.path.realpath(fixtures)
    if real == home or real.startswith(home.rstrip(os.sep) + os.sep):
        raise ConfigError(
            f"{output}: is the fixtures directory {fixtures}; fetch-schemas never writes "
            "fixtures (sync-fixtures updates them with their lock); choose another --output"
        )


def _needs_fetch(
    store: FixtureStore, lock: Lock, index: RegistryIndex, track: str, name: str
) -> bool:
    entry = lock.entry(track, name)
    if entry is None or entry.registry_sha256 != index.track(track)[name].sha256:
        return True
    try:
        if entry.file_sha256:  # the bytes the last sync wrote: nothing to parse
            raw = store.read(track, validate_name(name))
            if hashlib.sha256(raw).hexdigest() == entry.file_sha256:
                return False
        loaded = store.load(track, validate_name(name), verified_sha256=entry.sha256)
        return loaded.sha256 != entry.sha256
    except Exception:  # missing or unreadable fixture: fetch and rewrite it
        return True


def _file_hashes(
    store: FixtureStore, lock: Lock, track: str, names: Iterable[str], wanted: Iterable[str]
) -> dict[str, LockEntry | None]:
    """Lock entries of unchanged fixtures that lack ``file_sha256`` (older locks), filled in."""
    skip = set(wanted)
    out: dict[str, LockEntry | None] = {}
    for name in names:
        entry = lock.entry(track, name)
        if name in skip or entry is None or entry.file_sha256:
            continue
        digest = hashlib.sha256(store.read(track, name)).hexdigest()
        out[name] = replace(entry, file_sha256=digest)
    return out


def _change_for(
    settings: Settings,
    store: FixtureStore,
    lock: Lock,
    track: str,
    name: str,
    schema: RegistrySchema,
    fetched_at: str,
    diffs: bool,
) -> SyncChange:
    validate_name(name)
    content = fixture_bytes(schema.content)
    entry = LockEntry(
        file_sha256=hashlib.sha256(content).hexdigest(),
        sha256=canonical_hash(schema.content),
        structural_sha256=structural_hash(schema.content, settings.annotation_keys),
        registry_sha256=schema.sha256,
        core_version=schema.core_version,
        fetched_at=fetched_at,
    )
    locked = lock.entry(track, name)
    try:  # a fixture the lock vouches for is not validated again
        fixture = store.load(track, name, verified_sha256=locked.sha256 if locked else None)
    except Exception:
        return SyncChange(track, name, "add", content, entry)
    old: Any = fixture.content
    if fixture.raw == content:
        return SyncChange(track, name, "relock", content, entry)
    from drift import compat
    from drift.textdiff import unified_diff

    config = settings.tracks[track]
    judged = compat.judge(
        old, schema.content, config.role, settings.annotation_keys, policy=config.compat_policy
    )
    return SyncChange(
        track,
        name,
        "update",
        content,
        entry,
        verdict=judged.verdict,
        changes=tuple(f"{c.path or '/'}: {c.message}" for c in judged.changes),
        counterexample=judged.counterexample,
        diff=unified_diff(
            old,
            schema.content,
            old_label=f"fixtures/{track}/{name}.json",
            new_label=f"registry {track}/{name}",
        )
        if diffs
        else "",
    )


def _with_header(lock: Lock, registry: str) -> Lock:
    if lock.registry == registry and lock.tool_version == __version__:
        return lock
    return replace(lock, registry=registry, tool_version=__version__)


def _index_bytes(index: RegistryIndex, location: str) -> bytes:
    body = {
        "generated_at": index.generated_at,
        "registry": location,
        "tracks": {
            track: {
                "count": len(entries),
                "schemas": [
                    {
                        "name": e.name,
                        "$schema_id": e.name,
                        "sha256": e.sha256,
                        "latest_core_version": e.core_version,
                        "deprecated": e.deprecated,
                    }
                    for _, e in sorted(entries.items())
                ],
            }
            for track, entries in sorted(index.tracks.items())
        },
    }
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()

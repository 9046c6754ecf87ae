"""The ``check-drift`` workflow: fixtures vs lock vs registry, for every selected track.

A service function: it receives its collaborators (settings, a registry
source, a fixture store, the persisted modes, a clock) and returns a
:class:`~drift.report.Report`. It never prints and never exits; the CLI and
the Invoke tasks build the collaborators and render the report.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from drift._version import __version__
from drift.config import Settings, resolve_mode
from drift.durations import utc_iso
from drift.engine import (
    Classifier,
    LocalState,
    Locked,
    RegistryView,
    WaiverLookup,
    enforce,
    evaluate_track,
    plan_fetch,
)
from drift.errors import FixtureError, RegistryError
from drift.fixtures import FixtureStore
from drift.lockfile import Lock, cache_age
from drift.model import CompatPolicy, IndexEntry, Mode, Role
from drift.policy import not_required_failures
from drift.records import record
from drift.report import Judgement, Report, TrackResult

if TYPE_CHECKING:
    from drift.model import RegistryIndex, RegistrySchema
    from drift.sources.base import RegistrySource
    from drift.waivers import Waiver

__all__ = [
    "MAX_DIFFS",
    "CheckInputs",
    "check_drift",
    "complete_local",
    "load_local",
    "locked_entries",
]

#: Unified diffs per track in a report; beyond that the report says where to look
#: (a bulk registry update of hundreds of schemas should not make a 10 MB report).
MAX_DIFFS = 50


@record(frozen=True)
class CheckInputs:
    """Everything a check needs besides the settings."""

    store: FixtureStore
    source: RegistrySource | None
    """``None`` when the registry is disabled (``REGISTRY_ENABLED=false``)."""
    modes: Mapping[str, Mode]
    """Per-track modes persisted by ``set-mode`` (:meth:`drift.modes.ModeFile.read`)."""
    clock: Callable[[], float] = time.time
    transitive: bool = False
    """Judge drifted schemas against every registry version since the lock."""
    waivers: tuple[Waiver, ...] = ()
    """The project's waivers (``.drift-waivers.toml``); judged on the day of ``clock``."""


def check_drift(settings: Settings, inputs: CheckInputs) -> Report:
    """Run the drift engine over the selected tracks and decide the exit code."""
    started = inputs.clock()
    lock = inputs.store.read_lock()
    selectors = {track: _selector(settings, track) for track in settings.selected}
    raws: dict[str, dict[str, bytes]] = {track: {} for track in selectors}
    with _in_background(_read_index, inputs.source) as pending:  # the index request in
        local = {  # flight while the fixtures are read and hashed
            track: load_local(inputs.store, track, selects, lock, raws[track])
            for track, selects in selectors.items()
        }
    index, index_error = pending()
    tracks = tuple(
        _check_track(
            settings,
            inputs,
            track,
            lock,
            index,
            index_error,
            started,
            selectors[track],
            local[track],
            raws.pop(track),
        )
        for track in settings.selected
    )
    exit_code, failures = enforce(
        tracks,
        fail_on=settings.fail_on,
        registry_enabled=settings.registry_enabled,
        fail_open=settings.fail_open,
    )
    not_required = not_required_failures(tracks, settings.fail_on)
    return Report(
        repo=settings.repo,
        registry=settings.registry_label(),
        generated_at=utc_iso(started),
        tool_version=__version__,
        duration_seconds=round(inputs.clock() - started, 6),
        registry_enabled=settings.registry_enabled,
        fail_on=settings.fail_on,
        tracks=tracks,
        exit_code=exit_code,
        failures=failures,
        not_required=not_required,
        require_all=settings.require_all,
        extra={"requests": inputs.source.requests_made if inputs.source else 0},
    )


@contextmanager
def _in_background(
    read: Callable[[RegistrySource | None], tuple[RegistryIndex | None, str | None]],
    source: RegistrySource | None,
) -> Iterator[Callable[[], tuple[RegistryIndex | None, str | None]]]:
    """``read(source)`` on a thread while the block runs (inline without a registry);
    yields how to get its answer (an exception of ``read`` is raised there).

    One plain thread, not a ``concurrent.futures`` pool: that module imports
    :mod:`logging` and a pool's machinery, for one call of a nothing-moved check."""
    if source is None:
        yield lambda: read(None)
        return
    import threading

    answer: list[tuple[RegistryIndex | None, str | None]] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            answer.append(read(source))
        except BaseException as exc:  # handed to the caller, as a future would
            failure.append(exc)

    thread = threading.Thread(target=run, name="drift-index")
    thread.start()

    def result() -> tuple[RegistryIndex | None, str | None]:
        thread.join()
        if failure:
            raise failure[0]
        return answer[0]

    try:
        yield result
    finally:
        thread.join()


def load_local(
    store: FixtureStore,
    track: str,
    selects: Callable[[str], bool],
    lock: Lock | None = None,
    keep: dict[str, bytes] | None = None,
) -> dict[str, LocalState]:
    """Read every selected fixture of ``track``; unreadable ones become ``error`` states.

    A fixture whose bytes still hash to the lock's ``file_sha256`` is the
    content the sync validated and hashed: its state comes from the lock
    without parsing (``content`` stays ``None`` until :func:`complete_local`);
    its bytes go to ``keep`` if given, so they need not be read again.
    """
    out: dict[str, LocalState] = {}
    for name, raw in store.scan(track):
        if not selects(name):
            continue
        if isinstance(raw, FixtureError):
            out[name] = LocalState(name, None, None, None, error=str(raw))
            continue
        entry = lock.entry(track, name) if lock is not None else None
        if entry is not None and hashlib.sha256(raw).hexdigest() == entry.file_sha256:
            out[name] = LocalState(name, None, entry.sha256, entry.structural_sha256)
            if keep is not None:
                keep[name] = raw
            continue
        try:
            fixture = store.parse(track, name, raw, verified_sha256=entry.sha256 if entry else None)
        except FixtureError as exc:
            out[name] = LocalState(name, None, None, None, error=str(exc))
            continue
        out[name] = LocalState(name, fixture.content, fixture.sha256, fixture.structural_sha256)
    return out


def complete_local(
    store: FixtureStore, track: str, local: Mapping[str, LocalState], names: Iterable[str]
) -> dict[str, LocalState]:
    """``local`` with the content of ``names`` loaded where it was skipped."""
    out = dict(local)
    fetched = list(names)
    if not fetched:
        return out
    from drift.streaming import completed

    for name in fetched:
        state = completed(store, track, out.get(name))
        if state is not None:
            out[name] = state
    return out


def locked_entries(
    lock: Lock | None, track: str, selects: Callable[[str], bool]
) -> dict[str, Locked]:
    """The lock's entries of ``track`` as the engine's ``Locked`` records."""
    if lock is None:
        return {}
    return {
        name: Locked(
            sha256=e.sha256,
            structural_sha256=e.structural_sha256,
            registry_sha256=e.registry_sha256,
            core_version=e.core_version,
            fetched_at=e.fetched_at,
        )
        for name, e in lock.entries.get(track, {}).items()
        if selects(name)
    }


def _read_index(source: RegistrySource | None) -> tuple[RegistryIndex | None, str | None]:
    if source is None:
        return None, None
    try:
        return source.index(), None
    except RegistryError as exc:
        return None, str(exc)


def _selector(settings: Settings, track: str) -> Callable[[str], bool]:
    """``settings.selects`` for ``track``, remembered (the engine asks for every name often)."""
    chosen: dict[str, bool] = {}

    def selects(name: str) -> bool:
        answer = chosen.get(name)
        if answer is None:
            answer = chosen[name] = settings.selects(track, name)
        return answer

    return selects


def _check_track(
    settings: Settings,
    inputs: CheckInputs,
    track: str,
    lock: Lock | None,
    index: RegistryIndex | None,
    index_error: str | None,
    now: float,
    selects: Callable[[str], bool],
    local: dict[str, LocalState],
    raw: dict[str, bytes],
) -> TrackResult:
    config = settings.tracks[track]
    locked = locked_entries(lock, track, selects)
    classify = _classifier(config.role, settings.annotation_keys, config.compat_policy)
    waivers = _waiver_lookup(inputs.waivers, track, now)
    if inputs.source is not None and index is not None and not inputs.transitive:
        from drift.streaming import Known, evaluate_as_fetched  # the registry answered

        view = RegistryView(True, None, index.track(track), {}, {})
        results = evaluate_as_fetched(
            inputs.store,
            inputs.source,
            track,
            Known(local, locked, view.index, raw),
            selects,
            settings.annotation_keys,
            classify,
            max_diffs=MAX_DIFFS,
            waivers=waivers,
        )
    else:
        view = _registry_view(inputs.source, track, index, index_error, local, locked, selects)
        local = complete_local(inputs.store, track, local, view.fetched)
        results = evaluate_track(
            track,
            local,
            locked,
            view,
            selected=selects,
            annotation_keys=settings.annotation_keys,
            classify=classify,
            max_diffs=MAX_DIFFS,
            waivers=waivers,
        )
    if inputs.transitive and inputs.source is not None and view.available:
        contents = {n: s.content for n, s in local.items() if s.content is not None}
        from drift.transitive import with_history

        results = with_history(results, contents, inputs.source, classify)
    mode, mode_source = resolve_mode(settings, track, inputs.modes)
    age = cache_age(lock, track, now) if lock is not None else None
    available = view.available and inputs.source is not None
    # Stale only when the registry should have answered: REGISTRY_ENABLED=false
    # is a deliberate rollback and must not fail a build.
    stale = bool(
        inputs.source is not None
        and not available
        and config.max_stale is not None
        and age is not None
        and age > config.max_stale
    )
    return TrackResult(
        track=track,
        mode=mode,
        mode_source=mode_source,
        required=config.required or settings.require_all,
        role=config.role,
        compat_policy=config.compat_policy,
        registry_available=available,
        registry_error=view.error if inputs.source is not None else "registry disabled",
        cache_age_seconds=None if age is None else round(age, 3),
        stale=stale,
        schemas=results,
    )


def _registry_view(
    source: RegistrySource | None,
    track: str,
    index: RegistryIndex | None,
    index_error: str | None,
    local: Mapping[str, LocalState],
    locked: Mapping[str, Locked],
    selects: Callable[[str], bool],
) -> RegistryView:
    if source is None:
        # Registry disabled: verify fixtures against the lock only, as if the
        # registry still served exactly what was locked.
        pinned = {
            name: IndexEntry(name, entry.registry_sha256, entry.core_version)
            for name, entry in locked.items()
        }
        unlocked = {name: IndexEntry(name, "") for name in local if name not in locked}
        reason = "registry disabled and the fixture is not in the lock"
        return RegistryView(True, None, {**pinned, **unlocked}, {}, dict.fromkeys(unlocked, reason))
    if index is None:
        return RegistryView(False, index_error, {}, {}, {})
    from drift.model import RegistrySchema  # the registry answered

    entries = index.track(track)
    wanted = plan_fetch(local, locked, entries, selects)
    fetched: dict[str, RegistrySchema] = {}
    errors: dict[str, str] = {}
    for name, result in source.fetch_many(track, wanted).items():
        if isinstance(result, RegistrySchema):
            fetched[name] = result
        else:
            errors[name] = str(result)
    return RegistryView(True, None, entries, fetched, errors)


def _waiver_lookup(waivers: Iterable[Waiver], track: str, now: float) -> WaiverLookup:
    mine = [w for w in waivers if w.track == track]
    if not mine:
        return {}
    from drift.waivers import note_for

    today = dt.datetime.fromtimestamp(now, dt.timezone.utc).date()
    return {w.schema: functools.partial(note_for, w, today) for w in mine}


def _classifier(role: Role, annotation_keys: frozenset[str], policy: CompatPolicy) -> Classifier:
    def classify(old: Any, new: Any) -> Judgement:
        from drift import compat  # only when a schema moved

        return compat.judge(old, new, role, annotation_keys, policy=policy)

    return classify

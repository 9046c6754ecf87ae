"""A track's check with each schema judged as its download completes (the I/O edge).

Same results as :func:`drift.engine.evaluate_track` over everything fetched, but
only results are kept: a fixture's content and the registry's are dropped once
the schema is judged, except for the few that get a unified diff. Peak memory
stays flat however many schemas moved, and judging overlaps the downloads.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from drift.engine import (
    Classifier,
    LocalState,
    Locked,
    RegistryView,
    WaiverLookup,
    diffable,
    evaluate_schema,
    plan_fetch,
    with_diff,
    without_diff,
)
from drift.errors import FixtureError
from drift.fixtures import FixtureStore
from drift.model import IndexEntry, RegistrySchema
from drift.report import SchemaResult
from drift.sources.base import RegistrySource, fetch_each

__all__ = ["Known", "completed", "evaluate_as_fetched"]


@dataclass(frozen=True)
class Known:
    """What a track's check knows before any content is fetched."""

    local: Mapping[str, LocalState]
    locked: Mapping[str, Locked]
    index: Mapping[str, IndexEntry]
    raw: dict[str, bytes] = field(default_factory=dict)
    """Bytes of fixtures read but not parsed (the lock vouched for them): consumed
    (emptied) by :func:`evaluate_as_fetched`, which parses those it fetched."""


def evaluate_as_fetched(
    store: FixtureStore,
    source: RegistrySource,
    track: str,
    known: Known,
    selects: Callable[[str], bool],
    keys: frozenset[str],
    classify: Classifier,
    *,
    max_diffs: int,
    waivers: WaiverLookup | None = None,
) -> tuple[SchemaResult, ...]:
    """:func:`~drift.engine.evaluate_track`'s results, each schema judged as its download
    completes: only the results are kept, and the contents of the first
    ``max_diffs`` diffable names (those that get a diff), never all of them."""
    local, locked, entries = known.local, known.locked, known.index
    judged: dict[str, SchemaResult] = {}
    errors: dict[str, str] = {}
    diffable_names: set[str] = set()
    kept: list[tuple[str, Any, RegistrySchema]] = []  # the smallest diffable names so far
    wanted = plan_fetch(local, locked, entries, selects)
    raw = {name: known.raw[name] for name in wanted if name in known.raw}
    known.raw.clear()
    for name, fetched in fetch_each(source, track, wanted):
        if not isinstance(fetched, RegistrySchema):
            errors[name] = str(fetched)
            continue
        state = completed(store, track, local.get(name), raw.pop(name, None))
        view = RegistryView(True, None, entries, {name: fetched}, {})
        result = evaluate_schema(
            track,
            name,
            state,
            locked.get(name),
            view,
            annotation_keys=keys,
            classify=classify,
            waivers=waivers,
        )
        judged[name] = result
        if state is not None and diffable(result, state, fetched):
            diffable_names.add(name)
            bisect.insort(kept, (name, state.content, fetched), key=lambda item: item[0])
            del kept[max_diffs:]
    view = RegistryView(True, None, entries, {}, errors)
    contents = {name: (content, schema) for name, content, schema in kept}
    results: list[SchemaResult] = []
    budget = max_diffs
    for name in sorted({n for n in (*local, *locked, *entries) if selects(n)}):
        final = judged.get(name)
        if final is None:
            final = evaluate_schema(
                track,
                name,
                local.get(name),
                locked.get(name),
                view,
                annotation_keys=keys,
                waivers=waivers,
            )
        elif name in diffable_names:
            if budget > 0:
                content, schema = contents[name]
                final = with_diff(track, final, content, schema)
            else:
                final = without_diff(final)
            budget -= 1
        results.append(final)
    return tuple(results)


def completed(
    store: FixtureStore, track: str, state: LocalState | None, raw: bytes | None = None
) -> LocalState | None:
    """``state`` with its content loaded (from ``raw`` if given) if the fast path skipped it."""
    if state is None or state.content is not None or state.error is not None:
        return state
    try:
        if raw is None:
            fixture = store.load(track, state.name, verified_sha256=state.sha256)
        else:
            fixture = store.parse(track, state.name, raw, verified_sha256=state.sha256)
    except FixtureError as exc:  # changed on disk since the first read
        return LocalState(state.name, None, None, None, error=str(exc))
    return LocalState(state.name, fixture.content, fixture.sha256, fixture.structural_sha256)

"""The three-way drift engine: plan_fetch, evaluate_track and the exit-code policy."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from drift.canonical import DEFAULT_ANNOTATION_KEYS, canonical_hash, structural_hash
from drift.engine import (
    LocalState,
    Locked,
    RegistryView,
    enforce,
    evaluate_track,
    fails_policy,
    plan_fetch,
)
from drift.errors import ConfigError
from drift.model import IndexEntry, RegistrySchema, Status
from drift.report import Change, SchemaResult, TrackResult

REGISTRY = Path(__file__).resolve().parents[2] / "registry"
KEYS = DEFAULT_ANNOTATION_KEYS
NAME = "t.Event"


# -- builders ---------------------------------------------------------------


def schema(version: str = "1.0.0", **props: Any) -> dict[str, Any]:
    properties = props or {"id": {"type": "string"}}
    return {
        "$schema_id": NAME,
        "$core_version": version,
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
    }


def tag(content: Any) -> str:
    """A registry tag: the digest of the bytes as the registry would store them."""
    text = json.dumps(content, indent=2, sort_keys=True) + "\n"
    return hashlib.sha256(text.encode()).hexdigest()


def local(content: Any, name: str = NAME) -> LocalState:
    return LocalState(name, content, canonical_hash(content), structural_hash(content, KEYS))


def locked(content: Any, version: str = "1.0.0") -> Locked:
    return Locked(
        sha256=canonical_hash(content),
        structural_sha256=structural_hash(content, KEYS),
        registry_sha256=tag(content),
        core_version=version,
        fetched_at="2026-11-01T00:00:00Z",
    )


def entry(content: Any, name: str = NAME, deprecated: bool = False) -> IndexEntry:
    return IndexEntry(name, tag(content), content.get("$core_version", ""), deprecated)


def fetched(
    content: Any, name: str = NAME, deprecated: bool = False, note: str | None = None
) -> RegistrySchema:
    version = content.get("$core_version", "")
    return RegistrySchema(name, "v1", version, tag(content), content, deprecated, note)


def view(
    index: Mapping[str, IndexEntry] | None = None,
    contents: Mapping[str, RegistrySchema] | None = None,
    errors: Mapping[str, str] | None = None,
) -> RegistryView:
    return RegistryView(True, None, index or {}, contents or {}, errors or {})


DOWN = RegistryView(False, "connect: connection refused", {}, {}, {})


def evaluate(
    local_: Mapping[str, LocalState],
    locked_: Mapping[str, Locked],
    registry: RegistryView,
    *,
    classify: Callable[[Any, Any], tuple[str, list[Change]]] | None = None,
    selected: Callable[[str], bool] = lambda _name: True,
) -> dict[str, SchemaResult]:
    results = evaluate_track(
        "v1", local_, locked_, registry, selected=selected, annotation_keys=KEYS, classify=classify
    )
    return {r.name: r for r in results}


def one(
    fixture: Any | None,
    lock: Any | None,
    registry: Any | None,
    *,
    fetch: bool = True,
    **kwargs: Any,
) -> SchemaResult:
    """Evaluate a single schema: contents of fixture, lock and registry (None = absent)."""
    local_ = {NAME: local(fixture)} if fixture is not None else {}
    locked_ = {NAME: locked(lock)} if lock is not None else {}
    index = {NAME: entry(registry)} if registry is not None else {}
    contents = {NAME: fetched(registry)} if registry is not None and fetch else {}
    return evaluate(local_, locked_, view(index, contents), **kwargs)[NAME]


def load(track: str, name: str) -> Any:
    return json.loads((REGISTRY / track / f"{name}.json").read_text(encoding="utf-8"))


OLD = schema("1.0.0")
NEW = schema("1.1.0", id={"type": "string"}, size={"type": "integer"})  # structural change
STAMPED = schema("1.1.0")  # release stamp only
EDITED = schema("1.0.0", id={"type": "integer"})  # local structural edit


# -- plan_fetch ---------------------------------------------------------------


def test_plan_nothing_moved_is_empty() -> None:
    other = schema("1.0.0", other={"type": "null"})
    local_ = {NAME: local(OLD), "t.Other": local(other, "t.Other")}
    locked_ = {NAME: locked(OLD), "t.Other": locked(other)}
    index = {NAME: entry(OLD), "t.Other": entry(other, "t.Other")}
    assert plan_fetch(local_, locked_, index, lambda _n: True) == []


@pytest.mark.parametrize(
    ("fixture", "lock", "registry", "deprecated", "expected"),
    [
        (OLD, OLD, STAMPED, False, [NAME]),  # registry tag moved
        (EDITED, OLD, OLD, False, [NAME]),  # fixture edited: fetch to show the diff
        (OLD, None, OLD, False, [NAME]),  # no lock entry
        (OLD, OLD, OLD, True, [NAME]),  # deprecated: read the note
        (None, None, OLD, False, []),  # untracked: nothing to compare
        (None, OLD, NEW, False, []),  # fixture deleted
    ],
)
def test_plan_fetch_cases(
    fixture: Any, lock: Any, registry: Any, deprecated: bool, expected: list[str]
) -> None:
    local_ = {NAME: local(fixture)} if fixture is not None else {}
    locked_ = {NAME: locked(lock)} if lock is not None else {}
    index = {NAME: entry(registry, deprecated=deprecated)}
    assert plan_fetch(local_, locked_, index, lambda _n: True) == expected


def test_plan_skips_invalid_and_unselected_and_sorts() -> None:
    names = ["t.C", "t.A", "t.B", "t.Bad"]
    local_ = {n: local(OLD, n) for n in names[:3]}
    local_["t.Bad"] = LocalState("t.Bad", None, None, None, error="not JSON")
    index = {n: entry(STAMPED, n) for n in names}
    assert plan_fetch(local_, {}, index, lambda n: n != "t.B") == ["t.A", "t.C"]


# -- evaluate_track: one test per status and rule -------------------------------


def test_synced_when_nothing_moved_without_fetching() -> None:
    result = one(OLD, OLD, OLD, fetch=False)
    assert result.status is Status.SYNCED
    assert result.fixture_sha256 == result.lock_sha256 == canonical_hash(OLD)
    assert result.registry_tag == result.locked_tag == tag(OLD)
    assert (result.core_version, result.locked_core_version) == ("1.0.0", "1.0.0")
    assert result.registry_sha256 is None  # nothing fetched


def test_invalid_fixture_wins_even_when_registry_is_down() -> None:
    bad = LocalState(NAME, None, None, None, error="fixtures/v1/t.Event.json: not JSON")
    for registry in (view({NAME: entry(OLD)}), DOWN):
        result = evaluate({NAME: bad}, {NAME: locked(OLD)}, registry)[NAME]
        assert result.status is Status.INVALID
        assert result.message == "fixtures/v1/t.Event.json: not JSON"


def test_registry_down_gives_unknown_for_unmoved_fixtures() -> None:
    results = evaluate({NAME: local(OLD), "t.New": local(NEW, "t.New")}, {NAME: locked(OLD)}, DOWN)
    assert {r.status for r in results.values()} == {Status.UNKNOWN}
    assert "connection refused" in results[NAME].message


def test_registry_down_still_reports_local_edit() -> None:
    result = evaluate({NAME: local(EDITED)}, {NAME: locked(OLD)}, DOWN)[NAME]
    assert result.status is Status.LOCAL_EDIT
    assert "connection refused" in result.message


def test_registry_down_local_annotation_edit_is_annotations() -> None:
    result = evaluate({NAME: local({**OLD, "title": "Renamed"})}, {NAME: locked(OLD)}, DOWN)[NAME]
    assert result.status is Status.ANNOTATIONS
    assert result.verdict == "annotations-only"


def test_registry_down_lock_only_is_unknown() -> None:
    result = evaluate({}, {NAME: locked(OLD)}, DOWN)[NAME]
    assert result.status is Status.UNKNOWN
    assert "no fixture" in result.message


def test_fetch_error_gives_unknown_with_the_error() -> None:
    registry = view({NAME: entry(NEW)}, errors={NAME: "http_5xx: 503 Service Unavailable"})
    result = evaluate({NAME: local(OLD)}, {NAME: locked(OLD)}, registry)[NAME]
    assert result.status is Status.UNKNOWN
    assert result.message == "http_5xx: 503 Service Unavailable"


def test_fetch_error_on_local_edit_keeps_local_edit() -> None:
    registry = view({NAME: entry(OLD)}, errors={NAME: "timeout"})
    result = evaluate({NAME: local(EDITED)}, {NAME: locked(OLD)}, registry)[NAME]
    assert result.status is Status.LOCAL_EDIT
    assert "timeout" in result.message
    assert result.diff == ""


@pytest.mark.parametrize(("fixture", "lock"), [(OLD, OLD), (None, OLD), (OLD, None)])
def test_missing_in_registry(fixture: Any, lock: Any) -> None:
    result = one(fixture, lock, None)
    assert result.status is Status.MISSING_IN_REGISTRY
    assert result.is_drift


@pytest.mark.parametrize("lock", [None, OLD])
def test_untracked(lock: Any) -> None:
    result = one(None, lock, OLD, fetch=False)
    assert result.status is Status.UNTRACKED
    assert result.registry_tag == tag(OLD)


def test_release_stamp_only_is_annotations_not_drift() -> None:
    result = one(OLD, OLD, STAMPED)
    assert result.status is Status.ANNOTATIONS
    assert not result.is_drift
    assert result.verdict == "annotations-only"
    assert '"$core_version": "1.1.0"' in result.diff
    assert result.registry_sha256 == canonical_hash(STAMPED)
    assert (result.core_version, result.locked_core_version) == ("1.1.0", "1.0.0")


def test_local_annotation_edit_with_content_is_annotations() -> None:
    result = one({**OLD, "description": "mine"}, OLD, OLD)
    assert result.status is Status.ANNOTATIONS
    assert '-  "description": "mine",' in result.diff


def test_local_edit_when_registry_did_not_move() -> None:
    result = one(EDITED, OLD, OLD)
    assert result.status is Status.LOCAL_EDIT
    assert result.diff.startswith("--- fixture/v1/t.Event.json\n+++ registry/v1/t.Event@1.0.0")


def test_local_edit_when_registry_only_reserialised() -> None:
    # New tag (other bytes), same canonical content as the lock: the registry did not move.
    registry = view(
        {NAME: IndexEntry(NAME, "other-bytes", "1.0.0")}, {NAME: fetched(copy.deepcopy(OLD))}
    )
    result = evaluate({NAME: local(EDITED)}, {NAME: locked(OLD)}, registry)[NAME]
    assert result.status is Status.LOCAL_EDIT


def test_drifted_when_registry_moved_and_fixture_did_not() -> None:
    result = one(OLD, OLD, NEW)
    assert result.status is Status.DRIFTED
    assert '+    "size": {' in result.diff
    assert result.registry_sha256 == canonical_hash(NEW)
    assert result.registry_tag == tag(NEW)
    assert result.locked_tag == tag(OLD)


def test_drifted_without_lock_entry() -> None:
    assert one(OLD, None, NEW).status is Status.DRIFTED


def test_conflict_when_both_moved() -> None:
    result = one(EDITED, OLD, NEW)
    assert result.status is Status.CONFLICT
    assert result.diff


def test_synced_with_outdated_lock_tag() -> None:
    reordered = dict(reversed(list(OLD.items())))  # same canonical content, new bytes
    registry = view({NAME: IndexEntry(NAME, "new-tag", "1.0.0")}, {NAME: fetched(reordered)})
    result = evaluate({NAME: local(OLD)}, {NAME: locked(OLD)}, registry)[NAME]
    assert result.status is Status.SYNCED
    assert result.message == "lock tag outdated; run sync-fixtures"
    assert result.diff == ""


def test_synced_without_lock_entry_says_so() -> None:
    result = one(OLD, None, OLD)
    assert result.status is Status.SYNCED
    assert "not in the lock" in result.message


def test_deprecated_when_otherwise_synced_uses_the_note() -> None:
    registry = view({NAME: entry(OLD, deprecated=True)}, {NAME: fetched(OLD, note="use t.Event2")})
    result = evaluate({NAME: local(OLD)}, {NAME: locked(OLD)}, registry)[NAME]
    assert result.status is Status.DEPRECATED
    assert result.message == "use t.Event2"


def test_deprecated_without_note_or_fixture() -> None:
    registry = view({NAME: entry(OLD, deprecated=True)}, {NAME: fetched(OLD)})
    result = evaluate({}, {}, registry)[NAME]
    assert result.status is Status.DEPRECATED
    assert result.message.startswith("deprecated in the registry")


def test_drift_dominates_deprecation() -> None:
    registry = view({NAME: entry(NEW, deprecated=True)}, {NAME: fetched(NEW, note="gone soon")})
    result = evaluate({NAME: local(OLD)}, {NAME: locked(OLD)}, registry)[NAME]
    assert result.status is Status.DRIFTED
    assert result.message.endswith("deprecated: gone soon")


def test_classify_gets_fixture_then_registry() -> None:
    calls: list[tuple[Any, Any]] = []
    change = Change("properties.size", "property-added", "added size", False, True)

    def classify(old: Any, new: Any) -> tuple[str, list[Change]]:
        calls.append((old, new))
        return "compatible", [change]

    result = one(OLD, OLD, NEW, classify=classify)
    assert calls == [(OLD, NEW)]
    assert (result.verdict, result.changes) == ("compatible", (change,))


def test_classifier_failure_is_cannot_prove() -> None:
    def classify(old: Any, new: Any) -> tuple[str, list[Change]]:
        raise RecursionError("too deep")

    result = one(OLD, OLD, NEW, classify=classify)
    assert result.status is Status.DRIFTED
    assert result.verdict == "cannot-prove"
    assert "RecursionError" in result.message


def test_no_classifier_leaves_drift_verdict_empty() -> None:
    result = one(OLD, OLD, NEW)
    assert (result.verdict, result.changes) == (None, ())


def test_selection_applies_to_fixtures_lock_and_index() -> None:
    names = ["t.A", "t.B", "t.C"]
    results = evaluate(
        {"t.A": local(OLD, "t.A")},
        {"t.B": locked(OLD)},
        view({n: entry(OLD, n) for n in names}),
        selected=lambda n: n == "t.C",
    )
    assert list(results) == ["t.C"]


def test_results_are_sorted_by_name() -> None:
    names = ["t.Z", "t.A", "t.M"]
    results = evaluate_track(
        "v1", {}, {}, view({n: entry(OLD, n) for n in names}),
        selected=lambda _n: True, annotation_keys=KEYS,
    )  # fmt: skip
    assert [r.name for r in results] == sorted(names)
    assert {r.track for r in results} == {"v1"}


def test_real_snapshot_release_is_annotations_and_quote_drifts() -> None:
    names = ["models.Quote", "telemetry.FeedbackEvent"]
    old = {n: load("v1", n) for n in names}
    new = {n: load("v2", n) for n in names}
    results = evaluate(
        {n: local(old[n], n) for n in names},
        {n: locked(old[n], "1.2.8") for n in names},
        view(
            {n: entry(new[n], n) for n in names},
            {n: fetched(new[n], n) for n in names},
        ),
    )
    assert results["telemetry.FeedbackEvent"].status is Status.ANNOTATIONS
    quote = results["models.Quote"]
    assert quote.status is Status.DRIFTED
    assert '"bid_size"' in quote.diff
    assert quote.core_version == "1.4.61"


# -- enforce ------------------------------------------------------------------

DRIFT = {"drifted", "local-edit", "conflict", "missing-in-registry", "untracked"}
FAILING = {"drift": DRIFT, "any": DRIFT | {"annotations", "deprecated"}}


def track(
    *statuses: Status | tuple[Status, str | None],
    mode: str = "strict",
    name: str = "v1",
    available: bool = True,
    stale: bool = False,
) -> TrackResult:
    schemas = []
    for i, item in enumerate(statuses):
        status, verdict = item if isinstance(item, tuple) else (item, None)
        schemas.append(SchemaResult(f"s{i}", name, status, verdict=verdict))
    return TrackResult(
        name, mode, registry_available=available,
        registry_error=None if available else "timeout", stale=stale, schemas=tuple(schemas),
    )  # fmt: skip


@pytest.mark.parametrize("fail_on", ["drift", "any"])
@pytest.mark.parametrize("status", list(Status))
def test_enforce_per_status_drift_and_any(status: Status, fail_on: str) -> None:
    code, reasons = enforce([track(status)], fail_on, True, True)
    if status is Status.INVALID:
        assert code == 2
    else:
        assert code == (1 if status.value in FAILING[fail_on] else 0)
    assert bool(reasons) == (code != 0)


@pytest.mark.parametrize(
    ("status", "verdict", "expected"),
    [
        (Status.DRIFTED, "compatible", 0),
        (Status.DRIFTED, "breaking", 1),
        (Status.DRIFTED, "cannot-prove", 1),
        (Status.DRIFTED, None, 1),
        (Status.CONFLICT, "breaking", 1),
        (Status.LOCAL_EDIT, "breaking", 1),
        (Status.LOCAL_EDIT, "compatible", 0),
        (Status.ANNOTATIONS, "annotations-only", 0),
        (Status.MISSING_IN_REGISTRY, None, 1),
        (Status.UNTRACKED, None, 0),
        (Status.DEPRECATED, None, 0),
        (Status.UNKNOWN, None, 0),
    ],
)
def test_enforce_breaking(status: Status, verdict: str | None, expected: int) -> None:
    assert enforce([track((status, verdict))], "breaking", True, True)[0] == expected


@pytest.mark.parametrize("fail_on", ["drift", "breaking", "any"])
def test_warn_mode_never_returns_1(fail_on: str) -> None:
    statuses = [s for s in Status if s is not Status.INVALID]
    assert enforce(
        [track(*statuses, mode="warn", stale=True, available=False)], fail_on, True, True
    ) == (0, ())


def test_invalid_is_2_in_any_mode_and_names_the_fixture() -> None:
    code, reasons = enforce([track(Status.INVALID, mode="warn")], "drift", True, True)
    assert code == 2
    assert "s0" in reasons[0]


def test_registry_unavailable_fail_closed_is_3_fail_open_is_0() -> None:
    down = track(Status.UNKNOWN, available=False)
    assert enforce([down], "drift", True, False)[0] == 3
    assert enforce([down], "drift", True, True) == (0, ())
    assert enforce([down], "drift", False, False) == (0, ())  # registry disabled on purpose
    assert (
        enforce([track(Status.UNKNOWN, available=False, mode="warn")], "drift", True, False)[0] == 3
    )


def test_precedence_2_over_3_over_1() -> None:
    drifted = track(Status.DRIFTED, name="v1")
    down = track(Status.UNKNOWN, name="v2", available=False)
    invalid = track(Status.INVALID, name="v3", mode="warn")
    code, reasons = enforce([drifted, down], "drift", True, False)
    assert code == 3
    assert len(reasons) == 2
    assert enforce([drifted, down, invalid], "drift", True, False)[0] == 2


def test_stale_strict_track_fails_only_while_registry_unavailable() -> None:
    assert (
        enforce([track(Status.UNKNOWN, available=False, stale=True)], "drift", True, True)[0] == 1
    )
    assert enforce([track(Status.SYNCED, stale=True)], "drift", True, True)[0] == 0


def test_reasons_name_track_and_schema() -> None:
    _, reasons = enforce([track(Status.SYNCED, Status.DRIFTED, name="v2")], "drift", True, True)
    assert reasons == ("v2 (strict, fail-on drift): 1 schema(s) out of step: s1 (drifted)",)


def test_unknown_fail_on_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="fail_on"):
        enforce([], "everything", True, True)
    with pytest.raises(ConfigError):
        fails_policy(SchemaResult("x", "v1", Status.SYNCED), "nope")


def test_diffs_are_capped_per_track_and_the_rest_say_where_to_look() -> None:
    names = [f"t.E{i}" for i in range(5)]
    old = {n: dict(schema(), **{"$schema_id": n}) for n in names}
    new = {n: dict(schema(id={"type": "integer"}), **{"$schema_id": n}) for n in names}
    results = evaluate_track(
        "v1",
        {n: local(old[n], n) for n in names},
        {n: locked(old[n]) for n in names},
        view({n: entry(new[n], n) for n in names}, {n: fetched(new[n], n) for n in names}),
        selected=lambda _name: True,
        annotation_keys=KEYS,
        max_diffs=2,
    )
    assert [r.status for r in results] == [Status.DRIFTED] * 5
    assert [bool(r.diff) for r in results] == [True, True, False, False, False]
    assert all("sync-fixtures --dry-run" in r.message for r in results[2:])


def test_unloaded_unchanged_fixture_is_synced_without_content() -> None:
    """A fixture the caller did not parse (bytes equal the lock's) is still valid."""
    content = schema()
    state = LocalState(NAME, None, canonical_hash(content), structural_hash(content, KEYS))
    results = evaluate({NAME: state}, {NAME: locked(content)}, view({NAME: entry(content)}))
    assert results[NAME].status is Status.SYNCED

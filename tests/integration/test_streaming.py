"""Judging each schema as its download completes gives evaluate_track's results exactly."""

from __future__ import annotations

import pytest

from drift.check import _classifier, complete_local, load_local, locked_entries
from drift.config import load_settings
from drift.engine import RegistryView, evaluate_track, plan_fetch
from drift.fixtures import FixtureStore
from drift.model import RegistrySchema
from drift.server import RegistryServer
from drift.sources.directory import DirectorySource
from drift.sources.http import RegistryClient
from drift.streaming import Known, evaluate_as_fetched
from tests.integration.project import MakeProject, RegistryEditor, add_required

MOVED = ["models.Health", "models.PriceBar", "models.Quote", "telemetry.FeedbackEvent"]


@pytest.mark.parametrize("max_diffs", [0, 2, 50])
@pytest.mark.parametrize("kind", ["http", "directory"])
def test_streamed_check_equals_evaluate_track(
    make_project: MakeProject,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    max_diffs: int,
    kind: str,
) -> None:
    project = make_project(registry_server.url)
    for name in MOVED:
        registry_editor.change("v1", name, add_required("exchange"))
    project.fixture("v1", "models.Health").write_text("{not json")  # a broken fixture too
    settings = load_settings(project.root, {}, {"tracks": ["v1"]})
    store = FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys)
    source = (
        RegistryClient(registry_server.url)
        if kind == "http"
        else DirectorySource(registry_editor.root)
    )
    config = settings.tracks["v1"]
    classify = _classifier(config.role, settings.annotation_keys, config.compat_policy)

    def selects(name: str) -> bool:
        return settings.selects("v1", name)

    lock = store.read_lock()
    local = load_local(store, "v1", selects, lock)
    locked = locked_entries(lock, "v1", selects)
    entries = source.index().track("v1")

    fetched: dict[str, RegistrySchema] = {}
    errors: dict[str, str] = {}
    for name, result in source.fetch_many(
        "v1", plan_fetch(local, locked, entries, selects)
    ).items():
        if isinstance(result, RegistrySchema):
            fetched[name] = result
        else:
            errors[name] = str(result)
    expected = evaluate_track(
        "v1",
        complete_local(store, "v1", local, fetched),
        locked,
        RegistryView(True, None, entries, fetched, errors),
        selected=selects,
        annotation_keys=settings.annotation_keys,
        classify=classify,
        max_diffs=max_diffs,
    )
    streamed = evaluate_as_fetched(
        store,
        source,
        "v1",
        Known(local, locked, entries),
        selects,
        settings.annotation_keys,
        classify,
        max_diffs=max_diffs,
    )
    source.close()
    assert streamed == expected
    diffed = [r.name for r in streamed if r.diff]
    assert len(diffed) == min(max_diffs, 3)  # Health is broken: three diffable
    assert diffed == sorted(diffed)

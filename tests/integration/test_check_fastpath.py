"""The check's fast path: fixtures byte-identical to what the sync wrote are not re-parsed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from drift.check import CheckInputs, check_drift
from drift.config import load_settings
from drift.fixtures import FixtureStore, LocalFixture
from drift.model import Status
from drift.sources import DirectorySource

REPO = Path(__file__).resolve().parents[2]


class CountingStore(FixtureStore):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.loaded: list[str] = []

    def parse(self, track: str, name: str, raw: bytes, **kwargs: Any) -> LocalFixture:
        """Every parse (``load`` reads, then parses; a check parses what it scanned)."""
        self.loaded.append(f"{track}/{name}")
        return super().parse(track, name, raw, **kwargs)


def _project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "registry", tmp_path / "registry")
    shutil.copytree(
        REPO / "fixtures", tmp_path / "fixtures", ignore=shutil.ignore_patterns("payloads")
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.drift]\nrepo = "t"\nregistry_url = "registry"\n'
    )
    return tmp_path


def _check(root: Path) -> tuple[CountingStore, dict[str, Status]]:
    settings = load_settings(root, {}, {"tracks": ["v1"]})
    store = CountingStore(settings.fixtures_dir)
    report = check_drift(settings, CheckInputs(store, DirectorySource(root / "registry"), {}))
    return store, {r.name: r.status for r in report.results()}


def test_unchanged_fixtures_are_not_parsed(tmp_path: Path) -> None:
    store, statuses = _check(_project(tmp_path))
    assert set(statuses.values()) == {Status.SYNCED}
    assert store.loaded == []


def test_reformatted_fixture_is_parsed_and_still_synced(tmp_path: Path) -> None:
    root = _project(tmp_path)
    path = root / "fixtures" / "v1" / "models.Quote.json"
    path.write_text(json.dumps(json.loads(path.read_text()), indent=4))  # same content, new bytes
    store, statuses = _check(root)
    assert store.loaded == ["v1/models.Quote"]
    assert statuses["models.Quote"] is Status.SYNCED


def test_edited_fixture_is_parsed_and_reported(tmp_path: Path) -> None:
    root = _project(tmp_path)
    path = root / "fixtures" / "v1" / "models.Quote.json"
    content = json.loads(path.read_text())
    content["required"] = [*content.get("required", []), "bid"]
    path.write_text(json.dumps(content, indent=2))
    store, statuses = _check(root)
    assert "v1/models.Quote" in store.loaded
    assert statuses["models.Quote"] is Status.LOCAL_EDIT

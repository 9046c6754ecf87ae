"""drift.app: every workflow's run_* below the CLI, against an in-memory fake registry.

The fake implements :class:`~drift.sources.base.RegistrySource` and is handed
to the workflows through ``opener`` (the seam front ends leave at its default).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import threading
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from drift import app
from drift.config import Settings, load_settings
from drift.errors import RegistryError, RegistryUnavailable, SchemaNotFound
from drift.model import IndexEntry, RegistryIndex, RegistrySchema, SchemaVersion
from drift.modes import MODE_FILE, ModeFile
from drift.reporters.json_report import read_json
from drift.sources.base import FetchResult, RegistrySource, RequestHook

QUOTE = {"type": "object", "properties": {"symbol": {"type": "string"}}, "required": ["symbol"]}
PRICE = {"type": "object", "properties": {"close": {"type": "number"}}}


class FakeRegistry:
    """An in-memory registry: ``schemas[(track, name)] = content``; ``down`` fails every call."""

    location = "fake://registry"

    def __init__(self, schemas: dict[tuple[str, str], Any]) -> None:
        self.schemas = dict(schemas)
        self.down = False
        self.requests_made = 0
        self.closed = 0

    def _tag(self, content: Any) -> str:
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def _check(self) -> None:
        self.requests_made += 1
        if self.down:
            raise RegistryUnavailable("fake registry is down", kind="connect")

    def index(self) -> RegistryIndex:
        self._check()
        tracks: dict[str, dict[str, IndexEntry]] = {}
        for (track, name), content in sorted(self.schemas.items()):
            tracks.setdefault(track, {})[name] = IndexEntry(name, self._tag(content), "1.0.0")
        return RegistryIndex("2026-12-01T00:00:00Z", tracks)

    def fetch(self, track: str, name: str, version: str | None = None) -> RegistrySchema:
        self._check()
        if (track, name) not in self.schemas:
            raise SchemaNotFound(f"{track}/{name}")
        content = self.schemas[(track, name)]
        return RegistrySchema(name, track, "1.0.0", self._tag(content), content)

    def fetch_many(self, track: str, names: Iterable[str]) -> FetchResult:
        out: dict[str, RegistrySchema | RegistryError] = {}
        for name in names:
            try:
                out[name] = self.fetch(track, name)
            except RegistryError as exc:
                out[name] = exc
        return out

    def versions(self, track: str, name: str) -> list[SchemaVersion]:
        schema = self.fetch(track, name)
        return [SchemaVersion(schema.core_version, schema.sha256, "2026-12-01T00:00:00Z", False)]

    def close(self) -> None:
        self.closed += 1


@pytest.fixture
def fake() -> FakeRegistry:
    return FakeRegistry({("v1", "models.Quote"): QUOTE, ("v1", "models.Price"): PRICE})


def opener_of(fake: FakeRegistry) -> app.SourceOpener:
    def opener(settings: Settings, on_request: RequestHook | None) -> RegistrySource | None:
        return fake if settings.registry_enabled else None

    return opener


def runtime(fake: FakeRegistry, out: io.StringIO | None = None, **given: Any) -> app.Runtime:
    """The runtime of a workflow against ``fake``: an empty environment, ``out`` captured."""
    given.setdefault("env", {})
    return app.Runtime(out=io.StringIO() if out is None else out, opener=opener_of(fake), **given)


def project(tmp_path: Path, env: dict[str, str] | None = None, **flags: Any) -> Settings:
    root = tmp_path / "svc"
    root.mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text("[tool.drift]\n[tool.drift.tracks.v2]\nenabled = false\n")
    return load_settings(root, env or {}, flags)


def test_the_fake_is_a_registry_source(fake: FakeRegistry) -> None:
    assert isinstance(fake, RegistrySource)


def test_sync_then_check_is_clean_and_writes_the_report(tmp_path: Path, fake: FakeRegistry) -> None:
    settings = project(tmp_path)
    out = io.StringIO()
    assert app.run_sync(runtime(fake, out), settings, dry_run=False) == 0
    assert "synced 2 fixture(s)" in out.getvalue()
    assert (settings.fixtures_dir / "v1" / "models.Quote.json").is_file()
    assert fake.closed == 1

    out = io.StringIO()
    outputs = app.CheckOutputs(markdown=tmp_path / "r.md")
    assert app.run_check(runtime(fake, out), settings, outputs) == 0
    report = read_json(settings.report_path)
    assert {r.name: str(r.status) for r in report.tracks[0].schemas} == {
        "models.Price": "synced",
        "models.Quote": "synced",
    }
    assert (tmp_path / "r.md").is_file()
    assert "v1" in out.getvalue()
    assert fake.closed == 2


def test_registry_drift_fails_a_strict_check_and_sync_dry_run_shows_it(
    tmp_path: Path, fake: FakeRegistry
) -> None:
    settings = project(tmp_path, mode="strict")
    app.run_sync(runtime(fake), settings, dry_run=False)
    fake.schemas[("v1", "models.Quote")] = {**QUOTE, "required": []}
    quiet = app.CheckOutputs(report=False, quiet=True)
    assert app.run_check(runtime(fake), settings, quiet) == 1
    assert not settings.report_path.exists()

    before = (settings.fixtures_dir / "v1" / "models.Quote.json").read_bytes()
    out = io.StringIO()
    assert app.run_sync(runtime(fake, out), settings, dry_run=True) == 0
    assert "v1/models.Quote" in out.getvalue()
    assert "nothing written" in out.getvalue()
    assert (settings.fixtures_dir / "v1" / "models.Quote.json").read_bytes() == before


def test_a_down_registry_fails_open_or_exits_3(tmp_path: Path, fake: FakeRegistry) -> None:
    settings = project(tmp_path)
    app.run_sync(runtime(fake), settings, dry_run=False)
    fake.down = True
    quiet = app.CheckOutputs(quiet=True)
    assert app.run_check(runtime(fake), settings, quiet) == 0
    closed = project(tmp_path, fail_open=False)
    assert app.run_check(runtime(fake), closed, quiet) == 3


def test_a_disabled_registry_syncs_and_fetches_nothing(tmp_path: Path, fake: FakeRegistry) -> None:
    settings = project(tmp_path, registry_enabled=False)
    out = io.StringIO()
    assert app.run_sync(runtime(fake, out), settings, dry_run=False) == 0
    assert app.run_fetch(runtime(fake, out), settings, Path("out"), all_schemas=True) == 0
    assert out.getvalue().count("registry disabled") == 2
    assert fake.requests_made == 0


def test_fetch_writes_under_the_root_and_reports_errors_as_3(
    tmp_path: Path, fake: FakeRegistry
) -> None:
    settings = project(tmp_path)
    out = io.StringIO()
    assert app.run_fetch(runtime(fake, out), settings, Path("out"), all_schemas=True) == 0
    assert sorted(p.name for p in (settings.root / "out" / "v1").iterdir()) == [
        "models.Price.json",
        "models.Quote.json",
    ]
    real_fetch = fake.fetch

    def failing(track: str, name: str, version: str | None = None) -> RegistrySchema:
        if name == "models.Price":
            raise RegistryUnavailable("price: timed out", kind="timeout")
        return real_fetch(track, name, version)

    fake.fetch = failing  # type: ignore[method-assign]
    out = io.StringIO()
    code = app.run_fetch(runtime(fake, out), settings, tmp_path / "abs", all_schemas=True)
    assert code == 3
    assert "error: v1/models.Price: price: timed out" in out.getvalue()


def test_set_mode_persists_every_selected_track_and_notes_the_env(tmp_path: Path) -> None:
    settings = project(tmp_path)
    out = io.StringIO()
    noted = app.Runtime(env={"REGISTRY_ENFORCEMENT": "warn"}, out=out)
    assert app.run_set_mode(noted, settings, "strict") == 0
    assert ModeFile(settings.root / MODE_FILE).read() == {"v1": "strict"}
    assert "REGISTRY_ENFORCEMENT=warn is set and wins" in out.getvalue()


def test_report_renders_a_saved_report(tmp_path: Path, fake: FakeRegistry) -> None:
    settings = project(tmp_path)
    app.run_check(runtime(fake), settings, app.CheckOutputs(quiet=True))
    out = io.StringIO()
    assert app.run_report(runtime(fake, out), settings.report_path, "junit") == 0
    assert out.getvalue().startswith("<?xml")


def test_diff_returns_1_for_an_incompatible_change(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(QUOTE))
    new.write_text(json.dumps({**QUOTE, "properties": {"symbol": {"type": "integer"}}}))
    out = io.StringIO()
    assert app.run_diff(app.Runtime(out=out), old, new, "backward", "text") == 1
    assert app.run_diff(app.Runtime(out=io.StringIO()), old, old, "backward", "text") == 0
    assert out.getvalue().startswith(f"--- {old}")


def test_watch_checks_serves_metrics_and_stops_on_sigterm(
    tmp_path: Path, fake: FakeRegistry
) -> None:
    settings = project(tmp_path)
    app.run_sync(runtime(fake), settings, dry_run=False)
    out = io.StringIO()
    scraped: list[str] = []

    def scrape_then_terminate() -> None:
        try:
            for _ in range(200):  # bounded: 20 s
                found = re.search(r"metrics on (http://\S+)", out.getvalue())
                if found and fake.closed >= 2:
                    with urllib.request.urlopen(found.group(1), timeout=5) as answer:
                        body = answer.read().decode()
                    if "schema_drift_last_check_timestamp" in body:
                        scraped.append(body)
                        break
                time.sleep(0.1)
        finally:
            os.kill(os.getpid(), signal.SIGTERM)

    before = signal.getsignal(signal.SIGTERM)
    helper = threading.Thread(target=scrape_then_terminate)
    helper.start()
    options = app.WatchOptions(interval="1h", port=0)
    assert app.run_watch(runtime(fake, out), settings, options) == 0
    helper.join(10)
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is put back
    assert "checking every 1h" in out.getvalue()
    assert scraped, "no /metrics answer with the check's metrics"
    assert 'repo="svc"' in scraped[0]
    assert settings.report_path.is_file()  # each watch check writes the report


class LeakyRegistry(FakeRegistry):
    """A registry whose errors echo a URL password and the token back."""

    def __init__(self, schemas: dict[tuple[str, str], Any], leak: str, where: str) -> None:
        super().__init__(schemas)
        self.leak, self.where = leak, where

    def index(self) -> RegistryIndex:
        if self.where == "index":
            raise RegistryUnavailable(f"GET /index failed: {self.leak}", kind="connect")
        return super().index()

    def fetch(self, track: str, name: str, version: str | None = None) -> RegistrySchema:
        if self.where == "fetch" and name == "models.Quote":
            raise RegistryError(f"GET /schemas/{track}/{name}: {self.leak}")
        return super().fetch(track, name, version)


@pytest.mark.parametrize("where", ["index", "fetch"])
def test_an_error_message_carrying_a_password_reaches_no_report_field(
    tmp_path: Path, fake: FakeRegistry, where: str
) -> None:
    token, password = "tok-LeakyRegistry-77", "pw-LeakyRegistry-88"
    settings = project(tmp_path, env={"REGISTRY_TOKEN": token})
    app.run_sync(runtime(fake), settings, dry_run=False)
    leak = f"see https://user:{password}@registry.example/x?token={token}"
    moved = {**fake.schemas, ("v1", "models.Quote"): {**QUOTE, "required": []}}  # fetched
    leaky = LeakyRegistry(moved, leak, where)
    seen: list[Any] = []
    outputs = app.CheckOutputs(markdown=tmp_path / "r.md", junit=tmp_path / "r.xml")
    report = app.check_once(runtime(leaky), settings, outputs, on_report=seen.append)
    assert seen == [report]
    text = json.dumps(report.to_dict())
    assert "registry.example" in text  # the error did reach the report ...
    assert password not in text  # ... with neither secret
    assert token not in text
    for path in (settings.report_path, tmp_path / "r.md", tmp_path / "r.xml"):
        written = path.read_text()
        assert password not in written
        assert token not in written

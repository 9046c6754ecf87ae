"""``drift sync-fixtures`` and ``drift fetch-schemas`` end to end through the real CLI."""

from __future__ import annotations

import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from drift import fixtures, sync
from drift.canonical import canonical_hash
from drift.cli import main
from drift.fixtures import FixtureStore
from drift.server import Fault, FaultPlan, RegistryServer
from drift.sources.wire import parse_index
from tests.integration.project import (
    MakeProject,
    Project,
    RegistryEditor,
    add_required,
    snapshot,
    subprocess_env,
)

SMALL = ["models.Health", "models.PriceBar", "models.Quote", "telemetry.FeedbackEvent"]
V1_SMALL = {"v1": SMALL}
MOVED = ["models.Health", "models.PriceBar", "models.Quote"]


def registry_bytes(root: Path, track: str, name: str) -> bytes:
    return (root / track / f"{name}.json").read_bytes()


def assert_consistent(project: Project) -> None:
    """The lock lists exactly the fixtures on disk, each with its canonical hash."""
    lock = project.read_lock()
    for track in ("v1", "v2"):
        on_disk = sorted(p.stem for p in (project.fixtures / track).glob("*.json"))
        assert on_disk == sorted(lock.entries.get(track, {})), track
        for name in on_disk:
            content = json.loads(project.fixture(track, name).read_bytes())
            assert canonical_hash(content) == lock.entries[track][name].sha256, name
    assert not list(project.fixtures.glob(".drift-sync-*"))


# -- sync ------------------------------------------------------------------------------


def test_sync_into_an_empty_project_then_nothing_changes(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    project = make_project(registry_server.url, fixtures=False)
    first = project.drift("sync-fixtures")
    assert first.code == 0, first.text
    names = {t: registry_editor.names(t) for t in ("v1", "v2")}
    total = sum(len(n) for n in names.values())
    assert f"synced {total} fixture(s)" in first.out
    for track, listed in names.items():
        for name in listed:
            expected = registry_bytes(registry_editor.root, track, name)
            assert project.fixture(track, name).read_bytes() == expected
    lock = project.read_lock()
    assert lock.registry == registry_server.url
    for track, listed in names.items():
        for name in listed:
            tag = registry_editor.entry(track, name)["sha256"]
            assert lock.entries[track][name].registry_sha256 == tag
    assert_consistent(project)
    assert len(registry_server.request_log) == 1 + total

    before = project.snapshot()
    registry_server.reset()
    second = project.drift("sync-fixtures")
    assert second.code == 0, second.text
    assert "up to date" in second.out
    assert project.snapshot() == before
    assert registry_server.request_log == [("GET", "/index")]
    check = project.check("--mode", "strict")
    assert check.code == 0, check.text


def test_dry_run_shows_the_change_and_writes_nothing(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    project = make_project(registry_server.url, tracks=V1_SMALL)
    before = project.snapshot()
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    dry = project.drift("sync-fixtures", "--dry-run")
    assert dry.code == 0, dry.text
    assert "update  v1/models.Quote [breaking]" in dry.out
    assert "/required" in dry.out
    proof = next(line for line in dry.out.splitlines() if "counterexample" in line)
    assert '"exchange"' not in proof  # the fixture's schema accepts it without 'exchange'
    assert "the fixture's schema accepts it, the registry's rejects it" in proof
    assert '+    "exchange"' in dry.out
    assert "nothing written" in dry.out
    assert project.snapshot() == before

    real = project.drift("sync-fixtures")
    assert real.code == 0, real.text
    quote = registry_bytes(registry_editor.root, "v1", "models.Quote")
    assert project.fixture("v1", "models.Quote").read_bytes() == quote
    changed = {k for k, v in project.snapshot().items() if before.get(k) != v}
    assert changed == {"v1/models.Quote.json", "lock.toml"}
    assert_consistent(project)
    assert project.check("--mode", "strict").code == 0


def test_track_and_schema_limit_the_sync(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    project = make_project(registry_server.url, fixtures=False)
    result = project.drift("sync-fixtures", "--track", "v2", "--schema", "models.Quote")
    assert result.code == 0, result.text
    assert sorted(project.snapshot()) == ["lock.toml", "v2", "v2/models.Quote.json"]
    lock = project.read_lock()
    assert {t: sorted(n) for t, n in lock.entries.items()} == {"v2": ["models.Quote"]}
    assert registry_server.request_log == [("GET", "/index"), ("GET", "/schemas/v2/models.Quote")]
    expected = registry_bytes(registry_editor.root, "v2", "models.Quote")
    assert project.fixture("v2", "models.Quote").read_bytes() == expected


@pytest.mark.parametrize(
    "fault",
    [Fault("status", status=500), Fault("status", status=503), Fault("reset"), Fault("truncate")],
    ids=["500", "503", "reset", "truncated"],
)
def test_registry_failing_for_one_schema_changes_nothing(
    make_project: MakeProject,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    fault: Fault,
) -> None:
    """A registry fault after /index answered: exit 3 (registry), as fetch-schemas gives."""
    project = make_project(registry_server.url, tracks=V1_SMALL)
    before = project.snapshot()
    for name in MOVED:
        registry_editor.change("v1", name, add_required("exchange"))
    registry_server.faults = FaultPlan({"/schemas/v1/models.PriceBar": fault})
    result = project.drift("sync-fixtures")
    assert result.code == 3, result.text
    assert "models.PriceBar" in result.err
    assert "nothing was changed" in result.err
    assert project.snapshot() == before
    fetched = {target for _, target in registry_server.request_log}
    assert {f"/schemas/v1/{n}" for n in MOVED} <= fetched


@pytest.mark.parametrize("start", ["existing", "empty"])
@pytest.mark.parametrize("fail_at", [0, 1, 2, 3])
def test_failure_half_way_through_the_writes_changes_nothing(
    start: str,
    fail_at: int,
    make_project: MakeProject,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if start == "existing":
        project = make_project(registry_server.url, tracks=V1_SMALL)
        for name in MOVED:
            registry_editor.change("v1", name, add_required("exchange"))
    else:
        project = make_project(registry_server.url, tracks={"v1": MOVED}, fixtures=False)
    before = project.snapshot()
    calls: list[int] = []

    def hook(index: int) -> None:
        calls.append(index)
        if index == fail_at:
            raise OSError(f"disk full at write {index}")

    class FailingStore(FixtureStore):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.before_replace = hook

    monkeypatch.setattr(fixtures, "FixtureStore", FailingStore)  # app imports it per run
    result = project.drift("sync-fixtures")
    assert calls == list(range(fail_at + 1))
    assert result.code == 2, result.text
    assert "nothing was changed" in result.err
    assert project.snapshot() == before

    monkeypatch.undo()
    assert project.drift("sync-fixtures").code == 0
    assert_consistent(project)


def test_concurrent_syncs_never_interleave(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    project = make_project(registry_server.url, tracks={"v1": None}, fixtures=False)
    for round_ in range(2):
        if round_:
            for name in MOVED:
                registry_editor.change("v1", name, add_required(f"field{round_}"))
        procs = [
            subprocess.Popen(
                project.module_args("sync-fixtures"),
                cwd=project.root,
                env=subprocess_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outcomes = [(p.wait(timeout=60), *p.communicate()) for p in procs]
        for code, out, err in outcomes:
            assert code in (0, 2), out + err
            if code:
                assert "another sync" in err
            assert "Traceback" not in err
        assert any(code == 0 for code, _, _ in outcomes)
        assert_consistent(project)
        for name in registry_editor.names("v1"):
            expected = registry_bytes(registry_editor.root, "v1", name)
            assert project.fixture("v1", name).read_bytes() == expected
        check = project.check("--mode", "strict")
        assert check.code == 0, check.text


# -- unsafe names from the registry ---------------------------------------------------

UNSAFE = ["../escape", "../../../escape", "..", "sub/escape", "sub\\escape", "nul\x00escape"]


class RawRegistry:
    """Serves a registry directory's files verbatim (no validation, unlike RegistryServer)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.paths.append(self.path)
                body = owner.answer(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def answer(self, path: str) -> bytes | None:
        if path == "/index":
            return (self.root / "index.json").read_bytes()
        return None

    def __enter__(self) -> RawRegistry:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def write_unsafe_registry(root: Path, source: Path, unsafe: str) -> None:
    """A registry whose index lists ``models.Quote`` and ``unsafe`` (with a file where one fits)."""
    (root / "v1").mkdir(parents=True)
    (root / "v2").mkdir()
    quote = registry_bytes(source, "v1", "models.Quote")
    (root / "v1" / "models.Quote.json").write_bytes(quote)
    evil = b'{"type": "object", "title": "planted"}\n'
    if "\x00" not in unsafe and unsafe != "..":
        target = root / "v1" / f"{unsafe}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(evil)
    items = [
        {"name": n, "$schema_id": n, "sha256": "0" * 64, "latest_core_version": "6.6.6"}
        for n in ("models.Quote", unsafe)
    ]
    index = {
        "generated_at": "2026-11-26T12:00:00Z",
        "tracks": {"v1": {"count": 2, "schemas": items}, "v2": {"count": 0, "schemas": []}},
    }
    (root / "index.json").write_text(json.dumps(index, indent=2))


@pytest.mark.parametrize("transport", ["directory", "http"])
@pytest.mark.parametrize("unsafe", UNSAFE, ids=["dotdot", "dotdot3", "dots", "slash", "bs", "nul"])
def test_unsafe_registry_names_are_rejected_and_nothing_is_written(
    unsafe: str,
    transport: str,
    make_project: MakeProject,
    registry_root: Path,
    tmp_path: Path,
) -> None:
    registry = tmp_path / "a" / "b" / "evil-registry"  # planted ``..`` files stay in tmp_path
    outside = sorted(p.name for p in tmp_path.parent.iterdir())
    write_unsafe_registry(registry, registry_root, unsafe)
    with RawRegistry(registry) as raw:
        url = raw.url if transport == "http" else str(registry)
        project = make_project(
            url,
            tracks=V1_SMALL,
            track_settings={"v1": {"schemas": ["*"]}},  # the unsafe name is in scope
            name="deep/down/service",
        )
        before = snapshot(tmp_path)
        for command in (["sync-fixtures"], ["sync-fixtures", "--dry-run"], ["fetch-schemas"]):
            result = project.drift(*command)
            # the index is refused as a whole: a registry protocol error (exit 3)
            assert result.code == 3, result.text
            assert f"is not a safe schema name: {unsafe!r}" in result.err, result.err
            assert "Traceback" not in result.err
        check = project.check("--mode", "strict", "--no-report")
        assert check.code == 0, check.text
        assert "unavailable" in check.out
        if transport == "http":
            assert set(raw.paths) == {"/index"}
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == outside


# -- fetch-schemas -----------------------------------------------------------------------


def test_fetch_schemas_writes_to_the_output_dir_only(
    make_project: MakeProject,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    tmp_path: Path,
) -> None:
    project = make_project(registry_server.url, tracks=V1_SMALL)
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    fixtures = project.snapshot()
    result = project.drift("fetch-schemas")
    assert result.code == 0, result.text
    out = project.root / "schemas-out"
    assert sorted(p.name for p in out.iterdir()) == ["index.json", "v1"]
    assert sorted(p.stem for p in (out / "v1").glob("*.json")) == SMALL
    for name in SMALL:
        expected = registry_bytes(registry_editor.root, "v1", name)
        assert (out / "v1" / f"{name}.json").read_bytes() == expected
    index = parse_index(json.loads((out / "index.json").read_bytes()), "index.json")
    assert sorted(index.track("v1")) == sorted(registry_editor.names("v1"))
    quote_tag = registry_editor.entry("v1", "models.Quote")["sha256"]
    assert index.track("v1")["models.Quote"].sha256 == quote_tag
    assert project.snapshot() == fixtures

    elsewhere = tmp_path / "elsewhere"
    every = project.drift("fetch-schemas", "--all", "--output", str(elsewhere))
    assert every.code == 0, every.text
    fetched = sorted(p.stem for p in (elsewhere / "v1").glob("*.json"))
    assert fetched == sorted(registry_editor.names("v1"))
    assert project.snapshot() == fixtures


@pytest.mark.parametrize("output", ["fixtures", "fixtures/v1", "./fixtures/"])
def test_fetch_schemas_refuses_the_fixtures_dir(
    make_project: MakeProject, registry_server: RegistryServer, output: str
) -> None:
    project = make_project(registry_server.url, tracks=V1_SMALL)
    before = project.snapshot()
    result = project.drift("fetch-schemas", "--output", output)
    assert result.code == 2, result.text
    assert "fetch-schemas never writes fixtures" in result.err
    assert project.snapshot() == before


def test_a_fixture_that_differs_from_its_lock_is_never_synced(
    make_project: MakeProject,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    tmp_path: Path,
) -> None:
    """The issue's case: fixtures overwritten with registry content behind the lock's back."""
    project = make_project(registry_server.url, tracks=V1_SMALL)
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    fetched = tmp_path / "fetched"
    assert project.drift("fetch-schemas", "--output", str(fetched)).code == 0
    target = project.fixture("v1", "models.Quote")
    target.write_bytes((fetched / "v1" / "models.Quote.json").read_bytes())
    result = project.check("--mode", "strict")
    assert result.code == 1, result.text
    quote = project.results()[("v1", "models.Quote")]
    assert quote["status"] == "local-edit", quote
    assert "differs from its lock" in quote["message"]
    assert "run sync-fixtures" in result.out


def test_a_sync_planned_before_another_one_finished_never_clobbers_it(
    make_project: MakeProject,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(registry_server.url, tracks={"v1": SMALL, "v2": SMALL})
    for track in ("v1", "v2"):
        registry_editor.change(track, "models.Quote", add_required("exchange"))
    real_plan = sync.plan_sync
    inner: list[int] = []
    after_inner: list[dict[str, bytes | None]] = []

    def plan_then_race(*args: Any, **kwargs: Any) -> Any:
        """Plan the outer sync, then let a whole other sync run before it applies."""
        plan = real_plan(*args, **kwargs)
        monkeypatch.setattr(sync, "plan_sync", real_plan)
        inner.append(main(["sync-fixtures", "-C", str(project.root), "--track", "v2"]))
        after_inner.append(project.snapshot())
        return plan

    monkeypatch.setattr(sync, "plan_sync", plan_then_race)
    outer = project.drift("sync-fixtures", "--track", "v1")
    assert inner == [0]
    assert outer.code == 2, outer.text
    assert "another sync" in outer.err
    assert "nothing was changed" in outer.err
    assert project.snapshot() == after_inner[0]
    assert_consistent(project)
    quote_v2 = registry_bytes(registry_editor.root, "v2", "models.Quote")
    assert project.fixture("v2", "models.Quote").read_bytes() == quote_v2
    assert project.drift("sync-fixtures").code == 0
    assert_consistent(project)
    assert project.check("--mode", "strict").code == 0

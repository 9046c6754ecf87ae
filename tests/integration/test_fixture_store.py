"""The fixture store on a real filesystem: reads, atomic apply, rollback, file lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from drift import transaction
from drift.canonical import canonical_hash, structural_hash
from drift.errors import FixtureError, LockError, SyncError, UnsafeNameError
from drift.fixtures import FixtureStore, fixture_bytes
from drift.lockfile import Lock, LockEntry, dump_lock, empty_lock

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = REPO / "registry"
NAMES = ["models.Quote", "models.Health", "telemetry.FeedbackEvent", "federation.NodeId"]
Updates = dict[str, dict[str, "bytes | None"]]


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes (None for directories) under ``folder``, but not the sync lock."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.name != transaction.LOCK_FILE
    }


def schema(track: str, name: str) -> bytes:
    return (SNAPSHOT / track / f"{name}.json").read_bytes()


def lock_for(updates: Mapping[str, Mapping[str, bytes | None]], base: Lock | None = None) -> Lock:
    lock = base or empty_lock("file:///registry", "0.1.0")
    for track, names in updates.items():
        entries: dict[str, LockEntry | None] = {}
        for name, data in names.items():
            if data is None:
                entries[name] = None
                continue
            content = json.loads(data)
            entries[name] = LockEntry(
                canonical_hash(content),
                structural_hash(content),
                canonical_hash([name, track]),
                str(content.get("$core_version", "")),
                "2026-11-26T12:00:00Z",
            )
        lock = lock.with_entries(track, entries)
    return lock


@pytest.fixture
def store(tmp_path: Path) -> FixtureStore:
    """A store with v1 fixtures for NAMES and a matching lock."""
    fixtures = FixtureStore(tmp_path / "fixtures")
    updates: Updates = {"v1": {n: schema("v1", n) for n in NAMES}}
    fixtures.apply(updates, lock_for(updates))
    return fixtures


def change_set(store: FixtureStore) -> tuple[Updates, Lock]:
    """Updates 2 fixtures to their v2 content, removes one, adds two on v2."""
    updates: Updates = {
        "v1": {
            "models.Quote": schema("v2", "models.Quote"),
            "models.Health": schema("v2", "models.Health"),
            "federation.NodeId": None,
        },
        "v2": {
            "models.OptionSnapshot": schema("v2", "models.OptionSnapshot"),
            "models.Quote": schema("v2", "models.Quote"),
        },
    }
    current = store.read_lock()
    assert current is not None
    return updates, lock_for(updates, current)


# --- serialisation and reads ------------------------------------------------------------


def test_fixture_bytes_match_the_registry_snapshot_byte_for_byte() -> None:
    files = sorted(SNAPSHOT.glob("v*/*.json"))
    assert len(files) > 70
    for path in files:
        assert fixture_bytes(json.loads(path.read_bytes())) == path.read_bytes(), path
    assert (
        fixture_bytes({"b": "é", "a": [1.0, 2]})
        == b'{\n  "a": [\n    1.0,\n    2\n  ],\n  "b": "\xc3\xa9"\n}\n'
    )


def test_list_read_load(store: FixtureStore) -> None:
    assert store.list("v1") == sorted(NAMES)
    assert store.list("v2") == []
    assert store.read("v1", "models.Quote") == schema("v1", "models.Quote")
    fixture = store.load("v1", "models.Quote")
    content = json.loads(schema("v1", "models.Quote"))
    assert fixture.content == content
    assert fixture.sha256 == canonical_hash(content)
    assert fixture.structural_sha256 == structural_hash(content)
    assert fixture.path == store.root / "v1" / "models.Quote.json"
    custom = FixtureStore(store.root, annotation_keys={"x"}).load("v1", "models.Quote")
    assert custom.structural_sha256 == structural_hash(content, {"x"})


def test_read_lock(store: FixtureStore, tmp_path: Path) -> None:
    lock = store.read_lock()
    assert lock is not None
    assert sorted(lock.entries["v1"]) == sorted(NAMES)
    assert FixtureStore(tmp_path / "nowhere").read_lock() is None
    store.lock_path.write_text("[lock]\nlock_version = 1\n", encoding="utf-8")
    with pytest.raises(LockError, match=f"{store.lock_path}.*missing field 'registry'"):
        store.read_lock()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{\n  "type": "object",\n  "properties": {,}\n}\n', "invalid JSON at line 3 column 18"),
        (b"", "invalid JSON at line 1 column 1"),
        (b'{"type": "string", "type": "number"}', "duplicate key 'type'"),
        (b'{"minimum": NaN}', "NaN is not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[1, 2]", "not a JSON Schema (expected an object or a boolean, got list)"),
        (b'"schema"', "got str"),
        (b'{"type": 5}', "not a valid JSON Schema at type"),
        (b'{"properties": {"a": {"minLength": -1}}}', "at properties/a/minLength"),
    ],
)
def test_malformed_fixture_names_the_file(
    store: FixtureStore, content: bytes, message: str
) -> None:
    path = store.root / "v1" / "models.Quote.json"
    path.write_bytes(content)
    with pytest.raises(FixtureError) as info:
        store.load("v1", "models.Quote")
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


def test_boolean_and_older_draft_schemas_are_fixtures(store: FixtureStore) -> None:
    (store.root / "v1" / "a.True.json").write_bytes(b"true")
    draft7 = {"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "string"}]}
    (store.root / "v1" / "a.Draft7.json").write_text(json.dumps(draft7), encoding="utf-8")
    assert store.load("v1", "a.True").content is True
    assert store.load("v1", "a.Draft7").content == draft7


def test_missing_fixture_and_bad_names(store: FixtureStore) -> None:
    with pytest.raises(FixtureError, match=r"v1/models\.Nope\.json: no such fixture"):
        store.read("v1", "models.Nope")
    with pytest.raises(UnsafeNameError):
        store.read("v1", "../lock")
    with pytest.raises(FixtureError, match="'v3' is not a track"):
        store.list("v3")
    (store.root / "v1" / "bad name.json").write_bytes(b"{}")
    with pytest.raises(FixtureError, match=r"bad name\.json: not a valid fixture file name"):
        store.list("v1")


# --- atomic apply -----------------------------------------------------------------------


def test_apply_writes_updates_removals_and_lock(store: FixtureStore) -> None:
    updates, lock = change_set(store)
    store.apply(updates, lock)
    assert store.list("v1") == ["models.Health", "models.Quote", "telemetry.FeedbackEvent"]
    assert store.list("v2") == ["models.OptionSnapshot", "models.Quote"]
    for track, names in updates.items():
        for name, data in names.items():
            if data is not None:
                assert store.read(track, name) == data
    assert store.lock_path.read_text(encoding="utf-8") == dump_lock(lock)
    assert store.read_lock() == lock
    assert sorted(p.name for p in store.root.iterdir()) == [".drift.lock", "lock.toml", "v1", "v2"]


def test_lock_is_written_last(store: FixtureStore) -> None:
    updates, lock = change_set(store)
    old_lock = store.lock_path.read_bytes()
    seen: list[tuple[int, bool, bool]] = []

    def in_place() -> bool:
        for track, names in updates.items():
            for name, data in names.items():
                path = store.root / track / f"{name}.json"
                if (path.read_bytes() if path.exists() else None) != data:
                    return False
        return True

    def hook(index: int) -> None:
        seen.append((index, store.lock_path.read_bytes() == old_lock, in_place()))

    store.before_replace = hook
    store.apply(updates, lock)
    assert [index for index, _, _ in seen] == list(range(6))  # 5 fixtures, then the lock
    assert all(lock_unchanged for _, lock_unchanged, _ in seen)
    assert [done for _, _, done in seen] == [False] * 5 + [True]
    assert store.lock_path.read_bytes() != old_lock


def test_failure_half_way_leaves_everything_byte_identical(store: FixtureStore) -> None:
    updates, lock = change_set(store)
    steps = sum(len(n) for n in updates.values()) + 1
    for fail_at in range(steps):
        before = snapshot(store.root)

        def hook(index: int, fail_at: int = fail_at) -> None:
            if index == fail_at:
                raise OSError(28, "No space left on device")

        store.before_replace = hook
        with pytest.raises(SyncError, match=r"nothing was changed: .*No space left"):
            store.apply(updates, lock)
        assert snapshot(store.root) == before, f"failure at step {fail_at}"
    store.before_replace = None
    store.apply(updates, lock)
    assert store.read_lock() == lock


def test_failing_os_replace_is_rolled_back(
    store: FixtureStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    updates, lock = change_set(store)
    before = snapshot(store.root)
    real = os.replace
    calls: list[str] = []

    def flaky(src: str | Path, dst: str | Path) -> None:
        calls.append(str(dst))
        if len(calls) == 4:
            raise PermissionError(13, "Permission denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(transaction.os, "replace", flaky)
    with pytest.raises(SyncError, match="Permission denied"):
        store.apply(updates, lock)
    monkeypatch.setattr(transaction.os, "replace", real)
    assert len(calls) > 4  # the rollback moved files back
    assert snapshot(store.root) == before


def test_interrupt_is_rolled_back_and_re_raised(store: FixtureStore) -> None:
    updates, lock = change_set(store)
    before = snapshot(store.root)

    def hook(index: int) -> None:
        if index == 2:
            raise KeyboardInterrupt

    store.before_replace = hook
    with pytest.raises(KeyboardInterrupt):
        store.apply(updates, lock)
    assert snapshot(store.root) == before


def test_invalid_content_is_rejected_before_anything_is_touched(store: FixtureStore) -> None:
    updates, lock = change_set(store)
    updates["v2"]["models.Broken"] = b'{"type": "object",'
    before = snapshot(store.root)
    touched: list[int] = []
    store.before_replace = touched.append
    with pytest.raises(
        FixtureError, match=r"v2/models\.Broken\.json \(new content\): invalid JSON"
    ):
        store.apply(updates, lock)
    updates["v2"]["models.Broken"] = b'{"type": 3}'
    with pytest.raises(FixtureError, match="not a valid JSON Schema"):
        store.apply(updates, lock)
    assert touched == []
    assert snapshot(store.root) == before


def test_lock_must_match_the_new_fixtures(store: FixtureStore) -> None:
    updates, lock = change_set(store)
    before = snapshot(store.root)
    stale = lock.with_entries("v2", {"models.Quote": lock.entry("v1", "telemetry.FeedbackEvent")})
    with pytest.raises(SyncError, match=r"v2/models\.Quote: the lock does not match"):
        store.apply(updates, stale)
    kept = lock.with_entries("v1", {"federation.NodeId": lock.entry("v1", "models.Quote")})
    with pytest.raises(SyncError, match=r"federation\.NodeId: removed, but still in the lock"):
        store.apply(updates, kept)
    with pytest.raises(SyncError, match="'v3' is not a track"):
        store.apply({"v3": {}}, lock)
    assert snapshot(store.root) == before


@pytest.mark.parametrize(
    "name", ["../x", "../../outside", "a/b", "/etc/passwd", "..", ".hidden", ""]
)
def test_unsafe_names_are_rejected_and_nothing_lands_outside(
    store: FixtureStore, tmp_path: Path, name: str
) -> None:
    before = snapshot(tmp_path)
    data = schema("v1", "models.Quote")
    lock = store.read_lock()
    assert lock is not None
    with pytest.raises(UnsafeNameError):
        store.apply({"v1": {name: data}}, lock)
    with pytest.raises(UnsafeNameError):
        store.apply({"v1": {name: None}}, lock)
    assert snapshot(tmp_path) == before


def test_symlinked_track_dir_pointing_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    fixtures = FixtureStore(tmp_path / "fixtures")
    fixtures.root.mkdir()
    (fixtures.root / "v2").symlink_to(outside, target_is_directory=True)
    updates: Updates = {"v2": {"models.Quote": schema("v2", "models.Quote")}}
    with pytest.raises(UnsafeNameError, match="resolves outside"):
        fixtures.apply(updates, lock_for(updates))
    assert list(outside.iterdir()) == []
    assert not fixtures.lock_path.exists()


def test_unchanged_files_are_not_rewritten(store: FixtureStore) -> None:
    path = store.root / "v1" / "models.Quote.json"
    inode = path.stat().st_ino
    updates: Updates = {"v1": {"models.Quote": schema("v1", "models.Quote")}}
    store.apply(updates, store.read_lock() or empty_lock("r", "0"))
    assert path.stat().st_ino == inode


# --- the file lock ----------------------------------------------------------------------

HOLDER = """
import json, sys, time
from pathlib import Path
from drift.fixtures import FixtureStore
from drift.lockfile import parse_lock

root, holding, release, payload = sys.argv[1:5]
plain, lock_text = json.loads(payload)
updates = {t: {n: v.encode() for n, v in names.items()} for t, names in plain.items()}
lock = parse_lock(lock_text)
store = FixtureStore(Path(root))

def hold(index):
    if index == 0:
        Path(holding).touch()
        end = time.monotonic() + 60
        while not Path(release).exists():
            if time.monotonic() > end:
                raise SystemExit("never released")
            time.sleep(0.01)

store.before_replace = hold
store.apply(updates, lock)
"""


def wait_for(predicate: Callable[[], bool], what: str, limit: float = 60.0) -> None:
    end = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > end:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


def start_holder(
    store: FixtureStore, tmp_path: Path, updates: Updates, lock: Lock
) -> tuple[subprocess.Popen[bytes], Path]:
    """Another process that applies ``updates`` and holds the sync lock until released."""
    holding, release = tmp_path / "holding", tmp_path / "release"
    plain = {t: {n: (v or b"").decode() for n, v in names.items()} for t, names in updates.items()}
    payload = json.dumps([plain, dump_lock(lock)])
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store.root), str(holding), str(release), payload],
        env=env,
        stderr=subprocess.PIPE,
    )
    wait_for(lambda: holding.exists() or proc.poll() is not None, "the other process to lock")
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else b""
    return proc, release


def other_updates() -> tuple[Updates, Updates]:
    """Two disjoint-content change sets touching the same files."""
    first: Updates = {
        "v1": {
            "models.Quote": schema("v2", "models.Quote"),
            "models.Health": schema("v2", "models.Health"),
        }
    }
    second: Updates = {
        "v1": {
            "models.Quote": schema("v1", "models.PriceBar"),
            "models.Health": schema("v1", "models.Position"),
        }
    }
    return first, second


def test_second_sync_fails_fast_while_another_holds_the_lock(
    store: FixtureStore, tmp_path: Path
) -> None:
    first, second = other_updates()
    base = store.read_lock()
    before = snapshot(store.root)
    proc, release = start_holder(store, tmp_path, first, lock_for(first, base))
    try:
        store.lock_timeout = 0.2
        with pytest.raises(SyncError, match="another sync is running"):
            store.apply(second, lock_for(second, base))
        # the holder has staged its files and journal but not replaced anything yet
        busy = (".drift-sync-", ".drift-journal")
        after = {k: v for k, v in snapshot(store.root).items() if not k.startswith(busy)}
        assert after == before
    finally:
        release.touch()
        assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else b""
    assert store.read("v1", "models.Quote") == first["v1"]["models.Quote"]
    assert store.read_lock() == lock_for(first, base)


def test_waiting_sync_runs_after_the_other_never_interleaved(
    store: FixtureStore, tmp_path: Path
) -> None:
    first, second = other_updates()
    base = store.read_lock()
    proc, release = start_holder(store, tmp_path, first, lock_for(first, base))
    errors: list[BaseException] = []

    def run_second() -> None:
        try:
            store.apply(second, lock_for(second, base))
        except BaseException as exc:  # reported below
            errors.append(exc)

    store.lock_timeout = 60
    waiter = threading.Thread(target=run_second)
    waiter.start()  # blocks on the lock: the holder took it before start_holder returned
    release.touch()
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else b""
    waiter.join(timeout=60)
    assert not waiter.is_alive()
    assert errors == []
    for name, data in second["v1"].items():
        assert store.read("v1", name) == data
    assert store.read_lock() == lock_for(second, base)
    assert not [p for p in store.root.iterdir() if p.name.startswith(".drift-sync-")]


def test_sync_lock_file_is_an_empty_marker(store: FixtureStore) -> None:
    marker = store.root / transaction.LOCK_FILE
    assert marker.read_bytes() == b""
    assert "lock" not in store.list("v1")


# --- scan: list + read in one directory pass ---------------------------------------------


def test_scan_gives_what_list_and_read_give(store: FixtureStore) -> None:
    scanned = dict(store.scan("v1"))
    assert list(scanned) == store.list("v1")
    assert all(scanned[name] == store.read("v1", name) for name in scanned)


def test_scan_refuses_a_fixture_symlinked_outside_the_root(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"type": "object"}')
    fixtures = FixtureStore(tmp_path / "fixtures")
    (fixtures.root / "v1").mkdir(parents=True)
    (fixtures.root / "v1" / "models.Evil.json").symlink_to(secret)
    with pytest.raises(UnsafeNameError, match="resolves outside"):
        dict(fixtures.scan("v1"))


def test_scan_refuses_a_track_dir_symlinked_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "models.Quote.json").write_text("{}")
    fixtures = FixtureStore(tmp_path / "fixtures")
    fixtures.root.mkdir()
    (fixtures.root / "v1").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeNameError, match="resolves outside"):
        dict(fixtures.scan("v1"))


def test_scan_names_bad_file_names_and_unreadable_files_like_list_and_read(
    tmp_path: Path,
) -> None:
    fixtures = FixtureStore(tmp_path / "fixtures")
    folder = fixtures.root / "v1"
    folder.mkdir(parents=True)
    (folder / "models.Dir.json").mkdir()
    scanned = dict(fixtures.scan("v1"))
    assert list(scanned) == ["models.Dir"] == fixtures.list("v1")
    assert isinstance(scanned["models.Dir"], FixtureError)
    assert "models.Dir.json: cannot read" in str(scanned["models.Dir"])
    (folder / ".models.Hidden.json").write_text("{}")
    for read in (fixtures.list, lambda track: dict(fixtures.scan(track))):
        with pytest.raises(FixtureError, match="not a valid fixture file name"):
            read("v1")

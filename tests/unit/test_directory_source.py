from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from drift.errors import (
    RegistryError,
    RegistryProtocolError,
    RegistryUnavailable,
    SchemaNotFound,
    UnsafeNameError,
)
from drift.model import RegistrySchema
from drift.sources import DirectorySource, RegistrySource

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "registry"
    shutil.copytree(REPO / "registry", copy)
    return copy


@pytest.fixture
def source(root: Path) -> DirectorySource:
    return DirectorySource(root)


def _index_doc(root: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((root / "index.json").read_text())
    return doc


def _write_index(root: Path, doc: Any) -> None:
    (root / "index.json").write_text(json.dumps(doc))


def test_is_a_registry_source(source: DirectorySource, root: Path) -> None:
    assert isinstance(source, RegistrySource)
    assert source.location == str(root)
    assert str(root) in repr(source)


def test_index_lists_every_schema_of_index_json(source: DirectorySource, root: Path) -> None:
    doc = _index_doc(root)
    index = source.index()
    assert index.generated_at == doc["generated_at"]
    assert set(index.tracks) == set(doc["tracks"])
    for track, body in doc["tracks"].items():
        entries = index.track(track)
        assert len(entries) == body["count"] == len(body["schemas"])
        for item in body["schemas"]:
            entry = entries[item["name"]]
            assert entry.sha256 == item["sha256"]
            assert entry.core_version == item["latest_core_version"]
            assert entry.deprecated is item["deprecated"]
    assert index.track("v9") == {}


def test_fetch_returns_file_content_and_its_digest(source: DirectorySource, root: Path) -> None:
    data = (root / "v1" / "models.Quote.json").read_bytes()
    schema = source.fetch("v1", "models.Quote")
    assert schema.name == "models.Quote"
    assert schema.track == "v1"
    assert schema.content == json.loads(data)
    assert schema.sha256 == hashlib.sha256(data).hexdigest()
    assert schema.core_version == source.index().track("v1")["models.Quote"].core_version
    assert schema.deprecated is False


def test_index_digest_matches_every_file(source: DirectorySource) -> None:
    index = source.index()
    for track, entries in index.tracks.items():
        results = source.fetch_many(track, entries)
        for name, result in results.items():
            assert isinstance(result, RegistrySchema), result
            assert result.sha256 == entries[name].sha256


def test_schema_suffix_is_the_same_schema(source: DirectorySource) -> None:
    assert source.fetch("v2", "models.Quote.schema") == source.fetch("v2", "models.Quote")


def test_v2_only_schema(source: DirectorySource) -> None:
    assert source.fetch("v2", "models.OptionSnapshot").track == "v2"
    with pytest.raises(SchemaNotFound) as info:
        source.fetch("v1", "models.OptionSnapshot")
    assert info.value.kind == "not_found"


def test_unknown_track_and_name_are_not_found(source: DirectorySource) -> None:
    with pytest.raises(SchemaNotFound):
        source.fetch("v9", "models.Quote")
    with pytest.raises(SchemaNotFound):
        source.fetch("v1", "models.DoesNotExist")


@pytest.mark.parametrize(
    "name", ["../secret", "../secret.schema", "..", "a/b", "a\\b", "a\x00b", "/etc/passwd", ""]
)
def test_unsafe_names_never_become_paths(source: DirectorySource, root: Path, name: str) -> None:
    (root.parent / "secret.json").write_text('{"secret": true}')
    with pytest.raises(UnsafeNameError) as info:
        source.fetch("v1", name)
    assert isinstance(info.value, RegistryError)
    with pytest.raises(UnsafeNameError):
        source.versions("v1", name)
    result = source.fetch_many("v1", [name])[name]
    assert isinstance(result, UnsafeNameError)
    assert source.requests_made == 0


@pytest.mark.parametrize("track", ["..", "../v1", "v1/..", "", "v1\x00"])
def test_unsafe_tracks_are_rejected(source: DirectorySource, track: str) -> None:
    with pytest.raises(UnsafeNameError):
        source.fetch(track, "models.Quote")
    assert source.requests_made == 0


def test_symlink_out_of_the_root_is_refused(source: DirectorySource, root: Path) -> None:
    secret = root.parent / "secret.json"
    secret.write_text('{"secret": true}')
    (root / "v1" / "models.Evil.json").symlink_to(secret)
    with pytest.raises(RegistryProtocolError, match="outside the registry directory"):
        source.fetch("v1", "models.Evil")


def _mutations() -> list[tuple[str, Any, str]]:
    return [
        ("top level list", lambda d: [d], "(top level)"),
        ("no generated_at", lambda d: {"tracks": d["tracks"]}, "generated_at"),
        ("tracks list", lambda d: {**d, "tracks": []}, "'tracks'"),
        ("schemas not list", lambda d: _set(d, ["tracks", "v1", "schemas"], {}), "v1.schemas"),
        ("count mismatch", lambda d: _set(d, ["tracks", "v1", "count"], 1), "v1.count"),
        ("count bool", lambda d: _set(d, ["tracks", "v2", "count"], True), "v2.count"),
        ("entry not object", lambda d: _entry(d, lambda e: "x"), "v1.schemas[0]"),
        ("no sha", lambda d: _entry(d, lambda e: _drop(e, "sha256")), "schemas[0].sha256"),
        (
            "bad deprecated",
            lambda d: _entry(d, lambda e: {**e, "deprecated": "no"}),
            "schemas[0].deprecated",
        ),
        (
            "unsafe name",
            lambda d: _entry(d, lambda e: {**e, "name": "../evil"}),
            "schemas[0].name",
        ),
        (
            "no version",
            lambda d: _entry(d, lambda e: _drop(e, "latest_core_version")),
            "latest_core_version",
        ),
        ("bad track id", lambda d: {**d, "tracks": {"../x": d["tracks"]["v1"]}}, "tracks.../x"),
    ]


def _set(doc: Any, path: list[str], value: Any) -> Any:
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


def _entry(doc: Any, change: Any) -> Any:
    doc["tracks"]["v1"]["schemas"][0] = change(doc["tracks"]["v1"]["schemas"][0])
    return doc


def _drop(entry: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != key}


@pytest.mark.parametrize(
    ("case", "mutate", "field"), _mutations(), ids=[m[0] for m in _mutations()]
)
def test_bad_index_shapes_name_the_file_and_field(
    source: DirectorySource, root: Path, case: str, mutate: Any, field: str
) -> None:
    _write_index(root, mutate(_index_doc(root)))
    with pytest.raises(RegistryProtocolError) as info:
        source.index()
    assert info.value.kind == "invalid_body"
    assert "index.json" in str(info.value)
    assert field in str(info.value)


def test_duplicate_index_names_are_rejected(source: DirectorySource, root: Path) -> None:
    doc = _index_doc(root)
    schemas = doc["tracks"]["v1"]["schemas"]
    schemas.append(dict(schemas[0]))
    doc["tracks"]["v1"]["count"] = len(schemas)
    _write_index(root, doc)
    with pytest.raises(RegistryProtocolError, match="repeats"):
        source.index()


def test_index_not_json(source: DirectorySource, root: Path) -> None:
    (root / "index.json").write_text("{not json")
    with pytest.raises(RegistryProtocolError, match=r"index\.json: not valid JSON"):
        source.index()


def test_missing_index_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(RegistryUnavailable, match=r"index\.json"):
        DirectorySource(tmp_path / "nowhere").index()


@pytest.mark.parametrize(("data", "problem"), [(b"{oops", "not valid JSON"), (b"[]", "object")])
def test_bad_schema_file_names_the_file(
    source: DirectorySource, root: Path, data: bytes, problem: str
) -> None:
    (root / "v1" / "models.Quote.json").write_bytes(data)
    with pytest.raises(RegistryProtocolError, match=problem) as info:
        source.fetch("v1", "models.Quote")
    assert "models.Quote.json" in str(info.value)


def test_core_version_falls_back_to_the_content(source: DirectorySource, root: Path) -> None:
    (root / "v1" / "models.Unlisted.json").write_text(
        json.dumps({"$core_version": "9.9.9", "type": "object"})
    )
    assert source.fetch("v1", "models.Unlisted").core_version == "9.9.9"
    [version] = source.versions("v1", "models.Unlisted")
    assert version.core_version == "9.9.9"


def test_deprecated_comes_from_the_index(source: DirectorySource, root: Path) -> None:
    doc = _index_doc(root)
    first = doc["tracks"]["v1"]["schemas"][0]
    first["deprecated"] = True
    _write_index(root, doc)
    assert source.fetch("v1", first["name"]).deprecated is True


def test_versions_without_history_is_the_index_entry(source: DirectorySource) -> None:
    index = source.index()
    entry = index.track("v2")["models.Quote"]
    [version] = source.versions("v2", "models.Quote")
    assert (version.core_version, version.sha256) == (entry.core_version, entry.sha256)
    assert version.created_at == index.generated_at
    with pytest.raises(SchemaNotFound):
        source.versions("v1", "models.OptionSnapshot")


def test_history_extension(source: DirectorySource, root: Path) -> None:
    old = {"type": "object", "$core_version": "1.0.0", "properties": {"bid": {"type": "number"}}}
    old_bytes = json.dumps(old).encode()
    history: list[dict[str, Any]] = [
        {
            "core_version": "1.0.0",
            "sha256": hashlib.sha256(old_bytes).hexdigest(),
            "created_at": "2025-01-01T00:00:00Z",
            "deprecated": False,
            "note": "first",
        },
        {
            "core_version": "1.2.8",
            "sha256": source.index().track("v1")["models.Quote"].sha256,
            "created_at": "2026-11-26T12:27:44Z",
        },
    ]
    (root / "v1" / "models.Quote.versions.json").write_text(json.dumps(history))
    (root / "v1" / "models.Quote@1.0.0.json").write_bytes(old_bytes)

    versions = source.versions("v1", "models.Quote")
    assert [v.core_version for v in versions] == ["1.0.0", "1.2.8"]
    assert versions[0].extra == {"note": "first"}
    past = source.fetch("v1", "models.Quote", version="1.0.0")
    assert past.content == old
    assert past.core_version == "1.0.0"
    assert past.sha256 == history[0]["sha256"]
    assert source.fetch("v1", "models.Quote", version="1.2.8") == source.fetch("v1", "models.Quote")
    with pytest.raises(SchemaNotFound, match=r"no version 0\.0\.1"):
        source.fetch("v1", "models.Quote", version="0.0.1")
    with pytest.raises(UnsafeNameError):
        source.fetch("v1", "models.Quote", version="../../index")


def test_bad_history_file(source: DirectorySource, root: Path) -> None:
    (root / "v1" / "models.Quote.versions.json").write_text('[{"core_version": "1"}]')
    with pytest.raises(RegistryProtocolError, match=r"versions\.json.*\[0\]\.sha256"):
        source.versions("v1", "models.Quote")


def test_edits_are_seen_without_reload(source: DirectorySource, root: Path) -> None:
    path = root / "v1" / "models.Quote.json"
    before = source.fetch("v1", "models.Quote")
    stat = path.stat()
    same_size = path.read_bytes().replace(b'"Quote"', b'"QuotX"')
    assert len(same_size) == stat.st_size
    assert same_size != path.read_bytes()
    path.write_bytes(same_size)  # in place, same size ...
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # ... and the old mtime
    after = source.fetch("v1", "models.Quote")
    assert after.sha256 == hashlib.sha256(same_size).hexdigest() != before.sha256
    tmp = path.with_suffix(".tmp")
    tmp.write_text('{"type": "object"}')
    os.replace(tmp, path)
    assert source.fetch("v1", "models.Quote").content == {"type": "object"}


def test_stable_files_are_read_once_until_reload(
    source: DirectorySource, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = root / "v1" / "models.Quote.json"
    os.utime(path, (1_000_000_000, 1_000_000_000))  # long unchanged: cacheable
    disk_reads: list[Path] = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        disk_reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    first = source.fetch("v1", "models.Quote")
    assert source.fetch("v1", "models.Quote") == first
    assert disk_reads.count(path) == 1
    source.reload()
    assert source.fetch("v1", "models.Quote") == first
    assert disk_reads.count(path) == 2


def test_fetch_many_has_per_name_results(source: DirectorySource) -> None:
    results = source.fetch_many(
        "v1", ["models.Quote", "models.Nope", "../x", "models.Quote.schema"]
    )
    assert list(results) == ["models.Quote", "models.Nope", "../x", "models.Quote.schema"]
    assert isinstance(results["models.Quote"], RegistrySchema)
    assert isinstance(results["models.Quote.schema"], RegistrySchema)
    assert isinstance(results["models.Nope"], SchemaNotFound)
    assert isinstance(results["../x"], UnsafeNameError)


def test_requests_made_counts_file_reads(source: DirectorySource) -> None:
    assert source.requests_made == 0
    source.index()
    assert source.requests_made == 1
    source.fetch("v1", "models.Quote")
    assert source.requests_made == 3  # index.json + the schema file


def test_context_manager(root: Path) -> None:
    with DirectorySource(root) as source:
        assert source.fetch("v1", "models.Quote").name == "models.Quote"


def test_a_schema_edited_behind_the_index_is_judged_by_its_content(
    root: Path, source: DirectorySource, caplog: pytest.LogCaptureFixture
) -> None:
    path = root / "v1" / "models.Quote.json"
    declared = source.index().track("v1")["models.Quote"].sha256
    content = json.loads(path.read_bytes())
    content["required"] = [*content.get("required", []), "exchange"]
    path.write_text(json.dumps(content))
    source.reload()
    entry = source.index().track("v1")["models.Quote"]
    assert entry.sha256 == hashlib.sha256(path.read_bytes()).hexdigest() != declared
    assert "differs from index.json's" in caplog.text
    assert str(path) in caplog.text
    assert source.fetch("v1", "models.Quote").sha256 == entry.sha256

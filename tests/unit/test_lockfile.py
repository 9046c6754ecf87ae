"""The lock format: exact round trip, stable order, and a named error for every bad lock."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drift.errors import LockError, UnsafeNameError
from drift.lockfile import Lock, LockEntry, cache_age, dump_lock, empty_lock, parse_lock


def sha(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def entry(seed: str, fetched_at: str = "2026-11-26T12:00:00Z", core: str = "1.2.8") -> LockEntry:
    return LockEntry(sha(seed), sha(seed + "/s"), sha(seed + "/r"), core, fetched_at)


def sample_lock() -> Lock:
    return (
        empty_lock("file:///srv/registry", "0.1.0")
        .with_entries("v2", {"models.Quote": entry("q2"), "models.OptionSnapshot": entry("o2")})
        .with_entries("v1", {"telemetry.FeedbackEvent": entry("f1"), "models.Quote": entry("q1")})
    )


GOOD = dump_lock(sample_lock())


def test_round_trip_is_exact() -> None:
    lock = sample_lock()
    text = dump_lock(lock)
    parsed = parse_lock(text)
    assert parsed == lock
    assert parsed.entry("v1", "models.Quote") == entry("q1")
    assert dump_lock(parsed) == text


def test_layout_header_first_tracks_and_schemas_sorted_fields_fixed() -> None:
    lines = GOOD.splitlines()
    assert lines[:4] == [
        "[lock]",
        "lock_version = 1",
        'registry = "file:///srv/registry"',
        'tool_version = "0.1.0"',
    ]
    tables = [line for line in lines if line.startswith("[tracks.")]
    assert tables == [
        '[tracks.v1."models.Quote"]',
        '[tracks.v1."telemetry.FeedbackEvent"]',
        '[tracks.v2."models.OptionSnapshot"]',
        '[tracks.v2."models.Quote"]',
    ]
    block = GOOD.split('[tracks.v1."models.Quote"]\n')[1].split("\n\n")[0]
    keys = [line.split(" = ")[0] for line in block.splitlines()]
    assert keys == ["sha256", "structural_sha256", "registry_sha256", "core_version", "fetched_at"]


def test_dump_is_independent_of_insertion_order() -> None:
    names = {"b.B": entry("b"), "a.A": entry("a"), "c.C": entry("c")}
    forward = empty_lock("https://reg", "0.1.0").with_entries("v1", names)
    backward = empty_lock("https://reg", "0.1.0")
    for name in reversed(list(names)):
        backward = backward.with_entries("v1", {name: names[name]})
    raw = Lock("https://reg", "0.1.0", entries={"v1": dict(reversed(list(names.items())))})
    assert dump_lock(forward) == dump_lock(backward) == dump_lock(raw)
    assert dump_lock(forward) == dump_lock(forward)


_names = st.from_regex(r"\A[A-Za-z0-9_][A-Za-z0-9_.\-]{0,30}\Z").filter(lambda n: ".." not in n)
_entries = st.builds(
    LockEntry,
    sha256=st.binary(min_size=1).map(lambda b: hashlib.sha256(b).hexdigest()),
    structural_sha256=st.binary(min_size=1).map(lambda b: hashlib.sha256(b).hexdigest()),
    registry_sha256=st.binary(min_size=1).map(lambda b: hashlib.sha256(b).hexdigest()),
    core_version=st.text(max_size=12),
    fetched_at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0).isoformat() + "Z"
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    registry=st.text(max_size=40),
    tool_version=st.text(max_size=10),
    tracks=st.dictionaries(
        st.sampled_from(["v1", "v2"]), st.dictionaries(_names, _entries, max_size=5)
    ),
)
def test_round_trip_property(
    registry: str, tool_version: str, tracks: dict[str, dict[str, LockEntry]]
) -> None:
    lock = Lock(registry, tool_version, entries=tracks)
    text = dump_lock(lock)
    assert parse_lock(text) == lock
    assert dump_lock(parse_lock(text)) == text


def test_with_entries_returns_a_new_lock_and_none_removes() -> None:
    lock = sample_lock()
    smaller = lock.with_entries("v2", {"models.Quote": None, "not.There": None})
    assert lock.entry("v2", "models.Quote") == entry("q2")
    assert smaller.entry("v2", "models.Quote") is None
    emptied = smaller.with_entries("v2", {"models.OptionSnapshot": None})
    assert "v2" not in emptied.entries
    assert "[tracks.v2" not in dump_lock(emptied)
    with pytest.raises(LockError, match="'v3' is not a track"):
        lock.with_entries("v3", {"a": entry("a")})
    with pytest.raises(UnsafeNameError, match=re.escape("unsafe schema name '../x'")):
        lock.with_entries("v1", {"../x": entry("x")})
    with pytest.raises(TypeError):
        lock.entries["v1"]["x"] = entry("x")  # type: ignore[index]


def test_oldest_fetch_and_cache_age() -> None:
    lock = empty_lock("r", "0").with_entries(
        "v1",
        {
            "a": entry("a", "2026-11-26T12:00:00Z"),
            "b": entry("b", "2026-11-25T23:30:00+00:00"),
            "c": entry("c", "2026-11-26T00:00:00Z"),
        },
    )
    assert lock.oldest_fetch("v1") == "2026-11-25T23:30:00+00:00"
    assert lock.oldest_fetch("v2") is None
    now = datetime(2026, 11, 26, 0, 30, tzinfo=timezone.utc)
    assert cache_age(lock, "v1", now) == 3600.0
    assert cache_age(lock, "v1", now.timestamp()) == 3600.0
    assert cache_age(lock, "v1", now + timedelta(days=1)) == 3600.0 + 86400
    assert cache_age(lock, "v2", now) is None


def test_empty_lock_round_trips() -> None:
    lock = empty_lock("https://registry.example.com", "0.1.0")
    assert dump_lock(lock) == (
        '[lock]\nlock_version = 1\nregistry = "https://registry.example.com"\n'
        'tool_version = "0.1.0"\n'
    )
    assert parse_lock(dump_lock(lock)) == lock


def test_dump_refuses_a_lock_it_could_not_read_back() -> None:
    bad = empty_lock("r", "0").with_entries("v1", {"a": replace(entry("a"), sha256="abc")})
    with pytest.raises(LockError, match="lock being written"):
        dump_lock(bad)


def _mutate(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


Q1 = '[tracks.v1."models.Quote"]'
H = sha("q1")

MALFORMED = [
    (
        "sha256 = ",
        "invalid TOML: Invalid value (at line 7, column 10)",
        GOOD.replace(f'"{H}"', "", 1),
    ),
    ("missing [lock]", "missing table [lock]", GOOD.split("\n\n", 1)[1]),
    (
        "missing field",
        f"{Q1}: missing field 'core_version'",
        _mutate('core_version = "1.2.8"\n', ""),
    ),
    (
        "missing header field",
        "[lock]: missing field 'registry'",
        _mutate('registry = "file:///srv/registry"\n', ""),
    ),
    (
        "wrong type",
        f"{Q1} core_version: expected str, got int",
        _mutate('core_version = "1.2.8"', "core_version = 128"),
    ),
    (
        "bool version",
        "[lock] lock_version: expected int, got bool",
        _mutate("lock_version = 1", "lock_version = true"),
    ),
    ("hand-edited hash", f"{Q1} sha256: '{H[:-1]}g' is not a SHA-256", _mutate(H, H[:-1] + "g")),
    ("short hash", f"{Q1} sha256: '{H[:-1]}' is not a SHA-256", _mutate(H, H[:-1])),
    ("upper-case hash", "is not a SHA-256 (64 lowercase hex digits)", _mutate(H, H.upper())),
    (
        "unknown track",
        "[tracks]: unknown track 'v3' (v1, v2)",
        _mutate("[tracks.v1.", "[tracks.v3."),
    ),
    (
        "unsafe name",
        "[tracks.v1]: unsafe schema name '../x'",
        _mutate('"models.Quote"]', '"../x"]'),
    ),
    ("path in name", "unsafe schema name 'a/b'", _mutate('"models.Quote"]', '"a/b"]')),
    ("unknown version", "unknown lock_version 2", _mutate("lock_version = 1", "lock_version = 2")),
    (
        "naive time",
        "fetched_at: '2026-11-26T12:00:00' is not in UTC",
        _mutate("12:00:00Z", "12:00:00"),
    ),
    (
        "bad time",
        "fetched_at: 'yesterday' is not an ISO-8601 UTC timestamp",
        _mutate("2026-11-26T12:00:00Z", "yesterday"),
    ),
    ("other zone", "is not in UTC", _mutate("12:00:00Z", "12:00:00+01:00")),
    (
        "unknown field",
        f"{Q1}: unknown field 'sha512'",
        _mutate('core_version = "1.2.8"', 'core_version = "1.2.8"\nsha512 = "x"'),
    ),
    ("unknown table", "top level: unknown table 'extra'", GOOD + "\n[extra]\na = 1\n"),
    ("entry not a table", '[tracks.v1."x"]: must be a table', GOOD + "\n[tracks.v1]\nx = 1\n"),
    (
        "credentials",
        "registry: must not contain credentials",
        _mutate("file:///srv/registry", "https://u:p@reg.example.com"),
    ),
]


@pytest.mark.parametrize(("case", "message", "text"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_locks_name_file_table_and_field(case: str, message: str, text: str) -> None:
    with pytest.raises(LockError) as info:
        parse_lock(text, source="fixtures/lock.toml")
    assert str(info.value).startswith("fixtures/lock.toml")
    assert message in str(info.value)


def test_error_names_the_given_source() -> None:
    with pytest.raises(LockError, match=re.escape("/x/y/lock.toml: invalid TOML")):
        parse_lock("[lock", source="/x/y/lock.toml")


def test_the_fast_reader_fills_entries_in_lockentry_field_order() -> None:
    import dataclasses

    from drift.lockfile import _ALL_ENTRY_FIELDS, LockEntry

    assert tuple(f.name for f in dataclasses.fields(LockEntry)) == _ALL_ENTRY_FIELDS

"""The fast lock reader is held equal to the tomllib one: same locks, same errors."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drift.errors import LockError
from drift.lockfile import Lock, LockEntry, dump_lock, empty_lock, parse_lock, parse_lock_toml
from drift.lockread import read_written

_digests = st.binary(min_size=1, max_size=8).map(lambda b: hashlib.sha256(b).hexdigest())
_names = st.from_regex(r"\A[A-Za-z0-9_][A-Za-z0-9_.\-]{0,30}\Z").filter(lambda n: ".." not in n)
_stamps = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0).isoformat() + "Z"
)
_strings = st.text(max_size=12) | st.sampled_from(["1.2.8", 'q"uote', "back\\slash", "tab\t", "é"])
_entries = st.builds(
    LockEntry,
    sha256=_digests,
    structural_sha256=_digests,
    registry_sha256=_digests,
    core_version=_strings,
    fetched_at=_stamps,
    file_sha256=st.just("") | _digests,
)
_locks = st.builds(
    lambda registry, tool, tracks: Lock(registry, tool, entries=tracks),
    registry=st.sampled_from(["registry", "https://reg.example/api", "file:///srv/r"]) | _strings,
    tool=_strings,
    tracks=st.dictionaries(
        st.sampled_from(["v1", "v2"]), st.dictionaries(_names, _entries, max_size=5), max_size=2
    ),
)


def _outcome(reader: object, text: str) -> Lock | str:
    try:
        return reader(text, source="lock.toml")  # type: ignore[operator,no-any-return]
    except LockError as exc:
        return f"LockError: {exc}"


@settings(max_examples=150, deadline=None)
@given(_locks)
def test_what_dump_lock_writes_reads_back_the_same_through_both_readers(lock: Lock) -> None:
    text = dump_lock(lock)
    assert parse_lock(text) == parse_lock_toml(text) == lock


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        _names,
        _entries.map(lambda e: e.__class__(**{**e.__dict__, "core_version": "1.2.8"})),
        min_size=1,
        max_size=5,
    )
)
def test_escape_free_locks_take_the_fast_reader(names: dict[str, LockEntry]) -> None:
    text = dump_lock(empty_lock("https://reg.example", "0.1.0").with_entries("v1", names))
    written = read_written(text, lambda registry: None)
    assert written is not None
    assert set(written[3]["v1"]) == set(names)


_GOOD = dump_lock(
    empty_lock("https://reg.example", "0.1.0").with_entries(
        "v1",
        {
            "models.Quote": LockEntry(
                *(hashlib.sha256(b"q").hexdigest(),) * 3, "1.2.8", "2026-11-26T12:00:00Z"
            ),
            "Bare_name-1": LockEntry(
                *(hashlib.sha256(b"b").hexdigest(),) * 3,
                "1.2.8",
                "2026-11-26T12:00:00Z",
                file_sha256=hashlib.sha256(b"f").hexdigest(),
            ),
        },
    )
)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_edited_locks_give_the_tomllib_answer(data: st.DataObject) -> None:
    """Any edit of a written lock: both readers agree on the lock, or on the error."""
    text = _GOOD
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        edit = data.draw(st.sampled_from(["delete", "insert", "duplicate-line", "crlf", "comment"]))
        if edit == "delete":
            text = text[:at] + text[at + 1 :]
        elif edit == "insert":
            text = text[:at] + data.draw(st.sampled_from(list('"\\.#=[] \nxZ0a-'))) + text[at:]
        elif edit == "duplicate-line":
            lines = text.split("\n")
            i = data.draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif edit == "crlf":
            text = text.replace("\n", "\r\n")
        else:
            text = text[:at] + "# note\n" + text[at:]
    assert _outcome(parse_lock, text) == _outcome(parse_lock_toml, text)


@pytest.mark.parametrize(
    "text",
    [
        _GOOD + _GOOD.split("\n\n", 1)[1],  # every table twice
        _GOOD.replace("2026-11-26T12:00:00Z", "2026-13-26T12:00:00Z"),  # no such month
        _GOOD.replace('"models.Quote"', '"models..Quote"'),  # unsafe name
        _GOOD.replace("lock_version = 1", "lock_version = 2"),
        _GOOD.replace('"https://reg.example"', '"https://u:p@reg.example"'),  # credentials
        _GOOD.replace("[tracks.v1.", "[tracks.v3."),  # unknown track
        _GOOD + "extra = 1\n",
    ],
)
def test_locks_outside_the_written_shape_fail_exactly_as_tomllib(text: str) -> None:
    assert _outcome(parse_lock, text) == _outcome(parse_lock_toml, text)
    assert isinstance(_outcome(parse_lock, text), str)

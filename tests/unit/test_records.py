"""``@record(frozen=True)`` behaves as ``@dataclass(frozen=True)``, at less start-up cost."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import FrozenInstanceError, field

import pytest

from drift.records import record


def _pair() -> tuple[type, type]:
    def body() -> dict[str, object]:
        return {
            "__annotations__": {"name": "str", "token": "str | None", "tags": "dict[str, int]"},
            "__doc__": "A record.",
            "__qualname__": "Thing",
            "token": field(default=None, repr=False),
            "tags": field(default_factory=dict, compare=False),
        }

    made = record(frozen=True)(type("Thing", (), body()))
    reference = dataclasses.dataclass(frozen=True)(type("Thing", (), body()))
    return made, reference


def test_equality_hash_and_repr_are_the_dataclass_ones() -> None:
    made, reference = _pair()
    for kwargs in ({"name": "a"}, {"name": "a", "token": "secret", "tags": {"x": 1}}):
        ours, theirs = made(**kwargs), reference(**kwargs)
        assert repr(ours) == repr(theirs)
        assert "secret" not in repr(ours)  # repr=False fields stay out of it
        assert hash(ours) == hash(theirs)
    assert made("a", None, {"x": 1}) == made("a", None, {"y": 2})  # compare=False
    assert made("a") != made("b")
    assert made("a") != reference("a")  # another class: NotImplemented, as generated
    assert made("a").__eq__(object()) is NotImplemented


def test_frozen_and_still_a_dataclass() -> None:
    made, _ = _pair()
    thing = made("a", "t")
    with pytest.raises(FrozenInstanceError):
        thing.name = "b"  # type: ignore[attr-defined]
    with pytest.raises(FrozenInstanceError):
        del thing.name  # type: ignore[attr-defined]
    assert dataclasses.is_dataclass(made)
    assert [f.name for f in dataclasses.fields(made)] == ["name", "token", "tags"]
    assert dataclasses.replace(thing, name="b") == made("b", "t")
    assert dataclasses.asdict(thing) == {"name": "a", "token": "t", "tags": {}}
    assert made.__match_args__ == ("name", "token", "tags")


def test_the_drift_records_pickle_and_compare() -> None:
    from drift.lockfile import LockEntry

    entry = LockEntry(**{f.name: f.name * 2 for f in dataclasses.fields(LockEntry)})
    assert pickle.loads(pickle.dumps(entry)) == entry
    assert {entry: 1}[dataclasses.replace(entry)] == 1


def test_only_frozen_records() -> None:
    with pytest.raises(TypeError, match="frozen"):
        record(frozen=False)  # type: ignore[call-overload]

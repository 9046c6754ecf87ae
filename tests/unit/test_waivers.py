"""Waivers as data: the file format (tomli-w), validation, coverage, expiry, the policy
and the expiry metric (on a passed-in CollectorRegistry)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from prometheus_client import CollectorRegistry

from drift.errors import ConfigError
from drift.model import Status
from drift.policy import enforce, fails_policy
from drift.report import Report, SchemaResult, TrackResult
from drift.telemetry.metrics import DriftMetrics
from drift.waivers import Waiver, dump_waivers, note_for, parse_waivers, with_waiver

TAG, HASH = "tag-1", "a" * 64
WAIVER = Waiver("models.Quote", "v1", TAG, HASH, "team-md", "known drift", dt.date(2026, 12, 31))
TODAY = dt.date(2026, 12, 1)


def drifted(note: object = None) -> SchemaResult:
    return SchemaResult(
        "models.Quote", "v1", Status.DRIFTED, registry_tag=TAG, verdict="breaking",
        waiver=note,  # type: ignore[arg-type]
    )  # fmt: skip


def test_round_trip_through_the_file_format() -> None:
    text = dump_waivers([WAIVER, replace(WAIVER, schema="models.Health", created=TODAY)])
    assert text.startswith("# Written by `drift waive`")
    assert "until = 2026-12-31\n" in text
    parsed = parse_waivers(text, ".drift-waivers.toml")
    assert {w.schema for w in parsed} == {"models.Quote", "models.Health"}
    assert WAIVER in parsed
    assert parse_waivers(dump_waivers([]), "f") == ()


def test_with_waiver_replaces_the_one_for_the_same_schema() -> None:
    later = replace(WAIVER, until=dt.date(2027, 1, 31))
    assert with_waiver([WAIVER], later) == (later,)
    other = replace(WAIVER, track="v2")
    assert set(with_waiver([WAIVER], other)) == {WAIVER, other}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[waiver]\n", "f: invalid TOML"),
        ("waiver = 3\n", "f: 'waiver' must be an array of tables"),
        ("[[waiver]]\nschema = 'a.B'\n", "f: waiver #1: missing track, registry_tag"),
        (dump_waivers([WAIVER]).replace("team-md", ""), "f: waiver #1: owner must be a non-empty"),
        (dump_waivers([WAIVER]).replace("2026-12-31", "'soon'"), "f: waiver #1: until: must be"),
        (dump_waivers([WAIVER]).replace("2026-12-31", "2026-12-31T10:00:00Z"), "not a date-time"),
        (dump_waivers([WAIVER]).replace('"v1"', '"v9"'), "f: waiver #1: track 'v9' is not one"),
        (dump_waivers([WAIVER]).replace('"models.Quote"', '"../etc"'), "f: waiver #1: schema:"),
        (dump_waivers([WAIVER]) + "extra = 1\n", "f: waiver #1: unknown key 'extra'"),
        (dump_waivers([WAIVER, replace(WAIVER, owner="x")]), "f: waiver #2: a second waiver"),
    ],
)
def test_malformed_files_name_the_waiver_and_the_field(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_waivers(text, "f")


def test_covers_exactly_the_version_it_was_made_for() -> None:
    assert WAIVER.covers(TAG, HASH)
    assert WAIVER.covers(TAG, None)  # content not fetched: the tag identifies the version
    assert not WAIVER.covers("tag-2", HASH)
    assert not WAIVER.covers(TAG, "b" * 64)


def test_days_left_and_expiry() -> None:
    assert WAIVER.days_left(TODAY) == 30
    assert WAIVER.days_left(dt.date(2026, 12, 31)) == 0
    assert not WAIVER.expired(dt.date(2026, 12, 31))
    assert WAIVER.expired(dt.date(2027, 1, 1))


def test_policy_honours_only_a_covering_unexpired_waiver() -> None:
    active = note_for(WAIVER, TODAY, TAG, HASH)
    expired = note_for(WAIVER, dt.date(2027, 1, 3), TAG, HASH)
    moved = note_for(WAIVER, TODAY, "tag-2", None)
    assert fails_policy(drifted(), "breaking")
    assert not fails_policy(drifted(active), "breaking")
    assert not fails_policy(drifted(active), "drift")
    assert fails_policy(drifted(expired), "breaking")
    assert fails_policy(drifted(moved), "breaking")

    def outcome(note: object, mode: str = "strict") -> tuple[int, tuple[str, ...]]:
        track = TrackResult("v1", mode, schemas=(drifted(note),))
        return enforce((track,), "breaking", registry_enabled=True, fail_open=True)

    assert outcome(active) == (0, ())
    code, reasons = outcome(expired)
    assert code == 1
    assert (
        "v1: waiver for models.Quote (owner team-md: known drift) expired on 2026-12-31" in reasons
    )
    assert outcome(expired, "warn") == (0, ())


def test_expiry_metric_on_a_passed_in_registry() -> None:
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry)
    note = note_for(WAIVER, TODAY, TAG, HASH)
    track = TrackResult("v1", "strict", schemas=(drifted(note),))
    metrics.record_check(Report("svc", "r", "t", "0", tracks=(track,)), now=0.0)
    labels = {"repo": "svc", "track": "v1", "schema": "models.Quote", "owner": "team-md",
              "covers": "true"}  # fmt: skip
    ends = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    assert registry.get_sample_value("schema_drift_waiver_expiry_timestamp", labels) == ends
    from prometheus_client import REGISTRY

    assert REGISTRY.get_sample_value("schema_drift_waiver_expiry_timestamp", labels) is None


@pytest.mark.parametrize("fmt", ["text", "markdown", "junit"])
def test_every_human_report_shows_the_waiver(fmt: str) -> None:
    from drift.reporters import render

    note = note_for(WAIVER, TODAY, TAG, HASH)
    track = TrackResult("v1", "strict", schemas=(drifted(note),))
    shown = render(Report("svc", "r", "t", "0", tracks=(track,)), fmt)  # type: ignore[arg-type]
    assert "waived by team-md until 2026-12-31 (30 day(s) left): known drift" in shown
    expired = note_for(WAIVER, dt.date(2027, 1, 1), TAG, HASH)
    track = TrackResult("v1", "warn", schemas=(drifted(expired),))
    shown = render(Report("svc", "r", "t", "0", tracks=(track,)), fmt)  # type: ignore[arg-type]
    assert "waiver by team-md EXPIRED on 2026-12-31 (1 day(s) ago): known drift" in shown

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from drift.sources.http_policy import (
    Timeouts,
    backoff_delay,
    origin_of,
    parse_retry_after,
    redact,
    split_userinfo,
)

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("1", 1.0),
        (" 120 ", 120.0),
        ("0", 0.0),
        (format_datetime(NOW + timedelta(seconds=30), usegmt=True), 30.0),
        (format_datetime(NOW - timedelta(seconds=30), usegmt=True), 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    rng = random.Random(7)
    for attempt in range(5):
        delays = [backoff_delay(attempt, 0.2, rng) for _ in range(200)]
        nominal = 0.2 * 2**attempt
        assert min(delays) >= 0.5 * nominal
        assert max(delays) <= 1.5 * nominal
        assert len(set(delays)) > 1  # jittered, not constant
    assert backoff_delay(3, 0.0) == 0.0


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://127.0.0.1:8080/x", ("http", "127.0.0.1", 8080)),
        ("HTTP://Registry.Example.COM/a", ("http", "registry.example.com", 80)),
        ("https://registry.example.com", ("https", "registry.example.com", 443)),
        ("https://u:p@registry.example.com:8443/", ("https", "registry.example.com", 8443)),
    ],
)
def test_origin_of(url: str, origin: tuple[str, str, int]) -> None:
    assert origin_of(url) == origin


def test_localhost_and_loopback_are_different_origins() -> None:
    assert origin_of("http://127.0.0.1:80/") != origin_of("http://localhost:80/")
    assert origin_of("http://h:80/") != origin_of("http://h:81/")
    assert origin_of("http://h/") != origin_of("https://h/")


def test_split_userinfo() -> None:
    assert split_userinfo("https://bob:hunter2@reg.example.com:8443/api?q=1") == (
        "https://reg.example.com:8443/api?q=1",
        "bob",
        "hunter2",
    )
    assert split_userinfo("https://reg.example.com/") == ("https://reg.example.com/", None, None)


def test_redact() -> None:
    assert redact("token abc and abc", ["abc", None, ""]) == "token *** and ***"


def test_timeouts_of() -> None:
    assert Timeouts.of(2.5) == Timeouts(connect=2.5, read=2.5)
    custom = Timeouts(connect=1, read=9)
    assert Timeouts.of(custom) is custom

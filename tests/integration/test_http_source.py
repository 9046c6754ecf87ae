"""RegistryClient against the real reference server (faults injected on the live server)."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from drift.errors import (
    RegistryError,
    RegistryProtocolError,
    RegistryUnavailable,
    SchemaNotFound,
    UnsafeNameError,
)
from drift.model import RegistrySchema
from drift.server import Fault, FaultPlan, RegistryServer
from drift.sources import DirectorySource, RegistryClient, Timeouts, http_requester

TOKEN = "tok-7f3a9c-super-secret"
QUOTE = "/schemas/v1/models.Quote"
MakeClient = Callable[..., RegistryClient]


@pytest.fixture
def make_client(registry_server: RegistryServer) -> Iterator[MakeClient]:
    made: list[RegistryClient] = []

    def make(url: str | None = None, **options: Any) -> RegistryClient:
        options.setdefault("backoff", 0.01)
        options.setdefault("timeout", Timeouts(connect=2.0, read=5.0))
        client = RegistryClient(url or registry_server.url, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def other_host(registry_root: Path) -> Iterator[RegistryServer]:
    """A second server; reached as ``localhost`` it is another origin than 127.0.0.1."""
    with RegistryServer(registry_root, "127.0.0.1", 0) as server:
        yield server


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The retry waits the client asked for (it still really sleeps)."""
    seen: list[float] = []
    real = http_requester._sleep

    def sleep(seconds: float) -> None:
        seen.append(seconds)
        real(seconds)

    monkeypatch.setattr(http_requester, "_sleep", sleep)
    return seen


def _plan(pattern: str, kind: Any, **options: Any) -> FaultPlan:
    return FaultPlan({pattern: Fault(kind, **options)})


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the happy path ------------------------------------------------------------


def test_index_is_the_registry_index(
    make_client: MakeClient, registry_server: RegistryServer, registry_root: Path
) -> None:
    client = make_client()
    assert client.index() == DirectorySource(registry_root).index()
    assert client.requests_made == 1
    assert registry_server.request_log == [("GET", "/index")]


def test_fetch_equals_the_file(
    make_client: MakeClient, registry_server: RegistryServer, registry_root: Path
) -> None:
    client = make_client()
    expected = DirectorySource(registry_root).fetch("v2", "models.Quote")
    assert client.fetch("v2", "models.Quote.schema") == expected
    assert registry_server.request_log == [("GET", "/schemas/v2/models.Quote")]


def test_fetch_many_all_v1_concurrently(
    make_client: MakeClient, registry_server: RegistryServer, registry_root: Path
) -> None:
    directory = DirectorySource(registry_root)
    names = sorted(directory.index().track("v1"))
    assert len(names) == 38
    registry_server.latency = 0.05
    client = make_client(concurrency=16)
    results = client.fetch_many("v1", names)
    assert list(results) == names
    for name, result in results.items():
        assert result == directory.fetch("v1", name)
    assert client.requests_made == registry_server.requests == 38
    assert 1 < registry_server.max_in_flight <= 16


def test_fetch_many_respects_concurrency(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    registry_server.latency = 0.03
    names = ["models.Quote", "models.PriceBar", "models.Health", "models.OptionChain"] * 3
    results = make_client(concurrency=2).fetch_many("v1", names)
    assert all(isinstance(r, RegistrySchema) for r in results.values())
    assert registry_server.requests == 4  # duplicates fetched once
    assert registry_server.max_in_flight <= 2


def test_fetch_many_errors_are_values(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    registry_server.faults = _plan("/schemas/v1/models.Health", "status", status=500)
    results = make_client(retries=1).fetch_many(
        "v1", ["models.Quote", "models.Nope", "../x", "models.Health"]
    )
    assert isinstance(results["models.Quote"], RegistrySchema)
    assert isinstance(results["models.Nope"], SchemaNotFound)
    assert isinstance(results["../x"], UnsafeNameError)
    assert isinstance(results["models.Health"], RegistryUnavailable)
    assert results["models.Health"].kind == "http_5xx"


def test_versions(make_client: MakeClient, registry_root: Path) -> None:
    client = make_client()
    assert client.versions("v1", "models.Quote") == DirectorySource(registry_root).versions(
        "v1", "models.Quote"
    )


def test_version_history_and_past_versions(
    make_client: MakeClient, registry_server: RegistryServer, edit_registry: Any
) -> None:
    old = {"type": "object", "$core_version": "1.0.0"}
    history = [
        {"core_version": "1.0.0", "sha256": "a" * 64, "created_at": "2025-01-01T00:00:00Z"},
        {"core_version": "1.2.8", "sha256": "b" * 64, "created_at": "2026-01-01T00:00:00Z"},
    ]
    edit_registry("v1/models.Quote.versions.json", json.dumps(history).encode())
    edit_registry("v1/models.Quote@1.0.0.json", json.dumps(old).encode())
    client = make_client()
    assert [v.core_version for v in client.versions("v1", "models.Quote")] == ["1.0.0", "1.2.8"]
    past = client.fetch("v1", "models.Quote", version="1.0.0")
    assert (past.core_version, past.content) == ("1.0.0", old)
    assert ("GET", f"{QUOTE}?version=1.0.0") in registry_server.request_log


def test_on_request_reports_every_request(make_client: MakeClient) -> None:
    calls: list[tuple[str, float, str | None]] = []
    client = make_client(on_request=lambda *call: calls.append(call))
    client.index()
    client.fetch("v1", "models.Quote")
    client.versions("v1", "models.Quote")
    with pytest.raises(SchemaNotFound):
        client.fetch("v1", "models.Nope")
    assert [(e, k) for e, _, k in calls] == [
        ("index", None),
        ("schema", None),
        ("versions", None),
        ("schema", "not_found"),
    ]
    assert all(seconds >= 0 for _, seconds, _ in calls)


def test_a_failing_hook_does_not_break_fetching(make_client: MakeClient) -> None:
    def hook(endpoint: str, seconds: float, kind: str | None) -> None:
        raise RuntimeError("telemetry down")

    assert make_client(on_request=hook).fetch("v1", "models.Quote").name == "models.Quote"


# -- answers that are not the schema ------------------------------------------


def test_404_is_schema_not_found_without_retry(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    client = make_client()
    with pytest.raises(SchemaNotFound) as info:
        client.fetch("v1", "models.OptionSnapshot")
    assert info.value.kind == "not_found"
    with pytest.raises(SchemaNotFound):
        client.versions("v9", "models.Quote")
    assert client.requests_made == registry_server.requests == 2


def test_index_404_means_not_a_registry(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    with pytest.raises(RegistryProtocolError) as info:
        make_client(registry_server.url + "/not-here").index()
    assert info.value.kind == "http_4xx"


def test_invalid_json_is_a_protocol_error(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    registry_server.faults = _plan(QUOTE, "invalid_json")
    with pytest.raises(RegistryProtocolError) as info:
        make_client().fetch("v1", "models.Quote")
    assert info.value.kind == "invalid_body"
    assert f"{registry_server.url}{QUOTE}" in str(info.value)
    assert "not valid JSON" in str(info.value)
    assert registry_server.requests == 1  # not retried


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.index(), "generated_at"),
        (lambda c: c.fetch("v1", "models.Quote"), "name"),
        (lambda c: c.versions("v1", "models.Quote"), "(top level)"),
    ],
)
def test_wrong_shape_names_url_and_field(
    make_client: MakeClient, registry_server: RegistryServer, call: Any, field: str
) -> None:
    registry_server.faults = _plan("*", "wrong_shape")
    with pytest.raises(RegistryProtocolError) as info:
        call(make_client())
    assert info.value.kind == "invalid_body"
    assert registry_server.url in str(info.value)
    assert field in str(info.value)


def test_answer_for_another_schema_is_rejected(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    target = f"{registry_server.url}/schemas/v1/models.PriceBar"
    registry_server.faults = _plan(QUOTE, "redirect", location=target + "#")
    with pytest.raises(RegistryProtocolError, match=r"expected v1/models\.Quote"):
        make_client().fetch("v1", "models.Quote")


def test_body_over_the_limit(make_client: MakeClient) -> None:
    client = make_client(max_body=1000)
    with pytest.raises(RegistryProtocolError) as info:
        client.fetch("v1", "models.Quote")
    assert info.value.kind == "too_large"
    with pytest.raises(RegistryProtocolError):
        client.index()
    assert client.requests_made == 2  # never retried


def test_body_cap_is_enforced_while_streaming_without_content_length() -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"generated_at": "x", "tracks": {}, "pad": "'
        while True:
            yield b"x" * 4096

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=chunks()))
    client = RegistryClient("http://registry.test", max_body=64 * 1024, transport=transport)
    with client, pytest.raises(RegistryProtocolError) as info:
        client.index()
    assert info.value.kind == "too_large"


# -- retries, timeouts, deadlines ------------------------------------------


def test_500_then_success(make_client: MakeClient, registry_server: RegistryServer) -> None:
    registry_server.faults = _plan(QUOTE, "status", status=500, count=1)
    kinds: list[str | None] = []
    client = make_client(on_request=lambda endpoint, seconds, kind: kinds.append(kind))
    assert client.fetch("v1", "models.Quote").name == "models.Quote"
    assert registry_server.request_log == [("GET", QUOTE), ("GET", QUOTE)]
    assert kinds == ["http_5xx", None]
    assert client.requests_made == 2


def test_429_retry_after_is_honoured(
    make_client: MakeClient, registry_server: RegistryServer, waits: list[float]
) -> None:
    registry_server.faults = _plan("/index", "status", status=429, retry_after="1", count=1)
    make_client().index()
    assert waits == [1.0]
    assert registry_server.request_log == [("GET", "/index"), ("GET", "/index")]


def test_retry_after_beyond_the_deadline_gives_up_at_once(
    make_client: MakeClient, registry_server: RegistryServer, waits: list[float]
) -> None:
    registry_server.faults = _plan("/index", "status", status=503, retry_after="60")
    with pytest.raises(RegistryUnavailable) as info:
        make_client(deadline=5.0).index()
    assert info.value.kind == "deadline"
    assert "HTTP 503" in str(info.value)
    assert waits == []
    assert registry_server.requests == 1


def test_persistent_500_is_unavailable_after_retries(
    make_client: MakeClient, registry_server: RegistryServer, waits: list[float]
) -> None:
    registry_server.faults = _plan("*", "status", status=500)
    client = make_client(retries=2, backoff=0.01)
    with pytest.raises(RegistryUnavailable) as info:
        client.fetch("v1", "models.Quote")
    assert info.value.kind == "http_5xx"
    assert client.requests_made == registry_server.requests == 3
    assert len(waits) == 2
    assert waits[1] > waits[0] * 2 * 0.5 / 1.5  # exponential, within the jitter band


def test_read_timeout(make_client: MakeClient, registry_server: RegistryServer) -> None:
    registry_server.faults = _plan("/index", "delay", seconds=1.0)
    client = make_client(timeout=Timeouts(connect=2.0, read=0.2), retries=1)
    with pytest.raises(RegistryUnavailable) as info:
        client.index()
    assert info.value.kind == "timeout"
    assert client.requests_made == 2


@pytest.mark.parametrize("kind", ["reset", "truncate"])
def test_broken_connection_then_success(
    make_client: MakeClient, registry_server: RegistryServer, kind: str
) -> None:
    registry_server.faults = _plan(QUOTE, kind, count=1)
    assert make_client().fetch("v1", "models.Quote").name == "models.Quote"
    assert registry_server.request_log == [("GET", QUOTE), ("GET", QUOTE)]


@pytest.mark.parametrize("kind", ["reset", "truncate"])
def test_persistently_broken_connection_is_unavailable(
    make_client: MakeClient, registry_server: RegistryServer, kind: str
) -> None:
    registry_server.faults = _plan(QUOTE, kind)
    client = make_client(retries=1)
    with pytest.raises(RegistryUnavailable) as info:
        client.fetch("v1", "models.Quote")
    assert info.value.kind == "connect"
    assert registry_server.requests == 2


def test_server_down(make_client: MakeClient, waits: list[float]) -> None:
    client = make_client(f"http://127.0.0.1:{_closed_port()}", retries=2)
    with pytest.raises(RegistryUnavailable) as info:
        client.index()
    assert info.value.kind == "connect"
    assert client.requests_made == 3
    assert len(waits) == 2


def test_deadline_bounds_the_whole_operation(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    registry_server.faults = _plan("/index", "delay", seconds=3.0)
    client = make_client(timeout=Timeouts(connect=2.0, read=30.0), deadline=0.5, retries=5)
    with pytest.raises(RegistryUnavailable) as info:
        client.index()
    assert info.value.kind == "deadline"
    assert client.requests_made == 1


def test_redirect_to_itself_is_bounded(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    registry_server.faults = _plan("/index", "redirect", location=registry_server.url)
    with pytest.raises(RegistryProtocolError, match="too many redirects"):
        make_client().index()
    assert registry_server.requests == 6


def test_redirect_to_another_scheme_is_refused(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    registry_server.faults = _plan("/index", "redirect", location="ftp://127.0.0.1")
    with pytest.raises(RegistryProtocolError, match="unusable redirect"):
        make_client().index()
    assert registry_server.requests == 1


def test_redirect_loop_is_bounded(
    make_client: MakeClient, registry_server: RegistryServer, other_host: RegistryServer
) -> None:
    registry_server.faults = _plan("/index", "redirect", location=other_host.url)
    other_host.faults = _plan("/index", "redirect", location=registry_server.url)
    with pytest.raises(RegistryProtocolError, match="too many redirects"):
        make_client().index()
    assert registry_server.requests + other_host.requests == 6


# -- credentials --------------------------------------------------------------


def test_token_is_sent_as_bearer_to_the_origin(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    make_client(token=TOKEN).fetch("v1", "models.Quote")
    assert registry_server.request_headers[0]["authorization"] == f"Bearer {TOKEN}"


def test_no_token_no_header(make_client: MakeClient, registry_server: RegistryServer) -> None:
    make_client().index()
    assert "authorization" not in registry_server.request_headers[0]


def test_token_is_not_forwarded_to_another_host(
    make_client: MakeClient, registry_server: RegistryServer, other_host: RegistryServer
) -> None:
    registry_server.faults = _plan(
        "/index", "redirect", location=f"http://localhost:{other_host.port}"
    )
    index = make_client(token=TOKEN).index()
    assert index.track("v1")
    assert registry_server.request_headers[0]["authorization"] == f"Bearer {TOKEN}"
    assert other_host.request_log == [("GET", "/index")]
    assert "authorization" not in other_host.request_headers[0]


def test_token_is_kept_on_a_same_origin_redirect(
    make_client: MakeClient, registry_server: RegistryServer
) -> None:
    registry_server.faults = _plan("/index", "redirect", location=registry_server.url, count=1)
    make_client(token=TOKEN).index()
    assert [h.get("authorization") for h in registry_server.request_headers] == [
        f"Bearer {TOKEN}",
        f"Bearer {TOKEN}",
    ]


def test_token_never_appears_in_errors_reprs_or_logs(
    make_client: MakeClient,
    registry_server: RegistryServer,
    other_host: RegistryServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(token=TOKEN, retries=1)
    down = make_client(f"http://127.0.0.1:{_closed_port()}", token=TOKEN, retries=0)
    other_host.faults = _plan("*", "status", status=500)
    errors: list[BaseException] = []
    scenarios: list[tuple[FaultPlan | None, Callable[[], object]]] = [
        (None, lambda: client.fetch("v1", "models.Nope")),
        (_plan("*", "status", status=500), client.index),
        (_plan("*", "wrong_shape"), client.index),
        (_plan("*", "invalid_json"), client.index),
        (_plan("*", "truncate"), client.index),
        (_plan("*", "redirect", location=f"http://localhost:{other_host.port}"), client.index),
        (None, down.index),
    ]
    for plan, call in scenarios:
        registry_server.faults = plan
        with pytest.raises(RegistryError) as info:
            call()
        errors.append(info.value)
    registry_server.faults = None
    client.fetch_many("v1", ["models.Quote", "models.Nope"])
    texts = [repr(client), client.location, repr(down), caplog.text]
    for error in errors:
        texts += [str(error), repr(error), repr(error.args)]
        texts += [repr(e) for e in (error.__cause__, error.__context__) if e is not None]
    assert caplog.records  # the debug log was on
    assert all(TOKEN not in text for text in texts)


def test_userinfo_password_is_used_but_never_shown(
    make_client: MakeClient, registry_server: RegistryServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = registry_server.url.replace("http://", "http://bob:hunter2@")
    client = make_client(url, retries=0)
    client.index()
    assert registry_server.request_headers[0]["authorization"].startswith("Basic ")
    registry_server.faults = _plan("*", "status", status=500)
    with pytest.raises(RegistryUnavailable) as info:
        client.index()
    for text in (str(info.value), repr(client), client.location, caplog.text):
        assert "hunter2" not in text
    assert client.location == registry_server.url


# -- names are validated before they become URLs ------------------------------

UNSAFE = ["../etc/passwd", "..", "a/b", "a\\b", "a\x00b", "x/../../y", "%2e%2e", "../x.schema"]


@pytest.mark.parametrize("name", UNSAFE)
def test_unsafe_names_are_rejected_before_any_request(
    make_client: MakeClient, registry_server: RegistryServer, name: str
) -> None:
    client = make_client()
    with pytest.raises(UnsafeNameError):
        client.fetch("v1", name)
    with pytest.raises(UnsafeNameError):
        client.versions("v1", name)
    assert isinstance(client.fetch_many("v1", [name])[name], UnsafeNameError)
    assert client.requests_made == 0
    assert registry_server.request_log == []


@pytest.mark.parametrize("track", ["..", "v1/..", "v1?x=", "v1#"])
def test_unsafe_tracks_and_versions_are_rejected(
    make_client: MakeClient, registry_server: RegistryServer, track: str
) -> None:
    client = make_client()
    with pytest.raises(UnsafeNameError):
        client.fetch(track, "models.Quote")
    with pytest.raises(UnsafeNameError):
        client.fetch("v1", "models.Quote", version=f"../{track}")
    assert registry_server.request_log == []

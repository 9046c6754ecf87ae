"""``GET /index`` on the standard library first (no httpx for a check where nothing
moved), against the real registry server: the same answers, errors, request counts,
waits and redaction as through httpx, and httpx for every other step.

"Through httpx" is the same client given a transport (then the standard library is
never used): each fault is run both ways and the outcomes compared.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from drift.errors import RegistryError, RegistryUnavailable
from drift.server import Fault, FaultPlan, RegistryServer
from drift.sources import http_requester
from drift.sources.http import RegistryClient, Timeouts
from drift.sources.index_cache import IndexCache
from tests.integration.hostile_peer import hostile_peer
from tests.integration.telemetry_servers import find_program

TOKEN = "tok-plain-0a1b2c"
PASSWORD = "pw-plain-9z8y"


def _client(url: str, httpx_only: bool = False, **options: Any) -> RegistryClient:
    options.setdefault("backoff", 0.0)
    options.setdefault("timeout", Timeouts(connect=2.0, read=5.0))
    transport = httpx.HTTPTransport() if httpx_only else None
    return RegistryClient(url, transport=transport, **options)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    seen: list[float] = []
    monkeypatch.setattr(http_requester, "_sleep", seen.append)
    return seen


# -- the answers ---------------------------------------------------------------


def test_a_304_reads_the_kept_index_without_httpx(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    cache = IndexCache(tmp_path, registry_server.url)
    with _client(registry_server.url, index_cache=cache) as client:
        fresh = client.index()  # a 200: the ETag and body kept
        assert cache.load() is not None
    registry_server.reset()
    with _client(registry_server.url, index_cache=cache) as client:
        again = client.index()
        assert client.requests_made == 1
        assert not client._requester.connected  # httpx never built
    assert again == fresh
    assert registry_server.request_headers[-1]["if-none-match"] == cache.load()[0]  # type: ignore[index]


def test_a_200_is_parsed_kept_and_equals_the_httpx_answer(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    plain_cache = IndexCache(tmp_path / "plain", registry_server.url)
    httpx_cache = IndexCache(tmp_path / "httpx", registry_server.url)
    with _client(registry_server.url, index_cache=plain_cache) as client:
        plain = client.index()
        assert not client._requester.connected
    with _client(registry_server.url, httpx_only=True, index_cache=httpx_cache) as client:
        through_httpx = client.index()
    assert plain == through_httpx
    assert plain_cache.load() == httpx_cache.load()


def test_fetch_after_a_plain_index_builds_httpx_once(registry_server: RegistryServer) -> None:
    with _client(registry_server.url) as client:
        client.index()
        assert not client._requester.connected
        client.fetch_many("v1", ["models.Quote", "models.PriceBar"])
        assert client._requester.connected
        assert client.requests_made == 3


@pytest.mark.parametrize("coding", ["gzip", "deflate", "gzip, deflate", "br", "broken gzip"])
def test_a_coded_answer_is_decoded_alike_both_ways(coding: str, waits: list[float]) -> None:
    import gzip
    import zlib

    body = json.dumps({"generated_at": "2026-01-01T00:00:00Z", "tracks": {}}).encode()
    packed = {
        "gzip": gzip.compress(body),
        "deflate": zlib.compress(body),
        "gzip, deflate": zlib.compress(gzip.compress(body)),
        "br": body,  # not offered, not undone: passed through as sent
        "broken gzip": b"\x1f\x8b" + body,
    }[coding]
    header = coding.replace("broken ", "").encode()
    answer = b"HTTP/1.1 200 OK\r\nContent-Encoding: %s\r\nContent-Length: %d\r\n\r\n" % (
        header,
        len(packed),
    )
    outcomes = []
    for httpx_only in (False, True):
        with _raw_peer(answer + packed) as url, _client(url, httpx_only, retries=0) as client:
            outcomes.append(_outcome(client, waits))
    assert outcomes[0] == outcomes[1]
    if coding != "broken gzip":
        assert outcomes[0][0] == "2026-01-01T00:00:00Z"
    else:
        assert "unreadable answer (DecodingError: " in outcomes[0][0][2]


# -- faults: the same outcome as through httpx -------------------------------------

FAULTS: dict[str, Fault | None] = {
    "503 once": Fault("status", status=503, count=1),
    "503 always": Fault("status", status=503),
    "429 retry-after": Fault("status", status=429, retry_after="0"),
    "404": Fault("status", status=404),
    "invalid json": Fault("invalid_json"),
    "wrong shape": Fault("wrong_shape"),
    "truncated": Fault("truncate"),
    "reset": Fault("reset"),
    "redirect loop": Fault("redirect", location="(the server itself)"),
    "down": None,
}


def _outcome(client: RegistryClient, waits: list[float]) -> tuple[Any, ...]:
    waits.clear()
    try:
        result: Any = client.index().generated_at
    except RegistryError as exc:
        result = (type(exc).__name__, exc.kind, str(exc).replace(client.location, "<registry>"))
    return result, client.requests_made, len(waits)


@pytest.mark.parametrize("retries", [0, 2])
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_fault_ends_as_it_does_through_httpx(
    registry_server: RegistryServer, waits: list[float], fault: str, retries: int
) -> None:
    url = registry_server.url if FAULTS[fault] is not None else f"http://127.0.0.1:{_closed_port()}"
    outcomes = []
    for httpx_only in (False, True):
        plan = FAULTS[fault]
        registry_server.faults = FaultPlan({"/index": plan}) if plan is not None else None
        if fault == "redirect loop":  # to itself, absolute
            registry_server.faults = FaultPlan(
                {"/index": Fault("redirect", location=registry_server.url)}
            )
        with _client(url, httpx_only=httpx_only, retries=retries) as client:
            outcomes.append(_outcome(client, waits))
            if not httpx_only and fault == "down":
                assert client._requester.connected is (retries > 0)
    assert outcomes[0] == outcomes[1]


def test_an_answer_over_the_size_cap_is_refused_unread(registry_server: RegistryServer) -> None:
    for httpx_only in (False, True):
        with _client(registry_server.url, httpx_only=httpx_only, max_body=100) as client:
            with pytest.raises(RegistryError) as info:
                client.index()
            assert info.value.kind == "too_large"
            assert client.requests_made == 1


def test_a_silent_peer_is_bounded_by_the_deadline_on_the_plain_path() -> None:
    import time

    with hostile_peer("silent") as peer:
        client = _client(peer.url, retries=0, deadline=0.5, timeout=Timeouts(3.0, 10.0))
        started = time.monotonic()
        with pytest.raises(RegistryUnavailable) as info:
            client.index()
        elapsed = time.monotonic() - started
        assert not client._requester.connected  # the one attempt was the plain one
        client.close()
    assert info.value.kind == "deadline"
    assert elapsed < 0.5 + 0.75


# -- handover: redirects, proxies; the token and the password ------------------------


def test_a_redirect_to_another_origin_goes_through_httpx_without_the_token(
    registry_server: RegistryServer, registry_root: Path
) -> None:
    with RegistryServer(registry_root, "127.0.0.1", 0) as other:
        elsewhere = other.url.replace("127.0.0.1", "localhost")
        registry_server.faults = FaultPlan({"/index": Fault("redirect", location=elsewhere)})
        with _client(registry_server.url, token=TOKEN) as client:
            client.index()
            assert client._requester.connected  # the second hop went through httpx
            assert client.requests_made == 2
        assert registry_server.request_headers[-1]["authorization"] == f"Bearer {TOKEN}"
        assert [target for _, target in other.request_log] == ["/index"]
        assert "authorization" not in other.request_headers[-1]


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "https_proxy", "ALL_PROXY"])
def test_a_proxy_in_the_environment_sends_the_index_through_httpx(
    registry_server: RegistryServer, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "http://127.0.0.1:9")  # never reached: NO_PROXY
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with _client(registry_server.url) as client:
        client.index()
        assert client._requester.connected


def test_a_url_password_never_appears_in_a_plain_path_error(waits: list[float]) -> None:
    url = f"http://reader:{PASSWORD}@127.0.0.1:{_closed_port()}"
    with _client(url, retries=0, token=TOKEN) as client, pytest.raises(RegistryError) as info:
        client.index()
    assert PASSWORD not in str(info.value)
    assert TOKEN not in str(info.value)
    assert "connection failed (ConnectError: [Errno 111] Connection refused)" in str(info.value)


# -- TLS: the trust httpx has ---------------------------------------------------------


@pytest.fixture(scope="module")
def tls_registry(
    registry_server: RegistryServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """The registry server behind a TLS terminator with a self-signed certificate for
    127.0.0.1: ``(https URL, the certificate)``."""
    openssl = find_program("openssl")  # CI=true: a missing openssl fails, never skips
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def relay(raw: socket.socket) -> None:
        """One thread per connection: an SSL socket must not be read and written at once."""
        try:
            tls = context.wrap_socket(raw, server_side=True)
        except OSError:  # a client that refused the certificate
            raw.close()
            return
        inner = socket.create_connection((registry_server.host, registry_server.port))
        try:
            while True:
                ready = [tls] if tls.pending() else select.select([tls, inner], [], [], 10)[0]
                if not ready:
                    return
                for src in ready:
                    data = src.recv(65536)
                    if not data:
                        return
                    (inner if src is tls else tls).sendall(data)
        except OSError:
            pass
        finally:
            tls.close()
            inner.close()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=relay, args=(raw,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}", cert
    stop.set()
    listener.close()


def test_https_trusts_ssl_cert_file_as_httpx_does(
    tls_registry: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, cert = tls_registry
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    cache = IndexCache(tmp_path, url)
    seen: list[tuple[object, ...]] = []
    for _ in range(2):  # a 200, then a 304
        seen.clear()
        with _client(url, index_cache=cache, on_request=lambda *r: seen.append(r)) as client:
            client.index()
            assert [kind for _, _, kind in seen] == [None], seen
            assert not client._requester.connected
    with _client(url, httpx_only=True) as client:
        client.index()


def test_https_refuses_an_untrusted_certificate_as_httpx_does(
    tls_registry: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    url, _ = tls_registry
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    outcomes = []
    for httpx_only in (False, True):
        with _client(url, httpx_only=httpx_only, retries=0) as client:
            outcomes.append(_outcome(client, waits))
    assert outcomes[0] == outcomes[1]
    assert "CERTIFICATE_VERIFY_FAILED" in outcomes[0][0][2]


@contextlib.contextmanager
def _raw_peer(answer: bytes) -> Iterator[str]:
    """A peer that sends ``answer`` to one request: its URL."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()

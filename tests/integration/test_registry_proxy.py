"""A proxy in the environment is honoured as httpx honours it, and bounded like a registry.

A real forwarding HTTP proxy on 127.0.0.1 (absolute-form requests, forwarded with
``http.client``) carries the client's requests to the project's registry server;
the hostile raw-socket peer posing as the proxy must not hold an operation past
the deadline; ``NO_PROXY`` sends a registry past the proxy.
"""

from __future__ import annotations

import contextlib
import http.client
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from drift.errors import RegistryUnavailable
from drift.server import RegistryServer
from drift.sources.http import RegistryClient, Timeouts
from tests.integration.hostile_peer import hostile_peer
from tests.integration.test_registry_deadline import DEADLINE, MARGIN, timed

_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


class _Forwarder(BaseHTTPRequestHandler):
    seen: list[str]

    def do_GET(self) -> None:  # an HTTP proxy receives the absolute URL as the target
        self.seen.append(self.path)
        target = urlsplit(self.path)
        upstream = http.client.HTTPConnection(target.hostname or "", target.port, timeout=5)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
        upstream.request("GET", target.path or "/", headers=headers)
        answer = upstream.getresponse()
        body = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        upstream.close()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@contextlib.contextmanager
def forwarding_proxy() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Forwarder,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def clean_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def test_requests_go_through_the_proxy_of_the_environment(
    registry_server: RegistryServer, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    with forwarding_proxy() as (proxy_url, seen):
        clean_proxy_env.setenv("HTTP_PROXY", proxy_url)
        with RegistryClient(registry_server.url, token="t0ken") as client:
            index = client.index()
            quote = client.fetch("v1", "models.Quote")
    assert index.tracks
    assert quote
    assert seen[0] == f"{registry_server.url}/index"
    assert any(path.endswith("/schemas/v1/models.Quote") for path in seen)
    assert registry_server.request_headers[0]["authorization"] == "Bearer t0ken"


@pytest.mark.parametrize("behaviour", ["header-trickle", "body-trickle", "silent", None])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_hostile_proxy_is_bounded_by_the_deadline(
    behaviour: str | None, scheme: str, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    with hostile_peer(behaviour) as proxy:
        clean_proxy_env.setenv("ALL_PROXY", proxy.url)
        # never resolved here: the proxy is asked for it (CONNECT for https)
        client = RegistryClient(
            f"{scheme}://registry.example.test:8443",
            timeout=Timeouts(connect=3.0, read=10.0),
            retries=3,
            backoff=0.0,
            deadline=DEADLINE,
        )
        try:
            elapsed, error = timed(client.index, DEADLINE + 15)
        finally:
            client.close()
    assert isinstance(error, RegistryUnavailable), repr(error)
    assert elapsed < DEADLINE + MARGIN, f"{scheme} via {behaviour} proxy: {elapsed:.2f}s"


def test_no_proxy_sends_the_registry_past_the_proxy(
    registry_server: RegistryServer, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    with hostile_peer("silent") as proxy:
        clean_proxy_env.setenv("HTTP_PROXY", proxy.url)
        clean_proxy_env.setenv("NO_PROXY", "127.0.0.1")
        with RegistryClient(registry_server.url, deadline=DEADLINE) as client:
            assert client.index().tracks

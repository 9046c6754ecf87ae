"""The registry client's direct send (its own transports, no client bookkeeping) puts the
same request on the wire as ``httpx.Client`` does, token and conditional headers included;
the standard library's ``GET /index`` sends what httpx sends but for the connection's
framing (``Connection: close``, no ``br``/``zstd`` offered)."""

from __future__ import annotations

from pathlib import Path

import httpx

from drift.server import RegistryServer
from drift.sources.http import RegistryClient
from drift.sources.http_transport import DirectSender, HttpxSender
from drift.sources.index_cache import IndexCache


def _sent(server: RegistryServer, client: RegistryClient) -> list[tuple[str, dict[str, str]]]:
    """(target, headers) of every request, in a stable order (fetch_many is concurrent)."""
    server.reset()
    with client:
        client.fetch("v1", "models.Quote")
        client.fetch_many("v1", ["models.Quote", "models.PriceBar"])
    pairs = zip(server.request_log, server.request_headers, strict=True)
    return sorted(((target, headers) for (_, target), headers in pairs), key=repr)


def test_direct_send_puts_the_clients_request_on_the_wire(registry_server: RegistryServer) -> None:
    direct = RegistryClient(registry_server.url, token="t0ken")
    assert isinstance(_httpx(direct).sender, DirectSender)
    through_client = RegistryClient(
        registry_server.url, token="t0ken", transport=httpx.HTTPTransport()
    )
    assert isinstance(_httpx(through_client).sender, httpx.Client)
    via_direct = _sent(registry_server, direct)
    via_client = _sent(registry_server, through_client)
    assert len(via_direct) == 3
    assert via_direct == via_client
    assert all(h["authorization"] == "Bearer t0ken" for _, h in via_direct)
    assert {h["user-agent"] for _, h in via_direct} == {"drift-registry-client"}


def test_a_proxy_in_the_environment_keeps_httpx_in_charge(
    registry_server: RegistryServer, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    client = RegistryClient(registry_server.url)
    assert isinstance(_httpx(client).sender, httpx.Client)
    client.close()


def _httpx(client: RegistryClient) -> HttpxSender:
    sender = client._requester.sender()
    assert isinstance(sender, HttpxSender)
    return sender


#: Framing only: one request per connection, and the codings the standard library undoes.
FRAMING = ("connection", "accept-encoding")


def test_the_standard_library_index_request_is_httpxs(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    """The same target and headers (token, ETag, accept, agent, host) as through httpx."""
    sent = []
    for transport in (None, httpx.HTTPTransport()):
        cache = IndexCache(tmp_path / str(len(sent)), registry_server.url)
        with RegistryClient(
            registry_server.url, token="t0ken", index_cache=cache, transport=transport
        ) as client:
            client.index()  # keeps an ETag
            registry_server.reset()
            client.index()
            assert client._requester.connected is (transport is not None)
        ((_, target),) = registry_server.request_log
        (headers,) = registry_server.request_headers
        sent.append((target, {k: v for k, v in headers.items() if k not in FRAMING}))
    assert sent[0] == sent[1]
    assert sent[0][1]["authorization"] == "Bearer t0ken"
    assert sent[0][1]["if-none-match"].startswith('"')

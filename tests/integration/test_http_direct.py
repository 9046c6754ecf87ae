"""The registry client's direct send (its own transports, no client bookkeeping) puts the
same request on the wire as ``httpx.Client`` does, token and conditional headers included."""

from __future__ import annotations

import httpx

from drift.server import RegistryServer
from drift.sources.http import RegistryClient
from drift.sources.http_transport import DirectSender


def _sent(server: RegistryServer, client: RegistryClient) -> list[tuple[str, dict[str, str]]]:
    """(target, headers) of every request, in a stable order (fetch_many is concurrent)."""
    server.reset()
    with client:
        client.index()
        client.fetch("v1", "models.Quote")
        client.fetch_many("v1", ["models.Quote", "models.PriceBar"])
    pairs = zip(server.request_log, server.request_headers, strict=True)
    return sorted(((target, headers) for (_, target), headers in pairs), key=repr)


def test_direct_send_puts_the_clients_request_on_the_wire(registry_server: RegistryServer) -> None:
    direct = RegistryClient(registry_server.url, token="t0ken")
    assert isinstance(direct._requester._client, DirectSender)
    through_client = RegistryClient(
        registry_server.url, token="t0ken", transport=httpx.HTTPTransport()
    )
    assert isinstance(through_client._requester._client, httpx.Client)
    via_direct = _sent(registry_server, direct)
    via_client = _sent(registry_server, through_client)
    assert len(via_direct) == 4
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
    assert isinstance(client._requester._client, httpx.Client)
    client.close()

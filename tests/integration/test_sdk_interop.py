"""The published SDK (``core_registry_client`` 0.2.0) works unchanged against our server."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from drift.server import RegistryServer

if sys.version_info < (3, 11):
    sdk = pytest.importorskip("core_registry_client")  # the SDK needs Python >= 3.11
    sdk_client = pytest.importorskip("core_registry_client.client")
else:
    import core_registry_client as sdk
    import core_registry_client.client as sdk_client

T = TypeVar("T")


def _run(server: RegistryServer, call: Callable[[Any], Awaitable[T]]) -> T:
    async def main() -> T:
        async with sdk.RegistryClient(server.url, timeout=10.0) as client:
            return await call(client)

    return asyncio.run(main())


def test_get_index(registry_server: RegistryServer, registry_root: Path) -> None:
    index = _run(registry_server, lambda c: c.get_index())
    expected = json.loads((registry_root / "index.json").read_text())
    assert set(index.tracks) == {"v1", "v2"}
    for track, body in expected["tracks"].items():
        info = index.tracks[track]
        assert info.count == body["count"]
        assert [s.name for s in info.schemas] == [s["name"] for s in body["schemas"]]
        assert [s.sha256 for s in info.schemas] == [s["sha256"] for s in body["schemas"]]
        assert [s.schema_id for s in info.schemas] == [s["$schema_id"] for s in body["schemas"]]
    assert index.generated_at.year == 2026


def test_fetch_schema(registry_server: RegistryServer, registry_root: Path) -> None:
    data = (registry_root / "v1" / "telemetry.FeedbackEvent.json").read_bytes()
    schema = _run(registry_server, lambda c: c.fetch_schema("v1", "telemetry.FeedbackEvent"))
    assert schema.name == "telemetry.FeedbackEvent"
    assert schema.track == "v1"
    assert schema.core_version == "1.2.8"
    assert schema.schema_id == "telemetry.FeedbackEvent"
    assert schema.sha256 == hashlib.sha256(data).hexdigest()
    assert schema.content == json.loads(data)
    assert schema.deprecated is False
    assert schema.deprecation_note is None


def test_fetch_schema_with_suffix_and_version(registry_server: RegistryServer) -> None:
    schema = _run(
        registry_server, lambda c: c.fetch_schema("v2", "models.Quote.schema", version="1.4.61")
    )
    assert (schema.name, schema.track, schema.core_version) == ("models.Quote", "v2", "1.4.61")


def test_list_versions(registry_server: RegistryServer) -> None:
    versions = _run(registry_server, lambda c: c.list_versions("v2", "models.Quote"))
    assert [v.core_version for v in versions] == ["1.4.61"]
    assert versions[0].created_at.year == 2026


def test_fetch_schema_by_id(registry_server: RegistryServer) -> None:
    quote = _run(registry_server, lambda c: c.fetch_schema_by_id("models.Quote"))
    assert (quote.track, quote.core_version) == ("v2", "1.4.61")
    snapshot = _run(registry_server, lambda c: c.fetch_schema_by_id("models.OptionSnapshot"))
    assert snapshot.track == "v2"


def test_negotiate_prefers_v2(registry_server: RegistryServer) -> None:
    result = _run(registry_server, lambda c: c.negotiate("models.Quote", "v2", fallback="v1"))
    assert (result.track, result.core_version) == ("v2", "1.4.61")
    assert result.url == f"{registry_server.url}/schemas/v2/models.Quote"


def test_negotiate_falls_back_to_v1(registry_server: RegistryServer, edit_registry: Any) -> None:
    edit_registry("v2/models.Quote.json", None)
    result = _run(registry_server, lambda c: c.negotiate("models.Quote", "v2", fallback="v1"))
    assert (result.track, result.core_version) == ("v1", "1.2.8")


def test_negotiate_v2_only_schema(registry_server: RegistryServer) -> None:
    found = _run(registry_server, lambda c: c.negotiate("models.OptionSnapshot", "v2", "v1"))
    assert found.track == "v2"
    fallback = _run(registry_server, lambda c: c.negotiate("models.OptionSnapshot", "v1", "v2"))
    assert fallback.track == "v2"
    with pytest.raises(sdk_client.SchemaNotFoundError):
        _run(registry_server, lambda c: c.negotiate("models.OptionSnapshot", "v1"))


def test_unknown_schema(registry_server: RegistryServer) -> None:
    with pytest.raises(sdk_client.SchemaNotFoundError):
        _run(registry_server, lambda c: c.fetch_schema("v1", "models.Nope"))
    with pytest.raises(sdk_client.SchemaNotFoundError):
        _run(registry_server, lambda c: c.fetch_schema_by_id("models.Nope"))


def test_check_compatibility(registry_server: RegistryServer) -> None:
    result = _run(
        registry_server,
        lambda c: c.check_compatibility("models.Quote", "v1", "1.2.8", "v2", "1.4.61"),
    )
    assert result.compatible is False
    assert result.breaking_reasons

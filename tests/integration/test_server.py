"""The reference registry server speaks the registry API (raw HTTP, no drift client)."""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from drift.compat import compare, run_diff
from drift.errors import ConfigError
from drift.model import CompatPolicy
from drift.server import Fault, FaultPlan, RegistryServer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def web(registry_server: RegistryServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=registry_server.url, timeout=10) as client:
        yield client


def _raw(server: RegistryServer, method: str, target: str, **headers: str) -> tuple[int, bytes]:
    """Send ``target`` byte for byte (no client-side normalisation of ``..``)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name.replace("_", "-"), value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _file(root: Path, relative: str) -> bytes:
    return (root / relative).read_bytes()


def test_health(web: httpx.Client) -> None:
    response = web.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "tracks": {"v1": 38, "v2": 39}}


def test_index_is_index_json(web: httpx.Client, registry_root: Path) -> None:
    response = web.get("/index")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == json.loads(_file(registry_root, "index.json"))
    assert response.json()["generated_at"] == "2026-11-26T12:27:44Z"


def test_schema(web: httpx.Client, registry_root: Path) -> None:
    data = _file(registry_root, "v1/telemetry.FeedbackEvent.json")
    body = web.get("/schemas/v1/telemetry.FeedbackEvent").json()
    assert body == {
        "name": "telemetry.FeedbackEvent",
        "track": "v1",
        "core_version": "1.2.8",
        "sha256": hashlib.sha256(data).hexdigest(),
        "$schema_id": "telemetry.FeedbackEvent",
        "content": json.loads(data),
        "deprecated": False,
        "deprecation_note": None,
    }


def test_schema_suffix_and_version_query(web: httpx.Client) -> None:
    plain = web.get("/schemas/v2/models.Quote").json()
    assert web.get("/schemas/v2/models.Quote.schema").json() == plain
    assert web.get("/schemas/v2/models.Quote", params={"version": "1.4.61"}).json() == plain
    missing = web.get("/schemas/v2/models.Quote", params={"version": "0.0.1"})
    assert missing.status_code == 404
    assert "detail" in missing.json()


def test_versions(web: httpx.Client, edit_registry: Any) -> None:
    [only] = web.get("/schemas/v1/models.Quote/versions").json()
    assert set(only) == {"core_version", "sha256", "created_at", "deprecated"}
    assert only["core_version"] == "1.2.8"
    history = [
        {"core_version": v, "sha256": v * 4, "created_at": f"202{i}-01-01T00:00:00Z"}
        for i, v in enumerate(["1.0.0", "1.1.0", "1.2.8"])
    ]
    edit_registry("v1/models.Quote.versions.json", json.dumps(history).encode())
    listed = web.get("/schemas/v1/models.Quote.schema/versions").json()
    assert [v["core_version"] for v in listed] == ["1.0.0", "1.1.0", "1.2.8"]
    assert all(v["deprecated"] is False for v in listed)


def test_by_id_prefers_the_newest_track(web: httpx.Client, edit_registry: Any) -> None:
    assert web.get("/schemas/by-id/models.OptionSnapshot").json()["track"] == "v2"
    assert web.get("/schemas/by-id/models.Quote.schema").json()["track"] == "v2"
    edit_registry("v2/federation.NodeId.json", None)
    body = web.get("/schemas/by-id/federation.NodeId").json()
    assert (body["track"], body["core_version"]) == ("v1", "1.2.8")
    assert web.get("/schemas/by-id/models.Nope").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/nope",
        "/",
        "/index/",
        "/schemas",
        "/schemas/v1",
        "/schemas/v9/models.Quote",
        "/schemas/v1/models.Nope",
        "/schemas/v1/models.OptionSnapshot",
        "/schemas/v1/models.Quote/extra",
        "/schemas/v1/models.Quote/versions/extra",
        "/schemas/by-id/models.Quote/versions",
        "/schemas/v1/models.Nope/versions",
    ],
)
def test_json_404s(web: httpx.Client, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "POST", "OPTIONS"])
def test_only_get(web: httpx.Client, method: str) -> None:
    response = web.request(method, "/index", content=b"{}")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert "detail" in response.json()


def test_head_is_not_allowed(registry_server: RegistryServer) -> None:
    status, body = _raw(registry_server, "HEAD", "/index")
    assert (status, body) == (405, b"")


def test_admin_needs_a_token(web: httpx.Client) -> None:
    response = web.post("/admin/schemas", json={"name": "x"})
    assert response.status_code == 401
    assert "detail" in response.json()


def test_etag_and_if_none_match(web: httpx.Client) -> None:
    for path in ("/index", "/schemas/v1/models.Quote", "/schemas/v1/models.Quote/versions"):
        first = web.get(path)
        etag = first.headers["etag"]
        assert etag == f'"{hashlib.sha256(first.content).hexdigest()}"'
        for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
            again = web.get(path, headers={"If-None-Match": header})
            assert again.status_code == 304
            assert again.content == b""
            assert again.headers["etag"] == etag
        assert web.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_etag_changes_with_the_file(
    web: httpx.Client, edit_registry: Any, registry_root: Path
) -> None:
    before = web.get("/schemas/v1/models.Quote").headers["etag"]
    data = json.loads(_file(registry_root, "v1/models.Quote.json"))
    data["description"] = "edited"
    edit_registry("v1/models.Quote.json", json.dumps(data).encode())
    after = web.get("/schemas/v1/models.Quote", headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.json()["content"]["description"] == "edited"


def test_keep_alive(registry_server: RegistryServer) -> None:
    conn = http.client.HTTPConnection(registry_server.host, registry_server.port, timeout=10)
    try:
        conn.request("GET", "/health")
        conn.getresponse().read()
        sock = conn.sock
        for path in ("/index", "/schemas/v1/models.Quote", "/nope"):
            conn.request("GET", path)
            conn.getresponse().read()
            assert conn.sock is sock  # the same connection served every request
    finally:
        conn.close()
    assert registry_server.requests == 4


TRAVERSALS = [
    "/schemas/v1/..%2F..%2Fsecret",
    "/schemas/v1/..%2F..%2F..%2Fetc%2Fpasswd",
    "/schemas/v1/../../secret",
    "/schemas/v1/%2e%2e%2f%2e%2e%2fsecret",
    "/schemas/v1/..%5C..%5Csecret",
    "/schemas/v1/secret%00",
    "/schemas/..%2F..%2F/secret",
    "/schemas/%2e%2e/secret",
    "/schemas/..%2F/secret/versions",
    "/schemas/by-id/..%2F..%2Fsecret",
    "/schemas/v1/%2Fetc%2Fpasswd",
    "/schemas/v1/..",
    "/compat/check?name=..%2F..%2Fsecret&from_track=v1&to_track=v1",
    "/compat/check?name=models.Quote&from_track=..%2F..&to_track=v1",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_is_404_and_reads_nothing_outside_root(
    registry_server: RegistryServer,
    registry_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
) -> None:
    secret = registry_root.parent / "secret.json"
    secret.write_text('{"marker": "TOP-SECRET"}')
    touched: list[str] = []
    real_stat, real_read = os.stat, Path.read_bytes

    def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        touched.append(os.fspath(path))
        return real_stat(path, *args, **kwargs)

    def read_bytes(self: Path) -> bytes:
        touched.append(os.fspath(self))
        return real_read(self)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    status, body = _raw(registry_server, "GET", target)
    assert _raw(registry_server, "GET", "/schemas/v1/models.Quote")[0] == 200  # spies work
    monkeypatch.undo()
    assert any(p.endswith("models.Quote.json") for p in touched)
    assert status == 404
    assert b"TOP-SECRET" not in body
    assert "detail" in json.loads(body)
    root = str(registry_root.resolve())
    real = [os.path.realpath(p) for p in touched]
    outside = [p for p in real if p != root and not p.startswith(root + os.sep)]
    assert outside == []


def test_compat_check(web: httpx.Client) -> None:
    def check(name: str) -> Any:
        params = {"name": name, "from_track": "v1", "from_version": "1.2.8"}
        params |= {"to_track": "v2", "to_version": "1.4.61"}
        response = web.get("/compat/check", params=params)
        assert response.status_code == 200
        return response.json()

    same = check("federation.NodeId")
    assert same["compatible"] is True
    assert same["breaking_reasons"] == same["advice"] == []
    assert same["verdict"] == "annotations-only"
    changed = check("models.Quote")
    assert changed["compatible"] is False
    assert changed["breaking_reasons"]
    assert changed["counterexample"]["direction"] == "backward"
    assert "counterexample" in changed["advice"][0]
    assert web.get("/compat/check", params={"name": "models.Quote"}).status_code == 400
    unknown = {"name": "models.Nope", "from_track": "v1", "to_track": "v2"}
    assert web.get("/compat/check", params=unknown).status_code == 404


@pytest.mark.parametrize("mode", ["backward", "forward", "full"])
@pytest.mark.parametrize("policy", ["strict", "lenient"])
def test_compat_check_answers_as_drift_diff(
    web: httpx.Client, registry_root: Path, mode: str, policy: CompatPolicy
) -> None:
    """The same engine and verdicts as ``drift diff`` on every bundled v1 -> v2 pair."""
    for old_path in sorted((registry_root / "v1").glob("*.json")):
        new_path = registry_root / "v2" / old_path.name
        if not new_path.exists():
            continue
        params = {"name": old_path.stem, "from_track": "v1", "to_track": "v2"}
        body = web.get("/compat/check", params={**params, "mode": mode, "policy": policy}).json()
        expected = compare(
            json.loads(old_path.read_text()), json.loads(new_path.read_text()), policy=policy
        )
        assert body["verdict"] == expected.verdict(mode), old_path.stem
        assert body["compatible"] == expected.is_compatible(mode)
        if policy == "strict":
            out = io.StringIO()
            status = run_diff(old_path, new_path, mode, "json", out)
            diff = json.loads(out.getvalue())
            assert (status == 0) == body["compatible"]
            assert diff["verdict"] == body["verdict"]
            assert diff["counterexample"] == body["counterexample"]


def test_compat_check_rejects_unknown_mode_and_policy(web: httpx.Client) -> None:
    params = {"name": "models.Quote", "from_track": "v1", "to_track": "v2"}
    assert web.get("/compat/check", params={**params, "mode": "sideways"}).status_code == 400
    assert web.get("/compat/check", params={**params, "policy": "loose"}).status_code == 400


def test_latency_does_not_serialise_requests(registry_server: RegistryServer) -> None:
    registry_server.latency = 0.5
    start = threading.Barrier(16)
    statuses: list[int] = []

    def one() -> None:
        start.wait()
        statuses.append(_raw(registry_server, "GET", "/health")[0])

    threads = [threading.Thread(target=one) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 16
    assert registry_server.max_in_flight == 16


def test_status_fault_with_retry_after(web: httpx.Client, registry_server: RegistryServer) -> None:
    registry_server.faults = FaultPlan({"/index": Fault("status", status=429, retry_after="7")})
    response = web.get("/index")
    assert (response.status_code, response.headers["retry-after"]) == (429, "7")
    assert web.get("/health").status_code == 200  # other paths unaffected


def test_truncate_fault_sends_less_than_declared(registry_server: RegistryServer) -> None:
    registry_server.faults = FaultPlan({"*": Fault("truncate")})
    with pytest.raises(http.client.IncompleteRead):
        _raw(registry_server, "GET", "/index")


def test_reset_fault_closes_without_an_answer(registry_server: RegistryServer) -> None:
    registry_server.faults = FaultPlan({"*": Fault("reset")})
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
        _raw(registry_server, "GET", "/index")


@pytest.mark.parametrize("kind", ["invalid_json", "wrong_shape"])
def test_body_faults(web: httpx.Client, registry_server: RegistryServer, kind: Any) -> None:
    registry_server.faults = FaultPlan({"/schemas/*": Fault(kind, count=1)})
    bad = web.get("/schemas/v1/models.Quote")
    assert bad.status_code == 200
    if kind == "invalid_json":
        with pytest.raises(ValueError):
            bad.json()
    else:
        assert "name" not in bad.json()
    assert web.get("/schemas/v1/models.Quote").json()["name"] == "models.Quote"


def test_reset_clears_the_live_state(registry_server: RegistryServer) -> None:
    registry_server.faults = FaultPlan({"*": Fault("status", status=500)})
    registry_server.latency = 0.3
    assert _raw(registry_server, "GET", "/health")[0] == 500
    registry_server.reset()
    assert registry_server.faults is None
    assert registry_server.latency == 0.0
    assert registry_server.request_log == []
    assert _raw(registry_server, "GET", "/health")[0] == 200
    assert registry_server.request_log == [("GET", "/health")]


def test_stop_releases_the_port_and_open_connections(registry_root: Path) -> None:
    server = RegistryServer(registry_root).start()
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    conn.request("GET", "/health")
    assert conn.getresponse().read()
    server.stop()
    conn.request("GET", "/health")  # the kept-alive connection is gone
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
        conn.getresponse()
    conn.close()
    with pytest.raises(ConnectionError):
        _raw(server, "GET", "/health")


def test_root_must_be_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        RegistryServer(tmp_path / "missing")


def test_serve_prints_the_url_and_stops_on_ctrl_c(registry_root: Path) -> None:
    code = (
        "import signal, sys; from pathlib import Path; from drift.server import serve; "
        # a shell starts background jobs with SIGINT ignored; Ctrl-C semantics are what we test
        "signal.signal(signal.SIGINT, signal.default_int_handler); "
        "serve(Path(sys.argv[1]), '127.0.0.1', 0, 0.0)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(registry_root)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/health", timeout=10).json()["status"] == "ok"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

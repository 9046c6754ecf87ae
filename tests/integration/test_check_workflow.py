"""``drift check-drift`` end to end: the real CLI, throwaway projects, the reference server."""

from __future__ import annotations

import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from drift import __version__
from drift.lockfile import dump_lock
from drift.report import REPORT_VERSION
from drift.reporters.schema import report_validator
from drift.server import Fault, FaultPlan, RegistryServer
from drift.sources import http_requester
from tests.integration.project import (
    BUNDLED,
    MakeProject,
    Project,
    RegistryEditor,
    add_required,
    restamp,
)

SMALL = ["models.Health", "models.PriceBar", "models.Quote", "telemetry.FeedbackEvent"]
V1_SMALL = {"v1": SMALL}
TOKEN = "sekrit-token-123"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def bundled_names(track: str) -> list[str]:
    return sorted(p.stem for p in (BUNDLED / track).glob("*.json"))


def statuses(project: Project) -> dict[str, str]:
    return {f"{t}/{n}": r["status"] for (t, n), r in project.results().items()}


def others_synced(project: Project, *skip: str) -> None:
    rest = {k: v for k, v in statuses(project).items() if k not in skip}
    assert rest
    assert set(rest.values()) == {"synced"}, rest


def validate(report: dict[str, Any]) -> None:
    errors = [e.message for e in report_validator().iter_errors(report)]
    assert errors == []


def restamp_lock(project: Project, fetched_at: str) -> None:
    lock = project.read_lock()
    entries = {
        track: {name: replace(e, fetched_at=fetched_at) for name, e in names.items()}
        for track, names in lock.entries.items()
    }
    project.lock_path.write_text(dump_lock(replace(lock, entries=entries)))


@pytest.fixture
def small(make_project: MakeProject, registry_server: RegistryServer) -> Project:
    return make_project(registry_server.url, tracks=V1_SMALL)


# -- a clean project ---------------------------------------------------------------


def test_bundled_project_is_synced_with_a_valid_report(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    project = make_project(registry_server.url)
    result = project.check()
    assert result.code == 0, result.text
    report = project.report()
    validate(report)
    assert report["report_version"] == REPORT_VERSION
    assert report["tool_version"] == __version__
    assert report["exit_code"] == 0
    assert report["failures"] == []
    assert report["registry_available"] is True
    assert ISO.match(report["generated_at"])
    assert report["duration_seconds"] >= 0
    lock = project.read_lock()
    for track in report["tracks"]:
        name = track["track"]
        expected = bundled_names(name)
        assert [s["name"] for s in track["schemas"]] == expected
        assert track["mode"] == "warn"
        assert track["mode_source"] == "default"
        assert track["registry_available"] is True
        assert track["counts"]["synced"] == len(expected)
        index = {e: registry_editor.entry(name, e) for e in expected}
        for schema in track["schemas"]:
            entry = lock.entries[name][schema["name"]]
            assert schema["status"] == "synced"
            assert schema["fixture_sha256"] == schema["lock_sha256"] == entry.sha256
            assert schema["registry_tag"] == schema["locked_tag"] == entry.registry_sha256
            assert schema["registry_tag"] == index[schema["name"]]["sha256"]
            assert schema["core_version"] == index[schema["name"]]["latest_core_version"]
        assert f"{len(expected)} schemas: {len(expected)} synced" in result.out
    assert "OK: exit 0" in result.out


def test_console_entry_point(make_project: MakeProject, registry_server: RegistryServer) -> None:
    project = make_project(registry_server.url, tracks=V1_SMALL)
    version = project.run_module("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"drift {__version__}"
    clean = project.run_module("check-drift")
    assert clean.returncode == 0, clean.stderr
    assert f"{len(SMALL)} schemas: {len(SMALL)} synced" in clean.stdout
    project.edit_fixture("v1", "models.Quote", add_required("local_only"))
    strict = project.run_module("check-drift", "--mode", "strict")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "local-edit" in strict.stdout


# -- exit codes --------------------------------------------------------------------


def test_drift_passes_in_warn(small: Project, registry_editor: RegistryEditor) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    result = small.check()
    assert result.code == 0, result.text
    assert statuses(small)["v1/models.Quote"] == "drifted"
    assert "drift reported, not enforced" in result.out


@pytest.mark.parametrize("how", ["flag", "env", "mode-file", "config"])
def test_drift_fails_in_strict(
    how: str,
    make_project: MakeProject,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = {"mode": "strict"} if how == "config" else {}
    project = make_project(registry_server.url, tracks=V1_SMALL, settings=settings)
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    args: list[str] = []
    if how == "flag":
        args = ["--mode", "strict"]
    elif how == "env":
        monkeypatch.setenv("REGISTRY_ENFORCEMENT", "strict")
    elif how == "mode-file":
        assert project.drift("set-mode", "strict", "--track", "v1").code == 0
        assert 'v1 = "strict"' in (project.root / ".drift-mode.toml").read_text()
    result = project.check(*args)
    assert result.code == 1, result.text
    track = project.report()["tracks"][0]
    assert (track["mode"], track["mode_source"]) == ("strict", how)
    assert "FAILED: exit 1" in result.out


def test_env_warn_beats_a_persisted_strict(
    small: Project, registry_editor: RegistryEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    assert small.drift("set-mode", "strict", "--track", "v1").code == 0
    assert small.check().code == 1
    monkeypatch.setenv("REGISTRY_ENFORCEMENT", "warn")
    result = small.check()
    assert result.code == 0, result.text
    track = small.report()["tracks"][0]
    assert (track["mode"], track["mode_source"]) == ("warn", "env")


@pytest.mark.parametrize(
    ("data", "problem"),
    [(b'{"type": "object",\n', "invalid JSON"), (b'{"type": 12}\n', "not a valid JSON Schema")],
    ids=["syntax", "metaschema"],
)
def test_malformed_fixture_exits_2_naming_the_file(
    small: Project, data: bytes, problem: str
) -> None:
    small.fixture("v1", "models.Quote").write_bytes(data)
    for mode in ("warn", "strict"):
        result = small.check("--mode", mode)
        assert result.code == 2, result.text
        assert "models.Quote.json" in result.out
        assert problem in result.out
        assert statuses(small)["v1/models.Quote"] == "invalid"


def _garble(text: str) -> str:
    return text.replace("[lock]", "[lock", 1)


def _bad_hash(text: str) -> str:
    return re.sub(r'(?m)^sha256 = "[0-9a-f]{64}"', 'sha256 = "deadbeef"', text, count=1)


def _bad_version(text: str) -> str:
    return text.replace("lock_version = 1", "lock_version = 7", 1)


@pytest.mark.parametrize("edit", [_garble, _bad_hash, _bad_version])
def test_malformed_lock_exits_2_naming_it(
    small: Project, registry_server: RegistryServer, edit: Callable[[str], str]
) -> None:
    text = small.lock_path.read_text()
    edited = edit(text)
    assert edited != text
    small.lock_path.write_text(edited)
    result = small.check()
    assert result.code == 2, result.text
    assert "lock.toml" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("argv", "settings", "words"),
    [
        (["--track", "v3"], {}, ["'v3'", "not a track"]),
        ([], {"mode": "strcit"}, ["strcit", "mode"]),
        ([], {"registry_url": "registry.example.com"}, ["no scheme"]),
        ([], {"registry_url": "localhost:8080"}, ["no scheme"]),
    ],
    ids=["unknown-track", "bad-mode", "url-without-scheme", "host-port-without-scheme"],
)
def test_configuration_errors_exit_2(
    make_project: MakeProject,
    registry_server: RegistryServer,
    argv: list[str],
    settings: dict[str, str],
    words: list[str],
) -> None:
    project = make_project(registry_server.url, tracks=V1_SMALL, settings=settings)
    result = project.check(*argv)
    assert result.code == 2, result.text
    for word in words:
        assert word in result.err
    assert registry_server.request_log == []
    assert not project.report_path.exists()


@pytest.mark.parametrize("command", ["check-drift", "sync-fixtures", "fetch-schemas"])
def test_no_registry_configured_says_how_to_configure_one(
    make_project: MakeProject, command: str
) -> None:
    project = make_project(None, tracks=V1_SMALL)
    before = project.snapshot()
    result = project.drift(command)
    assert result.code == 2, result.text
    assert "no registry configured" in result.err
    assert "REGISTRY_URL" in result.err
    assert project.snapshot() == before
    assert project.check("--no-registry").code == 0


def test_registry_down_fails_closed_with_3(make_project: MakeProject, closed_port: int) -> None:
    project = make_project(f"http://127.0.0.1:{closed_port}", tracks=V1_SMALL)
    assert project.check("--mode", "strict").code == 0
    result = project.check("--fail-closed")
    assert result.code == 3, result.text
    report = project.report()
    assert report["exit_code"] == 3
    assert any("fail-open is off" in f for f in report["failures"])


# -- what the registry changed ------------------------------------------------------


def test_structural_change_is_reported_with_path_and_verdict(
    small: Project, registry_editor: RegistryEditor
) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    assert small.check("--mode", "strict").code == 1
    result = small.check("--mode", "warn")
    assert result.code == 0
    assert re.search(r"drifted\s+models\.Quote\s+breaking", result.out), result.out
    assert "/properties/exchange" in result.out
    assert "/required" in result.out
    report = small.report()
    validate(report)
    quote = small.results()[("v1", "models.Quote")]
    assert quote["status"] == "drifted"
    assert quote["verdict"] == "breaking"
    paths = {c["path"] for c in quote["changes"]}
    assert {"/properties/exchange", "/required"} <= paths
    assert all(c["breaks_backward"] for c in quote["changes"])
    assert '+    "exchange"' in quote["diff"]
    others_synced(small, "v1/models.Quote")


def test_release_stamp_only_is_not_drift(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    project = make_project(registry_server.url)
    for track in ("v1", "v2"):
        for name in registry_editor.names(track):
            registry_editor.change(track, name, restamp("9.9.9"))
    result = project.check("--mode", "strict")
    assert result.code == 0, result.text
    results = project.results()
    assert len(results) == len(bundled_names("v1")) + len(bundled_names("v2"))
    for key, schema in results.items():
        assert schema["status"] == "annotations", key
        assert schema["core_version"] == "9.9.9"
        assert schema["locked_core_version"] != "9.9.9"


def test_index_first_one_request_when_nothing_moved(
    make_project: MakeProject, registry_server: RegistryServer
) -> None:
    project = make_project(registry_server.url)
    assert project.check().code == 0
    assert registry_server.request_log == [("GET", "/index")]
    assert project.report()["extra"]["requests"] == 1


def test_index_first_fetches_only_what_moved(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    project = make_project(registry_server.url)
    moved = ["models.Quote", "telemetry.Probe", "federation.Region"]
    for name in moved:
        registry_editor.change("v1", name, add_required("exchange"))
    assert project.check().code == 0
    log = registry_server.request_log
    assert log[0] == ("GET", "/index")
    assert sorted(log[1:]) == sorted(("GET", f"/schemas/v1/{n}") for n in moved)
    drifted = {k for k, v in statuses(project).items() if v == "drifted"}
    assert drifted == {f"v1/{n}" for n in moved}


# -- fail open -----------------------------------------------------------------------

FAIL_OPEN_FAULTS = {
    "index-500": Fault("status", status=500),
    "index-503-retry-after": Fault("status", status=503, retry_after="0"),
    "timeout": Fault("delay", seconds=1.5),
    "reset": Fault("reset"),
    "truncated": Fault("truncate"),
    "invalid-json": Fault("invalid_json"),
    "wrong-shape": Fault("wrong_shape"),
}


def _assert_failed_open(project: Project, result_text: str) -> None:
    report = project.report()
    validate(report)
    assert report["registry_available"] is False
    assert report["exit_code"] == 0
    for track in report["tracks"]:
        assert track["registry_available"] is False
        assert track["registry_error"]
        assert isinstance(track["cache_age_seconds"], (int, float))
        assert {s["status"] for s in track["schemas"]} == {"unknown"}
    assert "cache age" in result_text


@pytest.mark.parametrize("fault", list(FAIL_OPEN_FAULTS), ids=list(FAIL_OPEN_FAULTS))
def test_fail_open_when_the_registry_misbehaves(
    fault: str, make_project: MakeProject, registry_server: RegistryServer
) -> None:
    project = make_project(
        registry_server.url,
        tracks=V1_SMALL,
        settings={"timeout": 0.5, "retries": 1, "deadline": 5},
    )
    registry_server.faults = FaultPlan({"/index": FAIL_OPEN_FAULTS[fault]})
    for mode in ("warn", "strict"):
        result = project.check("--mode", mode)
        assert result.code == 0, result.text
        _assert_failed_open(project, result.out)
    assert registry_server.request_log
    assert {target for _, target in registry_server.request_log} == {"/index"}


def test_fail_open_when_the_registry_is_down(make_project: MakeProject, closed_port: int) -> None:
    project = make_project(f"http://127.0.0.1:{closed_port}", tracks=V1_SMALL)
    for mode in ("warn", "strict"):
        result = project.check("--mode", mode)
        assert result.code == 0, result.text
        _assert_failed_open(project, result.out)


def test_429_with_retry_after_then_success(
    small: Project, registry_server: RegistryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(http_requester, "_sleep", waits.append)
    rule = Fault("status", status=429, retry_after="1", count=1)
    registry_server.faults = FaultPlan({"/index": rule})
    result = small.check("--mode", "strict")
    assert result.code == 0, result.text
    assert waits == [1.0]
    assert registry_server.request_log == [("GET", "/index")] * 2
    report = small.report()
    assert report["registry_available"] is True
    others_synced(small)


def test_one_schema_404_while_others_answer(
    small: Project, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    registry_editor.change("v1", "models.Quote", restamp("9.9.9"))
    registry_editor.change("v1", "models.Health", restamp("9.9.9"))
    registry_server.faults = FaultPlan({"/schemas/v1/models.Quote": Fault("status", status=404)})
    for mode in ("warn", "strict"):
        result = small.check("--mode", mode)
        assert result.code == 0, result.text
        report = small.report()
        assert report["registry_available"] is True
        quote = small.results()[("v1", "models.Quote")]
        assert quote["status"] == "unknown"
        assert "404" in quote["message"]
        assert statuses(small)["v1/models.Health"] == "annotations"
        others_synced(small, "v1/models.Quote", "v1/models.Health")


@pytest.mark.parametrize(("age", "stale"), [("2020-01-01T00:00:00Z", True), ("now", False)])
def test_max_stale_fails_strict_only_when_the_cache_is_too_old(
    age: str, stale: bool, make_project: MakeProject, closed_port: int
) -> None:
    project = make_project(
        f"http://127.0.0.1:{closed_port}",
        tracks=V1_SMALL,
        track_settings={"v1": {"max_stale": "1d"}},
    )
    when = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if age == "now" else age
    restamp_lock(project, when)
    strict = project.check("--mode", "strict")
    assert strict.code == (1 if stale else 0), strict.text
    assert project.report()["tracks"][0]["stale"] is stale
    assert ("(stale)" in strict.out) is stale
    warn = project.check("--mode", "warn")
    assert warn.code == 0, warn.text


def test_max_stale_never_fails_a_deliberately_disabled_registry(
    make_project: MakeProject, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REGISTRY_ENABLED=false is the rollback switch: an old cache must not fail strict."""
    project = make_project(
        f"http://127.0.0.1:{closed_port}",
        tracks=V1_SMALL,
        track_settings={"v1": {"max_stale": "1d"}},
    )
    restamp_lock(project, "2020-01-01T00:00:00Z")
    monkeypatch.setenv("REGISTRY_ENABLED", "false")
    strict = project.check("--mode", "strict")
    assert strict.code == 0, strict.text
    assert project.report()["tracks"][0]["stale"] is False


# -- registry disabled ----------------------------------------------------------------


@pytest.mark.parametrize("how", ["env", "flag"])
def test_registry_disabled_checks_against_the_lock_only(
    how: str, small: Project, registry_server: RegistryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["--mode", "strict"]
    if how == "env":
        monkeypatch.setenv("REGISTRY_ENABLED", "false")
    else:
        args.append("--no-registry")
    clean = small.check(*args)
    assert clean.code == 0, clean.text
    others_synced(small)
    assert small.report()["registry_enabled"] is False
    small.edit_fixture("v1", "models.Quote", add_required("local_only"))
    edited = small.check(*args)
    assert edited.code == 1, edited.text
    assert statuses(small)["v1/models.Quote"] == "local-edit"
    others_synced(small, "v1/models.Quote")
    assert registry_server.request_log == []


# -- every status end to end --------------------------------------------------------


def _local_edit(project: Project, registry: RegistryEditor) -> None:
    project.edit_fixture("v1", "models.Quote", add_required("local_only"))


def _conflict(project: Project, registry: RegistryEditor) -> None:
    project.edit_fixture("v1", "models.Quote", add_required("local_only"))
    registry.change("v1", "models.Quote", add_required("exchange"))


def _missing(project: Project, registry: RegistryEditor) -> None:
    registry.remove("v1", "models.Quote")


def _untracked_deleted(project: Project, registry: RegistryEditor) -> None:
    project.fixture("v1", "models.Quote").unlink()


def _deprecated(project: Project, registry: RegistryEditor) -> None:
    registry.set_deprecated("v1", "models.Quote")


@pytest.mark.parametrize(
    ("arrange", "status", "strict_code"),
    [
        (_local_edit, "local-edit", 1),
        (_conflict, "conflict", 1),
        (_missing, "missing-in-registry", 1),
        (_untracked_deleted, "untracked", 1),
        (_deprecated, "deprecated", 0),
    ],
    ids=["local-edit", "conflict", "missing-in-registry", "untracked", "deprecated"],
)
def test_status_end_to_end(
    arrange: Callable[[Project, RegistryEditor], None],
    status: str,
    strict_code: int,
    small: Project,
    registry_editor: RegistryEditor,
) -> None:
    arrange(small, registry_editor)
    assert small.check("--mode", "warn").code == 0
    result = small.check("--mode", "strict")
    assert result.code == strict_code, result.text
    assert statuses(small)["v1/models.Quote"] == status
    assert re.search(rf"{re.escape(status)}\s+models\.Quote", result.out), result.out
    others_synced(small, "v1/models.Quote")


def test_new_registry_schema_is_untracked(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    project = make_project(
        registry_server.url,
        tracks=V1_SMALL,
        track_settings={"v1": {"schemas": [*SMALL, "models.Brandnew"]}},
    )
    content = {"$core_version": "1.2.8", "$schema_id": "models.Brandnew", "type": "object"}
    registry_editor.put("v1", "models.Brandnew", content)
    result = project.check("--mode", "strict")
    assert result.code == 1, result.text
    assert statuses(project)["v1/models.Brandnew"] == "untracked"
    others_synced(project, "v1/models.Brandnew")


# -- the token ------------------------------------------------------------------------


def test_token_is_sent_and_never_shown(
    small: Project,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("REGISTRY_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    registry_editor.change("v1", "models.Health", restamp("9.9.9"))
    registry_server.faults = FaultPlan({"/schemas/v1/models.Health": Fault("status", status=500)})
    md, junit = tmp_path / "out.md", tmp_path / "out.xml"
    result = small.drift(
        "-vv", "check-drift", "--mode", "strict", "--markdown", str(md), "--junit", str(junit)
    )
    assert result.code == 1, result.text
    headers = registry_server.request_headers
    assert headers
    assert all(h.get("authorization") == f"Bearer {TOKEN}" for h in headers)
    assert any("/schemas/v1/models.Health" in r.getMessage() for r in caplog.records)
    shown = {
        "stdout": result.out,
        "stderr": result.err,
        "log": caplog.text,
        "json": small.report_path.read_text(),
        "markdown": md.read_text(),
        "junit": junit.read_text(),
        "summary": summary.read_text(),
    }
    for where, text in shown.items():
        assert text or where == "stderr", where
        assert TOKEN not in text, where

    process = small.run_module("-vv", "check-drift", "--mode", "strict")
    assert process.returncode == 1
    assert "drift: DEBUG:" in process.stderr
    assert TOKEN not in process.stdout + process.stderr
    assert TOKEN not in small.report_path.read_text()


# -- other outputs ---------------------------------------------------------------------


def test_markdown_junit_and_step_summary(
    small: Project,
    registry_editor: RegistryEditor,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    md, junit = tmp_path / "drift.md", tmp_path / "drift.xml"
    summary = tmp_path / "step-summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = small.check("--mode", "strict", "--markdown", str(md), "--junit", str(junit))
    assert result.code == 1
    markdown = md.read_text()
    assert markdown.startswith("## Schema drift")
    assert "`models.Quote`" in markdown
    assert "drifted" in markdown
    assert summary.read_text() == "# earlier step\n" + markdown + "\n"
    suite = ET.fromstring(junit.read_text()).find("testsuite")
    assert suite is not None
    cases = {c.get("name", ""): c for c in suite.iter("testcase")}
    assert sorted(cases) == sorted(SMALL)
    failing = sorted(n for n, c in cases.items() if c.find("failure") is not None)
    assert failing == ["models.Quote"]
    assert suite.get("failures") == "1"


def test_no_step_summary_without_the_variable(small: Project, tmp_path: Path) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    assert small.check("--no-report").code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not small.report_path.exists()


def test_report_command_renders_the_saved_report(
    small: Project, registry_editor: RegistryEditor
) -> None:
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    assert small.check().code == 0
    for fmt, marker in (("text", "drifted"), ("markdown", "## Schema drift"), ("json", "{")):
        rendered = small.drift("report", str(small.report_path), "--format", fmt)
        assert rendered.code == 0, rendered.text
        assert marker in rendered.out
    loaded = json.loads(small.drift("report", str(small.report_path), "-f", "json").out)
    assert loaded["tracks"][0]["counts"]["drifted"] == 1


def test_report_paths_get_their_directories(small: Project) -> None:
    paths = [small.root / "out" / name for name in ("r.json", "r.md", "r.xml")]
    args = ["--report", str(paths[0]), "--markdown", str(paths[1]), "--junit", str(paths[2])]
    result = small.check(*args)
    assert result.code == 0, result.text
    assert all(p.is_file() for p in paths)
    assert json.loads(paths[0].read_text())["exit_code"] == 0


@pytest.mark.parametrize("flag", ["--report", "--markdown", "--junit"])
def test_an_unwritable_report_path_is_a_local_error(small: Project, flag: str) -> None:
    target = small.root / "pyproject.toml" / "report"  # below a file: cannot be created
    result = small.check(flag, str(target))
    assert result.code == 2, result.text
    assert result.err.startswith("drift: error:")
    assert "Traceback" not in result.err


def test_a_directory_registry_edited_behind_its_index_is_not_synced(
    make_project: Callable[..., Project],
    registry_root: Path,
    edit_registry: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Issue 9 #10: the index sha256 is verified against the content of a local registry."""
    project = make_project(str(registry_root), tracks=V1_SMALL)
    path = registry_root / "v1" / "models.Quote.json"
    content = json.loads(path.read_bytes())
    add_required("exchange")(content)
    edit_registry("v1/models.Quote.json", (json.dumps(content, indent=2) + "\n").encode())
    result = project.check("--mode", "strict")
    assert result.code == 1, result.text
    assert statuses(project)["v1/models.Quote"] == "drifted"
    assert "differs from index.json's" in caplog.text

"""``required = false`` in ``check-drift``: reported as loudly, never the exit code; and
``--require-all``. Real CLI, throwaway projects, the reference registry server."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from drift.reporters.schema import report_validator
from drift.server import RegistryServer
from tests.integration.project import MakeProject, Project, RegistryEditor, add_required

SMALL = ["models.Health", "models.Quote"]
BOTH = {"v1": SMALL, "v2": SMALL}


@pytest.fixture
def project(make_project: MakeProject, registry_server: RegistryServer) -> Project:
    return make_project(
        registry_server.url,
        tracks=BOTH,
        track_settings={"v1": {"required": True}, "v2": {"required": False}},
    )


def head(out: str, track: str) -> str:
    """The header line of ``track`` in the text summary."""
    (line,) = [x for x in out.splitlines() if x.startswith(f"track {track}: mode strict (flag)")]
    return line


def junit_system_out(project: Project, track: str) -> dict[str, str]:
    suites = {s.get("name"): s for s in ET.parse(project.root / "r.xml").getroot()}
    suite = suites[f"drift.{track}"]
    assert suite.find("testcase/failure") is None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["required"] == "false"
    return {c.get("name", ""): c.findtext("system-out", "") for c in suite.iter("testcase")}


def test_drift_on_a_track_not_required_is_reported_but_exits_0(
    project: Project, registry_editor: RegistryEditor
) -> None:
    registry_editor.change("v2", "models.Quote", add_required("venue"))
    result = project.check("--mode", "strict", "--junit", str(project.root / "r.xml"))
    assert result.code == 0, result.text
    assert head(result.out, "v2").endswith(", not required")
    assert head(result.out, "v1").endswith(", required")
    assert "drifted  models.Quote" in result.out  # the same schema line as on a required track
    assert "OK: exit 0 (drift fails the policy only on tracks that are not required)" in result.out
    assert "DRIFT ON TRACKS NOT REQUIRED" in result.out
    assert "v2 (strict, fail-on drift, not required): 1 schema(s) out of step" in result.out
    report = project.report()
    assert list(report_validator().iter_errors(report)) == []
    assert report["exit_code"] == 0
    assert report["failures"] == []
    assert report["not_required"] == [
        "v2 (strict, fail-on drift, not required): 1 schema(s) out of step: models.Quote (drifted)"
    ]
    assert [t["required"] for t in report["tracks"]] == [True, False]
    assert "not required" in junit_system_out(project, "v2")["models.Quote"]
    markdown = project.drift("report", str(project.report_path), "-f", "markdown").out
    assert "| v2 | strict (flag), strict policy | not required |" in markdown
    assert "**Drift on tracks not required**" in markdown


def test_the_same_drift_on_the_required_track_fails(
    project: Project, registry_editor: RegistryEditor
) -> None:
    registry_editor.change("v1", "models.Quote", add_required("venue"))
    result = project.check("--mode", "strict")
    assert result.code == 1, result.text
    assert "v1 (strict, fail-on drift): 1 schema(s) out of step" in result.out
    assert project.report()["not_required"] == []


def test_require_all_makes_every_track_count(
    project: Project, registry_editor: RegistryEditor
) -> None:
    registry_editor.change("v2", "models.Quote", add_required("venue"))
    result = project.check("--mode", "strict", "--require-all")
    assert result.code == 1, result.text
    assert head(result.out, "v2").endswith(", required (--require-all)")
    report = project.report()
    assert report["require_all"] is True
    assert report["not_required"] == []
    assert report["failures"][0].startswith("v2 (strict, fail-on drift): 1 schema(s)")


def test_warn_mode_on_a_track_not_required_stays_quiet_about_enforcement(
    project: Project, registry_editor: RegistryEditor
) -> None:
    registry_editor.change("v2", "models.Quote", add_required("venue"))
    result = project.check()
    assert result.code == 0, result.text
    assert project.report()["not_required"] == []  # warn never fails, required or not
    assert "drift reported, not enforced" in result.out

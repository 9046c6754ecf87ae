"""No token or URL password in any output: error paths, registry-sent text, ``-vv`` logs.

Every output is checked: stdout, stderr, the log, ``drift_report.json``, the
Markdown and JUnit reports and the step summary, in-process and as a real
``python -m drift`` process.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from drift.server import Fault, FaultPlan, RegistryServer
from tests.integration.project import MakeProject, RegistryEditor, add_required

TOKEN = "tok-7e3Q9zXw-secret"
PASSWORD = "hunter2"
SMALL = ["models.Health", "models.PriceBar", "models.Quote"]
MALFORMED = [
    f"http://user:{PASSWORD}@/",
    f"ftp://user:{PASSWORD}@host/",
    f"htp://user:{PASSWORD}@x",
    f"http:user:{PASSWORD}@host",
    f"http://user:{PASSWORD}@[::1",
    f"https://user:{PASSWORD}@host:99999/",
]


@pytest.mark.parametrize("url", MALFORMED)
@pytest.mark.parametrize("where", ["flag", "env", "pyproject"])
def test_a_malformed_url_never_shows_its_password(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, url: str, where: str
) -> None:
    project = make_project(url if where == "pyproject" else None, tracks={"v1": ["models.Quote"]})
    argv = ["check-drift"]
    if where == "flag":
        argv += ["--registry-url", url]
    if where == "env":
        monkeypatch.setenv("REGISTRY_URL", url)
    result = project.drift(*argv)
    assert result.code == 2, result.text
    assert "error" in result.err
    assert PASSWORD not in result.text


def test_registry_text_carrying_the_token_is_redacted_everywhere(
    make_project: MakeProject,
    registry_server: RegistryServer,
    registry_editor: RegistryEditor,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    """The registry echoes the token in a schema name, schema content, a redirect
    ``Location`` and a ``Retry-After`` header."""
    caplog.set_level(logging.DEBUG)
    echoed = f"models.{TOKEN}"
    project = make_project(
        registry_server.url,
        tracks={"v1": SMALL},
        track_settings={"v1": {"schemas": [*SMALL, echoed]}},
    )
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("REGISTRY_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    registry_editor.put("v1", echoed, {"type": "object", "title": TOKEN})
    registry_editor.change("v1", "models.Quote", add_required(f"x_{TOKEN}"))
    registry_server.faults = FaultPlan(
        {
            "/schemas/v1/models.Health": Fault(
                "redirect", location=f"{registry_server.url}/{TOKEN}"
            ),
            "/schemas/v1/models.PriceBar": Fault("status", status=503, retry_after=TOKEN),
        }
    )
    md, junit, prom = tmp_path / "out.md", tmp_path / "out.xml", tmp_path / "drift.prom"
    result = project.drift(
        "-vv",
        "check-drift",
        "--markdown",
        str(md),
        "--junit",
        str(junit),
        "--metrics-textfile",
        str(prom),
    )
    assert result.code == 0, result.text
    shown = {
        "stdout": result.out,
        "stderr": result.err,
        "log": caplog.text,
        "json": project.report_path.read_text(),
        "markdown": md.read_text(),
        "junit": junit.read_text(),
        "summary": summary.read_text(),
        "metrics": prom.read_text(),
    }
    assert "***" in shown["json"]  # the echoed name is there, masked
    for where, text in shown.items():
        assert TOKEN not in text, where

    process = project.run_module("-vv", "check-drift", env={"REGISTRY_TOKEN": TOKEN})
    assert process.returncode == 0, process.stderr
    assert "DEBUG" in process.stderr
    assert TOKEN not in process.stdout + process.stderr
    assert TOKEN not in project.report_path.read_text()

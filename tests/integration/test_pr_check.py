"""A strict pull-request check with one breaking change, as the workflow job runs it.

Whole ``python -m drift`` processes against the registry server, with the
environment GitHub Actions sets: the job log gets an ``::error file=fixtures/…``
annotation at the changed line, the SARIF file validates against the official
SARIF 2.1.0 schema, the text output ends with the commands that resolve it, the
PR comment starts with its marker.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jsonschema import Draft4Validator

from drift.reporters.comment import MARKER
from drift.server import RegistryServer
from tests.integration.project import MakeProject, RegistryEditor, add_required

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
RESOLVE = [
    "to resolve v1 (1 schema(s)), run:",
    "  drift sync-fixtures --track v1 --schema models.Quote --dry-run",
    "  drift sync-fixtures --track v1 --schema models.Quote",
    "  nox -s contracts-v1",
]


def test_strict_pull_request_check_with_one_breaking_change(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    project = make_project(registry_server.url, tracks={"v1": ["models.Quote", "models.Health"]})
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(project.root),
        "REGISTRY_ENFORCEMENT": "strict",
        "GITHUB_RUN_ID": "42",
        "GITHUB_REPOSITORY": "acme/svc",
        "GITHUB_SERVER_URL": "https://github.com",
    }
    run = project.run_module(
        "check-drift", "--sarif", "reports/drift.sarif", "--pr-comment", "reports/comment.md",
        "--report", "reports/drift_report.json", env=env,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    fixture = project.fixture("v1", "models.Quote").read_text().splitlines()
    properties = next(i for i, text in enumerate(fixture, 1) if '"properties": {' in text)
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 1, run.stdout
    assert errors[0].startswith(
        f"::error file=fixtures/v1/models.Quote.json,line={properties},"
        "title=drift%3A v1/models.Quote drifted%2C breaking::"
    )
    assert "property-added /properties/exchange" in errors[0]
    assert not any(line.startswith("::warning") for line in lines)
    assert lines[-4:] == RESOLVE  # the text output ends with what resolves it

    sarif = json.loads((project.root / "reports" / "drift.sarif").read_text())
    Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"property-added", "required-added"}
    assert {r["level"] for r in results} == {"error"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"fixtures/v1/models.Quote.json"}

    comment = (project.root / "reports" / "comment.md").read_text()
    assert comment.splitlines()[0] == MARKER
    assert "https://github.com/acme/svc/actions/runs/42" in comment

    # the saved report renders the same SARIF later (drift report -f sarif)
    again = project.run_module("report", "reports/drift_report.json", "-f", "sarif", env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["runs"][0]["results"] == results


def test_quiet_still_prints_the_one_line_failure_summary(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> None:
    project = make_project(registry_server.url, tracks={"v1": ["models.Quote"]})
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    run = project.run_module("check-drift", "-q", "--mode", "strict", "--annotations", "none")
    assert run.returncode == 1
    assert run.stdout == ""
    assert re.fullmatch(
        r"FAILED: exit 1 \(.*\): v1 \(strict, fail-on drift\): 1 schema\(s\) out of step: "
        r"models\.Quote \(drifted\); next: drift sync-fixtures --track v1 --schema models\.Quote "
        r"--dry-run\n",
        run.stderr,
    ), run.stderr
    ok = project.run_module("check-drift", "-q", "--mode", "warn")
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "", "")

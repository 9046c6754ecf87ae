"""A check imports only what its path needs (start-up is most of a nothing-moved check)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from drift.server import RegistryServer

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from drift.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""
#: Never needed when nothing moved (no schema to classify, validate or diff; no export).
HEAVY = (
    "jsonschema",
    "jsonschema_rs",
    "prometheus_client",
    "drift.compat",
    "rfc8785",
    "tomli_w",
    "drift.textdiff",
    "drift.sync",
    "drift.telemetry.batch",
    "drift.reporters.junit",
    "drift.reporters.markdown",
)


def _modules(project: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, set[str]]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=project,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    out = json.loads(run.stdout.strip().splitlines()[-1])
    return out["code"], set(out["modules"])


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(
        REPO / "fixtures", project / "fixtures", ignore=shutil.ignore_patterns("payloads")
    )
    (project / "pyproject.toml").write_text('[tool.drift]\nrepo = "svc"\n')
    return project


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


def test_the_offline_check_imports_no_http_client_validator_or_metrics(tmp_path: Path) -> None:
    code, modules = _modules(
        _project(tmp_path), "check-drift", "--no-registry", "--no-report", "-q"
    )
    assert code == 0
    assert _loaded(modules, (*HEAVY, "httpx", "httpcore")) == []


#: Not needed by the offline check of vouched fixtures (the pre-commit hook's job): the
#: logging machinery (nothing is logged), writers' modules (nothing is written), the
#: registry's modules and the pull-request outputs.
OFFLINE_UNNEEDED = (
    "logging",
    "html",
    "shutil",
    "tempfile",
    "drift.transaction",
    "drift.streaming",
    "drift.sources",
    "drift.reporters.findings",
    "drift.reporters.json_report",
    "drift.telemetry.critical",
    "drift.waivers",
    "concurrent.futures",
)


def test_the_offline_check_imports_no_logging_writer_or_registry_module(tmp_path: Path) -> None:
    code, modules = _modules(
        _project(tmp_path), "check-drift", "--no-registry", "--no-report", "-q"
    )
    assert code == 0
    assert _loaded(modules, OFFLINE_UNNEEDED) == []


def test_a_logging_command_still_logs_through_the_redacting_handler(tmp_path: Path) -> None:
    """Logging is set up on first use: a warning of a check still reads ``drift: WARNING:``
    on stderr, with the token redacted."""
    project = _project(tmp_path)
    token = "s3cr3t-token-value"
    summary = tmp_path / f"summary-{token}"
    summary.mkdir()  # a directory: appending the step summary fails, drift warns
    run = subprocess.run(
        [sys.executable, "-m", "drift", "check-drift", "--no-registry", "--no-report"],
        cwd=project,
        env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "REGISTRY_TOKEN": token},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "drift: WARNING: " in run.stderr
    assert str(tmp_path / "summary-***") in run.stderr
    assert token not in run.stderr


def test_a_nothing_moved_http_check_imports_no_validator_differ_or_metrics(
    tmp_path: Path, registry_server: RegistryServer
) -> None:
    project = _project(tmp_path)
    env = {"REGISTRY_URL": registry_server.url, "REGISTRY_TRACK": "v1"}
    code, modules = _modules(project, "check-drift", "--no-report", "-q", env=env)
    assert code == 0
    assert "drift.sources.http" in modules  # the registry was asked (httpx: test_plain_index)
    assert _loaded(modules, HEAVY) == []


def test_an_offline_check_of_vouched_fixtures_hashes_no_document(tmp_path: Path) -> None:
    code, modules = _modules(
        _project(tmp_path), "check-drift", "--no-registry", "--no-report", "-q"
    )
    assert code == 0
    assert _loaded(modules, ("orjson", "uuid")) == []
    # nor parses, validates or hashes one: the hashing, depth and metaschema modules
    assert _loaded(modules, ("drift.canonical", "drift.depth", "drift.metaschema")) == []
    assert "drift.registry_model" not in modules  # the registry's records: not asked for
    assert "drift.report_parts" not in modules  # no change, counterexample or waiver to report


def test_help_imports_no_typing_pathlib_logging_or_shutil() -> None:
    probe = (
        "import sys\nfrom drift.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    modules = set(run.stdout.strip().splitlines()[-1].split())
    assert "drift.cli" in modules
    heavy = ("typing", "pathlib", "logging", "shutil", "dataclasses", "json", "importlib")
    assert _loaded(modules, heavy) == []
    assert {m for m in modules if m.startswith("drift")} <= {
        "drift",
        "drift._version",
        "drift.cli",
        "drift.cli_commands",
        "drift.cli_options",
        "drift.lazy",
    }


def test_the_task_collection_imports_nothing_of_the_toolkit_at_collection_time() -> None:
    """``invoke --list`` pays for invoke; importing drift's collection adds only the
    task adapters, the error tree and the package's lazy front (tasks import the rest)."""
    probe = (
        "import sys\nimport invoke.main\nbefore = set(sys.modules)\nimport drift.tasks\n"
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    added = set(run.stdout.split())
    assert {m for m in added if m.startswith("drift")} <= {
        "drift",
        "drift._version",
        "drift.errors",
        "drift.lazy",
        "drift.tasks",
    }
    assert {m for m in added if not m.startswith("drift")} <= {"__future__"}

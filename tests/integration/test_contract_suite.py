"""The contract suite fails when a payload or a schema breaks the contract.

Each test runs the repository's unchanged tests/contracts/test_payloads.py in a
subprocess on a temporary copy of the fixtures, with the damage applied.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SUITE = "tests/contracts/test_payloads.py"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of tests/contracts and fixtures/ (schemas and payloads)."""
    shutil.copytree(REPO / "tests" / "contracts", tmp_path / "tests" / "contracts")
    if (REPO / "tests" / "__init__.py").exists():
        shutil.copy(REPO / "tests" / "__init__.py", tmp_path / "tests" / "__init__.py")
    shutil.copytree(
        REPO / "fixtures", tmp_path / "fixtures", ignore=shutil.ignore_patterns("*.toml")
    )
    return tmp_path


def run_suite(project: Path, track: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SCHEMA_TRACK", "DRIFT_SCHEMA_SOURCE")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # load the plugin once, installed or not
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [
        sys.executable, "-m", "pytest", SUITE,
        "-p", "drift.pytest_plugin", "-p", "no:cacheprovider",
        "--rootdir", str(project), "--schema-track", track, "-q", "-rf",
    ]  # fmt: skip
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def edit_json(path: Path, edit: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


@pytest.mark.parametrize("track", ["v1", "v2"])
def test_undamaged_copy_passes(project: Path, track: str) -> None:
    result = run_suite(project, track)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


@pytest.mark.parametrize(
    ("track", "schema", "field"),
    [("v1", "models.Quote", "symbol"), ("v2", "telemetry.FeedbackEvent", "capacity")],
)
def test_payload_missing_a_required_field_fails(
    project: Path, track: str, schema: str, field: str
) -> None:
    edit_json(
        project / "fixtures" / "payloads" / track / f"{schema}.valid.json",
        lambda cases: cases[0].pop(field),
    )
    result = run_suite(project, track)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"test_valid_payload_conforms[{schema}-0]" in result.stdout
    assert f"$.{field}: '{field}' is a required property" in result.stdout
    assert "1 failed" in result.stdout


def test_breaking_registry_version_of_a_fixture_fails(project: Path) -> None:
    # v2's models.Health requires ``status`` from an enum: a breaking change for v1 payloads.
    shutil.copy(
        project / "fixtures" / "v2" / "models.Health.json",
        project / "fixtures" / "v1" / "models.Health.json",
    )
    result = run_suite(project, "v1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "test_valid_payload_conforms[models.Health-0]" in result.stdout
    assert "$.status: 'ok' is not one of ['healthy', 'degraded', 'unhealthy']" in result.stdout
    assert "models.Quote" not in result.stdout.split("short test summary")[-1]

"""Every command in the runbook exists (`drift <subcommand>`, `invoke <task>`) with its flags.

Needs the CLI (``python -m drift``) and the Invoke tasks (tasks.py); fails without them.
"""

from __future__ import annotations

import functools
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK = ROOT / "docs" / "runbooks" / "schema_drift.md"
SUBCOMMANDS = {
    "check-drift", "sync-fixtures", "fetch-schemas", "set-mode",
    "report", "diff", "watch", "serve-registry",
}  # fmt: skip
TASKS = {"check-drift", "sync-fixtures", "fetch-schemas", "set-mode"}
ROLLBACK = {"PULSE_ENABLED=false", "REGISTRY_ENABLED=false", "REGISTRY_ENFORCEMENT=warn"}
_ASSIGNMENT = re.compile(r"^[A-Z][A-Z0-9_]*=\S*$")


def bash_lines() -> list[str]:
    text = RUNBOOK.read_text(encoding="utf-8")
    blocks = re.findall(r"^\s*```bash\n(.*?)^\s*```", text, flags=re.MULTILINE | re.DOTALL)
    return [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def split(line: str) -> tuple[list[str], list[str]]:
    """(environment assignments, the command's words)."""
    words = shlex.split(line)
    env = []
    while words and _ASSIGNMENT.match(words[0]):
        env.append(words.pop(0))
    return env, words


def flags(words: list[str]) -> list[str]:
    return [w.split("=", 1)[0] for w in words if w.startswith("--")]


LINES = bash_lines()
DRIFT = [line for line in LINES if split(line)[1][:1] == ["drift"]]
INVOKE = [line for line in LINES if split(line)[1][:1] == ["invoke"]]


def test_runbook_has_commands_and_only_toolkit_commands() -> None:
    assert DRIFT
    assert INVOKE
    others = [line for line in LINES if line not in DRIFT and line not in INVOKE]
    assert others == [], "bash blocks may hold only drift and invoke commands, one per line"
    assert not [line for line in LINES if line.endswith("\\")], "no line continuations"


def test_runbook_uses_only_documented_subcommands_and_tasks() -> None:
    assert {split(line)[1][1] for line in DRIFT} <= SUBCOMMANDS
    assert {split(line)[1][1] for line in INVOKE} <= TASKS
    assert {split(line)[1][1] for line in INVOKE} == TASKS


def test_runbook_shows_every_rollback_switch() -> None:
    used = {assignment for line in LINES for assignment in split(line)[0]}
    assert used >= ROLLBACK


def test_runbook_covers_every_alert() -> None:
    text = RUNBOOK.read_text(encoding="utf-8")
    for alert in (
        "CriticalSchemaDriftSustained", "SchemaDriftActive", "HighDriftRate",
        "DriftDetectionStale", "RegistryUnreachable", "RegistrySyncStale",
    ):  # fmt: skip
        assert f"\n## {alert}\n" in text


@functools.cache
def drift_help(subcommand: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drift", subcommand, "--help"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@functools.cache
def invoke(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("line", DRIFT)
def test_drift_command_exists_with_its_flags(line: str) -> None:
    words = split(line)[1]
    done = drift_help(words[1])
    assert done.returncode == 0, done.stderr
    missing = [flag for flag in flags(words) if flag not in done.stdout]
    assert missing == [], f"flags not in `drift {words[1]} --help`"


@pytest.mark.parametrize("line", INVOKE)
def test_invoke_task_exists_with_its_flags(line: str) -> None:
    words = split(line)[1]
    listing = invoke("--list")
    assert listing.returncode == 0, listing.stderr
    assert re.search(rf"^\s+{re.escape(words[1])}\b", listing.stdout, flags=re.MULTILINE)
    done = invoke("--help", words[1])
    assert done.returncode == 0, done.stderr
    missing = [flag for flag in flags(words) if flag not in done.stdout]
    assert missing == [], f"flags not in `invoke --help {words[1]}`"

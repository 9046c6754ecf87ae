"""One settings resolver: the same inputs give the same settings in every front end.

Each case feeds one project and one environment to the CLI (``check-drift`` and
``watch``), the Invoke task, the pytest plugin and the nox sessions (``nox -l``
in a subprocess), and compares what each resolved; a bad value fails all of
them with the same message.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from invoke.config import Config
from invoke.context import Context
from invoke.exceptions import Exit

from drift import app, cli, tasks
from drift.config import Settings, resolve_mode
from drift.modes import MODE_FILE, ModeFile
from drift.pytest_plugin import resolve_contract_settings
from tests.integration.project import REPO, drift_env_names

PYPROJECT = """\
[project]
name = "svc"
version = "0"
requires-python = ">=3.10"

[tool.drift]
registry_url = "registry"
fixtures_dir = "schemas"
mode = "strict"
{extra}
"""

CASES: dict[str, tuple[str, dict[str, str]]] = {
    "file only": ("", {}),
    "environment": (
        "",
        {
            "REGISTRY_ENFORCEMENT": "warn",
            "REGISTRY_TRACK": "v2",
            "REGISTRY_ENABLED": "Off",
            "REGISTRY_FAIL_OPEN": "NO",
            "REGISTRY_URL": "./elsewhere",
        },
    ),
    "track tables": (  # v2's required defaults to false, v1's to true, wherever asked
        '[tool.drift.tracks.v1]\nrole = "consumer"\n[tool.drift.tracks.v2]\nschemas = ["m.*"]\n',
        {"REGISTRY_FAIL_OPEN": "on"},
    ),
    "disabled track": (
        "[tool.drift.tracks.v1]\nrequired = false\n[tool.drift.tracks.v2]\nenabled = false\n",
        {"REGISTRY_TRACK": "v1"},
    ),
    "mode file": ("", {"REGISTRY_ENABLED": "1"}),
}
BAD: dict[str, tuple[dict[str, str], str]] = {
    "upper-case mode": (
        {"REGISTRY_ENFORCEMENT": "STRICT"},
        "REGISTRY_ENFORCEMENT: 'STRICT' is not one of warn, strict",
    ),
    "boolean": ({"REGISTRY_ENABLED": "maybe"}, "REGISTRY_ENABLED: 'maybe' is not a boolean"),
}


def make(tmp_path: Path, extra: str, *, mode_file: bool = False) -> Path:
    root = tmp_path / "svc"
    (root / "schemas").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT.format(extra=extra))
    shutil.copy(REPO / "noxfile.py", root / "noxfile.py")
    if mode_file:
        ModeFile(root / MODE_FILE).set("v1", "warn")
    return root


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name in drift_env_names():
        monkeypatch.delenv(name)

    def apply(env: dict[str, str]) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)

    return apply


def via_cli(monkeypatch: pytest.MonkeyPatch, root: Path, command: str) -> Settings:
    seen: list[Settings] = []
    target = {"check-drift": "run_check", "watch": "run_watch"}[command]
    monkeypatch.setattr(app, target, lambda _rt, settings, *_a: seen.append(settings) or 0)
    assert cli.main([command, "-C", str(root)]) == 0
    return seen[0]


def via_task(monkeypatch: pytest.MonkeyPatch, root: Path) -> Settings:
    seen: list[Settings] = []
    monkeypatch.setattr(app, "run_check", lambda _rt, settings, *_a: seen.append(settings) or 0)
    context = Context(Config(overrides={"drift": {"project_dir": str(root)}}))
    tasks.check_drift(context)
    return seen[0]


def via_nox(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nox", "-f", str(root / "noxfile.py"), "-l"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def nox_tracks(listing: str) -> dict[str, bool]:
    """``{track: required}`` from the ``contracts-<track>`` sessions ``nox -l`` lists."""
    tracks = {}
    for line in listing.splitlines():
        if "-> Contract tests on schema track" in line:
            track = line.split("schema track ", 1)[1].split(" ", 1)[0]
            tracks[track] = "(required)" in line
    return tracks


@pytest.mark.parametrize("case", list(CASES))
def test_every_front_end_resolves_the_same_settings(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environ: Any
) -> None:
    extra, env = CASES[case]
    root = make(tmp_path, extra, mode_file=case == "mode file")
    environ(env)
    monkeypatch.chdir(tmp_path)

    check = via_cli(monkeypatch, root, "check-drift")
    assert via_cli(monkeypatch, root, "watch").redacted() == check.redacted()
    assert via_task(monkeypatch, root).redacted() == check.redacted()

    modes = ModeFile(root / MODE_FILE).read()
    for track in check.tracks:
        plugin = resolve_contract_settings(root, dict(env), track_option=track)
        assert plugin.schema_dir == check.fixtures_dir
        assert plugin.mode == resolve_mode(check, track, modes)[0]

    listed = via_nox(root)
    assert listed.returncode == 0, listed.stderr
    expected = {name: t.required for name, t in check.tracks.items() if t.enabled}
    assert nox_tracks(listed.stdout) == expected


def test_the_cases_differ() -> None:
    """The cases above are worth comparing: they resolve to different settings."""
    assert len({extra + repr(env) for extra, env in CASES.values()}) == len(CASES)


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_value_fails_every_front_end_with_the_same_message(
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    environ: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env, message = BAD[case]
    root = make(tmp_path, "")
    environ(env)

    for command in ("check-drift", "watch"):
        assert cli.main([command, "-C", str(root)]) == 2
        assert message in capsys.readouterr().err
    with pytest.raises(Exit) as exit_info:
        tasks.check_drift(Context(Config(overrides={"drift": {"project_dir": str(root)}})))
    assert exit_info.value.code == 2
    assert message in str(exit_info.value.message)
    with pytest.raises(pytest.UsageError, match=message):
        resolve_contract_settings(root, dict(env))
    listed = via_nox(root)
    assert listed.returncode != 0
    assert message in listed.stderr + listed.stdout

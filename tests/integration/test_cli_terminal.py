"""What a person at a terminal sees, with whole ``python -m drift`` processes: colour as
--color, NO_COLOR and FORCE_COLOR say; a progress line only when stderr is a terminal
(not in CI, not piped, not with -q); -q everywhere; ``drift watch`` one line per check."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import time

import pytest

from drift.server import RegistryServer
from tests.integration.project import MakeProject, Project, RegistryEditor, add_required
from tests.integration.project import subprocess_env as base_env

RED = "\x1b[31m"


def env_for(**extra: str) -> dict[str, str]:
    env = base_env()
    for name in ("NO_COLOR", "FORCE_COLOR", "CI", "GITHUB_ACTIONS", "TERM"):
        env.pop(name, None)
    env.update(extra)
    return env


@pytest.fixture
def drifted(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> Project:
    project = make_project(registry_server.url, tracks={"v1": ["models.Quote", "models.Health"]})
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    return project


def run(project: Project, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        project.module_args(*argv), cwd=project.root, env=env_for(**env),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("flags", "env", "coloured"),
    [
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {}, False),  # auto, piped
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_colour_follows_flag_and_environment(
    drifted: Project, flags: list[str], env: dict[str, str], coloured: bool
) -> None:
    result = run(drifted, "check-drift", "--mode", "strict", "--no-report", *flags, **env)
    assert result.returncode == 1
    assert (f"{RED}breaking" in result.stdout) is coloured
    assert (f"{RED}FAILED" in result.stdout) is coloured


def stderr_on_a_terminal(project: Project, *argv: str, **env: str) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal (stdout piped); (code, stdout, terminal text)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        project.module_args(*argv), cwd=project.root, env=env_for(TERM="xterm", **env),
        stdout=subprocess.PIPE, stderr=slave, text=True,
    )  # fmt: skip
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    out = proc.stdout.read() if proc.stdout else ""
    return proc.wait(timeout=30), out, seen.decode()


def test_sync_shows_progress_only_on_a_terminal(drifted: Project) -> None:
    code, out, terminal = stderr_on_a_terminal(drifted, "sync-fixtures", "--dry-run")
    assert code == 0
    assert "sync: registry requests: " in terminal
    assert terminal.endswith("\r\x1b[K")  # erased: nothing left on the line
    assert "\r" not in out  # stdout (piped) never gets it
    assert "update  v1/models.Quote [breaking]" in out
    for env in ({"CI": "true"}, {}):
        quiet = env == {}
        argv = ["sync-fixtures", "--dry-run", *(["-q"] if quiet else [])]
        code, out, terminal = stderr_on_a_terminal(drifted, *argv, **env)
        assert code == 0
        assert "registry requests" not in terminal
        assert (out == "") is quiet
    piped = run(drifted, "check-drift", "--no-report")
    assert "registry requests" not in piped.stderr


def test_check_progress_on_a_terminal_is_gone_before_the_summary(drifted: Project) -> None:
    code, out, terminal = stderr_on_a_terminal(drifted, "check-drift", "--no-report")
    assert code == 0
    assert "check: registry requests: " in terminal
    assert out.rstrip().endswith("nox -s contracts-v1")


def test_watch_logs_one_line_per_check(drifted: Project) -> None:
    proc = subprocess.Popen(
        drifted.module_args("watch", "--interval", "1s", "--metrics-port", "0"),
        cwd=drifted.root, env=env_for(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    lines: list[str] = []
    deadline = time.monotonic() + 40
    try:
        assert proc.stdout is not None
        while len(lines) < 3 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert lines[0].startswith("drift watch: checking every 1s; metrics on http://127.0.0.1:")
    checks = lines[1:]
    assert len(checks) == 2, lines
    for line in checks:
        assert line.startswith("drift watch: 20")
        assert "check: v1 2 schemas: 1 synced, 1 drifted, registry up; " in line
        assert line.rstrip().endswith("exit 0")

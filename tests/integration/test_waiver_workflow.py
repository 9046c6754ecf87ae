"""Waivers end to end: ``drift waive``/``waivers``, a check that honours them, expiry on a
fixed clock, a later registry change, a malformed file; real registry server, real CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from drift import app
from drift.config import load_settings
from drift.server import RegistryServer
from drift.waiver_file import WAIVER_FILE
from tests.integration.project import (
    MakeProject,
    Project,
    RegistryEditor,
    add_required,
    subprocess_env,
)

SMALL = {"v1": ["models.Quote", "models.Health"]}
DEC_1 = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc).timestamp()
DEC_31 = dt.datetime(2026, 12, 31, 23, tzinfo=dt.timezone.utc).timestamp()
JAN_2 = dt.datetime(2027, 1, 2, 9, tzinfo=dt.timezone.utc).timestamp()


def at(moment: float, out: io.StringIO) -> app.Runtime:
    """A runtime whose clock stands at ``moment``, its output in ``out``."""
    return app.Runtime(env={}, out=out, clock=lambda: moment)


def check(project: Project, mode: str, moment: float) -> tuple[int, str]:
    settings = load_settings(project.root, {}, {"mode": mode})
    out = io.StringIO()
    code = app.run_check(at(moment, out), settings, app.CheckOutputs())
    return code, out.getvalue()


def waive(project: Project, moment: float, until: str = "2026-12-31") -> str:
    settings = load_settings(project.root, {})
    out = io.StringIO()
    code = app.run_waive(
        at(moment, out),
        settings,
        "models.Quote",
        "v1",
        owner="team-md",
        reason="bid/ask sizes land in the feed next sprint",
        until=until,
    )
    assert code == 0
    return out.getvalue()


def quote(project: Project) -> dict[str, object]:
    data = project.report()
    return next(s for s in data["tracks"][0]["schemas"] if s["name"] == "models.Quote")


@pytest.fixture
def drifted(
    make_project: MakeProject, registry_server: RegistryServer, registry_editor: RegistryEditor
) -> Project:
    """A synced project whose registry then made ``exchange`` required in v1 Quote."""
    project = make_project(registry_server.url, tracks=SMALL)
    registry_editor.change("v1", "models.Quote", add_required("exchange"))
    return project


def test_waiver_lifecycle_on_a_fixed_clock(
    drifted: Project, registry_editor: RegistryEditor
) -> None:
    assert check(drifted, "strict", DEC_1)[0] == 1

    said = waive(drifted, DEC_1)
    assert "waived v1/models.Quote (owner team-md, until 2026-12-31)" in said
    assert "30 day(s) left" in said
    text = (drifted.root / WAIVER_FILE).read_text()
    assert text.startswith("# Written by `drift waive`")
    assert "until = 2026-12-31\n" in text  # a TOML date, written by tomli-w
    assert registry_editor.entry("v1", "models.Quote")["sha256"] in text

    listed = io.StringIO()
    app.run_waivers(at(DEC_1, listed), load_settings(drifted.root, {}))
    assert "v1/models.Quote  owner team-md  until 2026-12-31 (30 day(s) left)" in listed.getvalue()

    # Covered: strict passes; reported waived with owner, reason and days left.
    code, out = check(drifted, "strict", DEC_1)
    assert code == 0, out
    assert "waived by team-md until 2026-12-31 (30 day(s) left): bid/ask sizes" in out
    waiver = quote(drifted)["waiver"]
    assert waiver == {
        **waiver,
        "owner": "team-md",
        "days_left": 30,
        "expired": False,
        "covers": True,
    }
    assert quote(drifted)["status"] == "drifted"

    # The last day still counts.
    assert check(drifted, "strict", DEC_31)[0] == 0

    # Expired: strict fails naming the waiver; warn passes and warns naming it.
    code, out = check(drifted, "strict", JAN_2)
    assert code == 1
    assert "waiver for models.Quote (owner team-md: bid/ask sizes" in out
    assert "expired on 2026-12-31" in out
    code, out = check(drifted, "warn", JAN_2)
    assert code == 0
    assert "waiver by team-md EXPIRED on 2026-12-31 (2 day(s) ago)" in out
    assert quote(drifted)["waiver"]["expired"] is True  # type: ignore[index]


def test_a_later_registry_change_is_not_covered(
    drifted: Project, registry_editor: RegistryEditor
) -> None:
    waive(drifted, DEC_1)
    assert check(drifted, "strict", DEC_1)[0] == 0
    registry_editor.change("v1", "models.Quote", add_required("venue"))
    code, out = check(drifted, "strict", DEC_1)
    assert code == 1, out
    assert "does not cover this registry version" in out
    assert quote(drifted)["waiver"]["covers"] is False  # type: ignore[index]


def test_waive_rejects_bad_input_and_keeps_the_file(drifted: Project) -> None:
    waive(drifted, DEC_1)
    before = (drifted.root / WAIVER_FILE).read_bytes()
    today = dt.datetime.now(dt.timezone.utc).date()
    cases = [
        (["--until", (today - dt.timedelta(days=1)).isoformat()], "is in the past"),
        (["--until", "next friday"], "--until: must be a date (YYYY-MM-DD)"),
        (["--until", (today + dt.timedelta(days=3)).isoformat(), "--owner", " "], "--owner"),
    ]
    for extra, message in cases:
        argv = ["waive", "models.Quote", "--track", "v1", "--reason", "r", "--owner", "o", *extra]
        result = drifted.drift(*argv)
        assert result.code == 2, result.text
        assert message in result.err, result.err
        assert "Traceback" not in result.text
    missing = drifted.drift(
        "waive", "models.Nope", "--track", "v1", "--reason", "r", "--owner", "o",
        "--until", (today + dt.timedelta(days=3)).isoformat(),
    )  # fmt: skip
    assert missing.code == 2
    assert "lists no schema 'models.Nope' in track v1" in missing.err
    assert (drifted.root / WAIVER_FILE).read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[waiver]]\nschema = 'models.Quote'\n", "waiver #1: missing track"),
        ("[[waiver]\n", "invalid TOML"),
        ("owner = 'x'\n", "unknown key 'owner'"),
    ],
)
def test_a_malformed_waiver_file_is_exit_2_naming_it(
    drifted: Project, content: str, message: str
) -> None:
    drifted.write(WAIVER_FILE, content)
    before = drifted.snapshot()
    for argv in (["check-drift", "--mode", "strict"], ["waivers"]):
        result = subprocess.run(
            [sys.executable, "-m", "drift", argv[0], "-C", str(drifted.root), *argv[1:]],
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"{WAIVER_FILE}: " in result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    assert drifted.snapshot() == before


def test_cli_waive_and_waivers_and_the_invoke_task(drifted: Project) -> None:
    until = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=10)).isoformat()
    made = drifted.drift(
        "waive", "models.Quote", "--track", "v1", "--reason", "known", "--owner", "team-md",
        "--until", until,
    )  # fmt: skip
    assert made.code == 0, made.text
    listed = drifted.drift("waivers")
    assert listed.code == 0
    assert f"v1/models.Quote  owner team-md  until {until} (10 day(s) left)" in listed.out
    strict = drifted.check("--mode", "strict")
    assert strict.code == 0, strict.text
    assert "waived by team-md" in strict.out

    drifted.write("tasks.py", "from drift.tasks import ns\nnamespace = ns\n")
    (drifted.root / WAIVER_FILE).unlink()
    task = subprocess.run(
        [sys.executable, "-m", "invoke", "waive", "--schema", "models.Quote", "--track", "v1",
         "--reason", "via invoke", "--owner", "team-ops", "--until", until],
        cwd=drifted.root, env=subprocess_env(), capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert task.returncode == 0, task.stdout + task.stderr
    assert "team-ops" in (drifted.root / WAIVER_FILE).read_text()
    report = json.loads(Path(drifted.report_path).read_text())
    assert report["tracks"][0]["compat_policy"] == "strict"

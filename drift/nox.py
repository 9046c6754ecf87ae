"""Nox sessions for any repository that uses drift: ``contracts-<track>``, ``contracts``, ``drift``.

An adopter's whole ``noxfile.py``::

    import drift.nox

    drift.nox.sessions()

The sessions share one virtualenv, ``.nox/drift``, into which they install the
project (``-e .``, when it has a ``pyproject.toml`` ``[project]`` or a
``setup.py``), pytest and *the drift that runs nox* with its ``redis`` extra:
the same wheel, source tree or editable checkout it was installed from (PEP 610
``direct_url.json``), else ``schema-drift==<its version>`` from the index.
Never a newer guess.
Configuration is ``[tool.drift]`` as every drift command reads it (tracks
tables optional: v1 required, v2 not).

- ``contracts-<track>``: ``pytest tests/contracts --schema-track <track>`` on the
  committed fixtures; ``-- --live`` or ``DRIFT_LIVE=1`` fetches the registry's
  current schemas first and falls back, loudly, when it cannot (fail-open).
- ``contracts``: every enabled track, one summary line per track; fails only
  when a required track fails.
- ``drift``: ``drift check-drift`` over every track, reports in ``reports/``
  (JSON, Markdown, JUnit), one summary line per track. ``-- --emit-telemetry``
  requires the events to be published (``check-drift --require-telemetry``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from functools import partial
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nox

from drift._version import __version__
from drift.errors import ConfigError
from drift.live import (
    LIVE_DIR_ENV,
    check_fetch_exit,
    fetch_command,
    live_requested,
    prepare_schema_dir,
)
from drift.urls import redact_url

__all__ = ["DISTRIBUTION", "drift_requirement", "project_requirement", "sessions"]

DISTRIBUTION = "schema-drift"
CONTRACTS_DIR = "tests/contracts"
REPORTS_DIR = "reports"
PYTEST = "pytest>=8"


def drift_requirement(*extras: str) -> list[str]:
    """``pip install`` arguments for the drift running this process, with ``extras``."""
    suffix = f"[{','.join(extras)}]" if extras else ""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise ConfigError(
            f"drift.nox: {DISTRIBUTION} is not installed in the environment that runs nox "
            f"(pip install {DISTRIBUTION} nox)"
        ) from None
    direct = json.loads(dist.read_text("direct_url.json") or "{}")
    url = str(direct.get("url", ""))
    if url.startswith("file://"):
        path = Path(unquote(urlsplit(url).path))
        if path.exists():
            editable = bool(direct.get("dir_info", {}).get("editable"))
            return ["-e", f"{path}{suffix}"] if editable else [f"{path}{suffix}"]
    elif url and "vcs_info" in direct:
        vcs = direct["vcs_info"]
        return [f"{DISTRIBUTION}{suffix} @ {vcs['vcs']}+{url}@{vcs['commit_id']}"]
    return [f"{DISTRIBUTION}{suffix}=={dist.version or __version__}"]


def project_requirement(root: Path) -> list[str]:
    """``-e <root>`` when the project is installable and is not drift itself, else nothing."""
    from drift import tomlread

    document = tomlread.read_config_file(root / "pyproject.toml", "pyproject.toml") or {}
    project = document.get("project")
    if isinstance(project, dict):
        name = str(project.get("name", "")).lower().replace("_", "-")
        return [] if name == DISTRIBUTION else ["-e", str(root)]
    return ["-e", str(root)] if (root / "setup.py").is_file() else []


class _Project:
    """What the sessions need to know about the project at ``root``."""

    def __init__(self, root: Path, install_args: Sequence[str]) -> None:
        from drift.config import load_settings

        self.root = root
        self.install_args = list(install_args)
        self.settings = load_settings(root, os.environ)  # as every front end: one resolver
        self.tracks = {
            name: cfg.required for name, cfg in self.settings.tracks.items() if cfg.enabled
        }

    def install(self, session: nox.Session) -> Path:
        """Bring the shared environment up to date; its ``bin`` directory.

        One virtualenv, ``.nox/drift``, serves every drift session (they need the same
        things): created with the interpreter running nox, installed into with pip, and
        reinstalled only when what it needs changed (``pyproject.toml``, the drift wheel
        or version, the arguments).
        """
        location = self.root / ".nox" / "drift"
        bin_dir = location / ("Scripts" if os.name == "nt" else "bin")
        spec = [
            *self.install_args,
            *project_requirement(self.root),
            *drift_requirement("redis"),  # telemetry works in every session
            PYTEST,
        ]
        digest = hashlib.sha256(json.dumps([spec, _stats(spec)]).encode())
        pyproject = self.root / "pyproject.toml"
        digest.update(pyproject.read_bytes() if pyproject.is_file() else b"")
        stamp = location / ".drift-installed"
        if not (bin_dir / "python").exists() and not (bin_dir / "python.exe").exists():
            session.run(sys.executable, "-m", "virtualenv", "-q", str(location))
        if stamp.is_file() and stamp.read_text() == digest.hexdigest():
            session.log(f"{location}: up to date ({' '.join(spec)})")
            return bin_dir
        session.run(str(bin_dir / "python"), "-m", "pip", "install", *spec)
        stamp.write_text(digest.hexdigest())
        return bin_dir

    def role(self, track: str) -> str:
        return "required" if self.tracks[track] else "not required"

    def run_contracts(self, session: nox.Session, bin_dir: Path, track: str) -> int:
        """``pytest tests/contracts`` on one track (live or committed); pytest's exit code."""
        live, args = live_requested(session.posargs, os.environ)
        if live:
            url = os.environ.get("REGISTRY_URL") or self.settings.registry_url
            session.log(f"contracts-{track}: live mode, registry {redact_url(url)}")
        workdir = os.environ.get(LIVE_DIR_ENV)
        source = prepare_schema_dir(
            track,
            live=live,
            fetch=partial(_fetch, session, bin_dir),
            fixtures_dir=self.settings.fixtures_dir,
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
                str(bin_dir / "pytest"), CONTRACTS_DIR,
                f"--schema-track={track}", f"--schema-dir={source.directory}",
                *args, env=env,
            )  # fmt: skip
        except nox.command.CommandFailed as exc:
            return exc.return_code if exc.return_code is not None else 1
        finally:
            if source.live and not workdir:
                shutil.rmtree(source.directory, ignore_errors=True)
        if source.fell_back:
            session.warn(
                f"contracts-{track} passed on the COMMITTED FIXTURES, not the live registry"
            )
        return 0


def _stats(spec: Sequence[str]) -> list[list[float]]:
    """Size and mtime of the local files in ``spec`` (a rebuilt wheel reinstalls)."""
    paths = [Path(arg.split("[", 1)[0]) for arg in spec]
    return [[p.stat().st_size, p.stat().st_mtime] for p in paths if p.is_file()]


def _fetch(session: nox.Session, bin_dir: Path, track: str, dest: Path) -> None:
    """``drift fetch-schemas`` for one track into ``dest/<track>/``; exit 3 = registry down."""
    _python, *rest = fetch_command(track, dest)
    try:
        session.run(str(bin_dir / "python"), *rest)
    except nox.command.CommandFailed as exc:
        check_fetch_exit(exc.return_code)
        raise


def sessions(
    root: str | os.PathLike[str] | None = None, *, install_args: Sequence[str] = ()
) -> None:
    """Register the drift sessions for the project at ``root`` (default: nox's directory,
    the noxfile's). ``install_args`` go before every pip install (e.g.
    ``["-c", "constraints.txt"]``). The sessions share one environment (see
    :meth:`_Project.install`), so nox itself creates none for them."""
    project = _Project(Path(root or os.getcwd()).resolve(), install_args)
    session = partial(nox.session, venv_backend="none")
    for track in project.tracks:
        session(name=f"contracts-{track}")(_contract_session(project, track))

    @session(name="contracts")
    def contracts(session: nox.Session) -> None:
        """Contract tests on every track; fails only if a required track fails."""
        bin_dir = project.install(session)
        codes = {t: project.run_contracts(session, bin_dir, t) for t in project.tracks}
        for track, code in codes.items():
            if code == 0:
                session.log(f"contracts {track} ({project.role(track)}): PASSED")
            else:
                note = "" if project.tracks[track] else "; not required, so it does not fail this"
                session.warn(
                    f"contracts {track} ({project.role(track)}): FAILED (pytest exit {code}){note}"
                )
        broken = [track for track, code in codes.items() if code and project.tracks[track]]
        if broken:
            session.error(f"required track(s) failed: {', '.join(broken)}")

    @session(name="drift")
    def drift_check(session: nox.Session) -> None:
        """drift check-drift on every track; reports (JSON, Markdown, JUnit) in reports/."""
        telemetry = "--emit-telemetry" in session.posargs
        bin_dir = project.install(session)
        out = project.root / REPORTS_DIR
        out.mkdir(parents=True, exist_ok=True)
        report = out / "drift_report.json"
        args = ["--require-telemetry"] if telemetry else []
        try:
            session.run(
                str(bin_dir / "drift"), "check-drift", "-C", str(project.root),
                "--report", str(report), "--markdown", str(out / "drift_report.md"),
                "--junit", str(out / "drift_report.xml"), *args, *session.posargs,
            )  # fmt: skip
            code = 0
        except nox.command.CommandFailed as exc:
            code = exc.return_code if exc.return_code is not None else 1
        _summarise(session, report, project)
        if code:
            session.error(f"drift check-drift exited {code}")


def _contract_session(project: _Project, track: str) -> Callable[[nox.Session], None]:
    def contracts_track(session: nox.Session) -> None:
        bin_dir = project.install(session)
        code = project.run_contracts(session, bin_dir, track)
        if code:
            role = project.role(track)
            session.error(f"contract tests FAILED on track {track} ({role}, pytest exit {code})")

    contracts_track.__doc__ = f"Contract tests on schema track {track} ({project.role(track)})."
    return contracts_track


def _summarise(session: nox.Session, path: Path, project: _Project) -> None:
    """One line per track from the JSON report, e.g. ``drift v2 (not required): 1 drifted``."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        session.warn(f"drift: no report at {path}")
        return
    for track in report.get("tracks", ()):
        counts = {k: v for k, v in track.get("counts", {}).items() if v}
        text = ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "no schemas"
        line = f"drift {track['track']} ({project.role(track['track'])}, {track['mode']}): {text}"
        drifted = any(k not in ("synced", "annotations", "deprecated") for k in counts)
        (session.warn if drifted else session.log)(line)

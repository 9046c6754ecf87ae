"""Throwaway drift projects for the end-to-end workflow tests (a pytest plugin).

Its fixtures are imported by tests/integration/conftest.py (integration tests only). Fixtures:

- ``make_project(registry_url, tracks=..., settings=..., track_settings=...)``:
  a project in ``tmp_path`` with a ``pyproject.toml`` ``[tool.drift]`` and a
  copy of the bundled fixtures (all of them, or only the named schemas with a
  lock cut down to match and ``[tool.drift.tracks.<t>] schemas`` set so the
  rest of the registry is out of scope). Returns a :class:`Project` that runs
  ``drift.cli.main`` in-process (stdout/stderr from ``capsys``) or
  ``python -m drift`` as a subprocess.
- ``registry_editor``: edits the session registry copy (through
  ``edit_registry``, so every edit is undone after the test), keeping
  ``index.json``'s ``sha256``/``count`` in step with the schema files.

``snapshot(folder)`` maps every path under ``folder`` to its bytes (``None``
for directories), leaving out only the sync's own ``flock`` file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from drift import transaction
from drift.cli import main
from drift.fixtures import fixture_bytes
from drift.lockfile import Lock, dump_lock, parse_lock
from drift.model import TRACKS

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "fixtures"
#: The environment a project run must not inherit from the developer's shell.
_ENV_PREFIXES = ("REGISTRY_", "DRIFT_", "PULSE_")
_ENV_NAMES = ("EVENT_BUS_BACKEND", "REDIS_URL", "GITHUB_STEP_SUMMARY", "MD_NAMESPACE")
#: Subcommands without ``-C/--project-dir``.
_NO_PROJECT_DIR = frozenset({"report", "diff", "serve-registry"})

Snapshot = dict[str, "bytes | None"]


def snapshot(folder: Path) -> Snapshot:
    """Every path under ``folder`` with its bytes (``None`` for a directory)."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.name != transaction.LOCK_FILE
    }


def drift_env_names() -> list[str]:
    return [k for k in os.environ if k.startswith(_ENV_PREFIXES) or k in _ENV_NAMES]


def subprocess_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """``os.environ`` (as the test left it) with the repo on ``PYTHONPATH``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class Result:
    """What one ``drift`` run returned and printed."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@dataclass
class Project:
    """A throwaway project root with ``pyproject.toml`` and ``fixtures/``."""

    root: Path
    capsys: pytest.CaptureFixture[str]
    tracks: Mapping[str, Sequence[str] | None] = field(default_factory=dict)

    @property
    def fixtures(self) -> Path:
        return self.root / "fixtures"

    @property
    def lock_path(self) -> Path:
        return self.fixtures / "lock.toml"

    @property
    def report_path(self) -> Path:
        return self.root / "drift_report.json"

    def fixture(self, track: str, name: str) -> Path:
        return self.fixtures / track / f"{name}.json"

    def drift(self, *argv: str) -> Result:
        """``drift.cli.main(argv)`` in-process, with ``-C <root>`` after the subcommand
        (global options such as ``-vv`` go before it)."""
        args = list(argv)
        at = next((i for i, a in enumerate(args) if not a.startswith("-")), None)
        if at is not None and args[at] not in _NO_PROJECT_DIR:
            args[at + 1 : at + 1] = ["-C", str(self.root)]
        self.capsys.readouterr()
        code = main(args)
        out, err = self.capsys.readouterr()
        return Result(code, out, err)

    def check(self, *argv: str) -> Result:
        return self.drift("check-drift", *argv)

    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.report_path.read_text(encoding="utf-8"))
        return data

    def results(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The saved report's schema results keyed by ``(track, name)``."""
        return {
            (track["track"], schema["name"]): schema
            for track in self.report()["tracks"]
            for schema in track["schemas"]
        }

    def module_args(self, *argv: str) -> list[str]:
        return [sys.executable, "-m", "drift", *argv]

    def run_module(
        self, *argv: str, env: Mapping[str, str] | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        """``python -m drift ...`` with the project as working directory."""
        return subprocess.run(
            self.module_args(*argv),
            cwd=self.root,
            env=subprocess_env(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def snapshot(self) -> Snapshot:
        return snapshot(self.fixtures)

    def read_lock(self) -> Lock:
        return parse_lock(self.lock_path.read_text(encoding="utf-8"))

    def edit_fixture(self, track: str, name: str, mutate: Callable[[Any], Any]) -> None:
        """Rewrite a fixture with ``mutate(content)`` applied (in place or returned)."""
        path = self.fixture(track, name)
        content = json.loads(path.read_bytes())
        changed = mutate(content)
        path.write_bytes(fixture_bytes(content if changed is None else changed))

    def write(self, relative: str, data: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path


MakeProject = Callable[..., Project]


def write_project(
    root: Path,
    registry_url: str | None,
    *,
    tracks: Mapping[str, Sequence[str] | None] | None = None,
    settings: Mapping[str, Any] | None = None,
    track_settings: Mapping[str, Mapping[str, Any]] | None = None,
    fixtures: bool = True,
) -> None:
    """Write ``pyproject.toml`` and (``fixtures=True``) copy the bundled fixtures into ``root``.

    ``tracks`` maps a track to the schema names to copy (``None``: all);
    tracks left out are disabled. ``None`` means both tracks, every schema.
    A ``settings`` value of ``None`` removes that key.
    """
    chosen: Mapping[str, Sequence[str] | None] = (
        {t: None for t in TRACKS} if tracks is None else tracks
    )
    table: dict[str, Any] = {
        "repo": "demo-service",
        "registry_url": registry_url,
        "fixtures_dir": "fixtures",
        "timeout": 2,
        "retries": 1,
        "deadline": 10,
    }
    table.update(settings or {})
    table = {k: v for k, v in table.items() if v is not None}
    per_track: dict[str, dict[str, Any]] = {}
    for track in TRACKS:
        cfg: dict[str, Any] = {}
        if track not in chosen:
            cfg["enabled"] = False
        elif chosen[track] is not None:
            cfg["schemas"] = list(chosen[track] or [])
        cfg.update((track_settings or {}).get(track, {}))
        if cfg:
            per_track[track] = cfg
    if per_track:
        table["tracks"] = per_track
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(tomli_w.dumps({"tool": {"drift": table}}))
    if fixtures:
        copy_fixtures(root / "fixtures", chosen)


def copy_fixtures(target: Path, tracks: Mapping[str, Sequence[str] | None]) -> None:
    """Copy the bundled fixtures of ``tracks`` and a lock holding exactly those entries."""
    target.mkdir(parents=True, exist_ok=True)
    if all(tracks.get(t, ()) is None for t in TRACKS):
        for every in TRACKS:
            shutil.copytree(BUNDLED / every, target / every)
        shutil.copyfile(BUNDLED / "lock.toml", target / "lock.toml")
        return
    lock = parse_lock((BUNDLED / "lock.toml").read_text(encoding="utf-8"))
    entries: dict[str, dict[str, Any]] = {}
    for track, names in tracks.items():
        wanted = (
            sorted(p.stem for p in (BUNDLED / track).glob("*.json")) if names is None else names
        )
        (target / track).mkdir(exist_ok=True)
        for name in wanted:
            shutil.copyfile(BUNDLED / track / f"{name}.json", target / track / f"{name}.json")
        entries[track] = {n: lock.entries[track][n] for n in wanted}
    cut = Lock(registry=lock.registry, tool_version=lock.tool_version, entries=entries)
    (target / "lock.toml").write_text(dump_lock(cut))


@pytest.fixture
def make_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> MakeProject:
    """A factory of throwaway projects; the drift environment variables are cleared."""
    for name in drift_env_names():
        monkeypatch.delenv(name)

    def make(
        registry_url: str | None,
        *,
        tracks: Mapping[str, Sequence[str] | None] | None = None,
        settings: Mapping[str, Any] | None = None,
        track_settings: Mapping[str, Mapping[str, Any]] | None = None,
        fixtures: bool = True,
        name: str = "service",
    ) -> Project:
        root = tmp_path / name
        write_project(
            root,
            registry_url,
            tracks=tracks,
            settings=settings,
            track_settings=track_settings,
            fixtures=fixtures,
        )
        return Project(root, capsys, dict(tracks or {}))

    return make


class RegistryEditor:
    """Edits the session registry copy; ``index.json`` follows every schema edit."""

    def __init__(self, root: Path, edit: Callable[[str, bytes | None], Path]) -> None:
        self.root = root
        self._edit = edit

    def index(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.root / "index.json").read_bytes())
        return data

    def write_index(self, index: Mapping[str, Any]) -> None:
        self._edit("index.json", (json.dumps(index, indent=2) + "\n").encode())

    def content(self, track: str, name: str) -> Any:
        return json.loads((self.root / track / f"{name}.json").read_bytes())

    def entry(self, track: str, name: str) -> dict[str, Any]:
        for item in self.index()["tracks"][track]["schemas"]:
            if item["name"] == name:
                return dict(item)
        raise KeyError(f"{track}/{name}")

    def names(self, track: str) -> list[str]:
        return [item["name"] for item in self.index()["tracks"][track]["schemas"]]

    def put(self, track: str, name: str, content: Any, *, deprecated: bool | None = None) -> str:
        """Publish ``content`` as ``track/name`` (added to the index if new); its sha256."""
        data = fixture_bytes(content)
        self._edit(f"{track}/{name}.json", data)
        digest = hashlib.sha256(data).hexdigest()
        index = self.index()
        items = index["tracks"][track]["schemas"]
        item = next((i for i in items if i["name"] == name), None)
        if item is None:
            item = {"name": name, "$schema_id": name, "deprecated": False}
            items.append(item)
        item["sha256"] = digest
        item["latest_core_version"] = str(content.get("$core_version", "unknown"))
        if deprecated is not None:
            item["deprecated"] = deprecated
        index["tracks"][track]["count"] = len(items)
        self.write_index(index)
        return digest

    def change(self, track: str, name: str, mutate: Callable[[Any], Any], **kw: Any) -> str:
        """Apply ``mutate`` to the published content (in place or returned) and publish it."""
        content = self.content(track, name)
        changed = mutate(content)
        return self.put(track, name, content if changed is None else changed, **kw)

    def remove(self, track: str, name: str) -> None:
        """Delete ``track/name`` from the index and the disk."""
        index = self.index()
        items = [i for i in index["tracks"][track]["schemas"] if i["name"] != name]
        index["tracks"][track] = {"count": len(items), "schemas": items}
        self.write_index(index)
        self._edit(f"{track}/{name}.json", None)

    def set_deprecated(self, track: str, name: str) -> None:
        index = self.index()
        for item in index["tracks"][track]["schemas"]:
            if item["name"] == name:
                item["deprecated"] = True
        self.write_index(index)


@pytest.fixture
def registry_editor(
    registry_root: Path, edit_registry: Callable[[str, bytes | None], Path]
) -> RegistryEditor:
    return RegistryEditor(registry_root, edit_registry)


# -- schema mutations shared by the tests -------------------------------------------


def add_required(field_name: str) -> Callable[[Any], None]:
    """A structural (breaking) change: a new required string property."""

    def mutate(content: Any) -> None:
        content.setdefault("properties", {})[field_name] = {"type": "string"}
        content.setdefault("required", []).append(field_name)

    return mutate


def restamp(version: str) -> Callable[[Any], None]:
    """A release stamp: only ``$core_version`` changes."""

    def mutate(content: Any) -> None:
        content["$core_version"] = version

    return mutate

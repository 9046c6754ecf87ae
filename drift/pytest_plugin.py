"""pytest plugin: contract tests against a schema track (registered via ``pytest11``).

Options ``--schema-track`` (default ``$SCHEMA_TRACK``, else ``v1``) and
``--schema-dir`` (default ``[tool.drift] fixtures_dir`` under the rootdir, else
``fixtures``); fixtures ``schema_track``, ``contract_schemas`` and
``assert_conforms``; marker ``@pytest.mark.track("v2")``. The validation
itself lives in :mod:`drift.contracts`, imported only when a fixture is used.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from drift.model import TRACKS

if TYPE_CHECKING:
    from drift.contracts import ConformanceChecker

__all__ = ["ContractSettings", "contract_settings", "resolve_contract_settings"]

TRACK_ENV = "SCHEMA_TRACK"
MODE_ENV = "REGISTRY_ENFORCEMENT"
SOURCE_ENV = "DRIFT_SCHEMA_SOURCE"
"""Optional note on where the schemas came from (set by the nox contract sessions)."""
DEFAULT_TRACK = "v1"


@dataclass(frozen=True)
class ContractSettings:
    """What the contract fixtures of this pytest run use."""

    track: str
    schema_dir: Path
    mode: str
    """Enforcement mode in effect, for the report only: ``warn`` or ``strict``."""
    mode_source: str
    source_note: str = ""


_SETTINGS = pytest.StashKey[ContractSettings]()
_USED = pytest.StashKey[bool]()


def contract_settings(config: pytest.Config) -> ContractSettings:
    """The settings resolved for this run (after ``pytest_configure``)."""
    return config.stash[_SETTINGS]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("drift", "schema contract tests (drift)")
    group.addoption(
        "--schema-track",
        dest="schema_track",
        default=None,
        metavar="TRACK",
        help=f"schema track to test against: {', '.join(TRACKS)} "
        f"(default: ${TRACK_ENV}, else {DEFAULT_TRACK})",
    )
    group.addoption(
        "--schema-dir",
        dest="schema_dir",
        default=None,
        metavar="DIR",
        help="directory holding <track>/<name>.json schemas "
        "(default: [tool.drift] fixtures_dir under the rootdir, else fixtures)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "track(*tracks): run this test only on the given schema track(s); skipped on others",
    )
    config.stash[_SETTINGS] = _resolve(config)
    config.stash[_USED] = False


def pytest_report_header(config: pytest.Config) -> str:
    return f"drift: {_describe(config)}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    track = contract_settings(config).track
    for item in items:
        for marker in item.iter_markers(name="track"):
            wanted = [str(arg) for arg in marker.args]
            unknown = [t for t in wanted if t not in TRACKS]
            if not wanted or unknown or marker.kwargs:
                raise pytest.UsageError(
                    f"{item.nodeid}: @pytest.mark.track takes track names "
                    f"({', '.join(TRACKS)}), got {marker.args!r}"
                )
            if track not in wanted:
                label = "track" if len(wanted) == 1 else "tracks"
                reason = f"only on {label} {', '.join(wanted)} (running {track})"
                item.add_marker(pytest.mark.skip(reason=reason))
                break


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if config.stash.get(_USED, False):
        terminalreporter.write_sep("-", "drift contract tests")
        terminalreporter.write_line(_describe(config))


@pytest.fixture(scope="session")
def schema_track(pytestconfig: pytest.Config) -> str:
    """The schema track under test (``v1`` or ``v2``)."""
    pytestconfig.stash[_USED] = True
    return contract_settings(pytestconfig).track


@pytest.fixture(scope="session")
def contract_schemas(pytestconfig: pytest.Config) -> Mapping[str, Any]:
    """Read-only mapping schema name -> schema for the track under test."""
    from drift.contracts import load_schemas

    pytestconfig.stash[_USED] = True
    settings = contract_settings(pytestconfig)
    return load_schemas(settings.schema_dir, settings.track)


@pytest.fixture(scope="session")
def assert_conforms(
    pytestconfig: pytest.Config, contract_schemas: Mapping[str, Any]
) -> ConformanceChecker:
    """``assert_conforms(payload, schema_name)``: AssertionError listing every violation."""
    from drift.contracts import ConformanceChecker

    return ConformanceChecker(contract_schemas, track=contract_settings(pytestconfig).track)


# -- settings ---------------------------------------------------------------


def resolve_contract_settings(
    rootdir: Path,
    env: Mapping[str, str],
    *,
    track_option: str | None = None,
    schema_dir_option: str | None = None,
    invocation_dir: Path | None = None,
) -> ContractSettings:
    """What this run tests, from the same :func:`~drift.config.load_settings` as every front end.

    ``--schema-track`` > ``$SCHEMA_TRACK`` > ``v1``; ``--schema-dir`` (relative to
    ``invocation_dir``) > ``[tool.drift] fixtures_dir``; the mode as
    :func:`~drift.config.resolve_mode` gives it for the track. A bad value is a
    :class:`pytest.UsageError` naming it.
    """
    from drift.config import load_settings, resolve_mode
    from drift.errors import ConfigError
    from drift.modes import MODE_FILE, ModeFile

    env_track = env.get(TRACK_ENV, "").strip()
    track = track_option or env_track or DEFAULT_TRACK
    if track not in TRACKS:
        where = "--schema-track" if track_option else TRACK_ENV
        raise pytest.UsageError(
            f"{where}: invalid schema track {track!r} (choose from {', '.join(TRACKS)})"
        )
    try:
        settings = load_settings(rootdir, env)
        mode, source = resolve_mode(settings, track, ModeFile(settings.root / MODE_FILE).read())
    except ConfigError as exc:
        raise pytest.UsageError(f"drift: {exc}") from None
    if schema_dir_option:
        schema_dir = (invocation_dir or rootdir) / schema_dir_option
    else:
        schema_dir = settings.fixtures_dir
    return ContractSettings(
        track=track,
        schema_dir=schema_dir.resolve(),
        mode=mode,
        mode_source=_mode_label(source, MODE_FILE),
        source_note=env.get(SOURCE_ENV, "").strip(),
    )


def _mode_label(source: str, mode_file: str) -> str:
    """How the header names where the mode came from (a :func:`resolve_mode` source)."""
    labels = {"env": MODE_ENV, "mode-file": mode_file, "config": "[tool.drift] mode"}
    return labels.get(source, source)


def _resolve(config: pytest.Config) -> ContractSettings:
    return resolve_contract_settings(
        Path(config.rootpath),
        os.environ,
        track_option=config.getoption("schema_track", default=None),
        schema_dir_option=config.getoption("schema_dir", default=None),
        invocation_dir=Path(config.invocation_params.dir),
    )


def _describe(config: pytest.Config) -> str:
    settings = contract_settings(config)
    try:
        shown = str(settings.schema_dir.relative_to(Path(config.rootpath).resolve()))
    except ValueError:
        shown = str(settings.schema_dir)
    note = f" ({settings.source_note})" if settings.source_note else ""
    return (
        f"schema track {settings.track}, schemas {shown}/{settings.track}{note}, "
        f"enforcement mode {settings.mode} ({settings.mode_source})"
    )

"""Front-end glue shared by the CLI and the Invoke tasks.

Each ``run_*`` function builds the collaborators a workflow needs from
:class:`~drift.config.Settings`, runs the workflow, writes its outputs and
returns the exit code. Nothing here decides drift: that is the engine's job.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from drift import reporters
from drift.atomic import write_atomic
from drift.check import CheckInputs, check_drift
from drift.config import Settings
from drift.errors import DriftError
from drift.fixtures import FixtureStore
from drift.modes import ModeFile
from drift.report import Report
from drift.reporters.json_report import read_json, write_json
from drift.sources import open_source
from drift.sources.base import RegistrySource
from drift.sync import fetch_schemas, plan_sync, sync_fixtures

__all__ = [
    "CheckOutputs",
    "mode_file",
    "open_registry",
    "run_check",
    "run_fetch",
    "run_report",
    "run_set_mode",
    "run_sync",
]

log = logging.getLogger("drift")

RequestHook = Callable[[str, float, "str | None"], None]


@dataclass(frozen=True)
class CheckOutputs:
    """How a check runs and where it writes besides the terminal."""

    report: Path | None = None
    markdown: Path | None = None
    junit: Path | None = None
    quiet: bool = False
    transitive: bool = False


def mode_file(settings: Settings) -> ModeFile:
    return ModeFile(settings.root / ".drift-mode.toml")


def open_registry(
    settings: Settings, on_request: RequestHook | None = None
) -> RegistrySource | None:
    """The registry source the settings name, or ``None`` when the registry is disabled."""
    if not settings.registry_enabled:
        return None
    options: dict[str, object] = {
        "timeout": settings.timeout,
        "retries": settings.retries,
        "deadline": settings.deadline,
        "concurrency": settings.concurrency,
    }
    if on_request is not None:
        options["on_request"] = on_request
    return open_source(
        settings.require_registry(),
        base_dir=settings.root,
        token=settings.registry_token,
        **options,
    )


def run_check(
    settings: Settings,
    outputs: CheckOutputs,
    *,
    out: TextIO | None = None,
    env: Mapping[str, str] = os.environ,
    on_report: Callable[[Report], None] | None = None,
    on_request: RequestHook | None = None,
) -> Report:
    """Run ``check-drift`` and write its report files; the report carries the exit code."""
    out = sys.stdout if out is None else out  # resolved per call: capture/redirect
    source = open_registry(settings, on_request)
    try:
        inputs = CheckInputs(
            store=FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys),
            source=source,
            modes=mode_file(settings).read(),
            transitive=outputs.transitive,
        )
        report = check_drift(settings, inputs)
    finally:
        if source is not None:
            source.close()
    if on_report is not None:
        on_report(report)
    if outputs.report is not None:
        write_json(report, outputs.report)
    if outputs.markdown is not None:
        write_atomic(outputs.markdown, reporters.render(report, "markdown"))
    if outputs.junit is not None:
        write_atomic(outputs.junit, reporters.render(report, "junit"))
    try:
        reporters.append_step_summary(report, env)
    except DriftError as exc:  # a summary is a courtesy: never fail the check over it
        log.warning("%s", exc)
    if not outputs.quiet:
        out.write(reporters.render(report, "text"))
    return report


def run_sync(settings: Settings, *, dry_run: bool, out: TextIO | None = None) -> int:
    """Run ``sync-fixtures`` (or show what it would do with ``dry_run``)."""
    out = sys.stdout if out is None else out  # resolved per call: capture/redirect
    source = open_registry(settings)
    if source is None:
        out.write("registry disabled (REGISTRY_ENABLED=false): nothing to sync\n")
        return 0
    store = FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys)
    try:
        plan = plan_sync(settings, source, store)
    finally:
        source.close()
    for change in plan.changes:
        verdict = f" [{change.verdict}]" if change.verdict else ""
        out.write(f"{change.action:7} {change.track}/{change.name}{verdict}\n")
        for line in change.changes:
            out.write(f"          {line}\n")
        if dry_run and change.diff:
            out.write(change.diff if change.diff.endswith("\n") else change.diff + "\n")
    if plan.empty:
        out.write(f"fixtures are up to date ({plan.unchanged} schemas unchanged)\n")
        return 0
    if dry_run:
        out.write(f"dry run: {len(plan.changes)} fixture(s) would change; nothing written\n")
        return 0
    sync_fixtures(store, plan)
    out.write(
        f"synced {len(plan.changes)} fixture(s), {plan.unchanged} unchanged; "
        f"lock written to {store.lock_path}\n"
    )
    return 0


def run_fetch(
    settings: Settings, output: Path, *, all_schemas: bool, out: TextIO | None = None
) -> int:
    """Run ``fetch-schemas`` into ``output``."""
    out = sys.stdout if out is None else out  # resolved per call: capture/redirect
    source = open_registry(settings)
    if source is None:
        out.write("registry disabled (REGISTRY_ENABLED=false): nothing to fetch\n")
        return 0
    try:
        result = fetch_schemas(settings, source, output, all_schemas=all_schemas)
    finally:
        source.close()
    for track, names in result.written.items():
        out.write(f"{track}: {len(names)} schema(s) written to {result.output / track}\n")
    for where, error in result.errors.items():
        out.write(f"error: {where}: {error}\n")
    return 3 if result.errors else 0


def run_set_mode(
    settings: Settings,
    track: str,
    mode: str,
    *,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
) -> int:
    """Persist the enforcement mode of ``track``."""
    out = sys.stdout if out is None else out  # resolved per call: capture/redirect
    modes = mode_file(settings)
    modes.set(track, mode)
    out.write(f"{track}: enforcement mode set to {mode} in {modes.path}\n")
    if env.get("REGISTRY_ENFORCEMENT"):
        out.write(f"note: REGISTRY_ENFORCEMENT={env['REGISTRY_ENFORCEMENT']} is set and wins\n")
    return 0


def run_report(path: Path, fmt: str, *, out: TextIO | None = None) -> int:
    """Render a saved JSON report."""
    out = sys.stdout if out is None else out  # resolved per call: capture/redirect
    out.write(reporters.render(read_json(path), fmt))  # type: ignore[arg-type]
    return 0

"""``sync-fixtures`` and ``fetch-schemas``: the registry's schemas written to disk.

``sync`` plans (:func:`drift.sync.plan_sync`), prints the plan, then writes the
fixtures and the lock in one transaction; ``fetch`` downloads into a folder of
its own and touches no fixture.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    from pathlib import Path

    from drift.app import Runtime
    from drift.config import Settings

__all__ = ["run_fetch", "run_sync"]


def run_sync(runtime: Runtime, settings: Settings, *, dry_run: bool, progress: bool = False) -> int:
    """``sync-fixtures`` (or, with ``dry_run``, what it would do); ``progress``: a line on
    stderr while the registry answers and the fixtures are written."""
    out = runtime.out
    meter = runtime.progress(progress, "sync: registry requests")
    source = runtime.open_or_say(settings, "sync", meter)
    if source is None:
        return 0
    from drift.fixtures import FixtureStore
    from drift.reporters.common import counterexample_line

    store = FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys)
    try:
        from drift.sync import plan_sync

        plan = plan_sync(settings, source, store, diffs=dry_run)
    finally:
        source.close()
        meter.close()
    for change in plan.changes:
        verdict = f" [{change.verdict}]" if change.verdict else ""
        out.write(f"{change.action:7} {change.track}/{change.name}{verdict}\n")
        for line in change.changes:
            out.write(f"          {line}\n")
        if change.counterexample is not None:
            out.write(f"          {counterexample_line(change.counterexample)}\n")
        if dry_run and change.diff:
            out.write(change.diff if change.diff.endswith("\n") else change.diff + "\n")
    if plan.empty:
        out.write(f"fixtures are up to date ({plan.unchanged} schemas unchanged)\n")
        return 0
    if dry_run:
        out.write(f"dry run: {len(plan.changes)} fixture(s) would change; nothing written\n")
        return 0
    from drift.sync import sync_fixtures

    with meter:
        meter.phase(f"sync: writing {len(plan.changes)} fixture(s) and the lock")
        sync_fixtures(store, plan)
    out.write(
        f"synced {len(plan.changes)} fixture(s), {plan.unchanged} unchanged; "
        f"lock written to {store.lock_path}\n"
    )
    return 0


def run_fetch(
    runtime: Runtime, settings: Settings, output: Path, *, all_schemas: bool, progress: bool = False
) -> int:
    """``fetch-schemas`` into ``output`` (relative: under the project root); 3 on any error."""
    out = runtime.out
    output = output if output.is_absolute() else settings.root / output
    meter = runtime.progress(progress, "fetch: registry requests")
    source = runtime.open_or_say(settings, "fetch", meter)
    if source is None:
        return 0
    try:
        from drift.sync import fetch_schemas

        result = fetch_schemas(settings, source, output, all_schemas=all_schemas)
    finally:
        source.close()
        meter.close()
    for track, names in result.written.items():
        out.write(f"{track}: {len(names)} schema(s) written to {result.output / track}\n")
    for where, error in result.errors.items():
        out.write(f"error: {where}: {error}\n")
    return 3 if result.errors else 0

"""``drift init``: set drift up in an existing repository, non-interactively.

Plans every file first (:mod:`drift.scaffold`; a refusal writes nothing), writes
each one atomically, runs the first sync, then writes the example contract test
from the synced fixtures. Says what it did per file; a second run changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from drift import scaffold
from drift.atomic import write_atomic
from drift.scaffold import FileChange, InitOptions
from drift.templates import WORKFLOW_PATH, workflow_template

if TYPE_CHECKING:
    from drift.app import Runtime

__all__ = ["run_init"]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def plan(root: Path, options: InitOptions, *, force: bool) -> list[FileChange]:
    """Every change but the example contract test (which needs the synced fixtures)."""
    files = {
        "tasks.py": scaffold.TASKS_PY,
        "noxfile.py": scaffold.NOXFILE_PY,
        WORKFLOW_PATH: workflow_template(),
    }
    return [
        scaffold.plan_pyproject(_read(root / "pyproject.toml"), options),
        *(scaffold.plan_file(p, _read(root / p), text, force=force) for p, text in files.items()),
        scaffold.plan_append_lines(
            ".gitignore", _read(root / ".gitignore"), scaffold.gitignore_lines(options.fixtures_dir)
        ),
        scaffold.plan_precommit(_read(root / scaffold.PRECOMMIT)),
    ]


def example_change(root: Path, options: InitOptions, *, force: bool) -> FileChange:
    """The example contract test, built from the fixtures now on disk."""
    example = _example(root / options.fixtures_dir, options.tracks)
    path = scaffold.CONTRACT_TEST
    return scaffold.plan_file(
        path, _read(root / path), scaffold.contract_test(example), force=force
    )


def _example(fixtures: Path, tracks: tuple[str, ...]) -> tuple[str, dict[str, Any]] | None:
    from drift.contracts import ConformanceChecker, load_schemas
    from drift.errors import DriftError
    from drift.example_payload import choose_example

    try:
        per_track = {t: load_schemas(fixtures, t) for t in tracks}
    except DriftError:
        return None
    checkers = {t: ConformanceChecker(s, track=t) for t, s in per_track.items()}
    common = {
        n: s for n, s in per_track[tracks[0]].items() if all(n in per_track[t] for t in tracks)
    }

    def conforms(name: str, payload: dict[str, Any]) -> bool:
        return all(not checker.violations(payload, name) for checker in checkers.values())

    return choose_example(common, conforms) if common else None


def _apply(root: Path, change: FileChange) -> None:
    if change.content is not None:
        write_atomic(root / change.path, change.content.encode("utf-8"))


def _line(change: FileChange, out: TextIO) -> None:
    size = "" if change.content is None else f" ({len(change.content.splitlines())} lines)"
    detail = f": {change.detail}" if change.detail else ""
    out.write(f"  {change.action:9} {change.path}{size}{detail}\n")


def run_init(
    runtime: Runtime, root: Path, options: InitOptions, *, dry_run: bool, force: bool, sync: bool
) -> int:
    """Set drift up in ``root``; the exit code (the first sync's when it fails)."""
    out = runtime.out
    root = root.resolve()
    changes = plan(root, options, force=force)
    if dry_run:
        out.write(f"drift init (dry run) in {root}: would change\n")
        for change in changes:
            _line(change, out)
        out.write(f"  {'create':9} {scaffold.CONTRACT_TEST} (after the first sync)\n")
        if any(c.path == "pyproject.toml" and c.writes for c in changes):
            out.write("\n" + scaffold.drift_table(options))
        out.write("dry run: nothing written, nothing synced\n")
        return 0
    out.write(f"drift init in {root}:\n")
    for change in changes:
        _apply(root, change)
        _line(change, out)
    code = _first_sync(runtime, root, options) if sync else 0
    example = example_change(root, options, force=force)
    _apply(root, example)
    _line(example, out)
    kept = [c.path for c in (*changes, example) if c.action == "kept"]
    if kept:
        out.write(f"kept as they were (not drift's): {', '.join(kept)}\n")
    if code:
        out.write(f"the first sync failed (exit {code}): run `drift sync-fixtures` once the "
                  "registry answers\n")  # fmt: skip
        return code
    out.write(
        "next: git add -A && git commit -m 'Adopt drift'; try `nox -s contracts-v1`, "
        "`invoke check-drift`, `pre-commit run --all-files`\n"
    )
    return 0


def _first_sync(runtime: Runtime, root: Path, options: InitOptions) -> int:
    from drift.app import run_sync
    from drift.config import load_settings
    from drift.errors import DriftError

    out = runtime.out
    out.write("first sync:\n")
    try:
        settings = load_settings(root, runtime.env, {"registry_url": options.registry_url})
        return run_sync(runtime, settings, dry_run=False)
    except DriftError as exc:
        out.write(f"drift: error: {exc}\n")
        return exc.exit_code

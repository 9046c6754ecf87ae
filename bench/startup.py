"""Benchmark: start-up of the commands a hook or a shell runs, against bare Python.

Each command is a whole process. The figure is the number of instructions it
executes (valgrind's callgrind: unaffected by other load on the machine), or,
without valgrind (or with ``--wall``), the median wall time of ``--runs`` runs.
Bytecode caches are written first (one warm-up run each), as on a user's machine.

- ``drift --help`` (target <= 3x bare Python)
- ``invoke --list`` in this repository (target <= 5x), and for reference with a
  one-task ``tasks.py`` (invoke's own start-up)
- the offline check, fixtures against the lock (the pre-commit hook's job), on the
  bundled 77 schemas (target <= 5x) and on 1,000 generated ones (target <= 10x)

Usage: ``python bench/startup.py [--wall] [--runs 21]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))

from check_drift import write_registry  # noqa: E402


def instructions(argv: list[str], cwd: Path, env: dict[str, str]) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise RuntimeError(f"callgrind gave no count for {argv}: {run.stderr[-500:]}")
    return int(found.group(1))


def wall(argv: list[str], cwd: Path, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def offline_project(work: Path, n: int) -> Path:
    """A project whose n fixtures are synced (lock written) from a generated registry."""
    project = work / f"offline-{n}"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.drift]\nrepo = "bench"\nregistry_url = "registry"\n'
        "[tool.drift.tracks.v2]\nenabled = false\n"
    )
    write_registry(project / "registry", n, generation=0)
    env = {**os.environ, "REGISTRY_TRACK": "v1"}
    subprocess.run(
        [str(BIN / "drift"), "sync-fixtures"], cwd=project, env=env, capture_output=True, check=True
    )
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wall", action="store_true", help="median wall time, not instructions")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    use_valgrind = not args.wall and shutil.which("valgrind") is not None
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("CI", None)
    work = Path(tempfile.mkdtemp(prefix="drift-startup-"))
    try:
        tiny = work / "invoke-tiny"
        tiny.mkdir()
        (tiny / "tasks.py").write_text(
            "from invoke import task\n\n\n@task\ndef hello(c):\n    pass\n"
        )
        offline = [str(BIN / "drift"), "check-drift", "--no-registry", "--no-report", "-q"]
        cases = [
            ("bare python (python -c pass)", [sys.executable, "-c", "pass"], ROOT, None),
            ("drift --help", [str(BIN / "drift"), "--help"], ROOT, 3.0),
            ("invoke --list (this repo)", [str(BIN / "invoke"), "--list"], ROOT, 5.0),
            ("invoke --list (one-task tasks.py)", [str(BIN / "invoke"), "--list"], tiny, None),
            ("offline check, 77 bundled schemas", offline, ROOT, 5.0),
            ("offline check, 1,000 schemas", offline, offline_project(work, 1000), 10.0),
        ]
        for _, argv, cwd, _ in cases:  # write the bytecode caches
            subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
        unit = "instructions" if use_valgrind else f"s (median of {args.runs})"
        print(f"start-up, whole processes, in {unit}:")
        base = None
        for label, argv, cwd, target in cases:
            figure = (
                float(instructions(argv, cwd, env))
                if use_valgrind
                else wall(argv, cwd, env, args.runs)
            )
            base = base or figure
            shown = f"{figure / 1e6:9.1f} M" if use_valgrind else f"{figure * 1000:8.1f} ms"
            goal = f"(target <= {target:g}x)" if target else ""
            print(f"  {label:36} {shown}  {figure / base:5.2f}x bare Python {goal}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Benchmark: whole ``drift check-drift`` / ``drift sync-fixtures`` processes at N schemas.

Runs the project's own registry server in a separate process with simulated
latency (20 ms per response: one round trip, RTT) over a generated registry of
N schemas. Everything below is a whole CLI process, as a user runs it (Python's
start and imports included), median of ``--repeat`` runs, with peak RSS:

- baseline: the naive check the platform's first script did, one sequential
  ``GET /schemas/v1/{name}`` per schema (in one process; above ``--baseline-cap``
  requests it is timed on that many and scaled linearly, and says so);
- (a) ``check-drift``, nothing moved (target: <= 8 RTT at N=1,000, <= 20 at 10,000;
  the index answer is a 304 after the first run);
- (b) ``check-drift``, every schema moved (target: <= 2 * ceil(N / 16) RTT);
- (c) ``sync-fixtures``, every schema moved (target: <= 1.5x (b), >= 8x faster
  than the baseline);
- peak RSS of (b) (target at N=10,000: <= 120 MB).

Usage: ``python bench/check_drift.py [--sizes 1000 10000] [--latency 0.02] [--only a]
[--callgrind]`` (``--only a``: the nothing-moved check alone, minutes less at N=10,000;
``--callgrind``: also the instructions one (a) process executes, and bare Python's in
the same run, as valgrind counts them: repeatable where wall clock is not)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = json.loads((ROOT / "registry" / "v1" / "models.Quote.json").read_text())
DRIFT = [sys.executable, "-m", "drift"]


def write_registry(root: Path, n: int, generation: int) -> None:
    """N schemas on track v1; ``generation`` > 0 changes every schema structurally."""
    (root / "v1").mkdir(parents=True, exist_ok=True)
    entries = []
    for i in range(n):
        name = f"bench.Schema{i:05d}"
        content = dict(TEMPLATE, **{"$schema_id": name})
        content["properties"] = dict(TEMPLATE["properties"])
        for g in range(generation):
            content["properties"][f"added_{g}"] = {"type": "integer"}
        data = (json.dumps(content, indent=2, sort_keys=True) + "\n").encode()
        (root / "v1" / f"{name}.json").write_bytes(data)
        entries.append(
            {
                "name": name,
                "$schema_id": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "latest_core_version": "1.2.8",
                "deprecated": False,
            }
        )
    index = {
        "generated_at": f"2026-11-26T12:00:{generation:02d}Z",
        "tracks": {"v1": {"count": n, "schemas": entries}, "v2": {"count": 0, "schemas": []}},
    }
    (root / "index.json").write_text(json.dumps(index, indent=2))


def start_server(root: Path, latency: float) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [*DRIFT, "serve-registry", "--root", str(root), "--port", "0", "--latency", str(latency)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    httpx.get(f"{url}/health", timeout=5).raise_for_status()
    return proc, url


def run_cli(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, float]:
    """(seconds, exit code, peak RSS in MB) of one whole process."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, proc.returncode, usage.ru_maxrss / 1024


def counted(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """``(a)``'s instructions against bare Python's, measured now."""
    from startup import instructions  # bench/startup.py: valgrind's count of one process

    bare = instructions([sys.executable, "-c", "pass"], cwd, env)
    check = instructions(args, cwd, env)
    return (
        f"\n  (a) instructions: {check / 1e6:7.0f}M = {check / bare:5.1f}x bare Python "
        f"({bare / 1e6:.0f}M)"
    )


def median_run(args: list[str], cwd: Path, env: dict[str, str], repeat: int) -> tuple[float, float]:
    runs = [run_cli(args, cwd, env) for _ in range(repeat)]
    for _, code, _ in runs:
        assert code in (0, 1), f"{args}: exit {code}"
    return statistics.median(r[0] for r in runs), max(r[2] for r in runs)


def baseline(url: str, n: int, cap: int) -> tuple[float, str]:
    count = min(n, cap)
    started = time.perf_counter()
    with httpx.Client(base_url=url, timeout=10) as client:
        for i in range(count):
            client.get(f"/schemas/v1/bench.Schema{i:05d}").raise_for_status()
    elapsed = time.perf_counter() - started
    if count == n:
        return elapsed, f"{n} requests"
    return elapsed * n / count, f"timed on {count} requests, scaled to {n}"


def run(
    n: int,
    latency: float,
    concurrency: int,
    repeat: int,
    cap: int,
    only_a: bool,
    callgrind: bool,
) -> None:
    work = Path(tempfile.mkdtemp(prefix="drift-bench-"))
    try:
        registry, project = work / "registry", work / "project"
        project.mkdir()
        (project / "pyproject.toml").write_text(
            f'[tool.drift]\nrepo = "bench"\nconcurrency = {concurrency}\n'
            "[tool.drift.tracks.v2]\nenabled = false\n"
        )
        write_registry(registry, n, generation=0)
        proc, url = start_server(registry, latency)
        env = {
            **os.environ,
            "REGISTRY_URL": url,
            "REGISTRY_TRACK": "v1",
            "DRIFT_CACHE_DIR": str(work / "cache"),  # the ETag kept between runs
        }
        env.pop("CI", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as on a user's machine
        check = [*DRIFT, "check-drift", "--no-report", "-q"]
        try:
            code = run_cli([*DRIFT, "sync-fixtures"], project, env)[1]
            assert code == 0, "initial sync failed"
            base, how = baseline(url, n, cap)
            run_cli(check, project, env)  # the first answer sets the ETag
            a, a_rss = median_run(check, project, env, repeat)
            a_count = counted(check, project, env) if callgrind else ""
            if only_a:
                print(
                    f"N={n:5d}  latency={latency * 1000:.0f} ms  (whole CLI processes, median "
                    f"of {repeat})\n  baseline, one sequential GET per schema: {base:8.3f} s  "
                    f"({how})\n  (a) check, nothing moved:    {a:7.3f} s = {a / latency:6.1f} "
                    f"RTT (target <= {8 if n <= 1000 else 20})  {base / a:7.1f}x faster than "
                    f"baseline  peak {a_rss:5.0f} MB{a_count}"
                )
                return
            write_registry(registry, n, generation=1)
            b, b_rss = median_run(check, project, env, repeat)
            syncs = []
            for _ in range(repeat):
                copy = work / "sync"
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(project, copy)
                syncs.append(run_cli([*DRIFT, "sync-fixtures"], copy, env))
                assert syncs[-1][1] == 0, "sync failed"
            c = statistics.median(s[0] for s in syncs)
            c_rss = max(s[2] for s in syncs)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        trips = math.ceil(n / concurrency)
        target_a = 8 if n <= 1000 else 20
        print(
            f"N={n:5d}  latency={latency * 1000:.0f} ms  concurrency={concurrency}  "
            f"(whole CLI processes, median of {repeat})"
        )
        print(f"  baseline, one sequential GET per schema: {base:8.3f} s  ({how})")
        print(
            f"  (a) check, nothing moved:    {a:7.3f} s = {a / latency:6.1f} RTT "
            f"(target <= {target_a})  {base / a:7.1f}x faster than baseline  peak {a_rss:5.0f} MB"
            + a_count
        )
        print(
            f"  (b) check, everything moved: {b:7.3f} s = {b / latency:6.1f} RTT "
            f"(target <= {2 * trips})  {base / b:7.1f}x faster than baseline  peak {b_rss:5.0f} MB"
            + ("  (target <= 120 MB)" if n >= 10000 else "")
        )
        print(
            f"  (c) sync, everything moved:  {c:7.3f} s = {c / b:6.2f}x the check (target <= 1.5)  "
            f"{base / c:7.1f}x faster than baseline (target >= 8)  peak {c_rss:5.0f} MB"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-cap", type=int, default=1000)
    parser.add_argument(
        "--only", choices=["a"], help="a: only the nothing-moved check (and the baseline)"
    )
    parser.add_argument(
        "--callgrind", action="store_true", help="also count (a)'s instructions (valgrind)"
    )
    args = parser.parse_args()
    for n in args.sizes:
        only_a = args.only == "a"
        run(
            n,
            args.latency,
            args.concurrency,
            args.repeat,
            args.baseline_cap,
            only_a,
            args.callgrind,
        )


if __name__ == "__main__":
    main()

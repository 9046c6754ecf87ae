"""Benchmark: index-first, concurrent ``check-drift`` vs one sequential request per schema.

Runs the project's own registry server in a separate process with simulated
latency (20 ms per response), over a generated registry of N schemas, and
times three things in the same run:

- baseline: the naive check the platform's first script did, one sequential
  ``GET /schemas/v1/{name}`` per schema;
- (a) ``check_drift`` when nothing moved (target: about one round trip);
- (b) ``check_drift`` when every schema moved (target: within 2x of
  ceil(N / concurrency) round trips).

Usage: ``python bench/check_drift.py [--sizes 100 1000] [--latency 0.02]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drift.app import mode_file, open_registry  # noqa: E402
from drift.check import CheckInputs, check_drift  # noqa: E402
from drift.config import load_settings  # noqa: E402
from drift.fixtures import FixtureStore  # noqa: E402
from drift.sync import plan_sync, sync_fixtures  # noqa: E402

TEMPLATE = json.loads((ROOT / "registry" / "v1" / "models.Quote.json").read_text())


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
        "generated_at": "2026-11-26T12:00:00Z",
        "tracks": {"v1": {"count": n, "schemas": entries}, "v2": {"count": 0, "schemas": []}},
    }
    (root / "index.json").write_text(json.dumps(index, indent=2))


def start_server(root: Path, latency: float) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "drift",
            "serve-registry",
            "--root",
            str(root),
            "--port",
            "0",
            "--latency",
            str(latency),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    httpx.get(f"{url}/health", timeout=5).raise_for_status()
    return proc, url


def baseline(url: str, n: int) -> float:
    started = time.perf_counter()
    with httpx.Client(base_url=url, timeout=10) as client:
        for i in range(n):
            client.get(f"/schemas/v1/bench.Schema{i:05d}").raise_for_status()
    return time.perf_counter() - started


def timed_check(project: Path, url: str) -> tuple[float, int, int]:
    settings = load_settings(project, {}, {"registry_url": url, "tracks": ["v1"]})
    source = open_registry(settings)
    assert source is not None
    inputs = CheckInputs(
        FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys),
        source,
        mode_file(settings).read(),
    )
    started = time.perf_counter()
    report = check_drift(settings, inputs)
    elapsed = time.perf_counter() - started
    source.close()
    drifted = sum(1 for _ in report.drifted())
    return elapsed, source.requests_made, drifted


REPEAT = 3


def best_of(times: int, project: Path, url: str) -> tuple[float, int, int]:
    """The median of ``times`` runs (the machine may be busy with something else)."""
    runs = sorted(timed_check(project, url) for _ in range(times))
    return runs[len(runs) // 2]


def run(n: int, latency: float, concurrency: int) -> None:
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
        try:
            settings = load_settings(project, {}, {"registry_url": url, "tracks": ["v1"]})
            source = open_registry(settings)
            assert source is not None
            store = FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys)
            sync_fixtures(store, plan_sync(settings, source, store))
            source.close()

            base = baseline(url, n)
            a, a_requests, _ = best_of(REPEAT, project, url)
            write_registry(registry, n, generation=1)
            b, b_requests, b_drift = best_of(REPEAT, project, url)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        trips = math.ceil(n / concurrency)
        print(
            f"N={n:5d}  latency={latency * 1000:.0f} ms  concurrency={concurrency}  "
            f"(check: median of {REPEAT} runs)"
        )
        print(f"  baseline, one sequential request per schema: {base:7.3f} s  ({n} requests)")
        print(
            f"  (a) nothing moved:    {a:7.3f} s  {a_requests:5d} request(s)  "
            f"{base / a:7.1f}x faster than baseline  = {a / latency:5.1f} round trips (target ~1)"
        )
        print(
            f"  (b) everything moved: {b:7.3f} s  {b_requests:5d} request(s)  "
            f"{base / b:7.1f}x faster than baseline  = {b / latency:5.1f} round trips "
            f"(ideal {trips + 1}, target <= {2 * (trips + 1)}); {b_drift} drifted"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    for n in args.sizes:
        run(n, args.latency, args.concurrency)


if __name__ == "__main__":
    main()

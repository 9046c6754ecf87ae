"""Benchmark: redacting a check's report, in place vs the dict round trip it replaced.

A report of N drifted schemas (a diff, three changes and a counterexample each), a
registry token remembered. Both ways are timed in the same run (CPU time, median of
``--passes``): ``redact_fields(report)`` (what ``app.check_once`` does) and
``Report.from_dict(redact_data(report.to_dict()))`` (what it did). Each output is
checked first: the same report, and neither holds the token it was given.

Usage: ``python bench/redaction.py [--sizes 1000 10000] [--passes 5]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drift.redaction import redact_data, redact_fields, remember  # noqa: E402
from drift.report import Change, Counterexample, Report, SchemaResult, Status, TrackResult  # noqa: E402

TOKEN = "tok-bench-7e3Q9zXw"


def build(n: int, leak: int) -> Report:
    """N drifted schemas; every ``leak``-th one carries the token in its message."""
    diff = "\n".join(f'+    "added_{i}": {{"type": "integer"}},' for i in range(10))
    change = Change("/properties/added_0", "property-added", "optional property added", False, True)
    schemas = tuple(
        SchemaResult(
            f"bench.Schema{i:05d}",
            "v1",
            Status.DRIFTED,
            *("0123abcd" * 8,) * 3,
            registry_tag="f" * 64,
            core_version="1.2.8",
            verdict="breaking",
            changes=(change,) * 3,
            counterexample=Counterexample("forward", {"symbol": "AAPL", "added_0": 0}),
            diff=diff,
            message=f"GET failed: token {TOKEN}" if i % leak == 0 else "",
        )
        for i in range(n)
    )
    return Report(
        "bench",
        "http://127.0.0.1:8080/",
        "2026-12-02T00:00:00Z",
        "0",
        tracks=(TrackResult("v1", "warn", schemas=schemas),),
    )


def cpu(func: Callable[[], Any], passes: int) -> float:
    runs = []
    for _ in range(passes):
        started = time.process_time()
        func()
        runs.append(time.process_time() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    remember(TOKEN)
    for n in args.sizes:
        report = build(n, leak=100)
        old = Report.from_dict(redact_data(report.to_dict()))
        new = redact_fields(report)
        assert new.to_dict() == old.to_dict(), "the two ways disagree"
        assert TOKEN not in repr(new.to_dict())
        before = cpu(lambda r=report: Report.from_dict(redact_data(r.to_dict())), args.passes)
        after = cpu(lambda r=report: redact_fields(r), args.passes)
        print(
            f"N={n:6d}: redact_fields {after * 1e3:7.1f} ms  dict round trip {before * 1e3:7.1f} ms"
            f"  = {before / after:5.1f}x faster"
        )


if __name__ == "__main__":
    main()

"""Speed of ``drift.compat`` on the registry snapshot and on the check benchmark's change.

Run: ``python bench/compat.py [--against REV] [--instructions]`` (from the repository root).

1. ``compare`` per snapshot pair (v1 vs v2 of every schema, counterexamples on),
   mean and max; for the largest pair, ratios against fixed references measured
   in the same run (``json.dumps``, ``canonical_hash``, one prepared jsonschema
   validation).
2. ``judge`` cost per schema, as ``drift check-drift`` pays it for each moved
   schema (both documents parsed fresh), on two workloads: ``bench`` (the change
   bench/check_drift.py publishes: the Quote template with one optional integer
   property added) and ``registry`` (every snapshot pair, mean per pair), each
   timed in fresh child processes (a long-lived one drifts with its heap), with
   its ratio against a fixed reference timed in the same child: building a
   jsonschema validator for the new document and validating one instance.
3. ``--against REV``: the same for the code of git revision REV (``git archive``
   into a temporary directory; its children take turns with this tree's), and
   the ratio REV / this tree of the reference-relative costs.
4. ``--instructions``: instructions per judge from ``valgrind --tool=callgrind``
   (repeatable on a busy machine: a run of K loops minus a run of none), for
   this tree and for REV when given.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if not os.environ.get("DRIFT_BENCH_CODE"):  # a child measuring another revision
    sys.path.insert(0, str(ROOT))

REGISTRY = ROOT / "registry"
REPEAT = 7
LOOPS = {"bench": 40, "registry": 4}
"""Loops per callgrind run (one loop judges every pair of the workload once)."""

INSTANCE = {
    "underlying_symbol": "AAPL",
    "underlying_price": 187.5,
    "delayed": False,
    "contracts": [
        {
            "symbol": "AAPL",
            "expiry": "2026-12-18T00:00:00Z",
            "strike": 190,
            "option_type": "C",
            "bid": 4.1,
            "ask": 4.3,
            "delta": 0.48,
            "volume": 1200,
            "open_interest": 5400,
        }
    ],
}


def per_call(func: Callable[[], Any], budget: float = 0.2) -> float:
    """Best-of-``REPEAT`` seconds per call, looping long enough to be measurable."""
    loops = 1
    while timeit.timeit(func, number=loops) < budget / 10:
        loops *= 2
    return min(timeit.repeat(func, number=loops, repeat=REPEAT)) / loops


def load(track: str, name: str) -> Any:
    return json.loads((REGISTRY / track / f"{name}.json").read_text(encoding="utf-8"))


def snapshot_names() -> list[str]:
    return sorted(
        p.stem for p in (REGISTRY / "v1").glob("*.json") if (REGISTRY / "v2" / p.name).exists()
    )


def moved(added: int) -> str:
    """A document as bench/check_drift.py writes it (``added`` optional integers added)."""
    template = json.loads((REGISTRY / "v1" / "models.Quote.json").read_text(encoding="utf-8"))
    content = dict(template, **{"$schema_id": "models.S00001"})
    content["properties"] = dict(template["properties"])
    for g in range(added):
        content["properties"][f"added_{g}"] = {"type": "integer"}
    return json.dumps(content, indent=2, sort_keys=True) + "\n"


def workload(name: str) -> list[tuple[str, str]]:
    """(old, new) document texts of a ``judge`` workload."""
    if name == "bench":
        return [(moved(0), moved(1))]
    return [
        ((REGISTRY / "v1" / f"{n}.json").read_text(), (REGISTRY / "v2" / f"{n}.json").read_text())
        for n in snapshot_names()
    ]


def judge_loop(name: str) -> Callable[[], None]:
    """One pass of ``judge`` over the workload, documents parsed fresh (as the check does)."""
    from drift.compat import judge

    texts = workload(name)

    def run() -> None:
        for old, new in texts:
            judge(json.loads(old), json.loads(new), "both")

    return run


def reference_loop(name: str) -> Callable[[], None]:
    """The fixed reference: a jsonschema validator per new document, checking one instance."""
    from jsonschema import Draft202012Validator

    texts = workload(name)

    def run() -> None:
        for _old, new in texts:
            Draft202012Validator(json.loads(new)).is_valid({"symbol": "a", "added_0": None})

    return run


def snapshot_table() -> None:
    from jsonschema import Draft202012Validator

    from drift.canonical import canonical_hash
    from drift.compat import compare

    rows = []
    for name in snapshot_names():
        old, new = load("v1", name), load("v2", name)
        size = len(json.dumps(old)) + len(json.dumps(new))
        seconds = per_call(lambda old=old, new=new: compare(old, new), budget=0.05)
        result = compare(old, new)
        proof = "counterexample" if result.counterexample("full") is not None else ""
        rows.append((size, name, seconds, f"{result.verdict('full')} {proof}".strip()))
    print(f"{'schema':<34} {'bytes':>7} {'compare':>11}  verdict (full)")
    for size, name, seconds, verdict in sorted(rows, key=lambda r: -r[0]):
        print(f"{name:<34} {size:>7} {seconds * 1e6:>9.1f}us  {verdict}")
    total = sum(r[2] for r in rows)
    slowest = max(rows, key=lambda r: r[2])
    print(
        f"{len(rows)} pairs (counterexamples on): {total * 1e3:.2f} ms in total, "
        f"mean {total / len(rows) * 1e6:.1f} us, max {slowest[2] * 1e6:.1f} us ({slowest[1]}) "
        "per pair; goal: under 1 ms"
    )
    size, name, seconds, _ = max(rows)
    old, new = load("v1", name), load("v2", name)
    validator = Draft202012Validator(new)
    assert validator.is_valid(INSTANCE) or name != "models.OptionChain"
    baselines = {
        "json.dumps of the pair": lambda: (json.dumps(old), json.dumps(new)),
        "canonical_hash of the pair": lambda: (canonical_hash(old), canonical_hash(new)),
        "jsonschema: validate one instance": lambda: validator.is_valid(INSTANCE),
    }
    print(f"\nlargest pair: {name} ({size} bytes), compare = {seconds * 1e6:.1f} us")
    for label, func in baselines.items():
        base = per_call(func)
        print(f"  vs {label:<36} {base * 1e6:>8.1f} us   ratio {seconds / base:5.2f}x")


def child(code: Path, *args: str, prefix: tuple[str, ...] = ()) -> str:
    """Output of this script run on another tree's ``drift`` (``code``) or this one's."""
    env = dict(os.environ)
    if str(code) != str(ROOT):
        env["DRIFT_BENCH_CODE"] = str(code)
        env["PYTHONPATH"] = str(code)
    command = [*prefix, sys.executable, str(Path(__file__).resolve()), *args]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout + done.stderr


def instructions(code: Path, name: str) -> int:
    """Instructions per judge of ``name`` (callgrind: LOOPS loops minus none)."""
    prefix = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")
    counts = []
    for loops in (0, LOOPS[name]):
        text = child(code, "--loop", name, str(loops), prefix=prefix)
        counts.append(int(re.findall(r"Collected : (\d+)", text)[-1]))
    return (counts[1] - counts[0]) // (LOOPS[name] * len(workload(name)))


def judge_times(name: str) -> tuple[float, float]:
    """(judge, reference) seconds per schema of workload ``name``, in this process."""
    pairs = len(workload(name))
    return per_call(judge_loop(name)) / pairs, per_call(reference_loop(name)) / pairs


def old_tree(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", rev, "drift"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="also measure git revision REV")
    parser.add_argument("--instructions", action="store_true", help="callgrind counts too")
    parser.add_argument("--loop", nargs=2, metavar=("WORKLOAD", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--times", metavar="WORKLOAD", help=argparse.SUPPRESS)
    args = parser.parse_args()
    code = os.environ.get("DRIFT_BENCH_CODE")
    if code:  # make sure the child measures the other revision, not this tree
        import drift

        assert Path(drift.__file__).resolve().is_relative_to(Path(code).resolve()), drift.__file__
    if args.loop:  # a callgrind child: one warm-up (imports, caches), then N judge loops
        run = judge_loop(args.loop[0])
        for _ in range(1 + int(args.loop[1])):
            run()
        return 0
    if args.times:  # a child timing another revision
        print(*judge_times(args.times))
        return 0
    snapshot_table()
    with tempfile.TemporaryDirectory() as tmp:
        other = old_tree(args.against, Path(tmp)) if args.against else None
        trees = [ROOT] if other is None else [ROOT, other]
        print("\njudge per schema, best of 3 fresh processes per tree, turns alternating")
        print("(reference: a jsonschema validator built for the new document, one instance)")
        for name in LOOPS:
            best = {tree: (float("inf"), float("inf")) for tree in trees}
            for _ in range(3):
                for tree in trees:
                    judged, ref = map(float, child(tree, "--times", name).split())
                    best[tree] = (min(best[tree][0], judged), min(best[tree][1], ref))
            mine, ref = best[ROOT]
            line = f"  {name:<9} {mine * 1e6:8.1f} us = {mine / ref:5.2f}x reference"
            if other is not None:
                theirs, their_ref = best[other]
                line += (
                    f" | {args.against}: {theirs * 1e6:8.1f} us = {theirs / their_ref:5.2f}x"
                    f" reference; {args.against} / this = {(theirs / their_ref) / (mine / ref):.2f}"
                )
            print(line)
        if args.instructions:
            print("\ninstructions per judge (callgrind)")
            for name in LOOPS:
                mine_i = instructions(ROOT, name)
                line = f"  {name:<9} {mine_i:>12,}"
                if other is not None:
                    theirs_i = instructions(other, name)
                    line += f" | {args.against}: {theirs_i:>12,}; ratio {theirs_i / mine_i:.2f}x"
                print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

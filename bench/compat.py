"""Speed of ``drift.compat.compare`` on the registry snapshot (v1 vs v2 of every schema).

Run: ``python bench/compat.py`` (from the repository root). Prints the time per
pair (counterexamples included: every breaking verdict is proven), the mean and
the max, and, for the largest pair, ratios against baselines measured in the same
run: serialising the pair (``json.dumps``), hashing it (``canonical_hash``) and
validating one instance with a prepared jsonschema validator.
"""

from __future__ import annotations

import json
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jsonschema import Draft202012Validator  # noqa: E402

from drift.canonical import canonical_hash  # noqa: E402
from drift.compat import compare  # noqa: E402

REGISTRY = ROOT / "registry"
REPEAT = 7

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


def main() -> int:
    names = sorted(
        p.stem for p in (REGISTRY / "v1").glob("*.json") if (REGISTRY / "v2" / p.name).exists()
    )
    rows = []
    for name in names:
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: ``canonical_hash`` vs SHA-256 of the reference JCS library (:mod:`rfc8785`).

Three document sets, each timed in the same run (median of 7 passes, µs per
document): the 77 schemas bundled in ``registry/``, the same schemas with every
integer spelt as a float (the ES6 respelling path) and with non-BMP keys (the
UTF-16 ordering path). Every output is checked byte-identical first.
Target: at least 10x faster than the reference on the bundled schemas.

Usage: ``python bench/canonical.py [--passes 7]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rfc8785

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drift.canonical import canonical_bytes, canonical_hash  # noqa: E402


def _floats(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value + 0.5
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_floats(v) for v in value]
    return value


def _astral(value: Any) -> Any:
    if isinstance(value, dict):
        return {k + "\U0001f600": _astral(v) for k, v in value.items()} | {"\uff01": 1}
    if isinstance(value, list):
        return [_astral(v) for v in value]
    return value


def reference_hash(document: Any) -> str:
    return hashlib.sha256(rfc8785.dumps(document)).hexdigest()


def per_document(fn: Callable[[Any], object], docs: list[Any]) -> float:
    """CPU µs per document (process time: other load on the machine does not count)."""
    started = time.process_time()
    for _ in range(LOOPS):
        for doc in docs:
            fn(doc)
    return (time.process_time() - started) / len(docs) / LOOPS * 1e6


LOOPS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=7)
    args = parser.parse_args()
    bundled = [json.loads(p.read_text()) for p in sorted((ROOT / "registry").glob("v*/*.json"))]
    sets = {
        "bundled schemas": bundled,
        "integers spelt as floats": [_floats(d) for d in bundled],
        "non-BMP keys": [_astral(d) for d in bundled],
    }
    for label, docs in sets.items():
        for doc in docs:
            assert canonical_bytes(doc) == rfc8785.dumps(doc), label
        # Interleaved passes; the median of each side.
        runs = [
            (per_document(canonical_hash, docs), per_document(reference_hash, docs))
            for _ in range(args.passes)
        ]
        ours = statistics.median(r[0] for r in runs)
        ref = statistics.median(r[1] for r in runs)
        print(
            f"{label:26} ({len(docs)} docs): canonical_hash {ours:7.1f} µs  "
            f"rfc8785 {ref:7.1f} µs  = {ref / ours:5.1f}x faster (target >= 10x)"
        )


if __name__ == "__main__":
    main()

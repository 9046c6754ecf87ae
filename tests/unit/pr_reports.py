"""Reports built by the real engine and semantic diff, for the pull-request reporters.

v1 ``models.Quote`` (the bundled fixture, copied into a temporary fixtures
directory) against a registry version with a new required ``exchange`` property:
a breaking change for a producer.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from drift import compat
from drift.canonical import DEFAULT_ANNOTATION_KEYS, canonical_hash, structural_hash
from drift.engine import LocalState, Locked, RegistryView, enforce, evaluate_track
from drift.fixtures import FixtureStore
from drift.model import IndexEntry, RegistrySchema
from drift.report import Judgement, Report, TrackResult

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "fixtures"


def bundled(track: str, name: str) -> Any:
    return json.loads((BUNDLED / track / f"{name}.json").read_text(encoding="utf-8"))


def with_required(content: Any, field: str) -> Any:
    new = json.loads(json.dumps(content))
    new.setdefault("properties", {})[field] = {"type": "string"}
    new.setdefault("required", []).append(field)
    return new


def classify(old: Any, new: Any) -> Judgement:
    return compat.judge(old, new, "producer", DEFAULT_ANNOTATION_KEYS)


def make_store(tmp_path: Path, names: tuple[str, ...] = ("models.Quote",)) -> FixtureStore:
    (tmp_path / "fixtures" / "v1").mkdir(parents=True)
    for name in names:
        shutil.copyfile(
            BUNDLED / "v1" / f"{name}.json", tmp_path / "fixtures" / "v1" / f"{name}.json"
        )
    return FixtureStore(tmp_path / "fixtures")


def track_of(mode: str, registry: dict[str, Any], old: dict[str, Any]) -> TrackResult:
    """``old`` is what the fixtures and the lock hold, ``registry`` what it serves now."""
    local = {n: LocalState(n, c, canonical_hash(c), structural_hash(c)) for n, c in old.items()}
    locked = {
        n: Locked(canonical_hash(c), structural_hash(c), f"tag-{n}-1", "1.2.8", "2026-11-01")
        for n, c in old.items()
    }
    index = {n: IndexEntry(n, f"tag-{n}-2", "1.2.9") for n in registry}
    fetched = {n: RegistrySchema(n, "v1", "1.2.9", f"tag-{n}-2", c) for n, c in registry.items()}
    results = evaluate_track(
        "v1", local, locked, RegistryView(True, None, index, fetched, {}),
        selected=lambda _n: True, annotation_keys=DEFAULT_ANNOTATION_KEYS, classify=classify,
    )  # fmt: skip
    return TrackResult("v1", mode, mode_source="flag", schemas=results)


def breaking_report(mode: str = "strict", fail_on: str = "drift") -> Report:
    quote = bundled("v1", "models.Quote")
    track = track_of(
        mode, {"models.Quote": with_required(quote, "exchange")}, {"models.Quote": quote}
    )
    code, failures = enforce((track,), fail_on, registry_enabled=True, fail_open=True)
    return Report(
        repo="svc", registry="registry", generated_at="2026-12-01T12:00:00Z",
        tool_version="0.1.0", fail_on=fail_on, tracks=(track,), exit_code=code,
        failures=failures,
    )  # fmt: skip

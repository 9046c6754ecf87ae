"""``check-drift --transitive``: a breaking intermediate version is not hidden by a latest one."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from drift.cli import main
from drift.model import SchemaVersion
from drift.transitive import between

REPO = Path(__file__).resolve().parents[2]
NAME = "models.Quote"


def _dump(content: Any) -> bytes:
    return (json.dumps(content, indent=2, sort_keys=True) + "\n").encode()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Fixture at 1.2.8; registry history 1.2.8 -> 1.2.9 (drops `bid`) -> 1.3.0 (adds `venue`)."""
    registry = tmp_path / "registry"
    shutil.copytree(REPO / "registry", registry)
    shutil.copytree(
        REPO / "fixtures", tmp_path / "fixtures", ignore=shutil.ignore_patterns("payloads")
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.drift]\nrepo = "t"\nregistry_url = "registry"\n'
        "[tool.drift.tracks.v2]\nenabled = false\n"
    )
    base = json.loads((registry / "v1" / f"{NAME}.json").read_text())
    middle = json.loads(json.dumps(base))
    middle["$core_version"] = "1.2.9"
    middle["properties"]["bid"] = {"type": "string"}  # narrower than before: breaks backward
    latest = json.loads(json.dumps(base))
    latest["$core_version"] = "1.3.0"
    latest["properties"]["venue"] = True  # accepts anything: backward compatible
    (registry / "v1" / f"{NAME}@1.2.9.json").write_bytes(_dump(middle))
    (registry / "v1" / f"{NAME}.json").write_bytes(_dump(latest))
    history = [
        {
            "core_version": v,
            "sha256": hashlib.sha256(_dump(c)).hexdigest(),
            "created_at": f"2026-11-{d}T00:00:00Z",
            "deprecated": False,
        }
        for v, c, d in (("1.2.8", base, "01"), ("1.2.9", middle, "10"), ("1.3.0", latest, "20"))
    ]
    (registry / "v1" / f"{NAME}.versions.json").write_text(json.dumps(history))
    index = json.loads((registry / "index.json").read_text())
    for entry in index["tracks"]["v1"]["schemas"]:
        if entry["name"] == NAME:
            entry["sha256"] = history[-1]["sha256"]
            entry["latest_core_version"] = "1.3.0"
    (registry / "index.json").write_text(json.dumps(index))
    return tmp_path


def _quote(project: Path, *flags: str) -> dict[str, Any]:
    report = project / "r.json"
    code = main(["check-drift", "-C", str(project), "--report", str(report), "-q", *flags])
    assert code == 0
    results = json.loads(report.read_text())["tracks"][0]["schemas"]
    return next(r for r in results if r["name"] == NAME)


def test_latest_only_is_compatible(project: Path) -> None:
    quote = _quote(project)
    assert quote["status"] == "drifted"
    assert quote["verdict"] == "compatible"


def test_transitive_finds_the_breaking_intermediate_version(project: Path) -> None:
    quote = _quote(project, "--transitive")
    assert quote["verdict"] == "breaking"
    assert any(
        c["message"].startswith("[1.2.9]") and c["breaks_backward"] for c in quote["changes"]
    )
    assert "1 intermediate version" in quote["message"]


def test_transitive_fails_strict_with_fail_on_breaking(project: Path) -> None:
    args = [
        "check-drift",
        "-C",
        str(project),
        "--no-report",
        "-q",
        "--mode",
        "strict",
        "--fail-on",
        "breaking",
    ]
    assert main(args) == 0
    assert main([*args, "--transitive"]) == 1


def test_between_lists_versions_after_the_locked_one() -> None:
    history = [SchemaVersion(v, "0" * 64, "2026-11-01T00:00:00Z") for v in ("1", "2", "3", "4")]
    assert between(history, "2", "4") == ["3"]
    assert between(history, "unknown", "4") == ["1", "2", "3"]
    assert between(history, "4", "4") == []

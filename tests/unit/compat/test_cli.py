"""``run_diff``: files in, one line per change out, exit status by mode."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from drift.compat import run_diff
from drift.errors import ConfigError, FixtureError

OLD = {"type": "object", "properties": {"a": {"type": "integer"}}, "title": "Old"}
NEW = {"type": "object", "properties": {"a": {"type": "number"}}, "title": "New"}


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "old.json", OLD), write(tmp_path, "new.json", NEW)


@pytest.mark.parametrize(("mode", "status"), [("backward", 0), ("forward", 1), ("full", 1)])
def test_exit_status_follows_the_mode(files: tuple[Path, Path], mode: str, status: int) -> None:
    out = io.StringIO()
    assert run_diff(files[0], files[1], mode, "text", out) == status
    text = out.getvalue()
    assert f"verdict ({mode}):" in text
    assert "/properties/a/type" in text
    assert "type-widened" in text
    assert str(files[0]) in text
    assert str(files[1]) in text


def test_json_format(files: tuple[Path, Path]) -> None:
    out = io.StringIO()
    assert run_diff(str(files[0]), str(files[1]), "full", "json", out) == 1
    data = json.loads(out.getvalue())
    assert data["verdict"] == "breaking"
    assert data["compatible"] is False
    assert data["old"] == str(files[0])
    assert {c["kind"] for c in data["changes"]} == {"annotation", "type-widened"}


def test_identical_files_exit_zero(tmp_path: Path) -> None:
    a, b = write(tmp_path, "a.json", OLD), write(tmp_path, "b.json", OLD)
    out = io.StringIO()
    assert run_diff(a, b, "full", "text", out) == 0
    assert "no changes" in out.getvalue()


def test_missing_file_names_it(tmp_path: Path, files: tuple[Path, Path]) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(FixtureError, match=r"nope\.json: cannot read"):
        run_diff(missing, files[1], "backward", "text", io.StringIO())


def test_invalid_json_names_the_file(tmp_path: Path, files: tuple[Path, Path]) -> None:
    bad = write(tmp_path, "bad.json", "{not json")
    with pytest.raises(FixtureError, match=r"bad\.json: invalid JSON at line 1"):
        run_diff(files[0], bad, "backward", "text", io.StringIO())


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"maximum": NaN}', "NaN is not valid JSON"),
        ('{"type": "object", "type": "string"}', "duplicate key 'type'"),
    ],
)
def test_json_that_fixtures_reject_is_rejected(
    tmp_path: Path, files: tuple[Path, Path], content: str, reason: str
) -> None:
    """``drift diff`` reads schemas as fixtures are read: no NaN, no duplicate keys."""
    bad = write(tmp_path, "loose.json", content)
    with pytest.raises(FixtureError, match=rf"loose\.json: invalid JSON: {reason}"):
        run_diff(files[0], bad, "backward", "text", io.StringIO())


@pytest.mark.parametrize("content", ["[1, 2]", "42", '"string"'])
def test_non_schema_json_names_the_file(
    tmp_path: Path, files: tuple[Path, Path], content: str
) -> None:
    bad = write(tmp_path, "list.json", content)
    with pytest.raises(FixtureError, match=r"list\.json: not a JSON Schema"):
        run_diff(bad, files[1], "backward", "text", io.StringIO())


def test_invalid_schema_names_the_file_and_the_place(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    bad = write(tmp_path, "invalid.json", {"properties": {"a": {"type": 5}}})
    with pytest.raises(
        FixtureError,
        match=r"invalid.json: not a valid JSON Schema at properties/a/type",
    ):
        run_diff(files[0], bad, "backward", "text", io.StringIO())


def test_boolean_schemas_are_schemas(tmp_path: Path) -> None:
    a, b = write(tmp_path, "t.json", "true"), write(tmp_path, "f.json", "false")
    assert run_diff(a, b, "forward", "text", io.StringIO()) == 0
    assert run_diff(a, b, "backward", "text", io.StringIO()) == 1


@pytest.mark.parametrize(
    ("mode", "fmt", "word"), [("sideways", "text", "--mode"), ("full", "yaml", "--format")]
)
def test_bad_mode_or_format(files: tuple[Path, Path], mode: str, fmt: str, word: str) -> None:
    with pytest.raises(ConfigError, match=word):
        run_diff(files[0], files[1], mode, fmt, io.StringIO())


def test_registry_snapshot_pair() -> None:
    root = Path(__file__).resolve().parents[3] / "registry"
    out = io.StringIO()
    status = run_diff(
        root / "v1" / "models.Quote.json", root / "v2" / "models.Quote.json", "forward", "text", out
    )
    assert status == 0
    assert "/properties/bid_size" in out.getvalue()


@pytest.mark.parametrize(("policy", "status"), [("strict", 1), ("lenient", 0)])
def test_policy_decides_the_bundled_quote(policy: str, status: int) -> None:
    """v1 -> v2 models.Quote adds optional properties to an open object."""
    root = Path(__file__).resolve().parents[3] / "registry"
    out = io.StringIO()
    old, new = root / "v1" / "models.Quote.json", root / "v2" / "models.Quote.json"
    assert run_diff(old, new, "backward", "json", out, policy=policy) == status  # type: ignore[arg-type]
    data = json.loads(out.getvalue())
    assert data["policy"] == policy
    assert (data["counterexample"] is None) == (policy == "lenient")

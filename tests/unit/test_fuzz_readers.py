"""Property-based fuzzing of every reader of untrusted input (bounded in examples and time).

Registry wire parser, lock reader, config reader, mode file, report reader:
whatever the bytes, the answer is a result or a clear :class:`DriftError`,
never another exception and never a hang. Inputs are random JSON/TOML/text
and random mutations (byte flips, cuts, splices, deep nesting) of valid
documents, so the fuzzer reaches past the first syntax check.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drift.config import load_settings
from drift.errors import DriftError
from drift.lockfile import parse_lock
from drift.modes import ModeFile
from drift.reporters import read_json
from drift.sources.wire import parse_index, parse_schema, parse_versions

REPO = Path(__file__).resolve().parents[2]
LOCK = (REPO / "fixtures" / "lock.toml").read_text(encoding="utf-8")[:4000]
INDEX = json.loads((REPO / "registry" / "index.json").read_text(encoding="utf-8"))
PYPROJECT = """[tool.drift]
repo = "svc"
registry_url = "http://registry.test/api"
fixtures_dir = "fixtures"
mode = "strict"
timeout = 2
deadline = 10
retries = 1
annotation_keys = ["title"]

[tool.drift.tracks.v1]
schemas = ["models.*"]
exclude = ["models.Old"]
required = true
role = "consumer"
max_stale = "7d"

[tool.drift.tracks.v2]
enabled = false
"""
MODES = '[modes]\nv1 = "strict"\nv2 = "warn"\n'
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
pytestmark = pytest.mark.timeout(120)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few random cuts, insertions, flips or a deep-nesting splice."""
    out = text
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(out)))
        op = draw(st.sampled_from(["cut", "insert", "flip", "nest", "deep-value", "truncate"]))
        if op == "cut":
            out = out[:at] + out[at + draw(st.integers(1, 40)) :]
        elif op == "insert":
            out = out[:at] + draw(st.text(max_size=12)) + out[at:]
        elif op == "flip" and at < len(out):
            out = (
                out[:at]
                + chr((ord(out[at]) + draw(st.integers(1, 255))) % 0x10FFFF)
                + out[at + 1 :]
            )
        elif op == "deep-value" and "=" in out:  # deep nesting where a value goes
            at = out.find("=", at) if "=" in out[at:] else out.find("=")
            depth = draw(st.sampled_from([300, 5000]))
            bracket = draw(st.sampled_from(["[]", "{}"]))
            nested = (
                "{a=" * depth + "1" + "}" * depth if bracket == "{}" else "[" * depth + "]" * depth
            )
            out = out[: at + 1] + " " + nested + "\n" + out[at + 1 :]
        elif op == "nest":
            depth = draw(st.sampled_from([10, 300, 5000]))
            out = out[:at] + "[" * depth + "]" * depth + out[at:]
        else:
            out = out[:at]
    return out


def _json_doc_mutations(doc: Any) -> st.SearchStrategy[Any]:
    """Valid-shaped documents with one field swapped for a random JSON value."""

    def swap(value: Any, path: list[Any]) -> Any:
        if not path:
            return value
        head, *rest = path
        copy = json.loads(json.dumps(doc))
        node = copy
        for key in [head, *rest][:-1]:
            node = node[key]
        node[([head, *rest])[-1]] = value
        return copy

    paths: list[list[Any]] = []

    def walk(node: Any, path: list[Any]) -> None:
        if len(paths) > 200:
            return
        if isinstance(node, dict):
            for key, child in node.items():
                paths.append([*path, key])
                walk(child, [*path, key])
        elif isinstance(node, list):
            for i, child in enumerate(node[:3]):
                paths.append([*path, i])
                walk(child, [*path, i])

    walk(doc, [])
    return st.builds(swap, json_values, st.sampled_from(paths))


def _clear(call: Any) -> None:
    """Run ``call``: a result or a DriftError are fine; anything else fails the test."""
    with contextlib.suppress(DriftError):
        call()


@FUZZ
@given(st.one_of(json_values, _json_doc_mutations(INDEX)))
def test_wire_parsers(doc: Any) -> None:
    _clear(lambda: parse_index(doc, "index"))
    _clear(lambda: parse_schema(doc, "schema", track="v1", name="models.Quote"))
    _clear(lambda: parse_versions(doc, "versions"))


@FUZZ
@given(st.one_of(st.text(max_size=300), mutated(LOCK)))
def test_lock_reader(text: str) -> None:
    _clear(lambda: parse_lock(text, source="lock.toml"))


@FUZZ
@given(st.one_of(st.text(max_size=300), mutated(PYPROJECT)), st.binary(max_size=3))
def test_config_reader(tmp_path: Path, text: str, junk: bytes) -> None:
    (tmp_path / "pyproject.toml").write_bytes(text.encode("utf-8", "surrogatepass") + junk)
    _clear(lambda: load_settings(tmp_path, {}))


@FUZZ
@given(st.one_of(st.text(max_size=200), mutated(MODES)), st.binary(max_size=3))
def test_mode_file(tmp_path: Path, text: str, junk: bytes) -> None:
    path = tmp_path / ".drift-mode.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass") + junk)
    _clear(ModeFile(path).read)


def _report_text() -> str:
    from drift.model import Status
    from drift.report import Report, SchemaResult, TrackResult
    from drift.reporters import render_json

    track = TrackResult("v1", "warn", schemas=(SchemaResult("models.Quote", "v1", Status.DRIFTED),))
    report = Report("svc", "r", "2026-12-01T00:00:00Z", "0.1.0", tracks=(track,))
    return render_json(report)


@FUZZ
@given(st.data())
def test_report_reader(tmp_path: Path, data: st.DataObject) -> None:
    text = data.draw(st.one_of(st.text(max_size=200), mutated(_report_text())))
    path = tmp_path / "drift_report.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _clear(lambda: read_json(path))

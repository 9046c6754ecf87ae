"""The drift pytest plugin, exercised in throw-away pytest runs (pytester)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]

Run = Callable[..., pytest.RunResult]

PRICE = {"type": "number", "minimum": 0}
QUOTE_V1 = {
    "type": "object",
    "properties": {
        "symbol": {"type": "string"},
        "bid": {"$ref": "models.Price.json"},
        "ask": {"$ref": "models.Price"},
        "timestamp": {"type": "string", "format": "date-time"},
    },
    "required": ["symbol"],
}
QUOTE_V2 = {
    "type": "object",
    "properties": {"symbol": {"type": "string"}, "bid_size": {"type": "integer"}},
    "required": ["symbol", "bid_size"],
}


def write_schemas(root: Path, track: str, schemas: dict[str, Any]) -> None:
    track_dir = root / track
    track_dir.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        (track_dir / f"{name}.json").write_text(json.dumps(schema), encoding="utf-8")


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run pytest in ``pytester.path`` with only the drift plugin loaded (installed or not)."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    for var in ("SCHEMA_TRACK", "REGISTRY_ENFORCEMENT", "DRIFT_SCHEMA_SOURCE"):
        monkeypatch.delenv(var, raising=False)
    write_schemas(
        pytester.path / "fixtures", "v1", {"models.Price": PRICE, "models.Quote": QUOTE_V1}
    )
    write_schemas(pytester.path / "fixtures", "v2", {"models.Quote": QUOTE_V2})

    def _run(*args: str) -> pytest.RunResult:
        return pytester.runpytest("-p", "drift.pytest_plugin", "-p", "no:cacheprovider", *args)

    return _run


TRACK_TEST = """
def test_track(schema_track, contract_schemas):
    print("TRACK=" + schema_track, "NAMES=" + ",".join(sorted(contract_schemas)))
"""


def test_track_defaults_to_v1(pytester: pytest.Pytester, run: Run) -> None:
    pytester.makepyfile(TRACK_TEST)
    result = run("-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*TRACK=v1 NAMES=models.Price,models.Quote*"])


def test_option_selects_the_track(pytester: pytest.Pytester, run: Run) -> None:
    pytester.makepyfile(TRACK_TEST)
    result = run("-s", "--schema-track", "v2")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*TRACK=v2 NAMES=models.Quote*"])


def test_env_sets_the_default_and_the_option_wins(
    pytester: pytest.Pytester, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(TRACK_TEST)
    monkeypatch.setenv("SCHEMA_TRACK", "v2")
    run("-s").stdout.fnmatch_lines(["*TRACK=v2*"])
    run("-s", "--schema-track=v1").stdout.fnmatch_lines(["*TRACK=v1*"])


@pytest.mark.parametrize("source", ["option", "env"])
def test_invalid_track_is_a_usage_error_naming_the_value(
    pytester: pytest.Pytester, run: Run, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    pytester.makepyfile(TRACK_TEST)
    if source == "env":
        monkeypatch.setenv("SCHEMA_TRACK", "v9")
        result = run()
    else:
        result = run("--schema-track", "v9")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*invalid schema track 'v9'*v1, v2*"])


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "REGISTRY_ENFORCEMENT",
            "STRICT",
            "*REGISTRY_ENFORCEMENT: 'STRICT' is not one of warn, strict*",
        ),
        ("REGISTRY_TRACK", "v7", "*REGISTRY_TRACK: 'v7' is not a track*"),
    ],
)
def test_settings_errors_are_usage_errors_as_in_the_cli(
    pytester: pytest.Pytester,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    message: str,
) -> None:
    pytester.makepyfile(TRACK_TEST)
    monkeypatch.setenv(variable, value)
    result = run()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_schema_dir_option_and_pyproject_default(pytester: pytest.Pytester, run: Run) -> None:
    pytester.makepyfile(TRACK_TEST)
    write_schemas(pytester.path / "elsewhere", "v1", {"other.Thing": {"type": "object"}})
    run("-s", "--schema-dir", "elsewhere").stdout.fnmatch_lines(["*NAMES=other.Thing*"])
    pytester.makefile(".toml", pyproject='[tool.drift]\nfixtures_dir = "elsewhere"\n')
    run("-s").stdout.fnmatch_lines(["*NAMES=other.Thing*"])


def test_contract_schemas_is_read_only(pytester: pytest.Pytester, run: Run) -> None:
    pytester.makepyfile(
        """
        import pytest
        def test_read_only(contract_schemas):
            assert contract_schemas["models.Price"] == {"type": "number", "minimum": 0}
            with pytest.raises(TypeError):
                contract_schemas["models.Price"] = {}
        """
    )
    run().assert_outcomes(passed=1)


def test_missing_track_directory_is_reported(pytester: pytest.Pytester, run: Run) -> None:
    pytester.makepyfile(TRACK_TEST)
    result = run("--schema-dir", "nowhere")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no schema directory for track v1*nowhere*"])


def test_failure_lists_every_violation_with_its_path(pytester: pytest.Pytester, run: Run) -> None:
    pytester.makepyfile(
        """
        def test_bad_quote(assert_conforms):
            assert_conforms({"bid": "x", "ask": -1, "timestamp": "yesterday"}, "models.Quote")
        """
    )
    result = run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*payload does not conform to models.Quote (track v1): 4 violations",
            "*$.ask: -1 is less than the minimum of 0",
            "*$.bid: 'x' is not of type 'number'",
            "*$.symbol: 'symbol' is a required property",
            "*$.timestamp: 'yesterday' is not a 'date-time'",
        ]
    )


def test_ref_across_schemas_resolves(pytester: pytest.Pytester, run: Run) -> None:
    pytester.makepyfile(
        """
        import pytest
        def test_valid(assert_conforms):
            assert_conforms({"symbol": "AAPL", "bid": 1.5, "ask": 2}, "models.Quote")
        def test_invalid_through_ref(assert_conforms):
            with pytest.raises(AssertionError, match=r"\\$\\.bid: -3 is less than the minimum"):
                assert_conforms({"symbol": "AAPL", "bid": -3}, "models.Quote")
        """
    )
    run().assert_outcomes(passed=2)


def test_schema_draft_comes_from_dollar_schema(pytester: pytest.Pytester, run: Run) -> None:
    # ``dependencies`` is a draft-07 keyword that 2020-12 (the default) ignores.
    dependencies = {"type": "object", "dependencies": {"a": ["b"]}}
    write_schemas(
        pytester.path / "fixtures",
        "v1",
        {
            "d.Draft7": {"$schema": "http://json-schema.org/draft-07/schema#", **dependencies},
            "d.Default": dependencies,
        },
    )
    pytester.makepyfile(
        """
        import pytest
        def test_drafts(assert_conforms):
            assert_conforms({"a": 1}, "d.Default")
            with pytest.raises(AssertionError, match="'b' is a dependency of 'a'"):
                assert_conforms({"a": 1}, "d.Draft7")
        """
    )
    run().assert_outcomes(passed=1)


def test_unknown_schema_lists_close_matches(pytester: pytest.Pytester, run: Run) -> None:
    pytester.makepyfile(
        """
        def test_typo(assert_conforms):
            assert_conforms({}, "models.Quot")
        """
    )
    result = run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*unknown schema 'models.Quot' on track v1*did you mean: models.Quote*"]
    )


MARKED = """
import pytest

@pytest.mark.track("v2")
def test_only_v2(schema_track):
    assert schema_track == "v2"

def test_everywhere():
    pass
"""


def test_track_marker_skips_on_other_tracks(pytester: pytest.Pytester, run: Run) -> None:
    pytester.makepyfile(MARKED)
    result = run("-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*SKIPPED*only on track v2 (running v1)*"])
    run("--schema-track", "v2").assert_outcomes(passed=2)


def test_track_marker_is_registered_and_checked(pytester: pytest.Pytester, run: Run) -> None:
    pytester.makepyfile(MARKED)
    run("--strict-markers").assert_outcomes(passed=1, skipped=1)
    pytester.makepyfile(
        """
        import pytest
        @pytest.mark.track("v7")
        def test_bad():
            pass
        """
    )
    result = run()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*@pytest.mark.track takes track names*'v7'*"])


def test_header_and_summary_show_track_dir_and_mode(
    pytester: pytest.Pytester, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(TRACK_TEST)
    result = run()
    result.stdout.fnmatch_lines(
        ["drift: schema track v1, schemas fixtures/v1, enforcement mode warn (default)"]
    )
    result.stdout.fnmatch_lines(["*drift contract tests*", "schema track v1*"])
    pytester.makefile(".toml", **{".drift-mode": '[modes]\nv2 = "strict"\n'})
    run("--schema-track", "v2").stdout.fnmatch_lines(
        ["drift: schema track v2*enforcement mode strict (.drift-mode.toml)"]
    )
    monkeypatch.setenv("REGISTRY_ENFORCEMENT", "warn")
    run("--schema-track", "v2").stdout.fnmatch_lines(
        ["drift: schema track v2*enforcement mode warn (REGISTRY_ENFORCEMENT)"]
    )


def test_summary_is_absent_when_no_contract_fixture_is_used(
    pytester: pytest.Pytester, run: Run
) -> None:
    pytester.makepyfile("def test_plain():\n    pass\n")
    result = run()
    result.assert_outcomes(passed=1)
    assert "drift contract tests" not in result.stdout.str()


def test_mode_from_pyproject_and_source_note(
    pytester: pytest.Pytester, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(TRACK_TEST)
    pytester.makefile(".toml", pyproject='[tool.drift]\nmode = "strict"\n')
    monkeypatch.setenv("DRIFT_SCHEMA_SOURCE", "live registry")
    header = run().stdout.lines[:6]
    assert any(
        line.startswith("drift: schema track v1, schemas fixtures/v1 (live registry), ")
        and line.endswith("enforcement mode strict ([tool.drift] mode)")
        for line in header
    ), header

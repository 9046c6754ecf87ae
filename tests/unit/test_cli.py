"""The ``drift`` argument parser: help, version, usage errors, flag mapping (no I/O)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from drift import __version__
from drift.cli import build_parser, flags_from, main

REQUIRED = {"check-drift", "sync-fixtures", "fetch-schemas", "set-mode", "report", "serve-registry"}


def subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(actions) == 1
    return sorted(actions[0].choices)


def exit_code(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    code = raised.value.code
    return code if isinstance(code, int) else 1


def test_every_required_subcommand_exists() -> None:
    assert set(subcommands()) >= REQUIRED


@pytest.mark.parametrize("command", subcommands())
def test_help_of_every_subcommand_exits_0(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: drift {command}")


def test_top_level_help_lists_the_commands_and_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert exit_code(["--help"]) == 0
    out = capsys.readouterr().out
    for command in subcommands():
        assert command in out
    assert "Exit codes" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"drift {__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["no-such-command"],
        ["check-drift", "--mode", "strcit"],
        ["check-drift", "--fail-on", "everything"],
        ["check-drift", "--no-such-flag"],
        ["set-mode"],
        ["set-mode", "loud"],
        ["report"],
        ["report", "r.json", "--format", "pdf"],
        ["diff", "only-one.json"],
        ["serve-registry"],
        ["serve-registry", "--root", "r", "--port", "eighty"],
        ["fetch-schemas", "--output"],
    ],
    ids=lambda argv: " ".join(argv) or "(nothing)",
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(argv) == 2
    err = capsys.readouterr().err
    assert "usage: drift" in err
    assert "error:" in err


def test_flags_from_passes_tracks_and_leaves_unset_flags_none(tmp_path: Path) -> None:
    from drift.config import load_settings

    args = build_parser().parse_args(
        ["check-drift", "-C", str(tmp_path), "--track", "v1,v2", "--track", " v2 "]
    )
    flags = flags_from(args)
    assert flags["tracks"] == ["v1,v2", " v2 "]
    assert load_settings(tmp_path, {}, flags).selected == ("v1", "v2")  # split once, there
    assert args.project_dir == tmp_path
    unset = {k for k, v in flags.items() if v is None}
    assert unset == {
        "registry_url", "mode", "fail_open", "fail_on", "fixtures_dir", "registry_enabled",
        "schemas", "report", "require_all",
    }  # fmt: skip


def test_flags_from_maps_the_switches() -> None:
    args = build_parser().parse_args(
        ["check-drift", "--fail-closed", "--no-registry", "--mode", "strict", "--schema", "a.B"]
    )
    flags = flags_from(args)
    assert flags["fail_open"] is False
    assert flags["registry_enabled"] is False
    assert flags["mode"] == "strict"
    assert flags["schemas"] == ["a.B"]


def test_commands_without_project_flags_map_to_nothing() -> None:
    flags = flags_from(build_parser().parse_args(["report", "r.json"]))
    assert set(flags.values()) == {None}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check-drift"], 0),
        (["-v", "check-drift"], 1),
        (["check-drift", "-vv"], 2),
        (["-v", "check-drift", "-v"], 1),  # the subcommand's count replaces the global one
    ],
)
def test_verbosity_before_or_after_the_subcommand(argv: list[str], expected: int) -> None:
    assert build_parser().parse_args(argv).verbose == expected


def test_every_subcommand_has_an_adapter_that_calls_one_app_run() -> None:
    import inspect

    from drift import app

    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, sub in actions[0].choices.items():
        adapter = sub.get_default("run")
        assert callable(adapter), f"{name}: no set_defaults(run=...)"
        calls = [
            n
            for n in app.__all__
            if n.startswith("run_") and f"app.{n}(" in inspect.getsource(adapter)
        ]
        assert len(calls) == 1, f"{name}: the adapter must call exactly one app.run_*: {calls}"


@pytest.mark.parametrize(
    ("argv", "chosen"),
    [
        (["check-drift", "--track", "v1"], "check-drift"),
        (["-v", "--verbose", "sync-fixtures", "--help"], "sync-fixtures"),
        (["-vv", "report", "check-drift"], "report"),  # later words are the command's
        ([], None),
        (["--help"], None),
        (["-h", "check-drift"], None),  # the top-level help lists every command
        (["--he", "check-drift"], None),
        (["-vh", "check-drift"], None),
        (["chek-drift"], None),  # the error lists every command
    ],
)
def test_main_builds_one_subcommand_parser_unless_argv_needs_them_all(
    argv: list[str], chosen: str | None
) -> None:
    from drift.cli import _chosen

    assert _chosen(argv) == chosen


@pytest.mark.parametrize(
    "argv",
    [
        ["-v", "check-drift", "--track", "v1", "--no-registry", "--sarif", "s.json", "-q"],
        ["sync-fixtures", "--dry-run", "--schema", "a.*"],
        ["set-mode", "strict", "--track", "v2"],
        ["watch", "--interval", "30s", "--metrics-port", "0", "--mode", "strict"],
        ["propose", "--push", "--contracts-command", "make test"],
        ["init", "--registry-url", "http://r", "--no-sync", "-C", "x"],
        ["diff", "a.json", "b.json", "--policy", "lenient"],
    ],
)
def test_the_one_subcommand_parser_parses_as_the_full_parser(argv: list[str]) -> None:
    from drift.cli import _chosen

    chosen = _chosen(argv)
    assert chosen is not None
    lean = build_parser((chosen,), listed=False)
    actions = [a for a in lean._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(actions[0].choices) == [chosen]
    assert lean.parse_args(argv) == build_parser().parse_args(argv)


def test_the_top_level_help_lists_every_command_without_building_their_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    listing = build_parser((), listed=True)
    actions = [a for a in listing._actions if isinstance(a, argparse._SubParsersAction)]
    assert sorted(actions[0].choices) == subcommands()
    assert all(len(sub._actions) == 1 for sub in actions[0].choices.values())  # -h only
    assert exit_code(["-h", "check-drift"]) == 0
    out = capsys.readouterr().out
    assert all(command in out for command in subcommands())

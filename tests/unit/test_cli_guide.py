"""The command line guides: descriptions, help with defaults, the same -q/-v/--color on
every subcommand, no options that do not apply, shell completion."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

import pytest

from drift.cli import build_parser, main


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


def test_every_subcommand_has_a_description_and_every_option_help_with_its_default() -> None:
    for name, sub in subcommands().items():
        assert len(sub.description or "") > 40, name
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"{name} {action.dest}: no help"
            if action.option_strings and not action.required:
                assert "default" in action.help, f"{name} {action.option_strings}: no default"


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_quiet_verbose_and_colour_are_on_every_subcommand(name: str) -> None:
    sub = subcommands()[name]
    flags = {flag for action in sub._actions for flag in action.option_strings}
    assert {"-q", "--quiet", "-v", "--verbose", "--color"} <= flags


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["set-mode", "strict", "--schema", "x"], "--schema"),
        (["set-mode", "strict", "--registry-url", "http://r"], "--registry-url"),
        (["fetch-schemas", "--no-registry"], "--no-registry"),
        (["sync-fixtures", "--no-registry"], "--no-registry"),
        (["propose", "--no-registry"], "--no-registry"),
        (["report", "r.json", "--track", "v1"], "--track"),
        (["diff", "a", "b", "--fixtures-dir", "f"], "--fixtures-dir"),
    ],
)
def test_options_that_do_not_apply_are_not_offered(
    argv: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(argv)
    assert exit_info.value.code == 2
    assert f"unrecognized arguments: {flag}" in capsys.readouterr().err


def test_bash_completion_completes_commands_options_and_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "drift.bash"
    script.write_text(capsys.readouterr().out)

    def complete(*words: str) -> list[str]:
        line = " ".join(words)
        shell = (
            f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
            f"COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; _shtab_drift; "
            'printf "%s\\n" "${COMPREPLY[@]}"'
        )
        done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=True)
        return done.stdout.split()

    assert complete("drift", "prop") == ["propose"]
    assert complete("drift", "check-drift", "--fail-on", "''") == ["breaking", "drift", "any"]
    assert set(complete("drift", "check-drift", "--sa")) == {"--sarif"}
    assert "--schema" not in complete("drift", "set-mode", "--")


def test_zsh_completion_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "zsh"]) == 0
    script = capsys.readouterr().out
    assert script.startswith("#compdef drift")
    for word in ("check-drift", "propose", "--sarif", "--fail-on"):
        assert word in script
    if shutil.which("zsh"):  # a syntax check where zsh is installed
        path = tmp_path / "_drift"
        path.write_text(script)
        subprocess.run(["zsh", "-n", str(path)], check=True)

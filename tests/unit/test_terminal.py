"""Colour and progress decisions, and the progress line itself."""

from __future__ import annotations

import io

import pytest

from drift.terminal import Progress, colour_enabled, progress_enabled


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "env", "tty", "expected"),
    [
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # empty NO_COLOR is unset (no-color.org)
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "0"}, True, False),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        ("auto", {"TERM": "dumb"}, True, False),
    ],
)
def test_colour_decision(choice: str, env: dict[str, str], tty: bool, expected: bool) -> None:
    stream = Tty() if tty else io.StringIO()
    assert colour_enabled(choice, stream, env) is expected


def test_progress_only_for_a_terminal_outside_ci_without_quiet() -> None:
    assert progress_enabled(Tty(), {}, quiet=False)
    assert not progress_enabled(io.StringIO(), {}, quiet=False)  # piped
    assert not progress_enabled(Tty(), {"CI": "true"}, quiet=False)
    assert not progress_enabled(Tty(), {}, quiet=True)


def test_progress_draws_one_line_and_erases_it() -> None:
    stream = Tty()
    with Progress(stream, "fetch v1", total=4, interval=0) as progress:
        for _ in range(4):
            progress.advance()
        progress.phase("write")
        progress.advance(2)
        progress.on_request("http://r/index", 0.1, None)
    text = stream.getvalue()
    assert "\n" not in text
    assert "fetch v1: 4/4 (100%)" in text
    assert "write: 3" in text
    assert text.endswith("\r\x1b[K")


def test_disabled_progress_writes_nothing() -> None:
    stream = Tty()
    with Progress(stream, "x", enabled=False) as progress:
        progress.advance()
    assert stream.getvalue() == ""

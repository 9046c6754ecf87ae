"""The option groups ``drift`` subcommands share, as argparse parent parsers.

Each subcommand takes only the groups that apply to it (``set-mode`` has no
``--schema``, ``fetch-schemas`` no ``--no-registry``), and every subcommand gets
:func:`output` (``-q``, ``-v``, ``--color``), so they work the same everywhere.
Standard library only: ``drift --help`` must start fast.
"""

from __future__ import annotations

import argparse
import os
import sys

TYPE_CHECKING = False  # not typing's: ``drift --help`` imports neither typing nor pathlib
if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "Parser",
    "fixtures",
    "output",
    "project",
    "registry",
    "selection",
    "telemetry",
    "tracks",
]


class Formatter(argparse.HelpFormatter):
    """argparse's formatter with the terminal width read directly (as shutil would,
    ``COLUMNS`` first): argparse's own lookup imports shutil, and with it bz2 and lzma."""

    def __init__(self, prog: str) -> None:
        try:
            width = int(os.environ["COLUMNS"])
        except (KeyError, ValueError):
            try:
                width = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
            except (AttributeError, ValueError, OSError):
                width = 80
        super().__init__(prog, width=max(width - 2, 20))


class Parser(argparse.ArgumentParser):
    """Every ``drift`` parser (argparse makes subcommands of the parent's class) formats
    with :class:`Formatter`: ``add_argument`` builds a formatter to check each metavar."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def path(value: str) -> Path:
    """``type=`` of path options (pathlib is imported when an option needs it)."""
    from pathlib import Path

    return Path(value)


def _parent() -> argparse.ArgumentParser:
    return Parser(add_help=False)


def output() -> argparse.ArgumentParser:
    """``-q``, ``-v`` and ``--color``: the same on every subcommand."""
    parent = _parent()
    group = parent.add_argument_group("output")
    group.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing but errors (default: off)"
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="log more; -vv: debug (default: warnings only)",
    )
    group.add_argument(
        "--color",
        "--colour",
        dest="color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour status words and verdicts (default: auto: on a terminal, unless "
        "NO_COLOR is set; FORCE_COLOR forces it)",
    )
    return parent


def project() -> argparse.ArgumentParser:
    parent = _parent()
    parent.add_argument(
        "-C",
        "--project-dir",
        type=path,
        default=None,
        help="project root holding pyproject.toml (default: the nearest directory upwards "
        "whose pyproject.toml has [tool.drift], else the current directory)",
    )
    return parent


def registry(*, optional: bool) -> argparse.ArgumentParser:
    """``--registry-url``, and ``--no-registry`` where a command can do without it."""
    parent = _parent()
    parent.add_argument(
        "--registry-url",
        metavar="URL",
        help="registry URL or directory (default: env REGISTRY_URL, else [tool.drift] "
        "registry_url)",
    )
    if optional:
        parent.add_argument(
            "--no-registry",
            dest="registry_enabled",
            action="store_const",
            const=False,
            help="skip the registry: verify fixtures against the lock (default: env "
            "REGISTRY_ENABLED, else on)",
        )
    return parent


def _add_track(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--track",
        action="append",
        dest="tracks",
        metavar="TRACK",
        help="v1, v2 or all; repeatable (default: env REGISTRY_TRACK, else every enabled track)",
    )


def tracks() -> argparse.ArgumentParser:
    parent = _parent()
    _add_track(parent)
    return parent


def selection() -> argparse.ArgumentParser:
    """``--track`` and ``--schema``."""
    parent = _parent()
    _add_track(parent)
    parent.add_argument(
        "--schema",
        action="append",
        dest="schemas",
        metavar="NAME",
        help="restrict to these schema names or globs; repeatable (default: every schema "
        "the track's [tool.drift] selects)",
    )
    return parent


def fixtures() -> argparse.ArgumentParser:
    parent = _parent()
    parent.add_argument(
        "--fixtures-dir",
        type=path,
        metavar="DIR",
        help="fixtures directory (default: [tool.drift] fixtures_dir, else fixtures)",
    )
    return parent


def telemetry() -> argparse.ArgumentParser:
    parent = _parent()
    parent.add_argument(
        "--emit-telemetry",
        action="store_true",
        help="publish telemetry.schema_drift events (default: off; env PULSE_ENABLED, "
        "EVENT_BUS_BACKEND)",
    )
    return parent

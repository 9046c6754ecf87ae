"""How ``drift``'s options are declared: one spec per option, applied by one loop.

An option is data, :func:`option` (``add_argument``'s own arguments, plus the help
section it is listed under); a subcommand is a tuple of them (see
:mod:`drift.cli_commands`), and :func:`add_options` applies it. The groups here are
the ones subcommands share: each subcommand takes only those that apply to it
(``set-mode`` has no ``--schema``, ``fetch-schemas`` no ``--no-registry``), and every
subcommand takes :data:`OUTPUT` (``-q``, ``-v``, ``--color``), so they work the same
everywhere. The parsed options come back out through :func:`flags_from` (the settings
overrides) and :func:`options_from` (a command's own options dataclass). Standard
library only: ``drift --help`` must start fast.
"""

from __future__ import annotations

import argparse
import os
import sys

TYPE_CHECKING = False  # not typing's: ``drift --help`` imports neither typing nor pathlib
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from typing import Any, TypeVar

    from _typeshed import DataclassInstance

    Options = TypeVar("Options", bound=DataclassInstance)

    #: (help section or None, flags or the positional's name, ``add_argument`` keywords)
    Option = tuple[str | None, tuple[str, ...], dict[str, Any]]

__all__ = [
    "FIXTURES",
    "NO_REGISTRY",
    "OUTPUT",
    "PROJECT",
    "REGISTRY",
    "SCHEMA",
    "TELEMETRY",
    "TRACK",
    "Parser",
    "add_options",
    "flags_from",
    "option",
    "options_from",
    "path",
    "port",
]


class Formatter(argparse.HelpFormatter):
    """argparse's formatter with the terminal width read directly (as shutil would,
    ``COLUMNS`` first): argparse's own lookup imports shutil, and with it bz2 and lzma."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_width(os.environ.get("COLUMNS")))


_widths: dict[str | None, int] = {}


def _width(columns: str | None) -> int:
    """The help width for ``COLUMNS``, looked up once per value (every ``add_argument``
    builds a formatter to check its metavar)."""
    width = _widths.get(columns)
    if width is None:
        try:
            found = int(columns)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            try:
                found = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
            except (AttributeError, ValueError, OSError):
                found = 80
        width = _widths[columns] = max(found - 2, 20)
    return width


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


def port(text: str) -> int:
    """``type=`` of TCP ports (0: any free one); argparse turns errors into exit 2."""
    number = int(text)
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{number} is not a TCP port (0-65535)")
    return number


def option(*flags: str, section: str | None = None, **settings: Any) -> Option:
    """The spec of ``add_argument(*flags, **settings)``, listed under ``section``."""
    return section, flags, settings


def add_options(parser: argparse.ArgumentParser, options: Iterable[Option]) -> None:
    """Add ``options`` to ``parser`` in order; a section is made where first named."""
    sections: dict[str, argparse._ArgumentGroup] = {}
    for section, flags, settings in options:
        if section is None:
            parser.add_argument(*flags, **settings)
            continue
        if section not in sections:
            sections[section] = parser.add_argument_group(section)
        sections[section].add_argument(*flags, **settings)


OUTPUT = (
    option("-q", "--quiet", action="store_true", section="output",
           help="print nothing but errors (default: off)"),
    option("-v", "--verbose", action="count", default=argparse.SUPPRESS, section="output",
           help="log more; -vv: debug (default: warnings only)"),
    option("--color", "--colour", dest="color", choices=["auto", "always", "never"],
           default="auto", section="output", help="colour status words and verdicts (default: "
           "auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it)"),
)  # fmt: skip
PROJECT = option(
    "-C", "--project-dir", type=path, default=None,
    help="project root holding pyproject.toml (default: the nearest directory upwards "
    "whose pyproject.toml has [tool.drift], else the current directory)",
)  # fmt: skip
REGISTRY = option(
    "--registry-url", metavar="URL",
    help="registry URL or directory (default: env REGISTRY_URL, else [tool.drift] registry_url)",
)  # fmt: skip
TRACK = option(
    "--track", action="append", dest="tracks", metavar="TRACK",
    help="v1, v2 or all; repeatable (default: env REGISTRY_TRACK, else every enabled track)",
)  # fmt: skip
SCHEMA = option(
    "--schema", action="append", dest="schemas", metavar="NAME",
    help="restrict to these schema names or globs; repeatable (default: every schema the "
    "track's [tool.drift] selects)",
)  # fmt: skip
FIXTURES = option(
    "--fixtures-dir", type=path, metavar="DIR",
    help="fixtures directory (default: [tool.drift] fixtures_dir, else fixtures)",
)  # fmt: skip
TELEMETRY = option(
    "--emit-telemetry", action="store_true",
    help="publish telemetry.schema_drift events (default: off; env PULSE_ENABLED, "
    "EVENT_BUS_BACKEND)",
)  # fmt: skip

NO_REGISTRY = option(
    "--no-registry", dest="registry_enabled", action="store_const", const=False,
    help="skip the registry: verify fixtures against the lock (default: env "
    "REGISTRY_ENABLED, else on)",
)  # fmt: skip


# -- parsed options out: settings overrides, a command's own options --------


def flags_from(args: argparse.Namespace) -> dict[str, Any]:
    """The settings overrides the parsed flags carry (``None`` = not given).

    Values go to :func:`drift.config.load_settings` as given: it splits
    ``--track v1,v2`` and validates every value, the same for every front end.
    """
    report = getattr(args, "report", None)
    if report is not None and str(report) != "-":  # "-" is stdout
        report = report.absolute()  # relative to the cwd
    return {
        "registry_url": getattr(args, "registry_url", None),
        "tracks": getattr(args, "tracks", None),
        "mode": getattr(args, "mode", None),
        "fail_open": getattr(args, "fail_open", None),
        "fail_on": getattr(args, "fail_on", None),
        "fixtures_dir": getattr(args, "fixtures_dir", None),
        "registry_enabled": getattr(args, "registry_enabled", None),
        "schemas": getattr(args, "schemas", None),
        "report": report,
        "require_all": getattr(args, "require_all", None),
    }


def options_from(kind: type[Options], args: argparse.Namespace, **given: Any) -> Options:
    """``kind`` (a command's options dataclass) from ``given`` and, for its other fields,
    the parsed flags of the same names."""
    import dataclasses

    for field in dataclasses.fields(kind):
        if field.name not in given and hasattr(args, field.name):
            given[field.name] = getattr(args, field.name)
    return kind(**given)

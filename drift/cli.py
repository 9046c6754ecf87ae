"""The ``drift`` command line: a thin adapter that translates arguments for :mod:`drift.app`.

Each subcommand is a :class:`~drift.cli_commands.Command` in the table
:mod:`drift.cli_commands` (its help and options, as data) and an adapter
``@_adapter(name) _name(args, rt) -> int`` below that only translates the parsed
arguments (settings overrides via :func:`~drift.cli_options.flags_from`, the
command's own options via :func:`~drift.cli_options.options_from`) and calls its
``app.run_*`` with the :class:`~drift.app.Runtime` ``rt`` that :func:`main` built;
the wiring lives there (see :mod:`drift.app` for the steps of adding a command).
Keep this module's imports to the standard library and :mod:`drift.cli_options`
(itself standard library only): ``drift --help`` must start fast; workflows are
imported inside the adapters, and :func:`main` builds the options of the one
subcommand it runs.

Exit codes: 0 clean (or drift in warn mode); 1 drift that the mode enforces
(or ``diff``: incompatible); 2 usage, configuration or local-fixture error;
3 registry unavailable with ``--fail-closed`` (or a sync/fetch that could not
reach it).
"""

from __future__ import annotations

import argparse
import io
import os
import sys

from drift.cli_options import Parser, add_options, flags_from, options_from

# Not typing.TYPE_CHECKING: ``drift --help`` imports neither typing nor logging.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Container, Sequence

    from drift.app import Runtime
    from drift.config import Settings

__all__ = ["build_parser", "main"]


def build_parser(
    commands: Container[str] | None = None, *, listed: bool = True
) -> argparse.ArgumentParser:
    """The ``drift`` parser with the options of ``commands`` (default: all).

    ``listed``: a parser for every subcommand, bare but for those in ``commands`` (enough
    for ``drift --help`` to list them); else parsers only for ``commands``. Each parser
    costs start-up time: :func:`main` builds only the one it runs (see :func:`_chosen`).
    """
    from drift import cli_commands as table

    parser = Parser(prog="drift", description=table.DESCRIPTION, epilog=table.EPILOG)
    add_options(parser, table.GLOBAL)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in table.COMMANDS:
        built = commands is None or command.name in commands
        if not (built or listed):
            continue
        child = sub.add_parser(command.name, help=command.summary, description=command.description)
        if built:
            add_options(child, command.options)
        child.set_defaults(run=_ADAPTERS[command.name])
    return parser


def _chosen(words: list[str]) -> str | None:
    """The subcommand ``words`` run, if parsing them needs no other subcommand's parser:
    the first word that is not an option (the global ones take no value), unless a word
    before it asks for the top-level help (``-h``, ``--help``, ``--he``, ``-vh``: all
    with an ``h``, the verbosity and version flags none) or it names no subcommand."""
    from drift.cli_commands import COMMANDS

    for index, word in enumerate(words):
        if not word.startswith("-"):
            named = any(command.name == word for command in COMMANDS)
            return word if named and not any("h" in w for w in words[:index]) else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    chosen = _chosen(words)
    parser = build_parser(() if chosen is None else (chosen,), listed=chosen is None)
    args = parser.parse_args(words)
    from drift import logs  # after --help
    from drift.redaction import guard_streams, password_of, remember

    logs.configure(logs.level_for(args.verbose, quiet=getattr(args, "quiet", False)))

    env = dict(os.environ)
    remember(env.get("REGISTRY_TOKEN"), password_of(env.get("REGISTRY_URL")))
    remember(getattr(args, "token", None), password_of(getattr(args, "registry_url", None)))
    with guard_streams():  # every byte printed below passes the redaction boundary
        try:
            code: int = args.run(args, _runtime(args, env))
        except BaseException as exc:
            from drift.errors import exit_code_for

            code_for = exit_code_for(exc)
            if code_for is None:
                raise
            if not isinstance(exc, KeyboardInterrupt):
                print(f"drift: error: {exc}", file=sys.stderr)
            return code_for
    return code


class _Silent(io.StringIO):
    """Where ``-q`` sends a command's normal output."""

    def write(self, text: str) -> int:
        return len(text)


#: Commands whose stdout ``-q`` leaves alone: ``check-drift`` (its ``-q`` is
#: ``CheckOutputs.quiet``; ``--report -`` is the JSON on stdout), ``init``, ``serve-registry``.
_OWN_STDOUT = frozenset({"check-drift", "init", "serve-registry"})


def _runtime(args: argparse.Namespace, env: dict[str, str]) -> Runtime:
    """The command's :class:`~drift.app.Runtime` (built inside the redaction guard)."""
    from drift.app import Runtime

    quiet = getattr(args, "quiet", False) and args.command not in _OWN_STDOUT
    return Runtime(env=env, out=_Silent() if quiet else sys.stdout)


# -- adapters: arguments in, app.run_* out ------------------------------------

if TYPE_CHECKING:
    Adapter = Callable[[argparse.Namespace, Runtime], int]

_ADAPTERS: dict[str, Adapter] = {}


def _adapter(command: str) -> Callable[[Adapter], Adapter]:
    """Register the decorated function as the adapter of ``command``."""

    def register(function: Adapter) -> Adapter:
        _ADAPTERS[command] = function
        return function

    return register


def _progress(args: argparse.Namespace, rt: Runtime) -> bool:
    from drift.terminal import progress_enabled

    return progress_enabled(rt.err, rt.env, quiet=args.quiet)


def _settings(args: argparse.Namespace, rt: Runtime) -> Settings:
    from drift.discovery import load_project_settings

    return load_project_settings(args.project_dir, rt.env, flags_from(args))


@_adapter("check-drift")
def _check_drift(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app
    from drift.reporters.annotations import wanted
    from drift.review import ReviewOutputs
    from drift.terminal import colour_enabled

    outputs = options_from(
        app.CheckOutputs,
        args,
        report=not args.no_report,
        review=ReviewOutputs(
            sarif=args.sarif, annotations=wanted(args.annotations, rt.env), comment=args.pr_comment
        ),
        colour=colour_enabled(args.color, rt.out, rt.env),
        progress=_progress(args, rt),
    )
    return app.run_check(rt, _settings(args, rt), outputs)


@_adapter("sync-fixtures")
def _sync_fixtures(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app

    settings = _settings(args, rt)
    return app.run_sync(rt, settings, dry_run=args.dry_run, progress=_progress(args, rt))


@_adapter("fetch-schemas")
def _fetch_schemas(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app

    settings, everything, progress = _settings(args, rt), args.all_schemas, _progress(args, rt)
    return app.run_fetch(rt, settings, args.output, all_schemas=everything, progress=progress)


@_adapter("set-mode")
def _set_mode(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app

    return app.run_set_mode(rt, _settings(args, rt), args.mode)


@_adapter("waive")
def _waive(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app
    from drift.errors import ConfigError

    if not args.tracks or len(args.tracks) != 1:
        raise ConfigError("waive: give exactly one --track (v1 or v2)")
    return app.run_waive(
        rt, _settings(args, rt), args.schema, args.tracks[0],
        owner=args.owner, reason=args.reason, until=args.until,
    )  # fmt: skip


@_adapter("waivers")
def _waivers(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app

    return app.run_waivers(rt, _settings(args, rt))


@_adapter("report")
def _report(args: argparse.Namespace, rt: Runtime) -> int:
    from pathlib import Path

    from drift import app

    # fixture lines (sarif, annotations): the project in the current directory
    return app.run_report(rt, args.path, args.format, project=Path.cwd())


@_adapter("diff")
def _diff(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app

    return app.run_diff(rt, args.old, args.new, args.mode, args.format, policy=args.policy)


@_adapter("serve-registry")
def _serve_registry(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app

    return app.run_serve(rt, args.root, args.host, args.port, latency=args.latency)


@_adapter("watch")
def _watch(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app

    options = options_from(app.WatchOptions, args, port=args.metrics_port, addr=args.metrics_addr)
    return app.run_watch(rt, _settings(args, rt), options)


@_adapter("propose")
def _propose(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app

    return app.run_propose(rt, _settings(args, rt), options_from(app.ProposeOptions, args))


@_adapter("completion")
def _completion(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app

    return app.run_completion(rt, build_parser(), args.shell)


@_adapter("init")
def _init(args: argparse.Namespace, rt: Runtime) -> int:
    from drift import app

    tracks = tuple(t.strip() for t in args.tracks.split(",") if t.strip())
    return app.run_init(
        rt, args.project_dir, args.registry_url, tracks, dry_run=args.dry_run, force=args.force,
        sync=args.sync,
    )  # fmt: skip

"""The ``drift`` command line: a thin adapter that translates arguments for :mod:`drift.app`.

Each subcommand is a parser in :func:`build_parser` with ``set_defaults(run=_name)``
and an adapter ``_name(args, env) -> int`` below that only translates the parsed
arguments (settings overrides via :func:`flags_from`, the command's own options)
and calls its ``app.run_*``; the wiring lives there (see :mod:`drift.app` for the
steps of adding a command). Keep this module's imports to the standard library:
``drift --help`` must start fast; workflows are imported inside the adapters.

Exit codes: 0 clean (or drift in warn mode); 1 drift that the mode enforces
(or ``diff``: incompatible); 2 usage, configuration or local-fixture error;
3 registry unavailable with ``--fail-closed`` (or a sync/fetch that could not
reach it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift._version import __version__
from drift.errors import DriftError, exit_code_for

if TYPE_CHECKING:
    from drift.config import Settings

__all__ = ["build_parser", "main"]

log = logging.getLogger("drift")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drift",
        description="Keep JSON Schema fixtures in step with a schema registry.",
        epilog="Exit codes: 0 ok or warn, 1 enforced drift, 2 usage/config/fixture error, "
        "3 registry unavailable with --fail-closed.",
    )
    parser.add_argument("--version", action="version", version=f"drift {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="count", default=argparse.SUPPRESS, help="log more (-vv: debug)"
    )
    common.add_argument(
        "-C",
        "--project-dir",
        type=Path,
        default=Path.cwd(),
        help="project root holding pyproject.toml (default: current directory)",
    )
    common.add_argument("--registry-url", help="registry URL or directory (env REGISTRY_URL)")
    common.add_argument(
        "--track",
        action="append",
        dest="tracks",
        metavar="TRACK",
        help="v1, v2 or all; repeatable (env REGISTRY_TRACK)",
    )
    common.add_argument(
        "--schema",
        action="append",
        dest="schemas",
        metavar="NAME",
        help="restrict to these schema names or globs; repeatable",
    )
    common.add_argument("--fixtures-dir", type=Path, help="fixtures directory")
    common.add_argument(
        "--no-registry",
        dest="registry_enabled",
        action="store_const",
        const=False,
        help="skip the registry: verify fixtures against the lock",
    )

    check = sub.add_parser(
        "check-drift", parents=[common], help="compare fixtures, lock and registry"
    )
    check.add_argument(
        "--mode", choices=["warn", "strict"], help="enforcement mode (env REGISTRY_ENFORCEMENT)"
    )
    check.add_argument(
        "--fail-closed",
        dest="fail_open",
        action="store_const",
        const=False,
        help="exit 3 when the registry is unavailable instead of failing open",
    )
    check.add_argument(
        "--fail-on", choices=["breaking", "drift", "any"], help="what strict mode fails on"
    )
    check.add_argument(
        "--report", type=Path, help="JSON report path (default from [tool.drift] report)"
    )
    check.add_argument("--no-report", action="store_true", help="do not write the JSON report")
    check.add_argument("--markdown", type=Path, help="also write a Markdown report")
    check.add_argument("--junit", type=Path, help="also write a JUnit XML report")
    check.add_argument(
        "--sarif", type=Path, help="also write SARIF 2.1.0 for code scanning (default: none)"
    )
    check.add_argument(
        "--annotations",
        choices=["github", "none"],
        help="GitHub workflow-command annotations on stdout (default: github when "
        "GITHUB_ACTIONS=true, else none)",
    )
    check.add_argument(
        "--pr-comment",
        type=Path,
        metavar="PATH",
        help="also write the pull-request comment (Markdown, under 65,536 characters)",
    )
    check.add_argument(
        "--transitive",
        action="store_true",
        help="judge drifted schemas against every registry version since the lock",
    )
    check.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    _add_telemetry_flags(check)
    check.set_defaults(run=_check_drift)

    sync = sub.add_parser(
        "sync-fixtures", parents=[common], help="update fixtures and lock from the registry"
    )
    sync.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    sync.set_defaults(run=_sync_fixtures)

    fetch = sub.add_parser(
        "fetch-schemas", parents=[common], help="download a track's schemas (not into fixtures/)"
    )
    fetch.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("schemas-out"),
        help="output directory (default: schemas-out)",
    )
    fetch.add_argument(
        "--all",
        dest="all_schemas",
        action="store_true",
        help="every schema of the track, not only the selected ones",
    )
    fetch.set_defaults(run=_fetch_schemas)

    mode = sub.add_parser(
        "set-mode", parents=[common], help="persist the enforcement mode of a track"
    )
    mode.add_argument("mode", choices=["warn", "strict"])
    mode.set_defaults(run=_set_mode)

    report = sub.add_parser("report", help="render a saved JSON report")
    report.add_argument("path", type=Path)
    report.add_argument(
        "-f",
        "--format",
        default="text",
        choices=["text", "markdown", "junit", "json", "sarif", "annotations", "comment"],
        help="output format (default: text)",
    )
    report.set_defaults(run=_report)

    diff = sub.add_parser(
        "diff", help="semantic diff of two JSON Schemas with a compatibility verdict"
    )
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.add_argument("--mode", default="backward", choices=["backward", "forward", "full"])
    diff.add_argument("-f", "--format", default="text", choices=["text", "json"])
    diff.add_argument(
        "--policy",
        default="strict",
        choices=["strict", "lenient"],
        help="lenient: a property added to an open object does not break backward",
    )
    diff.set_defaults(run=_diff)

    serve = sub.add_parser(
        "serve-registry", help="serve a registry directory over the registry HTTP API"
    )
    serve.add_argument(
        "--root", type=Path, required=True, help="registry directory (index.json + <track>/)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--latency", type=float, default=0.0, help="seconds added to every response")
    serve.set_defaults(run=_serve_registry)

    propose = sub.add_parser(
        "propose",
        parents=[common],
        help="sync each track on a drift/sync-<track> branch and write its pull-request text",
        description="In a clean git work tree: for each selected track, check and sync it in a "
        "temporary worktree of the base branch, commit fixtures and lock on drift/sync-<track> "
        "(rebuilt on the base each run, so the registry moving again updates the same branch), "
        "and write the pull request's title.txt, body.md and labels.txt under --output. Nothing "
        "to sync: no commit, exit 0.",
    )
    propose.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("reports/propose"),
        help="folder for <track>/title.txt, body.md, labels.txt (default: reports/propose)",
    )
    propose.add_argument(
        "--base", help="branch the update branches start from (default: the current branch)"
    )
    propose.add_argument(
        "--remote", default="origin", help="git remote to push to (default: origin)"
    )
    propose.add_argument(
        "--push",
        action="store_true",
        help="push the branches (--force-with-lease against what the remote had)",
    )
    propose.add_argument(
        "--run-contracts",
        action="store_true",
        help="run the contract tests on the synced fixtures and put the result in the body",
    )
    propose.add_argument(
        "--contracts-command",
        metavar="CMD",
        help="the contract tests ({track}, {python} replaced; default: {python} -m pytest -q "
        "-p no:cacheprovider --schema-track {track} tests/contracts)",
    )
    propose.set_defaults(run=_propose)

    watch = sub.add_parser(
        "watch", parents=[common], help="re-check on a schedule and serve /metrics"
    )
    watch.add_argument("--interval", default="5m", help="time between checks (e.g. 30s, 5m, 1h)")
    watch.add_argument("--metrics-port", type=int, default=9108)
    watch.add_argument("--metrics-addr", default="127.0.0.1")
    watch.add_argument("--mode", choices=["warn", "strict"])
    watch.add_argument("--emit-telemetry", action="store_true", help="publish drift events")
    watch.set_defaults(run=_watch)
    return parser


def _add_telemetry_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--emit-telemetry",
        action="store_true",
        help="publish telemetry.schema_drift events (env PULSE_ENABLED, EVENT_BUS_BACKEND)",
    )
    parser.add_argument(
        "--metrics-textfile", type=Path, help="write Prometheus metrics (node-exporter textfile)"
    )
    parser.add_argument("--pushgateway", help="push Prometheus metrics to this Pushgateway URL")


def flags_from(args: argparse.Namespace) -> dict[str, Any]:
    """The settings overrides the parsed flags carry (``None`` = not given).

    Values go to :func:`drift.config.load_settings` as given: it splits
    ``--track v1,v2`` and validates every value, the same for every front end.
    """
    report = getattr(args, "report", None)
    return {
        "registry_url": getattr(args, "registry_url", None),
        "tracks": getattr(args, "tracks", None),
        "mode": getattr(args, "mode", None),
        "fail_open": getattr(args, "fail_open", None),
        "fail_on": getattr(args, "fail_on", None),
        "fixtures_dir": getattr(args, "fixtures_dir", None),
        "registry_enabled": getattr(args, "registry_enabled", None),
        "schemas": getattr(args, "schemas", None),
        "report": None if report is None else report.absolute(),  # relative to the cwd
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=(logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)],
        format="drift: %(levelname)s: %(message)s",
    )
    try:
        code: int = args.run(args, dict(os.environ))
    except BaseException as exc:
        code_for = exit_code_for(exc)
        if code_for is None:
            raise
        if not isinstance(exc, KeyboardInterrupt):
            print(f"drift: error: {exc}", file=sys.stderr)
        return code_for
    return code


# -- adapters: arguments in, app.run_* out ------------------------------------


def _settings(args: argparse.Namespace, env: dict[str, str]) -> Settings:
    from drift.config import load_settings

    return load_settings(args.project_dir, env, flags_from(args))


def _check_drift(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app
    from drift.reporters.annotations import wanted
    from drift.review import ReviewOutputs

    outputs = app.CheckOutputs(
        report=not args.no_report,
        markdown=args.markdown,
        junit=args.junit,
        quiet=args.quiet,
        transitive=args.transitive,
        review=ReviewOutputs(
            sarif=args.sarif, annotations=wanted(args.annotations, env), comment=args.pr_comment
        ),
        emit_telemetry=args.emit_telemetry,
        metrics_textfile=args.metrics_textfile,
        pushgateway=args.pushgateway,
    )
    return app.run_check(_settings(args, env), outputs, env=env)


def _sync_fixtures(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_sync(_settings(args, env), dry_run=args.dry_run)


def _fetch_schemas(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_fetch(_settings(args, env), args.output, all_schemas=args.all_schemas)


def _set_mode(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_set_mode(_settings(args, env), args.mode, env=env)


def _report(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app
    from drift.config import load_settings

    settings = None
    if args.format in app.REVIEW_FORMATS:  # fixture lines: the project in the current directory
        try:
            settings = load_settings(Path.cwd(), env, {})
        except DriftError:
            settings = None
    return app.run_report(args.path, args.format, settings=settings, env=env)


def _diff(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_diff(args.old, args.new, args.mode, args.format, policy=args.policy)


def _serve_registry(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_serve(args.root, args.host, args.port, latency=args.latency)


def _watch(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    options = app.WatchOptions(
        interval=args.interval,
        port=args.metrics_port,
        addr=args.metrics_addr,
        emit_telemetry=args.emit_telemetry,
    )
    return app.run_watch(_settings(args, env), options, env=env)


def _propose(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    given = {"contracts_command": args.contracts_command} if args.contracts_command else {}
    options = app.ProposeOptions(
        output=args.output,
        base=args.base,
        remote=args.remote,
        push=args.push,
        run_contracts=args.run_contracts,
        **given,
    )
    return app.run_propose(_settings(args, env), options, env=env)

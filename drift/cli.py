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
import io
import os
import sys

from drift._version import __version__
from drift.errors import exit_code_for

# Not typing.TYPE_CHECKING: ``drift --help`` imports neither typing nor logging.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
    from typing import Any, TextIO

    from drift.config import Settings

__all__ = ["build_parser", "main"]


def _path(value: str) -> Path:
    """``type=`` of path arguments (pathlib is imported when an argument needs it)."""
    from drift.cli_options import path

    return path(value)


_path.__name__ = "path"  # argparse names the type in its messages


def build_parser() -> argparse.ArgumentParser:
    from drift import cli_options as opt

    parser = opt.Parser(
        prog="drift",
        description="Keep JSON Schema fixtures in step with a schema registry.",
        epilog="Exit codes: 0 ok or warn, 1 enforced drift, 2 usage/config/fixture error, "
        "3 registry unavailable with --fail-closed. `drift COMMAND --help` for each command.",
    )
    parser.add_argument("--version", action="version", version=f"drift {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more; -vv: debug (default: off)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    out, where, sel, fixtures = opt.output(), opt.project(), opt.selection(), opt.fixtures()
    checked = [out, where, opt.registry(optional=True), sel, fixtures]
    online = [out, where, opt.registry(optional=False), sel]

    def command(name: str, summary: str, details: str, parents: list[Any]) -> Any:
        return sub.add_parser(
            name, parents=parents, help=summary, description=f"{summary[0].upper()}"
            f"{summary[1:]}. {details}",
        )  # fmt: skip

    check = command(
        "check-drift", "compare fixtures, lock and registry for every selected track",
        "Prints a summary that ends with the commands resolving any drift, writes the JSON "
        "report, and on request Markdown, JUnit, SARIF, GitHub annotations and the "
        "pull-request comment. Exit 1 only for drift a strict track enforces.",
        [*checked, opt.telemetry()],
    )  # fmt: skip
    _check_options(check)
    check.set_defaults(run=_check_drift)

    sync = command(
        "sync-fixtures", "update fixtures and lock from the registry",
        "Atomic: a failed sync leaves fixtures and lock byte-identical. Shows each change "
        "with its verdict.", [*online, fixtures],
    )  # fmt: skip
    sync.add_argument(
        "--dry-run", action="store_true", help="show what would change, with diffs; write "
        "nothing (default: off)",
    )  # fmt: skip
    sync.set_defaults(run=_sync_fixtures)

    fetch = command(
        "fetch-schemas", "download a track's schemas (never into fixtures/)",
        "Writes <output>/<track>/<name>.json with the index metadata; exit 3 when the "
        "registry cannot be reached.", online,
    )  # fmt: skip
    fetch.add_argument(
        "-o", "--output", type=_path, default="schemas-out", metavar="DIR",
        help="output directory, relative to the project (default: schemas-out)",
    )  # fmt: skip
    fetch.add_argument(
        "--all", dest="all_schemas", action="store_true",
        help="every schema of the track, not only the selected ones (default: off)",
    )  # fmt: skip
    fetch.set_defaults(run=_fetch_schemas)

    mode = command(
        "set-mode", "persist the enforcement mode of a track",
        "Writes .drift-mode.toml (REGISTRY_ENFORCEMENT and --mode still win).",
        [out, where, opt.tracks()],
    )  # fmt: skip
    mode.add_argument("mode", choices=["warn", "strict"], help="warn reports, strict fails")
    mode.set_defaults(run=_set_mode)

    waive = command(
        "waive", "accept a drifted schema's current registry version until a day",
        "Writes .drift-waivers.toml: the waiver covers exactly the registry version (tag and "
        "structural hash) served now, with an owner, a reason and a last day.",
        [out, where, opt.registry(optional=False), opt.tracks()],
    )  # fmt: skip
    waive.add_argument("schema", metavar="SCHEMA", help="schema name, e.g. models.Quote")
    waive.add_argument("--reason", required=True, help="why the drift is accepted")
    waive.add_argument("--owner", required=True, help="who answers for it (a team)")
    waive.add_argument("--until", required=True, metavar="DATE", help="last day (UTC), YYYY-MM-DD")
    waive.set_defaults(run=_waive)

    waivers = command(
        "waivers", "list the waivers with their owners and days left",
        "Reads .drift-waivers.toml; expired waivers are marked.", [out, where],
    )  # fmt: skip
    waivers.set_defaults(run=_waivers)

    report = command(
        "report", "render a saved JSON report",
        "sarif and annotations place each finding at its fixture line, read from the "
        "project in the current directory.", [out],
    )  # fmt: skip
    report.add_argument("path", type=_path, help="a drift_report.json")
    report.add_argument(
        "-f", "--format", default="text",
        choices=["text", "markdown", "junit", "json", "sarif", "annotations", "comment"],
        help="output format (default: text)",
    )  # fmt: skip
    report.set_defaults(run=_report)

    diff = command(
        "diff", "semantic diff of two JSON Schemas with a compatibility verdict",
        "Exit 0 when compatible in the chosen direction, 1 when not, 2 on bad input.", [out],
    )  # fmt: skip
    diff.add_argument("old", type=_path, help="the previous schema (the writer's)")
    diff.add_argument("new", type=_path, help="the next schema (the reader's)")
    diff.add_argument(
        "--mode", default="backward", choices=["backward", "forward", "full"],
        help="direction that must stay compatible (default: backward)",
    )  # fmt: skip
    diff.add_argument(
        "-f", "--format", default="text", choices=["text", "json"],
        help="output format (default: text)",
    )  # fmt: skip
    diff.add_argument(
        "--policy", default="strict", choices=["strict", "lenient"],
        help="lenient: a property added to an open object does not break backward "
        "(default: strict)",
    )  # fmt: skip
    diff.set_defaults(run=_diff)

    serve = command(
        "serve-registry", "serve a registry directory over the registry HTTP API",
        "For tests and offline work; Ctrl-C stops it.", [out],
    )  # fmt: skip
    serve.add_argument(
        "--root", type=_path, required=True, help="registry directory (index.json + <track>/)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="bind address (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8080, help="TCP port (default: 8080)")
    serve.add_argument(
        "--latency", type=float, default=0.0, metavar="SECONDS",
        help="seconds added to every response (default: 0)",
    )  # fmt: skip
    serve.set_defaults(run=_serve_registry)

    propose = command(
        "propose", "sync each track on a drift/sync-<track> branch and write its PR text",
        "In a clean git work tree: checks and syncs each selected track in a temporary "
        "worktree of the base branch, commits fixtures and lock on drift/sync-<track> "
        "(rebuilt on the base each run, so the registry moving again updates the same "
        "branch) and writes <output>/<track>/title.txt, body.md and labels.txt. Nothing to "
        "sync: no commit, exit 0.", [*online, fixtures],
    )  # fmt: skip
    _propose_options(propose)
    propose.set_defaults(run=_propose)

    watch = command(
        "watch", "re-check on a schedule and serve /metrics",
        "Logs one line per check (counts, registry state, duration) until SIGTERM.",
        [*checked, opt.telemetry()],
    )  # fmt: skip
    watch.add_argument(
        "--interval", default="5m", help="time between checks, e.g. 30s, 5m, 1h (default: 5m)"
    )
    watch.add_argument(
        "--metrics-port", type=_port, default=9108, help="port of /metrics (default: 9108)"
    )
    watch.add_argument(
        "--metrics-addr", default="127.0.0.1", help="bind address of /metrics (default: 127.0.0.1)"
    )
    watch.add_argument(
        "--mode", choices=["warn", "strict"],
        help="enforcement mode (default: env REGISTRY_ENFORCEMENT, set-mode, [tool.drift])",
    )  # fmt: skip
    watch.set_defaults(run=_watch)

    init = command(
        "init", "set drift up in this repository",
        "Appends [tool.drift] to pyproject.toml, writes tasks.py, noxfile.py, an example "
        "contract test, .gitignore entries, the CI workflow and .pre-commit-config.yaml "
        "hooks, then runs the first sync. Never overwrites a file without --force.", [out],
    )  # fmt: skip
    init.add_argument("--registry-url", required=True, metavar="URL", help="the registry")
    init.add_argument(
        "--tracks", default="v1,v2", help="tracks to enable, comma-separated (default: v1,v2)"
    )
    init.add_argument(
        "-C", "--project-dir", type=_path, default=".", metavar="DIR",
        help="repository root (default: the current directory)",
    )  # fmt: skip
    init.add_argument(
        "--dry-run", action="store_true", help="show the changes; write nothing (default: off)"
    )
    init.add_argument(
        "--force", action="store_true", help="overwrite files that differ (default: keep them)"
    )
    init.add_argument(
        "--no-sync", dest="sync", action="store_false",
        help="skip the first sync (default: sync once the files are written)",
    )  # fmt: skip
    init.set_defaults(run=_init)

    completion = command(
        "completion", "print a shell completion script",
        "bash: drift completion bash > ~/.local/share/bash-completion/completions/drift; "
        'zsh: drift completion zsh > "${fpath[1]}/_drift".', [out],
    )  # fmt: skip
    completion.add_argument("shell", choices=["bash", "zsh"], help="the shell")
    completion.set_defaults(run=_completion)
    return parser


def _check_options(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "--mode", choices=["warn", "strict"],
        help="enforcement mode (default: env REGISTRY_ENFORCEMENT, set-mode, [tool.drift], warn)",
    )  # fmt: skip
    check.add_argument(
        "--fail-closed", dest="fail_open", action="store_const", const=False,
        help="exit 3 when the registry is unavailable (default: fail open, exit 0)",
    )  # fmt: skip
    check.add_argument(
        "--fail-on", choices=["breaking", "drift", "any"],
        help="what strict mode fails on (default: [tool.drift] fail_on, else drift)",
    )  # fmt: skip
    check.add_argument(
        "--require-all", action="store_true", default=None,
        help="every track counts: drift on a track with required = false fails too "
        "(default: only required tracks change the exit code)",
    )  # fmt: skip
    check.add_argument(
        "--transitive", action="store_true",
        help="judge drifted schemas against every registry version since the lock "
        "(default: the latest only)",
    )  # fmt: skip
    files = check.add_argument_group("report files")
    files.add_argument(
        "--report", type=_path, metavar="PATH",
        help="JSON report path (default: [tool.drift] report, else drift_report.json)",
    )  # fmt: skip
    files.add_argument(
        "--no-report", action="store_true", help="do not write the JSON report (default: off)"
    )
    for flag, what in (("--markdown", "a Markdown report"), ("--junit", "a JUnit XML report"),
                       ("--sarif", "SARIF 2.1.0 for code scanning")):  # fmt: skip
        files.add_argument(flag, type=_path, metavar="PATH", help=f"also write {what} "
                           "(default: none)")  # fmt: skip
    files.add_argument(
        "--pr-comment", type=_path, metavar="PATH",
        help="also write the pull-request comment, Markdown under 65,536 characters "
        "(default: none)",
    )  # fmt: skip
    files.add_argument(
        "--annotations", choices=["github", "none"],
        help="GitHub workflow-command annotations on stdout (default: github when "
        "GITHUB_ACTIONS=true, else none)",
    )  # fmt: skip
    metrics = check.add_argument_group("metrics")
    metrics.add_argument(
        "--metrics-textfile", type=_path, metavar="PATH",
        help="write Prometheus metrics, node-exporter textfile format (default: none)",
    )  # fmt: skip
    metrics.add_argument(
        "--pushgateway", metavar="URL",
        help="push Prometheus metrics to this Pushgateway (default: none)",
    )  # fmt: skip
    metrics.add_argument(
        "--require-telemetry", action="store_true",
        help="exit 2 when requested events or metrics could not be delivered; fail-open "
        "covers the registry, not a broken exporter (default: best effort)",
    )  # fmt: skip


def _propose_options(propose: argparse.ArgumentParser) -> None:
    propose.add_argument(
        "-o", "--output", type=_path, default="reports/propose", metavar="DIR",
        help="folder of <track>/title.txt, body.md, labels.txt (default: reports/propose)",
    )  # fmt: skip
    propose.add_argument(
        "--base", help="branch the update branches start from (default: the current branch)"
    )
    propose.add_argument(
        "--remote", default="origin", help="git remote to push to (default: origin)"
    )
    propose.add_argument(
        "--push", action="store_true",
        help="push the branches, --force-with-lease against what the remote had (default: off)",
    )  # fmt: skip
    propose.add_argument(
        "--run-contracts", action="store_true",
        help="run the contract tests on the synced fixtures; the result goes into the body "
        "(default: off)",
    )  # fmt: skip
    propose.add_argument(
        "--contracts-command", metavar="CMD",
        help="the contract tests, {track} and {python} replaced (default: {python} -m pytest "
        "-q -p no:cacheprovider --schema-track {track} tests/contracts)",
    )  # fmt: skip


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


def _port(text: str) -> int:
    """A TCP port (0: any free one); argparse turns the ValueError into exit 2."""
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port (0-65535)")
    return port


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    import logging

    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    logging.basicConfig(
        level=logging.ERROR if getattr(args, "quiet", False) else level,
        format="drift: %(levelname)s: %(message)s",
    )
    from drift.redaction import guard_streams, password_of, remember  # after --help

    env = dict(os.environ)
    remember(env.get("REGISTRY_TOKEN"), password_of(env.get("REGISTRY_URL")))
    remember(getattr(args, "token", None), password_of(getattr(args, "registry_url", None)))
    with guard_streams():  # every byte printed below passes the redaction boundary
        try:
            code: int = args.run(args, env)
        except BaseException as exc:
            code_for = exit_code_for(exc)
            if code_for is None:
                raise
            if not isinstance(exc, KeyboardInterrupt):
                print(f"drift: error: {exc}", file=sys.stderr)
            return code_for
    return code


# -- adapters: arguments in, app.run_* out ------------------------------------


class _Silent(io.StringIO):
    """Where ``-q`` sends a command's normal output."""

    def write(self, text: str) -> int:
        return len(text)


def _out(args: argparse.Namespace) -> TextIO:
    return _Silent() if getattr(args, "quiet", False) else sys.stdout


def _colour(args: argparse.Namespace, env: dict[str, str]) -> bool:
    from drift.terminal import colour_enabled

    return colour_enabled(args.color, sys.stdout, env)


def _progress(args: argparse.Namespace, env: dict[str, str]) -> bool:
    from drift.terminal import progress_enabled

    return progress_enabled(sys.stderr, env, quiet=args.quiet)


def _settings(args: argparse.Namespace, env: dict[str, str]) -> Settings:
    from drift.discovery import load_project_settings

    return load_project_settings(args.project_dir, env, flags_from(args))


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
        colour=_colour(args, env),
        progress=_progress(args, env),
        emit_telemetry=args.emit_telemetry,
        metrics_textfile=args.metrics_textfile,
        pushgateway=args.pushgateway,
        require_telemetry=args.require_telemetry,
    )
    return app.run_check(_settings(args, env), outputs, env=env)


def _sync_fixtures(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_sync(
        _settings(args, env), dry_run=args.dry_run, out=_out(args), progress=_progress(args, env)
    )


def _fetch_schemas(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_fetch(
        _settings(args, env),
        args.output,
        all_schemas=args.all_schemas,
        out=_out(args),
        progress=_progress(args, env),
    )


def _set_mode(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_set_mode(_settings(args, env), args.mode, env=env, out=_out(args))


def _waive(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app
    from drift.errors import ConfigError

    if not args.tracks or len(args.tracks) != 1:
        raise ConfigError("waive: give exactly one --track (v1 or v2)")
    return app.run_waive(
        _settings(args, env),
        args.schema,
        args.tracks[0],
        owner=args.owner,
        reason=args.reason,
        until=args.until,
        out=_out(args),
    )


def _waivers(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_waivers(_settings(args, env), out=_out(args))


def _report(args: argparse.Namespace, env: dict[str, str]) -> int:
    from pathlib import Path

    from drift import app

    # fixture lines (sarif, annotations): the project in the current directory
    return app.run_report(args.path, args.format, project=Path.cwd(), env=env, out=_out(args))


def _diff(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_diff(
        args.old, args.new, args.mode, args.format, policy=args.policy, out=_out(args)
    )


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
    return app.run_watch(_settings(args, env), options, env=env, out=_out(args))


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
    return app.run_propose(_settings(args, env), options, env=env, out=_out(args))


def _completion(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    return app.run_completion(build_parser(), args.shell, out=_out(args))


def _init(args: argparse.Namespace, env: dict[str, str]) -> int:
    from drift import app

    tracks = tuple(t.strip() for t in args.tracks.split(",") if t.strip())
    return app.run_init(
        args.project_dir, args.registry_url, tracks, dry_run=args.dry_run, force=args.force,
        sync=args.sync, env=env,
    )  # fmt: skip

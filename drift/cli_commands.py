"""The ``drift`` subcommands as a table: help texts and options, in ``drift --help`` order.

Data only (see :mod:`drift.cli_options` for how an option is declared);
:func:`drift.cli.build_parser` applies it, and an adapter in :mod:`drift.cli` named
after each command runs it. Standard library only: ``drift --help`` must start fast.
"""

from __future__ import annotations

from drift._version import __version__
from drift.cli_options import (
    FIXTURES,
    NO_REGISTRY,
    OUTPUT,
    PROJECT,
    REGISTRY,
    SCHEMA,
    TELEMETRY,
    TRACK,
    option,
    path,
    port,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from drift.cli_options import Option

__all__ = ["COMMANDS", "DESCRIPTION", "EPILOG", "GLOBAL", "Command"]


class Command:
    """One subcommand: the summary ``drift --help`` lists, its description, its options."""

    __slots__ = ("description", "name", "options", "summary")

    def __init__(self, name: str, summary: str, details: str, *options: Option) -> None:
        self.name = name
        self.summary = summary
        self.description = f"{summary[0].upper()}{summary[1:]}. {details}"
        self.options = options


DESCRIPTION = "Keep JSON Schema fixtures in step with a schema registry."
EPILOG = (
    "Exit codes: 0 ok or warn, 1 enforced drift, 2 usage/config/fixture error, "
    "3 registry unavailable with --fail-closed. `drift COMMAND --help` for each command."
)
GLOBAL = (
    option("--version", action="version", version=f"drift {__version__}"),
    option("-v", "--verbose", action="count", default=0,
           help="log more; -vv: debug (default: off)"),
)  # fmt: skip

#: commands that read the project and can do without the registry / that need it
CHECKED = (*OUTPUT, PROJECT, REGISTRY, NO_REGISTRY, TRACK, SCHEMA, FIXTURES)
ONLINE = (*OUTPUT, PROJECT, REGISTRY, TRACK, SCHEMA)
MODES = ["warn", "strict"]


def _also(flag: str, what: str) -> Option:
    return option(flag, type=path, metavar="PATH", section="report files",
                  help=f"also write {what} (default: none)")  # fmt: skip


CHECK = Command(
    "check-drift", "compare fixtures, lock and registry for every selected track",
    "Prints a summary that ends with the commands resolving any drift, writes the JSON "
    "report, and on request Markdown, JUnit, SARIF, GitHub annotations and the "
    "pull-request comment. Exit 1 only for drift a strict track enforces.",
    *CHECKED, TELEMETRY,
    option("--mode", choices=MODES, help="enforcement mode (default: env "
           "REGISTRY_ENFORCEMENT, set-mode, [tool.drift], warn)"),
    option("--fail-closed", dest="fail_open", action="store_const", const=False,
           help="exit 3 when the registry is unavailable (default: fail open, exit 0)"),
    option("--fail-on", choices=["breaking", "drift", "any"],
           help="what strict mode fails on (default: [tool.drift] fail_on, else drift)"),
    option("--require-all", action="store_true", default=None,
           help="every track counts: drift on a track with required = false fails too "
           "(default: only required tracks change the exit code)"),
    option("--transitive", action="store_true", help="judge drifted schemas against every "
           "registry version since the lock (default: the latest only)"),
    option("--report", type=path, metavar="PATH", section="report files",
           help="JSON report path (default: [tool.drift] report, else drift_report.json)"),
    option("--no-report", action="store_true", section="report files",
           help="do not write the JSON report (default: off)"),
    _also("--markdown", "a Markdown report"),
    _also("--junit", "a JUnit XML report"),
    _also("--sarif", "SARIF 2.1.0 for code scanning"),
    _also("--pr-comment", "the pull-request comment, Markdown under 65,536 characters"),
    option("--annotations", choices=["github", "none"], section="report files",
           help="GitHub workflow-command annotations on stdout (default: github when "
           "GITHUB_ACTIONS=true, else none)"),
    option("--metrics-textfile", type=path, metavar="PATH", section="metrics",
           help="write Prometheus metrics, node-exporter textfile format (default: none)"),
    option("--pushgateway", metavar="URL", section="metrics",
           help="push Prometheus metrics to this Pushgateway (default: none)"),
    option("--require-telemetry", action="store_true", section="metrics",
           help="exit 2 when requested events or metrics could not be delivered; fail-open "
           "covers the registry, not a broken exporter (default: best effort)"),
)  # fmt: skip
SYNC = Command(
    "sync-fixtures", "update fixtures and lock from the registry",
    "Atomic: a failed sync leaves fixtures and lock byte-identical. Shows each change "
    "with its verdict.",
    *ONLINE, FIXTURES,
    option("--dry-run", action="store_true",
           help="show what would change, with diffs; write nothing (default: off)"),
)  # fmt: skip
FETCH = Command(
    "fetch-schemas", "download a track's schemas (never into fixtures/)",
    "Writes <output>/<track>/<name>.json with the index metadata; exit 3 when the "
    "registry cannot be reached.",
    *ONLINE,
    option("-o", "--output", type=path, default="schemas-out", metavar="DIR",
           help="output directory, relative to the project (default: schemas-out)"),
    option("--all", dest="all_schemas", action="store_true",
           help="every schema of the track, not only the selected ones (default: off)"),
)  # fmt: skip
SET_MODE = Command(
    "set-mode", "persist the enforcement mode of a track",
    "Writes .drift-mode.toml (REGISTRY_ENFORCEMENT and --mode still win).",
    *OUTPUT, PROJECT, TRACK,
    option("mode", choices=MODES, help="warn reports, strict fails"),
)  # fmt: skip
WAIVE = Command(
    "waive", "accept a drifted schema's current registry version until a day",
    "Writes .drift-waivers.toml: the waiver covers exactly the registry version (tag and "
    "structural hash) served now, with an owner, a reason and a last day.",
    *OUTPUT, PROJECT, REGISTRY, TRACK,
    option("schema", metavar="SCHEMA", help="schema name, e.g. models.Quote"),
    option("--reason", required=True, help="why the drift is accepted"),
    option("--owner", required=True, help="who answers for it (a team)"),
    option("--until", required=True, metavar="DATE", help="last day (UTC), YYYY-MM-DD"),
)  # fmt: skip
WAIVERS = Command(
    "waivers", "list the waivers with their owners and days left",
    "Reads .drift-waivers.toml; expired waivers are marked.",
    *OUTPUT, PROJECT,
)  # fmt: skip
REPORT = Command(
    "report", "render a saved JSON report",
    "sarif and annotations place each finding at its fixture line, read from the "
    "project in the current directory.",
    *OUTPUT,
    option("path", type=path, help="a drift_report.json"),
    option("-f", "--format", default="text", help="output format (default: text)",
           choices=["text", "markdown", "junit", "json", "sarif", "annotations", "comment"]),
)  # fmt: skip
DIFF = Command(
    "diff", "semantic diff of two JSON Schemas with a compatibility verdict",
    "Exit 0 when compatible in the chosen direction, 1 when not, 2 on bad input.",
    *OUTPUT,
    option("old", type=path, help="the previous schema (the writer's)"),
    option("new", type=path, help="the next schema (the reader's)"),
    option("--mode", default="backward", choices=["backward", "forward", "full"],
           help="direction that must stay compatible (default: backward)"),
    option("-f", "--format", default="text", choices=["text", "json"],
           help="output format (default: text)"),
    option("--policy", default="strict", choices=["strict", "lenient"],
           help="lenient: a property added to an open object does not break backward "
           "(default: strict)"),
)  # fmt: skip
SERVE = Command(
    "serve-registry", "serve a registry directory over the registry HTTP API",
    "For tests and offline work; Ctrl-C stops it.",
    *OUTPUT,
    option("--root", type=path, required=True,
           help="registry directory (index.json + <track>/)"),
    option("--host", default="127.0.0.1", help="bind address (default: 127.0.0.1)"),
    option("--port", type=port, default=8080, help="TCP port (default: 8080)"),
    option("--latency", type=float, default=0.0, metavar="SECONDS",
           help="seconds added to every response (default: 0)"),
)  # fmt: skip
PROPOSE = Command(
    "propose", "sync each track on a drift/sync-<track> branch and write its PR text",
    "In a clean git work tree: checks and syncs each selected track in a temporary "
    "worktree of the base branch, commits fixtures and lock on drift/sync-<track> "
    "(rebuilt on the base each run, so the registry moving again updates the same "
    "branch) and writes <output>/<track>/title.txt, body.md and labels.txt. Nothing to "
    "sync: no commit, exit 0.",
    *ONLINE, FIXTURES,
    option("-o", "--output", type=path, default="reports/propose", metavar="DIR",
           help="folder of <track>/title.txt, body.md, labels.txt (default: reports/propose)"),
    option("--base", help="branch the update branches start from (default: the current "
           "branch)"),
    option("--remote", default="origin", help="git remote to push to (default: origin)"),
    option("--push", action="store_true", help="push the branches, --force-with-lease "
           "against what the remote had (default: off)"),
    option("--run-contracts", action="store_true", help="run the contract tests on the "
           "synced fixtures; the result goes into the body (default: off)"),
    option("--contracts-command", metavar="CMD", help="the contract tests, {track} and "
           "{python} replaced (default: {python} -m pytest -q -p no:cacheprovider "
           "--schema-track {track} tests/contracts)"),
)  # fmt: skip
WATCH = Command(
    "watch", "re-check on a schedule and serve /metrics",
    "Logs one line per check (counts, registry state, duration) until SIGTERM.",
    *CHECKED, TELEMETRY,
    option("--interval", default="5m",
           help="time between checks, e.g. 30s, 5m, 1h (default: 5m)"),
    option("--metrics-port", type=port, default=9108, help="port of /metrics (default: 9108)"),
    option("--metrics-addr", default="127.0.0.1",
           help="bind address of /metrics (default: 127.0.0.1)"),
    option("--mode", choices=MODES, help="enforcement mode (default: env "
           "REGISTRY_ENFORCEMENT, set-mode, [tool.drift])"),
)  # fmt: skip
INIT = Command(
    "init", "set drift up in this repository",
    "Appends [tool.drift] to pyproject.toml, writes tasks.py, noxfile.py, an example "
    "contract test, .gitignore entries, the CI workflow and .pre-commit-config.yaml "
    "hooks, then runs the first sync. Never overwrites a file without --force.",
    *OUTPUT,
    option("--registry-url", required=True, metavar="URL", help="the registry"),
    option("--tracks", default="v1,v2",
           help="tracks to enable, comma-separated (default: v1,v2)"),
    option("-C", "--project-dir", type=path, default=".", metavar="DIR",
           help="repository root (default: the current directory)"),
    option("--dry-run", action="store_true",
           help="show the changes; write nothing (default: off)"),
    option("--force", action="store_true", help="overwrite files that differ (default: keep them)"),
    option("--no-sync", dest="sync", action="store_false",
           help="skip the first sync (default: sync once the files are written)"),
)  # fmt: skip
COMPLETION = Command(
    "completion", "print a shell completion script",
    "bash: drift completion bash > ~/.local/share/bash-completion/completions/drift; "
    'zsh: drift completion zsh > "${fpath[1]}/_drift".',
    *OUTPUT,
    option("shell", choices=["bash", "zsh"], help="the shell"),
)  # fmt: skip

COMMANDS = (
    CHECK, SYNC, FETCH, SET_MODE, WAIVE, WAIVERS, REPORT, DIFF, SERVE, PROPOSE, WATCH, INIT,
    COMPLETION,
)  # fmt: skip

"""The one wiring layer: one ``run_*`` per workflow, shared by every front end.

Each ``run_*`` takes resolved :class:`~drift.config.Settings` (or the plain
values of a command without a project), builds the collaborators its workflow
needs (registry source, fixture store, mode file, telemetry), runs it, writes
its outputs and returns the exit code. Nothing here decides drift: that is the
engine's job. Errors are raised as :mod:`drift.errors`; the front ends turn
them into :func:`~drift.errors.exit_code_for`.

Adding a command ``frob``:

1. here: ``run_frob(settings, ..., out=None) -> int`` (heavy imports inside it);
2. :mod:`drift.cli_commands`: a ``Command("frob", ...)`` with its options, and in
   :mod:`drift.cli` an adapter ``@_adapter("frob") _frob(args, env)`` that only
   translates arguments;
3. :mod:`drift.tasks` (if it is a task too): a ``@task`` that only translates
   arguments and calls ``_run(app.run_frob(...))``.

The registry is opened through ``opener`` (default :func:`open_registry`), so
tests can hand a workflow a fake source.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from drift.errors import ConfigError, DriftError
from drift.review import ReviewOutputs

# Each run_* imports what its workflow needs when it runs: a command (the offline
# check in a pre-commit hook, ``drift --help``) pays only for its own path.
TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    import argparse
    import datetime as dt
    from typing import TextIO

    from drift.config import Settings
    from drift.model import CompatPolicy
    from drift.modes import ModeFile
    from drift.report import Report
    from drift.sources.base import RegistrySource, RequestHook
    from drift.terminal import Progress

__all__ = [
    "REVIEW_FORMATS",
    "CheckOutputs",
    "ProposeOptions",
    "SourceOpener",
    "WatchOptions",
    "check_once",
    "mode_file",
    "open_registry",
    "run_check",
    "run_completion",
    "run_diff",
    "run_fetch",
    "run_init",
    "run_propose",
    "run_report",
    "run_serve",
    "run_set_mode",
    "run_sync",
    "run_waive",
    "run_waivers",
    "run_watch",
]

#: ``drift report`` formats made for pull requests (see :mod:`drift.review`).
REVIEW_FORMATS = ("sarif", "annotations", "comment")


@dataclass(frozen=True)
class CheckOutputs:
    """How a check runs and where it writes besides the terminal."""

    report: bool = True
    """Write the JSON report to :attr:`Settings.report_path <drift.config.Settings>`."""
    markdown: Path | None = None
    junit: Path | None = None
    quiet: bool = False
    transitive: bool = False
    review: ReviewOutputs = field(default_factory=ReviewOutputs)
    """SARIF, GitHub annotations, pull-request comment."""
    colour: bool = False
    progress: bool = False
    """A progress line on stderr while the registry answers (a person at a terminal)."""
    emit_telemetry: bool = False
    """Publish ``telemetry.schema_drift`` events (``PULSE_ENABLED`` & co. still apply)."""
    metrics_textfile: Path | None = None
    pushgateway: str | None = None
    require_telemetry: bool = False
    """Exit 2 when requested events or metrics could not be delivered."""


@dataclass(frozen=True)
class WatchOptions:
    """``drift watch``'s own knobs (the check itself comes from the settings)."""

    interval: str = "5m"
    """Time between checks, as ``30s``, ``5m`` or ``1h``."""
    port: int = 9108
    addr: str = "127.0.0.1"
    emit_telemetry: bool = False


#: Opens the registry the settings name (``None``: disabled); the seam tests use.
SourceOpener = Callable[["Settings", "RequestHook | None"], "RegistrySource | None"]


def mode_file(settings: Settings) -> ModeFile:
    from drift.modes import MODE_FILE, ModeFile

    return ModeFile(settings.root / MODE_FILE)


def open_registry(
    settings: Settings, on_request: RequestHook | None = None
) -> RegistrySource | None:
    """The registry source the settings name, or ``None`` when the registry is disabled."""
    if not settings.registry_enabled:
        return None
    from drift.sources import open_source
    from drift.urls import redact_url, registry_kind

    options: dict[str, object] = {
        "timeout": settings.timeout,
        "retries": settings.retries,
        "deadline": settings.deadline,
        "concurrency": settings.concurrency,
    }
    if on_request is not None:
        options["on_request"] = on_request
    if registry_kind(settings.registry_url) == "http":  # a conditional GET /index (ETag)
        from drift.sources.index_cache import IndexCache, default_cache_dir

        location = redact_url(settings.registry_url)
        options["index_cache"] = IndexCache(default_cache_dir(os.environ), location)
    return open_source(
        settings.require_registry(),
        base_dir=settings.root,
        token=settings.registry_token,
        **options,
    )


def check_once(
    settings: Settings,
    outputs: CheckOutputs,
    *,
    out: TextIO | None = None,
    env: Mapping[str, str] = os.environ,
    on_report: Callable[[Report], None] | None = None,
    on_request: RequestHook | None = None,
    opener: SourceOpener = open_registry,
    clock: Callable[[], float] = time.time,
) -> Report:
    """One check: run it and write its report files (``outputs``'s telemetry is the caller's)."""
    from drift import reporters
    from drift.check import CheckInputs, check_drift
    from drift.fixtures import FixtureStore
    from drift.redaction import redact_fields
    from drift.waiver_file import WaiverFile

    out = sys.stdout if out is None else out  # resolved per call: capture/redirect
    source = opener(settings, on_request)
    try:
        inputs = CheckInputs(
            store=FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys),
            source=source,
            modes=mode_file(settings).read(),
            transitive=outputs.transitive,
            waivers=WaiverFile.in_root(settings.root).read(),
            clock=clock,
        )
        # registry-sent text may carry a secret: clean once, before reports, events, metrics
        report = redact_fields(check_drift(settings, inputs))
    finally:
        if source is not None:
            source.close()
    if on_report is not None:
        on_report(report)
    to_stdout = outputs.report and settings.report_path.name == "-"
    if outputs.report:
        from drift.reporters.json_report import write_json
    if to_stdout:  # --report -: stdout is the JSON alone; the text report goes to stderr
        write_json(report, out)
        out = sys.stderr
    elif outputs.report:
        write_json(report, settings.report_path)
    if outputs.markdown is not None or outputs.junit is not None:
        from drift.atomic import write_atomic
    if outputs.markdown is not None:
        write_atomic(outputs.markdown, reporters.render(report, "markdown"))
    if outputs.junit is not None:
        write_atomic(outputs.junit, reporters.render(report, "junit"))
    try:
        reporters.append_step_summary(report, env)
    except DriftError as exc:  # a summary is a courtesy: never fail the check over it
        from drift.logs import logger

        logger("drift").warning("%s", exc)
    if outputs.review.any:
        from drift.review import write_review

        write_review(report, outputs.review, settings, env, out)
    if not outputs.quiet:
        out.write(reporters.render_text(report, colour=outputs.colour))
    return report


def run_check(
    settings: Settings,
    outputs: CheckOutputs,
    *,
    out: TextIO | None = None,
    env: Mapping[str, str] = os.environ,
    opener: SourceOpener = open_registry,
    clock: Callable[[], float] = time.time,
) -> int:
    """``check-drift``: one check with its telemetry (events, metrics); the report's exit code.

    ``clock`` (Unix seconds) dates the check: the report's times and the day waivers
    are judged on."""
    on_report: Callable[[Report], None] | None = None
    on_request: RequestHook | None = None
    telemetry = None
    if outputs.emit_telemetry or outputs.metrics_textfile or outputs.pushgateway:
        from drift.telemetry.batch import BatchTelemetry

        telemetry = BatchTelemetry(
            env,
            emit=outputs.emit_telemetry,
            textfile=outputs.metrics_textfile,
            pushgateway=outputs.pushgateway,
            probe=outputs.require_telemetry,
        )
        on_report, on_request = telemetry.on_report, telemetry.on_request
    elif env.get("DRIFT_CRITICAL_SCHEMAS"):  # nothing published: no Prometheus import,
        from drift.telemetry.critical import CriticalSchemas  # the same exit 2 on bad input

        CriticalSchemas.from_env(env)
    meter = _progress(outputs.progress, "check: registry requests")
    if meter.enabled:
        on_report, on_request = _metered(meter, on_report, on_request)
    with meter:
        report = check_once(
            settings,
            outputs,
            out=out,
            env=env,
            on_report=on_report,
            on_request=on_request,
            opener=opener,
            clock=clock,
        )
    if outputs.quiet and report.exit_code:  # -q: still the one line that says why
        from drift import reporters

        sys.stderr.write(reporters.failure_summary(report, colour=outputs.colour))
    problems = telemetry.problems() if telemetry and outputs.require_telemetry else []
    for problem in problems:  # fail-open covers the registry, not a broken exporter
        print(f"drift: error: --require-telemetry: {problem}", file=sys.stderr)
    return max(report.exit_code, 2) if problems else report.exit_code


def _metered(
    meter: Progress,
    on_report: Callable[[Report], None] | None,
    on_request: RequestHook | None,
) -> tuple[Callable[[Report], None], RequestHook]:
    """The hooks with the progress line: counted per request, erased before the report."""

    def request(url: str, seconds: float, error: str | None) -> None:
        meter.on_request()
        if on_request is not None:
            on_request(url, seconds, error)

    def report(result: Report) -> None:
        meter.close()  # before anything is printed
        if on_report is not None:
            on_report(result)

    return report, request


def _progress(enabled: bool, label: str) -> Progress:
    """A progress line on stderr (a no-op unless ``enabled``)."""
    from drift.terminal import Progress

    return Progress(sys.stderr, label, enabled=enabled)


def run_sync(
    settings: Settings,
    *,
    dry_run: bool,
    out: TextIO | None = None,
    opener: SourceOpener = open_registry,
    progress: bool = False,
) -> int:
    """``sync-fixtures`` (or, with ``dry_run``, what it would do); ``progress``: a line on
    stderr while the registry answers and the fixtures are written."""
    out = sys.stdout if out is None else out
    meter = _progress(progress, "sync: registry requests")
    source = _open_or_say(settings, opener, out, "sync", meter)
    if source is None:
        return 0
    from drift.fixtures import FixtureStore
    from drift.reporters.common import counterexample_line

    store = FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys)
    try:
        from drift.sync import plan_sync

        plan = plan_sync(settings, source, store, diffs=dry_run)
    finally:
        source.close()
        meter.close()
    for change in plan.changes:
        verdict = f" [{change.verdict}]" if change.verdict else ""
        out.write(f"{change.action:7} {change.track}/{change.name}{verdict}\n")
        for line in change.changes:
            out.write(f"          {line}\n")
        if change.counterexample is not None:
            out.write(f"          {counterexample_line(change.counterexample)}\n")
        if dry_run and change.diff:
            out.write(change.diff if change.diff.endswith("\n") else change.diff + "\n")
    if plan.empty:
        out.write(f"fixtures are up to date ({plan.unchanged} schemas unchanged)\n")
        return 0
    if dry_run:
        out.write(f"dry run: {len(plan.changes)} fixture(s) would change; nothing written\n")
        return 0
    from drift.sync import sync_fixtures

    with meter:
        meter.phase(f"sync: writing {len(plan.changes)} fixture(s) and the lock")
        sync_fixtures(store, plan)
    out.write(
        f"synced {len(plan.changes)} fixture(s), {plan.unchanged} unchanged; "
        f"lock written to {store.lock_path}\n"
    )
    return 0


def run_fetch(
    settings: Settings,
    output: Path,
    *,
    all_schemas: bool,
    out: TextIO | None = None,
    opener: SourceOpener = open_registry,
    progress: bool = False,
) -> int:
    """``fetch-schemas`` into ``output`` (relative: under the project root); 3 on any error."""
    out = sys.stdout if out is None else out
    output = output if output.is_absolute() else settings.root / output
    meter = _progress(progress, "fetch: registry requests")
    source = _open_or_say(settings, opener, out, "fetch", meter)
    if source is None:
        return 0
    try:
        from drift.sync import fetch_schemas

        result = fetch_schemas(settings, source, output, all_schemas=all_schemas)
    finally:
        source.close()
        meter.close()
    for track, names in result.written.items():
        out.write(f"{track}: {len(names)} schema(s) written to {result.output / track}\n")
    for where, error in result.errors.items():
        out.write(f"error: {where}: {error}\n")
    return 3 if result.errors else 0


def _open_or_say(
    settings: Settings, opener: SourceOpener, out: TextIO, what: str, meter: Progress
) -> RegistrySource | None:
    """The registry (its requests counted by ``meter`` when that is shown), or ``None``
    after saying there is nothing to ``what`` without one."""
    source = opener(settings, meter.on_request if meter.enabled else None)
    if source is None:
        out.write(f"registry disabled (REGISTRY_ENABLED=false): nothing to {what}\n")
    return source


def run_set_mode(
    settings: Settings,
    mode: str,
    *,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
) -> int:
    """``set-mode``: persist ``mode`` for every selected track."""
    out = sys.stdout if out is None else out
    modes = mode_file(settings)
    for track in settings.selected:
        modes.set(track, mode)
        out.write(f"{track}: enforcement mode set to {mode} in {modes.path}\n")
        if env.get("REGISTRY_ENFORCEMENT"):
            out.write(f"note: REGISTRY_ENFORCEMENT={env['REGISTRY_ENFORCEMENT']} is set and wins\n")
    return 0


def run_waive(
    settings: Settings,
    schema: str,
    track: str,
    *,
    owner: str,
    reason: str,
    until: str,
    out: TextIO | None = None,
    opener: SourceOpener = open_registry,
    clock: Callable[[], float] = time.time,
) -> int:
    """``waive``: accept the registry's current version of ``track``/``schema`` until a day."""
    from drift.names import normalize_name
    from drift.waiver_file import WaiverFile
    from drift.waivers import make_waiver, parse_date

    out = sys.stdout if out is None else out
    today = _today(clock)
    day = parse_date(until, "--until")
    file = WaiverFile.in_root(settings.root)
    file.read()  # a malformed file fails before the registry is asked
    source = opener(settings, None)
    if source is None:
        raise ConfigError("registry disabled: a waiver is made for a registry version")
    try:
        waiver = make_waiver(
            source,
            track,
            normalize_name(schema),
            owner=owner,
            reason=reason,
            until=day,
            today=today,
            annotation_keys=settings.annotation_keys,
        )
    finally:
        source.close()
    file.add(waiver)
    out.write(
        f"waived {waiver.label()} for registry tag {waiver.registry_tag[:12]}: "
        f"{waiver.days_left(today)} day(s) left; written to {file.path}\n"
    )
    return 0


def run_waivers(
    settings: Settings, *, out: TextIO | None = None, clock: Callable[[], float] = time.time
) -> int:
    """``waivers``: list the project's waivers with their days left (expired ones marked)."""
    from drift.waiver_file import WaiverFile
    from drift.waivers import describe

    out = sys.stdout if out is None else out
    file = WaiverFile.in_root(settings.root)
    waivers = file.read()
    if not waivers:
        out.write(f"no waivers ({file.path} lists none)\n")
    today = _today(clock)
    for waiver in sorted(waivers, key=lambda w: (w.track, w.schema)):
        out.write(describe(waiver, today) + "\n")
    return 0


def _today(clock: Callable[[], float]) -> dt.date:
    import datetime as dt

    return dt.datetime.fromtimestamp(clock(), dt.timezone.utc).date()


def run_report(
    path: Path,
    fmt: str,
    *,
    project: Path | None = None,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
) -> int:
    """Render a saved JSON report (``sarif``/``annotations`` place fixture lines with the
    fixtures directory of the ``project`` when it has valid settings)."""
    from drift import reporters
    from drift.reporters.json_report import read_json

    out = sys.stdout if out is None else out  # resolved per call: capture/redirect
    report = read_json(path)
    if fmt in REVIEW_FORMATS:
        from drift.config import load_settings
        from drift.review import locator, render_review

        settings = None
        if project is not None:
            try:
                settings = load_settings(project, env, {})
            except DriftError:
                settings = None  # lines are a courtesy: render without them

        out.write(render_review(report, fmt, locator(settings, env), env))
        return 0
    out.write(reporters.render(report, fmt))  # type: ignore[arg-type]
    return 0


@dataclass(frozen=True)
class ProposeOptions:
    """``drift propose``'s own knobs."""

    output: Path = Path("reports/propose")
    """Where each track's ``title.txt``, ``body.md``, ``labels.txt`` go (relative: to the
    project root)."""
    base: str | None = None
    remote: str = "origin"
    push: bool = False
    run_contracts: bool = False
    contracts_command: str | None = None
    """Run in the synced checkout; ``{track}`` and ``{python}`` (this interpreter) replaced
    (``None``: :data:`CONTRACTS_COMMAND`)."""


#: ``propose``'s contract tests unless ``--contracts-command`` names others.
CONTRACTS_COMMAND = (
    "{python} -m pytest -q -p no:cacheprovider --schema-track {track} tests/contracts"
)


def run_propose(
    settings: Settings,
    options: ProposeOptions,
    *,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    opener: SourceOpener = open_registry,
) -> int:
    """``propose``: an update branch and pull-request text per selected track."""
    from drift.gitrepo import Git
    from drift.propose import ProposeRequest, contract_runner, propose

    out = sys.stdout if out is None else out

    def source(scratch: Settings) -> RegistrySource:
        opened = opener(scratch, None)
        if opened is None:
            raise ConfigError("drift propose needs the registry (REGISTRY_ENABLED is false)")
        return opened

    output = options.output if options.output.is_absolute() else settings.root / options.output
    command = (options.contracts_command or CONTRACTS_COMMAND).replace("{python}", sys.executable)
    request = ProposeRequest(output, options.base, options.remote, options.push)
    proposals = propose(
        settings,
        request,
        Git(settings.root, env),
        open_source=source,
        run_contracts=contract_runner(command) if options.run_contracts else None,
    )
    for proposal in proposals:
        out.write(proposal.line() + "\n")
    if any(p.state != "up-to-date" for p in proposals):
        out.write(f"pull-request title, body and labels per track in {output}\n")
    return 0


def run_completion(
    parser: argparse.ArgumentParser, shell: str, *, out: TextIO | None = None
) -> int:
    """``completion``: the shell completion script of ``parser``."""
    from drift.completion import completion_script

    (sys.stdout if out is None else out).write(completion_script(parser, shell))
    return 0


def run_diff(
    old: Path,
    new: Path,
    mode: str,
    fmt: str,
    *,
    policy: CompatPolicy = "strict",
    out: TextIO | None = None,
) -> int:
    """``diff``: semantic diff of two schema files; 0 compatible under ``mode``, else 1."""
    from drift.compat import run_diff as diff_files

    return diff_files(old, new, mode, fmt, sys.stdout if out is None else out, policy=policy)


def run_serve(root: Path, host: str, port: int, *, latency: float = 0.0) -> int:
    """``serve-registry``: serve a registry directory until Ctrl-C."""
    from drift.server import serve

    serve(root, host, port, latency=latency)
    return 0


def run_watch(
    settings: Settings,
    options: WatchOptions,
    *,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    opener: SourceOpener = open_registry,
) -> int:
    """``watch``: re-check every ``options.interval``, serve ``/metrics`` until SIGTERM."""
    import signal

    from prometheus_client import CollectorRegistry

    from drift import reporters
    from drift.durations import parse_duration
    from drift.telemetry.exposition import CriticalSchemas
    from drift.telemetry.metrics import DriftMetrics
    from drift.telemetry.publisher import PulsePublisher
    from drift.telemetry.watch import Watcher

    out = sys.stdout if out is None else out
    try:
        interval = parse_duration(options.interval)
    except ValueError as exc:
        raise ConfigError(f"--interval: {exc}") from None
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry, critical=CriticalSchemas.from_env(env))
    publisher = PulsePublisher.from_env(env, emit=options.emit_telemetry, metrics=metrics)
    quiet = CheckOutputs(quiet=True)

    def check() -> Report:
        report = check_once(
            settings, quiet, env=env, on_request=metrics.observe_request, opener=opener
        )
        out.write(f"drift watch: {reporters.watch_line(report)}")  # one line per check
        out.flush()
        return report

    state = env.get("DRIFT_METRICS_STATE")
    watcher = Watcher(
        check,
        interval,
        registry,
        metrics=metrics,
        port=options.port,
        addr=options.addr,
        state_path=Path(state) if state else None,
        on_report=publisher,
    )
    previous = signal.signal(signal.SIGTERM, lambda *_: watcher.stop())
    try:
        watcher.serve()
        out.write(
            f"drift watch: checking every {options.interval}; "
            f"metrics on http://{options.addr}:{watcher.port}/metrics\n"
        )
        out.flush()
        watcher.run_forever()
    finally:
        signal.signal(signal.SIGTERM, previous)
        publisher.close()
    return 0


def run_init(
    root: Path,
    registry_url: str,
    tracks: tuple[str, ...],
    *,
    dry_run: bool = False,
    force: bool = False,
    sync: bool = True,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
) -> int:
    """``drift init``: set drift up in the repository at ``root`` (see :mod:`drift.adopt`)."""
    from drift.adopt import run_init as init
    from drift.scaffold import InitOptions

    options = InitOptions(registry_url=registry_url, tracks=tracks)
    return init(
        root, options, dry_run=dry_run, force=force, sync=sync, env=env,
        out=sys.stdout if out is None else out,
    )  # fmt: skip

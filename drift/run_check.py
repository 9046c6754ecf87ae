"""``check-drift`` and ``report``: one check with its outputs, or a saved report rendered.

:func:`check_once` is the check every front end runs (``watch`` too): open the
registry, judge the fixtures (:func:`drift.check.check_drift`), redact, write the
report files; :func:`run_check` adds the telemetry and the progress line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from pathlib import Path

from drift.app import mode_file
from drift.errors import DriftError
from drift.records import record
from drift.review import ReviewOutputs

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    from drift.app import Runtime
    from drift.config import Settings
    from drift.report import Report
    from drift.sources.base import RequestHook
    from drift.terminal import Progress

__all__ = ["REVIEW_FORMATS", "CheckOutputs", "check_once", "run_check", "run_report"]

#: ``drift report`` formats made for pull requests (see :mod:`drift.review`).
REVIEW_FORMATS = ("sarif", "annotations", "comment")


@record(frozen=True)
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


def check_once(
    runtime: Runtime,
    settings: Settings,
    outputs: CheckOutputs,
    *,
    on_report: Callable[[Report], None] | None = None,
    on_request: RequestHook | None = None,
) -> Report:
    """One check: run it and write its report files (``outputs``'s telemetry is the caller's)."""
    from drift import reporters
    from drift.check import CheckInputs, check_drift
    from drift.fixtures import FixtureStore
    from drift.redaction import redact_fields
    from drift.waiver_file import WaiverFile

    out, env = runtime.out, runtime.env
    source = runtime.open(settings, on_request)
    try:
        inputs = CheckInputs(
            store=FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys),
            source=source,
            modes=mode_file(settings).read(),
            transitive=outputs.transitive,
            waivers=WaiverFile.in_root(settings.root).read(),
            clock=runtime.clock,
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
        out = runtime.err
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


def run_check(runtime: Runtime, settings: Settings, outputs: CheckOutputs) -> int:
    """``check-drift``: one check with its telemetry (events, metrics); the report's exit code."""
    env = runtime.env
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
    meter = runtime.progress(outputs.progress, "check: registry requests")
    if meter.enabled:
        on_report, on_request = _metered(meter, on_report, on_request)
    with meter:
        report = check_once(runtime, settings, outputs, on_report=on_report, on_request=on_request)
    if outputs.quiet and report.exit_code:  # -q: still the one line that says why
        from drift import reporters

        runtime.err.write(reporters.failure_summary(report, colour=outputs.colour))
    problems = telemetry.problems() if telemetry and outputs.require_telemetry else []
    for problem in problems:  # fail-open covers the registry, not a broken exporter
        runtime.err.write(f"drift: error: --require-telemetry: {problem}\n")
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


def run_report(runtime: Runtime, path: Path, fmt: str, *, project: Path | None = None) -> int:
    """Render a saved JSON report (``sarif``/``annotations`` place fixture lines with the
    fixtures directory of the ``project`` when it has valid settings)."""
    from drift import reporters
    from drift.reporters.json_report import read_json

    out, env = runtime.out, runtime.env
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

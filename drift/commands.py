"""One function per ``drift`` subcommand: settings in, exit code out."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from typing import Any

from drift import app
from drift.config import Settings, load_settings
from drift.report import Report

__all__ = ["dispatch"]

Handler = Callable[[argparse.Namespace, Mapping[str, Any], Mapping[str, str]], int]


def _settings(
    args: argparse.Namespace, flags: Mapping[str, Any], env: Mapping[str, str]
) -> Settings:
    return load_settings(args.project_dir.resolve(), env, flags)


def check_drift(args: argparse.Namespace, flags: Mapping[str, Any], env: Mapping[str, str]) -> int:
    settings = _settings(args, flags, env)
    report_path = None if args.no_report else (args.report or settings.report_path)
    outputs = app.CheckOutputs(
        report=report_path,
        markdown=args.markdown,
        junit=args.junit,
        quiet=args.quiet,
        transitive=args.transitive,
    )
    from drift.telemetry.batch import BatchTelemetry

    telemetry = BatchTelemetry(
        env, emit=args.emit_telemetry, textfile=args.metrics_textfile, pushgateway=args.pushgateway
    )
    report = app.run_check(
        settings, outputs, env=env, on_report=telemetry.on_report, on_request=telemetry.on_request
    )
    return report.exit_code


def sync_fixtures(
    args: argparse.Namespace, flags: Mapping[str, Any], env: Mapping[str, str]
) -> int:
    return app.run_sync(_settings(args, flags, env), dry_run=args.dry_run)


def fetch_schemas(
    args: argparse.Namespace, flags: Mapping[str, Any], env: Mapping[str, str]
) -> int:
    settings = _settings(args, flags, env)
    output = args.output if args.output.is_absolute() else settings.root / args.output
    return app.run_fetch(settings, output, all_schemas=args.all_schemas)


def set_mode(args: argparse.Namespace, flags: Mapping[str, Any], env: Mapping[str, str]) -> int:
    settings = _settings(args, flags, env)
    for track in settings.selected:
        app.run_set_mode(settings, track, args.mode, env=env)
    return 0


def report(args: argparse.Namespace, flags: Mapping[str, Any], env: Mapping[str, str]) -> int:
    return app.run_report(args.path, args.format)


def diff(args: argparse.Namespace, flags: Mapping[str, Any], env: Mapping[str, str]) -> int:
    from drift.compat import run_diff

    return run_diff(args.old, args.new, args.mode, args.format, sys.stdout)


def serve_registry(
    args: argparse.Namespace, flags: Mapping[str, Any], env: Mapping[str, str]
) -> int:
    from drift.server import serve

    serve(args.root, args.host, args.port, latency=args.latency)
    return 0


def watch(args: argparse.Namespace, flags: Mapping[str, Any], env: Mapping[str, str]) -> int:
    import signal
    from pathlib import Path

    from prometheus_client import CollectorRegistry

    from drift.durations import parse_duration
    from drift.errors import ConfigError
    from drift.telemetry.exposition import CriticalSchemas
    from drift.telemetry.metrics import DriftMetrics
    from drift.telemetry.publisher import PulsePublisher
    from drift.telemetry.watch import Watcher

    try:
        interval = parse_duration(args.interval)
    except ValueError as exc:
        raise ConfigError(f"--interval: {exc}") from None
    settings = _settings(args, flags, env)
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry, critical=CriticalSchemas.from_env(env))
    publisher = PulsePublisher.from_env(env, emit=args.emit_telemetry, metrics=metrics)
    quiet = app.CheckOutputs(report=settings.report_path, quiet=True)

    def check() -> Report:
        return app.run_check(settings, quiet, env=env, on_request=metrics.observe_request)

    state = env.get("DRIFT_METRICS_STATE")
    watcher = Watcher(
        check,
        interval,
        registry,
        metrics=metrics,
        port=args.metrics_port,
        addr=args.metrics_addr,
        state_path=Path(state) if state else None,
        on_report=publisher,
    )
    signal.signal(signal.SIGTERM, lambda *_: watcher.stop())
    watcher.serve()
    print(
        f"drift watch: checking every {args.interval}; "
        f"metrics on http://{args.metrics_addr}:{watcher.port}/metrics",
        flush=True,
    )
    try:
        watcher.run_forever()
    finally:
        publisher.close()
    return 0


_HANDLERS: dict[str, Handler] = {
    "check-drift": check_drift,
    "sync-fixtures": sync_fixtures,
    "fetch-schemas": fetch_schemas,
    "set-mode": set_mode,
    "report": report,
    "diff": diff,
    "serve-registry": serve_registry,
    "watch": watch,
}


def dispatch(args: argparse.Namespace, flags: Mapping[str, Any], env: Mapping[str, str]) -> int:
    return _HANDLERS[args.command](args, flags, env)

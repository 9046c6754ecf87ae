"""``watch``: a check every interval, its metrics served on ``/metrics`` until SIGTERM.

The loop, the HTTP server and the state file are :class:`drift.telemetry.watch.Watcher`'s;
this builds it: the metrics, the publisher, the one quiet check per tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drift.errors import ConfigError
from drift.run_check import CheckOutputs, check_once

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    from drift.app import Runtime
    from drift.config import Settings
    from drift.report import Report

__all__ = ["WatchOptions", "run_watch"]


@dataclass(frozen=True)
class WatchOptions:
    """``drift watch``'s own knobs (the check itself comes from the settings)."""

    interval: str = "5m"
    """Time between checks, as ``30s``, ``5m`` or ``1h``."""
    port: int = 9108
    addr: str = "127.0.0.1"
    emit_telemetry: bool = False


def run_watch(runtime: Runtime, settings: Settings, options: WatchOptions) -> int:
    """``watch``: re-check every ``options.interval``, serve ``/metrics`` until SIGTERM."""
    import signal

    from prometheus_client import CollectorRegistry

    from drift import reporters
    from drift.durations import parse_duration
    from drift.telemetry.exposition import CriticalSchemas
    from drift.telemetry.metrics import DriftMetrics
    from drift.telemetry.publisher import PulsePublisher
    from drift.telemetry.watch import Watcher

    out, env = runtime.out, runtime.env
    try:
        interval = parse_duration(options.interval)
    except ValueError as exc:
        raise ConfigError(f"--interval: {exc}") from None
    registry = CollectorRegistry()
    metrics = DriftMetrics(registry, critical=CriticalSchemas.from_env(env))
    publisher = PulsePublisher.from_env(env, emit=options.emit_telemetry, metrics=metrics)
    quiet = CheckOutputs(quiet=True)

    def check() -> Report:
        report = check_once(runtime, settings, quiet, on_request=metrics.observe_request)
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

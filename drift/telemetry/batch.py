"""One check run's telemetry, wired in two calls: ``on_request`` during, ``on_report`` after.

``BatchTelemetry`` never raises from ``on_report`` and never changes a check's
outcome: every side effect is best effort, bounded in time, logged and counted.
Order after a check: publish events, fold the report into the metrics (loading
the state file), write the textfile, push, save the state file.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from prometheus_client import CollectorRegistry

from drift.logs import logger
from drift.report import Report
from drift.telemetry.export import grouping_key, push, write_textfile
from drift.telemetry.metrics import CriticalSchemas, DriftMetrics
from drift.telemetry.publisher import PulsePublisher
from drift.telemetry.state import MetricsState

__all__ = ["BatchTelemetry", "TelemetryOutcome", "default_state_path"]

log = logger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")


def default_state_path(env: Mapping[str, str], report: Report) -> Path:
    """``DRIFT_METRICS_STATE``, else ``$XDG_CACHE_HOME/drift/metrics-<repo>-<tracks>.json``.

    One file per repo and track set: exactly one per Pushgateway group.
    """
    explicit = (env.get("DRIFT_METRICS_STATE") or "").strip()
    if explicit:
        return Path(explicit).expanduser()
    cache = (env.get("XDG_CACHE_HOME") or "").strip()
    base = Path(cache) if cache else Path.home() / ".cache"
    tracks = "+".join(sorted({t.track for t in report.tracks})) or "none"
    name = _UNSAFE.sub("_", f"metrics-{report.repo}-{tracks}")
    return base / "drift" / f"{name}.json"


@dataclass(frozen=True)
class TelemetryOutcome:
    """What each side effect did: ``None`` = not requested."""

    published: int | None = None
    publish_failed: int | None = None
    textfile_written: bool | None = None
    pushed: bool | None = None
    state_saved: bool | None = None


class BatchTelemetry:
    """Metrics and events for one ``drift check-drift`` run.

    ``emit`` is ``--emit-telemetry``, ``textfile`` ``--metrics-textfile``,
    ``pushgateway`` ``--pushgateway``. Reads ``PULSE_ENABLED`` & co. (see
    :class:`~drift.telemetry.settings.PulseSettings`), ``DRIFT_CRITICAL_SCHEMAS``
    and ``DRIFT_METRICS_STATE``. A bad value is a :class:`~drift.errors.ConfigError`
    (exit 2) before the check runs, as in ``drift watch``.
    """

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        emit: bool = False,
        textfile: Path | None = None,
        pushgateway: str | None = None,
        state_path: Path | None = None,
        push_timeout: float = 2.0,
        probe: bool = False,
    ) -> None:
        self.registry = CollectorRegistry()
        self.metrics = DriftMetrics(self.registry, critical=CriticalSchemas.from_env(env))
        self.publisher = PulsePublisher.from_env(env, emit=emit, metrics=self.metrics)
        self._env = dict(env)
        self._textfile = textfile
        self._pushgateway = pushgateway
        self._state_path = state_path
        self._push_timeout = push_timeout
        self.last_outcome: TelemetryOutcome | None = None
        self._emit = emit
        self._probe = probe

    @property
    def exports_metrics(self) -> bool:
        return self._textfile is not None or self._pushgateway is not None

    def on_request(self, endpoint: str, seconds: float, error_kind: str | None) -> None:
        """The registry HTTP client's hook."""
        self.metrics.observe_request(endpoint, seconds, error_kind)

    def on_report(self, report: Report, now: float | None = None) -> None:
        """The check workflow's hook: :meth:`finish`, keeping the outcome in ``last_outcome``."""
        self.last_outcome = self.finish(report, now)

    def finish(self, report: Report, now: float | None = None) -> TelemetryOutcome:
        """Publish, record and export ``report`` (finished at ``now``); never raises."""
        try:
            return self._on_report(report, time.time() if now is None else now)
        except Exception:
            log.exception("drift telemetry failed (the check result is unaffected)")
            return TelemetryOutcome()
        finally:
            self.publisher.close()

    def _on_report(self, report: Report, now: float) -> TelemetryOutcome:
        published = failed = None
        if self._emit and self._probe:
            self.publisher.probe()  # a broken exporter shows even with nothing to send
        if self.publisher.active:
            outcome = self.publisher.publish(report, now)
            published, failed = outcome.sent, outcome.failed
        if not self.exports_metrics:
            return TelemetryOutcome(published, failed)
        path = self._state_path or default_state_path(self._env, report)
        self.metrics.record_check(report, now, MetricsState.load(path))
        written = pushed = None
        if self._textfile is not None:
            written = write_textfile(self.registry, self._textfile)
            if not written:
                self.metrics.record_failure("textfile")
        if self._pushgateway is not None:
            key = grouping_key(report)
            pushed = push(
                self.registry, self._pushgateway, grouping_key=key, timeout=self._push_timeout
            )
            if not pushed:
                self.metrics.record_failure("pushgateway")
        saved = self.metrics.save_state(path)
        return TelemetryOutcome(published, failed, written, pushed, saved)

    def problems(self) -> list[str]:
        """What was asked for and did not happen, after :meth:`on_report` (for
        ``--require-telemetry``). ``PULSE_ENABLED=false`` is a deliberate switch, not one."""
        out: list[str] = []
        outcome = self.last_outcome or TelemetryOutcome()
        error = self.publisher.error
        if self._emit and error is not None:
            out.append(f"drift events cannot be published: {error}")
        if outcome.publish_failed:
            out.append(f"{outcome.publish_failed} drift event(s) not published")
        if outcome.textfile_written is False:
            out.append(f"metrics textfile {self._textfile} not written")
        if outcome.pushed is False:
            out.append("metrics not pushed to the Pushgateway")
        return out

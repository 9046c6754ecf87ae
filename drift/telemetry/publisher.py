"""``PulsePublisher``: the environment's Pulse settings plus the ``--emit-telemetry`` flag.

Events are published only when the flag is given *and* ``PULSE_ENABLED`` is
true. A bad Pulse variable or a missing redis extra does not stop a check: it
is logged once, and every event of every run is counted as failed.
"""

from __future__ import annotations

from collections.abc import Mapping

from drift.errors import ConfigError
from drift.logs import logger
from drift.report import Report
from drift.telemetry.bus import EventBus, open_bus
from drift.telemetry.events import PublishOutcome, build_events, publish
from drift.telemetry.metrics import DriftMetrics
from drift.telemetry.settings import PulseSettings

__all__ = ["PulsePublisher"]

log = logger(__name__)


class PulsePublisher:
    """Publishes each report's drift events; inactive when ``settings`` is ``None``.

    With ``metrics``, sent events and failures are counted there
    (``schema_drift_events_published_total``,
    ``schema_drift_telemetry_failures_total{target="pulse"}``). The bus is
    opened at the first publish and kept (``close`` releases it). Callable, so
    it can be ``Watcher``'s ``on_report`` hook.
    """

    def __init__(
        self,
        settings: PulseSettings | None,
        *,
        metrics: DriftMetrics | None = None,
        error: str | None = None,
        bus: EventBus | None = None,
    ) -> None:
        self.settings = settings
        self._metrics = metrics
        self._error = error
        self._bus = bus

    @classmethod
    def from_env(
        cls, env: Mapping[str, str], *, emit: bool, metrics: DriftMetrics | None = None
    ) -> PulsePublisher:
        """Active when ``emit`` and ``PULSE_ENABLED``; a bad variable gives a failing publisher."""
        if not emit:
            return cls(None, metrics=metrics)
        try:
            settings = PulseSettings.from_env(env)
        except ConfigError as exc:
            log.error("drift events disabled by a configuration error: %s", exc)
            return cls(None, metrics=metrics, error=str(exc))
        if not settings.enabled:
            log.info("PULSE_ENABLED=false: no drift events")
            return cls(None, metrics=metrics)
        return cls(settings, metrics=metrics)

    @property
    def active(self) -> bool:
        """Will :meth:`publish` try (or count failures)?"""
        return self.settings is not None or self._error is not None

    def publish(self, report: Report, now: float) -> PublishOutcome:
        """Publish ``report``'s events; never raises."""
        if self.settings is None:
            if self._error is None:
                return PublishOutcome()
            count = len(build_events(report, now))
            return self._count(PublishOutcome(0, count, (self._error,) if count else ()))
        try:
            bus = self._open(self.settings)
        except ConfigError as exc:
            self._error, self.settings = str(exc), None
            log.error("drift events disabled: %s", exc)
            return self.publish(report, now)
        outcome = publish(
            report,
            bus,
            now,
            stream=self.settings.stream,
            include_annotations=self.settings.include_annotations,
            deadline=self.settings.deadline,
        )
        if outcome.sent:
            log.info("published %d drift event(s) to %s", outcome.sent, bus.describe())
        return self._count(outcome)

    @property
    def error(self) -> str | None:
        """Why events cannot be published (configuration, missing extra), if known."""
        return self._error

    def probe(self) -> str | None:
        """Open the bus now and ask it for an answer (even with no event to send, so a
        misconfigured exporter shows); the error that stops it, if any."""
        if self.settings is not None:
            try:
                bus = self._open(self.settings)
            except ConfigError as exc:
                self._error, self.settings = str(exc), None
                return self._error
            ping = getattr(bus, "ping", None)
            problem = ping() if callable(ping) else None
            if problem:
                self._error = str(problem)
        return self._error

    def __call__(self, report: Report, now: float) -> PublishOutcome:
        return self.publish(report, now)

    def close(self) -> None:
        bus, self._bus = self._bus, None
        if bus is not None:
            try:
                bus.close()
            except Exception:
                log.debug("closing the event bus failed", exc_info=True)

    def _open(self, settings: PulseSettings) -> EventBus:
        if self._bus is None:
            self._bus = open_bus(settings)
        return self._bus

    def _count(self, outcome: PublishOutcome) -> PublishOutcome:
        if self._metrics is not None:
            self._metrics.record_published(outcome.sent)
            self._metrics.record_failure("pulse", outcome.failed)
        return outcome

"""``drift watch``: re-run the check on a schedule and serve ``/metrics``.

A long-running process keeps true counters in memory; with ``state_path`` it
also saves them after every check, so a restart continues the counters and
the drift start times instead of resetting them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, start_http_server

from drift.logs import logger
from drift.report import Report
from drift.telemetry.metrics import DriftMetrics
from drift.telemetry.state import MetricsState

__all__ = ["ReportHook", "Watcher"]

log = logger(__name__)

ReportHook = Callable[[Report, float], object]
"""Called with each finished report and its time, before metrics are recorded."""


class Watcher:
    """Runs ``check`` every ``interval`` seconds and exposes ``registry`` over HTTP.

    ``port=None`` serves nothing (the caller exposes ``registry``); ``port=0``
    picks a free port (see :attr:`port`). ``metrics`` must be registered on
    ``registry``; by default one is created there. A failing check or hook is
    logged and counted (``schema_drift_telemetry_failures_total{target="check"}``)
    and the loop goes on.
    """

    def __init__(
        self,
        check: Callable[[], Report],
        interval: float,
        registry: CollectorRegistry,
        *,
        metrics: DriftMetrics | None = None,
        port: int | None = 9108,
        addr: str = "127.0.0.1",
        state_path: Path | None = None,
        on_report: ReportHook | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not interval > 0:
            raise ValueError("the watch interval must be positive")
        self._check = check
        self._interval = float(interval)
        self._registry = registry
        self.metrics = metrics if metrics is not None else DriftMetrics(registry)
        self._port = port
        self._addr = addr
        self._state_path = state_path
        self._on_report = on_report
        self._clock = clock
        self._seed: MetricsState | None = None
        self._loaded = False
        self._stop = threading.Event()
        self._server: WSGIServer | None = None
        self._server_thread: threading.Thread | None = None

    @property
    def port(self) -> int | None:
        """The port ``/metrics`` is served on (after :meth:`serve`), else ``None``."""
        return None if self._server is None else int(self._server.server_port)

    def serve(self) -> int | None:
        """Start the ``/metrics`` server (idempotent); returns the bound port."""
        if self._server is None and self._port is not None:
            self._server, self._server_thread = start_http_server(
                self._port, addr=self._addr, registry=self._registry
            )
            log.info("serving /metrics on %s:%s", self._addr, self.port)
        return self.port

    def run_once(self) -> Report | None:
        """One check, then hooks, metrics and state; ``None`` if the check raised."""
        if not self._loaded:
            self._loaded = True
            if self._state_path is not None:
                self._seed = MetricsState.load(self._state_path)
        try:
            report = self._check()
        except Exception:
            log.exception("drift check failed; next attempt in %g s", self._interval)
            self.metrics.record_failure("check")
            return None
        now = self._clock()
        if self._on_report is not None:
            try:
                self._on_report(report, now)
            except Exception:
                log.exception("report hook failed")
                self.metrics.record_failure("check")
        self.metrics.record_check(report, now, self._seed)
        self._seed = None
        if self._state_path is not None:
            self.metrics.save_state(self._state_path)
        return report

    def run_forever(self) -> None:
        """Serve ``/metrics`` and check every ``interval`` until :meth:`stop`."""
        self.serve()
        try:
            while not self._stop.is_set():
                started = time.monotonic()
                self.run_once()
                elapsed = time.monotonic() - started
                self._stop.wait(max(0.0, self._interval - elapsed))
        finally:
            self.close()

    def stop(self) -> None:
        """Ask :meth:`run_forever` to return after the current check (thread- and signal-safe)."""
        self._stop.set()

    def close(self) -> None:
        """Stop the ``/metrics`` server."""
        self._stop.set()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._server_thread is not None:
            self._server_thread.join(timeout=5)
            self._server_thread = None

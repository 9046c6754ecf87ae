"""``DriftMetrics``: drift and registry metrics on a caller's ``CollectorRegistry``.

One object per process. The registry HTTP client reports each request through
:meth:`DriftMetrics.observe_request` (its ``on_request`` hook); the check
workflow calls :meth:`DriftMetrics.record_check` once per finished check. The
exposed values change only at ``record_check``: counters observed in between
are folded in then, so a batch export and a long-running ``/metrics`` show the
same numbers. Nothing is registered anywhere until an instance is created.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import CollectorRegistry
from prometheus_client.metrics_core import Metric

from drift.logs import logger
from drift.report import Report
from drift.telemetry.exposition import ERROR_KINDS, TELEMETRY_TARGETS, CriticalSchemas, families
from drift.telemetry.fold import advance
from drift.telemetry.state import Histogram, MetricsState

__all__ = ["ERROR_KINDS", "TELEMETRY_TARGETS", "CriticalSchemas", "DriftMetrics"]

log = logger(__name__)

_ENDPOINT = re.compile(r"^[A-Za-z0-9_/{}.\-]{1,64}$")
_KIND = re.compile(r"^[a-z0-9_]{1,32}$")


class DriftMetrics:
    """The toolkit's collector; registered on ``registry`` at construction.

    ``critical`` selects the schemas exported with ``critical="true"`` (default:
    every schema of a required track). At most ``max_endpoints`` distinct
    ``endpoint`` label values are kept; more become ``other``. Counts that
    arrive before the first :meth:`record_check` wait for it; later ones are
    exposed at once.
    """

    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        critical: CriticalSchemas | None = None,
        max_endpoints: int = 32,
    ) -> None:
        self._lock = threading.Lock()
        self._critical = critical if critical is not None else CriticalSchemas()
        self._max_endpoints = max_endpoints
        self._state = MetricsState()
        self._report: Report | None = None
        self._now = 0.0
        self._families: list[Metric] = []
        self._dirty = False
        self._pending_counters: dict[tuple[str, str], float] = {}
        self._pending_hists: dict[str, Histogram] = {}
        registry.register(self)

    # -- inputs -------------------------------------------------------------

    def observe_request(self, endpoint: str, seconds: float, error_kind: str | None) -> None:
        """One registry request: its route template, duration and error kind (``None`` if ok).

        Never raises: it runs inside the HTTP client.
        """
        try:
            with self._lock:
                label = self._endpoint_label(endpoint)
                hist = Histogram().observe(max(float(seconds), 0.0))
                counters: dict[tuple[str, str], float] = {}
                if error_kind is not None:
                    kind = error_kind if _KIND.match(error_kind) else "error"
                    counters[("registry_errors", kind)] = 1.0
                self._add(counters, {label: hist})
        except Exception:  # pragma: no cover - a metrics bug must not break a request
            log.exception("could not record a registry request")

    on_request = observe_request
    """Alias matching the HTTP client's hook name."""

    def record_failure(self, target: str, count: int = 1) -> None:
        """A best-effort side effect failed (``target`` is one of ``TELEMETRY_TARGETS``)."""
        if target not in TELEMETRY_TARGETS:
            raise ValueError(f"unknown telemetry target {target!r}")
        if count > 0:
            with self._lock:
                self._add({("telemetry_failures", target): float(count)}, {})

    def record_published(self, count: int) -> None:
        """``count`` drift events were accepted by the event bus."""
        if count > 0:
            with self._lock:
                self._add({("events_published", ""): float(count)}, {})

    def record_check(
        self, report: Report, now: float, state: MetricsState | None = None
    ) -> MetricsState:
        """Fold ``report`` (finished at ``now``, Unix seconds) in and expose the result.

        ``state`` is a saved state to continue from (the state file loaded at
        start-up): pass it on the first call only. ``None`` continues from this
        object's own state. Returns the new cumulative state.
        """
        with self._lock:
            base = state if state is not None else self._state
            folded = advance(base, report, now)
            if self._report is None:
                folded = folded.add(report.repo, self._pending_counters, self._pending_hists)
                self._pending_counters, self._pending_hists = {}, {}
            self._state, self._report, self._now = folded, report, now
            self._families = families(folded, report, now, self._critical)
            self._dirty = False
            return folded

    # -- outputs ------------------------------------------------------------

    def current_state(self) -> MetricsState:
        """The state to save: everything recorded so far."""
        with self._lock:
            repo = "" if self._report is None else self._report.repo
            return self._state.add(repo, self._pending_counters, self._pending_hists)

    def save_state(self, path: Path) -> bool:
        """Save :meth:`current_state` to ``path``; a failure is logged and counted
        (``target="state"``), never raised: the next run starts from the last saved state."""
        try:
            self.current_state().save(path)
        except OSError as exc:
            log.warning("could not save metrics state %s: %s", path, exc)
            self.record_failure("state")
            return False
        return True

    def collect(self) -> Iterable[Metric]:
        with self._lock:
            if self._dirty and self._report is not None:
                self._families = families(self._state, self._report, self._now, self._critical)
                self._dirty = False
            return list(self._families)

    # -- helpers (lock held) ------------------------------------------------

    def _add(self, counters: dict[tuple[str, str], float], hists: dict[str, Histogram]) -> None:
        if self._report is not None:
            self._state = self._state.add(self._report.repo, counters, hists)
            self._dirty = True
            return
        for key, amount in counters.items():
            self._pending_counters[key] = self._pending_counters.get(key, 0.0) + amount
        for label, hist in hists.items():
            old = self._pending_hists.get(label)
            self._pending_hists[label] = hist if old is None else old.merge(hist)

    def _endpoint_label(self, endpoint: str) -> str:
        if not _ENDPOINT.match(endpoint):
            return "other"
        repo = "" if self._report is None else self._report.repo
        known = set(self._pending_hists) | {e for (r, e) in self._state.histograms if r == repo}
        if endpoint in known or len(known) < self._max_endpoints:
            return endpoint
        return "other"

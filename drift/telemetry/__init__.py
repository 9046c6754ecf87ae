"""Drift telemetry: Prometheus metrics, their export paths, and Pulse events.

Import from the modules (nothing is created or registered at import time):

- ``drift.telemetry.metrics``: ``DriftMetrics`` (a collector on your ``CollectorRegistry``),
  ``CriticalSchemas``;
- ``drift.telemetry.state``: ``MetricsState`` (counters and drift start times carried
  between batch runs, JSON, atomic save);
- ``drift.telemetry.export``: ``write_textfile``, ``push``, ``grouping_key``;
- ``drift.telemetry.watch``: ``Watcher`` (``drift watch``: checks on a schedule, ``/metrics``);
- ``drift.telemetry.events``: ``build_events``, ``publish``, ``PublishOutcome``;
- ``drift.telemetry.settings``: ``PulseSettings.from_env``;
- ``drift.telemetry.bus``: ``open_bus``, ``InMemoryBus``, ``EventBus``;
- ``drift.telemetry.publisher``: ``PulsePublisher`` (settings + ``--emit-telemetry``);
- ``drift.telemetry.batch``: ``BatchTelemetry`` (one check run, all of the above).

docs/metrics.md, docs/events.md and docs/runbooks/schema_drift.md describe the
metrics, the wire format and the alerts.
"""

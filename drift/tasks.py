"""Invoke tasks: thin front ends over :mod:`drift.app`.

Adopt them in another repository with a two-line ``tasks.py``::

    from drift.tasks import ns
    namespace = ns

Settings come from ``[tool.drift]`` and the environment, as for the CLI;
task arguments win, then ``c.config.drift`` (e.g. ``invoke.yaml``)::

    drift:
      mode: strict
      registry_url: https://registry.example.com
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from invoke.collection import Collection
from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task

from drift import app
from drift.config import Settings, load_settings
from drift.errors import DriftError

__all__ = ["ns"]

_DEFAULTS: dict[str, Any] = {
    "project_dir": ".",
    "registry_url": None,
    "tracks": None,
    "mode": None,
    "fail_open": None,
    "fail_on": None,
    "fixtures_dir": None,
    "registry_enabled": None,
    "schemas": None,
}


def _settings(c: Context, **given: Any) -> Settings:
    config = dict(_DEFAULTS)
    config.update({k: v for k, v in dict(c.config.get("drift", {})).items() if k in _DEFAULTS})
    config.update({k: v for k, v in given.items() if v is not None})
    if isinstance(config["tracks"], str):
        config["tracks"] = [t.strip() for t in config["tracks"].split(",") if t.strip()]
    if isinstance(config["schemas"], str):
        config["schemas"] = [config["schemas"]]
    root = Path(config.pop("project_dir")).resolve()
    return load_settings(root, dict(os.environ), config)


def _run(code: int) -> None:
    if code:
        raise Exit(code=code)


def _guard(fn: Any) -> Any:
    """Turn a DriftError into its exit code with the message, like the CLI."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except DriftError as exc:
            raise Exit(message=f"drift: error: {exc}", code=exc.exit_code) from None
        except OSError as exc:  # as the CLI: a local error (2), never a traceback and exit 1
            raise Exit(message=f"drift: error: {exc}", code=2) from None

    return wrapper


@task(
    help={
        "track": "v1, v2 or all (default: every configured track)",
        "mode": "warn or strict (default: REGISTRY_ENFORCEMENT, set-mode, [tool.drift])",
        "fail_closed": "exit 3 when the registry is unavailable",
        "report": "JSON report path",
        "markdown": "also write Markdown here",
        "junit": "also write JUnit XML here",
        "emit_telemetry": "publish telemetry.schema_drift events",
        "metrics_textfile": "write Prometheus metrics to this textfile",
        "pushgateway": "push Prometheus metrics to this Pushgateway URL",
        "transitive": "judge drifted schemas against every registry version since the lock",
        "schema": "one schema name or glob",
        "fail_on": "what strict mode fails on: breaking, drift or any",
    }
)
@_guard
def check_drift(
    c: Context,
    track: str | None = None,
    mode: str | None = None,
    fail_closed: bool = False,
    report: str | None = None,
    markdown: str | None = None,
    junit: str | None = None,
    emit_telemetry: bool = False,
    metrics_textfile: str | None = None,
    pushgateway: str | None = None,
    transitive: bool = False,
    schema: str | None = None,
    fail_on: str | None = None,
) -> None:
    """Compare fixtures, lock and registry; write drift_report.json."""
    from drift.telemetry.batch import BatchTelemetry

    settings = _settings(
        c,
        tracks=track,
        mode=mode,
        fail_open=False if fail_closed else None,
        schemas=schema,
        fail_on=fail_on,
    )
    telemetry = BatchTelemetry(
        dict(os.environ),
        emit=emit_telemetry,
        textfile=Path(metrics_textfile) if metrics_textfile else None,
        pushgateway=pushgateway,
    )
    outputs = app.CheckOutputs(
        report=Path(report) if report else settings.report_path,
        markdown=Path(markdown) if markdown else None,
        junit=Path(junit) if junit else None,
        transitive=transitive,
    )
    result = app.run_check(
        settings, outputs, on_report=telemetry.on_report, on_request=telemetry.on_request
    )
    _run(result.exit_code)


@task(
    help={"track": "v1, v2 or all", "schema": "one schema name or glob", "dry_run": "write nothing"}
)
@_guard
def sync_fixtures(
    c: Context, track: str | None = None, schema: str | None = None, dry_run: bool = False
) -> None:
    """Update fixtures and lock from the registry (atomically)."""
    _run(app.run_sync(_settings(c, tracks=track, schemas=schema), dry_run=dry_run))


@task(help={"track": "v1, v2 or all", "output": "output directory (default schemas-out)"})
@_guard
def fetch_schemas(c: Context, track: str | None = None, output: str = "schemas-out") -> None:
    """Download the registry's schemas without touching fixtures/."""
    settings = _settings(c, tracks=track)
    target = Path(output) if Path(output).is_absolute() else settings.root / output
    _run(app.run_fetch(settings, target, all_schemas=False))


@task(help={"mode": "warn or strict", "track": "v1, v2 or all (default: all)"})
@_guard
def set_mode(c: Context, mode: str, track: str | None = None) -> None:
    """Persist the enforcement mode of a track (REGISTRY_ENFORCEMENT still wins)."""
    settings = _settings(c, tracks=track)
    for name in settings.selected:
        app.run_set_mode(settings, name, mode)


@task(help={"path": "saved JSON report", "format": "text, markdown, junit or json"})
@_guard
def report(c: Context, path: str = "drift_report.json", format: str = "text") -> None:
    """Render a saved drift report."""
    _run(app.run_report(Path(path), format))


@task(help={"root": "registry directory", "port": "TCP port", "host": "bind address"})
@_guard
def serve_registry(
    c: Context, root: str = "registry", host: str = "127.0.0.1", port: int = 8080
) -> None:
    """Serve a registry directory over the registry HTTP API."""
    from drift.server import serve

    serve(Path(root), host, port)


ns = Collection(check_drift, sync_fixtures, fetch_schemas, set_mode, report, serve_registry)
ns.configure({"drift": dict(_DEFAULTS)})

"""Invoke tasks: thin adapters that translate task arguments for :mod:`drift.app`.

Adopt them in another repository with a two-line ``tasks.py``::

    from drift.tasks import ns
    namespace = ns

Settings come from ``[tool.drift]`` and the environment, as for the CLI;
task arguments win, then ``c.config.drift`` (e.g. ``invoke.yaml``)::

    drift:
      mode: strict
      registry_url: https://registry.example.com

A task only translates its arguments (``_settings`` for the settings
overrides) and calls its ``app.run_*`` with the task's
:class:`~drift.app.Runtime` (``_runtime``: this process's environment and
streams); see :mod:`drift.app` for adding one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invoke.collection import Collection
from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task

from drift.errors import exit_code_for

if TYPE_CHECKING:
    from drift.app import Runtime
    from drift.config import Settings

__all__ = ["ns"]

_DEFAULTS: dict[str, Any] = {
    "project_dir": None,
    "registry_url": None,
    "tracks": None,
    "mode": None,
    "fail_open": None,
    "fail_on": None,
    "fixtures_dir": None,
    "registry_enabled": None,
    "schemas": None,
    "report": None,
}


def _runtime() -> Runtime:
    from drift.app import Runtime

    return Runtime(env=os.environ)


def _settings(c: Context, **given: Any) -> Settings:
    from drift.discovery import load_project_settings

    config = dict(_DEFAULTS)
    config.update({k: v for k, v in dict(c.config.get("drift", {})).items() if k in _DEFAULTS})
    config.update({k: v for k, v in given.items() if v is not None})
    if config["report"] is not None:
        config["report"] = Path(config["report"]).absolute()  # relative to the cwd
    return load_project_settings(config.pop("project_dir"), dict(os.environ), config)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _run(code: int) -> None:
    if code:
        raise Exit(code=code)


def _guard(fn: Any) -> Any:
    """Run a task as the CLI runs a command: every byte it prints passes the redaction
    boundary, and an error becomes its exit code (:func:`~drift.errors.exit_code_for`)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from drift.redaction import guard_streams, password_of, redact, remember

        remember(os.environ.get("REGISTRY_TOKEN"), password_of(os.environ.get("REGISTRY_URL")))
        try:
            with guard_streams():
                fn(*args, **kwargs)
        except (Exit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            code = exit_code_for(exc)
            if code is None:
                raise
            raise Exit(message=redact(f"drift: error: {exc}"), code=code) from None

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
    from drift import app

    settings = _settings(
        c,
        tracks=track,
        mode=mode,
        fail_open=False if fail_closed else None,
        schemas=schema,
        fail_on=fail_on,
        report=report,
    )
    outputs = app.CheckOutputs(
        markdown=_path(markdown),
        junit=_path(junit),
        transitive=transitive,
        emit_telemetry=emit_telemetry,
        metrics_textfile=_path(metrics_textfile),
        pushgateway=pushgateway,
    )
    _run(app.run_check(_runtime(), settings, outputs))


@task(
    help={"track": "v1, v2 or all", "schema": "one schema name or glob", "dry_run": "write nothing"}
)
@_guard
def sync_fixtures(
    c: Context, track: str | None = None, schema: str | None = None, dry_run: bool = False
) -> None:
    """Update fixtures and lock from the registry (atomically)."""
    from drift import app

    settings = _settings(c, tracks=track, schemas=schema)
    _run(app.run_sync(_runtime(), settings, dry_run=dry_run))


@task(help={"track": "v1, v2 or all", "output": "output directory (default schemas-out)"})
@_guard
def fetch_schemas(c: Context, track: str | None = None, output: str = "schemas-out") -> None:
    """Download the registry's schemas without touching fixtures/."""
    from drift import app

    _run(app.run_fetch(_runtime(), _settings(c, tracks=track), Path(output), all_schemas=False))


@task(help={"mode": "warn or strict", "track": "v1, v2 or all (default: all)"})
@_guard
def set_mode(c: Context, mode: str, track: str | None = None) -> None:
    """Persist the enforcement mode of a track (REGISTRY_ENFORCEMENT still wins)."""
    from drift import app

    _run(app.run_set_mode(_runtime(), _settings(c, tracks=track), mode))


@task(
    help={
        "schema": "schema name, e.g. models.Quote",
        "track": "v1 or v2",
        "reason": "why the drift is accepted",
        "owner": "who answers for it (a team)",
        "until": "last day, YYYY-MM-DD",
    }
)
@_guard
def waive(c: Context, schema: str, track: str, reason: str, owner: str, until: str) -> None:
    """Accept a schema's current registry version until a day (.drift-waivers.toml)."""
    from drift import app

    settings = _settings(c, tracks=track)
    _run(
        app.run_waive(_runtime(), settings, schema, track, owner=owner, reason=reason, until=until)
    )


@task
@_guard
def waivers(c: Context) -> None:
    """List the waivers with their owners and days left."""
    from drift import app

    _run(app.run_waivers(_runtime(), _settings(c)))


@task(help={"path": "saved JSON report", "format": "text, markdown, junit or json"})
@_guard
def report(c: Context, path: str = "drift_report.json", format: str = "text") -> None:
    """Render a saved drift report."""
    from drift import app

    _run(app.run_report(_runtime(), Path(path), format, project=Path.cwd()))


@task(help={"root": "registry directory", "port": "TCP port", "host": "bind address"})
@_guard
def serve_registry(
    c: Context, root: str = "registry", host: str = "127.0.0.1", port: int = 8080
) -> None:
    """Serve a registry directory over the registry HTTP API."""
    from drift import app

    _run(app.run_serve(_runtime(), Path(root), host, port))


@task(
    help={
        "track": "v1, v2 or all (default: every configured track)",
        "output": "folder for <track>/title.txt, body.md, labels.txt (default reports/propose)",
        "base": "branch the update branches start from (default: the current branch)",
        "remote": "git remote to push to (default origin)",
        "push": "push the drift/sync-<track> branches",
        "run_contracts": "run the contract tests on the synced fixtures",
        "contracts_command": "the contract tests ({track}, {python} replaced; default: "
        "{python} -m pytest -q -p no:cacheprovider --schema-track {track} tests/contracts)",
    }
)
@_guard
def propose(
    c: Context,
    track: str | None = None,
    output: str = "reports/propose",
    base: str | None = None,
    remote: str = "origin",
    push: bool = False,
    run_contracts: bool = False,
    contracts_command: str | None = None,
) -> None:
    """Sync each track on a drift/sync-<track> branch and write its pull-request text."""
    from drift import app

    options = app.ProposeOptions(
        output=Path(output), base=base, remote=remote, push=push, run_contracts=run_contracts,
        contracts_command=contracts_command,
    )  # fmt: skip
    _run(app.run_propose(_runtime(), _settings(c, tracks=track), options))


ns = Collection(
    check_drift,
    sync_fixtures,
    fetch_schemas,
    set_mode,
    waive,
    waivers,
    report,
    serve_registry,
    propose,
)
ns.configure({"drift": dict(_DEFAULTS)})

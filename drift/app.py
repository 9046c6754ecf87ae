"""The one wiring layer: one ``run_*`` per workflow, shared by every front end.

Each ``run_*`` takes the :class:`Runtime` its front end built (environment,
output streams, registry opener, clock) and resolved
:class:`~drift.config.Settings` (or the plain values of a command without a
project), builds the collaborators its workflow needs (registry source, fixture
store, mode file, telemetry), runs it, writes its outputs and returns the exit
code. Nothing here decides drift: that is the
engine's job. Errors are raised as :mod:`drift.errors`; the front ends turn
them into :func:`~drift.errors.exit_code_for`.

This module holds what the workflows share (the runtime, opening the registry, the
mode file) and names every ``run_*`` (see :data:`WORKFLOWS`); each lives
in its workflow's module and is imported on first use, so a command (the offline
check in a pre-commit hook, ``drift --help``) pays only for its own path:

=========================  ==========================================================
:mod:`drift.run_check`     ``check-drift`` (and the check ``watch`` repeats), ``report``
:mod:`drift.run_sync`      ``sync-fixtures``, ``fetch-schemas``
:mod:`drift.run_decisions` ``set-mode``, ``waive``, ``waivers``
:mod:`drift.run_propose`   ``propose``
:mod:`drift.run_watch`     ``watch``
this module                ``completion``, ``diff``, ``serve-registry``, ``init``: one
                           call each into the module that does the work
=========================  ==========================================================

Adding a command ``frob``:

1. ``run_frob(runtime, settings, ...) -> int`` in its workflow's module (heavy
   imports inside it), named in :data:`WORKFLOWS`; it reads the environment, writes
   and opens the registry only through ``runtime``;
2. :mod:`drift.cli_commands`: a ``Command("frob", ...)`` with its options, and in
   :mod:`drift.cli` an adapter ``@_adapter("frob") _frob(args, rt)`` that only
   translates arguments;
3. :mod:`drift.tasks` (if it is a task too): a ``@task`` that only translates
   arguments and calls ``_run(app.run_frob(_runtime(), ...))``.

The registry is opened through :meth:`Runtime.open` (:func:`open_registry` with
the runtime's environment, unless :attr:`Runtime.opener` says otherwise), so tests
hand a workflow a fake source, and a :attr:`Runtime.clock` of their own.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from drift.lazy import lazy_attributes

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from typing import TextIO

    from drift.config import Settings
    from drift.model import CompatPolicy
    from drift.modes import ModeFile
    from drift.run_check import REVIEW_FORMATS as REVIEW_FORMATS
    from drift.run_check import CheckOutputs as CheckOutputs
    from drift.run_check import check_once as check_once
    from drift.run_check import run_check as run_check
    from drift.run_check import run_report as run_report
    from drift.run_decisions import run_set_mode as run_set_mode
    from drift.run_decisions import run_waive as run_waive
    from drift.run_decisions import run_waivers as run_waivers
    from drift.run_propose import ProposeOptions as ProposeOptions
    from drift.run_propose import run_propose as run_propose
    from drift.run_sync import run_fetch as run_fetch
    from drift.run_sync import run_sync as run_sync
    from drift.run_watch import WatchOptions as WatchOptions
    from drift.run_watch import run_watch as run_watch
    from drift.sources.base import RegistrySource, RequestHook
    from drift.terminal import Progress

#: Each workflow module and the names it gives this one (imported on first use).
WORKFLOWS = {
    "drift.run_check": ("REVIEW_FORMATS", "CheckOutputs", "check_once", "run_check", "run_report"),
    "drift.run_sync": ("run_sync", "run_fetch"),
    "drift.run_decisions": ("run_set_mode", "run_waive", "run_waivers"),
    "drift.run_propose": ("ProposeOptions", "run_propose"),
    "drift.run_watch": ("WatchOptions", "run_watch"),
}
_HOMES = {name: home for home, names in WORKFLOWS.items() for name in names}

__all__ = [  # the shared wiring, the local run_*, then the workflows' names
    "Runtime",
    "SourceOpener",
    "mode_file",
    "open_registry",
    "run_completion",
    "run_diff",
    "run_init",
    "run_serve",
    *_HOMES,
]

__getattr__ = lazy_attributes(__name__, _HOMES, globals())

#: Opens the registry the settings name (``None``: disabled); the seam tests use.
SourceOpener = Callable[["Settings", "RequestHook | None"], "RegistrySource | None"]


def mode_file(settings: Settings) -> ModeFile:
    from drift.modes import MODE_FILE, ModeFile

    return ModeFile(settings.root / MODE_FILE)


def open_registry(
    settings: Settings, on_request: RequestHook | None = None, env: Mapping[str, str] = os.environ
) -> RegistrySource | None:
    """The registry source the settings name, or ``None`` when the registry is disabled;
    ``env`` places the ``/index`` cache (``DRIFT_CACHE_DIR``, ``XDG_CACHE_HOME``)."""
    if not settings.registry_enabled:
        return None
    from drift.sources import open_source
    from drift.urls import redact_url, registry_kind

    options: dict[str, object] = {
        "timeout": settings.timeout,
        "retries": settings.retries,
        "deadline": settings.deadline,
        "concurrency": settings.concurrency,
    }
    if on_request is not None:
        options["on_request"] = on_request
    if registry_kind(settings.registry_url) == "http":  # a conditional GET /index (ETag)
        from drift.sources.index_cache import IndexCache, default_cache_dir

        location = redact_url(settings.registry_url)
        options["index_cache"] = IndexCache(default_cache_dir(env), location)
    return open_source(
        settings.require_registry(),
        base_dir=settings.root,
        token=settings.registry_token,
        **options,
    )


@dataclass(frozen=True)
class Runtime:
    """What a workflow meets of the world besides its settings; each front end builds one.

    ``out`` and ``err`` default to ``sys.stdout`` and ``sys.stderr`` as they are when
    the runtime is built (inside the CLI's redaction guard, under pytest's capture).
    """

    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    """A command's normal output (the CLI's ``-q``: a stream that drops it)."""
    err: TextIO = field(default_factory=lambda: sys.stderr)
    """Progress lines and the messages that go with a non-zero exit."""
    opener: SourceOpener | None = None
    """Opens the registry (``None``: :func:`open_registry` with :attr:`env`); see :meth:`open`."""
    clock: Callable[[], float] = time.time
    """Unix seconds: dates a check (the report's times, the day waivers are judged on)."""

    def progress(self, enabled: bool, label: str) -> Progress:
        """A progress line on :attr:`err` (a no-op unless ``enabled``)."""
        from drift.terminal import Progress

        return Progress(self.err, label, enabled=enabled)

    def open(
        self, settings: Settings, on_request: RequestHook | None = None
    ) -> RegistrySource | None:
        """The registry the settings name (``None``: disabled), through :attr:`opener`."""
        if self.opener is not None:
            return self.opener(settings, on_request)
        return open_registry(settings, on_request, self.env)

    def open_or_say(self, settings: Settings, what: str, meter: Progress) -> RegistrySource | None:
        """The registry (its requests counted by ``meter`` when that is shown), or ``None``
        after saying on :attr:`out` that there is nothing to ``what`` without one."""
        source = self.open(settings, meter.on_request if meter.enabled else None)
        if source is None:
            self.out.write(f"registry disabled (REGISTRY_ENABLED=false): nothing to {what}\n")
        return source


def run_completion(runtime: Runtime, parser: argparse.ArgumentParser, shell: str) -> int:
    """``completion``: the shell completion script of ``parser``."""
    from drift.completion import completion_script

    runtime.out.write(completion_script(parser, shell))
    return 0


def run_diff(
    runtime: Runtime, old: Path, new: Path, mode: str, fmt: str, *, policy: CompatPolicy = "strict"
) -> int:
    """``diff``: semantic diff of two schema files; 0 compatible under ``mode``, else 1."""
    from drift.compat import run_diff as diff_files

    return diff_files(old, new, mode, fmt, runtime.out, policy=policy)


def run_serve(runtime: Runtime, root: Path, host: str, port: int, *, latency: float = 0.0) -> int:
    """``serve-registry``: serve a registry directory until Ctrl-C (its URL on ``out`` first)."""
    from drift.server import serve

    serve(root, host, port, latency=latency, out=runtime.out)
    return 0


def run_init(
    runtime: Runtime,
    root: Path,
    registry_url: str,
    tracks: tuple[str, ...],
    *,
    dry_run: bool = False,
    force: bool = False,
    sync: bool = True,
) -> int:
    """``drift init``: set drift up in the repository at ``root`` (see :mod:`drift.adopt`)."""
    from drift.adopt import run_init as init
    from drift.scaffold import InitOptions

    options = InitOptions(registry_url=registry_url, tracks=tracks)
    return init(runtime, root, options, dry_run=dry_run, force=force, sync=sync)

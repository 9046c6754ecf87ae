"""Renderers of a :class:`~drift.report.Report`: text, Markdown, JUnit XML and JSON."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from drift.errors import ConfigError
from drift.lazy import lazy_attributes
from drift.redaction import redact
from drift.report import Report

if TYPE_CHECKING:
    from drift.reporters.json_report import read_json, render_json, write_json
    from drift.reporters.junit import render_junit
    from drift.reporters.markdown import render_markdown
    from drift.reporters.text import failure_summary, render_text, watch_line

__all__ = [
    "FORMATS",
    "Format",
    "append_step_summary",
    "failure_summary",
    "read_json",
    "render",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_text",
    "watch_line",
    "write_json",
]

Format = Literal["text", "markdown", "junit", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "junit", "json")


def render(report: Report, fmt: Format) -> str:
    """The report in one of :data:`FORMATS`; ConfigError for anything else."""
    home = _RENDERERS.get(fmt)  # each format's module is imported when it is asked for
    if home is not None:
        render_as: Any = getattr(importlib.import_module(home[0]), home[1])
        return redact(str(render_as(report)))  # registry-sent text may carry a secret
    raise ConfigError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")


def append_step_summary(report: Report, env: Mapping[str, str] | None = None) -> bool:
    """Append the Markdown report to ``$GITHUB_STEP_SUMMARY``; False when it is not set."""
    if not (os.environ if env is None else env).get("GITHUB_STEP_SUMMARY"):
        return False
    from drift.reporters.markdown import append_step_summary as append

    return append(report, env)


_RENDERERS = {
    "text": ("drift.reporters.text", "render_text"),
    "markdown": ("drift.reporters.markdown", "render_markdown"),
    "junit": ("drift.reporters.junit", "render_junit"),
    "json": ("drift.reporters.json_report", "render_json"),
}
_HOMES = {
    "read_json": "drift.reporters.json_report",
    "write_json": "drift.reporters.json_report",
    "failure_summary": "drift.reporters.text",
    "watch_line": "drift.reporters.text",
    **{function: module for module, function in _RENDERERS.values()},
}


__getattr__ = lazy_attributes(__name__, _HOMES, globals())

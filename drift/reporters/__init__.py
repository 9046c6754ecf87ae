"""Renderers of a :class:`~drift.report.Report`: text, Markdown, JUnit XML and JSON."""

from __future__ import annotations

from typing import Literal

from drift.errors import ConfigError
from drift.report import Report
from drift.reporters.json_report import read_json, render_json, write_json
from drift.reporters.junit import render_junit
from drift.reporters.markdown import append_step_summary, render_markdown
from drift.reporters.text import render_text

__all__ = [
    "FORMATS",
    "Format",
    "append_step_summary",
    "read_json",
    "render",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_text",
    "write_json",
]

Format = Literal["text", "markdown", "junit", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "junit", "json")


def render(report: Report, fmt: Format) -> str:
    """The report in one of :data:`FORMATS`; ConfigError for anything else."""
    if fmt == "text":
        return render_text(report)
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "junit":
        return render_junit(report)
    if fmt == "json":
        return render_json(report)
    raise ConfigError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")

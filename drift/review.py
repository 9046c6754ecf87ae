"""The pull-request outputs of a check: SARIF file, GitHub annotations, PR comment.

Front-end glue like :mod:`drift.app`, kept apart so a check that writes none of
them imports none of it. Fixture lines are placed relative to
``$GITHUB_WORKSPACE`` in a workflow (the repository root GitHub resolves
annotation and SARIF paths against), else to the project root.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drift.redaction import redact

TYPE_CHECKING = False  # not typing's: a check writing none of these imports only ReviewOutputs
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TextIO

    from drift.config import Settings
    from drift.report import Report
    from drift.reporters.findings import Finding, Locate

__all__ = ["ReviewOutputs", "locator", "render_review", "write_review"]


@dataclass(frozen=True)
class ReviewOutputs:
    """Which pull-request outputs a check writes."""

    sarif: Path | None = None
    annotations: bool = False
    comment: Path | None = None

    @property
    def any(self) -> bool:
        return self.sarif is not None or self.annotations or self.comment is not None


def locator(settings: Settings | None, env: Mapping[str, str]) -> Locate:
    """Fixture lines from the settings' fixtures directory (``fixtures/`` paths when the
    settings are unknown, e.g. ``drift report`` outside a project)."""
    from drift.fixtures import FixtureStore
    from drift.reporters.findings import Location
    from drift.reporters.locations import FixtureLocator

    if settings is None:
        return lambda track, name, _pointer: Location(f"fixtures/{track}/{name}.json")
    workspace = env.get("GITHUB_WORKSPACE", "")
    base = Path(workspace) if workspace else settings.root
    store = FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys)
    return FixtureLocator(store, base)


def render_review(report: Report, fmt: str, locate: Locate, env: Mapping[str, str]) -> str:
    """``sarif``, ``annotations`` or ``comment`` text of a report, redacted."""
    if fmt == "comment":
        from drift.reporters.comment import artifact_hint, render_comment

        return redact(render_comment(report, artifact=artifact_hint(env)))
    from drift.reporters.findings import findings

    items = findings(report, locate)
    return _render_items(report, fmt, items)


def write_review(
    report: Report,
    outputs: ReviewOutputs,
    settings: Settings,
    env: Mapping[str, str],
    out: TextIO,
) -> None:
    """Write the SARIF file and the comment, and the annotations to ``out``."""
    from drift.atomic import write_atomic
    from drift.reporters.findings import findings

    locate = locator(settings, env)
    items = findings(report, locate) if outputs.sarif or outputs.annotations else []
    if outputs.sarif is not None:
        write_atomic(outputs.sarif, _render_items(report, "sarif", items))
    if outputs.comment is not None:
        write_atomic(outputs.comment, render_review(report, "comment", locate, env))
    if outputs.annotations:
        out.write(_render_items(report, "annotations", items))


def _render_items(report: Report, fmt: str, items: list[Finding]) -> str:
    """SARIF or annotations, through the redaction boundary (registry-sent text)."""
    if fmt == "sarif":
        from drift.reporters.sarif import render_sarif

        return redact(render_sarif(report, items))
    from drift.reporters.annotations import render_annotations

    return redact(render_annotations(items))

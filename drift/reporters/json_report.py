"""``drift_report.json``: write (atomically) and read back, validated."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TextIO

from drift import depth
from drift.atomic import write_atomic
from drift.errors import DriftError
from drift.redaction import redact
from drift.report import REPORT_VERSION, Report
from drift.reporters.schema import report_validator

__all__ = ["read_json", "render_json", "write_json"]


def render_json(report: Report) -> str:
    """The report as pretty JSON text with a trailing newline."""
    return redact(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")


def write_json(report: Report, path_or_stream: str | os.PathLike[str] | TextIO) -> None:
    """Write the report to a stream, or atomically to a path (temp file + os.replace)."""
    text = render_json(report)
    if not isinstance(path_or_stream, (str, os.PathLike)):
        path_or_stream.write(text)
        return
    write_atomic(Path(path_or_stream), text, fsync=True)


def read_json(path: str | os.PathLike[str]) -> Report:
    """Read a report written by :func:`write_json`; DriftError naming the file otherwise."""
    where = os.fspath(path)
    try:
        data: Any = depth.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DriftError(f"{where}: cannot read report: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise DriftError(f"{where}: not a JSON report: {exc}") from exc
    if not isinstance(data, dict):
        raise DriftError(f"{where}: a report is a JSON object, got {type(data).__name__}")
    version = data.get("report_version")
    if version != REPORT_VERSION:
        raise DriftError(
            f"{where}: unsupported report_version {version!r} (this drift reads {REPORT_VERSION})"
        )
    from jsonschema.exceptions import best_match  # heavy: imported on first use

    error = best_match(report_validator().iter_errors(data))
    if error is not None:
        at = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise DriftError(f"{where}: invalid report at {at}: {error.message}")
    try:
        return Report.from_dict(data)
    except (TypeError, ValueError, KeyError) as exc:
        raise DriftError(f"{where}: invalid report: {exc}") from exc

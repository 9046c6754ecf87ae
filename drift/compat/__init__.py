"""Semantic JSON Schema diff: which changes break whom, and how sure that is.

``compare(old, new)`` lists every change with its effect on backward
compatibility (the new schema accepts every value the old one accepted) and
forward compatibility (the reverse). The core is pure; only ``run_diff`` reads
files.
"""

from __future__ import annotations

from drift.compat.api import ROLE_MODES, classify, compare, to_report_changes
from drift.compat.cli import run_diff
from drift.compat.model import MODES, Change, CompatMode, CompatResult, Effect, Verdict
from drift.compat.render import render_text, to_json

__all__ = [
    "MODES",
    "ROLE_MODES",
    "Change",
    "CompatMode",
    "CompatResult",
    "Effect",
    "Verdict",
    "classify",
    "compare",
    "render_text",
    "run_diff",
    "to_json",
    "to_report_changes",
]

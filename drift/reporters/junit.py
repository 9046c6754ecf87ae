"""A JUnit XML report: one testsuite per track, one testcase per schema.

Mapping: an INVALID fixture is an ``<error>`` (exit 2 whatever the mode); an
UNKNOWN schema (registry could not answer) is ``<skipped>``; a schema that
fails the report's ``fail_on`` policy is a ``<failure>`` only in a ``strict``
track, so the XML agrees with the exit code (``warn`` tracks report the drift
in ``<system-out>`` and pass, and so do tracks with ``required = false``, whose
``<system-out>`` says "not required"). A required strict track whose cache is stale while the
registry is unavailable gets one extra failing testcase, ``registry-cache``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from drift.model import Status
from drift.policy import fails_policy
from drift.report import Report, SchemaResult, TrackResult
from drift.reporters.common import (
    NOT_REQUIRED_NOTE,
    change_line,
    clean,
    counterexample_line,
    human_age,
    registry_text,
    version_text,
    waiver_text,
)

__all__ = ["render_junit"]

_OUTCOMES = (("failures", "failure"), ("errors", "error"), ("skipped", "skipped"))


def render_junit(report: Report) -> str:
    """The report as a JUnit XML document (UTF-8 text with an XML declaration)."""
    root = ET.Element("testsuites", name=f"drift {clean(report.repo)}")
    root.set("time", f"{report.duration_seconds:.3f}")
    for track in report.tracks:
        root.append(_suite(report, track))
    _count(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(report: Report, track: TrackResult) -> ET.Element:
    suite = ET.Element("testsuite", name=f"drift.{clean(track.track)}")
    suite.set("timestamp", clean(report.generated_at))
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("mode", track.mode),
        ("mode_source", track.mode_source),
        ("fail_on", report.fail_on),
        ("required", str(track.required).lower()),
        ("require_all", str(report.require_all).lower()),
        ("registry", registry_text(track)),
        ("cache_age", human_age(track.cache_age_seconds)),
    ):
        ET.SubElement(props, "property", name=name, value=clean(value))
    strict = track.mode == "strict"
    enforced = strict and track.required
    for result in track.schemas:
        suite.append(_case(track, result, enforced and fails_policy(result, report.fail_on)))
    if enforced and track.stale and not track.registry_available:
        case = ET.SubElement(suite, "testcase", name="registry-cache", classname=_cls(track))
        message = f"registry {registry_text(track)}: cache older than max_stale"
        ET.SubElement(case, "failure", message=message, type="stale")
    _count(suite)
    return suite


def _case(track: TrackResult, result: SchemaResult, failing: bool) -> ET.Element:
    case = ET.Element("testcase", name=result.name, classname=_cls(track))
    summary = clean(_summary(result))
    if result.status is Status.INVALID:
        ET.SubElement(case, "error", message=summary, type=result.status.value)
    elif result.status is Status.UNKNOWN:
        ET.SubElement(case, "skipped", message=summary)
    elif failing:
        failure = ET.SubElement(case, "failure", message=summary, type=result.status.value)
        failure.text = _body(result)
    elif result.status is not Status.SYNCED:
        out = ET.SubElement(case, "system-out")
        note = "" if track.mode == "strict" else f" (not enforced: {track.mode} mode)"
        if track.mode == "strict" and not track.required:
            note = f" ({NOT_REQUIRED_NOTE})"
        out.text = f"{summary}{note}\n{_body(result)}"
    return case


def _summary(result: SchemaResult) -> str:
    parts = [
        result.status.value,
        result.verdict or "",
        waiver_text(result),
        version_text(result),
        result.message,
    ]
    return "; ".join(p for p in parts if p)


def _body(result: SchemaResult) -> str:
    lines = [f"- {change_line(c)}" for c in result.changes]
    proof = counterexample_line(result.counterexample, limit=2000)
    lines += [f"- {proof}"] if proof else []
    if result.diff:
        lines += ["", clean(result.diff)]
    return "\n".join(lines)


def _cls(track: TrackResult) -> str:
    return f"drift.{clean(track.track)}"


def _count(element: ET.Element) -> None:
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    for attribute, child in _OUTCOMES:
        element.set(attribute, str(sum(1 for c in cases if c.find(child) is not None)))

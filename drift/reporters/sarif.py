"""SARIF 2.1.0 for code scanning: one rule per change kind, one result per finding.

Results sit at the fixture line of the change (physical locations relative to the
repository root), carry the level the enforcement gives (``error`` fails the
check, ``warning`` is reported only) and a ``partialFingerprints`` entry that does
not depend on line numbers or wording, so code scanning follows a finding across
runs and closes it when a sync resolves it. A registry that could not answer is a
tool execution notification of the run, not a result.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from drift.report import Report
from drift.reporters.common import clean, registry_text
from drift.reporters.findings import Finding

__all__ = ["FINGERPRINT_KEY", "SARIF_SCHEMA", "render_sarif", "sarif_log"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
#: Key of the stable fingerprint in ``partialFingerprints`` (versioned, as SARIF asks).
FINGERPRINT_KEY = "driftFinding/v1"

_HELP = (
    "A fixture is drift's copy of a registry schema. Review what a sync would change, "
    "apply it, then run the contract tests of the track:\n"
    "  drift sync-fixtures --track TRACK --dry-run\n"
    "  drift sync-fixtures --track TRACK\n"
    "  nox -s contracts-TRACK"
)


def render_sarif(report: Report, items: Sequence[Finding]) -> str:
    """The SARIF log as pretty JSON text with a trailing newline."""
    return json.dumps(sarif_log(report, items), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report, items: Sequence[Finding]) -> dict[str, Any]:
    rules: dict[str, int] = {}
    for finding in items:
        rules.setdefault(finding.rule, len(rules))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "drift",
                        "version": report.tool_version,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "automationDetails": {"id": f"drift/{clean(report.repo)}/"},
                "invocations": [_invocation(report)],
                "results": [_result(f, rules[f.rule]) for f in items],
            }
        ],
    }


def _rule(rule: str) -> dict[str, Any]:
    words = rule.replace("-", " ")
    return {
        "id": rule,
        "name": "".join(part.capitalize() for part in rule.split("-")),
        "shortDescription": {"text": f"Schema drift: {words}"},
        "fullDescription": {
            "text": f"The registry's schema differs from the committed fixture: {words}."
        },
        "defaultConfiguration": {"level": "warning"},
        "help": {"text": _HELP},
        "properties": {"tags": ["schema-drift", "json-schema"]},
    }


def _invocation(report: Report) -> dict[str, Any]:
    notes = [
        {
            "level": "warning",
            "message": {"text": f"track {clean(t.track)}: registry {registry_text(t)}"},
        }
        for t in report.tracks
        if not t.registry_available
    ]
    invocation: dict[str, Any] = {
        "executionSuccessful": report.exit_code in (0, 1),
        "exitCode": report.exit_code,
    }
    if report.failures:
        invocation["exitCodeDescription"] = clean("; ".join(report.failures))
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def _result(finding: Finding, index: int) -> dict[str, Any]:
    resolve = "\n".join(f"  {c}" for c in finding.help.splitlines())
    proof = f"{finding.proof}\n" if finding.proof else ""
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": finding.level,
        "message": {"text": f"{finding.message}\n{proof}To resolve:\n{resolve}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.location.uri},
                    "region": {"startLine": finding.location.line},
                },
                "logicalLocations": [
                    {
                        "fullyQualifiedName": f"{finding.track}/{finding.schema}#{finding.pointer}",
                        "kind": "object",
                    }
                ],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "track": finding.track,
            "schema": finding.schema,
            "status": finding.status.value,
            "verdict": finding.verdict,
            "pointer": finding.pointer,
        },
    }

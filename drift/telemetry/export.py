"""Get a batch run's metrics to Prometheus: node-exporter textfile or Pushgateway.

Both are best effort: a failure is logged and reported as ``False``, never
raised, and each call is bounded by a hard deadline.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from prometheus_client import CollectorRegistry, push_to_gateway, write_to_textfile

from drift.logs import logger
from drift.report import Report
from drift.telemetry.limits import call_with_deadline, describe_error
from drift.urls import redact_url

__all__ = ["JOB", "grouping_key", "push", "write_textfile"]

log = logger(__name__)

#: The Pushgateway ``job`` label of every push.
JOB = "drift"


def grouping_key(report: Report) -> dict[str, str]:
    """``{repo, track}`` for a single-track run, ``{repo}`` for a run over several tracks.

    The grouping labels override the pushed series' own labels, so a
    multi-track run must not be grouped by one track.
    """
    tracks = sorted({t.track for t in report.tracks})
    if len(tracks) == 1:
        return {"repo": report.repo, "track": tracks[0]}
    return {"repo": report.repo}


def write_textfile(
    registry: CollectorRegistry, path: str | os.PathLike[str], *, timeout: float = 5.0
) -> bool:
    """Write ``registry`` for the textfile collector, atomically (temp file + rename).

    ``path`` should end in ``.prom`` (the collector ignores other files).
    Returns ``False`` (and logs) on failure.
    """
    target = os.fspath(path)
    if not target.endswith(".prom"):
        log.warning("metrics textfile %s does not end in .prom: node-exporter ignores it", target)
    try:
        call_with_deadline(lambda: write_to_textfile(target, registry), timeout, name="textfile")
    except Exception as exc:
        log.warning("could not write metrics textfile %s: %s", target, describe_error(exc))
        return False
    return True


def push(
    registry: CollectorRegistry,
    url: str,
    *,
    grouping_key: Mapping[str, str],
    timeout: float = 2.0,
    job: str = JOB,
) -> bool:
    """PUT ``registry`` to the Pushgateway at ``url`` (replacing the group); ``False`` on failure.

    ``timeout`` bounds the whole push (connect, send, answer).
    """
    safe = redact_url(url)
    key = dict(grouping_key)

    def send() -> None:
        push_to_gateway(url, job=job, registry=registry, grouping_key=key, timeout=timeout)

    try:
        call_with_deadline(send, timeout + 0.25, name="pushgateway")
    except Exception as exc:
        log.warning("could not push metrics to %s: %s", safe, describe_error(exc, secret=url))
        return False
    log.info("pushed metrics to %s (job=%s, %s)", safe, job, key)
    return True

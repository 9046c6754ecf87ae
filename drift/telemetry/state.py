"""What metrics carry from one check run to the next: counters, drift start times.

A batch run (nightly CI, a PR job, a shell) is a fresh process. To keep
``schema_drift_total`` and the other counters cumulative, and to know when the
current drift *started*, each run loads a :class:`MetricsState`, folds its
report in (:func:`drift.telemetry.fold.advance`) and saves the result. The file
is plain JSON written atomically. A missing or unreadable file starts from
zero, which Prometheus sees as an ordinary counter reset.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from drift.atomic import write_atomic
from drift.logs import logger

__all__ = [
    "REQUEST_BUCKETS",
    "STATE_VERSION",
    "Histogram",
    "MetricsState",
    "SchemaState",
    "TrackState",
]

log = logger(__name__)

STATE_VERSION = 1

#: Upper bounds (seconds) of ``schema_registry_request_duration_seconds``.
REQUEST_BUCKETS: tuple[float, ...] = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

SchemaKey = tuple[str, str, str]
"""(repo, track, schema)"""
TrackKey = tuple[str, str]
"""(repo, track)"""
CounterKey = tuple[str, str, str]
"""(counter, repo, label value), e.g. ("registry_errors", "svc", "timeout")."""
HistogramKey = tuple[str, str]
"""(repo, endpoint)"""


@dataclass(frozen=True)
class SchemaState:
    """One schema's drift history."""

    detections: int = 0
    """Drift onsets seen so far (the value of ``schema_drift_total``)."""
    last_detected: float | None = None
    """Last time a check saw the schema drifted."""
    drift_started: float | None = None
    """Start of the current drift; ``None`` while not drifted."""


@dataclass(frozen=True)
class TrackState:
    """One track's check history."""

    last_success: float | None = None
    """Last check whose registry answered (a trustworthy drift answer)."""
    registry_down_since: float | None = None
    """First failing check of the current registry outage; ``None`` while up."""


@dataclass(frozen=True)
class Histogram:
    """A cumulative histogram: per-bucket counts (the last one is ``+Inf``) and the sum."""

    bounds: tuple[float, ...] = REQUEST_BUCKETS
    counts: tuple[int, ...] = (0,) * (len(REQUEST_BUCKETS) + 1)
    total: float = 0.0

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.bounds) + 1:
            raise ValueError("a histogram needs one count per bound plus +Inf")

    @property
    def count(self) -> int:
        return sum(self.counts)

    def observe(self, value: float) -> Histogram:
        index = next((i for i, b in enumerate(self.bounds) if value <= b), len(self.bounds))
        counts = list(self.counts)
        counts[index] += 1
        return replace(self, counts=tuple(counts), total=self.total + value)

    def merge(self, other: Histogram) -> Histogram:
        """Add ``other``; a histogram with other bounds replaces this one (bounds changed)."""
        if other.bounds != self.bounds:
            return other
        counts = tuple(a + b for a, b in zip(self.counts, other.counts, strict=True))
        return replace(self, counts=counts, total=self.total + other.total)


@dataclass(frozen=True)
class MetricsState:
    """Everything cumulative, keyed by label values."""

    schemas: Mapping[SchemaKey, SchemaState] = field(default_factory=dict)
    tracks: Mapping[TrackKey, TrackState] = field(default_factory=dict)
    counters: Mapping[CounterKey, float] = field(default_factory=dict)
    histograms: Mapping[HistogramKey, Histogram] = field(default_factory=dict)

    def add(
        self,
        repo: str,
        counters: Mapping[tuple[str, str], float],
        histograms: Mapping[str, Histogram],
    ) -> MetricsState:
        """This state plus counter increments and histogram observations for ``repo``."""
        new_counters = dict(self.counters)
        for (name, label), amount in counters.items():
            key = (name, repo, label)
            new_counters[key] = new_counters.get(key, 0.0) + amount
        new_hists = dict(self.histograms)
        for endpoint, hist in histograms.items():
            old = new_hists.get((repo, endpoint))
            new_hists[(repo, endpoint)] = hist if old is None else old.merge(hist)
        return replace(self, counters=new_counters, histograms=new_hists)

    # -- JSON ---------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "schemas": [
                {"repo": r, "track": t, "schema": s, **_compact(vars(v))}
                for (r, t, s), v in sorted(self.schemas.items())
            ],
            "tracks": [
                {"repo": r, "track": t, **_compact(vars(v))}
                for (r, t), v in sorted(self.tracks.items())
            ],
            "counters": [
                {"name": n, "repo": r, "label": label, "value": v}
                for (n, r, label), v in sorted(self.counters.items())
            ],
            "histograms": [
                {"repo": r, "endpoint": e, "bounds": list(h.bounds), "counts": list(h.counts),
                 "sum": h.total}
                for (r, e), h in sorted(self.histograms.items())
            ],
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MetricsState:
        """Parse :meth:`to_dict` output; raises ``ValueError``/``KeyError``/``TypeError`` if bad."""
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported metrics state version {data.get('version')!r}")
        schemas = {
            (str(d["repo"]), str(d["track"]), str(d["schema"])): SchemaState(
                detections=int(d.get("detections", 0)),
                last_detected=_opt_float(d.get("last_detected")),
                drift_started=_opt_float(d.get("drift_started")),
            )
            for d in data.get("schemas", [])
        }
        tracks = {
            (str(d["repo"]), str(d["track"])): TrackState(
                last_success=_opt_float(d.get("last_success")),
                registry_down_since=_opt_float(d.get("registry_down_since")),
            )
            for d in data.get("tracks", [])
        }
        counters = {
            (str(d["name"]), str(d["repo"]), str(d["label"])): float(d["value"])
            for d in data.get("counters", [])
        }
        histograms: dict[HistogramKey, Histogram] = {}
        for d in data.get("histograms", []):
            bounds = tuple(float(b) for b in d["bounds"])
            counts = tuple(int(c) for c in d["counts"])
            histograms[(str(d["repo"]), str(d["endpoint"]))] = Histogram(
                bounds, counts, float(d["sum"])
            )
        return cls(schemas, tracks, counters, histograms)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MetricsState:
        """The state saved at ``path``; an empty state if it is missing or unreadable."""
        target = Path(path)
        try:
            raw = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            log.warning("metrics state %s unreadable (%s); counters restart at 0", target, exc)
            return cls()
        try:
            return cls.from_dict(json.loads(raw))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("metrics state %s is invalid (%s); counters restart at 0", target, exc)
            return cls()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically (temp file in the same directory, then ``os.replace``)."""
        target = Path(path)
        text = json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"
        write_atomic(target, text, fsync=True)


def _opt_float(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return float(value)


def _compact(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}

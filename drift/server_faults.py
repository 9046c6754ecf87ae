"""Fault injection for the reference registry server (tests and benchmarks).

A :class:`FaultPlan` maps path globs (``"/index"``, ``"/schemas/v1/*"``, ``"*"``)
to a :class:`Fault`; the first rule whose glob matches the request path (query
excluded) and whose ``count`` is not used up applies::

    FaultPlan({"/index": Fault("status", status=503, retry_after="1", count=1)})
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Literal, get_args

__all__ = ["Fault", "FaultKind", "FaultPlan"]

FaultKind = Literal[
    "status",  # answer ``status`` (with ``Retry-After: retry_after`` if set)
    "reset",  # close the socket with a TCP reset, no answer
    "truncate",  # declare a Content-Length larger than the bytes sent, then close
    "invalid_json",  # 200 with a body that is not JSON
    "wrong_shape",  # 200 with valid JSON that is not the API's shape
    "delay",  # sleep ``seconds`` before answering normally
    "redirect",  # 302 to ``location`` + the request path and query
]
_KINDS = frozenset(get_args(FaultKind))


@dataclass(frozen=True)
class Fault:
    """One injected misbehaviour; ``count`` limits it to the first N matching requests."""

    kind: FaultKind
    status: int = 503
    retry_after: str | None = None
    count: int | None = None
    seconds: float = 0.0
    location: str = ""

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {sorted(_KINDS)}")
        if self.count is not None and self.count < 0:
            raise ValueError("fault count must be >= 0")
        if self.kind == "redirect" and not self.location:
            raise ValueError("a redirect fault needs a location")


@dataclass
class FaultPlan:
    """Ordered glob -> fault rules with per-rule use counters (thread-safe)."""

    rules: Mapping[str, Fault] = field(default_factory=dict)
    _hits: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def single(cls, pattern: str, fault: Fault) -> FaultPlan:
        return cls({pattern: fault})

    def take(self, path: str) -> Fault | None:
        """The fault for this request, counting it as used; None if no rule applies."""
        with self._lock:
            for pattern, fault in self.rules.items():
                if not fnmatchcase(path, pattern):
                    continue
                used = self._hits.get(pattern, 0)
                if fault.count is not None and used >= fault.count:
                    continue
                self._hits[pattern] = used + 1
                return fault
        return None

    def hits(self, pattern: str) -> int:
        """How many requests the rule for ``pattern`` has affected so far."""
        with self._lock:
            return self._hits.get(pattern, 0)

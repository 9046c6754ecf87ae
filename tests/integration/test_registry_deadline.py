"""The registry deadline is a wall-clock bound, whatever the peer does.

A raw-socket peer (``hostile_peer``, independent of the project's server)
trickles headers or bodies a byte every 0.3 s (far below the read timeout),
says nothing, or never accepts. Every operation must end within the deadline
plus a small margin, as a fail-open :class:`RegistryUnavailable`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from drift.errors import RegistryUnavailable
from drift.sources.http import RegistryClient, Timeouts
from tests.integration.hostile_peer import BEHAVIOURS, hostile_peer
from tests.integration.project import MakeProject

DEADLINE = 1.0
MARGIN = 0.75


def timed(call: Callable[[], Any], limit: float) -> tuple[float, BaseException | None]:
    """Run ``call`` in a thread; its wall time and what it raised (fails if it hangs)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as exc:  # reported to the test
            outcome.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(limit)
    elapsed = time.monotonic() - started
    if worker.is_alive():
        pytest.fail(f"still running after {elapsed:.1f}s (deadline {DEADLINE}s)")
    print(f"fault wall time {elapsed:.2f}s")  # for the record: pytest -s
    return elapsed, outcome[0]


def client(url: str) -> RegistryClient:
    # read timeout far above the deadline: only a wall-clock deadline can stop a trickle
    return RegistryClient(
        url, timeout=Timeouts(connect=3.0, read=10.0), retries=3, backoff=0.0, deadline=DEADLINE
    )


@pytest.mark.parametrize("behaviour", [*sorted(BEHAVIOURS), "stalled-connect"])
@pytest.mark.parametrize("operation", ["index", "fetch", "fetch_many"])
def test_every_operation_ends_within_the_deadline(behaviour: str, operation: str) -> None:
    with hostile_peer(None if behaviour == "stalled-connect" else behaviour) as peer:
        registry = client(peer.url)
        calls: dict[str, Callable[[], Any]] = {
            "index": registry.index,
            "fetch": lambda: registry.fetch("v1", "models.Quote"),
            "fetch_many": lambda: _raise_first(registry.fetch_many("v1", ["a.B", "c.D", "e.F"])),
        }
        try:
            elapsed, error = timed(calls[operation], DEADLINE + 15)
        finally:
            registry.close()
    assert isinstance(error, RegistryUnavailable), repr(error)
    assert elapsed < DEADLINE + MARGIN, f"{behaviour}/{operation}: {elapsed:.2f}s"


def _raise_first(results: dict[str, Any]) -> None:
    for value in results.values():
        if isinstance(value, BaseException):
            raise value


def test_check_drift_fails_open_within_the_deadline(make_project: MakeProject) -> None:
    """The issue's case: header trickle; check-drift must fail open, not hang CI."""
    with hostile_peer("header-trickle") as peer:
        project = make_project(
            peer.url,
            tracks={"v1": ["models.Quote"]},
            settings={"deadline": DEADLINE, "timeout": 10},
        )
        started = time.monotonic()
        done = project.run_module("check-drift", timeout=60)
        elapsed = time.monotonic() - started
    print(f"check-drift wall time {elapsed:.2f}s")
    assert done.returncode == 0, done.stderr
    assert "unavailable" in (done.stdout + done.stderr).lower()
    # an interpreter start, imports and the local work on top (a trickle used to take 100s+)
    assert elapsed < DEADLINE + 10, f"check-drift took {elapsed:.1f}s"

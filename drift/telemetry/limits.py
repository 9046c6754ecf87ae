"""Safety helpers for best-effort telemetry: hard deadlines and credential-free URLs.

Every telemetry side effect (an XADD, a push, a file write) runs through
:func:`call_with_deadline` so that a hung socket, a slow DNS lookup or a stuck
network file system can add at most ``seconds`` to a check. The work runs in a
daemon thread; when the deadline passes the caller gets :class:`DeadlineExceeded`
and the thread is abandoned (it cannot keep the process alive).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from drift.errors import DeadlineExceeded
from drift.urls import redact_url

__all__ = ["call_with_deadline", "describe_error"]

T = TypeVar("T")


class _Outcome(Generic[T]):
    """What the worker thread produced: a value or an exception."""

    def __init__(self) -> None:
        self.value: T | None = None
        self.error: BaseException | None = None
        self.done = False


def call_with_deadline(fn: Callable[[], T], seconds: float, *, name: str = "telemetry") -> T:
    """Run ``fn`` and return its result, or raise :class:`DeadlineExceeded` after ``seconds``.

    Exceptions raised by ``fn`` propagate unchanged.
    """
    outcome: _Outcome[T] = _Outcome()

    def work() -> None:
        try:
            outcome.value = fn()
        except BaseException as exc:
            outcome.error = exc
        finally:
            outcome.done = True

    thread = threading.Thread(target=work, name=f"drift-{name}", daemon=True)
    thread.start()
    thread.join(max(seconds, 0.0))
    if not outcome.done:
        raise DeadlineExceeded(f"{name}: no answer within {seconds:g} s")
    if outcome.error is not None:
        raise outcome.error
    return outcome.value  # type: ignore[return-value]


def describe_error(exc: BaseException, *, secret: str | None = None) -> str:
    """A one-line description of ``exc`` with ``secret`` (e.g. a URL) scrubbed out."""
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    if secret:
        text = text.replace(secret, redact_url(secret))
    return text[:500]

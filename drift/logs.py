"""drift's log lines (``drift: LEVEL: message`` on stderr, redacted), set up on first use.

The CLI calls :func:`configure` once its arguments are parsed: that only records the
level, so a command that logs nothing (the offline check of a pre-commit hook,
``--help``) never imports :mod:`logging` (about 0.6x a bare Python start-up). Every
drift module that logs takes its logger from :func:`logger`, which applies the
recorded configuration the first time, before anything can be logged; when
:mod:`logging` is already imported, :func:`configure` applies it at once.

The handler installed redacts every record (:class:`~drift.redaction.RedactingFilter`)
and writes to the ``sys.stderr`` of that moment (inside
:func:`~drift.redaction.guard_streams`, the redacting stream).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: this module must not cost an import of logging
if TYPE_CHECKING:
    import logging

__all__ = ["FORMAT", "configure", "debug", "level_for", "logger"]

FORMAT = "drift: %(levelname)s: %(message)s"
#: logging.ERROR, WARNING, INFO, DEBUG (the numbers, so choosing one imports nothing)
_ERROR, _WARNING, _INFO, _DEBUG = 40, 30, 20, 10
_pending: list[int] = []


def level_for(verbose: int, *, quiet: bool) -> int:
    """``-q``: errors only; else warnings, ``-v`` info, ``-vv`` debug."""
    return _ERROR if quiet else (_WARNING, _INFO, _DEBUG)[min(verbose, 2)]


def configure(level: int) -> None:
    """Log at ``level`` (a :mod:`logging` level number) from the first record on.

    As :func:`logging.basicConfig`: nothing changes when the root logger already has
    handlers (an application or a test harness set logging up)."""
    if "logging" in sys.modules:
        _apply(level)
    else:
        _pending[:] = [level]


def logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)``, with the configuration :func:`configure` recorded."""
    import logging

    if _pending:
        _apply(_pending.pop())
    return logging.getLogger(name)


def debug(name: str, message: str, *args: object, exc_info: bool = False) -> None:
    """``logger(name).debug(message, *args)``, with no import of :mod:`logging` when no
    handler could show the record: :mod:`logging` is not imported yet (so no handler
    exists) and the level :func:`configure` recorded (``WARNING``, logging's default,
    when none) is above ``DEBUG``. The registry client logs every request this way."""
    if "logging" not in sys.modules and (_pending[-1] if _pending else _WARNING) > _DEBUG:
        return
    logger(name).debug(message, *args, exc_info=exc_info)


def _apply(level: int) -> None:
    import logging

    from drift.redaction import RedactingFilter

    _pending.clear()
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)

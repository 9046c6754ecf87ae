"""What the terminal gets: colour (``--color``, ``NO_COLOR``, ``FORCE_COLOR``) and a
progress line on stderr.

Progress is a hand-written single line, not tqdm or rich: measured with
``bench/cli_extras.py`` (on top of what drift imports anyway), importing tqdm costs
about 38 ms and rich.progress about 37 ms, twice a bare Python start-up, against
under 1 ms for this module, for one line redrawn a few times a second. It is shown
only when stderr is a terminal, not in CI and not with ``-q``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TextIO

__all__ = ["COLOR_CHOICES", "Progress", "colour_enabled", "progress_enabled"]

COLOR_CHOICES = ("auto", "always", "never")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def colour_enabled(choice: str, stream: TextIO, env: Mapping[str, str]) -> bool:
    """``always``/``never`` win; ``auto``: ``NO_COLOR`` (any value) turns it off,
    ``FORCE_COLOR`` (any value but ``0``) on, else only on a terminal that is not dumb."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force is not None and force != "":
        return force != "0"
    return _isatty(stream) and env.get("TERM", "") != "dumb"


def progress_enabled(stream: TextIO, env: Mapping[str, str], *, quiet: bool) -> bool:
    """Only for a person watching: stderr is a terminal, not ``-q``, not CI."""
    if quiet or env.get("CI", "").lower() in ("1", "true", "yes"):
        return False
    return _isatty(stream) and env.get("TERM", "") != "dumb"


class Progress:
    """``label: 340/1000 (34%)`` (or ``label: 340`` without a total) on one line of
    ``stream``, redrawn at most every ``interval`` seconds, erased by :meth:`close`.
    Disabled, every method does nothing."""

    def __init__(
        self,
        stream: TextIO,
        label: str,
        *,
        total: int | None = None,
        enabled: bool = True,
        interval: float = 0.1,
    ) -> None:
        self.stream = stream
        self.label = label
        self.total = total
        self.enabled = enabled
        self.done = 0
        self._interval = interval
        self._last = 0.0
        self._drawn = False

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more done."""
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= self._interval or self.done == self.total:
            self._last = now
            self._draw()

    def on_request(self, *_request: object) -> None:
        """A registry request hook (``url, seconds, error``): one more request done."""
        self.advance()

    def phase(self, label: str, total: int | None = None) -> None:
        """Start counting something else on the same line."""
        self.label, self.total, self.done = label, total, 0
        if self.enabled:
            self._draw()

    def _draw(self) -> None:
        if self.total:
            text = f"{self.label}: {self.done}/{self.total} ({100 * self.done // self.total}%)"
        else:
            text = f"{self.label}: {self.done}"
        self.stream.write(f"\r\x1b[K{text}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

"""A schema result's parts that only a moved or waived schema has: its semantic changes,
the counterexample of a breaking verdict, its waiver (re-exported by :mod:`drift.report`,
which imports this module on first use: a check where nothing moved never does)."""

from __future__ import annotations

from typing import Any

from drift.records import record

__all__ = ["Change", "Counterexample", "WaiverNote"]


@record(frozen=True)
class Change:
    """One semantic change between the fixture and the registry's schema."""

    path: str
    kind: str
    message: str
    breaks_backward: bool
    breaks_forward: bool


@record(frozen=True)
class Counterexample:
    """A JSON instance that proves a ``breaking`` verdict, checked with ``jsonschema``.

    ``backward``: the fixture's schema accepts ``instance`` and the registry's rejects it
    (what a producer built on the fixture may send); ``forward``: the reverse.
    ``path``: JSON pointer of the varied part of the instance ("" for the whole).
    """

    direction: str
    instance: Any
    path: str = ""


@record(frozen=True)
class WaiverNote:
    """The waiver (``.drift-waivers.toml``) made for a schema, as the check saw it."""

    owner: str
    reason: str
    until: str
    """The last day (UTC) it applies, ``YYYY-MM-DD``."""
    days_left: int
    """Days from the check to ``until``; negative once expired."""
    expired: bool
    registry_tag: str
    """The registry version (tag) it was made for."""
    structural_sha256: str
    covers: bool = True
    """The registry version seen is the one waived (False: the registry moved on)."""

    @property
    def waives(self) -> bool:
        """It covers the version seen and has not expired: the drift does not fail."""
        return self.covers and not self.expired

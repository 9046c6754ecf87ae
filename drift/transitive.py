"""``check-drift --transitive``: judge a drifted schema against every registry
version since the lock, not only the latest.

A fixture synced at core version A, with the registry now at C, may be
compatible with C and still have been broken by B in between (a field removed
in B and added back, looser, in C): services that read with B break. With
``--transitive`` each drifted or conflicting schema is classified against every
version the registry lists after the locked one (``/versions``, then
``/schemas/{track}/{name}?version=``); the worst verdict wins and each change
says which version it comes from. A history the registry cannot give is noted
in the message, never an error (fail-open).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from drift.engine import Classifier
from drift.errors import RegistryError
from drift.model import SchemaVersion, Status
from drift.report import Judgement, SchemaResult
from drift.sources.base import RegistrySource

__all__ = ["RANK", "between", "with_history"]


#: Worse verdicts rank higher.
RANK: Mapping[str, int] = {"annotations-only": 0, "compatible": 1, "cannot-prove": 2, "breaking": 3}
_JUDGED = frozenset({Status.DRIFTED, Status.CONFLICT})


def between(versions: Sequence[SchemaVersion], locked: str | None, latest: str | None) -> list[str]:
    """Core versions listed after ``locked`` (all when it is not listed), without ``latest``."""
    names = [v.core_version for v in versions]
    start = names.index(locked) + 1 if locked in names else 0
    return [name for name in names[start:] if name not in (locked, latest)]


def with_history(
    results: Sequence[SchemaResult],
    contents: Mapping[str, Any],
    source: RegistrySource,
    classify: Classifier,
) -> tuple[SchemaResult, ...]:
    """``results`` with drifted/conflicting verdicts made transitive.

    ``contents`` maps schema name -> the fixture's parsed content.
    """
    return tuple(
        _judge(r, contents[r.name], source, classify)
        if r.status in _JUDGED and r.verdict and r.name in contents
        else r
        for r in results
    )


def _judge(
    result: SchemaResult, fixture: Any, source: RegistrySource, classify: Classifier
) -> SchemaResult:
    try:
        history = source.versions(result.track, result.name)
        middle = between(history, result.locked_core_version, result.core_version)
        verdict, changes = result.verdict or "compatible", list(result.changes)
        found = result.counterexample
        for version in middle:
            schema = source.fetch(result.track, result.name, version)
            step = Judgement(*classify(fixture, schema.content))
            if RANK.get(step.verdict, 3) > RANK.get(verdict, 3):
                verdict, found = step.verdict, step.counterexample
            changes += [replace(c, message=f"[{version}] {c.message}") for c in step.changes]
    except RegistryError as exc:
        note = f"transitive check incomplete: {exc}"
        return replace(result, message="; ".join(p for p in (result.message, note) if p))
    checked = f"checked transitively against {len(middle)} intermediate version(s)"
    return replace(
        result,
        verdict=verdict,
        changes=tuple(changes),
        counterexample=found if verdict == "breaking" else None,
        message="; ".join(p for p in (result.message, checked) if p),
    )

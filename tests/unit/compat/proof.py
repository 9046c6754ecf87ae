"""The check every counterexample must pass, independent of drift's own code."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.validators import validator_for

from drift.compat import CompatResult


def accepts(schema: Any, value: Any) -> bool:
    cls = validator_for(schema, default=Draft202012Validator)
    return bool(cls(schema, format_checker=FormatChecker()).is_valid(value))


def assert_counterexamples(result: CompatResult, old: Any, new: Any) -> None:
    """``counterexample(mode)`` is set exactly for ``breaking`` verdicts, and proves them."""
    for mode in ("backward", "forward", "full"):
        found = result.counterexample(mode)
        assert (found is not None) == (result.verdict(mode) == "breaking"), mode
        if found is None:
            continue
        assert found.direction in ((mode,) if mode != "full" else ("backward", "forward"))
        source, target = (old, new) if found.direction == "backward" else (new, old)
        assert accepts(source, found.instance), (mode, found)
        assert not accepts(target, found.instance), (mode, found)

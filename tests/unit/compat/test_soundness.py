"""Soundness: a "compatible" verdict must never let through a value the other side rejects.

For every direction judged compatible (table cases, and random mutations of
small schemas), values generated from the accepting side with
hypothesis-jsonschema must validate against the other side with jsonschema,
with ``format`` both ignored (jsonschema's default) and asserted.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.validators import validator_for

from drift.compat import compare

from .cases_core import CASES as CORE
from .cases_logic import CASES as LOGIC
from .cases_structure import CASES as STRUCTURE
from .generation import generation_schema
from .table import Case

COMPATIBLE = ("annotations-only", "compatible")
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
    database=None,
)


_VALIDATORS: dict[tuple[int, bool], Any] = {}


def check(schema: Any, formats: bool) -> Callable[[Any], bool]:
    key = (id(schema), formats)
    if key not in _VALIDATORS:
        cls = validator_for(schema, default=Draft202012Validator)
        _VALIDATORS[key] = (schema, cls(schema, format_checker=FormatChecker() if formats else None))
    return _VALIDATORS[key][1].is_valid  # type: ignore[no-any-return]


def directions() -> list[Any]:
    out = []
    for case in CORE + STRUCTURE + LOGIC:
        for direction in ("backward", "forward"):
            if getattr(case, direction) not in COMPATIBLE:
                continue
            source = case.old if direction == "backward" else case.new
            generated = generation_schema(source)
            marks: tuple[Any, ...] = ()
            if generated is None:
                marks = (pytest.mark.skip(reason="hypothesis-jsonschema cannot generate it"),)
            elif generated is False or (
                isinstance(generated, dict) and generated.get("not") == {}
            ):
                marks = (pytest.mark.skip(reason="the accepting side accepts nothing"),)
            out.append(pytest.param(case, direction, id=f"{case.id}-{direction}", marks=marks))
    return out


@lru_cache(maxsize=None)
def _strategy(case_id: str, direction: str) -> st.SearchStrategy[Any]:
    case = next(c for c in CORE + STRUCTURE + LOGIC if c.id == case_id)
    source = case.old if direction == "backward" else case.new
    return from_schema(generation_schema(source))


def assert_accepted(source: Any, target: Any, value: Any) -> None:
    for formats in (False, True):
        if check(source, formats)(value):
            assert check(target, formats)(value), (value, formats)


@pytest.mark.parametrize(("case", "direction"), directions())
@SETTINGS
@given(data=st.data())
def test_table_compatible_verdicts_are_sound(case: Case, direction: str, data: Any) -> None:
    source, target = (case.old, case.new) if direction == "backward" else (case.new, case.old)
    value = data.draw(_strategy(case.id, direction))
    assume(check(source, False)(value))
    assert_accepted(source, target, value)


def test_most_compatible_table_directions_are_generated() -> None:
    params = directions()
    runnable = [p for p in params if not p.marks]
    assert len(runnable) >= 0.8 * len(params) and len(runnable) >= 100

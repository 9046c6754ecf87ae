"""Soundness: a "compatible" verdict must never let through a value the other side rejects.

For every direction judged compatible (table cases, and random mutations of
small schemas), values generated from the accepting side with
hypothesis-jsonschema must validate against the other side with jsonschema,
with ``format`` both ignored (jsonschema's default) and asserted.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, find, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.validators import validator_for

from drift.compat import compare

from .cases_core import CASES as CORE
from .cases_logic import CASES as LOGIC
from .cases_structure import CASES as STRUCTURE
from .generation import generation_schema, names_in
from .table import Case

COMPATIBLE = ("annotations-only", "compatible")
SETTINGS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
    database=None,
)


_VALIDATORS: dict[tuple[int, bool], Any] = {}


def check(schema: Any, formats: bool) -> Callable[[Any], bool]:
    key = (id(schema), formats)
    if key not in _VALIDATORS:
        cls = validator_for(schema, default=Draft202012Validator)
        _VALIDATORS[key] = (
            schema,
            cls(schema, format_checker=FormatChecker() if formats else None),
        )
    return _VALIDATORS[key][1].is_valid  # type: ignore[no-any-return]


def generatable(source: Any) -> str:
    """Why values cannot be generated from ``source`` ("" when they can)."""
    generated = generation_schema(source)
    if generated is None:
        return "hypothesis-jsonschema cannot generate it"
    if generated is False or (isinstance(generated, dict) and generated.get("not") == {}):
        return "it accepts nothing"
    return ""


def judged_compatible(case: Case) -> list[str]:
    """The directions ``compare`` judges compatible and whose accepting side generates."""
    result = compare(case.old, case.new)
    sources = {"backward": case.old, "forward": case.new}
    return [
        d
        for d in ("backward", "forward")
        if result.is_compatible(d) and not generatable(sources[d])
    ]


def params() -> list[Any]:
    """Every case with a direction judged compatible (skipped when none can be generated)."""
    out = []
    for case in CORE + STRUCTURE + LOGIC:
        result = compare(case.old, case.new)
        if not (result.is_compatible("backward") or result.is_compatible("forward")):
            continue
        marks = (
            ()
            if judged_compatible(case)
            else (pytest.mark.skip(reason="values cannot be generated from the accepting side"),)
        )
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


@cache
def _strategy(case_id: str, direction: str) -> st.SearchStrategy[Any]:
    case = next(c for c in CORE + STRUCTURE + LOGIC if c.id == case_id)
    source = case.old if direction == "backward" else case.new
    return from_schema(generation_schema(source, hints=names_in(case.old, case.new)))


@pytest.mark.parametrize("case", params())
@SETTINGS
@given(data=st.data())
def test_table_compatible_verdicts_are_sound(case: Case, data: Any) -> None:
    checked = False
    for direction in judged_compatible(case):
        source, target = (case.old, case.new) if direction == "backward" else (case.new, case.old)
        value = data.draw(_strategy(case.id, direction), label=direction)
        for formats in (False, True):
            if check(source, formats)(value):
                checked = True
                assert check(target, formats)(value), (direction, value, formats)
    assume(checked)


def test_most_compatible_table_directions_are_generated() -> None:
    cases = CORE + STRUCTURE + LOGIC
    compatible = [
        (c, d)
        for c in cases
        for d in ("backward", "forward")
        if compare(c.old, c.new).is_compatible(d)
    ]
    checked = [(c, d) for c in cases for d in judged_compatible(c)]
    assert len(checked) >= 0.9 * len(compatible)
    assert len(checked) >= 150


@pytest.mark.parametrize(
    "case_id",
    [
        "open-optional-property-added",
        "minimum-raised",
        "nullable-anyof-removed",
        "pattern-changed-disjoint",
    ],
)
def test_the_check_catches_a_false_compatible_claim(case_id: str) -> None:
    """The same generation and validation find a value that breaks a breaking pair."""
    case = next(c for c in CORE + STRUCTURE + LOGIC if c.id == case_id)
    assert case.backward == "breaking"
    source = generation_schema(case.old, hints=names_in(case.old, case.new))
    value = find(
        from_schema(source),
        lambda v: check(case.old, False)(v) and not check(case.new, False)(v),
        settings=settings(
            max_examples=500, database=None, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
    assert check(case.old, False)(value)
    assert not check(case.new, False)(value)

from __future__ import annotations

import pytest

from drift.server_faults import Fault, FaultPlan


def test_first_matching_rule_applies_until_its_count_is_used() -> None:
    plan = FaultPlan(
        {
            "/index": Fault("status", status=500, count=2),
            "/schemas/v1/*": Fault("reset"),
            "*": Fault("delay", seconds=0.1, count=1),
        }
    )
    assert plan.take("/index") == Fault("status", status=500, count=2)
    assert plan.take("/index") == Fault("status", status=500, count=2)
    assert plan.take("/index") == Fault("delay", seconds=0.1, count=1)  # falls through to "*"
    assert plan.take("/index") is None
    assert plan.take("/schemas/v1/models.Quote").kind == "reset"  # type: ignore[union-attr]
    assert plan.take("/schemas/v2/models.Quote") is None
    assert plan.hits("/index") == 2
    assert plan.hits("/schemas/v1/*") == 1
    assert plan.hits("*") == 1


def test_glob_is_case_sensitive() -> None:
    plan = FaultPlan.single("/Index", Fault("reset"))
    assert plan.take("/index") is None


@pytest.mark.parametrize(
    "kwargs",
    [{"kind": "explode"}, {"kind": "status", "count": -1}, {"kind": "redirect"}],
)
def test_invalid_faults(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Fault(**kwargs)  # type: ignore[arg-type]

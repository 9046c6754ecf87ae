from __future__ import annotations

import pytest

from drift.compat import compare, render_text

from .cases_core import CASES as A
from .cases_structure import CASES as B
from .cases_logic import CASES as C

CASES = A + B + C


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_case(c):
    r = compare(c.old, c.new)
    got = (r.verdict("backward"), r.verdict("forward"))
    assert got == (c.backward, c.forward), render_text(r, "full")

"""Semantic JSON Schema diff: which changes break whom, and how sure that is.

``compare(old, new)`` lists every change with its effect on backward
compatibility (the new schema accepts every value the old one accepted) and
forward compatibility (the reverse). The core is pure; only ``run_diff`` reads
files.

The modules, in layers (each imports only from the layers above it; the keyword
families compare subschemas through the session they are handed, importing it
for type checking only):

1. Values and vocabulary: ``values`` (JSON equality, type atoms, short display),
   ``vocab`` (drafts, the keywords each validates, annotations).
2. Documents: ``resolve`` (documents, local ``$ref``), ``shapes`` (a subschema as a
   union of conjunctions), ``same`` (structural equality), ``pairing`` (which
   alternatives of two expansions correspond).
3. Results: ``result`` (``Effect``, ``Change``, ``Counterexample``, ``CompatResult``, verdicts,
   ``COMPAT_MODES``: backward, forward, full).
4. Evidence: ``evaluate`` (does a shape accept a value, by ``jsonschema``),
   ``regex_samples`` (strings matching a pattern), ``witness`` (values that prove
   a suspected break), ``examples`` (small values a subschema accepts),
   ``counterexample`` (the checked instance behind every ``breaking`` verdict).
5. Keyword families: ``keywords`` (numbers, strings, arrays, objects, enums,
   logic, notes; see its docstring).
6. Engine: ``session`` (one comparison: expansion, pairing, families, cycles),
   ``api`` (``compare``, ``classify``, the bridge to the drift report).
7. Edges: ``render`` (text and JSON of a result), ``cli`` (``drift diff``: reads
   the two files with :func:`drift.fixtures.parse_fixture`).
"""

from __future__ import annotations

from drift.compat.api import ROLE_MODES, classify, compare, judge, to_report_changes
from drift.compat.cli import run_diff
from drift.compat.render import render_text, to_json
from drift.compat.result import (
    COMPAT_MODES,
    Change,
    CompatMode,
    CompatResult,
    Counterexample,
    Effect,
    Verdict,
)

__all__ = [
    "COMPAT_MODES",
    "ROLE_MODES",
    "Change",
    "CompatMode",
    "CompatResult",
    "Counterexample",
    "Effect",
    "Verdict",
    "classify",
    "compare",
    "judge",
    "render_text",
    "run_diff",
    "to_json",
    "to_report_changes",
]

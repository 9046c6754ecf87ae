"""The case record of the compatibility table, and its verdict shorthands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ANN = "annotations-only"
OK = "compatible"
BRK = "breaking"
UNK = "cannot-prove"

DRAFTS = {
    "4": "http://json-schema.org/draft-04/schema#",
    "7": "http://json-schema.org/draft-07/schema#",
    "2020": "https://json-schema.org/draft/2020-12/schema",
}


@dataclass(frozen=True)
class Case:
    id: str
    old: Any
    new: Any
    backward: str
    forward: str
    draft: str
    note: str = ""


def case(
    id: str,
    old: Any,
    new: Any,
    backward: str,
    forward: str,
    *,
    draft: str = "2020",
    note: str = "",
) -> Case:
    """A case; ``draft`` 4, 7 or 2020 is written into both roots as ``$schema``."""
    if draft != "2020" or (isinstance(old, Mapping) and "$schema" in old):
        old, new = _dialect(old, draft), _dialect(new, draft)
    return Case(id, old, new, backward, forward, draft, note)


def _dialect(schema: Any, draft: str) -> Any:
    if not isinstance(schema, Mapping) or "$schema" in schema:
        return schema
    return {"$schema": DRAFTS[draft], **schema}

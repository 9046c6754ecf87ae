"""Whether a shape accepts one concrete value, decided by ``jsonschema`` itself."""

from __future__ import annotations

from typing import Any

from drift.compat.resolve import Doc
from drift.compat.shapes import Shape

__all__ = ["accepts"]


def accepts(shape: Shape, value: Any, *, formats: bool) -> bool | None:
    """True/False when every part of ``shape`` accepts/rejects ``value``; None if undecidable.

    ``formats`` asserts ``format`` (with jsonschema's checkers); without it ``format``
    is an annotation, as jsonschema validates by default.
    """
    if shape.opaque:
        return None
    try:
        for part in shape.parts:
            if not _validator(part.doc, formats).evolve(schema=part.schema).is_valid(value):
                return False
    except Exception:  # unresolvable reference, bad regex: cannot decide
        return None
    return True


def _validator(doc: Doc, formats: bool) -> Any:
    key = "validator+formats" if formats else "validator"
    found = doc.cache.get(key)
    if found is None:
        from jsonschema import Draft202012Validator, FormatChecker
        from jsonschema.validators import validator_for

        cls = validator_for(doc.root, default=Draft202012Validator)
        found = cls(doc.root, format_checker=FormatChecker() if formats else None)
        doc.cache[key] = found
    return found

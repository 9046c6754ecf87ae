"""Whether a shape accepts one concrete value, decided by ``jsonschema`` itself."""

from __future__ import annotations

from typing import Any

from drift.compat.resolve import Doc, Node
from drift.compat.shapes import Shape
from drift.compat.values import atom_of, json_equal
from drift.regex import bounded

__all__ = ["accepts", "node_accepts"]


def accepts(shape: Shape, value: Any, *, formats: bool) -> bool | None:
    """True/False when every part of ``shape`` accepts/rejects ``value``; None if undecidable.

    ``formats`` asserts ``format`` (with jsonschema's checkers); without it ``format``
    is an annotation, as jsonschema validates by default.
    """
    if shape.opaque:
        return None
    if value is None or isinstance(value, bool):
        quick = _scalar(shape, value)
        if quick is not None:
            return quick
    try:
        for part in shape.parts:
            if not _checker(part.schema, part.doc, formats).is_valid(value):
                return False
    except Exception:  # unresolvable reference, bad regex: cannot decide
        return None
    return True


def node_accepts(node: Node, value: Any, *, formats: bool = False) -> bool | None:
    """Does every subschema of ``node`` accept ``value``? ``format`` is ignored, as
    jsonschema does by default, unless ``formats`` asserts it."""
    try:
        for sub in node:
            if not _checker(sub.schema, sub.doc, formats).is_valid(value):
                return False
    except Exception:  # unresolvable reference, bad regex, endless recursion: undecided
        return None
    return True


def _scalar(shape: Shape, value: Any) -> bool | None:
    """``null``/``true``/``false`` without jsonschema, when only ``type``/``enum``/``const`` matter.

    The shape's atoms already come from every part's ``type``; ``allOf``, ``$ref`` and the
    chosen ``anyOf`` branch are parts themselves; other keywords ignore these values.
    """
    if atom_of(value) not in shape.atoms:
        return False
    for part in shape.parts:
        if any(key in part.schema for key in _UNDECIDED):
            return None
    if shape.values is None:
        return True
    return any(json_equal(value, v) for v in shape.values)


_UNDECIDED = ("not", "if", "oneOf", "dependentSchemas", "$recursiveRef", "$dynamicRef")


def _checker(schema: Any, doc: Doc, formats: bool) -> Any:
    """The validator of one subschema of ``doc``: the document's validator evolved to it,
    once per subschema (a validator keeps no state between instances)."""
    key = "checkers+formats" if formats else "checkers"
    checkers: dict[int, tuple[Any, Any]] | None = doc.cache.get(key)
    if checkers is None:
        checkers = doc.cache[key] = {}
    found = checkers.get(id(schema))
    if found is None or found[0] is not schema:
        # The entry keeps ``schema`` alive, so its id names no other object meanwhile.
        found = (schema, _evolved(_validator(doc, formats), schema, doc))
        checkers[id(schema)] = found
    return found[1]


def _evolved(validator: Any, schema: Any, doc: Doc) -> Any:
    """``validator.evolve(schema=schema)``; for a root without ``$schema`` the document's
    validator itself (evolving keeps its class then, so it builds the same validator)."""
    if schema is doc.root and not (isinstance(schema, dict) and "$schema" in schema):
        return validator
    return validator.evolve(schema=schema)


def _validator(doc: Doc, formats: bool) -> Any:
    key = "validator+formats" if formats else "validator"
    found = doc.cache.get(key)
    if found is None:
        from jsonschema import Draft202012Validator, FormatChecker
        from jsonschema.validators import validator_for

        cls = bounded(validator_for(doc.root, default=Draft202012Validator))
        found = cls(doc.root, format_checker=_formats(FormatChecker) if formats else None)
        doc.cache[key] = found
    return found


def _formats(cls: Any) -> Any:
    """One shared ``FormatChecker`` (it only holds the checker functions it was built with)."""
    global _FORMATS
    if _FORMATS is None:
        _FORMATS = cls()
    return _FORMATS


_FORMATS: Any = None

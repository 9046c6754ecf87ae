"""Is a document a valid JSON Schema? The metaschema check, fast where it can be. Pure.

The answer is :mod:`jsonschema`'s (the metaschema of the document's draft,
default 2020-12, with its format checker): :func:`first_error` returns its best
error, or ``None``. That check costs about 6 ms a schema, so a Draft 2020-12
document is first given to ``jsonschema_rs`` (Rust, about 10 µs), plus what it
does not check: the ``regex`` format, which the 2020-12 metaschema puts on
``pattern`` and on ``patternProperties`` names at every subschema position.
When both accept, the document is valid; anything else (an invalid document,
another draft, ``jsonschema_rs`` missing) goes to :mod:`jsonschema`, which
therefore decides every rejection and every message. A property test holds
the fast acceptance equal to :mod:`jsonschema`'s answer.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from drift import subschemas

__all__ = ["fast_accepts", "first_error"]

_DRAFT_2020_12 = frozenset(
    {
        "https://json-schema.org/draft/2020-12/schema",
        "https://json-schema.org/draft/2020-12/schema#",
    }
)
# Where the 2020-12 metaschema applies itself again ($dynamicRef "#meta").
_ONE, _LISTS, _MAPS = (
    subschemas.DRAFT_2020_12.one,
    subschemas.DRAFT_2020_12.lists,
    subschemas.DRAFT_2020_12.maps,
)


def first_error(schema: Any) -> str | None:
    """``None`` if ``schema`` is a valid JSON Schema, else where and why it is not."""
    if fast_accepts(schema):
        return None
    import jsonschema
    import jsonschema.exceptions
    import jsonschema.validators

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    error = jsonschema.exceptions.best_match(_validator(cls).iter_errors(schema))
    if error is None:
        return None
    path = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"at {path}: {error.message}"


def fast_accepts(schema: Any) -> bool:
    """True only if ``schema`` is a valid Draft 2020-12 schema (False: ask :mod:`jsonschema`)."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict) or schema.get("$schema", next(iter(_DRAFT_2020_12))) not in (
        _DRAFT_2020_12
    ):
        return False
    is_valid = _rust_is_valid()
    if is_valid is None:
        return False
    try:
        if not is_valid(schema):
            return False
    except Exception:  # anything it cannot take (huge integers, ...): jsonschema decides
        return False
    return _patterns_compile(schema)


@functools.cache
def _rust_is_valid() -> Any:
    try:
        import jsonschema_rs

        return jsonschema_rs.meta.is_valid
    except (ImportError, AttributeError):  # pragma: no cover - a platform without a wheel
        return None


def _patterns_compile(schema: Any) -> bool:
    """The ``regex`` format where the 2020-12 metaschema checks it (structure already valid)."""
    if not isinstance(schema, dict):
        return True
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not _compiles(pattern):
        return False
    for key, value in schema.items():
        if key in _ONE:
            if not _patterns_compile(value):
                return False
        elif key in _LISTS and isinstance(value, list):
            if not all(_patterns_compile(item) for item in value):
                return False
        elif key in _MAPS and isinstance(value, dict):
            if key == "patternProperties" and not all(_compiles(k) for k in value):
                return False
            if not all(_patterns_compile(item) for item in value.values()):
                return False
    return True


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return False
    return True


@functools.cache
def _validator(cls: Any) -> Any:
    """One metaschema validator per draft (building one per fixture is the slow part)."""
    return cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)

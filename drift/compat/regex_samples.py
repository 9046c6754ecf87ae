"""A few strings matching a regular expression, to find witnesses of breaking changes.

Samples only ever prove that something breaks; they never prove compatibility,
so a pattern this module cannot parse simply yields no samples.
"""

from __future__ import annotations

import importlib
import re
import warnings
from typing import Any

from drift.regex import search as bounded_search

__all__ = ["samples"]

_VARIANTS = 3
_MAX_LEN = 200


def samples(pattern: str) -> list[str]:
    """Up to a handful of strings that ``re.search(pattern, s)`` matches."""
    try:
        parsed = _parser().parse(pattern)
    except Exception:
        return []
    out = []
    for variant in range(_VARIANTS):
        for extra in (0, 1):
            text = _safe_emit(parsed, variant, extra)
            if (
                text is not None
                and len(text) <= _MAX_LEN
                and text not in out
                and _matches(pattern, text)
            ):
                out.append(text)
    return out


def _safe_emit(parsed: Any, variant: int, extra: int) -> str | None:
    try:
        return _emit(parsed, variant, extra)
    except Exception:  # an unsupported construct: no sample
        return None


def _parser() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return importlib.import_module("re._parser")
        except ImportError:  # Python 3.10
            return importlib.import_module("sre_parse")


def _matches(pattern: str, text: str) -> bool:
    try:
        return bounded_search(pattern, text)
    except re.error:
        return False


def _emit(items: Any, variant: int, extra: int) -> str:
    out = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_pick(arg, variant))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = low + extra if high is None or low + extra <= high else low
            out.append("".join(_emit(sub, variant, extra) for _ in range(min(count, 50))))
        elif name == "SUBPATTERN":
            out.append(_emit(arg[-1], variant, extra))
        elif name == "ATOMIC_GROUP":
            out.append(_emit(arg, variant, extra))
        elif name == "BRANCH":
            branches = arg[1]
            out.append(_emit(branches[variant % len(branches)], variant, extra))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            raise ValueError(name)
    return "".join(out)


def _pick(items: Any, variant: int) -> str:
    options: list[str] = []
    negate = False
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            options.append(chr(arg))
        elif name == "RANGE":
            options += [chr(arg[0]), chr(arg[1])]
        elif name == "CATEGORY":
            options.append(
                {
                    "CATEGORY_DIGIT": "0",
                    "CATEGORY_NOT_DIGIT": "a",
                    "CATEGORY_SPACE": " ",
                    "CATEGORY_NOT_SPACE": "a",
                    "CATEGORY_WORD": "a",
                    "CATEGORY_NOT_WORD": "-",
                }.get(str(arg), "a")
            )
    if negate:
        for candidate in ("a", "0", "-", " ", "Z"):
            if candidate not in options:
                return candidate
        raise ValueError("negated class")
    return options[variant % len(options)]

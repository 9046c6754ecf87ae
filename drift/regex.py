"""Bounded evaluation of the regular expressions schemas carry (``pattern``, ``patternProperties``).

A registry or a fixture is untrusted text: ``^(a+)+$`` against ``"a" * 40 + "!"``
takes Python's backtracking ``re`` longer than the age of the universe.
:func:`search` answers with RE2 (``google-re2``, linear time in the text) for
every pattern RE2 can compile; the few it cannot (look-around,
back-references, repetition counts over 1000) fall back to the ``regex``
module with a time limit, and a pattern that runs out of time raises
:class:`PatternError` naming the pattern (and is refused at once afterwards).
Both engines match ``\\d``, ``\\w``, ``\\s`` and ``\\b`` as ASCII, as ECMA-262
(JSON Schema's regex dialect) does.

:func:`bounded` turns a ``jsonschema`` validator class into one whose
``pattern``, ``patternProperties``, ``additionalProperties`` and
``unevaluatedProperties`` use :func:`search` (other users of ``jsonschema``
in the process are unaffected).
"""

from __future__ import annotations

import contextvars
import functools
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

from drift.errors import PatternError

__all__ = ["FALLBACK_SECONDS", "PatternError", "bounded", "search"]

#: Time limit of one fallback (``regex`` module) match.
FALLBACK_SECONDS = 0.25
_PATTERN_KEYWORDS = (
    "pattern",
    "patternProperties",
    "additionalProperties",
    "unevaluatedProperties",
)


_slow: set[str] = set()
_slow_lock = threading.Lock()


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches somewhere in ``text``, in bounded time."""
    return _compiled(pattern)(text)


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str) -> Callable[[str], bool]:
    engine = _re2(pattern)
    if engine is not None:
        return engine
    return _fallback(pattern)


def _re2(pattern: str) -> Callable[[str], bool] | None:
    try:
        import re2  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a dependency; fall back if it is missing
        return None
    options = re2.Options()
    options.log_errors = False
    try:
        compiled = re2.compile(pattern, options)
    except Exception:  # syntax RE2 lacks: the fallback decides
        return None

    def run(text: str) -> bool:
        return compiled.search(text) is not None

    return run


def _fallback(pattern: str) -> Callable[[str], bool]:
    import regex  # type: ignore[import-untyped]

    try:
        compiled = regex.compile(pattern, regex.ASCII | regex.VERSION0)
    except (regex.error, RecursionError, OverflowError, ValueError) as exc:
        raise PatternError(
            f"pattern {pattern!r} is not a valid regular expression: {exc}"
        ) from None

    def run(text: str) -> bool:
        if pattern in _slow:
            raise PatternError(f"pattern {pattern!r} gave up earlier (too slow)", pattern)
        try:
            return compiled.search(text, timeout=FALLBACK_SECONDS) is not None
        except TimeoutError:
            with _slow_lock:
                _slow.add(pattern)
            raise PatternError(
                f"pattern {pattern!r} took over {FALLBACK_SECONDS:g}s on a {len(text)}-character "
                "string (catastrophic backtracking); simplify it",
                pattern,
            ) from None

    return run


# -- jsonschema --------------------------------------------------------------------------

_bounded_here: contextvars.ContextVar[bool] = contextvars.ContextVar("drift_bounded", default=False)


class _ReShim:
    """Stands in for ``re`` inside jsonschema's keyword modules: bounded when asked."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    @staticmethod
    def search(pattern: str, string: str, flags: int = 0) -> Any:
        if _bounded_here.get() and not flags and isinstance(pattern, str):
            return search(pattern, string) or None
        return re.search(pattern, string, flags)


@functools.cache
def _install_shim() -> None:
    from jsonschema import _keywords, _legacy_keywords, _utils

    for module in (_keywords, _legacy_keywords, _utils):
        if getattr(module, "re", None) is re:
            module.re = _ReShim()  # type: ignore[attr-defined]


def _keyword(original: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def run(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
        token = _bounded_here.set(True)
        try:
            errors = list(original(validator, value, instance, schema))
        finally:
            _bounded_here.reset(token)
        yield from errors

    return run


@functools.cache
def bounded(cls: type[Any]) -> type[Any]:
    """``cls`` (a jsonschema validator class) with every pattern keyword bounded."""
    from jsonschema import validators

    _install_shim()
    changed = {k: _keyword(cls.VALIDATORS[k]) for k in _PATTERN_KEYWORDS if k in cls.VALIDATORS}
    extended: type[Any] = validators.extend(cls, changed)  # type: ignore[no-untyped-call]
    extended.evolve = _bounded_evolve(extended.evolve)
    extended.drift_bounded = True
    return extended


def _bounded_evolve(evolve: Callable[..., Any]) -> Callable[..., Any]:
    """``evolve`` that stays bounded: jsonschema picks the plain class of a subschema's own
    ``$schema`` (``validator_for``), a root's included, which would lose the bounds."""

    def bounded_evolve(self: Any, **changes: Any) -> Any:
        evolved = evolve(self, **changes)
        kind: Any = type(evolved)
        if getattr(kind, "drift_bounded", False):
            return evolved
        import attrs

        fields = attrs.fields(kind)
        return bounded(kind)(**{f.alias: getattr(evolved, f.name) for f in fields if f.init})

    return bounded_evolve

"""String keywords: ``minLength``/``maxLength``, ``pattern`` and ``format``.

Regular expressions are never proven to contain one another (unless equal or
matching everything): a changed ``pattern`` is "cannot prove" unless a sample
string shows a real break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drift.compat.regex_samples import samples
from drift.compat.result import BREAKS, OK, UNKNOWN, Change, Effect, bound_change, make, worst
from drift.compat.shapes import Shape
from drift.regex import search as bounded_search

__all__ = ["StrSet", "compare", "read"]

#: (narrower, wider): every string valid for the first format is valid for the second.
FORMAT_SUBSETS = frozenset(
    {
        ("uri", "uri-reference"),
        ("uri", "iri"),
        ("uri", "iri-reference"),
        ("iri", "iri-reference"),
        ("uri-reference", "iri-reference"),
        ("email", "idn-email"),
        ("hostname", "idn-hostname"),
    }
)
#: Formats with a standard definition (a validator asserting formats checks them).
KNOWN_FORMATS = frozenset(
    {
        "date-time",
        "date",
        "time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uuid",
        "uri-template",
        "json-pointer",
        "relative-json-pointer",
        "regex",
    }
)
_ASSERTIONS = ("^", "$", "\\b", "\\B", "\\A", "\\Z", "\\z", "(?=", "(?!", "(?<")


@dataclass(frozen=True)
class StrSet:
    min_len: int
    max_len: int | None
    patterns: frozenset[str]
    formats: frozenset[str]

    def admits(self, text: str) -> bool:
        """Length and patterns only (formats are not sampled)."""
        if len(text) < self.min_len or (self.max_len is not None and len(text) > self.max_len):
            return False
        return all(_search(p, text) is True for p in self.patterns)


def read(shape: Shape) -> StrSet:
    low, high = 0, None
    patterns: set[str] = set()
    formats: set[str] = set()
    for part in shape.parts:
        schema = part.schema
        value = schema.get("minLength")
        if isinstance(value, int) and not isinstance(value, bool):
            low = max(low, value)
        value = schema.get("maxLength")
        if isinstance(value, int) and not isinstance(value, bool):
            high = value if high is None else min(high, value)
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not _universal(pattern):
            patterns.add(pattern)
        fmt = schema.get("format")
        if isinstance(fmt, str):
            formats.add(fmt)
    return StrSet(low, high, frozenset(patterns), frozenset(formats))


def compare(o: Shape, n: Shape) -> list[Change]:
    old, new = read(o), read(n)
    out: list[Change] = []
    out += bound_change("minLength", "minLength", old.min_len, new.min_len)
    out += bound_change("maxLength", "maxLength", old.max_len, new.max_len)
    if old.patterns != new.patterns:
        bw, fw = _patterns_ok(old, new), _patterns_ok(new, old)
        out += make(
            "/pattern",
            "pattern-changed",
            f"pattern {_p(old.patterns)} -> {_p(new.patterns)}",
            bw,
            fw,
        )
    if old.formats != new.formats:
        bw, fw = _formats_ok(old.formats, new.formats), _formats_ok(new.formats, old.formats)
        out += make(
            "/format",
            "format-changed",
            f"format {_p(old.formats)} -> {_p(new.formats)} (matters where formats are asserted)",
            bw,
            fw,
        )
    return out


def _patterns_ok(source: StrSet, target: StrSet) -> Effect:
    """Does every string of ``source`` match the patterns of ``target``?"""
    extra = target.patterns - source.patterns
    if not extra:
        return OK
    for text in _candidates(source, target):
        if source.admits(text) and any(_search(p, text) is False for p in extra):
            return BREAKS
    return UNKNOWN


def _candidates(*sets: StrSet) -> list[str]:
    base = [
        "",
        "a",
        "A",
        "0",
        "1",
        " ",
        "-",
        "_",
        ".",
        "a0",
        "aa",
        "abc",
        "ABC",
        "123",
        "a b",
        "a-b",
        "x@y.z",
        "\u00e9",
    ]
    for s in sets:
        for pattern in sorted(s.patterns):
            base += samples(pattern)
    low = max(s.min_len for s in sets)
    padded = [t + "a" * (low - len(t)) for t in base if len(t) < low]
    padded += [t + "0" * (low - len(t)) for t in base if len(t) < low]
    return base + padded


def _formats_ok(source: frozenset[str], target: frozenset[str]) -> Effect:
    effect: Effect = OK
    for fmt in target - source:
        if any((have, fmt) in FORMAT_SUBSETS for have in source):
            continue
        effect = worst(effect, BREAKS if fmt in KNOWN_FORMATS else UNKNOWN)
    return effect


def _universal(pattern: str) -> bool:
    """True for a pattern every string matches (matches "" and asserts nothing)."""
    if any(mark in pattern for mark in _ASSERTIONS):
        return False
    return _search(pattern, "") is True


def _search(pattern: str, text: str) -> bool | None:
    try:
        return bounded_search(pattern, text)
    except (re.error, RecursionError):
        return None


def _p(values: frozenset[str]) -> str:
    return " and ".join(repr(v) for v in sorted(values)) if values else "none"

"""The redaction boundary's pure part: what :func:`drift.redaction.redact` removes."""

from __future__ import annotations

import io
import logging

from hypothesis import given, settings
from hypothesis import strategies as st

from drift.redaction import RedactingFilter, RedactingStream, password_of, redact, remember


def test_redact_masks_every_encoding_of_a_secret() -> None:
    secret = 'p&ss"wörd<1>'
    remember(secret)
    for form in [
        secret,
        "p&amp;ss&quot;wörd&lt;1&gt;",
        'p&ss\\"w\\u00f6rd<1>',
        "p%26ss%22w%C3%B6rd%3C1%3E",
    ]:
        assert redact(f"before {form} after") == "before *** after"
    assert redact("see https://bob:x@host/p and git+ssh://a:b@h") == (
        "see https://bob:***@host/p and git+ssh://a:***@h"
    )
    assert redact("mailto:someone@example.org at 12:30") == "mailto:someone@example.org at 12:30"


def test_streams_and_log_records_are_redacted() -> None:
    remember("stream-secret-1")
    sink = io.StringIO()
    RedactingStream(sink).write("a stream-secret-1 b\n")
    assert sink.getvalue() == "a *** b\n"
    record = logging.LogRecord(
        "drift", logging.DEBUG, __file__, 1, "%s", ("x stream-secret-1",), None
    )
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "x ***"


def test_password_of() -> None:
    assert password_of("http://u:pw@h/") == "pw"
    assert password_of("http://h/") is None
    assert password_of("http://u:pw@[::1") is None


def _strings(value: object) -> list[str]:
    """Every string in a report-like value (dataclass fields, containers, keys)."""
    import dataclasses
    import enum

    if isinstance(value, enum.Enum):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    return []


def _filled(cls: type, text: str) -> object:
    """An instance of a report dataclass with ``text`` in every string field, recursively."""
    import dataclasses
    import typing

    from drift import report

    values: dict[str, object] = {}
    hints = typing.get_type_hints(cls, vars(report))
    for f in dataclasses.fields(cls):
        hint = str(hints[f.name])
        if hints[f.name] is report.Status:
            values[f.name] = report.Status.DRIFTED
        elif "TrackResult" in hint:
            values[f.name] = (_filled(report.TrackResult, text),)
        elif "SchemaResult" in hint:
            values[f.name] = (_filled(report.SchemaResult, text),)
        elif "Counterexample" in hint:
            values[f.name] = report.Counterexample(text, {text: [text, 1, None]}, text)
        elif "WaiverNote" in hint:
            values[f.name] = _filled(report.WaiverNote, text)
        elif "Change" in hint:
            values[f.name] = (report.Change(text, text, text, True, False),)
        elif "Mapping" in hint:
            values[f.name] = {text: {text: [text]}}
        elif "tuple[str" in hint:
            values[f.name] = (text,)
        elif "str" in hint:
            values[f.name] = text
        elif hints[f.name] is int:
            values[f.name] = 1
        elif hints[f.name] is bool:
            values[f.name] = False
    return cls(**values)


def test_redact_fields_cleans_every_string_of_a_report_and_keeps_a_clean_one() -> None:
    from drift.redaction import redact_fields
    from drift.report import Report

    remember("fields-secret-9")
    dirty = _filled(Report, "x fields-secret-9 https://u:pw-in-url@h/ y")
    strings = _strings(dirty)
    assert len(strings) > 30
    assert all("fields-secret-9" in s for s in strings)
    clean = redact_fields(dirty)
    assert all("fields-secret-9" not in s and "pw-in-url" not in s for s in _strings(clean))
    assert len(_strings(clean)) == len(strings)
    assert redact_fields(clean) is clean  # nothing left to do: the same object, not a copy
    untouched = _filled(Report, "nothing to hide here")
    assert redact_fields(untouched) is untouched


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=4, max_size=12), st.text(max_size=8), st.text(max_size=8))
def test_the_cheap_test_never_misses_what_redact_removes(secret: str, head: str, tail: str) -> None:
    from drift import redaction

    saved = set(redaction._forms), redaction._by_length, redaction._probes, redaction._probe_search
    try:  # a random secret stays in this test: remembered secrets are process-wide
        remember(secret)
        for form in redaction._encodings(secret):
            text = head + form + tail
            if redact(text) != text:
                assert redaction.may_carry_secret(text)
    finally:
        redaction._forms.clear()
        redaction._forms.update(saved[0])
        redaction._by_length, redaction._probes, redaction._probe_search = saved[1:]

"""The redaction boundary's pure part: what :func:`drift.redaction.redact` removes."""

from __future__ import annotations

import io
import logging

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

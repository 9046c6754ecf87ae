"""drift.urls: the one registry-URL classifier and the one URL redactor."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.config import load_settings
from drift.urls import file_url_path, redact_url, registry_kind


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:secret@reg.example.test/api?token=x#f", "https://reg.example.test/api"),
        ("registry", "registry"),
        ("./dir/reg", "./dir/reg"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("redis://:hunter2@Cache.Example:6379/0", "redis://cache.example:6379/0"),
        ("http://[::1]:8080/x?q=1", "http://[::1]:8080/x"),
        ("ftp://bob:hunter2@host/", "ftp://host/"),
        ("http://host:notaport/", "<unparsable url>"),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("http://127.0.0.1:8080", "http"),
        ("HTTPS://reg.example.com/v1/", "http"),
        ("http:///no-host", "http"),
        ("file:///srv/registry", "file"),
        ("File://localhost/srv/registry", "file"),
        ("registry", "path"),
        ("/abs/registry", "path"),
        ("./example.com", "path"),
        ("ftp://example.com/r", None),
        ("s3://bucket/reg", None),
        ("localhost:8080", None),
        ("10.0.0.5:8080/api", None),
    ],
)
def test_registry_kind(value: str, kind: str | None) -> None:
    assert registry_kind(value) == kind


def test_file_url_path_decodes() -> None:
    assert file_url_path("file:///srv/my%20reg") == Path("/srv/my reg")
    assert file_url_path("file://localhost/srv/reg") == Path("/srv/reg")


def test_settings_label_a_file_url_inside_the_project_relative(tmp_path: Path) -> None:
    (tmp_path / "my reg").mkdir()
    url = (tmp_path / "my reg").as_uri()
    settings = load_settings(tmp_path, {"REGISTRY_URL": url})
    assert settings.registry_label() == "my reg"
    http = load_settings(tmp_path, {"REGISTRY_URL": "https://reg.example.com"})
    assert http.registry_label() == "https://reg.example.com"

from __future__ import annotations

from pathlib import Path

import pytest

from drift.errors import ConfigError
from drift.sources import DirectorySource, RegistryClient, RegistrySource, open_source


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/", "https://registry.example.com/api"])
def test_http_urls_give_a_client(url: str, tmp_path: Path) -> None:
    source = open_source(url, base_dir=tmp_path, token="t0k3n", retries=0)
    try:
        assert isinstance(source, RegistryClient)
        assert isinstance(source, RegistrySource)
        assert source.location == url.rstrip("/")
    finally:
        source.close()


def test_relative_path_is_under_base_dir(tmp_path: Path) -> None:
    source = open_source("registry", base_dir=tmp_path)
    assert isinstance(source, DirectorySource)
    assert source.location == str(tmp_path / "registry")


def test_absolute_path_ignores_base_dir(tmp_path: Path) -> None:
    source = open_source(str(tmp_path / "reg"), base_dir=Path("/elsewhere"))
    assert source.location == str(tmp_path / "reg")


def test_file_url(tmp_path: Path) -> None:
    source = open_source((tmp_path / "my reg").as_uri(), base_dir=Path("/elsewhere"))
    assert isinstance(source, DirectorySource)
    assert source.location == str(tmp_path / "my reg")


def test_http_options_are_ignored_for_directories(tmp_path: Path) -> None:
    assert isinstance(open_source("reg", base_dir=tmp_path, token="x", retries=1), DirectorySource)


@pytest.mark.parametrize(
    "value",
    [
        "ftp://registry.example.com/",
        "htp:/x",
        "s3://bucket/reg",
        "file://otherhost/reg",
        "http:///x",
    ],
)
def test_other_schemes_are_config_errors(value: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        open_source(value, base_dir=tmp_path)
    assert value in str(info.value) or "http(s)://host" in str(info.value)


def test_empty_value(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="empty"):
        open_source("  ", base_dir=tmp_path)


def test_credentials_in_a_bad_url_are_not_echoed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        open_source("ftp://bob:hunter2@host/", base_dir=tmp_path)
    assert "hunter2" not in str(info.value)
    assert "ftp://host/" in str(info.value)


def test_userinfo_is_not_part_of_location(tmp_path: Path) -> None:
    source = open_source("https://bob:hunter2@reg.example.com/", base_dir=tmp_path)
    try:
        assert source.location == "https://reg.example.com"
        assert "hunter2" not in repr(source)
    finally:
        source.close()

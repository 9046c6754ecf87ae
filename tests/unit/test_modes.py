"""The enforcement-mode file written by ``set-mode``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from drift.config import load_settings, resolve_mode
from drift.errors import ConfigError
from drift.modes import MODE_FILE, ModeFile, parse_mode, parse_modes

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_missing_file_reads_as_no_modes(tmp_path: Path) -> None:
    assert ModeFile(tmp_path / MODE_FILE).read() == {}


def test_set_read_keep_other_tracks(tmp_path: Path) -> None:
    modes = ModeFile(tmp_path / MODE_FILE)
    assert modes.path == tmp_path / ".drift-mode.toml"
    modes.set("v2", "warn")
    modes.set("v1", "strict")
    assert modes.read() == {"v1": "strict", "v2": "warn"}
    modes.set("v1", "warn")
    assert modes.read() == {"v1": "warn", "v2": "warn"}
    text = modes.path.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert tomllib.loads(text) == {"modes": {"v1": "warn", "v2": "warn"}}


def test_written_file_is_sorted_and_leaves_no_temp_files(tmp_path: Path) -> None:
    modes = ModeFile(tmp_path / MODE_FILE)
    modes.set("v2", "strict")
    modes.set("v1", "warn")
    body = modes.path.read_text(encoding="utf-8").split("\n", 1)[1]
    assert body == '[modes]\nv1 = "warn"\nv2 = "strict"\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == [MODE_FILE]


def test_pyproject_is_never_written(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_bytes(b'[tool.drift]\nmode = "warn"\n')
    ModeFile(tmp_path / MODE_FILE).set("v1", "strict")
    assert pyproject.read_bytes() == b'[tool.drift]\nmode = "warn"\n'
    settings = load_settings(tmp_path, {})
    file_modes = ModeFile(tmp_path / MODE_FILE).read()
    assert resolve_mode(settings, "v1", file_modes) == ("strict", "mode-file")
    assert resolve_mode(settings, "v2", file_modes) == ("warn", "config")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[modes\n", "invalid TOML"),
        ('[modes]\nv1 = "strcit"\n', "[modes] v1: 'strcit' is not one of warn, strict"),
        ("[modes]\nv1 = true\n", "[modes] v1: True is not one of warn, strict"),
        ('[modes]\nv3 = "warn"\n', "[modes]: 'v3' is not a track (v1, v2)"),
        ('modes = "strict"\n', "[modes] must be a table"),
        ('[mode]\nv1 = "warn"\n', "unknown table 'mode' (expected [modes])"),
    ],
)
def test_bad_content_names_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / MODE_FILE
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        ModeFile(path).read()
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)
    with pytest.raises(ConfigError):
        ModeFile(path).set("v1", "warn")  # a broken file is not overwritten
    assert path.read_text(encoding="utf-8") == content


@pytest.mark.parametrize(("track", "mode"), [("v1", "strcit"), ("v1", "STRICT"), ("v3", "warn")])
def test_set_rejects_bad_values_and_writes_nothing(tmp_path: Path, track: str, mode: str) -> None:
    modes = ModeFile(tmp_path / MODE_FILE)
    with pytest.raises(ConfigError, match=repr(mode) if track == "v1" else "'v3' is not a track"):
        modes.set(track, mode)
    assert not modes.path.exists()


def test_parse_helpers() -> None:
    assert parse_mode("strict", "x") == "strict"
    with pytest.raises(ConfigError, match=r"^where: 'loud' is not one of warn, strict$"):
        parse_mode("loud", "where")
    assert parse_modes({}, "f") == {}
    assert parse_modes({"modes": {"v2": "strict"}}, "f") == {"v2": "strict"}

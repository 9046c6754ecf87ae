"""Project discovery: the nearest pyproject.toml with [tool.drift] upwards, like git/buf."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.discovery import discover, load_project_settings
from drift.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """svc/pyproject.toml with [tool.drift]; svc/sub/pyproject.toml without; svc/sub/src/."""
    write(tmp_path / "svc" / "pyproject.toml", '[tool.drift]\nregistry_url = "reg"\n')
    write(tmp_path / "svc" / "sub" / "pyproject.toml", '[project]\nname = "sub"\n')
    (tmp_path / "svc" / "sub" / "src").mkdir()
    return tmp_path


def test_nearest_drift_table_upwards_skips_a_pyproject_without_one(tree: Path) -> None:
    found = discover(tree / "svc" / "sub" / "src")
    assert found.found
    assert found.root == (tree / "svc").resolve()
    assert found.searched == tuple((tree / p).resolve() for p in ("svc/sub/src", "svc/sub", "svc"))


def test_the_start_directory_itself_counts(tree: Path) -> None:
    assert discover(tree / "svc").root == (tree / "svc").resolve()


def test_nothing_found_falls_back_to_the_start_and_says_where_it_looked(tmp_path: Path) -> None:
    start = tmp_path / "a" / "b"
    start.mkdir(parents=True)
    found = discover(start)
    assert not found.found
    assert found.root == start.resolve()
    assert found.searched[0] == start.resolve()
    assert found.searched[-1] == Path(found.searched[-1].anchor)
    message = found.not_found()
    assert f"no pyproject.toml with [tool.drift] in {start.resolve()} or any parent" in message
    assert str((tmp_path / "a").resolve()) in message
    assert "drift init" in message


def test_settings_from_a_subdirectory(tree: Path) -> None:
    settings = load_project_settings(None, {}, {}, cwd=tree / "svc" / "sub" / "src")
    assert settings.root == (tree / "svc").resolve()
    assert settings.registry_url == str((tree / "svc" / "reg").resolve())


def test_project_dir_wins_over_discovery(tree: Path) -> None:
    settings = load_project_settings(tree / "svc" / "sub", {}, {}, cwd=tree / "svc")
    assert settings.root == (tree / "svc" / "sub").resolve()
    assert settings.registry_url == ""


def test_no_project_and_no_registry_is_an_error_naming_the_search(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no registry configured: no pyproject.toml") as err:
        load_project_settings(None, {}, {}, cwd=tmp_path)
    assert str(tmp_path.resolve()) in str(err.value)


def test_no_project_but_a_registry_from_the_environment_still_works(tmp_path: Path) -> None:
    settings = load_project_settings(None, {"REGISTRY_URL": "http://127.0.0.1:1"}, {}, cwd=tmp_path)
    assert settings.root == tmp_path.resolve()


def test_invalid_toml_on_the_way_up_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.drift\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        discover(tmp_path)


def test_the_discovered_pyproject_is_parsed_once(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drift import tomlread

    parsed: list[str] = []
    real = tomlread.loads

    def counted(text: str) -> dict[str, object]:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(tomlread, "loads", counted)
    settings = load_project_settings(None, {}, cwd=tree / "svc")
    assert settings.registry_url.endswith("reg")
    assert parsed.count('[tool.drift]\nregistry_url = "reg"\n') == 1  # discovery's parse reused
    (tree / "svc" / "pyproject.toml").write_text('[tool.drift]\nregistry_url = "new"\n')
    assert load_project_settings(None, {}, cwd=tree / "svc").registry_url.endswith("new")

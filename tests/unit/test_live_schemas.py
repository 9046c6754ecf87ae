"""drift.live: choosing committed fixtures or freshly fetched registry schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.errors import ConfigError, RegistryUnavailable
from drift.live import Fetch, live_requested, prepare_schema_dir


@pytest.fixture(autouse=True)
def _temp_dirs_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Default live directories (``tempfile.mkdtemp``) land in ``tmp_path``, not /tmp."""
    (tmp_path / "temp").mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "temp"))


def fetch_ok(track: str, dest: Path) -> None:
    (dest / track).mkdir()
    (dest / track / "m.A.json").write_text(f'{{"title": "{track}"}}')


def fetch_down(track: str, dest: Path) -> None:
    (dest / track).mkdir()
    (dest / track / "partial.json").write_text("{}")
    raise RegistryUnavailable("connection refused", kind="connect")


def fetch_nothing(track: str, dest: Path) -> None:
    (dest / track).mkdir()
    (dest / "m.A.json").write_text("{}")  # wrong place: not under <track>/


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["-x"], {}, (False, ["-x"])),
        (["--live", "-x"], {}, (True, ["-x"])),
        ([], {"DRIFT_LIVE": "1"}, (True, [])),
        ([], {"DRIFT_LIVE": "0"}, (False, [])),
    ],
)
def test_live_requested(
    args: list[str], env: dict[str, str], expected: tuple[bool, list[str]]
) -> None:
    assert live_requested(args, env) == expected


def test_offline_uses_the_committed_fixtures(tmp_path: Path) -> None:
    source = prepare_schema_dir("v1", live=False, fetch=fetch_down, fixtures_dir=tmp_path)
    assert (source.directory, source.live, source.fell_back) == (tmp_path, False, False)


def test_live_fetches_into_workdir_track(tmp_path: Path) -> None:
    work = tmp_path / "out"
    source = prepare_schema_dir(
        "v2", live=True, fetch=fetch_ok, fixtures_dir=tmp_path / "fixtures", workdir=work
    )
    assert source.directory == work
    assert source.live
    assert not source.fell_back
    assert (work / "v2" / "m.A.json").read_text() == '{"title": "v2"}'
    assert sorted(p.name for p in work.iterdir()) == ["v2"]
    assert "1 schemas of track v2" in source.message


def test_live_fetch_defaults_to_a_fresh_temp_dir(tmp_path: Path) -> None:
    first = prepare_schema_dir("v1", live=True, fetch=fetch_ok, fixtures_dir=tmp_path)
    second = prepare_schema_dir("v1", live=True, fetch=fetch_ok, fixtures_dir=tmp_path)
    assert first.directory != second.directory
    assert (first.directory / "v1" / "m.A.json").is_file()


@pytest.mark.parametrize("fetch", [fetch_down, fetch_nothing])
def test_unreachable_registry_falls_back_loudly(tmp_path: Path, fetch: Fetch) -> None:
    work = tmp_path / "out"
    source = prepare_schema_dir(
        "v1", live=True, fetch=fetch, fixtures_dir=tmp_path / "fixtures", workdir=work
    )
    assert source.directory == tmp_path / "fixtures"
    assert source.fell_back
    assert not source.live
    assert source.message.startswith("LIVE FETCH FAILED for track v1")
    assert "FALLING BACK" in source.message
    assert list(work.iterdir()) == []


def test_failed_fetch_keeps_the_previous_live_copy(tmp_path: Path) -> None:
    work = tmp_path / "out"
    prepare_schema_dir("v1", live=True, fetch=fetch_ok, fixtures_dir=tmp_path, workdir=work)
    prepare_schema_dir("v1", live=True, fetch=fetch_down, fixtures_dir=tmp_path, workdir=work)
    assert [p.name for p in (work / "v1").iterdir()] == ["m.A.json"]


def test_other_errors_propagate_and_clean_up(tmp_path: Path) -> None:
    def fetch_misconfigured(track: str, dest: Path) -> None:
        raise ConfigError("bad registry_url")

    with pytest.raises(ConfigError):
        prepare_schema_dir(
            "v1",
            live=True,
            fetch=fetch_misconfigured,
            fixtures_dir=tmp_path,
            workdir=tmp_path / "w",
        )
    assert list((tmp_path / "w").iterdir()) == []


def test_labels_say_where_schemas_came_from(tmp_path: Path) -> None:
    def label(live: bool, fetch: Fetch) -> str:
        return prepare_schema_dir("v1", live=live, fetch=fetch, fixtures_dir=tmp_path).label

    assert label(False, fetch_ok) == "committed fixtures"
    assert label(True, fetch_ok) == "live registry"
    assert label(True, fetch_down) == "committed fixtures, LIVE FETCH FAILED"


def test_fallback_removes_its_own_temp_dir(tmp_path: Path) -> None:
    prepare_schema_dir("v1", live=True, fetch=fetch_down, fixtures_dir=tmp_path / "fixtures")
    assert list((tmp_path / "temp").iterdir()) == []

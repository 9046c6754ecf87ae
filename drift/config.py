"""Load :class:`~drift.settings.Settings` from flags, environment, ``pyproject.toml`` and defaults.

Precedence is flag > environment > ``[tool.drift]`` > default. Every invalid
value is a :class:`~drift.errors.ConfigError` naming where it came from and
the field; nothing falls back to a default silently. An environment variable
set to the empty string counts as not set (CI systems export unset
variables that way).

``[tool.drift]`` in ``<root>/pyproject.toml``:

=================  ============================  =========================  =======================
key                type                          default                    overridden by
=================  ============================  =========================  =======================
repo               string                        name of the root directory
registry_url       http(s) URL, file:// URL or   none (commands that need   ``REGISTRY_URL``,
                   directory path (relative to   the registry fail)         ``--registry-url``
                   the root)
fixtures_dir       path (relative to the root)   ``"fixtures"``             ``--fixtures-dir``
mode               ``"warn"`` | ``"strict"``     ``"warn"``                 ``drift set-mode``,
                                                                            ``REGISTRY_ENFORCEMENT``,
                                                                            ``--mode``
fail_open          boolean                       ``true``                   ``REGISTRY_FAIL_OPEN``,
                                                                            ``--fail-closed``
fail_on            ``"breaking"`` | ``"drift"``  ``"drift"``                ``--fail-on``
                   | ``"any"``
annotation_keys    list of strings (replaces     title, description,
                   the default)                  examples, $comment,
                                                 $core_version, $track
timeout            seconds (number > 0)          ``10``
deadline           seconds (number > 0)          ``60``
retries            integer 0..100                ``3``
concurrency        integer 1..64                 ``16``
report             path (relative to the root)   ``"drift_report.json"``    ``--report``
tracks             table of track tables         v1 and v2 with defaults
=================  ============================  =========================  =======================

``[tool.drift.tracks.v1]`` and ``[tool.drift.tracks.v2]`` (both tracks always exist):

=============  ===============================================  ==================================
key            type                                             default
=============  ===============================================  ==================================
schemas        list of schema names or globs (``fnmatch``)      ``["*"]``
exclude        list of globs; exclusion wins                    ``[]``
required       boolean: failures fail the build                 ``true`` for v1, ``false`` for v2
role           ``"producer"`` | ``"consumer"`` | ``"both"``     ``"producer"``
compat_policy  ``"strict"`` | ``"lenient"`` (a property added   ``"strict"``
               to an open object passes for producers)
max_stale      duration: ``"90m"``, ``"12h"``, ``"7d"``, seconds  none (never stale)
enabled        boolean                                          ``true``
=============  ===============================================  ==================================

Environment: ``REGISTRY_URL``, ``REGISTRY_TRACK`` (``v1``, ``v1,v2`` or
``all``; default: every enabled track), ``REGISTRY_ENFORCEMENT`` (``warn`` |
``strict``, spelt exactly like every mode value), ``REGISTRY_ENABLED`` and
``REGISTRY_FAIL_OPEN`` (true/false, 1/0, yes/no, on/off in any case, as every
boolean variable), ``REGISTRY_TOKEN`` (never printed; never a flag). Selecting a disabled track
explicitly is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from drift import config_values as v
from drift import tomlread
from drift.errors import ConfigError
from drift.model import COMPAT_POLICIES, DEFAULT_ANNOTATION_KEYS, FAIL_ON, MODES, ROLES, TRACKS
from drift.redaction import password_of, remember
from drift.settings import Settings, TrackConfig, resolve_mode

__all__ = ["FLAG_KEYS", "Settings", "TrackConfig", "load_settings", "resolve_mode"]

T = TypeVar("T")
_FILE = "pyproject.toml [tool.drift]"
FILE_KEYS = (
    "repo", "registry_url", "fixtures_dir", "mode", "fail_open", "fail_on", "annotation_keys",
    "timeout", "deadline", "retries", "concurrency", "report", "tracks",
)  # fmt: skip
TRACK_KEYS = (
    "schemas", "exclude", "required", "role", "compat_policy", "max_stale", "enabled",
)  # fmt: skip
#: Keys of the ``flags`` mapping that :func:`load_settings` reads; others are ignored.
FLAG_KEYS = (
    "registry_url", "tracks", "mode", "fail_open", "fixtures_dir", "registry_enabled",
    "fail_on", "schemas", "report", "require_all",
)  # fmt: skip
_FLAG_NAMES = {"tracks": "--track", "schemas": "--schema", "registry_enabled": "--no-registry"}


def load_settings(
    root: Path, env: Mapping[str, str], flags: Mapping[str, Any] | None = None
) -> Settings:
    """Resolve the settings of the project at ``root``; ``None`` flags count as not given."""
    root = Path(root).resolve()
    given = {k: val for k, val in (flags or {}).items() if k in FLAG_KEYS and val is not None}
    table = _read_table(root / "pyproject.toml")
    _check_keys(table, FILE_KEYS, "[tool.drift]")
    sources: dict[str, str] = {}

    def pick(
        key: str,
        parse: Callable[[object], T],
        default: T,
        *,
        flag: str | None = None,
        env_var: str | None = None,
        parse_env: Callable[[object], T] | None = None,
        in_file: bool = True,
    ) -> T:
        if flag is not None and flag in given:
            sources[key] = "flag"
            return _parse(parse, given[flag], _FLAG_NAMES.get(flag, "--" + flag.replace("_", "-")))
        raw = env.get(env_var, "") if env_var else ""
        if env_var and raw.strip():
            sources[key] = "env"
            return _parse(parse_env or parse, raw, env_var)
        if in_file and key in table:
            sources[key] = "file"
            return _parse(parse, table[key], f"{_FILE} {key}")
        sources[key] = "default"
        return default

    tracks = _tracks(table.get("tracks", {}))
    url = v.registry_url(root)
    mode = pick(
        "mode", v.choice(MODES), None, flag="mode", env_var="REGISTRY_ENFORCEMENT", in_file=False
    )
    mode_source = sources["mode"] if mode is not None else None
    if mode is None and "mode" in table:
        sources["mode"] = "file"
    selected = pick(
        "selected", v.track_selection, None, flag="tracks", env_var="REGISTRY_TRACK", in_file=False
    )
    settings = Settings(
        root=root,
        repo=pick("repo", v.nonempty_str, root.name),
        registry_url=pick("registry_url", url, "", flag="registry_url", env_var="REGISTRY_URL"),
        registry_token=pick(
            "registry_token", v.token, None, env_var="REGISTRY_TOKEN", in_file=False
        ),
        registry_enabled=pick(
            "registry_enabled",
            v.strict_bool,
            True,
            flag="registry_enabled",
            env_var="REGISTRY_ENABLED",
            parse_env=v.text_bool,
            in_file=False,
        ),
        fixtures_dir=root / pick("fixtures_dir", v.rel_path, Path("fixtures"), flag="fixtures_dir"),
        tracks=MappingProxyType(tracks),
        selected=_selected(selected, sources["selected"], tracks),
        mode=mode,
        mode_source=mode_source,
        config_mode=_parse(v.choice(MODES), table["mode"], f"{_FILE} mode")
        if "mode" in table
        else None,
        fail_open=pick(
            "fail_open",
            v.strict_bool,
            True,
            flag="fail_open",
            env_var="REGISTRY_FAIL_OPEN",
            parse_env=v.text_bool,
        ),
        fail_on=pick("fail_on", v.choice(FAIL_ON), "drift", flag="fail_on"),
        annotation_keys=frozenset(
            pick("annotation_keys", v.str_list, tuple(sorted(DEFAULT_ANNOTATION_KEYS)))
        ),
        timeout=pick("timeout", v.positive_number, 10.0),
        deadline=pick("deadline", v.positive_number, 60.0),
        retries=pick("retries", v.int_range(0, 100), 3),
        concurrency=pick("concurrency", v.int_range(1, 64), 16),
        report_path=root / pick("report", v.rel_path, Path("drift_report.json"), flag="report"),
        schema_filter=pick("schema_filter", v.schema_names, (), flag="schemas", in_file=False),
        require_all=pick("require_all", v.strict_bool, False, flag="require_all", in_file=False),
        sources=MappingProxyType(sources),
    )
    remember(settings.registry_token, password_of(settings.registry_url))
    return settings


def _parse(parse: Callable[[object], T], value: object, where: str) -> T:
    try:
        return parse(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _read_table(path: Path) -> dict[str, Any]:
    document = tomlread.read_config_file(path, path.name, reuse=True)
    if document is None:
        return {}
    tool = document.get("tool", {})
    table = tool.get("drift", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path.name}: [tool.drift] must be a table")
    return table


def _check_keys(table: Mapping[str, object], known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key in known:
            continue
        import difflib  # only to suggest a spelling for an unknown key

        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" (known keys: {', '.join(known)})"
        raise ConfigError(f"pyproject.toml: unknown key {key!r} in {where}{hint}")


def _tracks(raw: object) -> dict[str, TrackConfig]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{_FILE} tracks: must be a table of track tables")
    for name in raw:
        if name not in TRACKS:
            raise ConfigError(
                f"pyproject.toml [tool.drift.tracks]: {name!r} is not a track ({', '.join(TRACKS)})"
            )
    return {name: _track(name, raw.get(name, {})) for name in TRACKS}


def _track(name: str, raw: object) -> TrackConfig:
    where = f"pyproject.toml [tool.drift.tracks.{name}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a table")
    _check_keys(raw, TRACK_KEYS, f"[tool.drift.tracks.{name}]")

    def get(key: str, parse: Callable[[object], T], default: T) -> T:
        return _parse(parse, raw[key], f"{where} {key}") if key in raw else default

    return TrackConfig(
        name=name,
        schemas=get("schemas", v.str_list, ("*",)),
        exclude=get("exclude", v.str_list, ()),
        required=get("required", v.strict_bool, name == "v1"),
        role=get("role", v.choice(ROLES), "producer"),
        compat_policy=get("compat_policy", v.choice(COMPAT_POLICIES), "strict"),
        max_stale=get("max_stale", v.duration, None),
        enabled=get("enabled", v.strict_bool, True),
    )


def _selected(
    chosen: tuple[str, ...] | None, source: str, tracks: Mapping[str, TrackConfig]
) -> tuple[str, ...]:
    if chosen is None:
        return tuple(name for name in TRACKS if tracks[name].enabled)
    where = "--track" if source == "flag" else "REGISTRY_TRACK"
    for name in chosen:
        if not tracks[name].enabled:
            raise ConfigError(
                f"{where}: track {name!r} is disabled "
                f"(pyproject.toml [tool.drift.tracks.{name}] enabled = false)"
            )
    return chosen

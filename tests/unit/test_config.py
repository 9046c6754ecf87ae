"""Settings: flag > env > [tool.drift] > default, and a named error for every bad value."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from drift.canonical import DEFAULT_ANNOTATION_KEYS
from drift.config import load_settings, resolve_mode
from drift.durations import parse_duration
from drift.errors import ConfigError
from drift.modes import MODE_FILE, ModeFile
from drift.settings import Settings


def project(tmp_path: Path, body: str | None = "", *, name: str = "svc") -> Path:
    """A project root whose pyproject.toml has ``[tool.drift]`` + ``body`` (None: no file)."""
    root = tmp_path / name
    root.mkdir()
    if body is not None:
        (root / "pyproject.toml").write_text(
            '[project]\nname = "svc"\n\n[tool.drift]\n' + body, encoding="utf-8"
        )
    return root


def load(
    root: Path, env: Mapping[str, str] | None = None, flags: Mapping[str, Any] | None = None
) -> Settings:
    return load_settings(root, env or {}, flags)


def config_error(root: Path, env: Mapping[str, str] | None = None, **flags: Any) -> str:
    with pytest.raises(ConfigError) as info:
        load(root, env, flags)
    return str(info.value)


# --- defaults ---------------------------------------------------------------------------


@pytest.mark.parametrize("body", [None, "", 'repo = "svc"\n'])
def test_defaults_without_file_or_table(tmp_path: Path, body: str | None) -> None:
    root = project(tmp_path, body)
    if body == "":
        (root / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    s = load(root)
    assert s.root == root.resolve()
    assert s.repo == "svc"
    assert s.registry_url == ""
    assert s.registry_token is None
    assert s.registry_enabled is True
    assert s.fixtures_dir == root.resolve() / "fixtures"
    assert s.selected == ("v1", "v2")
    assert (s.mode, s.mode_source, s.config_mode) == (None, None, None)
    assert s.fail_open is True
    assert s.fail_on == "drift"
    assert s.annotation_keys == DEFAULT_ANNOTATION_KEYS
    assert (s.timeout, s.deadline, s.retries, s.concurrency) == (10.0, 60.0, 3, 16)
    assert s.report_path == root.resolve() / "drift_report.json"
    assert s.schema_filter == ()
    v1, v2 = s.tracks["v1"], s.tracks["v2"]
    assert (v1.schemas, v1.exclude, v1.required, v1.role, v1.max_stale, v1.enabled) == (
        ("*",), (), True, "producer", None, True,
    )  # fmt: skip
    assert v2.required is False
    assert resolve_mode(s, "v1", {}) == ("warn", "default")


def test_repo_default_is_root_directory_name(tmp_path: Path) -> None:
    assert load(project(tmp_path, "", name="billing-service")).repo == "billing-service"


def test_file_values_are_read(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        'repo = "billing"\nregistry_url = "https://reg.example.com/api"\n'
        'fixtures_dir = "tests/schemas"\nmode = "strict"\nfail_open = false\n'
        'fail_on = "breaking"\nannotation_keys = ["title"]\ntimeout = 2.5\ndeadline = 30\n'
        'retries = 0\nconcurrency = 64\nreport = "out/r.json"\n\n'
        '[tool.drift.tracks.v1]\nschemas = ["models.*", "telemetry.FeedbackEvent"]\n'
        'exclude = ["models.Health"]\nrole = "consumer"\nmax_stale = "7d"\n'
        'compat_policy = "lenient"\n\n'
        "[tool.drift.tracks.v2]\nrequired = true\nenabled = false\nmax_stale = 5400\n",
    )
    s = load(root)
    assert s.repo == "billing"
    assert s.registry_url == "https://reg.example.com/api"
    assert s.fixtures_dir == root.resolve() / "tests" / "schemas"
    assert (s.mode, s.config_mode) == (None, "strict")
    assert (s.fail_open, s.fail_on) == (False, "breaking")
    assert s.annotation_keys == frozenset({"title"})
    assert (s.timeout, s.deadline, s.retries, s.concurrency) == (2.5, 30.0, 0, 64)
    assert s.report_path == root.resolve() / "out" / "r.json"
    assert s.tracks["v1"].schemas == ("models.*", "telemetry.FeedbackEvent")
    assert s.tracks["v1"].role == "consumer"
    assert (s.tracks["v1"].compat_policy, s.tracks["v2"].compat_policy) == ("lenient", "strict")
    assert s.tracks["v1"].max_stale == 7 * 86400
    assert s.tracks["v2"].max_stale == 5400
    assert s.tracks["v2"].required is True
    assert s.selected == ("v1",)  # v2 disabled
    assert resolve_mode(s, "v1", {}) == ("strict", "config")


# --- precedence -------------------------------------------------------------------------

Getter = Callable[[Settings], Any]

# key: (file line, env, flags, expected at flag/env/file/default level, getter)
PRECEDENCE: dict[str, tuple[str, dict[str, str], dict[str, Any], tuple[Any, ...], Getter]] = {
    "registry_url": (
        'registry_url = "https://file.example.com"',
        {"REGISTRY_URL": "https://env.example.com"},
        {"registry_url": "https://flag.example.com"},
        ("https://flag.example.com", "https://env.example.com", "https://file.example.com", ""),
        lambda s: s.registry_url,
    ),
    "mode": (
        'mode = "warn"',
        {"REGISTRY_ENFORCEMENT": "warn"},
        {"mode": "strict"},
        (("strict", "flag"), ("warn", "env"), ("warn", "config"), ("warn", "default")),
        lambda s: resolve_mode(s, "v1", {}),
    ),
    "fail_open": (
        "fail_open = true",
        {"REGISTRY_FAIL_OPEN": "no"},
        {"fail_open": True},
        (True, False, True, True),
        lambda s: s.fail_open,
    ),
    "tracks": (
        "",
        {"REGISTRY_TRACK": "v2"},
        {"tracks": ["v1"]},
        (("v1",), ("v2",), ("v1", "v2"), ("v1", "v2")),
        lambda s: s.selected,
    ),
    "registry_enabled": (
        "",
        {"REGISTRY_ENABLED": "0"},
        {"registry_enabled": True},
        (True, False, True, True),
        lambda s: s.registry_enabled,
    ),
    "token": (
        "",
        {"REGISTRY_TOKEN": "env-token"},
        {"token": "flag-token"},  # not a flag key: a token never comes from a flag
        ("env-token", "env-token", None, None),
        lambda s: s.registry_token,
    ),
    "fixtures_dir": (
        'fixtures_dir = "from-file"',
        {},
        {"fixtures_dir": Path("from-flag")},
        ("from-flag", "from-file", "from-file", "fixtures"),
        lambda s: s.fixtures_dir.name,
    ),
    "fail_on": (
        'fail_on = "any"',
        {},
        {"fail_on": "breaking"},
        ("breaking", "any", "any", "drift"),
        lambda s: s.fail_on,
    ),
    "schemas": (
        "",
        {},
        {"schemas": ["models.Quote.schema", "models.Health"]},
        (("models.Quote", "models.Health"), (), (), ()),
        lambda s: s.schema_filter,
    ),
}


@pytest.mark.parametrize("key", sorted(PRECEDENCE))
def test_precedence_flag_env_file_default(tmp_path: Path, key: str) -> None:
    line, env, flags, expected, get = PRECEDENCE[key]
    with_file = project(tmp_path, line + "\n", name="with-file")
    without = project(tmp_path, "", name="without-file")
    assert get(load(with_file, env, flags)) == expected[0]
    assert get(load(with_file, env, {k: None for k in flags})) == expected[1]
    assert get(load(with_file, {}, {})) == expected[2]
    assert get(load(without, {}, {})) == expected[3]


def test_mode_precedence_includes_the_mode_file(tmp_path: Path) -> None:
    root = project(tmp_path, 'mode = "warn"\n')
    modes = {"v1": "strict"}
    assert resolve_mode(load(root), "v1", modes) == ("strict", "mode-file")
    assert resolve_mode(load(root), "v2", modes) == ("warn", "config")
    env = {"REGISTRY_ENFORCEMENT": "warn"}
    assert resolve_mode(load(root, env), "v1", modes) == ("warn", "env")
    assert resolve_mode(load(root, env, {"mode": "strict"}), "v1", modes) == ("strict", "flag")
    (root / MODE_FILE).write_text('[modes]\nv1 = "strcit"\n')
    with pytest.raises(ConfigError, match="'strcit' is not one of warn, strict"):
        resolve_mode(load(root), "v1", ModeFile(root / MODE_FILE).read())


def test_empty_environment_values_count_as_unset(tmp_path: Path) -> None:
    root = project(tmp_path, 'registry_url = "https://file.example.com"\n')
    env = {k: "" for k in ("REGISTRY_URL", "REGISTRY_TRACK", "REGISTRY_ENFORCEMENT",
                           "REGISTRY_ENABLED", "REGISTRY_TOKEN", "REGISTRY_FAIL_OPEN")}  # fmt: skip
    s = load(root, env)
    assert s.registry_url == "https://file.example.com"
    assert (s.selected, s.mode, s.registry_token) == (("v1", "v2"), None, None)
    assert s.sources["registry_url"] == "file"


def test_unknown_flag_keys_are_ignored(tmp_path: Path) -> None:
    assert load(project(tmp_path), {}, {"project_dir": ".", "verbose": 2}).repo == "svc"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("all", ("v1", "v2")), ("v2,v1", ("v1", "v2")), (" v2 ", ("v2",)), ("v1, all", ("v1", "v2"))],
)
def test_track_selection_spellings(tmp_path: Path, value: str, expected: tuple[str, ...]) -> None:
    assert load(project(tmp_path), {"REGISTRY_TRACK": value}).selected == expected


def test_all_selects_only_enabled_tracks(tmp_path: Path) -> None:
    root = project(tmp_path, "[tool.drift.tracks.v2]\nenabled = false\n")
    assert load(root, {"REGISTRY_TRACK": "all"}).selected == ("v1",)
    assert load(root, {}, {"tracks": ["all"]}).selected == ("v1",)


# --- registry_url -----------------------------------------------------------------------


def test_relative_registry_path_is_made_absolute(tmp_path: Path) -> None:
    root = project(tmp_path, 'registry_url = "registry"\n')
    assert load(root).registry_url == str(root.resolve() / "registry")
    flag = load(root, {}, {"registry_url": "../elsewhere/reg"}).registry_url
    assert flag == str(tmp_path.resolve() / "elsewhere" / "reg")
    assert load(root, {"REGISTRY_URL": "/abs/reg"}).registry_url == "/abs/reg"


def test_host_like_path_is_allowed_when_the_directory_exists(tmp_path: Path) -> None:
    root = project(tmp_path, 'registry_url = "schemas.registry"\n')
    with pytest.raises(ConfigError, match="has no scheme"):
        load(root)
    (root / "schemas.registry").mkdir()
    assert load(root).registry_url == str(root.resolve() / "schemas.registry")
    assert load(root, {"REGISTRY_URL": "./example.com"}).registry_url.endswith("/example.com")


@pytest.mark.parametrize(
    "url", ["file:///srv/registry", "http://127.0.0.1:8080", "https://reg.example.com/v1/"]
)
def test_urls_with_a_scheme_are_kept(tmp_path: Path, url: str) -> None:
    assert load(project(tmp_path), {"REGISTRY_URL": url}).registry_url == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("example.com/registry", "'example.com/registry' has no scheme"),
        ("registry.example.com", "has no scheme"),
        ("localhost:8080", "'localhost:8080' has no scheme"),
        ("10.0.0.5/api", "has no scheme"),
        ("ftp://example.com/r", "unsupported scheme"),
        ("http:///path-only", "has no host"),
        ("https:example.com", "has no host"),
        ("file:relative/dir", "not an absolute file:// URL"),
        ("https://user:pw@example.com", "credentials in the URL are not allowed"),
        ("", "not a non-empty string"),
    ],
)
def test_bad_registry_urls(tmp_path: Path, url: str, reason: str) -> None:
    root = project(tmp_path, f'registry_url = "{url}"\n')
    message = config_error(root)
    assert message.startswith("pyproject.toml [tool.drift] registry_url: ")
    assert reason in message
    env_message = config_error(project(tmp_path, "", name="e"), {"REGISTRY_URL": url or " x:y"})
    assert env_message.startswith("REGISTRY_URL: ")
    assert "pw" not in message


# --- invalid values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "env", "flags", "message"),
    [
        (
            'mode = "strcit"',
            {},
            {},
            "pyproject.toml [tool.drift] mode: 'strcit' is not one of warn, strict",
        ),
        (
            "",
            {"REGISTRY_ENFORCEMENT": "strcit"},
            {},
            "REGISTRY_ENFORCEMENT: 'strcit' is not one of warn, strict",
        ),
        ("", {}, {"mode": "loud"}, "--mode: 'loud' is not one of warn, strict"),
        ("", {"REGISTRY_TRACK": "v3"}, {}, "REGISTRY_TRACK: 'v3' is not a track (v1, v2)"),
        ("", {"REGISTRY_TRACK": "v1,v3"}, {}, "REGISTRY_TRACK: 'v3' is not a track (v1, v2)"),
        ("", {"REGISTRY_TRACK": ","}, {}, "REGISTRY_TRACK: ',' names no track"),
        ("", {}, {"tracks": ["v9"]}, "--track: 'v9' is not a track (v1, v2)"),
        ("", {"REGISTRY_ENABLED": "maybe"}, {}, "REGISTRY_ENABLED: 'maybe' is not a boolean"),
        ("", {"REGISTRY_FAIL_OPEN": "2"}, {}, "REGISTRY_FAIL_OPEN: '2' is not a boolean"),
        ('fail_open = "yes"', {}, {}, "[tool.drift] fail_open: 'yes' is not a boolean"),
        (
            'fail_on = "everything"',
            {},
            {},
            "fail_on: 'everything' is not one of breaking, drift, any",
        ),
        ("", {}, {"fail_on": "some"}, "--fail-on: 'some' is not one of breaking, drift, any"),
        ("concurrency = 0", {}, {}, "[tool.drift] concurrency: 0 is not an integer in 1..64"),
        ("concurrency = 65", {}, {}, "concurrency: 65 is not an integer in 1..64"),
        ("retries = -1", {}, {}, "retries: -1 is not an integer in 0..100"),
        ("retries = true", {}, {}, "retries: True is not an integer"),
        (
            "timeout = 0",
            {},
            {},
            "[tool.drift] timeout: 0 is not a number of seconds greater than 0",
        ),
        ('deadline = "60"', {}, {}, "[tool.drift] deadline: '60' is not a number of seconds"),
        ('annotation_keys = "title"', {}, {}, "annotation_keys: 'title' is not a list of strings"),
        ('annotation_keys = ["title", 3]', {}, {}, "annotation_keys: 3 is not a non-empty string"),
        ("repo = 5", {}, {}, "[tool.drift] repo: 5 is not a non-empty string"),
        ('fixtures_dir = ""', {}, {}, "fixtures_dir: '' is not a non-empty string"),
        ("mdoe = 'strict'", {}, {}, "unknown key 'mdoe' in [tool.drift]; did you mean 'mode'?"),
        ("zzz = 1", {}, {}, "unknown key 'zzz' in [tool.drift] (known keys: repo,"),
        ("tracks = 3", {}, {}, "[tool.drift] tracks: must be a table of track tables"),
        ("[tool.drift.tracks.v3]", {}, {}, "[tool.drift.tracks]: 'v3' is not a track (v1, v2)"),
        (
            "[tool.drift.tracks.v1]\nrequird = true",
            {},
            {},
            "unknown key 'requird' in [tool.drift.tracks.v1]; did you mean 'required'?",
        ),
        (
            "[tool.drift.tracks.v1]\nrole = 'owner'",
            {},
            {},
            "[tool.drift.tracks.v1] role: 'owner' is not one of producer, consumer, both",
        ),
        (
            "[tool.drift.tracks.v2]\ncompat_policy = 'loose'",
            {},
            {},
            "[tool.drift.tracks.v2] compat_policy: 'loose' is not one of strict, lenient",
        ),
        (
            "[tool.drift.tracks.v1]\nmax_stale = '7 days'",
            {},
            {},
            "[tool.drift.tracks.v1] max_stale: '7 days' is not a duration",
        ),
        ("[tool.drift.tracks.v1]\nmax_stale = '-1h'", {}, {}, "max_stale: '-1h' is not a duration"),
        (
            "[tool.drift.tracks.v1]\nmax_stale = 0",
            {},
            {},
            "max_stale: 0 is not a positive duration",
        ),
        (
            "[tool.drift.tracks.v2]\nmax_stale = true",
            {},
            {},
            "[tool.drift.tracks.v2] max_stale: True is not a duration",
        ),
        (
            "[tool.drift.tracks.v2]\nschemas = 'models.*'",
            {},
            {},
            "[tool.drift.tracks.v2] schemas: 'models.*' is not a list",
        ),
        (
            "[tool.drift.tracks.v2]\nenabled = 1",
            {},
            {},
            "[tool.drift.tracks.v2] enabled: 1 is not a boolean",
        ),
        (
            "[tool.drift.tracks.v2]\nenabled = false",
            {"REGISTRY_TRACK": "v2"},
            {},
            "REGISTRY_TRACK: track 'v2' is disabled",
        ),
        (
            "[tool.drift.tracks.v2]\nenabled = false",
            {},
            {"tracks": ["v2"]},
            "--track: track 'v2' is disabled",
        ),
        ("", {}, {"schemas": ["../x"]}, "--schema: schema: unsafe schema name '../x'"),
        ("", {}, {"schemas": []}, "--schema: [] names no schema"),
        ("", {}, {"schemas": ["models/*"]}, "--schema: 'models/*' is not a schema name or glob"),
        ("", {}, {"registry_enabled": "off"}, "--no-registry: 'off' is not a boolean"),
        ("mode = ", {}, {}, "pyproject.toml: invalid TOML: Invalid value (at line 5, column 8)"),
    ],
)
def test_invalid_values_name_source_and_field(
    tmp_path: Path, body: str, env: dict[str, str], flags: dict[str, Any], message: str
) -> None:
    assert message in config_error(project(tmp_path, body + "\n"), env, **flags)


# --- token ------------------------------------------------------------------------------


def test_token_never_in_repr_str_or_errors(tmp_path: Path) -> None:
    secret = "tok-3c1f9b7e5a"
    s = load(project(tmp_path), {"REGISTRY_TOKEN": secret})
    assert s.registry_token == secret
    assert secret not in repr(s)
    assert secret not in str(s)
    assert s.redacted()["registry_token"] == "***"
    assert secret not in str(s.redacted())
    message = config_error(project(tmp_path, name="b"), {"REGISTRY_TOKEN": f"{secret}\n x"})
    assert message == "REGISTRY_TOKEN: contains whitespace or control characters"
    assert load(project(tmp_path, name="c")).redacted()["registry_token"] is None


def test_redacted_is_plain_data(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.drift.tracks.v1]\nmax_stale = "90m"\n')
    data = load(root, {"REGISTRY_ENFORCEMENT": "strict"}).redacted()
    assert data["tracks"]["v1"]["max_stale"] == "90m"
    assert (data["mode"], data["mode_source"]) == ("strict", "env")
    assert data["sources"]["mode"] == "env"
    assert data["fixtures_dir"] == str(root.resolve() / "fixtures")


# --- selection --------------------------------------------------------------------------


def test_selects_globs_exclude_and_filter(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        '[tool.drift.tracks.v1]\nschemas = ["models.*", "telemetry.FeedbackEvent"]\n'
        'exclude = ["models.Health*"]\n',
    )
    s = load(root)
    assert s.selects("v1", "models.Quote")
    assert s.selects("v1", "models.Quote.schema")
    assert s.selects("v1", "telemetry.FeedbackEvent")
    assert not s.selects("v1", "telemetry.Probe")
    assert not s.selects("v1", "models.Health")  # exclude wins
    assert not s.selects("v1", "Models.Quote")  # case-sensitive
    assert s.selects("v2", "telemetry.Probe")  # v2 defaults to "*"
    only_v2 = load(root, {"REGISTRY_TRACK": "v2"})
    assert not only_v2.selects("v1", "models.Quote")
    assert not s.selects("v3", "models.Quote")
    filtered = load(root, {}, {"schemas": ["models.Quote", "models.Health"]})
    assert filtered.selects("v1", "models.Quote")
    assert not filtered.selects("v1", "models.PriceBar")
    assert not filtered.selects("v1", "models.Health")  # still excluded
    globbed = load(root, {}, {"schemas": ["models.Q*", "telemetry.Feedback?vent"]})
    assert globbed.schema_filter == ("models.Q*", "telemetry.Feedback?vent")
    assert globbed.selects("v1", "models.Quote")
    assert globbed.selects("v1", "telemetry.FeedbackEvent")
    assert not globbed.selects("v1", "models.PriceBar")


def test_require_registry(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no registry configured"):
        load(project(tmp_path)).require_registry()
    assert load(project(tmp_path, name="b"), {"REGISTRY_URL": "file:///r"}).require_registry()


def test_settings_are_immutable(tmp_path: Path) -> None:
    s = load(project(tmp_path))
    with pytest.raises(AttributeError):
        s.repo = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.tracks["v3"] = s.tracks["v1"]  # type: ignore[index]


# --- durations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("90m", 5400.0), ("12h", 43200.0), ("7d", 604800.0), ("2w", 1209600.0), ("45s", 45.0),
     ("1.5h", 5400.0), ("3600", 3600.0), (3600, 3600.0), (0.5, 0.5)],
)  # fmt: skip
def test_parse_duration(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["", "7 days", "h", "-5m", "1e3", 0, -1, None, [], True])
def test_parse_duration_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(value)

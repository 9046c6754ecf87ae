"""What ``drift init`` writes into a repository, and how each file is changed: pure.

Contents in, :class:`FileChange` plans out; :mod:`drift.adopt` reads and writes.
Rules: ``pyproject.toml`` only ever gets ``[tool.drift]`` appended (never
reformatted; an existing, different table is refused); ``.gitignore`` gets the
missing entries appended; ``.pre-commit-config.yaml`` gets drift's local hooks
appended to its ``repos:`` list; any other file is created, left alone when it
already says the same, and never overwritten without ``force``.
"""

from __future__ import annotations

import pprint
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import tomli_w

from drift import tomlread
from drift.errors import ConfigError
from drift.model import TRACKS

__all__ = [
    "HOOKS",
    "FileChange",
    "InitOptions",
    "contract_test",
    "drift_table",
    "gitignore_lines",
    "hooks_yaml",
    "plan_append_lines",
    "plan_file",
    "plan_precommit",
    "plan_pyproject",
]

Action = Literal["create", "append", "overwrite", "unchanged", "kept"]

TASKS_PY = "from drift.tasks import ns\nnamespace = ns\n"
NOXFILE_PY = (
    '"""drift\'s sessions: nox -s contracts-v1, contracts-v2, contracts, drift."""\n'
    "import drift.nox\n\ndrift.nox.sessions()\n"
)
CONTRACT_TEST = "tests/contracts/test_contracts.py"
PRECOMMIT = ".pre-commit-config.yaml"

#: drift's pre-commit hooks: ``.pre-commit-hooks.yaml`` (language python) and the
#: local hooks ``drift init`` writes (language system: the drift you installed).
HOOKS: tuple[Mapping[str, Any], ...] = (
    {
        "id": "drift-lock",
        "name": "drift: fixtures match the lock (offline)",
        "description": "Verify every fixture against fixtures/lock.toml; no network.",
        "entry": "drift check-drift",
        "args": ["--no-registry", "--mode", "strict", "--no-report"],
    },
    {
        "id": "drift-registry",
        "name": "drift: fixtures match the registry (fail-open)",
        "description": "Strict drift check against the registry; an unreachable one passes.",
        "entry": "drift check-drift",
        "args": ["--mode", "strict", "--no-report"],
    },
)
_HOOK_FILES = r"\.(json|toml)$"


@dataclass(frozen=True)
class InitOptions:
    registry_url: str
    tracks: tuple[str, ...] = TRACKS
    """Tracks to enable; the others get ``enabled = false``."""
    fixtures_dir: str = "fixtures"


@dataclass(frozen=True)
class FileChange:
    path: str
    """Relative to the project root, POSIX separators."""
    action: Action
    content: str | None = None
    """The whole new file for create/append/overwrite; ``None`` otherwise."""
    detail: str = ""

    @property
    def writes(self) -> bool:
        return self.content is not None


def drift_table(options: InitOptions) -> str:
    """The ``[tool.drift]`` TOML that ``drift init`` appends to ``pyproject.toml``."""
    unknown = [t for t in options.tracks if t not in TRACKS]
    if unknown or not options.tracks:
        raise ConfigError(f"--tracks: {', '.join(unknown) or 'none'}: choose from v1, v2")
    tracks: dict[str, dict[str, bool]] = {}
    for track in TRACKS:
        tracks[track] = {"required": track == "v1"}
        if track not in options.tracks:
            tracks[track]["enabled"] = False
    table = {"registry_url": options.registry_url, "fixtures_dir": options.fixtures_dir}
    body = tomli_w.dumps({"tool": {"drift": {**table, "tracks": tracks}}})
    return "# drift: registry schemas, fixtures and contract tests (written by drift init)\n" + body


def plan_pyproject(existing: str | None, options: InitOptions) -> FileChange:
    """Append ``[tool.drift]``; unchanged when the same registry is already configured;
    :class:`ConfigError` when a different ``[tool.drift]`` exists (never rewritten)."""
    path = "pyproject.toml"
    table = drift_table(options)
    if existing is None:
        return FileChange(path, "create", table, "[tool.drift]")
    try:
        current = tomlread.loads(existing).get("tool", {}).get("drift")
    except tomlread.TOMLDecodeError as exc:
        raise ConfigError(f"pyproject.toml: invalid TOML: {exc}") from None
    if current is not None:
        if current.get("registry_url") == options.registry_url:
            return FileChange(path, "unchanged", None, "[tool.drift] already configured")
        raise ConfigError(
            f"pyproject.toml already has [tool.drift] (registry_url = "
            f"{current.get('registry_url')!r}); drift init never rewrites it: edit it by hand"
        )
    glue = "" if existing.endswith("\n") or not existing else "\n"
    return FileChange(path, "append", f"{existing}{glue}\n{table}", "[tool.drift] appended")


def plan_file(path: str, existing: str | None, wanted: str, *, force: bool) -> FileChange:
    """Create ``path``; leave it when it says the same; overwrite only with ``force``."""
    if existing is None:
        return FileChange(path, "create", wanted)
    if existing == wanted:
        return FileChange(path, "unchanged")
    if force:
        return FileChange(path, "overwrite", wanted, "--force")
    return FileChange(path, "kept", None, "exists and differs; --force overwrites it")


def plan_append_lines(path: str, existing: str | None, lines: Sequence[str]) -> FileChange:
    """Append the ``lines`` missing from ``path`` (one per line), under a comment."""
    have = set((existing or "").splitlines())
    missing = [line for line in lines if line not in have]
    if not missing:
        return FileChange(path, "unchanged")
    head = existing or ""
    glue = "" if head.endswith("\n") or not head else "\n"
    block = "# drift (drift init)\n" + "".join(f"{line}\n" for line in missing)
    action: Action = "append" if existing else "create"
    sep = "\n" if head else ""
    return FileChange(path, action, f"{head}{glue}{sep}{block}", f"{len(missing)} entries")


def gitignore_lines(fixtures_dir: str) -> list[str]:
    """What a check, a sync and the sessions leave behind that must not be committed."""
    base = fixtures_dir.strip("/")
    return [
        "drift_report.json", "drift_report.md", "drift_report.xml", "reports/",
        "schemas-out/", ".nox/", f"{base}/.drift.lock", f"{base}/.drift-sync-*/",
    ]  # fmt: skip


def hooks_yaml(language: str, indent: str = "") -> str:
    """The hooks as YAML list items (``.pre-commit-hooks.yaml`` uses ``indent=""``)."""
    out: list[str] = []
    for hook in HOOKS:
        out.append(f"{indent}- id: {hook['id']}")
        pad = indent + "  "
        out.append(f"{pad}name: {_quote(hook['name'])}")
        out.append(f"{pad}description: {_quote(hook['description'])}")
        out.append(f"{pad}entry: {hook['entry']}")
        out.append(f"{pad}args: [{', '.join(hook['args'])}]")
        out.append(f"{pad}language: {language}")
        out.append(f"{pad}pass_filenames: false")
        out.append(f"{pad}files: {_quote(_HOOK_FILES)}")
    return "\n".join(out) + "\n"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def plan_precommit(existing: str | None) -> FileChange:
    """drift's local hooks in ``.pre-commit-config.yaml``: the whole file when there is
    none, else one ``- repo: local`` entry appended to a ``repos:`` list that ends the file."""
    if existing is not None and all(f"id: {h['id']}" in existing for h in HOOKS):
        return FileChange(PRECOMMIT, "unchanged")
    if existing is None or not existing.strip():
        entry = "  - repo: local\n    hooks:\n" + hooks_yaml("system", "      ")
        return FileChange(PRECOMMIT, "create", "repos:\n" + entry)
    lines = existing.splitlines()
    top = [i for i, line in enumerate(lines) if line[:1].isalpha() or line[:1] == "_"]
    if not top or lines[top[-1]].rstrip() != "repos:":
        return FileChange(
            PRECOMMIT, "kept", None, "no trailing repos: list to append to; add the drift "
            "hooks by hand (drift init --dry-run shows them)",
        )  # fmt: skip
    items = [line for line in lines[top[-1] + 1 :] if line.lstrip().startswith("- ")]
    indent = items[0][: len(items[0]) - len(items[0].lstrip())] if items else "  "
    entry = f"{indent}- repo: local\n{indent}  hooks:\n" + hooks_yaml("system", indent + "    ")
    glue = "" if existing.endswith("\n") else "\n"
    return FileChange(PRECOMMIT, "append", existing + glue + entry, "drift hooks appended")


def contract_test(example: tuple[str, Mapping[str, Any]] | None) -> str:
    """The example contract test: ``example`` is a schema name and a payload that
    conforms on every track, or ``None`` (a placeholder that skips)."""
    head = (
        '"""Contract tests: payloads this service builds must conform to the registry\'s\n'
        "schemas on every track (nox -s contracts-v1, nox -s contracts-v2).\n\n"
        "Written by drift init as an example: build PAYLOAD with your own code, and add a\n"
        'test for every payload you produce or consume.\n"""\n\n'
    )
    if example is None:
        return head + (
            "import pytest\n\n\n"
            "def test_payload_conforms(assert_conforms):\n"
            '    pytest.skip("no fixtures yet: run drift sync-fixtures, then write a payload")\n'
        )
    name, payload = example
    literal = pprint.pformat(dict(payload), sort_dicts=False, width=88)
    return head + (
        f"SCHEMA = {name!r}\nPAYLOAD = {literal}\n\n\n"
        "def test_payload_conforms(assert_conforms):\n"
        "    assert_conforms(PAYLOAD, SCHEMA)\n"
    )

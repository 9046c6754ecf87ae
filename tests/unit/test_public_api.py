"""The curated public API: exactly these names, each importable, nothing heavy on import."""

from __future__ import annotations

import subprocess
import sys

import pytest

import drift

EXPECTED = {
    "CheckInputs",
    "ConfigError",
    "DirectorySource",
    "DriftError",
    "FixtureError",
    "FixtureStore",
    "RegistryClient",
    "RegistryError",
    "RegistryUnavailable",
    "Report",
    "SchemaNotFound",
    "Settings",
    "Status",
    "__version__",
    "canonical_hash",
    "check_drift",
    "compare",
    "load_settings",
    "open_source",
    "structural_hash",
}


def test_all_is_the_curated_list() -> None:
    assert set(drift.__all__) == EXPECTED


def test_every_public_name_resolves() -> None:
    for name in drift.__all__:
        assert getattr(drift, name) is not None, name


def test_unknown_attribute_raises() -> None:
    with pytest.raises(AttributeError, match="does_not_exist"):
        drift.does_not_exist  # noqa: B018


@pytest.mark.parametrize(
    ("imports", "heavy"),
    [
        ("drift, drift.pytest_plugin", "httpx jsonschema prometheus_client referencing invoke"),
        # the front ends: --help and invoke --list import no workflow
        ("drift.cli, drift.tasks", "drift.app drift.config drift.check drift.sources httpx"),
    ],
)
def test_import_is_cheap(imports: str, heavy: str) -> None:
    code = f"import sys, {imports};print(sorted(set({heavy.split()!r}) & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

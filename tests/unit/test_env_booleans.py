"""One boolean parser: every boolean environment variable accepts the same spellings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from drift.config import load_settings
from drift.errors import ConfigError
from drift.live import live_requested
from drift.telemetry.settings import PulseSettings

SPELLINGS = {
    "1": True, "true": True, "True": True, "YES": True, "yes": True, "on": True, "On": True,
    "0": False, "false": False, "FALSE": False, "no": False, "No": False, "off": False,
    " off ": False,
}  # fmt: skip
BAD = ["maybe", "2", "enabled", "y", "t"]


def readers(tmp_path: Path) -> dict[str, Callable[[str], bool]]:
    return {
        "REGISTRY_ENABLED": lambda v: (
            load_settings(tmp_path, {"REGISTRY_ENABLED": v}).registry_enabled
        ),
        "REGISTRY_FAIL_OPEN": lambda v: (
            load_settings(tmp_path, {"REGISTRY_FAIL_OPEN": v}).fail_open
        ),
        "PULSE_ENABLED": lambda v: PulseSettings.from_env({"PULSE_ENABLED": v}).enabled,
        "DRIFT_PULSE_ANNOTATIONS": lambda v: (
            PulseSettings.from_env({"DRIFT_PULSE_ANNOTATIONS": v}).include_annotations
        ),
        "DRIFT_LIVE": lambda v: live_requested([], {"DRIFT_LIVE": v})[0],
    }


@pytest.mark.parametrize(("spelling", "value"), SPELLINGS.items())
def test_every_boolean_variable_reads_a_spelling_the_same(
    tmp_path: Path, spelling: str, value: bool
) -> None:
    assert {name: read(spelling) for name, read in readers(tmp_path).items()} == dict.fromkeys(
        readers(tmp_path), value
    )


@pytest.mark.parametrize("spelling", BAD)
def test_every_boolean_variable_rejects_the_same_spellings(tmp_path: Path, spelling: str) -> None:
    for name, read in readers(tmp_path).items():
        with pytest.raises(ConfigError, match=f"{name}: '{spelling}' is not a boolean"):
            read(spelling)

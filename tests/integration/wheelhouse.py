"""This checkout as a user installs it: a wheel, a wheelhouse and one fresh virtualenv.

Fixtures (session-scoped, built at most once per test session):

- ``drift_wheel``: ``pip wheel`` of this checkout.
- ``wheelhouse``: the wheel and everything an adopting repository installs (drift's
  dependencies and extras, nox, pre-commit, pytest, hatchling as a build backend),
  downloaded once with the machine's pip configuration (the only step that reaches a
  package index). :func:`offline_pip` points every later ``pip install`` at it alone,
  so the nested installs (nox session venvs, pre-commit's hook env, build isolation)
  are real installs of the same files, bounded in time.
- ``adopter_venv``: a fresh virtualenv with the wheel (``[redis]``), nox and pre-commit.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: Installed into the adopter venv, or by what it runs (sessions, hooks, build backends).
ADOPTER_TOOLS = ("nox", "pre-commit", "pytest>=8", "hatchling", "editables")


@dataclass(frozen=True)
class Venv:
    root: Path
    wheelhouse: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def pip_env(self) -> dict[str, str]:
        return offline_pip(self.wheelhouse)


def offline_pip(wheelhouse: Path) -> dict[str, str]:
    """Environment for pip to install from ``wheelhouse`` only (build isolation included)."""
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse)}


def _pip(*argv: str, env: dict[str, str] | None = None) -> None:
    import os

    done = subprocess.run(
        [*argv], capture_output=True, text=True, check=False,
        env=None if env is None else {**os.environ, **env},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="session")
def drift_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout built into a wheel (``pip wheel``)."""
    out = tmp_path_factory.mktemp("wheel")
    _pip(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(REPO))
    (wheel,) = out.glob("schema_drift-*.whl")
    return wheel


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory, drift_wheel: Path) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    _pip(
        sys.executable, "-m", "pip", "download", "-q", "-d", str(out),
        "-c", str(REPO / "constraints.txt"), f"{drift_wheel}[redis]", *ADOPTER_TOOLS,
    )  # fmt: skip
    return out


@pytest.fixture(scope="session")
def adopter_venv(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Venv:
    """A fresh virtualenv with this checkout's wheel (``[redis]``), nox and pre-commit."""
    root = tmp_path_factory.mktemp("adopter-venv") / "venv"
    _pip(sys.executable, "-m", "virtualenv", "-q", str(root))
    wheel = next(wheelhouse.glob("schema_drift-*.whl"))
    _pip(
        str(root / "bin" / "python"), "-m", "pip", "install", "-q",
        f"{wheel}[redis]", "nox", "pre-commit", env=offline_pip(wheelhouse),
    )  # fmt: skip
    return Venv(root, wheelhouse)

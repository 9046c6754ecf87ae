"""Files that ``drift init`` writes verbatim, read from the installed package.

The workflow template has one home, ``.github/workflows/registry-contracts.yml``
in drift's repository (the workflow drift's own CI runs); the wheel carries it
as ``drift/registry-contracts.yml``. From a source checkout or an
editable install the repository file itself is read.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from drift.errors import DriftError

__all__ = ["WORKFLOW_PATH", "workflow_template"]

WORKFLOW_PATH = ".github/workflows/registry-contracts.yml"
_PACKAGED = "registry-contracts.yml"


def workflow_template() -> str:
    """The CI workflow template, as text."""
    packaged = resources.files("drift").joinpath(_PACKAGED)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parent.parent / WORKFLOW_PATH
    try:
        return checkout.read_text(encoding="utf-8")
    except OSError as exc:
        raise DriftError(f"the workflow template is missing from this install: {exc}") from None

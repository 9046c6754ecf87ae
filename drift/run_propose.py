"""``propose``: an update branch and pull-request text per selected track.

The workflow itself is :func:`drift.propose.propose`; this wires it: the
registry per scratch checkout, git, the contract-test command.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from drift.errors import ConfigError

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    from drift.app import Runtime
    from drift.config import Settings
    from drift.sources.base import RegistrySource

__all__ = ["CONTRACTS_COMMAND", "ProposeOptions", "run_propose"]


@dataclass(frozen=True)
class ProposeOptions:
    """``drift propose``'s own knobs."""

    output: Path = Path("reports/propose")
    """Where each track's ``title.txt``, ``body.md``, ``labels.txt`` go (relative: to the
    project root)."""
    base: str | None = None
    remote: str = "origin"
    push: bool = False
    run_contracts: bool = False
    contracts_command: str | None = None
    """Run in the synced checkout; ``{track}`` and ``{python}`` (this interpreter) replaced
    (``None``: :data:`CONTRACTS_COMMAND`)."""


#: ``propose``'s contract tests unless ``--contracts-command`` names others.
CONTRACTS_COMMAND = (
    "{python} -m pytest -q -p no:cacheprovider --schema-track {track} tests/contracts"
)


def run_propose(runtime: Runtime, settings: Settings, options: ProposeOptions) -> int:
    """``propose``: an update branch and pull-request text per selected track."""
    from drift.gitrepo import Git
    from drift.propose import ProposeRequest, contract_runner, propose

    def source(scratch: Settings) -> RegistrySource:
        opened = runtime.open(scratch)
        if opened is None:
            raise ConfigError("drift propose needs the registry (REGISTRY_ENABLED is false)")
        return opened

    output = options.output if options.output.is_absolute() else settings.root / options.output
    command = (options.contracts_command or CONTRACTS_COMMAND).replace("{python}", sys.executable)
    request = ProposeRequest(output, options.base, options.remote, options.push)
    proposals = propose(
        settings,
        request,
        Git(settings.root, runtime.env),
        open_source=source,
        run_contracts=contract_runner(command) if options.run_contracts else None,
    )
    for proposal in proposals:
        runtime.out.write(proposal.line() + "\n")
    if any(p.state != "up-to-date" for p in proposals):
        runtime.out.write(f"pull-request title, body and labels per track in {output}\n")
    return 0

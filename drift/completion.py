"""Shell completion scripts for bash and zsh, generated from the parser by shtab.

A static script (``drift completion bash``), not a start-up hook: measured in
``bench/cli_extras.py``, argcomplete would be imported and hooked into every
``drift`` start-up and runs the whole program on each TAB; shtab costs nothing
until a user asks for the script, and a TAB then runs no Python at all.
"""

from __future__ import annotations

import argparse

__all__ = ["SHELLS", "completion_script"]

SHELLS = ("bash", "zsh")


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script of ``parser`` for ``shell`` (``bash`` or ``zsh``)."""
    import shtab  # only ``drift completion`` needs it

    text: str = shtab.complete(parser, shell)
    return text if text.endswith("\n") else text + "\n"
